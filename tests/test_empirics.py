"""Empirics: moments, minimum distance / GMM / SMM estimation, inference, and bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.empirics import (
    ClosedFormMoments,
    ConvergenceError,
    CovarianceError,
    DataError,
    FunctionMoments,
    MomentError,
    MomentSet,
    SimulatedMoments,
    UnderIdentifiedError,
    WeakIdentificationWarning,
    estimate,
    gmm,
    lognormal,
)
from gvcgames.errors import GvcgamesError


def linear_model(A: np.ndarray) -> FunctionMoments:
    k, p = A.shape
    return FunctionMoments(lambda t: A @ t, [f"m{i}" for i in range(k)], [f"t{j}" for j in range(p)])


def gls(A: np.ndarray, omega: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Closed-form optimal minimum distance for linear moments: estimate, covariance, J."""
    Wi = np.linalg.inv(omega)
    cov = np.linalg.inv(A.T @ Wi @ A)
    theta = cov @ A.T @ Wi @ m
    g = m - A @ theta
    return theta, cov, float(g @ Wi @ g)


# --- the exact case ---------------------------------------------------------------------------


@pytest.mark.parametrize("weighting", ["optimal", "diagonal", "identity"])
def test_moments_equal_parameters_give_moment_standard_errors(weighting: str) -> None:
    a, b, c = gg.parameters("a b c", positive=True)
    cov = np.array([[0.04, 0.01, 0.0], [0.01, 0.09, 0.02], [0.0, 0.02, 0.25]])
    data = MomentSet(("ma", "mb", "mc"), [0.5, 1.5, 3.0], cov)
    res = estimate(ClosedFormMoments({"ma": a, "mb": b, "mc": c}, [a, b, c]), data, weighting=weighting)
    np.testing.assert_allclose(res.params, data.values, rtol=1e-7)
    np.testing.assert_allclose(res.cov, cov, rtol=1e-5, atol=1e-10)
    np.testing.assert_allclose(res.se, np.sqrt(np.diag(cov)), rtol=1e-5)
    # the estimate moves one for one with its own moment
    np.testing.assert_allclose(res.sensitivity, np.eye(3), atol=1e-6)
    assert not res.jtest.applicable and "exactly identified" in res.jtest.note


def test_linear_overidentified_matches_closed_form_gls() -> None:
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -2.0]])
    omega = np.diag([0.01, 0.02, 0.03, 0.05]) + 0.002
    m = np.array([1.05, 1.9, 3.2, -2.7])
    res = estimate(linear_model(A), MomentSet(tuple(f"m{i}" for i in range(4)), m, omega))
    theta, cov, J = gls(A, omega, m)
    np.testing.assert_allclose(res.params, theta, rtol=1e-6)
    np.testing.assert_allclose(res.cov, cov, rtol=1e-4)
    assert res.jtest.df == 2
    assert res.jtest.statistic == pytest.approx(J, rel=1e-5)
    # Andrews-Gentzkow-Shapiro sensitivity of a linear estimator is its exact linear map
    Wi = np.linalg.inv(omega)
    np.testing.assert_allclose(res.sensitivity, cov @ A.T @ Wi, rtol=1e-4, atol=1e-8)


def test_non_optimal_weighting_uses_the_sandwich() -> None:
    A = np.array([[1.0], [2.0], [0.5]])
    omega = np.diag([0.01, 0.04, 0.09])
    m = np.array([1.0, 2.1, 0.4])
    res = estimate(linear_model(A), MomentSet(("m0", "m1", "m2"), m, omega), weighting="identity")
    np.testing.assert_allclose(res.params, np.linalg.lstsq(A, m, rcond=None)[0], rtol=1e-6)
    bread = np.linalg.inv(A.T @ A)
    np.testing.assert_allclose(res.cov, bread @ A.T @ omega @ A @ bread, rtol=1e-4)
    # the J-test is available for non-optimal weighting too (general form, Hansen 1982 Lemma 4.1)
    assert res.jtest.applicable and res.jtest.form == "general" and res.jtest.df == 2


@given(
    theta=st.lists(st.floats(-3, 3), min_size=2, max_size=2),
    noise=st.lists(st.floats(-1, 1), min_size=4, max_size=4),
    seed=st.integers(0, 10_000),
)
def test_property_optimal_md_is_gls(theta: list[float], noise: list[float], seed: int) -> None:
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(4, 2)) + np.array([[2, 0], [0, 2], [0, 0], [0, 0]])
    L = rng.normal(size=(4, 4)) * 0.1 + np.eye(4) * 0.3
    omega = L @ L.T
    m = A @ np.array(theta) + np.linalg.cholesky(omega) @ np.array(noise)
    with warnings.catch_warnings():  # a random A may be nearly collinear: the warning is then right
        warnings.simplefilter("ignore", WeakIdentificationWarning)
        res = estimate(linear_model(A), MomentSet(tuple(f"m{i}" for i in range(4)), m, omega), n_starts=2)
    est, cov, J = gls(A, omega, m)
    np.testing.assert_allclose(res.params, est, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(res.se, np.sqrt(np.diag(cov)), rtol=1e-3)
    assert res.jtest.statistic == pytest.approx(J, rel=1e-4, abs=1e-8)


# --- SMM ------------------------------------------------------------------------------------


def test_smm_adds_the_simulators_own_noise() -> None:
    a, b, s = gg.parameters("a b s", positive=True)
    mm = SimulatedMoments(
        {"mean a": a, "b": b}, estimate=[a, b], fixed={s: 0.5}, heterogeneity={a: lognormal("s")}, n_sim=500, seed=3
    )
    # common random numbers: the same theta gives the same moments, linear in a here
    kappa = mm([1.0, 1.0])[0]
    assert mm([2.0, 1.0])[0] == pytest.approx(2 * kappa)
    # no n_obs needed: the simulation noise comes from the simulated firms, not from a ratio
    data = MomentSet(("mean a", "b"), [3.0, 0.7], np.diag([0.09, 0.0025]))
    res = estimate(mm, data)
    assert res.method == "SMM"
    a_hat = res.params[0]
    assert a_hat == pytest.approx(3.0 / kappa, rel=1e-6)
    # by hand: each firm's a_i = a exp(s z_i - s^2/2); the simulated mean has variance Var(a_i)/n_sim
    a_i = mm.firm_parameters(res.params)["a"]
    sim_var = np.var(a_i, ddof=1) / 500
    assert res.simulation_cov[0, 0] == pytest.approx(sim_var, rel=1e-9)
    assert res.simulation_cov[1, 1] == 0.0 and res.simulation_cov[0, 1] == 0.0
    assert res.se[0] == pytest.approx(np.sqrt(0.09 + sim_var) / kappa, rel=1e-4)
    # b is not simulated: its standard error is its data standard error, not inflated
    assert res.se[1] == pytest.approx(0.05, rel=1e-6)
    assert "sim se" in res.moment_table().columns
    frame = mm.simulate([1.0, 1.0])
    assert frame.shape == (500, 2)


def test_simulated_function_moments_need_their_simulation_noise() -> None:
    mm = FunctionMoments(lambda t: [t[0]], ["m"], ["a"], n_sim=100)
    with pytest.raises(MomentError, match=r"simulated FunctionMoments \(n_sim=100\) needs simulation_cov="):
        estimate(mm, MomentSet(("m",), [1.0], [[0.01]]))
    given = FunctionMoments(lambda t: [t[0]], ["m"], ["a"], n_sim=100, simulation_cov=lambda t: [[0.03]])
    res = estimate(given, MomentSet(("m",), [1.0], [[0.01]]))
    assert res.se[0] == pytest.approx(0.2, rel=1e-5)  # sqrt(0.01 + 0.03)


# --- moments ----------------------------------------------------------------------------------


def test_moment_set_from_frame_and_csv(tmp_path) -> None:
    frame = pd.DataFrame(
        {"name": ["x", "y"], "value": [0.2, 0.7], "se": [0.01, 0.05], "source": ["survey A", "survey B"]}
    )
    ms = MomentSet.from_frame(frame)
    assert ms.names == ("x", "y") and ms.sources == ("survey A", "survey B")
    np.testing.assert_allclose(ms.cov, np.diag([1e-4, 25e-4]))
    frame.to_csv(tmp_path / "m.csv", index=False)
    cov = pd.DataFrame([[25e-4, 1e-4], [1e-4, 1e-4]], index=["y", "x"], columns=["y", "x"])
    cov.to_csv(tmp_path / "cov.csv")
    ms2 = MomentSet.from_csv(tmp_path / "m.csv", cov_path=tmp_path / "cov.csv")
    np.testing.assert_allclose(ms2.cov, [[1e-4, 1e-4], [1e-4, 25e-4]])  # aligned on names
    assert ms2.subset(["y"]).values.tolist() == [0.7]
    assert "survey A" in str(ms) and "<table" in ms._repr_html_()


def test_moment_set_from_micro_bootstrap_is_seeded_and_right() -> None:
    rng = np.random.default_rng(0)
    firms = pd.DataFrame({"relocated": rng.random(2000) < 0.1, "size": rng.lognormal(3, 1, 2000)})
    funs = {"share": lambda d: d["relocated"].mean(), "log size": lambda d: np.log(d["size"]).mean()}
    one = MomentSet.from_micro(firms, funs, n_boot=300, seed=5)
    two = MomentSet.from_micro(firms, funs, n_boot=300, seed=5)
    np.testing.assert_array_equal(one.cov, two.cov)
    share = firms["relocated"].mean()
    assert one.values[0] == pytest.approx(share)
    assert one.se[0] == pytest.approx(np.sqrt(share * (1 - share) / 2000), rel=0.15)
    assert one.se[1] == pytest.approx(np.log(firms["size"]).std() / np.sqrt(2000), rel=0.15)
    assert one.n_obs == 2000
    blocks = MomentSet.from_micro(firms, funs, n_boot=100, seed=5, block_length=12)
    assert blocks.cov.shape == (2, 2)


# --- GMM on micro data ------------------------------------------------------------------------


def test_two_step_gmm_overidentified() -> None:
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"y": rng.exponential(2.0, 4000)})

    # exponential with mean mu: E[y] = mu, E[y^2] = 2 mu^2, E[y^3] = 6 mu^3
    def cond(t: np.ndarray, d: pd.DataFrame) -> np.ndarray:
        y = d["y"].to_numpy()
        return np.column_stack([y - t[0], y**2 - 2 * t[0] ** 2, y**3 - 6 * t[0] ** 3])

    res = gmm(cond, df, ["mu"], bounds={"mu": (0.1, 10)}, moment_names=["m1", "m2", "m3"])
    assert res.method == "GMM" and res.weighting == "optimal (two-step)"
    assert abs(res.params[0] - 2.0) < 4 * res.se[0]
    assert res.jtest.df == 2 and 0 <= res.jtest.pvalue <= 1


# --- identification -------------------------------------------------------------------------


def test_rank_deficient_everywhere_is_said_before_optimising(monkeypatch) -> None:
    def no_optimiser(*args, **kwargs):
        raise AssertionError("the optimiser must not run")

    monkeypatch.setattr("gvcgames.empirics.optimise.optimize.minimize", no_optimiser)
    mm = FunctionMoments(lambda t: [t[0] + t[1], 2 * (t[0] + t[1])], ["m1", "m2"], ["a", "b"])
    data = MomentSet(("m1", "m2"), [1.0, 2.1], np.diag([0.01, 0.04]))
    with pytest.raises(UnderIdentifiedError, match=r"rank deficient at the start point .*parameters \['a', 'b'\]"):
        estimate(mm, data, n_starts=1)


def test_rank_deficient_at_the_estimate_only_is_reported_not_hidden() -> None:
    # m = (a, a b): full rank at the start, but at the estimate a = 0 the moments do not move with b
    mm = FunctionMoments(lambda t: [t[0], t[0] * t[1]], ["m1", "m2"], ["a", "b"])
    data = MomentSet(("m1", "m2"), [0.0, 0.0], np.diag([0.01, 0.01]))
    with pytest.warns(WeakIdentificationWarning, match=r"rank 1 of 2"):
        res = estimate(mm, data, n_starts=1)
    assert res.identification.rank == 1 and "b" in res.identification.weak
    assert np.isnan(res.se).all() and "rank deficient" in res.message
    latex = res.to_latex()
    assert "(nan)" not in latex and "nan" not in latex.lower()
    assert r"$b$ & " in latex and "& -- & --" in latex


def test_weakly_identified_parameter_is_named() -> None:
    mm = FunctionMoments(lambda t: [t[0], t[0] + 1e-6 * t[1], t[1] * 1e-6], ["m1", "m2", "m3"], ["a", "b"])
    data = MomentSet(("m1", "m2", "m3"), [1.0, 1.0, 1e-6], np.diag([0.01, 0.01, 0.01]))
    with pytest.warns(WeakIdentificationWarning):
        res = estimate(mm, data, n_starts=1, start=[1.0, 1.0])
    assert res.identification.weak == ("b",)
    assert res.identification.condition_number > 1e3


# --- display --------------------------------------------------------------------------------


def test_result_display_and_optimizer_output_kept() -> None:
    a, b = gg.parameters("a b", positive=True)
    mm = ClosedFormMoments({"x": a * b, "y": a + b, "z": a / b}, [a, b])
    data = MomentSet(("x", "y", "z"), [2.0, 3.1, 0.45], np.diag([0.01, 0.01, 0.004]))
    res = estimate(mm, data, n_starts=3)
    text = res.summary()
    for piece in ("minimum distance estimation", "moment fit", "J =", "identification: rank 2 of 2", "a", "b"):
        assert piece in text
    assert str(res) == text
    latex = res.to_latex(caption="Estimates", label="tab:est")
    for piece in (r"\toprule", r"\midrule", r"\bottomrule", r"\caption{Estimates}", "$J$"):
        assert piece in latex
    assert "<table" in res._repr_html_()
    np.testing.assert_array_equal(res.optimizer.x, res.params)
    assert len(res.runs) == 7  # step 1: 3 starts; step 2: the step-1 estimate and the 3 starts
    assert all(hasattr(r, "message") for r in res.runs)
    ci = res.conf_int()
    assert (ci["lower"] < res.params).all() and (res.params < ci["upper"]).all()
    assert res.sensitivity_frame(standardized=True).shape == (2, 3)


# --- bad input --------------------------------------------------------------------------------


def test_unknown_moment_names() -> None:
    a = gg.parameters("a", positive=True)
    mm = ClosedFormMoments({"share": a}, [a])
    with pytest.raises(MomentError, match=r"does not produce moment\(s\) \['incidence'\]; it produces \['share'\]"):
        estimate(mm, MomentSet(("share", "incidence"), [0.1, 0.2], np.eye(2) * 0.01))


def test_unknown_outcome_of_an_equilibrium() -> None:
    eq = gg.models.hold_up().solve().equilibria[0]
    with pytest.raises(MomentError, match=r"moment 'm': the model does not produce 'nonsense'; valid outcomes"):
        ClosedFormMoments.from_equilibrium(eq, {"m": "nonsense"}, ["w"])


def test_symbols_neither_estimated_nor_fixed() -> None:
    a, b = gg.parameters("a b", positive=True)
    with pytest.raises(MomentError, match=r"use parameter\(s\) \['b'\] that are neither estimated nor fixed"):
        ClosedFormMoments({"m": a * b}, [a])


def test_singular_and_non_psd_covariance() -> None:
    with pytest.raises(CovarianceError, match=r"singular .* moments \['x', 'y'\] are linearly dependent"):
        MomentSet(("x", "y"), [1.0, 2.0], [[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(CovarianceError, match=r"not positive semi-definite"):
        MomentSet(("x", "y"), [1.0, 2.0], [[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(CovarianceError, match=r"not symmetric"):
        MomentSet(("x", "y"), [1.0, 2.0], [[1.0, 0.5], [0.0, 1.0]])
    frame = pd.DataFrame({"name": ["x"], "value": [1.0], "se": [0.0]})
    with pytest.raises(CovarianceError, match=r"singular"):
        MomentSet.from_frame(frame)


def test_under_identified_is_said_before_optimising() -> None:
    def never(theta: np.ndarray) -> np.ndarray:
        raise AssertionError("the model must not be evaluated")

    mm = FunctionMoments(never, ["m1"], ["a", "b"])
    with pytest.raises(UnderIdentifiedError, match=r"under-identified: 1 moment\(s\) \['m1'\] for 2 parameters"):
        estimate(mm, MomentSet(("m1",), [1.0], [[0.1]]))


def test_nan_in_data() -> None:
    firms = pd.DataFrame({"relocated": [1.0, 0.0, np.nan, 1.0], "size": [1, 2, 3, 4]})
    with pytest.raises(DataError, match=r"NaN in column\(s\) \['relocated'\] \(first at row position 2\)"):
        MomentSet.from_micro(firms, {"share": lambda d: d["relocated"].mean()})
    with pytest.raises(DataError, match=r"moment value is NaN or infinite for: y"):
        MomentSet(("x", "y"), [1.0, np.nan], np.eye(2))
    frame = pd.DataFrame({"name": ["x"], "value": [0.1], "se": [np.nan]})
    with pytest.raises(DataError, match=r"standard error is NaN .* for: x"):
        MomentSet.from_frame(frame)


def test_optimiser_not_converging_is_an_error() -> None:
    a, b = gg.parameters("a b", positive=True)
    mm = ClosedFormMoments({"x": a * b, "y": a + b**2}, [a, b])
    data = MomentSet(("x", "y"), [2.0, 5.0], np.eye(2) * 0.01)
    with pytest.raises(ConvergenceError, match=r"no optimiser run converged \(2 runs, method L-BFGS-B\)") as info:
        estimate(mm, data, weighting="identity", n_starts=2, options={"maxiter": 1})
    assert len(info.value.runs) == 2 and not any(r.success for r in info.value.runs)
    assert isinstance(info.value, GvcgamesError) and isinstance(info.value, RuntimeError)


def test_other_bad_arguments() -> None:
    a = gg.parameters("a", positive=True)
    mm = ClosedFormMoments({"x": a}, [a])
    data = MomentSet(("x",), [1.0], [[0.01]])
    with pytest.raises(MomentError, match=r"unknown weighting 'best'; valid: identity, diagonal, optimal"):
        estimate(mm, data, weighting="best")
    with pytest.raises(MomentError, match=r"start value\(s\) of \['a'\] outside the bounds"):
        estimate(mm, data, start=[-1.0])
    with pytest.raises(MomentError, match=r"bounds given for 'z', which is not estimated"):
        estimate(mm, data, bounds={"z": (0, 1)})
    with pytest.raises(CovarianceError, match=r"weighting matrix is not positive semi-definite"):
        estimate(mm, data, weighting=np.array([[-1.0]]))
    with pytest.raises(MomentError, match=r"moment names must be unique; repeated: x"):
        MomentSet(("x", "x"), [1.0, 2.0], np.eye(2))
    with pytest.raises(MomentError, match=r"moment function 'bad' failed"):
        MomentSet.from_micro(pd.DataFrame({"v": [1.0, 2.0]}), {"bad": lambda d: d["missing"].mean()})


def test_region_violation_is_reported() -> None:
    eq = gg.models.hold_up().solve().equilibria[0]
    fixed = {"beta": 0.5, "theta_S": 1.0}
    mm = ClosedFormMoments.from_equilibrium(eq, {"x": "x"}, ["w"], fixed)
    x_at_2 = mm([2.0])[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error", WeakIdentificationWarning)
        res = estimate(mm, MomentSet(("x",), [x_at_2], [[1e-4]]))
    assert res.params[0] == pytest.approx(2.0, rel=1e-6)
    assert res.region_holds in (True, None)
