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
from gvcgames.export.catalogue import _groups, render, render_all
from gvcgames.export.format import escape, is_numeric, math_tex, name_tex, number, prose
from gvcgames.export.latex import condition_lines, hypotheses_list, measure_zero, step
from gvcgames.export.pdf import INSTALL_HINT
from gvcgames.results import Step
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
        (1e15, r"1 \times 10^{15}"),
        (-2.5e17, r"-2.5 \times 10^{17}"),
        (123456789012345.0, "123456789012345"),
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
    solution = gg.models.prevention_relocation().solve()
    text = fragment(solution, label="pr")
    assert text.count(r"\label{eq:pr-R") == len(solution.equilibria)
    assert r"e^* &= \begin{cases}" in text
    assert r"\frac{D m p}{\bar{F} c} & \text{in } \mathcal{R}_{2}" in text
    assert r"\Pr(\text{lead firm: relocate})^* &= \begin{cases}" in text


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


def test_a_solution_without_closed_form_says_so():
    text = fragment(gg.models.relocation_option().solve())
    assert text.startswith(r"\emph{No closed form: sympy cannot solve the first-order conditions of case $e$ interior")
    assert "No equilibrium in closed form." in text


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
    assert text.startswith("In the region where this equilibrium holds:")  # no index: say it in words
    assert "$\\mathcal{R}$" not in text
    assert text.count("In the equilibrium region") == 0
    assert hypotheses_list(hyps, region=2).startswith("In the equilibrium region $\\mathcal{R}_{2}$:")
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
    assert re.search(r"\(residual \$[^$]*\$\)", text) or "(residual $0$)" in text  # the number is math, not text
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


# --- words with code, names in words, long conditions ------------------------------------------------


def test_step_titles_and_notes_render_code_as_math():
    pr = gg.models.prevention_relocation()
    D, p, Delta, Fbar = (pr.symbol(n) for n in ("D", "p", "Delta", "Fbar"))
    e = pr.symbol("e")
    item = Step("case", "Case: e = (D*p - Delta - Fbar)/(D*p)", note="its conditions are never satisfied: F < -e*D*p")
    text = step(item, "s", 1, [D, p, Delta, Fbar, e, sp.Symbol("F")])
    assert text.startswith(r"Case: $e = \frac{D p - \Delta - \bar{F}}{D p}$")
    assert r"never satisfied: $F < - e D p$" in text and "*" not in text
    # the words stay words: a lone "a" is an article even where a parameter is called a
    a = gg.parameters("a", positive=True)
    assert prose("so the KKT point is a best response; a > 0", [a]) == "so the KKT point is a best response; $a > 0$"
    assert prose("i.e. e = 1", [e]) == "i.e. $e = 1$"


def test_names_in_words_are_set_as_math_names():
    assert name_tex("tau_{lead firm}") == r"\tau_{\text{lead firm}}"
    assert name_tex("Pr(lead firm: relocate)") == r"\Pr(\text{lead firm: relocate})"
    tau = sp.Symbol("tau_{lead firm}")
    assert math_tex(sp.Eq(tau, 1)) == r"\tau_{\text{lead firm}} = 1"
    deriv = gg.models.prevention_relocation().solve().derivation
    text = fragment(deriv, label="pr")
    assert r"\tau_{\text{lead firm}} &=" in text and r"\Pr(\text{lead firm: relocate}) &=" in text
    assert "tau_{lead firm} &=" not in text and "Pr(lead firm: relocate) &=" not in text


def test_tautological_rows_are_not_shown():
    r = gg.parameters("r", positive=True)
    item = Step(
        "substitute",
        "Substituting the values",
        (sp.Eq(sp.Symbol("r", positive=True), r, evaluate=False), sp.Eq(sp.Symbol("s"), 1)),
    )
    text = step(item, "x", 1)
    assert "r &= r" not in text and "s &= 1" in text
    assert r"\text{True}" not in step(Step("conditions", "Conditions for this case", (sp.true,)), "x", 2)
    assert r"\text{True}" not in fragment(gg.models.cournot().solve().derivation)


def test_broken_conjunctions_parenthesise_their_disjunctions():
    a, b, c, d = sp.symbols("a b c d", positive=True)
    lines = condition_lines(sp.And(sp.Or(a > b, c > d), sp.Or(a > c, b > d), a > d), width=20)
    assert lines == [r"\left(a > b \vee c > d\right)", r"\wedge \left(a > c \vee b > d\right)", r"\wedge a > d"]
    nested = condition_lines(sp.And(sp.Or(a > b + c + d, sp.Not(sp.And(a > c + 2 * d, b > d + 3 * a))), a > d), 22)
    assert nested[0].startswith(r"\bigl(") and nested[-1] == r"\wedge a > d"
    assert any(r"\vee" in line for line in nested) and any(r"\neg \bigl(" in line for line in nested)
    joined = " ".join(nested)
    assert joined.count(r"\bigl(") == joined.count(r"\bigr)") == 2
    region = fragment(gg.models.prevention_relocation().solve(), label="pr")
    for line in region.split(r"\label{eq:pr-R1}")[0].splitlines():
        # no line of a broken conjunction may hold an unparenthesised disjunction
        if line.startswith(r"& \wedge") or line.startswith(r"& \vee"):
            assert r"\vee" not in line.split(" ", 2)[2] or r"\left(" in line or r"\bigl(" in line


def test_case_labels_and_rejected_reasons_are_math():
    text = document(gg.models.prevention_relocation().solve())
    assert r"\text{$e = 0$; then $\Pr(\text{lead firm: relocate}) = 0$}" in text
    assert "D*p" not in text and "Fbar" not in text


def test_measure_zero_regions_are_recognised():
    D, p, Delta, Fbar = gg.parameters("D p Delta Fbar", positive=True)
    assert measure_zero(sp.And(D * p >= Delta, sp.Eq(D * p, Delta + Fbar)))
    assert not measure_zero(sp.And(D * p >= Delta, D * p < Delta + Fbar))
    assert not measure_zero(sp.true)


def test_install_hint_names_exactly_what_ci_installs():
    ci = (ROOT / ".ci" / "run").read_text()
    packages = "latexmk texlive-latex-base texlive-latex-recommended texlive-fonts-recommended"
    assert f'TEX_PACKAGES="{packages}"' in ci
    assert f"apt-get install {packages}`" in INSTALL_HINT and "latex-extra" not in INSTALL_HINT


# --- the catalogue documents ------------------------------------------------------------------------


def test_cluster_document_has_the_joint_optimum_and_the_free_riding_gap():
    text = render("cl")
    assert r"\section*{Joint action and free riding}" in text
    assert r"e^{C} &= \frac{\alpha m}{c} && \text{if } c > \alpha m \label{eq:cl-C1}" in text
    assert r"e^{C} - e^* = \frac{\alpha m \left(N - 1\right)}{N c}$, which is nonnegative (proved)" in text
    assert r"\partial N = \frac{\alpha m}{N^{2} c}$, is positive (proved): free riding widens" in text
    # the symmetric derivation reads as mathematics
    assert "N = N players" not in text and "(others play x)" not in text
    assert r"\frac{d}{d e} g{\left(e \right)} &= - c" in text and "$g$, is strictly decreasing (proved)" in text
    assert "In the equilibrium region $\\mathcal{R}_{1}$:" in text and "$\\mathcal{R}$ of this" not in text
    assert "[Existence.] A symmetric equilibrium exists at every admissible parameter point" in text


def test_relocation_option_interior_case_is_open_not_rejected():
    text = render("ro")
    open_cases = text.split(r"\section*{Cases without a closed form}")[1].split(r"\section*")[0]
    assert (
        "no closed form" in open_cases and r"solved numerically in the section \emph{A numeric optimum}" in open_cases
    )
    rejected = text.split(r"\section*{Rejected candidates}")[1].split(r"\section*")[0]
    assert "sympy cannot solve" not in rejected
    assert r"r &= r" not in text and r"\mu &= \mu" not in text


def test_wp2_wording_follows_the_certificates(monkeypatch):
    from gvcgames.export import catalogue as docs
    from gvcgames.statics.certificates import SignAnalysis

    real = docs._gap_results("cl")
    unproved = [(k, j, joint, SignAnalysis(gg.Sign.UNKNOWN, {}), dn) for k, j, joint, _, dn in real]
    monkeypatch.setattr(docs, "_gap_results", lambda name: unproved)
    parts: list[str] = []
    docs._cluster(parts)
    text = "\n".join(parts)
    assert "The sign of the gap could not be proved" in text and "The sign of the gap is proved" not in text
    assert "is of undetermined sign where both are interior" in text
    monkeypatch.setattr(docs, "_gap_results", lambda name: real)
    parts = []
    docs._cluster(parts)
    assert "The sign of the gap is proved" in "\n".join(parts)


def test_derive_groups_keep_dependencies_together():
    groups = _groups(["pr", "ro", "up", "cl", "cournot", "wp2-propositions"], jobs=2)
    assert len(groups) == 2
    together = next(g for g in groups if "wp2-propositions" in g)
    assert together.index("wp2-propositions") > max(together.index(n) for n in ("pr", "up", "cl"))
    assert sorted(n for g in groups for n in g) == sorted(["pr", "ro", "up", "cl", "cournot", "wp2-propositions"])
    assert _groups(["up", "cournot"], jobs=1) == [["up", "cournot"]]


def test_parallel_generation_gives_the_same_text():
    serial = {name: render(name) for name in ("up", "cournot")}
    assert dict(render_all(["up", "cournot"], jobs=2)) == serial


def test_a_latex_name_survives_sympys_expression_cache():
    # Regression: an equal symbol declared earlier without a LaTeX name made sympy's cache return
    # the old expression, printed with sympy's default name (seen as \bar{F} instead of \bar F).
    plain = gg.parameters("Gbar", positive=True)
    assert math_tex(plain / 2) == r"\frac{\bar{G}}{2}"
    named = gg.parameters("Gbar", positive=True, latex=r"\bar G")
    assert math_tex(named / 2) == r"\frac{\bar G}{2}"
