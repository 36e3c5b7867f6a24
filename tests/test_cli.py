"""The gvcgames command through its real entry point (a subprocess)."""

import subprocess
import sys
from pathlib import Path

import pytest

from gvcgames.cli import render
from gvcgames.models import catalogue

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return subprocess.run([sys.executable, "-m", "gvcgames", *args], capture_output=True, text=True, timeout=300)


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


def test_derive_writes_documents(tmp_path):
    out = run("derive", "all", "-o", str(tmp_path))
    assert out.returncode == 0, out.stderr
    for name in catalogue():
        text = (tmp_path / f"{name}.tex").read_text()
        assert text.startswith("\\documentclass") and text.rstrip().endswith("\\end{document}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("solve", "nope"), "unknown model 'nope'; valid models: pr, ro, up, hu"),
        (("solve", "up", "--set", "R"), "--set expects NAME=VALUE, got 'R'"),
        (("solve", "up", "--set", "R=abc"), "'abc' is not a number"),
        (("solve", "up", "--set", "zz=1"), "up has no parameters ['zz']"),
        (("derive", "up", "-o", "/proc/gvcgames-cannot-write"), "cannot write to output directory"),
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


def test_committed_derivations_are_up_to_date():
    # README's main job writes derivations/; what is committed must be what it writes now.
    for name, entry in catalogue().items():
        committed = ROOT / "derivations" / f"{name}.tex"
        assert committed.exists(), f"run `gvcgames derive all -o derivations`: {committed} is missing"
        assert committed.read_text() == render(entry), f"{committed} is stale: run `gvcgames derive all -o derivations`"


def test_out_of_domain_value_is_a_usage_error():
    out = run("solve", "up", "--set", "R=2")
    assert out.returncode == 2 and "outside its domain" in out.stderr


def test_statics_prints_hypotheses():
    out = run("statics", "up")
    assert out.returncode == 0, out.stderr
    assert "H1:" in out.stdout and "[conditional]" in out.stdout and "[proved]" in out.stdout


def test_statics_on_a_model_without_closed_form_says_so():
    out = run("statics", "ro")
    assert out.returncode == 1 and "no closed-form equilibrium" in out.stdout
