"""Bad input to the statics layer: clear errors that name the item."""

import pytest
import sympy as sp

import gvcgames as gg
from gvcgames import models
from gvcgames.statics import (
    EmptyBoxError,
    NotAParameterError,
    OutcomeError,
    SingularJacobianError,
    comparative_statics,
    payoff_of,
    prove_sign_on_box,
    sample_admissible,
    statics_table,
)


@pytest.fixture(scope="module")
def up():
    game = models.upgrading()
    return game, game.solve().equilibria[0]


def test_error_classes_refine_builtins():
    assert issubclass(NotAParameterError, gg.InvalidSpecError) and issubclass(NotAParameterError, ValueError)
    assert issubclass(OutcomeError, gg.InvalidSpecError)
    assert issubclass(SingularJacobianError, gg.GvcgamesError) and issubclass(SingularJacobianError, ValueError)
    assert issubclass(EmptyBoxError, gg.InvalidValuesError)


def test_wrt_must_be_a_parameter_of_the_game(up):
    game, eq = up
    u = game.actions[0]
    with pytest.raises(NotAParameterError, match=r"respect to u: it is an action \(chosen in equilibrium\)"):
        comparative_statics(eq, u, u)
    with pytest.raises(NotAParameterError, match=r"'u': it is an action.*parameters: \['R', 'a', 'a_o'"):
        comparative_statics(eq, u, "u")
    with pytest.raises(NotAParameterError, match=r"'zeta': it is not a parameter of this game"):
        comparative_statics(eq, u, "zeta")
    with pytest.raises(NotAParameterError, match=r"respect to z \(Symbol\): it is not a gg.parameters symbol"):
        comparative_statics(eq, u, sp.Symbol("z"))
    other = gg.parameters("delta", positive=True)
    with pytest.raises(NotAParameterError, match=r"respect to delta: it is not a parameter of this game"):
        comparative_statics(eq, u, other)


def test_outcome_must_depend_on_the_equilibrium(up):
    game, eq = up
    R, a = game.symbol("R"), game.symbol("a")
    with pytest.raises(OutcomeError, match=r"outcome R is a parameter: it does not depend on the equilibrium"):
        comparative_statics(eq, R, a)
    with pytest.raises(OutcomeError, match=r"outcome 'R\*a' does not depend on the equilibrium: it contains none"):
        comparative_statics(eq, R * a, a)
    stranger = gg.actions("v")
    with pytest.raises(OutcomeError, match=r"outcome v is not an action of this equilibrium; actions: \['u'\]"):
        comparative_statics(eq, stranger, a)
    with pytest.raises(OutcomeError, match=r"uses \['z'\], which are neither actions"):
        comparative_statics(eq, game.actions[0] * sp.Symbol("z"), a)
    with pytest.raises(OutcomeError, match=r"unknown outcome 'profit'; this equilibrium has: \['u', 'payoff:MSE'\]"):
        comparative_statics(eq, "profit", a)
    with pytest.raises(OutcomeError, match=r"'payoff:L': no player 'L'; players: \['MSE'\]"):
        comparative_statics(eq, "payoff:L", a)
    with pytest.raises(OutcomeError, match=r"no player 'L' in this equilibrium"):
        comparative_statics(eq, payoff_of("L"), a)
    with pytest.raises(OutcomeError, match="neither an action"):
        comparative_statics(eq, object(), a)


def test_finite_outcomes():
    V, C = gg.parameters("V C", positive=True)
    game = gg.NormalFormGame(
        ["row", "col"],
        [["hawk", "dove"], ["hawk", "dove"]],
        [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
        assumptions=[C > V],
    )
    (mixed,) = game.mixed_equilibria().equilibria
    assert comparative_statics(mixed, "row:hawk", C).sign == gg.Sign.NEGATIVE
    with pytest.raises(OutcomeError, match=r"unknown outcome 'row:fight'.*'row:hawk'"):
        comparative_statics(mixed, "row:fight", C)
    with pytest.raises(OutcomeError, match="use 'PLAYER:ACTION' for a probability"):
        comparative_statics(mixed, V, C)


def test_method_and_form_options(up):
    game, eq = up
    with pytest.raises(gg.InvalidSpecError, match=r"method must be one of \('direct', 'ift'\), got 'numeric'"):
        comparative_statics(eq, "u", "R", method="numeric")
    with pytest.raises(gg.InvalidSpecError, match="form must be 'wide' or 'long'"):
        statics_table(eq, form="tall")
    a = game.symbol("a")
    q1, q2 = gg.actions("q1 q2", nonnegative=True)
    leader_follower = gg.SequentialGame([("leader", q1, a * q1 - q1**2 - q1 * q2), ("follower", q2, q1 * q2 - q2**2)])
    stack = leader_follower.solve().equilibria[0]
    with pytest.raises(gg.InvalidSpecError, match="method='ift' needs an equilibrium of a simultaneous"):
        comparative_statics(stack, "q1", "a", method="ift")


def test_singular_jacobian_at_the_equilibrium():
    a = gg.parameters("a", positive=True)
    x, y = gg.actions("x y", nonnegative=True)
    # each player's FOC involves only the sum: D_x F is singular
    game = gg.ContinuousGame({"one": (x, a * x - (x + y) ** 2 / 2), "two": (y, a * y - (x + y) ** 2 / 2)})
    with pytest.warns(gg.MultipleEquilibriaWarning, match="continua of equilibria"):
        eq = game.solve().equilibria[0]
    with pytest.raises(SingularJacobianError, match=r"singular at this equilibrium \(det = 0\).*does not apply"):
        comparative_statics(eq, "x", a, method="ift")


def test_empty_box(up):
    game, eq = up
    a_o = game.symbol("a_o")
    x = gg.parameters("x", domain="(0, 1)")
    with pytest.raises(EmptyBoxError, match=r"the parameter box is empty; give \(lo, hi\) for each of \['x'\]"):
        prove_sign_on_box(x, {})
    with pytest.raises(EmptyBoxError, match=r"the box for x is empty: lower end 0.8 > upper end 0.2"):
        prove_sign_on_box(x, {x: (0.8, 0.2)})
    with pytest.raises(EmptyBoxError, match=r"the box for x, \(2, 3\), does not meet its domain Interval.open\(0, 1\)"):
        prove_sign_on_box(x, {x: (2, 3)})
    with pytest.raises(EmptyBoxError, match=r"contains no admissible point: every part of it violates x > 0.9"):
        prove_sign_on_box(x, {x: (0.1, 0.5)}, constraint=x > 0.9)
    with pytest.raises(gg.InvalidValuesError, match=r"no interval for \['x'\]"):
        prove_sign_on_box(x * a_o, {a_o: (1, 2)})
    # through comparative_statics: a box the user gave must make sense
    res = comparative_statics(eq, "u", "beta")  # proved: no box needed
    assert res.certificate == "proved"
    t = gg.parameters("t", domain="(0, 10)")
    q = gg.actions("q", nonnegative=True)
    box_game = gg.ContinuousGame({"firm": (q, (t**2 - t + 1) * a_o * q - q**2 / 2)})
    (interior,) = [e for e in box_game.solve().equilibria if e.case.endswith("interior")]
    with pytest.raises(EmptyBoxError, match=r"the box for t is empty: lower end 5 > upper end 1"):
        comparative_statics(interior, q, a_o, box={t: (5, 1), a_o: (1, 2)})


def test_sampler_bad_input():
    a = gg.parameters("a", positive=True)
    with pytest.raises(gg.InvalidValuesError, match="n must be a positive integer number of points, got 0"):
        sample_admissible([a], 0)
    with pytest.raises(gg.InvalidSpecError, match="is not a parameter"):
        sample_admissible([gg.actions("x")], 5)
    with pytest.raises(gg.InvalidSpecError, match="needs a game or a list of parameters"):
        sample_admissible(42, 5)


@pytest.mark.parametrize(
    ("box", "message"),
    [
        ({}, "box is empty"),
        ({"R": (0.9, 0.1)}, "lower end 0.9 > upper end 0.1"),
        ({"R": (2, 3)}, "does not meet its domain"),
        ({"zz": (0, 1)}, "the box names 'zz'"),
    ],
)
def test_a_bad_box_is_an_error_even_when_no_box_proof_is_needed(box, message):
    eq = gg.models.upgrading().solve().equilibria[0]  # du*/dR is conditional: no box proof would run
    with pytest.raises(EmptyBoxError, match=message):
        comparative_statics(eq, "u", "R", box=box)


def test_box_keys_may_be_names_and_a_loose_enclosure_is_split():
    t = gg.parameters("t", domain="(0, 10)")
    x = gg.actions("x", domain="(-100, 100)")
    game = gg.ContinuousGame({"A": (x, -((x - (t**3 - t**2 + t)) ** 2))})
    eq = gg.Equilibrium({x: t**3 - t**2 + t}, {"A": sp.Integer(0)}, sp.true, "by hand", game=game)
    # dx*/dt = 3t^2 - 2t + 1 > 0; its naive enclosure on [1, 2] is [0, 11], which only touches 0
    res = comparative_statics(eq, "x", "t", box={"t": (1, 2)}, samples=20)
    assert res.sign == gg.Sign.POSITIVE
    assert prove_sign_on_box(3 * t**2 - 2 * t + 1, {t: (1, 2)}).sign == gg.Sign.POSITIVE
