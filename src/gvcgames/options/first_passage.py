r"""First passage to a trigger: expected discount factor, probability, expected time.

Definitions
-----------
Let :math:`T = \inf\{t \ge 0: x_t = x^*\}` be the first time the state reaches the trigger
from :math:`x_0`. The **expected discount factor** is :math:`E[e^{-rT}]` (zero on
:math:`\{T = \infty\}`). With a Poisson hazard that destroys the option at rate
:math:`\lambda`, the relevant quantity is :math:`E[e^{-rT}\,1\{T < \tau_\lambda\}]
= E[e^{-(r+\lambda)T}]`. For a geometric Brownian motion and an upper trigger

.. math:: E[e^{-\rho T}] = (x_0 / x^*)^{\beta_1(\rho)}, \qquad x_0 \le x^*,

with :math:`\beta_1(\rho)` the positive root of the characteristic equation
(:mod:`gvcgames.options.process`); for a lower trigger the negative root :math:`\beta_2`
replaces it; for arithmetic Brownian motion :math:`e^{\beta (x_0 - x^*)}`. The function
:math:`u(x) = E_x[e^{-\rho T}]` solves :math:`\mathcal{L}u = \rho u` with :math:`u(x^*) = 1`
and stays bounded on the far side, which is why the same roots appear as in the option
value. Setting :math:`\rho = 0` gives the **probability** :math:`P(T < \infty)`; the
**expected time** is :math:`E[T] = \ln(x^*/x_0)/(\mu - \sigma^2/2)` for GBM (upper trigger,
:math:`\mu > \sigma^2/2`) and :math:`(x^* - x_0)/\mu` for ABM, infinite otherwise.

References
----------
Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 3, appendix (expected discount factor, first passage).

Karlin, S. and Taylor, H. M. (1981). *A Second Course in Stochastic Processes*. Academic
Press, ch. 15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.display import SummaryDisplay, finish_summary
from gvcgames.errors import InvalidSpecError
from gvcgames.options._display import escape, fmt, tex
from gvcgames.options._inputs import as_input, decide, is_numeric, is_zero, out, require, show
from gvcgames.options.hazard import PoissonHazard, as_hazard
from gvcgames.options.process import GBM, _Diffusion
from gvcgames.results import Derivation, DerivationLog


@dataclass(frozen=True)
class FirstPassage(SummaryDisplay):
    """The first passage of the state from ``x0`` to ``trigger``.

    Attributes
    ----------
    value : float or sympy expression
        The expected discount factor :math:`E[e^{-rT}]` (times survival of the hazard).
    probability : float or sympy expression
        :math:`P(T < \\infty)` (and before a destroying hazard strikes).
    expected_time : float or sympy expression
        :math:`E[T]` of the state process (``inf`` when the trigger may never be reached).
    beta : float or sympy expression
        The root used in :math:`(x_0/x^*)^{\\beta}`.
    x0, trigger : float or sympy expression
    direction : str
        ``"up"`` (the state rises to the trigger) or ``"down"``.
    method, converged, message, derivation
        As in every gvcgames result.
    """

    value: Any
    probability: Any
    expected_time: Any
    beta: Any
    x0: Any
    trigger: Any
    direction: str
    method: str
    converged: bool = True
    message: str = ""
    derivation: Derivation = field(default_factory=Derivation)

    def summary(self, derivation: bool = False) -> str:
        """Readable summary; ``derivation=True`` appends every step."""
        lines = [
            f"First passage from x0 = {fmt(self.x0)} {self.direction} to x* = {fmt(self.trigger)}",
            f"  method: {self.method}; converged: {self.converged}",
            f"  E[exp(-r T)] = {fmt(self.value)}  (beta = {fmt(self.beta)})",
            f"  P(T < oo) = {fmt(self.probability)}",
            f"  E[T] = {fmt(self.expected_time)}",
        ]
        return finish_summary(lines, self.message, self.derivation if derivation else None)

    def to_latex(self) -> str:
        """The three quantities as an ``align*`` block."""
        return (
            "\\begin{align*}\n"
            f"E\\left[e^{{-rT}}\\right] &= {tex(self.value)} \\\\\n"
            f"P(T < \\infty) &= {tex(self.probability)} \\\\\n"
            f"E[T] &= {tex(self.expected_time)}\n"
            "\\end{align*}"
        )

    def _repr_latex_(self) -> str:
        return f"$E\\left[e^{{-rT}}\\right] = {tex(self.value)}$ ({escape(self.direction)})"


def expected_discount_factor(
    x0: Any,
    trigger: Any,
    process: _Diffusion,
    r: Any,
    *,
    hazard: Any = None,
    direction: str | None = None,
) -> FirstPassage:
    """Expected discount factor :math:`E[e^{-rT}]` until the state first reaches ``trigger``.

    Parameters
    ----------
    x0 : float or sympy expression
        Current state.
    trigger : float or sympy expression
        The trigger (``inf`` for a trigger that does not exist: the factor is 0).
    process : GBM or ABM
        The state's law of motion.
    r : float or sympy expression
        Discount rate, positive.
    hazard : float or PoissonHazard, optional
        A Poisson hazard; a number is the rate of an event that destroys the option, and
        the factor then includes the probability of surviving until the trigger.
    direction : {"up", "down"}, optional
        Needed only with symbolic ``x0``/``trigger``; inferred from numbers.

    Returns
    -------
    FirstPassage
        ``.value`` is the discount factor; ``.probability`` and ``.expected_time`` too.

    Raises
    ------
    InvalidValuesError
        ``r <= 0`` or ``x0`` outside the state space (numbers).

    Examples
    --------
    Dixit-Pindyck's numbers (``alpha = 0``, ``sigma = 0.2``, ``r = 0.04``, so ``beta = 2``):
    the project is worth half the trigger today, so the discount factor is ``(1/2)**2``.
    With zero drift, ``log V`` drifts down at ``sigma**2/2``: the trigger is reached with
    probability ``(1/2)**(1 - 2*alpha/sigma**2) = 1/2`` and the expected time is infinite.

    >>> from gvcgames.options import GBM, expected_discount_factor
    >>> fp = expected_discount_factor(1.0, 2.0, GBM(0.0, 0.2), r=0.04)
    >>> round(fp.value, 12), round(fp.probability, 12), fp.expected_time
    (0.25, 0.5, inf)

    References
    ----------
    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 3.
    """
    if not isinstance(process, _Diffusion):
        raise InvalidSpecError(f"process must be GBM(...) or ABM(...), got {process!r}")
    x0_ = as_input("x0", x0)
    infinite = trigger is not None and isinstance(trigger, (int, float)) and math.isinf(trigger)
    trig = (sp.oo if trigger > 0 else -sp.oo) if infinite else as_input("trigger", trigger)
    r_ = as_input("r", r)
    hz = as_hazard(hazard)
    numeric = is_numeric(x0_, r_, process.mu, process.sigma, hz.rate, hz.jump) and (infinite or is_numeric(trig))
    require(r_ > 0, f"the discount rate r must be positive, got r = {show(r_)}", numeric=numeric)
    if isinstance(process, GBM):
        require(x0_ > 0, f"x0 must be positive for a geometric Brownian motion, got x0 = {show(x0_)}", numeric=numeric)
        if not infinite:
            require(
                trig >= 0,
                f"the trigger must be nonnegative for a geometric Brownian motion, got {show(trig)}",
                numeric=numeric,
            )
    if direction is None:
        if not numeric:
            direction = "up"
        elif infinite:
            direction = "up" if trigger > 0 else "down"
        else:
            direction = "up" if bool(x0_ <= trig) else "down"
    if direction not in ("up", "down"):
        raise InvalidSpecError(f"direction must be 'up' or 'down', got {direction!r}")
    return _first_passage(x0_, trig, process, r_, hz, direction, numeric)


def _first_passage(
    x0: sp.Expr,
    trigger: sp.Expr,
    process: _Diffusion,
    r: sp.Expr,
    hazard: PoissonHazard,
    direction: str,
    numeric: bool,
) -> FirstPassage:
    log = DerivationLog()
    up = direction == "up"
    is_gbm = isinstance(process, GBM)
    b1, b2 = process.roots(r, hazard)
    beta = b1 if up else b2
    if beta is None:
        raise InvalidSpecError("a state-scaling hazard (jump in (-1, 0)) supports upper triggers only")
    p1, p2 = process.roots(0, hazard)
    beta0 = p1 if up else p2
    if beta0 is None:  # pragma: no cover - same restriction as above
        raise InvalidSpecError("a state-scaling hazard (jump in (-1, 0)) supports upper triggers only")
    xs = sp.Symbol("x^*")
    x = sp.Symbol("x")

    def factor(root: sp.Expr) -> sp.Expr:
        return (x / xs) ** root if is_gbm else sp.exp(root * (x - xs))

    u = sp.Function("u")
    log.add(
        "ode",
        "u(x) = E_x[exp(-rT)] solves the Bellman equation with u(x*) = 1, bounded beyond x",
        process.bellman(u(x), x, r, hazard),
    )
    log.add("solve", "Its bounded solution", sp.Eq(u(x), factor(sp.Symbol("beta"))), sp.Eq(sp.Symbol("beta"), beta))
    boundary = trigger in (sp.oo, -sp.oo) or (is_gbm and is_zero(trigger))
    at_once = boundary and ((trigger != sp.oo) if up else (trigger == sp.oo))
    if boundary and not at_once:
        value, prob, time = sp.Integer(0), sp.Integer(0), sp.oo
        message = "the trigger is never reached"
    elif at_once:
        value, prob, time = sp.Integer(1), sp.Integer(1), sp.Integer(0)
        message = "every state is beyond the trigger: T = 0"
    else:
        reached = numeric and (bool(x0 >= trigger) if up else bool(x0 <= trigger))
        if reached:
            value, prob, time = sp.Integer(1), sp.Integer(1), sp.Integer(0)
            message = "x0 is already at or beyond the trigger: T = 0"
        else:
            subs = {x: x0, xs: trigger}
            value = factor(beta).subs(subs)
            prob = factor(beta0).subs(subs) if not numeric else _clip(factor(beta0).subs(subs))
            time = _expected_time(x0, trigger, process, hazard, up)
            message = ""
            if not numeric:
                # The formulas hold while the trigger is still ahead; from beyond it T = 0.
                ahead = x0 < trigger if up else x0 > trigger
                verdict = decide(ahead)
                if verdict is None:
                    value = sp.Piecewise((value, ahead), (1, True))
                    prob = sp.Piecewise((prob, ahead), (1, True))
                    time = sp.piecewise_fold(sp.Piecewise((time, ahead), (0, True)))
                    message = (
                        f"the formulas hold for {sp.sstr(ahead)}; otherwise x0 is already at or beyond the "
                        "trigger and T = 0"
                    )
                    log.add("conditions", "The trigger is still ahead of x0 (else T = 0)", ahead)
                elif verdict is False:
                    value, prob, time = sp.Integer(1), sp.Integer(1), sp.Integer(0)
                    message = "x0 is already at or beyond the trigger: T = 0"
    log.add("result", "First passage", sp.Eq(sp.Symbol("E[exp(-rT)]"), value), sp.Eq(sp.Symbol("P(T<oo)"), prob))
    return FirstPassage(
        value=out(value),
        probability=out(prob),
        expected_time=out(time),
        beta=out(beta),
        x0=out(x0),
        trigger=out(trigger),
        direction=direction,
        method="closed form (bounded solution of the Bellman equation)"
        if hazard.destroys or not hazard.active
        else "closed form in beta; beta by scipy brentq",
        message=message,
        derivation=log.freeze(),
    )


def _clip(value: sp.Expr) -> sp.Expr:
    """Round-off guard: a probability computed as 1 + 1e-16 becomes 1."""
    number = sp.N(value)
    return sp.Integer(1) if number > 1 else value


def _expected_time(x0: sp.Expr, trigger: sp.Expr, process: _Diffusion, hazard: PoissonHazard, up: bool) -> sp.Expr:
    if isinstance(process, GBM):
        distance = sp.log(trigger / x0)
        speed = process.mu - process.sigma**2 / 2
        if hazard.active and not hazard.destroys:
            speed += hazard.rate * sp.log(1 + hazard.jump)
    else:
        distance = trigger - x0
        speed = process.mu
    if not up:
        distance, speed = -distance, -speed
    time = sp.Piecewise((distance / speed, speed > 0), (sp.oo, True))
    return time if time.free_symbols else time.doit()
