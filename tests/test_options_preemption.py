"""Leader/follower investment duopoly with preemption (Dixit-Pindyck ch. 9; Huisman 2001)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.errors import InvalidValuesError
from gvcgames.options import InfiniteOptionValueError, preemption_duopoly


def beta_of(r, mu, sigma):
    """Positive root of sigma^2 b (b - 1)/2 + mu b - r = 0, typed independently."""
    return float(max(np.roots([sigma**2 / 2, mu - sigma**2 / 2, -r]).real))


def values(y, r, mu, sigma, cost, d1, d2):
    """Independent leader and follower values for y below the follower trigger."""
    b = beta_of(r, mu, sigma)
    yf = b / (b - 1) * (r - mu) * cost / d2
    follower = (d2 * yf / (r - mu) - cost) * (y / yf) ** b
    leader = d1 * y / (r - mu) - cost - (d1 - d2) * yf / (r - mu) * (y / yf) ** b
    return leader, follower, yf


def test_textbook_case():
    # r = 0.04, mu = 0, sigma = 0.2: beta = 2 (see test_options). Y_F = 2 * 0.04 * 10/0.5 = 1.6,
    # Y_L = 2 * 0.04 * 10/1 = 0.8. L - F = 25 Y - 10 - (12.5 * 1.6 + 10)(Y/1.6)^2 = 25 Y - 10 - 11.71875 Y^2,
    # whose smaller root is (25 - sqrt(625 - 468.75))/23.4375 = 0.5333...
    res = preemption_duopoly(r=0.04, mu=0.0, sigma=0.2, I=10.0, D1=1.0, D2=0.5)
    assert res.beta == pytest.approx(2.0)
    assert res.follower == pytest.approx(1.6)
    assert res.leader == pytest.approx(0.8)
    assert res.preemption == pytest.approx((25 - math.sqrt(625 - 468.75)) / 23.4375, rel=1e-12)
    assert res.converged
    assert res.leader_value(res.preemption) == pytest.approx(res.follower_value(res.preemption), abs=1e-9)
    # Beyond Y_F both are in and both values are D2 Y/(r - mu) - I.
    assert res.leader_value(3.0) == pytest.approx(0.5 * 3 / 0.04 - 10)
    assert res.follower_value(3.0) == pytest.approx(0.5 * 3 / 0.04 - 10)
    assert "leader invests when Y first reaches Y_P" in res.region(0.3)
    assert "one firm invests at once" in res.region(1.0)
    assert res.region(2.0) == "both firms invest at once"
    assert str(res).startswith("Preemption duopoly: Y_P = 0.533333, Y_L = 0.8, Y_F = 1.6")
    assert "Y_P" in res._repr_latex_()


@settings(max_examples=12, deadline=None)
@given(
    r=st.floats(0.02, 0.15),
    gap=st.floats(0.01, 0.15),
    sigma=st.floats(0.05, 0.6),
    cost=st.floats(0.5, 50.0),
    d1=st.floats(0.5, 3.0),
    share=st.floats(0.05, 0.95),
)
def test_preemption_properties(r, gap, sigma, cost, d1, share):
    mu, d2 = r - gap, share * d1
    res = preemption_duopoly(r=r, mu=mu, sigma=sigma, I=cost, D1=d1, D2=d2)
    b = beta_of(r, mu, sigma)
    assert res.follower == pytest.approx(b / (b - 1) * (r - mu) * cost / d2, rel=1e-9)
    assert res.leader == pytest.approx(b / (b - 1) * (r - mu) * cost / d1, rel=1e-9)
    assert 0 < res.preemption < res.leader < res.follower
    leader, follower, _ = values(res.preemption, r, mu, sigma, cost, d1, d2)
    assert leader == pytest.approx(follower, abs=1e-8 * cost)
    # Below Y_P the follower role is better, just above it leading is.
    below = values(0.99 * res.preemption, r, mu, sigma, cost, d1, d2)
    above = values(1.01 * res.preemption, r, mu, sigma, cost, d1, d2)
    assert below[0] < below[1] and above[0] > above[1]


def test_no_follower_trigger_when_duopoly_profit_is_zero():
    res = preemption_duopoly(r=0.04, mu=0.0, sigma=0.2, I=10.0, D1=1.0, D2=0.0)
    assert not res.has_follower_trigger and res.follower == math.inf
    assert res.preemption == pytest.approx(0.04 * 10 / 1.0)  # NPV zero: D1 Y/(r - mu) = I
    assert "no finite follower trigger" in res.message


def test_no_first_mover_advantage():
    res = preemption_duopoly(r=0.04, mu=0.0, sigma=0.2, I=10.0, D1=1.0, D2=1.0)
    assert res.preemption == pytest.approx(res.follower) == pytest.approx(res.leader)
    assert "no first-mover advantage" in res.message


def test_symbolic_follower_trigger():
    r, sigma, cost, d1, d2 = gg.parameters("r sigma I D1 D2", positive=True)
    res = preemption_duopoly(r=r, mu=0, sigma=sigma, I=cost, D1=d1, D2=d2)
    assert res.preemption is None and "needs numbers" in res.message
    point = {r: 0.04, sigma: 0.2, cost: 10.0, d1: 1.0, d2: 0.5}
    assert float(res.follower.subs(point)) == pytest.approx(1.6)
    assert res.conditions.canonical == (d2 <= d1).canonical
    with pytest.raises(InvalidValuesError, match="need numbers"):
        res.region(1.0)
    assert isinstance(res.leader_formula, sp.Expr)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sigma": -0.1}, InvalidValuesError, "volatility sigma must be positive, got sigma = -0.1"),
        ({"mu": 0.04}, InfiniteOptionValueError, r"infinite: Y grows at mu = 0.04, not below .*r > mu"),
        ({"I": 0.0}, InvalidValuesError, "sunk cost I must be positive, got I = 0"),
        ({"D2": 2.0}, InvalidValuesError, "D1 = 1 must be at least D2 = 2"),
        ({"D2": -0.5}, InvalidValuesError, "D2 must be nonnegative, got D2 = -0.5"),
        ({"D1": 0.0, "D2": 0.0}, InvalidValuesError, "D1 must be positive, got D1 = 0"),
    ],
)
def test_preemption_bad_input(kwargs, error, match):
    args = {"r": 0.04, "mu": 0.0, "sigma": 0.2, "I": 10.0, "D1": 1.0, "D2": 0.5, **kwargs}
    with pytest.raises(error, match=match):
        preemption_duopoly(**args)
