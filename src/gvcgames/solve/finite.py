"""Equilibria of finite games with symbolic payoffs.

* Pure equilibria: a profile is a Nash equilibrium iff no player has a better unilateral
  deviation; with symbolic payoffs that is a conjunction of inequalities, simplified over
  the admissible set.
* Mixed equilibria of two-player games by support enumeration (Mangasarian 1964;
  Nisan et al. 2007, *Algorithmic Game Theory*, ch. 3): for supports ``I``, ``J`` of
  equal size, the opponent's mix makes every action in the support indifferent; the
  solution is an equilibrium where its probabilities are positive and no action outside
  the support pays more. Supports of unequal size only matter in degenerate games; numeric
  degenerate games are detected and warned about (:class:`~gvcgames.DegenerateGameWarning`),
  and ``game.equilibria()`` lists their components.
* n-player fully mixed equilibria from the indifference conditions, where sympy solves them:
  the conditions are polynomial, so some roots are complex. A root that is provably not real
  (a number whose imaginary part is nonzero, evaluated to 30 digits) is dropped; a root whose
  realness depends on parameters is kept with the condition (radicands ``>= 0``).
* Iterated elimination of strictly dominated actions: :mod:`gvcgames.solve.finite_dominance`.
* Numeric instances (every parameter a number): :mod:`gvcgames.solve.finite_numeric`.

References
----------
.. [1] O. L. Mangasarian (1964), "Equilibrium points of bimatrix games", *Journal of the
   Society for Industrial and Applied Mathematics* 12, 778-780.
.. [2] N. Nisan, T. Roughgarden, E. Tardos and V. V. Vazirani, eds. (2007), *Algorithmic Game
   Theory*, Cambridge University Press, ch. 3 (B. von Stengel, "Equilibrium computation for
   two-player games in strategic and extensive form").
.. [3] R. D. McKelvey and A. McLennan (1996), "Computation of equilibria in finite games", in
   *Handbook of Computational Economics* vol. 1, ch. 2 (polynomial systems of n-player games).
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.budget import time_budget as limited
from gvcgames.errors import DegenerateGameWarning, InvalidValuesError, SymbolicTimeout
from gvcgames.results import DerivationLog, FiniteEquilibrium, Solution
from gvcgames.solve.finite_dominance import DominanceCase, DominanceResult, iterated_dominance
from gvcgames.solve.finite_numeric import (
    NUMERIC_METHODS,
    FiniteSolution,
    NumericSolution,
    is_degenerate_numeric,
    numeric_equilibria,
)
from gvcgames.solve.kkt import tidy
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.finite import NormalFormGame

__all__ = [
    "NUMERIC_METHODS",
    "DominanceCase",
    "DominanceResult",
    "FiniteSolution",
    "NumericSolution",
    "check_finite_equilibrium",
    "iterated_dominance",
    "mixed_equilibria",
    "numeric_equilibria",
    "pure_equilibria",
    "solve_finite",
]

PURE = "pure-strategy deviation conditions (symbolic)"
MIXED = "support enumeration with indifference conditions (symbolic)"


def _ctx(game: NormalFormGame, budget: float | None) -> Assumptions:
    return Assumptions(game.assumptions.relations, budget)


def _label(game: NormalFormGame, profile: Sequence[int]) -> str:
    return ", ".join(lab[i] for lab, i in zip(game.actions, profile, strict=True))


def _log_game(game: NormalFormGame, log: DerivationLog) -> None:
    rows = [sp.Eq(sp.Symbol(f"u({_label(game, p)})"), sp.Tuple(*v), evaluate=False) for p, v in game.table.items()]
    log.add("game", "Payoffs (" + ", ".join(game.players) + ")", *rows)
    if game.assumptions.relations:
        log.add("game", "Assumptions on parameters", *game.assumptions.relations)


def pure_equilibria(game: NormalFormGame, time_budget: float | None = None) -> Solution:
    """Every pure profile with the exact condition for it to be a Nash equilibrium.

    Profiles whose condition is provably false on the admissible set are dropped (listed
    in ``rejected``); a condition ``True`` means the profile is always an equilibrium.
    """
    ctx = _ctx(game, time_budget)
    log = DerivationLog()
    _log_game(game, log)
    found, rejected = [], []
    for prof in game.profiles():
        conds = []
        for i, n_i in enumerate(game.shape):
            here = game.table[prof][i]
            for alt in range(n_i):
                if alt != prof[i]:
                    other = (*prof[:i], alt, *prof[i + 1 :])
                    conds.append(sp.Ge(here, game.table[other][i], evaluate=False))
        region = ctx.clean(sp.And(*conds))
        label = _label(game, prof)
        if region is sp.false:
            log.add("rejected", f"({label}) is never an equilibrium", *conds)
            rejected.append((f"({label})", "a profitable deviation exists for every admissible parameter value"))
            continue
        log.add("conditions", f"({label}) is an equilibrium iff no player gains by deviating", *conds, region)
        strategies = {
            p: {a: sp.Integer(int(k == prof[i])) for k, a in enumerate(game.actions[i])}
            for i, p in enumerate(game.players)
        }
        payoffs = dict(zip(game.players, game.table[prof], strict=True))
        found.append(FiniteEquilibrium(strategies, payoffs, region, PURE, log.freeze(), f"pure ({label})", game))
    message = f"{len(found)} of {int(np.prod(game.shape))} pure profiles are equilibria somewhere"
    return FiniteSolution(game, found, PURE, True, message, log.freeze(), rejected=rejected)


def mixed_equilibria(game: NormalFormGame, time_budget: float | None = None) -> Solution:
    """Equilibria in which at least one player mixes, with their validity regions."""
    if len(game.players) == 2:
        return _two_player_mixed(game, time_budget)
    return _fully_mixed(game, time_budget)


def solve_finite(game: NormalFormGame, time_budget: float | None = None) -> Solution:
    """Pure and mixed equilibria of a finite game."""
    pure = pure_equilibria(game, time_budget)
    mixed = mixed_equilibria(game, time_budget)
    return FiniteSolution(
        game,
        pure.equilibria + mixed.equilibria,
        f"{PURE}; {mixed.method}",
        mixed.converged,
        "; ".join(m for m in (pure.message, mixed.message) if m),
        pure.derivation + mixed.derivation,
        rejected=pure.rejected + mixed.rejected,
    )


def _two_player_mixed(game: NormalFormGame, budget: float | None) -> Solution:
    ctx = _ctx(game, budget)
    log = DerivationLog()
    A, B = game.matrices()
    m, n = A.shape
    found: list[FiniteEquilibrium] = []
    rejected: list[tuple[str, str]] = []
    converged, message = True, ""
    for k in range(2, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                try:
                    with limited(budget, "support enumeration"):
                        eq = _support_pair(game, A, B, rows, cols, ctx, log, rejected)
                except SymbolicTimeout as exc:
                    converged, message = False, str(exc)
                    continue
                if eq is not None:
                    found.append(eq)
    note = "supports of unequal size are not enumerated: they carry equilibria only in degenerate games"
    if game.is_numeric and is_degenerate_numeric(game):
        note = (
            "the game is degenerate, so its equilibria may form continua that support enumeration over "
            "supports of equal size misses; game.equilibria() lists every extreme equilibrium and the components"
        )
        warnings.warn(DegenerateGameWarning(note), stacklevel=4)
    return FiniteSolution(
        game, found, MIXED, converged, "; ".join(m for m in (message, note) if m), log.freeze(), rejected=rejected
    )


def _support_pair(
    game: NormalFormGame,
    A: sp.Matrix,
    B: sp.Matrix,
    rows: tuple[int, ...],
    cols: tuple[int, ...],
    ctx: Assumptions,
    log: DerivationLog,
    rejected: list[tuple[str, str]],
) -> FiniteEquilibrium | None:
    m, n = A.shape
    r_names = [game.actions[0][i] for i in rows]
    c_names = [game.actions[1][j] for j in cols]
    case = f"supports {{{', '.join(r_names)}}} x {{{', '.join(c_names)}}}"
    x = sp.symbols(f"x0:{len(rows)}")
    y = sp.symbols(f"y0:{len(cols)}")
    u, v = sp.symbols("u v")
    # column mix y makes the row player indifferent over `rows`; row mix x does the same for `cols`
    eqs_y = [sp.Eq(sum(A[i, j] * y[t] for t, j in enumerate(cols)), u) for i in rows] + [sp.Eq(sum(y), 1)]
    eqs_x = [sp.Eq(sum(B[i, j] * x[t] for t, i in enumerate(rows)), v) for j in cols] + [sp.Eq(sum(x), 1)]
    sol_y = sp.solve(eqs_y, [*y, u], dict=True)
    sol_x = sp.solve(eqs_x, [*x, v], dict=True)
    if (
        len(sol_y) != 1
        or len(sol_x) != 1
        or not all(s in sol_y[0] for s in (*y, u))
        or not all(s in sol_x[0] for s in (*x, v))
    ):
        why = "the indifference conditions have no unique solution (no equilibrium or a degenerate continuum)"
        rejected.append((case, why))
        return None
    py = {cols[t]: tidy(sol_y[0][y[t]], None) for t in range(len(cols))}
    px = {rows[t]: tidy(sol_x[0][x[t]], None) for t in range(len(rows))}
    value_r, value_c = tidy(sol_y[0][u], None), tidy(sol_x[0][v], None)
    conds = [sp.Gt(p, 0, evaluate=False) for p in (*py.values(), *px.values())]
    for i in set(range(m)) - set(rows):
        conds.append(sp.Le(sum(A[i, j] * py[j] for j in cols), value_r, evaluate=False))
    for j in set(range(n)) - set(cols):
        conds.append(sp.Le(sum(B[i, j] * px[i] for i in rows), value_c, evaluate=False))
    region = ctx.clean(sp.And(*conds))
    log.add(
        "case",
        f"Support enumeration, {case}",
        *eqs_y,
        *eqs_x,
        note="indifference conditions of both players",
    )
    if region is sp.false:
        log.add("rejected", f"{case}: never an equilibrium", *conds)
        rejected.append((case, "probabilities not all positive, or an action outside a support pays more"))
        return None
    log.add("conditions", f"{case}: equilibrium iff probabilities are positive and no outside action pays more", region)
    strategies = {
        game.players[0]: {a: px.get(i, sp.Integer(0)) for i, a in enumerate(game.actions[0])},
        game.players[1]: {a: py.get(j, sp.Integer(0)) for j, a in enumerate(game.actions[1])},
    }
    payoffs = {game.players[0]: value_r, game.players[1]: value_c}
    return FiniteEquilibrium(strategies, payoffs, region, MIXED, log.freeze(), case, game)


def _fully_mixed(game: NormalFormGame, budget: float | None) -> Solution:
    ctx = _ctx(game, budget)
    log = DerivationLog()
    probs = [sp.symbols(f"s{i}_0:{n}") for i, n in enumerate(game.shape)]
    eqs = []
    values = sp.symbols(f"v0:{len(game.players)}")
    for i, n_i in enumerate(game.shape):
        for a in range(n_i):
            eqs.append(sp.Eq(_expected(game, i, a, probs), values[i]))
        eqs.append(sp.Eq(sum(probs[i]), 1))
    unknowns = [s for group in probs for s in group] + list(values)
    method = "fully mixed equilibria from indifference conditions (symbolic)"
    if len(game.players) == 1:
        scope = (
            "one player: an equilibrium is any mixture of best actions; the best pure actions are listed by "
            "pure_equilibria(), and the mixture over all actions is searched here (it exists iff they pay the same)"
        )
    else:
        scope = "only fully mixed equilibria are searched for games with more than two players"
    try:
        with limited(budget, "solving the indifference conditions"):
            sols = sp.solve(eqs, unknowns, dict=True)
    except (SymbolicTimeout, NotImplementedError) as exc:
        return FiniteSolution(game, [], method, False, f"the symbolic route gave up: {exc}", log.freeze())
    log.add("case", "Indifference conditions of every player (full supports)", *eqs)
    found, rejected, continua = [], [], 0
    for sol in sols:
        if not all(s in sol for s in unknowns):
            continua += 1
            continue
        real = [_realness(sol[s]) for s in unknowns]
        if any(r is sp.false for r in real):
            shown = next(sol[s] for s, r in zip(unknowns, real, strict=True) if r is sp.false)
            log.add("rejected", "A complex root of the indifference conditions", shown)
            rejected.append(("full supports", f"a complex root ({sp.sstr(shown)}) is not a mixed strategy"))
            continue
        conds = [*real, *(_positive(sol[s]) for group in probs for s in group)]
        region = ctx.clean(sp.And(*conds))
        if region is sp.false:
            rejected.append(("full supports", "a root with a probability that is not positive"))
            continue
        strategies = {
            p: {a: tidy(sol[probs[i][k]], budget) for k, a in enumerate(game.actions[i])}
            for i, p in enumerate(game.players)
        }
        payoffs = {p: tidy(sol[values[i]], budget) for i, p in enumerate(game.players)}
        log.add("conditions", "Fully mixed root: an equilibrium iff its probabilities are real and positive", region)
        found.append(FiniteEquilibrium(strategies, payoffs, region, method, log.freeze(), "full supports", game))
    if continua:
        scope += (
            f"; {continua} solution(s) of the indifference conditions are continua (a degenerate game) and are not "
            "listed"
        )
    return FiniteSolution(game, found, method, True, scope, log.freeze(), rejected=rejected)


_IMAG_DIGITS = 30  # a numeric root is real iff its imaginary part vanishes to this many digits


def _real_number_parts(value: sp.Expr) -> tuple[sp.Float, sp.Float]:
    re, im = value.evalf(_IMAG_DIGITS).as_real_imag()
    return sp.Float(re, _IMAG_DIGITS), sp.Float(im, _IMAG_DIGITS)


def _realness(value: sp.Expr) -> sp.Boolean:
    """``true`` if ``value`` is real, ``false`` if provably not, else the condition for it to be real.

    A number is real iff its imaginary part is zero to 30 digits (roots of the indifference
    polynomials written with ``I`` may be real: casus irreducibilis). An expression in
    parameters is real where its even-order radicands are nonnegative.
    """
    if value.is_extended_real:
        return sp.true
    if value.is_extended_real is False:
        return sp.false
    if value.is_number:
        re, im = _real_number_parts(value)
        return sp.true if abs(im) <= sp.Float(10) ** (-_IMAG_DIGITS + 5) * (1 + abs(re)) else sp.false
    conds = [
        sp.Ge(p.base, 0)
        for p in value.atoms(sp.Pow)
        if p.exp.is_Rational and not p.exp.is_integer and p.exp.q % 2 == 0 and not p.base.is_nonnegative
    ]
    if value.has(sp.I):
        conds.append(sp.Eq(sp.im(value), 0))
    return sp.And(*conds)


def _positive(value: sp.Expr) -> sp.Boolean:
    """``value > 0`` for a value that is real or whose realness is undecided."""
    if value.is_number and value.has(sp.I):
        re, _ = _real_number_parts(value)
        return sp.true if re > 0 else sp.false
    return sp.Gt(value, 0)


def _expected(game: NormalFormGame, i: int, a: int, probs: Sequence[Sequence[sp.Symbol]]) -> sp.Expr:
    """Player i's expected payoff from action a against the others' mixes."""
    total = sp.Integer(0)
    others = [range(n) if k != i else [a] for k, n in enumerate(game.shape)]
    for prof in itertools.product(*others):
        weight = sp.Mul(*(probs[k][prof[k]] for k in range(len(game.shape)) if k != i))
        total += weight * game.table[prof][i]
    return total


def check_finite_equilibrium(game: NormalFormGame, profile: Any, numbers: Mapping[sp.Symbol, float], tol: float) -> Any:
    """Numeric check: no player has a pure action paying more than their strategy."""
    from gvcgames.solve.verify import Deviation, EquilibriumCheck

    arrays = game.at(numbers).numeric()
    mixes = _numeric_mixes(game, profile, numbers)
    deviations = []
    for i, player in enumerate(game.players):
        pure_values = arrays[i]
        for k in reversed(range(len(game.players))):
            if k != i:
                pure_values = np.tensordot(pure_values, mixes[k], axes=([k], [0]))
        current = float(mixes[i] @ pure_values)
        best = int(np.argmax(pure_values))
        deviations.append(
            Deviation(
                player,
                {sp.Symbol(a): float(p) for a, p in zip(game.actions[i], mixes[i], strict=True)},
                {sp.Symbol(game.actions[i][best]): 1.0},
                current,
                float(pure_values[best]),
            )
        )
    bad = [d for d in deviations if d.gain > tol * (1 + abs(d.payoff))]
    conditions_hold = profile.holds_at(numbers) if isinstance(profile, FiniteEquilibrium) else None
    return EquilibriumCheck(
        not bad, tuple(deviations), tol, "expected payoff vs. every pure deviation", "", conditions_hold
    )


def _numeric_mixes(game: NormalFormGame, profile: Any, numbers: Mapping[sp.Symbol, float]) -> list[np.ndarray]:
    strategies = profile.strategies if isinstance(profile, FiniteEquilibrium) else profile
    if not isinstance(strategies, Mapping):
        raise InvalidValuesError("profile must be a FiniteEquilibrium or a mapping player -> action or {action: prob}")
    mixes = []
    for i, player in enumerate(game.players):
        if player not in strategies:
            raise InvalidValuesError(f"the profile gives no strategy for player {player!r}")
        s = strategies[player]
        labels = game.actions[i]
        if isinstance(s, str):
            if s not in labels:
                raise InvalidValuesError(f"{player!r} has no action {s!r}; actions: {list(labels)}")
            mixes.append(np.array([float(a == s) for a in labels]))
            continue
        unknown = [a for a in s if a not in labels]
        if unknown:
            raise InvalidValuesError(f"{player!r} has no actions {unknown}; actions: {list(labels)}")
        vec = np.array([_real_float(sp.sympify(s.get(a, 0)).subs(numbers), player, a) for a in labels])
        if np.any(vec < -1e-9) or abs(vec.sum() - 1) > 1e-9:
            raise InvalidValuesError(f"{player!r}'s probabilities {vec.tolist()} are negative or do not sum to 1")
        mixes.append(np.clip(vec, 0, None))
    return mixes


def _real_float(value: sp.Expr, player: str, action: str) -> float:
    """A probability as a float; a number written with ``I`` (casus irreducibilis) must be real."""
    try:
        return float(value)
    except TypeError:
        z = complex(value.evalf(_IMAG_DIGITS))
        if abs(z.imag) > 1e-12 * (1 + abs(z.real)):
            raise InvalidValuesError(f"{player!r}'s probability of {action!r} is {value}, not a real number") from None
        return z.real
