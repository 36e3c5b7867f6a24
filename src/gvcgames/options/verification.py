"""Optimality checks of a single-trigger stopping rule: the coefficient ``A`` and the variational inequality.

Used by :mod:`gvcgames.options.stopping` (which re-exports :func:`coefficient` and :func:`verify_trigger`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.options.hazard import PoissonHazard
from gvcgames.options.process import GBM, _Diffusion


def coefficient(at_trigger: float, trigger: float, beta: float, process: _Diffusion) -> float:
    r""":math:`A = g(x^*)/\mathrm{trial}(x^*)` computed with logs; ``inf`` when it overflows a float."""
    if at_trigger <= 0:
        return 0.0
    try:
        return math.exp(math.log(at_trigger) - process.log_trial(trigger, beta))
    except OverflowError:
        return math.inf


def verify_trigger(
    g: sp.Expr,
    x: sp.Symbol,
    process: _Diffusion,
    r: Any,
    hazard: PoissonHazard,
    direction: str,
    beta: float,
    trigger: float,
) -> tuple[bool, str, str]:
    """Verify the variational inequality of optimal stopping at a numeric candidate trigger.

    Value matching and smooth pasting at the trigger; ``F >= g`` in the continuation region;
    and ``(L - r) g <= 0`` in the stopping region (stopping beats waiting a moment there).

    Returns
    -------
    (ok, message, step title)
    """
    up = direction == "up"
    is_gbm = isinstance(process, GBM)
    gstar = float(g.subs(x, trigger))

    def ff(v: Any) -> Any:  # F = g(x*) trial(x)/trial(x*), without overflow
        v = np.asarray(v, dtype=float)
        return gstar * np.exp(beta * (np.log(v / trigger) if is_gbm else v - trigger))

    def df(v: Any) -> Any:
        return beta * ff(v) / (np.asarray(v, dtype=float) if is_gbm else 1.0)

    gf = sp.lambdify(x, g, "numpy")
    dg = sp.lambdify(x, sp.diff(g, x), "numpy")
    drift = process.generator(g, x) - r * g
    if hazard.active and hazard.destroys:
        drift -= hazard.rate * g
    lg = sp.lambdify(x, drift, "numpy")
    scale = max(1.0, abs(float(gf(trigger))), abs(trigger))
    vm = abs(float(ff(trigger)) - float(gf(trigger))) / scale
    slope = max(1.0, abs(float(dg(trigger))))
    spr = abs(float(df(trigger)) - float(dg(trigger))) / slope
    # Rounding noise of the smooth-pasting residual: F'(x*) = beta g(x*)/x* (GBM) or beta g(x*)
    # (ABM), so an error of a few ulps in x* moves it by about |beta| |g'(x*)| ulps (times |x*|
    # for ABM). With a large beta (tiny volatility) that noise exceeds any fixed tolerance.
    ulps = 64 * np.finfo(float).eps * (1.0 if is_gbm else max(1.0, abs(trigger)))
    sp_tol = 1e-8 + abs(beta) * abs(float(dg(trigger))) * ulps / slope
    if isinstance(process, GBM):
        below, above = trigger * np.geomspace(1e-4, 1, 400)[:-1], trigger * np.geomspace(1, 1e4, 400)[1:]
    else:
        span = 20.0 / abs(beta) + abs(trigger) + 1.0
        below, above = trigger + np.linspace(-span, 0, 400)[:-1], trigger + np.linspace(0, span, 400)[1:]
    cont, stop = (below, above) if up else (above, below)
    with np.errstate(all="ignore"):
        gap = np.asarray(ff(cont), dtype=float) - np.asarray(gf(cont), dtype=float)
        gain = np.asarray(lg(stop), dtype=float) * np.ones(1)
        if hazard.active and not hazard.destroys:
            landed = float(1 + hazard.jump) * stop
            value = np.where(landed < trigger, ff(landed), gf(landed))
            gain = gain + float(hazard.rate) * (value - np.asarray(gf(stop), dtype=float))
        gain = gain / np.maximum(1.0, np.abs(np.asarray(gf(stop), dtype=float)))
    worst_gap = float(np.min(gap)) if np.all(np.isfinite(gap)) else math.nan
    worst_gain = float(np.max(gain)) if np.all(np.isfinite(gain)) else math.nan
    ok = vm < 1e-8 and spr < sp_tol and worst_gap >= -1e-9 * scale and worst_gain <= 1e-9
    title = (
        f"Check: residuals of value matching {vm:.1e}, smooth pasting {spr:.1e} (tolerance {sp_tol:.1e}); "
        f"min of F - g where waiting "
        f"{worst_gap:.3g} (must be nonnegative); max of (L - r) g where stopping {worst_gain:.3g} "
        f"(must be nonpositive): {'ok' if ok else 'FAILED'}"
    )
    if ok:
        return True, "", title
    return (
        False,
        (
            f"the candidate trigger {trigger:g} fails the optimality check (value matching residual {vm:.1e}, smooth "
            f"pasting residual {spr:.1e} with tolerance {sp_tol:.1e}, min of F - g where waiting {worst_gap:.3g}, "
            f"max of (L - r) g where stopping {worst_gain:.3g}); the optimal policy is not a single trigger"
        ),
        title,
    )
