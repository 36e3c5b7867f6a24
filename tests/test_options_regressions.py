"""Regression tests of the options audit: each failed before its fix.

1. symbolic stopping conditions decided with beta's value and range (no negative GBM trigger);
2. a payoff that falls in the stopping direction: no false "stop at once";
3. no raw exceptions at extreme volatility (bands, preemption);
4. the smooth-pasting check scales with beta (tiny volatility);
5. conditions that were missing (e < 1; x0 < x* in first passages);
10. bands and the preemption duopoly refuse a hazard explicitly.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.errors import GvcgamesError, InvalidSpecError
from gvcgames.options import (
    GBM,
    TriggerNotFoundError,
    entry_exit_thresholds,
    expected_discount_factor,
    investment_trigger,
    optimal_stopping,
    preemption_duopoly,
    relocation_band,
    relocation_trigger,
    switching_band,
)
from gvcgames.options.verification import verify_trigger

x = sp.Symbol("x", positive=True)
a = sp.Symbol("a", positive=True)


# --- 1. symbolic stopping: conditions decided with beta's value ------------------------------------


def test_a_payoff_that_never_pays_has_no_trigger_even_with_symbols():
    res = optimal_stopping(-x - a, x, GBM(0, 0.2), 0.04)
    assert not res.has_trigger and res.policy == "never" and res.converged
    assert "never positive" in res.message
    assert res.option_value(1.0) == 0.0
    # every candidate of smooth pasting was rejected, and it says so
    assert res.derivation.of_kind("rejected")


def test_symbolic_trigger_conditions_use_the_value_of_beta():
    # x - a with a of unknown sign: x* = 2a (beta = 2) requires a > 0, and nothing about beta.
    a_real = sp.Symbol("a", real=True)
    res = optimal_stopping(x - a_real, x, GBM(0, 0.2), 0.04)
    assert sp.simplify(res.trigger - 2 * a_real) == 0
    assert res.conditions == (a_real > 0)
    assert "beta" not in str(res.conditions)
    # decided from beta's range when beta is symbolic: the DP trigger needs nothing more
    r, sigma, cost = gg.parameters("r sigma I", positive=True)
    assert optimal_stopping(x - cost, x, GBM(0, sigma), r).conditions == sp.true


def test_a_falling_payoff_with_symbols_points_to_the_lower_trigger():
    res = optimal_stopping(a - x, x, GBM(0, 0.2), 0.04)
    assert res.policy == "unsupported" and not res.converged and not res.has_trigger
    assert res.alternative is not None and res.alternative.direction == "down"
    # beta_2 = -1: x* = a beta_2/(beta_2 - 1) = a/2
    assert float((res.alternative.trigger / a).subs(a, 1)) == pytest.approx(0.5, rel=1e-12)
    assert "falls to x* = " in res.message and "direction='down'" in res.message
    with pytest.raises(TriggerNotFoundError, match="no single-trigger policy"):
        res.option_value(1.0)


# --- 2. decreasing payoff with direction="up" -------------------------------------------------------


@pytest.mark.parametrize("level", [1.0, 2.0])
def test_a_falling_payoff_is_not_stopped_at_once(level):
    res = optimal_stopping(level - x, x, GBM(0, 0.2), 0.04)
    assert res.policy == "unsupported" and not res.converged
    assert "stopping at once is optimal" not in res.message
    # the correct policy: stop when x falls to beta_2/(beta_2 - 1) * level = level/2 (a put)
    assert res.alternative.trigger == pytest.approx(level / 2)
    assert res.alternative.converged
    assert res.alternative.option_value(2.0 * level) == pytest.approx(level / 2 * 0.5 * 0.5)
    with pytest.raises(TriggerNotFoundError):
        res.option_value(2.0)
    with pytest.raises(TriggerNotFoundError):
        res.discount_factor(0.5)


def test_stop_at_once_is_verified_not_assumed():
    # x + 1: positive and (L - r) g = -r (x + 1) < 0 everywhere: stopping at once is optimal.
    res = optimal_stopping(x + 1, x, GBM(0.0, 0.2), 0.04)
    assert res.policy == "at once" and res.converged
    assert res.option_value(2.0) == pytest.approx(3.0)
    # 1.5 + sin(3x): positive everywhere and g/x**beta is largest at the near end, but where g is
    # convex enough waiting a moment pays ((L - r) g > 0), so "stop at once" would be wrong.
    res = optimal_stopping(1.5 + sp.sin(3 * x), x, GBM(0.0, 0.2), 0.04)
    assert res.policy == "unsupported" and not res.converged
    assert "not a single trigger" in res.message


def test_option_values_are_never_wrong_for_falling_payoffs():
    # The value of an 'up' problem never falls below the payoff it could take at once, and an
    # unsupported shape raises instead of returning a number.
    for payoff in (1 - x, 2 - x, 3 - 2 * x):
        res = optimal_stopping(payoff, x, GBM(0.01, 0.3), 0.05)
        for v in (0.5, 2.0, 5.0):
            try:
                value = res.option_value(v)
            except TriggerNotFoundError:
                continue
            assert value >= max(float(payoff.subs(x, v)), 0.0) - 1e-12


# --- 4. tiny volatility -----------------------------------------------------------------------------


@pytest.mark.parametrize("sigma", [1e-9, 1e-7, 1e-5])
def test_tiny_volatility_converges(sigma):
    res = investment_trigger(r=0.04, delta=0.04, sigma=sigma, I=1.0)
    assert res.converged, res.message
    assert res.trigger == pytest.approx(1.0, rel=1e-4)


def test_the_scaled_tolerance_still_rejects_a_wrong_trigger():
    res = investment_trigger(r=0.04, delta=0.04, sigma=1e-9, I=1.0)
    for wrong in (res.trigger * (1 + 1e-6), res.trigger * (1 - 1e-7)):
        ok, message, _ = verify_trigger(res.payoff, res.state, res.process, 0.04, res.hazard, "up", res.beta, wrong)
        assert not ok and "fails the optimality check" in message
    ok, _, _ = verify_trigger(res.payoff, res.state, res.process, 0.04, res.hazard, "up", res.beta, res.trigger)
    assert ok


# --- 5. missing conditions ----------------------------------------------------------------------------


def test_relocation_trigger_with_symbolic_prevention_states_e_below_one():
    e = gg.parameters("e", domain="[0, 1]")
    res = relocation_trigger(r=0.04, mu=0.0, sigma=0.2, I=10.0, premium=0.2, prevention=e)
    assert res.conditions is not sp.true
    assert res.conditions.subs(e, 1) is sp.false and res.conditions.subs(e, sp.Rational(1, 2)) is sp.true
    assert float(res.trigger.subs(e, 0.5)) == pytest.approx(2.4, rel=1e-12)


def test_symbolic_first_passage_has_both_branches():
    x0, xs = sp.symbols("x0 x_s", positive=True)
    fp = expected_discount_factor(x0, xs, GBM(0.03, 0.2), 0.04)
    for quantity in (fp.value, fp.expected_time):
        assert isinstance(quantity, sp.Piecewise)
        assert quantity.subs({x0: 2, xs: 1}) in (sp.Integer(1), sp.Integer(0))  # T = 0 beyond the trigger
    assert fp.value.subs({x0: 2, xs: 1}) == 1 and fp.expected_time.subs({x0: 2, xs: 1}) == 0
    assert float(fp.expected_time.subs({x0: 1, xs: math.e})) == pytest.approx(100.0)
    assert "x0 < x_s" in fp.message
    # decided cases keep the closed form
    fp = expected_discount_factor(x0, 2 * x0, GBM(0.03, 0.2), 0.04)
    assert isinstance(fp.value, float)


# --- 3. extreme volatility: bands and preemption ----------------------------------------------------


def _mp_band(band, r, mu, s, c, ku, kd):
    """Solve the four original conditions with mpmath (50 digits), independently of the kernel.

    The unknowns are x_H, x_L and A, B rescaled as a = A x_H^beta_1, b = B x_L^beta_2 (at tiny
    volatility A and B themselves span hundreds of orders of magnitude).
    """
    mpmath.mp.dps = 50
    b1, b2 = mpmath.mpf(band.beta1), mpmath.mpf(band.beta2)
    alpha, c_r = mpmath.mpf(s) / (r - mu), mpmath.mpf(c) / r

    def equations(aa, bb, zh, zl):
        big_a, big_b = aa / zh**b1, bb / zl**b2

        def v0(z):
            return big_a * z**b1

        def v1(z):
            return big_b * z**b2 + alpha * z - c_r

        def dv0(z):
            return b1 * big_a * z ** (b1 - 1)

        def dv1(z):
            return b2 * big_b * z ** (b2 - 1) + alpha

        return [v0(zh) - (v1(zh) - ku), zh * (dv0(zh) - dv1(zh)), v1(zl) - (v0(zl) - kd), zl * (dv1(zl) - dv0(zl))]

    start = (mpmath.mpf(band.option_up), mpmath.mpf(band.option_back), mpmath.mpf(band.upper), mpmath.mpf(band.lower))
    return mpmath.findroot(equations, start)


@pytest.mark.parametrize("sigma", [1e-4, 1e-3, 20.0, 50.0, 100.0])
@pytest.mark.parametrize(("cost", "entry", "exit_"), [(1.0, 10.0, 5.0), (2.0, 1.0, 1.0), (1.0, 10.0, -4.0)])
def test_bands_solve_at_extreme_volatility(sigma, cost, entry, exit_):
    band = entry_exit_thresholds(0.04, 0.0, sigma, cost, entry, exit_)
    assert band.converged and band.residual < 1e-9
    assert band.exit < band.breakeven_lower < band.breakeven_upper < band.entry
    exact = _mp_band(band, 0.04, 0.0, 1.0, cost, entry, exit_)
    assert float(exact[2]) == pytest.approx(band.entry, rel=1e-9)
    assert float(exact[3]) == pytest.approx(band.exit, rel=1e-9)
    # value matching at both thresholds, through the overflow-free value function
    assert band.value(band.entry, "idle") == pytest.approx(band.value(band.entry, "active") - entry, abs=1e-9)
    assert band.value(band.exit, "active") == pytest.approx(band.value(band.exit, "idle") - exit_, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    sigma=st.floats(1e-5, 200.0),
    r=st.floats(0.01, 0.2),
    mu_share=st.floats(-1.0, 0.9),
    cost=st.floats(0.0, 10.0),
    entry=st.floats(0.0, 50.0),
    exit_share=st.floats(-0.9, 0.99).filter(lambda v: abs(v) > 1e-3),
)
def test_bands_never_raise_raw_exceptions(sigma, r, mu_share, cost, entry, exit_share):
    mu = mu_share * r
    # exit costs from a salvage value (a share of the entry cost) to nearly c/r (exit never pays
    # beyond it); I + E stays away from 0, where the band collapses to a point
    exit_ = exit_share * (cost / r) if exit_share > 0 else exit_share * entry
    try:
        band = entry_exit_thresholds(r, mu, sigma, cost, entry, exit_)
    except GvcgamesError:
        return
    assert band.converged, band.message
    assert band.lower < band.upper and math.isfinite(band.upper)


@pytest.mark.parametrize("sigma", [1e-6, 1e-5, 1e-3, 5.0, 50.0])
def test_preemption_at_extreme_volatility(sigma):
    res = preemption_duopoly(0.04, 0.0, sigma, 10.0, 1.0, 0.5)
    assert res.converged, res.message
    assert res.preemption <= res.leader <= res.follower
    assert abs(res.leader_value(res.preemption) - res.follower_value(res.preemption)) <= 1e-9 * 10
    assert not any(math.isnan(v) for v in (res.preemption, res.leader, res.follower))


# --- 10. hazards where they are not modelled ----------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: entry_exit_thresholds(0.04, 0.0, 0.2, 1.0, 10.0, 5.0, hazard=0.1),
        lambda: switching_band(0.04, 0.0, 0.2, cost=1.0, up_cost=10.0, down_cost=5.0, hazard=0.1),
        lambda: relocation_band(0.04, 0.0, 0.2, 10.0, 5.0, 1.0, hazard=gg.options.PoissonHazard(0.1)),
        lambda: preemption_duopoly(0.04, 0.0, 0.2, 10.0, 1.0, 0.5, hazard=0.1),
    ],
)
def test_bands_and_preemption_refuse_a_hazard(call):
    with pytest.raises(InvalidSpecError, match=r"does not take a hazard .* single triggers only"):
        call()


def test_no_hazard_is_the_default_everywhere():
    assert entry_exit_thresholds(0.04, 0.0, 0.2, 1.0, 10.0, 5.0, hazard=None).converged
    assert preemption_duopoly(0.04, 0.0, 0.2, 10.0, 1.0, 0.5, hazard=0).converged
    assert np.isfinite(investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0, hazard=0.1).trigger)


@pytest.mark.parametrize(
    ("r", "mu", "sigma", "cost", "entry", "exit_"),
    [
        (0.2, 0.18, 200.0, 0.0, 5e-324, 0.0),  # costs at the smallest float: math domain error before
        (0.2, 0.18, 200.0, 5e-324, 5e-324, 1e-323),  # ZeroDivisionError before
        (0.2, 0.18, 200.0, 1.0, 1e-300, -9e-301),  # I + E negligible: the band collapses
        (0.2, 0.1, 200.0, 1e-300, 50.0, 2.5e-300),  # the solution failed its check, returned unconverged
    ],
)
def test_bands_beyond_double_precision_say_so(r, mu, sigma, cost, entry, exit_):
    # found by fuzzing hypothesis' edge floats; each one either raised a raw exception or handed back
    # thresholds that failed their own value-matching check
    with pytest.raises(GvcgamesError, match=r"floating-point|double precision|floating point"):
        entry_exit_thresholds(r, mu, sigma, cost, entry, exit_)
