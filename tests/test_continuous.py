"""ContinuousGame: known answers, corners, second-order conditions, best responses."""

import pytest
import sympy as sp

import gvcgames as gg


@pytest.fixture
def cournot_symbols():
    a, c = gg.parameters("a c", positive=True)
    q1, q2 = gg.actions("q1 q2", nonnegative=True)
    return a, c, q1, q2


def test_cournot_duopoly_closed_form(cournot_symbols):
    # Tirole (1988), sec. 5.4: q_i = (a - c)/3 for P = a - Q and unit cost c.
    a, c, q1, q2 = cournot_symbols
    price = a - q1 - q2
    game = gg.ContinuousGame({"f1": (q1, (price - c) * q1), "f2": (q2, (price - c) * q2)}, assumptions=[a > c])
    sol = game.solve()
    assert sol.converged
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert sp.simplify(eq[q1] - (a - c) / 3) == 0
    assert sp.simplify(eq["q2"] - (a - c) / 3) == 0
    assert sp.simplify(eq.payoffs["f1"] - (a - c) ** 2 / 9) == 0
    assert eq.conditions is sp.true
    assert eq.proved
    br = sol.best_responses["f1"].response[q1]
    assert br == sp.Max(0, (a - c - q2) / 2) or sp.simplify(br - sp.Max(0, (a - c - q2) / 2)) == 0


def test_without_assumption_the_corner_appears_as_a_region(cournot_symbols):
    a, c, q1, q2 = cournot_symbols
    price = a - q1 - q2
    game = gg.ContinuousGame({"f1": (q1, (price - c) * q1), "f2": (q2, (price - c) * q2)})
    sol = game.solve()
    by_case = {eq.case: eq for eq in sol.equilibria}
    assert set(by_case) == {"q1 interior, q2 interior", "q1 = 0, q2 = 0"}
    assert by_case["q1 interior, q2 interior"].conditions == (a > c)
    assert by_case["q1 = 0, q2 = 0"].conditions == (c >= a)


def test_interior_and_corner_regions_of_a_bounded_choice():
    # PR-style prevention choice: e in [0, 1], cost k e^2/2, benefit b e.
    b, k = gg.parameters("b k", positive=True)
    e = gg.actions("e", domain="[0, 1]")
    sol = gg.ContinuousGame({"S": (e, b * e - k * e**2 / 2)}).solve()
    by_case = {eq.case: eq for eq in sol.equilibria}
    assert set(by_case) == {"e interior", "e = 1"}
    assert by_case["e interior"][e] == b / k
    assert by_case["e interior"].conditions == (k > b)
    assert by_case["e = 1"].conditions == (b >= k)
    assert [case for case, _ in sol.rejected] == ["e = 0"]


def test_steps_are_recorded_in_order(cournot_symbols):
    a, c, q1, q2 = cournot_symbols
    price = a - q1 - q2
    sol = gg.ContinuousGame({"f1": (q1, (price - c) * q1), "f2": (q2, (price - c) * q2)}, [a > c]).solve()
    kinds = [s.kind for s in sol.equilibria[0].derivation]
    assert kinds[:3] == ["game", "game", "game"]
    first = {k: kinds.index(k) for k in ("foc", "best_response", "soc", "case", "solve", "conditions")}
    assert first["foc"] < first["best_response"] < first["soc"] < first["case"] < first["solve"] < first["conditions"]
    assert "Case: q1 interior, q2 interior" in str(sol.equilibria[0].derivation)


def test_two_actions_per_player_first_best():
    game = gg.models.hold_up_first_best()
    eq = game.solve().equilibria[0]
    ts, tl, w = (game.symbol(n) for n in ("theta_S", "theta_L", "w"))
    assert eq["x"] == ts / w and eq["y"] == tl
    assert eq.proved


def test_nonconcave_payoff_reports_local_optimality_and_soc():
    x = gg.actions("x", domain="[-2, 2]")
    a = gg.parameters("a", positive=True)
    # u = a x^2 - x^4/4 has local maxima at +-sqrt(2a) and a local minimum at 0.
    sol = gg.ContinuousGame({"P": (x, a * x**2 - x**4 / 4)}).solve()
    interior = [eq for eq in sol.equilibria if eq.case == "x interior"]
    assert {eq[x] for eq in interior} == {sp.sqrt(2) * sp.sqrt(a), -sp.sqrt(2) * sp.sqrt(a)}
    for eq in interior:
        assert eq.optimality["P"].startswith("local")
        assert not eq.proved
    assert any("second-order condition" in why for _, why in sol.rejected)  # x = 0 is a minimum
    assert "not proved" in sol.message


def test_str_and_latex_display(cournot_symbols):
    a, c, q1, q2 = cournot_symbols
    price = a - q1 - q2
    sol = gg.ContinuousGame({"f1": (q1, (price - c) * q1), "f2": (q2, (price - c) * q2)}, [a > c]).solve()
    text = str(sol)
    assert "1 equilibrium" in text and "q1 = (a - c)/3" in text
    latex = sol.equilibria[0]._repr_latex_()
    assert latex.startswith("$") and r"\frac{a - c}{3}" in latex
    assert r"\begin{align*}" in sol.to_latex()
    assert "Case" in sol.derivation.to_latex()


def test_time_budget_gives_up_with_a_clear_result():
    x, y = gg.actions("x y")
    a, b, c, d = gg.parameters("a b c d", positive=True)
    ux = -(x**4) + a * x**3 * y + b * x * y**2 - c * x**2 * y**3
    uy = -(y**4) + c * y**3 * x + d * y * x**2 - a * y**2 * x**3
    sol = gg.ContinuousGame({"X": (x, ux), "Y": (y, uy)}).solve(time_budget=0.5)
    assert not sol.converged
    assert "time budget" in sol.message


def test_concave_payoffs_with_infinite_slope_at_zero():
    # a sqrt(x) - c x: x* = a^2/(4 c^2); the corner x = 0 fails because the slope there is +oo.
    a, c = gg.parameters("a c", positive=True)
    x = gg.actions("x", nonnegative=True)
    sol = gg.ContinuousGame({"P": (x, a * sp.sqrt(x) - c * x)}).solve()
    assert [eq[x] for eq in sol] == [a**2 / (4 * c**2)]
    assert sol.equilibria[0].proved
    sol = gg.ContinuousGame({"P": (x, a * sp.log(1 + x) - c * x)}).solve()
    assert {eq.case: eq.conditions for eq in sol} == {"x interior": a > c, "x = 0": c >= a}


def test_contest_has_one_equilibrium_and_drops_the_undefined_corner():
    # Tullock contest with prize a and unit cost c: x_i = a/(4c) (Tullock 1980).
    a, c = gg.parameters("a c", positive=True)
    x1, x2 = gg.actions("x1 x2", nonnegative=True)
    game = gg.ContinuousGame({"p1": (x1, a * x1 / (x1 + x2) - c * x1), "p2": (x2, a * x2 / (x1 + x2) - c * x2)})
    sol = game.solve()
    assert [(eq[x1], eq[x2]) for eq in sol] == [(a / (4 * c), a / (4 * c))]
    assert ("x1 = 0, x2 = 0", "p1's payoff is undefined at this profile") in sol.rejected


def test_continuum_of_equilibria_is_reported_with_a_warning():
    b, c = gg.parameters("b c", positive=True)
    x1, x2 = gg.actions("x1 x2", nonnegative=True)
    game = gg.ContinuousGame(
        {"p1": (x1, b * sp.log(1 + x1 + x2) - c * x1), "p2": (x2, b * sp.log(1 + x1 + x2) - c * x2)}
    )
    with pytest.warns(gg.MultipleEquilibriaWarning, match="continua of equilibria"):
        sol = game.solve()
    (continuum,) = [eq for eq in sol if "continuum" in eq.case]
    assert continuum[x1] == b / c - 1 - x2 and continuum[x2] == x2
    assert "continua" in sol.message
    assert gg.is_equilibrium(game, {x1: 0.5, x2: 0.5}, {b: 2, c: 1})  # a point of the set


def test_payoff_independent_of_own_action_gives_a_continuum():
    b = gg.parameters("b", positive=True)
    x1, x2 = gg.actions("x1 x2", nonnegative=True)
    with pytest.warns(gg.MultipleEquilibriaWarning):
        sol = gg.ContinuousGame({"p1": (x1, b * x2), "p2": (x2, b * x2 - x2**2)}).solve()
    assert any(eq[x1] == x1 for eq in sol)


def test_a_piecewise_payoff_is_not_called_concave_from_its_pieces():
    # Both pieces are linear (second derivative 0), but the kink at 1 points up: x = 0 is a KKT point, not a maximum.
    x = gg.actions("x", domain="[0, 2]")
    game = gg.ContinuousGame({"A": (x, sp.Piecewise((-x, x < 1), (3 * (x - 1) - 1, True)))})
    sol = game.solve()
    for eq in sol:
        assert not eq.optimality["A"].startswith("global"), eq.optimality
    low = next(eq for eq in sol if eq[x] == 0)
    assert not gg.is_equilibrium(game, low, {})
