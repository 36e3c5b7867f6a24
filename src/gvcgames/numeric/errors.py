"""Errors and warnings of the numeric engine (all derive from gvcgames' bases)."""

from __future__ import annotations

from typing import Any

from gvcgames.errors import GvcgamesWarning, InvalidValuesError


class SweepTooLargeError(InvalidValuesError, MemoryError):
    """A sweep's or an evaluation's results would not fit in the memory budget.

    The message gives the size and the way out (``reduce=``, chunking with ``sweep``).
    """


class SweepInterrupted(KeyboardInterrupt):
    """A sweep was interrupted (Ctrl-C); ``result`` holds the chunks completed so far.

    It derives from KeyboardInterrupt only, not from GvcgamesError: an interrupt must
    not be swallowed by ``except Exception`` handlers.

    Examples
    --------
    >>> import pandas as pd
    >>> from gvcgames.numeric import ChunkFailure, SweepResult
    >>> lost = ChunkFailure(1, 2, 4, "KeyboardInterrupt: interrupted before it finished")
    >>> err = SweepInterrupted(SweepResult(pd.DataFrame({"a": [1.0, 2.0]}), [lost], n_points=4, n_chunks=2))
    >>> str(err)
    'sweep interrupted; 1 of 2 chunks completed (see .result)'
    """

    def __init__(self, result: Any) -> None:
        self.result = result
        done = result.n_chunks - len(result.failed)
        super().__init__(f"sweep interrupted; {done} of {result.n_chunks} chunks completed (see .result)")


class EquilibriumBranchWarning(GvcgamesWarning):
    """Along a continuation path an equilibrium appeared or vanished (a fold or a bifurcation)."""


class NumericConvergenceWarning(GvcgamesWarning):
    """Some points of a batched numeric solve did not converge or failed verification."""
