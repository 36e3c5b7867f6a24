"""Games with more (or fewer) than two players: fully mixed equilibria with complex roots, pygambit cross-checks."""

import itertools

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.solve.finite import _positive, _realness

# The audit's crash: the indifference conditions of this 2x2x2 game have only complex roots
# 205/477 +- 5*sqrt(431)*I/954, and comparing them with 0 raised a TypeError.
COMPLEX_ROOTS = {
    ("a", "a", "a"): (6, -5, -7),
    ("a", "a", "b"): (-4, -2, 6),
    ("a", "b", "a"): (-1, -8, -3),
    ("a", "b", "b"): (2, 6, 4),
    ("b", "a", "a"): (9, -6, 7),
    ("b", "a", "b"): (-8, 1, -4),
    ("b", "b", "a"): (-6, 3, -4),
    ("b", "b", "b"): (1, -5, -7),
}


def three_players(table):
    return gg.NormalFormGame(["p1", "p2", "p3"], [["a", "b"]] * 3, table)


def test_complex_roots_are_dropped_instead_of_crashing():
    game = three_players(COMPLEX_ROOTS)
    mixed = game.mixed_equilibria()
    assert mixed.equilibria == [] and mixed.converged
    assert [case for case, _ in mixed.rejected] == ["full supports", "full supports"]
    assert all("complex root" in why and "I" in why for _, why in mixed.rejected)
    sol = game.solve()  # pure + fully mixed: crashed the same way
    assert {eq.pure_profile for eq in sol} == {eq.pure_profile for eq in game.equilibria("pure")}
    for eq in sol:
        assert gg.is_equilibrium(game, eq, {})


def test_realness_of_roots():
    z = sp.Rational(205, 477) - 5 * sp.sqrt(431) * sp.I / 954
    assert _realness(z) is sp.false
    x = sp.Symbol("x")
    casus = sp.solve(x**3 - 3 * x + 1, x)  # three real roots, each written with I (casus irreducibilis)
    assert all(r.has(sp.I) for r in casus)
    assert all(_realness(r) is sp.true for r in casus)
    assert sorted(bool(_positive(r)) for r in casus) == [False, True, True]  # -1.88, 0.35, 1.53
    a = gg.parameters("a", positive=True)
    assert _realness((a + sp.sqrt(a - 4)) / 2) == sp.Ge(a - 4, 0)  # undecided: kept with its condition
    assert _realness(a + sp.sqrt(a)) is sp.true


def test_fully_mixed_root_with_radicals_is_exact_where_gambits_enumpoly_misses_it():
    # enumpoly_solve (pygambit 16.7) lists 2 equilibria of this game and misses the fully mixed
    # one; gnm_solve finds it, at the same point as our closed form.
    vals = np.array(
        [[[[9, 7, -5], [-1, 2, 8]], [[-7, 5, 8], [8, -4, -7]]], [[[2, -8, -7], [-8, -5, 7]], [[3, 3, 9], [0, -9, -6]]]]
    )
    game = three_players({tuple("ab"[i] for i in p): tuple(map(int, vals[p])) for p in np.ndindex(2, 2, 2)})
    (eq,) = game.mixed_equilibria().equilibria
    assert sp.simplify(eq["p1"]["a"] - (2939 - sp.sqrt(7523209)) / 248) == 0
    probs = [eq[p]["a"] for p in game.players]
    for i in range(3):  # exact indifference of every player
        diff = sum(
            (1 if prof[i] == 0 else -1)
            * sp.Mul(*(probs[k] if prof[k] == 0 else 1 - probs[k] for k in range(3) if k != i))
            * int(vals[prof][i])
            for prof in itertools.product(range(2), repeat=3)
        )
        assert sp.simplify(diff) == 0
    gbt = pytest.importorskip("pygambit")
    found = gbt.nash.gnm_solve(gbt.Game.from_arrays(*(vals[..., i] for i in range(3)))).equilibria
    theirs = [[float(e[s]) for p in e.game.players for s in list(p.strategies)[:1]] for e in found]
    assert any(np.allclose(t, [float(p) for p in probs], atol=1e-9) for t in theirs)


def _gambit_fully_mixed(gbt, arrays):
    game = gbt.Game.from_arrays(*arrays)
    out = []
    for eq in gbt.nash.enumpoly_solve(game).equilibria:
        point = [float(eq[s]) for p in game.players for s in p.strategies]
        if min(point) > 1e-6:
            out.append(point)
    return game, out


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(-20, 20), min_size=24, max_size=24))
def test_random_three_player_games_never_crash_and_agree_with_gambit(flat):
    """2x2x2 integer games: no crash; every equilibrium checks; pure sets equal; fully mixed vs Gambit."""
    arrays = [np.array(flat[i::3]).reshape(2, 2, 2) for i in range(3)]
    table = {tuple("ab"[i] for i in p): tuple(int(arrays[k][p]) for k in range(3)) for p in np.ndindex(2, 2, 2)}
    game = three_players(table)
    sol = game.solve()
    for eq in sol:
        assert gg.is_equilibrium(game, eq, {})
    pure = {eq.pure_profile for eq in sol if eq.pure_profile is not None}
    assert pure == {eq.pure_profile for eq in game.equilibria("pure")}
    gbt = pytest.importorskip("pygambit")
    gambit_game, theirs = _gambit_fully_mixed(gbt, arrays)
    assert pure == {
        tuple("ab"[[float(e[s]) for s in p.strategies].index(1.0)] for p in gambit_game.players)
        for e in gbt.nash.enumpure_solve(gambit_game).equilibria
    }
    ours = [
        [float(sp.N(eq[p][a])) for p in game.players for a in "ab"]
        for eq in sol
        if eq.pure_profile is None and eq.case == "full supports"
    ]
    # Gambit's regret at each of our fully mixed equilibria: an independent check
    for point in ours:
        profile = gambit_game.mixed_strategy_profile()
        strategies = [s for player in gambit_game.players for s in player.strategies]
        for s, v in zip(strategies, point, strict=True):
            profile[s] = v
        assert profile.max_regret() < 1e-9
    # every fully mixed equilibrium enumpoly finds is ours (enumpoly can miss some: see above)
    for point in theirs:
        assert any(np.allclose(point, q, atol=1e-5) for q in ours), (point, ours)


def test_one_player_game_message():
    game = gg.NormalFormGame(["solo"], [["a", "b"]], {("a",): (1,), ("b",): (1,)})
    mixed = game.mixed_equilibria()
    assert "more than two players" not in mixed.message and "one player" in mixed.message
    # both actions pay 1: every mixture is optimal, a continuum, reported as such
    assert mixed.equilibria == [] and "continua" in mixed.message
    with pytest.raises(gg.errors.UnsupportedError, match="games with 1 player are not supported"):
        game.equilibria()
