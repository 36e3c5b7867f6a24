"""Parameter-recovery Monte Carlo: simulate data at known parameters, estimate, summarise.

Each replication draws a data set from ``simulate(theta0, rng)`` (a :class:`MomentSet`), estimates
the model on it and records the estimates, their standard errors, whether the ``level`` confidence
interval covers ``theta0`` and whether the J-test rejects. The summary reports bias, RMSE, the mean
standard error against the Monte Carlo standard deviation, CI coverage and the J-test rejection rate.

* Simulated models get *new simulation draws in every replication* (by default, for models with a
  ``reseed`` method such as :class:`~gvcgames.empirics.SimulatedMoments`; or pass a factory
  ``model(seed) -> ModelMoments``): the SMM standard errors account for simulation noise, which a
  Monte Carlo with one fixed set of draws would not sample.
* The optimiser never starts at the truth unless ``start=`` says so: it starts at
  :func:`~gvcgames.empirics.estimate`'s default (the middle of finite bounds, else 1 clipped into
  them) plus ``n_starts - 1`` points drawn in the bounds, with a fresh seed per replication.
* Replications whose optimiser does not converge are counted (``failures``); those with NaN
  standard errors are counted per parameter (``nan_se``) and left out of the coverage (neither
  covered nor not covered); any other error in a replication is recorded in ``errors`` and the
  run goes on. Nothing is silently dropped.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from gvcgames.empirics.checks import check_count, check_level
from gvcgames.empirics.errors import ConvergenceError, MomentError, WeakIdentificationWarning
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
        One row per successful replication (``ses`` may hold NaN).
    covered : DataFrame
        1.0 / 0.0 whether the interval covers the truth; NaN where the SE is NaN (so
        ``covered.mean()`` is the coverage among replications with a standard error).
    j_rejected : ndarray of bool
        J-test rejections at ``alpha`` (empty when the model is exactly identified).
    failures : int
        Replications whose optimiser did not converge.
    level, alpha : float
    errors : DataFrame
        Other failed replications: ``replication``, ``stage`` (``"simulate"``/``"estimate"``),
        ``error`` (type) and ``message``.
    n_rep : int
        Replications attempted.
    reseeded : bool
        Whether the model's simulation draws were renewed per replication.
    """

    truth: pd.Series
    estimates: pd.DataFrame
    ses: pd.DataFrame
    covered: pd.DataFrame
    j_rejected: np.ndarray
    failures: int
    level: float
    alpha: float
    errors: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["replication", "stage", "error", "message"])
    )
    n_rep: int = 0
    reseeded: bool = False

    @property
    def nan_se(self) -> pd.Series:
        """Per parameter: successful replications whose standard error is NaN."""
        return self.ses.isna().sum()

    def table(self) -> pd.DataFrame:
        """Bias, RMSE, mean SE, Monte Carlo SD, CI coverage (over finite SEs) and NaN-SE counts."""
        err = self.estimates - self.truth
        covered = self.covered.astype(float)
        return pd.DataFrame(
            {
                "truth": self.truth,
                "mean": self.estimates.mean(),
                "bias": err.mean(),
                "rmse": np.sqrt((err**2).mean()),
                "mean se": self.ses.mean(),
                "mc sd": self.estimates.std(ddof=1),
                f"coverage {100 * self.level:g}%": covered.mean(),
                "n covered+not": covered.notna().sum(),
                "nan se": self.nan_se,
            }
        )

    @property
    def j_rejection_rate(self) -> float:
        return float(np.mean(self.j_rejected)) if self.j_rejected.size else float("nan")

    def summary(self) -> str:
        n = len(self.estimates)
        head = (
            f"Parameter recovery: {self.n_rep or n} replications: {n} estimated, {self.failures} did not converge, "
            f"{len(self.errors)} raised errors"
        )
        lines = [head + (" (simulation draws renewed per replication)" if self.reseeded else "")]
        with pd.option_context("display.precision", 4, "display.width", 120):
            lines.append(self.table().to_string())
        if self.j_rejected.size:
            lines.append(f"J-test rejection rate at alpha = {self.alpha:g}: {self.j_rejection_rate:.3f}")
        if len(self.errors):
            counts = self.errors.groupby(["stage", "error"]).size()
            lines.append("errors: " + "; ".join(f"{st} {er}: {c}" for (st, er), c in counts.items()))
            lines.append(f"first error: {self.errors.iloc[0]['message']}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return f"<p>{self.summary().splitlines()[0]}</p>" + str(self.table().to_html(float_format=lambda v: f"{v:.4g}"))


def recovery(
    model: ModelMoments | Callable[[int], ModelMoments],
    truth: Mapping[str, float] | Sequence[float],
    simulate: Callable[[np.ndarray, np.random.Generator], MomentSet],
    *,
    n_rep: int = 100,
    seed: int = 0,
    level: float = 0.95,
    alpha: float = 0.05,
    reseed: bool | None = None,
    progress: bool | None = None,
    **estimate_kwargs: Any,
) -> RecoveryResult:
    """Run a parameter-recovery Monte Carlo.

    Parameters
    ----------
    model : ModelMoments or callable(seed) -> ModelMoments
        The model; a callable is a factory called once per replication with a fresh integer seed
        (to re-draw a simulated model's firms).
    truth : mapping or sequence
        The true parameters (in ``model.parameters`` order for a sequence).
    simulate : callable(theta, rng) -> MomentSet
        Draws one data set (moments and their covariance) at ``theta``.
    n_rep : int
    seed : int
        Seeds the replications' generator (one stream; each replication continues it).
    level, alpha : float
        CI level (``0 < level < 1``) and J-test size.
    reseed : bool, optional
        Renew a simulated model's draws per replication (``model.reseed(seed)``); default: yes
        when the model is simulated and has ``reseed``.
    progress : bool, optional
        Show a progress bar; default only on a terminal.
    **estimate_kwargs
        Passed to :func:`~gvcgames.empirics.estimate` (``seed`` of the random starts is set per
        replication; the truth is not used as a start unless ``start=`` is given).

    Returns
    -------
    RecoveryResult

    Raises
    ------
    MomentError
        Invalid ``n_rep`` or ``level``, or a factory that does not return a ModelMoments.
    RuntimeError
        Every replication raised an error (the first one is chained).

    References
    ----------
    Cameron, A. C. and Trivedi, P. K. (2005). Microeconometrics: Methods and Applications.
    Cambridge University Press (Monte Carlo evaluation of estimators and tests).

    Examples
    --------
    >>> import numpy as np
    >>> from gvcgames.empirics import FunctionMoments
    >>> mm = FunctionMoments(lambda t: [t[0], 2 * t[0]], ["a", "b"], ["x"])
    >>> cov = np.diag([0.01, 0.04])
    >>> sim = lambda t, rng: MomentSet(("a", "b"), rng.multivariate_normal(mm(t), cov), cov)
    >>> res = recovery(mm, [1.0], sim, n_rep=20, seed=1, n_starts=1)
    >>> res.failures, len(res.errors), bool(abs(res.table().loc["x", "bias"]) < 0.05)
    (0, 0, True)
    """
    n_rep = check_count(n_rep, "n_rep")
    level = check_level(level)
    factory = None if isinstance(model, ModelMoments) else model
    base = model if isinstance(model, ModelMoments) else _build(model, 0)
    names = list(base.parameters)
    theta0 = np.array([float(truth[n]) for n in names]) if isinstance(truth, Mapping) else np.asarray(truth, float)
    if theta0.shape != (len(names),):
        raise MomentError(f"truth has {theta0.size} entries for parameters {names}")
    if reseed is None:
        reseed = factory is None and base.simulated and hasattr(base, "reseed")
    if reseed and factory is None and not hasattr(base, "reseed"):
        raise MomentError(f"reseed=True but {type(base).__name__} has no reseed(); pass a factory model(seed) instead")
    rng = np.random.default_rng(seed)
    z = stats.norm.ppf(0.5 + level / 2)
    est, ses, cov, jrej, errors = [], [], [], [], []
    failures = 0
    reps: Any = range(n_rep)
    if progress if progress is not None else sys.stderr.isatty():
        from tqdm.auto import tqdm

        reps = tqdm(reps, desc="recovery")
    for rep in reps:
        rep_seed = int(rng.integers(2**31 - 1))
        stage = "simulate"
        try:
            data = simulate(theta0, rng)
            stage = "estimate"
            if factory is not None:
                mm = _build(factory, rep_seed)
            elif reseed:
                mm = base.reseed(rep_seed)  # type: ignore[attr-defined]
            else:
                mm = base
            kwargs = {"seed": rep_seed, **estimate_kwargs}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", WeakIdentificationWarning)
                res = estimate(mm, data, level=level, **kwargs)
        except ConvergenceError:
            failures += 1
            continue
        except Exception as exc:  # recorded and reported, never silently dropped
            errors.append({"replication": rep, "stage": stage, "error": type(exc).__name__, "message": str(exc)})
            if len(errors) == n_rep:
                raise RuntimeError(
                    f"every replication of the recovery failed; the first: {errors[0]['message']}"
                ) from exc
            continue
        est.append(res.params)
        ses.append(res.se)
        with np.errstate(invalid="ignore"):
            hit = np.where(np.isfinite(res.se), (np.abs(res.params - theta0) <= z * res.se).astype(float), np.nan)
        cov.append(hit)
        if res.jtest.applicable:
            jrej.append(res.jtest.pvalue < alpha)
    return RecoveryResult(
        truth=pd.Series(theta0, index=names),
        estimates=pd.DataFrame(est, columns=names, dtype=float),
        ses=pd.DataFrame(ses, columns=names, dtype=float),
        covered=pd.DataFrame(cov, columns=names, dtype=float),
        j_rejected=np.array(jrej, dtype=bool),
        failures=failures,
        level=level,
        alpha=alpha,
        errors=pd.DataFrame(errors, columns=["replication", "stage", "error", "message"]),
        n_rep=n_rep,
        reseeded=bool(reseed or factory is not None),
    )


def _build(factory: Callable[[int], ModelMoments], seed: int) -> ModelMoments:
    model = factory(seed)
    if not isinstance(model, ModelMoments):
        raise MomentError(f"the model factory must return a ModelMoments; got {type(model).__name__}")
    return model


__all__ = ["RecoveryResult", "recovery"]
