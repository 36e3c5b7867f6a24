"""is_equilibrium: accepts equilibria, rejects non-equilibria with the deviation named."""

import pytest

import gvcgames as gg


@pytest.fixture
def cournot():
    return gg.models.cournot()


def test_accepts_the_solved_equilibrium(cournot):
    eq = cournot.solve().equilibria[0]
    check = gg.is_equilibrium(cournot, eq, {"a": 10, "b": 1, "c": 1})
    assert check and check.ok and check.conditions_hold is True
    assert all(abs(d.gain) < 1e-6 for d in check.deviations)


def test_rejects_a_wrong_profile_and_names_the_deviation(cournot):
    q1, q2 = cournot.symbol("q1"), cournot.symbol("q2")
    check = gg.is_equilibrium(cournot, {q1: 1, q2: 1}, {"a": 10, "b": 1, "c": 1})
    assert not check
    text = str(check)
    assert "NOT an equilibrium" in text and "firm1" in text and "gain" in text
    dev = check.deviations[0]
    assert dev.best[q1] == pytest.approx(4, abs=1e-6)  # BR to q2 = 1 is (a - c - q2)/2 = 4
    assert dev.gain == pytest.approx(16 - 7, rel=1e-6)  # 4 * (10 - 5 - 1) - 1 * (10 - 2 - 1)


def test_sequential_check_uses_numeric_backward_induction():
    game = gg.models.stackelberg()
    eq = game.solve().equilibria[0]
    values = {"a": 10, "b": 1, "c": 2}
    assert gg.is_equilibrium(game, eq, values)
    q1, q2 = game.symbol("q1"), game.symbol("q2")
    # Cournot quantities are not subgame perfect: the leader gains by producing more.
    check = gg.is_equilibrium(game, {q1: 8 / 3, q2: 8 / 3}, values)
    assert not check
    assert "leader" in str(check)


def test_follower_not_responding_is_caught():
    game = gg.models.stackelberg()
    q1, q2 = game.symbol("q1"), game.symbol("q2")
    check = gg.is_equilibrium(game, {q1: 4, q2: 0}, {"a": 10, "b": 1, "c": 2})
    assert not check
    assert "follower" in str(check)


@pytest.mark.parametrize(
    ("values", "match"),
    [
        ({"a": 10, "b": 1}, r"missing for parameters \['c'\]"),
        ({"a": 10, "b": -1, "c": 1}, "outside its domain"),
        ({"a": 10, "b": 1, "c": float("nan")}, "must be finite"),
        ({"a": 1, "b": 1, "c": 10}, "violate the assumption"),
        ({"a": 10, "b": 1, "c": 1, "zz": 3}, "not a parameter"),
        ({"a": "ten", "b": 1, "c": 1}, "must be a real number"),
    ],
)
def test_bad_values(cournot, values, match):
    eq = cournot.solve().equilibria[0]
    with pytest.raises(gg.InvalidValuesError, match=match):
        gg.is_equilibrium(cournot, eq, values)


def test_profiles_given_as_strings_and_names(cournot):
    values = {"a": 10, "b": 1, "c": 1}
    assert gg.is_equilibrium(cournot, {"q1": "(a - c)/(3*b)", "q2": 3}, values)
    with pytest.raises(gg.InvalidValuesError, match="not a number or expression"):
        gg.is_equilibrium(cournot, {"q1": "(a - ", "q2": 3}, values)


def test_bad_profiles(cournot):
    q1 = cournot.symbol("q1")
    values = {"a": 10, "b": 1, "c": 1}
    with pytest.raises(gg.InvalidValuesError, match=r"no value for actions \['q2'\]"):
        gg.is_equilibrium(cournot, {q1: 1}, values)
    outside = gg.is_equilibrium(cournot, {q1: -1, "q2": 1}, values)
    assert not outside and "q1 = -1 is outside its action set" in str(outside)
    with pytest.raises(gg.InvalidValuesError, match="not an action"):
        gg.is_equilibrium(cournot, {"zz": 1, "q2": 1}, values)
