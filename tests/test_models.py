"""Catalogue and textbook models against hand-derived formulas (sources cited)."""

import pytest
import sympy as sp

import gvcgames as gg
from gvcgames import models


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_cournot_oligopoly(n):
    # Tirole (1988), sec. 5.4: q_i* = (a - c)/(b (n + 1)).
    game = models.cournot(n)
    a, b, c = (game.symbol(s) for s in "abc")
    sol = game.solve()
    assert len(sol.equilibria) == 1
    for q in game.actions:
        assert sp.simplify(sol.equilibria[0][q] - (a - c) / (b * (n + 1))) == 0


def test_upgrading_closed_form_and_relocation_effect():
    # DOMAIN.md, model UP: u* = (1 - R) beta (a + g k) + R a_o.
    game = models.upgrading()
    R, beta, a, g, k, a_o = (game.symbol(s) for s in ("R", "beta", "a", "g", "k", "a_o"))
    sol = game.solve()
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq.conditions is sp.true and eq.proved
    expected = (1 - R) * beta * (a + g * k) + R * a_o
    assert sp.simplify(eq["u"] - expected) == 0
    assert sp.simplify(sp.diff(eq["u"], R) - (a_o - beta * (a + g * k))) == 0


def test_hold_up_underinvestment():
    # DOMAIN.md, model HU; Grossman and Hart (1986): each party invests less than the first best.
    eq = models.hold_up().solve().equilibria[0]
    fb = models.hold_up_first_best().solve().equilibria[0]
    game = models.hold_up()
    beta, ts, tl, w = (game.symbol(s) for s in ("beta", "theta_S", "theta_L", "w"))
    assert sp.simplify(eq["x"] - beta * ts / w) == 0
    assert sp.simplify(eq["y"] - (1 - beta) * tl) == 0
    assert sp.simplify(fb["x"] - ts / w) == 0 and sp.simplify(fb["y"] - tl) == 0
    ctx = game.assumptions
    assert ctx.decide(eq["x"] < fb["x"]) is True
    assert ctx.decide(eq["y"] < fb["y"]) is True
    total_eq = sum(eq.payoffs.values())
    assert ctx.decide(total_eq < fb.payoffs["planner"]) is True


def test_integration_shifts_investment_to_the_owner():
    # Under integration the supplier's share falls to beta (1 - delta): it invests less, the lead firm more.
    out = models.hold_up("outsourcing").solve().equilibria[0]
    game = models.hold_up("integration")
    inside = game.solve().equilibria[0]
    ctx = game.assumptions
    assert ctx.decide(inside["x"] < out["x"]) is True
    assert ctx.decide(inside["y"] > out["y"]) is True


def test_catalogue_games_print_and_render():
    for game in (models.upgrading(), models.hold_up(), models.stackelberg()):
        assert game.name in str(game)
        assert game._repr_latex_().startswith("$")
        assert "Equilibrium" in str(game.solve())


def test_solution_at_filters_by_region():
    b, k = gg.parameters("b k", positive=True)
    e = gg.actions("e", domain="[0, 1]")
    sol = gg.ContinuousGame({"S": (e, b * e - k * e**2 / 2)}).solve()
    assert [eq.case for eq in sol.at({"b": 1, "k": 2})] == ["e interior"]
    assert [eq.case for eq in sol.at({"b": 3, "k": 2})] == ["e = 1"]
