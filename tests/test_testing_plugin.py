"""The pytest plugin, through real pytest runs in a subprocess: profiles, default profile, clean failures."""

import os
import subprocess
import sys
import textwrap

import pytest

CI_VARIABLES = (
    "CI",
    "TF_BUILD",
    "BUILDKITE",
    "CIRCLECI",
    "CIRRUS_CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "TEAMCITY_VERSION",
)

PROFILE_TEST = """
from hypothesis import settings

def test_profile():
    print("PROFILE", settings.get_current_profile_name(), settings.default.deadline, settings.default.max_examples)
"""

WRONG_COURNOT = """
import gvcgames as gg
from hypothesis import given
from gvcgames.testing import admissible_parameters, assert_equilibrium

GAME = gg.models.cournot()
SOLUTION = GAME.solve()
Q1, Q2 = GAME.actions


@given(admissible_parameters(GAME))
def test_wrong_cournot(values):
    eq = SOLUTION.equilibria[0].at(values)
    assert_equilibrium(GAME, {Q1: 0.5 * eq[Q1], Q2: eq[Q2]}, values)  # the leader's output halved: wrong
"""

SLOW_FIRST_EXAMPLE = """
import time

from hypothesis import given
from hypothesis import strategies as st

CALLS = []


@given(st.integers(0, 10))
def test_slow_once_then_wrong(n):
    CALLS.append(n)
    if len(CALLS) == 1:
        time.sleep(0.4)  # a first compile, a loaded machine: longer than hypothesis' 200 ms deadline
    assert n < 5, f"n = {n}"
"""

WRONG_REGION = """
import gvcgames as gg
from hypothesis import given
from gvcgames.testing import regions

RG = gg.models.reconfiguration()


@given(regions(RG.mixed_equilibria()))
def test_wrong_region(drawn):
    eq, values = drawn
    assert values["p"] > 2  # never: p is in (0, 1)
"""


def run_pytest(tmp_path, files, *args, conftest=None, ini=None):
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    if conftest is not None:
        (tmp_path / "conftest.py").write_text(textwrap.dedent(conftest))
    (tmp_path / "pytest.ini").write_text("[pytest]\n" + (ini or ""))
    env = {k: v for k, v in os.environ.items() if k not in CI_VARIABLES and not k.startswith("HYPOTHESIS")}
    env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(tmp_path / ".hypothesis")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-s", "-q", *args, *files],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize("profile", ["gvcgames-quick", "gvcgames-thorough"])
def test_the_documented_profile_option_works(tmp_path, profile):
    # used to be INTERNALERROR 'Profile gvcgames-quick is not registered'
    code, out = run_pytest(tmp_path, {"test_profile.py": PROFILE_TEST}, f"--hypothesis-profile={profile}")
    assert code == 0 and "INTERNALERROR" not in out, out
    expected = 15 if profile == "gvcgames-quick" else 100
    assert f"PROFILE {profile} None {expected}" in out, out


def test_a_wrong_equilibrium_fails_cleanly_with_the_quick_profile(tmp_path):
    code, out = run_pytest(tmp_path, {"test_cournot.py": WRONG_COURNOT}, "--hypothesis-profile=gvcgames-quick")
    assert code == 1 and "INTERNALERROR" not in out, out
    assert "AssertionError: not an equilibrium at {'a': 8.5, 'b': 5.5, 'c': 5.0}" in out, out
    assert "values={'a': 8.5, 'b': 5.5, 'c': 5.0}" in out  # the falsifying example, pasteable
    assert "Flaky" not in out and "Unreliable test timings" not in out


def test_without_a_profile_the_default_has_no_deadline_and_failures_stay_clean(tmp_path):
    files = {"test_profile.py": PROFILE_TEST, "test_slow.py": SLOW_FIRST_EXAMPLE, "test_region.py": WRONG_REGION}
    code, out = run_pytest(tmp_path, files)
    assert code == 1 and "INTERNALERROR" not in out, out
    assert "PROFILE gvcgames-default None 100" in out, out
    # a slow first example used to turn the real failure into FlakyFailure / DeadlineExceeded
    assert "AssertionError: n = 5" in out, out
    assert "Unreliable test timings" not in out and "DeadlineExceeded" not in out and "Flaky" not in out
    # a failing regions() draw prints the case and a dict, not the whole Equilibrium repr
    assert "drawn=RegionDraw(case='supports {stay, relocate} x {prevent, not}', values={'D': " in out, out
    assert "Equilibrium(strategies=" not in out
    assert "2 failed, 1 passed" in out


def test_a_profile_chosen_in_conftest_is_left_alone(tmp_path):
    conftest = """
    from hypothesis import settings
    settings.register_profile("mine", max_examples=7)
    settings.load_profile("mine")
    """
    code, out = run_pytest(tmp_path, {"test_profile.py": PROFILE_TEST}, conftest=conftest)
    assert code == 0 and "PROFILE mine 0:00:00.200000 7" in out, out


def test_the_default_profile_can_be_switched_off(tmp_path):
    code, out = run_pytest(tmp_path, {"test_profile.py": PROFILE_TEST}, ini="gvcgames_default_profile = none\n")
    assert code == 0 and "PROFILE default 0:00:00.200000 100" in out, out
