"""Empirics: scale-free matrix checks, weighting, identification before and after optimising, J-tests, GMM."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import gvcgames as gg
from gvcgames.empirics import (
    ClosedFormMoments,
    ConvergenceError,
    CovarianceError,
    DataError,
    FunctionMoments,
    MomentError,
    MomentSet,
    UnderIdentifiedError,
    WeakIdentificationWarning,
    estimate,
    gmm,
)
from gvcgames.empirics.inference import identification, j_test


def linear_model(A: np.ndarray) -> FunctionMoments:
    k, p = A.shape
    return FunctionMoments(lambda t: A @ t, [f"m{i}" for i in range(k)], [f"t{j}" for j in range(p)])


@pytest.fixture
def no_optimiser(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the optimiser must not run")

    monkeypatch.setattr("gvcgames.empirics.optimise.optimize.minimize", refuse)


# --- 2. scale-free covariance and weighting checks --------------------------------------------


def test_moments_of_very_different_scales_are_not_singular() -> None:
    """A share (variance 1.5e-6) and a revenue level (variance 1e6): a valid, diagonal covariance."""
    a, b = gg.parameters("a b", positive=True)
    cov = np.diag([1.5e-6, 1e6])
    data = MomentSet(("share", "revenue"), [0.03, 5000.0], cov)
    res = estimate(ClosedFormMoments({"share": a, "revenue": b}, [a, b]), data)
    np.testing.assert_allclose(res.se, np.sqrt(np.diag(cov)), rtol=1e-5)
    # a user weighting matrix of the same scales is fine too
    user = estimate(ClosedFormMoments({"share": a, "revenue": b}, [a, b]), data, weighting=np.diag([1e6, 1e-6]))
    np.testing.assert_allclose(user.params, [0.03, 5000.0], rtol=1e-6)
    assert user.weighting == "user" and "singular" not in user.message


def test_correlation_scale_finds_dependence_whatever_the_units() -> None:
    # perfectly correlated moments in very different units are singular, and named
    sd = np.array([1e-3, 1e3])
    with pytest.raises(CovarianceError, match=r"singular .*moments \['share', 'revenue'\] are linearly dependent"):
        MomentSet(("share", "revenue"), [0.03, 5000.0], np.outer(sd, sd))
    # correlation 1.5 is impossible: not PSD, however small the entries
    bad = np.array([[1.0, 1.5], [1.5, 1.0]]) * 1e-12
    with pytest.raises(CovarianceError, match=r"not positive semi-definite"):
        MomentSet(("x", "y"), [1.0, 2.0], bad)


def test_singular_user_weighting_is_allowed_when_identified() -> None:
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    omega = np.diag([0.01, 0.02, 0.03])
    m = np.array([1.0, 2.0, 3.3])
    W = np.diag([1.0, 1.0, 0.0])  # ignores the third moment: still identified by the first two
    res = estimate(linear_model(A), MomentSet(("m0", "m1", "m2"), m, omega), weighting=W)
    np.testing.assert_allclose(res.params, [1.0, 2.0], rtol=1e-6)
    np.testing.assert_allclose(res.se, np.sqrt([0.01, 0.02]), rtol=1e-4)
    assert "weighting matrix is singular (rank 2 of 3)" in res.message
    # the J-test's general form still applies: the third moment is the overidentifying one
    assert res.jtest.applicable and res.jtest.df == 1


def test_singular_user_weighting_that_loses_a_parameter_is_named(no_optimiser) -> None:
    A = np.array([[1.0, 0.0], [0.0, 1.0]])
    data = MomentSet(("m0", "m1"), [1.0, 2.0], np.diag([0.01, 0.02]))
    with pytest.raises(
        UnderIdentifiedError,
        match=r"no moment depends on parameter\(s\) \['t1'\] with the singular weighting matrix \(rank 1 of 2\)",
    ):
        estimate(linear_model(A), data, weighting=np.diag([1.0, 0.0]))


def test_user_weighting_must_be_psd_and_symmetric() -> None:
    A = np.array([[1.0], [1.0]])
    data = MomentSet(("m0", "m1"), [1.0, 1.1], np.diag([0.01, 0.02]))
    with pytest.raises(CovarianceError, match=r"weighting matrix is not positive semi-definite"):
        estimate(linear_model(A), data, weighting=np.array([[1.0, 2.0], [2.0, 1.0]]))
    with pytest.raises(CovarianceError, match=r"weighting matrix is not symmetric"):
        estimate(linear_model(A), data, weighting=np.array([[1.0, 0.5], [0.0, 1.0]]))


# --- 3. identification checked before optimising -----------------------------------------------


def test_parameter_that_moves_no_moment_is_named_before_optimising(no_optimiser) -> None:
    a, b = gg.parameters("a b", positive=True)
    mm = ClosedFormMoments({"m1": a, "m2": 2 * a}, [a, b])  # b is estimated but appears nowhere
    data = MomentSet(("m1", "m2"), [1.0, 2.1], np.diag([0.01, 0.04]))
    with pytest.raises(UnderIdentifiedError, match=r"no moment depends on parameter\(s\) \['b'\]") as info:
        estimate(mm, data)
    assert "at the start point" in str(info.value) and "fix them" in str(info.value)


def test_gmm_parameter_no_condition_depends_on_is_named(no_optimiser) -> None:
    df = pd.DataFrame({"y": np.linspace(0, 1, 50)})
    with pytest.raises(UnderIdentifiedError, match=r"no moment depends on parameter\(s\) \['nu'\]"):
        gmm(lambda t, d: np.column_stack([d["y"] - t[0], d["y"] ** 2 - t[0] ** 2]), df, ["mu", "nu"])


def test_locally_flat_start_does_not_block_an_identified_model() -> None:
    # m = a^2 is flat at the start a = 0, but not at the other probe points: estimation goes on
    mm = FunctionMoments(lambda t: [t[0] ** 2, t[1]], ["m1", "m2"], ["a", "b"], bounds={"a": (0.0, 3.0)})
    data = MomentSet(("m1", "m2"), [4.0, 1.0], np.diag([0.01, 0.01]))
    res = estimate(mm, data, start=[0.0, 1.0], n_starts=1)
    np.testing.assert_allclose(res.params, [2.0, 1.0], rtol=1e-6)


# --- 5. weak identification: per-parameter, absolute and relative ------------------------------


def test_precise_parameter_does_not_make_a_well_identified_one_weak() -> None:
    """Old rule: singular value relative to the best-identified direction. A share known to 1e-6 made
    a parameter known to 1% 'weak'. Now each parameter has its own strength."""
    mm = FunctionMoments(lambda t: [t[0], t[1]], ["m1", "m2"], ["a", "b"])
    data = MomentSet(("m1", "m2"), [0.5, 1.0], np.diag([1e-12, 1e-4]))
    with warnings.catch_warnings():
        warnings.simplefilter("error", WeakIdentificationWarning)
        res = estimate(mm, data, n_starts=1)
    ident = res.identification
    assert ident.weak == ()
    # strength_j = max(|theta_j|, 1) / se_j under optimal weighting
    np.testing.assert_allclose(ident.strength, [1 / 1e-6, 1 / 1e-2], rtol=1e-4)
    assert ident.condition_number == pytest.approx(1e4, rel=1e-3)  # still reported
    assert list(ident.to_frame().columns) == ["strength", "collinearity", "weak", "reason"]


def test_weak_reasons_absolute_and_collinear() -> None:
    # imprecise: moving a by its size moves the moment by half a standard error
    G = np.array([[1.0, 0.0], [0.0, 1.0]])
    ident = identification(G, np.diag([4.0, 1e-4]), np.array([1.0, 1.0]), ["a", "b"])
    assert ident.weak == ("a",) and ident.reasons["a"] == "strength 0.5 < 2"
    # collinear: b's effect is almost a's, though each alone moves the moments a lot
    G = np.array([[1.0, 1.0], [1.0, 1.0 + 1e-5]])
    ident = identification(G, np.eye(2) * 1e-16, np.array([1.0, 1.0]), ["a", "b"])
    assert set(ident.weak) == {"a", "b"}
    assert "collinearity" in ident.reasons["b"] and "strength" not in ident.reasons["b"]
    assert ident.collinearity[1] == pytest.approx(1e-5 / 2, rel=1e-3)
    # thresholds are the user's
    assert identification(G, np.eye(2) * 1e-16, np.ones(2), ["a", "b"], weak_ratio=1e-6).weak == ()


# --- 8. the J-test for any weighting ----------------------------------------------------------


def test_general_j_test_is_chi_square_for_non_optimal_weighting() -> None:
    """Linear, Gaussian: g_hat = M m_hat exactly, so J must be chi2(k - p) exactly."""
    rng = np.random.default_rng(0)
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -1.0]])
    L = np.array([[0.2, 0, 0, 0], [0.05, 0.1, 0, 0], [0.0, 0.08, 0.3, 0], [0.1, 0, 0.05, 0.15]])
    omega = L @ L.T
    W = np.eye(4)
    M = np.eye(4) - A @ np.linalg.solve(A.T @ W @ A, A.T @ W)
    draws = rng.multivariate_normal(A @ [1.0, 0.5], omega, 3000)
    general = np.array([j_test(M @ m, omega, 2, optimal=False, G=A, W=W).statistic for m in draws])
    naive = np.array([j_test(M @ m, omega, 2, optimal=True).statistic for m in draws])
    assert stats.kstest(general, stats.chi2(2).cdf).pvalue > 0.01
    # the optimal-weighting formula applied to a non-optimal estimate is not chi2(2)
    assert stats.kstest(naive, stats.chi2(2).cdf).pvalue < 1e-6


def test_general_j_does_not_depend_on_the_weighting_for_linear_moments() -> None:
    """For linear moments g_hat' V^- g_hat is the squared norm of the data's overidentifying part,
    whatever W: every weighting gives Hansen's optimal J (a check of the general form)."""
    A = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, -2.0]])
    omega = np.diag([0.01, 0.02, 0.03, 0.05]) + 0.002
    m = np.array([1.05, 1.9, 3.2, -2.7])
    data = MomentSet(tuple(f"m{i}" for i in range(4)), m, omega)
    optimal = estimate(linear_model(A), data)
    assert optimal.jtest.form == "optimal"
    for weighting in ("identity", "diagonal", 7.0 * np.linalg.inv(omega), np.diag([1.0, 5.0, 0.2, 3.0])):
        other = estimate(linear_model(A), data, weighting=weighting)
        assert other.jtest.form == "general" and other.jtest.df == 2
        assert other.jtest.statistic == pytest.approx(optimal.jtest.statistic, rel=1e-6)
    # the optimal formula applied to the identity-weighted residuals would be wrong
    ident = estimate(linear_model(A), data, weighting="identity")
    g = m - ident.fitted
    assert float(g @ np.linalg.solve(omega, g)) > 1.05 * optimal.jtest.statistic


# --- 6. GMM weightings and micro-data input ---------------------------------------------------


def test_gmm_diagonal_weighting_is_inverse_variance_pooling() -> None:
    rng = np.random.default_rng(3)
    n = 3000
    df = pd.DataFrame({"y1": rng.normal(1.0, 0.5, n), "y2": rng.normal(1.0, 1.0, n), "y3": rng.normal(1.0, 2.0, n)})

    def cond(t: np.ndarray, d: pd.DataFrame) -> np.ndarray:
        return d[["y1", "y2", "y3"]].to_numpy() - t[0]

    res = gmm(cond, df, ["mu"], weighting="diagonal")
    var = df.var(ddof=0).to_numpy()
    expected = float(np.sum(df.mean().to_numpy() / var) / np.sum(1 / var))
    assert res.weighting == "diagonal (two-step)"
    assert res.params[0] == pytest.approx(expected, rel=1e-7)
    np.testing.assert_allclose(np.diag(res.W), n / var, rtol=1e-6)
    assert res.jtest.applicable and res.jtest.form == "general"
    identity = gmm(cond, df, ["mu"], weighting="identity")
    assert identity.params[0] == pytest.approx(df.mean().mean(), rel=1e-7)
    with pytest.raises(MomentError, match=r"unknown GMM weighting 'best'; valid: identity, diagonal, optimal"):
        gmm(cond, df, ["mu"], weighting="best")


def test_gmm_infinite_micro_data_is_reported_at_input() -> None:
    df = pd.DataFrame({"y": [1.0, 2.0, np.inf, 3.0], "id": ["a", "b", "c", "d"]})
    with pytest.raises(DataError, match=r"infinite values in column\(s\) \['y'\] \(first at row position 2\)"):
        gmm(lambda t, d: np.column_stack([d["y"] - t[0]]), df, ["mu"])
    with pytest.raises(DataError, match=r"infinite values in column\(s\) \['y'\]"):
        MomentSet.from_micro(df, {"mean": lambda d: d["y"].mean()})


# --- 9. low-severity bad input --------------------------------------------------------------


def test_model_returning_the_wrong_number_of_moments() -> None:
    mm = FunctionMoments(lambda t: [t[0]], ["m1", "m2"], ["a"])
    with pytest.raises(MomentError, match=r"returned 1 moment\(s\) but declares 2: \['m1', 'm2'\]"):
        estimate(mm, MomentSet(("m1", "m2"), [1.0, 2.0], np.eye(2) * 0.01))


@pytest.mark.parametrize("level", [95, 1.0, 0.0, -0.5, "0.95", True])
def test_level_must_be_a_fraction(level) -> None:
    a = gg.parameters("a", positive=True)
    data = MomentSet(("x",), [1.0], [[0.01]])
    with pytest.raises(MomentError, match=r"is not a confidence level: need 0 < level < 1"):
        estimate(ClosedFormMoments({"x": a}, [a]), data, level=level)


def test_level_95_gets_a_hint_and_conf_int_checks_too() -> None:
    a = gg.parameters("a", positive=True)
    res = estimate(ClosedFormMoments({"x": a}, [a]), MomentSet(("x",), [1.0], [[0.01]]))
    with pytest.raises(MomentError, match=r"use level=0.95 for a 95% interval"):
        res.conf_int(95)
    assert np.isfinite(res.conf_int(0.9).to_numpy()).all()


@pytest.mark.parametrize("n_starts", [0, -1, 2.5])
def test_n_starts_must_be_a_positive_integer(n_starts) -> None:
    a = gg.parameters("a", positive=True)
    with pytest.raises(MomentError, match=r"n_starts must be an integer >= 1"):
        estimate(ClosedFormMoments({"x": a}, [a]), MomentSet(("x",), [1.0], [[0.01]]), n_starts=n_starts)


def test_non_numeric_cells_are_named() -> None:
    frame = pd.DataFrame({"name": ["share", "incidence"], "value": ["3.3%", "0.8"], "se": [0.001, "n/a"]})
    with pytest.raises(DataError, match=r"non-numeric value in column 'value': '3.3%' \(moment 'share'\)"):
        MomentSet.from_frame(frame)
    frame["value"] = [0.033, 0.8]
    with pytest.raises(DataError, match=r"non-numeric standard error in column 'se': 'n/a' \(moment 'incidence'\)"):
        MomentSet.from_frame(frame)
    with pytest.raises(DataError, match=r"moment values must be numbers"):
        MomentSet(("x",), ["3.3%"], [[0.01]])


def test_model_undefined_wherever_the_optimiser_ends_is_said() -> None:
    # sqrt(2 - a) is NaN on the whole box [3, 10]: scipy would report 'CONVERGENCE' at the start
    def fun(t: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.array([np.sqrt(2.0 - t[0]), t[1]])

    mm = FunctionMoments(fun, ["root", "b"], ["a", "b"], bounds={"a": (3.0, 10.0)})
    data = MomentSet(("root", "b"), [1.0, 0.5], np.diag([0.01, 0.01]))
    with pytest.raises(
        ConvergenceError,
        match=r"every optimiser run \(2, method L-BFGS-B\) ended where the model's moments are not finite \(NaN or infinite\): \['root'\]",
    ) as info:
        estimate(mm, data, n_starts=2, weighting="identity")
    assert "narrow bounds=" in str(info.value) and "PGTOL" not in str(info.value)
    assert len(info.value.runs) == 2
