"""Tools for property-based tests of equilibria, for users' own models.

``admissible_parameters(game)`` is a hypothesis strategy of parameter values that satisfy
every domain and assumption. Relations of the simple forms ``x > y`` and ``x < y`` are
sampled *conditionally* (``x = y + t``, ``x = y t/(1 + t)`` with a drawn ``t``), the same
maps the sign proofs use, so tight assumptions do not starve rejection sampling; other
relations are enforced by filtering.

Examples
--------
>>> import gvcgames as gg
>>> from hypothesis import given, settings
>>> from gvcgames.testing import admissible_parameters
>>> game = gg.models.cournot()
>>> @settings(max_examples=5, deadline=None)
... @given(admissible_parameters(game))
... def test_cournot(values):
...     for eq in game.solve().at(values):
...         assert gg.is_equilibrium(game, eq, values)
>>> test_cournot()
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import sympy as sp
from hypothesis import strategies as st

from gvcgames.errors import InvalidSpecError
from gvcgames.solve.verify import EquilibriumCheck, is_equilibrium
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.games import Game


def _interval_strategy(domain: sp.Interval, name: str, span: float, margin: float) -> st.SearchStrategy[float]:
    lo, hi = domain.inf, domain.sup
    if not (lo.is_comparable or lo == -sp.oo) or not (hi.is_comparable or hi == sp.oo):
        raise InvalidSpecError(f"the domain {domain} of {name} has symbolic ends; give numeric bounds")
    lo_f = -span if lo == -sp.oo else float(lo)
    hi_f = lo_f + span if hi == sp.oo else float(hi)
    if lo == -sp.oo and hi != sp.oo:
        lo_f = hi_f - span
    width = hi_f - lo_f
    if domain.left_open or lo == -sp.oo:
        lo_f += margin * min(1.0, width)
    if domain.right_open or hi == sp.oo:
        hi_f -= margin * min(1.0, width)
    return st.floats(lo_f, hi_f, allow_nan=False, allow_infinity=False)


def admissible_parameters(
    game: Game,
    *,
    span: float = 10.0,
    margin: float = 1e-2,
) -> st.SearchStrategy[dict[sp.Symbol, float]]:
    """Hypothesis strategy of ``{parameter: float}`` inside the admissible set.

    Parameters
    ----------
    game : Game
        Supplies the parameters, their domains and the assumptions.
    span : float
        Width of the window used for unbounded domains (``(0, oo)`` -> ``(0, span)``).
    margin : float
        Distance kept from open ends, relative to the width (avoids degenerate draws such
        as a slope of 1e-300).
    """
    params = list(game.parameters)
    ctx: Assumptions = game.assumptions
    substituted = dict(ctx._substitutions)  # relation -> conditional draw
    free = [p for p in params if p not in substituted]
    fresh = sorted({s for e in substituted.values() for s in e.free_symbols if s not in params}, key=str)
    draws = {p: _interval_strategy(p.domain, p.name, span, margin) for p in free}
    draws |= {t: st.floats(margin, span, allow_nan=False) for t in fresh}

    def build(sample: dict[sp.Symbol, float]) -> dict[sp.Symbol, float] | None:
        values = {p: sample[p] for p in free}
        for _ in range(len(substituted) + 1):
            for sym, expr in substituted.items():
                if sym not in values:
                    number = expr.subs({**values, **{t: sample[t] for t in fresh}})
                    if number.is_number:
                        values[sym] = float(number)
        if len(values) != len(params):
            return None
        for p in params:
            if not math.isfinite(values[p]) or p.domain.contains(sp.Float(values[p])) is not sp.true:
                return None
        for rel in ctx.relations:
            if rel.subs(values) is not sp.true:
                return None
        return values

    return st.fixed_dictionaries(draws).map(build).filter(lambda v: v is not None)  # type: ignore[arg-type]


def assert_equilibrium(game: Game, profile: Any, values: Mapping[Any, Any], **kwargs: Any) -> EquilibriumCheck:
    """Fail with the player, the deviation and the gain if ``profile`` is not an equilibrium."""
    check = is_equilibrium(game, profile, values, **kwargs)
    if not check:
        point = {str(k): v for k, v in values.items()}
        raise AssertionError(f"not an equilibrium at {point}:\n{check}")
    return check
