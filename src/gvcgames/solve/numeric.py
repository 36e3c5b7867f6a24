"""Numeric KKT points of continuous games at fixed parameter values.

A profile ``x`` satisfies every player's KKT conditions on the box ``[lo, hi]`` iff it is a
zero of the *natural map* ``F(x) = x - clip(x + grad(x), lo, hi)``, where ``grad`` stacks
each player's derivative of their own payoff in their own actions (Facchinei and Pang
2003, *Finite-Dimensional Variational Inequalities*, Prop. 1.5.8). The map is
piecewise smooth, so ``scipy.optimize.root`` finds its zeros from a few starting points.
The gradient is evaluated at the projection ``clip(x, lo, hi)`` (the zeros are the same),
so payoffs defined only on the box (e.g. ``(1 - e)**beta``) are never evaluated outside it.

A game with a single, bounded, one-dimensional action (a decision problem such as RO) is
solved more reliably by bracketing: the payoff is scanned on a grid of the interval, every
sign change of the derivative is polished with ``scipy.optimize.brentq`` and every grid
maximum with ``scipy.optimize.minimize_scalar`` (bounded), and the best candidate (or end
point) is returned. This is the global maximum on the interval up to the grid's resolution,
hence a KKT point, and it finds optima pressed against an end of the interval (``e*``
near 1) that the natural-map route misses (Brent 1973, *Algorithms for Minimization
without Derivatives*, ch. 4-5).

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
    if len(acts) == 1 and np.isfinite(lo[0]) and np.isfinite(hi[0]) and lo[0] < hi[0]:
        payoff = sp.sympify(game.owner(acts[0]).payoff).subs(numbers)
        return _bracketed(acts[0], payoff, grads[0], float(lo[0]), float(hi[0]), tol)

    def natural(x: np.ndarray) -> np.ndarray:
        inside = np.clip(x, lo, hi)  # evaluate only where the payoff is defined
        with np.errstate(all="ignore"):
            step = np.asarray(grad(inside), dtype=float)
        return x - np.clip(x + step, lo, hi)

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


_GRID = 801


def _bracketed(
    action: sp.Symbol, payoff: sp.Expr, grad_expr: sp.Expr, lo: float, hi: float, tol: float
) -> NumericKKTPoint:
    """The best KKT point of a one-dimensional payoff on ``[lo, hi]``: grid, brentq, bounded search."""
    f_vec = sp.lambdify(action, payoff, modules="numpy")
    g_vec = sp.lambdify(action, grad_expr, modules="numpy")

    def f(v: float) -> float:
        with np.errstate(all="ignore"):
            value = float(np.asarray(f_vec(np.float64(v)), dtype=float))
        return value if np.isfinite(value) else -np.inf

    def g(v: float) -> float:
        with np.errstate(all="ignore"):
            return float(np.asarray(g_vec(np.float64(v)), dtype=float))

    grid = np.linspace(lo, hi, _GRID)
    with np.errstate(all="ignore"):
        fv = np.asarray(f_vec(grid), dtype=float) * np.ones(_GRID)
        gv = np.asarray(g_vec(grid), dtype=float) * np.ones(_GRID)
    fv = np.where(np.isfinite(fv), fv, -np.inf)
    candidates = {lo, hi}
    # Sign changes of the derivative from + to - bracket the interior maxima.
    finite = np.isfinite(gv)
    for i in np.flatnonzero(finite[:-1] & finite[1:] & (gv[:-1] > 0) & (gv[1:] <= 0)):
        a, b = float(grid[i]), float(grid[i + 1])
        root = b if gv[i + 1] == 0 else optimize.brentq(g, a, b, xtol=1e-15, rtol=4 * np.finfo(float).eps)
        candidates.add(_polish(g, a, b, root))
    # Grid maxima, in case the derivative is not finite there (kinks, open ends).
    for i in np.flatnonzero((fv[1:-1] >= fv[:-2]) & (fv[1:-1] >= fv[2:]) & np.isfinite(fv[1:-1])) + 1:
        found = optimize.minimize_scalar(
            lambda v: -f(v), bounds=(float(grid[i - 1]), float(grid[i + 1])), method="bounded", options={"xatol": 1e-14}
        )
        candidates.add(float(found.x))

    def natural(v: float) -> float:
        return v - min(max(v + g(v), lo), hi)

    def exact(v: float) -> bool:
        # The derivative changes sign between v and the next float: a KKT point to machine
        # precision even where the derivative is steep (|g| up to |g'| ulp, e.g. e* near 1).
        above = float(np.nextafter(v, np.inf))
        return lo <= v < hi and g(v) >= 0 >= g(min(above, hi))

    scored = []
    for v in sorted(candidates):
        residual = abs(natural(v))
        scored.append((v, f(v), residual if np.isfinite(residual) else np.inf, exact(v)))
    top = max(c[1] for c in scored)
    # Candidates whose payoffs differ only by rounding: prefer a verified KKT point.
    near = [c for c in scored if c[1] >= top - 1e-12 * max(1.0, abs(top))]
    best, value, residual, is_exact = min(near, key=lambda c: (not (c[2] <= tol or c[3]), c[2]))
    ok = bool(residual <= tol or is_exact) and np.isfinite(value)
    return NumericKKTPoint(
        {action: float(best)},
        float(residual),
        ok,
        "bounded one-dimensional maximisation (grid, scipy brentq on the derivative, minimize_scalar)",
        "converged" if ok else f"no KKT point found to tolerance {tol:g}; best residual {residual:.3g}",
    )


def _polish(g: Any, a: float, b: float, root: float) -> float:
    """The last float with ``g > 0`` before the sign change in ``[a, b]`` (``g(a) > 0 >= g(b)``).

    brentq stops within a few ulps; bisection on the floats around its root then reaches a
    bracket of adjacent floats, the best any evaluation of ``g`` can give.
    """
    width = 64 * np.finfo(float).eps * max(1.0, abs(root))
    left, right = max(a, root - width), min(b, root + width)
    if not (g(left) > 0 >= g(right)):
        left, right = a, b
    while True:
        mid = left + (right - left) / 2
        if not left < mid < right:
            return left
        if g(mid) > 0:
            left = mid
        else:
            right = mid


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
    payoffs = {p.name: sp.Float(float(sp.sympify(p.payoff).subs({**numbers, **point.values}))) for p in game.players}
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
