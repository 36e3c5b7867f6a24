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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp
from sympy.logic.boolalg import Boolean

from gvcgames.errors import InvalidSpecError, InvalidValuesError

REGION = "in_region"


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
            dtype = bool if isinstance(expr, Boolean) else float
            out[name] = np.broadcast_to(np.asarray(value, dtype=dtype), shape)
        return out


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
    values: Mapping[Any, Any] | pd.DataFrame,
    parameters: Iterable[sp.Symbol],
    *,
    check_domains: bool = True,
) -> dict[sp.Symbol, np.ndarray]:
    """Validate parameter values and broadcast them to flat arrays of one length.

    Parameters
    ----------
    values : mapping or DataFrame
        Parameter (symbol or name) -> number or array; arrays broadcast by numpy's rules
        (use :func:`gvcgames.numeric.grid` for a Cartesian product). A DataFrame's
        columns are parameter names. Keys that are not among ``parameters`` are refused.
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
    params = list(parameters)
    by_name = {p.name: p for p in params}
    if isinstance(values, pd.DataFrame):
        values = {c: values[c].to_numpy() for c in values.columns if c != REGION}
    if not isinstance(values, Mapping):
        raise InvalidValuesError(f"parameter values must be a mapping or a DataFrame, got {type(values).__name__}")
    given: dict[sp.Symbol, Any] = {}
    for key, value in values.items():
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
        arrays = np.broadcast_arrays(*given.values()) if given else []
    except ValueError as exc:
        shapes = {s.name: np.shape(v) for s, v in given.items()}
        raise InvalidValuesError(f"parameter arrays do not broadcast together: shapes {shapes}") from exc
    out = {s: np.ascontiguousarray(a).ravel() for s, a in zip(given, arrays, strict=True)}
    for sym, arr in out.items():
        bad = int(np.count_nonzero(~np.isfinite(arr)))
        if bad:
            raise InvalidValuesError(f"{sym.name} has {bad} non-finite value(s) (NaN or inf) out of {arr.size} points")
        if check_domains:
            outside = int(np.count_nonzero(~inside_domain(sym, arr)))
            if outside:
                raise InvalidValuesError(
                    f"{sym.name} is outside its domain {sym.domain} at {outside} of {arr.size} points"
                )
    return out


def inside_domain(sym: sp.Symbol, arr: np.ndarray) -> np.ndarray:
    """Boolean mask of the values of ``arr`` inside ``sym``'s interval domain (constant ends)."""
    domain = getattr(sym, "domain", sp.Reals)
    ok = np.ones(np.shape(arr), dtype=bool)
    if domain == sp.Reals or not isinstance(domain, sp.Interval):
        return ok
    lo, hi = domain.inf, domain.sup
    if lo.is_finite and lo.is_number:
        ok &= arr > float(lo) if domain.left_open else arr >= float(lo)
    if hi.is_finite and hi.is_number:
        ok &= arr < float(hi) if domain.right_open else arr <= float(hi)
    return ok


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


def evaluate(eq: Any, values: Mapping[Any, Any] | pd.DataFrame, outputs: Any = None, frame: bool = True) -> Any:
    """Evaluate an equilibrium's results at many parameter points at once.

    Parameters
    ----------
    eq : Equilibrium
        A (symbolic) equilibrium; its ``conditions`` and its game's assumptions define the
        region where it holds.
    values : mapping or DataFrame
        Parameter (symbol or name) -> number or array (broadcast together), or a DataFrame
        of points such as :func:`gvcgames.numeric.grid` returns.
    outputs : optional
        What to evaluate (see :func:`outputs_of`); default every strategy, payoff and outcome.
    frame : bool
        Return a pandas DataFrame (parameters, outputs, ``in_region``); ``False`` gives a
        dict of 1-D arrays.

    Returns
    -------
    DataFrame or dict
        Outputs are NaN where ``in_region`` is False (outside the equilibrium's region).

    Raises
    ------
    InvalidValuesError
        NaN/inf or out-of-domain values (naming the parameter and the count), missing values.

    Examples
    --------
    >>> import gvcgames as gg
    >>> from gvcgames.models import cournot
    >>> eq = cournot().solve().equilibria[0]
    >>> df = evaluate(eq, {"a": [10.0, 2.0], "b": 1.0, "c": 4.0})
    >>> df[["q1", "in_region"]].values.tolist()
    [[2.0, True], [nan, False]]
    """
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
    points = as_points(values, params)
    compiled = compile_expressions({**exprs, REGION: region}, params)
    result = compiled(points)
    mask = np.array(result.pop(REGION), dtype=bool)
    n = len(next(iter(points.values()))) if points else 1
    mask = np.broadcast_to(mask, (n,))
    columns: dict[str, np.ndarray] = {s.name: points[s] for s in params}
    for name, arr in result.items():
        arr = np.broadcast_to(arr, (n,))
        columns[name] = np.where(mask, arr, np.nan) if arr.dtype != bool else arr & mask
    columns[REGION] = mask.copy()
    return pd.DataFrame(columns) if frame else columns
