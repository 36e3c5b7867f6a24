"""Property-based checking of equilibria for users' own models (hypothesis).

Strategies
----------
``admissible_parameters(game)``
    ``{name: float}`` draws inside the admissible set: every domain and assumption holds.
    Relations of the forms ``x > y`` and ``x < y`` are sampled *conditionally*
    (``x = y + t``, ``x = y t/(1 + t)`` with a drawn ``t``), the same maps the sign proofs
    use, so tight assumptions do not starve rejection sampling. Keys are parameter
    names, so a failing example prints as a dict you can paste back.
``regions(solution)``
    Draws inside the region of a reported equilibrium: ``(equilibrium, values)``.
``finite_games(shape)``, ``quadratic_games(n_players)``
    Random games for users testing their own algorithms.

Assertions
----------
``assert_equilibrium``, ``assert_symbolic_matches_numeric``, ``assert_sign``: each fails
with a message naming the player, the deviation and the gain, or the numbers that differ.

Examples
--------
>>> import gvcgames as gg
>>> from hypothesis import given, settings
>>> from gvcgames.testing import admissible_parameters, assert_equilibrium
>>> game = gg.models.cournot()
>>> solution = game.solve()
>>> @settings(max_examples=5, deadline=None)
... @given(admissible_parameters(game))
... def test_cournot(values):
...     for eq in solution.at(values):
...         assert_equilibrium(game, eq, values)
>>> test_cournot()
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from gvcgames.errors import InvalidSpecError
from gvcgames.results import Solution
from gvcgames.solve.verify import EquilibriumCheck, is_equilibrium
from gvcgames.spec.finite import NormalFormGame
from gvcgames.spec.games import ContinuousGame
from gvcgames.spec.symbols import actions as make_actions

PROFILES = {
    "gvcgames-quick": {"max_examples": 15, "deadline": None, "suppress_health_check": [HealthCheck.too_slow]},
    "gvcgames-thorough": {"max_examples": 100, "deadline": None, "suppress_health_check": [HealthCheck.too_slow]},
}


def register_profiles() -> None:
    """Register the hypothesis profiles ``gvcgames-quick`` (local runs) and ``gvcgames-thorough`` (CI)."""
    for name, options in PROFILES.items():
        settings.register_profile(name, **options)


def _window(param: sp.Symbol, span: float, bounds: Mapping[str, tuple[float, float]]) -> tuple:
    """A finite interval to draw ``param`` from (half-lines are cut at ``span``)."""
    if param.name in bounds:
        lo, hi = (float(v) for v in bounds[param.name])
        return lo, hi
    domain = param.domain
    lo, hi = domain.inf, domain.sup
    if not (lo.is_comparable or lo == -sp.oo) or not (hi.is_comparable or hi == sp.oo):
        raise InvalidSpecError(f"the domain {domain} of {param} has symbolic ends; pass bounds={{'{param}': (lo, hi)}}")
    if lo == -sp.oo and hi == sp.oo:
        raise InvalidSpecError(
            f"parameter {param} ranges over the whole real line; a bounded draw needs bounds: "
            f"pass bounds={{'{param}': (lo, hi)}} or declare a domain"
        )
    lo_f = float(lo) if lo != -sp.oo else float(hi) - span
    hi_f = float(hi) if hi != sp.oo else lo_f + span
    return lo_f, hi_f  # open ends are kept at a distance when drawing (see _Sampler.build)


class _Sampler:
    """Conditional sampling of admissible points.

    Each parameter gets a window from its domain; a relation ``x > expr`` or ``x < expr``
    whose other side uses only parameters drawn earlier narrows ``x``'s window at draw
    time (``x`` is drawn from ``(max(lo, expr), hi)``), so tight assumptions cost nothing.
    Relations of other shapes are enforced by rejection.
    """

    def __init__(self, game: Any, span: float, margin: float, bounds: Mapping[str, tuple[float, float]]):
        self.params = list(game.parameters)
        self.relations = game.assumptions.relations
        self.margin = margin
        self.windows = {p: _window(p, span, bounds) for p in self.params}
        self.lower: dict[sp.Symbol, list[sp.Expr]] = {p: [] for p in self.params}
        self.upper: dict[sp.Symbol, list[sp.Expr]] = {p: [] for p in self.params}
        depends: dict[sp.Symbol, set[sp.Symbol]] = {p: set() for p in self.params}
        for rel in self.relations:
            bound = self._as_bound(rel, depends)
            if bound is not None:
                sym, side, expr = bound
                (self.lower if side == "lower" else self.upper)[sym].append(expr)
                depends[sym] |= expr.free_symbols
        self.order = self._order(depends)

    def _as_bound(self, rel: Any, depends: dict) -> tuple[sp.Symbol, str, sp.Expr] | None:
        if isinstance(rel, (sp.Eq, sp.Ne)):
            return None
        big, small = (rel.lhs, rel.rhs) if isinstance(rel, (sp.Gt, sp.Ge)) else (rel.rhs, rel.lhs)
        for sym, side, other in ((big, "lower", small), (small, "upper", big)):
            if sym in depends and sym not in other.free_symbols and not self._reaches(other.free_symbols, sym, depends):
                return sym, side, other
        return None

    @staticmethod
    def _reaches(start: set, target: sp.Symbol, depends: dict) -> bool:
        seen, todo = set(), list(start)
        while todo:
            s = todo.pop()
            if s == target:
                return True
            if s not in seen:
                seen.add(s)
                todo += list(depends.get(s, ()))
        return False

    def _order(self, depends: dict) -> list[sp.Symbol]:
        order: list[sp.Symbol] = []
        remaining = sorted(self.params, key=str)
        while remaining:
            ready = [p for p in remaining if depends[p] <= set(order)]
            order += ready
            remaining = [p for p in remaining if p not in ready]
        return order

    def build(self, unit: Mapping[sp.Symbol, float]) -> dict[str, float] | None:
        """Map draws in [0, 1] to an admissible point, or ``None``."""
        values: dict[sp.Symbol, float] = {}
        for p in self.order:
            lo, hi = self.windows[p]
            lo = max([lo, *(float(e.subs(values)) for e in self.lower[p])])
            hi = min([hi, *(float(e.subs(values)) for e in self.upper[p])])
            if not hi > lo:
                return None
            pad = self.margin * min(1.0, hi - lo)  # away from the ends: no slope of 1e-300
            values[p] = lo + pad + unit[p] * (hi - lo - 2 * pad)
        for p, v in values.items():
            if not math.isfinite(v) or p.domain.contains(sp.Float(v)) is not sp.true:
                return None
        for rel in self.relations:
            if rel.subs(values) is not sp.true:
                return None
        return {p.name: v for p, v in values.items()}

    def looks_empty(self, tries: int = 2000, seed: int = 0) -> bool:
        rng = np.random.default_rng(seed)
        return all(self.build({p: float(rng.uniform()) for p in self.params}) is None for _ in range(tries))


def admissible_parameters(
    game: Any,
    *,
    span: float = 10.0,
    margin: float = 1e-2,
    bounds: Mapping[str, tuple[float, float]] | None = None,
) -> st.SearchStrategy[dict[str, float]]:
    """Hypothesis strategy of ``{parameter name: float}`` inside the admissible set.

    Parameters
    ----------
    game : any game of gvcgames
        Supplies the parameters, their domains and the assumptions.
    span : float
        Width of the window used for half-bounded domains (``(0, oo)`` -> ``(0, span)``).
    margin : float
        Distance kept from open ends, relative to the width (avoids draws such as a
        slope of 1e-300).
    bounds : mapping, optional
        ``{name: (lo, hi)}`` windows that override the domains (needed for parameters
        on the whole real line).

    Raises
    ------
    InvalidSpecError
        If no admissible point turns up in 2000 random draws (the assumptions look
        contradictory), or a parameter needs bounds.
    """
    sampler = _Sampler(game, span, margin, dict(bounds or {}))
    if sampler.looks_empty():
        raise InvalidSpecError(
            f"no admissible parameter point found in 2000 draws: the assumptions "
            f"{[sp.sstr(r) for r in sampler.relations]} look contradictory with the domains "
            f"{ {p.name: str(p.domain) for p in sampler.params} } (or the admissible set is tiny: pass bounds=...)"
        )
    draws = {p: st.floats(0, 1) for p in sampler.params}  # shrinks towards the lower end of each window
    return st.fixed_dictionaries(draws).map(sampler.build).filter(lambda v: v is not None)  # type: ignore[arg-type]


def regions(solution: Solution, **kwargs: Any) -> st.SearchStrategy[tuple[Any, dict[str, float]]]:
    """Draws ``(equilibrium, values)`` with ``values`` inside that equilibrium's region."""
    if not solution.equilibria:
        raise InvalidSpecError("the solution has no equilibria to draw regions from")
    base = admissible_parameters(solution.game, **kwargs)
    return st.sampled_from(solution.equilibria).flatmap(
        lambda eq: base.filter(lambda v: bool(eq.holds_at(v))).map(lambda v: (eq, v))
    )


def finite_games(
    shape: tuple[int, ...] = (2, 2), payoffs: str = "int", low: int = -9, high: int = 9
) -> st.SearchStrategy[NormalFormGame]:
    """Random numeric finite games of a given shape; payoffs ``"int"``, ``"rational"`` or ``"float"``."""
    if payoffs not in ("int", "rational", "float"):
        raise InvalidSpecError(f"payoffs must be 'int', 'rational' or 'float', got {payoffs!r}")
    n = len(shape)
    cells = int(np.prod(shape)) * n
    number = {
        "int": st.integers(low, high),
        "rational": st.fractions(low, high, max_denominator=12).map(lambda f: sp.Rational(f.numerator, f.denominator)),
        "float": st.floats(low, high, allow_nan=False, allow_infinity=False),
    }[payoffs]

    def build(flat: list[Any]) -> NormalFormGame:
        players = [f"p{i + 1}" for i in range(n)]
        labels = [[f"a{k}" for k in range(m)] for m in shape]
        table = {}
        for idx, prof in enumerate(np.ndindex(*shape)):
            key = tuple(labels[i][a] for i, a in enumerate(prof))
            table[key] = tuple(flat[idx * n : idx * n + n])
        return NormalFormGame(players, labels, table)

    return st.lists(number, min_size=cells, max_size=cells).map(build)


def quadratic_games(n_players: int = 2) -> st.SearchStrategy[ContinuousGame]:
    """Random continuous games with payoffs strictly concave and quadratic in own actions.

    ``u_i = a_i x_i - b_i x_i^2 / 2 + x_i sum_j c_ij x_j`` with actions on the real line and
    ``b_i > n max |c_ij|`` (diagonal dominance: a unique interior equilibrium).
    """
    coef = st.integers(-3, 3)

    def build(draw: tuple[list[int], list[int]]) -> ContinuousGame:
        linear, cross = draw
        xs = make_actions(" ".join(f"x{i + 1}" for i in range(n_players)) + ("," if n_players == 1 else ""))
        players = {}
        for i, x in enumerate(xs):
            spill = sum(sp.Integer(cross[i * n_players + j]) * xs[j] for j in range(n_players) if j != i)
            b = 2 * n_players * 3 + 1
            players[f"p{i + 1}"] = (x, sp.Integer(linear[i]) * x - sp.Rational(b, 2) * x**2 + x * spill)
        return ContinuousGame(players)

    return st.tuples(
        st.lists(coef, min_size=n_players, max_size=n_players),
        st.lists(coef, min_size=n_players**2, max_size=n_players**2),
    ).map(build)


def assert_equilibrium(game: Any, profile: Any, values: Mapping[Any, Any], **kwargs: Any) -> EquilibriumCheck:
    """Fail with the player, the deviation and the gain if ``profile`` is not an equilibrium."""
    check = is_equilibrium(game, profile, values, **kwargs)
    if not check:
        point = {str(k): v for k, v in values.items()}
        raise AssertionError(f"not an equilibrium at {point}:\n{check}")
    return check


def assert_symbolic_matches_numeric(eq: Any, values: Mapping[Any, Any], tol: float = 1e-8) -> None:
    """Fail unless the symbolic equilibrium agrees with an independent numeric solve.

    Continuous games: a numeric KKT point (natural map + scipy root) started near the
    symbolic one must coincide with it; finite two-player games: the numeric profile must
    be among nashpy's equilibria of the game at these values.
    """
    point = {str(k): v for k, v in values.items()}
    game = eq.game
    if isinstance(game, ContinuousGame):
        from gvcgames.solve.numeric import kkt_point

        symbolic = eq.at(values)
        found = kkt_point(game, values, starts=[symbolic])
        if not found.converged:
            raise AssertionError(f"at {point} the numeric solve did not converge: {found.message}")
        diffs = {str(a): (x, found[a]) for a, x in symbolic.items() if abs(found[a] - x) > tol * (1 + abs(x))}
        if diffs:
            raise AssertionError(f"at {point} symbolic and numeric equilibria differ (symbolic, numeric): {diffs}")
        return
    if isinstance(game, NormalFormGame) and len(game.players) == 2:
        import warnings

        import nashpy

        A, B = game.at(values).numeric()
        ours = eq.at(values)
        x, y = (np.array(list(ours[p].values())) for p in game.players)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = list(nashpy.Game(A, B).vertex_enumeration())
        if not any(np.allclose(x, a, atol=tol) and np.allclose(y, b, atol=tol) for a, b in theirs):
            raise AssertionError(f"at {point} nashpy's equilibria {theirs} do not include ({x}, {y})")
        return
    raise InvalidSpecError(f"assert_symbolic_matches_numeric does not support {type(game).__name__} yet")


def assert_sign(result: Any, values: Mapping[Any, Any], rel_step: float = 1e-6) -> None:
    """Fail unless a comparative-statics result's sign holds at ``values``.

    ``result`` needs ``derivative`` (a sympy expression) and ``sign`` (``"+"``, ``"-"``,
    ``"0"`` or a Sign); the derivative is evaluated at the values and its sign compared.
    """
    derivative = sp.sympify(result.derivative)
    subs = {s: values[s.name] if s.name in values else values.get(s) for s in derivative.free_symbols}
    missing = [str(s) for s, v in subs.items() if v is None]
    if missing:
        raise AssertionError(f"values for {missing} are needed to evaluate {derivative}")
    number = float(derivative.subs(subs))
    claimed = _sign_text(result.sign)
    point = {str(k): v for k, v in values.items()}
    ok = {
        "+": number > 0,
        "-": number < 0,
        "0": abs(number) <= rel_step,
        ">=0": number >= -rel_step,
        "<=0": number <= rel_step,
    }.get(claimed)
    if ok is None:
        raise AssertionError(f"the result claims no definite sign ({result.sign}); nothing to assert at {point}")
    if not ok:
        raise AssertionError(f"claimed sign {claimed} but the derivative {derivative} is {number:.6g} at {point}")


def _sign_text(sign: Any) -> str:
    text = getattr(sign, "value", sign)
    return {"> 0": "+", "< 0": "-", "= 0": "0", ">= 0": ">=0", "<= 0": "<=0", "positive": "+", "negative": "-"}.get(
        str(text), str(text)
    )


__all__ = [
    "PROFILES",
    "admissible_parameters",
    "assert_equilibrium",
    "assert_sign",
    "assert_symbolic_matches_numeric",
    "finite_games",
    "quadratic_games",
    "regions",
    "register_profiles",
]
