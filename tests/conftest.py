"""Hypothesis profiles: 'dev' (quick, default) and 'ci' (thorough, derandomized). Select with HYPOTHESIS_PROFILE.

Neither runs hypothesis' *explain* phase: it replays a failing example under ``sys.settrace``
about a hundred times, which on symbolic work turns a failure into a stall of many minutes
(it once held CI past its time limit). CI is derandomized so that its run can be reproduced
exactly with ``HYPOTHESIS_PROFILE=ci``.
"""

import os

from hypothesis import HealthCheck, Phase, settings

_PHASES = [p for p in Phase if p.name != "explain"]
settings.register_profile(
    "dev", max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow], phases=_PHASES
)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=_PHASES,
    derandomize=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
