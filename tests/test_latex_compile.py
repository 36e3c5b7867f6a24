"""Every generated document, and the golden fragments \\input into one, compile with a real TeX engine.

Without latexmk/pdflatex these tests skip, unless GVCGAMES_REQUIRE_TEX=1 (set by .ci/run): then
a missing TeX engine fails them, so CI cannot pass without compiling.
"""

import os
import shutil
from pathlib import Path

import pytest

from gvcgames.export.latex import PREAMBLE
from gvcgames.export.pdf import INSTALL_HINT, LatexError, compile_pdf, tex_available

ROOT = Path(__file__).resolve().parents[1]
DERIVATIONS = sorted((ROOT / "derivations").glob("*.tex"))
GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.tex"))


@pytest.fixture(scope="module", autouse=True)
def tex():
    if not tex_available():
        if os.environ.get("GVCGAMES_REQUIRE_TEX") == "1":
            pytest.fail(f"GVCGAMES_REQUIRE_TEX=1 but no TeX engine was found: {INSTALL_HINT}")
        pytest.skip("no TeX engine (latexmk, pdflatex) on PATH")


def test_there_are_documents_to_compile():
    assert len(DERIVATIONS) >= 13 and GOLDEN


@pytest.mark.parametrize("source", DERIVATIONS, ids=[p.name for p in DERIVATIONS])
def test_derivation_compiles(source, tmp_path):
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    pdf = compile_pdf(copy)
    assert pdf.exists() and pdf.stat().st_size > 1000


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
