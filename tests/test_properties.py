"""Property tests: at random admissible parameters every equilibrium passes is_equilibrium,
and symbolic equilibria agree with an independent numeric KKT solve to 1e-8."""

import pytest
from hypothesis import given

import gvcgames as gg
from gvcgames import models
from gvcgames.solve.numeric import kkt_point
from gvcgames.testing import admissible_parameters, assert_equilibrium

SIMULTANEOUS = {
    "cournot2": models.cournot(2),
    "cournot3": models.cournot(3),
    "upgrading": models.upgrading(),
    "hold_up": models.hold_up(),
    "hold_up_integration": models.hold_up("integration"),
    "first_best": models.hold_up_first_best(),
    "integrated_chain": models.integrated_chain(),
}
SEQUENTIAL = {"stackelberg": models.stackelberg(), "double_marginalisation": models.double_marginalisation()}
SOLVED = {name: game.solve() for name, game in {**SIMULTANEOUS, **SEQUENTIAL}.items()}


def _holding(name, values):
    found = [eq for eq in SOLVED[name].equilibria if eq.holds_at(values)]
    assert found, f"no equilibrium of {name} holds at {values}"
    return found


@pytest.mark.parametrize("name", sorted(SOLVED))
def test_equilibria_pass_the_deviation_check(name):
    game = SOLVED[name].game

    @given(admissible_parameters(game))
    def check(values):
        for eq in _holding(name, values):
            assert_equilibrium(game, eq, values)

    check()


@pytest.mark.parametrize("name", sorted(SIMULTANEOUS))
def test_symbolic_equals_numeric(name):
    game = SIMULTANEOUS[name]

    @given(admissible_parameters(game))
    def check(values):
        (eq,) = _holding(name, values)
        numeric = kkt_point(game, values)
        assert numeric.converged, numeric.message
        symbolic = eq.at(values)
        for action, x in symbolic.items():
            assert abs(numeric[action] - x) <= 1e-8 * (1 + abs(x)), (action, numeric[action], x)

    check()


def test_bounded_choice_regions_agree_with_numeric_solution():
    b, k = gg.parameters("b k", positive=True)
    e = gg.actions("e", domain="[0, 1]")
    game = gg.ContinuousGame({"S": (e, b * e - k * e**2 / 2)})
    sol = game.solve()

    @given(admissible_parameters(game))
    def check(values):
        holding = sol.at(values)
        assert len(holding) == 1  # the regions partition the parameter space
        numeric = kkt_point(game, values)
        assert abs(numeric[e] - holding[0].at(values)[e]) <= 1e-8
        assert_equilibrium(game, holding[0], values)

    check()


def test_wrong_profiles_fail_the_check():
    game = models.cournot(2)
    q1, q2 = game.actions

    @given(admissible_parameters(game))
    def check(values):
        eq = SOLVED["cournot2"].equilibria[0].at(values)
        wrong = {q1: eq[q1] * 1.5 + 0.1, q2: eq[q2]}
        assert not gg.is_equilibrium(game, wrong, values)

    check()
