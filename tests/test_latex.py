"""LaTeX export: fragments of every result type, documents, labels and honest numbers."""

import re
from pathlib import Path

import pandas as pd
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.export import ExportError, document, fragment
from gvcgames.export.format import escape, is_numeric, math_tex, number
from gvcgames.statics import comparative_statics, implicit_statics, statics_table

ROOT = Path(__file__).resolve().parents[1]


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1, "0.1"),
        (0.3, "0.3"),
        (2.0, "2"),
        (-3.0, "-3"),
        (1e-05, r"1 \times 10^{-5}"),
        (float("inf"), r"\infty"),
        (float("nan"), r"\text{undefined}"),
        (sp.Float(0.3), "0.3"),
        (sp.Rational(1, 3), r"\frac{1}{3}"),
        (7, "7"),
    ],
)
def test_numbers_have_no_spurious_digits(value, text):
    assert number(value) == text


def test_rounded_numbers_are_marked_approximate():
    assert number(1 / 3, digits=3) == r"\approx 0.333"
    assert number(0.25, digits=3) == "0.25"  # nothing was lost: no mark


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_prints_back_to_itself(value):
    text = number(value).replace(r" \times 10^{", "e").rstrip("}")
    assert float(text) == value


def test_expressions_with_floats_are_tagged_numeric():
    x = gg.parameters("x", positive=True)
    assert math_tex(x + sp.Float(0.1), tag_numeric=True) == r"x + 0.1 \quad\text{(numeric)}"
    assert math_tex(x + sp.Rational(1, 10), tag_numeric=True) == r"x + \frac{1}{10}"
    assert is_numeric(0.5) and not is_numeric(sp.Integer(1))
    assert fragment(x * 0.5).endswith("0.5 x \\quad\\text{(numeric)}\n\\end{equation*}")


def test_escape_text():
    assert escape("a_b & 5% #1 {x}") == r"a\_b \& 5\% \#1 \{x\}"


# --- games ---------------------------------------------------------------------------------------


def test_setup_uses_latex_names_descriptions_and_assumptions():
    text = fragment(gg.models.prevention_relocation())
    assert r"\bar{F} &\in \left(0, \infty\right) && \text{upper bound of the relocation cost}" in text
    assert r"privately drawing $F \sim \text{uniform}(0, \bar{F})$" in text
    assert "Stage 1: MSE chooses $e \\in \\left[0, 1\\right]$" in text
    assert r"\pi_{\text{lead firm}}(\text{relocate}) &= - \Delta - F" in text


def test_setup_of_simultaneous_symmetric_and_finite_games():
    cournot = fragment(gg.models.cournot())
    assert "The 2 players choose simultaneously" in cournot and r"\paragraph{Assumptions.}" in cournot
    cluster = fragment(gg.models.cluster())
    assert "$N$ identical players" in cluster and r"\cap \mathbb{Z}" in cluster
    rg = fragment(gg.models.reconfiguration())
    assert r"\begin{array}{r|cc}" in rg and r"\text{stay}" in rg


def test_user_chosen_latex_names_and_escaped_player_names():
    # a name of its own: symbols equal by name and domain are interchangeable in sympy's cache, and
    # a LaTeX name is a label, not identity (spec/symbols.py), so it could show up on the other one
    a = gg.parameters("a_user", positive=True, latex=r"\alpha_{\mathrm{user}}")
    q = gg.actions("q", nonnegative=True)
    game = gg.ContinuousGame({"firm_1 & co": (q, (a - q) * q)}, name="one firm")
    text = document(game.solve())
    assert r"\alpha_{\mathrm{user}}" in text and r"\text{firm\_1 \& co}" in text


# --- solutions, equilibria, derivations ------------------------------------------------------------


def test_solution_regions_and_cases():
    text = fragment(gg.models.prevention_relocation().solve(), label="pr")
    assert text.count(r"\label{eq:pr-R") == 5
    assert r"e^* &= \begin{cases}" in text
    assert r"\frac{D m p}{\bar{F} c} & \text{in } \mathcal{R}_{2}" in text
    assert r"\text{Pr(lead firm: relocate)}^* &= \begin{cases}" in text


def test_single_equilibrium_and_finite_equilibrium():
    eq = gg.models.cournot().solve().equilibria[0]
    assert r"q_{1}^* &= \begin{cases}" in fragment(eq, label="c")
    mixed = gg.models.reconfiguration().mixed_equilibria().equilibria[0]
    assert r"\sigma_{\text{lead firm}}(\text{stay})" in fragment(mixed)


def test_derivation_equations_are_numbered_and_labelled():
    deriv = gg.models.upgrading().solve().derivation
    text = fragment(deriv, label="up")
    assert text.startswith(r"\begin{enumerate}") and r"\begin{align}" in text
    assert r"\label{eq:up-4-1}" in text  # step 4 (the first-order condition), first equation
    assert r"\pi_{\text{MSE}}" in text  # the solver's payoff symbol, with the player's name as text
    step = fragment(deriv[3], label="s")
    assert step.startswith("First-order conditions of MSE") and r"\label{eq:s-1-1}" in step


def test_incomplete_solution_says_so():
    text = fragment(gg.models.relocation_option().solve())
    assert text.startswith(r"\emph{Incomplete: sympy cannot solve") and "No equilibrium in closed form." in text


def test_document_of_a_list_has_one_preamble_and_a_title():
    sol = gg.models.cournot().solve()
    text = document([sol, sol.derivation[0]], title="Two things")
    assert text.count(r"\documentclass") == 1 and r"\title{Two things}" in text
    assert text.rstrip().endswith(r"\end{document}")


# --- statics and hypotheses ----------------------------------------------------------------------


def test_statics_result_certificates_and_conditions():
    eq = gg.models.upgrading().solve().equilibria[0]
    res = comparative_statics(eq, "u", "R")
    text = fragment(res, label="x")
    assert r"&> 0 \iff a_{o} > \beta \left(a + g k\right)" in text
    assert r"\emph{conditional}" in text and r"\label{eq:x}" in text
    proved = fragment(comparative_statics(eq, "u", "beta"))
    assert r"\geq 0" in proved and r"\emph{proved}" in proved


def test_statics_table_from_a_dataframe_and_from_results():
    eq = gg.models.upgrading().solve().equilibria[0]
    frame = statics_table(eq, outcomes=["u"])
    text = fragment(frame)
    assert text.startswith(r"\begin{tabular}{lcccccc}") and r"$\pm$" in text and "conditions below" in text
    with pytest.raises(ExportError, match=r"only statics tables from gvcgames.statics.statics_table"):
        fragment(pd.DataFrame({"a": [1]}))


def test_hypotheses_state_a_shared_region_once():
    eq = next(e for e in gg.models.prevention_relocation().solve() if e.case.startswith("e interior"))
    hyps = gg.statics.hypotheses(eq, outcomes=["e"], wrt=["p", "c"])
    text = fragment(hyps)
    assert text.startswith("In the equilibrium region $\\mathcal{R}$ of this equilibrium:")
    assert text.count("In the equilibrium region") == 1
    assert r"\item[H1.] A higher probability of a disruption ($p$) raises" in text
    assert fragment(hyps[0]).startswith(r"\textbf{H1.} ")


# --- real options and the implicit function theorem ------------------------------------------------


def test_numeric_option_results_are_labelled_numeric():
    res = gg.options.investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
    text = fragment(res, label="dp")
    assert r"V^* &= 2 \quad\text{(numeric)}" in text and r"\beta &= 2 \quad\text{(numeric)}" in text
    assert r"\label{eq:dp-1-1}" in text
    band = gg.options.entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=5.0)
    assert "all values numeric" in fragment(band)


def test_symbolic_option_result_prints_the_closed_form():
    r, delta, sigma, I = gg.parameters("r delta sigma I", positive=True)
    res = gg.options.investment_trigger(r=r, delta=delta, sigma=sigma, I=I)
    text = fragment(res)
    assert r"V^* &= \frac{I \beta}{\beta - 1}" in text and "(numeric)" not in text


def test_implicit_statics_at_a_point():
    x, t = gg.actions("x", positive=True), gg.parameters("t", positive=True)
    ift = implicit_statics(x**2 - t, x, t, at={"t": 4.0})
    text = fragment(ift)
    assert r"\frac{\partial x}{\partial t} &\approx 0.25 \quad\text{(numeric)}" in text
    assert r"$x \approx 2$" in text  # 2.0000000000000004 from the solver: noise digits dropped, marked
    assert r"\frac{\partial x}{\partial t} &= \frac{1}{2 x}" in text


def test_other_results_render_themselves():
    class Estimate:
        def to_latex(self):
            return r"\hat\theta = 1"

    assert fragment(Estimate()) == r"\hat\theta = 1"


def test_unknown_objects_raise_a_clear_error():
    with pytest.raises(ExportError, match=r"cannot export an object of type 'set' to LaTeX; supported: games"):
        fragment({1, 2})


# --- the committed documents ---------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((ROOT / "derivations").glob("*.tex")), ids=lambda p: p.name)
def test_labels_are_unique_and_every_reference_resolves(path):
    text = path.read_text()
    labels = re.findall(r"\\label\{([^}]*)\}", text)
    assert len(labels) == len(set(labels)), f"duplicate labels in {path.name}"
    refs = set(re.findall(r"\\(?:eq)?ref\{([^}]*)\}", text))
    assert refs <= set(labels), f"undefined references in {path.name}: {sorted(refs - set(labels))}"
