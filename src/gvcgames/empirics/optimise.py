"""Optimiser kernels of the estimators: starts, bounds, multi-start minimisation, convergence.

A run counts as converged when scipy reports success, or when its line search failed at a point
where the Gauss-Newton decrement of the objective is below ``1e-9`` (nothing left to gain). If no
run converges a :class:`~gvcgames.empirics.errors.ConvergenceError` is raised -- an unconverged
point is never returned as an estimate; when every run ended where the model's moments are not
finite, the error says so and names those moments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from scipy import optimize

from gvcgames.empirics import inference
from gvcgames.empirics.errors import ConvergenceError, MomentError

DECREMENT = 1e-9  # a run stopped by a failed line search counts as converged below this Newton decrement
PENALTY = 1e12  # objective where the model moments are not finite (keeps the optimiser finite)
DEFAULT_OPTIONS = {
    "L-BFGS-B": {"ftol": 1e-14, "gtol": 1e-8, "maxiter": 5000},
    "Nelder-Mead": {"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000, "maxfev": 20000},
    "Powell": {"xtol": 1e-10, "ftol": 1e-14, "maxiter": 20000},
    "BFGS": {"gtol": 1e-8, "maxiter": 5000},
}
GRADIENT_METHODS = ("L-BFGS-B", "BFGS", "CG", "TNC", "SLSQP")
BOUNDED_METHODS = ("L-BFGS-B", "Nelder-Mead", "Powell", "TNC", "SLSQP", "trust-constr", "COBYLA", "COBYQA")


def minimise(
    gbar: Callable[[np.ndarray], np.ndarray],
    W: np.ndarray,
    starts: list[np.ndarray],
    box: Mapping[str, tuple[float, float]],
    method: str,
    options: Mapping[str, Any] | None,
    names: list[str],
    omega: np.ndarray,
    moment_names: Sequence[str] = (),
) -> tuple[Any, list[Any]]:
    """Minimise ``gbar' W gbar`` from every start; the best converged run and all runs."""
    bounds = [box[n] for n in names]
    # scale so that the objective is chi-square-like (order one at the optimum) whatever the
    # weighting: scipy's tolerances are absolute for objectives below one
    scale = float(np.trace(W @ omega)) / W.shape[0]
    scale = scale if np.isfinite(scale) and scale > 1e-300 else 1.0

    def objective(theta: np.ndarray) -> float:
        g = gbar(theta)
        if not np.all(np.isfinite(g)):
            return PENALTY
        return float(g @ W @ g) / scale

    def gradient(theta: np.ndarray) -> np.ndarray:
        # central differences of g: far more accurate than scipy's forward differences of Q
        g = gbar(theta)
        if not np.all(np.isfinite(g)):
            return np.zeros_like(theta)
        G = inference.jacobian(gbar, theta, bounds)
        if not np.all(np.isfinite(G)):
            return np.zeros_like(theta)
        return 2 * G.T @ W @ g / scale

    opts = dict(DEFAULT_OPTIONS.get(method, {}))
    opts.update(options or {})
    runs = []
    for x0 in starts:
        try:
            res = optimize.minimize(
                objective,
                x0,
                method=method,
                jac=gradient if method in GRADIENT_METHODS else None,
                bounds=bounds if method in BOUNDED_METHODS else None,
                options=opts,
            )
        except ValueError as exc:
            raise MomentError(f"scipy.optimize.minimize rejected method {method!r}: {exc}") from exc
        res.fun = float(res.fun) * scale
        res.start = np.asarray(x0, dtype=float)
        g_end = gbar(res.x)
        res.finite = bool(np.all(np.isfinite(g_end)))
        res.accepted = res.finite and (bool(res.success) or _stationary(gbar, W, res.x, bounds, scale))
        runs.append(res)
    ok = [r for r in runs if r.accepted and np.isfinite(r.fun) and r.fun < PENALTY * scale / 2]
    if not ok:
        if not any(r.finite for r in runs):
            g_end = gbar(runs[-1].x)
            labels = list(moment_names) or [f"moment {i}" for i in range(g_end.size)]
            bad = [labels[i] for i in np.flatnonzero(~np.isfinite(g_end))] if g_end.size == len(labels) else labels
            raise ConvergenceError(
                f"every optimiser run ({len(runs)}, method {method}) ended where the model's moments are not "
                f"finite (NaN or infinite): {bad} at {np.round(runs[-1].x, 6).tolist()} (parameters {names}); the "
                "model is undefined there -- narrow bounds= to where it is defined, or give start= inside it",
                runs,
            )
        details = "; ".join(f"start {np.round(r.start, 4).tolist()}: {r.message}" for r in runs)
        raise ConvergenceError(f"no optimiser run converged ({len(runs)} runs, method {method}): {details}", runs)
    return min(ok, key=lambda r: r.fun), runs


def _stationary(
    gbar: Callable[[np.ndarray], np.ndarray],
    W: np.ndarray,
    theta: np.ndarray,
    bounds: list[tuple[float, float]],
    scale: float,
) -> bool:
    """Whether no Gauss-Newton step can lower the (scaled) objective by more than ``DECREMENT``.

    scipy's line search can fail at an optimum whose gradient is at the level of floating-point
    noise; the Newton decrement ``g'WG (G'WG)^{-1} G'Wg`` measures, in the objective's own
    (chi-square) units, how much is left to gain.
    """
    g = gbar(theta)
    if not np.all(np.isfinite(g)):
        return False
    G = inference.jacobian(gbar, theta, bounds)
    if not np.all(np.isfinite(G)):
        return False
    grad = G.T @ W @ g
    try:
        decrement = float(grad @ np.linalg.solve(G.T @ W @ G, grad))
    except np.linalg.LinAlgError:
        return False
    return decrement / scale < DECREMENT


def resolve_bounds(
    base: Mapping[str, tuple[float, float]], given: Mapping[str, tuple[float, float]] | None, names: Sequence[str]
) -> dict[str, tuple[float, float]]:
    """``base`` bounds overridden by ``given``; each must be a known parameter with ``low < high``."""
    box = dict(base)
    for name, (lo, hi) in (given or {}).items():
        if name not in box:
            raise MomentError(f"bounds given for {name!r}, which is not estimated; estimated: {list(names)}")
        box[name] = (float(lo), float(hi))
    bad = [n for n, (lo, hi) in box.items() if not lo < hi]
    if bad:
        raise MomentError(f"empty bounds for {bad}: need low < high")
    return box


def first_start(
    start: Mapping[str, float] | Sequence[float] | None, names: list[str], box: Mapping[str, tuple[float, float]]
) -> np.ndarray:
    """The first start: ``start``, or the middle of finite bounds, else 1 clipped into the bounds."""
    if start is None:
        mids = []
        for n in names:
            lo, hi = box[n]
            mids.append((lo + hi) / 2 if np.isfinite(lo) and np.isfinite(hi) else float(np.clip(1.0, lo, hi)))
        return np.array(mids)
    if isinstance(start, Mapping):
        missing = [n for n in names if n not in start]
        if missing:
            raise MomentError(f"start lacks value(s) for {missing}")
        unknown = [str(k) for k in start if k not in names]
        if unknown:
            raise MomentError(f"start names unknown parameter(s) {unknown}; estimated: {names}")
        x0 = np.array([float(start[n]) for n in names])
    else:
        x0 = np.asarray(start, dtype=float).reshape(-1)
        if x0.size != len(names):
            raise MomentError(f"start has {x0.size} entries for parameters {names}")
    if not np.all(np.isfinite(x0)):
        raise MomentError(f"start values must be finite; got {x0.tolist()} for {names}")
    outside = [n for n, x in zip(names, x0, strict=True) if not box[n][0] <= x <= box[n][1]]
    if outside:
        raise MomentError(f"start value(s) of {outside} outside the bounds {[box[n] for n in outside]}")
    return x0


def draw_points(
    x0: np.ndarray, box: Mapping[str, tuple[float, float]], names: list[str], n: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """``n`` points: uniform within finite bounds; on an infinite side, within ``x0 +- 2 max(|x0|, 1)``."""
    lo = np.array([box[k][0] for k in names])
    hi = np.array([box[k][1] for k in names])
    spread = np.maximum(np.abs(x0), 1.0)
    a = np.where(np.isfinite(lo), lo, x0 - 2 * spread)
    b = np.where(np.isfinite(hi), hi, x0 + 2 * spread)
    return [np.clip(a + rng.random(x0.size) * (b - a), lo, hi) for _ in range(n)]


def starts(
    x0: np.ndarray, box: Mapping[str, tuple[float, float]], names: list[str], n: int, seed: int
) -> list[np.ndarray]:
    """``x0`` and ``n - 1`` points drawn with ``seed`` (see :func:`draw_points`)."""
    return [x0, *draw_points(x0, box, names, n - 1, np.random.default_rng(seed))]


def probe_points(
    points: list[np.ndarray], box: Mapping[str, tuple[float, float]], names: list[str], seed: int, n: int = 3
) -> list[np.ndarray]:
    """At least ``n`` points for the identification check: the starts, topped up with draws."""
    extra = max(n - len(points), 0)
    rng = np.random.default_rng([seed, 7919])
    return [*points[:n], *draw_points(points[0], box, names, extra, rng)]


__all__ = ["first_start", "minimise", "probe_points", "resolve_bounds", "starts"]
