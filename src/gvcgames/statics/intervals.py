"""Sign proofs on a parameter box by interval arithmetic and branch and bound.

For a box ``B = [l_1, u_1] x ... x [l_k, u_k]`` interval arithmetic (:mod:`mpmath.iv`,
rounding outward) gives an enclosure ``[L, U]`` that contains ``f(B)``. If ``L > 0`` then
``f > 0`` on all of ``B``, a proof (Moore, Kearfott and Cloud 2009, *Introduction to
Interval Analysis*, ch. 6). Enclosures overestimate, so a box whose enclosure contains 0
is bisected along its relatively widest side, and the halves are examined in turn until
every piece is proved or a budget of sub-boxes is spent. A sub-box where a constraint
(the game's assumptions, the equilibrium's region) provably fails is discarded: it holds
no admissible point. A sub-box with an enclosure of the opposite sign refutes the sign.

The claim is limited to the box: "positive on the box" says nothing outside it.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from mpmath import iv
from sympy.core.relational import Relational

from gvcgames.errors import InvalidValuesError
from gvcgames.spec.assumptions import Sign
from gvcgames.statics.errors import EmptyBoxError

Interval = Any  # mpmath ivmpf
Env = Mapping[sp.Symbol, Interval]


class UnsupportedExpression(Exception):
    """The expression uses a function without an interval extension here."""


_FUNCTIONS: dict[type, Callable[[Interval], Interval]] = {
    sp.exp: iv.exp,
    sp.log: iv.log,
    sp.sin: iv.sin,
    sp.cos: iv.cos,
    sp.tan: iv.tan,
}


def compile_interval(expr: sp.Expr) -> Callable[[Env], Interval]:
    """Turn a sympy expression into a function of a ``{symbol: interval}`` environment.

    Raises
    ------
    UnsupportedExpression
        If a function without an interval extension occurs.

    Examples
    --------
    >>> import sympy as sp
    >>> from mpmath import iv
    >>> x = sp.Symbol("x")
    >>> f = compile_interval(x**2 - x)
    >>> print(f({x: iv.mpf([0, 1])}))
    [-1.0, 1.0]
    """
    expr = sp.sympify(expr)
    if expr.is_Symbol:
        return lambda env: env[expr]
    if expr.is_Integer:
        const = iv.mpf(int(expr))
        return lambda env: const
    if expr.is_Rational:
        const = iv.mpf(int(expr.p)) / iv.mpf(int(expr.q))
        return lambda env: const
    if expr.is_Float:
        const = iv.mpf(str(expr))
        return lambda env: const
    if expr is sp.pi:
        return lambda env: iv.pi
    if expr is sp.E:
        return lambda env: iv.e
    if expr.is_Add:
        parts = [compile_interval(a) for a in expr.args]

        def add(env: Env) -> Interval:
            total = parts[0](env)
            for part in parts[1:]:
                total = total + part(env)
            return total

        return add
    if expr.is_Mul:
        parts = [compile_interval(a) for a in expr.args]

        def mul(env: Env) -> Interval:
            total = parts[0](env)
            for part in parts[1:]:
                total = total * part(env)
            return total

        return mul
    if expr.is_Pow:
        return _compile_pow(expr)
    if isinstance(expr, sp.Abs):
        inner = compile_interval(expr.args[0])
        return lambda env: _abs(inner(env))
    if isinstance(expr, (sp.Min, sp.Max)):
        parts = [compile_interval(a) for a in expr.args]
        pick = min if isinstance(expr, sp.Min) else max

        def extreme(env: Env) -> Interval:
            values = [part(env) for part in parts]
            lo = pick(float(v.a) for v in values)
            hi = pick(float(v.b) for v in values)
            return iv.mpf([lo, hi])

        return extreme
    func = _FUNCTIONS.get(type(expr))
    if func is not None and len(expr.args) == 1:
        inner = compile_interval(expr.args[0])
        return lambda env: func(inner(env))
    raise UnsupportedExpression(f"no interval extension for {type(expr).__name__} in {expr}")


def _compile_pow(expr: sp.Pow) -> Callable[[Env], Interval]:
    base = compile_interval(expr.base)
    exp = expr.exp
    if exp.is_Integer:
        n = int(exp)
        if n >= 0:
            return lambda env: base(env) ** n
        return lambda env: 1 / (base(env) ** (-n))
    if exp == sp.Rational(1, 2):
        return lambda env: iv.sqrt(base(env))
    if exp == -sp.Rational(1, 2):
        return lambda env: 1 / iv.sqrt(base(env))
    power = compile_interval(exp)

    def general(env: Env) -> Interval:
        b = base(env)
        if float(b.a) <= 0:
            return iv.mpf([-math.inf, math.inf])
        return iv.exp(power(env) * iv.log(b))

    return general


def _abs(x: Interval) -> Interval:
    lo, hi = float(x.a), float(x.b)
    if lo >= 0:
        return x
    if hi <= 0:
        return -x
    return iv.mpf([0, max(-lo, hi)])


def compile_condition(cond: Any) -> Callable[[Env], bool | None]:
    """Three-valued interval check of a condition: ``True`` (holds on the whole box),
    ``False`` (fails on the whole box) or ``None`` (undecided)."""
    cond = sp.sympify(cond)
    if cond is sp.true:
        return lambda env: True
    if cond is sp.false:
        return lambda env: False
    if isinstance(cond, sp.And):
        parts = [compile_condition(a) for a in cond.args]

        def all_of(env: Env) -> bool | None:
            results = [part(env) for part in parts]
            if any(r is False for r in results):
                return False
            return True if all(r is True for r in results) else None

        return all_of
    if isinstance(cond, sp.Or):
        parts = [compile_condition(a) for a in cond.args]

        def any_of(env: Env) -> bool | None:
            results = [part(env) for part in parts]
            if any(r is True for r in results):
                return True
            return False if all(r is False for r in results) else None

        return any_of
    if isinstance(cond, sp.Not):
        inner = compile_condition(cond.args[0])

        def negate(env: Env) -> bool | None:
            r = inner(env)
            return None if r is None else not r

        return negate
    if isinstance(cond, Relational):
        diff = compile_interval(cond.lhs - cond.rhs)
        kind = type(cond)

        def relation(env: Env) -> bool | None:
            d = diff(env)
            lo, hi = float(d.a), float(d.b)
            if math.isnan(lo) or math.isnan(hi):
                return None
            if kind is sp.Gt:
                return True if lo > 0 else (False if hi <= 0 else None)
            if kind is sp.Ge:
                return True if lo >= 0 else (False if hi < 0 else None)
            if kind is sp.Lt:
                return True if hi < 0 else (False if lo >= 0 else None)
            if kind is sp.Le:
                return True if hi <= 0 else (False if lo > 0 else None)
            if kind is sp.Eq:
                return (True if lo == hi == 0 else None) if lo <= 0 <= hi else False
            return (None if lo <= 0 <= hi else True) if not (lo == hi == 0) else False

        return relation
    raise UnsupportedExpression(f"cannot check {cond} with intervals")


@dataclass(frozen=True)
class BoxProof:
    """Outcome of :func:`prove_sign_on_box`.

    Attributes
    ----------
    sign : Sign
        The sign proved on the box's admissible part (``UNKNOWN`` if not proved).
    box : dict
        Parameter -> ``(lo, hi)``, the box the claim is about.
    boxes : int
        Sub-boxes examined.
    proved_fraction : float
        Share of the box volume where the sign was proved or no admissible point lies.
    refuted : dict or None
        Midpoint of a sub-box where the opposite sign holds on the whole sub-box and the
        constraint holds too (a witness that the sign flips), if one was found.
    message : str
    """

    sign: Sign
    box: Mapping[sp.Symbol, tuple[float, float]]
    boxes: int
    proved_fraction: float
    refuted: Mapping[sp.Symbol, float] | None = None
    message: str = ""
    seconds: float = field(default=0.0, compare=False)

    @property
    def proved(self) -> bool:
        return self.sign != Sign.UNKNOWN

    def __str__(self) -> str:
        box = ", ".join(f"{s} in [{lo:.4g}, {hi:.4g}]" for s, (lo, hi) in self.box.items())
        return f"sign {self.sign.value} on {box}: {self.message}"


def validate_box(box: Mapping[Any, Any], symbols: Any = ()) -> dict[sp.Symbol, tuple[float, float]]:
    """Check a box ``{parameter: (lo, hi)}`` and clip it to the parameters' domains.

    Raises
    ------
    EmptyBoxError
        If the box is empty, an interval is inverted or NaN, or misses its parameter's domain.
    InvalidValuesError
        If a needed parameter has no interval.
    """
    needed = sorted(symbols, key=str)
    if not box:
        raise EmptyBoxError(
            f"the parameter box is empty; give (lo, hi) for each of {[str(s) for s in needed] or 'the parameters'}"
        )
    out: dict[sp.Symbol, tuple[float, float]] = {}
    for sym, bounds in box.items():
        try:
            lo, hi = (float(b) for b in bounds)
        except (TypeError, ValueError) as exc:
            raise EmptyBoxError(f"the box for {sym} must be a pair (lo, hi) of numbers, got {bounds!r}") from exc
        if math.isnan(lo) or math.isnan(hi):
            raise EmptyBoxError(f"the box for {sym} has a NaN end: ({lo}, {hi})")
        if lo > hi:
            raise EmptyBoxError(f"the box for {sym} is empty: lower end {lo:g} > upper end {hi:g}")
        domain = getattr(sym, "domain", None)
        if domain is not None and domain.inf.is_number and domain.sup.is_number:
            d_lo, d_hi = float(domain.inf), float(domain.sup)
            lo, hi = max(lo, d_lo), min(hi, d_hi)
            if lo > hi:
                raise EmptyBoxError(f"the box for {sym}, {tuple(bounds)}, does not meet its domain {domain}")
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise EmptyBoxError(f"the box for {sym} must be bounded, got ({lo:g}, {hi:g})")
        out[sym] = (lo, hi)
    missing = [str(s) for s in needed if s not in out]
    if missing:
        raise InvalidValuesError(f"the parameter box has no interval for {missing}; give (lo, hi) for each")
    return out


def prove_sign_on_box(
    expr: Any,
    box: Mapping[Any, Any],
    *,
    constraint: Any = True,
    sign: Sign | None = None,
    max_boxes: int = 2000,
    max_seconds: float = 5.0,
) -> BoxProof:
    """Prove the sign of ``expr`` on a box by interval branch and bound.

    Parameters
    ----------
    expr : sympy expression
    box : mapping
        ``{parameter: (lo, hi)}`` for every symbol of ``expr`` and ``constraint``; clipped to
        the parameters' domains.
    constraint : sympy Boolean
        Sub-boxes where it provably fails are discarded (they hold no admissible point).
    sign : Sign, optional
        The sign to prove (``POSITIVE`` or ``NEGATIVE``); default: the sign at the box centre.
    max_boxes, max_seconds : int, float
        Budget; when spent the proof is reported as incomplete.

    Returns
    -------
    BoxProof

    Raises
    ------
    EmptyBoxError
        If the box is empty or invalid, or every part of it violates the constraint.

    Examples
    --------
    >>> import gvcgames as gg
    >>> from gvcgames.statics import prove_sign_on_box
    >>> x = gg.parameters("x", domain="(0, 10)")
    >>> proof = prove_sign_on_box(x**2 - x + 1, {x: (0, 10)})
    >>> proof.sign
    <Sign.POSITIVE: '> 0'>
    """
    expr = sp.sympify(expr)
    constraint = sp.sympify(constraint)
    symbols = expr.free_symbols | constraint.free_symbols
    checked = validate_box(box, symbols)
    order = sorted(checked, key=str)
    f = compile_interval(expr)
    g = compile_condition(constraint)
    start = time.perf_counter()
    if sign is None:
        centre = {s: (lo + hi) / 2 for s, (lo, hi) in checked.items()}
        value = float(f({s: iv.mpf(v) for s, v in centre.items()}).mid)
        sign = Sign.POSITIVE if value >= 0 else Sign.NEGATIVE
    if sign not in (Sign.POSITIVE, Sign.NEGATIVE):
        raise InvalidValuesError(f"sign must be Sign.POSITIVE or Sign.NEGATIVE, got {sign}")
    widths = {s: (hi - lo) or 1.0 for s, (lo, hi) in checked.items()}
    heap: list[tuple[float, int, dict[sp.Symbol, tuple[float, float]]]] = [(-1.0, 0, dict(checked))]
    counter = 1
    done = weak = excluded_volume = 0.0
    examined = 0
    any_admissible = False
    while heap:
        shown = done + weak + excluded_volume
        if examined >= max_boxes or time.perf_counter() - start > max_seconds:
            return BoxProof(
                Sign.UNKNOWN,
                checked,
                examined,
                shown,
                None,
                f"budget spent ({examined} sub-boxes): the sign is shown on {100 * shown:.1f}% of the box volume",
                time.perf_counter() - start,
            )
        neg_volume, _, sub = heapq.heappop(heap)
        volume = -neg_volume
        examined += 1
        env = {s: iv.mpf(list(b)) for s, b in sub.items()}
        admissible = g(env)
        if admissible is False:
            excluded_volume += volume
            continue
        any_admissible = True
        enclosure = f(env)
        lo, hi = float(enclosure.a), float(enclosure.b)
        if sign == Sign.NEGATIVE:
            lo, hi = -hi, -lo
        if lo > 0:
            done += volume
            continue
        if hi < 0 and admissible is True:
            centre = {s: (a + b) / 2 for s, (a, b) in sub.items()}
            return BoxProof(
                Sign.UNKNOWN,
                checked,
                examined,
                done + weak + excluded_volume,
                centre,
                f"refuted: the opposite sign holds on a sub-box of admissible points around {_point_text(centre)}",
                time.perf_counter() - start,
            )
        target = max(order, key=lambda s: (sub[s][1] - sub[s][0]) / widths[s])
        a, b = sub[target]
        # An enclosure that only touches 0 may be loose: split a while before settling for a weak sign.
        if lo >= 0 and not math.isnan(lo) and (b - a) <= widths[target] / 64:
            weak += volume
            continue
        if b - a <= 1e-12 * max(1.0, abs(a)):
            return BoxProof(
                Sign.UNKNOWN,
                checked,
                examined,
                shown,
                None,
                "the enclosure does not exclude 0 on a tiny sub-box around "
                + _point_text({s: v[0] for s, v in sub.items()}),
                time.perf_counter() - start,
            )
        mid = (a + b) / 2
        for half in ((a, mid), (mid, b)):
            piece = dict(sub)
            piece[target] = half
            heapq.heappush(heap, (-volume / 2, counter, piece))
            counter += 1
    if not any_admissible:
        raise EmptyBoxError(
            f"the box {_box_text(checked)} contains no admissible point: every part of it violates "
            f"{sp.sstr(constraint)}"
        )
    proved = sign if weak == 0 else (Sign.NONNEGATIVE if sign == Sign.POSITIVE else Sign.NONPOSITIVE)
    return BoxProof(
        proved,
        checked,
        examined,
        1.0,
        None,
        f"proved on every admissible part of the box ({examined} sub-boxes)",
        time.perf_counter() - start,
    )


def _point_text(point: Mapping[sp.Symbol, float]) -> str:
    return "{" + ", ".join(f"{s}: {v:.4g}" for s, v in point.items()) + "}"


def _box_text(box: Mapping[sp.Symbol, tuple[float, float]]) -> str:
    return ", ".join(f"{s} in [{lo:.4g}, {hi:.4g}]" for s, (lo, hi) in box.items())
