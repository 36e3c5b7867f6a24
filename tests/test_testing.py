"""gvcgames.testing: strategies stay admissible, assertions fail with useful messages."""

import types

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.testing import (
    admissible_parameters,
    assert_equilibrium,
    assert_sign,
    assert_symbolic_matches_numeric,
    finite_games,
    quadratic_games,
    regions,
)


def tight_game():
    a, c = gg.parameters("a c", domain="(0, 1)")
    b = gg.parameters("b", positive=True)
    q = gg.actions("q", nonnegative=True)
    # a in (0, 1), c < a, and b < a: a thin slice for rejection sampling
    return gg.ContinuousGame({"firm": (q, (a - c - b * q) * q)}, assumptions=[c < a, a > 0.99])


@given(admissible_parameters(tight_game()))
def test_draws_satisfy_every_domain_and_assumption(values):
    game = tight_game()
    for p in game.parameters:
        assert p.domain.contains(values[p.name]) is sp.true
    subs = {p: values[p.name] for p in game.parameters}
    for rel in game.assumptions.relations:
        assert rel.subs(subs) is sp.true


def test_contradictory_assumptions_are_reported_not_looped():
    a, c = gg.parameters("a c", domain="(0, 1)")
    q = gg.actions("q", nonnegative=True)
    game = gg.ContinuousGame({"firm": (q, (a - q) * q)}, assumptions=[a > c + 0.6, c > 0.6])
    with pytest.raises(gg.InvalidSpecError, match="no admissible parameter point found"):
        admissible_parameters(game)


def test_unbounded_parameter_asks_for_bounds():
    x = gg.parameters("x")
    q = gg.actions("q", nonnegative=True)
    game = gg.ContinuousGame({"firm": (q, x * q - q**2)})
    with pytest.raises(gg.InvalidSpecError, match=r"pass bounds=\{'x': \(lo, hi\)\}"):
        admissible_parameters(game)
    draws = admissible_parameters(game, bounds={"x": (-2, 2)})

    @given(draws)
    def check(values):
        assert -2 <= values["x"] <= 2

    check()


def test_assert_equilibrium_names_player_deviation_and_gain():
    game = gg.models.cournot()
    q1, q2 = game.actions
    with pytest.raises(
        AssertionError, match=r"not an equilibrium at \{'a': 10, 'b': 1, 'c': 1\}(.|\n)*firm1: at q1=1.*gain"
    ):
        assert_equilibrium(game, {q1: 1, q2: 3}, {"a": 10, "b": 1, "c": 1})


def test_assert_symbolic_matches_numeric_catches_a_wrong_formula():
    game = gg.models.cournot()
    eq = game.solve().equilibria[0]
    assert_symbolic_matches_numeric(eq, {"a": 10, "b": 1, "c": 1})
    wrong = gg.Equilibrium(
        {q: sp.Rational(1, 2) * v for q, v in eq.strategies.items()}, eq.payoffs, sp.true, "wrong", game=game
    )
    with pytest.raises(AssertionError, match="symbolic and numeric equilibria differ"):
        assert_symbolic_matches_numeric(wrong, {"a": 10, "b": 1, "c": 1})
    rg = gg.models.reconfiguration()
    mixed = rg.mixed_equilibria().equilibria[0]
    assert_symbolic_matches_numeric(mixed, {"p": 0.5, "theta": 0.5, "D": 10, "d": 4, "m": 3, "kappa": 0.5, "Delta": 4})


def test_assert_sign():
    a, b = gg.parameters("a b", positive=True)
    right = types.SimpleNamespace(derivative=a - b, sign="+")
    assert_sign(right, {"a": 2, "b": 1})
    with pytest.raises(AssertionError, match=r"claimed sign \+ but the derivative a - b is -1 at"):
        assert_sign(right, {"a": 1, "b": 2})


@settings(max_examples=10)
@given(st.data())
def test_regions_draw_inside_the_reported_region(data):
    game = gg.models.reconfiguration()
    eq, values = data.draw(regions(game.solve()))
    assert eq.holds_at(values)
    assert_equilibrium(game, eq, values)


@settings(max_examples=10)
@given(finite_games((2, 3), payoffs="rational"))
def test_random_finite_games_solve_and_check(game):
    for eq in game.solve():
        assert_equilibrium(game, eq, {})


@settings(max_examples=10)
@given(quadratic_games(3))
def test_random_quadratic_games_have_a_unique_checked_equilibrium(game):
    sol = game.solve()
    assert len(sol.equilibria) == 1 and sol.equilibria[0].proved
    assert_equilibrium(game, sol.equilibria[0], {})
    assert_symbolic_matches_numeric(sol.equilibria[0], {})


@settings(max_examples=5)
@given(admissible_parameters(gg.models.cournot()))
def test_draws_are_keyed_by_name_so_failures_paste_back(values):
    assert set(values) == {"a", "b", "c"} and all(isinstance(v, float) for v in values.values())
    assert eval(repr(values)) == values  # the printed falsifying example is valid Python


def test_profiles_are_registered_by_the_plugin():
    from hypothesis import settings as hsettings

    assert hsettings.get_profile("gvcgames-thorough").max_examples == 100
