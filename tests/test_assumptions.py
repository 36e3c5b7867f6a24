import pytest
import sympy as sp

import gvcgames as gg
from gvcgames import Sign


@pytest.fixture
def syms():
    a, c = gg.parameters("a c", positive=True)
    p = gg.parameters("p", domain="(0, 1)")
    e = gg.actions("e", domain="[0, 1]")
    x = gg.parameters("x")
    return a, c, p, e, x


def test_signs_from_domains(syms):
    a, c, p, e, x = syms
    ctx = gg.Assumptions()
    assert ctx.sign(a * c) == Sign.POSITIVE
    assert ctx.sign(-a / c) == Sign.NEGATIVE
    assert ctx.sign(1 - p) == Sign.POSITIVE
    assert ctx.sign(p * (1 - p)) == Sign.POSITIVE
    # closed ends: only weak signs are claimed
    assert ctx.sign(1 - e) == Sign.NONNEGATIVE
    assert ctx.sign(e * (1 - e)) == Sign.NONNEGATIVE
    assert ctx.sign(1 + e) == Sign.POSITIVE
    assert ctx.sign(x**2) == Sign.NONNEGATIVE
    assert ctx.sign(a - c) == Sign.UNKNOWN
    assert ctx.sign(x) == Sign.UNKNOWN


def test_relations_are_used(syms):
    a, c, p, e, x = syms
    ctx = gg.Assumptions((a > c,))
    assert ctx.sign(a - c) == Sign.POSITIVE
    assert ctx.sign((a - c) ** 2 * p) == Sign.POSITIVE
    assert ctx.decide(a < c) is False
    assert ctx.decide(a / 2 - c / 2 > 0) is True
    assert ctx.decide(a > 2 * c) is None


def test_upper_relation_keeps_positivity(syms):
    a, c, *_ = syms
    ctx = gg.Assumptions((c < a,))
    assert ctx.sign(c) == Sign.POSITIVE
    assert ctx.sign(a - c) == Sign.POSITIVE


def test_clean_writes_readable_inequalities():
    m, D, cc, F = gg.parameters("m D cc Fbar", positive=True)
    p = gg.parameters("p", domain="(0, 1)")
    ctx = gg.Assumptions()
    cleaned = ctx.clean(m * p * D / (cc * F) < 1)
    assert cleaned == (cc * F > D * m * p)
    assert ctx.clean(sp.And(m > 0, p < 1)) is sp.true


def test_contradictory_assumptions_are_rejected():
    a = gg.parameters("a", positive=True)
    p = gg.parameters("p", domain="(0, 1)")
    with pytest.raises(gg.InvalidSpecError, match="evaluated to False"):
        gg.Assumptions((a < 0,))
    with pytest.raises(gg.InvalidSpecError, match="contradicts the domains"):
        gg.Assumptions((p > 2,))
    with pytest.raises(gg.InvalidSpecError, match="not an inequality"):
        gg.Assumptions(("a > c",))


def test_weak_relations_allow_equality():
    # a >= c admits a = c: only a weak sign may be claimed (soundness)
    a, c = gg.parameters("a c", positive=True)
    ctx = gg.Assumptions((a >= c,))
    assert ctx.sign(a - c) == Sign.NONNEGATIVE
    assert ctx.decide(a > c) is None
    assert gg.Assumptions((c <= a,)).sign(a - c) == Sign.NONNEGATIVE


def test_weak_pair_becomes_an_equation_and_meets_the_other_conditions():
    D, p, Delta, Fbar, c, m = gg.parameters("D p Delta Fbar c m", positive=True)
    ctx = gg.Assumptions()
    # x >= y and x <= y is x = y
    joined = ctx.clean((D * p >= Delta + Fbar) & (D * p <= Delta + Fbar))
    assert isinstance(joined, sp.Eq)
    assert sp.expand(joined.lhs - joined.rhs) in (D * p - Delta - Fbar, Delta + Fbar - D * p)
    # PR's boundary case: on D p = Delta + Fbar the third condition reads 0 >= D^2 m p^2, which fails
    empty = (
        (D * p >= Delta + Fbar)
        & (sp.Eq(D * p, Delta + Fbar) | (D * p <= Delta + Fbar))
        & (D * Fbar * c * p >= D**2 * m * p**2 + Delta * Fbar * c + Fbar**2 * c)
    )
    assert ctx.clean(empty) is sp.false
    # an equation that the rest allows is kept, and what it implies is dropped
    kept = ctx.clean(sp.Eq(D, 2 * c) & (c < D))
    assert isinstance(kept, sp.Eq) and sp.expand(kept.lhs - kept.rhs) in (D - 2 * c, 2 * c - D)
    # the equation must respect the solved symbol's own domain: D = -c is impossible for D > 0
    assert ctx.clean(sp.Eq(D + c, 0)) is sp.false


def test_scaled_implication_and_contradiction():
    D, p, Delta, Fbar, c, m = gg.parameters("D p Delta Fbar c m", positive=True)
    ctx = gg.Assumptions()
    # Fbar c (D p - Delta) > D^2 m p^2 implies D p > Delta (divide by Fbar c): the weaker atom goes
    strong = D * Fbar * c * p > D**2 * m * p**2 + Delta * Fbar * c
    assert ctx.clean(strong & (Delta <= D * p)) == strong
    # ... and contradicts 2 D Fbar c p <= D^2 m p^2 + 2 Delta Fbar c (twice the first, minus D^2 m p^2 < 0)
    assert ctx.clean(strong & (D**2 * m * p**2 + 2 * Delta * Fbar * c >= 2 * D * Fbar * c * p)) is sp.false
    # PR's empty corner: Fbar c (D p - Delta - Fbar) >= D^2 m p^2 forces D p > Delta + Fbar
    assert (
        ctx.clean((Delta + Fbar >= D * p) & (D * Fbar * c * p >= D**2 * m * p**2 + Delta * Fbar * c + Fbar**2 * c))
        is sp.false
    )


def test_pr_regions_are_stated_simply():
    # DOMAIN.md, model PR: without a credible relocation threat (Delta > p D) the MSE does not prevent.
    pr = gg.models.prevention_relocation()
    D, p, Delta = (pr.symbol(n) for n in ("D", "p", "Delta"))
    regions = {eq.case: eq.conditions for eq in pr.solve()}
    assert regions["e = 0; then Pr(lead firm: relocate) = 0"] == (Delta > D * p)
    assert len(regions) == 4
