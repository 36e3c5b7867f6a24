"""gvcgames.testing: strategies stay admissible, assertions fail with useful messages."""

import subprocess
import sys
import time
import types
import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.errors import UnsupportedError
from gvcgames.results import FiniteEquilibrium
from gvcgames.testing import (
    EmptyAdmissibleSet,
    admissible_parameters,
    assert_equilibrium,
    assert_sign,
    assert_symbolic_matches_numeric,
    finite_games,
    quadratic_games,
    regions,
    sequential_games,
)

CL = gg.models.cluster()


def assert_admissible(game, values):
    """Every domain (integrality included) and every assumption holds at ``values``, exactly."""
    assert set(values) == {p.name for p in game.parameters}
    subs = {}
    for p in game.parameters:
        v = values[p.name]
        if p.is_integer:
            assert isinstance(v, int), f"{p} is an integer parameter but was drawn as {v!r}"
        assert isinstance(v, (int, float))
        subs[p] = v
    for p in game.parameters:
        assert p.domain.subs(subs).contains(subs[p]) is sp.true, (p, p.domain, values)
    for rel in game.assumptions.relations:
        assert rel.subs(subs) is sp.true, (rel, values)


def tight_game():
    a, c = gg.parameters("a c", domain="(0, 1)")
    b = gg.parameters("b", positive=True)
    q = gg.actions("q", nonnegative=True)
    # a in (0, 1), c < a, and a > 0.99: a thin slice for rejection sampling
    return gg.ContinuousGame({"firm": (q, (a - c - b * q) * q)}, assumptions=[c < a, a > 0.99])


@given(admissible_parameters(tight_game()))
def test_draws_satisfy_every_domain_and_assumption(values):
    assert_admissible(tight_game(), values)


def _unit_square_game(*relations):
    a, b = gg.parameters("a b", domain="(0, 1)")
    q = gg.actions("q", nonnegative=True)
    return gg.ContinuousGame({"firm": (q, (a + b - q) * q)}, assumptions=list(relations))


_A, _B = gg.parameters("a b", domain="(0, 1)")
THIN = {
    "a + b < 1/100": _unit_square_game(sp.Lt(_A + _B, sp.Rational(1, 100))),
    "a*b > 49/50": _unit_square_game(sp.Gt(_A * _B, sp.Rational(49, 50))),
    "a**2 + b**2 < 1/100": _unit_square_game(sp.Lt(_A**2 + _B**2, sp.Rational(1, 100))),  # numeric fallback
}


@pytest.mark.parametrize("name", sorted(THIN))
def test_thin_admissible_sets_are_drawn_not_reported_empty(name):
    game = THIN[name]
    start = time.perf_counter()
    draws = admissible_parameters(game)  # used to take 24-37 s and report "contradictory"
    assert time.perf_counter() - start < 10

    @settings(max_examples=30, deadline=None)
    @given(draws)
    def check(values):
        assert_admissible(game, values)

    check()


def test_contradictory_assumptions_are_proved_empty_fast_naming_the_relations():
    a, c = gg.parameters("a c", domain="(0, 1)")
    q = gg.actions("q", nonnegative=True)
    game = gg.ContinuousGame({"firm": (q, (a - q) * q)}, assumptions=[a > c + 0.6, c > 0.6])
    start = time.perf_counter()
    with pytest.raises(gg.InvalidSpecError, match=r"the admissible set is empty: .*c > 0\.6.*a > c \+ 0\.6") as info:
        admissible_parameters(game)
    assert time.perf_counter() - start < 5
    assert "1.2 >= 1" in str(info.value)  # the impossible inequality the elimination found
    assert isinstance(info.value, EmptyAdmissibleSet)


def test_a_nonlinear_empty_set_looks_empty_fast_with_the_relation_named():
    a, b = _A, _B
    game = _unit_square_game(sp.exp(a + b) > sp.Rational(74, 10))  # e**2 < 7.4: empty
    start = time.perf_counter()
    with pytest.raises(
        EmptyAdmissibleSet, match=r"looks empty: no point in \d+ conditional draws .*exp\(a \+ b\) > 37/5"
    ):
        admissible_parameters(game)
    assert time.perf_counter() - start < 5


@settings(max_examples=20)
@given(admissible_parameters(CL))
def test_integer_parameters_are_drawn_as_integers(values):
    assert isinstance(values["N"], int) and values["N"] >= 1  # CL's N used to come out as 3.4467...
    assert_admissible(CL, values)


def test_integer_bounds_are_respected():
    @settings(max_examples=20)
    @given(admissible_parameters(CL, bounds={"N": (2, 4)}))
    def check(values):
        assert values["N"] in (2, 3, 4)
        assert_admissible(CL, values)

    check()


def test_domains_with_symbolic_ends_are_drawn_without_bounds():
    A = gg.parameters("A", positive=True)
    B = gg.parameters("B", domain=sp.Interval.open(0, A))
    q = gg.actions("q", nonnegative=True)
    game = gg.ContinuousGame({"firm": (q, (A - B - q) * q)})

    @settings(max_examples=20)
    @given(admissible_parameters(game))  # used to raise "pass bounds"
    def check(values):
        assert 0 < values["B"] < values["A"]
        assert_admissible(game, values)

    check()


def test_equality_assumptions_are_solved_not_rejected():
    a, b = gg.parameters("a b", positive=True)
    q = gg.actions("q", nonnegative=True)
    game = gg.ContinuousGame({"firm": (q, (a + b - q) * q)}, assumptions=[sp.Eq(a, 2 * b), a < 3])

    @settings(max_examples=15)
    @given(admissible_parameters(game))
    def check(values):
        assert values["a"] == pytest.approx(2 * values["b"]) and 0 < values["a"] < 3

    check()


def test_shrinking_goes_to_round_values_in_the_middle_not_to_a_degenerate_end():
    cournot = gg.models.cournot()
    simplest = find(admissible_parameters(cournot), lambda v: True, settings=settings(database=None))
    assert simplest == {"a": 8.5, "b": 5.5, "c": 5.0}  # used to be {'b': 0.01, 'c': 0.01, 'a': 0.02}
    pr = gg.models.prevention_relocation()
    simplest = find(admissible_parameters(pr), lambda v: True, settings=settings(database=None))
    assert len(set(simplest.values())) == len(simplest)  # distinct: no knife edge such as D*m*p = Fbar*c/2
    assert all(len(repr(v)) <= 4 for v in simplest.values()) and min(simplest.values()) >= 0.5
    # a failing property shrinks to a point where the failure is plain, not to the lower end
    edge = find(
        admissible_parameters(cournot),
        lambda v: v["a"] - v["c"] > 7,
        settings=settings(database=None, max_examples=300),
    )
    assert edge["b"] == 5.5 and edge["a"] - edge["c"] > 7 and min(edge.values()) >= 1


def test_draws_print_readably():
    @settings(max_examples=30)
    @given(admissible_parameters(gg.models.cournot()))
    def check(values):
        for v in values.values():
            assert len(repr(v)) <= 8, values  # e.g. 4.78, not 4.781929302384712

    check()


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


@settings(max_examples=5)
@given(admissible_parameters(gg.models.cournot()))
def test_draws_are_keyed_by_name_so_failures_paste_back(values):
    assert set(values) == {"a", "b", "c"} and all(isinstance(v, float) for v in values.values())
    assert eval(repr(values)) == values  # the printed falsifying example is valid Python


# --- assertions ---------------------------------------------------------------------------------


def test_assert_equilibrium_names_player_deviation_and_gain():
    game = gg.models.cournot()
    q1, q2 = game.actions
    with pytest.raises(
        AssertionError, match=r"not an equilibrium at \{'a': 10, 'b': 1, 'c': 1\}(.|\n)*firm1: at q1=1.*gain"
    ):
        assert_equilibrium(game, {q1: 1, q2: 3}, {"a": 10, "b": 1, "c": 1})


def test_failure_messages_print_plain_numbers():
    game = gg.models.cournot()
    q1, q2 = game.actions
    with pytest.raises(AssertionError, match=r"not an equilibrium at \{'a': 10.0, 'b': 1.0, 'c': 1.0\}"):
        assert_equilibrium(game, {q1: 1, q2: 3}, {"a": np.float64(10), "b": np.float64(1), "c": np.float64(1)})


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


def _two_by_two(table):
    return gg.NormalFormGame(["p1", "p2"], [["a0", "a1"], ["a0", "a1"]], table)


def test_degenerate_finite_games_do_not_give_false_failures():
    v = gg.parameters("v", positive=True)
    game = _two_by_two({("a0", "a0"): (0, 0), ("a0", "a1"): (0, 0), ("a1", "a0"): (0, 0), ("a1", "a1"): (v, v)})
    profiles = []
    for eq in game.solve():
        assert gg.is_equilibrium(game, eq, {"v": 1})
        assert_symbolic_matches_numeric(eq, {"v": 1})  # (a0, a0) used to fail: nashpy only saw (a1, a1)
        profiles.append(eq.pure_profile)
    assert ("a0", "a0") in profiles


def test_a_player_with_all_zero_payoffs_raises_no_type_error():
    w = gg.parameters("w", positive=True)
    game = _two_by_two({("a0", "a0"): (0, 3 * w), ("a0", "a1"): (0, w), ("a1", "a0"): (0, 2 * w), ("a1", "a1"): (0, w)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gg.DegenerateGameWarning)
        for eq in game.solve():
            assert_symbolic_matches_numeric(eq, {"w": 1})


def test_profiles_inside_a_component_match_and_others_are_reported():
    w = gg.parameters("w", positive=True)
    game = _two_by_two({("a0", "a0"): (0, 3 * w), ("a0", "a1"): (0, w), ("a1", "a0"): (0, 2 * w), ("a1", "a1"): (0, w)})
    # p1 is indifferent everywhere and p2 plays a0: every mixture of p1 is an equilibrium
    inside = FiniteEquilibrium(
        {"p1": {"a0": sp.Rational(1, 3), "a1": sp.Rational(2, 3)}, "p2": {"a0": 1, "a1": 0}},
        {},
        sp.true,
        "by hand",
        game=game,
    )
    assert_symbolic_matches_numeric(inside, {"w": 1})
    outside = FiniteEquilibrium(
        {"p1": {"a0": sp.Rational(1, 3), "a1": sp.Rational(2, 3)}, "p2": {"a0": 0, "a1": 1}},
        {},
        sp.true,
        "by hand",
        game=game,
    )
    with pytest.raises(AssertionError, match=r"not among the equilibria of the complete vertex enumeration"):
        assert_symbolic_matches_numeric(outside, {"w": 1})


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(finite_games((3, 3), payoffs="float"))
def test_random_float_games_pass_the_numeric_comparison(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gg.DegenerateGameWarning)
        for eq in game.solve():
            assert_symbolic_matches_numeric(eq, {})


def test_sequential_games_are_compared_with_numeric_backward_induction():
    a, c = gg.parameters("a c", positive=True)
    q1, q2 = gg.actions("q1 q2", nonnegative=True)
    price = a - q1 - q2
    game = gg.SequentialGame(
        [("leader", q1, (price - c) * q1), ("follower", q2, (price - c) * q2)], assumptions=[a > c]
    )
    eq = game.solve().equilibria[0]
    assert_symbolic_matches_numeric(eq, {"a": 10, "c": 1})
    cournot_play = gg.Equilibrium({q1: (a - c) / 3, q2: (a - c) / 3}, eq.payoffs, sp.true, "wrong", game=game)
    with pytest.raises(
        AssertionError,
        match=r"differs from numeric backward induction .*'q1': \(3.0, 4.5.*stage 1 \(leader\) gets 10.125 > 9",
    ):
        assert_symbolic_matches_numeric(cournot_play, {"a": 10, "c": 1})


def test_symmetric_games_are_compared_with_explicit_players():
    (interior, *_) = [eq for eq in CL.solve() if eq.case == "interior"]
    for n in (1, 2, 5):
        values = {"N": n, "alpha": 0.3, "c": 2.0, "m": 1.0, "pi0": 0.2}
        assert interior.holds_at(values)
        assert_symbolic_matches_numeric(interior, values)
    e = CL.action
    wrong = gg.Equilibrium({e: 2 * interior[e]}, interior.payoffs, interior.conditions, "wrong", game=CL)
    with pytest.raises(AssertionError, match=r"differs from the numeric KKT point of the game with 5 explicit players"):
        assert_symbolic_matches_numeric(wrong, {"N": 5, "alpha": 0.3, "c": 2.0, "m": 1.0, "pi0": 0.2})
    with pytest.raises(AssertionError, match=r"N = 2.5 is not a positive integer"):
        assert_symbolic_matches_numeric(interior, {"N": 2.5, "alpha": 0.3, "c": 2.0, "m": 1.0, "pi0": 0.2})


def test_unsupported_games_raise_a_clear_error():
    fake = types.SimpleNamespace(game=object(), strategies={})
    with pytest.raises(
        UnsupportedError, match=r"supports ContinuousGame, SequentialGame .* NormalFormGame; got object"
    ):
        assert_symbolic_matches_numeric(fake, {})


def test_assert_sign_duck_typed():
    a, b = gg.parameters("a b", positive=True)
    right = types.SimpleNamespace(derivative=a - b, sign="+")
    assert_sign(right, {"a": 2, "b": 1})
    with pytest.raises(AssertionError, match=r"claimed sign \+ but the derivative a - b is -1 at"):
        assert_sign(right, {"a": 1, "b": 2})


def _box_result():
    a = gg.parameters("a", positive=True)
    t = gg.parameters("t", domain="(0, 10)")
    x = gg.actions("x")
    game = gg.ContinuousGame({"firm": (x, (sp.Rational(9995, 1000) - t) * a * x - x**2 / 2)})
    (eq,) = game.solve().equilibria
    return gg.comparative_statics(eq, x, a)  # dx*/da = 9.995 - t: positive on the sampled box t in [0.01, 9.99]


def test_assert_sign_on_a_box_proof_says_the_claim_was_limited_to_the_box():
    res = _box_result()
    assert isinstance(res, gg.statics.StaticsResult) and res.certificate == "proved on box"
    assert_sign(res, {"a": 1.0, "t": 5.0})
    with pytest.raises(
        AssertionError,
        match=r"proved only on the box \{'t': \(0.01, 9.99\)\}.*outside it \(t = 9.999 not in \[0.01, 9.99\]\)",
    ):
        assert_sign(res, {"a": 1.0, "t": 9.999})


def test_assert_sign_on_a_proved_result():
    eq = gg.models.hold_up().solve().equilibria[0]
    res = gg.comparative_statics(eq, "x", "w")
    assert res.certificate == "proved"
    draws = regions(eq)

    @settings(max_examples=10)
    @given(draws)
    def check(drawn):
        assert_sign(res, drawn.values)

    check()


# --- strategies of games and regions -----------------------------------------------------------


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


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(sequential_games(2))
def test_random_sequential_games_have_a_unique_checked_equilibrium(game):
    sol = game.solve()
    assert len(sol.equilibria) == 1
    (eq,) = sol.equilibria
    assert_equilibrium(game, eq, {})
    assert_symbolic_matches_numeric(eq, {})


def test_profiles_are_registered_when_the_plugin_is_imported():
    # hypothesis' plugin may load --hypothesis-profile before ours is configured, so the
    # profiles must exist as soon as the module is imported (not only in pytest_configure)
    code = (
        "import gvcgames.pytest_plugin\n"
        "from hypothesis import settings\n"
        "assert settings.get_profile('gvcgames-thorough').max_examples == 100\n"
        "assert settings.get_profile('gvcgames-quick').deadline is None\n"
        "assert settings.get_profile('gvcgames-default').deadline is None\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_the_plugin_imports_without_hypothesis():
    code = "import sys\nsys.modules['hypothesis'] = None\nimport gvcgames.pytest_plugin as p\nassert not p.HAVE_HYPOTHESIS\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
