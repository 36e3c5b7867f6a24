"""Monte Carlo checks of the estimators: parameter recovery, CI coverage, J-test size (slow)."""

from __future__ import annotations

import numpy as np
import pytest

import gvcgames as gg
from gvcgames.empirics import ClosedFormMoments, FunctionMoments, MomentSet, recovery
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
