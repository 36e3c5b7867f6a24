"""Sign certificates and the exact conditions for each sign of an expression.

A *sign certificate* says how a sign was shown, from strongest to weakest:

``proved``
    A symbolic proof for every admissible parameter point in the equilibrium's region
    (:meth:`gvcgames.Assumptions.sign`, applied to the expression or to each factor).
``proved on box``
    Interval arithmetic (:mod:`mpmath.iv`, outward rounding) with branch and bound: the
    enclosure of the expression over every sub-box of a bounded parameter box excludes
    zero (sub-boxes where the region's conditions provably fail are discarded). The claim
    is limited to that box.
``sampled``
    The sign held at every one of ``N`` random admissible draws. Evidence, not a proof.
``conditional``
    The sign flips inside the region: both signs were observed (witness points are kept)
    and the exact condition for each sign is reported.
``unknown``
    Nothing was shown.

The exact conditions come from factoring: write the expression as ``num/den``, factor
both, and sort the factors by their proved sign. Factors of strict sign only fix the
overall sign; factors of weak sign (``>= 0``) decide where the expression vanishes;
factors of unknown sign (odd multiplicity) decide the sign. With one such factor ``f``
and known sign ``s`` of the rest, the expression is positive iff ``s f > 0`` (and the
weak factors are nonzero): for ``D (1 - 2 e)/Fbar`` this gives ``e < 1/2``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.errors import SymbolicTimeout
from gvcgames.spec.assumptions import Sign


class Certificate(enum.StrEnum):
    """How a sign was shown; compares equal to its text (``"proved"``, ``"sampled"``, ...)."""

    PROVED = "proved"
    PROVED_ON_BOX = "proved on box"
    SAMPLED = "sampled"
    CONDITIONAL = "conditional"
    UNKNOWN = "unknown"

    @property
    def strength(self) -> int:
        """4 for ``proved`` down to 0 for ``unknown``."""
        return {"proved": 4, "proved on box": 3, "sampled": 2, "conditional": 1, "unknown": 0}[self.value]

    @property
    def is_proof(self) -> bool:
        """Whether the sign is proved (everywhere in the region, or on the stated box)."""
        return self in (Certificate.PROVED, Certificate.PROVED_ON_BOX)


@dataclass(frozen=True)
class Evidence:
    """What backs a certificate: draws, boxes and witness points.

    Attributes
    ----------
    samples : int
        Admissible draws at which the expression was evaluated (``N``).
    rejected : int
        Draws rejected because they violated a domain, an assumption or the region.
    undefined : int
        Accepted draws where the expression was not a finite number (left out of ``N``).
    counts : dict
        Number of draws with each observed sign, keys ``"+"``, ``"-"``, ``"0"``.
    seed : int or None
        Seed of the sampler.
    box : dict or None
        The parameter box of a box proof, ``{parameter: (lo, hi)}``.
    boxes : int
        Sub-boxes examined by branch and bound.
    proved_fraction : float
        Share of the box's volume where the sign (or inadmissibility) was shown.
    witnesses : dict
        Sign -> a parameter point where the expression has that sign.
    """

    samples: int = 0
    rejected: int = 0
    undefined: int = 0
    counts: Mapping[str, int] = field(default_factory=dict)
    seed: int | None = None
    box: Mapping[sp.Symbol, tuple[float, float]] | None = None
    boxes: int = 0
    proved_fraction: float = 0.0
    witnesses: Mapping[Sign, Mapping[sp.Symbol, float]] = field(default_factory=dict)

    def box_text(self) -> str:
        """The box as ``p in [0.01, 0.99], c in [0.01, 10]``."""
        if not self.box:
            return ""
        return ", ".join(f"{s} in [{lo:.4g}, {hi:.4g}]" for s, (lo, hi) in self.box.items())


@dataclass(frozen=True)
class SignAnalysis:
    """The proved sign of an expression and the exact condition for each sign.

    Attributes
    ----------
    sign : Sign
        What is proved on the whole admissible set (``UNKNOWN`` if nothing).
    conditions : dict
        ``Sign.POSITIVE``/``NEGATIVE``/``ZERO`` -> condition (cleaned by the assumptions)
        under which the expression has that sign.
    deciding : tuple of sympy expressions
        The factors of unknown sign that decide the sign.
    """

    sign: Sign
    conditions: Mapping[Sign, sp.Boolean]
    deciding: tuple[sp.Expr, ...] = ()


def analyse_sign(expr: Any, ctx: Any) -> SignAnalysis:
    """Prove the sign of ``expr`` or derive the exact condition for each sign.

    Parameters
    ----------
    expr : sympy expression
    ctx : Assumptions or Prover
        The admissible set (domains, assumptions and the equilibrium's region); anything
        with sound ``sign(expr)`` and ``clean(condition)`` methods.

    Returns
    -------
    SignAnalysis

    Examples
    --------
    >>> import gvcgames as gg
    >>> from gvcgames.statics.certificates import analyse_sign
    >>> D, Fbar = gg.parameters("D Fbar", positive=True)
    >>> e = gg.actions("e", domain="[0, 1]")
    >>> found = analyse_sign(D * (1 - 2 * e) / Fbar, gg.Assumptions())
    >>> found.sign, found.conditions[gg.Sign.POSITIVE]
    (<Sign.UNKNOWN: '?'>, e < 1/2)
    """
    expr = sp.sympify(expr)
    if expr.is_zero:
        return SignAnalysis(Sign.ZERO, {Sign.POSITIVE: sp.false, Sign.NEGATIVE: sp.false, Sign.ZERO: sp.true})
    whole = ctx.sign(expr)
    try:
        overall, weak, even, deciding, zero_factors = _factors(expr, ctx)
    except (SymbolicTimeout, sp.PolynomialError, NotImplementedError):
        overall, weak, even, deciding, zero_factors = 1, [], [], [expr], [expr]
    if overall == 0:
        return SignAnalysis(Sign.ZERO, {Sign.POSITIVE: sp.false, Sign.NEGATIVE: sp.false, Sign.ZERO: sp.true})
    nonzero = sp.And(*(sp.Gt(w, 0) for w in weak), *(sp.Ne(f, 0) for f in even))
    vanish = sp.Or(*(sp.Eq(w, 0) for w in weak), *(sp.Eq(f, 0) for f in even), *(sp.Eq(f, 0) for f in zero_factors))
    if deciding:
        product = overall * sp.Mul(*deciding)
        positive: sp.Boolean = sp.And(nonzero, _isolate(sp.Gt(product, 0)))
        negative: sp.Boolean = sp.And(nonzero, _isolate(sp.Lt(product, 0)))
    else:
        positive = nonzero if overall > 0 else sp.false
        negative = nonzero if overall < 0 else sp.false
    conditions = {
        Sign.POSITIVE: clean_condition(ctx, positive),
        Sign.NEGATIVE: clean_condition(ctx, negative),
        Sign.ZERO: clean_condition(ctx, vanish),
    }
    derived = _sign_from(conditions)
    strengthens = (whole, derived) in ((Sign.NONNEGATIVE, Sign.POSITIVE), (Sign.NONPOSITIVE, Sign.NEGATIVE))
    sign = derived if whole == Sign.UNKNOWN or strengthens else whole
    if sign in (Sign.POSITIVE, Sign.NEGATIVE):
        conditions = {s: (sp.true if s == sign else sp.false) for s in (Sign.POSITIVE, Sign.NEGATIVE, Sign.ZERO)}
    elif sign == Sign.ZERO:
        conditions = {Sign.POSITIVE: sp.false, Sign.NEGATIVE: sp.false, Sign.ZERO: sp.true}
    elif sign == Sign.NONNEGATIVE:
        conditions = {**conditions, Sign.NEGATIVE: sp.false}
    elif sign == Sign.NONPOSITIVE:
        conditions = {**conditions, Sign.POSITIVE: sp.false}
    return SignAnalysis(sign, conditions, tuple(deciding))


def _factors(expr: sp.Expr, ctx: Any) -> tuple[int, list, list, list, list]:
    """Sort the factors of ``expr`` by proved sign (see the module docstring)."""
    num, den = sp.fraction(sp.cancel(sp.together(expr)))
    overall = 1
    weak: list[sp.Expr] = []  # oriented so that each is >= 0
    even: list[sp.Expr] = []  # unknown sign, even power: >= 0, zero iff the base is
    deciding: list[sp.Expr] = []  # unknown sign, odd power
    zero_factors: list[sp.Expr] = []  # numerator factors of unknown sign (zero where they vanish)
    for part, in_denominator in ((num, False), (den, True)):
        coeff, factors = sp.factor_list(part)
        if coeff.is_zero:
            return 0, [], [], [], []
        if coeff.is_negative:
            overall = -overall
        for base, mult in factors:
            odd = mult % 2 == 1
            s = ctx.sign(base)
            if s == Sign.ZERO:
                if in_denominator:
                    raise NotImplementedError("denominator vanishes")
                return 0, [], [], [], []
            if s.strict:
                if s == Sign.NEGATIVE and odd:
                    overall = -overall
                continue
            if s in (Sign.NONNEGATIVE, Sign.NONPOSITIVE):
                if s == Sign.NONPOSITIVE and odd:
                    overall = -overall
                if not in_denominator:  # in a denominator it is nonzero wherever defined
                    weak.append(base if s == Sign.NONNEGATIVE else -base)
                continue
            if not odd:
                if not in_denominator:
                    even.append(base)
                continue
            deciding.append(base)
            if not in_denominator:
                zero_factors.append(base)
    return overall, weak, even, deciding, zero_factors


def _isolate(rel: sp.Boolean) -> sp.Boolean:
    """``1 - 2 e > 0`` -> ``e < 1/2`` when the relation is linear in one symbol with a numeric slope."""
    if not isinstance(rel, sp.core.relational.Relational):
        return rel
    rel = type(rel)(_compact(rel.lhs), _compact(rel.rhs))
    if not isinstance(rel, sp.core.relational.Relational):
        return rel
    diff = sp.expand(rel.lhs - rel.rhs)
    syms = diff.free_symbols
    if len(syms) != 1:
        return rel
    (x,) = syms
    if not diff.is_polynomial(x) or sp.degree(diff, x) != 1:
        return rel
    slope = diff.coeff(x, 1)
    if not slope.is_number or slope == 0:
        return rel
    point = sp.nsimplify(-diff.coeff(x, 0) / slope) if diff.coeff(x, 0).is_Float else -diff.coeff(x, 0) / slope
    flip = {sp.Gt: sp.Lt, sp.Lt: sp.Gt, sp.Ge: sp.Le, sp.Le: sp.Ge, sp.Eq: sp.Eq, sp.Ne: sp.Ne}
    op = type(rel) if slope > 0 else flip[type(rel)]
    return op(x, point)


def _compact(side: sp.Expr) -> sp.Expr:
    """The shorter of ``side`` and its factored form (``a beta + beta g k`` -> ``beta (a + g k)``)."""
    try:
        factored = sp.factor(side)
    except (sp.PolynomialError, NotImplementedError):
        return side
    return factored if sp.count_ops(factored) < sp.count_ops(side) else side


def clean_condition(ctx: Any, condition: sp.Boolean) -> sp.Boolean:
    """Simplify a condition with the assumptions and write it readably (``e < 1/2``, ``R < 1``)."""
    try:
        cleaned = ctx.clean(condition)
    except SymbolicTimeout:
        return condition
    return _readable(cleaned)


def _readable(cond: sp.Boolean) -> sp.Boolean:
    """Isolate single symbols and write ``Ne(R, 1)`` for ``R`` in ``[0, 1]`` as ``R < 1``."""
    if isinstance(cond, (sp.And, sp.Or)):
        return type(cond)(*(_readable(a) for a in cond.args))
    if not isinstance(cond, sp.core.relational.Relational):
        return cond
    cond = _isolate(cond)
    if isinstance(cond, sp.Ne):
        for sym, other in ((cond.lhs, cond.rhs), (cond.rhs, cond.lhs)):
            domain = getattr(sym, "domain", None)
            if domain is None or not other.is_number:
                continue
            if domain.sup == other and not domain.right_open:
                return sp.Lt(sym, other)
            if domain.inf == other and not domain.left_open:
                return sp.Gt(sym, other)
    return cond


def _sign_from(conditions: Mapping[Sign, sp.Boolean]) -> Sign:
    """What the cleaned conditions prove (``true``/``false`` only when provably so)."""
    if conditions[Sign.POSITIVE] is sp.true:
        return Sign.POSITIVE
    if conditions[Sign.NEGATIVE] is sp.true:
        return Sign.NEGATIVE
    pos, neg, zero = (conditions[s] is sp.false for s in (Sign.POSITIVE, Sign.NEGATIVE, Sign.ZERO))
    if pos and neg:
        return Sign.ZERO
    if neg:
        return Sign.POSITIVE if zero else Sign.NONNEGATIVE
    if pos:
        return Sign.NEGATIVE if zero else Sign.NONPOSITIVE
    return Sign.UNKNOWN


SIGN_WORDS = {
    Sign.POSITIVE: "+",
    Sign.NEGATIVE: "-",
    Sign.ZERO: "0",
    Sign.NONNEGATIVE: ">=0",
    Sign.NONPOSITIVE: "<=0",
    Sign.UNKNOWN: "?",
}


def condition_text(cond: Any) -> str:
    """A condition as text, with ``=`` for equations: ``R < 1 & k > 0``, ``a_o = beta*(a + g*k)``.

    Examples
    --------
    >>> import sympy as sp
    >>> R, k = sp.symbols("R k")
    >>> condition_text(sp.Or(sp.Eq(R, 1), sp.Eq(k, 0)))
    'R = 1 | k = 0'
    """
    cond = sp.sympify(cond)
    if cond is sp.true:
        return "always"
    if cond is sp.false:
        return "never"
    if isinstance(cond, (sp.And, sp.Or)):
        joiner = " & " if isinstance(cond, sp.And) else " | "
        parts = [condition_text(a) for a in cond.args]
        parts = [f"({p})" if isinstance(a, (sp.And, sp.Or)) else p for p, a in zip(parts, cond.args, strict=True)]
        return joiner.join(parts)
    if isinstance(cond, sp.Eq):
        return f"{sp.sstr(cond.lhs)} = {sp.sstr(cond.rhs)}"
    if isinstance(cond, sp.Ne):
        return f"{sp.sstr(cond.lhs)} != {sp.sstr(cond.rhs)}"
    return sp.sstr(cond)
