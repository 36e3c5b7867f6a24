r"""RO: relocation timing as a real option, with MSE prevention (SOS-GVC WP2 catalogue).

The model
---------
The lead firm's expected disruption cost flow ``x_t`` follows a geometric Brownian
motion ``dx = mu x dt + sigma x dW``; relocating costs ``I`` (sunk) plus a cost premium
flow ``delta``. It relocates when ``x`` first reaches
``x* = beta/(beta - 1) (r - mu)(I + delta/r)``, ``beta > 1`` the positive root of
``sigma^2 b (b - 1)/2 + mu b - r = 0`` (both from :func:`gvcgames.options.relocation_trigger`).
MSE prevention ``e`` scales the flow to ``x (1 - e)``, so the lead firm relocates when
``x (1 - e)`` first reaches ``x*``. The MSE earns ``m`` per unit of time until then and
pays ``c e^2/2`` for prevention.

Regimes (every ``x0``)
----------------------
* **Waiting** (``x0 (1 - e) < x*``): relocation lies ahead; the expected discount factor
  until it is ``(x0 (1 - e)/x*)^beta`` (:func:`gvcgames.options.expected_discount_factor`), so

      pi_S(e) = m/r (1 - (x0 (1 - e)/x*)^beta) - c e^2/2.

* **Immediate relocation** (``x0 (1 - e) >= x*``): the lead firm is already beyond its
  trigger and relocates at once (``T = 0``): the relation pays nothing and
  ``pi_S(e) = -c e^2/2``.

Hence the parameter regions:

* ``R1: x0 < x*``. The lead firm waits whatever ``e``; ``pi_S`` is strictly concave with
  ``pi_S'(0) > 0 > pi_S'(1)``, so ``e*`` is the interior root of the first-order condition
  (no closed form: :func:`relocation_option` ``("waiting")``).
* ``x0 >= x*``. Without prevention the lead firm relocates at once. The MSE can hold it only
  with ``e > e_min = 1 - x*/x0``; on ``[e_min, 1)`` the waiting payoff applies and is concave
  (:func:`relocation_option` ``("holding")``), and its value is compared with giving up
  (``e = 0``, payoff 0):

  - ``R2: c r x* (x0 - x*) >= beta m x0^2`` (the derivative at ``e_min`` is not positive,
    found by the engine as the corner of the holding game) or ``c e_min^2/2 >= m/r``
    (holding costs more than the relation can ever pay): the MSE gives up, ``e* = 0``, and
    the lead firm relocates at once;
  - otherwise the MSE holds the lead firm with the interior ``e_H`` of the holding game if
    ``pi_S(e_H) > 0`` and gives up if not; the boundary has no closed form (numbers).

:func:`relocation_option` ``("all")`` is the whole model as one game with the piecewise payoff:
its ``solve_at`` maximises over ``[0, 1)`` globally (so it decides between holding and giving
up) and its ``solve`` reports the closed-form regions above.

References
----------
Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 5 (the trigger) and ch. 3 (the expected discount factor).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.options.investment import relocation_trigger
from gvcgames.results import DerivationLog, Equilibrium, Solution
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.games import ContinuousGame
from gvcgames.spec.symbols import actions, parameters

REGIMES = ("waiting", "holding", "all")
_NAME = "RO: relocation timing with MSE prevention"


def _symbols() -> dict[str, Any]:
    return {
        "r": parameters("r", positive=True, description="discount rate"),
        "beta": parameters("beta", domain="(1, oo)", description="positive root of the characteristic equation"),
        "x_star": parameters("x_star", positive=True, description="relocation trigger without prevention", latex="x^*"),
        "x0": parameters("x0", positive=True, description="current expected disruption cost flow", latex="x_0"),
        "m": parameters("m", positive=True, description="MSE's margin flow while the lead firm stays"),
        "c": parameters("c", positive=True, description="MSE's cost parameter of prevention"),
    }


def waiting_payoff(e: Any, s: Mapping[str, Any]) -> sp.Expr:
    """``m/r (1 - (x0 (1 - e)/x*)^beta) - c e^2/2``: the MSE's payoff while the lead firm waits."""
    return s["m"] / s["r"] * (1 - (s["x0"] * (1 - e) / s["x_star"]) ** s["beta"]) - s["c"] * e**2 / 2


def relocation_option(regime: str = "waiting") -> ContinuousGame:
    """The MSE's prevention choice facing a lead firm that holds a relocation option.

    ``beta`` and ``x_star`` enter as parameters (with domains ``(1, oo)`` and
    ``(0, oo)``) so that the derivation stays readable; :func:`option_values` computes
    them from ``(r, mu, sigma, I, delta)`` with :func:`gvcgames.options.relocation_trigger`.

    Parameters
    ----------
    regime : {"waiting", "holding", "all"}
        ``"waiting"`` (default): region ``x0 < x*``, where the lead firm waits whatever the
        MSE does (``e in [0, 1)``). ``"holding"``: region ``x0 >= x*``, the MSE holding the
        lead firm with ``e in [1 - x*/x0, 1)``. ``"all"``: every ``x0``, with the payoff of
        immediate relocation ``-c e^2/2`` where ``x0 (1 - e) >= x*`` (see the module docstring).

    Raises
    ------
    InvalidSpecError
        An unknown ``regime``.

    Examples
    --------
    >>> from gvcgames.models import relocation_option
    >>> from gvcgames.models.relocation_option import option_values
    >>> values = {"m": 1.0, "c": 2.0, "r": 0.05, "x0": 0.5,
    ...           **option_values(r=0.05, mu=0.01, sigma=0.2, I=10.0, delta=0.1)}
    >>> sorted(values)[:3]
    ['beta', 'c', 'm']
    >>> e = relocation_option("all").solve_at({**values, "x0": 3.0}).equilibria[0]["e"]
    >>> 0.5 < float(e) < 1       # beyond the trigger the MSE still holds the lead firm here
    True

    References
    ----------
    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 5.
    """
    from gvcgames.errors import InvalidSpecError

    if regime not in REGIMES:
        raise InvalidSpecError(f"regime must be one of {REGIMES}, got {regime!r}")
    s = _symbols()
    x0, x_star, c = s["x0"], s["x_star"], s["c"]
    if regime == "waiting":
        e = actions("e", domain="[0, 1)", description="risk prevention")
        return ContinuousGame(
            {"MSE": (e, waiting_payoff(e, s))},
            assumptions=[x0 < x_star],
            name=_NAME,
            description="The lead firm holds an option to relocate; MSE prevention delays the trigger "
            "(the region where x0 is below x*: the lead firm waits whatever the MSE does)",
        )
    if regime == "holding":
        e = actions("e", domain=sp.Interval.Ropen(1 - x_star / x0, 1), description="risk prevention")
        return ContinuousGame(
            {"MSE": (e, waiting_payoff(e, s))},
            assumptions=[x0 >= x_star],
            name=_NAME + " (holding the lead firm)",
            description="The region where x0 is at least x*: the lead firm relocates at once unless prevention "
            "above 1 - x*/x0 brings the flow below its trigger",
        )
    e = actions("e", domain="[0, 1)", description="risk prevention")
    payoff = sp.Piecewise((waiting_payoff(e, s), x0 * (1 - e) < x_star), (-c * e**2 / 2, True))
    return RelocationOptionGame(
        {"MSE": (e, payoff)},
        name=_NAME + " (every x0)",
        description="The lead firm relocates when x (1 - e) first reaches x*: at once if it is already there",
    )


class RelocationOptionGame(ContinuousGame):
    """RO for every ``x0``: a piecewise payoff, solved by regime.

    ``solve_at`` is the engine's (a global one-dimensional maximisation, see
    :func:`gvcgames.solve.numeric.kkt_point`). ``solve`` does not hand the piecewise payoff to
    the KKT enumeration, whose concavity test would read the two concave pieces as a concave
    payoff and miss the upward kink at ``e = 1 - x*/x0``; it solves the two smooth regime
    games with the engine and compares the holding value with giving up.
    """

    def _rebuild(self, payoff_map: Any, assumptions: Assumptions) -> ContinuousGame:
        players = {p.name: (p.actions, payoff_map(p.payoff)) for p in self.players}
        return RelocationOptionGame(players, assumptions, self.name, self.description)

    def solve(self, time_budget: float | None = None) -> Solution:
        """The regions of RO with their closed forms; the interior optima need numbers.

        Returns
        -------
        Solution
            The closed-form equilibrium ``e* = 0`` (the lead firm relocates at once) where the
            MSE provably gives up; ``converged=False`` because the interior optima of both
            regimes have no closed form (``solve_at`` finds them).
        """
        return solve_regions(self, time_budget=time_budget)


def solve_regions(game: ContinuousGame | None = None, time_budget: float | None = None) -> Solution:
    """Solve RO region by region with the engine (see the module docstring).

    Examples
    --------
    >>> from gvcgames.models.relocation_option import solve_regions
    >>> sol = solve_regions(time_budget=2)
    >>> [eq.case for eq in sol.equilibria]
    ['the MSE gives up: the lead firm relocates at once']
    """
    game = game if game is not None else relocation_option("all")
    s = {k: game.symbol(k) for k in ("r", "x_star", "x0", "m", "c")}
    r, x_star, x0, m, c = (s[k] for k in ("r", "x_star", "x0", "m", "c"))
    e = game.actions[0]
    log = DerivationLog()
    log.add("game", "RO for every x0: the lead firm relocates when x (1 - e) first reaches x*", game.players[0].payoff)
    waiting = relocation_option("waiting").solve(time_budget=time_budget)
    log.add("case", "Region x0 < x*: the lead firm waits whatever e (engine, KKT)", x0 < x_star, note=waiting.message)
    log.extend(list(waiting.derivation.steps))
    holding_game = relocation_option("holding")
    holding = holding_game.solve(time_budget=time_budget)
    e_min = 1 - x_star / x0
    log.add(
        "case",
        "Region x0 >= x*: without prevention the lead firm relocates at once; the MSE holds it only with "
        "e >= e_min (engine, KKT on the holding game)",
        x0 >= x_star,
        sp.Eq(sp.Symbol("e_min"), e_min),
        note=holding.message,
    )
    log.extend(list(holding.derivation.steps))
    gives_up: list[sp.Boolean] = []
    for eq in holding.equilibria:
        # A corner at e_min pays -c e_min^2/2 < 0 = the payoff of giving up (e = 0).
        value = sp.simplify(eq.payoffs["MSE"])
        worse = Assumptions((x0 > x_star,)).decide(value < 0)
        if sp.simplify(eq[holding_game.actions[0]] - e_min) == 0 and worse:
            gives_up.append(eq.conditions)
            log.add("compare", "Holding at the corner e_min pays less than giving up (e = 0, payoff 0)", value < 0)
    bound = c * e_min**2 / 2 >= m / r
    log.add(
        "compare",
        "Holding pays less than m/r - c e_min^2/2 (the relation is worth at most m/r): if that is not positive "
        "the MSE gives up",
        bound,
    )
    gives_up.append(bound)
    region = sp.And(x0 >= x_star, sp.Or(*gives_up))
    equilibrium = Equilibrium(
        {e: sp.Integer(0)},
        {"MSE": sp.Integer(0)},
        region,
        "KKT case enumeration (symbolic) per regime + comparison with giving up",
        derivation=log.freeze(),
        case="the MSE gives up: the lead firm relocates at once",
        optimality={
            "MSE": "global: e > 0 below e_min costs c e^2/2 and changes nothing; holding (e >= e_min) pays less "
            "than 0 in this region"
        },
        game=game,
        outcomes={"lead firm relocates at once": sp.Integer(1)},
    )
    log.add("result", "Closed-form region: the MSE gives up and the lead firm relocates at once", region)
    message = (
        "the interior optima (region x0 < x*, and holding the lead firm where x0 >= x*) have no closed form: "
        "solve_at(values) finds them (a global maximisation over [0, 1) on the piecewise payoff)"
    )
    return Solution(game, [equilibrium], equilibrium.method, False, message, log.freeze())


def option_values(r: float, mu: float, sigma: float, I: float, delta: float) -> dict[str, float]:  # noqa: E741
    """``beta`` and ``x_star`` of the RO model from the primitives (numbers)."""
    option = relocation_trigger(r=r, mu=mu, sigma=sigma, I=I, premium=delta)
    return {"beta": float(option.beta), "x_star": float(option.trigger)}


def trigger_formula() -> tuple[sp.Expr, sp.Expr]:
    """``(x*, beta)`` as sympy expressions of ``(r, mu, sigma, I, delta)``."""
    r, sigma, I, delta = parameters(  # noqa: E741
        "r sigma I delta",
        positive=True,
        description=[
            "discount rate",
            "volatility of the disruption cost flow",
            "sunk cost of relocating",
            "cost premium flow at the new location",
        ],
    )
    mu = parameters("mu", domain="(-1, 1)", description="drift of the disruption cost flow")
    option = relocation_trigger(r=r, mu=mu, sigma=sigma, I=I, premium=delta)
    return option.trigger, option.beta


@dataclass(frozen=True)
class FOCSystem:
    """RO's first-order condition as a system ``F(x; theta) = 0`` for implicit statics.

    Attributes
    ----------
    equations : tuple of sympy expressions
        ``F_i`` (meaning ``F_i = 0``): the MSE's first-order condition.
    variables : tuple of symbols
        The endogenous variables, one per equation: ``(e,)``, with its domain.
    parameters : tuple of symbols
        Every parameter the equations depend on (each carries its domain).
    domains : dict
        Symbol -> sympy set, for the variables and the parameters.
    assumptions : Assumptions
        The region's relations (e.g. ``x0 < x_star``); with the domains, the admissible set.
    jacobian : sympy Matrix
        ``D_x F``; here the payoff's second derivative in ``e``, negative on the whole domain
        (``jacobian_sign``), so the implicit function theorem applies at every solution.
    jacobian_sign : Sign
        The sign of ``D_x F`` proved by the assumptions engine (``NEGATIVE`` here).
    region : str
        In words.
    substitutions : dict
        With ``primitives=True``: ``beta`` and ``x_star`` as functions of ``(r, mu, sigma, I, delta)``.
    """

    equations: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    parameters: tuple[sp.Symbol, ...]
    domains: Mapping[sp.Symbol, sp.Set]
    assumptions: Assumptions
    jacobian: sp.Matrix
    jacobian_sign: Any
    region: str
    substitutions: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)  # symbol name -> words, for hypotheses


def foc_system(regime: str = "waiting", *, primitives: bool = False) -> FOCSystem:
    """RO's first-order condition, unknowns, parameters, domains and region, for implicit statics.

    Parameters
    ----------
    regime : {"waiting", "holding"}
        ``"waiting"``: region ``x0 < x*``; ``"holding"``: the MSE holding the lead firm where
        ``x0 >= x*`` (interior ``e`` above ``1 - x*/x0``). Both FOCs read
        ``m beta (x0 (1 - e)/x*)^beta/(r (1 - e)) - c e = 0``.
    primitives : bool
        Replace ``beta`` and ``x_star`` by their closed forms in ``(r, mu, sigma, I, delta)``
        (:func:`trigger_formula`), so that statics in ``sigma`` etc. differentiate through them.

    Returns
    -------
    FOCSystem

    Examples
    --------
    >>> from gvcgames.models.relocation_option import foc_system
    >>> system = foc_system()
    >>> [s.name for s in system.parameters], system.jacobian_sign.name
    (['beta', 'c', 'm', 'r', 'x0', 'x_star'], 'NEGATIVE')
    >>> system.assumptions.relations
    (x0 < x_star,)
    """
    from gvcgames.errors import InvalidSpecError
    from gvcgames.statics.implicit import first_order_conditions

    if regime not in ("waiting", "holding"):
        raise InvalidSpecError(f"regime must be 'waiting' or 'holding' (the smooth regimes), got {regime!r}")
    game = relocation_option(regime)
    focs, variables = first_order_conditions(game)
    relations = list(game.assumptions.relations)
    e = variables[0]
    # D_e F = pi_S''(e) < 0 on the whole box: prove it with u = 1 - e > 0 (every regime has
    # e < 1) and beta > 1, x* > 0 from the domains; writing beta and x* in the primitives keeps
    # it (they map into those domains whenever r > mu).
    u = sp.Dummy("u", positive=True)
    jacobian_sign = Assumptions().sign(sp.simplify(sp.diff(focs[0], e).subs(e, 1 - u)))
    substitutions: dict[sp.Symbol, sp.Expr] = {}
    if primitives:
        x_star_expr, beta_expr = trigger_formula()
        substitutions = {game.symbol("beta"): beta_expr, game.symbol("x_star"): x_star_expr}
        focs = tuple(f.subs(substitutions) for f in focs)
        relations = [rel.subs(substitutions) for rel in relations]
        r_ = next(s for s in x_star_expr.free_symbols if s.name == "r")
        mu_ = next(s for s in x_star_expr.free_symbols if s.name == "mu")
        relations.append(r_ > mu_)
    params = tuple(sorted(set().union(*(f.free_symbols for f in focs)) - set(variables), key=lambda s: s.name))
    assumptions = Assumptions(tuple(relations))
    jacobian = sp.Matrix(focs).jacobian(list(variables))
    domains = {s: s.domain for s in (*variables, *params)}
    region = (
        "x0 < x*: the lead firm waits whatever the MSE does"
        if regime == "waiting"
        else "x0 >= x*: the MSE holds the lead firm with e > 1 - x*/x0"
    )
    # Descriptions are labels, not identity: sympy may hand back an equal symbol without them, so say them here.
    x_star_expr, _ = trigger_formula()
    described = {s.name: s.description for s in (*game.parameters, *game.actions, *x_star_expr.free_symbols)}
    descriptions = {s.name: described.get(s.name, "") for s in (*variables, *params) if described.get(s.name)}
    return FOCSystem(
        tuple(focs),
        tuple(variables),
        params,
        domains,
        assumptions,
        jacobian,
        jacobian_sign,
        region,
        substitutions,
        descriptions,
    )


def statics_systems() -> list[tuple[FOCSystem, tuple[str, ...] | None]]:
    """The first-order systems behind RO's comparative statics, each with the parameters it answers for.

    RO's interior optimum has no closed form, so its statics come from the implicit function
    theorem (:func:`gvcgames.statics.implicit_statics_results`): in ``(beta, x*, c, m, r, x0)``
    from the FOC as written, and in the primitives ``(sigma, mu, I, delta)`` through the
    closed-form trigger and root (``de*/dsigma`` in DOMAIN.md's catalogue).
    """
    return [(foc_system(), None), (foc_system(primitives=True), ("sigma", "mu", "I", "delta"))]
