"""Parameter-recovery Monte Carlo: simulate data at known parameters, estimate, summarise.

Each replication draws a data set from ``simulate(theta0, rng)`` (a :class:`MomentSet`), estimates
the model on it and records the estimates, their standard errors, whether the ``level`` confidence
interval covers ``theta0`` and whether the J-test rejects. The summary reports bias, RMSE, the mean
standard error against the Monte Carlo standard deviation, CI coverage and the J-test rejection rate.
Replications whose optimiser fails are counted, never silently dropped.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from gvcgames.empirics.errors import ConvergenceError, WeakIdentificationWarning
from gvcgames.empirics.estimation import estimate
from gvcgames.empirics.model_moments import ModelMoments
from gvcgames.empirics.moments import MomentSet


@dataclass(frozen=True, eq=False)
class RecoveryResult:
    """Monte Carlo summary of an estimator at known parameters.

    Attributes
    ----------
    truth : Series
    estimates, ses : DataFrame
        One row per successful replication.
    covered : DataFrame of bool
    j_rejected : ndarray of bool
        J-test rejections at ``alpha`` (empty when the model is exactly identified).
    failures : int
        Replications whose optimiser did not converge.
    level, alpha : float
    """

    truth: pd.Series
    estimates: pd.DataFrame
    ses: pd.DataFrame
    covered: pd.DataFrame
    j_rejected: np.ndarray
    failures: int
    level: float
    alpha: float

    def table(self) -> pd.DataFrame:
        """Bias, RMSE, mean SE, Monte Carlo SD and CI coverage per parameter."""
        err = self.estimates - self.truth
        return pd.DataFrame(
            {
                "truth": self.truth,
                "mean": self.estimates.mean(),
                "bias": err.mean(),
                "rmse": np.sqrt((err**2).mean()),
                "mean se": self.ses.mean(),
                "mc sd": self.estimates.std(ddof=1),
                f"coverage {100 * self.level:g}%": self.covered.mean(),
            }
        )

    @property
    def j_rejection_rate(self) -> float:
        return float(np.mean(self.j_rejected)) if self.j_rejected.size else float("nan")

    def summary(self) -> str:
        n = len(self.estimates)
        lines = [f"Parameter recovery: {n} replications ({self.failures} failed)"]
        with pd.option_context("display.precision", 4, "display.width", 120):
            lines.append(self.table().to_string())
        if self.j_rejected.size:
            lines.append(f"J-test rejection rate at alpha = {self.alpha:g}: {self.j_rejection_rate:.3f}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return f"<p>{self.summary().splitlines()[0]}</p>" + str(self.table().to_html(float_format=lambda v: f"{v:.4g}"))


def recovery(
    model: ModelMoments,
    truth: Mapping[str, float] | Sequence[float],
    simulate: Callable[[np.ndarray, np.random.Generator], MomentSet],
    *,
    n_rep: int = 100,
    seed: int = 0,
    level: float = 0.95,
    alpha: float = 0.05,
    progress: bool | None = None,
    **estimate_kwargs: Any,
) -> RecoveryResult:
    """Run a parameter-recovery Monte Carlo.

    Parameters
    ----------
    model : ModelMoments
    truth : mapping or sequence
        The true parameters (in ``model.parameters`` order for a sequence).
    simulate : callable(theta, rng) -> MomentSet
        Draws one data set (moments and their covariance) at ``theta``.
    n_rep : int
    seed : int
        Seeds the replications' generator (one stream; each replication continues it).
    level, alpha : float
        CI level and J-test size.
    progress : bool, optional
        Show a progress bar; default only on a terminal.
    **estimate_kwargs
        Passed to :func:`~gvcgames.empirics.estimate` (the true values start the optimiser unless
        ``start`` is given).

    Examples
    --------
    >>> import numpy as np
    >>> from gvcgames.empirics import FunctionMoments
    >>> mm = FunctionMoments(lambda t: [t[0], 2 * t[0]], ["a", "b"], ["x"])
    >>> cov = np.diag([0.01, 0.04])
    >>> sim = lambda t, rng: MomentSet(("a", "b"), rng.multivariate_normal(mm(t), cov), cov)
    >>> res = recovery(mm, [1.0], sim, n_rep=20, seed=1, n_starts=1)
    >>> res.failures, bool(abs(res.table().loc["x", "bias"]) < 0.05)
    (0, True)
    """
    names = list(model.parameters)
    theta0 = np.array([float(truth[n]) for n in names]) if isinstance(truth, Mapping) else np.asarray(truth, float)
    rng = np.random.default_rng(seed)
    z = stats.norm.ppf(0.5 + level / 2)
    est, ses, cov, jrej = [], [], [], []
    failures = 0
    estimate_kwargs.setdefault("start", theta0)
    reps = range(n_rep)
    if progress if progress is not None else sys.stderr.isatty():
        from tqdm.auto import tqdm

        reps = tqdm(reps, desc="recovery")
    for _ in reps:
        data = simulate(theta0, rng)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", WeakIdentificationWarning)
                res = estimate(model, data, level=level, **estimate_kwargs)
        except ConvergenceError:
            failures += 1
            continue
        est.append(res.params)
        ses.append(res.se)
        cov.append(np.abs(res.params - theta0) <= z * res.se)
        if res.jtest.applicable:
            jrej.append(res.jtest.pvalue < alpha)
    return RecoveryResult(
        truth=pd.Series(theta0, index=names),
        estimates=pd.DataFrame(est, columns=names),
        ses=pd.DataFrame(ses, columns=names),
        covered=pd.DataFrame(cov, columns=names),
        j_rejected=np.array(jrej, dtype=bool),
        failures=failures,
        level=level,
        alpha=alpha,
    )


__all__ = ["RecoveryResult", "recovery"]
