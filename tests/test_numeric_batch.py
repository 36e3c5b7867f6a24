"""Batched numeric equilibria: agree with closed forms, handle corners, report failures."""

from __future__ import annotations

import functools

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.models import cournot, hold_up, relocation_option, upgrading
from gvcgames.numeric import NumericConvergenceWarning, foc_system, solve_batch
from gvcgames.solve.numeric import kkt_point


@functools.cache
def _closed(name: str):
    game = {"cournot": cournot, "cournot3": lambda: cournot(3), "hold_up": hold_up, "upgrading": upgrading}[name]()
    return game, game.solve().equilibria[0]


def _random_points(game, n, seed, box):
    rng = np.random.default_rng(seed)
    return {p.name: rng.uniform(*box.get(p.name, (0.1, 0.9)), n) for p in game.parameters}


BOXES = {
    "cournot": {"a": (4, 10), "b": (0.5, 2), "c": (0.1, 3.9)},
    "cournot3": {"a": (4, 10), "b": (0.5, 2), "c": (0.1, 3.9)},
    "hold_up": {"theta_S": (0.5, 3), "theta_L": (0.5, 3), "w": (0.5, 3)},
    "upgrading": {"a": (0.5, 2), "g": (0.1, 1), "k": (0, 2), "a_o": (0.5, 2)},
}


@pytest.mark.parametrize("name", list(BOXES))
def test_numeric_equals_closed_form(name):
    game, eq = _closed(name)
    points = _random_points(game, 200, 3, BOXES[name])
    res = solve_batch(game, points)
    assert res.all_verified, res.summary()
    expected = eq.evaluate(points)
    for action in game.actions:
        np.testing.assert_allclose(res[action], expected[action.name], rtol=1e-8, atol=1e-10)
    assert len(res.checked) == 3 and all(res.checked.values())


def test_corners_by_complementarity():
    a = gg.parameters("a", domain="(-5, 5)")
    x = gg.actions("x", domain="[0, 1]")
    game = gg.ContinuousGame({"P": (x, a * x - x**2 / 2)})
    values = np.linspace(-4, 4, 17)
    res = solve_batch(game, {"a": values}, check="all")
    assert res.all_verified
    np.testing.assert_allclose(res["x"], np.clip(values, 0, 1), atol=1e-12)


def test_kkt_points_that_are_not_best_responses_are_reported():
    x = gg.actions("x", domain="[0, 1]")
    s = gg.parameters("s", positive=True)
    game = gg.ContinuousGame({"P": (x, s * x**2)})  # convex: the interior KKT point 0 is a minimum
    with pytest.warns(NumericConvergenceWarning, match="1 of 1 points"):
        res = solve_batch(game, {"s": 1.0}, starts={"x": 0.2})
    assert not res.verified[0]
    assert res.converged[0]
    assert "profitable deviation" in res.message[0]
    assert len(res.failures()) == 1


def test_convergence_failures_are_reported_per_point():
    x = gg.actions("x")  # unbounded: x - exp(-x) has no maximiser
    s = gg.parameters("s", domain="[0, 2]")
    game = gg.ContinuousGame({"P": (x, s * x + (1 - s) * (-(x**2)) - sp.exp(-x) * s)})
    # s = 0: u = -x^2, maximiser 0; s = 1: u = x - exp(-x) increasing, no maximiser
    with pytest.warns(NumericConvergenceWarning):
        res = solve_batch(game, {"s": [0.0, 1.0]})
    assert res.verified.tolist() == [True, False]
    assert res["x"][0] == pytest.approx(0.0, abs=1e-10)
    assert np.isnan(res["x"][1])
    assert "no KKT point" in res.message[1]
    assert "[1] s=1" in res.summary()


def test_relocation_option_matches_scipy_per_point():
    game = relocation_option()
    rng = np.random.default_rng(5)
    points = {
        "beta": rng.uniform(1.2, 4, 30),
        "c": rng.uniform(0.5, 2, 30),
        "m": rng.uniform(0.5, 2, 30),
        "r": rng.uniform(0.02, 0.1, 30),
        "x0": 0.5,
        "x_star": 1.0,
    }
    res = solve_batch(game, points)
    assert res.all_verified, res.summary()
    for i in range(0, 30, 6):
        values = {k: float(np.broadcast_to(v, (30,))[i]) for k, v in points.items()}
        ref = kkt_point(game, values)
        assert ref.converged
        assert res["e"][i] == pytest.approx(ref[game.actions[0]], abs=1e-7)


def test_assumption_violations_are_not_solved():
    game, _ = _closed("cournot")
    with pytest.warns(NumericConvergenceWarning):
        res = solve_batch(game, {"a": [5.0, 1.0], "b": 1.0, "c": 2.0})
    assert res.verified.tolist() == [True, False]
    assert "violate the game's assumptions" in res.message[1]


def test_frame_and_display():
    game, _ = _closed("cournot")
    res = solve_batch(game, {"a": [5.0, 6.0], "b": 1.0, "c": 2.0})
    df = res.to_frame()
    assert list(df.columns[:5]) == ["a", "b", "c", "q1", "q2"]
    assert "verified: 2/2" in str(res)
    assert "<table" in res._repr_html_()


def test_bad_input():
    game, _ = _closed("cournot")
    with pytest.raises(InvalidValuesError, match=r"a has 1 non-finite value\(s\)"):
        solve_batch(game, {"a": [5.0, np.nan], "b": 1.0, "c": 2.0})
    with pytest.raises(InvalidValuesError, match=r"c is outside its domain .* at 2 of 2 points"):
        solve_batch(game, {"a": 5.0, "b": 1.0, "c": [-1.0, -2.0]})
    with pytest.raises(InvalidSpecError, match="need a ContinuousGame, got SequentialGame"):
        solve_batch(gg.models.stackelberg(), {})
    with pytest.raises(InvalidSpecError, match="start given for 'z'"):
        solve_batch(game, {"a": 5.0, "b": 1.0, "c": 2.0}, starts={"z": 1.0})
    with pytest.raises(InvalidSpecError, match="check must be a number of points or 'all'"):
        solve_batch(game, {"a": 5.0, "b": 1.0, "c": 2.0}, check="some")


def test_foc_system_is_cached():
    game, _ = _closed("cournot")
    assert foc_system(game) is foc_system(game)


@settings(max_examples=10)
@given(st.floats(2.5, 40), st.floats(0.2, 5), st.floats(0.01, 2.4), st.floats(-3, 3), st.floats(-3, 3))
def test_property_numeric_equals_closed_form_and_passes_is_equilibrium(a, b, c, s1, s2):
    game, eq = _closed("cournot3")
    values = {"a": a, "b": b, "c": c}
    res = solve_batch(game, values, starts=np.abs([s1, s2, s1 + s2]), check="all")
    assert res.verified[0], res.summary()
    assert all(res.checked.values())
    for action, value in eq.at(values).items():
        assert res[action][0] == pytest.approx(value, rel=1e-8, abs=1e-10)


def test_equilibria_at_uses_closed_form_and_falls_back_on_timeout(monkeypatch):
    from gvcgames.numeric import equilibria_at

    game, eq = _closed("hold_up")
    points = _random_points(game, 50, 7, BOXES["hold_up"])
    res = equilibria_at(game, points)
    assert res.all_verified and set(res.method) == {"closed form"}
    np.testing.assert_allclose(res["x"], eq.evaluate(points)["x"], rtol=1e-12)

    def timeout(*args, **kwargs):
        raise gg.SymbolicTimeout("simulated: time budget exhausted")

    monkeypatch.setattr("gvcgames.solve.continuous.solve_continuous", timeout)
    numeric = equilibria_at(game, points, time_budget=0.01)
    assert numeric.all_verified and "closed form" not in set(numeric.method)
    np.testing.assert_allclose(numeric["x"], res["x"], rtol=1e-8)
