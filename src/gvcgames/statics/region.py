"""The admissible set of an equilibrium: domains, the game's assumptions and the region.

Sign proofs in :class:`gvcgames.Assumptions` use relations whose one side is a bare
symbol (``x > y`` becomes ``x = y + t``, ``t > 0``). An equilibrium's region is usually
written differently (``Fbar c > D m p``), so each of its inequalities is first solved for
one symbol it contains linearly with a coefficient of proved sign::

    A s + B > 0, A > 0 on the admissible set   <=>   s > -B/A.

The rewrite is an equivalence on the admissible set, so proofs stay sound; relations that
cannot be rewritten are kept as they are (sign proofs then ignore them, which only makes
them weaker, never wrong). Comparative statics are taken in the *interior* of a region
(at its boundary the equilibrium switches regime and the derivative need not exist), so
non-strict inequalities of the region enter as strict ones.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.relational import Relational

from gvcgames.errors import InvalidSpecError, SymbolicTimeout
from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.symbols import DomainSymbol


@dataclass(frozen=True)
class Prover:
    """Sign proofs that try several sound contexts, strongest assumptions first.

    Substituting a relation ``c < f`` replaces ``c`` by ``f - t`` and so forgets ``c``'s own
    domain (e.g. ``c > 0``); a proof may then succeed in a context with fewer relations.
    Every context describes a superset of the admissible set, so each proof is sound and
    the first conclusive one is taken (a strict sign before a weak one).
    ``clean`` uses the first (richest) context.
    """

    contexts: tuple[Assumptions, ...]

    @property
    def main(self) -> Assumptions:
        return self.contexts[0]

    def sign(self, expr: Any) -> Sign:
        weak = Sign.UNKNOWN
        for ctx in self.contexts:
            found = ctx.sign(expr)
            if found.strict or found == Sign.ZERO:
                return found
            if weak == Sign.UNKNOWN:
                weak = found
        return weak

    def clean(self, condition: Any) -> sp.Boolean:
        return self.main.clean(condition)

    def decide(self, condition: Any) -> bool | None:
        return self.main.decide(condition)


def prover(base: Assumptions, region: Any) -> Prover:
    """The :class:`Prover` of an equilibrium: region context, then the game's assumptions, then domains."""
    contexts = [region_context(base, region), base, Assumptions(time_budget=base.time_budget)]
    unique: list[Assumptions] = []
    for ctx in contexts:
        if ctx not in unique:
            unique.append(ctx)
    return Prover(tuple(unique))


def conjuncts(condition: Any) -> list[sp.Boolean]:
    """The top-level conjuncts of a condition (``[]`` for ``True``).

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b")
    >>> conjuncts(sp.And(a > 0, b < 1))
    [a > 0, b < 1]
    """
    cond = sp.sympify(condition)
    if cond is sp.true:
        return []
    if isinstance(cond, sp.And):
        return list(cond.args)
    return [cond]


def base_assumptions(eq: Any) -> Assumptions:
    """The game's assumptions (an empty set when the equilibrium carries no game)."""
    game = getattr(eq, "game", None)
    ctx = getattr(game, "assumptions", None)
    return ctx if isinstance(ctx, Assumptions) else Assumptions()


def region_context(base: Assumptions, region: Any) -> Assumptions:
    """Cached front of :func:`build_region_context` (one equilibrium serves many derivatives)."""
    try:
        return _cached_context(base, sp.sympify(region))
    except TypeError:  # unhashable input
        return build_region_context(base, region)


@functools.lru_cache(maxsize=64)
def _cached_context(base: Assumptions, region: sp.Boolean) -> Assumptions:
    return build_region_context(base, region)


def build_region_context(base: Assumptions, region: Any) -> Assumptions:
    """``base`` plus the region's inequalities, rewritten for sign proofs.

    Each inequality is kept when one side is a bare symbol, else solved for a symbol it
    contains linearly. The symbols chosen never form a cycle (``x`` bound in terms of ``y``
    and ``y`` in terms of ``x``), which would make the substituted expressions useless.

    Parameters
    ----------
    base : Assumptions
        The game's assumptions.
    region : sympy Boolean
        The equilibrium's conditions; disjunctions are dropped (a superset of the region).

    Returns
    -------
    Assumptions

    Examples
    --------
    >>> import gvcgames as gg
    >>> m, p, D, c, F = gg.parameters("m p D c F", positive=True)
    >>> ctx = region_context(gg.Assumptions(), c * F > 2 * m * p * D)
    >>> ctx.sign(c * F - 2 * m * p * D)
    <Sign.POSITIVE: '> 0'>
    """
    relations = [
        _interior(r) for r in conjuncts(region) if isinstance(r, Relational) and not isinstance(r, (sp.Eq, sp.Ne))
    ]
    relations = [r for r in relations if isinstance(r, Relational)]
    graph: dict[sp.Symbol, set[sp.Symbol]] = {}
    for rel in base.relations:
        _bind(rel, graph)
    rewritten: list[Relational] = []
    for rel in relations:
        new = _solve_for_symbol(rel, base, graph)
        rewritten.append(new if new is not None else rel)
        if new is not None:
            _bind(new, graph)
    try:
        return base.with_relations(rewritten)
    except InvalidSpecError:
        try:
            return base.with_relations(relations)
        except InvalidSpecError:
            return base


def _interior(rel: Relational) -> Any:
    """``x >= y`` -> ``x > y``: derivatives are taken in the interior of a region."""
    if isinstance(rel, sp.Ge):
        return sp.Gt(rel.lhs, rel.rhs)
    if isinstance(rel, sp.Le):
        return sp.Lt(rel.lhs, rel.rhs)
    return rel


def _binding(rel: Relational, graph: dict[sp.Symbol, set[sp.Symbol]]) -> tuple[sp.Symbol, set[sp.Symbol]] | None:
    """The symbol :class:`Assumptions` will substitute for this relation, and what it is bound to."""
    if isinstance(rel, (sp.Eq, sp.Ne)):
        return None
    big, small = (rel.lhs, rel.rhs) if isinstance(rel, (sp.Gt, sp.Ge)) else (rel.rhs, rel.lhs)
    if isinstance(big, sp.Symbol) and big not in graph and big not in small.free_symbols:
        return big, set(small.free_symbols)
    if isinstance(small, sp.Symbol) and small not in graph and small not in big.free_symbols:
        return small, set(big.free_symbols)
    return None


def _bind(rel: Relational, graph: dict[sp.Symbol, set[sp.Symbol]]) -> None:
    found = _binding(rel, graph)
    if found is not None:
        graph[found[0]] = found[1]


def _acyclic(rel: Relational, graph: dict[sp.Symbol, set[sp.Symbol]]) -> bool:
    """Whether binding ``rel`` keeps the substitutions free of cycles (and binds anything)."""
    found = _binding(rel, graph)
    if found is None:
        return False
    sym, deps = found
    seen: set[sp.Symbol] = set()
    stack = list(deps)
    while stack:
        cur = stack.pop()
        if cur == sym:
            return False
        if cur in seen:
            continue
        seen.add(cur)
        stack.extend(graph.get(cur, ()))
    return True


def _solve_for_symbol(rel: Relational, ctx: Assumptions, graph: dict[sp.Symbol, set[sp.Symbol]]) -> Relational | None:
    """``A s + B > 0`` with ``A`` of proved sign -> ``s > -B/A`` (or ``<``); ``None`` if impossible."""
    if _acyclic(rel, graph):
        return rel
    strict = isinstance(rel, (sp.Gt, sp.Lt))
    diff = rel.lhs - rel.rhs if isinstance(rel, (sp.Gt, sp.Ge)) else rel.rhs - rel.lhs
    try:
        num, den = sp.fraction(sp.cancel(sp.together(diff)))
        den_sign = ctx.sign(den)
        if not den_sign.strict:
            return None
        if den_sign == Sign.NEGATIVE:
            num = -num
        for sym in sorted(num.free_symbols, key=str):
            if sym in graph or not isinstance(sym, DomainSymbol):
                continue
            poly = sp.Poly(num, sym)
            if poly.degree() != 1:
                continue
            slope, rest = poly.coeff_monomial(sym), poly.coeff_monomial(1)
            slope_sign = ctx.sign(slope)
            if not slope_sign.strict:
                continue
            bound = sp.cancel(-rest / slope)
            if slope_sign == Sign.POSITIVE:
                candidate = sp.Gt(sym, bound) if strict else sp.Ge(sym, bound)
            else:
                candidate = sp.Lt(sym, bound) if strict else sp.Le(sym, bound)
            if isinstance(candidate, Relational) and _acyclic(candidate, graph):
                return candidate
    except (SymbolicTimeout, sp.PolynomialError, sp.GeneratorsNeeded, NotImplementedError):
        return None
    return None
