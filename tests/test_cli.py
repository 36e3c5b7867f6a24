"""The gvcgames command through its real entry point (a subprocess)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gvcgames.export.catalogue import PROPOSITIONS
from gvcgames.export.pdf import tex_available
from gvcgames.models import catalogue

ROOT = Path(__file__).resolve().parents[1]


def run(*args, env=None, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "gvcgames", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


# `derive all` takes ~2 minutes on an idle machine and several times that on a loaded CI runner
DERIVE_ALL_TIMEOUT = 1800


def test_list_names_every_model():
    out = run("list")
    assert out.returncode == 0
    for name in catalogue():
        assert name in out.stdout


def test_solve_with_values_verifies_the_equilibrium():
    out = run(
        "solve",
        "up",
        "--set",
        "R=0.5",
        "--set",
        "beta=0.5",
        "--set",
        "a=1",
        "--set",
        "g=1",
        "--set",
        "k=1",
        "--set",
        "a_o=1",
    )
    assert out.returncode == 0, out.stderr
    assert "u = 1" in out.stdout and "verified by gg.is_equilibrium" in out.stdout


def test_partial_values_are_substituted_exactly():
    out = run("solve", "cournot", "--set", "c=1", "--set", "b=0.5")
    assert out.returncode == 0, out.stderr
    assert "q1 = 2*(a - 1)/3" in out.stdout


def test_derive_all_reproduces_the_committed_derivations(tmp_path):
    # CI's check: `gvcgames derive all -o derivations` must write exactly what is committed.
    out = run("derive", "all", "-o", str(tmp_path), timeout=DERIVE_ALL_TIMEOUT)
    assert out.returncode == 0, out.stderr
    written = sorted(p.name for p in tmp_path.glob("*.tex"))
    assert written == sorted(f"{n}.tex" for n in [*catalogue(), PROPOSITIONS])
    committed = sorted(p.name for p in (ROOT / "derivations").glob("*.tex"))
    assert committed == written, "derivations/ has missing or extra files: run `gvcgames derive all -o derivations`"
    for name in written:
        text = (tmp_path / name).read_text()
        assert text.startswith("\\documentclass") and text.rstrip().endswith("\\end{document}")
        assert (ROOT / "derivations" / name).read_text() == text, (
            f"derivations/{name} is stale: run `gvcgames derive all -o derivations`"
        )


def test_wp2_document_states_the_propositions_from_the_engine():
    text = (ROOT / "derivations" / f"{PROPOSITIONS}.tex").read_text()
    for label in ("prop:pr", "prop:up", "prop:loop", "prop:cl"):
        assert f"\\label{{{label}}}" in text
    # the maths is the engine's: PR's interior prevention and UP's du*/dR, as DOMAIN.md states them
    assert "e^* &= \\frac{D m p}{\\bar{F} c}" in text
    assert "a_{o} - \\beta \\left(a + g k\\right)" in text
    assert text.count("\\begin{proof}") == 4


def test_derive_one_model_writes_one_file(tmp_path):
    out = run("derive", "up", "-o", str(tmp_path / "new" / "dir"))
    assert out.returncode == 0, out.stderr
    assert [p.name for p in (tmp_path / "new" / "dir").iterdir()] == ["up.tex"]


@pytest.mark.skipif(not tex_available() and os.environ.get("GVCGAMES_REQUIRE_TEX") != "1", reason="no TeX engine")
def test_derive_pdf_compiles(tmp_path):
    out = run("derive", "cournot", "-o", str(tmp_path), "--pdf")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "cournot.pdf").stat().st_size > 1000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cournot.pdf", "cournot.tex"]  # no aux files left


def test_derive_pdf_without_tex_says_how_to_install(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}  # an empty PATH: no latexmk, no pdflatex
    out = run("derive", "cournot", "-o", str(tmp_path / "out"), "--pdf", env=env)
    assert out.returncode == 3
    assert "latexmk and pdflatex not found on PATH" in out.stderr
    assert "apt-get install latexmk" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()  # failed before doing any work


def test_derive_into_a_file_is_a_usage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    out = run("derive", "up", "-o", str(blocker))
    assert out.returncode == 2 and "cannot write to output directory" in out.stderr


@pytest.mark.parametrize("command", [(), ("list",), ("solve",), ("statics",), ("derive",)])
def test_help_everywhere(command):
    out = run(*command, "--help")
    assert out.returncode == 0 and "usage: gvcgames" in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("solve", "nope"), "unknown model 'nope'; valid models: pr, ro, up, hu"),
        (("solve", "up", "--set", "R"), "--set expects NAME=VALUE, got 'R'"),
        (("solve", "up", "--set", "R=abc"), "'abc' is not a number"),
        (("solve", "up", "--set", "zz=1"), "up has no parameters ['zz']"),
        (("derive", "up", "-o", "/proc/gvcgames-cannot-write"), "cannot write to output directory"),
        (("derive", "nope"), "unknown model 'nope'; valid models: pr, ro, up, hu"),
        (("derive", "nope"), f"{PROPOSITIONS}, or 'all'"),
        (("solve", "up", "--set", "=1"), "--set expects NAME=VALUE, got '=1'"),
    ],
)
def test_usage_errors_exit_2_with_a_message(args, message):
    out = run(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_help():
    out = run("--help")
    assert out.returncode == 0 and "derive" in out.stdout


def test_out_of_domain_value_is_a_usage_error():
    out = run("solve", "up", "--set", "R=2")
    assert out.returncode == 2 and "outside its domain" in out.stderr


def test_statics_prints_hypotheses():
    out = run("statics", "up")
    assert out.returncode == 0, out.stderr
    assert "H1:" in out.stdout and "[conditional]" in out.stdout and "[proved]" in out.stdout


CL_VALUES = ("--set", "N=3", "--set", "m=1", "--set", "c=1", "--set", "pi0=0.2", "--set", "alpha=0.5")


def test_solve_cluster_with_partial_values_substitutes_them():
    out = run("solve", "cl", "--set", "m=1", "--set", "N=4")
    assert out.returncode == 0, out.stderr
    assert "e = alpha/(4*c)" in out.stdout and "Traceback" not in out.stderr


def test_solve_cluster_with_all_values_verifies_the_symmetric_equilibrium():
    out = run("solve", "cl", *CL_VALUES)
    assert out.returncode == 0, out.stderr
    assert "At N = 3, m = 1, c = 1, pi0 = 1/5, alpha = 1/2:" in out.stdout
    assert "interior: e = 0.166667  (verified by gg.is_equilibrium)" in out.stdout
    assert "FAILS" not in out.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("solve", "cl", "--set", "N=2.5"), "--set N=5/2: N must be a positive integer (the number of players)"),
        (("solve", "cl", "--set", "N=0"), "--set N=0 is outside its domain"),
        (("solve", "up", "--set", "R=0.5", "--set", "R=0.6"), "--set R is given twice (R=1/2 and 'R=0.6')"),
        (("solve", "cl", "--set", "pi0=0.8", "--set", "alpha=0.5"), "violates the model's assumption alpha + pi0 <= 1"),
        (("statics", "up", "--samples", "-5"), "argument --samples: expected a positive integer, got -5"),
        (("statics", "up", "--samples", "0"), "argument --samples: expected a positive integer, got 0"),
        (("derive", "up", "-j", "0"), "argument -j/--jobs: expected a positive integer, got 0"),
    ],
)
def test_bad_values_exit_2_with_a_message(args, message):
    out = run(*args)
    assert out.returncode == 2, out.stdout
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_statics_on_a_model_without_closed_form_uses_the_implicit_function_theorem():
    out = run("statics", "ro", "--samples", "40")
    assert out.returncode == 0, out.stderr
    assert "no closed form; the implicit function theorem" in out.stdout
    # proved from the FOC as written (DOMAIN.md: de*/dc < 0, de*/dm > 0), conditional in sigma
    assert "(c) lowers the risk prevention (e*). [proved]" in out.stdout
    assert "(m) raises the risk prevention (e*). [proved]" in out.stdout
    assert "(sigma) raises the risk prevention (e*) at some admissible parameter values" in out.stdout


def test_solve_without_a_closed_form_falls_back_to_a_verified_numeric_equilibrium():
    # RO's interior optimum has no closed form: at numbers the CLI solves it numerically (FOC: e* = 10/11 here)
    values = ["beta=2", "c=1", "m=1", "r=0.05", "x0=0.5", "x_star=1"]
    out = run("solve", "ro", *(arg for v in values for arg in ("--set", v)))
    assert out.returncode == 0, out.stderr
    assert "numeric: e = 0.909091  (verified by gg.is_equilibrium)" in out.stdout
