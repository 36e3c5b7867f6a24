"""NormalFormGame: textbook games, symbolic regions, dominance, bad input, properties."""

import itertools
import warnings

import nashpy
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.testing import admissible_parameters


def two_by_two(A, B, rows=("r1", "r2"), cols=("c1", "c2")):
    return gg.NormalFormGame(["row", "col"], [list(rows), list(cols)], (A, B))


def test_prisoners_dilemma():
    game = two_by_two([[3, 0], [5, 1]], [[3, 5], [0, 1]], ("C", "D"), ("C", "D"))
    sol = game.solve()
    assert [eq.pure_profile for eq in sol] == [("D", "D")]
    assert sol.equilibria[0].conditions is sp.true
    dom = game.dominance()
    assert dom.surviving == {"row": ["D"], "col": ["D"]}


def test_battle_of_the_sexes_three_equilibria():
    game = two_by_two([[2, 0], [0, 1]], [[1, 0], [0, 2]], ("opera", "football"), ("opera", "football"))
    sol = game.solve()
    pure = sorted(eq.pure_profile for eq in sol if eq.pure_profile)
    assert pure == [("football", "football"), ("opera", "opera")]
    (mixed,) = [eq for eq in sol if eq.pure_profile is None]
    assert mixed["row"] == {"opera": sp.Rational(2, 3), "football": sp.Rational(1, 3)}
    assert mixed["col"] == {"opera": sp.Rational(1, 3), "football": sp.Rational(2, 3)}


def test_matching_pennies_unique_mixed():
    game = two_by_two([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    sol = game.solve()
    assert len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert eq["row"] == {"r1": sp.Rational(1, 2), "r2": sp.Rational(1, 2)}
    assert gg.is_equilibrium(game, eq, {})


def test_hawk_dove_symbolic_regions():
    # Maynard Smith (1982): with C > V the mixed ESS plays hawk with probability V/C.
    V, C = gg.parameters("V C", positive=True)
    game = gg.NormalFormGame(
        ["row", "col"],
        [["hawk", "dove"], ["hawk", "dove"]],
        [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
    )
    pure = {eq.pure_profile: eq.conditions for eq in game.pure_equilibria()}
    assert pure == {("hawk", "hawk"): V >= C, ("hawk", "dove"): C >= V, ("dove", "hawk"): C >= V}
    (mixed,) = game.mixed_equilibria().equilibria
    assert mixed["row"]["hawk"] == V / C and mixed.conditions == (C > V)
    assert gg.is_equilibrium(game, mixed, {V: 2, C: 5})
    assert not gg.is_equilibrium(game, {"row": "hawk", "col": "hawk"}, {V: 2, C: 5})


def test_inspection_game():
    # Fudenberg and Tirole (1991), sec. 1.2: worker shirks w.p. h/w, inspector inspects w.p. g/w.
    w, g, h = gg.parameters("w g h", positive=True)
    game = gg.NormalFormGame(
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
    assert game.pure_equilibria().equilibria == []
    (eq,) = game.mixed_equilibria().equilibria
    assert sp.simplify(eq["worker"]["shirk"] - h / w) == 0
    assert sp.simplify(eq["inspector"]["inspect"] - g / w) == 0
    assert eq.conditions is sp.true


def test_reconfiguration_game_regions_and_mixed_equilibrium():
    game = gg.models.reconfiguration()
    p, theta, D, d, kappa, Delta = (
        (game.parameters[i] for i in range(6))
        if False
        else (next(s for s in game.parameters if s.name == n) for n in ("p", "theta", "D", "d", "kappa", "Delta"))
    )
    pure = {eq.pure_profile: eq.conditions for eq in game.pure_equilibria()}
    assert set(pure) == {("stay", "prevent"), ("stay", "not"), ("relocate", "not")}
    assert pure[("relocate", "not")] == (D * p >= Delta)
    (mixed,) = game.mixed_equilibria().equilibria
    assert sp.simplify(mixed["lead firm"]["stay"] - kappa / (d * p * theta)) == 0
    assert sp.simplify(mixed["MSE"]["prevent"] - (p * D - Delta) / (p * D * theta)) == 0


def test_reconfiguration_mixed_equilibrium_matches_nashpy():
    game = gg.models.reconfiguration()
    values = {"p": 0.5, "theta": 0.5, "D": 10, "d": 4, "m": 3, "kappa": 0.5, "Delta": 4}
    (mixed,) = game.mixed_equilibria().equilibria
    assert mixed.holds_at(values)
    A, B = game.at(values).numeric()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        found = list(nashpy.Game(A, B).vertex_enumeration())
    ours = mixed.at(values)
    x = np.array(list(ours["lead firm"].values()))
    y = np.array(list(ours["MSE"].values()))
    assert any(np.allclose(x, sx) and np.allclose(y, sy) for sx, sy in found)


def test_three_player_fully_mixed():
    # Three-player matching game: payoff 1 to a player who matches the majority... use a
    # symmetric game where the unique fully mixed equilibrium is uniform.
    actions = [["H", "T"]] * 3
    payoffs = {}
    for prof in itertools.product("HT", repeat=3):
        heads = prof.count("H")
        payoffs[prof] = tuple(1 if (a == "H") == (heads >= 2) else 0 for a in prof)
    game = gg.NormalFormGame(["a", "b", "c"], actions, payoffs)
    mixed = game.mixed_equilibria()
    uniform = [eq for eq in mixed if all(p == sp.Rational(1, 2) for s in eq.strategies.values() for p in s.values())]
    assert uniform
    assert gg.is_equilibrium(game, uniform[0], {})


def test_dominance_with_conditions():
    a = gg.parameters("a", positive=True)
    game = two_by_two([[a, 2], [1, 1]], [[1, 1], [1, 1]], ("x", "y"), ("l", "r"))
    dom = game.dominance()
    assert dom.eliminated == []
    assert dom.conditional == [("row", "y", "x", a > 1)]
    game2 = game.at({a: 3})
    assert game2.dominance().surviving["row"] == ["x"]


@pytest.mark.parametrize(
    ("players", "actions", "payoffs", "match"),
    [
        (["a", "b"], [["x", "x"], ["l"]], ([[1], [1]], [[1], [1]]), r"duplicate action labels \['x'\]"),
        (["a", "b"], [["x", "y"], ["l"]], ([[1, 2]], [[1], [1]]), r"payoff matrix A has shape \(1, 2\)"),
        (["a", "b"], [["x", "y"], ["l"]], [[(1, 2)], [(1,)]], r"must be a tuple of 2 payoffs"),
        (["a", "b"], [["x", "y"], ["l"]], [[(1, 2)]], r"wrong shape at depth 1"),
        (["a", "b"], [["x"], ["l"]], {("x", "m"): (1, 1)}, r"'b' has no action 'm'"),
        (["a", "b"], [["x"], ["l"]], {("x",): (1, 1)}, r"must name one action per player"),
        (["a", "b"], [["x", "y"], ["l"]], {("x", "l"): (1, 1)}, r"payoffs are missing for profiles \[\('y', 'l'\)\]"),
        (["a", "a"], [["x"], ["l"]], {("x", "l"): (1, 1)}, "player names must be unique"),
        (["a", "b"], [["x"]], {("x",): (1, 1)}, "one list of labels per player"),
        (["a", "b"], [["x"], ["l"]], {("x", "l"): ("1", 1)}, "got str"),
    ],
)
def test_bad_finite_specs(players, actions, payoffs, match):
    with pytest.raises(gg.InvalidSpecError, match=match):
        gg.NormalFormGame(players, actions, payoffs)


A2, B2 = [[1, 0], [0, 1]], [[0, 1], [1, 0]]


def test_two_by_two_layouts_read_unambiguously():
    expected = {(0, 0): (1, 0), (0, 1): (0, 1), (1, 0): (0, 1), (1, 1): (1, 0)}
    for payoffs in [
        (A2, B2),  # the documented pair of matrices
        (np.array(A2), np.array(B2)),
        [np.array(A2), np.array(B2)],
        [sp.Matrix(A2), sp.Matrix(B2)],
        [[(1, 0), (0, 1)], [(0, 1), (1, 0)]],  # nested with tuple pairs
    ]:
        game = gg.NormalFormGame(["row", "col"], [["r1", "r2"], ["c1", "c2"]], payoffs)
        assert dict(game.table) == expected, payoffs
    # a list of two 3x2 matrices cannot be the nested layout: read as (A, B)
    game = gg.NormalFormGame(
        ["row", "col"], [["a", "b", "c"], ["l", "r"]], [[[1, 0], [0, 1], [2, 2]], [[0, 1], [1, 0], [3, 3]]]
    )
    assert game.table[(2, 1)] == (2, 3)


@pytest.mark.parametrize("payoffs", [[A2, B2], ((tuple(A2[0]), tuple(A2[1])), (tuple(B2[0]), tuple(B2[1])))])
def test_ambiguous_two_by_two_layout_is_refused(payoffs):
    # [A, B] used to be read silently as the nested layout: a different game
    with pytest.raises(gg.InvalidSpecError, match=r"ambiguous payoffs(.|\n)*tuple \(A, B\) of two m x n matrices"):
        gg.NormalFormGame(["row", "col"], [["r1", "r2"], ["c1", "c2"]], payoffs)


@pytest.mark.parametrize(
    "payoffs",
    [([["1", 0], [0, 1]], B2), (np.array([["1", "0"], ["0", "1"]]), B2), ([[1, 0], [0, b"1"]], B2)],
)
def test_strings_in_matrices_are_refused_like_in_mappings(payoffs):
    with pytest.raises(gg.InvalidSpecError, match=r"got (str|bytes)"):
        gg.NormalFormGame(["row", "col"], [["r1", "r2"], ["c1", "c2"]], payoffs)


def test_payoff_lookup_errors_name_the_valid_choices():
    from gvcgames.spec.finite import IndexOutOfRangeError, UnknownActionError, UnknownPlayerError

    game = two_by_two(A2, B2, ("x", "y"), ("l", "r"))
    assert game.payoff("row", ("y", "l")) == 0 and game.payoff(1, (0, 1)) == 1
    with pytest.raises(IndexOutOfRangeError, match=r"action index 5 of 'row' is out of range: 'row' has actions 0..1"):
        game.payoff("row", (5, 0))
    with pytest.raises(IndexError):
        game.payoff("row", (0, -1))
    with pytest.raises(UnknownPlayerError, match=r"no player 'zz'; players: \['row', 'col'\]"):
        game.payoff("zz", (0, 0))
    with pytest.raises(KeyError):
        game.payoff("zz", (0, 0))
    with pytest.raises(IndexOutOfRangeError, match=r"player index 5 is out of range: players are 0..1"):
        game.payoff(5, (0, 0))
    with pytest.raises(UnknownActionError, match=r"'col' has no action 'q'; actions: \['l', 'r'\]"):
        game.payoff("row", ("x", "q"))
    for error in (UnknownPlayerError, UnknownActionError, IndexOutOfRangeError):
        assert issubclass(error, gg.GvcgamesError) and issubclass(error, gg.InvalidSpecError)


def test_float_payoffs_print_compactly():
    V, C = gg.parameters("V C", positive=True)
    hd = gg.NormalFormGame(
        ["row", "col"],
        [["hawk", "dove"], ["hawk", "dove"]],
        [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
    ).at({"V": 2.0, "C": 6.0})
    for text in (str(hd), str(hd.solve()), str(hd.solve(method="symbolic")), str(hd.dominance())):
        assert "2.00000000000000" not in text and "0.333333333333333" not in text, text
    assert "(hawk, hawk): -2.0, -2.0" in str(hd)
    assert "hawk: 0.333333, dove: 0.666667" in str(hd.solve())


def test_bad_profiles_for_the_check():
    game = two_by_two([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(gg.InvalidValuesError, match=r"'row' has no action 'zz'"):
        gg.is_equilibrium(game, {"row": "zz", "col": "c1"}, {})
    with pytest.raises(gg.InvalidValuesError, match="negative or do not sum to 1"):
        gg.is_equilibrium(game, {"row": {"r1": 0.7, "r2": 0.7}, "col": "c1"}, {})
    with pytest.raises(gg.InvalidValuesError, match="no strategy for player 'col'"):
        gg.is_equilibrium(game, {"row": "r1"}, {})


def test_undeclared_symbol_in_finite_payoffs():
    z = sp.Symbol("z")
    with pytest.raises(gg.UnknownSymbolError, match="payoffs use z"):
        two_by_two([[z, 0], [0, 1]], [[1, 0], [0, 1]])


def test_display():
    game = gg.models.reconfiguration()
    assert "stay" in str(game) and game._repr_latex_().startswith("$\\begin{array}")
    eq = game.mixed_equilibria().equilibria[0]
    assert "Mixed equilibrium" in str(eq) and r"\Pr" in eq.to_latex()


small = st.integers(min_value=-9, max_value=9)


@settings(max_examples=25)  # each example solves a symbolic game: keep the file fast
@given(st.integers(2, 3), st.integers(2, 3), st.data())
def test_symbolic_route_matches_nashpy_on_random_games(m, n, data):
    A = np.array(data.draw(st.lists(small, min_size=m * n, max_size=m * n))).reshape(m, n)
    B = np.array(data.draw(st.lists(small, min_size=m * n, max_size=m * n))).reshape(m, n)
    game = gg.NormalFormGame(
        ["row", "col"], [[f"r{i}" for i in range(m)], [f"c{j}" for j in range(n)]], (A.tolist(), B.tolist())
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", gg.DegenerateGameWarning)
        sol = game.solve(method="symbolic")  # the symbolic route, not the numeric engine
    ours = [(_vector(eq["row"]), _vector(eq["col"])) for eq in sol]
    for eq in sol:
        assert gg.is_equilibrium(game, eq, {})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = list(nashpy.Game(A, B).vertex_enumeration())
    except (TypeError, ValueError):
        return  # nashpy fails on some degenerate games (e.g. all payoffs equal)
    if any(_degenerate_at(A, B, x, y) for x, y in [*theirs, *ours]):
        return  # equilibrium components: the extreme points listed may legitimately differ
    assert len(theirs) == len(ours)
    for x, y in theirs:
        assert any(np.allclose(x, a) and np.allclose(y, b) for a, b in ours)


def _vector(strategy):
    return np.array([float(v) for v in strategy.values()])


def _degenerate_at(A, B, x, y):
    """More pure best responses than the size of the opponent's support (von Stengel 2007, def. 3.2)."""
    row_br = np.isclose(A @ y, (A @ y).max()).sum()
    col_br = np.isclose(x @ B, (x @ B).max()).sum()
    return row_br > (y > 1e-12).sum() or col_br > (x > 1e-12).sum()


@given(st.data())
def test_relabelling_actions_permutes_the_answer(data):
    V, C = gg.parameters("V C", positive=True)
    rows = data.draw(st.permutations(["hawk", "dove"]))
    table = {
        ("hawk", "hawk"): ((V - C) / 2, (V - C) / 2),
        ("hawk", "dove"): (V, 0),
        ("dove", "hawk"): (0, V),
        ("dove", "dove"): (V / 2, V / 2),
    }
    game = gg.NormalFormGame(["row", "col"], [list(rows), ["hawk", "dove"]], table)
    pure = {eq.pure_profile: eq.conditions for eq in game.pure_equilibria()}
    assert pure == {("hawk", "hawk"): V >= C, ("hawk", "dove"): C >= V, ("dove", "hawk"): C >= V}
    (mixed,) = game.mixed_equilibria().equilibria
    assert mixed["row"]["hawk"] == V / C


def test_draws_inside_a_region_give_that_equilibrium():
    game = gg.models.reconfiguration()
    sol = game.solve()

    @given(admissible_parameters(game))
    def check(values):
        for eq in sol.equilibria:
            if eq.holds_at(values):
                assert gg.is_equilibrium(game, eq, values), (eq, values)

    check()
