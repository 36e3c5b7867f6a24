"""Sweeps over large parameter grids and Monte Carlo draws, serial or on any executor.

A sweep splits the points into chunks, built lazily (a chunk of a Cartesian grid is
computed from its flat indices; a chunk of Monte Carlo draws from its own seeded stream),
so only the chunks in flight are in memory. Chunks run on any
:class:`concurrent.futures.Executor` (``None``: in this process): a
``ProcessPoolExecutor``, or a ``dask.distributed`` cluster through
``client.get_executor()``. A chunk that raises is recorded with its index range and the
error; the other chunks' results are kept. A tqdm progress bar is shown on a terminal or
when asked.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.numeric.compile import as_points, evaluate, inside_domain
from gvcgames.numeric.errors import SweepTooLargeError

DEFAULT_MAX_MEMORY = 2 * 1024**3  # bytes of results a sweep may keep


class Points:
    """A lazily built set of parameter points: ``len()``, ``chunk(start, stop)``, ``names``."""

    names: tuple[str, ...]

    def __len__(self) -> int:
        raise NotImplementedError

    def chunk(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Points ``start:stop`` as ``{name: array}``."""
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        """Every point as a DataFrame (builds them all: only for moderate sizes)."""
        return pd.DataFrame(self.chunk(0, len(self)))


class Grid(Points):
    """The Cartesian product of 1-D axes, in C order (the last axis varies fastest).

    Examples
    --------
    >>> g = Grid({"a": [1.0, 2.0], "b": [0.0, 0.5, 1.0]})
    >>> len(g), g.chunk(2, 4)
    (6, {'a': array([1., 2.]), 'b': array([1., 0.])})
    """

    def __init__(self, axes: Mapping[Any, Any]) -> None:
        if not axes:
            raise InvalidSpecError("a grid needs at least one axis")
        self.names = tuple(getattr(k, "name", str(k)) for k in axes)
        self.axes = []
        for name, values in zip(self.names, axes.values(), strict=True):
            arr = np.atleast_1d(np.asarray(values, dtype=float))
            if arr.ndim != 1 or arr.size == 0:
                raise InvalidValuesError(f"axis {name!r} must be a non-empty 1-D sequence, got shape {arr.shape}")
            bad = int(np.count_nonzero(~np.isfinite(arr)))
            if bad:
                raise InvalidValuesError(f"{name} has {bad} non-finite value(s) (NaN or inf) on its axis")
            self.axes.append(arr)
        self.shape = tuple(a.size for a in self.axes)

    def __len__(self) -> int:
        return math.prod(self.shape)

    def chunk(self, start: int, stop: int) -> dict[str, np.ndarray]:
        idx = np.unravel_index(np.arange(start, min(stop, len(self))), self.shape)
        return {n: a[i] for n, a, i in zip(self.names, self.axes, idx, strict=True)}


class Draws(Points):
    """``n`` independent uniform draws in a box, reproducible chunk by chunk.

    Chunk ``k`` of size ``chunk_size`` uses the seed ``(seed, k)``, so results do not
    depend on the executor or on the order chunks run in.
    """

    def __init__(self, box: Mapping[str, tuple[float, float]], n: int, seed: int = 0, chunk_size: int = 65536) -> None:
        if n < 1:
            raise InvalidValuesError(f"the number of draws must be positive, got {n}")
        self.names = tuple(box)
        self.box = {k: (float(lo), float(hi)) for k, (lo, hi) in box.items()}
        for k, (lo, hi) in self.box.items():
            if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
                raise InvalidValuesError(f"box of {k!r} must be a finite range lo <= hi, got {(lo, hi)}")
        self.n, self.seed, self.block = int(n), seed, chunk_size

    def __len__(self) -> int:
        return self.n

    def chunk(self, start: int, stop: int) -> dict[str, np.ndarray]:
        stop = min(stop, self.n)
        parts = []
        for block in range(start // self.block, (stop - 1) // self.block + 1):
            rng = np.random.default_rng([self.seed, block])
            b0 = block * self.block
            size = min(self.block, self.n - b0)
            draws = {k: rng.uniform(lo, hi, size) for k, (lo, hi) in self.box.items()}
            lo_i, hi_i = max(start, b0) - b0, min(stop, b0 + size) - b0
            parts.append({k: v[lo_i:hi_i] for k, v in draws.items()})
        return {k: np.concatenate([p[k] for p in parts]) for k in self.names}


def grid(axes: Mapping[Any, Any] | None = None, **more: Any) -> Grid:
    """A lazy Cartesian grid: ``grid(a=np.linspace(1, 2, 100), c=[0, 1])``.

    Examples
    --------
    >>> len(grid(a=[1, 2, 3], c=[0.0, 1.0]))
    6
    """
    return Grid({**(axes or {}), **more})


def monte_carlo(game: Any, n: int, box: Mapping[Any, tuple[float, float]] | None = None, seed: int = 0) -> Draws:
    """``n`` uniform draws of every parameter of ``game`` inside its domain (or ``box``).

    Parameters
    ----------
    game : Game or Equilibrium
        Its parameters are drawn.
    n : int
    box : mapping, optional
        Name -> (low, high); required for parameters whose domain is unbounded. Open
        domain ends are avoided (draws are on ``[low, high)``, nudged off an open low end).
    seed : int

    Raises
    ------
    InvalidSpecError
        A parameter with an unbounded domain has no ``box`` entry (named in the message).

    Examples
    --------
    >>> from gvcgames.models import upgrading
    >>> d = monte_carlo(upgrading(), 10, box={"a": (1, 2), "g": (0, 1), "k": (0, 1), "a_o": (1, 2)})
    >>> sorted(d.names), len(d)
    (['R', 'a', 'a_o', 'beta', 'g', 'k'], 10)
    """
    game = getattr(game, "game", None) or game
    box = {getattr(k, "name", str(k)): v for k, v in (box or {}).items()}
    names = {p.name: p for p in game.parameters}
    unknown = sorted(set(box) - set(names))
    if unknown:
        raise InvalidSpecError(f"box names {unknown} are not parameters; parameters: {sorted(names)}")
    full = {}
    for name, p in names.items():
        if name in box:
            lo, hi = box[name]
        else:
            if not (p.lower.is_finite and p.upper.is_finite):
                raise InvalidSpecError(
                    f"parameter {name!r} has the unbounded domain {p.domain}; "
                    f"give its range in box={{'{name}': (lo, hi)}}"
                )
            lo, hi = float(p.lower), float(p.upper)
        eps = 1e-9 * max(1.0, abs(hi - lo))
        if p.domain.left_open and float(lo) <= float(p.lower if p.lower.is_finite else -np.inf):
            lo = float(lo) + eps
        full[name] = (lo, hi)
    return Draws(full, n, seed)


@dataclass(frozen=True)
class ChunkFailure:
    """A chunk that raised: its index, point range and the error."""

    index: int
    start: int
    stop: int
    error: str

    def __str__(self) -> str:
        return f"chunk {self.index} (points {self.start}:{self.stop}): {self.error}"


@dataclass(frozen=True)
class SweepResult:
    """The completed chunks of a sweep and the failed ones.

    Attributes
    ----------
    frame : DataFrame
        Rows of every completed chunk, in point order (``reduce``: one row per chunk).
    failed : list of ChunkFailure
    n_points, n_chunks : int
    elapsed : float
        Seconds.
    """

    frame: pd.DataFrame
    failed: list[ChunkFailure] = field(default_factory=list)
    n_points: int = 0
    n_chunks: int = 0
    elapsed: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        done = self.n_chunks - len(self.failed)
        lines = [
            f"Sweep over {self.n_points} points in {self.n_chunks} chunks: {done} completed, "
            f"{len(self.failed)} failed; {self.elapsed:.2f} s"
        ]
        lines += [f"  failed {f}" for f in self.failed]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        from html import escape

        return f"<pre>{escape(self.summary())}</pre>" + self.frame.head(10).to_html()


class EvaluateTask:
    """Picklable chunk task: evaluate an equilibrium's outputs (compiled once per process)."""

    def __init__(self, eq: Any, outputs: Any = None) -> None:
        self.eq, self.outputs = eq, outputs

    def __call__(self, chunk: Mapping[str, np.ndarray]) -> pd.DataFrame:
        return evaluate(self.eq, chunk, self.outputs)


class SolveTask:
    """Picklable chunk task: batched numeric equilibria of a continuous game."""

    def __init__(self, game: Any, **options: Any) -> None:
        self.game, self.options = game, {"warn": False, **options}

    def __call__(self, chunk: Mapping[str, np.ndarray]) -> pd.DataFrame:
        from gvcgames.numeric.batch import solve_batch

        return solve_batch(self.game, chunk, **self.options).to_frame()


def sweep(
    task: Any,
    points: Points | Mapping[Any, Any] | pd.DataFrame,
    *,
    executor: Executor | None = None,
    chunk_size: int = 65536,
    progress: bool | None = None,
    reduce: Callable[[pd.DataFrame], Any] | None = None,
    max_memory: int = DEFAULT_MAX_MEMORY,
    max_in_flight: int | None = None,
) -> SweepResult:
    """Run ``task`` over ``points`` chunk by chunk, serially or on an executor.

    Parameters
    ----------
    task : Equilibrium, ContinuousGame or callable
        An Equilibrium is evaluated (:func:`gvcgames.numeric.evaluate`); a ContinuousGame
        is solved numerically (:func:`gvcgames.numeric.solve_batch`); a callable gets a
        chunk ``{name: array}`` and returns a DataFrame (it must be picklable for process
        or cluster executors).
    points : Points, mapping or DataFrame
        :func:`grid`, :func:`monte_carlo`, or explicit points.
    executor : concurrent.futures.Executor, optional
        Where chunks run; ``None`` runs them here. For dask use ``client.get_executor()``.
    chunk_size : int
        Points per chunk; memory in flight is about ``chunk_size * max_in_flight`` rows.
    progress : bool, optional
        Show a tqdm bar; default only when stderr is a terminal.
    reduce : callable, optional
        Applied to each chunk's DataFrame on arrival (e.g. ``lambda df: df.mean()``);
        only the reductions are kept, so arbitrarily large sweeps fit in memory.
    max_memory : int
        Bytes the kept results may take; a larger sweep without ``reduce`` is refused
        before it starts (the message gives the size).
    max_in_flight : int, optional
        Chunks submitted at once (default twice the executor's workers, at least 2).

    Returns
    -------
    SweepResult
        Completed chunks in ``frame``; failures listed in ``failed`` (never hidden).

    Raises
    ------
    SweepTooLargeError
        The results would exceed ``max_memory`` and no ``reduce`` is given.

    Examples
    --------
    >>> from gvcgames.models import cournot
    >>> eq = cournot().solve().equilibria[0]
    >>> res = sweep(eq, grid(a=[5.0, 6.0, 7.0], b=[1.0], c=[1.0, 2.0]), chunk_size=4)
    >>> res.n_chunks, res.complete, res.frame["q1"].round(3).tolist()
    (2, True, [1.333, 1.0, 1.667, 1.333, 2.0, 1.667])
    """
    if chunk_size < 1:
        raise InvalidValuesError(f"chunk_size must be positive, got {chunk_size}")
    points = _as_points_source(points)
    func = _as_task(task)
    _check_domains(task, points)
    n = len(points)
    if reduce is None:
        columns = len(points.names) + _output_columns(task)
        need = n * columns * 8
        if need > max_memory:
            raise SweepTooLargeError(
                f"the sweep's results need about {need / 1024**2:,.0f} MiB ({n:,} points x {columns} columns) "
                f"> max_memory = {max_memory / 1024**2:,.0f} MiB; pass reduce= to aggregate each chunk, "
                "raise max_memory, or use fewer points"
            )
    bounds = [(s, min(s + chunk_size, n)) for s in range(0, n, chunk_size)]
    show = progress if progress is not None else sys.stderr.isatty()
    from tqdm.auto import tqdm

    bar = tqdm(total=len(bounds), desc="sweep", unit="chunk", disable=not show)
    results: dict[int, Any] = {}
    failed: list[ChunkFailure] = []
    start_time = time.perf_counter()

    def record(index: int, fut_or_value: Any, error: BaseException | None) -> None:
        if error is None:
            results[index] = reduce(fut_or_value) if reduce is not None else fut_or_value
        else:
            s, e = bounds[index]
            failed.append(ChunkFailure(index, s, e, f"{type(error).__name__}: {error}"))
        bar.update(1)

    try:
        if executor is None:
            for k, (s, e) in enumerate(bounds):
                try:
                    value = func(points.chunk(s, e))
                except Exception as exc:
                    record(k, None, exc)
                else:
                    record(k, value, None)
        else:
            limit = max_in_flight or max(2, 2 * _workers(executor))
            pending: dict[Future[Any], int] = {}
            queue: Iterator[int] = iter(range(len(bounds)))
            for k in queue:
                try:
                    pending[executor.submit(func, points.chunk(*bounds[k]))] = k
                except Exception as exc:
                    record(k, None, exc)
                while len(pending) >= limit:
                    _collect(pending, record)
            while pending:
                _collect(pending, record)
    finally:
        bar.close()
    failed.sort(key=lambda f: f.index)
    order = sorted(results)
    if reduce is not None:
        rows = [results[k] for k in order]
        frame = pd.DataFrame(rows, index=pd.Index(order, name="chunk")) if rows else pd.DataFrame()
    else:
        frames = [results[k] for k in order]
        frame = pd.concat(frames, ignore_index=False) if frames else pd.DataFrame()
        if frames:
            frame.index = np.concatenate([np.arange(*bounds[k]) for k in order])
    return SweepResult(frame, failed, n, len(bounds), time.perf_counter() - start_time)


def _collect(pending: dict[Future[Any], int], record: Callable[..., None]) -> None:
    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    for fut in done:
        k = pending.pop(fut)
        try:
            value = fut.result()
        except Exception as exc:
            record(k, None, exc)
        else:
            record(k, value, None)


def _workers(executor: Executor) -> int:
    for attr in ("_max_workers",):
        if isinstance(getattr(executor, attr, None), int):
            return int(getattr(executor, attr))
    client = getattr(executor, "_client", None)
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:
            return 4
    return 4


def _as_points_source(points: Any) -> Points:
    if isinstance(points, Points):
        return points
    if isinstance(points, pd.DataFrame | Mapping):
        frame = points if isinstance(points, pd.DataFrame) else None
        if frame is None:
            arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in points.values()))
            frame = pd.DataFrame({getattr(k, "name", str(k)): a.ravel() for k, a in zip(points, arrays, strict=True)})
        return _FramePoints(frame)
    raise InvalidValuesError(f"points must be a grid, draws, a mapping or a DataFrame, got {type(points).__name__}")


class _FramePoints(Points):
    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.names = tuple(map(str, frame.columns))
        for name in self.names:
            col = frame[name].to_numpy(dtype=float)
            bad = int(np.count_nonzero(~np.isfinite(col)))
            if bad:
                raise InvalidValuesError(f"{name} has {bad} non-finite value(s) (NaN or inf) out of {col.size} points")

    def __len__(self) -> int:
        return len(self.frame)

    def chunk(self, start: int, stop: int) -> dict[str, np.ndarray]:
        return {n: self.frame[n].to_numpy(dtype=float)[start:stop] for n in self.names}


def _as_task(task: Any) -> Callable[[Mapping[str, np.ndarray]], Any]:
    from gvcgames.spec.games import ContinuousGame

    if isinstance(task, ContinuousGame):
        return SolveTask(task)
    if hasattr(task, "strategies") and hasattr(task, "conditions"):
        return EvaluateTask(task)
    if callable(task):
        return task
    raise InvalidSpecError(f"task must be an Equilibrium, a ContinuousGame or a callable, got {type(task).__name__}")


def _parameters_of(task: Any) -> tuple[sp.Symbol, ...]:
    game = task if hasattr(task, "parameters") else getattr(task, "game", None)
    return tuple(getattr(game, "parameters", ()))


def _check_domains(task: Any, points: Points) -> None:
    """Refuse out-of-domain values before any chunk runs (grids: per axis; others: all points)."""
    params = {p.name: p for p in _parameters_of(task)}
    if not params:
        return
    if isinstance(points, Grid):
        for name, axis in zip(points.names, points.axes, strict=True):
            if name in params:
                outside = int(np.count_nonzero(~inside_domain(params[name], axis)))
                if outside:
                    count = outside * len(points) // axis.size
                    raise InvalidValuesError(
                        f"{name} is outside its domain {params[name].domain} at {count} of {len(points)} points "
                        f"({outside} of {axis.size} axis values)"
                    )
    elif isinstance(points, _FramePoints):
        as_points(
            points.frame[[c for c in points.names if c in params]], [params[c] for c in points.names if c in params]
        )


def _output_columns(task: Any) -> int:
    if hasattr(task, "strategies") and hasattr(task, "payoffs"):
        return len(task.strategies) + len(task.payoffs) + len(getattr(task, "outcomes", {})) + 1
    if hasattr(task, "actions"):
        return len(task.actions) + 6
    return 1
