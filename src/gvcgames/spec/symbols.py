"""Parameters and actions: sympy Symbols that carry a real interval domain.

A :class:`Parameter` or :class:`Action` is a real sympy ``Symbol`` whose domain is a
``sympy.Interval`` (possibly unbounded). The domain is part of the symbol's identity, so
two symbols with the same name and different domains are different symbols, exactly as
sympy treats ``Symbol("x")`` and ``Symbol("x", positive=True)``. sympy's own assumption
system is told what it can understand (``positive``, ``nonnegative`` ...), so
``x.is_positive`` keeps working; finite upper bounds are used by gvcgames' own sign proofs.

Descriptions (``"probability of a disruption"``) and LaTeX names are labels, not identity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import sympy as sp

from gvcgames.errors import InvalidSpecError

_INTERVAL = re.compile(r"^\s*([\[(])\s*([^,]+?)\s*,\s*([^,]+?)\s*([\])])\s*$")


class DomainSymbol(sp.Symbol):
    """A real sympy Symbol with an interval domain; base of Parameter and Action."""

    __slots__ = ("description", "domain", "latex_name")

    domain: sp.Interval
    description: str
    latex_name: str | None

    def __new__(
        cls,
        name: str,
        domain: sp.Interval | str | tuple[Any, Any] | None = None,
        description: str = "",
        latex_name: str | None = None,
        integer: bool = False,
    ) -> DomainSymbol:
        interval = as_interval(domain, name)
        assumptions = {"real": True, **_sign_assumptions(interval)}
        if integer:
            assumptions["integer"] = True
        cls._sanitize(assumptions, cls)
        obj = sp.Symbol.__xnew__(cls, name, **assumptions)
        obj.domain = interval
        obj.description = description
        obj.latex_name = latex_name
        return obj

    def __getnewargs_ex__(self) -> tuple[tuple[Any, ...], dict[str, Any]]:
        return (
            (self.name, self.domain, self.description, self.latex_name, bool(self.is_integer)),
            {},
        )

    def _hashable_content(self) -> tuple[Any, ...]:
        # The LaTeX name is part of identity: sympy caches expressions by their arguments' hash and
        # equality, so an equal symbol without it would hand back cached expressions printed wrongly.
        return (*sp.Symbol._hashable_content(self), self.domain, self.latex_name or "")

    def _latex(self, printer: Any) -> str:
        return self.latex_name if self.latex_name else printer._print_Symbol(self)

    @property
    def lower(self) -> sp.Expr:
        """Lower end of the domain (``-oo`` if unbounded)."""
        return self.domain.inf

    @property
    def upper(self) -> sp.Expr:
        """Upper end of the domain (``oo`` if unbounded)."""
        return self.domain.sup

    def domain_condition(self) -> sp.Boolean:
        """The domain as a sympy Boolean in this symbol (``True`` for the real line)."""
        return self.domain.as_relational(self) if self.domain != sp.Reals else sp.true


class Parameter(DomainSymbol):
    """A model parameter, e.g. a cost or a probability; fixed during solving."""

    __slots__ = ()


class Action(DomainSymbol):
    """A continuous choice variable of one player, restricted to its domain."""

    __slots__ = ()


def as_interval(domain: Any, name: str = "symbol") -> sp.Interval:
    """Turn ``None``, a sympy Interval, ``"(0, 1]"`` or a ``(lo, hi)`` tuple into an Interval.

    Tuples mean closed intervals; use ``sp.oo`` for an unbounded end.
    """
    if domain is None:
        return sp.Reals
    if isinstance(domain, str):
        match = _INTERVAL.match(domain)
        if not match:
            raise InvalidSpecError(
                f"domain {domain!r} of {name!r} is not an interval; write it like "
                "'(0, 1)', '[0, 1]', '(0, oo)' or pass a sympy Interval"
            )
        left, lo, hi, right = match.groups()
        lo_e, hi_e = _endpoint(lo, name, domain), _endpoint(hi, name, domain)
        interval = sp.Interval(lo_e, hi_e, left_open=left == "(", right_open=right == ")")
        return _nonempty(interval, name, domain)
    if isinstance(domain, tuple) and len(domain) == 2:
        lo_e, hi_e = (_endpoint(v, name, domain) for v in domain)
        return _nonempty(sp.Interval(lo_e, hi_e), name, domain)
    if isinstance(domain, sp.Set):
        if domain == sp.Reals:
            return sp.Reals
        if isinstance(domain, sp.Interval):
            return _nonempty(domain, name, domain)
    raise InvalidSpecError(
        f"domain of {name!r} must be an interval (sympy Interval, '(lo, hi)' string or (lo, hi) tuple), got {domain!r}"
    )


def _endpoint(value: Any, name: str, domain: Any) -> sp.Expr:
    if isinstance(value, str):
        value = value.strip()
        value = {"inf": "oo", "+inf": "oo", "-inf": "-oo", "+oo": "oo"}.get(value, value)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise InvalidSpecError(f"domain {domain!r} of {name!r} has a missing or NaN end point")
    try:
        expr = sp.sympify(value)
    except (sp.SympifyError, TypeError) as exc:
        raise InvalidSpecError(f"end point {value!r} in the domain of {name!r} is not a number") from exc
    if expr == sp.nan or not isinstance(expr, sp.Expr) or expr.is_extended_real is False:
        raise InvalidSpecError(f"end point {value!r} in the domain of {name!r} is not a real number")
    if expr.free_symbols and not all(hasattr(s, "domain") for s in expr.free_symbols):
        raise InvalidSpecError(
            f"end point {value!r} in the domain of {name!r} is not a number; for a bound that "
            "depends on parameters pass a sympy Interval built from gg.parameters symbols"
        )
    return expr


def _nonempty(interval: sp.Set, name: str, domain: Any) -> sp.Interval:
    if isinstance(interval, sp.FiniteSet):
        raise InvalidSpecError(f"domain {domain!r} of {name!r} is a single point; make it a number instead of a symbol")
    if interval is sp.EmptySet or not isinstance(interval, sp.Interval):
        raise InvalidSpecError(
            f"domain {domain!r} of {name!r} is empty or inverted; the lower end must be below the upper end"
        )
    if interval.inf.is_comparable and interval.sup.is_comparable and interval.inf == interval.sup:
        raise InvalidSpecError(f"domain {domain!r} of {name!r} is a single point; make it a number instead of a symbol")
    return interval


def _sign_assumptions(interval: sp.Interval) -> dict[str, bool]:
    """The sympy assumptions implied by an interval with numeric ends."""
    lo, hi = interval.inf, interval.sup
    found: dict[str, bool] = {}
    if lo.is_comparable or lo == -sp.oo:
        if lo > 0 or (lo == 0 and interval.left_open):
            found["positive"] = True
        elif lo >= 0:
            found["nonnegative"] = True
    if (hi.is_comparable or hi == sp.oo) and not found:
        if hi < 0 or (hi == 0 and interval.right_open):
            found["negative"] = True
        elif hi <= 0:
            found["nonpositive"] = True
    if lo.is_finite and hi.is_finite:
        found["finite"] = True
    return found


def _make(
    cls: type[DomainSymbol],
    names: str,
    positive: bool,
    nonnegative: bool,
    domain: Any,
    description: str | Sequence[str] | None,
    latex: str | Sequence[str] | None,
    integer: bool,
) -> Any:
    if sum(bool(x) for x in (positive, nonnegative, domain is not None)) > 1:
        raise InvalidSpecError("give at most one of positive=True, nonnegative=True, domain=...")
    if positive:
        domain = sp.Interval.open(0, sp.oo)
    elif nonnegative:
        domain = sp.Interval(0, sp.oo)
    if not isinstance(names, str) or not names.strip():
        raise InvalidSpecError(f"names must be a non-empty string like 'a b c', got {names!r}")
    split = [str(s) for s in sp.symbols(names, seq=True)]
    descriptions = _per_name(description, split, "description")
    latexes = _per_name(latex, split, "latex")
    made = tuple(
        cls(n, domain, description=d or "", latex_name=lx, integer=integer)
        for n, d, lx in zip(split, descriptions, latexes, strict=True)
    )
    return made[0] if len(made) == 1 and not re.search(r"[\s,:]", names.strip()) else made


def _per_name(value: str | Sequence[str] | None, names: list[str], what: str) -> list[str | None]:
    if value is None or isinstance(value, str):
        return [value] * len(names)
    values = list(value)
    if len(values) != len(names):
        raise InvalidSpecError(f"{len(values)} {what}s given for {len(names)} names {names}")
    return values


def parameters(
    names: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    domain: Any = None,
    description: str | Sequence[str] | None = None,
    latex: str | Sequence[str] | None = None,
    integer: bool = False,
) -> Any:
    """Create model parameters, as ``sympy.symbols`` creates symbols.

    Parameters
    ----------
    names : str
        Space- or comma-separated names, e.g. ``"a b c"``; sympy range syntax works.
    positive, nonnegative : bool
        Shorthands for the domains ``(0, oo)`` and ``[0, oo)``.
    domain : str, tuple or sympy.Interval, optional
        The interval of admissible values, e.g. ``"(0, 1)"`` or ``"[0, 1]"``;
        a tuple ``(lo, hi)`` is closed. Default: the real line.
    description, latex : str or sequence of str, optional
        Words used in hypotheses (``"shock probability"``) and the LaTeX name
        (``r"\\bar F"``), one per name or one for all.
    integer : bool
        Restrict to integers (e.g. the number of firms).

    Returns
    -------
    Parameter or tuple of Parameter
        A single symbol when ``names`` holds one name, else a tuple.

    Examples
    --------
    >>> import gvcgames as gg
    >>> a, c = gg.parameters("a c", positive=True)
    >>> p = gg.parameters("p", domain="(0, 1)", description="shock probability")
    >>> p.domain, p.is_positive
    (Interval.open(0, 1), True)
    """
    return _make(Parameter, names, positive, nonnegative, domain, description, latex, integer)


def actions(
    names: str,
    *,
    positive: bool = False,
    nonnegative: bool = False,
    domain: Any = None,
    description: str | Sequence[str] | None = None,
    latex: str | Sequence[str] | None = None,
) -> Any:
    """Create continuous actions (choice variables) on an interval.

    Same arguments as :func:`parameters`; an action's domain is the set its player
    chooses from, and the solver checks corners at its finite ends.

    Examples
    --------
    >>> import gvcgames as gg
    >>> q1, q2 = gg.actions("q1 q2", nonnegative=True)
    >>> e = gg.actions("e", domain="[0, 1]", description="risk prevention")
    >>> e.upper
    1
    """
    return _make(Action, names, positive, nonnegative, domain, description, latex, False)
