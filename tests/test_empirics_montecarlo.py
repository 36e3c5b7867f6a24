"""Monte Carlo checks of the estimators: parameter recovery, CI coverage, J-test size (slow)."""

from __future__ import annotations

import numpy as np
import pytest

import gvcgames as gg
from gvcgames.empirics import ClosedFormMoments, FunctionMoments, MomentSet, SimulatedMoments, lognormal, recovery
from gvcgames.empirics.illustration import PR_FIXED, PR_MICRO_MOMENTS, simulate_pr_firms


@pytest.mark.slow
def test_j_test_size_near_nominal() -> None:
    """Correctly specified, overidentified (k = 4, p = 2): J rejects about 5% of the time at 5%."""
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    omega = np.diag([0.02, 0.03, 0.05, 0.04]) + 0.005
    mm = FunctionMoments(lambda t: A @ t, ["m0", "m1", "m2", "m3"], ["a", "b"])

    def simulate(theta: np.ndarray, rng: np.random.Generator) -> MomentSet:
        return MomentSet(mm.names, rng.multivariate_normal(A @ theta, omega), omega)

    res = recovery(mm, [1.0, 0.5], simulate, n_rep=400, seed=11, n_starts=1)
    assert res.failures == 0
    # binomial sd at 400 draws is 0.011: allow about 2.7 sd
    assert 0.02 <= res.j_rejection_rate <= 0.08, res.summary()
    coverage = res.covered.mean()
    assert ((coverage > 0.91) & (coverage < 0.99)).all(), res.summary()


@pytest.mark.slow
def test_smm_coverage_with_simulation_noise_and_exact_se_of_an_unsimulated_moment() -> None:
    """SMM with as much simulation noise as data noise in the simulated moment (fresh draws each replication).

    Ignoring the simulation noise would cover about 84%; the old wholesale (1 + 1/S) factor, with
    S = n_sim / n_obs = 500 / 2000, would inflate every SE by sqrt(5) and cover about 99.8%. The
    non-simulated moment's parameter must have exactly its data SE.
    """
    a, b, s = gg.parameters("a b s", positive=True)
    mm = SimulatedMoments({"mean outcome": a, "b": b}, [a, b], {s: 0.5}, heterogeneity={a: lognormal("s")}, n_sim=500)
    # Var(a_i) / n_sim = 4 (exp(0.25) - 1) / 500 = 0.0454^2: about the data's 0.05^2
    se = np.array([0.05, 0.05])

    def simulate(theta: np.ndarray, rng: np.random.Generator) -> MomentSet:
        return MomentSet(("mean outcome", "b"), rng.normal(theta, se), np.diag(se**2), n_obs=2000)

    res = recovery(mm, {"a": 2.0, "b": 0.5}, simulate, n_rep=400, seed=11, n_starts=1)
    assert res.reseeded and res.failures == 0 and len(res.errors) == 0
    table = res.table()
    # binomial sd of the coverage at 400 draws is 0.011
    assert 0.92 <= table.loc["a", "coverage 95%"] <= 0.98, res.summary()
    assert table.loc["a", "mean se"] / table.loc["a", "mc sd"] == pytest.approx(1.0, abs=0.12), res.summary()
    np.testing.assert_allclose(res.ses["b"], 0.05, rtol=1e-6)  # not simulated: exactly the data SE


@pytest.mark.slow
def test_general_j_test_size_with_identity_weighting() -> None:
    """Non-optimal weighting: the general J (Hansen 1982, Lemma 4.1) rejects about 5% at 5%."""
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    L = np.array([[0.2, 0, 0, 0], [0.05, 0.1, 0, 0], [0.0, 0.08, 0.3, 0], [0.1, 0, 0.05, 0.15]])
    omega = L @ L.T
    mm = FunctionMoments(lambda t: A @ t, ["m0", "m1", "m2", "m3"], ["a", "b"])

    def simulate(theta: np.ndarray, rng: np.random.Generator) -> MomentSet:
        return MomentSet(mm.names, rng.multivariate_normal(A @ theta, omega), omega)

    res = recovery(mm, [1.0, 0.5], simulate, n_rep=400, seed=12, n_starts=1, weighting="identity")
    assert res.failures == 0 and res.j_rejected.size == 400
    assert 0.02 <= res.j_rejection_rate <= 0.08, res.summary()
    coverage = res.covered.mean()
    assert ((coverage > 0.91) & (coverage < 0.99)).all(), res.summary()


@pytest.mark.slow
def test_pr_parameter_recovery_from_simulated_firms() -> None:
    """Simulate PR micro data at known (p, c), bootstrap the moments, estimate: small bias, CIs cover."""
    game = gg.models.prevention_relocation()
    eq = next(e for e in game.solve() if e.case.startswith("e interior"))
    mm = ClosedFormMoments.from_equilibrium(
        eq,
        {"relocation share": "Pr(lead firm: relocate)", "disruption incidence": "p", "mean prevention": "e"},
        estimate=["p", "c"],
        fixed=PR_FIXED,
        bounds={"c": (0.05, 5)},
    )
    truth = {"p": 0.7, "c": 0.3}

    def simulate(theta: np.ndarray, rng: np.random.Generator) -> MomentSet:
        firms = simulate_pr_firms(eq, {**PR_FIXED, "p": theta[0], "c": theta[1]}, 1500, rng)
        return MomentSet.from_micro(firms, PR_MICRO_MOMENTS, n_boot=100, seed=rng)

    res = recovery(mm, truth, simulate, n_rep=40, seed=3, n_starts=2)
    table = res.table()
    assert res.failures == 0
    # bias well inside the Monte Carlo noise of the mean, standard errors match the spread
    assert (table["bias"].abs() < 3 * table["mc sd"] / np.sqrt(40) + 1e-3).all(), res.summary()
    assert ((table["mean se"] / table["mc sd"]).between(0.7, 1.4)).all(), res.summary()
    assert (table["coverage 95%"] >= 0.85).all(), res.summary()
    assert res.j_rejected.size == 40
