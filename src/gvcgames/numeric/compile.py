"""Compile symbolic results once and evaluate them over arrays of parameter values.

A result of gvcgames (a strategy, a payoff, an equilibrium's region condition, a
comparative-statics derivative) is a sympy expression in the parameters. Evaluating it by
``subs().evalf()`` costs tens of microseconds per point; :func:`compile_expressions`
turns a whole set of expressions into one numpy function with ``sympy.lambdify`` and
common-subexpression elimination (``cse=True``), cached on the expressions, so a grid of
a million points costs a few numpy passes.

:func:`evaluate` is what ``Equilibrium.evaluate`` calls: it validates the points (finite,
inside each parameter's domain), evaluates every output and marks the points outside the
equilibrium's region (its ``conditions`` and the game's assumptions) in a boolean column
``in_region``; outputs there are NaN rather than silently extrapolated.

Speed: the points are validated once with a few vectorised reductions (``min``/``max`` of
each input, exact counts only when something is wrong); the compiled function, region
mask included, runs in cache-sized blocks written into preallocated outputs; the
DataFrame is assembled from those arrays without another copy. A request larger than the
memory budget is refused with its size before anything is allocated.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp
from sympy.core.relational import Relational
from sympy.logic.boolalg import BooleanAtom, BooleanFunction

from gvcgames.errors import InvalidSpecError, InvalidValuesError

REGION = "in_region"
BLOCK = 16384  # points per block of a blocked evaluation (temporaries stay in cache)


def default_max_memory() -> int:
    """Bytes a single evaluation may allocate by default: half the physical memory (else 4 GiB)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")) // 2
    except (AttributeError, ValueError, OSError):
        return 4 * 1024**3


@dataclass(frozen=True)
class CompiledExpressions:
    """Named sympy expressions compiled into one vectorised numpy function.

    Call it with a mapping ``symbol or name -> array`` (arrays broadcast together); it
    returns ``{name: array}`` with every output broadcast to the common shape (booleans
    stay boolean).
    """

    names: tuple[str, ...]
    exprs: tuple[sp.Basic, ...]
    symbols: tuple[sp.Symbol, ...]
    function: Callable[..., Any]

    def __call__(self, values: Mapping[Any, Any]) -> dict[str, np.ndarray]:
        args = _arguments(self.symbols, values)
        shape = np.broadcast_shapes(*(np.shape(a) for a in args)) if args else ()
        with np.errstate(all="ignore"):  # domain errors become NaN and are reported by the caller
            raw = self.function(*args)
        out = {}
        for name, expr, value in zip(self.names, self.exprs, raw, strict=True):
            dtype = bool if is_condition(expr) else float
            out[name] = np.broadcast_to(np.asarray(value, dtype=dtype), shape)
        return out

    def blocked(self, args: Sequence[Any], shape: tuple[int, ...], mask: str | None = None) -> dict[str, np.ndarray]:
        """Evaluate in blocks along the first axis into new arrays of ``shape``.

        ``args`` are the arguments in the order of ``symbols``, each broadcastable to
        ``shape``. With ``mask`` (the name of a Boolean output), the other outputs are
        NaN (float) or False (Boolean) where the mask is False. Every returned array is
        freshly allocated, writable and C-contiguous.
        """
        kinds = [is_condition(e) for e in self.exprs]
        out = [np.empty(shape, dtype=bool if k else float) for k in kinds]
        size = math.prod(shape)
        if size == 0:
            return dict(zip(self.names, out, strict=True))
        mask_at = self.names.index(mask) if mask is not None else None
        ndim = len(shape)
        if ndim == 0:
            rows, step, cut = 1, 1, [False] * len(args)
        else:
            rows = shape[0]
            step = max(1, BLOCK // max(1, math.prod(shape[1:])))
            cut = [np.ndim(a) == ndim and np.shape(a)[0] == rows and rows > 1 for a in args]
        for start in range(0, rows, step):
            stop = min(start + step, rows)
            part = [a[start:stop] if c else a for a, c in zip(args, cut, strict=True)]
            with np.errstate(all="ignore"):  # domain errors become NaN and are reported by the caller
                raw = self.function(*part)
            targets = [o[start:stop] if ndim else o for o in out]
            keep = None
            if mask_at is not None:
                np.copyto(targets[mask_at], raw[mask_at], casting="same_kind")
                keep = targets[mask_at]
                if keep.all():
                    keep = None
            for i, (target, value) in enumerate(zip(targets, raw, strict=True)):
                if i == mask_at:
                    continue
                np.copyto(target, _real(value), casting="same_kind")
                if keep is not None:
                    if kinds[i]:
                        target &= keep
                    else:
                        np.copyto(target, np.nan, where=~keep)
        return dict(zip(self.names, out, strict=True))


def is_condition(expr: Any) -> bool:
    """Whether ``expr`` is a condition (relation, logical combination, true/false).

    Not ``isinstance(expr, Boolean)``: a sympy Symbol is a Boolean too, and an output
    that is just a parameter (a payoff ``m``) must stay numeric.
    """
    return isinstance(expr, Relational | BooleanFunction | BooleanAtom)


def _real(value: Any) -> Any:
    """Real values as they are; complex ones as their real part, NaN where not real."""
    if not np.iscomplexobj(value):
        return value
    value = np.asarray(value)
    real = value.real
    return np.where(np.abs(value.imag) <= 1e-12 * (1 + np.abs(real)), real, np.nan)


def compile_expressions(exprs: Mapping[str, Any], symbols: Sequence[sp.Symbol]) -> CompiledExpressions:
    """Compile named expressions in ``symbols`` into one numpy function (cached).

    Parameters
    ----------
    exprs : mapping
        Output name -> sympy expression or Boolean (a condition).
    symbols : sequence of sympy Symbols
        The arguments; every free symbol of ``exprs`` must be among them.

    Returns
    -------
    CompiledExpressions

    Raises
    ------
    InvalidValuesError
        An expression uses a symbol not in ``symbols`` (named in the message).

    Examples
    --------
    >>> import numpy as np, sympy as sp
    >>> a, c = sp.symbols("a c", positive=True)
    >>> f = compile_expressions({"q": (a - c) / 3, "viable": a > c}, [a, c])
    >>> out = f({"a": np.array([4.0, 1.0]), "c": 1.0})
    >>> out["q"].tolist(), out["viable"].tolist()
    ([1.0, 0.0], [True, False])
    """
    items = tuple((str(k), sp.sympify(v)) for k, v in exprs.items())
    return _compile(items, tuple(symbols))


@lru_cache(maxsize=256)
def _compile(items: tuple[tuple[str, sp.Basic], ...], symbols: tuple[sp.Symbol, ...]) -> CompiledExpressions:
    names = tuple(k for k, _ in items)
    exprs = tuple(v for _, v in items)
    extra = set().union(*(e.free_symbols for e in exprs)) - set(symbols) if exprs else set()
    if extra:
        raise InvalidValuesError(
            f"values are missing for {sorted(map(str, extra))}; pass them as parameters of the points"
        )
    function = sp.lambdify(list(symbols), list(exprs), modules="numpy", cse=True)
    return CompiledExpressions(names, exprs, symbols, function)


def _arguments(symbols: Sequence[sp.Symbol], values: Mapping[Any, Any]) -> list[Any]:
    args = []
    for s in symbols:
        if s in values:
            args.append(values[s])
        elif s.name in values:
            args.append(values[s.name])
        else:
            raise InvalidValuesError(f"values are missing for parameter {s.name!r}")
    return args


def as_points(
    values: Any,
    parameters: Iterable[sp.Symbol],
    *,
    check_domains: bool = True,
) -> dict[sp.Symbol, np.ndarray]:
    """Validate parameter values and broadcast them to flat arrays of one length.

    Parameters
    ----------
    values : mapping, DataFrame or Grid
        Parameter (symbol or name) -> number or array; arrays broadcast by numpy's rules
        (use :func:`gvcgames.numeric.grid` for a Cartesian product). A DataFrame's
        columns are parameter names; a :class:`~gvcgames.numeric.Grid` (or other
        :class:`~gvcgames.numeric.Points`) gives its points in order. Keys that are not
        among ``parameters`` are refused.
    parameters : iterable of Parameter
        The parameters needed; each must get a value.
    check_domains : bool
        Refuse values outside a parameter's domain.

    Returns
    -------
    dict
        Parameter -> 1-D float array (all the same length).

    Raises
    ------
    InvalidValuesError
        Unknown or missing parameters, NaN/inf values, values outside a domain; the message
        names the parameter and how many points are affected.

    Examples
    --------
    >>> import gvcgames as gg
    >>> a, b = gg.parameters("a b", positive=True)
    >>> pts = as_points({"a": [1.0, 2.0], b: 3}, [a, b])
    >>> pts[b].tolist()
    [3.0, 3.0]
    """
    arrays, shape = validated_points(values, parameters, check_domains=check_domains)
    return {s: np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1) for s, a in arrays.items()}


def validated_points(
    values: Any,
    parameters: Iterable[sp.Symbol],
    *,
    check_domains: bool = True,
) -> tuple[dict[sp.Symbol, np.ndarray], tuple[int, ...]]:
    """Validate parameter values once, without broadcasting them.

    Returns ``(arrays, shape)``: each parameter's float array as given (a
    :class:`~gvcgames.numeric.Grid` gives its axes as an open mesh) and the broadcast
    shape of the points. Validation costs a ``min`` and a ``max`` per input; the exact
    counts in an error message (in points of the broadcast shape) are computed only
    when a value is bad. Raises as :func:`as_points`.
    """
    params = list(parameters)
    by_name = {p.name: p for p in params}
    given: dict[sp.Symbol, np.ndarray] = {}
    for key, value in _items(values):
        sym = by_name.get(key) if isinstance(key, str) else (key if key in params else None)
        if sym is None:
            raise InvalidValuesError(f"{key!s} is not a parameter here; parameters: {sorted(by_name)}")
        try:
            given[sym] = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as exc:
            raise InvalidValuesError(f"values of {sym.name} must be real numbers, got {value!r}") from exc
    missing = sorted(p.name for p in params if p not in given)
    if missing:
        raise InvalidValuesError(f"values are missing for parameters {missing}")
    try:
        shape = tuple(np.broadcast_shapes(*(a.shape for a in given.values()))) if given else ()
    except ValueError as exc:
        shapes = {s.name: np.shape(v) for s, v in given.items()}
        raise InvalidValuesError(f"parameter arrays do not broadcast together: shapes {shapes}") from exc
    total = math.prod(shape)
    for sym, arr in given.items():
        if arr.size == 0:
            continue
        low, high = float(arr.min()), float(arr.max())  # NaN propagates through min and max
        if math.isfinite(low) and math.isfinite(high) and (not check_domains or _range_inside(sym, low, high)):
            continue
        copies = total // arr.size if arr.size else 0  # each value stands for this many points
        bad = int(np.count_nonzero(~np.isfinite(arr))) * copies
        if bad:
            raise InvalidValuesError(f"{sym.name} has {bad} non-finite value(s) (NaN or inf) out of {total} points")
        outside = int(np.count_nonzero(~inside_domain(sym, arr))) * copies
        if outside:
            raise InvalidValuesError(f"{sym.name} is outside its domain {sym.domain} at {outside} of {total} points")
    return given, shape


def _items(values: Any) -> list[tuple[Any, Any]]:
    """``(key, array)`` pairs of a mapping, DataFrame, Grid (open mesh) or other Points."""
    from gvcgames.numeric.sweep import Grid, Points

    if isinstance(values, pd.DataFrame):
        return [(c, values[c].to_numpy()) for c in values.columns if c != REGION]
    if isinstance(values, Grid):
        ndim = len(values.axes)
        return [
            (name, axis.reshape((1,) * k + (-1,) + (1,) * (ndim - k - 1)))
            for k, (name, axis) in enumerate(zip(values.names, values.axes, strict=True))
        ]
    if isinstance(values, Points):
        return list(values.chunk(0, len(values)).items())
    if not isinstance(values, Mapping):
        raise InvalidValuesError(
            f"parameter values must be a mapping, a DataFrame or a grid, got {type(values).__name__}"
        )
    return list(values.items())


def _range_inside(sym: sp.Symbol, low: float, high: float) -> bool:
    """Whether the finite range ``[low, high]`` lies inside ``sym``'s (constant-ended) domain."""
    return bool(inside_domain(sym, np.array([low, high])).all())


def inside_domain(sym: sp.Symbol, arr: np.ndarray) -> np.ndarray:
    """Boolean mask of the values of ``arr`` inside ``sym``'s interval domain (constant ends)."""
    ok = np.ones(np.shape(arr), dtype=bool)
    lo, hi, left_open, right_open = _domain_ends(sym)
    if lo is not None:
        ok &= arr > lo if left_open else arr >= lo
    if hi is not None:
        ok &= arr < hi if right_open else arr <= hi
    return ok


@lru_cache(maxsize=1024)
def _domain_ends(sym: sp.Symbol) -> tuple[float | None, float | None, bool, bool]:
    """``(low, high, left_open, right_open)`` of an interval domain; ``None`` for a free end."""
    domain = getattr(sym, "domain", sp.Reals)
    if domain == sp.Reals or not isinstance(domain, sp.Interval):
        return None, None, False, False
    lo, hi = domain.inf, domain.sup
    low = float(lo) if lo.is_finite and lo.is_number else None
    high = float(hi) if hi.is_finite and hi.is_number else None
    return low, high, bool(domain.left_open), bool(domain.right_open)


def outputs_of(eq: Any, outputs: Any = None) -> dict[str, sp.Basic]:
    """The named expressions to evaluate for an equilibrium.

    ``None`` gives every strategy (by action name), every payoff (``payoff[player]``) and
    every outcome; otherwise a mapping name -> expression, or a sequence of action names,
    expressions, or comparative-statics results (their ``derivative``).
    """
    if outputs is None:
        out: dict[str, sp.Basic] = {str(s): sp.sympify(v) for s, v in eq.strategies.items()}
        out.update({f"payoff[{p}]": sp.sympify(v) for p, v in eq.payoffs.items()})
        out.update({str(k): sp.sympify(v) for k, v in getattr(eq, "outcomes", {}).items()})
        return out
    if isinstance(outputs, Mapping):
        return {str(k): _expr(v, eq) for k, v in outputs.items()}
    if isinstance(outputs, str | sp.Basic) or hasattr(outputs, "derivative"):
        outputs = [outputs]
    named = {}
    for item in outputs:
        if hasattr(item, "derivative") and hasattr(item, "wrt"):
            out_name = getattr(item.outcome, "name", item.outcome)
            named[f"d{out_name}/d{getattr(item.wrt, 'name', item.wrt)}"] = sp.sympify(item.derivative)
        else:
            named[str(item)] = _expr(item, eq)
    return named


def _expr(item: Any, eq: Any) -> sp.Basic:
    if hasattr(item, "derivative"):
        return sp.sympify(item.derivative)
    if isinstance(item, str):
        for table in (getattr(eq, "strategies", {}), getattr(eq, "outcomes", {})):
            for key, value in table.items():
                if str(key) == item:
                    return sp.sympify(value)
        if item.startswith("payoff[") and item[7:-1] in eq.payoffs:
            return sp.sympify(eq.payoffs[item[7:-1]])
        raise InvalidSpecError(f"no output named {item!r}; strategies: {[str(s) for s in eq.strategies]}")
    return sp.sympify(item)


def evaluate(
    eq: Any,
    values: Any,
    outputs: Any = None,
    frame: bool = True,
    *,
    max_memory: int | None = None,
) -> Any:
    """Evaluate an equilibrium's results at many parameter points at once.

    Parameters
    ----------
    eq : Equilibrium
        A (symbolic) equilibrium; its ``conditions`` and its game's assumptions define the
        region where it holds.
    values : mapping, DataFrame or Grid
        Parameter (symbol or name) -> number or array (broadcast together), a DataFrame
        of points, or a :func:`gvcgames.numeric.grid` (evaluated as an open mesh, so
        only the outputs take the grid's full size).
    outputs : optional
        What to evaluate (see :func:`outputs_of`); default every strategy, payoff and outcome.
    frame : bool
        Return a pandas DataFrame with one row per point (parameters, outputs,
        ``in_region``; a grid's points in C order, the last axis fastest). ``False``
        skips the DataFrame and gives a dict of arrays with the points' broadcast shape
        (a grid's ``shape``; ``(3, 4)`` meshgrid inputs give ``(3, 4)`` outputs); the
        parameter entries are read-only broadcast views of the inputs.
    max_memory : int, optional
        Bytes the result may take (default: half the physical memory); a larger request
        is refused before anything is allocated.

    Returns
    -------
    DataFrame or dict
        Outputs are NaN where ``in_region`` is False (outside the equilibrium's region).

    Raises
    ------
    InvalidValuesError
        NaN/inf or out-of-domain values (naming the parameter and the count), missing values.
    SweepTooLargeError
        The result would exceed ``max_memory`` (the message gives the size); evaluate
        such grids in chunks with :func:`gvcgames.numeric.sweep`.

    Examples
    --------
    >>> import gvcgames as gg
    >>> from gvcgames.models import cournot
    >>> eq = cournot().solve().equilibria[0]
    >>> df = evaluate(eq, {"a": [10.0, 2.0], "b": 1.0, "c": 4.0})
    >>> df[["q1", "in_region"]].values.tolist()
    [[2.0, True], [nan, False]]
    >>> from gvcgames.numeric import grid
    >>> out = evaluate(eq, grid(a=[7.0, 10.0], b=[1.0, 2.0, 3.0], c=[1.0]), frame=False)
    >>> out["q1"].shape, out["q1"][:, :, 0].round(3).tolist()
    ((2, 3, 1), [[2.0, 1.0, 0.667], [3.0, 1.5, 1.0]])
    """
    names, params, compiled = _plan(eq, outputs)
    arrays, shape = validated_points(values, params)
    size = math.prod(shape)
    columns = len(names) + (len(params) if frame else 0)
    need = size * (8 * columns + 1)
    limit = default_max_memory() if max_memory is None else max_memory
    if need > limit:
        raise _too_large(size, shape, columns, need, limit)
    try:
        result = compiled.blocked([arrays[p] for p in params], shape, mask=REGION)
        if not frame:
            views = {p.name: np.broadcast_to(arrays[p], shape) for p in params}
            return {**views, **{k: result[k] for k in (*names, REGION)}}
        data = {p.name: np.array(np.broadcast_to(arrays[p], shape)).reshape(-1) for p in params}
        data.update((k, result[k].reshape(-1)) for k in (*names, REGION))
        return pd.DataFrame(data, copy=False)
    except MemoryError as exc:
        raise _too_large(size, shape, columns, need, limit) from exc


def _plan(eq: Any, outputs: Any) -> tuple[tuple[str, ...], list[sp.Symbol], CompiledExpressions]:
    """Output names, parameters (in order) and the compiled function (outputs + region)."""
    exprs = outputs_of(eq, outputs)
    region = sp.sympify(eq.conditions)
    game = getattr(eq, "game", None)
    if game is not None:
        region = sp.And(region, *game.assumptions.relations)
    used = set().union(region.free_symbols, *(e.free_symbols for e in exprs.values()))
    params = list(game.parameters) if game is not None else []
    params += sorted((s for s in used if s not in params), key=str)
    actions = set(getattr(game, "actions", ()))
    if used & actions:
        raise InvalidSpecError(f"outputs depend on actions {sorted(map(str, used & actions))}; substitute a profile")
    if REGION in exprs:
        raise InvalidSpecError(f"{REGION!r} is reserved for the region mask; name the output differently")
    compiled = compile_expressions({**exprs, REGION: region}, params)
    return tuple(exprs), params, compiled


def _too_large(size: int, shape: tuple[int, ...], columns: int, need: int, limit: int) -> Exception:
    from gvcgames.numeric.errors import SweepTooLargeError

    return SweepTooLargeError(
        f"evaluating {size:,} points (broadcast shape {shape}) needs about {_bytes(need)} "
        f"({columns} float columns and a mask) > max_memory = {_bytes(limit)}; evaluate them in chunks with "
        "gvcgames.numeric.sweep(eq, gvcgames.numeric.grid(...), reduce=...) or use fewer points"
    )


def _bytes(n: float) -> str:
    for unit, scale in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", 1024**2)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n / 1024:,.1f} KiB"
