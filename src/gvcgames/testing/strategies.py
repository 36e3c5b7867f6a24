"""Hypothesis strategies: admissible parameters, points inside equilibrium regions, random games."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from gvcgames.errors import GvcgamesWarning, InvalidSpecError
from gvcgames.spec.finite import NormalFormGame
from gvcgames.spec.games import ContinuousGame, SequentialGame
from gvcgames.spec.symbols import actions as make_actions
from gvcgames.testing._sampler import ConditionalSampler, EmptyAdmissibleSet, game_parameters

_PILOT = 400  # seeded conditional draws made up front (emptiness check and fallback pool)
_RETRIES = 3  # hypothesis-driven draws tried before falling back on the pool


class SkippedRegionWarning(GvcgamesWarning):
    """``regions()`` left out an equilibrium whose region is empty or of measure zero."""


def _pool(sampler: ConditionalSampler, seed: int, what: str) -> list[dict[str, float]]:
    points, reasons = sampler.pilot(_PILOT, seed)
    tries = _PILOT
    if not points:
        more, reasons = sampler.pilot(10 * _PILOT, seed + 1)
        points, tries = more, tries + 10 * _PILOT
    if not points:
        why = "; ".join(f"{k}: {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])[:4])
        raise EmptyAdmissibleSet(
            f"{what} looks empty: no point in {tries} conditional draws (rejected by {why}); "
            f"relations {[sp.sstr(r) for r in sampler.relations]}, domains {sampler.domains()}; "
            f"draws: {sampler.describe()}. "
            "If the set is just tiny, pass bounds={name: (lo, hi)} around it"
        )
    return points


def _from_sampler(draw: Any, sampler: ConditionalSampler, pool: Sequence[dict[str, float]]) -> dict[str, float]:
    unit = st.floats(-1.0, 1.0, allow_nan=False)
    k = len(sampler.order)
    for _ in range(_RETRIES):
        units = np.array([[draw(unit) for _ in range(k)]]) if k else np.zeros((1, 0))
        values, ok = sampler.draw(units)
        if ok[0]:
            return sampler.point(values)
    return dict(draw(st.sampled_from(pool)))


def admissible_parameters(
    game: Any,
    *,
    span: float = 10.0,
    margin: float = 1e-2,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    seed: int = 0,
) -> st.SearchStrategy[dict[str, float]]:
    """Hypothesis strategy of ``{parameter name: value}`` inside the admissible set.

    Every domain and every assumption of ``game`` holds at each draw. Parameters are drawn
    one at a time from windows conditioned on the parameters drawn before them (linear
    relations are solved for one parameter and eliminated, Fourier-Motzkin style; others
    are handled numerically on a grid), so thin admissible sets are drawn without
    starving rejection sampling. Integer parameters come out as ``int``; domains whose
    ends are other parameters (``B in (0, A)``) are handled. Failing examples shrink
    towards the roundest values in the middle of each window (``5`` in ``(0, 10)``),
    not towards a degenerate end. See :mod:`gvcgames.testing._sampler` for the details.

    Parameters
    ----------
    game : any game of gvcgames
        Supplies the parameters, their domains and the assumptions.
    span : float
        Width of the window on a half-bounded domain (``(0, oo)`` -> ``(0, span)``).
    margin : float
        Distance kept from open ends and relation bounds, relative to the window width
        (at most 1), so no draw is a slope of ``1e-300``.
    bounds : mapping, optional
        ``{name: (lo, hi)}`` windows intersected with the domains (needed for parameters
        on the whole real line).
    seed : int
        Seed of the pilot run (the emptiness check and the fallback pool); hypothesis
        controls the draws themselves.

    Raises
    ------
    InvalidSpecError
        If the admissible set is empty (proved by elimination: the message names the
        relations and the impossible inequality), looks empty (no point in 4400 seeded
        conditional draws: the message names the conditions that rejected them), or a
        parameter needs bounds.

    Examples
    --------
    >>> import gvcgames as gg
    >>> a, b = gg.parameters("a b", domain="(0, 1)")
    >>> q = gg.actions("q", nonnegative=True)
    >>> thin = gg.ContinuousGame({"f": (q, (a + b - q) * q)}, assumptions=[a * b > 0.98])
    >>> draws = admissible_parameters(thin)  # fast: b > 0.98/a, hence a > 0.98, is derived
    >>> empty = gg.ContinuousGame({"f": (q, (a - q) * q)}, assumptions=[a > b + 0.6, b > 0.6])
    >>> admissible_parameters(empty)
    Traceback (most recent call last):
    ...
    gvcgames.testing.EmptyAdmissibleSet: the admissible set is empty: b > 0.6, a > b + 0.6, a in (0, 1) need ...
    """
    params, relations = game_parameters(game)
    sampler = ConditionalSampler(params, relations, span=span, margin=margin, bounds=bounds)
    pool = _pool(sampler, seed, "the admissible set")

    @st.composite
    def admissible(draw: Any) -> dict[str, float]:
        return _from_sampler(draw, sampler, pool)

    return admissible()


class RegionDraw(tuple):  # type: ignore[type-arg]
    """``(equilibrium, values)`` drawn by :func:`regions`; prints as a case and a pasteable dict."""

    __slots__ = ()

    def __new__(cls, equilibrium: Any, values: dict[str, float]) -> RegionDraw:
        return super().__new__(cls, (equilibrium, values))

    @property
    def equilibrium(self) -> Any:
        return self[0]

    @property
    def values(self) -> dict[str, float]:
        return self[1]

    def __repr__(self) -> str:
        case = getattr(self[0], "case", "") or getattr(self[0], "method", "")
        return f"RegionDraw(case={case!r}, values={self[1]!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _equilibria_of(source: Any) -> tuple[list[Any], Any]:
    if hasattr(source, "equilibria") and not hasattr(source, "conditions"):
        eqs = list(source.equilibria)
        game = getattr(source, "game", None)
    elif hasattr(source, "conditions"):
        eqs = [source]
        game = getattr(source, "game", None)
    elif isinstance(source, Sequence) and source and all(hasattr(e, "conditions") for e in source):
        eqs = list(source)
        game = getattr(eqs[0], "game", None)
    else:
        raise InvalidSpecError(
            f"regions() needs a Solution, an Equilibrium or a list of equilibria, got {type(source).__name__}"
        )
    if not eqs:
        raise InvalidSpecError("the solution has no equilibria to draw regions from")
    if game is None:
        game = getattr(eqs[0], "game", None)
    if game is None:
        raise InvalidSpecError("the equilibria do not know their game (Equilibrium.game is None); pass game.solve()")
    return eqs, game


def _disjuncts(cond: Any) -> list[list[Any]]:
    """``cond`` as a list of conjunctions (lists of conditions); Or inside And is expanded if small."""
    cond = sp.sympify(cond)
    if cond is sp.true:
        return [[]]
    if cond is sp.false:
        return []
    parts = cond.args if isinstance(cond, sp.Or) else (cond,)
    out: list[list[Any]] = []
    for part in parts:
        conj = list(part.args) if isinstance(part, sp.And) else [part]
        size = int(np.prod([len(c.args) if isinstance(c, sp.Or) else 1 for c in conj]))
        if size == 1:
            out.append(conj)
        elif size <= 64:
            dnf = sp.to_dnf(sp.And(*conj), simplify=False)
            for d in dnf.args if isinstance(dnf, sp.Or) else (dnf,):
                out.append(list(d.args) if isinstance(d, sp.And) else [d])
        else:
            out.append(conj)  # the Or parts are then enforced by the final check only
    return out


def regions(
    source: Any,
    *,
    span: float = 10.0,
    margin: float = 1e-2,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    seed: int = 0,
) -> st.SearchStrategy[RegionDraw]:
    """Draws ``(equilibrium, values)`` with ``values`` inside that equilibrium's region.

    Each equilibrium's conditions are split into conjunctions (the pieces of its region);
    each piece gets a conditional sampler like :func:`admissible_parameters` (the region's
    inequalities are solved for one parameter where they are linear in it, others are
    checked on a grid), so a thin region is drawn directly instead of filtering random
    points. A draw picks an equilibrium uniformly, then one of its pieces. Conditions are
    evaluated compiled (lambdified), never point by point in sympy.

    Pieces whose conditions contain an equality (measure zero: e.g. ``D*p = Delta + Fbar``)
    or are empty are left out; an equilibrium with no piece left is skipped with a
    :class:`SkippedRegionWarning` that names it and says why.

    Parameters
    ----------
    source : Solution, Equilibrium or list of equilibria
        ``regions(interior)`` draws only inside that equilibrium's region.
    span, margin, bounds, seed
        As for :func:`admissible_parameters`.

    Returns
    -------
    strategy of RegionDraw
        A tuple ``(equilibrium, values)`` that prints as
        ``RegionDraw(case='...', values={...})``, so a falsifying example can be pasted back.

    Raises
    ------
    InvalidSpecError
        No equilibria, or every region empty or of measure zero.
    """
    eqs, game = _equilibria_of(source)
    params, relations = game_parameters(game)
    entries: list[tuple[Any, list[tuple[ConditionalSampler, list[dict[str, float]]]]]] = []
    skipped: list[str] = []
    for eq in eqs:
        pieces: list[tuple[ConditionalSampler, list[dict[str, float]]]] = []
        reasons: list[str] = []
        for conj in _disjuncts(eq.conditions):
            equalities = [c for c in conj if isinstance(c, sp.Eq)]
            if equalities:
                reasons.append(f"{sp.sstr(equalities[0])} has measure zero")
                continue
            try:
                sampler = ConditionalSampler(params, [*relations, *conj], span=span, margin=margin, bounds=bounds)
                pieces.append((sampler, _pool(sampler, seed, "this piece of the region")))
            except EmptyAdmissibleSet as exc:
                reasons.append(str(exc))
        if pieces:
            entries.append((eq, pieces))
        else:
            skipped.append(f"{getattr(eq, 'case', '') or eq!r}: {'; '.join(reasons) or 'its region is False'}")
    if skipped:
        warnings.warn(
            f"regions() skips {len(skipped)} equilibria whose region is empty or of measure zero: "
            + " | ".join(skipped),
            SkippedRegionWarning,
            stacklevel=2,
        )
    if not entries:
        raise EmptyAdmissibleSet(f"no equilibrium has a region to draw from: {' | '.join(skipped)}")

    @st.composite
    def inside(draw: Any) -> RegionDraw:
        eq, pieces = draw(st.sampled_from(entries))
        sampler, pool = draw(st.sampled_from(pieces))
        return RegionDraw(eq, _from_sampler(draw, sampler, pool))

    return inside()


# --- random games -------------------------------------------------------------------------------


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


def _quadratic_payoffs(xs: Sequence[sp.Symbol], linear: list[int], cross: list[int], curvature: int) -> list[sp.Expr]:
    n = len(xs)
    out = []
    for i, x in enumerate(xs):
        spill = sum(sp.Integer(cross[i * n + j]) * xs[j] for j in range(n) if j != i)
        out.append(sp.Integer(linear[i]) * x - sp.Rational(curvature, 2) * x**2 + x * spill)
    return out


def quadratic_games(n_players: int = 2) -> st.SearchStrategy[ContinuousGame]:
    """Random continuous games with payoffs strictly concave and quadratic in own actions.

    ``u_i = a_i x_i - b x_i^2 / 2 + x_i sum_j c_ij x_j`` with integers ``|a_i|, |c_ij| <= 3``,
    actions on the real line and ``b = 6 n + 1 > n max |c_ij|`` (diagonal dominance: a
    unique interior equilibrium).
    """
    coef = st.integers(-3, 3)

    def build(draw: tuple[list[int], list[int]]) -> ContinuousGame:
        linear, cross = draw
        xs = make_actions(" ".join(f"x{i + 1}" for i in range(n_players)) + ("," if n_players == 1 else ""))
        pays = _quadratic_payoffs(xs, linear, cross, 2 * n_players * 3 + 1)
        return ContinuousGame({f"p{i + 1}": (x, u) for i, (x, u) in enumerate(zip(xs, pays, strict=True))})

    return st.tuples(
        st.lists(coef, min_size=n_players, max_size=n_players),
        st.lists(coef, min_size=n_players**2, max_size=n_players**2),
    ).map(build)


def sequential_games(n_stages: int = 2) -> st.SearchStrategy[SequentialGame]:
    """Random Stackelberg-like games: one player per stage, quadratic payoffs, observed moves.

    Stage ``i`` chooses ``x_i`` on the real line with ``u_i`` as in :func:`quadratic_games`
    and curvature ``b = 6 n + 1``. Each later mover's best response is linear in the earlier
    actions with slopes at most ``3/b``, so every stage's payoff stays strictly concave after
    substituting the later responses: a unique subgame-perfect equilibrium, interior.
    """
    if not isinstance(n_stages, int) or n_stages < 1:
        raise InvalidSpecError(f"n_stages must be a positive integer, got {n_stages!r}")
    coef = st.integers(-3, 3)

    def build(draw: tuple[list[int], list[int]]) -> SequentialGame:
        linear, cross = draw
        xs = make_actions(" ".join(f"x{i + 1}" for i in range(n_stages)) + ("," if n_stages == 1 else ""))
        pays = _quadratic_payoffs(xs, linear, cross, 2 * n_stages * 3 + 1)
        return SequentialGame([(f"p{i + 1}", x, u) for i, (x, u) in enumerate(zip(xs, pays, strict=True))])

    return st.tuples(
        st.lists(coef, min_size=n_stages, max_size=n_stages),
        st.lists(coef, min_size=n_stages**2, max_size=n_stages**2),
    ).map(build)
