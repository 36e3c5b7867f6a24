"""Monotone comparative statics: increasing differences, single crossing, region shifts."""

import pytest
import sympy as sp

import gvcgames as gg
from gvcgames import models
from gvcgames.statics import (
    Certificate,
    NotAParameterError,
    increasing_differences,
    regime_shifts,
    region_shift,
    single_crossing,
)


@pytest.fixture(scope="module")
def rg():
    game = models.reconfiguration()
    names = {p.name: p for p in game.parameters}
    return game, game.pure_equilibria(), names


def test_rg_regions_shift_with_disruption_risk(rg):
    game, pure, P = rg
    shifts = {eq.pure_profile: region_shift(eq, P["p"]) for eq in pure}
    assert shifts[("relocate", "not")].direction == "expands"
    assert shifts[("stay", "not")].direction == "shrinks"
    assert shifts[("stay", "prevent")].direction == "not shown"  # prevention pays more, staying less
    assert shifts[("relocate", "not")].certificate == Certificate.PROVED
    assert shifts[("stay", "prevent")].certificate == Certificate.UNKNOWN
    assert "every higher p" in shifts[("relocate", "not")].statement
    # a higher relocation premium: relocating is an equilibrium for fewer parameter values
    assert region_shift(pure[2], P["Delta"]).direction == "shrinks"
    assert region_shift(pure[2], P["kappa"]).direction == "unaffected"
    assert [r.direction for r in regime_shifts(pure, P["theta"])] == ["expands", "shrinks", "unaffected"]


def test_lead_firm_switches_once_at_the_threshold(rg):
    game, pure, P = rg
    p, D, Delta = P["p"], P["D"], P["Delta"]
    # L's gain from relocating against an MSE that does not prevent
    gain = game.payoff("lead firm", ("relocate", "not")) - game.payoff("lead firm", ("stay", "not"))
    res = single_crossing(gain, p)
    assert res.direction == "increasing" and res.certificate == Certificate.PROVED
    assert sp.simplify(res.threshold - Delta / D) == 0
    assert "p > Delta/D" in res.statement
    discrete = increasing_differences(
        {"stay": game.payoff("lead firm", ("stay", "not")), "relocate": -Delta}, "the lead firm's choice", p
    )
    assert discrete.direction == "increasing"
    assert "Topkis" in discrete.statement


def test_single_crossing_from_above_and_with_a_positive_factor():
    a, c, t = gg.parameters("a c t", positive=True)
    res = single_crossing(a * (c - t), t)
    assert res.direction == "decreasing"
    assert res.threshold == c
    assert "from above" in res.statement
    flat = single_crossing(a * c, t)
    assert flat.direction == "constant"
    unclear = single_crossing((t - 1) * (t - 2), t)
    assert unclear.direction == "not shown" and not unclear.shown


def test_increasing_differences_continuous_action():
    game = models.upgrading()
    (player,) = game.players
    (u,) = player.actions
    beta, R = game.symbol("beta"), game.symbol("R")
    res = increasing_differences(player.payoff, u, beta)
    assert res.direction == "increasing" and res.shown
    cond = increasing_differences(player.payoff, u, R)
    assert cond.direction == "not shown"
    assert cond.certificate == Certificate.CONDITIONAL
    assert "a_o > beta*(a + g*k)" in str(cond)
    three = increasing_differences({"low": 0, "mid": R, "high": 3 * R}, "tier", R)
    assert three.direction == "increasing"


def test_corner_regimes_of_a_continuous_game():
    b, k = gg.parameters("b k", positive=True)
    x = gg.actions("x", domain="[0, 1]")
    game = gg.ContinuousGame({"firm": (x, b * x - k * x**2 / 2)})
    sol = game.solve()
    shifts = {eq.case: region_shift(eq, b).direction for eq in sol.equilibria}
    assert shifts == {"x interior": "shrinks", "x = 1": "expands"}
    assert {eq.case: region_shift(eq, k).direction for eq in sol.equilibria} == {
        "x interior": "expands",
        "x = 1": "shrinks",
    }


def test_monotone_bad_input():
    a = gg.parameters("a", positive=True)
    x = gg.actions("x")
    with pytest.raises(NotAParameterError, match="taken in a parameter; x is an action"):
        region_shift(a > 1, x)
    with pytest.raises(NotAParameterError, match="is a Symbol"):
        single_crossing(a, sp.Symbol("z"))
    with pytest.raises(gg.InvalidSpecError, match="at least two options"):
        increasing_differences({"only": a}, "choice", a)
    res = region_shift(sp.And(a > 1, sp.Symbol("flag")), a)
    assert res.direction == "not shown" and "not an And/Or of inequalities" in res.statement
    # Xor is rewritten as And/Or; its inequalities move both ways, so no direction is claimed
    assert region_shift(sp.Xor(a > 1, a < 3), a).direction == "not shown"


def test_region_shift_takes_names_and_negated_conditions():
    pr = gg.models.prevention_relocation()
    no_threat = next(eq for eq in pr.solve() if eq.case == "e = 0; then Pr(lead firm: relocate) = 0")
    # Delta > p D: a likelier shock makes the threat credible, so the no-threat region shrinks in p
    assert region_shift(no_threat, "p").direction == "shrinks"
    with pytest.raises(NotAParameterError, match="not a parameter of this game"):
        region_shift(no_threat, gg.parameters("zz", positive=True))
    a, b = gg.parameters("a b", positive=True)
    # ~(a > b) is a <= b: it gets harder to meet as a rises
    assert region_shift(sp.Not(a > b) & (b < 3), a).direction == "shrinks"
