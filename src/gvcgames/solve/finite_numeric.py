"""Numeric instances of finite games: every parameter substituted, solved by a numeric engine.

Definitions
-----------
A *numeric instance* of a :class:`~gvcgames.NormalFormGame` is the game with every parameter
replaced by a number (``game.at(values)``). Two-player instances are bimatrix games
``(A, B)``; their equilibria are computed by :func:`gvcgames.solve.bimatrix.all_equilibria`
(complete vertex enumeration by default, degenerate games included: the extreme equilibria,
maximal Nash subsets and components of the equilibrium set; Avis, Rosenberg, Savani and von
Stengel 2010). For any number of players, ``method="pure"`` lists every profile at which each
player's payoff is the maximum along their own axis of the payoff array (a pure Nash
equilibrium).

A two-player game is *degenerate* if some mixed strategy with support of size ``k`` has more
than ``k`` pure best responses (von Stengel 2002, Definition 3.2); its equilibria may form
continua, which support enumeration over equal-size supports does not see.

References
----------
.. [1] D. Avis, G. D. Rosenberg, R. Savani and B. von Stengel (2010), "Enumeration of Nash
   equilibria for two-player games", *Economic Theory* 42, 9-37.
.. [2] B. von Stengel (2002), "Computing equilibria for two-person games", in *Handbook of Game
   Theory* vol. 3, ch. 45, 1723-1759.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from gvcgames.results import DerivationLog, FiniteEquilibrium, Solution

if TYPE_CHECKING:
    from gvcgames.spec.finite import NormalFormGame

__all__ = ["NUMERIC_METHODS", "FiniteSolution", "NumericSolution", "compact_floats", "numeric_equilibria"]

NUMERIC_METHODS = ("vertex", "lemke_howson", "nashpy_lemke_howson", "nashpy_vertex", "nashpy_support", "pure")

# exact vertex enumeration costs about binomial(m + n, m) linear solves: solve() uses it up to 6x6
EXACT_AUTO_LIMIT = math.comb(12, 6)

_FLOAT = re.compile(r"(?<![\w.])-?\d+\.\d+(?:e[+-]?\d+)?(?![\w.])")


def _compact_float(v: float) -> str:
    text = repr(v)
    return text if len(text) <= 10 else f"{v:.6g}"


def compact_floats(text: str) -> str:
    """Rewrite the float literals in ``text`` compactly: ``2.00000000000000`` -> ``2.0``.

    sympy prints a Float with all its digits; summaries show the shortest round-trip form when
    it has at most 10 characters, else 6 significant digits (``0.333333``). Display only.

    Examples
    --------
    >>> compact_floats("payoffs: row: 2.00000000000000, col: 0.333333333333333, x1.5: 1.5e-7")
    'payoffs: row: 2.0, col: 0.333333, x1.5: 1.5e-07'
    """
    return _FLOAT.sub(lambda m: _compact_float(float(m.group())), text)


@dataclass(frozen=True)
class FiniteSolution(Solution):
    """A :class:`~gvcgames.Solution` of a finite game; its summary prints floats compactly."""

    def summary(self, derivation: bool = False) -> str:
        return compact_floats(super().summary(derivation))


@dataclass(frozen=True)
class NumericSolution(FiniteSolution):
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


def _label(game: NormalFormGame, profile: Sequence[int]) -> str:
    return ", ".join(lab[i] for lab, i in zip(game.actions, profile, strict=True))


def auto_exact(game: NormalFormGame) -> bool:
    """Exact arithmetic for ``solve()``: every payoff rational and the game at most about 6x6."""
    rational = all(sp.sympify(v).is_Rational for values in game.table.values() for v in values)
    m, n = game.shape
    return rational and math.comb(m + n, m) <= EXACT_AUTO_LIMIT


def is_degenerate_numeric(game: NormalFormGame, tol: float = 1e-9) -> bool:
    """Whether a numeric two-player game is degenerate (vertex labels of the best-response polytopes)."""
    from gvcgames.solve.bimatrix_vertex import _is_degenerate

    A, B = game.numeric()
    return _is_degenerate(A, B, tol)


def numeric_equilibria(
    game: NormalFormGame,
    method: str | None = None,
    exact: bool = False,
    tol: float = 1e-9,
    initial_dropped_label: int | Sequence[int] | None = None,
    time_budget: float | None = None,
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
    method : {"vertex", "lemke_howson", "nashpy_lemke_howson", "nashpy_vertex", "nashpy_support", "pure"}, optional
        Default ``"vertex"`` for two players; games with more players need ``"pure"``.
    exact : bool
        Rational arithmetic (``"vertex"`` and ``"pure"``): probabilities and payoffs are
        sympy Rationals.
    tol : float
        Numerical tolerance (see :func:`~gvcgames.solve.bimatrix.all_equilibria`).
    initial_dropped_label : int or sequence of int, optional
        For the Lemke-Howson methods.
    time_budget : float, optional
        Seconds per nashpy run (see :func:`~gvcgames.solve.bimatrix.all_equilibria`).

    Returns
    -------
    NumericSolution

    Raises
    ------
    InvalidSpecError
        Payoffs still depend on parameters, or an unknown method.
    UnsupportedError
        Mixed equilibria of games with more than two players.

    Warns
    -----
    DegenerateGameWarning
        A degenerate two-player game (every method; the nashpy methods warn before running).

    References
    ----------
    .. [1] Avis, Rosenberg, Savani and von Stengel (2010), *Economic Theory* 42, 9-37.

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
                f"mixed equilibria of numeric games with {n_players} player{'s' if n_players != 1 else ''} are not "
                "supported by the numeric engine; use method='pure' for every pure equilibrium, or "
                "mixed_equilibria() for fully mixed ones (symbolic)"
            )
        method = "vertex"
    if method not in NUMERIC_METHODS:
        raise InvalidSpecError(f"unknown method {method!r}; valid methods are {', '.join(map(repr, NUMERIC_METHODS))}")
    if method == "pure":
        return _numeric_pure(game, exact, tol)
    if n_players != 2:
        raise UnsupportedError(
            f"method={method!r} needs a two-player game, this one has {n_players} player{'s' if n_players != 1 else ''}"
            "; use method='pure' (every pure equilibrium) or mixed_equilibria() (fully mixed, symbolic)"
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
        time_budget=time_budget,
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
    log = DerivationLog()
    rows = [sp.Eq(sp.Symbol(f"u({_label(game, p)})"), sp.Tuple(*v), evaluate=False) for p, v in game.table.items()]
    log.add("game", "Payoffs (" + ", ".join(game.players) + ")", *rows)
    log.add("solve", f"Numeric engine: {res.method}", note=res.message)
    return NumericSolution(
        game,
        found,
        res.method,
        res.converged,
        res.message,
        log.freeze(),
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
