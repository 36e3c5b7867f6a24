"""Gambit interop: .nfg and .efg files, read back with pygambit and cross-checked."""

import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import gvcgames as gg
from gvcgames.export.gambit import to_efg, to_nfg

PD = gg.NormalFormGame(["row", "col"], [["C", "D"], ["C", "D"]], ([[3, 0], [5, 1]], [[3, 5], [0, 1]]), name="PD")


def random_game(rng, shape, rational=False):
    players = [f"p{i}" for i in range(len(shape))]
    labels = [[f"a{i}{k}" for k in range(n)] for i, n in enumerate(shape)]
    table = {}
    for prof in itertools.product(*(range(n) for n in shape)):
        values = rng.integers(-20, 20, len(shape))
        payoffs = tuple(sp.Rational(int(v), 3) if rational else int(v) for v in values)
        table[tuple(labels[i][a] for i, a in enumerate(prof))] = payoffs
    return gg.NormalFormGame(players, labels, table)


def ours_exact(game):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gg.DegenerateGameWarning)
        sol = game.equilibria(exact=True)
    return {tuple(tuple(Fraction(int(p.p), int(p.q)) for p in eq[pl].values()) for pl in game.players) for eq in sol}


def theirs_exact(gbt_game):
    import pygambit

    result = pygambit.nash.enummixed_solve(gbt_game, rational=True)
    return {
        tuple(tuple(Fraction(str(eq[s])) for s in player.strategies) for player in gbt_game.players)
        for eq in result.equilibria
    }


def test_nfg_text_layout():
    text = to_nfg(PD)
    assert text.startswith('NFG 1 R "PD" { "row" "col" }')
    assert text.splitlines()[-1] == "3 3 5 0 0 5 1 1"  # first player's strategy changes fastest


def test_numbers_are_exact_and_labels_escaped():
    game = gg.NormalFormGame(
        ['say "hi"', "b"], [["x"], ["y", "z"]], {("x", "y"): (sp.Rational(1, 3), 0.25), ("x", "z"): (-2, 7)}
    )
    text = to_nfg(game)
    assert '"say \\"hi\\""' in text and text.splitlines()[-1] == "1/3 0.25 -2 7"


def test_symbolic_payoffs_are_refused():
    a = gg.parameters("a", positive=True)
    game = gg.NormalFormGame(["r", "c"], [["x"], ["y"]], {("x", "y"): (a, 1)})
    with pytest.raises(gg.InvalidValuesError, match=r"payoffs still depend on \['a'\]; export a numeric instance"):
        to_nfg(game)
    with pytest.raises(gg.InvalidValuesError, match=r"payoff of 'r' at \(x, y\) is sqrt\(2\), not a rational"):
        to_efg(game.at({"a": sp.sqrt(2)}))
    with pytest.raises(gg.InvalidSpecError, match="needs a NormalFormGame, got int"):
        to_nfg(3)


def test_files_are_written(tmp_path):
    text = to_nfg(PD, tmp_path / "pd.nfg")
    assert (tmp_path / "pd.nfg").read_text() == text
    text = to_efg(PD, tmp_path / "pd.efg", title="tree")
    assert (tmp_path / "pd.efg").read_text() == text and text.startswith('EFG 2 R "tree"')
    assert text.count("\nt ") == 4 and text.count("\np ") == 3


# ----------------------------------------------------------------------------------------------
# round trips through pygambit


@pytest.fixture
def gbt():
    return pytest.importorskip("pygambit")


def test_nfg_round_trip_payoffs(gbt, tmp_path):
    rng = np.random.default_rng(0)
    game = random_game(rng, (2, 3, 2), rational=True)
    to_nfg(game, tmp_path / "g.nfg")
    back = gbt.read_nfg(str(tmp_path / "g.nfg"))
    assert [p.label for p in back.players] == list(game.players)
    assert [[s.label for s in p.strategies] for p in back.players] == [list(a) for a in game.actions]
    for prof in game.profiles():
        strategies = [list(p.strategies)[k] for p, k in zip(back.players, prof, strict=True)]
        got = [Fraction(str(back[strategies][p])) for p in back.players]
        assert got == [Fraction(int(v.p), int(v.q)) for v in game.table[prof]]


@pytest.mark.parametrize("seed", range(4))
def test_equilibria_match_gambit_enummixed_exact(gbt, tmp_path, seed):
    rng = np.random.default_rng(seed)
    game = random_game(rng, (3, 4) if seed % 2 else (4, 4), rational=bool(seed % 2))
    to_nfg(game, tmp_path / "g.nfg")
    assert ours_exact(game) == theirs_exact(gbt.read_nfg(str(tmp_path / "g.nfg")))


def test_degenerate_game_matches_gambit_extreme_equilibria(gbt, tmp_path):
    game = gg.NormalFormGame(["r", "c"], [["x", "y"], ["l", "m"]], ([[1, 1], [1, 0]], [[1, 1], [0, 0]]))
    to_nfg(game, tmp_path / "g.nfg")
    assert ours_exact(game) == theirs_exact(gbt.read_nfg(str(tmp_path / "g.nfg")))


def test_efg_tree_has_the_same_strategic_form_and_equilibria(gbt, tmp_path):
    rng = np.random.default_rng(7)
    game = random_game(rng, (3, 3))
    to_efg(game, tmp_path / "g.efg")
    tree = gbt.read_efg(str(tmp_path / "g.efg"))
    assert tree.is_perfect_recall  # one information set per player, nothing to forget
    assert [len(p.infosets) for p in tree.players] == [1, 1]
    assert [len(p.strategies) for p in tree.players] == [3, 3]
    assert ours_exact(game) == theirs_exact(tree)


def test_three_player_efg_pure_equilibria(gbt, tmp_path):
    rng = np.random.default_rng(2)
    game = random_game(rng, (2, 2, 2))
    to_efg(game, tmp_path / "g.efg")
    tree = gbt.read_efg(str(tmp_path / "g.efg"))
    theirs = set()
    for prof in itertools.product(*(range(2) for _ in range(3))):
        profile = tree.mixed_strategy_profile(rational=True)
        for player, k in zip(tree.players, prof, strict=True):
            for j, s in enumerate(player.strategies):
                profile[s] = 1 if j == k else 0
        if profile.max_regret() == 0:
            theirs.add(tuple(lab[i] for lab, i in zip(game.actions, prof, strict=True)))
    assert {eq.pure_profile for eq in game.equilibria("pure")} == theirs


def test_float_payoffs_round_trip(gbt, tmp_path):
    game = gg.NormalFormGame(["a", "b"], [["x", "y"], ["l"]], {("x", "l"): (0.1, 1e-5), ("y", "l"): (2.5e10, -3.25e-7)})
    to_nfg(game, tmp_path / "f.nfg")
    back = gbt.read_nfg(str(tmp_path / "f.nfg"))
    players = list(back.players)
    column = next(iter(players[1].strategies))
    got = [[float(back[[s, column]][p]) for p in players] for s in players[0].strategies]
    assert got == [[0.1, 1e-5], [2.5e10, -3.25e-7]]
