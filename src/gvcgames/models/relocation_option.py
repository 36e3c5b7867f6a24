"""RO: relocation timing as a real option, with MSE prevention (SOS-GVC WP2 catalogue).

The model
---------
The lead firm's expected disruption cost flow ``x_t`` follows a geometric Brownian
motion ``dx = mu x dt + sigma x dW``; relocating costs ``I`` (sunk) plus a cost premium
flow ``delta``. It relocates when ``x`` first reaches
``x* = beta/(beta - 1) (r - mu)(I + delta/r)``, ``beta > 1`` the positive root of
``sigma^2 b (b - 1)/2 + mu b - r = 0`` (both from :func:`gvcgames.options.relocation_trigger`).
MSE prevention ``e`` scales the flow to ``x (1 - e)``, so the trigger in ``x`` becomes
``x*/(1 - e)`` and the expected discount factor until relocation
``(x0 (1 - e)/x*)^beta``. The MSE earns ``m`` per unit of time until then:

    pi_S(e) = m/r (1 - (x0 (1 - e)/x*)^beta) - c e^2 / 2,   e in [0, 1).

Its first-order condition is derived symbolically; with ``beta`` a function of
``(r, mu, sigma)`` it has no closed form, so the engine reports that the symbolic route
gave up and the optimum is found numerically (:func:`gvcgames.solve.numeric.kkt_point`).
"""

from __future__ import annotations

import sympy as sp

from gvcgames.options.investment import relocation_trigger
from gvcgames.spec.games import ContinuousGame
from gvcgames.spec.symbols import actions, parameters


def relocation_option() -> ContinuousGame:
    """The MSE's prevention choice facing a lead firm that holds a relocation option.

    ``beta`` and ``x_star`` enter as parameters (with domains ``(1, oo)`` and
    ``(0, oo)``) so that the derivation stays readable; :func:`option_values` computes
    them from ``(r, mu, sigma, I, delta)`` with :func:`gvcgames.options.relocation_trigger`.

    Examples
    --------
    >>> from gvcgames.models import relocation_option
    >>> from gvcgames.models.relocation_option import option_values
    >>> values = {"m": 1.0, "c": 2.0, "r": 0.05, "x0": 0.5,
    ...           **option_values(r=0.05, mu=0.01, sigma=0.2, I=10.0, delta=0.1)}
    >>> sorted(values)[:3]
    ['beta', 'c', 'm']
    """
    r = parameters("r", positive=True, description="discount rate")
    beta = parameters("beta", domain="(1, oo)", description="positive root of the characteristic equation")
    x_star = parameters("x_star", positive=True, description="relocation trigger without prevention", latex="x^*")
    x0 = parameters("x0", positive=True, description="current expected disruption cost flow", latex="x_0")
    m = parameters("m", positive=True, description="MSE's margin flow while the lead firm stays")
    c = parameters("c", positive=True, description="MSE's cost parameter of prevention")
    e = actions("e", domain="[0, 1)", description="risk prevention")
    payoff = m / r * (1 - (x0 * (1 - e) / x_star) ** beta) - c * e**2 / 2
    return ContinuousGame(
        {"MSE": (e, payoff)},
        assumptions=[x0 < x_star],
        name="RO: relocation timing with MSE prevention",
        description="The lead firm holds an option to relocate; MSE prevention delays the trigger",
    )


def option_values(r: float, mu: float, sigma: float, I: float, delta: float) -> dict[str, float]:  # noqa: E741
    """``beta`` and ``x_star`` of the RO model from the primitives (numbers)."""
    option = relocation_trigger(r=r, mu=mu, sigma=sigma, I=I, premium=delta)
    return {"beta": float(option.beta), "x_star": float(option.trigger)}


def trigger_formula() -> tuple[sp.Expr, sp.Expr]:
    """``(x*, beta)`` as sympy expressions of ``(r, mu, sigma, I, delta)``."""
    r, sigma, I, delta = parameters("r sigma I delta", positive=True)  # noqa: E741
    mu = parameters("mu", domain="(-1, 1)")
    option = relocation_trigger(r=r, mu=mu, sigma=sigma, I=I, premium=delta)
    return option.trigger, option.beta
