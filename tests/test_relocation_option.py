"""RO: the engine derives the FOC, gives up symbolically, and scipy solves it (checked by brute force)."""

import numpy as np
import pytest
import sympy as sp

import gvcgames as gg
from gvcgames.models.relocation_option import option_values, trigger_formula

RO = gg.models.relocation_option()


def values(sigma=0.2):
    return {"m": 1.0, "c": 2.0, "r": 0.05, "x0": 0.5, **option_values(r=0.05, mu=0.01, sigma=sigma, I=10.0, delta=0.1)}


def test_symbolic_route_says_it_gave_up():
    sol = RO.solve(time_budget=5)
    assert not sol.converged and "cannot solve the first-order conditions" in sol.message
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
