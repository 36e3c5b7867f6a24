"""Every options result type renders to LaTeX that a real TeX engine compiles.

Without latexmk/pdflatex these tests skip, unless GVCGAMES_REQUIRE_TEX=1 (as in
tests/test_latex_compile.py): then a missing TeX engine fails them.
"""

from __future__ import annotations

import os

import pytest
import sympy as sp

import gvcgames as gg
from gvcgames import options
from gvcgames.export.latex import PREAMBLE, document
from gvcgames.export.pdf import INSTALL_HINT, compile_pdf, tex_available
from gvcgames.options._display import escape


def results() -> dict[str, object]:
    """One result of every options type and policy (numbers and symbols)."""
    x = sp.Symbol("x", positive=True)
    a = sp.Symbol("a", positive=True)
    r, delta, sigma, cost = gg.parameters("r delta sigma I", positive=True)
    x0, trigger = sp.symbols("x0 x_s", positive=True)
    gbm = options.GBM(0.0, 0.2)
    return {
        "trigger (numbers)": options.investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0),
        "trigger (symbols)": options.investment_trigger(r=r, delta=delta, sigma=sigma, I=cost),
        "relocation trigger": options.relocation_trigger(r=0.04, mu=0.0, sigma=0.2, I=10.0, premium=0.2),
        "scaling hazard": options.investment_trigger(
            r=0.04, delta=0.04, sigma=0.2, I=1.0, hazard=options.PoissonHazard(0.1, jump=-0.5)
        ),
        "scipy trigger": options.optimal_stopping(x - 1 + sp.log(1 + x) / 5, x, gbm, r=0.04),
        "never pays": options.optimal_stopping(-x - a, x, gbm, r=0.04),
        "stop at once": options.optimal_stopping(x + 1, x, gbm, r=0.04),
        "unsupported": options.optimal_stopping(1 - x, x, gbm, r=0.04),
        "first passage (numbers)": options.expected_discount_factor(1.0, 2.0, gbm, r=0.04),
        "first passage (symbols)": options.expected_discount_factor(x0, trigger, options.GBM(0.03, 0.2), r=0.04),
        "switching band": options.switching_band(0.04, 0.0, 0.2, cost=1.0, up_cost=10.0, down_cost=5.0),
        "entry/exit band": options.entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=5.0),
        "entry without exit": options.entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=30.0),
        "relocation band": options.relocation_band(0.04, 0.0, 0.2, I=10.0, return_cost=5.0, premium=1.0),
        "preemption (numbers)": options.preemption_duopoly(0.04, 0.0, 0.2, 10.0, 1.0, 0.5),
        "preemption (symbols)": options.preemption_duopoly(r, 0, sigma, cost, 1, sp.Rational(1, 2)),
        "preemption (no follower)": options.preemption_duopoly(0.04, 0.0, 0.2, 10.0, 1.0, 0.0),
    }


RESULTS = results()


@pytest.fixture(scope="module", autouse=True)
def tex():
    if not tex_available():
        if os.environ.get("GVCGAMES_REQUIRE_TEX") == "1":
            pytest.fail(f"GVCGAMES_REQUIRE_TEX=1 but no TeX engine was found: {INSTALL_HINT}")
        pytest.skip("no TeX engine (latexmk, pdflatex) on PATH")


def test_every_options_result_type_is_covered():
    kinds = {type(v).__name__ for v in RESULTS.values()}
    assert kinds >= {
        "StoppingResult",
        "FirstPassage",
        "HysteresisBand",
        "EntryExitBand",
        "RelocationBand",
        "PreemptionResult",
    }
    assert {v.policy for v in RESULTS.values() if isinstance(v, options.StoppingResult)} == {
        "trigger",
        "never",
        "at once",
        "unsupported",
    }


def _compile(tmp_path, name, body):
    doc = tmp_path / f"{name}.tex"
    doc.write_text(f"{PREAMBLE}\\begin{{document}}\n{body}\n\\end{{document}}\n")
    return compile_pdf(doc)


def test_to_latex_and_repr_latex_of_every_result_compile(tmp_path):
    # One document with a section per result (a TeX error names the line, hence the result).
    parts = [
        f"\\section*{{{escape(name)}}}\n{res.to_latex()}\n\n\\noindent {res._repr_latex_()}"
        for name, res in RESULTS.items()
    ]
    assert _compile(tmp_path, "options", "\n\n".join(parts)).exists()


def test_export_documents_of_every_result_compile(tmp_path):
    # gvcgames.export renders StoppingResult and the bands itself and the rest with to_latex().
    doc = tmp_path / "export.tex"
    doc.write_text(document(list(RESULTS.values()), title="Options results"))
    assert compile_pdf(doc).exists()


def test_step_titles_are_plain_text():
    # Step titles are set in LaTeX text mode by Derivation.to_latex: no ^, no backslash.
    for name, res in RESULTS.items():
        for step in res.derivation:
            assert "^" not in step.title and "\\" not in step.title, (name, step.title)
