"""gvcgames.testing on the catalogue: regions of PR and RG, conditional signs, PR's numeric comparison."""

import dataclasses
import time

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings

import gvcgames as gg
from gvcgames.testing import (
    RegionDraw,
    SkippedRegionWarning,
    assert_equilibrium,
    assert_sign,
    assert_symbolic_matches_numeric,
    regions,
)

PR = gg.models.prevention_relocation()
RELOCATE = "Pr(lead firm: relocate)"
E_BELOW_HALF = {"p": 0.5, "D": 10, "Delta": 1, "Fbar": 10, "m": 2, "c": 4}  # interior, e* = 1/4
E_ABOVE_HALF = {"p": 0.5, "D": 10, "Delta": 1, "Fbar": 10, "m": 6, "c": 4}  # interior, e* = 3/4
NOT_INTERIOR = {"p": 0.5, "D": 10, "Delta": 1, "Fbar": 10, "m": 2, "c": 0.5}  # e* would be 2: a corner
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def pr_solution():
    return PR.solve()


@pytest.fixture(scope="module")
def interior(pr_solution):
    return next(eq for eq in pr_solution if eq.case.startswith("e interior"))


def _in_domains(game, values):
    return all(p.domain.contains(values[p.name]) is sp.true for p in game.parameters)


def test_pr_regions_are_drawn_directly_in_every_regime(pr_solution):
    start = time.perf_counter()
    draws = regions(pr_solution)  # used to fail: 8 valid inputs after 30.58 s
    assert time.perf_counter() - start < 30
    seen = set()

    @settings(SLOW, max_examples=30)
    @given(draws)
    def check(drawn):
        eq, values = drawn
        assert eq.holds_at(values) is True and _in_domains(PR, values)
        seen.add(eq.case)

    check()
    assert len(seen) >= 3  # the regimes are drawn, not just the first one


def test_rg_mixed_region_is_drawn_without_filtering():
    rg = gg.models.reconfiguration()
    draws = regions(rg.mixed_equilibria())  # used to fail: 'filtering out a lot of inputs'

    @settings(SLOW, max_examples=30)
    @given(draws)
    def check(drawn):
        eq, values = drawn
        assert eq.holds_at(values) is True
        assert_equilibrium(rg, eq, values)

    check()


def test_regions_of_one_equilibrium_test_its_signs(interior):
    de_dp = gg.comparative_statics(interior, outcome="e", wrt="p")
    dR_dp = gg.comparative_statics(interior, outcome=RELOCATE, wrt="p")
    assert de_dp.certificate == "proved" and dR_dp.certificate == "conditional"

    @settings(SLOW, max_examples=15)
    @given(regions(interior))  # the notebook's check: every draw is interior, none is 'e = 0; R = 0'
    def check(drawn):
        eq, values = drawn
        assert eq is interior and interior.holds_at(values) is True
        assert_sign(de_dp, values)
        assert_sign(dR_dp, values)  # conditional: the sign whose condition holds at the draw

    check()


def test_assert_sign_checks_a_conditional_result_against_the_condition_that_holds(interior):
    dR_dp = gg.comparative_statics(interior, outcome=RELOCATE, wrt="p")
    assert isinstance(dR_dp, gg.statics.StaticsResult) and dR_dp.sign == gg.Sign.UNKNOWN
    for values in (E_BELOW_HALF, E_ABOVE_HALF):
        assert interior.holds_at(values)
        assert_sign(dR_dp, values)  # used to fail: 'claims no definite sign (Sign.UNKNOWN)'
    assert dR_dp.at(E_BELOW_HALF) > 0 > dR_dp.at(E_ABOVE_HALF)
    pos, neg = gg.Sign.POSITIVE, gg.Sign.NEGATIVE
    swapped = dataclasses.replace(
        dR_dp, conditions={**dR_dp.conditions, pos: dR_dp.conditions[neg], neg: dR_dp.conditions[pos]}
    )
    with pytest.raises(
        AssertionError,
        match=r"claimed sign - where Fbar\*c > 2\*D\*m\*p \(the condition holds at this point\) \[conditional\] but the "
        r"derivative .* is 0.5 at \{'p': 0.5, 'D': 10, 'Delta': 1, 'Fbar': 10, 'm': 2, 'c': 4\}",
    ):
        assert_sign(swapped, E_BELOW_HALF)


def test_assert_sign_says_when_the_point_is_outside_the_region(interior):
    de_dp = gg.comparative_statics(interior, outcome="e", wrt="p")
    assert interior.holds_at(NOT_INTERIOR) is False
    with pytest.raises(
        AssertionError, match=r"de\*/dp: the point \{.*'c': 0.5\} is outside the region where the result applies"
    ):
        assert_sign(de_dp, NOT_INTERIOR)


def test_measure_zero_and_empty_regions_are_skipped_with_a_warning(interior):
    D, Delta, Fbar, p = (PR.symbol(n) for n in ("D", "Delta", "Fbar", "p"))
    e = PR.symbol("e")
    knife_edge = gg.Equilibrium(
        {e: (D * p - Delta - Fbar) / (D * p)},
        {},
        sp.Eq(D * p, Delta + Fbar),
        "method",
        case="e = (D*p-Delta-Fbar)/(D*p)",
        game=PR,
    )
    two_sided = dataclasses.replace(
        knife_edge, conditions=(D * p >= Delta + Fbar) & (D * p <= Delta + Fbar), case="two-sided"
    )
    start = time.perf_counter()
    with pytest.warns(
        SkippedRegionWarning,
        match=r"skips 2 equilibria .*'e = \(D\*p-Delta-Fbar\)/\(D\*p\)': Eq\(D\*p, Delta \+ Fbar\) has measure zero"
        r" \| 'two-sided': the admissible set has measure zero: .* leave only D = \(Delta \+ Fbar\)/p",
    ):
        draws = regions([knife_edge, two_sided, interior])
    assert time.perf_counter() - start < 10  # used to hang

    @settings(SLOW, max_examples=5)
    @given(draws)
    def check(drawn):
        assert drawn.equilibrium is interior

    check()
    with (
        pytest.warns(SkippedRegionWarning),
        pytest.raises(gg.InvalidSpecError, match="no equilibrium has a region to draw from"),
    ):
        regions([knife_edge])


def test_region_draws_print_as_a_case_and_a_pasteable_dict(interior):
    drawn = RegionDraw(interior, dict(E_BELOW_HALF))
    eq, values = drawn  # still unpacks as (equilibrium, values)
    text = repr(drawn)
    assert text.startswith("RegionDraw(case='e interior") and "Equilibrium(" not in text
    assert text.endswith("values={'p': 0.5, 'D': 10, 'Delta': 1, 'Fbar': 10, 'm': 2, 'c': 4})")
    assert eval(text[text.index("values=") + 7 : -1]) == values


def test_pr_symbolic_matches_numeric_backward_induction(pr_solution, interior):
    @settings(SLOW, max_examples=4)
    @given(regions(pr_solution))
    def check(drawn):
        assert_symbolic_matches_numeric(*drawn)

    check()
    e = PR.symbol("e")
    doubled = dataclasses.replace(interior, strategies={e: 2 * interior["e"]})
    with pytest.raises(AssertionError, match=r"differs from numeric backward induction .*'e': \(0.5, 0.25"):
        assert_symbolic_matches_numeric(doubled, E_BELOW_HALF)
