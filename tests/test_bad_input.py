"""Bad input gets a clear GvcgamesError naming the offending item, never a wrong answer."""

import math

import pytest
import sympy as sp

import gvcgames as gg


@pytest.fixture
def sy():
    a, c = gg.parameters("a c", positive=True)
    q1, q2 = gg.actions("q1 q2", nonnegative=True)
    return a, c, q1, q2


def test_payoff_with_undeclared_symbol(sy):
    a, c, q1, q2 = sy
    z = sp.Symbol("z")
    with pytest.raises(
        gg.UnknownSymbolError, match=r"payoff of 'f1' uses z, which is neither a parameter nor an action"
    ):
        gg.ContinuousGame({"f1": (q1, (a - z - q1) * q1), "f2": (q2, a * q2)})


def test_payoff_with_action_of_no_player(sy):
    a, c, q1, q2 = sy
    q3 = gg.actions("q3", nonnegative=True)
    with pytest.raises(gg.UnknownSymbolError, match=r"uses q3.*an action of no player"):
        gg.ContinuousGame({"f1": (q1, (a - q3 - q1) * q1), "f2": (q2, a * q2)})


def test_action_listed_for_two_players(sy):
    a, c, q1, q2 = sy
    with pytest.raises(gg.InvalidSpecError, match=r"action q1 is listed for two players, 'f1' and 'f2'"):
        gg.ContinuousGame({"f1": (q1, -(q1**2)), "f2": ((q1, q2), -(q2**2))})


def test_action_listed_twice_for_one_player(sy):
    a, c, q1, q2 = sy
    with pytest.raises(gg.InvalidSpecError, match=r"player 'f1' lists an action twice"):
        gg.ContinuousGame({"f1": ((q1, q1), -(q1**2))})


def test_plain_symbol_as_action(sy):
    x = sp.Symbol("x")
    with pytest.raises(gg.InvalidSpecError, match=r"action x of 'f1' is a Symbol, not an action; create actions"):
        gg.ContinuousGame({"f1": (x, -(x**2))})


def test_empty_and_inverted_intervals():
    with pytest.raises(gg.InvalidSpecError, match="empty or inverted"):
        gg.actions("e", domain="[1, 0]")
    with pytest.raises(gg.InvalidSpecError, match="empty or inverted"):
        gg.actions("e", domain="(0, 0)")


def test_assumption_contradicting_domains(sy):
    a, c, q1, q2 = sy
    p = gg.parameters("p", domain="(0, 1)")
    with pytest.raises(
        gg.InvalidSpecError, match=r"assumption p > 3/2 contradicts the domains.*p in Interval.open\(0, 1\)"
    ):
        gg.ContinuousGame({"f1": (q1, -(q1**2) + p * q1)}, assumptions=[p > sp.Rational(3, 2)])
    with pytest.raises(gg.InvalidSpecError, match="evaluated to False"):
        gg.ContinuousGame({"f1": (q1, -(q1**2) + a * q1)}, assumptions=[a < 0])


@pytest.mark.parametrize(
    ("payoff", "match"),
    [
        ("a*q1", "got str 'a\\*q1'"),
        (None, "got NoneType None"),
        (math.nan, "is nan, not a finite expression"),
        (math.inf, "is inf, not a finite expression"),
        (sp.nan, "contains nan or an infinity"),
        (object(), "is not a sympy expression"),
        ([1, 2], "is not a sympy expression|must be an expression"),
    ],
)
def test_junk_payoffs(sy, payoff, match):
    a, c, q1, q2 = sy
    with pytest.raises(gg.InvalidSpecError, match=match):
        gg.ContinuousGame({"f1": (q1, payoff)})


def test_bad_player_specs(sy):
    a, c, q1, q2 = sy
    with pytest.raises(gg.InvalidSpecError, match="players must be a mapping"):
        gg.ContinuousGame([("f1", q1, -(q1**2))])
    with pytest.raises(gg.InvalidSpecError, match=r"player 'f1' must map to \(actions, payoff\)"):
        gg.ContinuousGame({"f1": q1})
    with pytest.raises(gg.InvalidSpecError, match="has no actions"):
        gg.ContinuousGame({"f1": ((), -(q1**2))})
    with pytest.raises(gg.InvalidSpecError, match="at least one player"):
        gg.ContinuousGame({})
    with pytest.raises(gg.InvalidSpecError, match="stages must be a non-empty list"):
        gg.SequentialGame([])
    with pytest.raises(gg.InvalidSpecError, match=r"stage 1 must be \(player, actions, payoff\)"):
        gg.SequentialGame([("leader", q1)])


def test_player_in_two_stages_with_different_payoffs(sy):
    a, c, q1, q2 = sy
    with pytest.raises(gg.InvalidSpecError, match="moves in several stages with different payoffs"):
        gg.SequentialGame([("L", q1, a * q1 - q1**2), ("L", q2, a * q2 - q2**2)])


def test_unbounded_payoff_has_no_equilibrium_and_says_why(sy):
    a, c, q1, q2 = sy
    with pytest.raises(gg.NoEquilibriumError, match=r"increases in q1 without bound"):
        gg.ContinuousGame({"f1": (q1, a * q1)}).solve()


def test_convex_payoff_on_unbounded_set(sy):
    a, c, q1, q2 = sy
    with pytest.raises(gg.NoEquilibriumError, match=r"convex in q1 on an unbounded interval"):
        gg.ContinuousGame({"f1": (q1, q1**2 - a * q1)}).solve()


def test_soc_failing_everywhere():
    x = gg.actions("x")
    a = gg.parameters("a", positive=True)
    with pytest.raises(gg.NoEquilibriumError, match="second-order condition of P fails"):
        gg.ContinuousGame({"P": (x, a * x**2)}).solve()


def test_unknown_names_in_lookups():
    game = gg.models.cournot()
    with pytest.raises(KeyError, match="no parameter or action named 'zz'"):
        game.symbol("zz")
    with pytest.raises(KeyError, match="no player 'zz'"):
        game.player("zz")
    eq = game.solve().equilibria[0]
    with pytest.raises(KeyError, match="no action named 'zz'"):
        eq["zz"]


def test_cournot_needs_a_positive_integer():
    with pytest.raises(gg.InvalidSpecError, match="positive integer, got 0"):
        gg.models.cournot(0)
    with pytest.raises(gg.InvalidSpecError, match="governance must be one of"):
        gg.models.hold_up("merger")
