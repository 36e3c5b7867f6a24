"""pytest plugin: gvcgames' hypothesis profiles, and a default profile without the deadline.

Installed as a ``pytest11`` entry point. Importing it registers the hypothesis profiles

* ``gvcgames-quick`` (15 examples, no deadline: local runs),
* ``gvcgames-thorough`` (100 examples, no deadline: CI),
* ``gvcgames-default`` (hypothesis' defaults without the 200 ms deadline),

at *import time*, before any plugin is configured: hypothesis' own plugin loads the profile
named by ``--hypothesis-profile`` while it is configured, which may be before this plugin's
``pytest_configure`` runs, so ``pytest --hypothesis-profile=gvcgames-quick`` works.

Choosing a default
------------------
Without ``--hypothesis-profile``, hypothesis applies its 200 ms deadline, and a test whose
first example is slow (a first compile, a deviation search on a loaded machine) fails with
``FlakyFailure: Unreliable test timings`` instead of its real failure. So, *only if nobody
chose a profile* — no ``--hypothesis-profile``, and hypothesis' active profile is still its
built-in ``"default"`` (a ``conftest.py`` that calls ``settings.load_profile(...)``, or
hypothesis' automatic ``"ci"`` profile on CI, counts as a choice and is left alone) — the
plugin loads ``gvcgames-default``. Set the ini option ``gvcgames_default_profile`` to
another registered profile, or to ``none`` to keep hypothesis' defaults; ``-p no:gvcgames``
disables the plugin altogether.

Falsifying examples of :mod:`gvcgames.testing` strategies print as ``{name: value}`` dicts
(and ``RegionDraw(case=..., values={...})``) that can be pasted back into a call.
"""

from __future__ import annotations

from typing import Any

import pytest

try:
    import hypothesis  # noqa: F401
except ImportError:  # without hypothesis there is nothing to configure (and no error)
    HAVE_HYPOTHESIS, DEFAULT_PROFILE = False, ""
else:
    HAVE_HYPOTHESIS = True
    from gvcgames.testing.profiles import DEFAULT_PROFILE, current_profile, register_profiles

    register_profiles()  # at import time: before hypothesis' plugin loads --hypothesis-profile

_OFF = ("", "none", "off", "false", "no")


def pytest_addoption(parser: Any) -> None:
    parser.addini(
        "gvcgames_default_profile",
        "hypothesis profile gvcgames loads when none was chosen ('none' keeps hypothesis' defaults)",
        default=DEFAULT_PROFILE,
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: Any) -> None:
    if not HAVE_HYPOTHESIS:
        return
    if config.getoption("hypothesis_profile", None):
        return  # the user chose on the command line (hypothesis has loaded it)
    choice = str(config.getini("gvcgames_default_profile") or "").strip()
    if choice.lower() in _OFF or current_profile() != "default":
        return  # opted out, or a conftest / hypothesis' CI detection chose a profile
    from hypothesis import settings

    settings.load_profile(choice)


def pytest_report_header(config: Any) -> str | None:
    if not HAVE_HYPOTHESIS or config.option.verbose < 1:
        return None
    return f"gvcgames: hypothesis profile {current_profile()!r} (gvcgames-quick/-thorough/-default registered)"
