"""Errors and warnings of the numeric engine (all derive from gvcgames' bases)."""

from __future__ import annotations

from gvcgames.errors import GvcgamesWarning, InvalidValuesError


class SweepTooLargeError(InvalidValuesError, MemoryError):
    """A sweep's results would not fit in the memory budget; the message gives the size."""


class EquilibriumBranchWarning(GvcgamesWarning):
    """Along a continuation path an equilibrium appeared or vanished (a fold or a bifurcation)."""


class NumericConvergenceWarning(GvcgamesWarning):
    """Some points of a batched numeric solve did not converge or failed verification."""
