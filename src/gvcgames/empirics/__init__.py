"""Empirics: moments, estimation (minimum distance, GMM, SMM), inference and sign tests against data.

One concept per module:

* :mod:`~gvcgames.empirics.moments` -- :class:`MomentSet`, empirical moments with covariance;
* :mod:`~gvcgames.empirics.model_moments` -- model-implied moments (closed form, simulated);
* :mod:`~gvcgames.empirics.estimation` -- :func:`estimate` (MD/SMM) and :func:`gmm`;
* :mod:`~gvcgames.empirics.optimise` -- starts, bounds, multi-start minimisation, convergence;
* :mod:`~gvcgames.empirics.checks` -- scale-free covariance/weighting checks, levels, micro data;
* :mod:`~gvcgames.empirics.inference` -- sandwich covariance (data + simulation noise), J-test for
  any weighting, identification diagnostics, sensitivity;
* :mod:`~gvcgames.empirics.results` -- :class:`EstimationResult`;
* :mod:`~gvcgames.empirics.hypothesis_tests` -- sign tests of hypotheses against estimates;
* :mod:`~gvcgames.empirics.recovery` -- parameter-recovery Monte Carlo;
* :mod:`~gvcgames.empirics.illustration` -- published figures for an illustrative PR calibration.
"""

from gvcgames.empirics.errors import (
    ConvergenceError,
    CovarianceError,
    DataError,
    MomentError,
    UnderIdentifiedError,
    WeakIdentificationWarning,
)
from gvcgames.empirics.estimation import estimate, gmm
from gvcgames.empirics.hypothesis_tests import SignTestError, SignTestTable, adjust_pvalues, sign_tests
from gvcgames.empirics.inference import Identification, JTest
from gvcgames.empirics.model_moments import (
    ClosedFormMoments,
    FunctionMoments,
    Heterogeneity,
    ModelMoments,
    SimulatedMoments,
    lognormal,
    normal,
    uniform,
)
from gvcgames.empirics.moments import MomentSet
from gvcgames.empirics.recovery import RecoveryResult, recovery
from gvcgames.empirics.results import EstimationResult

__all__ = [
    "ClosedFormMoments",
    "ConvergenceError",
    "CovarianceError",
    "DataError",
    "EstimationResult",
    "FunctionMoments",
    "Heterogeneity",
    "Identification",
    "JTest",
    "ModelMoments",
    "MomentError",
    "MomentSet",
    "RecoveryResult",
    "SignTestError",
    "SignTestTable",
    "SimulatedMoments",
    "UnderIdentifiedError",
    "WeakIdentificationWarning",
    "adjust_pvalues",
    "estimate",
    "gmm",
    "lognormal",
    "normal",
    "recovery",
    "sign_tests",
    "uniform",
]
