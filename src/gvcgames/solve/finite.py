"""Equilibria of finite games with symbolic payoffs.

* Pure equilibria: a profile is a Nash equilibrium iff no player has a better unilateral
  deviation; with symbolic payoffs that is a conjunction of inequalities, simplified over
  the admissible set.
* Mixed equilibria of two-player games by support enumeration (Mangasarian 1964;
  Nisan et al. 2007, *Algorithmic Game Theory*, ch. 3): for supports ``I``, ``J`` of
  equal size, the opponent's mix makes every action in the support indifferent; the
  solution is an equilibrium where its probabilities are positive and no action outside
  the support pays more. Supports of unequal size only matter in degenerate games and
  are reported as such.
* n-player fully mixed equilibria from the indifference conditions, where sympy solves them.
* Iterated elimination of strictly dominated actions (by pure actions), with conditions.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.budget import time_budget as limited
from gvcgames.errors import InvalidValuesError, SymbolicTimeout
from gvcgames.results import DerivationLog, FiniteEquilibrium, Solution, _text
from gvcgames.solve.kkt import tidy
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.finite import NormalFormGame

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
    return Solution(game, found, PURE, True, message, log.freeze(), rejected=rejected)


def mixed_equilibria(game: NormalFormGame, time_budget: float | None = None) -> Solution:
    """Equilibria in which at least one player mixes, with their validity regions."""
    if len(game.players) == 2:
        return _two_player_mixed(game, time_budget)
    return _fully_mixed(game, time_budget)


def solve_finite(game: NormalFormGame, time_budget: float | None = None) -> Solution:
    """Pure and mixed equilibria of a finite game."""
    pure = pure_equilibria(game, time_budget)
    mixed = mixed_equilibria(game, time_budget)
    return Solution(
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
    return Solution(game, found, MIXED, converged, message or note, log.freeze(), rejected=rejected)


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
    try:
        with limited(budget, "solving the indifference conditions"):
            sols = sp.solve(eqs, unknowns, dict=True)
    except (SymbolicTimeout, NotImplementedError) as exc:
        return Solution(game, [], method, False, f"the symbolic route gave up: {exc}", log.freeze())
    log.add("case", "Indifference conditions of every player (full supports)", *eqs)
    found = []
    for sol in sols:
        if not all(s in sol for s in unknowns):
            continue
        conds = [sp.Gt(sol[s], 0) for group in probs for s in group]
        region = ctx.clean(sp.And(*conds))
        if region is sp.false:
            continue
        strategies = {
            p: {a: tidy(sol[probs[i][k]], budget) for k, a in enumerate(game.actions[i])}
            for i, p in enumerate(game.players)
        }
        payoffs = {p: tidy(sol[values[i]], budget) for i, p in enumerate(game.players)}
        found.append(FiniteEquilibrium(strategies, payoffs, region, method, log.freeze(), "full supports", game))
    note = "only fully mixed equilibria are searched for games with more than two players"
    return Solution(game, found, method, True, note, log.freeze())


def _expected(game: NormalFormGame, i: int, a: int, probs: Sequence[Sequence[sp.Symbol]]) -> sp.Expr:
    """Player i's expected payoff from action a against the others' mixes."""
    total = sp.Integer(0)
    others = [range(n) if k != i else [a] for k, n in enumerate(game.shape)]
    for prof in itertools.product(*others):
        weight = sp.Mul(*(probs[k][prof[k]] for k in range(len(game.shape)) if k != i))
        total += weight * game.table[prof][i]
    return total


@dataclass(frozen=True)
class DominanceResult:
    """Iterated elimination of strictly dominated actions.

    Attributes
    ----------
    eliminated : list of (round, player, action, dominated_by)
        Eliminations proved for every admissible parameter value.
    conditional : list of (player, action, dominated_by, condition)
        Dominance that holds only where ``condition`` holds (not eliminated).
    surviving : dict
        Player -> actions that survive.
    """

    eliminated: list[tuple[int, str, str, str]]
    conditional: list[tuple[str, str, str, sp.Boolean]]
    surviving: dict[str, list[str]]
    method: str = "iterated elimination of actions strictly dominated by pure actions"
    message: str = "dominance by mixed strategies is not checked"
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"Dominance ({self.method})"]
        lines += [f"  round {r}: {p} drops {a} (strictly dominated by {b})" for r, p, a, b in self.eliminated]
        lines += [f"  {p}: {a} is strictly dominated by {b} only if {_text(c)}" for p, a, b, c in self.conditional]
        lines.append("  surviving: " + "; ".join(f"{p}: {', '.join(a)}" for p, a in self.surviving.items()))
        lines.append(f"  note: {self.message}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def iterated_dominance(game: NormalFormGame, time_budget: float | None = None) -> DominanceResult:
    """Eliminate actions strictly dominated by another pure action, round by round.

    An action is eliminated only when the dominance is proved on the whole admissible set;
    dominance that holds in part of it is reported with its condition.
    """
    ctx = _ctx(game, time_budget)
    alive = [list(range(n)) for n in game.shape]
    eliminated: list[tuple[int, str, str, str]] = []
    conditional: dict[tuple[str, str, str], sp.Boolean] = {}
    for rnd in itertools.count(1):
        removed = False
        for i, player in enumerate(game.players):
            for a in list(alive[i]):
                for b in alive[i]:
                    if a == b or a not in alive[i]:
                        continue
                    others = [alive[k] if k != i else [0] for k in range(len(game.players))]
                    conds = []
                    for prof in itertools.product(*others):
                        pa = (*prof[:i], a, *prof[i + 1 :])
                        pb = (*prof[:i], b, *prof[i + 1 :])
                        conds.append(sp.Lt(game.table[pa][i], game.table[pb][i], evaluate=False))
                    region = ctx.clean(sp.And(*conds))
                    key = (player, game.actions[i][a], game.actions[i][b])
                    if region is sp.true:
                        alive[i].remove(a)
                        eliminated.append((rnd, *key))
                        conditional.pop(key, None)
                        removed = True
                        break
                    if region is not sp.false:
                        conditional[key] = region
        if not removed:
            break
    surviving = {p: [game.actions[i][a] for a in alive[i]] for i, p in enumerate(game.players)}
    cond_list = [(p, a, b, c) for (p, a, b), c in conditional.items() if a in surviving[p] and b in surviving[p]]
    return DominanceResult(eliminated, cond_list, surviving)


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
        vec = np.array([float(sp.sympify(s.get(a, 0)).subs(numbers)) for a in labels])
        if np.any(vec < -1e-9) or abs(vec.sum() - 1) > 1e-9:
            raise InvalidValuesError(f"{player!r}'s probabilities {vec.tolist()} are negative or do not sum to 1")
        mixes.append(np.clip(vec, 0, None))
    return mixes


# ---------------------------------------------------------------------------------------------
# numeric instances: every parameter substituted


NUMERIC_METHODS = ("vertex", "lemke_howson", "nashpy_vertex", "nashpy_support", "pure")


@dataclass(frozen=True)
class NumericSolution(Solution):
    """Equilibria of a numeric game, with what the numeric engine knows about them.

    Attributes
    ----------
    degenerate : bool or None
        Whether the game is degenerate (None when the method cannot tell).
    complete : bool
        Whether every extreme equilibrium is listed.
    components : tuple of tuple of int
        Indices (into ``equilibria``) of each connected component of the equilibrium set.
    nash_subsets : tuple
        Maximal Nash subsets (:class:`gvcgames.solve.bimatrix.NashSubset`) of two-player games.
    """

    degenerate: bool | None = None
    complete: bool = True
    components: tuple[tuple[int, ...], ...] = ()
    nash_subsets: tuple[Any, ...] = ()

    def summary(self, derivation: bool = False) -> str:
        text = super().summary(derivation)
        if self.degenerate and self.components:
            parts = "; ".join("{" + ", ".join(str(k + 1) for k in comp) + "}" for comp in self.components)
            text += f"\ncomponents (equilibria by number): {parts}"
        return text


def numeric_equilibria(
    game: NormalFormGame,
    method: str | None = None,
    exact: bool = False,
    tol: float = 1e-9,
    initial_dropped_label: int | Sequence[int] | None = None,
) -> NumericSolution:
    """Equilibria of a numeric finite game (every payoff a number).

    Two players: :func:`gvcgames.solve.bimatrix.all_equilibria` (vertex enumeration by
    default, complete, degenerate games included; Lemke-Howson or nashpy on request). Any
    number of players: ``method="pure"`` finds every pure equilibrium by comparing each
    payoff with the best reply along its own axis.

    Parameters
    ----------
    game : NormalFormGame
        A game whose payoffs are numbers (substitute parameters with ``game.at(values)``).
    method : {"vertex", "lemke_howson", "nashpy_vertex", "nashpy_support", "pure"}, optional
        Default ``"vertex"`` for two players; games with more players need ``"pure"``.
    exact : bool
        Rational arithmetic (``"vertex"`` and ``"pure"``): probabilities and payoffs are
        sympy Rationals.
    tol : float
        Numerical tolerance (see :func:`~gvcgames.solve.bimatrix.all_equilibria`).
    initial_dropped_label : int or sequence of int, optional
        For ``method="lemke_howson"``.

    Returns
    -------
    NumericSolution

    Raises
    ------
    InvalidSpecError
        Payoffs still depend on parameters, or an unknown method.
    UnsupportedError
        Mixed equilibria of games with more than two players.

    Examples
    --------
    >>> import gvcgames as gg
    >>> pennies = gg.NormalFormGame(["r", "c"], [["H", "T"], ["H", "T"]], ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
    >>> sol = numeric_equilibria(pennies, exact=True)
    >>> sol.equilibria[0]["r"]
    {'H': 1/2, 'T': 1/2}
    >>> bool(gg.is_equilibrium(pennies, sol.equilibria[0], {}))
    True
    """
    from gvcgames.errors import InvalidSpecError, UnsupportedError

    free = sorted(str(s) for s in game.parameters_or_symbols())
    if free:
        raise InvalidSpecError(f"payoffs still depend on {free}; call game.at({{...}}) with values for them first")
    n_players = len(game.players)
    if method is None:
        if n_players != 2:
            raise UnsupportedError(
                f"mixed equilibria of numeric games with {n_players} players are not supported; "
                "use method='pure' for every pure equilibrium, or mixed_equilibria() for fully mixed ones (symbolic)"
            )
        method = "vertex"
    if method not in NUMERIC_METHODS:
        raise InvalidSpecError(f"unknown method {method!r}; valid methods are {', '.join(map(repr, NUMERIC_METHODS))}")
    if method == "pure":
        return _numeric_pure(game, exact, tol)
    if n_players != 2:
        raise UnsupportedError(
            f"method={method!r} needs a two-player game, this one has {n_players} players; "
            "use method='pure' (every pure equilibrium) or mixed_equilibria() (fully mixed, symbolic)"
        )
    from gvcgames.solve.bimatrix import all_equilibria

    A, B = game.matrices() if exact else game.numeric()
    res = all_equilibria(
        np.array(A.tolist(), dtype=object) if exact else A,
        np.array(B.tolist(), dtype=object) if exact else B,
        exact=exact,
        method=method,
        tol=tol,
        initial_dropped_label=initial_dropped_label,
    )
    comp_of = {k: c for c, comp in enumerate(res.components) for k in comp}
    found = []
    for k, ((x, y), (u, v)) in enumerate(zip(res.equilibria, res.payoffs, strict=True)):
        case = f"extreme equilibrium {k + 1}" + (
            f", component {comp_of[k] + 1}" if k in comp_of and res.degenerate else ""
        )
        strategies = {
            game.players[0]: dict(zip(game.actions[0], map(_number, x), strict=True)),
            game.players[1]: dict(zip(game.actions[1], map(_number, y), strict=True)),
        }
        payoffs = {game.players[0]: _number(u), game.players[1]: _number(v)}
        found.append(FiniteEquilibrium(strategies, payoffs, sp.true, res.method, case=case, game=game))
    return NumericSolution(
        game,
        found,
        res.method,
        res.converged,
        res.message,
        degenerate=res.degenerate,
        complete=res.complete,
        components=res.components,
        nash_subsets=res.nash_subsets,
    )


def _number(v: Any) -> sp.Expr:
    """Fractions become Rationals; floats snap round-off (1e-17) to 0 and 1 - 1e-16 to 1."""
    from fractions import Fraction

    if isinstance(v, Fraction):
        return sp.Rational(v.numerator, v.denominator)
    f = float(v)
    for whole in (0.0, 1.0):
        if abs(f - whole) < 1e-13:
            return sp.Integer(int(whole))
    return sp.Float(f)


def _numeric_pure(game: NormalFormGame, exact: bool, tol: float) -> NumericSolution:
    """Every pure equilibrium: a profile where each payoff equals the best along its own axis."""
    if exact:
        arrays = [np.array(arr.tolist(), dtype=object).reshape(game.shape) for arr in game.matrices()]
        is_best = [(a == a.max(axis=i, keepdims=True)).astype(bool) for i, a in enumerate(arrays)]
    else:
        arrays = game.numeric()
        scale = tol * max(1.0, *(float(np.abs(a).max()) for a in arrays))
        is_best = [a >= a.max(axis=i, keepdims=True) - scale for i, a in enumerate(arrays)]
    mask = np.logical_and.reduce(is_best)
    method = "pure profiles where every player's payoff is a best reply" + (" (exact)" if exact else "")
    found = []
    for prof in map(tuple, np.argwhere(mask)):
        strategies = {
            p: {a: sp.Integer(int(k == prof[i])) for k, a in enumerate(game.actions[i])}
            for i, p in enumerate(game.players)
        }
        payoffs = dict(zip(game.players, game.table[prof], strict=True))
        found.append(
            FiniteEquilibrium(strategies, payoffs, sp.true, method, case=f"pure ({_label(game, prof)})", game=game)
        )
    count = f"{len(found)} pure equilibri{'um' if len(found) == 1 else 'a'}"
    message = f"{count} of {mask.size} profiles; mixed equilibria not searched"
    return NumericSolution(game, found, method, True, message, complete=False)
