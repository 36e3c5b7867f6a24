"""Errors and warnings of the empirical layer (moments, estimation, tests against data).

Each error derives from :class:`gvcgames.errors.GvcgamesError` and from the builtin it refines.
"""

from __future__ import annotations

from typing import Any

from gvcgames.errors import GvcgamesError, GvcgamesWarning, InvalidSpecError, InvalidValuesError


class MomentError(InvalidSpecError):
    """Moments are malformed: duplicate or unknown names, wrong shapes, missing columns."""


class DataError(InvalidValuesError):
    """Data hold NaN or infinite values, or are empty."""


class CovarianceError(GvcgamesError, ValueError):
    """A moment covariance matrix is not symmetric, not positive semi-definite or singular."""


class UnderIdentifiedError(GvcgamesError, ValueError):
    """Fewer moments than parameters: raised before any optimisation."""


class ConvergenceError(GvcgamesError, RuntimeError):
    """No optimiser run converged; ``runs`` holds every scipy result for inspection."""

    def __init__(self, message: str, runs: list[Any] | None = None) -> None:
        super().__init__(message)
        self.runs = list(runs or [])


class WeakIdentificationWarning(GvcgamesWarning):
    """The moment Jacobian at the estimate is (nearly) rank deficient."""


__all__ = [
    "ConvergenceError",
    "CovarianceError",
    "DataError",
    "MomentError",
    "UnderIdentifiedError",
    "WeakIdentificationWarning",
]
