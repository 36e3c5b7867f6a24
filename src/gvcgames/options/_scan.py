"""Numeric helpers of :mod:`gvcgames.options.stopping`: break-even points and the trigger scan.

The scan maximises :math:`g(x)/\\mathrm{trial}(x)` on a wide grid (the value of waiting for
the trigger :math:`x^*` is :math:`g(x^*)\\,\\mathrm{trial}(x)/\\mathrm{trial}(x^*)`) and polishes
the smooth-pasting root with ``scipy.optimize.brentq``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp
from scipy import optimize

from gvcgames.budget import time_budget
from gvcgames.errors import SymbolicTimeout
from gvcgames.options.errors import TriggerNotFoundError
from gvcgames.options.process import GBM, _Diffusion

if TYPE_CHECKING:
    from gvcgames.options.stopping import _Problem


def transcendental(expr: sp.Expr, x: sp.Symbol) -> bool:
    """Whether sympy's solve is unlikely to help (and may take long): scipy takes over with numbers."""
    return not expr.is_algebraic_expr(x)


def numeric_zero(g: sp.Expr, x: sp.Symbol, process: _Diffusion, up: bool) -> Any:
    """The largest (up) or smallest (down) sign change of g on a wide grid, polished by brentq."""
    grid = np.geomspace(1e-8, 1e8, 3201) if isinstance(process, GBM) else np.linspace(-1e4, 1e4, 4001)
    gf = sp.lambdify(x, g, "numpy")
    with np.errstate(all="ignore"):
        values = np.asarray(gf(grid), dtype=float) * np.ones(1)
    change = np.flatnonzero(
        np.isfinite(values[:-1]) & np.isfinite(values[1:]) & (np.sign(values[:-1]) != np.sign(values[1:]))
    )
    if change.size == 0:
        return None
    i = int(change[-1] if up else change[0])
    scalar = sp.lambdify(x, g, "math")
    return sp.Float(optimize.brentq(lambda v: float(scalar(v)), grid[i], grid[i + 1], xtol=1e-14))


def breakeven(g: sp.Expr, x: sp.Symbol, process: _Diffusion, up: bool, numeric: bool) -> Any:
    """The zero of the payoff (NPV rule) in the state space, if sympy finds one."""
    if numeric and transcendental(g, x):
        return numeric_zero(g, x, process, up)
    try:
        with time_budget(None, "break-even point"):
            zeros = sp.solve(sp.Eq(g, 0), x)
    except (SymbolicTimeout, NotImplementedError):
        return None
    if not numeric:
        return zeros[0] if len(zeros) == 1 else None
    values = []
    for z in zeros:
        try:
            v = complex(sp.N(z))
        except TypeError:
            continue
        if abs(v.imag) < 1e-12 and (not isinstance(process, GBM) or v.real > 0):
            values.append(v.real)
    if not values:
        return None
    return sp.Float(max(values) if up else min(values))


def search_grid(p: _Problem, beta: float) -> np.ndarray:
    be = p.breakeven
    scale = abs(float(be)) if be is not None and float(be) != 0 else 1.0
    if isinstance(p.process, GBM):
        return scale * np.geomspace(1e-8, 1e8, 3201)
    span = 50.0 * (1.0 + scale) + 50.0 / max(abs(beta), 1e-6)
    return (float(be) if be is not None else 0.0) + np.linspace(-span, span, 4001)


def pays_somewhere(p: _Problem) -> bool:
    gf = sp.lambdify(p.x, p.g, "numpy")
    with np.errstate(all="ignore"):
        values = np.asarray(gf(search_grid(p, float(sp.N(p.beta)))), dtype=float) * np.ones(1)
    if np.nanmax(values) > 0:
        return True
    far = sp.oo if p.up else (0 if isinstance(p.process, GBM) else -sp.oo)
    try:
        limit = sp.limit(p.g, p.x, far)
    except (NotImplementedError, ValueError, TypeError):  # pragma: no cover
        return True
    return bool(limit.is_extended_positive)


def scan(p: _Problem, beta: float) -> float | None:
    """Maximise g(x)/trial(x) on a grid, then polish the smooth-pasting root with brentq.

    ``None`` means the maximum is at the near end: stopping at once is optimal.
    """
    x, g, process = p.x, p.g, p.process
    grid = search_grid(p, beta)
    trial = process.trial(x, beta)
    gf = sp.lambdify(x, g, "numpy")
    h = sp.lambdify(x, g / trial, "numpy")
    resid = sp.lambdify(x, sp.diff(g, x) * trial - g * sp.diff(trial, x), "math")
    with np.errstate(all="ignore"):
        hv = np.asarray(h(grid), dtype=float) * np.ones(1)
        gv = np.asarray(gf(grid), dtype=float) * np.ones(1)
    hv = np.where((gv > 0) & np.isfinite(hv), hv, -np.inf)
    i = int(np.argmax(hv))
    if i in (0, len(grid) - 1):
        if (i == 0) == p.up:
            return None
        raise TriggerNotFoundError(
            f"g({x})/trial({x}) keeps growing towards the far end of the searched range "
            f"[{grid[0]:g}, {grid[-1]:g}]: waiting longer always pays more; check that r exceeds the payoff's growth"
        )
    lo, hi = float(grid[i - 1]), float(grid[i + 1])
    try:
        return float(optimize.brentq(lambda v: float(resid(v)), lo, hi, xtol=1e-14, rtol=1e-14))
    except ValueError:
        found = optimize.minimize_scalar(
            lambda v: -float(h(v)), bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
        )
        return float(found.x)
