"""Numeric KKT points of continuous games at fixed parameter values.

A profile ``x`` satisfies every player's KKT conditions on the box ``[lo, hi]`` iff it is a
zero of the *natural map* ``F(x) = x - clip(x + grad(x), lo, hi)``, where ``grad`` stacks
each player's derivative of their own payoff in their own actions (Facchinei and Pang
2003, *Finite-Dimensional Variational Inequalities*, Prop. 1.5.8). The map is
piecewise smooth, so ``scipy.optimize.root`` finds its zeros from a few starting points.

This is the first slice of the numeric engine: it serves as an independent check of the
symbolic solver; vectorised sweeps and batched solving come with the numeric-engine issue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from gvcgames.errors import InvalidSpecError
from gvcgames.solve.verify import numeric_values
from gvcgames.spec.games import ContinuousGame


@dataclass(frozen=True)
class NumericKKTPoint:
    """A numeric solution of the KKT system, with how it was found."""

    values: dict[sp.Symbol, float]
    residual: float
    converged: bool
    method: str
    message: str

    def __getitem__(self, action: sp.Symbol) -> float:
        return self.values[action]


def kkt_point(
    game: ContinuousGame,
    values: Mapping[Any, Any],
    starts: Sequence[Mapping[sp.Symbol, float]] | None = None,
    tol: float = 1e-12,
    seed: int = 0,
) -> NumericKKTPoint:
    """A zero of the natural map of ``game`` at the given parameter values.

    Parameters
    ----------
    game : ContinuousGame
    values : mapping
        A number for every parameter.
    starts : sequence of mappings, optional
        Starting profiles; default: the box midpoint (or 1) and a few random points.
    tol : float
        Accepted max-norm of the natural-map residual.
    seed : int
        Seed of the random starting points.
    """
    if not isinstance(game, ContinuousGame):
        raise InvalidSpecError(f"kkt_point needs a ContinuousGame, got {type(game).__name__}")
    numbers = numeric_values(game, values)
    acts = list(game.actions)
    grads = [sp.diff(game.owner(a).payoff, a).subs(numbers) for a in acts]
    grad = sp.lambdify([acts], grads, modules="numpy")
    lo = np.array([_end(a.lower, numbers, -np.inf) for a in acts])
    hi = np.array([_end(a.upper, numbers, np.inf) for a in acts])

    def natural(x: np.ndarray) -> np.ndarray:
        return x - np.clip(x + np.asarray(grad(x), dtype=float), lo, hi)

    rng = np.random.default_rng(seed)
    with np.errstate(invalid="ignore"):  # inf - inf in the unused branches
        centre = np.where(np.isfinite(lo) & np.isfinite(hi), (lo + hi) / 2, np.where(np.isfinite(lo), lo + 1, 1.0))
    guesses = [np.array([s[a] for a in acts], dtype=float) for s in (starts or [])]
    guesses += [centre] + [centre + rng.normal(scale=1 + np.abs(centre)) for _ in range(5)]
    best_x, best_r = guesses[0], np.inf
    for x0 in guesses:
        res = optimize.root(natural, np.clip(x0, lo, hi), method="hybr", tol=tol / 10)
        x = np.clip(res.x, lo, hi)
        r = float(np.max(np.abs(natural(x))))
        if r < best_r:
            best_x, best_r = x, r
        if r <= tol:
            break
    ok = best_r <= tol
    return NumericKKTPoint(
        dict(zip(acts, map(float, best_x), strict=True)),
        best_r,
        ok,
        "natural-map residual solved by scipy.optimize.root (hybr)",
        "converged" if ok else f"no KKT point found to tolerance {tol:g}; best residual {best_r:.3g}",
    )


def _end(expr: sp.Expr, numbers: Mapping[sp.Symbol, float], default: float) -> float:
    if expr in (sp.oo, -sp.oo):
        return default
    return float(sp.sympify(expr).subs(numbers))


def solve_at(game: ContinuousGame, values: Mapping[Any, Any], seed: int = 0) -> Any:
    """A numeric equilibrium at fixed parameter values, verified by ``is_equilibrium``.

    The fallback when the symbolic route gives up (e.g. the RO model): a zero of the KKT
    natural map, accepted only if the numeric deviation check passes.
    """
    from gvcgames.results import Equilibrium, Solution
    from gvcgames.solve.verify import is_equilibrium, numeric_values

    numbers = numeric_values(game, values)
    point = kkt_point(game, values, seed=seed)
    method = "numeric KKT point (scipy) verified by is_equilibrium"
    if not point.converged:
        return Solution(game, [], method, False, point.message)
    check = is_equilibrium(game, point.values, values, seed=seed)
    strategies = {a: sp.Float(v) for a, v in point.values.items()}
    payoffs = {p.name: sp.Float(float(p.payoff.subs({**numbers, **point.values}))) for p in game.players}
    conditions = sp.And(*(sp.Eq(s, sp.Float(v)) for s, v in numbers.items()))
    eq = Equilibrium(
        strategies,
        payoffs,
        conditions,
        method,
        case="numeric",
        game=game,
        optimality={
            p.name: "numeric: no profitable deviation found on a grid + local search"
            if check
            else "failed the deviation check"
            for p in game.players
        },
    )
    if not check:
        return Solution(game, [], method, False, f"a KKT point was found but it is not an equilibrium:\n{check}")
    return Solution(game, [eq], method, True, "one equilibrium at these values (others may exist)")
