"""Numeric equilibria along a parameter path, tracking each branch.

At each step the equilibria of the previous step are used as warm starts (natural
parameter continuation), together with a fixed set of spread-out starts that find
branches appearing along the way. Distinct verified solutions are the equilibria found at
that step. When their number changes between steps (a fold, where two branches meet and
vanish, or a branch entering the action set) an :class:`EquilibriumBranchWarning` names
the step and the parameter values. This is a numerical finding: an equilibrium none of
the starts reaches is not seen.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from gvcgames.errors import InvalidValuesError
from gvcgames.numeric.batch import foc_system, solve_batch
from gvcgames.numeric.compile import as_points
from gvcgames.numeric.errors import EquilibriumBranchWarning


@dataclass(frozen=True)
class ContinuationResult:
    """Equilibria found at each step of a path.

    Attributes
    ----------
    frame : DataFrame
        One row per (step, equilibrium): the step, the parameters, the strategies, and
        ``branch`` (an id kept while a branch is followed by warm starts).
    counts : ndarray of int
        Number of distinct verified equilibria at each step.
    events : list of str
        Where equilibria appeared or vanished.
    """

    frame: pd.DataFrame
    counts: np.ndarray
    events: list[str]

    def summary(self) -> str:
        lines = [f"Continuation over {len(self.counts)} steps; equilibria per step: {_runs(self.counts)}"]
        lines += [f"  {e}" for e in self.events]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(self.summary())}</pre>" + self.frame.head(20).to_html()


def continuation(
    game: Any,
    path: Mapping[Any, Any],
    fixed: Mapping[Any, float] | None = None,
    *,
    n_starts: int = 8,
    seed: int = 0,
    tol: float = 1e-10,
    same: float = 1e-6,
) -> ContinuationResult:
    """Follow the numeric equilibria of ``game`` along ``path``.

    Parameters
    ----------
    game : ContinuousGame
    path : mapping
        Parameter -> 1-D array; all of the same length (the steps, in order).
    fixed : mapping, optional
        Values of the other parameters.
    n_starts : int
        Spread-out starts per step (in the action box; seeded), besides the warm starts.
    seed : int
    tol : float
        Residual tolerance of the solver.
    same : float
        Two solutions closer than ``same * (1 + |x|)`` are the same equilibrium.

    Returns
    -------
    ContinuationResult

    Warns
    -----
    EquilibriumBranchWarning
        When the number of equilibria changes between consecutive steps.

    Examples
    --------
    >>> import numpy as np
    >>> from gvcgames.models import cournot
    >>> res = continuation(cournot(), {"a": np.linspace(5, 6, 3)}, {"b": 1.0, "c": 1.0})
    >>> res.counts.tolist(), res.frame["q1"].round(4).tolist()
    ([1, 1, 1], [1.3333, 1.5, 1.6667])
    """
    system = foc_system(game)
    lengths = {getattr(k, "name", str(k)): np.size(v) for k, v in path.items()}
    if not path or len(set(lengths.values())) != 1 or min(lengths.values()) < 2:
        raise InvalidValuesError(f"path needs 1-D arrays of one common length >= 2, got lengths {lengths}")
    steps = next(iter(lengths.values()))
    values = {**{k: np.asarray(v, dtype=float).ravel() for k, v in path.items()}, **(fixed or {})}
    params = as_points(values, system.parameters)
    n = len(system.actions)
    lo, hi = system.box({s: v[:1] for s, v in params.items()}, 1)
    rng = np.random.default_rng(seed)
    a = np.where(np.isfinite(lo[0]), lo[0], -10.0)
    b = np.where(np.isfinite(hi[0]), hi[0], np.where(np.isfinite(lo[0]), lo[0] + 10.0, 10.0))
    spread = a + (b - a) * rng.uniform(0.02, 0.98, size=(n_starts, n))
    rows: list[dict[str, Any]] = []
    counts = np.zeros(steps, dtype=int)
    events: list[str] = []
    branches: list[tuple[int, np.ndarray]] = []  # (branch id, solution at previous step)
    next_id = 0
    for k in range(steps):
        starts = np.vstack([*(x for _, x in branches), spread]) if branches else spread
        m = len(starts)
        point = {s: np.repeat(v[k], m) for s, v in params.items()}
        res = solve_batch(game, point, starts=starts, tol=tol, check=0, warn=False, fallback=False)
        found: list[tuple[int, np.ndarray]] = []
        for j in np.flatnonzero(res.verified):
            x = res.strategies[j]
            if any(np.all(np.abs(x - y) <= same * (1 + np.abs(y))) for _, y in found):
                continue
            if j < len(branches):
                bid = branches[j][0]
                if any(bid == other for other, _ in found):
                    bid, next_id = next_id, next_id + 1
            else:
                bid, next_id = next_id, next_id + 1
            found.append((bid, x))
        counts[k] = len(found)
        label = ", ".join(f"{s.name}={v[k]:.6g}" for s, v in params.items() if s.name in lengths)
        if k and counts[k] != counts[k - 1]:
            verb = "appeared" if counts[k] > counts[k - 1] else "vanished"
            event = f"step {k} ({label}): equilibria {verb}, {counts[k - 1]} -> {counts[k]}"
            events.append(event)
            warnings.warn(event, EquilibriumBranchWarning, stacklevel=2)
        for bid, x in found:
            row = {"step": k, **{s.name: float(v[k]) for s, v in params.items()}, "branch": bid}
            row.update({act.name: float(x[i]) for i, act in enumerate(system.actions)})
            rows.append(row)
        branches = found
    return ContinuationResult(pd.DataFrame(rows), counts, events)


def _runs(counts: np.ndarray) -> str:
    out, start = [], 0
    for k in range(1, len(counts) + 1):
        if k == len(counts) or counts[k] != counts[start]:
            out.append(f"{counts[start]} (steps {start}-{k - 1})")
            start = k
    return ", ".join(out)
