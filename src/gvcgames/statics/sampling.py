"""Random admissible parameter points, drawn with numpy by rejection.

Each parameter is drawn uniformly on its domain; an unbounded end is replaced by a window
of width ``span`` (``(0, oo)`` -> ``(0, span)``), and open ends are kept ``margin`` (relative
to the width) away, so draws avoid degenerate values such as a cost of ``1e-300``. Ends that
depend on other parameters are evaluated point by point (those parameters are drawn
first). Integer parameters are drawn as integers. A draw is kept iff every domain, every
assumption of the game and the region (an equilibrium's conditions) hold; the numbers of
kept and rejected draws are reported, so a sign that "held on all N draws" says what N is.

Unlike :func:`gvcgames.testing.admissible_parameters` (a hypothesis strategy for tests),
this sampler is vectorised and reproducible from an explicit seed; it never seeds globally.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.symbols import Parameter


@dataclass(frozen=True)
class ParameterSample:
    """Admissible parameter points drawn by :func:`sample_admissible`.

    Attributes
    ----------
    parameters : tuple of Parameter
    values : dict
        Parameter -> array of shape ``(n,)``.
    requested : int
        Points asked for.
    draws : int
        Points drawn in total (kept + rejected).
    rejected : int
        Draws that violated a domain, an assumption or the region.
    seed : int or None
    windows : dict
        Parameter -> ``(lo, hi)``: the numeric window draws came from (``None`` ends for
        bounds that depend on other parameters).
    message : str
        Why fewer than ``requested`` points were found, if so.
    """

    parameters: tuple[Parameter, ...]
    values: Mapping[Parameter, np.ndarray]
    requested: int
    draws: int
    rejected: int
    seed: int | None
    windows: Mapping[Parameter, tuple[float | None, float | None]] = field(default_factory=dict)
    message: str = ""

    @property
    def n(self) -> int:
        """Number of admissible points kept."""
        return int(next(iter(self.values.values())).shape[0]) if self.values else 0

    def __len__(self) -> int:
        return self.n

    def points(self) -> list[dict[Parameter, float]]:
        """The points as a list of ``{parameter: float}``."""
        return [{p: float(self.values[p][i]) for p in self.parameters} for i in range(self.n)]

    def __iter__(self) -> Iterator[dict[Parameter, float]]:
        return iter(self.points())

    def point(self, i: int) -> dict[Parameter, float]:
        """The ``i``-th point."""
        return {p: float(self.values[p][i]) for p in self.parameters}

    def evaluate(self, expr: Any) -> np.ndarray:
        """``expr`` at every point (``nan`` where it is undefined or not real)."""
        expr = sp.sympify(expr)
        missing = sorted(str(s) for s in expr.free_symbols if s not in self.values)
        if missing:
            raise InvalidValuesError(
                f"the sample has no values for {missing}; sampled: {[p.name for p in self.parameters]}"
            )
        args = [p for p in self.parameters if p in expr.free_symbols]
        with np.errstate(all="ignore"):
            out = vectorised(expr, args)(*(self.values[p] for p in args))
        out = np.asarray(out, dtype=complex if np.iscomplexobj(out) else float)
        if np.iscomplexobj(out):
            out = np.where(np.abs(out.imag) <= 1e-12 * (1 + np.abs(out.real)), out.real, np.nan)
        return np.broadcast_to(out, (self.n,)).astype(float)

    def __str__(self) -> str:
        head = f"{self.n} admissible points of {self.requested} requested ({self.draws} drawn, {self.rejected} rejected"
        head += f", seed {self.seed})"
        windows = ", ".join(f"{p} in {_window_text(w)}" for p, w in self.windows.items())
        return head + (f"\n  windows: {windows}" if windows else "") + (f"\n  {self.message}" if self.message else "")


def sample_admissible(
    source: Any,
    n: int = 200,
    *,
    assumptions: Assumptions | None = None,
    region: Any = True,
    seed: int | None = 0,
    span: float = 10.0,
    margin: float = 1e-2,
    max_draws: int | None = None,
) -> ParameterSample:
    """Draw ``n`` admissible parameter points by rejection.

    Parameters
    ----------
    source : Game, NormalFormGame or sequence of Parameter
        A game supplies its parameters and assumptions; a sequence gives the parameters.
    n : int
        Points wanted.
    assumptions : Assumptions, optional
        Relations among parameters (default: the game's).
    region : sympy Boolean, optional
        Extra condition, e.g. an equilibrium's ``conditions``.
    seed : int or None
        Seed of ``numpy.random.default_rng``; pass it explicitly for reproducible draws.
    span : float
        Width of the window used for an unbounded end.
    margin : float
        Distance from open ends, relative to the window width.
    max_draws : int, optional
        Stop after this many draws (default ``200 * n``); fewer points are then returned
        and ``message`` says so.

    Returns
    -------
    ParameterSample

    Raises
    ------
    InvalidValuesError
        If ``n`` is not a positive integer or ``span``/``margin`` are unusable.
    InvalidSpecError
        If a parameter's domain bounds depend on each other in a cycle.

    Examples
    --------
    >>> import gvcgames as gg
    >>> from gvcgames.statics import sample_admissible
    >>> a, c = gg.parameters("a c", positive=True)
    >>> s = sample_admissible([a, c], 100, assumptions=gg.Assumptions((a > c,)), seed=1)
    >>> s.n, bool((s.values[a] > s.values[c]).all()), s.rejected > 0
    (100, True, True)
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise InvalidValuesError(f"n must be a positive integer number of points, got {n!r}")
    if not (math.isfinite(span) and span > 0):
        raise InvalidValuesError(f"span must be a positive finite width, got {span!r}")
    if not (0 <= margin < 0.5):
        raise InvalidValuesError(f"margin must be in [0, 0.5), got {margin!r}")
    params, ctx = _parameters_of(source, assumptions)
    region_expr = sp.sympify(region)
    extra = sorted((s for s in region_expr.free_symbols if s not in params), key=str)
    if extra:
        if all(isinstance(s, Parameter) for s in extra):
            params = params + tuple(extra)
        else:
            raise InvalidSpecError(f"the region uses {[str(s) for s in extra]}, which are not parameters")
    order = _draw_order(params)
    rng = np.random.default_rng(seed)
    limit = max_draws if max_draws is not None else 200 * int(n)
    checks = [_compile_condition(r, params) for r in ctx.relations]
    if region_expr is not sp.true:
        checks.append(_compile_condition(region_expr, params))
    kept: dict[Parameter, list[np.ndarray]] = {p: [] for p in params}
    found = draws = 0
    windows: dict[Parameter, tuple[float | None, float | None]] = {}
    while found < n and draws < limit:
        size = int(min(max(2 * (n - found), 64), limit - draws))
        batch: dict[Parameter, np.ndarray] = {}
        ok = np.ones(size, dtype=bool)
        for p in order:
            values, inside, window = _draw(p, batch, size, rng, span, margin)
            windows.setdefault(p, window)
            batch[p] = values
            ok &= inside
        for check in checks:
            with np.errstate(all="ignore"):
                ok &= check(batch, size)
        accepted = np.flatnonzero(ok)
        if found + accepted.size > n:  # count draws only up to the n-th accepted one
            accepted = accepted[: n - found]
            size = int(accepted[-1]) + 1
        draws += size
        for p in params:
            kept[p].append(batch[p][accepted])
        found += int(accepted.size)
    collected = {p: np.concatenate(kept[p]) if kept[p] else np.empty(0) for p in params}
    got = int(collected[params[0]].shape[0]) if params else int(n)
    rejected = draws - found
    message = ""
    if got < n:
        message = (
            f"only {got} of {n} requested points satisfied the domains, assumptions and region in {draws} draws; "
            "the admissible set may be thin or empty"
        )
    return ParameterSample(
        params, collected, int(n), draws, rejected, seed, {p: windows.get(p, (None, None)) for p in params}, message
    )


def _parameters_of(source: Any, assumptions: Assumptions | None) -> tuple[tuple[Parameter, ...], Assumptions]:
    if isinstance(source, Sequence) and not isinstance(source, str):
        params = tuple(source)
        ctx = assumptions if assumptions is not None else Assumptions()
    elif hasattr(source, "parameters") and hasattr(source, "assumptions"):
        params = tuple(source.parameters)
        ctx = assumptions if assumptions is not None else source.assumptions
    else:
        raise InvalidSpecError(f"sample_admissible needs a game or a list of parameters, got {type(source).__name__}")
    for p in params:
        if not isinstance(p, Parameter):
            raise InvalidSpecError(
                f"{p!r} is not a parameter (create it with gg.parameters); only parameters are sampled"
            )
    more = sorted((s for s in ctx.symbols if s not in params and isinstance(s, Parameter)), key=str)
    return params + tuple(more), ctx


def _draw_order(params: tuple[Parameter, ...]) -> list[Parameter]:
    """Parameters whose bounds depend on others come after those others."""
    pending = list(params)
    order: list[Parameter] = []
    while pending:
        ready = [p for p in pending if (p.lower.free_symbols | p.upper.free_symbols) <= set(order)]
        if not ready:
            names = [p.name for p in pending]
            raise InvalidSpecError(f"the domains of {names} depend on each other (or on unknown symbols) in a cycle")
        order += ready
        pending = [p for p in pending if p not in ready]
    return order


def _end(expr: sp.Expr, batch: Mapping[Parameter, np.ndarray], size: int) -> np.ndarray | None:
    """A bound as an array (``None`` for an infinite end)."""
    if expr in (sp.oo, -sp.oo):
        return None
    if not expr.free_symbols:
        return np.full(size, float(expr))
    args = sorted(expr.free_symbols, key=str)
    func = sp.lambdify(args, expr, modules="numpy")
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(func(*(batch[a] for a in args)), dtype=float), (size,)).copy()


def _draw(
    p: Parameter, batch: Mapping[Parameter, np.ndarray], size: int, rng: np.random.Generator, span: float, margin: float
) -> tuple[np.ndarray, np.ndarray, tuple[float | None, float | None]]:
    domain = p.domain
    lo, hi = _end(domain.inf, batch, size), _end(domain.sup, batch, size)
    if lo is None and hi is None:
        lo, hi = np.full(size, -span / 2), np.full(size, span / 2)
        lo_open = hi_open = True
    elif lo is None:
        assert hi is not None
        lo, lo_open, hi_open = hi - span, True, bool(domain.right_open)
    elif hi is None:
        hi, lo_open, hi_open = lo + span, bool(domain.left_open), True
    else:
        lo_open, hi_open = bool(domain.left_open), bool(domain.right_open)
    width = hi - lo
    step = margin * np.minimum(1.0, np.abs(width))
    low = lo + step if lo_open else lo
    high = hi - step if hi_open else hi
    if p.is_integer:
        low_i, high_i = np.ceil(low), np.floor(high)
        good = np.isfinite(low_i) & np.isfinite(high_i) & (high_i >= low_i)
        spread = np.where(good, high_i - low_i + 1, 1)
        values = np.where(good, low_i + np.floor(rng.random(size) * spread), np.nan)
    else:
        good = np.isfinite(low) & np.isfinite(high) & (high > low)
        values = np.where(good, low + (high - low) * rng.random(size), np.nan)
    inside = good & np.isfinite(values)
    window = (
        (float(low[0]), float(high[0]))
        if not (domain.inf.free_symbols or domain.sup.free_symbols) and size
        else (None, None)
    )
    return values, inside, window


def vectorised(expr: Any, args: Sequence[sp.Symbol]) -> Any:
    """A numpy function of ``args`` (scipy.special for erf, gamma, ...; elementwise if all else fails)."""
    fast = sp.lambdify(args, expr, modules=["scipy", "numpy"])
    slow = np.vectorize(sp.lambdify(args, expr, modules=["mpmath"]), otypes=[complex])

    def func(*values: np.ndarray) -> Any:
        try:
            return fast(*values)
        except (TypeError, ValueError, AttributeError, NameError):
            with np.errstate(all="ignore"):
                return slow(*values)

    return func


def _compile_condition(cond: Any, params: tuple[Parameter, ...]) -> Any:
    cond = sp.sympify(cond)
    args = [p for p in params if p in cond.free_symbols]
    func = vectorised(cond, args)

    def check(batch: Mapping[Parameter, np.ndarray], size: int) -> np.ndarray:
        out = np.asarray(func(*(batch[a] for a in args)))
        if out.dtype == complex:
            out = out.real
        return np.broadcast_to(np.asarray(out, dtype=bool), (size,))

    return check


def _window_text(window: tuple[float | None, float | None]) -> str:
    lo, hi = window
    if lo is None or hi is None:
        return "(depends on other parameters)"
    return f"[{lo:.4g}, {hi:.4g}]"
