"""Compiled evaluation: vectorised results equal per-point symbolic ones; regions are marked."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.models import cournot, hold_up, prevention_relocation, upgrading
from gvcgames.numeric import SweepTooLargeError, as_points, compile_expressions, evaluate, grid
from gvcgames.numeric.sweep import Draws


@functools.cache
def _cournot_eq():
    return cournot().solve().equilibria[0]


@pytest.fixture(scope="module")
def cournot_eq():
    return _cournot_eq()


@pytest.fixture(scope="module")
def pr_solution():
    return prevention_relocation().solve()


def test_evaluate_equals_subs(cournot_eq):
    rng = np.random.default_rng(1)
    a, b, c = rng.uniform(5, 10, 20), rng.uniform(0.5, 2, 20), rng.uniform(0.1, 4, 20)
    df = cournot_eq.evaluate({"a": a, "b": b, "c": c})
    for i in range(20):
        point = {"a": a[i], "b": b[i], "c": c[i]}
        expected = cournot_eq.at(point)
        for sym, value in expected.items():
            assert df[sym.name].iloc[i] == pytest.approx(value, rel=1e-12)
        payoff = sp.sympify(cournot_eq.payoffs["firm1"]).subs({s: point[s.name] for s in cournot().parameters})
        assert df["payoff[firm1]"].iloc[i] == pytest.approx(float(payoff), rel=1e-12)
    assert df["in_region"].all()


def test_points_violating_assumptions_are_marked_not_evaluated(cournot_eq):
    df = cournot_eq.evaluate({"a": [5.0, 1.0], "b": 1.0, "c": 2.0})
    assert df["in_region"].tolist() == [True, False]
    assert df["q1"].iloc[0] == pytest.approx(1.0)
    assert np.isnan(df["q1"].iloc[1])


def test_regions_of_every_pr_equilibrium_match_holds_at(pr_solution):
    rng = np.random.default_rng(2)
    n = 6
    pts = {
        "p": rng.uniform(0.05, 0.95, n),
        "D": rng.uniform(0.5, 3, n),
        "Delta": rng.uniform(0.01, 1, n),
        "Fbar": rng.uniform(0.5, 3, n),
        "c": rng.uniform(0.5, 3, n),
        "m": rng.uniform(0.1, 2, n),
    }
    names = {p.name for p in pr_solution.game.parameters}
    pts = {k: v for k, v in pts.items() if k in names}
    assert set(pts) == names
    for eq in pr_solution.equilibria:
        df = eq.evaluate(pts)
        for i in range(n):
            point = {k: float(v[i]) for k, v in pts.items()}
            assert bool(df["in_region"].iloc[i]) == bool(eq.holds_at(point))
            if df["in_region"].iloc[i]:
                for sym, value in eq.at(point).items():
                    assert df[sym.name].iloc[i] == pytest.approx(value, rel=1e-9, abs=1e-12)


def test_solution_evaluate_stacks_equilibria(pr_solution):
    df = pr_solution.evaluate({p.name: 0.5 for p in pr_solution.game.parameters})
    assert df["equilibrium"].tolist() == list(range(1, len(pr_solution.equilibria) + 1))
    assert df["in_region"].sum() >= 1  # some equilibrium holds at an admissible point


def test_outputs_statics_derivative_and_names():
    eq = upgrading().solve().equilibria[0]
    res = gg.comparative_statics(eq, outcome="u", wrt="R")
    values = {"R": [0.2, 0.7], "beta": 0.5, "a": 1.0, "g": 1.0, "k": 2.0, "a_o": 1.0}
    df = eq.evaluate(values, outputs=[res, "u"])
    # du/dR = a_o - beta (a + g k) = 1 - 0.5 * 3
    assert df["du/dR"].tolist() == pytest.approx([-0.5, -0.5])
    assert df["u"].tolist() == pytest.approx([0.2 + 0.8 * 1.5, 0.7 + 0.3 * 1.5])
    with pytest.raises(InvalidSpecError, match="no output named 'v'"):
        eq.evaluate(values, outputs=["v"])


def test_frame_false_gives_arrays_and_dataframe_input(cournot_eq):
    points = pd.DataFrame({"a": [4.0, 7.0], "b": [1.0, 1.0], "c": [1.0, 1.0]})
    out = cournot_eq.evaluate(points, frame=False)
    assert isinstance(out["q2"], np.ndarray)
    assert out["q2"].tolist() == pytest.approx([1.0, 2.0])


def test_compile_is_cached():
    a, c = sp.symbols("a c")
    f1 = compile_expressions({"q": (a - c) / 3}, [a, c])
    f2 = compile_expressions({"q": (a - c) / 3}, [a, c])
    assert f1 is f2


def test_hold_up_evaluates_underinvestment():
    eq = hold_up().solve().equilibria[0]
    df = eq.evaluate({"beta": np.linspace(0.1, 0.9, 5), "theta_S": 2.0, "theta_L": 1.0, "w": 1.0})
    assert (df["x"] < 2.0).all() and (df["y"] < 1.0).all()  # below first best theta_S/w, theta_L


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"a": [1.0, np.nan, np.inf], "b": 1.0, "c": 0.5}, r"a has 2 non-finite value\(s\).*out of 3 points"),
        ({"a": [5.0, 6.0], "b": [-1.0, 0.0], "c": 0.5}, r"b is outside its domain .* at 2 of 2 points"),
        ({"a": 5.0, "b": 1.0}, r"values are missing for parameters \['c'\]"),
        ({"a": 5.0, "b": 1.0, "c": 1.0, "z": 1.0}, r"z is not a parameter here"),
        ({"a": [1.0, 2.0], "b": [1.0, 2.0, 3.0], "c": 1.0}, r"do not broadcast together"),
        ({"a": ["x"], "b": 1.0, "c": 1.0}, r"values of a must be real numbers"),
    ],
)
def test_bad_points(cournot_eq, values, message):
    with pytest.raises(InvalidValuesError, match=message):
        cournot_eq.evaluate(values)


def test_as_points_rejects_non_mapping():
    a = gg.parameters("a", positive=True)
    with pytest.raises(InvalidValuesError, match="must be a mapping, a DataFrame or a grid, got list"):
        as_points([1.0], [a])


@given(
    a=st.floats(2, 50),
    b=st.floats(0.1, 5),
    c=st.floats(0.01, 1.9),
)
def test_property_vectorised_equals_symbolic_and_is_equilibrium(a, b, c):
    eq = _cournot_eq()
    game = eq.game
    row = evaluate(eq, {"a": a, "b": b, "c": c}).iloc[0]
    profile = {s: row[s.name] for s in eq.strategies}
    assert gg.is_equilibrium(game, profile, {"a": a, "b": b, "c": c})
    for sym, value in eq.at({"a": a, "b": b, "c": c}).items():
        assert row[sym.name] == pytest.approx(value, rel=1e-12)


def test_evaluate_accepts_a_grid(cournot_eq):
    g = grid(a=np.linspace(1, 10, 7), b=[0.5, 1.0, 2.0], c=np.linspace(0.5, 3.5, 5))
    df = cournot_eq.evaluate(g)
    pd.testing.assert_frame_equal(df, cournot_eq.evaluate(g.to_frame()))
    assert len(df) == 105 and df["in_region"].any() and not df["in_region"].all()
    out = cournot_eq.evaluate(g, frame=False)
    assert out["q1"].shape == g.shape == (7, 3, 5)
    np.testing.assert_array_equal(out["q1"].ravel(), df["q1"].to_numpy())
    np.testing.assert_array_equal(out["in_region"].ravel(), df["in_region"].to_numpy())
    assert out["a"].shape == g.shape and not out["a"].flags.writeable  # a view of the axis
    draws = Draws({"a": (4, 10), "b": (0.5, 2), "c": (0.5, 1)}, 30, seed=2)
    pd.testing.assert_frame_equal(cournot_eq.evaluate(draws), cournot_eq.evaluate(draws.to_frame()))


def test_frame_false_keeps_the_broadcast_shape(cournot_eq):
    A, C = np.meshgrid(np.linspace(5, 8, 4), np.linspace(0.5, 1.5, 3))
    out = cournot_eq.evaluate({"a": A, "b": 1.0, "c": C}, frame=False)
    assert A.shape == (3, 4)
    for name in ("q1", "q2", "payoff[firm1]", "in_region", "a", "b", "c"):
        assert out[name].shape == (3, 4), name
    np.testing.assert_allclose(out["q1"], (A - C) / 3)
    # open-mesh inputs broadcast without materialising the parameters
    out = cournot_eq.evaluate({"a": np.linspace(5, 8, 4)[None, :], "b": 1.0, "c": [[0.5], [1.0], [1.5]]}, frame=False)
    np.testing.assert_allclose(out["q2"], (A - C) / 3)
    scalar = cournot_eq.evaluate({"a": 7.0, "b": 1.0, "c": 1.0}, frame=False)
    assert scalar["q1"].shape == () and float(scalar["q1"]) == pytest.approx(2.0)


def test_blocked_evaluation_equals_point_by_point(cournot_eq):
    rng = np.random.default_rng(4)
    n = 50_000  # several blocks; about half the points violate a > c
    values = {"a": rng.uniform(0.5, 6, n), "b": rng.uniform(0.5, 2, n), "c": rng.uniform(0.5, 3, n)}
    df = cournot_eq.evaluate(values)
    inside = values["a"] > values["c"]
    assert 0.2 < inside.mean() < 0.8
    np.testing.assert_array_equal(df["in_region"].to_numpy(), inside)
    np.testing.assert_allclose(df["q1"].to_numpy()[inside], ((values["a"] - values["c"]) / (3 * values["b"]))[inside])
    assert df["q1"][~inside].isna().all()
    for i in rng.choice(n, 20, replace=False):
        point = {k: v[i] for k, v in values.items()}
        if inside[i]:
            assert df["q2"].iloc[i] == pytest.approx(float(cournot_eq.at(point)[cournot().actions[1]]), rel=1e-12)
    # a 2-D request is cut along its first axis, rows of 400 points
    out = cournot_eq.evaluate({"a": values["a"].reshape(125, 400), "b": 1.0, "c": 2.0}, frame=False)
    np.testing.assert_allclose(out["q1"].ravel(), np.where(values["a"] > 2, (values["a"] - 2) / 3, np.nan))
    # the DataFrame owns its parameter columns: changing the inputs later does not change it
    a_before = df["a"].to_numpy().copy()
    values["a"][:] = 0.0
    np.testing.assert_array_equal(df["a"].to_numpy(), a_before)


def test_an_output_that_is_a_parameter_stays_numeric():
    # a sympy Symbol is also a sympy Boolean: the payoff m must not come back as True
    m, k = gg.parameters("m k", positive=True)
    x = gg.actions("x", nonnegative=True)
    eq = gg.ContinuousGame({"P": (x, m - k * x)}).solve().equilibria[0]
    df = eq.evaluate({"m": [0.5, 2.0], "k": 1.0}, outputs={"margin": m, "x": "x"})
    assert df["margin"].tolist() == [0.5, 2.0]
    f = compile_expressions({"margin": m}, [m])
    assert f({"m": np.array([0.5, 2.0])})["margin"].tolist() == [0.5, 2.0]


def test_a_huge_broadcast_is_refused_with_its_size(cournot_eq):
    a = np.linspace(5, 6, 10**6)[:, None]
    b = np.linspace(1, 2, 10**6)[None, :]
    with pytest.raises(SweepTooLargeError, match=r"evaluating 1,000,000,000,000 points .* needs about .* TiB") as info:
        cournot_eq.evaluate({"a": a, "b": b, "c": 1.0})
    assert isinstance(info.value, MemoryError) and isinstance(info.value, InvalidValuesError)
    assert "gvcgames.numeric.sweep" in str(info.value)
    with pytest.raises(SweepTooLargeError, match=r"evaluating 1,000 points .* > max_memory = 1.0 KiB"):
        cournot_eq.evaluate({"a": np.linspace(5, 6, 1000), "b": 1.0, "c": 1.0}, max_memory=1024)


def test_bad_values_are_counted_in_points(cournot_eq):
    with pytest.raises(InvalidValuesError, match=r"a has 3 non-finite value\(s\) \(NaN or inf\) out of 6 points"):
        cournot_eq.evaluate({"a": [[np.nan], [5.0]], "b": [1.0, 2.0, 3.0], "c": 1.0})
    with pytest.raises(InvalidValuesError, match=r"b is outside its domain .* at 2 of 6 points"):
        cournot_eq.evaluate({"a": [[6.0], [5.0]], "b": [1.0, -2.0, 3.0], "c": 1.0})
    with pytest.raises(InvalidValuesError, match=r"c is outside its domain .* at 4 of 4 points"):
        cournot_eq.evaluate(grid(a=[5.0, 6.0], b=[1.0, 2.0], c=[-1.0]))
