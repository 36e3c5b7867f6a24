"""Entry/exit and relocation hysteresis bands (Dixit 1989; Dixit-Pindyck ch. 7).

The band is checked against an independent numeric solution: the coupled value functions of
the idle and the active firm solved by finite differences on a log-price grid with policy
iteration (Howard's algorithm) on the two obstacle problems, which knows nothing of value
matching, smooth pasting or the x^beta solutions.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse import linalg as splinalg

import gvcgames as gg
from gvcgames.errors import InvalidValuesError
from gvcgames.options import (
    EntryExitBand,
    InfiniteOptionValueError,
    RelocationBand,
    entry_exit_thresholds,
    relocation_band,
    switching_band,
)


def finite_difference_band(r, mu, sigma, cost, entry_cost, exit_cost, *, lo=1e-3, hi=1e3, n=1600):
    """Solve max(L V0 - r V0, V1 - I - V0) = 0 and max(L V1 - r V1 + P - C, V0 - E - V1) = 0 on a grid.

    Returns the grid, both value functions and the (entry, exit) thresholds read off the policy.
    """
    y = np.linspace(math.log(lo), math.log(hi), n)
    price = np.exp(y)
    h = y[1] - y[0]
    nu = mu - sigma**2 / 2
    down, mid, up = (
        sigma**2 / (2 * h * h) - nu / (2 * h),
        -(sigma**2) / (h * h) - r,
        sigma**2 / (2 * h * h) + nu / (2 * h),
    )
    flow = [np.zeros(n), price - cost]
    switch_cost = [entry_cost, exit_cost]
    switch = np.zeros((2, n), bool)
    # Far boundaries: an idle firm enters at the top, an active firm exits at the bottom.
    switch[0, -1] = switch[1, 0] = True
    for _ in range(100):
        rows, cols, vals = [], [], []
        rhs = np.zeros(2 * n)
        for regime in (0, 1):
            other = 1 - regime
            for j in range(n):
                row = regime * n + j
                if switch[regime, j]:
                    rows += [row, row]
                    cols += [row, other * n + j]
                    vals += [1.0, -1.0]
                    rhs[row] = -switch_cost[regime]
                elif j in (0, n - 1):  # continuation at a far boundary: the known asymptote
                    rows.append(row)
                    cols.append(row)
                    vals.append(1.0)
                    rhs[row] = 0.0 if regime == 0 else price[j] / (r - mu) - cost / r
                else:
                    rows += [row, row, row]
                    cols += [row - 1, row, row + 1]
                    vals += [down, mid, up]
                    rhs[row] = -flow[regime][j]
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(2 * n, 2 * n))
        values = splinalg.spsolve(matrix, rhs).reshape(2, n)
        new = switch.copy()
        for regime in (0, 1):
            v, w = values[regime], values[1 - regime]
            cont = np.full(n, -np.inf)
            cont[1:-1] = down * v[:-2] + mid * v[1:-1] + up * v[2:] + flow[regime][1:-1]
            gain = w - switch_cost[regime] - v
            new[regime, 1:-1] = gain[1:-1] > cont[1:-1]
        if np.array_equal(new, switch):
            break
        switch = new
    entry = price[np.argmax(switch[0])]  # smallest price where the idle firm enters
    exit_ = price[n - 1 - np.argmax(switch[1][::-1])]  # largest price where the active firm exits
    return price, values, entry, exit_, h


@pytest.mark.parametrize(
    ("r", "mu", "sigma", "cost", "entry_cost", "exit_cost"),
    [
        (0.04, 0.0, 0.2, 1.0, 10.0, 5.0),
        (0.06, 0.02, 0.35, 2.0, 20.0, -4.0),  # negative exit cost: a salvage value
        (0.05, -0.02, 0.15, 1.0, 5.0, 2.0),
    ],
)
def test_band_agrees_with_finite_differences(r, mu, sigma, cost, entry_cost, exit_cost):
    band = entry_exit_thresholds(r=r, mu=mu, sigma=sigma, C=cost, I=entry_cost, E=exit_cost)
    price, values, entry, exit_, h = finite_difference_band(r, mu, sigma, cost, entry_cost, exit_cost)
    # Thresholds agree to the grid resolution (log spacing h).
    assert abs(math.log(entry / band.entry)) <= 2 * h
    assert abs(math.log(exit_ / band.exit)) <= 2 * h
    # Value functions agree across the band and beyond.
    for regime in (0, 1):
        for p in np.geomspace(band.exit / 3, band.entry * 3, 9):
            j = int(np.argmin(abs(price - p)))
            exact = band.value(price[j], regime)
            scale = max(1.0, abs(exact), entry_cost)
            assert values[regime, j] == pytest.approx(exact, abs=2e-3 * scale)


def test_value_matching_and_smooth_pasting_hold_at_both_thresholds():
    band = entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=5.0)
    eps = 1e-6

    def slope(p, regime):
        return (band.value(p * (1 + eps), regime) - band.value(p * (1 - eps), regime)) / (2 * p * eps)

    # Value matching: V0(P_H) = V1(P_H) - I and V1(P_L) = V0(P_L) - E (using the formulas on both sides).
    ph, pl = band.entry, band.exit
    v0 = lambda p: band.A * p**band.beta1  # noqa: E731
    v1 = lambda p: band.B * p**band.beta2 + p / 0.04 - 1.0 / 0.04  # noqa: E731
    assert v0(ph) == pytest.approx(v1(ph) - 10.0, rel=1e-10)
    assert v1(pl) == pytest.approx(v0(pl) - 5.0, rel=1e-10)
    # Smooth pasting: the two value functions touch with equal slopes.
    assert band.beta1 * v0(ph) / ph == pytest.approx(band.beta2 * band.B * ph**band.beta2 / ph + 1 / 0.04, rel=1e-10)
    # ... and the value of each regime, with optimal switching, is continuous and smooth through them.
    assert slope(ph * 0.999, "idle") == pytest.approx(slope(ph * 1.001, "idle"), rel=2e-2)
    assert band.residual < 1e-10 and band.converged


def test_textbook_flavour_numbers_and_display():
    # r = 0.04, mu = 0, sigma = 0.2 gives beta1 = 2, beta2 = -1 (Q(b) = 0.02 (b - 2)(b + 1)).
    band = entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=5.0)
    assert isinstance(band, EntryExitBand)
    assert (band.beta1, band.beta2) == (pytest.approx(2.0), pytest.approx(-1.0))
    assert band.entry == pytest.approx(2.598357894128, rel=1e-9)
    assert band.exit == pytest.approx(0.459321790513, rel=1e-9)
    # Marshallian thresholds C + r I and C - r E lie inside the band (Dixit 1989).
    assert band.breakeven_upper == pytest.approx(1.4) and band.breakeven_lower == pytest.approx(0.8)
    assert band.exit < band.breakeven_lower < band.breakeven_upper < band.entry
    text = str(band)
    assert text.startswith("Entry/exit band (Dixit 1989): entry = 2.59836, exit = 0.459322")
    kinds = [s.kind for s in band.derivation]
    assert kinds.count("value_matching") == 1 and kinds.count("smooth_pasting") == 1
    vm = band.derivation.of_kind("value_matching")[0].math
    assert len(vm) == 2 and all(isinstance(e, sp.Eq) for e in vm)
    assert "x_H" in band._repr_latex_() and "\\begin{align*}" in band.to_latex()


def test_never_exit_when_exit_costs_more_than_the_cost_it_saves():
    # E >= C/r: exiting never pays; entry is the one-sided trigger beta/(beta-1) (r - mu)(C/r + I) = 2 * 0.04 * 35.
    band = entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=30.0)
    assert not band.switches_back and band.exit == 0.0
    assert band.entry == pytest.approx(2 * 0.04 * 35)
    assert "never pays" in band.message
    assert band.width == math.inf


def test_relocation_band_maps_to_the_switching_problem():
    band = relocation_band(r=0.04, mu=0.0, sigma=0.2, I=10.0, return_cost=5.0, premium=1.0)
    same = switching_band(0.04, 0.0, 0.2, cost=1.0, up_cost=10.0, down_cost=5.0)
    assert isinstance(band, RelocationBand)
    assert band.relocate == pytest.approx(same.upper) and band.come_back == pytest.approx(same.lower)
    # Prevention e scales the disruption flow by (1 - e): thresholds in x scale by 1/(1 - e).
    half = relocation_band(r=0.04, mu=0.0, sigma=0.2, I=10.0, return_cost=5.0, premium=1.0, prevention=0.5)
    assert half.relocate == pytest.approx(2 * band.relocate, rel=1e-9)
    assert half.come_back == pytest.approx(2 * band.come_back, rel=1e-9)
    assert "relocate" in str(band) and "come back" in str(band)


def test_band_shrinks_to_the_one_way_trigger_when_return_is_prohibitive():
    # A huge return cost makes relocation irreversible: the DOMAIN.md RO trigger.
    band = relocation_band(r=0.04, mu=0.0, sigma=0.2, I=10.0, return_cost=1e6, premium=0.2)
    one_way = gg.options.relocation_trigger(r=0.04, mu=0.0, sigma=0.2, I=10.0, premium=0.2)
    assert band.relocate == pytest.approx(one_way.trigger, rel=1e-12)


@settings(max_examples=12, deadline=None)
@given(
    r=st.floats(0.02, 0.15),
    gap=st.floats(0.01, 0.15),
    sigma=st.floats(0.05, 0.6),
    cost=st.floats(0.1, 5.0),
    entry_cost=st.floats(0.5, 40.0),
    exit_share=st.floats(-0.8, 0.95),
)
def test_band_properties(r, gap, sigma, cost, entry_cost, exit_share):
    mu = r - gap
    exit_cost = exit_share * min(entry_cost, cost / r)  # keeps I + E > 0 and exit worthwhile
    band = entry_exit_thresholds(r=r, mu=mu, sigma=sigma, C=cost, I=entry_cost, E=exit_cost)
    assert band.converged and band.residual < 1e-8
    assert band.switches_back
    assert 0 < band.exit < band.entry
    assert band.exit < cost - r * exit_cost and band.entry > cost + r * entry_cost
    wider = entry_exit_thresholds(r=r, mu=mu, sigma=sigma * 1.3, C=cost, I=entry_cost, E=exit_cost)
    assert wider.entry > band.entry and wider.exit < band.exit


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sigma": 0.0}, InvalidValuesError, "volatility sigma must be positive, got sigma = 0"),
        ({"mu": 0.05}, InfiniteOptionValueError, r"infinite: .*mu = 0.05, not below the discount rate r = 0.04"),
        ({"C": -1.0}, InvalidValuesError, "cost flow C must be nonnegative, got C = -1"),
        ({"I": -1.0}, InvalidValuesError, "sunk cost I must be nonnegative, got I = -1"),
        ({"E": -10.0}, InvalidValuesError, r"I \+ E must be positive, got 10 \+ -10 = 0; .*money"),
        ({"r": 0.0}, InvalidValuesError, "discount rate r must be positive, got r = 0"),
        ({"C": float("inf")}, InvalidValuesError, "C must be finite"),
        ({"C": 0.0, "I": 0.0}, InvalidValuesError, r"no cost flow \(C = 0\) and no cost of switching up \(I = 0\)"),
    ],
)
def test_entry_exit_bad_input(kwargs, error, match):
    args = {"r": 0.04, "mu": 0.0, "sigma": 0.2, "C": 1.0, "I": 10.0, "E": 5.0, **kwargs}
    with pytest.raises(error, match=match):
        entry_exit_thresholds(**args)


def test_symbolic_input_needs_numbers():
    c = gg.parameters("C", positive=True)
    with pytest.raises(InvalidValuesError, match="no closed form, so numbers are needed; C is symbolic"):
        entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=c, I=10.0, E=5.0)


def test_relocation_band_bad_input():
    with pytest.raises(InvalidValuesError, match=r"prevention e must be in \[0, 1\), got e = 1"):
        relocation_band(r=0.04, mu=0.0, sigma=0.2, I=10.0, return_cost=5.0, premium=1.0, prevention=1.0)
    with pytest.raises(InvalidValuesError, match="cost flow premium must be nonnegative"):
        relocation_band(r=0.04, mu=0.0, sigma=0.2, I=10.0, return_cost=5.0, premium=-1.0)
