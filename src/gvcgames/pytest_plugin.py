"""pytest plugin: registers gvcgames' hypothesis profiles.

Installed as a ``pytest11`` entry point, so a user's test run knows the profiles
``gvcgames-quick`` and ``gvcgames-thorough``; choose one with
``pytest --hypothesis-profile=gvcgames-thorough`` (hypothesis' own option).
Falsifying examples from :func:`gvcgames.testing.admissible_parameters` print as
``{name: value}`` dicts that can be pasted back into a call.
"""

from __future__ import annotations

from typing import Any

from gvcgames.testing import register_profiles


def pytest_configure(config: Any) -> None:
    register_profiles()
