"""Hypothesis profiles: 'dev' (quick, default) and 'ci' (thorough, derandomized). Select with HYPOTHESIS_PROFILE.

Both build on gvcgames' own ``gvcgames-quick`` profile, which skips hypothesis' *explain* phase:
it replays a failing example under ``sys.settrace`` about a hundred times, which on symbolic work
turns a failure into a stall of many minutes (it once held CI past its time limit). CI is
derandomized so that its run can be reproduced exactly with ``HYPOTHESIS_PROFILE=ci``.
"""

import os

from hypothesis import settings

from gvcgames.testing.profiles import PROFILES

_QUICK = PROFILES["gvcgames-quick"]
settings.register_profile("dev", **_QUICK)
settings.register_profile("ci", **{**_QUICK, "max_examples": 60, "derandomize": True})
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
