"""Inference for minimum-distance estimators: sandwich covariance, J-test, identification, sensitivity.

With data moments ``m_hat`` (covariance ``Omega``), model moments ``m(theta)`` with Jacobian
``G = dm/dtheta'`` and weighting matrix ``W``, the minimum-distance estimator minimises
``g' W g`` with ``g = m_hat - m(theta)``. Its asymptotic covariance is the sandwich
``(G'WG)^{-1} G'W Omega W G (G'WG)^{-1}``, equal to ``(G' Omega^{-1} G)^{-1}`` for the optimal
``W = Omega^{-1}`` (Hansen 1982; Newey and McFadden 1994, Thm 3.2). With simulated moments,
``Omega`` is replaced by ``(1 + 1/S) Omega``, ``S`` the ratio of simulated to observed firms
(McFadden 1989; Pakes and Pollard 1989). Under correct specification and optimal weighting,
``J = g' Omega^{-1} g`` is chi-squared with ``k - p`` degrees of freedom (Hansen 1982). The
sensitivity ``Lambda = (G'WG)^{-1} G'W`` maps a change in the data moments to the change in the
estimates (Andrews, Gentzkow and Shapiro 2017).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

_RANK_TOL = 1e-7  # relative singular value below which the Jacobian is called rank deficient


@dataclass(frozen=True)
class JTest:
    """Hansen's J-test of the overidentifying restrictions.

    ``statistic`` and ``pvalue`` are NaN when the test does not apply (``note`` says why).
    """

    statistic: float
    df: int
    pvalue: float
    note: str = ""

    @property
    def applicable(self) -> bool:
        return bool(np.isfinite(self.statistic))

    def __str__(self) -> str:
        if not self.applicable:
            return f"J-test: not applicable ({self.note})"
        return f"J = {self.statistic:.4g} ~ chi2({self.df}), p = {self.pvalue:.4g}"


@dataclass(frozen=True)
class Identification:
    """Identification diagnostics from the moment Jacobian at the estimate.

    Attributes
    ----------
    rank : int
        Numerical rank of the standardised Jacobian (full rank = number of parameters).
    condition_number : float
        Ratio of its largest to smallest singular value (``inf`` when rank deficient).
    singular_values : ndarray
    weak : tuple of str
        Parameters loading on directions whose singular value is below ``weak_ratio`` times the
        largest: the moments barely move when these parameters (jointly) move.
    jacobian : ndarray
        The standardised Jacobian ``L^{-1} G D`` (``L L' = Omega``, ``D = diag(max(|theta|, 1))``).
    """

    rank: int
    n_parameters: int
    condition_number: float
    singular_values: np.ndarray
    weak: tuple[str, ...]
    jacobian: np.ndarray

    @property
    def full_rank(self) -> bool:
        return self.rank == self.n_parameters

    def __str__(self) -> str:
        text = f"rank {self.rank} of {self.n_parameters}, condition number {self.condition_number:.3g}"
        if self.weak:
            text += f"; weakly identified: {', '.join(self.weak)}"
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


def j_test(g: np.ndarray, omega: np.ndarray, n_parameters: int, optimal: bool) -> JTest:
    """Hansen's J statistic ``g' Omega^{-1} g`` with ``k - p`` degrees of freedom.

    Examples
    --------
    >>> str(j_test(np.array([0.1, -0.1, 0.2]), np.eye(3) * 0.01, 1, optimal=True))
    'J = 6 ~ chi2(2), p = 0.04979'
    """
    df = g.size - n_parameters
    if df <= 0:
        return JTest(float("nan"), df, float("nan"), "exactly identified: no overidentifying restrictions")
    if not optimal:
        return JTest(float("nan"), df, float("nan"), "needs optimal weighting")
    stat = float(g @ np.linalg.solve(omega, g))
    return JTest(stat, df, float(stats.chi2.sf(stat, df)))


def identification(
    G: np.ndarray,
    omega: np.ndarray,
    theta: np.ndarray,
    names: Sequence[str],
    weak_ratio: float = 1e-3,
) -> Identification:
    """Rank, condition number and weakly identified parameters of the moment Jacobian.

    The Jacobian is standardised before the singular value decomposition: rows by the moments'
    covariance (``L^{-1} G``, so moments are in standard-error units) and columns by the size of
    each parameter (``max(|theta_j|, 1)``: a relative change for large parameters, an absolute one
    for parameters near zero).

    Examples
    --------
    >>> G = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-6]])
    >>> ident = identification(G, np.eye(2), np.ones(2), ["a", "b"])
    >>> ident.weak
    ('a', 'b')
    """
    chol = np.linalg.cholesky(omega)
    scale = np.maximum(np.abs(theta), 1.0)
    Gs = np.linalg.solve(chol, G) * scale[None, :]
    _, s, vt = np.linalg.svd(Gs, full_matrices=True)
    p = G.shape[1]
    sv = np.zeros(p)
    sv[: s.size] = s[:p]
    smax = sv.max() if sv.size and sv.max() > 0 else 0.0
    if smax == 0.0:
        return Identification(0, p, float("inf"), sv, tuple(names), Gs)
    rank = int(np.sum(sv > _RANK_TOL * smax))
    cond = float(smax / sv.min()) if sv.min() > _RANK_TOL * smax else float("inf")
    weak: list[str] = []
    for i in np.flatnonzero(sv < weak_ratio * smax):
        vec = np.abs(vt[int(i)])
        weak += [names[int(j)] for j in np.flatnonzero(vec > 0.3 * vec.max()) if names[int(j)] not in weak]
    return Identification(rank, p, cond, sv, tuple(weak), Gs)


__all__ = ["Identification", "JTest", "identification", "j_test", "jacobian", "sandwich", "sensitivity"]
