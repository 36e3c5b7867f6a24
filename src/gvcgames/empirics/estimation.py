"""Minimum distance, simulated method of moments and GMM estimation.

Minimum distance (Chamberlain 1984; Newey and McFadden 1994) and SMM (McFadden 1989; Pakes and
Pollard 1989) choose ``theta`` to minimise ``g(theta)' W g(theta)`` with ``g = m_hat - m(theta)``,
data moments minus model moments. GMM on micro data (Hansen 1982) uses sample means of moment
conditions ``g_i(theta)``. Weighting: ``"identity"``, ``"diagonal"`` (inverse variances),
``"optimal"`` (two-step: diagonal first, then ``Omega^{-1}``) or a user matrix. Every optimiser run
(multiple starts, drawn from the bounds with a seed) is kept; a run counts as converged when scipy
reports success, or when its line search failed at a point where the Gauss-Newton decrement of the
objective is below 1e-9 (nothing left to gain); if none converges a
:class:`~gvcgames.empirics.errors.ConvergenceError` is raised -- an unconverged point is never
returned as an estimate.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from gvcgames.empirics import inference
from gvcgames.empirics.errors import (
    ConvergenceError,
    CovarianceError,
    DataError,
    MomentError,
    UnderIdentifiedError,
    WeakIdentificationWarning,
)
from gvcgames.empirics.model_moments import FunctionMoments, ModelMoments
from gvcgames.empirics.moments import MomentSet, _check_covariance
from gvcgames.empirics.results import EstimationResult

WEIGHTINGS = ("identity", "diagonal", "optimal")
_DECREMENT = 1e-9  # a run stopped by a failed line search counts as converged below this Newton decrement
_PENALTY = 1e12  # objective where the model moments are not finite (keeps the optimiser finite)
_DEFAULT_OPTIONS = {
    "L-BFGS-B": {"ftol": 1e-14, "gtol": 1e-8, "maxiter": 5000},
    "Nelder-Mead": {"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20000, "maxfev": 20000},
    "Powell": {"xtol": 1e-10, "ftol": 1e-14, "maxiter": 20000},
    "BFGS": {"gtol": 1e-8, "maxiter": 5000},
}
_GRADIENT_METHODS = ("L-BFGS-B", "BFGS", "CG", "TNC", "SLSQP")


def estimate(
    model: ModelMoments,
    data: MomentSet,
    *,
    weighting: str | np.ndarray = "optimal",
    start: Mapping[str, float] | Sequence[float] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    method: str = "L-BFGS-B",
    n_starts: int = 5,
    seed: int = 0,
    simulation_ratio: float | None = None,
    level: float = 0.95,
    options: Mapping[str, Any] | None = None,
    weak_ratio: float = 1e-3,
) -> EstimationResult:
    """Estimate the model's parameters by matching its moments to the data (MD, or SMM if simulated).

    Parameters
    ----------
    model : ModelMoments
        Produces (at least) every moment in ``data``.
    data : MomentSet
    weighting : {"optimal", "diagonal", "identity"} or ndarray
    start : mapping or sequence, optional
        First starting point (default: the middle of finite bounds, else 1 clipped into them).
    bounds : mapping name -> (low, high), optional
        Overrides the model's bounds (which default to the parameter domains).
    method : str
        A ``scipy.optimize.minimize`` method (``"L-BFGS-B"``, ``"Nelder-Mead"``, ``"Powell"``, ...).
    n_starts : int
        Number of starts: ``start`` and ``n_starts - 1`` points drawn uniformly in the bounds.
    seed : int
        Seed of the extra starts.
    simulation_ratio : float, optional
        ``S`` of the ``(1 + 1/S)`` correction for simulated moments; default ``n_sim / data.n_obs``.
    level : float
        Confidence level of the reported intervals.
    options : mapping, optional
        Passed to ``scipy.optimize.minimize``.
    weak_ratio : float
        Relative singular value below which parameters are reported as weakly identified.

    Returns
    -------
    EstimationResult

    Raises
    ------
    MomentError
        A data moment is not produced by the model, or the weighting is unknown.
    UnderIdentifiedError
        Fewer moments than parameters (raised before any optimisation).
    ConvergenceError
        No optimiser run converged.

    Examples
    --------
    The exact case: moments equal the parameters, so the standard errors are the moments' ones.

    >>> import gvcgames as gg
    >>> from gvcgames.empirics import ClosedFormMoments, MomentSet
    >>> a, b = gg.parameters("a b", positive=True)
    >>> data = MomentSet(("ma", "mb"), [0.3, 2.0], [[0.01, 0], [0, 0.25]])
    >>> res = estimate(ClosedFormMoments({"ma": a, "mb": b}, [a, b]), data)
    >>> res.params.round(6).tolist(), res.se.round(6).tolist()
    ([0.3, 2.0], [0.1, 0.5])
    """
    if not isinstance(data, MomentSet):
        raise MomentError(f"data must be a MomentSet; got {type(data).__name__}")
    unknown = [n for n in data.names if n not in model.names]
    if unknown:
        raise MomentError(f"the model does not produce moment(s) {unknown}; it produces {list(model.names)}")
    k, p = len(data), len(model.parameters)
    if k < p:
        raise UnderIdentifiedError(
            f"under-identified: {k} moment(s) {list(data.names)} for {p} parameters {list(model.parameters)}; "
            "add moments or fix parameters"
        )
    idx = np.array([model.names.index(n) for n in data.names])
    names = list(model.parameters)
    box = _bounds(model, bounds)

    ratio = None
    omega = data.cov
    if model.simulated:
        ratio = simulation_ratio if simulation_ratio is not None else _ratio(model, data)
        omega = (1 + 1 / ratio) * data.cov

    def gbar(theta: np.ndarray) -> np.ndarray:
        return data.values - model(theta)[idx]

    x0 = _start(start, names, box)
    starts = _starts(x0, box, names, n_starts, seed)
    W_final, label = _weighting(weighting, omega, data.names)
    runs: list[Any] = []
    if label == "optimal (two-step)":
        # step 1: diagonal weighting, robust and cheap; its estimate starts step 2
        first, runs1 = _minimise(gbar, np.diag(1 / np.diag(omega)), starts, box, method, options, names, omega)
        runs += runs1
        starts = [first.x, *starts]
    best, runs2 = _minimise(gbar, W_final, starts, box, method, options, names, omega)
    runs += runs2
    return _result(
        model=model,
        gbar=gbar,
        data=data,
        omega=omega,
        W=W_final,
        label=label,
        best=best,
        runs=runs,
        box=box,
        names=names,
        method_name="SMM" if model.simulated else "minimum distance",
        ratio=ratio,
        level=level,
        weak_ratio=weak_ratio,
        holds=model.holds_at(best.x),
    )


def gmm(
    conditions: Callable[[np.ndarray, pd.DataFrame], np.ndarray],
    data: pd.DataFrame,
    parameters: Sequence[str],
    *,
    start: Mapping[str, float] | Sequence[float] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    weighting: str = "optimal",
    method: str = "L-BFGS-B",
    n_starts: int = 3,
    seed: int = 0,
    level: float = 0.95,
    options: Mapping[str, Any] | None = None,
    moment_names: Sequence[str] | None = None,
) -> EstimationResult:
    """Two-step GMM on micro data: ``E[g_i(theta)] = 0`` with ``conditions(theta, data) -> (n, k)``.

    Step 1 uses identity (or diagonal) weighting; step 2 uses the inverse of the sample covariance of
    ``g_i`` at the step-1 estimate (Hansen 1982). Standard errors and the J-test use that covariance.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"y": rng.normal(2.0, 1.0, 2000)})
    >>> cond = lambda t, d: np.column_stack([d["y"] - t[0], (d["y"] - t[0]) ** 2 - t[1]])
    >>> res = gmm(cond, df, ["mu", "var"], bounds={"var": (1e-6, 10)})
    >>> bool(abs(res.params[0] - 2) < 0.1), bool(abs(res.params[1] - 1) < 0.1)
    (True, True)
    """
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise DataError("GMM needs a non-empty DataFrame of micro data")
    nan_cols = [str(c) for c in data.columns if data[c].isna().any()]
    if nan_cols:
        raise DataError(f"micro data contain NaN in column(s) {nan_cols}; drop or impute them first")
    names = [str(p) for p in parameters]
    n = len(data)
    box = {p: (-np.inf, np.inf) for p in names}
    box.update({kk: (float(lo), float(hi)) for kk, (lo, hi) in (bounds or {}).items()})
    x0 = _start(start, names, box)
    g0 = np.atleast_2d(np.asarray(conditions(x0, data), dtype=float))
    if g0.shape[0] != n:
        raise MomentError(f"conditions must return one row per observation ({n}); got shape {g0.shape}")
    k = g0.shape[1]
    if k < len(names):
        raise UnderIdentifiedError(f"under-identified: {k} moment condition(s) for {len(names)} parameters {names}")
    mnames = tuple(moment_names or [f"g{i + 1}" for i in range(k)])
    starts = _starts(x0, box, names, n_starts, seed)

    def gbar(theta: np.ndarray) -> np.ndarray:
        return np.asarray(conditions(theta, data), dtype=float).mean(axis=0)

    W1 = np.eye(k)
    first, runs = _minimise(gbar, W1, starts, box, method, options, names, _condition_cov(conditions, x0, data))
    label = "identity"
    W, best = W1, first
    omega = _condition_cov(conditions, first.x, data)
    if weighting == "optimal":
        _check_covariance(omega, mnames)
        W = np.linalg.inv(omega)
        best, runs2 = _minimise(gbar, W, [first.x, *starts], box, method, options, names, omega)
        runs += runs2
        omega = _condition_cov(conditions, best.x, data)
        label = "optimal (two-step)"
    elif weighting != "identity":
        raise MomentError(f"unknown GMM weighting {weighting!r}; valid: 'optimal', 'identity'")
    # the data 'moments' of GMM are zeros with the covariance of the sample means
    zero = MomentSet(mnames, np.zeros(k), omega, ("moment condition",) * k, float(n))
    pseudo = FunctionMoments(lambda t: -gbar(t), mnames, names)
    return _result(
        model=pseudo,
        gbar=gbar,
        data=zero,
        omega=omega,
        W=W,
        label=label,
        best=best,
        runs=runs,
        box=box,
        names=names,
        method_name="GMM",
        ratio=None,
        level=level,
        weak_ratio=1e-3,
        holds=None,
    )


# --- kernels -----------------------------------------------------------------------------------


def _minimise(
    gbar: Callable[[np.ndarray], np.ndarray],
    W: np.ndarray,
    starts: list[np.ndarray],
    box: Mapping[str, tuple[float, float]],
    method: str,
    options: Mapping[str, Any] | None,
    names: list[str],
    omega: np.ndarray,
) -> tuple[Any, list[Any]]:
    bounds = [box[n] for n in names]
    # scale so that the objective is chi-square-like (order one at the optimum) whatever the
    # weighting: scipy's tolerances are absolute for objectives below one
    scale = float(np.trace(W @ omega)) / W.shape[0]
    scale = scale if np.isfinite(scale) and scale > 1e-300 else 1.0

    def objective(theta: np.ndarray) -> float:
        g = gbar(theta)
        if not np.all(np.isfinite(g)):
            return _PENALTY
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

    opts = dict(_DEFAULT_OPTIONS.get(method, {}))
    opts.update(options or {})
    runs = []
    for x0 in starts:
        try:
            res = optimize.minimize(
                objective,
                x0,
                method=method,
                jac=gradient if method in _GRADIENT_METHODS else None,
                bounds=bounds if _takes_bounds(method) else None,
                options=opts,
            )
        except ValueError as exc:
            raise MomentError(f"scipy.optimize.minimize rejected method {method!r}: {exc}") from exc
        res.fun = float(res.fun) * scale
        res.start = np.asarray(x0, dtype=float)
        res.accepted = bool(res.success) or _stationary(gbar, W, res.x, bounds, scale)
        runs.append(res)
    ok = [r for r in runs if r.accepted and np.isfinite(r.fun) and r.fun < _PENALTY * scale / 2]
    if not ok:
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
    """Whether no Gauss-Newton step can lower the (scaled) objective by more than ``_DECREMENT``.

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
    return decrement / scale < _DECREMENT


def _result(
    *,
    model: ModelMoments,
    gbar: Callable[[np.ndarray], np.ndarray],
    data: MomentSet,
    omega: np.ndarray,
    W: np.ndarray,
    label: str,
    best: Any,
    runs: list[Any],
    box: Mapping[str, tuple[float, float]],
    names: list[str],
    method_name: str,
    ratio: float | None,
    level: float,
    weak_ratio: float,
    holds: bool | None,
) -> EstimationResult:
    theta = np.asarray(best.x, dtype=float)
    g = gbar(theta)
    fitted = data.values - g
    bounds = [box[n] for n in names]
    # Jacobian of the model moments, dm/dtheta' = -dg/dtheta'
    G = -inference.jacobian(gbar, theta, bounds)
    notes = []
    ident = inference.identification(G, omega, theta, names, weak_ratio)
    try:
        if not ident.full_rank:
            raise np.linalg.LinAlgError("rank deficient")
        cov = inference.sandwich(G, W, omega)
        lam = inference.sensitivity(G, W)
    except np.linalg.LinAlgError:
        cov = np.full((len(names), len(names)), np.nan)
        lam = np.full((len(names), len(data)), np.nan)
        notes.append("the moment Jacobian is rank deficient at the estimate: standard errors are undefined")
    if ident.weak or not ident.full_rank:
        warnings.warn(f"weak identification at the estimate: {ident}", WeakIdentificationWarning, stacklevel=3)
    at_bound = [
        n for n, t, (lo, hi) in zip(names, theta, bounds, strict=True) if np.isclose(t, lo) or np.isclose(t, hi)
    ]
    if at_bound:
        notes.append(f"estimate of {', '.join(at_bound)} at its bound: standard errors are not reliable")
    if holds is False:
        notes.append("the model's equilibrium region does not hold at the estimate")
    jt = inference.j_test(g, omega, len(names), optimal=label.startswith("optimal"))
    return EstimationResult(
        parameters=tuple(names),
        params=theta,
        cov=cov,
        data=data,
        fitted=fitted,
        method=method_name,
        weighting=label,
        W=W,
        converged=True,
        message="; ".join(notes),
        optimizer=best,
        runs=runs,
        jtest=jt,
        identification=ident,
        sensitivity=lam,
        objective=float(g @ W @ g),
        simulation_ratio=ratio,
        region_holds=holds,
        level=level,
    )


def _weighting(weighting: str | np.ndarray, omega: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, str]:
    if isinstance(weighting, str):
        if weighting == "identity":
            return np.eye(len(names)), "identity"
        if weighting == "diagonal":
            return np.diag(1 / np.diag(omega)), "diagonal"
        if weighting == "optimal":
            return np.linalg.inv(omega), "optimal (two-step)"
        raise MomentError(f"unknown weighting {weighting!r}; valid: {', '.join(WEIGHTINGS)} or a matrix")
    W = np.asarray(weighting, dtype=float)
    if W.shape != (len(names), len(names)):
        raise MomentError(f"the weighting matrix must be {len(names)} x {len(names)}; got shape {W.shape}")
    try:
        _check_covariance(W, names)
    except CovarianceError as exc:
        raise CovarianceError(str(exc).replace("moment covariance", "weighting matrix")) from exc
    return W, "user"


def _bounds(model: ModelMoments, given: Mapping[str, tuple[float, float]] | None) -> dict[str, tuple[float, float]]:
    box = dict(model.bounds)
    for name, (lo, hi) in (given or {}).items():
        if name not in box:
            raise MomentError(f"bounds given for {name!r}, which is not estimated; estimated: {list(model.parameters)}")
        box[name] = (float(lo), float(hi))
    bad = [n for n, (lo, hi) in box.items() if not lo < hi]
    if bad:
        raise MomentError(f"empty bounds for {bad}: need low < high")
    return box


def _start(
    start: Mapping[str, float] | Sequence[float] | None, names: list[str], box: Mapping[str, tuple[float, float]]
) -> np.ndarray:
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
        x0 = np.array([float(start[n]) for n in names])
    else:
        x0 = np.asarray(start, dtype=float).reshape(-1)
        if x0.size != len(names):
            raise MomentError(f"start has {x0.size} entries for parameters {names}")
    outside = [n for n, x in zip(names, x0, strict=True) if not box[n][0] <= x <= box[n][1]]
    if outside:
        raise MomentError(f"start value(s) of {outside} outside the bounds {[box[n] for n in outside]}")
    return x0


def _starts(
    x0: np.ndarray, box: Mapping[str, tuple[float, float]], names: list[str], n: int, seed: int
) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    lo = np.array([box[k][0] for k in names])
    hi = np.array([box[k][1] for k in names])
    starts = [x0]
    for _ in range(max(n, 1) - 1):
        spread = np.maximum(np.abs(x0), 1.0)
        # finite side: uniform within; infinite side: normal around the first start
        a = np.where(np.isfinite(lo), lo, x0 - 2 * spread)
        b = np.where(np.isfinite(hi), hi, x0 + 2 * spread)
        starts.append(np.clip(a + rng.random(x0.size) * (b - a), lo, hi))
    return starts


def _ratio(model: ModelMoments, data: MomentSet) -> float:
    if data.n_obs is None:
        raise MomentError(
            "simulated moments need the number of observations behind the data (MomentSet n_obs) "
            "or simulation_ratio= for the (1 + 1/S) correction"
        )
    return float(model.n_sim) / float(data.n_obs)  # type: ignore[arg-type]


def _condition_cov(conditions: Callable[..., np.ndarray], theta: np.ndarray, data: pd.DataFrame) -> np.ndarray:
    gi = np.asarray(conditions(theta, data), dtype=float)
    if not np.all(np.isfinite(gi)):
        raise DataError("moment conditions are not finite at the estimate")
    return np.atleast_2d(np.cov(gi, rowvar=False, ddof=0)) / gi.shape[0]


def _takes_bounds(method: str) -> bool:
    return method in ("L-BFGS-B", "Nelder-Mead", "Powell", "TNC", "SLSQP", "trust-constr", "COBYLA", "COBYQA")


__all__ = ["WEIGHTINGS", "estimate", "gmm"]
