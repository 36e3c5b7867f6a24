r"""Deciding a single-trigger candidate and what to report when there is none.

Used by :mod:`gvcgames.options.stopping`. Two jobs:

* **Conditions of a closed-form trigger.** A solution :math:`x^*(\beta)` of smooth pasting
  is the trigger only if the payoff is positive there and :math:`x^*` lies in the state
  space. These conditions are decided with what is known about :math:`\beta`: its value,
  and its range, :math:`\beta_1 > \max(0, k)` and :math:`\beta_2 < \min(0, k)` when the
  payoff grows with exponent :math:`k` at the far boundary and :math:`Q(k) < 0` (the root
  lies beyond :math:`k` because :math:`Q` is a convex quadratic with :math:`Q(k) < 0`).
* **No single trigger in the requested direction.** Then exactly one of these holds and is
  reported: stopping never pays (:math:`g \le 0` everywhere: worthless); stopping at once is
  optimal in every state (:math:`g > 0` and :math:`(\mathcal{L} - r) g \le 0` everywhere,
  so :math:`e^{-rt} g(x_t)` is a supermartingale and :math:`F = g` solves the variational
  inequality); or the optimal policy is not an upper (lower) trigger. In the last case the
  opposite direction is solved: e.g. :math:`g = 1 - x` under a GBM pays only below 1 and
  falls in :math:`x`, so waiting for :math:`x` to *rise* is never optimal, while stopping
  at once wherever :math:`g > 0` is not optimal either (waiting for :math:`x` to fall pays
  more); the optimum is the lower trigger :math:`x^* = \beta_2/(\beta_2 - 1)`.

References
----------
Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 4 (the variational inequality of optimal stopping).

Øksendal, B. (2003). *Stochastic Differential Equations*, 6th ed. Springer, ch. 10
(the verification theorem for optimal stopping).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from gvcgames.options._inputs import decide
from gvcgames.options.process import GBM

if TYPE_CHECKING:
    from gvcgames.options.stopping import StoppingResult, _Problem


def state_dummy(p: _Problem) -> sp.Dummy:
    """A stand-in for the state with the state space as its assumption (positive for GBM)."""
    return sp.Dummy("x", positive=True) if isinstance(p.process, GBM) else sp.Dummy("x", real=True)


def beta_bound(p: _Problem, k: Any) -> sp.Expr:
    """What is known about beta: ``beta > bound`` (upper trigger) or ``beta < bound`` (lower)."""
    if k is None or not sp.sympify(k).is_number:
        return sp.Integer(0)
    k = sp.sympify(k)
    return sp.Max(0, k) if p.up else sp.Min(0, k)


def positive(p: _Problem, expr: sp.Expr) -> sp.Boolean:
    """The condition ``expr > 0`` for an expression in the symbol beta, decided where possible.

    First with beta's range only (factors known to be positive are dropped), then with
    beta's value. An undecided condition is returned in terms of beta's value, never of
    the bare symbol (which would hide contradictions such as ``1 > beta`` with beta = 2).
    """
    t = sp.Dummy("t", positive=True)
    shifted = sp.factor(sp.simplify(expr.subs(p.bsym, p.beta_bound + t if p.up else p.beta_bound - t)))
    verdict = decide(shifted > 0)
    if verdict is not None:
        return sp.true if verdict else sp.false
    sign, rest = _strip_signed_factors(shifted)
    value = expr.subs(p.bsym, p.beta)
    if not sp.sympify(p.beta).free_symbols:  # a number: cheap to simplify
        value = sp.simplify(value)
    verdict = decide(value > 0)
    if verdict is not None:
        return sp.true if verdict else sp.false
    if t not in rest.free_symbols and sign != 0:
        return (rest > 0) if sign > 0 else (rest < 0)
    return value > 0


def _strip_signed_factors(expr: sp.Expr) -> tuple[int, sp.Expr]:
    """``(sign, rest)`` with ``expr = sign * (positive factors) * rest``; sign 0 if unknown."""
    sign, rest = 1, sp.Integer(1)
    for factor in sp.Mul.make_args(expr):
        if decide(factor > 0) is True:
            continue
        if decide(factor < 0) is True:
            sign = -sign
            continue
        rest *= factor
    return sign, rest


def generator_gap(p: _Problem) -> sp.Expr:
    """:math:`(\\mathcal{L} - r) g` plus the hazard's terms: the gain from waiting a moment."""
    gap = p.process.generator(p.g, p.x) - p.r * p.g
    if p.hazard.active:
        gap += p.hazard.bellman_term(p.g, p.x)
    return gap


def never_pays(p: _Problem) -> bool:
    """Whether the payoff is provably never positive on the state space (symbolic inputs)."""
    d = state_dummy(p)
    return decide(p.g.subs(p.x, d) <= 0) is True


def at_once_is_optimal(p: _Problem, grid: np.ndarray | None = None) -> bool:
    """Whether stopping at once is optimal in every state: ``g > 0`` and ``(L - r) g <= 0`` everywhere.

    Proved with the assumptions engine for symbols; checked on ``grid`` for numbers.
    """
    gap = generator_gap(p)
    if grid is None:
        d = state_dummy(p)
        return decide(p.g.subs(p.x, d) > 0) is True and decide(sp.simplify(gap.subs(p.x, d)) <= 0) is True
    gf = sp.lambdify(p.x, p.g, "numpy")
    lf = sp.lambdify(p.x, gap, "numpy")
    with np.errstate(all="ignore"):
        gv = np.asarray(gf(grid), dtype=float) * np.ones(1)
        lv = np.asarray(lf(grid), dtype=float) * np.ones(1)
    ok = np.isfinite(gv) & np.isfinite(lv)
    if not np.all(ok):
        return False
    return bool(np.all(gv > 0) and np.all(lv <= 1e-12 * np.maximum(1.0, np.abs(gv))))


def falls_in_direction(p: _Problem) -> bool:
    """Whether the payoff provably falls as the state moves in the stopping direction (symbols)."""
    d = state_dummy(p)
    slope = sp.diff(p.g, p.x).subs(p.x, d)
    return decide(slope < 0 if p.up else slope > 0) is True


def no_single_trigger(
    p: _Problem,
    resolve: Callable[[str], StoppingResult | None],
    grid: np.ndarray | None,
    beta: Any,
) -> StoppingResult:
    """The result when no trigger in ``p.direction`` solves the problem (see the module docstring)."""
    x = p.x
    boundary: Any = (0.0 if isinstance(p.process, GBM) else -math.inf) if p.up else math.inf
    if at_once_is_optimal(p, grid):
        p.log.add(
            "result",
            f"g({x}) > 0 and (L - r) g({x}) <= 0 in every state: stopping at once is optimal everywhere "
            "(waiting only discounts the payoff)",
            sp.Eq(sp.Function("F")(x), p.g),
        )
        return p.result(
            trigger=boundary,
            beta=beta,
            coefficient=0.0,
            policy="at once",
            method="payoff check (stopping at once verified: g > 0 and (L - r) g <= 0 everywhere)",
            message="stopping at once is optimal in every state: the payoff is positive everywhere and "
            "waiting only discounts it",
        )
    other = "down" if p.up else "up"
    moves, opposite = ("rises", "falls") if p.up else ("falls", "rises")
    alternative = None
    if grid is not None or falls_in_direction(p):
        alternative = resolve(other)
    if alternative is not None and not (alternative.policy == "trigger" and alternative.converged):
        alternative = None
    if alternative is not None:
        trig = alternative.trigger
        star = f"{trig:g}" if isinstance(trig, float) else sp.sstr(trig)
        message = (
            f"no single trigger when {x} {moves}: waiting for {x} to {'rise' if p.up else 'fall'} never beats "
            f"stopping where g({x}) = {p.g} is positive, and stopping at once there is not optimal either; the "
            f"optimal policy stops when {x} first {opposite} to {x}* = {star} (direction={other!r}; see .alternative)"
        )
    else:
        message = (
            f"no single trigger when {x} {moves}: neither a trigger, nor stopping at once, nor never stopping "
            f"solves the problem for g({x}) = {p.g}; the optimal policy is not a single trigger"
        )
    p.log.add("result", f"No single trigger when {x} {moves}", note=message)
    return p.result(
        trigger=None,
        beta=beta,
        coefficient=None,
        has_trigger=False,
        policy="unsupported",
        alternative=alternative,
        conditions=sp.true,
        method="payoff check (no single trigger in this direction)",
        converged=False,
        message=message,
    )
