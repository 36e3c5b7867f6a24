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
projected on the box and damped by backtracking on ``max|F|``. Where Newton fails, a
one-action problem is solved by a vectorised bracketed search (the best of a grid, then
bisection of the sign change of ``g`` to adjacent floating-point numbers), which also
resolves optima too close to a bound for the residual to reach the tolerance; what is
left falls back, one point at a time, to ``scipy.optimize.root`` from several starts.

Every solution is then checked by a vectorised no-profitable-deviation test: each player
deviates in *all* their actions at once, over a grid of their own box (every corner up to
ten actions) and by projected gradient ascent from the best grid profiles and from the
candidate moved along the top eigenvector of the player's own Hessian, so saddle points
of the first-order system are refuted (:func:`deviation_gain`). A sample, or every point
on request, also gets :func:`gvcgames.is_equilibrium`. Failures are reported per point
with a message.
"""

from __future__ import annotations

import math
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
    player_payoffs: Mapping[str, CompiledExpressions] = field(default_factory=dict)

    @property
    def players(self) -> dict[str, tuple[int, ...]]:
        """Player name -> indices of the actions they own (in the order of ``actions``)."""
        out: dict[str, list[int]] = {}
        for i, owner in enumerate(self.owners):
            out.setdefault(owner, []).append(i)
        return {k: tuple(v) for k, v in out.items()}

    def payoff_of(self, owner: str, columns: list[np.ndarray], params: Mapping[sp.Symbol, np.ndarray]) -> np.ndarray:
        """``owner``'s payoff with action ``i`` given by ``columns[i]`` (arrays broadcast together)."""
        compiled = self.player_payoffs.get(owner) or self.payoffs
        args = {**params, **dict(zip(self.actions, columns, strict=True))}
        return compiled(args)[owner]

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
        {p.name: compile_expressions({p.name: p.payoff}, symbols) for p in game.players},
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
        The KKT natural-map residual is below ``tol``, or (one action) a sign change of
        the gradient is bracketed between adjacent floating-point numbers; and the
        solution is in the action set (not pressing on an open end of its domain).
    verified : ndarray of bool
        Converged and no profitable deviation found (vectorised joint deviation check,
        see :func:`deviation_gain`, and, where run, :func:`gvcgames.is_equilibrium`).
    residual, max_gain : ndarray
        Final ``max|F|``; the largest gain from a deviation found by the check.
    method, message : ndarray of str
        How each point was solved (``"start"``, ``"newton"``, ``"bracket"``, ``"scipy root"``,
        ``"failed"``) and what went wrong.
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
        Retry the points where Newton failed: one-action games by a vectorised bracketed
        solve, what remains one by one with ``scipy.optimize.root`` (several starts).
    check : int or "all"
        How many converged points (chosen with ``seed``) also get the full
        :func:`gvcgames.is_equilibrium` check; ``"all"`` checks every one (slow).
    deviation_grid : int
        Grid points per action in the vectorised deviation check (a player with ``m``
        actions gets a grid of about ``4 * deviation_grid`` profiles, every corner
        included, then local ascent; see :func:`deviation_gain`).
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
    certified = np.zeros(n_points, dtype=bool)  # a sign change of g bracketed to machine precision
    if fallback:
        todo = np.flatnonzero(residual > tol)
        if n == 1 and todo.size:
            xb, rb, cb = _bracket_1d(system, x, params, lo, hi, todo)
            take = cb | (rb < residual[todo])
            x[todo[take], 0], residual[todo[take]] = xb[take], rb[take]
            certified[todo[cb]] = True
            method[todo[cb | (rb <= tol)]] = "bracket"
        rng = np.random.default_rng(seed)
        for i in np.flatnonzero((residual > tol) & ~certified):
            xi, ri = _root_fallback(system, x[i], {s: v[i : i + 1] for s, v in params.items()}, lo[i], hi[i], tol, rng)
            if ri < residual[i] or not np.isfinite(residual[i]):
                x[i], residual[i] = xi, ri
            if ri <= tol:
                method[i] = "scipy root"
    converged = (residual <= tol) | certified
    message = np.where(converged, "", f"no KKT point to tolerance {tol:g}").astype(object)
    at_open = _at_open_end(system, x, params, lo, hi, converged, certified, tol)
    if fallback and n == 1 and at_open.any():  # an interior root closer to the open end than Newton's tolerance?
        rows = np.flatnonzero(at_open)
        xb, rb, cb = _bracket_1d(system, x, params, lo, hi, rows)
        inside = cb & (xb > lo[rows, 0]) & (xb < hi[rows, 0])
        x[rows[inside], 0], residual[rows[inside]] = xb[inside], rb[inside]
        certified[rows[inside]] = True
        method[rows[inside]] = "bracket"
        at_open[rows[inside]] = False
    for j, action in enumerate(system.actions if at_open.any() else ()):
        here = at_open & _at_open_end(system, x, params, lo, hi, at_open, certified, tol, only=j)
        message[here] = (
            f"{action} is at an open end of its domain: its gradient points out of the action set there, "
            "so any optimum lies closer to the excluded bound than the solver resolves"
        )
    converged &= ~at_open
    admissible = _admissible(system, params, n_points)
    message[~admissible] = "the parameters violate the game's assumptions " + str(list(game.assumptions.relations))
    converged &= admissible
    x = np.where(converged[:, None], x, np.nan) if n else x
    gain = deviation_gain(system, x, params, lo, hi, deviation_grid, seed=seed)
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


def _at_open_end(
    system: FOCSystem,
    x: np.ndarray,
    params: Mapping[sp.Symbol, np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    converged: np.ndarray,
    certified: np.ndarray,
    tol: float,
    only: int | None = None,
) -> np.ndarray:
    """Converged points whose solution sits on an open end of an action's domain.

    On the bound itself, or (unless ``certified`` by a bracketed sign change inside the
    set) within ``tol`` of it with the gradient pushing out of the set: the natural map
    then has its zero on a bound the action set excludes.
    """
    out = np.zeros(len(x), dtype=bool)
    for j, (lopen, hopen) in enumerate(system.open_ends):
        if not (lopen or hopen) or (only is not None and j != only):
            continue
        with np.errstate(invalid="ignore"):
            scale = np.maximum(np.maximum(np.abs(np.nan_to_num(lo[:, j])), np.abs(np.nan_to_num(hi[:, j]))), 1.0)
            near = np.maximum(tol, 4 * np.spacing(scale))
            on = (lopen & (x[:, j] <= lo[:, j])) | (hopen & (x[:, j] >= hi[:, j]))
            near_lo = lopen & (x[:, j] <= lo[:, j] + near)
            near_hi = hopen & (x[:, j] >= hi[:, j] - near)
        hit = converged & on
        rows = np.flatnonzero(converged & ~on & ~certified & (near_lo | near_hi))
        if rows.size:
            g = system.grad(x[rows], {s: (v[rows] if np.ndim(v) else v) for s, v in params.items()})[:, j]
            with np.errstate(invalid="ignore"):
                pushed = (near_lo[rows] & ~(x[rows, j] + g > lo[rows, j])) | (
                    near_hi[rows] & ~(x[rows, j] + g < hi[rows, j])
                )
            hit[rows[pushed]] = True
        out |= hit
    return out


def _bracket_1d(
    system: FOCSystem,
    x: np.ndarray,
    params: Mapping[sp.Symbol, np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    rows: np.ndarray,
    grid: int = 64,
    radius: float = 10.0,
    max_iter: int = 200,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised bracketed solve of a one-action problem at the points ``rows``.

    The payoff is maximised over ``grid`` values of the box (an unbounded side cut at
    ``radius (1 + |x|)``); at the best value either the bound is a KKT corner (``g``
    points out of the box) or ``g`` changes sign from + to - between it and a neighbour,
    and that bracket is bisected to adjacent floating-point numbers. Returns the
    solutions, their natural-map residuals and whether each is certified: a corner with
    the right sign of ``g``, or a sign change of ``g`` inside a bracket a few ulps wide
    (the KKT point then lies within floating-point precision of the solution, even where
    ``g`` is too steep for its residual to reach the tolerance).
    """
    size = rows.size
    p = {k: (v[rows] if np.ndim(v) else v) for k, v in params.items()}
    lo_r, hi_r, x_r = lo[rows, 0], hi[rows, 0], x[rows, 0]
    ref = np.where(np.isfinite(x_r), x_r, np.where(np.isfinite(lo_r), lo_r, np.where(np.isfinite(hi_r), hi_r, 0.0)))
    span = radius * (1 + np.abs(ref))
    a = np.where(np.isfinite(lo_r), lo_r, ref - span)
    b = np.where(np.isfinite(hi_r), hi_r, ref + span)
    lopen, hopen = system.open_ends[0]
    inset = 8 * np.spacing(np.maximum(np.abs(a), np.abs(b)))  # off open ends, where g is often 0/0
    a, b = (a + inset if lopen else a), (b - inset if hopen else b)
    pts = a[:, None] + (b - a)[:, None] * np.linspace(0.0, 1.0, grid)[None, :]
    pcol = {k: (v[:, None] if np.ndim(v) else v) for k, v in p.items()}

    def grad(z: np.ndarray, prm: Mapping[sp.Symbol, Any]) -> np.ndarray:
        return np.broadcast_to(system.grad(z[..., None], prm)[..., 0], z.shape)

    G = grad(pts, pcol)
    U = np.broadcast_to(system.payoff_of(system.owners[0], [pts], pcol), pts.shape)
    U = np.where(np.isfinite(U), U, -np.inf)
    k = np.argmax(U, axis=1)
    at = np.arange(size)
    gk = G[at, k]
    kl, kr = np.maximum(k - 1, 0), np.minimum(k + 1, grid - 1)
    right = gk > 0  # the maximum lies to the right of pts[k]
    left_i = np.where(right, k, kl)
    right_i = np.where(right, kr, k)
    L, R = pts[at, left_i], pts[at, right_i]
    gL, gR = G[at, left_i], G[at, right_i]
    exact = gk == 0
    corner_lo = (k == 0) & (gk < 0) & np.isfinite(lo_r)
    corner_hi = (k == grid - 1) & (gk > 0) & np.isfinite(hi_r)
    bracketed = (left_i < right_i) & (gL >= 0) & (gR <= 0) & ~exact
    for _ in range(max_iter):
        live = np.flatnonzero(bracketed & (2 * np.spacing(np.maximum(np.abs(L), np.abs(R))) < R - L))
        if live.size == 0:
            break
        M = (L[live] + R[live]) / 2
        gm = grad(M, {k2: (v[live] if np.ndim(v) else v) for k2, v in p.items()})
        pos, neg = gm > 0, gm < 0
        L[live[pos]] = M[pos]
        R[live[neg]] = M[neg]
        hit = live[gm == 0]
        L[hit], R[hit] = M[gm == 0], M[gm == 0]
        bracketed[live[~(pos | neg | (gm == 0))]] = False  # g not finite inside: give up here
    sol = np.where(exact, pts[at, k], np.where(corner_lo, lo_r, np.where(corner_hi, hi_r, (L + R) / 2)))
    certified = exact | corner_lo | corner_hi
    certified |= bracketed & (4 * np.spacing(np.maximum(np.abs(L), np.abs(R))) >= R - L)
    with np.errstate(all="ignore"):
        F = sol - np.clip(sol + grad(sol, p), lo_r, hi_r)
    residual = np.where(np.isfinite(F), np.abs(F), np.inf)
    return sol, residual, certified & np.isfinite(sol)


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
    *,
    starts: int = 4,
    iterations: int = 60,
    seed: int = 0,
) -> np.ndarray:
    """Largest relative gain of a player deviating in all their actions at once, per point.

    Each player's deviations range over their own box (an unbounded side is cut at
    ``x +- radius (1 + |x|)``; open ends are kept out), the other players' actions fixed,
    and the gain is ``(u(dev) - u(x)) / (1 + |u(x)|)`` for that player. The search, all
    points at once:

    - one action: ``grid`` values spanning the box;
    - ``m >= 2`` actions: a tensor grid of ``k ** m`` profiles, ``k = max(2, floor((4 grid)
      ** (1 / m)))`` (12 x 12 for ``grid = 41``; every corner of the box is tried up to
      ``m = 10``; beyond that ``4 grid`` seeded random profiles, the centre and the two
      extreme corners), then projected gradient ascent on the player's payoff from
      ``starts`` points (the two best grid profiles and ``x`` moved both ways along the
      eigenvector of the largest eigenvalue of the player's own Hessian, which escapes
      saddle points; more starts are random profiles in the box), for ``iterations``
      steps with adaptive step lengths.

    NaN profiles give ``inf``. This is a search, not a proof: a gain none of these
    profiles reach is not seen (:func:`gvcgames.is_equilibrium` searches more finely).
    """
    n_points, n = x.shape
    if n_points == 0:
        return np.zeros(0)
    with np.errstate(invalid="ignore"):
        span = radius * (1 + np.abs(np.nan_to_num(x)))
    a = np.where(np.isfinite(lo), lo, x - span)
    b = np.where(np.isfinite(hi), hi, x + span)
    width = (b - a) * 1e-9  # keep open ends out of the deviation set
    for j, (lopen, hopen) in enumerate(system.open_ends):
        if lopen:
            a[:, j] += width[:, j]
        if hopen:
            b[:, j] -= width[:, j]
    worst = np.full(n_points, -np.inf)
    for owner, idx in system.players.items():
        u0 = np.broadcast_to(system.payoff_of(owner, [x[:, i] for i in range(n)], params), (n_points,))
        unit = _unit_grid(len(idx), grid, seed)
        best, top = _grid_search(system, owner, idx, x, params, a, b, unit)
        ok = np.isfinite(u0) & np.all(np.isfinite(x), axis=1)
        if len(idx) > 1 and iterations > 0 and ok.any():
            rows = np.flatnonzero(ok)
            span_j = (b - a)[rows][:, idx]
            grid_starts = [a[rows][:, idx] + span_j * unit[top[rows, t]] for t in range(top.shape[1])]
            sub = {k: (v[rows] if np.ndim(v) else v) for k, v in params.items()}
            found = _ascend(system, owner, idx, x[rows], sub, a[rows], b[rows], grid_starts, starts, iterations, seed)
            best[rows] = np.maximum(best[rows], found)
        with np.errstate(invalid="ignore"):
            gain = (best - u0) / (1 + np.abs(u0))
        worst = np.maximum(worst, np.where(ok, gain, np.inf))
    return np.where(np.isnan(worst), np.inf, worst)


def _grid_search(
    system: FOCSystem,
    owner: str,
    idx: tuple[int, ...],
    x: np.ndarray,
    params: Mapping[sp.Symbol, np.ndarray],
    a: np.ndarray,
    b: np.ndarray,
    unit: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """``owner``'s best payoff over the grid ``a + (b - a) * unit`` of their actions, per point.

    Returns the best values and the indices (into ``unit``) of the two best profiles;
    computed in blocks of points so the ``(points, profiles)`` temporaries stay bounded.
    """
    n_points, n = x.shape
    K = len(unit)
    best = np.empty(n_points)
    top = np.zeros((n_points, min(2, K)), dtype=int)
    block = max(1, 2_000_000 // (K * (len(idx) + 3)))
    for s in range(0, n_points, block):
        sl = slice(s, min(s + block, n_points))
        pcol = {k: (v[sl, None] if np.ndim(v) else v) for k, v in params.items()}
        cols = [x[sl, i, None] for i in range(n)]
        for k, j in enumerate(idx):
            cols[j] = a[sl, j, None] + (b - a)[sl, j, None] * unit[None, :, k]
        size = cols[idx[0]].shape[0]
        u = np.broadcast_to(system.payoff_of(owner, cols, pcol), (size, K))
        u = np.where(np.isfinite(u), u, -np.inf)
        best[sl] = u.max(axis=1)
        if len(idx) > 1:
            two = np.argpartition(u, K - top.shape[1], axis=1)[:, K - top.shape[1] :]
            order = np.argsort(np.take_along_axis(u, two, axis=1), axis=1)[:, ::-1]
            top[sl] = np.take_along_axis(two, order, axis=1)
    return best, top


def _unit_grid(m: int, grid: int, seed: int) -> np.ndarray:
    """Deviation profiles in the unit box ``[0, 1]^m``: shape ``(K, m)`` (see deviation_gain)."""
    if m == 1:
        return np.linspace(0.0, 1.0, grid)[:, None]
    budget = 4 * grid
    k = max(2, math.floor(budget ** (1.0 / m) + 1e-9))
    if m <= 10:
        axes = np.meshgrid(*([np.linspace(0.0, 1.0, k)] * m), indexing="ij")
        return np.stack([g.ravel() for g in axes], axis=-1)
    rng = np.random.default_rng([seed, m])
    return np.vstack([np.zeros(m), np.ones(m), np.full(m, 0.5), rng.uniform(size=(budget, m))])


def _ascend(
    system: FOCSystem,
    owner: str,
    idx: tuple[int, ...],
    x: np.ndarray,
    params: Mapping[sp.Symbol, np.ndarray],
    a: np.ndarray,
    b: np.ndarray,
    grid_starts: list[np.ndarray],
    starts: int,
    iterations: int,
    seed: int,
) -> np.ndarray:
    """Best payoff of ``owner`` found by projected gradient ascent in their actions ``idx``.

    Vectorised over points and starts; returns one value per point (``-inf`` if nothing
    finite was found).
    """
    P, n = x.shape
    J = list(idx)
    lo_j, hi_j = a[:, J], b[:, J]
    hess = system.jac(x, params)[:, J][:, :, J]
    hess = np.where(np.isfinite(hess), (hess + np.swapaxes(hess, 1, 2)) / 2, 0.0)
    eigenvalues, vectors = np.linalg.eigh(hess)
    direction = vectors[:, :, -1]  # eigenvector of the largest eigenvalue
    curvature = np.max(np.abs(eigenvalues), axis=1)  # a Lipschitz estimate of the gradient
    h = 0.05 * (hi_j - lo_j)
    first = [
        grid_starts[0],
        np.clip(x[:, J] + h * direction, lo_j, hi_j),
        np.clip(x[:, J] - h * direction, lo_j, hi_j),
        *grid_starts[1:],
    ]
    rng = np.random.default_rng([seed, len(J), 7])
    while len(first) < starts:
        first.append(lo_j + (hi_j - lo_j) * rng.uniform(size=lo_j.shape))
    first = first[: max(starts, 1)]
    S = len(first)
    point = np.repeat(np.arange(P), S)  # row r belongs to point r // S
    y = np.stack(first, axis=1).reshape(P * S, len(J))
    base, low, high = x[point], lo_j[point], hi_j[point]
    prow = {k: (v[point] if np.ndim(v) else v) for k, v in params.items()}

    def evaluate(rows: np.ndarray, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        cols = [base[rows, i] for i in range(n)]
        for k, j in enumerate(J):
            cols[j] = own[:, k]
        sub = {k: (v[rows] if np.ndim(v) else v) for k, v in prow.items()}
        u = np.broadcast_to(system.payoff_of(owner, cols, sub), (len(rows),))
        g = system.grad(np.stack(cols, axis=-1), sub)[:, J]
        return np.where(np.isfinite(u), u, -np.inf), g

    rows = np.arange(P * S)
    u, g = evaluate(rows, y)
    extent = np.max(high - low, axis=1)
    with np.errstate(all="ignore"):
        t = np.minimum(0.1 * extent / (np.max(np.abs(g), axis=1) + 1e-300), 1 / curvature[point])
    active = np.isfinite(u) & np.all(np.isfinite(g), axis=1) & (extent > 0)
    for _ in range(iterations):
        live = np.flatnonzero(active)
        if live.size == 0:
            break
        with np.errstate(all="ignore"):
            trial = np.clip(y[live] + t[live, None] * g[live], low[live], high[live])
        moved = np.max(np.abs(trial - y[live]), axis=1) > 1e-12 * (1 + extent[live])
        ut, gt = evaluate(live, trial)
        better = (ut > u[live]) & moved
        with np.errstate(invalid="ignore"):
            tiny = ut - u[live] <= 1e-13 * (1 + np.abs(u[live]))  # converged: gains below any tolerance
        up = live[better]
        y[up], u[up], g[up] = trial[better], ut[better], gt[better]
        t[up] *= 2.0
        t[live[~better]] *= 0.25
        active[live] = moved & ~(better & tiny) & np.all(np.isfinite(g[live]), axis=1)
    return u.reshape(P, S).max(axis=1)


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
