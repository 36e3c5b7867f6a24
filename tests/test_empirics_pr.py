"""Empirics on the PR model: calibration to published figures (ILLUSTRATION), SMM, sign tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import gvcgames as gg
from gvcgames.empirics import (
    ClosedFormMoments,
    MomentSet,
    SignTestError,
    SimulatedMoments,
    adjust_pvalues,
    estimate,
    lognormal,
    sign_tests,
)
from gvcgames.empirics.illustration import PR_FIXED, pr_illustration_moments, pr_illustration_table
from gvcgames.statics import hypotheses

MOMENTS = {"relocation share": "Pr(lead firm: relocate)", "disruption incidence": "p"}


@pytest.fixture(scope="module")
def pr():
    game = gg.models.prevention_relocation()
    eq = next(e for e in game.solve() if e.case.startswith("e interior"))
    return game, eq


def test_illustration_calibration_to_published_figures(pr) -> None:
    """ILLUSTRATION: PR's relocation share and disruption incidence matched to ISTAT and Eurostat figures."""
    game, eq = pr
    table = pr_illustration_table()
    assert "ISTAT" in table.loc[0, "source"] and "Eurostat" in table.loc[1, "source"]
    data = pr_illustration_moments()
    mm = ClosedFormMoments.from_equilibrium(eq, MOMENTS, estimate=["p", "c"], fixed=PR_FIXED, bounds={"c": (0.01, 10)})
    res = estimate(mm, data)
    p_hat, c_hat = res.params
    # exactly identified: the fit is exact and c solves R* = (p D (1 - m p D/(c Fbar)) - Delta)/Fbar
    D, Fbar, Delta, m = (PR_FIXED[k] for k in ("D", "Fbar", "Delta", "m"))
    R = data.values[0]
    assert p_hat == pytest.approx(0.80, rel=1e-8)
    assert c_hat == pytest.approx(m * p_hat**2 * D**2 / (Fbar * (p_hat * D - Delta - R * Fbar)), rel=1e-7)
    np.testing.assert_allclose(res.fitted, data.values, rtol=1e-9)
    # the incidence moment is p itself, so p's standard error is that moment's
    assert res.se[0] == pytest.approx(0.02, rel=1e-6)
    assert res.region_holds is True and res.identification.full_rank
    values = {**PR_FIXED, "p": p_hat, "c": c_hat}
    assert eq.holds_at(values)
    assert gg.is_equilibrium(game, eq, values)
    assert 0 < eq.at(values)[next(iter(eq.strategies))] < 1


def test_simulated_heterogeneous_firms_pr(pr) -> None:
    """SMM: MSEs differ in their prevention cost c; the moment is the average relocation probability."""
    _, eq = pr
    c_sigma = gg.parameters("c_sigma", positive=True)
    R = eq.outcomes["Pr(lead firm: relocate)"]
    p = next(s for s in R.free_symbols if s.name == "p")
    c = next(s for s in R.free_symbols if s.name == "c")
    mm = SimulatedMoments(
        {"relocation share": R, "disruption incidence": p},
        estimate=[p, c],
        fixed={**PR_FIXED, c_sigma: 0.15},
        heterogeneity={c: lognormal("c_sigma")},
        n_sim=4000,
        seed=7,
        clip={"relocation share": (0.0, 1.0)},
        bounds={"c": (0.05, 5)},
    )
    data = pr_illustration_moments()
    # where prevention is cheap every firm's R* is clipped to 0: a flat region of the objective, so
    # start SMM at the closed-form (homogeneous firms) estimate
    closed = estimate(ClosedFormMoments.from_equilibrium(eq, MOMENTS, ["p", "c"], PR_FIXED), data)
    res = estimate(mm, data, start=closed.params, n_starts=1)
    assert res.method == "SMM"
    np.testing.assert_allclose(res.fitted, data.values, rtol=1e-7)
    S = 4000 / data.n_obs
    assert res.simulation_ratio == pytest.approx(S)
    assert res.se[0] == pytest.approx(np.sqrt(1 + 1 / S) * 0.02, rel=1e-5)
    # the simulated share is the firms' average of R* = (p D (1 - m p D/(c_i Fbar)) - Delta)/Fbar, clipped
    firms = mm.firm_parameters(res.params)
    c_i = firms["c"]
    assert c_i.shape == (4000,) and np.mean(c_i) == pytest.approx(res.params[1], rel=0.01)
    D, Fbar, Delta, m = (PR_FIXED[k] for k in ("D", "Fbar", "Delta", "m"))
    p_hat = res.params[0]
    by_hand = np.clip((p_hat * D * (1 - m * p_hat * D / (c_i * Fbar)) - Delta) / Fbar, 0, 1)
    assert res.fitted[0] == pytest.approx(by_hand.mean(), rel=1e-10)
    assert res.params[1] != pytest.approx(closed.params[1], rel=1e-3)  # heterogeneity matters


@pytest.fixture(scope="module")
def relocation_hypotheses(pr):
    _, eq = pr
    return hypotheses(eq, outcomes=["Pr(lead firm: relocate)"], wrt=["c", "m", "p"])


def test_sign_tests_against_reduced_form_estimates(relocation_hypotheses) -> None:
    """Hypothetical reduced-form estimates (labelled as such) against PR's predicted signs."""
    hs = relocation_hypotheses
    assert [h.parameter.name for h in hs] == ["c", "m", "p"]
    calibrated = {**PR_FIXED, "p": 0.8, "c": 0.274}  # e* = 0.58 > 1/2 there: dR*/dp < 0
    estimates = pd.DataFrame(
        {
            "hypothesis": ["H1", "Pr(lead firm: relocate)|m", "H3"],
            "estimate": [0.5, 0.1, -0.9],
            "se": [0.2, 0.3, 0.3],
            "source": ["hypothetical"] * 3,
        }
    )
    table = sign_tests(hs, estimates, at=calibrated, correction="holm")
    frame = table.to_frame()
    assert frame["predicted"].tolist() == ["+", "-", "-"]
    assert frame["observed"].tolist() == ["+", "+", "-"]
    raw = [stats.norm.sf(0.5 / 0.2), stats.norm.cdf(0.1 / 0.3), stats.norm.cdf(-0.9 / 0.3)]
    np.testing.assert_allclose(frame["p"], raw)
    np.testing.assert_allclose(frame["p adj"], adjust_pvalues(raw, "holm"))
    assert frame["verdict"].tolist() == ["supported", "inconclusive", "supported"]
    assert "Sign tests" in str(table) and r"\toprule" in table.to_latex() and "<table" in table._repr_html_()

    # a conditional prediction without parameter values predicts no direction
    untested = sign_tests(hs, {"H3": (-0.9, 0.3)}).to_frame()
    assert untested.loc["H3", "verdict"] == "no prediction"
    # a significant opposite sign contradicts
    contra = sign_tests(hs, {"H1": (-1.0, 0.2)}).to_frame()
    assert contra.loc["H1", "verdict"] == "contradicted"


def test_sign_test_bad_input(relocation_hypotheses) -> None:
    with pytest.raises(SignTestError, match=r"estimate\(s\) \['H9'\] match no hypothesis"):
        sign_tests(relocation_hypotheses, {"H9": (1.0, 0.1)})
    with pytest.raises(SignTestError, match=r"unknown correction 'bonf'"):
        sign_tests(relocation_hypotheses, {"H1": (1.0, 0.1)}, correction="bonf")
    with pytest.raises(gg.InvalidValuesError, match=r"standard error of 'H1' must be positive"):
        sign_tests(relocation_hypotheses, {"H1": (1.0, 0.0)})
    with pytest.raises(gg.InvalidValuesError, match=r"'H1' is NaN"):
        sign_tests(relocation_hypotheses, {"H1": (np.nan, 0.1)})


def test_multiple_testing_corrections_by_brute_force() -> None:
    rng = np.random.default_rng(4)
    p = rng.random(7) ** 2
    m = p.size
    holm = adjust_pvalues(p, "holm")
    bh = adjust_pvalues(p, "bh")
    order = np.argsort(p)
    for rank, i in enumerate(order):
        expect_holm = max(min(1.0, (m - r) * p[order[r]]) for r in range(rank + 1))
        expect_bh = min(min(1.0, m / (r + 1) * p[order[r]]) for r in range(rank, m))
        assert holm[i] == pytest.approx(expect_holm)
        assert bh[i] == pytest.approx(expect_bh)
    assert (bh <= holm + 1e-12).all()


@pytest.mark.slow
@settings(max_examples=8)
@given(p=st.floats(0.4, 0.95), e_target=st.floats(0.1, 0.9))
def test_property_exact_moments_recover_pr_parameters(pr, p: float, e_target: float) -> None:
    """Moments generated at admissible interior (p, c) are matched exactly and give back (p, c)."""
    game, eq = pr
    c = PR_FIXED["m"] * p * PR_FIXED["D"] / (e_target * PR_FIXED["Fbar"])  # e* = e_target
    truth = {**PR_FIXED, "p": p, "c": c}
    assume(eq.holds_at(truth))
    mm = ClosedFormMoments.from_equilibrium(
        eq, {**MOMENTS, "mean prevention": "e"}, ["p", "c"], PR_FIXED, bounds={"c": (1e-3, 50)}
    )
    values = mm([p, c])
    data = pd.DataFrame({"name": list(mm.names), "value": values, "se": 0.01 + 0.05 * np.abs(values)})
    res = estimate(mm, MomentSet.from_frame(data), start=[0.5, 1.0])
    np.testing.assert_allclose(res.params, [p, c], rtol=1e-5)
    assert res.jtest.statistic == pytest.approx(0.0, abs=1e-8)
    at_estimate = {**PR_FIXED, "p": res.params[0], "c": res.params[1]}
    assert gg.is_equilibrium(game, eq, at_estimate)
