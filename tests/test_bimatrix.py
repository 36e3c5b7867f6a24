"""All equilibria of numeric bimatrix games: textbook answers, degeneracy, nashpy, properties."""

import dataclasses
import warnings
from fractions import Fraction

import nashpy
import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gvcgames.errors import DegenerateGameWarning, InvalidSpecError, InvalidValuesError
from gvcgames.solve import bimatrix, bimatrix_paths, bimatrix_result, bimatrix_vertex
from gvcgames.solve.bimatrix import BimatrixResult, all_equilibria, bimatrix_regret

F = Fraction


class as_set:
    """Equilibria compared as sets of points, up to an absolute tolerance (no rounding boundaries)."""

    __hash__ = None

    def __init__(self, result_or_list, atol=1e-7):
        eqs = result_or_list.equilibria if isinstance(result_or_list, BimatrixResult) else result_or_list
        self.points = [np.concatenate([np.asarray(x, dtype=float), np.asarray(y, dtype=float)]) for x, y in eqs]
        self.atol = atol

    def _has(self, p):
        return any(p.shape == q.shape and np.allclose(p, q, rtol=0, atol=self.atol) for q in self.points)

    def __le__(self, other):
        return all(other._has(p) for p in self.points)

    def __eq__(self, other):
        return self <= other and other <= self

    def __repr__(self):
        return repr([p.round(9).tolist() for p in self.points])


def exact_list(result):
    return [(tuple(x), tuple(y)) for x, y in result.equilibria]


def quiet(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        return all_equilibria(*args, **kwargs)


def assert_verified(A, B, result, tol=1e-9):
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    for x, y in result.equilibria:
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        assert x.min() >= 0 and y.min() >= 0
        assert abs(x.sum() - 1) < 1e-12 and abs(y.sum() - 1) < 1e-12
        assert max(bimatrix_regret(A, B, x, y)) <= tol * max(1, np.abs(A).max(), np.abs(B).max())


# ----------------------------------------------------------------------------------------------
# textbook games with exact answers

PD = ([[3, 0], [5, 1]], [[3, 5], [0, 1]])
BOS = ([[3, 0], [0, 2]], [[2, 0], [0, 3]])
PENNIES = ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
RPS = ([[0, 1, -1], [-1, 0, 1], [1, -1, 0]], [[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
# von Stengel (2002), Handbook of Game Theory 3, ch. 45: a nondegenerate 3x2 game and a degenerate variant
STENGEL = ([[3, 3], [2, 5], [0, 6]], [[3, 2], [2, 6], [3, 1]])
STENGEL_DEGENERATE = ([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])


@pytest.mark.parametrize("exact", [True, False])
def test_prisoners_dilemma(exact):
    res = all_equilibria(*PD, exact=exact)
    assert exact_list(res) == [((0, 1), (0, 1))]
    assert res.payoffs == [(1, 1)]
    assert res.converged and res.degenerate is False and res.complete


def test_battle_of_the_sexes_exact():
    res = all_equilibria(*BOS, exact=True)
    assert exact_list(res) == [((1, 0), (1, 0)), ((F(3, 5), F(2, 5)), (F(2, 5), F(3, 5))), ((0, 1), (0, 1))]
    assert all(isinstance(p, Fraction) for x, y in res.equilibria for p in (*x, *y))
    assert res.payoffs[1] == (F(6, 5), F(6, 5))
    assert res.exact and res.degenerate is False


def test_battle_of_the_sexes_float_matches_exact():
    res = all_equilibria(*BOS)
    assert len(res) == 3
    assert as_set(res) == as_set(all_equilibria(*BOS, exact=True))
    assert_verified(*BOS, res)
    assert res.components == ((0,), (1,), (2,))


@pytest.mark.parametrize("exact", [True, False])
def test_matching_pennies_one_mixed(exact):
    res = all_equilibria(*PENNIES, exact=exact)
    assert len(res) == 1
    x, y = res.equilibria[0]
    if exact:
        assert list(x) == [F(1, 2), F(1, 2)] and list(y) == [F(1, 2), F(1, 2)]
    assert np.allclose(np.asarray(x, dtype=float), 0.5, atol=1e-15, rtol=0)
    assert np.allclose(np.asarray(y, dtype=float), 0.5, atol=1e-15, rtol=0)


def test_rock_paper_scissors():
    res = all_equilibria(*RPS)
    assert as_set(res) == as_set([((1 / 3,) * 3, (1 / 3,) * 3)])
    assert exact_list(all_equilibria(*RPS, exact=True)) == [((F(1, 3),) * 3, (F(1, 3),) * 3)]


def test_von_stengel_nondegenerate_3x2():
    res = all_equilibria(*STENGEL, exact=True)
    assert exact_list(res) == [
        ((1, 0, 0), (1, 0)),
        ((F(4, 5), F(1, 5), 0), (F(2, 3), F(1, 3))),
        ((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
    ]
    assert as_set(all_equilibria(*STENGEL)) == as_set(res)


@pytest.mark.parametrize("exact", [True, False])
def test_degenerate_game_warns_and_lists_extreme_points_and_components(exact):
    with pytest.warns(DegenerateGameWarning, match="degenerate"):
        res = all_equilibria(*STENGEL_DEGENERATE, exact=exact)
    assert res.degenerate is True and res.converged
    assert as_set(res) == as_set(
        [
            ((1, 0, 0), (1, 0)),
            ((1, 0, 0), (F(2, 3), F(1, 3))),
            ((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))),
        ]
    )
    # the segment (1, 0, 0) x conv{(1, 0), (2/3, 1/3)} is one component; the mixed equilibrium another
    assert res.components == ((0, 1), (2,))
    segment = res.nash_subsets[0]
    assert len(segment.row) == 1 and len(segment.col) == 2 and segment.equilibria == (0, 1)
    assert "connected sets" in res.message and "extreme points" in res.message
    assert "components: 2" in str(res)
    # every mixture inside a maximal Nash subset is an equilibrium
    A, B = (np.asarray(M, dtype=float) for M in STENGEL_DEGENERATE)
    y = 0.3 * np.asarray(segment.col[0], dtype=float) + 0.7 * np.asarray(segment.col[1], dtype=float)
    assert max(bimatrix_regret(A, B, np.asarray(segment.row[0], dtype=float), y)) <= 1e-12


def test_constant_game_is_one_component():
    res = quiet(np.zeros((3, 3)), np.zeros((3, 3)))
    assert len(res) == 9 and res.degenerate
    assert len(res.components) == 1 and len(res.nash_subsets) == 1
    assert len(res.nash_subsets[0].row) == 3 and len(res.nash_subsets[0].col) == 3


@pytest.mark.parametrize("exact", [True, False])
def test_one_action_games(exact):
    res = all_equilibria([[1, 4, 2]], [[0, 5, 3]], exact=exact)
    assert exact_list(res) == [((1,), (0, 1, 0))]
    res = all_equilibria([[1], [4], [2]], [[0], [5], [3]], exact=exact)
    assert exact_list(res) == [((0, 1, 0), (1,))]
    with pytest.warns(DegenerateGameWarning):
        res = all_equilibria([[1, 4, 2]], [[5, 0, 5]], exact=exact)
    assert as_set(res) == as_set([((1,), (1, 0, 0)), ((1,), (0, 0, 1))])


def test_shift_and_scale_invariance():
    A, B = (np.asarray(M, dtype=float) for M in STENGEL)
    base = as_set(all_equilibria(A, B))
    assert as_set(all_equilibria(1000 * A - 7, B / 1000 + 3)) == base
    assert as_set(all_equilibria(1e-6 * A, -5 + 0 * B + B)) == base


def test_exact_inputs_fractions_sympy_and_decimal_floats():
    A = [[sp.Rational(3, 10), 0], [0, sp.Integer(2) / 10]]
    B = [[F(2, 10), 0], [0, 0.3]]
    res = all_equilibria(A, B, exact=True)
    mixed = res.equilibria[1]
    assert tuple(mixed[0]) == (F(3, 5), F(2, 5)) and tuple(mixed[1]) == (F(2, 5), F(3, 5))


def test_probabilities_clip_round_off_instead_of_rejecting():
    # nashpy's support enumeration rejects supports whose probabilities come out as -1e-17
    p = bimatrix_result._probabilities(np.array([0.5, -1e-17, 0.5]), 1e-9)
    assert p is not None and p.tolist() == [0.5, 0.0, 0.5]
    assert bimatrix_result._probabilities(np.array([0.5, -1e-3, 0.5]), 1e-9) is None


def test_bases_fallback_agrees_with_qhull():
    rng = np.random.default_rng(3)
    M = bimatrix_vertex._rescale(rng.standard_normal((4, 5)))
    via_bases = bimatrix_vertex._vertices_by_bases(M, 1e-9)
    V, _, used_qhull = bimatrix_vertex._vertices(M, 1e-9)
    assert used_qhull
    assert {tuple(np.round(v, 9)) for v in via_bases} == {tuple(np.round(v, 9)) for v in V}


def test_result_is_frozen_and_displays():
    res = all_equilibria(*BOS, exact=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.method = "other"
    text = str(res)
    assert text == res.summary() and "3 equilibria" in text and "3/5" in text
    assert "(0.6, 0.4)" in all_equilibria(*BOS).summary(digits=3)
    latex = res.to_latex()
    assert r"\tfrac{3}{5}" in latex and latex.startswith(r"\begin{tabular}")
    assert res._repr_latex_() == latex
    assert "... and 2 more" in res.summary(max_rows=1)


# ----------------------------------------------------------------------------------------------
# nashpy routes


def test_lemke_howson_finds_verified_subset():
    res = all_equilibria(*BOS, method="lemke_howson")
    assert res.converged and not res.complete and 1 <= len(res) <= 3
    assert as_set(res) <= as_set(all_equilibria(*BOS))
    assert "not all" in res.message
    one = all_equilibria(*BOS, method="lemke_howson", initial_dropped_label=0)
    assert len(one) == 1


def test_lemke_howson_on_float_game_where_plain_nashpy_overflows():
    # nashpy's integer pivoting without division overflows on float payoffs (NaN, endless loop)
    rng = np.random.default_rng(0)
    rng.standard_normal((8, 8)), rng.standard_normal((8, 8))
    A, B = rng.standard_normal((8, 8)), rng.standard_normal((8, 8))
    res = all_equilibria(A, B, method="lemke_howson")
    assert res.converged and len(res) >= 1
    assert as_set(res, 1e-6) <= as_set(all_equilibria(A, B))
    assert_verified(A, B, res)


def test_lemke_howson_nan_reported_as_failure(monkeypatch):
    monkeypatch.setattr(
        bimatrix_paths, "_lemke_howson", lambda A, B, label, max_pivots: (np.full(2, np.nan), [0.5, 0.5])
    )
    res = all_equilibria(*BOS, method="lemke_howson")
    assert len(res) == 0 and not res.converged
    assert len(res.failures) == 4 and "NaN" in res.failures[0] and "NaN" in res.message


def test_lemke_howson_endless_path_reported(monkeypatch):
    res = all_equilibria(*BOS, method="lemke_howson", initial_dropped_label=[0, 3])
    assert res.converged
    monkeypatch.setattr(bimatrix_paths, "_MAX_PIVOTS", 0)
    res = all_equilibria(*BOS, method="lemke_howson")
    assert not res.converged and "pivots" in res.failures[0]


def test_nashpy_vertex_enumeration_verified(monkeypatch):
    res = all_equilibria(*STENGEL, method="nashpy_vertex")
    assert as_set(res) == as_set(all_equilibria(*STENGEL)) and res.converged

    def bad(self):
        yield np.array([np.nan, 0.5, 0.5]), np.array([0.5, 0.5])
        yield np.array([0.0, 0.0, 1.0]), np.array([1.0, 0.0])  # not an equilibrium
        yield np.array([1.0, -1e-17, 0.0]), np.array([1.0, 0.0])  # round-off: kept

    monkeypatch.setattr(nashpy.Game, "vertex_enumeration", bad)
    res = all_equilibria(*STENGEL, method="nashpy_vertex")
    assert exact_list(res) == [((1, 0, 0), (1, 0))] and not res.converged
    assert "NaN" in res.failures[0] and "profitable deviation" in res.failures[1]


def test_lemke_howson_on_degenerate_game_warns():
    with pytest.warns(DegenerateGameWarning):
        res = all_equilibria(np.ones((2, 2)), np.ones((2, 2)), method="lemke_howson")
    assert res.degenerate is True and len(res) >= 1


def test_nashpy_enumeration_checks_degeneracy_before_calling_nashpy(monkeypatch):
    calls = []

    def vertex_enumeration(self):
        calls.append(len(caught))  # warnings emitted before nashpy ran
        raise TypeError("'NoneType' object is not subscriptable")  # what nashpy 0.0.43 raises here

    monkeypatch.setattr(nashpy.Game, "vertex_enumeration", vertex_enumeration)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = all_equilibria([[1, 0], [0, 1]], [[0, 0], [0, 0]], method="nashpy_vertex")
    assert calls == [1] and issubclass(caught[0].category, DegenerateGameWarning)
    assert len(res) == 0 and not res.converged and res.degenerate is True
    assert "nashpy raised TypeError" in res.failures[0]
    assert "this method failed on this game (it is degenerate): use method='vertex'" in res.message


def test_nashpy_methods_on_nondegenerate_games_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = all_equilibria(*STENGEL, method="nashpy_support")
    assert res.degenerate is False and res.converged


# ----------------------------------------------------------------------------------------------
# nashpy's own Lemke-Howson, verified

# nashpy 0.0.43 on this 8x8 game: label 4 returns NaN (integer pivoting overflows), labels 9 and 14
# never end. The reason method="lemke_howson" uses the project's own tableaus.
_RNG = np.random.default_rng(0)
NASHPY_NAN = (_RNG.integers(-1000, 1001, (8, 8)), _RNG.integers(-1000, 1001, (8, 8)))


def test_nashpy_lemke_howson_matches_the_complete_set():
    res = all_equilibria(*BOS, method="nashpy_lemke_howson")
    assert res.converged and not res.complete and "nashpy" in res.method
    assert as_set(res) <= as_set(all_equilibria(*BOS))
    assert_verified(*BOS, res)


def test_nashpy_lemke_howson_nan_and_endless_paths_are_clear_failures():
    A, B = NASHPY_NAN
    res = all_equilibria(A, B, method="nashpy_lemke_howson", initial_dropped_label=[0, 4, 9], time_budget=1.0)
    assert len(res) == 1 and not res.converged
    assert res.failures[0] == "nashpy Lemke-Howson from label 4: returned NaN or infinite probabilities"
    assert res.failures[1].startswith("nashpy Lemke-Howson from label 9: did not finish within 1 s")
    assert as_set(res, 1e-6) <= as_set(all_equilibria(A, B))
    own = all_equilibria(A, B, method="lemke_howson", initial_dropped_label=[4, 9])
    assert own.converged and len(own.failures) == 0  # the project's own paths end at verified equilibria
    with pytest.raises(InvalidSpecError, match="time_budget must be a positive number"):
        all_equilibria(A, B, method="nashpy_lemke_howson", time_budget=0)


def test_module_docstring_explains_the_own_lemke_howson():
    doc = bimatrix.__doc__
    assert "nashpy's" in doc and "returns NaN" in doc and "does not terminate" in doc
    assert 'method="nashpy_lemke_howson"' in doc


# ----------------------------------------------------------------------------------------------
# bad input


@pytest.mark.parametrize(
    ("A", "B", "kwargs", "error", "match"),
    [
        ([[1, 2], [3, 4]], [[1, 2, 3], [3, 4, 5]], {}, InvalidSpecError, r"same shape; got A \(2, 2\) and B \(2, 3\)"),
        ([1, 2], [1, 2], {}, InvalidSpecError, "must be 2-D"),
        (np.zeros((0, 2)), np.zeros((0, 2)), {}, InvalidSpecError, "at least one action"),
        ([[1, np.nan]], [[1, 2]], {}, InvalidValuesError, r"payoff A\[0, 1\] = nan is not finite"),
        ([[1, "x"]], [[1, 2]], {}, InvalidValuesError, "real numbers"),
        (
            [[1, 2]],
            [[1, 2]],
            {"method": "magic"},
            InvalidSpecError,
            "unknown method 'magic'; valid methods are 'vertex'",
        ),
        ([[1, 2]], [[1, 2]], {"method": "lemke_howson", "exact": True}, InvalidSpecError, "exact=True needs"),
        ([[1, 2]], [[1, 2]], {"tol": -1.0}, InvalidSpecError, "tol must be a positive"),
        ([[sp.sqrt(2), 1]], [[1, 2]], {"exact": True}, InvalidValuesError, r"A\[0, 0\] = sqrt\(2\) is not rational"),
        ([[float("inf"), 1]], [[1, 2]], {"exact": True}, InvalidValuesError, "not finite"),
        ([[1, 2]], [[1, 2]], {"method": "lemke_howson", "initial_dropped_label": 7}, InvalidSpecError, "out of range"),
    ],
)
def test_bad_input(A, B, kwargs, error, match):
    with pytest.raises(error, match=match):
        all_equilibria(A, B, **kwargs)


# ----------------------------------------------------------------------------------------------
# properties


@st.composite
def integer_games(draw, low=2, high=4, values=(-4, 4)):
    m = draw(st.integers(low, high))
    n = draw(st.integers(low, high))
    elements = st.integers(*values)
    A = draw(arrays(np.int64, (m, n), elements=elements))
    B = draw(arrays(np.int64, (m, n), elements=elements))
    return A, B


@given(integer_games())
def test_vertex_enumeration_equals_exact_enumeration(game):
    A, B = game
    fast, exact = quiet(A, B), quiet(A, B, exact=True)
    assert as_set(fast) == as_set(exact)
    assert fast.degenerate == exact.degenerate and fast.converged and exact.converged
    assert_verified(A, B, fast)
    for x, y in exact.equilibria:
        r1, r2 = bimatrix_regret(A.astype(object), B.astype(object), x, y)
        assert r1 <= 0 and r2 <= 0 and sum(x) == 1 and sum(y) == 1
    assert sorted(i for c in fast.components for i in c) == list(range(len(fast)))


@given(integer_games(), st.randoms(use_true_random=False))
def test_relabelling_actions_permutes_the_answer(game, rnd):
    A, B = game
    m, n = A.shape
    rows, cols = list(range(m)), list(range(n))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    rows, cols = np.array(rows), np.array(cols)
    permuted = quiet(A[np.ix_(rows, cols)], B[np.ix_(rows, cols)])
    expected = [(x[rows], y[cols]) for x, y in quiet(A, B).equilibria]
    assert as_set(permuted) == as_set(expected)


@given(integer_games())
def test_swapping_players_transposes_the_answer(game):
    A, B = game
    swapped = quiet(B.T, A.T)
    assert as_set(swapped) == as_set([(y, x) for x, y in quiet(A, B).equilibria])


# two decimals: tiny payoffs such as 6e-8 would make epsilon-equilibria pass the tolerance
PAYOFF = st.floats(-10, 10).map(lambda v: round(v, 2))


@given(arrays(np.float64, (3, 4), elements=PAYOFF), arrays(np.float64, (3, 4), elements=PAYOFF))
def test_nashpy_routes_agree_on_nondegenerate_games(A, B):
    res = quiet(A, B)
    assume(res.degenerate is False)
    lh = all_equilibria(A, B, method="lemke_howson")
    assert lh.converged and as_set(lh, 1e-6) <= as_set(res)
    assert as_set(all_equilibria(A, B, method="nashpy_vertex"), 1e-6) == as_set(res, 1e-6)


def test_random_games_match_pygambit_exact():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    for _ in range(2):
        A, B = rng.integers(-50, 50, (6, 6)), rng.integers(-50, 50, (6, 6))
        game = gbt.Game.from_arrays(A, B)
        players = list(game.players)
        theirs = [
            tuple([float(eq[s]) for s in p.strategies] for p in players)
            for eq in gbt.nash.enummixed_solve(game, rational=True).equilibria
        ]
        assert as_set(quiet(A, B)) == as_set(theirs)


# ----------------------------------------------------------------------------------------------
# own Lemke-Howson pivoting (no nashpy private API)


def test_lemke_howson_uses_no_nashpy_internals():
    import inspect

    source = inspect.getsource(bimatrix_paths._lemke_howson) + inspect.getsource(bimatrix_paths._lex_min_ratio)
    assert "nashpy" not in source and "_tableau" not in source


def test_lemke_howson_paths_on_battle_of_the_sexes():
    # von Stengel (2002), fig. 3: from each label the path ends at one of the pure equilibria
    ends = {
        label: bimatrix_paths._lemke_howson(np.array(BOS[0], float), np.array(BOS[1], float), label, 50)
        for label in range(4)
    }
    for x, y in ends.values():
        assert max(bimatrix_regret(*BOS, x, y)) <= 1e-12
    assert {tuple(np.round(x, 9)) for x, _ in ends.values()} <= {(1.0, 0.0), (0.0, 1.0)}


def test_lemke_howson_reports_a_broken_tableau(monkeypatch):
    def broken(T, col, lex, tol):
        raise bimatrix_paths._PathFailure("no row can leave the basis (unbounded ray): the tableau lost accuracy")

    monkeypatch.setattr(bimatrix_paths, "_lex_min_ratio", broken)
    res = all_equilibria(*BOS, method="lemke_howson")
    assert len(res) == 0 and not res.converged and "unbounded ray" in res.failures[0]


@given(integer_games(values=(-2, 2)))
def test_lemke_howson_on_degenerate_integer_games_ends_at_equilibria(game):
    """Lexicographic pivoting: every path ends, even in degenerate games, at a verified equilibrium."""
    A, B = game
    lh = quiet(A, B, method="lemke_howson")
    assert lh.converged and len(lh) >= 1
    assert as_set(lh, 1e-6) <= as_set(quiet(A, B))
    assert_verified(A, B, lh)
