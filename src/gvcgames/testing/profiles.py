"""Hypothesis settings profiles of gvcgames (registered by the pytest plugin at import time).

``gvcgames-quick``
    15 examples, no deadline, no *explain* phase (which re-runs a failing example about a
    hundred times to say which parts do not matter; with symbolic work that can take half a
    minute): local runs.
``gvcgames-thorough``
    100 examples, no deadline: CI.
``gvcgames-default``
    Hypothesis' defaults (100 examples) without the 200 ms deadline and the ``too_slow``
    health check. Symbolic and numeric work (a first lambdify, a deviation search, a
    loaded machine) routinely takes longer than 200 ms once and less when hypothesis
    re-runs the example, which hypothesis reports as ``FlakyFailure: Unreliable test
    timings`` instead of the real failure. The pytest plugin loads this profile only if
    nobody chose one (see :mod:`gvcgames.pytest_plugin`).

The names are prefixed so they never clash with a project's own profiles (gvcgames' own
test suite uses ``dev`` and ``ci`` from its ``tests/conftest.py``).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, settings

DEFAULT_PROFILE = "gvcgames-default"

PROFILES: dict[str, dict[str, Any]] = {
    "gvcgames-quick": {
        "max_examples": 15,
        "deadline": None,
        "suppress_health_check": [HealthCheck.too_slow],
        "phases": [p for p in Phase if p.name != "explain"],
    },
    "gvcgames-thorough": {"max_examples": 100, "deadline": None, "suppress_health_check": [HealthCheck.too_slow]},
    DEFAULT_PROFILE: {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]},
}


def register_profiles() -> None:
    """Register ``gvcgames-quick``, ``gvcgames-thorough`` and ``gvcgames-default`` with hypothesis.

    Idempotent. The pytest plugin calls it when it is imported; call it yourself outside
    pytest (e.g. in a notebook) before ``settings.load_profile("gvcgames-quick")``.
    """
    for name, options in PROFILES.items():
        settings.register_profile(name, **options)


def current_profile() -> str | None:
    """The name of hypothesis' active profile (``"default"`` if nobody loaded one)."""
    getter = getattr(settings, "get_current_profile_name", None)
    if getter is not None:
        try:
            return str(getter())
        except AssertionError:  # pragma: no cover - no profile loaded at all
            return None
    return getattr(settings, "_current_profile", None)
