"""Reasoning about signs and conditions over the admissible parameter set.

The admissible set is the product of the symbols' domains cut by extra relations among
parameters (e.g. ``a > c``). Everything here proves statements *for every admissible
point*. A proof is attempted by reparametrising the set with fresh positive variables,
so that sympy's assumption system can see signs:

* ``x`` in ``(lo, hi)``  ->  ``lo + (hi - lo) t/(1 + t)``;  ``(lo, oo)`` -> ``lo + t``;
* a relation ``x > y``   ->  ``x = y + t``;  ``0 < x < y`` -> ``x = y t/(1 + t)``.

Each map covers the admissible set (or a superset of it, when a symbol's own domain is
dropped in favour of a relation), so a sign shown after substitution holds on the
admissible set: the method is sound, never complete. Closed finite end points are
checked separately on each face, so strictness is only claimed where it holds.

Following sympy.stats' ``_value_check``: a condition is rejected only when it is
provably false; an undecided condition is kept and shown.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy.core.relational import Relational

from gvcgames.budget import time_budget
from gvcgames.errors import InvalidSpecError, SymbolicTimeout
from gvcgames.spec.symbols import DomainSymbol

_fresh = itertools.count()
# Proofs are pure functions of (relations, expression); the same atoms recur across cases.
_SIGN_CACHE: dict[tuple[Any, sp.Expr], Sign] = {}


class Sign(enum.Enum):
    """What is known about the sign of an expression on the admissible set."""

    POSITIVE = "> 0"
    NEGATIVE = "< 0"
    ZERO = "= 0"
    NONNEGATIVE = ">= 0"
    NONPOSITIVE = "<= 0"
    UNKNOWN = "?"

    def __mul__(self, other: Sign) -> Sign:
        return _multiply(self, other)

    @property
    def strict(self) -> bool:
        return self in (Sign.POSITIVE, Sign.NEGATIVE)

    def flipped(self) -> Sign:
        return _FLIP[self]


_FLIP = {
    Sign.POSITIVE: Sign.NEGATIVE,
    Sign.NEGATIVE: Sign.POSITIVE,
    Sign.NONNEGATIVE: Sign.NONPOSITIVE,
    Sign.NONPOSITIVE: Sign.NONNEGATIVE,
    Sign.ZERO: Sign.ZERO,
    Sign.UNKNOWN: Sign.UNKNOWN,
}


def _multiply(a: Sign, b: Sign) -> Sign:
    if Sign.ZERO in (a, b):
        return Sign.ZERO
    if Sign.UNKNOWN in (a, b):
        return Sign.UNKNOWN
    negative = (a in (Sign.NEGATIVE, Sign.NONPOSITIVE)) != (b in (Sign.NEGATIVE, Sign.NONPOSITIVE))
    strict = a.strict and b.strict
    if negative:
        return Sign.NEGATIVE if strict else Sign.NONPOSITIVE
    return Sign.POSITIVE if strict else Sign.NONNEGATIVE


def _join(interior: Sign, face: Sign) -> Sign:
    """Sign on a set that is the union of an open part and one of its faces."""
    if interior == face:
        return interior
    if Sign.UNKNOWN in (interior, face):
        return Sign.UNKNOWN
    nonneg = {Sign.POSITIVE, Sign.NONNEGATIVE, Sign.ZERO}
    nonpos = {Sign.NEGATIVE, Sign.NONPOSITIVE, Sign.ZERO}
    if interior in nonneg and face in nonneg:
        return Sign.NONNEGATIVE
    if interior in nonpos and face in nonpos:
        return Sign.NONPOSITIVE
    return Sign.UNKNOWN


def _basic_sign(expr: sp.Expr) -> Sign:
    """Sign from sympy's assumption system alone (infinite or undefined values: unknown)."""
    if expr.has(sp.nan, sp.zoo):
        return Sign.UNKNOWN
    if expr.is_zero:
        return Sign.ZERO
    if expr.is_extended_positive:  # "extended": a limit at a face may be +-oo
        return Sign.POSITIVE
    if expr.is_extended_negative:
        return Sign.NEGATIVE
    if expr.is_extended_nonnegative:
        return Sign.NONNEGATIVE
    if expr.is_extended_nonpositive:
        return Sign.NONPOSITIVE
    return Sign.UNKNOWN


def _factor_sign(expr: sp.Expr) -> Sign:
    """Sign of an expression in positive variables, factor by factor."""
    sign = _basic_sign(expr)
    if sign != Sign.UNKNOWN:
        return sign
    factored = sp.factor(sp.together(expr))
    total = Sign.POSITIVE
    for factor in sp.Mul.make_args(factored):
        base, exp = factor.as_base_exp()
        s = _basic_sign(factor)
        if s == Sign.UNKNOWN:
            s = _basic_sign(sp.expand(factor))
        if s == Sign.UNKNOWN and exp.is_integer:
            b = _basic_sign(base)
            if b == Sign.UNKNOWN:
                b = _basic_sign(sp.expand(base))
            s = b if exp.is_odd else (Sign.NONNEGATIVE if b == Sign.UNKNOWN else b * b)
            if exp.is_negative and s in (Sign.NONNEGATIVE, Sign.NONPOSITIVE):
                s = Sign.POSITIVE if s == Sign.NONNEGATIVE else Sign.NEGATIVE  # 1/0 excluded
        total = total * s
        if total == Sign.UNKNOWN:
            return Sign.UNKNOWN
    return total


@dataclass(frozen=True)
class Assumptions:
    """The admissible set: symbol domains plus extra relations among symbols.

    Parameters
    ----------
    relations : tuple of sympy Relational
        Extra inequalities such as ``a > c``; checked to be not provably false.

    Examples
    --------
    >>> import gvcgames as gg
    >>> a, c = gg.parameters("a c", positive=True)
    >>> A = gg.Assumptions((a > c,))
    >>> A.sign(a - c)
    <Sign.POSITIVE: '> 0'>
    >>> A.decide(a - c < 0)
    False
    """

    relations: tuple[Relational, ...] = ()
    time_budget: float | None = None
    _substitutions: tuple[tuple[sp.Symbol, sp.Expr], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        rels = tuple(_as_relational(r, i) for i, r in enumerate(self.relations) if r is not sp.true)
        object.__setattr__(self, "relations", rels)
        object.__setattr__(self, "_substitutions", tuple(self._relation_substitutions()))
        for rel in rels:
            if Assumptions(time_budget=self.time_budget).decide(rel) is False:
                raise InvalidSpecError(
                    f"assumption {rel} contradicts the domains of its symbols "
                    f"({_domains_text(rel.free_symbols)}); the admissible set is empty"
                )

    # --- public ---------------------------------------------------------------

    def with_relations(self, extra: Iterable[Any]) -> Assumptions:
        """A new set with more relations (e.g. a region's conditions)."""
        more = tuple(r for r in (_as_relational_or_none(e) for e in extra) if r is not None)
        return Assumptions(self.relations + more, self.time_budget)

    @property
    def symbols(self) -> frozenset[sp.Symbol]:
        """Symbols mentioned by the relations."""
        return frozenset().union(*(r.free_symbols for r in self.relations))

    def sign(self, expr: Any) -> Sign:
        """Prove the sign of ``expr`` on the admissible set (``UNKNOWN`` if not shown)."""
        expr = sp.sympify(expr)
        key = (self.relations, expr)
        if key in _SIGN_CACHE:
            return _SIGN_CACHE[key]
        try:
            with time_budget(self.time_budget, "sign proof"):
                found = self._sign(expr)
        except SymbolicTimeout:
            return Sign.UNKNOWN  # not cached: a larger budget may succeed
        except (TypeError, ValueError):  # e.g. comparisons with nan/zoo inside sympy
            found = Sign.UNKNOWN
        if len(_SIGN_CACHE) > 20000:
            _SIGN_CACHE.clear()
        _SIGN_CACHE[key] = found
        return found

    def decide(self, condition: Any) -> bool | None:
        """``True``/``False`` if the condition provably holds/fails everywhere, else ``None``."""
        cleaned = self.clean(condition)
        if cleaned is sp.true:
            return True
        if cleaned is sp.false:
            return False
        return None

    def clean(self, condition: Any) -> sp.Boolean:
        """Simplify a condition: drop what the assumptions prove, tidy what is left.

        Returns ``sympy.true``/``sympy.false`` when decided; otherwise an equivalent
        condition (on the admissible set) in a readable form such as ``m*p*D < c*Fbar``.
        """
        cond = sp.sympify(condition)
        cleaned = self._clean_atoms(cond)
        if isinstance(cleaned, (sp.And, sp.Or)):
            return self._prune(cleaned)
        return cleaned

    def _clean_atoms(self, cond: sp.Boolean) -> sp.Boolean:
        if cond in (sp.true, sp.false):
            return cond
        if isinstance(cond, sp.And):
            return sp.And(*(self._clean_atoms(a) for a in cond.args))
        if isinstance(cond, sp.Or):
            return sp.Or(*(self._clean_atoms(a) for a in cond.args))
        if isinstance(cond, sp.Not):
            return sp.Not(self._clean_atoms(cond.args[0]))
        if isinstance(cond, Relational):
            return self._clean_relational(cond)
        return cond

    def _prune(self, cond: sp.Boolean) -> sp.Boolean:
        """Drop contradictory conjunctions and implied inequalities (pairwise sign proofs)."""
        terms = disjuncts(cond)
        if terms is None:
            return _absorb(cond)
        kept: list[frozenset[sp.Boolean]] = []
        for term in terms:
            reduced = self._reduce_conjunction(term)
            if reduced is not None and reduced not in kept:
                kept.append(reduced)
        kept = [t for t in kept if not any(other < t for other in kept)]
        singles = {next(iter(t)) for t in kept if len(t) == 1}
        if any(sp.Not(a) in singles for a in singles):  # A | ~A
            return sp.true
        return sp.Or(*(sp.And(*sorted(t, key=sp.default_sort_key)) for t in kept))

    def _reduce_conjunction(self, atoms: frozenset[sp.Boolean]) -> frozenset[sp.Boolean] | None:
        """``None`` if the atoms provably contradict each other, else the atoms not implied by others."""
        if sp.false in atoms:
            return None
        joined = self._join_equalities(atoms)
        if joined is None:
            return None
        atoms = joined
        forms = {a: _positive_form(a) for a in atoms if a is not sp.true}
        implied: set[sp.Boolean] = set()
        items = sorted(forms.items(), key=lambda kv: sp.default_sort_key(kv[0]))
        for i, (a, fa) in enumerate(items):
            for b, fb in items[i + 1 :]:
                if fa is None or fb is None or not (fa[0].free_symbols & fb[0].free_symbols):
                    continue
                (pa, sa), (pb, sb) = fa, fb
                if _contradict(self, pa, sa, pb, sb):
                    return None
                if b not in implied and _implies(self, pa, sa, pb, sb):
                    implied.add(b)
                elif a not in implied and _implies(self, pb, sb, pa, sa):
                    implied.add(a)
        return frozenset(a for a in forms if a not in implied)

    def _join_equalities(self, atoms: frozenset[sp.Boolean]) -> frozenset[sp.Boolean] | None:
        """Merge ``f >= 0 & f <= 0`` into ``f = 0`` and test every equation against the rest.

        On the set where an equation holds, one of its symbols is a function of the others
        (solved linearly, with a coefficient of proved sign); substituting it into the other
        atoms and into that symbol's own domain is an equivalence there. An atom that becomes
        provably false makes the conjunction empty (``None``); one that becomes provably true
        is implied by the equation and dropped.
        """
        atoms = set(atoms)
        for pair, equation in weak_pairs(atoms):
            if pair <= atoms:
                atoms = (atoms - pair) | {equation}
        for eq in [a for a in atoms if isinstance(a, sp.Eq)]:
            others = [a for a in atoms if a is not eq]
            outcome = self._substitute_equation(eq, others)
            if outcome is None:
                return None
            atoms -= outcome
        return frozenset(atoms)

    def _substitute_equation(self, eq: sp.Eq, others: list[sp.Boolean]) -> set[sp.Boolean] | None:
        """``None`` if ``eq`` contradicts an atom of ``others``; else the atoms it implies."""
        diff = sp.expand(eq.lhs - eq.rhs)
        for sym in sorted(diff.free_symbols, key=str):
            if not diff.is_polynomial(sym) or sp.degree(diff, sym) != 1:
                continue
            coeff = diff.coeff(sym, 1)
            if coeff.has(sym) or not self.sign(coeff).strict:
                continue
            value = sp.cancel(-(diff - coeff * sym) / coeff)
            domain = getattr(sym, "domain", sp.Reals)
            checks = list(sp.And.make_args(domain.as_relational(value))) if isinstance(domain, sp.Interval) else []
            implied: set[sp.Boolean] = set()
            for atom in [*checks, *others]:
                if not isinstance(atom, Relational):
                    continue
                decided = atom.xreplace({sym: value})
                if isinstance(decided, Relational):
                    decided = self._clean_relational(decided)
                if decided is sp.false:
                    return None
                if decided is sp.true and atom in others:
                    implied.add(atom)
            return implied
        return set()

    # --- sign machinery ---------------------------------------------------------

    def _relation_substitutions(self) -> Iterable[tuple[sp.Symbol, sp.Expr]]:
        """Turn relations ``x > y`` / ``x < y`` with a bare symbol ``x`` into substitutions."""
        used: set[sp.Symbol] = set()
        for rel in self.relations:
            if isinstance(rel, (sp.Eq, sp.Ne)):
                continue
            big, small = (rel.lhs, rel.rhs) if isinstance(rel, (sp.Gt, sp.Ge)) else (rel.rhs, rel.lhs)
            strict = isinstance(rel, (sp.Gt, sp.Lt))
            # a weak relation admits equality: the gap t may be zero
            t = (
                sp.Symbol(f"_t{next(_fresh)}", positive=True)
                if strict
                else sp.Symbol(f"_t{next(_fresh)}", nonnegative=True)
            )
            if isinstance(big, sp.Symbol) and big not in used and big not in small.free_symbols:
                used.add(big)
                yield big, small + t
            elif isinstance(small, sp.Symbol) and small not in used and small not in big.free_symbols:
                used.add(small)
                low = getattr(small, "domain", sp.Reals).inf
                if strict and low == 0 and Assumptions(time_budget=self.time_budget).sign(big) == Sign.POSITIVE:
                    yield small, big * t / (1 + t)
                else:
                    yield small, big - t

    def _sign(self, expr: sp.Expr) -> Sign:
        expr = _substitute_all(expr, self._substitutions)
        return _sign_on_box(expr, frozenset())

    def _clean_relational(self, rel: Relational) -> sp.Boolean:
        if rel.has(sp.nan, sp.zoo):
            return rel
        try:
            return self._clean_relational_unsafe(rel)
        except (TypeError, ValueError):  # sympy cannot compare some symbolic pieces: leave undecided
            return rel

    def _clean_relational_unsafe(self, rel: Relational) -> sp.Boolean:
        if isinstance(rel, (sp.Eq, sp.Ne)):
            diff = sp.together(rel.lhs - rel.rhs)
            sign = self.sign(diff)
            holds_eq = True if sign == Sign.ZERO else (False if sign.strict else None)
            if holds_eq is None:
                num = _strip_signed_factors(self, sp.fraction(diff)[0])[0]
                # x**2 = 0 iff x = 0: keep the bases of powers
                num = sp.Mul(*(f.base if f.is_Pow and f.exp.is_positive else f for f in sp.Mul.make_args(num)))
                lhs, rhs = _sides(num)
                return sp.Eq(lhs, rhs) if isinstance(rel, sp.Eq) else sp.Ne(lhs, rhs)
            return sp.true if holds_eq == isinstance(rel, sp.Eq) else sp.false
        strict = isinstance(rel, (sp.Gt, sp.Lt))
        diff = rel.lhs - rel.rhs if isinstance(rel, (sp.Gt, sp.Ge)) else rel.rhs - rel.lhs
        sign = self.sign(diff)
        if sign == Sign.POSITIVE or (sign in (Sign.NONNEGATIVE, Sign.ZERO) and not strict):
            return sp.true
        if sign == Sign.NEGATIVE or (sign in (Sign.NONPOSITIVE, Sign.ZERO) and strict):
            return sp.false
        if sign == Sign.NONPOSITIVE:  # diff >= 0 with diff <= 0 everywhere: diff = 0
            return self._clean_relational(sp.Eq(diff, 0))
        if sign == Sign.NONNEGATIVE:  # diff > 0 with diff >= 0 everywhere: diff != 0
            return self._clean_relational(sp.Ne(diff, 0))
        return _tidy(self, diff, strict)


def _sign_on_box(expr: sp.Expr, done: frozenset[sp.Symbol]) -> Sign:
    """Sign over the box of the free symbols' domains: interior, then closed faces."""
    if expr.is_number:
        return _basic_sign(sp.nsimplify(expr) if expr.is_Float else expr)
    interior = _factor_sign(_reparametrise(expr))
    if interior == Sign.UNKNOWN:
        return interior
    for sym in sorted(expr.free_symbols - done, key=str):
        domain = getattr(sym, "domain", None)
        if domain is None:
            continue
        for end, closed in ((domain.inf, not domain.left_open), (domain.sup, not domain.right_open)):
            if closed and end.is_finite:
                interior = _join(
                    interior, _sign_on_box(at_end(expr, sym, end, "+" if end == domain.inf else "-"), done | {sym})
                )
                if interior == Sign.UNKNOWN:
                    return interior
    return interior


def at_end(expr: sp.Expr, sym: sp.Symbol, end: sp.Expr, direction: str) -> sp.Expr:
    """``expr`` at ``sym = end``; a one-sided limit where plain substitution is undefined (sqrt(x)/x at 0)."""
    value = expr.subs(sym, end)
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        try:
            value = sp.limit(sp.powsimp(expr), sym, end, dir=direction)
        except (NotImplementedError, ValueError, TypeError):
            return sp.nan
    return value


def _reparametrise(expr: sp.Expr) -> sp.Expr:
    """Replace each bounded symbol by a map of a fresh positive variable onto its interior."""
    mapping = {}
    for sym in expr.free_symbols:
        domain = getattr(sym, "domain", None)
        if domain is None or domain == sp.Reals:
            continue
        lo, hi = domain.inf, domain.sup
        t = sp.Symbol(f"_r{next(_fresh)}", positive=True)
        if lo.is_finite and hi.is_finite:
            mapping[sym] = lo + (hi - lo) * t / (1 + t)
        elif lo.is_finite:
            mapping[sym] = lo + t
        elif hi.is_finite:
            mapping[sym] = hi - t
    return expr.xreplace(mapping) if mapping else expr


def _substitute_all(expr: sp.Expr, subs: tuple[tuple[sp.Symbol, sp.Expr], ...]) -> sp.Expr:
    for _ in range(len(subs) + 1):  # relations may chain (a > b > c)
        new = expr.xreplace(dict(subs))
        if new == expr:
            break
        expr = new
    return expr


def _strip_signed_factors(ctx: Assumptions, expr: sp.Expr) -> tuple[sp.Expr, bool]:
    """Drop factors of known strict sign; return the rest and whether the sign flipped."""
    kept, flipped = [], False
    for factor in sp.Mul.make_args(sp.factor(expr)):
        s = ctx.sign(factor)
        if s == Sign.POSITIVE:
            continue
        if s == Sign.NEGATIVE:
            flipped = not flipped
            continue
        kept.append(factor)
    return sp.Mul(*kept), flipped


def _tidy(ctx: Assumptions, diff: sp.Expr, strict: bool) -> sp.Boolean:
    """Write ``diff > 0`` (or ``>=``) as a readable inequality ``P > N``."""
    try:
        with time_budget(ctx.time_budget, "tidying a condition"):
            num, den = sp.fraction(sp.together(diff))
            num, flip_n = _strip_signed_factors(ctx, num)
            den, flip_d = _strip_signed_factors(ctx, den)
    except SymbolicTimeout:
        return sp.Gt(diff, 0) if strict else sp.Ge(diff, 0)
    expr = num * den  # same sign as num/den where den != 0
    if flip_n != flip_d:
        expr = -expr
    expr = sp.expand(expr) if isinstance(expr, sp.Mul) and len(expr.args) == 2 and expr.args[0].is_number else expr
    lhs, rhs = _sides(expr)
    return sp.Gt(lhs, rhs) if strict else sp.Ge(lhs, rhs)


def _sides(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """Split ``expr`` (compared with 0) into positive terms and negated negative terms."""
    if isinstance(expr, sp.Add):
        pos = [t for t in expr.args if not t.could_extract_minus_sign()]
        neg = [-t for t in expr.args if t.could_extract_minus_sign()]
        return sp.Add(*pos), sp.Add(*neg)
    if expr.could_extract_minus_sign():
        return sp.Integer(0), -expr
    return expr, sp.Integer(0)


def _positive_form(atom: sp.Boolean) -> tuple[sp.Expr, bool] | None:
    """``lhs > rhs`` -> ``(lhs - rhs, strict)``; ``None`` for equations and non-relations."""
    if isinstance(atom, (sp.Gt, sp.Ge)):
        return atom.lhs - atom.rhs, isinstance(atom, sp.Gt)
    if isinstance(atom, (sp.Lt, sp.Le)):
        return atom.rhs - atom.lhs, isinstance(atom, sp.Lt)
    return None


def _implies(ctx: Assumptions, pa: sp.Expr, sa: bool, pb: sp.Expr, sb: bool) -> bool:
    """Does ``pa > 0`` (or ``>= 0``) imply ``pb > 0`` (or ``>= 0``) on the admissible set?"""
    if sb and not sa:
        return False
    if ctx.sign(pb - pa) in (Sign.POSITIVE, Sign.NONNEGATIVE, Sign.ZERO):
        return True
    # pb >= k pa for some k > 0 also does: try k = the ratio of the coefficients of a symbol
    # both contain linearly (Fbar c (D p - Delta) > D^2 m p^2 implies D p > Delta, k = 1/(Fbar c)).
    for sym in sorted(pa.free_symbols & pb.free_symbols, key=str):
        ca, cb = _linear_coefficient(pa, sym), _linear_coefficient(pb, sym)
        if ca is None or cb is None:
            continue
        k = sp.cancel(cb / ca)
        if ctx.sign(k) == Sign.POSITIVE and ctx.sign(sp.expand(pb - k * pa)) in (
            Sign.POSITIVE,
            Sign.NONNEGATIVE,
            Sign.ZERO,
        ):
            return True
    # pb = r * pa with r > 0: a strictly positive pa makes pb positive (pa != 0 there).
    return sa and ctx.sign(sp.cancel(pb / pa)) == Sign.POSITIVE


def _contradict(ctx: Assumptions, pa: sp.Expr, sa: bool, pb: sp.Expr, sb: bool) -> bool:
    """Can ``pa > 0`` (or ``>= 0``) and ``pb > 0`` (or ``>= 0``) not hold together on the admissible set?

    They cannot if ``k pa + pb < 0`` for some ``k > 0`` (or ``<= 0`` with one of them strict);
    ``k = 1`` and the ratios that cancel a symbol both contain linearly are tried.
    """
    factors = [sp.Integer(1)]
    for sym in sorted(pa.free_symbols & pb.free_symbols, key=str):
        ca, cb = _linear_coefficient(pa, sym), _linear_coefficient(pb, sym)
        if ca is not None and cb is not None:
            factors.append(sp.cancel(-cb / ca))
    for k in factors:
        if k != 1 and ctx.sign(k) != Sign.POSITIVE:
            continue
        total = ctx.sign(pa + pb if k == 1 else sp.expand(k * pa + pb))
        if total == Sign.NEGATIVE or (total in (Sign.ZERO, Sign.NONPOSITIVE) and (sa or sb)):
            return True
    return False


def _linear_coefficient(expr: sp.Expr, sym: sp.Symbol) -> sp.Expr | None:
    """The coefficient of ``sym`` if ``expr`` is linear in it (and nonzero), else ``None``."""
    expanded = sp.expand(expr)
    if not expanded.is_polynomial(sym) or sp.degree(expanded, sym) != 1:
        return None
    coeff = expanded.coeff(sym, 1)
    return None if coeff.has(sym) or coeff == 0 else coeff


def weak_pairs(atoms: Iterable[sp.Boolean]) -> list[tuple[frozenset[sp.Boolean], sp.Eq]]:
    """Pairs of atoms ``f >= 0`` and ``f <= 0``, each with the equation ``f = 0`` they amount to."""
    weak = [(a, f[0]) for a in atoms if (f := _positive_form(a)) is not None and not f[1]]
    return [
        (frozenset((a, b)), sp.Eq(*_sides(pa)))
        for i, (a, pa) in enumerate(weak)
        for b, pb in weak[i + 1 :]
        if sp.expand(pa + pb) == 0
    ]


def equations_of(atoms: Iterable[sp.Boolean]) -> list[sp.Boolean]:
    """The equations a conjunction of atoms imposes: its ``Eq`` atoms and its weak pairs."""
    atoms = list(atoms)
    return [a for a in atoms if isinstance(a, sp.Eq)] + [eq for _, eq in weak_pairs(atoms)]


def disjuncts(cond: sp.Boolean, limit: int = 64) -> list[frozenset[sp.Boolean]] | None:
    """The condition in disjunctive normal form, as a list of sets of atoms (``None`` if too big)."""
    cond = sp.to_nnf(cond, simplify=False) if not isinstance(cond, Relational) else cond
    if cond is sp.true:
        return [frozenset()]
    if cond is sp.false:
        return []
    if isinstance(cond, sp.Or):
        out: list[frozenset[sp.Boolean]] = []
        for arg in cond.args:
            part = disjuncts(arg, limit)
            if part is None:
                return None
            out += part
            if len(out) > limit:
                return None
        return out
    if isinstance(cond, sp.And):
        acc: list[frozenset[sp.Boolean]] = [frozenset()]
        for arg in cond.args:
            part = disjuncts(arg, limit)
            if part is None or len(acc) * len(part) > limit:
                return None
            acc = [x | y for x in acc for y in part]
        return acc
    return [frozenset([cond])]


def _absorb(cond: sp.Boolean) -> sp.Boolean:
    """``A & (A | B)`` -> ``A``: drop disjunctions implied by a plain conjunct."""
    if not isinstance(cond, sp.And):
        return cond
    plain = {a for a in cond.args if not isinstance(a, sp.Or)}
    kept = [a for a in cond.args if not (isinstance(a, sp.Or) and plain & set(a.args))]
    return sp.And(*kept)


def _as_relational(value: Any, index: int = 0) -> Relational:
    if value is sp.false or value is False:
        raise InvalidSpecError(
            f"assumption number {index + 1} evaluated to False before gvcgames saw it: it "
            "contradicts the domains of its symbols (e.g. a < 0 for a positive a); "
            "the admissible set is empty"
        )
    rel = _as_relational_or_none(value)
    if rel is None:
        raise InvalidSpecError(
            f"assumption {value!r} is not an inequality or equation among parameters, e.g. a > c or Eq(a, 2*c)"
        )
    return rel


def _as_relational_or_none(value: Any) -> Relational | None:
    if isinstance(value, (bool, str)) or value is None:
        return None
    try:
        rel = sp.sympify(value)
    except (sp.SympifyError, TypeError):
        return None
    return rel if isinstance(rel, Relational) else None


def _domains_text(symbols: Iterable[sp.Symbol]) -> str:
    parts = [f"{s} in {getattr(s, 'domain', sp.Reals)}" for s in sorted(symbols, key=str)]
    return ", ".join(parts)


def is_domain_symbol(sym: Any) -> bool:
    return isinstance(sym, DomainSymbol)
