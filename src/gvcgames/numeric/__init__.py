"""The numeric engine: compiled evaluation, batched numeric equilibria, sweeps, continuation.

- :func:`evaluate` (also ``Equilibrium.evaluate``): symbolic results over parameter arrays.
- :func:`solve_batch`: numeric equilibria of a ContinuousGame at many points, verified;
  :func:`equilibria_at` uses the closed form where sympy finds one (within a time budget).
- :func:`sweep` over a :func:`grid` or :func:`monte_carlo` draws, on any executor (or a
  dask Client), with timeouts; failed chunks are listed and completed ones kept.
- :func:`continuation`: equilibria along a parameter path, warning when they appear/vanish.
"""

from gvcgames.numeric.batch import (
    FOCSystem,
    NumericEquilibria,
    deviation_gain,
    equilibria_at,
    foc_system,
    newton,
    solve_batch,
)
from gvcgames.numeric.compile import CompiledExpressions, as_points, compile_expressions, evaluate
from gvcgames.numeric.continuation import ContinuationResult, continuation
from gvcgames.numeric.errors import (
    EquilibriumBranchWarning,
    NumericConvergenceWarning,
    SweepInterrupted,
    SweepTooLargeError,
)
from gvcgames.numeric.sweep import (
    ChunkFailure,
    Draws,
    EvaluateTask,
    Grid,
    Points,
    SolveTask,
    SweepResult,
    grid,
    monte_carlo,
    sweep,
)

__all__ = [
    "ChunkFailure",
    "CompiledExpressions",
    "ContinuationResult",
    "Draws",
    "EquilibriumBranchWarning",
    "EvaluateTask",
    "FOCSystem",
    "Grid",
    "NumericConvergenceWarning",
    "NumericEquilibria",
    "Points",
    "SolveTask",
    "SweepInterrupted",
    "SweepResult",
    "SweepTooLargeError",
    "as_points",
    "compile_expressions",
    "continuation",
    "deviation_gain",
    "equilibria_at",
    "evaluate",
    "foc_system",
    "grid",
    "monte_carlo",
    "newton",
    "solve_batch",
    "sweep",
]
