"""Empirics on the PR model: calibration to published figures (ILLUSTRATION), SMM, sign tests."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats

import gvcgames as gg
from gvcgames.empirics import (
    ClosedFormMoments,
    DataError,
    MomentSet,
    SignTestError,
    SimulatedMoments,
    adjust_pvalues,
    estimate,
    lognormal,
    sign_tests,
)
from gvcgames.empirics.illustration import (
    PR_FIXED,
    pr_illustration_moments,
    pr_illustration_table,
    published_figures,
    shared_figures_path,
)
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


def test_illustration_reads_the_published_figures_with_their_sources(tmp_path, monkeypatch) -> None:
    fig = published_figures()
    shared = shared_figures_path()
    packaged = pd.read_csv(
        resources.files("gvcgames.empirics").joinpath("data", "published_figures.csv"), dtype=str, keep_default_na=False
    )
    if shared is not None:  # in the project's tree: the figures come from shared/data, and the copy matches it
        assert fig["origin"].iloc[0] == str(shared)
        full = pd.read_csv(shared, dtype=str, keep_default_na=False)
        for _, row in packaged.iterrows():
            same = full[(full["statistic"] == row["statistic"]) & (full["period"] == row["period"])]
            assert (same == row).all(axis=1).any(), row["statistic"]
    assert {"source", "source_url", "seen_or_inferred", "notes"} <= set(fig.columns)
    table = pr_illustration_table()
    assert table["value"].tolist() == [0.033, 0.8]
    assert "agensir.it" in table.loc[0, "source_url"] and "eurostat" in table.loc[1, "source_url"]
    note = table.loc[0, "note"]
    assert "support functions" in note and "43.4%" in note and "core activity" in note
    assert "N = 700/0.033 = 21,212" in table.loc[0, "se_basis"]
    # without the shared file: the packaged copy, same numbers
    monkeypatch.setattr("gvcgames.empirics.illustration.shared_figures_path", lambda: None)
    copy = pr_illustration_table()
    assert copy[["name", "value", "se", "source_url"]].equals(table[["name", "value", "se", "source_url"]])
    assert "copy of shared/data" in copy.loc[0, "origin"]
    # an explicit file that lacks a figure is an error naming it
    packaged.iloc[:1].to_csv(tmp_path / "m.csv", index=False)  # the relocation share only
    with pytest.raises(DataError, match=r"lacks the figure\(s\) \['disruption incidence'"):
        published_figures(tmp_path / "m.csv")


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
        region=eq.conditions,
    )
    data = pr_illustration_moments()
    # where prevention is cheap every firm's R* is clipped to 0: a flat region of the objective, so
    # start SMM at the closed-form (homogeneous firms) estimate
    closed = estimate(ClosedFormMoments.from_equilibrium(eq, MOMENTS, ["p", "c"], PR_FIXED), data)
    res = estimate(mm, data, start=closed.params, n_starts=1)
    assert res.method == "SMM"
    np.testing.assert_allclose(res.fitted, data.values, rtol=1e-7)
    # the incidence moment is p itself, not simulated: p's standard error is that moment's, 0.02
    # (the old wholesale (1 + 1/S) factor gave 0.0502 here)
    assert res.se[0] == pytest.approx(0.02, rel=1e-6)
    # the simulated share is the firms' average of R* = (p D (1 - m p D/(c_i Fbar)) - Delta)/Fbar, clipped
    firms = mm.firm_parameters(res.params)
    c_i = firms["c"]
    assert c_i.shape == (4000,) and np.mean(c_i) == pytest.approx(res.params[1], rel=0.01)
    D, Fbar, Delta, m = (PR_FIXED[k] for k in ("D", "Fbar", "Delta", "m"))
    p_hat, c_hat = res.params
    mult = c_i / c_hat  # each firm's cost multiplier exp(sigma z_i - sigma^2/2), fixed by the seed

    def share(pp: float, cc: float) -> np.ndarray:
        return np.clip((pp * D * (1 - m * pp * D / (mult * cc * Fbar)) - Delta) / Fbar, 0, 1)

    by_hand = share(p_hat, c_hat)
    assert res.fitted[0] == pytest.approx(by_hand.mean(), rel=1e-10)
    assert res.params[1] != pytest.approx(closed.params[1], rel=1e-3)  # heterogeneity matters
    # simulation noise from the simulator: Var(R*_i)/n_sim for the share, exactly 0 for p
    sim_var = np.var(by_hand, ddof=1) / 4000
    assert res.simulation_cov[0, 0] == pytest.approx(sim_var, rel=1e-9)
    assert res.simulation_cov[1, 1] == 0.0
    # ... far below what Var(0/1 relocation)/n_sim would say: the firms' R* vary much less than a 0/1 outcome
    S = 4000 / data.n_obs
    assert data.cov[0, 0] / S > 10 * sim_var
    # c's standard error by hand, from the implicit function R(p, c) = m1, p = m2 (exactly identified)
    h = 1e-6
    R_c = (share(p_hat, c_hat + h).mean() - share(p_hat, c_hat - h).mean()) / (2 * h)
    R_p = (share(p_hat + h, c_hat).mean() - share(p_hat - h, c_hat).mean()) / (2 * h)
    var_c = (data.cov[0, 0] + sim_var + R_p**2 * data.cov[1, 1]) / R_c**2
    assert res.se[1] == pytest.approx(np.sqrt(var_c), rel=1e-4)
    # firms outside PR's interior region are counted: by hand, with the equilibrium's own check, on 60 firms
    by_eq = np.array([eq.holds_at({**PR_FIXED, "p": p_hat, "c": float(ci)}) for ci in c_i[:60]])
    assert not by_eq.all() and by_eq.any()  # some firms on each side at this dispersion
    np.testing.assert_array_equal(mm._region_values(res.params)[:60], by_eq)
    assert res.outside_region == mm.outside_region(res.params) > 0
    assert res.region_holds is False
    assert f"{res.outside_region} of 4000 simulated firms lie outside the equilibrium region" in res.message
    assert mm.reseed(7).outside_region(res.params) == res.outside_region  # same seed, same firms


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
    assert frame["in region"].tolist() == [True, True, True]
    assert "Sign tests" in str(table) and r"\toprule" in table.to_latex() and "<table" in table._repr_html_()
    assert "Observed" in table.to_latex()

    # a conditional prediction without parameter values predicts no direction
    untested = sign_tests(hs, {"H3": (-0.9, 0.3)}).to_frame()
    assert untested.loc["H3", "verdict"] == "no prediction"
    # a significant opposite sign contradicts
    contra = sign_tests(hs, {"H1": (-1.0, 0.2)}).to_frame()
    assert contra.loc["H1", "verdict"] == "contradicted"


def test_sign_tests_at_validation(relocation_hypotheses) -> None:
    hs = relocation_hypotheses
    calibrated = {**PR_FIXED, "p": 0.8, "c": 0.274}
    with pytest.raises(SignTestError, match=r"at= names unknown parameter\(s\) \['cc'\]; the hypotheses' parameters"):
        sign_tests(hs, {"H3": (-0.9, 0.3)}, at={**calibrated, "cc": 1.0})
    lacking = {k: v for k, v in calibrated.items() if k not in ("m", "Delta")}
    with pytest.raises(SignTestError, match=r"at= lacks value\(s\) for \['Delta', 'm'\]"):
        sign_tests(hs, {"H3": (-0.9, 0.3)}, at=lacking)
    # outside the interior region (prevention too cheap: e* >= 1) no prediction applies: flagged
    outside = {**PR_FIXED, "p": 0.8, "c": 0.1}
    frame = sign_tests(hs, {"H1": (0.5, 0.2), "H3": (-0.9, 0.3)}, at=outside).to_frame()
    assert frame["in region"].tolist() == [False, False]
    assert frame["verdict"].tolist() == ["outside region", "outside region"]
    assert frame["p adj"].isna().all()
    # the same estimates inside the region are supported
    inside = sign_tests(hs, {"H1": (0.5, 0.2), "H3": (-0.9, 0.3)}, at=calibrated).to_frame()
    assert inside["verdict"].tolist() == ["supported", "supported"]


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
