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


def _saddle_game():
    # P owns both actions; (0, 0) is a KKT point (zero gradient) but for s > 1 a saddle:
    # moving both actions to (1, 1) gains 2 s - 2, moving either alone gains nothing
    s = gg.parameters("s", domain="[0, 3]")
    x1, x2 = gg.actions("x1 x2", domain="[-1, 1]")
    return gg.ContinuousGame({"P": ((x1, x2), -(x1**2) - x2**2 + 2 * s * x1 * x2)})


def test_joint_deviation_refutes_a_saddle_point():
    s = np.linspace(1.5, 3.0, 50)
    with pytest.warns(NumericConvergenceWarning, match="50 of 50 points"):
        res = solve_batch(_saddle_game(), {"s": s}, starts={"x1": 0.0, "x2": 0.0}, check=0)
    assert res.converged.all() and not res.verified.any()
    np.testing.assert_allclose(res.max_gain, 2 * s - 2, rtol=1e-12)  # the corner (1, 1)
    assert set(res.message) == {"a profitable deviation exists (KKT point is not a best response)"}
    # where the KKT point is the maximum (s < 1) it is verified
    assert solve_batch(_saddle_game(), {"s": [0.0, 0.5, 0.9]}, check=0).all_verified


def test_joint_deviation_in_many_actions_escapes_the_saddle():
    # 12 actions: the tensor grid is replaced by random profiles; the ascent along the
    # Hessian's top eigenvector (the diagonal) reaches the corner (1, ..., 1):
    # u = -12 + 2 * 144 / 6 = 36 against u(0) = 0. For s = 1/2, u <= 0 (Cauchy-Schwarz).
    xs = gg.actions(" ".join(f"x{i}" for i in range(12)), domain="[-1, 1]")
    s = gg.parameters("s", domain="[0, 3]")
    total = sum(xs)
    game = gg.ContinuousGame({"P": (tuple(xs), -sum(x**2 for x in xs) + s * total**2 / 6)})
    with pytest.warns(NumericConvergenceWarning):
        res = solve_batch(game, {"s": [2.0, 0.5]}, starts=np.zeros(12), check=0)
    assert res.verified.tolist() == [False, True]
    assert res.max_gain[0] == pytest.approx(36.0, rel=1e-9)


def test_equilibria_of_players_with_several_actions_are_verified():
    # firm i chooses quantity q_i and quality e_i: u_i = (a - q1 - q2 + e_i) q_i - k e_i^2
    # FOCs: a - 2 q_i - q_j + e_i = 0, q_i = 2 k e_i  =>  q = a / (3 - 1 / (2 k)), e = q / (2 k)
    a, k = gg.parameters("a k", positive=True)
    q1, e1, q2, e2 = gg.actions("q1 e1 q2 e2", nonnegative=True)
    game = gg.ContinuousGame(
        {
            "firm1": ((q1, e1), (a - q1 - q2 + e1) * q1 - k * e1**2),
            "firm2": ((q2, e2), (a - q1 - q2 + e2) * q2 - k * e2**2),
        }
    )
    rng = np.random.default_rng(8)
    points = {"a": rng.uniform(1, 5, 40), "k": rng.uniform(0.5, 2, 40)}
    res = solve_batch(game, points, check=3)
    assert res.all_verified, res.summary()
    assert all(res.checked.values())
    q = points["a"] / (3 - 1 / (2 * points["k"]))
    np.testing.assert_allclose(res["q1"], q, rtol=1e-9)
    np.testing.assert_allclose(res["e2"], q / (2 * points["k"]), rtol=1e-9)


def _steep_relocation_points(n, seed):
    rng = np.random.default_rng(seed)
    return {
        "beta": rng.uniform(1.02, 1.4, n),
        "c": rng.uniform(0.1, 2, n),
        "m": rng.uniform(0.5, 2, n),
        "r": rng.uniform(0.02, 0.1, n),
        "x0": rng.uniform(0.1, 0.9, n),
        "x_star": 1.0,
    }


def _relocation_root(point):
    """The MSE's optimal prevention 1 - e (its distance to the open end), to 40 digits."""
    import mpmath

    mpmath.mp.dps = 40
    beta, c, m, r, x0, xs = (mpmath.mpf(point[k]) for k in ("beta", "c", "m", "r", "x0", "x_star"))
    # the FOC m/r beta (x0/xs)^beta (1-e)^(beta-1) = c e, in d = 1 - e, solved in log d

    def f(t):
        return (
            mpmath.log(m / r * beta) + beta * mpmath.log(x0 / xs) + (beta - 1) * t - mpmath.log(c * (1 - mpmath.e**t))
        )

    return mpmath.e ** mpmath.findroot(f, (mpmath.mpf(-400), mpmath.mpf(-1e-30)), solver="anderson")


def test_steep_one_action_problems_are_bracketed_not_looped(monkeypatch):
    # beta near 1: the optimum is within 1e-6 .. 1e-30 of the open end e -> 1 and g is
    # too steep there for Newton's residual to reach the tolerance
    calls = []
    original = gg.numeric.batch._root_fallback

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(gg.numeric.batch, "_root_fallback", counting)
    points = _steep_relocation_points(300, 11)
    with pytest.warns(NumericConvergenceWarning):
        res = solve_batch(relocation_option(), points, check=0)
    assert not calls  # no per-point scipy loop for a one-action game
    assert (res.method == "bracket").sum() >= 10
    for i in range(300):
        point = {k: float(np.broadcast_to(v, (300,))[i]) for k, v in points.items()}
        gap = float(_relocation_root(point))
        if res.verified[i]:
            assert 1 - res["e"][i] == pytest.approx(gap, rel=1e-6, abs=2e-16)
        else:  # only where the optimum is not representable: closer to 1 than a few ulps
            assert "open end" in res.message[i]
            assert gap < 1e-15


def test_solutions_near_an_open_end_are_kept():
    # the optimum e = t lies 1e-6 .. 1e-9 inside the open end of [0, 1)
    t = gg.parameters("t", domain="(0, 1)")
    e = gg.actions("e", domain="[0, 1)")
    game = gg.ContinuousGame({"P": (e, -((e - t) ** 2) / 2)})
    values = 1 - np.array([1e-6, 1e-8, 1e-9])
    res = solve_batch(game, {"t": values}, check="all")
    assert res.all_verified, res.summary()
    np.testing.assert_allclose(res["e"], values, rtol=0, atol=1e-15)
