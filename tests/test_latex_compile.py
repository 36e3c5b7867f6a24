"""Every generated document, and every exported result type, compile with a real TeX engine.

Without latexmk/pdflatex these tests skip, unless GVCGAMES_REQUIRE_TEX=1 (set by .ci/run): then
a missing TeX engine fails them, so CI cannot pass without compiling.

Each result type is compiled twice: as a standalone :func:`~gvcgames.export.document` and as a
:func:`~gvcgames.export.fragment` ``\\input`` into a document with the preamble's packages. The
documents in ``derivations/`` must also fit the page: an overfull box wider than
``OVERFULL_PT`` fails (the display lines are broken by the exporter, not left to run off).
"""

import os
import shutil
from functools import cache
from pathlib import Path

import pytest
import sympy as sp

import gvcgames as gg
from gvcgames.export import document, fragment
from gvcgames.export.latex import PREAMBLE
from gvcgames.export.pdf import INSTALL_HINT, LatexError, compile_pdf, overfull_boxes, tex_available

ROOT = Path(__file__).resolve().parents[1]
DERIVATIONS = sorted((ROOT / "derivations").glob("*.tex"))
GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.tex"))
OVERFULL_PT = 20.0


@pytest.fixture(scope="module", autouse=True)
def tex():
    if not tex_available():
        if os.environ.get("GVCGAMES_REQUIRE_TEX") == "1":
            pytest.fail(f"GVCGAMES_REQUIRE_TEX=1 but no TeX engine was found: {INSTALL_HINT}")
        pytest.skip("no TeX engine (latexmk, pdflatex) on PATH")


def test_there_are_documents_to_compile():
    assert len(DERIVATIONS) >= 13 and GOLDEN


@pytest.mark.parametrize("source", DERIVATIONS, ids=[p.name for p in DERIVATIONS])
def test_derivation_compiles_and_fits_the_page(source, tmp_path):
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    pdf = compile_pdf(copy, keep_log=True)
    assert pdf.exists() and pdf.stat().st_size > 1000
    wide = overfull_boxes((tmp_path / f"{source.stem}.log").read_text(errors="replace"), OVERFULL_PT)
    assert not wide, f"{source.name}: lines run off the page: {wide}"


def test_fragments_input_into_a_document_compile(tmp_path):
    for path in GOLDEN:
        shutil.copy(path, tmp_path / path.name)
    body = "\n\n".join(f"\\section*{{{p.stem}}}\n\\input{{{p.name}}}" for p in GOLDEN)
    doc = tmp_path / "fragments.tex"
    doc.write_text(f"{PREAMBLE}\\begin{{document}}\n{body}\n\\end{{document}}\n")
    assert compile_pdf(doc).exists()


def test_a_latex_error_is_reported_with_tex_message(tmp_path):
    doc = tmp_path / "broken.tex"
    doc.write_text(PREAMBLE + "\\begin{document}\n$\\frac{1}{2$\n\\end{document}\n")
    with pytest.raises(LatexError, match=r"LaTeX failed on broken.tex:\n(.|\n)*(Missing|Runaway|Emergency|error)"):
        compile_pdf(doc)


# --- every result type the exporter supports --------------------------------------------------------


@cache
def results() -> dict[str, object]:
    from gvcgames.empirics import ClosedFormMoments, MomentSet, estimate, sign_tests
    from gvcgames.statics import comparative_statics, hypotheses, implicit_statics, statics_results, statics_table

    models = gg.models
    cournot, pr, cl, rg, up = (
        models.cournot(),
        models.prevention_relocation(),
        models.cluster(),
        models.reconfiguration(),
        models.upgrading(),
    )
    up_eq = up.solve().equilibria[0]
    pr_interior = next(e for e in pr.solve() if e.case.startswith("e interior"))
    x, t = gg.actions("x_ift", positive=True, latex="x"), gg.parameters("t_ift", positive=True, latex="t")
    a, b = gg.parameters("a_est b_est", positive=True, latex=["a", "b"])
    data = MomentSet(("ma", "mb"), [0.5, 1.5], [[0.04, 0.01], [0.01, 0.09]])
    hold_up = models.hold_up().solve().equilibria[0]
    q = gg.parameters("q_tree", domain="(0, 1)", latex="q")
    e = gg.actions("e_tree", domain="[0, 1]", latex="e")
    stay_or_go = gg.Decision("L", {"stay": {"S": 1 - e**2 / 2, "L": e - 1}, "relocate": {"S": -(e**2) / 2, "L": -a}})
    shock = gg.Chance({"shock": (q, stay_or_go), "calm": (1 - q, {"S": 1 - e**2 / 2, "L": 0})})
    after = gg.Decision("L", {"stay": {"S": 1, "L": -b}, "relocate": {"S": 0, "L": -a}})
    tree_game = gg.ExtensiveFormGame(
        gg.Decision(
            "S",
            {
                "prevent": gg.Chance({"shock": (q, after), "calm": (1 - q, {"S": 1, "L": 0})}),
                "not": {"S": 1 - q, "L": -a},
            },
        ),
        name="shock tree",
    )
    pennies = {("h", "h"): 1, ("h", "t"): -1, ("t", "h"): -1, ("t", "t"): 1}
    block = gg.ExtensiveFormGame(
        gg.Decision(
            "A",
            {
                x_: gg.Decision(
                    "B", {y_: {"A": pennies[(x_, y_)], "B": -pennies[(x_, y_)]} for y_ in "ht"}, infoset="B's move"
                )
                for x_ in "ht"
            },
        )
    )
    tree_solution = tree_game.solve()
    return {
        "tree-game": tree_game,
        "tree-solution": tree_solution,
        "tree-equilibrium": block.solve().equilibria[0],
        "sequential-tree-solution": gg.SequentialGame([("S", e), shock], name="investment then shock").solve(),
        "continuous-game": cournot,
        "sequential-game": pr,
        "symmetric-game": cl,
        "normal-form-game": rg,
        "solution": cournot.solve(),
        "sequential-solution": pr.solve(),
        "symmetric-solution": cl.solve(),
        "no-closed-form-solution": models.relocation_option().solve(),
        "finite-solution": rg.solve(),
        "equilibrium": pr_interior,
        "finite-equilibrium": rg.mixed_equilibria().equilibria[0],
        "derivation": pr.solve().derivation,
        "step": pr.solve().derivation[6],
        "statics-result": comparative_statics(up_eq, "u", "R"),
        "statics-results": statics_results(up_eq, outcomes=["u"], seed=0),
        "statics-table": statics_table(up_eq, outcomes=["u"]),
        "hypotheses": hypotheses(pr_interior, seed=0),
        "hypothesis": hypotheses(up_eq, outcomes=["u"], seed=0)[0],
        "implicit-statics": implicit_statics(x**2 - t, x, t, at={"t_ift": 4.0}),
        "estimation": estimate(ClosedFormMoments({"ma": a, "mb": b}, [a, b]), data),
        "sign-tests": sign_tests(hypotheses(hold_up, outcomes=["x"], wrt=["w"]), {"H1": (-0.8, 0.3)}),
        "expression": sp.sqrt(a) / (1 + b) + sp.Float(0.25),
    }


KINDS = [
    "tree-game",
    "tree-solution",
    "tree-equilibrium",
    "sequential-tree-solution",
    "continuous-game",
    "sequential-game",
    "symmetric-game",
    "normal-form-game",
    "solution",
    "sequential-solution",
    "symmetric-solution",
    "no-closed-form-solution",
    "finite-solution",
    "equilibrium",
    "finite-equilibrium",
    "derivation",
    "step",
    "statics-result",
    "statics-results",
    "statics-table",
    "hypotheses",
    "hypothesis",
    "implicit-statics",
    "estimation",
    "sign-tests",
    "expression",
]


@pytest.mark.parametrize("kind", KINDS)
def test_every_result_type_compiles_as_a_document_and_as_an_input_fragment(kind, tmp_path):
    obj = results()[kind]
    standalone = tmp_path / f"{kind}.tex"
    standalone.write_text(document(obj, title=f"Export of a {kind}"))
    assert compile_pdf(standalone).exists()
    (tmp_path / f"{kind}-fragment.tex").write_text(fragment(obj, label=kind) + "\n")
    host = tmp_path / f"host-{kind}.tex"
    host.write_text(
        f"{PREAMBLE}\\begin{{document}}\n\\section*{{{kind}}}\n\\input{{{kind}-fragment}}\n\\end{{document}}\n"
    )
    assert compile_pdf(host).exists()


def test_every_kind_is_listed():
    assert sorted(results()) == sorted(KINDS)
