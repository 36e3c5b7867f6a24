"""Numeric equilibria along a parameter path, tracking each branch.

At each step the equilibria of the previous step are used as warm starts (natural
parameter continuation), together with a fixed set of spread-out starts that find
branches appearing along the way. Distinct *verified* solutions are the equilibria found
at that step: every one passed :func:`gvcgames.numeric.solve_batch`'s checks, including
the joint deviation check of :func:`gvcgames.numeric.deviation_gain` (a player moving all
their actions at once), so saddle points and local maxima of the first-order system are
not reported as branches.

A solution continues a branch of the previous step if it was reached from that branch's
warm start or lies within ``jump`` of it (nearest first, each branch continued at most
once); other solutions start new branches. An :class:`EquilibriumBranchWarning` names
the step and the parameter values when a branch appears or vanishes, including when one
appears and another vanishes in the same step (the count unchanged: e.g. the global
maximum jumping from one local maximum to another). This is a numerical finding: an
equilibrium none of the starts reaches is not seen.
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
        One row per (step, equilibrium): the step, the parameters, the strategies,
        ``branch`` (an id kept while a branch is followed) and ``max_gain`` (the largest
        relative gain of the deviation check, at most the solver's ``gain_tol``).
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
    jump: float = 0.1,
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
    jump : float
        A solution within ``jump * (1 + |x|)`` of a branch of the previous step (and not
        nearer another) continues it even if that branch's warm start went elsewhere.

    Returns
    -------
    ContinuationResult

    Warns
    -----
    EquilibriumBranchWarning
        When a branch appears or vanishes between consecutive steps (also when one
        appears and another vanishes, the count unchanged).

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
        distinct: list[tuple[np.ndarray, float, set[int]]] = []  # solution, its max gain, the starts reaching it
        for j in np.flatnonzero(res.verified):
            x = res.strategies[j]
            for y, _, origins in distinct:
                if np.all(np.abs(x - y) <= same * (1 + np.abs(y))):
                    origins.add(int(j))
                    break
            else:
                distinct.append((x, float(res.max_gain[j]), {int(j)}))
        found = _match(branches, distinct, jump)
        ids = [bid for bid, _, _ in found]
        for i, (bid, x, gain) in enumerate(found):
            if bid < 0:
                ids[i] = next_id
                found[i] = (next_id, x, gain)
                next_id += 1
        counts[k] = len(found)
        label = ", ".join(f"{s.name}={v[k]:.6g}" for s, v in params.items() if s.name in lengths)
        previous = [bid for bid, _ in branches]
        appeared = [bid for bid in ids if bid not in previous]
        vanished = [bid for bid in previous if bid not in ids]
        if k and (appeared or vanished):
            if appeared and vanished:
                event = (
                    f"step {k} ({label}): equilibria appeared and vanished, {counts[k - 1]} -> {counts[k]} "
                    f"(branches {vanished} vanished, {appeared} appeared)"
                )
            else:
                verb = "appeared" if appeared else "vanished"
                event = f"step {k} ({label}): equilibria {verb}, {counts[k - 1]} -> {counts[k]}"
            events.append(event)
            warnings.warn(event, EquilibriumBranchWarning, stacklevel=2)
        for bid, x, gain in found:
            row = {"step": k, **{s.name: float(v[k]) for s, v in params.items()}, "branch": bid}
            row.update({act.name: float(x[i]) for i, act in enumerate(system.actions)})
            row["max_gain"] = gain
            rows.append(row)
        branches = [(bid, x) for bid, x, _ in found]
    return ContinuationResult(pd.DataFrame(rows), counts, events)


def _match(
    branches: list[tuple[int, np.ndarray]], distinct: list[tuple[np.ndarray, float, set[int]]], jump: float
) -> list[tuple[int, np.ndarray, float]]:
    """Give each distinct solution the id of the branch it continues (-1: a new branch).

    A pair (branch, solution) qualifies if the branch's warm start reached the solution or
    they are within ``jump * (1 + |x|)`` (max norm); qualifying pairs are taken nearest
    first, each branch and each solution once.
    """
    pairs = []
    for b, (_, y) in enumerate(branches):
        for i, (x, _, origins) in enumerate(distinct):
            d = float(np.max(np.abs(x - y) / (1 + np.abs(y)))) if x.size else 0.0
            if b in origins or d <= jump:
                pairs.append((d, b, i))
    owner = [-1] * len(distinct)
    used: set[int] = set()
    for _, b, i in sorted(pairs):
        if owner[i] < 0 and b not in used:
            owner[i] = branches[b][0]
            used.add(b)
    return [(owner[i], x, gain) for i, (x, gain, _) in enumerate(distinct)]


def _runs(counts: np.ndarray) -> str:
    out, start = [], 0
    for k in range(1, len(counts) + 1):
        if k == len(counts) or counts[k] != counts[start]:
            out.append(f"{counts[start]} (steps {start}-{k - 1})")
            start = k
    return ", ".join(out)
