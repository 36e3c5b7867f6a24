"""Golden files for LaTeX fragments of small fixed games.

A change in the LaTeX output fails here with a unified diff. If the change is intended,
regenerate the files and review them with git diff:

    GVCGAMES_UPDATE_GOLDEN=1 python -m pytest tests/test_latex_golden.py
"""

import difflib
import os
from pathlib import Path

import pytest
import sympy as sp
from sympy.core.cache import clear_cache

import gvcgames as gg
from gvcgames.export import fragment
from gvcgames.statics import statics_results

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GVCGAMES_UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True)
def fresh_sympy_cache():
    # symbols equal by name and domain are interchangeable in sympy's cache although their
    # descriptions and LaTeX names (labels, not identity) may differ: other tests' symbols must not leak in
    clear_cache()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    text += "\n"  # files end with a newline, as editors and linters expect
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
        return
    assert path.exists(), f"no golden file {path}; create it with GVCGAMES_UPDATE_GOLDEN=1"
    expected = path.read_text()
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"golden/{name}",
                tofile="produced now",
            )
        )
        pytest.fail(
            f"LaTeX of {name} changed; if intended, run GVCGAMES_UPDATE_GOLDEN=1 python -m pytest "
            f"tests/test_latex_golden.py\n{diff}",
            pytrace=False,
        )


def two_by_two():
    """Hawk-dove with value V and cost C > V: two pure equilibria and a mixed one."""
    V, C = gg.parameters(
        "V_hd C_hd", positive=True, description=["value of the prize", "cost of a fight"], latex=["V", "C"]
    )
    return gg.NormalFormGame(
        ["row", "col"],
        [["hawk", "dove"], ["hawk", "dove"]],
        [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]],
        assumptions=[C > V],
        name="Hawk-dove",
    )


def test_cournot_game_and_solution():
    solution = gg.models.cournot().solve()
    check_golden("cournot-setup.tex", fragment(solution.game, label="cournot"))
    check_golden("cournot-equilibria.tex", fragment(solution, label="cournot"))


def test_cournot_derivation_steps_are_labelled():
    check_golden("cournot-derivation.tex", fragment(gg.models.cournot().solve().derivation, label="cournot"))


def test_two_by_two_finite_game():
    game = two_by_two()
    check_golden("hawk-dove-setup.tex", fragment(game, label="hd"))
    check_golden("hawk-dove-equilibria.tex", fragment(game.solve(), label="hd"))


def test_statics_table_and_results():
    eq = gg.models.cournot().solve().equilibria[0]
    results = statics_results(eq, outcomes=["q1", "q2"], seed=0)
    check_golden("cournot-statics-table.tex", fragment(results))
    check_golden("cournot-statics-dq1-da.tex", fragment(results[0], label="dq1-da"))


def test_conditional_statics_and_hypotheses():
    eq = gg.models.upgrading().solve().equilibria[0]
    hyps = gg.statics.hypotheses(eq, outcomes=["u"], seed=0)
    check_golden("up-hypotheses.tex", fragment(hyps))
    check_golden("up-du-dR.tex", fragment(hyps[0].result, label="du-dR"))


def test_symmetric_game_solution_and_free_riding_gap():
    game = gg.models.cluster()
    check_golden("cl-setup.tex", fragment(game, label="cl"))
    check_golden("cl-equilibria.tex", fragment(game.solve(), label="cl"))


def test_long_conditions_are_broken_over_lines():
    # a region like PR's: a disjunction (with a negated conjunction) inside a conjunction, too wide for a line
    from gvcgames.results import Equilibrium, Solution

    D, p, Delta, Fbar, c, m = gg.parameters("D_g p_g Delta_g Fbar_g c_g m_g", positive=True)
    e = gg.actions("e_g", domain="[0, 1]")
    inner = sp.And(Fbar * c > D * m * p, D * Fbar * c * p > D**2 * m * p**2 + Delta * Fbar * c)
    region = sp.And(sp.Or(2 * D * Fbar * c * p >= D**2 * m * p**2 + 2 * Delta * Fbar * c, sp.Not(inner)), Delta > D * p)
    eqs = [
        Equilibrium({e: sp.Integer(0)}, {"MSE": m}, region, "test", case="e_g = 0; then Pr(lead firm: relocate) = 0"),
        Equilibrium({e: D * m * p / (Fbar * c)}, {"MSE": m - D * p}, inner, "test", case="e_g interior"),
    ]
    check_golden("long-conditions.tex", fragment(Solution(None, eqs, "test"), label="long"))
