"""Iterated elimination of strictly dominated actions in finite games, with conditions.

Definitions
-----------
Action ``a`` of player ``i`` is *strictly dominated* by a mixed strategy ``sigma`` on the other
surviving actions of ``i`` if ``sum_b sigma_b u_i(b, s) > u_i(a, s)`` for every profile ``s``
of the other players' surviving actions. A strictly dominated action is never a best response
and is played in no Nash equilibrium, and the set that survives iterated elimination does not
depend on the order of elimination (Osborne and Rubinstein 1994, Proposition 60.2 and
Lemma 60.1; Fudenberg and Tirole 1991, Section 2.1).

Two checks:

* *Pure dominance* (``sigma`` a pure action) with symbolic payoffs: a conjunction of strict
  inequalities, simplified over the admissible set. Proved everywhere: the action is
  eliminated; proved nowhere: nothing; otherwise the dominance is *conditional* and listed
  with its condition.
* *Mixed dominance* for a player whose surviving payoffs are all numbers: the linear programme
  ``max eps`` subject to ``sum_b sigma_b u_i(b, s) >= u_i(a, s) + eps`` for all ``s``,
  ``sigma`` in the simplex (scipy's HiGHS); ``a`` is dominated iff ``eps > 0`` (beyond a
  tolerance). The mixture is rounded to a rational one and checked exactly when the payoffs
  are rational. Players whose payoffs still depend on parameters get the pure check only.

Conditional dominance is split into cases: where the condition ``c`` holds the action is
eliminated and elimination goes on under the assumption ``c``; on the complement (``not c``,
as disjoint pieces when ``c`` is a conjunction) it goes on under that assumption. Each case
reports its region and its own elimination sequence.

References
----------
.. [1] M. J. Osborne and A. Rubinstein (1994), *A Course in Game Theory*, MIT Press, ch. 4.
.. [2] D. Fudenberg and J. Tirole (1991), *Game Theory*, MIT Press, Section 2.1.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from gvcgames.errors import GvcgamesError
from gvcgames.results import _text
from gvcgames.solve.finite_numeric import compact_floats
from gvcgames.spec.assumptions import Assumptions, disjuncts

if TYPE_CHECKING:
    from gvcgames.spec.finite import NormalFormGame

__all__ = ["DominanceCase", "DominanceResult", "iterated_dominance"]

Elimination = tuple[int, str, str, str]  # (round, player, action, dominated_by)


@dataclass(frozen=True)
class DominanceCase:
    """Elimination in one part of the admissible set, after splitting on conditional dominance.

    Attributes
    ----------
    region : sympy Boolean
        Where this case applies.
    eliminated : tuple of (round, player, action, dominated_by)
        The whole elimination sequence in this region (the unconditional rounds included).
    surviving : dict
        Player -> actions that survive in this region.
    conditional : tuple of (player, action, dominated_by, condition)
        Dominance still conditional inside the region (not split further: case limit reached,
        or the condition is not a conjunction of inequalities).
    """

    region: sp.Boolean
    eliminated: tuple[Elimination, ...]
    surviving: dict[str, list[str]]
    conditional: tuple[tuple[str, str, str, sp.Boolean], ...] = ()


@dataclass(frozen=True)
class DominanceResult:
    """Iterated elimination of strictly dominated actions.

    Attributes
    ----------
    eliminated : list of (round, player, action, dominated_by)
        Eliminations proved for every admissible parameter value (``dominated_by`` is an action
        or a mixture such as ``"1/2 t + 1/2 m"``).
    conditional : list of (player, action, dominated_by, condition)
        Dominance that holds only where ``condition`` holds, among the actions surviving the
        unconditional rounds.
    surviving : dict
        Player -> actions that survive the unconditional rounds.
    cases : tuple of DominanceCase
        With conditional dominance: the elimination in each region (empty when there is none
        or with ``split=False``).
    method, message : str
        What was checked, and what was not.
    """

    eliminated: list[Elimination]
    conditional: list[tuple[str, str, str, sp.Boolean]]
    surviving: dict[str, list[str]]
    method: str = "iterated elimination of strictly dominated actions"
    message: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    cases: tuple[DominanceCase, ...] = ()

    def summary(self) -> str:
        lines = [f"Dominance: {self.method}"]
        lines += [f"  round {r}: {p} drops {a} (strictly dominated by {b})" for r, p, a, b in self.eliminated]
        lines += [f"  {p}: {a} is strictly dominated by {b} only if {_text(c)}" for p, a, b, c in self.conditional]
        lines.append("  surviving: " + _survivors(self.surviving))
        if self.cases:
            lines.append("  by region (conditional dominance split into cases):")
            done = len(self.eliminated)
            for case in self.cases:
                steps = [f"round {r}: {p} drops {a} ({b})" for r, p, a, b in case.eliminated[done:]]
                lines.append(f"    if {_text(case.region)}: " + ("; ".join(steps) or "no further elimination"))
                lines.append(f"      surviving: {_survivors(case.surviving)}")
                lines += [f"      {p}: {a} dominated by {b} only if {_text(c)}" for p, a, b, c in case.conditional]
        lines.append(f"  note: {self.message}")
        return compact_floats("\n".join(lines))

    def __str__(self) -> str:
        return self.summary()


def _survivors(surviving: dict[str, list[str]]) -> str:
    return "; ".join(f"{p}: {', '.join(a)}" for p, a in surviving.items())


def iterated_dominance(
    game: NormalFormGame, time_budget: float | None = None, split: bool = True, max_cases: int = 32
) -> DominanceResult:
    """Eliminate strictly dominated actions round by round, splitting cases on conditions.

    Parameters
    ----------
    game : NormalFormGame
    time_budget : float, optional
        Seconds per symbolic simplification.
    split : bool
        Split conditional dominance into cases (see the module docstring). With ``False``,
        later rounds use only dominance proved on the whole admissible set, and the message
        says so.
    max_cases : int
        Upper bound on the number of regions.

    Returns
    -------
    DominanceResult

    References
    ----------
    .. [1] Osborne and Rubinstein (1994), *A Course in Game Theory*, ch. 4.

    Examples
    --------
    The row action ``b`` is dominated by no pure action but by ``t/2 + m/2``:

    >>> import gvcgames as gg
    >>> g = gg.NormalFormGame(["row", "col"], [["t", "m", "b"], ["l", "r"]],
    ...     ([[3, 0], [0, 3], [1, 1]], [[1, 0], [0, 1], [0, 0]]))
    >>> g.dominance().eliminated
    [(1, 'row', 'b', '1/2 t + 1/2 m')]

    Hawk-dove: dove is dominated only where ``V > C``; that case is split off:

    >>> V, C = gg.parameters("V C", positive=True)
    >>> hd = gg.NormalFormGame(["row", "col"], [["hawk", "dove"], ["hawk", "dove"]],
    ...     [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]])
    >>> [(case.region, case.surviving) for case in hd.dominance().cases]
    [(V > C, {'row': ['hawk'], 'col': ['hawk']}), (C >= V, {'row': ['hawk', 'dove'], 'col': ['hawk', 'dove']})]
    """
    base = Assumptions(game.assumptions.relations, time_budget)
    alive = [list(range(n)) for n in game.shape]
    eliminated, conditional, last = _eliminate(game, base, alive, [], 0)
    surviving = _names(game, alive)
    cases: list[DominanceCase] = []
    if split and conditional:
        _split(game, base, (), alive, eliminated, conditional, last, frozenset(), cases, max_cases)
    numeric = [p for i, p in enumerate(game.players) if _numbers(game, i, alive) is not None]
    symbolic = [p for p in game.players if p not in numeric]
    notes = []
    if numeric:
        notes.append(f"dominance by mixed strategies is checked (linear programming) for {', '.join(numeric)}")
    if symbolic:
        notes.append(
            f"for {', '.join(symbolic)} (payoffs with parameters) only dominance by pure actions is checked, "
            "not by mixed strategies"
        )
    if conditional and split:
        limit = any(c.conditional for c in cases)
        notes.append(
            f"conditional dominance is split into {len(cases)} regions (see .cases)"
            + ("; some conditions were not split further (case limit or not a conjunction)" if limit else "")
        )
    elif conditional:
        notes.append("later rounds use only dominance proved on the whole admissible set (split=False)")
    method = "iterated elimination of strictly dominated actions" + (
        " (pure and mixed dominators)" if numeric else " (pure dominators)"
    )
    cond_list = [(p, a, b, c) for (p, a, b), c in conditional.items()]
    return DominanceResult(eliminated, cond_list, surviving, method, "; ".join(notes), cases=tuple(cases))


def _names(game: NormalFormGame, alive: list[list[int]]) -> dict[str, list[str]]:
    return {p: [game.actions[i][a] for a in alive[i]] for i, p in enumerate(game.players)}


def _eliminate(
    game: NormalFormGame, ctx: Assumptions, alive: list[list[int]], eliminated: list[Elimination], last_round: int
) -> tuple[list[Elimination], dict[tuple[str, str, str], sp.Boolean], int]:
    """Rounds of elimination under ``ctx`` (``alive`` is changed in place); conditional dominance left."""
    eliminated = list(eliminated)
    rnd = last_round
    while True:
        rnd += 1
        removed = False
        for i, player in enumerate(game.players):
            for a in list(alive[i]):
                if len(alive[i]) == 1:
                    break
                by = _dominator(game, ctx, alive, i, a)
                if by is not None:
                    alive[i].remove(a)
                    eliminated.append((rnd, player, game.actions[i][a], by))
                    removed = True
        if not removed:
            break
    return eliminated, _conditional(game, ctx, alive), rnd - 1


def _others(alive: list[list[int]], i: int) -> list[tuple[int, ...]]:
    return list(itertools.product(*(alive[k] if k != i else [0] for k in range(len(alive)))))


def _pure_condition(game: NormalFormGame, ctx: Assumptions, alive: list[list[int]], i: int, a: int, b: int) -> Any:
    conds = []
    for prof in _others(alive, i):
        pa, pb = (*prof[:i], a, *prof[i + 1 :]), (*prof[:i], b, *prof[i + 1 :])
        conds.append(sp.Lt(game.table[pa][i], game.table[pb][i], evaluate=False))
    return ctx.clean(sp.And(*conds))


def _dominator(game: NormalFormGame, ctx: Assumptions, alive: list[list[int]], i: int, a: int) -> str | None:
    """What strictly dominates action ``a`` of player ``i`` everywhere under ``ctx`` (None: nothing found)."""
    for b in alive[i]:
        if b != a and _pure_condition(game, ctx, alive, i, a, b) is sp.true:
            return game.actions[i][b]
    if len(alive[i]) >= 3:
        return _mixed_dominator(game, alive, i, a)
    return None


def _conditional(
    game: NormalFormGame, ctx: Assumptions, alive: list[list[int]]
) -> dict[tuple[str, str, str], sp.Boolean]:
    out: dict[tuple[str, str, str], sp.Boolean] = {}
    for i, player in enumerate(game.players):
        for a, b in itertools.permutations(alive[i], 2):
            region = _pure_condition(game, ctx, alive, i, a, b)
            if region is not sp.true and region is not sp.false:
                out[(player, game.actions[i][a], game.actions[i][b])] = region
    return out


def _numbers(game: NormalFormGame, i: int, alive: list[list[int]]) -> dict[tuple[int, ...], sp.Expr] | None:
    """Player ``i``'s payoffs on the surviving profiles if every one is a real number, else None."""
    out = {}
    for prof in itertools.product(*alive):
        v = game.table[prof][i]
        if not (v.is_number and v.is_extended_real):
            return None
        out[prof] = v
    return out


def _mixed_dominator(game: NormalFormGame, alive: list[list[int]], i: int, a: int) -> str | None:
    """A mixture of the other surviving actions strictly dominating ``a`` (numeric payoffs), by LP."""
    from scipy.optimize import linprog

    values = _numbers(game, i, alive)
    if values is None:
        return None
    rivals = [b for b in alive[i] if b != a]
    profiles = _others(alive, i)

    def u(action: int, prof: tuple[int, ...]) -> sp.Expr:
        return values[(*prof[:i], action, *prof[i + 1 :])]

    U = np.array([[float(u(b, s)) for b in rivals] for s in profiles])  # profiles x rivals
    ua = np.array([float(u(a, s)) for s in profiles])
    k = len(rivals)
    # variables (sigma_1..sigma_k, eps): minimise -eps s.t. ua - U sigma + eps <= 0, sum sigma = 1
    res = linprog(
        np.r_[np.zeros(k), -1.0],
        A_ub=np.c_[-U, np.ones(len(profiles))],
        b_ub=-ua,
        A_eq=np.r_[np.ones(k), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * k + [(None, None)],
        method="highs",
    )
    scale = max(1.0, float(np.abs(U).max()), float(np.abs(ua).max()))
    if res.status != 0 or -res.fun <= 1e-9 * scale:
        return None
    sigma = np.clip(res.x[:k], 0.0, None)
    weights = _rational_mixture(sigma)
    if not all(v.is_Rational for v in values.values()):  # float payoffs: the LP margin is the evidence
        return _mixture_label(game, i, rivals, weights or _rounded(sigma))
    if weights is not None and all(_mixed_payoff(weights, rivals, u, s) > u(a, s) for s in profiles):
        return _mixture_label(game, i, rivals, weights)
    return None  # pragma: no cover - a margin so thin that no rounded mixture is exact: not eliminated


def _mixed_payoff(weights: list[Fraction], rivals: list[int], u: Any, prof: tuple[int, ...]) -> sp.Expr:
    return sp.Add(*(sp.Rational(w.numerator, w.denominator) * u(b, prof) for b, w in zip(rivals, weights, strict=True)))


def _rounded(sigma: np.ndarray) -> list[Fraction]:
    return [Fraction(float(w)).limit_denominator(10**6) for w in sigma / sigma.sum()]


def _rational_mixture(sigma: np.ndarray) -> list[Fraction] | None:
    for denominator in (10, 100, 1000, 10**6):
        weights = [Fraction(float(w)).limit_denominator(denominator) for w in sigma]
        total = sum(weights, Fraction(0))
        if total > 0:
            weights = [w / total for w in weights]
            if all(abs(float(w) - s) < 1e-6 for w, s in zip(weights, sigma / sigma.sum(), strict=True)):
                return weights
    return None


def _mixture_label(game: NormalFormGame, i: int, rivals: list[int], weights: list[Fraction]) -> str:
    parts = [(w, game.actions[i][b]) for b, w in zip(rivals, weights, strict=True) if w > 0]
    if len(parts) == 1:
        return parts[0][1]
    return " + ".join(f"{w} {label}" for w, label in parts)


def _pieces(cond: sp.Boolean) -> tuple[tuple[sp.Boolean, ...], list[tuple[sp.Boolean, ...]]] | None:
    """``cond`` as a conjunction of atoms, and its complement as disjoint conjunctions; None if not one."""
    terms = disjuncts(cond)
    if terms is None or len(terms) != 1:
        return None
    atoms = tuple(sorted(next(iter(terms)), key=sp.default_sort_key))
    complement = [(*atoms[:k], sp.Not(atoms[k])) for k in range(len(atoms))]
    return atoms, complement


def _split(
    game: NormalFormGame,
    base: Assumptions,
    region: tuple[sp.Boolean, ...],
    alive: list[list[int]],
    eliminated: list[Elimination],
    conditional: dict[tuple[str, str, str], sp.Boolean],
    last_round: int,
    used: frozenset[tuple[str, str, str]],
    cases: list[DominanceCase],
    max_cases: int,
) -> None:
    """Split on the first conditional dominance that is a conjunction; recurse in each piece."""
    choice = next(
        ((key, p) for key, cond in conditional.items() if key not in used and (p := _pieces(cond)) is not None), None
    )
    if choice is None or len(cases) >= max_cases:
        where = base.clean(sp.And(*region))
        rest = tuple((p, a, b, c) for (p, a, b), c in conditional.items())
        cases.append(DominanceCase(where, tuple(eliminated), _names(game, alive), rest))
        return
    (player, action, by), (holds, complement) = choice
    for k, piece in enumerate([holds, *complement]):
        atoms = (*region, *piece)
        where = base.clean(sp.And(*atoms))
        if where is sp.false:
            continue
        try:
            ctx = base.with_relations(atoms)
        except GvcgamesError:
            continue  # a piece that contradicts the parameter domains: empty
        here = [list(a) for a in alive]
        steps = list(eliminated)
        if k == 0:  # the condition holds: the dominance is proved here
            i = game.players.index(player)
            here[i].remove(game.actions[i].index(action))
            steps.append((last_round + 1, player, action, f"{by}, where {_text(sp.And(*piece))}"))
        steps, left, rnd = _eliminate(game, ctx, here, steps, last_round + (k == 0))
        _split(game, base, atoms, here, steps, left, rnd, used | {(player, action, by)}, cases, max_cases)
