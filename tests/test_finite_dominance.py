"""Iterated strict dominance: mixed dominators (LP), conditions split into regions, properties."""

import warnings

import numpy as np
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import gvcgames as gg


def game2(A, B, rows, cols):
    return gg.NormalFormGame(["row", "col"], [list(rows), list(cols)], (A, B))


def test_dominance_by_a_mixed_strategy():
    # b pays (1, 1); t/2 + m/2 pays (3/2, 3/2) against l and r: no pure action dominates b
    game = game2([[3, 0], [0, 3], [1, 1]], [[1, 0], [0, 1], [0, 0]], "tmb", "lr")
    dom = game.dominance()
    assert dom.eliminated == [(1, "row", "b", "1/2 t + 1/2 m")]
    assert dom.surviving == {"row": ["t", "m"], "col": ["l", "r"]}
    assert "dominance by mixed strategies is checked" in dom.message
    assert "1/2 t + 1/2 m" in str(dom)


def test_mixed_dominance_with_float_payoffs_in_a_later_round():
    # z is dominated by l; once z is gone, b = (0.9, 1.4) is dominated by t/4 + 3m/4 = (1, 1.5)
    game = game2(
        [[4.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.9, 1.4, 5.0]],
        [[1.0, 0.0, 0.5], [0.0, 1.0, -1.0], [1.0, 0.0, 0.2]],
        "tmb",
        "lrz",
    )
    dom = game.dominance()
    assert dom.eliminated == [(1, "col", "z", "l"), (2, "row", "b", "1/4 t + 3/4 m")]
    assert dom.surviving == {"row": ["t", "m"], "col": ["l", "r"]}


def test_symbolic_players_get_pure_dominance_only_and_say_so():
    a = gg.parameters("a", positive=True)
    game = game2([[3, 0], [0, 3], [1, a]], [[1, 0], [0, 1], [0, 0]], "tmb", "lr")
    dom = game.dominance()
    assert dom.eliminated == []  # t/2 + m/2 dominates b only where a < 3/2: not checked for row
    assert "for row (payoffs with parameters) only dominance by pure actions is checked" in dom.message
    assert "dominance by mixed strategies is checked (linear programming) for col" in dom.message
    assert "b" not in game.at({a: 1}).dominance().surviving["row"]
    assert "b" in game.at({a: 2}).dominance().surviving["row"]


def test_conditional_dominance_is_split_into_regions():
    V, C = gg.parameters("V C", positive=True)
    hd = gg.NormalFormGame(
        ["row", "col"],
        [["hawk", "dove"], ["hawk", "dove"]],
        [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
    )
    dom = hd.dominance()
    assert dom.eliminated == [] and len(dom.conditional) == 2
    assert [case.region for case in dom.cases] == [V > C, C >= V]
    where_v_big, where_c_big = dom.cases
    # where V > C, dove is dominated for row, and then for col: (hawk, hawk) survives
    assert [(p, a) for _, p, a, _ in where_v_big.eliminated] == [("row", "dove"), ("col", "dove")]
    assert where_v_big.surviving == {"row": ["hawk"], "col": ["hawk"]}
    assert where_c_big.eliminated == () and where_c_big.conditional == ()
    assert "by region" in str(dom) and "if V > C" in str(dom)
    unsplit = hd.dominance(split=False)
    assert unsplit.cases == () and "later rounds use only dominance proved on the whole admissible set" in (
        unsplit.message
    )


def test_split_regions_agree_with_numeric_instances():
    a = gg.parameters("a", positive=True)
    game = game2([[a, 2], [1, 1]], [[1, 1], [1, 1]], "xy", "lr")
    dom = game.dominance()
    assert dom.conditional == [("row", "y", "x", a > 1)]
    (holds, fails) = dom.cases
    assert holds.region == (a > 1) and holds.surviving["row"] == ["x"]
    assert bool(fails.region.subs(a, 1)) and not fails.region.subs(a, 2)  # a <= 1
    assert fails.surviving["row"] == ["x", "y"]
    for value, case in ((3, holds), (sp.Rational(1, 2), fails)):
        assert game.at({a: value}).dominance().surviving == case.surviving


small = st.integers(-5, 5)


@settings(max_examples=40, deadline=None)
@given(st.lists(small, min_size=18, max_size=18))
def test_eliminated_actions_are_never_played_in_equilibrium(flat):
    """A strictly dominated action (by a pure or mixed strategy) has probability 0 in every equilibrium."""
    A = np.array(flat[:9]).reshape(3, 3)
    B = np.array(flat[9:]).reshape(3, 3)
    game = game2(A.tolist(), B.tolist(), "tmb", "lrz")
    dom = game.dominance()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gg.DegenerateGameWarning)
        sol = game.equilibria(exact=True)
    for _, player, action, _ in dom.eliminated:
        assert all(eq[player][action] == 0 for eq in sol)
    # each mixture dominates against the opponent's surviving actions, in exact arithmetic
    for _, player, action, by in dom.eliminated:
        if " + " in by:
            other = "col" if player == "row" else "row"
            rows = A if player == "row" else B.T
            labels, their = game.actions[game.players.index(player)], game.actions[game.players.index(other)]
            cols = [their.index(lab) for lab in dom.surviving[other]]
            mix = [
                (sp.Rational(w), rows[labels.index(lab)]) for w, lab in (part.split(" ") for part in by.split(" + "))
            ]
            assert all(sum(w * int(r[k]) for w, r in mix) > int(rows[labels.index(action)][k]) for k in cols)
