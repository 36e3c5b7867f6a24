r"""Minimum distance, simulated method of moments and GMM estimation.

Minimum distance (Chamberlain 1984; Newey and McFadden 1994) and SMM (McFadden 1989; Pakes and
Pollard 1989) choose ``theta`` to minimise ``g(theta)' W g(theta)`` with ``g = m_hat - m(theta)``,
data moments minus model moments. GMM on micro data (Hansen 1982) uses sample means of moment
conditions ``g_i(theta)``. Weighting: ``"identity"``, ``"diagonal"`` (inverse variances),
``"optimal"`` (two-step: diagonal first, then ``Omega^{-1}``) or a user matrix (symmetric positive
semi-definite; a singular one is allowed when the parameters stay identified with it, i.e.
``G'WG`` is non-singular, and the result notes it).

Simulation noise (SMM). The simulated moments ``m_S(theta)`` carry simulation noise independent
of the data's, so the covariance of ``g`` is ``Omega = S_data + S_sim`` with
``S_sim = model.simulation_cov(theta)`` estimated from the simulator itself: the covariance of
the simulated firms' contributions divided by their number, evaluated at the estimate, and zero
for moments that are not simulated (McFadden 1989; Pakes and Pollard 1989; Gourieroux and Monfort
1996, Prop. 2.1). ``Omega`` enters the sandwich, the optimal weighting and the J-test. The
textbook factor ``(1 + 1/S)`` is the special case where every moment is simulated and the data
moment averages the very variable that is simulated; it is *not* applied wholesale.

Before any optimisation the estimators check identification: fewer moments than parameters, a
parameter that moves no moment, or a Jacobian that is rank deficient at the start and at the
other probe points raise :class:`~gvcgames.empirics.errors.UnderIdentifiedError`. Every
optimiser run (multiple starts drawn from the bounds with a seed) is kept; if none converges a
:class:`~gvcgames.empirics.errors.ConvergenceError` is raised -- an unconverged point is never
returned as an estimate.

References
----------
Gourieroux, C. and Monfort, A. (1996). Simulation-Based Econometric Methods. Oxford UP.
Hansen, L. P. (1982). Large sample properties of generalized method of moments estimators.
Econometrica 50(4), 1029-1054.
McFadden, D. (1989). A method of simulated moments for estimation of discrete response models
without numerical integration. Econometrica 57(5), 995-1026.
Newey, W. K. and McFadden, D. (1994). Large sample estimation and hypothesis testing. Handbook of
Econometrics IV, ch. 36.
Pakes, A. and Pollard, D. (1989). Simulation and the asymptotics of optimization estimators.
Econometrica 57(5), 1027-1057.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gvcgames.empirics import inference
from gvcgames.empirics import optimise as opt
from gvcgames.empirics.checks import check_count, check_level, check_matrix, check_micro, matrix_rank
from gvcgames.empirics.errors import (
    CovarianceError,
    DataError,
    MomentError,
    UnderIdentifiedError,
    WeakIdentificationWarning,
)
from gvcgames.empirics.model_moments import FunctionMoments, ModelMoments
from gvcgames.empirics.moments import MomentSet
from gvcgames.empirics.results import EstimationResult

WEIGHTINGS = ("identity", "diagonal", "optimal")


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
    level: float = 0.95,
    options: Mapping[str, Any] | None = None,
    weak_ratio: float = inference.WEAK_RATIO,
    weak_abs: float = inference.WEAK_ABS,
) -> EstimationResult:
    """Estimate the model's parameters by matching its moments to the data (MD, or SMM if simulated).

    Parameters
    ----------
    model : ModelMoments
        Produces (at least) every moment in ``data``.
    data : MomentSet
    weighting : {"optimal", "diagonal", "identity"} or ndarray
        ``"diagonal"`` uses the inverse variances of the data moments; ``"optimal"`` is two-step
        (diagonal, then ``(S_data + S_sim)^{-1}`` at the first-step estimate); a matrix must be
        symmetric positive semi-definite (singular allowed if the parameters stay identified).
    start : mapping or sequence, optional
        First starting point (default: the middle of finite bounds, else 1 clipped into them).
    bounds : mapping name -> (low, high), optional
        Overrides the model's bounds (which default to the parameter domains; a positive
        parameter's default lower bound is ``1e-6``).
    method : str
        A ``scipy.optimize.minimize`` method (``"L-BFGS-B"``, ``"Nelder-Mead"``, ``"Powell"``, ...).
    n_starts : int
        Number of starts (at least 1): ``start`` and ``n_starts - 1`` points drawn in the bounds.
    seed : int
        Seed of the extra starts.
    level : float
        Confidence level of the reported intervals, ``0 < level < 1``.
    options : mapping, optional
        Passed to ``scipy.optimize.minimize``.
    weak_ratio, weak_abs : float
        Weak-identification thresholds on each parameter's collinearity and strength (see
        :mod:`gvcgames.empirics.inference`).

    Returns
    -------
    EstimationResult

    Raises
    ------
    MomentError
        A data moment is not produced by the model, the weighting is unknown, ``level`` or
        ``n_starts`` is invalid.
    UnderIdentifiedError
        Fewer moments than parameters, or a parameter that moves no moment (raised before any
        optimisation).
    CovarianceError
        A user weighting matrix is not symmetric positive semi-definite.
    ConvergenceError
        No optimiser run converged.

    References
    ----------
    See the module docstring (Gourieroux and Monfort 1996; McFadden 1989; Pakes and Pollard 1989).

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
    if not isinstance(model, ModelMoments):
        raise MomentError(f"model must be a ModelMoments (ClosedFormMoments, ...); got {type(model).__name__}")
    level = check_level(level)
    n_starts = check_count(n_starts, "n_starts")
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
    box = opt.resolve_bounds(model.bounds, bounds, names)
    S_data = data.cov

    def gbar(theta: np.ndarray) -> np.ndarray:
        return data.values - model(theta)[idx]

    def omega_at(theta: np.ndarray) -> np.ndarray:
        if not model.simulated:
            return S_data
        return S_data + model.simulation_cov(theta)[np.ix_(idx, idx)]

    x0 = opt.first_start(start, names, box)
    points = opt.starts(x0, box, names, n_starts, seed)
    omega_at(x0)  # a simulated model that cannot give its simulation noise says so now
    W_user, label = _weighting(weighting, S_data, data.names)
    _check_identified(gbar, points, box, names, seed, S_data, W_user)
    runs: list[Any] = []
    if label == "optimal (two-step)":
        # step 1: diagonal weighting, robust and cheap; its estimate starts step 2
        first, runs = opt.minimise(
            gbar, np.diag(1 / np.diag(S_data)), points, box, method, options, names, S_data, data.names
        )
        omega1 = check_matrix(omega_at(first.x), data.names, "moment covariance (data + simulation)")
        W = np.linalg.inv(omega1)
        points = [first.x, *points]
    else:
        W = W_user
    best, runs2 = opt.minimise(gbar, W, points, box, method, options, names, omega_at(x0), data.names)
    runs += runs2
    theta = np.asarray(best.x, dtype=float)
    return _result(
        gbar=gbar,
        data=data,
        omega=omega_at(theta),
        sim_cov=(omega_at(theta) - S_data) if model.simulated else None,
        W=W,
        label=label,
        best=best,
        runs=runs,
        box=box,
        names=names,
        symbols=model.symbols,
        method_name="SMM" if model.simulated else "minimum distance",
        level=level,
        weak=(weak_ratio, weak_abs),
        holds=model.holds_at(theta),
        outside=model.outside_region(theta),
        n_sim=model.n_sim,
    )


def gmm(
    conditions: Callable[[np.ndarray, pd.DataFrame], np.ndarray],
    data: pd.DataFrame,
    parameters: Sequence[str],
    *,
    start: Mapping[str, float] | Sequence[float] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    weighting: str | np.ndarray = "optimal",
    method: str = "L-BFGS-B",
    n_starts: int = 3,
    seed: int = 0,
    level: float = 0.95,
    options: Mapping[str, Any] | None = None,
    moment_names: Sequence[str] | None = None,
    weak_ratio: float = inference.WEAK_RATIO,
    weak_abs: float = inference.WEAK_ABS,
) -> EstimationResult:
    """GMM on micro data: ``E[g_i(theta)] = 0`` with ``conditions(theta, data) -> (n, k)``.

    Step 1 uses identity weighting. ``weighting="optimal"`` re-estimates with the inverse of the
    sample covariance of the mean of ``g_i`` at the step-1 estimate (two-step GMM, Hansen 1982);
    ``"diagonal"`` with the inverse of its diagonal; ``"identity"`` stops after step 1; a matrix is
    used as it is. Standard errors (sandwich) and the J-test (general form unless optimal) use
    that covariance at the final estimate.

    Parameters
    ----------
    conditions : callable(theta, DataFrame) -> ndarray (n, k)
    data : DataFrame
        Micro data; NaN or infinite values are rejected, naming the columns.
    parameters : sequence of str
    start, bounds, method, n_starts, seed, level, options, weak_ratio, weak_abs
        As for :func:`estimate` (``bounds`` default to unbounded).
    weighting : {"optimal", "diagonal", "identity"} or ndarray
    moment_names : sequence of str, optional

    Returns
    -------
    EstimationResult

    Raises
    ------
    DataError
        The micro data hold NaN or infinite values, or the conditions are not finite at the start.
    MomentError
        Wrong shape of the conditions, unknown weighting, invalid ``level`` or ``n_starts``.
    UnderIdentifiedError
        Fewer conditions than parameters, or a parameter no condition depends on.
    ConvergenceError

    References
    ----------
    Hansen, L. P. (1982). Large sample properties of generalized method of moments estimators.
    Econometrica 50(4), 1029-1054.

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
    check_micro(data, "GMM micro data")
    level = check_level(level)
    n_starts = check_count(n_starts, "n_starts")
    names = [str(p) for p in parameters]
    n = len(data)
    box = opt.resolve_bounds({p: (-np.inf, np.inf) for p in names}, bounds, names)
    x0 = opt.first_start(start, names, box)
    g0 = np.atleast_2d(np.asarray(conditions(x0, data), dtype=float))
    if g0.shape[0] != n:
        raise MomentError(f"conditions must return one row per observation ({n}); got shape {g0.shape}")
    k = g0.shape[1]
    if k < len(names):
        raise UnderIdentifiedError(f"under-identified: {k} moment condition(s) for {len(names)} parameters {names}")
    if not np.all(np.isfinite(g0)):
        rows = np.flatnonzero(~np.isfinite(g0).all(axis=1))[:5].tolist()
        raise DataError(
            f"the moment conditions are not finite at the start {x0.tolist()} (rows {rows}, ...) although the "
            "data are finite: the conditions are undefined there; give start= where they are defined"
        )
    mnames = tuple(moment_names or [f"g{i + 1}" for i in range(k)])
    if len(mnames) != k:
        raise MomentError(f"{len(mnames)} moment_names for {k} moment conditions")
    points = opt.starts(x0, box, names, n_starts, seed)

    def gbar(theta: np.ndarray) -> np.ndarray:
        return np.asarray(conditions(theta, data), dtype=float).mean(axis=0)

    omega0 = _condition_cov(conditions, x0, data)
    try:
        metric = check_matrix(omega0, mnames, "covariance of the moment conditions")
    except CovarianceError:
        metric = np.eye(k)
    W_user = None
    if not isinstance(weighting, str):
        W_user, _ = _weighting(weighting, metric, mnames)
    elif weighting not in WEIGHTINGS:
        raise MomentError(f"unknown GMM weighting {weighting!r}; valid: {', '.join(WEIGHTINGS)} or a matrix")
    _check_identified(gbar, points, box, names, seed, metric, W_user)
    if W_user is not None:
        W, label = W_user, "user"
        best, runs = opt.minimise(gbar, W, points, box, method, options, names, metric, mnames)
    else:
        W, label = np.eye(k), "identity"
        best, runs = opt.minimise(gbar, W, points, box, method, options, names, metric, mnames)
        if weighting != "identity":
            omega1 = check_matrix(
                _condition_cov(conditions, best.x, data), mnames, "covariance of the moment conditions"
            )
            if weighting == "optimal":
                W, label = np.linalg.inv(omega1), "optimal (two-step)"
            else:
                W, label = np.diag(1 / np.diag(omega1)), "diagonal (two-step)"
            best, runs2 = opt.minimise(gbar, W, [best.x, *points], box, method, options, names, omega1, mnames)
            runs += runs2
    omega = _condition_cov(conditions, best.x, data)
    # the data 'moments' of GMM are zeros with the covariance of the sample means
    zero = MomentSet(mnames, np.zeros(k), omega, ("moment condition",) * k, float(n))
    return _result(
        gbar=lambda t: -gbar(t),
        data=zero,
        omega=omega,
        sim_cov=None,
        W=W,
        label=label,
        best=best,
        runs=runs,
        box=box,
        names=names,
        symbols=FunctionMoments(lambda t: t, names, names).symbols,
        method_name="GMM",
        level=level,
        weak=(weak_ratio, weak_abs),
        holds=None,
        outside=None,
        n_sim=None,
    )


# --- kernels -----------------------------------------------------------------------------------


def _check_identified(
    gbar: Callable[[np.ndarray], np.ndarray],
    points: list[np.ndarray],
    box: Mapping[str, tuple[float, float]],
    names: list[str],
    seed: int,
    cov: np.ndarray,
    W_user: np.ndarray | None,
) -> None:
    """Jacobian rank check at the start and a few other points, before any optimisation."""
    bounds = [box[n] for n in names]
    probes = []
    for theta in opt.probe_points(points, box, names, seed):
        with np.errstate(all="ignore"):
            G = -inference.jacobian(gbar, theta, bounds)
        probes.append((theta, G))
    singular_user = W_user is not None and matrix_rank(W_user) < W_user.shape[0]
    if singular_user:
        assert W_user is not None
        rank = matrix_rank(W_user)
        inference.check_identified(
            probes, W_user, names, whiten=False, weighting=f"singular weighting matrix (rank {rank} of {len(W_user)})"
        )
    else:
        inference.check_identified(probes, cov, names)


def _result(
    *,
    gbar: Callable[[np.ndarray], np.ndarray],
    data: MomentSet,
    omega: np.ndarray,
    sim_cov: np.ndarray | None,
    W: np.ndarray,
    label: str,
    best: Any,
    runs: list[Any],
    box: Mapping[str, tuple[float, float]],
    names: list[str],
    symbols: Sequence[Any],
    method_name: str,
    level: float,
    weak: tuple[float, float],
    holds: bool | None,
    outside: int | None,
    n_sim: int | None,
) -> EstimationResult:
    theta = np.asarray(best.x, dtype=float)
    g = gbar(theta)
    fitted = data.values - g
    bounds = [box[n] for n in names]
    # Jacobian of the model moments, dm/dtheta' = -dg/dtheta'
    G = -inference.jacobian(gbar, theta, bounds)
    notes = []
    ident = inference.identification(G, omega, theta, names, *weak)
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
        f"{n} at its {'lower' if np.isclose(t, lo) else 'upper'} bound {lo if np.isclose(t, lo) else hi:g}"
        for n, t, (lo, hi) in zip(names, theta, bounds, strict=True)
        if np.isclose(t, lo) or np.isclose(t, hi)
    ]
    if at_bound:
        notes.append(f"estimate of {', '.join(at_bound)}: standard errors and Wald intervals are not reliable there")
    if holds is False:
        if outside:
            notes.append(
                f"{outside} of {n_sim} simulated firms lie outside the equilibrium region at the estimate: "
                "their outcome formula is not the equilibrium's"
            )
        else:
            notes.append("the model's equilibrium region does not hold at the estimate")
    if label == "user" and matrix_rank(W) < W.shape[0]:
        notes.append(
            f"the weighting matrix is singular (rank {matrix_rank(W)} of {W.shape[0]}): moment combinations in its "
            "null space get no weight"
        )
    jt = inference.j_test(g, omega, len(names), optimal=label.startswith("optimal"), G=G, W=W)
    result = EstimationResult(
        parameters=tuple(names),
        params=theta,
        cov=cov,
        data=data,
        fitted=fitted,
        method=method_name,
        weighting=label,
        W=W,
        converged=True,
        message="",
        optimizer=best,
        runs=runs,
        jtest=jt,
        identification=ident,
        sensitivity=lam,
        objective=float(g @ W @ g),
        region_holds=holds,
        level=level,
        omega=omega,
        simulation_cov=sim_cov,
        jacobian=G,
        bounds=tuple(bounds),
        symbols=tuple(symbols),
        outside_region=outside,
        n_sim=n_sim,
    )
    object.__setattr__(result, "notes", tuple(notes))
    object.__setattr__(result, "message", "; ".join([*notes, *result.ci_notes()]))
    return result


def _weighting(weighting: str | np.ndarray, cov: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, str]:
    """The weighting matrix (the final one, except for two-step optimal) and its label."""
    if isinstance(weighting, str):
        if weighting == "identity":
            return np.eye(len(names)), "identity"
        if weighting == "diagonal":
            return np.diag(1 / np.diag(cov)), "diagonal"
        if weighting == "optimal":
            return np.linalg.inv(cov), "optimal (two-step)"
        raise MomentError(f"unknown weighting {weighting!r}; valid: {', '.join(WEIGHTINGS)} or a matrix")
    W = np.asarray(weighting, dtype=float)
    if W.shape != (len(names), len(names)):
        raise MomentError(f"the weighting matrix must be {len(names)} x {len(names)}; got shape {W.shape}")
    W = check_matrix(W, names, "weighting matrix", allow_singular=True)
    if not np.any(W):
        raise CovarianceError("the weighting matrix is zero: every moment gets zero weight")
    return W, "user"


def _condition_cov(conditions: Callable[..., np.ndarray], theta: np.ndarray, data: pd.DataFrame) -> np.ndarray:
    gi = np.asarray(conditions(theta, data), dtype=float)
    if not np.all(np.isfinite(gi)):
        raise DataError(
            f"the moment conditions are not finite at {np.asarray(theta).tolist()} although the data are finite: "
            "they are undefined there (narrow bounds= to where they are defined)"
        )
    return np.atleast_2d(np.cov(gi, rowvar=False, ddof=0)) / gi.shape[0]


__all__ = ["WEIGHTINGS", "estimate", "gmm"]
