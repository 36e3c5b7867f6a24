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

import functools
import math
import sys
import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.numeric.compile import evaluate, inside_domain, validated_points
from gvcgames.numeric.errors import SweepInterrupted, SweepTooLargeError

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

    def count_outside(self, name: str, outside: Callable[[np.ndarray], np.ndarray]) -> int:
        """How many draws of ``name`` satisfy ``outside`` (drawn block by block, not kept)."""
        total = 0
        for start in range(0, self.n, self.block):
            total += int(np.count_nonzero(outside(self.chunk(start, start + self.block)[name])))
        return total


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

    @property
    def bytes_per_point(self) -> int:
        """Bytes of one result row: 8 per parameter and output, 1 for ``in_region``."""
        from gvcgames.numeric.compile import _plan

        names, params, _ = _plan(self.eq, self.outputs)
        return 8 * (len(names) + len(params)) + 1


class SolveTask:
    """Picklable chunk task: batched numeric equilibria of a continuous game."""

    def __init__(self, game: Any, **options: Any) -> None:
        self.game, self.options = game, {"warn": False, **options}

    def __call__(self, chunk: Mapping[str, np.ndarray]) -> pd.DataFrame:
        from gvcgames.numeric.batch import solve_batch

        return solve_batch(self.game, chunk, **self.options).to_frame()

    @property
    def bytes_per_point(self) -> int:
        """Bytes of one result row: floats, two Booleans and two short strings (method, message)."""
        return 8 * (len(self.game.parameters) + len(self.game.actions) + 2) + 2 + 2 * (8 + 80)


def sweep(
    task: Any,
    points: Points | Mapping[Any, Any] | pd.DataFrame,
    *,
    executor: Any = None,
    chunk_size: int = 65536,
    progress: bool | None = None,
    reduce: Callable[[pd.DataFrame], Any] | None = None,
    max_memory: int = DEFAULT_MAX_MEMORY,
    max_in_flight: int | None = None,
    timeout: float | None = None,
    chunk_timeout: float | None = None,
) -> SweepResult:
    """Run ``task`` over ``points`` chunk by chunk, serially or on an executor.

    Parameters
    ----------
    task : Equilibrium, ContinuousGame or callable
        An Equilibrium is evaluated (:func:`gvcgames.numeric.evaluate`); a ContinuousGame
        is solved numerically (:func:`gvcgames.numeric.solve_batch`); a callable gets a
        chunk ``{name: array}`` and returns a DataFrame (it must be picklable for process
        or cluster executors). A callable may say how many bytes a result row takes in a
        ``bytes_per_point`` attribute; otherwise it is run once on a few points to
        measure it (on the executor, if one is given).
    points : Points, mapping or DataFrame
        :func:`grid`, :func:`monte_carlo`, or explicit points. They are checked before
        any chunk runs: every parameter of the task present, no unknown names, no
        NaN/inf, every value (a grid's axes, a draws box) inside its domain.
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where chunks run; ``None`` runs them here. A dask ``Client`` is used through
        ``client.get_executor()``.
    chunk_size : int
        Points per chunk; memory in flight is about ``chunk_size * max_in_flight`` rows.
    progress : bool, optional
        Show a tqdm bar; default only when stderr is a terminal.
    reduce : callable, optional
        Applied to each chunk's DataFrame on arrival, in this process (e.g.
        ``lambda df: df.mean()``); only the reductions are kept, so arbitrarily large
        sweeps fit in memory. A reduction that raises fails its chunk only.
    max_memory : int
        Bytes the kept results may take; a larger sweep without ``reduce`` is refused
        before it starts (the message gives the size).
    max_in_flight : int, optional
        Chunks submitted at once (default twice the executor's workers, at least 2; the
        number of workers when ``chunk_timeout`` is set, so that the clock of a chunk
        starts about when it starts running).
    timeout : float, optional
        Seconds for the whole sweep. When they run out, the chunks still running are
        cancelled and, with those never started, listed as failed; the completed ones
        are returned. In this process (``executor=None``) a running chunk cannot be
        stopped: the timeout is checked between chunks.
    chunk_timeout : float, optional
        Seconds a chunk may take from its submission to an executor (a worker that hangs
        or dies without the executor noticing); the chunk is then cancelled and listed
        as failed. Not used without an executor. A cancelled chunk may keep its worker
        busy (processes and dask workers cannot be interrupted mid-task).

    Returns
    -------
    SweepResult
        Completed chunks in ``frame``; failures (errors, failed reductions, timeouts, dead
        workers) listed in ``failed`` with their point ranges, never hidden.

    Raises
    ------
    SweepTooLargeError
        The results would exceed ``max_memory`` and no ``reduce`` is given.
    InvalidValuesError
        Points missing a parameter, naming unknown ones, or outside a domain (one message
        with the total count, before any chunk runs).
    SweepInterrupted
        On KeyboardInterrupt: running chunks are cancelled and the exception's
        ``result`` holds the completed ones (a KeyboardInterrupt subclass).

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
    for name, value in (("timeout", timeout), ("chunk_timeout", chunk_timeout)):
        if value is not None and not value > 0:
            raise InvalidValuesError(f"{name} must be a positive number of seconds or None, got {value!r}")
    points = _as_points_source(points)
    func = _as_task(task)
    executor = _as_executor(executor)
    _check_points(task, points)
    n = len(points)
    start_time = time.perf_counter()
    if reduce is None:
        per_point = _bytes_per_point(func, points, executor, chunk_timeout)
        need = n * per_point
        if need > max_memory:
            raise SweepTooLargeError(
                f"the sweep's results need about {need / 1024**2:,.0f} MiB ({n:,} points x {per_point:,} bytes) "
                f"> max_memory = {max_memory / 1024**2:,.0f} MiB; pass reduce= to aggregate each chunk, "
                "raise max_memory, or use fewer points"
            )
    bounds = [(s, min(s + chunk_size, n)) for s in range(0, n, chunk_size)]
    show = progress if progress is not None else sys.stderr.isatty()
    from tqdm.auto import tqdm

    bar = tqdm(total=len(bounds), desc="sweep", unit="chunk", disable=not show)
    results: dict[int, Any] = {}
    failed: dict[int, ChunkFailure] = {}
    pending: dict[Future[Any], tuple[int, float]] = {}
    deadline = None if timeout is None else start_time + timeout

    def fail(index: int, message: str) -> None:
        s, e = bounds[index]
        failed[index] = ChunkFailure(index, s, e, message)
        bar.update(1)

    def record(index: int, value: Any) -> None:
        if reduce is not None:
            try:
                value = reduce(value)
            except Exception as exc:
                fail(index, f"reduce failed: {_describe(exc)}")
                return
        results[index] = value
        bar.update(1)

    def finish() -> SweepResult:
        for fut, (k, _) in pending.items():
            fut.cancel()
            fail(k, unfinished)
        pending.clear()
        for k in range(len(bounds)):
            if k not in results and k not in failed:
                fail(k, not_started)
        return _result(results, failed, bounds, reduce, n, time.perf_counter() - start_time)

    unfinished = "TimeoutError: cancelled, not finished when the sweep's timeout ran out"
    not_started = "TimeoutError: not started, the sweep's timeout ran out"
    try:
        if executor is None:
            for k, (s, e) in enumerate(bounds):
                if deadline is not None and time.perf_counter() > deadline:
                    break
                try:
                    value = func(points.chunk(s, e))
                except Exception as exc:
                    fail(k, _describe(exc))
                else:
                    record(k, value)
        else:
            workers = _workers(executor)
            limit = max_in_flight or (max(1, workers) if chunk_timeout else max(2, 2 * workers))
            queue = iter(range(len(bounds)))
            exhausted = False
            while True:
                now = time.perf_counter()
                while not exhausted and len(pending) < limit and (deadline is None or now < deadline):
                    nxt = next(queue, None)
                    if nxt is None:
                        exhausted = True
                        break
                    try:
                        pending[executor.submit(func, points.chunk(*bounds[nxt]))] = (nxt, time.perf_counter())
                    except Exception as exc:
                        fail(nxt, f"could not be submitted: {_describe(exc)}")
                if not pending:
                    break
                waits = [] if deadline is None else [deadline - now]
                if chunk_timeout is not None:
                    waits.append(min(t0 for _, t0 in pending.values()) + chunk_timeout - now)
                done, _ = wait(
                    list(pending), timeout=max(0.0, min(waits)) if waits else None, return_when=FIRST_COMPLETED
                )
                for fut in done:
                    k, _ = pending.pop(fut)
                    try:
                        value = fut.result()
                    except Exception as exc:
                        fail(k, _describe(exc))
                    else:
                        record(k, value)
                now = time.perf_counter()
                if chunk_timeout is not None:
                    for fut, (k, t0) in list(pending.items()):
                        if now - t0 >= chunk_timeout and not fut.done():
                            fut.cancel()
                            del pending[fut]
                            fail(k, f"TimeoutError: cancelled, not finished within chunk_timeout={chunk_timeout:g} s")
                if deadline is not None and now >= deadline:
                    break
        return finish()
    except KeyboardInterrupt as exc:
        unfinished = not_started = "KeyboardInterrupt: interrupted before it finished"
        raise SweepInterrupted(finish()) from exc
    finally:
        bar.close()


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if type(exc).__name__ == "KilledWorker" or "died" in text.lower():
        text += " (a worker process died running this chunk, or while holding its result)"
    return f"{type(exc).__name__}: {text}"


def _result(
    results: Mapping[int, Any],
    failed: Mapping[int, ChunkFailure],
    bounds: list[tuple[int, int]],
    reduce: Any,
    n: int,
    elapsed: float,
) -> SweepResult:
    order = sorted(results)
    if reduce is not None:
        rows = [results[k] for k in order]
        frame = pd.DataFrame(rows, index=pd.Index(order, name="chunk")) if rows else pd.DataFrame()
    else:
        frames = [results[k] for k in order]
        frame = pd.concat(frames, ignore_index=False) if frames else pd.DataFrame()
        if frames:
            frame.index = np.concatenate([np.arange(*bounds[k]) for k in order])
    return SweepResult(frame, sorted(failed.values(), key=lambda f: f.index), n, len(bounds), elapsed)


def _as_executor(executor: Any) -> Executor | None:
    """An Executor as it is; a dask Client through ``get_executor()``; anything else refused."""
    if executor is None or isinstance(executor, Executor):
        return executor
    if type(executor).__module__.split(".")[0] == "distributed" and hasattr(executor, "get_executor"):
        return executor.get_executor()
    raise InvalidSpecError(
        f"executor must be a concurrent.futures.Executor or a dask.distributed Client, got {type(executor).__name__}; "
        "for dask pass the Client or client.get_executor()"
    )


def _bytes_per_point(func: Any, points: Points, executor: Executor | None, chunk_timeout: float | None) -> int:
    """Bytes of one result row: the task's ``bytes_per_point``, else measured on a few points."""
    declared = getattr(func, "bytes_per_point", None)
    if isinstance(declared, int | float) and declared > 0:
        return math.ceil(declared)
    fallback = 8 * (len(points.names) + 1)
    probe = points.chunk(0, min(len(points), 16))
    try:
        if executor is None or isinstance(func, SolveTask):
            out = func(probe)
        else:
            out = executor.submit(func, probe).result(timeout=chunk_timeout or 120)
    except Exception:
        return fallback  # the run will report what goes wrong
    if isinstance(out, pd.DataFrame | pd.Series) and len(out):
        used = float(np.sum(out.memory_usage(index=False, deep=True)))
        return max(fallback, math.ceil(used / len(out)))
    return fallback


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


def _parameters_of(func: Any) -> tuple[sp.Symbol, ...] | None:
    """The parameters a task needs (``None`` for a plain callable: unknown)."""
    if isinstance(func, EvaluateTask):
        from gvcgames.numeric.compile import _plan

        return tuple(_plan(func.eq, func.outputs)[1])
    if isinstance(func, SolveTask):
        return tuple(func.game.parameters)
    return None


def _outside_domain(sym: sp.Symbol, values: np.ndarray) -> np.ndarray:
    return ~inside_domain(sym, values)


def _check_points(task: Any, points: Points) -> None:
    """Refuse bad points before any chunk runs, with one message and the total count.

    Missing or unknown parameters; values outside a domain (grids: per axis; draws: per
    box, counted over the draws; explicit points: all of them).
    """
    needed = _parameters_of(_as_task(task))
    if needed is None:
        return
    params = {p.name: p for p in needed}
    missing = [name for name in params if name not in points.names]
    if missing:
        raise InvalidValuesError(
            f"the points give no values for parameters {missing}, needed at all {len(points):,} points; "
            f"the points have {list(points.names)}: add an axis (grid(..., {missing[0]}=[value])) or a column"
        )
    unknown = [name for name in points.names if name not in params]
    if unknown:
        raise InvalidValuesError(f"{unknown} are not parameters of this task; parameters: {sorted(params)}")
    if isinstance(points, Grid):
        for name, axis in zip(points.names, points.axes, strict=True):
            outside = int(np.count_nonzero(~inside_domain(params[name], axis)))
            if outside:
                count = outside * len(points) // axis.size
                raise InvalidValuesError(
                    f"{name} is outside its domain {params[name].domain} at {count} of {len(points)} points "
                    f"({outside} of {axis.size} axis values)"
                )
    elif isinstance(points, Draws):
        for name, (lo, hi) in points.box.items():
            ends = np.array([lo, np.nextafter(hi, lo) if hi > lo else hi])
            if inside_domain(params[name], ends).all():
                continue
            count = points.count_outside(name, functools.partial(_outside_domain, params[name]))
            if count:  # (a box ending on an open end of the domain may still draw inside it)
                raise InvalidValuesError(
                    f"{name} is outside its domain {params[name].domain} at {count} of {len(points)} points "
                    f"(its draws box is {(lo, hi)})"
                )
    elif isinstance(points, _FramePoints):
        validated_points(points.frame, needed)
