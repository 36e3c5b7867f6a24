r"""Leader/follower investment duopoly with preemption.

Definition
----------
Two identical firms may each invest the sunk cost :math:`I` in one unit of capacity. A demand
shock :math:`Y` follows :math:`dY = \mu Y\,dt + \sigma Y\,dW` with :math:`r > \mu`; an active
firm earns :math:`Y D_N` per unit of time when :math:`N` firms are active, with
:math:`D_1 \ge D_2 \ge 0` (a first-mover advantage). Write :math:`\beta > 1` for the
positive root of :math:`\tfrac12\sigma^2 b(b-1) + \mu b - r = 0`.

* **Follower.** Once the leader is in, the follower faces the basic stopping problem with
  payoff :math:`D_2 Y/(r-\mu) - I`, so it invests at

  .. math:: Y_F = \frac{\beta}{\beta - 1}\,\frac{(r-\mu) I}{D_2},

  and is worth :math:`F(Y) = \big(D_2 Y_F/(r-\mu) - I\big)(Y/Y_F)^\beta` for :math:`Y < Y_F`.
* **Leader.** Investing now at :math:`Y < Y_F` gives :math:`D_1 Y` until :math:`Y` reaches
  :math:`Y_F` and :math:`D_2 Y` afterwards; with the expected discount factor
  :math:`(Y/Y_F)^\beta` of that first passage,

  .. math:: L(Y) = \frac{D_1 Y}{r-\mu} - I - \frac{(D_1 - D_2) Y_F}{r-\mu}\Big(\frac{Y}{Y_F}\Big)^\beta .

* **Preemption point** :math:`Y_P`: the smallest :math:`Y` with :math:`L(Y) = F(Y)`. On
  :math:`(0, Y_F)`, :math:`L - F` is concave, equals :math:`-I` at 0 and 0 at :math:`Y_F`
  with negative slope there (when :math:`D_1 > D_2`), so :math:`Y_P` is unique; no closed
  form, found with scipy's ``brentq``. Rent equalisation makes the leader invest at
  :math:`Y_P`, before the stand-alone (Stackelberg) leader trigger
  :math:`Y_L = \frac{\beta}{\beta-1}(r-\mu) I/D_1`: :math:`Y_P < Y_L < Y_F`.

Equilibrium (Fudenberg and Tirole 1985; Huisman 2001, ch. 7): from :math:`Y_0 < Y_P` one
firm invests when :math:`Y` first reaches :math:`Y_P` and the other at :math:`Y_F`; from
:math:`Y_P \le Y_0 < Y_F` one firm invests at once (who leads is settled by mixed
strategies, with a chance of simultaneous investment by mistake); from :math:`Y_0 \ge Y_F`
both invest at once. Joint-investment equilibria that can exist when the first-mover
advantage is small are not computed here.

References
----------
Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 9.

Fudenberg, D. and Tirole, J. (1985). Preemption and rent equalization in the adoption of
new technology. *Review of Economic Studies* 52(3), 383-401.

Huisman, K. J. M. (2001). *Technology Investment: A Game Theoretic Real Options Approach*.
Kluwer, ch. 7.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sympy as sp
from scipy import optimize

from gvcgames.display import SummaryDisplay, finish_summary
from gvcgames.errors import InvalidValuesError
from gvcgames.options._display import fmt, tex
from gvcgames.options._inputs import as_input, combine, is_numeric, is_zero, no_hazard, out, require, show
from gvcgames.options.errors import InfiniteOptionValueError
from gvcgames.options.process import GBM
from gvcgames.options.stopping import optimal_stopping
from gvcgames.results import Derivation, DerivationLog

_Y = sp.Symbol("Y", positive=True)
_r, _sigma, _I, _d1 = sp.symbols("r sigma I D_1", positive=True)
_d2 = sp.Symbol("D_2", positive=True)
_mu = sp.Symbol("mu", real=True)
_yf = sp.Symbol("Y_F", positive=True)
_beta = sp.Symbol("beta", positive=True)


@dataclass(frozen=True)
class PreemptionResult(SummaryDisplay):
    """Triggers of the leader/follower investment duopoly.

    Attributes
    ----------
    follower : float or sympy expression
        :math:`Y_F`, closed form (``inf`` when ``D2 = 0``: the follower never invests).
    leader : float or sympy expression
        :math:`Y_L`, the leader's trigger if it could not be preempted (Stackelberg).
    preemption : float or None
        :math:`Y_P`, where leader and follower values are equal (``None`` for symbolic input).
    beta : float or sympy expression
    leader_formula, follower_formula : sympy expressions
        :math:`L(Y)` and :math:`F(Y)` for :math:`Y < Y_F`, in the symbol ``Y``.
    conditions : sympy Boolean
        Undecided requirements on symbolic inputs.
    method, converged, message, derivation
        As in every gvcgames result.
    """

    follower: Any
    leader: Any
    preemption: Any
    beta: Any
    leader_formula: sp.Expr
    follower_formula: sp.Expr
    has_follower_trigger: bool
    conditions: sp.Boolean
    method: str
    converged: bool = True
    message: str = ""
    derivation: Derivation = field(default_factory=Derivation)

    def leader_value(self, y: Any) -> Any:
        """Value of investing first at ``y`` (the follower reacting optimally)."""
        return self._value(self.leader_formula, y)

    def follower_value(self, y: Any) -> Any:
        """Value of the firm that waits for ``Y_F`` once the other has invested at ``y``."""
        return self._value(self.follower_formula, y)

    def _value(self, formula: sp.Expr, y: Any) -> Any:
        y_ = sp.sympify(y)
        if self.has_follower_trigger and y_.is_number and isinstance(self.follower, float) and y >= self.follower:
            formula = self._both_in
        return out(formula.subs(_Y, y_))

    @property
    def _both_in(self) -> sp.Expr:
        # Beyond Y_F both firms are in: both formulas meet at D2 Y/(r - mu) - I.
        step = self.derivation.of_kind("both_in")
        return step[0].math[0].rhs if step else sp.Integer(0)

    def region(self, y0: float) -> str:
        """What happens from the initial state ``y0`` (needs numbers)."""
        if self.preemption is None:
            raise InvalidValuesError("the equilibrium regions need numbers for every parameter")
        if self.has_follower_trigger and y0 >= self.follower:
            return "both firms invest at once"
        if y0 >= self.preemption:
            return "one firm invests at once (mixed strategies decide which); the other invests at Y_F"
        return "the leader invests when Y first reaches Y_P, the follower when it reaches Y_F"

    def summary(self, derivation: bool = False) -> str:
        """Readable summary; ``derivation=True`` appends every step."""
        lines = [
            f"Preemption duopoly: Y_P = {fmt(self.preemption)}, Y_L = {fmt(self.leader)}, Y_F = {fmt(self.follower)}",
            f"  method: {self.method}; converged: {self.converged}",
            f"  beta = {fmt(self.beta)}",
            f"  leader value L(Y) = {fmt(self.leader_formula)} for Y < Y_F",
            f"  follower value F(Y) = {fmt(self.follower_formula)} for Y < Y_F",
        ]
        if self.conditions is not sp.true:
            lines.append(f"  holds if: {fmt(self.conditions)}")
        return finish_summary(lines, self.message, self.derivation if derivation else None)

    def to_latex(self) -> str:
        """The derivation and the three triggers as a LaTeX fragment."""
        body = (
            "\\begin{align*}\n"
            f"Y_P &= {tex(self.preemption)} \\\\\nY_L &= {tex(self.leader)} \\\\\nY_F &= {tex(self.follower)}\n"
            "\\end{align*}"
        )
        return self.derivation.to_latex() + "\n" + body

    def _repr_latex_(self) -> str:
        return f"$Y_P = {tex(self.preemption)},\\ Y_L = {tex(self.leader)},\\ Y_F = {tex(self.follower)}$"


def _leader_minus_follower(d1: float, growth: float, cost: float, yf: float, beta: float) -> Any:
    """``L(Y) - F(Y) = D1 Y/(r - mu) - I - (D1 Y_F/(r - mu) - I) (Y/Y_F)^beta`` for ``0 < Y <= Y_F``.

    The power is taken as ``exp(beta log(Y/Y_F))``, which underflows to 0 instead of forming
    ``inf * 0`` (NaN) when beta is huge (tiny volatility).
    """
    k = d1 * yf / growth - cost

    def diff(y: float) -> float:
        ratio = math.exp(beta * math.log(y / yf)) if y > 0 else 0.0
        return d1 * y / growth - cost - k * ratio

    return diff


@lru_cache(maxsize=1)
def _generic() -> tuple[Any, sp.Expr, sp.Expr, sp.Expr]:
    follower = optimal_stopping(_d2 * _Y / (_r - _mu) - _I, _Y, GBM(_mu, _sigma), _r, title="Follower")
    beta = follower.beta
    f_value = (_d2 * _yf / (_r - _mu) - _I) * (_Y / _yf) ** _beta
    l_value = _d1 * _Y / (_r - _mu) - _I - (_d1 - _d2) * _yf / (_r - _mu) * (_Y / _yf) ** _beta
    return follower, beta, l_value, f_value


def preemption_duopoly(
    r: Any,
    mu: Any,
    sigma: Any,
    I: Any,  # noqa: E741
    D1: Any,
    D2: Any,
    *,
    hazard: Any = None,
) -> PreemptionResult:
    """Leader and follower triggers and the preemption point (Dixit-Pindyck ch. 9).

    Parameters
    ----------
    r : float or sympy expression
        Discount rate, above ``mu``.
    mu, sigma : float or sympy expression
        Drift and volatility of the demand shock ``Y`` (a GBM).
    I : float or sympy expression
        Sunk cost of investing, positive.
    D1, D2 : float or sympy expression
        Profit per unit of ``Y`` of a monopolist (``D1 > 0``) and of each duopolist
        (``0 <= D2 <= D1``).
    hazard : None
        Not supported (a Poisson hazard is implemented for single triggers only); anything but
        ``None`` or ``0`` raises :class:`~gvcgames.errors.InvalidSpecError`.

    Returns
    -------
    PreemptionResult
        ``.follower`` (:math:`Y_F`, closed form), ``.leader`` (:math:`Y_L`),
        ``.preemption`` (:math:`Y_P`, numeric; ``None`` for symbolic input).

    Raises
    ------
    InvalidValuesError
        ``sigma <= 0``, ``r <= 0``, ``I <= 0``, ``D1 <= 0``, ``D2 < 0`` or ``D2 > D1``.
    InfiniteOptionValueError
        ``r <= mu``.
    InvalidSpecError
        A hazard is passed.

    Examples
    --------
    >>> from gvcgames.options import preemption_duopoly
    >>> res = preemption_duopoly(r=0.04, mu=0.0, sigma=0.2, I=10.0, D1=1.0, D2=0.5)
    >>> round(res.follower, 10), round(res.leader, 10)
    (1.6, 0.8)
    >>> res.preemption < res.leader < res.follower
    True
    >>> abs(res.leader_value(res.preemption) - res.follower_value(res.preemption)) < 1e-9
    True

    References
    ----------
    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 9.

    Huisman, K. J. M. (2001). *Technology Investment: A Game Theoretic Real Options
    Approach*, ch. 7.
    """
    no_hazard(hazard, "preemption_duopoly")
    rv, mv, sv, iv, d1, d2 = (
        as_input(n, v) for n, v in (("r", r), ("mu", mu), ("sigma", sigma), ("I", I), ("D1", D1), ("D2", D2))
    )
    numeric = is_numeric(rv, mv, sv, iv, d1, d2)
    conds = [
        require(sv > 0, f"volatility sigma must be positive, got sigma = {show(sv)}", numeric=numeric),
        require(rv > 0, f"the discount rate r must be positive, got r = {show(rv)}", numeric=numeric),
        require(
            rv > mv,
            f"the option value is infinite: Y grows at mu = {show(mv)}, not below the discount rate r = {show(rv)} "
            "(need r > mu)",
            numeric=numeric,
            error=InfiniteOptionValueError,
        ),
        require(iv > 0, f"the sunk cost I must be positive, got I = {show(iv)}", numeric=numeric),
        require(d1 > 0, f"the monopoly profit factor D1 must be positive, got D1 = {show(d1)}", numeric=numeric),
        require(d2 >= 0, f"the duopoly profit factor D2 must be nonnegative, got D2 = {show(d2)}", numeric=numeric),
        require(
            d1 >= d2,
            f"D1 = {show(d1)} must be at least D2 = {show(d2)}: a monopolist earns at least what a duopolist earns",
            numeric=numeric,
        ),
    ]
    follower, beta_g, l_value, f_value = _generic()
    log = DerivationLog()
    log.add(
        "model",
        "Demand shock Y follows a GBM; an active firm earns Y*D_N with N active firms; investing costs I",
        GBM(_mu, _sigma).sde(_Y),
    )
    log.extend([s for s in follower.derivation.steps if s.kind != "check"])
    base = {_r: rv, _mu: mv, _sigma: sv, _I: iv, _d1: d1}
    beta = sp.sympify(beta_g).subs(base)
    y_leader = beta / (beta - 1) * (rv - mv) * iv / d1
    if numeric and is_zero(d2):
        l_num = d1 * _Y / (rv - mv) - iv
        y_p = float((rv - mv) * iv / d1)
        log.add("case", "D_2 = 0: the follower never invests (no finite trigger); L(Y) = F(Y) = 0 at the NPV point")
        log.add("both_in", "Both in (never happens)", sp.Eq(sp.Symbol("V"), l_num))
        return PreemptionResult(
            follower=math.inf,
            leader=out(y_leader),
            preemption=y_p,
            beta=out(beta),
            leader_formula=l_num,
            follower_formula=sp.Integer(0),
            has_follower_trigger=False,
            conditions=combine(conds),
            method="closed form (no follower)",
            message="no finite follower trigger: with D2 = 0 a second firm never enters, so the leader is "
            "preempted as soon as investing has positive NPV",
            derivation=log.freeze(),
        )
    values = {**base, _d2: d2}
    y_f = sp.together(sp.sympify(follower.trigger).subs(values))
    log.add(
        "result",
        "Follower trigger (closed form) and follower value before it invests",
        sp.Eq(_yf, follower.formula.subs(values)),
        sp.Eq(sp.Function("F")(_Y), f_value),
    )
    log.add(
        "solve",
        "Leader value: D_1 Y until Y first reaches Y_F, then D_2 Y; the expected discount factor of that "
        "passage is (Y/Y_F)**beta",
        sp.Eq(sp.Function("L")(_Y), l_value),
    )
    log.add(
        "result",
        "Stand-alone leader trigger: the (Y/Y_F)**beta term drops out of smooth pasting",
        sp.Eq(sp.Symbol("Y_L"), _beta / (_beta - 1) * (_r - _mu) * _I / _d1),
    )
    both = _d2 * _Y / (_r - _mu) - _I
    log.add("both_in", "For Y >= Y_F both firms are in", sp.Eq(sp.Symbol("V"), both.subs(values)))
    l_sub = l_value.subs({_yf: y_f, _beta: beta}).subs(values)
    f_sub = f_value.subs({_yf: y_f, _beta: beta}).subs(values)
    if not numeric:
        log.add("note", "The preemption point L(Y_P) = F(Y_P) has no closed form: give numbers to find it")
        return PreemptionResult(
            follower=y_f,
            leader=sp.together(y_leader),
            preemption=None,
            beta=beta,
            leader_formula=l_sub,
            follower_formula=f_sub,
            has_follower_trigger=True,
            conditions=combine(conds),
            method="closed form (follower, leader); preemption needs numbers",
            message="the preemption point needs numbers for every parameter",
            derivation=log.freeze(),
        )
    yf, b = float(y_f), float(beta)
    log.add(
        "substitute",
        "Values",
        *(sp.Eq(k, v) for k, v in values.items()),
        sp.Eq(_beta, b),
        sp.Eq(_yf, yf),
    )
    diff = _leader_minus_follower(float(d1), float(rv - mv), float(iv), yf, b)
    if is_zero(d1 - d2):
        y_p, message = yf, "no first-mover advantage (D1 = D2): L < F below Y_F, so nobody preempts; Y_P = Y_F"
        method = "closed form (no first-mover advantage)"
    else:
        k = (float(d1) - float(d2)) * yf / float(rv - mv) + float(iv) / (b - 1)
        y_max = yf * (float(d1) * yf / (float(rv - mv) * b * k)) ** (1 / (b - 1))
        # L - F < 0 at the NPV point (r - mu) I/D1 (the follower's option is worth something there),
        # so brentq brackets between it and Y_max.
        y_npv = float((rv - mv) * iv / d1)
        y_p = optimize.brentq(diff, y_npv, y_max, xtol=1e-14 * y_npv, rtol=1e-14) if diff(y_npv) < 0 else y_npv
        message = ""
        method = "closed form (follower, leader) + scipy brentq (preemption: L(Y) = F(Y))"
        log.add(
            "numeric",
            "L - F is concave on (0, Y_F), negative at the NPV point (r - mu) I/D_1 and positive at its maximum "
            "Y_max; brentq between them",
            sp.Eq(sp.Symbol("Y_max"), y_max),
            sp.Eq(sp.Symbol("Y_P"), y_p),
        )
    gap = abs(diff(y_p)) / float(iv)
    ok = gap < 1e-9 and y_p <= float(y_leader) + 1e-12 <= yf + 1e-12
    log.add("check", f"abs(L(Y_P) - F(Y_P))/I = {gap:.1e}; Y_P <= Y_L <= Y_F: {'ok' if ok else 'FAILED'}")
    return PreemptionResult(
        follower=yf,
        leader=out(y_leader),
        preemption=float(y_p),
        beta=b,
        leader_formula=l_sub,
        follower_formula=f_sub,
        has_follower_trigger=True,
        conditions=combine(conds),
        method=method,
        converged=ok,
        message=message,
        derivation=log.freeze(),
    )
