"""Numeric equilibria of a continuous game at many parameter points at once.

Definitions
-----------
Each player maximises their payoff in their own actions, each action ``x_i`` restricted to
an interval ``[lo_i, hi_i]``. Let ``g_i(x; theta) = d u_{owner(i)} / d x_i`` (derived
symbolically, as is its Jacobian ``J = dg/dx``). A profile satisfies every player's KKT
conditions iff it is a zero of the *natural map*

    F(x) = x - clip(x + g(x), lo, hi)

(Facchinei and Pang 2003, Prop. 1.5.8): interior components have ``g_i = 0``; a component
at a bound has the complementary sign of ``g_i``. So corners are handled exactly.

Algorithm
---------
A semismooth Newton method on ``F`` runs on all points at once (numpy arrays of shape
``(points, actions)``): the generalised Jacobian has row ``-J_i`` where ``x_i + g_i`` is
strictly inside the bounds and the unit row ``e_i`` where it is clipped. Steps are
projected on the box and damped by backtracking on ``max|F|``. Points where Newton fails
fall back, one by one, to ``scipy.optimize.root`` from several starts. Every solution is
then checked by a vectorised no-profitable-deviation test (each action on a grid of
deviations, others fixed) and, on a sample or on request, by
:func:`gvcgames.is_equilibrium`. Failures are reported per point with a message.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp
from scipy import optimize

from gvcgames.errors import InvalidSpecError
from gvcgames.numeric.compile import CompiledExpressions, as_points, compile_expressions
from gvcgames.numeric.errors import NumericConvergenceWarning
from gvcgames.spec.games import ContinuousGame


@dataclass(frozen=True)
class FOCSystem:
    """The compiled first-order system of a continuous game: gradient, Jacobian, payoffs, bounds."""

    game: ContinuousGame
    actions: tuple[sp.Symbol, ...]
    parameters: tuple[sp.Symbol, ...]
    gradient: CompiledExpressions
    jacobian: CompiledExpressions
    payoffs: CompiledExpressions
    owners: tuple[str, ...]
    bounds: CompiledExpressions
    open_ends: tuple[tuple[bool, bool], ...]

    def _args(self, x: np.ndarray, params: Mapping[sp.Symbol, np.ndarray]) -> dict[sp.Symbol, Any]:
        return {**params, **{a: x[..., i] for i, a in enumerate(self.actions)}}

    def grad(self, x: np.ndarray, params: Mapping[sp.Symbol, np.ndarray]) -> np.ndarray:
        """``g`` stacked as shape ``x.shape``."""
        out = self.gradient(self._args(x, params))
        return np.stack([out[str(i)] for i in range(len(self.actions))], axis=-1)

    def jac(self, x: np.ndarray, params: Mapping[sp.Symbol, np.ndarray]) -> np.ndarray:
        """``dg/dx`` with shape ``(..., n, n)``."""
        n = len(self.actions)
        out = self.jacobian(self._args(x, params))
        return np.stack([np.stack([out[f"{i},{j}"] for j in range(n)], axis=-1) for i in range(n)], axis=-2)

    def box(self, params: Mapping[sp.Symbol, np.ndarray], size: int) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds, each of shape ``(size, n)``."""
        out = self.bounds(params)
        n = len(self.actions)
        lo = np.stack([np.broadcast_to(out[f"lo{i}"], (size,)) for i in range(n)], axis=-1)
        hi = np.stack([np.broadcast_to(out[f"hi{i}"], (size,)) for i in range(n)], axis=-1)
        return lo.astype(float), hi.astype(float)

    def payoff(self, x: np.ndarray, params: Mapping[sp.Symbol, np.ndarray]) -> dict[str, np.ndarray]:
        """Each player's payoff at profiles ``x`` (shape ``(..., n)``)."""
        return self.payoffs(self._args(x, params))


def foc_system(game: ContinuousGame) -> FOCSystem:
    """Derive and compile the FOC system of ``game`` (cached per game).

    Raises
    ------
    InvalidSpecError
        ``game`` is not a ContinuousGame or a payoff is missing.

    Examples
    --------
    >>> from gvcgames.models import cournot
    >>> system = foc_system(cournot())
    >>> [str(a) for a in system.actions]
    ['q1', 'q2']
    """
    if not isinstance(game, ContinuousGame):
        raise InvalidSpecError(f"numeric equilibria need a ContinuousGame, got {type(game).__name__}")
    return _foc_system(game)


@lru_cache(maxsize=64)
def _foc_system(game: ContinuousGame) -> FOCSystem:
    acts = tuple(game.actions)
    params = tuple(game.parameters)
    grads = [sp.diff(game.owner(a).payoff, a) for a in acts]
    jac = {f"{i},{j}": sp.diff(gi, aj) for i, gi in enumerate(grads) for j, aj in enumerate(acts)}
    symbols = (*params, *acts)
    bounds = {}
    for i, a in enumerate(acts):
        bounds[f"lo{i}"] = sp.Float(-np.inf) if a.lower == -sp.oo else a.lower
        bounds[f"hi{i}"] = sp.Float(np.inf) if a.upper == sp.oo else a.upper
    open_ends = tuple(
        (bool(a.domain.left_open) and a.lower.is_finite is not False, bool(a.domain.right_open) and a.upper.is_finite)
        for a in acts
    )
    return FOCSystem(
        game,
        acts,
        params,
        compile_expressions({str(i): g for i, g in enumerate(grads)}, symbols),
        compile_expressions(jac, symbols),
        compile_expressions({p.name: p.payoff for p in game.players}, symbols),
        tuple(game.owner(a).name for a in acts),
        compile_expressions(bounds, params),
        open_ends,
    )


@dataclass(frozen=True)
class NumericEquilibria:
    """Numeric equilibria at many parameter points, with per-point status.

    Attributes
    ----------
    game : ContinuousGame
    points : DataFrame
        The parameter values, one row per point.
    strategies : ndarray, shape (points, actions)
        The solutions (NaN where nothing was found).
    converged : ndarray of bool
        The KKT natural-map residual is below ``tol``.
    verified : ndarray of bool
        Converged and no profitable deviation found (vectorised grid check and, where
        run, :func:`gvcgames.is_equilibrium`).
    residual, max_gain : ndarray
        Final ``max|F|``; the largest gain from a deviation found by the check.
    method, message : ndarray of str
        How each point was solved (``"newton"``, ``"scipy root"``) and what went wrong.
    checked : dict
        Point index -> :class:`gvcgames.EquilibriumCheck` for the points checked by
        ``is_equilibrium``.
    """

    game: ContinuousGame
    points: pd.DataFrame
    strategies: np.ndarray
    converged: np.ndarray
    verified: np.ndarray
    residual: np.ndarray
    max_gain: np.ndarray
    method: np.ndarray
    message: np.ndarray
    iterations: int
    checked: Mapping[int, Any] = field(default_factory=dict)

    @property
    def actions(self) -> tuple[sp.Symbol, ...]:
        return tuple(self.game.actions)

    def __len__(self) -> int:
        return len(self.points)

    def __getitem__(self, action: Any) -> np.ndarray:
        for i, a in enumerate(self.actions):
            if a == action or a.name == action:
                return self.strategies[:, i]
        raise KeyError(f"no action {action!r}; actions: {[a.name for a in self.actions]}")

    @property
    def all_verified(self) -> bool:
        return bool(self.verified.all())

    def to_frame(self) -> pd.DataFrame:
        """Parameters, strategies and per-point status as one DataFrame."""
        df = self.points.copy()
        for i, a in enumerate(self.actions):
            df[a.name] = self.strategies[:, i]
        df["converged"] = self.converged
        df["verified"] = self.verified
        df["residual"] = self.residual
        df["max_gain"] = self.max_gain
        df["method"] = self.method
        df["message"] = self.message
        return df

    def failures(self) -> pd.DataFrame:
        """The rows of :meth:`to_frame` that are not verified equilibria."""
        df = self.to_frame()
        return df[~df["verified"]]

    def summary(self, failures: int = 5) -> str:
        """Counts by status and the first ``failures`` failing points."""
        n = len(self)
        lines = [
            f"Numeric equilibria of {self.game.name or 'a continuous game'} at {n} points",
            f"  converged: {int(self.converged.sum())}/{n}; verified: {int(self.verified.sum())}/{n}",
            "  solved by: "
            + ", ".join(f"{m}: {int((self.method == m).sum())}" for m in dict.fromkeys(self.method.tolist()))
            + f"; Newton iterations: {self.iterations}",
        ]
        if self.checked:
            passed = sum(bool(c) for c in self.checked.values())
            lines.append(f"  is_equilibrium checks: {passed}/{len(self.checked)} passed")
        bad = np.flatnonzero(~self.verified)[:failures]
        if bad.size:
            lines.append("  failing points:")
            for i in bad:
                pars = ", ".join(f"{c}={self.points[c].iloc[i]:.4g}" for c in self.points.columns)
                lines.append(f"    [{i}] {pars}: {self.message[i]}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(self.summary())}</pre>" + self.to_frame().head(10).to_html()


def solve_batch(
    game: ContinuousGame,
    points: Mapping[Any, Any] | pd.DataFrame,
    *,
    starts: Mapping[Any, Any] | np.ndarray | None = None,
    tol: float = 1e-10,
    max_iter: int = 60,
    fallback: bool = True,
    check: int | str = 3,
    deviation_grid: int = 41,
    gain_tol: float = 1e-7,
    seed: int = 0,
    warn: bool = True,
) -> NumericEquilibria:
    """Numeric equilibria of ``game`` at every parameter point, solved vectorised.

    Parameters
    ----------
    game : ContinuousGame
    points : mapping or DataFrame
        Parameter values (broadcast together), e.g. from :func:`gvcgames.numeric.grid`.
    starts : mapping or array, optional
        Starting profiles: action -> number/array, or an array ``(points, actions)``;
        default the middle of each action's box (or its finite bound + 1).
    tol : float
        Accepted max-norm of the KKT natural-map residual.
    max_iter : int
        Newton iterations.
    fallback : bool
        Retry failing points one by one with ``scipy.optimize.root`` (several starts).
    check : int or "all"
        How many converged points (chosen with ``seed``) also get the full
        :func:`gvcgames.is_equilibrium` check; ``"all"`` checks every one (slow).
    deviation_grid : int
        Grid points per action in the vectorised deviation check.
    gain_tol : float
        A deviation gaining more than ``gain_tol * (1 + |payoff|)`` refutes a point.
    seed : int
        Seed for fallback starts and for the sample of full checks.
    warn : bool
        Emit :class:`NumericConvergenceWarning` when some points fail.

    Returns
    -------
    NumericEquilibria

    Raises
    ------
    InvalidSpecError
        Not a ContinuousGame.
    InvalidValuesError
        Bad parameter values (NaN/inf, outside a domain; names the parameter and count).

    Examples
    --------
    >>> import numpy as np
    >>> from gvcgames.models import cournot
    >>> res = solve_batch(cournot(), {"a": np.array([10.0, 7.0]), "b": 1.0, "c": 1.0})
    >>> np.round(res["q1"], 6).tolist(), bool(res.all_verified)
    ([3.0, 2.0], True)
    """
    system = foc_system(game)
    params = as_points(points, system.parameters)
    n_points = len(next(iter(params.values()))) if params else 1
    n = len(system.actions)
    lo, hi = system.box(params, n_points)
    x0 = _starts(system, starts, lo, hi, n_points)
    at_start = _norm(natural_map(system, np.clip(x0, lo, hi), params, lo, hi)) <= tol
    x, residual, iterations = newton(system, x0, params, lo, hi, tol=tol, max_iter=max_iter)
    method = np.where(residual <= tol, np.where(at_start, "start", "newton"), "failed").astype(object)
    if fallback:
        rng = np.random.default_rng(seed)
        for i in np.flatnonzero(residual > tol):
            xi, ri = _root_fallback(system, x[i], {s: v[i : i + 1] for s, v in params.items()}, lo[i], hi[i], tol, rng)
            if ri < residual[i] or not np.isfinite(residual[i]):
                x[i], residual[i] = xi, ri
            if ri <= tol:
                method[i] = "scipy root"
    converged = residual <= tol
    message = np.where(converged, "", f"no KKT point to tolerance {tol:g}").astype(object)
    # a solution on an open end of a domain is not in the action set
    for j, (lopen, hopen) in enumerate(system.open_ends):
        at_open = converged & ((lopen & np.isclose(x[:, j], lo[:, j])) | (hopen & np.isclose(x[:, j], hi[:, j])))
        message[at_open] = f"{system.actions[j]} is at an open end of its domain"
        converged &= ~at_open
    admissible = _admissible(system, params, n_points)
    message[~admissible] = "the parameters violate the game's assumptions " + str(list(game.assumptions.relations))
    converged &= admissible
    x = np.where(converged[:, None], x, np.nan) if n else x
    gain = deviation_gain(system, x, params, lo, hi, deviation_grid)
    ok_dev = gain <= gain_tol
    message[converged & ~ok_dev] = "a profitable deviation exists (KKT point is not a best response)"
    verified = converged & ok_dev
    checked = _full_checks(game, system, x, params, verified, check, seed)
    for idx, outcome in checked.items():
        if not outcome:
            verified[idx] = False
            message[idx] = f"is_equilibrium: {outcome}"
    frame = pd.DataFrame({s.name: v for s, v in params.items()})
    result = NumericEquilibria(
        game, frame, x, converged, verified, residual, gain, method, message, iterations, checked
    )
    if warn and not verified.all():
        warnings.warn(
            f"{int((~verified).sum())} of {n_points} points have no verified numeric equilibrium; see .failures()",
            NumericConvergenceWarning,
            stacklevel=2,
        )
    return result


def equilibria_at(
    game: ContinuousGame,
    points: Mapping[Any, Any] | pd.DataFrame,
    *,
    time_budget: float | None = None,
    **options: Any,
) -> NumericEquilibria:
    """Equilibria at many points: the closed form where sympy finds one, else numerics.

    The game is solved symbolically with ``time_budget``; at each point the first
    equilibrium whose region holds gives the starting profile, which the batched solver
    then verifies (method ``"closed form"``). Where sympy gave up or no closed-form
    equilibrium holds, the point is solved numerically from the default start. Either way
    every point is checked and failures are reported, as in :func:`solve_batch`.

    Examples
    --------
    >>> from gvcgames.models import cournot, relocation_option
    >>> res = equilibria_at(cournot(), {"a": [4.0, 7.0], "b": 1.0, "c": 1.0})
    >>> res.method.tolist(), res["q1"].round(6).tolist()
    (['closed form', 'closed form'], [1.0, 2.0])
    >>> ro = {"beta": 2.0, "c": 1.0, "m": 1.0, "r": 0.05, "x0": 0.5, "x_star": 1.0}
    >>> equilibria_at(relocation_option(), ro, time_budget=5).method.tolist()
    ['newton']
    """
    from gvcgames.errors import SymbolicTimeout

    system = foc_system(game)
    params = as_points(points, system.parameters)
    size = len(next(iter(params.values()))) if params else 1
    try:
        solution = game.solve(time_budget=time_budget)
        equilibria = [eq for eq in solution.equilibria if not _depends_on_actions(eq, system)]
    except SymbolicTimeout:
        equilibria = []
    starts = np.full((size, len(system.actions)), np.nan)
    for eq in equilibria:
        df = eq.evaluate({s.name: v for s, v in params.items()})
        take = np.isnan(starts[:, 0]) & df["in_region"].to_numpy() if system.actions else np.zeros(size, bool)
        for j, a in enumerate(system.actions):
            starts[take, j] = df[a.name].to_numpy()[take]
    lo, hi = system.box(params, size)
    starts = np.where(np.isnan(starts), _starts(system, None, lo, hi, size), starts)
    result = solve_batch(game, points, starts=starts, **options)
    method = result.method.copy()
    method[method == "start"] = "closed form"
    return replace(result, method=method)


def _depends_on_actions(eq: Any, system: FOCSystem) -> bool:
    syms = set().union(*(sp.sympify(v).free_symbols for v in eq.strategies.values()))
    return bool(syms & set(system.actions))


def _admissible(system: FOCSystem, params: Mapping[sp.Symbol, np.ndarray], size: int) -> np.ndarray:
    relations = system.game.assumptions.relations
    if not relations:
        return np.ones(size, dtype=bool)
    mask = compile_expressions({"ok": sp.And(*relations)}, system.parameters)(params)["ok"]
    return np.broadcast_to(mask, (size,)).copy()


def natural_map(
    system: FOCSystem, x: np.ndarray, params: Mapping[sp.Symbol, np.ndarray], lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """``x - clip(x + g(x), lo, hi)``; NaN where the gradient is not finite."""
    return x - np.clip(x + system.grad(x, params), lo, hi)


def _norm(F: np.ndarray) -> np.ndarray:
    r = np.max(np.abs(F), axis=-1) if F.shape[-1] else np.zeros(F.shape[:-1])
    return np.where(np.isfinite(r), r, np.inf)


def newton(
    system: FOCSystem,
    x0: np.ndarray,
    params: Mapping[sp.Symbol, np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    *,
    tol: float = 1e-10,
    max_iter: int = 60,
    max_halvings: int = 12,
) -> tuple[np.ndarray, np.ndarray, int]:
    """Batched, projected, damped semismooth Newton on the natural map.

    Returns the final profiles, their residuals ``max|F|`` and the iterations used.
    """
    x = np.clip(np.array(x0, dtype=float), lo, hi)
    n = x.shape[1]
    F = natural_map(system, x, params, lo, hi)
    r = _norm(F)
    eye = np.eye(n)
    it = 0
    for it in range(1, max_iter + 1):
        active = np.flatnonzero(r > tol)
        if active.size == 0:
            it -= 1
            break
        xa, loa, hia = x[active], lo[active], hi[active]
        pa = {s: v[active] if np.ndim(v) else v for s, v in params.items()}
        g = system.grad(xa, pa)
        free = (xa + g > loa) & (xa + g < hia)
        M = np.where(free[:, :, None], -system.jac(xa, pa), eye)
        rhs = -F[active]
        with np.errstate(all="ignore"):
            try:
                dx = np.linalg.solve(M, rhs[..., None])[..., 0]
            except np.linalg.LinAlgError:  # some Jacobian singular: least-squares steps for all
                dx = np.einsum("kij,kj->ki", np.linalg.pinv(M), rhs)
        dx = np.where(np.isfinite(dx), dx, 0.0)
        ra = r[active]
        step = np.ones(active.size)
        accepted = np.zeros(active.size, dtype=bool)
        xn, Fn, rn = xa.copy(), F[active].copy(), ra.copy()
        for _ in range(max_halvings):
            todo = ~accepted
            if not todo.any():
                break
            idx = np.flatnonzero(todo)
            trial = np.clip(xa[idx] + step[idx, None] * dx[idx], loa[idx], hia[idx])
            pt = {s: v[idx] if np.ndim(v) else v for s, v in pa.items()}
            Ft = natural_map(system, trial, pt, loa[idx], hia[idx])
            rt = _norm(Ft)
            good = rt < (1 - 1e-4 * step[idx]) * ra[idx]
            sel = idx[good]
            xn[sel], Fn[sel], rn[sel] = trial[good], Ft[good], rt[good]
            accepted[sel] = True
            step[idx[~good]] /= 2
        x[active], F[active], r[active] = xn, Fn, rn
        if not accepted.any():
            break  # stalled everywhere: leave the rest to the fallback
    return x, r, it


def _starts(system: FOCSystem, starts: Any, lo: np.ndarray, hi: np.ndarray, size: int) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        centre = np.where(
            np.isfinite(lo) & np.isfinite(hi),
            (lo + hi) / 2,
            np.where(np.isfinite(lo), lo + 1, np.where(np.isfinite(hi), hi - 1, 1.0)),
        )
    if starts is None:
        return centre
    if isinstance(starts, Mapping):
        x = centre.copy()
        by_name = {a.name: i for i, a in enumerate(system.actions)}
        for key, value in starts.items():
            name = key if isinstance(key, str) else getattr(key, "name", str(key))
            if name not in by_name:
                raise InvalidSpecError(f"start given for {name!r}, which is not an action; actions: {list(by_name)}")
            x[:, by_name[name]] = np.broadcast_to(np.asarray(value, dtype=float), (size,))
        return x
    arr = np.asarray(starts, dtype=float)
    try:
        return np.broadcast_to(arr, (size, len(system.actions))).copy()
    except ValueError as exc:
        raise InvalidSpecError(f"starts must have shape ({size}, {len(system.actions)}), got {arr.shape}") from exc


def _root_fallback(
    system: FOCSystem,
    x: np.ndarray,
    params: Mapping[sp.Symbol, np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    tol: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, float]:
    """scipy.optimize.root (hybr) on one point's natural map, from several starts."""

    def F(z: np.ndarray) -> np.ndarray:
        return natural_map(system, z[None, :], params, lo[None, :], hi[None, :])[0]

    centre = _starts(system, None, lo[None, :], hi[None, :], 1)[0]
    guesses = [x, centre] + [centre + rng.normal(scale=1 + np.abs(centre)) for _ in range(4)]
    best, best_r = x, np.inf
    for guess in guesses:
        guess = np.where(np.isfinite(guess), guess, centre)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = optimize.root(F, np.clip(guess, lo, hi), method="hybr", tol=tol / 10)
        z = np.clip(res.x, lo, hi)
        r = float(_norm(F(z)[None, :])[0])
        if r < best_r:
            best, best_r = z, r
        if r <= tol:
            break
    return best, best_r


def deviation_gain(
    system: FOCSystem,
    x: np.ndarray,
    params: Mapping[sp.Symbol, np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    grid: int = 41,
    radius: float = 10.0,
) -> np.ndarray:
    """Largest relative gain from a one-action deviation, per point (vectorised).

    Each action is moved over ``grid`` values spanning its box (or ``x +- radius (1+|x|)``
    on an unbounded side), the other actions fixed; the gain of the action's owner is
    ``(u(dev) - u(x)) / (1 + |u(x)|)``. NaN profiles give ``inf``.
    """
    n_points, n = x.shape
    if n_points == 0:
        return np.zeros(0)
    block = max(1, 4_000_000 // max(1, grid * n))  # bound the (points, grid, actions) temporaries
    if n_points > block:
        parts = []
        for s in range(0, n_points, block):
            sl = slice(s, s + block)
            sub = {k: (v[sl] if np.ndim(v) else v) for k, v in params.items()}
            parts.append(deviation_gain(system, x[sl], sub, lo[sl], hi[sl], grid, radius))
        return np.concatenate(parts)
    base = system.payoff(x, params)
    t = np.linspace(0.0, 1.0, grid)
    worst = np.full(n_points, -np.inf)
    pcol = {s: (v[:, None] if np.ndim(v) else v) for s, v in params.items()}
    for j in range(n):
        span = radius * (1 + np.abs(np.nan_to_num(x[:, j])))
        a = np.where(np.isfinite(lo[:, j]), lo[:, j], x[:, j] - span)
        b = np.where(np.isfinite(hi[:, j]), hi[:, j], x[:, j] + span)
        dev = a[:, None] + (b - a)[:, None] * t[None, :]
        # keep open ends out of the deviation set
        lopen, hopen = system.open_ends[j]
        width = (b - a)[:, None] * 1e-9
        dev = np.clip(dev, a[:, None] + (width if lopen else 0), b[:, None] - (width if hopen else 0))
        trial = np.repeat(x[:, None, :], grid, axis=1)
        trial[:, :, j] = dev
        owner = system.owners[j]
        u_dev = system.payoff(trial, pcol)[owner]
        u0 = np.broadcast_to(base[owner], (n_points,))
        with np.errstate(invalid="ignore"):
            gain = (np.nanmax(np.where(np.isfinite(u_dev), u_dev, -np.inf), axis=1) - u0) / (1 + np.abs(u0))
        worst = np.maximum(worst, np.where(np.isfinite(u0), gain, np.inf))
    return np.where(np.isnan(worst), np.inf, worst)


def _full_checks(
    game: ContinuousGame,
    system: FOCSystem,
    x: np.ndarray,
    params: Mapping[sp.Symbol, np.ndarray],
    verified: np.ndarray,
    check: int | str,
    seed: int,
) -> dict[int, Any]:
    from gvcgames.solve.verify import is_equilibrium

    candidates = np.flatnonzero(verified)
    if check == "all":
        chosen = candidates
    elif isinstance(check, int) and check >= 0:
        rng = np.random.default_rng(seed)
        chosen = np.sort(rng.choice(candidates, size=min(check, candidates.size), replace=False))
    else:
        raise InvalidSpecError(f"check must be a number of points or 'all', got {check!r}")
    out = {}
    for i in chosen:
        values = {s: float(np.broadcast_to(v, (len(verified),))[i]) for s, v in params.items()}
        profile = {a: float(x[i, j]) for j, a in enumerate(system.actions)}
        out[int(i)] = is_equilibrium(game, profile, values, seed=seed)
    return out
