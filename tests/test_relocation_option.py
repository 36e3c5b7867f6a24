"""RO: the engine derives the FOC, gives up symbolically, and scipy solves it (checked by brute force)."""

import math
import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.models.relocation_option import (
    foc_system,
    option_values,
    relocation_option,
    solve_regions,
    trigger_formula,
)

RO = gg.models.relocation_option()


def values(sigma=0.2):
    return {"m": 1.0, "c": 2.0, "r": 0.05, "x0": 0.5, **option_values(r=0.05, mu=0.01, sigma=sigma, I=10.0, delta=0.1)}


def test_symbolic_route_says_it_gave_up():
    sol = RO.solve(time_budget=5)
    # sympy either reports the FOC unsolvable or runs out of its budget (on a loaded machine)
    assert not sol.converged
    assert "cannot solve the first-order conditions" in sol.message or "time budget" in sol.message
    focs = sol.derivation.of_kind("foc")
    assert focs and "x_star" in str(focs[0])


def brute_force(vals):
    e = np.linspace(0, 0.999999, 200001)
    payoff = (
        vals["m"] / vals["r"] * (1 - (vals["x0"] * (1 - e) / vals["x_star"]) ** vals["beta"]) - vals["c"] * e**2 / 2
    )
    return e[np.argmax(payoff)]


@pytest.mark.parametrize("sigma", [0.1, 0.2, 0.4])
def test_numeric_optimum_matches_brute_force(sigma):
    vals = values(sigma)
    sol = RO.solve_at(vals)
    assert sol.converged, sol.message
    e = sol.equilibria[0][RO.symbol("e")]
    assert float(e) == pytest.approx(brute_force(vals), abs=1e-5)


def test_trigger_formula_matches_dixit_pindyck():
    # Dixit and Pindyck (1994), ch. 5: x* = beta/(beta - 1) (r - mu)(I + delta/r).
    x_star, beta = trigger_formula()
    r, mu, sigma, I, delta = (
        next(s for s in x_star.free_symbols | beta.free_symbols if s.name == n)
        for n in ("r", "mu", "sigma", "I", "delta")
    )
    point = {r: 0.05, mu: 0.01, sigma: 0.2, I: 10.0, delta: 0.1}
    b = float(beta.subs(point))
    assert 0.5 * 0.04 * b * (b - 1) + 0.01 * b - 0.05 == pytest.approx(0, abs=1e-12)
    assert float(x_star.subs(point)) == pytest.approx(b / (b - 1) * (0.05 - 0.01) * (10 + 0.1 / 0.05))
    assert sp.simplify(beta.subs({mu: 0, r: sigma**2}) - 2) == 0


# --- e* near 1: bracketed one-dimensional maximisation -----------------------------------------


def ro_payoff(vals, e):
    """The MSE's payoff for every x0 (immediate relocation where x0 (1 - e) >= x*)."""
    e = np.asarray(e, dtype=float)
    ratio = vals["x0"] * (1 - e) / vals["x_star"]
    with np.errstate(all="ignore"):
        relation = np.where(ratio < 1, vals["m"] / vals["r"] * (1 - np.minimum(ratio, 1) ** vals["beta"]), 0.0)
    return relation - vals["c"] * e**2 / 2


def brute_optimum(vals):
    """Grid on [0, 1), then a finer grid around the best point: the payoff and its maximiser."""
    grid = np.linspace(0, 1, 200001)[:-1]
    i = int(np.argmax(ro_payoff(vals, grid)))
    fine = np.linspace(grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)], 20001)
    j = int(np.argmax(ro_payoff(vals, fine)))
    return float(fine[j]), float(ro_payoff(vals, fine[j]))


def check_against_brute_force(game, vals):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no 'invalid value in scalar power' either
        sol = game.solve_at(vals)
    assert sol.converged, (vals, sol.message)
    e = float(sol.equilibria[0][game.actions[0]])
    e_brute, best = brute_optimum(vals)
    value = float(ro_payoff(vals, e))
    assert value >= best - 1e-10 * max(1.0, abs(best)), (vals, e, e_brute)
    assert e == pytest.approx(e_brute, abs=1e-4), vals
    return e


def test_prevention_close_to_one_is_found():
    # The audit's case: brentq on the FOC gives e* = 0.99992; the natural-map route failed.
    vals = {"m": 1.0, "c": 1.0, "r": 0.04, **option_values(r=0.04, mu=0.03, sigma=0.1, I=10.0, delta=0.1)}
    vals["x0"] = 0.5 * vals["x_star"]
    e = check_against_brute_force(RO, vals)
    assert 0.9999 < e < 1
    foc = sp.lambdify(
        RO.actions[0], sp.diff(RO.players[0].payoff, RO.actions[0]).subs({RO.symbol(k): v for k, v in vals.items()})
    )
    assert foc(e) >= 0 >= foc(np.nextafter(e, 2))  # the FOC changes sign at e*, to machine precision


primitives = st.fixed_dictionaries(
    {
        "r": st.floats(0.02, 0.1),
        "mu_share": st.floats(-1.0, 0.95),
        "sigma": st.floats(0.05, 0.6),
        "I": st.floats(1.0, 20.0),
        "delta": st.floats(0.0, 1.0),
        "m": st.floats(0.2, 3.0),
        "c": st.floats(0.2, 5.0),
    }
)


def draw_values(p, x0_share):
    r = p["r"]
    vals = {"m": p["m"], "c": p["c"], "r": r}
    vals.update(option_values(r=r, mu=p["mu_share"] * r, sigma=p["sigma"], I=p["I"], delta=p["delta"]))
    vals["x0"] = x0_share * vals["x_star"]
    return vals


@settings(max_examples=40, deadline=None)
@given(p=primitives, x0_share=st.floats(0.05, 0.999))
def test_waiting_regime_matches_brute_force(p, x0_share):
    check_against_brute_force(RO, draw_values(p, x0_share))


@pytest.mark.parametrize("seed", range(3))
def test_many_draws_with_prevention_above_099_match_brute_force(seed):
    rng = np.random.default_rng(seed)
    high = 0
    for _ in range(15):
        p = {
            "r": rng.uniform(0.02, 0.1),
            "mu_share": rng.uniform(0.5, 0.95),  # drift close to r: beta near 1, e* near 1
            "sigma": rng.uniform(0.05, 0.3),
            "I": rng.uniform(1, 20),
            "delta": rng.uniform(0, 1),
            "m": rng.uniform(0.5, 3),
            "c": rng.uniform(0.2, 2),
        }
        high += check_against_brute_force(RO, draw_values(p, rng.uniform(0.3, 0.99))) > 0.99
    assert high >= 5  # the draws do exercise e* > 0.99


# --- every x0: immediate relocation, holding the lead firm, giving up --------------------------------

ALL = relocation_option("all")


@settings(max_examples=40, deadline=None)
@given(p=primitives, x0_share=st.floats(0.05, 5.0))
def test_the_model_for_every_x0_matches_brute_force(p, x0_share):
    check_against_brute_force(ALL, draw_values(p, x0_share))


def test_regimes_agree_where_they_overlap():
    vals = values()
    e_wait = float(RO.solve_at(vals).equilibria[0]["e"])
    assert float(ALL.solve_at(vals).equilibria[0]["e"]) == pytest.approx(e_wait, abs=1e-10)
    holding = relocation_option("holding")
    beyond = {**vals, "x0": 3.0}  # x* = 1.04: the lead firm would relocate at once
    e_hold = float(holding.solve_at(beyond).equilibria[0]["e"])
    assert e_hold > 1 - beyond["x_star"] / beyond["x0"]
    assert float(ALL.solve_at(beyond).equilibria[0]["e"]) == pytest.approx(e_hold, abs=1e-10)
    with pytest.raises(gg.errors.InvalidValuesError, match="x0 < x_star"):
        RO.solve_at(beyond)  # the waiting regime is only the region x0 < x*


def test_the_closed_form_region_where_the_mse_gives_up():
    sol = solve_regions(time_budget=5)
    (give_up,) = sol.equilibria
    assert give_up[ALL.actions[0]] == 0 and not sol.converged
    assert "relocates at once" in give_up.case
    # inside the region (costly prevention, x0 far beyond x*) the numeric optimum is e = 0 ...
    vals = {**values(), "c": 100.0, "x0": 5.0}
    assert give_up.holds_at(vals) is True
    assert float(ALL.solve_at(vals).equilibria[0]["e"]) == 0.0
    check_against_brute_force(ALL, vals)
    # ... and where the MSE holds the lead firm the region does not claim it
    assert give_up.holds_at({**values(), "x0": 3.0}) is False
    # the region is derived by the engine: the corner of the holding game appears in it
    text = str(give_up.conditions)
    assert "x0 >= x_star" in text and "beta*m*x0**2" in text


def test_unknown_regime():
    with pytest.raises(gg.errors.InvalidSpecError, match="regime must be one of"):
        relocation_option("later")


# --- the FOC system for implicit statics -----------------------------------------------------------


def test_foc_system_gives_the_signs_of_the_comparative_statics():
    system = foc_system()
    (foc,), (e,) = system.equations, system.variables
    assert system.jacobian_sign == gg.Sign.NEGATIVE and system.assumptions.relations
    by_name = {s.name: s for s in system.parameters}
    assert set(by_name) == {"beta", "c", "m", "r", "x0", "x_star"}
    vals = values()
    e_star = float(RO.solve_at(vals).equilibria[0]["e"])
    for name, sign in (("m", 1), ("c", -1), ("r", -1), ("x0", 1), ("x_star", -1)):
        ift = gg.implicit_statics(foc, e, by_name[name], at={**vals, "e": e_star}, symbolic=False)
        h = 1e-6 * vals[name]
        up = float(RO.solve_at({**vals, name: vals[name] + h}).equilibria[0]["e"])
        down = float(RO.solve_at({**vals, name: vals[name] - h}).equilibria[0]["e"])
        assert float(ift.values[0][0]) == pytest.approx((up - down) / (2 * h), rel=1e-4)
        assert math.copysign(1, float(ift.values[0][0])) == sign


def test_foc_system_in_primitives():
    system = foc_system(primitives=True)
    names = {s.name for s in system.parameters}
    assert {"sigma", "mu", "I", "delta", "r", "m", "c", "x0"} <= names and "beta" not in names
    assert system.substitutions and system.jacobian_sign == gg.Sign.NEGATIVE
    assert any("mu" in str(rel) for rel in system.assumptions.relations)
    holding = foc_system("holding")
    assert holding.assumptions.relations[0] == (holding.parameters[4] >= holding.parameters[5])
