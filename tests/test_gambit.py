"""Gambit interop: .nfg and .efg files, read back with pygambit and cross-checked."""

import dataclasses
import io
import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

import gvcgames as gg
from gvcgames.errors import MissingDependencyError
from gvcgames.export.gambit import cross_check, to_efg, to_nfg

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


# ----------------------------------------------------------------------------------------------
# labels Gambit cannot read back, and the cross-check


@pytest.mark.parametrize(
    ("label", "shown"),
    [("café", "'é'"), ("two\nlines", r"'\\n'"), ("tab\there", r"'\\t'"), ("back\\slash", r"'\\\\'")],
)
def test_labels_gambit_cannot_read_are_refused(label, shown):
    game = gg.NormalFormGame([label, "b"], [["x", "y"], ["l"]], ([[1], [2]], [[3], [4]]))
    with pytest.raises(
        gg.InvalidSpecError, match=f"player name .* has characters Gambit cannot read back \\({shown}\\)"
    ):
        to_nfg(game)
    with pytest.raises(gg.InvalidSpecError, match="labels='ascii'"):
        to_efg(game)


def test_quotes_round_trip_and_ascii_transliterates(gbt):
    game = gg.NormalFormGame(
        ['say "hi"', "Müller"],
        [["it's", "x{y}"], ["naïve\nplan", "a\\b"]],
        ([[1, 2], [3, 4]], [[5, 6], [7, 8]]),
        name="Gründer",
    )
    with pytest.raises(gg.InvalidSpecError, match="'Müller' has characters"):
        to_nfg(game)
    for text in (to_nfg(game, labels="ascii"), to_efg(game, labels="ascii")):
        back = gbt.read_nfg(io.StringIO(text)) if text.startswith("NFG") else gbt.read_efg(io.StringIO(text))
        assert [p.label for p in back.players] == ['say "hi"', "Muller"]
        assert back.title == "Grunder"
    back = gbt.read_nfg(io.StringIO(to_nfg(game, labels="ascii")))
    assert [[s.label for s in p.strategies] for p in back.players] == [["it's", "x{y}"], ["naive plan", "a/b"]]
    clash = gg.NormalFormGame(["p", "q"], [["é", "e"], ["l"]], ([[1], [2]], [[3], [4]]))
    with pytest.raises(gg.InvalidSpecError, match="not distinct after transliteration"):
        to_nfg(clash, labels="ascii")
    with pytest.raises(gg.InvalidSpecError, match=r"labels must be one of \['strict', 'ascii'\]"):
        to_nfg(PD, labels="utf8")


@pytest.mark.parametrize("seed", range(3))
def test_cross_check_agrees_with_pygambit(gbt, seed):
    rng = np.random.default_rng(seed)
    game = random_game(rng, (3, 3) if seed else (4, 3), rational=bool(seed % 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gg.DegenerateGameWarning)
        exact = cross_check(game)
        floats = cross_check(game, exact=False)
    assert exact and exact.exact and floats and not floats.exact
    assert len(exact.ours) == len(exact.theirs) >= 1 and "agree" in str(exact)
    assert all(isinstance(p, Fraction) for eq in exact.ours for mix in eq for p in mix)


def test_cross_check_reports_a_disagreement(gbt):
    game = gg.NormalFormGame(["r", "c"], [["o", "f"], ["o", "f"]], ([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    full = game.equilibria(exact=True)
    partial = dataclasses.replace(full, equilibria=full.equilibria[:2])
    check = cross_check(game, ours=partial)
    assert not check and len(check.only_theirs) == 1 and check.only_ours == ()
    assert "DISAGREE" in check.summary() and "only in pygambit: r: (0, 1), c: (0, 1)" in check.summary()


def test_cross_check_three_players_compares_pure_equilibria(gbt):
    game = random_game(np.random.default_rng(2), (2, 2, 2))
    check = cross_check(game)
    assert check and "pure equilibria only" in check.message
    assert {eq for eq in check.ours} == {eq for eq in check.theirs}


def test_cross_check_without_pygambit_names_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake(name, *args, **kwargs):
        if name == "pygambit" or name.startswith("pygambit."):
            raise ImportError("no pygambit")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake)
    with pytest.raises(MissingDependencyError, match=r"cross_check needs pygambit(.|\n)*gvcgames\[gambit\]"):
        cross_check(PD)


def _shock_tree():
    # S prevents or not; Nature strikes with probability q; L stays or relocates (see tests/test_tree.py)
    q, kappa, D, Delta = sp.Rational(1, 3), sp.Rational(1, 4), sp.Integer(2), sp.Rational(3, 2)

    def after_shock(loss_stay, pay_stay):
        return gg.Decision(
            "L", {"stay": {"S": pay_stay, "L": -loss_stay}, "relocate": {"S": pay_stay - 1, "L": -Delta}}
        )

    return gg.ExtensiveFormGame(
        gg.Decision(
            "S",
            {
                "prevent": gg.Chance(
                    {"shock": (q, after_shock(D / 2, 1 - kappa)), "calm": (1 - q, {"S": 1 - kappa, "L": 0})}
                ),
                "not": gg.Chance({"shock": (q, after_shock(D, 1)), "calm": (1 - q, {"S": 1, "L": 0})}),
            },
        ),
        name="shock",
    )


def test_game_tree_efg_round_trip_and_our_spe_has_zero_regret_in_gambit(gbt, tmp_path):
    game = _shock_tree()
    path = tmp_path / "shock.efg"
    text = to_efg(game, path)
    assert 'c "" 1 "Nature after prevent" { "shock" 1/3 "calm" 2/3 } 0' in text
    G = gbt.read_efg(str(path))
    assert [p.label for p in G.players] == ["S", "L"]
    infosets = {i.label: i for p in G.players for i in p.infosets}
    assert set(infosets) == {"S at the root", "L after prevent, shock", "L after not, shock"}
    (eq,) = [e for e in game.solve().equilibria if e.holds_at({})]
    profile = G.mixed_behavior_profile(rational=True)
    for label, probs in eq.behaviour.items():
        for action in infosets[label].actions:
            profile[action] = Fraction(str(probs[action.label]))
    assert profile.max_regret() == 0  # subgame perfect here, so a Nash equilibrium of Gambit's tree
    for player in G.players:
        assert profile.payoff(player) == Fraction(str(eq.payoffs[player.label]))


def test_game_tree_with_symbols_is_refused():
    q = gg.parameters("q", domain="(0, 1)")
    game = gg.ExtensiveFormGame(gg.Chance({"a": (q, {"A": 1}), "b": (1 - q, {"A": 0})}))
    with pytest.raises(gg.InvalidValuesError, match=r"still depends on \['q'\]"):
        to_efg(game)
