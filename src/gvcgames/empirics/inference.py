r"""Inference for minimum-distance estimators: sandwich covariance, J-test, identification, sensitivity.

With data moments ``m_hat``, model moments ``m(theta)`` with Jacobian ``G = dm/dtheta'`` and
weighting matrix ``W``, the minimum-distance estimator minimises ``g' W g`` with
``g = m_hat - m(theta)``. ``Omega`` is the asymptotic covariance of ``g`` at the true parameters:
the data moments' covariance ``S_data`` plus, for simulated moments, the covariance ``S_sim`` of
the simulation noise, ``Omega = S_data + S_sim`` (the two are independent; McFadden 1989, Pakes
and Pollard 1989, Gourieroux and Monfort 1996). The estimator's covariance is the sandwich
``(G'WG)^{-1} G'W Omega W G (G'WG)^{-1}``, equal to ``(G' Omega^{-1} G)^{-1}`` for the optimal
``W = Omega^{-1}`` (Hansen 1982; Newey and McFadden 1994, Thm 3.2).

J-test. Under correct specification ``g(theta_hat)`` is asymptotically normal with covariance
``V = M Omega M'``, ``M = I - G Lambda``, ``Lambda = (G'WG)^{-1} G'W``, of rank ``k - p``;
``J = g' V^- g`` (a generalised inverse) is chi-squared with ``k - p`` degrees of freedom for any
weighting (Hansen 1982, Lemma 4.1; Newey and McFadden 1994, sec. 9.5). With optimal weighting
this is the familiar ``J = g' Omega^{-1} g``; for linear moments the general form equals it for
every ``W`` (it is the squared length of the data's overidentifying part in ``Omega``-whitened
coordinates), and for nonlinear ones the two agree asymptotically.

The sensitivity ``Lambda`` maps a change in the data moments to the change in the estimates
(Andrews, Gentzkow and Shapiro 2017).

Identification measures (at a point, from the standardised Jacobian
``Gs = L^{-1} G D``, ``L L' = Omega``, ``D = diag(max(|theta_j|, 1))``: moments in standard
errors, parameters in units of their own size, or absolute units near zero):

* ``rank`` and ``condition_number`` of ``Gs``;
* ``strength_j``: the norm of column ``j`` of ``Gs`` after projecting out the other columns,
  i.e. by how many standard errors the (optimally combined) moments move when ``theta_j`` moves
  by its size and the other parameters re-adjust to mimic that move. It equals
  ``max(|theta_j|, 1) / se_j`` with ``se_j`` the optimal-weighting standard error;
* ``collinearity_j = strength_j / |Gs_j|`` in ``[0, 1]``: the sine of the angle between column
  ``j`` and the span of the others (one minus it measures how much of ``theta_j``'s effect other
  parameters can imitate).

A parameter is reported *weakly identified* when ``strength_j < weak_abs`` (default 2: the data
cannot tell ``theta_j`` from ``0`` or ``2 theta_j`` at about the 5% level) or
``collinearity_j < weak_ratio`` (default ``1e-3``: its effect is almost a combination of the
others'). Both measures and the reason are reported, so a user can see why.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from gvcgames.empirics.errors import UnderIdentifiedError

_RANK_TOL = 1e-7  # relative singular value below which the Jacobian is called rank deficient
_ZERO_COLUMN = 1e-10  # a column this small relative to the largest does not move any moment
WEAK_ABS = 2.0
WEAK_RATIO = 1e-3


@dataclass(frozen=True)
class JTest:
    """Hansen's J-test of the overidentifying restrictions.

    ``statistic`` and ``pvalue`` are NaN when the test does not apply (``note`` says why);
    ``form`` is ``"optimal"`` (``g' Omega^{-1} g``) or ``"general"`` (``g' V^- g``, any weighting).
    """

    statistic: float
    df: int
    pvalue: float
    note: str = ""
    form: str = "optimal"

    @property
    def applicable(self) -> bool:
        return bool(np.isfinite(self.statistic))

    def __str__(self) -> str:
        if not self.applicable:
            return f"J-test: not applicable ({self.note})"
        text = f"J = {self.statistic:.4g} ~ chi2({self.df}), p = {self.pvalue:.4g}"
        return text + (" (general form for non-optimal weighting)" if self.form == "general" else "")


@dataclass(frozen=True)
class Identification:
    """Identification diagnostics from the moment Jacobian at a point (see the module docstring).

    Attributes
    ----------
    rank : int
        Numerical rank of the standardised Jacobian (full rank = number of parameters).
    n_parameters : int
    condition_number : float
        Ratio of its largest to smallest singular value (``inf`` when rank deficient).
    singular_values : ndarray
    weak : tuple of str
        Weakly identified parameters (``strength < weak_abs`` or ``collinearity < weak_ratio``).
    jacobian : ndarray
        The standardised Jacobian ``L^{-1} G D``.
    names : tuple of str
    strength : ndarray
        Per parameter: standard errors the moments move when it moves by its size, others adjusting.
    collinearity : ndarray
        Per parameter: ``strength / |column|`` in ``[0, 1]`` (0: a combination of the others).
    reasons : dict
        Parameter -> why it is reported weak.
    weak_abs, weak_ratio : float
        The thresholds used.
    """

    rank: int
    n_parameters: int
    condition_number: float
    singular_values: np.ndarray
    weak: tuple[str, ...]
    jacobian: np.ndarray
    names: tuple[str, ...] = ()
    strength: np.ndarray = field(default_factory=lambda: np.zeros(0))
    collinearity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    reasons: dict[str, str] = field(default_factory=dict)
    weak_abs: float = WEAK_ABS
    weak_ratio: float = WEAK_RATIO

    @property
    def full_rank(self) -> bool:
        return self.rank == self.n_parameters

    def to_frame(self) -> pd.DataFrame:
        """Per parameter: strength, collinearity, weak flag and the reason."""
        return pd.DataFrame(
            {
                "strength": self.strength,
                "collinearity": self.collinearity,
                "weak": [n in self.weak for n in self.names],
                "reason": [self.reasons.get(n, "") for n in self.names],
            },
            index=pd.Index(self.names, name="parameter"),
        )

    def __str__(self) -> str:
        text = f"rank {self.rank} of {self.n_parameters}, condition number {self.condition_number:.3g}"
        if self.names and self.strength.size:
            text += "; strength " + ", ".join(f"{n} {s:.3g}" for n, s in zip(self.names, self.strength, strict=True))
        if self.weak:
            text += f"; weakly identified: {', '.join(self.weak)}"
            why = [f"{n}: {self.reasons[n]}" for n in self.weak if n in self.reasons]
            if why:
                text += " (" + "; ".join(why) + ")"
        return text


def jacobian(
    fun: Callable[[np.ndarray], np.ndarray],
    theta: np.ndarray,
    bounds: Sequence[tuple[float, float]] | None = None,
    rel_step: float = 1e-6,
) -> np.ndarray:
    """Central-difference Jacobian ``d fun / d theta'`` (one-sided at a bound).

    Examples
    --------
    >>> jacobian(lambda t: np.array([t[0] ** 2, t[0] * t[1]]), np.array([1.0, 2.0])).round(6).tolist()
    [[2.0, 0.0], [2.0, 1.0]]
    """
    theta = np.asarray(theta, dtype=float)
    f0 = np.asarray(fun(theta), dtype=float)
    out = np.empty((f0.size, theta.size))
    for j in range(theta.size):
        h = rel_step * max(abs(theta[j]), 1.0)
        lo, hi = bounds[j] if bounds is not None else (-np.inf, np.inf)
        up, down = theta.copy(), theta.copy()
        up[j] = min(theta[j] + h, hi)
        down[j] = max(theta[j] - h, lo)
        out[:, j] = (np.asarray(fun(up), dtype=float) - np.asarray(fun(down), dtype=float)) / (up[j] - down[j])
    return out


def sandwich(G: np.ndarray, W: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """Covariance ``(G'WG)^{-1} G'W Omega W G (G'WG)^{-1}`` of a minimum-distance estimator.

    Raises ``numpy.linalg.LinAlgError`` when ``G'WG`` is singular.

    Examples
    --------
    >>> omega = np.diag([0.04, 0.09])
    >>> np.sqrt(np.diag(sandwich(np.eye(2), np.eye(2), omega))).tolist()
    [0.2, 0.3]
    """
    bread = np.linalg.inv(G.T @ W @ G)
    meat = G.T @ W @ omega @ W @ G
    cov = bread @ meat @ bread
    return (cov + cov.T) / 2


def sensitivity(G: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Andrews-Gentzkow-Shapiro sensitivity ``Lambda = (G'WG)^{-1} G'W`` (parameters x moments)."""
    return np.linalg.solve(G.T @ W @ G, G.T @ W)


def j_test(
    g: np.ndarray,
    omega: np.ndarray,
    n_parameters: int,
    optimal: bool,
    G: np.ndarray | None = None,
    W: np.ndarray | None = None,
) -> JTest:
    """Hansen's J statistic with ``k - p`` degrees of freedom, for optimal or any weighting.

    Parameters
    ----------
    g : ndarray
        Data minus model moments at the estimate.
    omega : ndarray
        Asymptotic covariance of ``g`` (data plus simulation noise).
    n_parameters : int
    optimal : bool
        ``W`` is (an estimate of) ``Omega^{-1}``: ``J = g' Omega^{-1} g``.
    G, W : ndarray, optional
        Model-moment Jacobian and weighting matrix, needed when ``optimal`` is false:
        ``J = g' V^- g`` with ``V = M Omega M'``, ``M = I - G (G'WG)^{-1} G'W``, computed in
        ``Omega``-whitened coordinates with the ``k - p`` leading eigenvalues.

    References
    ----------
    Hansen, L. P. (1982). Large sample properties of generalized method of moments estimators.
    Econometrica 50(4), 1029-1054 (Lemma 4.1).
    Newey, W. K. and McFadden, D. (1994). Large sample estimation and hypothesis testing.
    Handbook of Econometrics IV, ch. 36, sec. 9.5.

    Examples
    --------
    >>> str(j_test(np.array([0.1, -0.1, 0.2]), np.eye(3) * 0.01, 1, optimal=True))
    'J = 6 ~ chi2(2), p = 0.04979'
    """
    df = g.size - n_parameters
    if df <= 0:
        return JTest(float("nan"), df, float("nan"), "exactly identified: no overidentifying restrictions")
    if optimal:
        stat = float(g @ np.linalg.solve(omega, g))
        return JTest(stat, df, float(stats.chi2.sf(stat, df)))
    if G is None or W is None:
        raise ValueError("the general J-test needs the Jacobian G and the weighting matrix W")
    try:
        L = np.linalg.cholesky(omega)
        M = np.eye(g.size) - G @ sensitivity(G, W)
        N = np.linalg.solve(L, M @ L)  # L^{-1} M L: V = L N N' L'
        eig, vec = np.linalg.eigh(N @ N.T)
    except np.linalg.LinAlgError:
        return JTest(float("nan"), df, float("nan"), "the moment Jacobian is rank deficient", "general")
    keep = np.argsort(eig)[::-1][:df]
    if eig[keep].min() <= 1e-10 * max(eig.max(), 1e-300):
        return JTest(float("nan"), df, float("nan"), "the moments' residual covariance is degenerate", "general")
    gw = np.linalg.solve(L, g)
    proj = vec[:, keep].T @ gw
    stat = float(np.sum(proj**2 / eig[keep]))
    return JTest(stat, df, float(stats.chi2.sf(stat, df)), form="general")


def _standardise(G: np.ndarray, metric: np.ndarray, theta: np.ndarray, whiten: bool) -> np.ndarray:
    """``L^{-1} G D`` (``metric`` = Omega, ``whiten``) or ``W^{1/2} G D`` (``metric`` = W)."""
    scale = np.maximum(np.abs(theta), 1.0)
    if whiten:
        Gs = np.linalg.solve(np.linalg.cholesky(metric), G)
    else:
        eig, vec = np.linalg.eigh((metric + metric.T) / 2)
        Gs = (vec * np.sqrt(np.clip(eig, 0, None))) @ vec.T @ G
    return Gs * scale[None, :]


def _partial_norms(Gs: np.ndarray) -> np.ndarray:
    """Norm of each column after projecting out the others."""
    p = Gs.shape[1]
    out = np.empty(p)
    for j in range(p):
        others = np.delete(Gs, j, axis=1)
        col = Gs[:, j]
        if others.size:
            coef, *_ = np.linalg.lstsq(others, col, rcond=None)
            col = col - others @ coef
        out[j] = float(np.linalg.norm(col))
    return out


def identification(
    G: np.ndarray,
    omega: np.ndarray,
    theta: np.ndarray,
    names: Sequence[str],
    weak_ratio: float = WEAK_RATIO,
    weak_abs: float = WEAK_ABS,
) -> Identification:
    """Rank, condition number, per-parameter strength and collinearity of the moment Jacobian.

    See the module docstring for the definitions and the weak-identification rule.

    References
    ----------
    Stock, J. H., Wright, J. H. and Yogo, M. (2002). A survey of weak instruments and weak
    identification in GMM. Journal of Business and Economic Statistics 20(4), 518-529.

    Examples
    --------
    >>> G = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-6]])
    >>> ident = identification(G, np.eye(2), np.ones(2), ["a", "b"])
    >>> ident.weak
    ('a', 'b')
    >>> ident.reasons["a"]
    'strength 7.07e-07 < 2 and collinearity 5e-07 < 0.001'
    """
    names = tuple(str(n) for n in names)
    Gs = _standardise(G, omega, theta, whiten=True)
    p = G.shape[1]
    s = np.linalg.svd(Gs, compute_uv=False)
    sv = np.zeros(p)
    sv[: min(s.size, p)] = s[:p]
    smax = float(sv.max()) if sv.size else 0.0
    strength = _partial_norms(Gs)
    norms = np.linalg.norm(Gs, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        collinearity = np.where(norms > 0, strength / np.where(norms > 0, norms, 1.0), 0.0)
    if smax == 0.0:
        rank, cond = 0, float("inf")
    else:
        rank = int(np.sum(sv > _RANK_TOL * smax))
        cond = float(smax / sv.min()) if sv.min() > _RANK_TOL * smax else float("inf")
    reasons: dict[str, str] = {}
    for j, name in enumerate(names):
        why = []
        if norms[j] <= _ZERO_COLUMN * max(float(norms.max()), 1e-300) or norms[j] == 0:
            why.append("no moment moves with it at this point")
        else:
            if strength[j] < weak_abs:
                why.append(f"strength {strength[j]:.3g} < {weak_abs:g}")
            if collinearity[j] < weak_ratio:
                why.append(f"collinearity {collinearity[j]:.3g} < {weak_ratio:g}")
        if why:
            reasons[name] = " and ".join(why)
    weak = tuple(n for n in names if n in reasons)
    return Identification(rank, p, cond, sv, weak, Gs, names, strength, collinearity, reasons, weak_abs, weak_ratio)


def check_identified(
    jacobians: Sequence[tuple[np.ndarray, np.ndarray]],
    metric: np.ndarray,
    names: Sequence[str],
    *,
    whiten: bool = True,
    weighting: str = "",
) -> None:
    """Raise :class:`UnderIdentifiedError` if the moments cannot identify the parameters anywhere probed.

    Parameters
    ----------
    jacobians : sequence of (theta, G)
        Model-moment Jacobians at probe points (the start and a few points in the bounds);
        non-finite ones are skipped.
    metric : ndarray
        The data covariance (``whiten=True``) or a user weighting matrix (``whiten=False``).
    names : sequence of str
    weighting : str
        Describes a singular user weighting matrix, for the message.

    Raises
    ------
    UnderIdentifiedError
        A parameter moves no moment at any probe point (named), or the Jacobian is rank deficient
        at every probe point (the parameters of the null direction are named).
    """
    names = [str(n) for n in names]
    probes = [(t, G) for t, G in jacobians if np.all(np.isfinite(G))]
    if not probes:
        return
    zero_everywhere = set(range(len(names)))
    deficient_everywhere = True
    null_names: list[str] = []
    for theta, G in probes:
        Gs = _standardise(G, metric, theta, whiten)
        norms = np.linalg.norm(Gs, axis=0)
        top = float(norms.max()) if norms.size else 0.0
        zero_everywhere &= {j for j in range(len(names)) if norms[j] <= _ZERO_COLUMN * top or norms[j] == 0}
        _, s, vt = np.linalg.svd(Gs, full_matrices=True)
        sv = np.zeros(len(names))
        sv[: min(s.size, len(names))] = s[: len(names)]
        smax = float(sv.max()) if sv.size else 0.0
        if smax > 0 and sv.min() > _RANK_TOL * smax:
            deficient_everywhere = False
        elif not null_names:
            vec = np.abs(vt[-1])
            null_names = [names[j] for j in np.flatnonzero(vec > 0.1 * vec.max())]
    where = f"at the start point {np.round(probes[0][0], 6).tolist()}"
    if len(probes) > 1:
        where += f" and {len(probes) - 1} other point(s) in the bounds"
    via = f" with the {weighting}" if weighting else ""
    if zero_everywhere:
        bad = [names[j] for j in sorted(zero_everywhere)]
        raise UnderIdentifiedError(
            f"under-identified: no moment depends on parameter(s) {bad}{via} (their columns of the moment "
            f"Jacobian are zero {where}); fix them (fixed=) or add moments that move with them"
        )
    if deficient_everywhere:
        raise UnderIdentifiedError(
            f"under-identified: the moment Jacobian{via} is rank deficient {where}; parameters {null_names} "
            "move the moments only in a combination the data cannot separate; fix one of them or add moments"
        )


__all__ = [
    "WEAK_ABS",
    "WEAK_RATIO",
    "Identification",
    "JTest",
    "check_identified",
    "identification",
    "j_test",
    "jacobian",
    "sandwich",
    "sensitivity",
]
