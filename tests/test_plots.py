"""gvcgames.plots: every line drawn is the result's formula evaluated on the grid."""

import math
import sys

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import gvcgames as gg  # noqa: E402
from gvcgames import plots  # noqa: E402
from gvcgames.errors import InvalidSpecError, InvalidValuesError, MissingDependencyError, UnsupportedError  # noqa: E402
from gvcgames.testing import admissible_parameters  # noqa: E402

PR_VALUES = {"D": 10, "Delta": 1, "Fbar": 10, "m": 2, "c": 4}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def cournot_solution():
    return gg.models.cournot().solve()


@pytest.fixture(scope="module")
def pr_solution():
    return gg.models.prevention_relocation().solve()


def _lines(ax, label):
    return [line for line in ax.get_lines() if line.get_label() == label]


def _boundaries(ax):
    return sorted(float(line.get_xdata()[0]) for line in ax.get_lines() if line.get_gid() == plots.BOUNDARY_GID)


# --- best responses ---------------------------------------------------------------------------------


def test_best_responses_cournot_lines_are_the_reaction_functions(cournot_solution):
    a, b, c = 10.0, 2.0, 1.0
    ax = plots.best_responses(cournot_solution, {"a": a, "b": b, "c": c})
    br1, br2, eq = ax.get_lines()
    assert (br1.get_label(), br2.get_label(), eq.get_label()) == ("BR of firm1", "BR of firm2", "equilibrium")
    q2 = br1.get_ydata()
    np.testing.assert_allclose(br1.get_xdata(), np.maximum(0, (a - c - b * q2) / (2 * b)))
    q1 = br2.get_xdata()
    np.testing.assert_allclose(br2.get_ydata(), np.maximum(0, (a - c - b * q1) / (2 * b)))
    assert len(q1) == 201  # 200 grid points and the equilibrium quantity
    np.testing.assert_allclose(eq.get_xydata(), [[(a - c) / (3 * b), (a - c) / (3 * b)]])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("q1", "q2")
    # default range: the actions are nonnegative, cut at twice the equilibrium quantity
    assert q1[0] == 0 and math.isclose(q1[-1], 2 * (a - c) / (3 * b))


def test_best_responses_hold_up_constant_responses_and_own_range():
    sol = gg.models.hold_up().solve()
    values = {"beta": 0.4, "theta_L": 2.0, "theta_S": 3.0, "w": 1.5}
    ax = plots.best_responses(sol, values, over=(0, 5), points=11)
    br_s, br_l, eq = ax.get_lines()
    np.testing.assert_allclose(br_s.get_xdata(), np.full(12, 0.4 * 3.0 / 1.5))
    np.testing.assert_allclose(br_s.get_ydata(), np.union1d(np.linspace(0, 5, 11), [1.2]))
    np.testing.assert_allclose(br_l.get_ydata(), np.full(12, 2.0 * 0.6))
    np.testing.assert_allclose(eq.get_xydata(), [[0.8, 1.2]])


COURNOT = gg.models.cournot()
COURNOT_SOLUTION = COURNOT.solve()


@settings(max_examples=10, deadline=None)
@given(admissible_parameters(COURNOT))
def test_best_responses_equilibrium_lies_on_both_curves(values):
    ax = plots.best_responses(COURNOT_SOLUTION, values, points=50)
    br1, br2, eq = ax.get_lines()
    (x, y) = eq.get_xydata()[0]
    assert gg.is_equilibrium(COURNOT, COURNOT_SOLUTION.equilibria[0], values)
    # the marked equilibrium is a point of both reaction curves as drawn
    assert np.isclose(br1.get_xydata(), [x, y], rtol=1e-9, atol=1e-12).all(axis=1).any()
    assert np.isclose(br2.get_xydata(), [x, y], rtol=1e-9, atol=1e-12).all(axis=1).any()
    plt.close("all")


def test_best_responses_rejects_games_it_cannot_draw():
    with pytest.raises(UnsupportedError, match=r"two players with one action each .*got \[1\]"):
        plots.best_responses(gg.models.upgrading().solve(), {"R": 0.5})
    # a solver that gave up on a best response (as in RO) leaves it empty, with a note
    q1 = COURNOT.symbol("q1")
    gave_up = gg.BestResponse("firm1", (q1,), {}, note="not found symbolically: could not solve")
    partial = gg.Solution(COURNOT, [], "test", best_responses={"firm1": gave_up})
    with pytest.raises(UnsupportedError, match=r"best response of 'firm1' is not known in closed form \(not found"):
        plots.best_responses(partial, {"a": 10, "b": 1, "c": 1})


def test_best_responses_names_missing_values(cournot_solution):
    with pytest.raises(InvalidValuesError, match=r"values for \['c'\] are needed to draw the best responses"):
        plots.best_responses(cournot_solution, {"a": 10, "b": 1}, over=(0, 5))
    with pytest.raises(InvalidValuesError, match="value of 'a' must be finite"):
        plots.best_responses(cournot_solution, {"a": float("nan"), "b": 1, "c": 1})


# --- comparative-statics curves ------------------------------------------------------------------------


def test_statics_curve_from_statics_result_upgrading():
    up = gg.models.upgrading()
    eq = up.solve().equilibria[0]
    res = gg.comparative_statics(eq, outcome="u", wrt="R")
    values = {"a": 1.0, "a_o": 0.8, "beta": 0.5, "g": 1.0, "k": 0.4}
    ax = plots.statics_curve(res, over=(0, 1), values=values, points=21)
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() != plots.BOUNDARY_GID]
    R = np.linspace(0, 1, 21)
    np.testing.assert_allclose(line.get_ydata(), R * 0.8 + 0.5 * (1 - R) * (1.0 + 1.0 * 0.4))
    twin = ax.gvcgames_derivative_axes
    deriv = [ln for ln in twin.get_lines() if ln.get_label().startswith("d/dR")]
    np.testing.assert_allclose(deriv[0].get_ydata(), np.full(21, 0.8 - 0.5 * 1.4))  # du*/dR = a_o - beta(a + g k)
    assert (ax.get_xlabel(), ax.get_ylabel(), twin.get_ylabel()) == ("R", "u*", "du*/dR")
    assert _boundaries(ax) == []
    assert ax.get_title() == "a = 1, a_o = 0.8, beta = 0.5, g = 1, k = 0.4"


def test_statics_curve_solution_pr_regions_and_boundaries(pr_solution):
    ax = plots.statics_curve(pr_solution, "p", (0.05, 0.95), PR_VALUES, outcome="e", points=181)
    p = np.linspace(0.05, 0.95, 181)
    # e* = 0 while Delta > p D; e* = 1 - Delta/(p D) (keeps the lead firm) up to 1 - sqrt(0.8); then interior p/2
    np.testing.assert_allclose(_boundaries(ax), [0.1, 1 - math.sqrt(0.8)], atol=1e-9)
    interior = next(ln for ln in ax.get_lines() if ln.get_label() == "e*: [2] e interior" and ln.get_gid() is None)
    y = interior.get_ydata()
    inside = p > 1 - math.sqrt(0.8)
    np.testing.assert_allclose(y[inside], 2 * p[inside] * 10 / (4 * 10))  # m p D/(c Fbar)
    assert np.isnan(y[~inside]).all()
    twin = ax.gvcgames_derivative_axes
    d_interior = next(ln for ln in twin.get_lines() if "e interior" in ln.get_label())
    np.testing.assert_allclose(d_interior.get_ydata()[inside], 0.5)
    # exactly one equilibrium holds at every grid point of this slice
    drawn = [ln.get_ydata() for ln in ax.get_lines() if ln.get_gid() is None]
    assert (np.sum([~np.isnan(d) for d in drawn], axis=0) == 1).all()


def test_statics_curve_derived_outcome_relocation_probability(pr_solution):
    interior = next(eq for eq in pr_solution if eq.case.startswith("e interior"))
    values = {"D": 10, "Delta": 1, "Fbar": 10, "m": 2, "c": 4}
    ax = plots.statics_curve(interior, "p", (0.2, 0.9), values, outcome="Pr(lead firm: relocate)", points=15)
    p = np.linspace(0.2, 0.9, 15)
    e = p / 2
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() is None]
    np.testing.assert_allclose(line.get_ydata(), (p * 10 * (1 - e) - 1) / 10)
    (deriv,) = [ln for ln in ax.gvcgames_derivative_axes.get_lines() if ln.get_label().startswith("d/dp")]
    np.testing.assert_allclose(deriv.get_ydata(), 10 * (1 - 2 * e) / 10)  # dR*/dp = D (1 - 2 e*)/Fbar


def test_statics_curve_cluster_boundary_in_n():
    sol = gg.models.cluster().solve()
    ax = plots.statics_curve(sol, "N", (1, 6), {"alpha": 0.6, "c": 0.5, "m": 2.5, "pi0": 0.2}, outcome="e")
    # the corner e = 1 holds while alpha m >= N c: up to N = 3
    np.testing.assert_allclose(_boundaries(ax), [3.0], atol=1e-9)


def test_statics_curve_bad_input(pr_solution):
    with pytest.raises(InvalidSpecError, match=r"outcome=\.\.\. is needed"):
        plots.statics_curve(pr_solution, "p", (0, 1), PR_VALUES)
    with pytest.raises(InvalidSpecError, match=r"over=\(low, high\) is needed: the range of 'p'"):
        plots.statics_curve(pr_solution, "p", None, PR_VALUES, outcome="e")
    with pytest.raises(InvalidSpecError, match=r"over = \(0.9, 0.1\) is empty"):
        plots.statics_curve(pr_solution, "p", (0.9, 0.1), PR_VALUES, outcome="e")
    with pytest.raises(InvalidValuesError, match=r"values for \['c'\] are needed"):
        plots.statics_curve(pr_solution, "p", (0.1, 0.9), {k: v for k, v in PR_VALUES.items() if k != "c"}, outcome="e")
    with pytest.raises(InvalidValuesError, match=r"outside their parameter domains: \['D'\]"):
        plots.statics_curve(pr_solution, "p", (0.1, 0.9), {**PR_VALUES, "D": -1}, outcome="e")
    with pytest.raises(gg.GvcgamesError, match=r"respect to 'q': it is not a parameter of this game"):
        plots.statics_curve(pr_solution, "q", (0.1, 0.9), PR_VALUES, outcome="e")
    with pytest.raises(InvalidSpecError, match="needs a StaticsResult, an Equilibrium or a Solution, got int"):
        plots.statics_curve(3, "p", (0.1, 0.9), PR_VALUES, outcome="e")
    res = gg.comparative_statics(gg.models.upgrading().solve().equilibria[0], outcome="u", wrt="R")
    with pytest.raises(InvalidSpecError, match="wrt='beta' disagrees with the statics result"):
        plots.statics_curve(res, "beta", (0, 1), {})


# --- region maps ------------------------------------------------------------------------------------------


def test_region_map_draws_the_patterns_of_gvcgames_regions():
    regions = pytest.importorskip("gvcgames.regions", reason="gvcgames.regions (region maps) is not in the tree yet")
    rg = gg.models.reconfiguration()
    fixed = {"D": 10, "d": 2, "theta": 0.5, "kappa": 0.3, "m": 1}
    ax = plots.region_map(rg, ("p", 0.05, 0.95), ("Delta", 0.1, 10), fixed, resolution=12)
    expected = regions.region_map(rg, ("p", 0.05, 0.95), ("Delta", 0.1, 10), fixed=fixed, resolution=12)
    codes, names = expected.patterns()
    np.testing.assert_array_equal(np.asarray(ax.images[0].get_array()), codes + 1)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert set(legend) <= set(names) | {"not admissible"}
    assert "pure (relocate, not)" in " ".join(legend)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("p", "Delta")


# --- real options ------------------------------------------------------------------------------------------


def test_option_value_matches_the_result():
    res = gg.options.investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
    ax = plots.option_value(res, over=(0.1, 4), points=40)
    value, payoff, trigger = ax.get_lines()
    xs = value.get_xdata()
    np.testing.assert_allclose(value.get_ydata(), [float(res.option_value(x)) for x in xs])
    np.testing.assert_allclose(payoff.get_ydata(), xs - 1.0)  # g(V) = V - I
    assert trigger.get_xdata()[0] == pytest.approx(2.0)  # V* = beta/(beta - 1) I with beta = 2
    # value matching: F and g meet at the trigger
    F_at = res.value_function.subs(res.state, 2.0)
    assert float(F_at) == pytest.approx(1.0)


def test_option_value_relocation_trigger_default_range():
    res = gg.options.relocation_trigger(r=0.05, mu=0.01, sigma=0.2, I=10.0, premium=0.1)
    ax = plots.option_value(res)
    value, _, trigger = ax.get_lines()
    assert value.get_xdata()[-1] == pytest.approx(2 * float(res.trigger))
    assert trigger.get_label().startswith("trigger x* = ")


def test_option_value_bad_input():
    band = gg.options.entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=5.0)
    with pytest.raises(UnsupportedError, match=r"single-trigger StoppingResult \(.*\), got EntryExitBand"):
        plots.option_value(band)
    r, sigma, I = sp.symbols("r sigma I", positive=True)
    symbolic = gg.options.investment_trigger(r=r, delta=r, sigma=sigma, I=I)
    with pytest.raises(InvalidValuesError, match="needs a numeric result"):
        plots.option_value(symbolic)


# --- the optional dependency ---------------------------------------------------------------------------------


def test_missing_matplotlib_names_the_extra(monkeypatch, cournot_solution):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)  # makes `import matplotlib.pyplot` fail
    with pytest.raises(MissingDependencyError, match=r"install the 'plots' extra: pip install 'gvcgames\[plots\]'"):
        plots.best_responses(cournot_solution, {"a": 10, "b": 1, "c": 1})


def test_best_response_of_a_symmetric_game_meets_the_diagonal_at_the_equilibrium():
    sol = gg.models.cluster().solve()
    values = {"N": 3, "alpha": 0.5, "m": 1, "c": 2, "pi0": 0.2}
    ax = plots.best_responses(sol, values)
    assert [line.get_label() for line in ax.get_lines()] == ["BR (each player)", "symmetric profiles", "equilibrium"]
    (x, y) = ax.get_lines()[2].get_xydata()[0]
    (eq,) = sol.at(values)
    assert x == y == pytest.approx(float(eq.at(values)[sol.game.action]))
    assert "others' common action" in ax.get_xlabel()
