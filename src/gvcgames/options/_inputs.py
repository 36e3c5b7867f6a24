"""Private helpers: turn user inputs into sympy objects and check requirements.

A requirement is checked the gvcgames way (DESIGN.md convention 2): an error only when it
is provably false; an undecided requirement (symbolic inputs) is kept and reported in the
result's ``conditions``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import sympy as sp
from sympy.core.relational import Relational

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.spec.assumptions import Assumptions


def as_input(name: str, value: Any) -> sp.Expr:
    """A real sympy expression for a parameter value; numbers must be finite and real."""
    if value is None or isinstance(value, (bool, str)):
        raise InvalidValuesError(f"{name} must be a real number or a sympy expression, got {value!r}")
    if isinstance(value, numbers.Number) and not isinstance(value, numbers.Real):
        raise InvalidValuesError(f"{name} must be real, got {value!r}")
    if isinstance(value, numbers.Real) and not math.isfinite(float(value)):
        raise InvalidValuesError(f"{name} must be finite, got {value!r}")
    try:
        expr = sp.sympify(value)
    except (sp.SympifyError, TypeError) as exc:
        raise InvalidValuesError(f"{name} must be a real number or a sympy expression, got {value!r}") from exc
    if not isinstance(expr, sp.Expr):
        raise InvalidValuesError(f"{name} must be a real number or a sympy expression, got {value!r}")
    if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise InvalidValuesError(f"{name} must be finite, got {value!r}")
    if expr.is_number and expr.is_extended_real is False:
        raise InvalidValuesError(f"{name} must be real, got {value!r}")
    return expr


def is_numeric(*exprs: Any) -> bool:
    """Whether every expression is a number (no free symbols)."""
    return all(not sp.sympify(e).free_symbols for e in exprs)


def is_zero(value: Any) -> bool:
    """Whether a number or expression is provably zero (``Float(0.0) == 0`` is False in sympy)."""
    return sp.sympify(value).is_zero is True


def decide(condition: Any) -> bool | None:
    """``True``/``False`` when the condition is decided, ``None`` when it depends on symbols."""
    cond = sp.sympify(condition)
    if cond is sp.true or cond is sp.false:
        return bool(cond)
    if not cond.free_symbols and isinstance(cond, Relational):
        # A numeric comparison sympy left unevaluated: decide it with floats.
        verdict = cond.func(sp.N(cond.lhs, 30), sp.N(cond.rhs, 30))
        return bool(verdict) if verdict in (sp.true, sp.false) else None
    return Assumptions().decide(cond)


def require(
    condition: Any,
    message: str,
    *,
    numeric: bool,
    error: type[Exception] | None = None,
) -> sp.Boolean:
    """Raise if ``condition`` is provably false, else return what remains to assume.

    ``error`` defaults to InvalidValuesError for numeric inputs and InvalidSpecError for
    symbolic ones.
    """
    verdict = decide(condition)
    if verdict is False:
        raise (error or (InvalidValuesError if numeric else InvalidSpecError))(message)
    return sp.true if verdict else sp.sympify(condition)


def combine(conditions: Iterable[sp.Boolean]) -> sp.Boolean:
    """The conjunction of the conditions still undecided, tidied by the assumptions engine."""
    kept = [c for c in conditions if c is not sp.true]
    if not kept:
        return sp.true
    joined = sp.And(*kept)
    try:
        return Assumptions().clean(joined)
    except Exception:  # pragma: no cover - cleaning is cosmetic; never fail because of it
        return joined


def out(expr: Any) -> Any:
    """A float when ``expr`` is a number, else the (simplified where cheap) sympy expression."""
    expr = sp.sympify(expr)
    if expr.free_symbols:
        return expr
    if expr in (sp.oo, -sp.oo):
        return math.inf if expr == sp.oo else -math.inf
    value = complex(sp.N(expr, 17))
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        raise InvalidValuesError(f"expected a real number, the computation gave {value}")  # pragma: no cover
    return float(value.real)


def substitute(expr: Any, values: Mapping[sp.Symbol, Any]) -> Any:
    """``expr.subs(values)`` that also works on plain Python numbers."""
    return sp.sympify(expr).subs(values)


def show(value: Any) -> str:
    """A value for an error message: ``0.2`` or ``sigma``."""
    expr = sp.sympify(value)
    if not expr.free_symbols and expr.is_extended_real:
        return f"{float(sp.N(expr)):g}"
    return sp.sstr(expr)


def no_hazard(hazard: Any, where: str) -> None:
    """Raise for a hazard passed to a solver that does not model one (bands, preemption)."""
    if hazard is None or (isinstance(hazard, numbers.Real) and not isinstance(hazard, bool) and hazard == 0):
        return
    raise InvalidSpecError(
        f"{where} does not take a hazard (got hazard={hazard!r}): a Poisson hazard is implemented for single "
        "triggers only (optimal_stopping, investment_trigger, relocation_trigger); for a band or the "
        "preemption duopoly, what the event destroys (the option to switch, the active firm, the market) "
        "would have to be specified. Pass hazard=None"
    )
