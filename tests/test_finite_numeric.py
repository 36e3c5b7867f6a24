"""Numeric instances of NormalFormGame: game.at(values).equilibria(...) and solve(method=...)."""

import itertools
import warnings

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.errors import UnsupportedError
from gvcgames.solve.finite import NumericSolution
from gvcgames.testing import finite_games, regions


def game2(A, B, rows=None, cols=None):
    rows = rows or [f"r{i}" for i in range(len(A))]
    cols = cols or [f"c{j}" for j in range(len(A[0]))]
    return gg.NormalFormGame(["row", "col"], [list(rows), list(cols)], (A, B))


def exact_set(sol):
    """Equilibria as a set of (row probabilities, column probabilities) tuples, exact."""
    return {tuple(tuple(sp.nsimplify(p) for p in eq[pl].values()) for pl in sol.game.players) for eq in sol}


def float_list(sol):
    return [tuple(np.array([float(p) for p in eq[pl].values()]) for pl in sol.game.players) for eq in sol]


def same_float_sets(a, b, tol=1e-7):
    return len(a) == len(b) and all(
        any(all(np.allclose(u, v, atol=tol) for u, v in zip(e, f, strict=True)) for f in b) for e in a
    )


def quiet_equilibria(game, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gg.DegenerateGameWarning)
        return game.equilibria(**kwargs)


# ----------------------------------------------------------------------------------------------
# textbook games through the numeric engine


def test_prisoners_dilemma_numeric():
    game = game2([[3, 0], [5, 1]], [[3, 5], [0, 1]], ["C", "D"], ["C", "D"])
    sol = game.equilibria(exact=True)
    assert isinstance(sol, NumericSolution) and sol.complete and sol.degenerate is False
    assert [eq.pure_profile for eq in sol] == [("D", "D")]
    assert sol.equilibria[0].payoffs == {"row": 1, "col": 1}


def test_battle_of_the_sexes_numeric_matches_symbolic():
    game = game2([[2, 0], [0, 1]], [[1, 0], [0, 2]], ["opera", "football"], ["opera", "football"])
    numeric = game.equilibria(exact=True)
    assert exact_set(numeric) == exact_set(game.solve(method="symbolic"))
    (mixed,) = [eq for eq in numeric if eq.pure_profile is None]
    assert mixed["row"] == {"opera": sp.Rational(2, 3), "football": sp.Rational(1, 3)}
    assert mixed.payoffs == {"row": sp.Rational(2, 3), "col": sp.Rational(2, 3)}


def test_matching_pennies_every_method():
    game = game2([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    for method in ("vertex", "lemke_howson", "nashpy_vertex", "nashpy_support"):
        sol = game.equilibria(method)
        assert len(sol) == 1, method
        assert np.allclose([float(p) for p in sol[0]["row"].values()], [0.5, 0.5])
        assert gg.is_equilibrium(game, sol[0], {})
    assert not game.equilibria("lemke_howson").complete


def test_hawk_dove_numeric_instance_and_symbolic_region():
    V, C = gg.parameters("V C", positive=True)
    hd = gg.NormalFormGame(
        ["row", "col"],
        [["hawk", "dove"], ["hawk", "dove"]],
        [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
    )
    values = {"V": 2, "C": 5}
    numeric = hd.at(values).equilibria(exact=True)
    assert [eq["row"]["hawk"] for eq in numeric] == [1, sp.Rational(2, 5), 0]
    # the same set as the symbolic equilibria whose regions hold at these values
    symbolic = [eq for eq in hd.solve() if eq.holds_at(values)]  # hd has parameters: the symbolic route
    assert {tuple(eq.at(values)["row"].values()) for eq in symbolic} == {
        tuple(float(p) for p in eq["row"].values()) for eq in numeric
    }


def test_inspection_game_numeric():
    # Fudenberg and Tirole (1991), sec. 1.2: shirk w.p. h/w, inspect w.p. g/w
    w, g, h = 4, 1, 2
    game = gg.NormalFormGame(
        ["worker", "inspector"],
        [["shirk", "work"], ["inspect", "trust"]],
        {
            ("shirk", "inspect"): (0, -h),
            ("shirk", "trust"): (w, -w),
            ("work", "inspect"): (w - g, -h),
            ("work", "trust"): (w - g, 0),
        },
    )
    (eq,) = game.equilibria(exact=True)
    assert eq["worker"]["shirk"] == sp.Rational(h, w) and eq["inspector"]["inspect"] == sp.Rational(g, w)


def test_solve_with_method_uses_the_numeric_engine():
    game = game2([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    sol = game.solve(method="vertex")
    assert isinstance(sol, NumericSolution) and len(sol) == 3
    assert "qhull" in sol.method
    assert "3 extreme equilibria" in str(sol)
    lh = game.solve(method="lemke_howson", initial_dropped_label=0)
    assert len(lh) == 1 and "Lemke-Howson" in lh.method


# ----------------------------------------------------------------------------------------------
# degenerate games and components


def test_degenerate_game_warns_and_reports_components():
    # row is indifferent between r0 and r1 against c0: a continuum of equilibria
    game = game2([[1, 1], [1, 0]], [[1, 1], [0, 0]])
    with pytest.warns(gg.DegenerateGameWarning, match="degenerate"):
        sol = game.equilibria()
    assert sol.degenerate is True and sol.components
    assert all("component" in eq.case for eq in sol)
    for eq in sol:
        assert gg.is_equilibrium(game, eq, {})
    assert "components (equilibria by number)" in sol.summary()


def test_numeric_solve_uses_the_complete_engine_and_reports_the_continuum():
    # the column player is indifferent everywhere: the equilibria form one connected set
    game = game2([[1, 0], [0, 1]], [[0, 0], [0, 0]], ["u", "d"], ["l", "m"])
    with pytest.warns(gg.DegenerateGameWarning, match="degenerate"):
        sol = game.solve()
    assert isinstance(sol, NumericSolution) and sol.degenerate is True and sol.complete
    assert exact_set(sol) == {
        ((1, 0), (1, 0)),
        ((1, 0), (sp.Rational(1, 2), sp.Rational(1, 2))),
        ((0, 1), (sp.Rational(1, 2), sp.Rational(1, 2))),
        ((0, 1), (0, 1)),
    }
    assert sol.components == ((0, 1, 2, 3),) and "component" in sol.summary()
    assert all(isinstance(p, sp.Rational) for eq in sol for s in eq.strategies.values() for p in s.values())


def test_symbolic_route_on_a_degenerate_numeric_game_warns():
    game = game2([[1, 0], [0, 1]], [[0, 0], [0, 0]], ["u", "d"], ["l", "m"])
    with pytest.warns(gg.DegenerateGameWarning, match=r"game.equilibria\(\) lists every extreme equilibrium"):
        sol = game.solve(method="symbolic")
    assert len(sol) == 2 and "degenerate" in sol.message  # the pure profiles; the continuum is named, not listed
    with pytest.warns(gg.DegenerateGameWarning):
        game.mixed_equilibria()
    with pytest.raises(gg.InvalidSpecError, match="method='symbolic' takes no exact"):
        game.solve(method="symbolic", exact=True)


def test_numeric_solve_of_a_nondegenerate_game_is_exact_and_quiet():
    game = game2([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sol = game.solve()
    assert isinstance(sol, NumericSolution) and sol.degenerate is False
    assert [eq["row"]["r0"] for eq in sol] == [1, sp.Rational(3, 5), 0]
    floats = game2([[3.5, 0], [0, 2]], [[2, 0], [0, 3]]).solve()
    assert "qhull" in floats.method  # float payoffs: the float engine


@pytest.mark.parametrize("method", ["nashpy_vertex", "nashpy_support", "nashpy_lemke_howson"])
@pytest.mark.parametrize("which", ["indifferent column", "hawk-dove V = C"])
def test_nashpy_methods_detect_degeneracy_first_and_never_return_a_silent_empty_set(method, which):
    if which == "indifferent column":
        game = game2([[1, 0], [0, 1]], [[0, 0], [0, 0]])
    else:
        V, C = gg.parameters("V C", positive=True)
        game = gg.NormalFormGame(
            ["row", "col"],
            [["hawk", "dove"], ["hawk", "dove"]],
            [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
        ).at({"V": 2, "C": 2})
    with pytest.warns(gg.DegenerateGameWarning, match="nashpy's methods assume a nondegenerate game"):
        sol = game.solve(method=method)
    assert sol.degenerate is True and not sol.complete
    if not sol.equilibria:
        assert not sol.converged
        assert "this method failed on this game (it is degenerate): use method='vertex'" in sol.message
    for eq in sol:
        assert gg.is_equilibrium(game, eq, {})


def test_nashpy_lemke_howson_through_the_game():
    game = game2([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    sol = game.equilibria("nashpy_lemke_howson", initial_dropped_label=[0, 3])
    assert sol.converged and "nashpy's integer pivoting" in sol.method
    assert {eq.pure_profile for eq in sol} <= {("r0", "c0"), ("r1", "c1")}


def test_all_indifferent_game_every_profile():
    game = game2([[0, 0], [0, 0]], [[0, 0], [0, 0]])
    with pytest.warns(gg.DegenerateGameWarning):
        sol = game.equilibria(exact=True)
    assert len(sol) == 4 and len(sol.components) == 1 and len(sol.nash_subsets) == 1


# ----------------------------------------------------------------------------------------------
# n players


def test_three_player_pure_numeric_matches_symbolic():
    actions = [["H", "T"]] * 3
    payoffs = {}
    for prof in itertools.product("HT", repeat=3):
        heads = prof.count("H")
        payoffs[prof] = tuple(1 if (a == "H") == (heads >= 2) else 0 for a in prof)
    game = gg.NormalFormGame(["a", "b", "c"], actions, payoffs)
    numeric = game.equilibria("pure")
    symbolic = [eq.pure_profile for eq in game.pure_equilibria() if eq.conditions is sp.true]
    assert sorted(eq.pure_profile for eq in numeric) == sorted(symbolic) == [("H", "H", "H"), ("T", "T", "T")]
    assert sorted(eq.pure_profile for eq in game.equilibria("pure", exact=True)) == sorted(symbolic)
    assert not numeric.complete and "mixed equilibria not searched" in numeric.message


@given(finite_games((2, 2, 3)))
def test_n_player_pure_numeric_equals_symbolic(game):
    symbolic = sorted(eq.pure_profile for eq in game.pure_equilibria() if eq.conditions is sp.true)
    assert sorted(eq.pure_profile for eq in game.equilibria("pure")) == symbolic
    for eq in game.equilibria("pure"):
        assert gg.is_equilibrium(game, eq, {})


def test_three_players_mixed_numeric_is_unsupported():
    game = gg.NormalFormGame(["a", "b", "c"], [["x"], ["y"], ["z"]], {("x", "y", "z"): (1, 2, 3)})
    with pytest.raises(
        UnsupportedError, match="games with 3 players are not supported by the numeric engine; use method='pure'"
    ):
        game.equilibria()
    with pytest.raises(UnsupportedError, match="method='vertex' needs a two-player game"):
        game.equilibria("vertex")


# ----------------------------------------------------------------------------------------------
# bad input


def test_symbolic_game_needs_values_first():
    a = gg.parameters("a", positive=True)
    game = game2([[a, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(gg.InvalidSpecError, match=r"payoffs still depend on \['a'\]; call game.at"):
        game.equilibria()
    assert game.at({"a": 2}).is_numeric and not game.is_numeric


def test_unknown_method_and_irrational_exact():
    game = game2([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(gg.InvalidSpecError, match="unknown method 'simplex'; valid methods are 'vertex'"):
        game.equilibria("simplex")
    with pytest.raises(gg.InvalidSpecError, match="exact=True needs method='vertex'"):
        game.equilibria("lemke_howson", exact=True)
    irrational = game2([[sp.sqrt(2), 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(gg.InvalidValuesError, match="is not rational"):
        irrational.equilibria(exact=True)
    assert len(irrational.equilibria()) == 3


# ----------------------------------------------------------------------------------------------
# properties


def _nondegenerate(game):
    sol = quiet_equilibria(game, exact=True)
    return sol if sol.degenerate is False else None


@given(st.sampled_from([(2, 2), (2, 3), (3, 2), (3, 3)]).flatmap(lambda shape: finite_games(shape)))
def test_symbolic_mixed_route_equals_numeric_engine(game):
    """Pure + mixed equilibria from the symbolic route == the exact vertex enumeration (as sets)."""
    numeric = _nondegenerate(game)
    assume(numeric is not None)  # degenerate games: the symbolic route skips unequal supports
    symbolic = game.pure_equilibria().equilibria + game.mixed_equilibria().equilibria
    symbolic = [eq for eq in symbolic if eq.conditions is sp.true]
    assert exact_set(numeric) == {tuple(tuple(eq[p].values()) for p in game.players) for eq in symbolic}
    floats = quiet_equilibria(game)
    assert same_float_sets(float_list(floats), float_list(numeric))
    for eq in numeric.equilibria + floats.equilibria:
        assert gg.is_equilibrium(game, eq, {})


@given(finite_games((3, 3)), st.permutations(range(3)), st.permutations(range(3)))
def test_relabelling_actions_permutes_numeric_equilibria(game, rows, cols):
    labels_r, labels_c = game.actions
    table = {(labels_r[rows[i]], labels_c[cols[j]]): game.table[(rows[i], cols[j])] for i in range(3) for j in range(3)}
    permuted = gg.NormalFormGame(game.players, [[labels_r[k] for k in rows], [labels_c[k] for k in cols]], table)
    by_label = {
        frozenset((p, a, eq[p][a]) for p in game.players for a in eq[p]) for eq in quiet_equilibria(game, exact=True)
    }
    by_label_permuted = {
        frozenset((p, a, eq[p][a]) for p in game.players for a in eq[p])
        for eq in quiet_equilibria(permuted, exact=True)
    }
    assert by_label == by_label_permuted


@given(finite_games((4, 3), payoffs="float"))
def test_every_numeric_equilibrium_passes_is_equilibrium(game):
    for method in ("vertex", "lemke_howson"):
        sol = quiet_equilibria(game, method=method)
        assert sol.equilibria, method  # every finite game has an equilibrium
        for eq in sol:
            assert gg.is_equilibrium(game, eq, {}), (method, eq)


def _hawk_dove():
    V, C = gg.parameters("V C", positive=True)
    return gg.NormalFormGame(
        ["row", "col"],
        [["hawk", "dove"], ["hawk", "dove"]],
        [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
    )


def _inspection():
    w, g, h = gg.parameters("w g h", positive=True)
    return gg.NormalFormGame(
        ["worker", "inspector"],
        [["shirk", "work"], ["inspect", "trust"]],
        {
            ("shirk", "inspect"): (0, -h),
            ("shirk", "trust"): (w, -w),
            ("work", "inspect"): (w - g, -h),
            ("work", "trust"): (w - g, 0),
        },
        assumptions=[w > g, w > h],
    )


_SOLUTIONS = {
    "hawk-dove": _hawk_dove().solve(),
    "inspection": _inspection().solve(),
    "reconfiguration": gg.models.reconfiguration().solve(),
}


@pytest.mark.parametrize("name", sorted(_SOLUTIONS))
def test_draws_inside_a_symbolic_region_are_numeric_equilibria(name):
    sol = _SOLUTIONS[name]

    @given(regions(sol))
    def check(draw):
        eq, values = draw
        numeric = quiet_equilibria(sol.game.at(values))
        ours = eq.at(values)
        assert any(
            all(np.allclose(list(ours[p].values()), [float(v) for v in other[p].values()], atol=1e-7) for p in ours)
            for other in numeric
        ), (eq, values)

    check()


def test_at_checks_names_domains_and_assumptions():
    V, C = gg.parameters("V C", positive=True)
    game = gg.NormalFormGame(
        ["row", "col"], [["hawk", "dove"], ["hawk", "dove"]], ([[V - C, V], [0, V / 2]], [[V - C, 0], [V, V / 2]])
    )
    with pytest.raises(gg.InvalidValuesError, match=r"V = -1 is outside its domain Interval.open\(0, oo\)"):
        game.at({"V": -1, "C": 2})
    with pytest.raises(gg.InvalidSpecError, match=r"\['W'\] are not parameters of this game"):
        game.at({"W": 1})
    restricted = gg.NormalFormGame(game.players, game.actions, (game.matrices()[0], game.matrices()[1]), [C > V])
    with pytest.raises(gg.InvalidSpecError, match="the values violate the assumptions"):
        restricted.at({"V": 3, "C": 2})
    assert not restricted.at({"V": 1}).is_numeric  # partial substitution keeps C symbolic


def test_solve_with_exact_only_uses_the_numeric_engine():
    game = game2([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    sol = game.solve(exact=True)
    assert isinstance(sol, NumericSolution) and sol.equilibria[0]["row"]["r0"] == sp.Rational(1, 2)
