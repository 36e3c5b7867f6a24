"""Property-based checking of equilibria for users' own models (hypothesis).

Strategies
----------
``admissible_parameters(game)``
    ``{name: value}`` draws inside the admissible set: every domain and assumption holds.
    Parameters are drawn one at a time from windows conditioned on the ones drawn before
    (linear relations are eliminated Fourier-Motzkin style, others handled on a grid), so
    tight assumptions do not starve the search; an empty set is reported at once, with the
    relations that make it empty. Integer parameters are ints; shrinking goes towards round
    values in the middle of each window. Keys are names, so a failing example is a dict
    you can paste back.
``regions(solution)``
    ``(equilibrium, values)`` with the values inside that equilibrium's region, drawn by the
    same conditional sampler per piece of the region (``regions(eq)`` for one equilibrium).
``finite_games(shape)``, ``quadratic_games(n_players)``, ``sequential_games(n_stages)``
    Random games for users testing their own algorithms.

Assertions
----------
``assert_equilibrium``, ``assert_symbolic_matches_numeric``, ``assert_sign``: each fails
with a message naming the player, the deviation and the gain, or the numbers that differ,
and the parameter point as a pasteable dict.

Profiles
--------
``gvcgames-quick``, ``gvcgames-thorough`` and ``gvcgames-default``: see
:mod:`gvcgames.testing.profiles` and :mod:`gvcgames.pytest_plugin`.

Examples
--------
>>> import gvcgames as gg
>>> from hypothesis import given, settings
>>> from gvcgames.testing import admissible_parameters, assert_equilibrium
>>> game = gg.models.cournot()
>>> solution = game.solve()
>>> @settings(max_examples=5, deadline=None)
... @given(admissible_parameters(game))
... def test_cournot(values):
...     for eq in solution.at(values):
...         assert_equilibrium(game, eq, values)
>>> test_cournot()
"""

from __future__ import annotations

from gvcgames.testing._sampler import ConditionalSampler, EmptyAdmissibleSet
from gvcgames.testing.assertions import (
    assert_equilibrium,
    assert_sign,
    assert_symbolic_matches_numeric,
    pasteable,
)
from gvcgames.testing.profiles import DEFAULT_PROFILE, PROFILES, register_profiles
from gvcgames.testing.strategies import (
    RegionDraw,
    SkippedRegionWarning,
    admissible_parameters,
    finite_games,
    quadratic_games,
    regions,
    sequential_games,
)

for _cls in (EmptyAdmissibleSet, RegionDraw, SkippedRegionWarning, ConditionalSampler):
    _cls.__module__ = __name__

__all__ = [
    "DEFAULT_PROFILE",
    "PROFILES",
    "ConditionalSampler",
    "EmptyAdmissibleSet",
    "RegionDraw",
    "SkippedRegionWarning",
    "admissible_parameters",
    "assert_equilibrium",
    "assert_sign",
    "assert_symbolic_matches_numeric",
    "finite_games",
    "pasteable",
    "quadratic_games",
    "regions",
    "register_profiles",
    "sequential_games",
]
