"""HU: hold-up and governance (SOS-GVC WP2 catalogue, DOMAIN.md).

The model
---------
A supplier S and a lead firm L make relationship-specific investments ``x`` and ``y``
(costs ``w x^2/2`` and ``y^2/2``; ``w`` is the supplier's unit cost of investing, lower
at a foreign location). The relationship yields surplus ``theta_S x + theta_L y``;
investments are worthless outside it, and the surplus is split by Nash bargaining,
S receiving a share ``beta_S``. Under *outsourcing* ``beta_S = beta``; under
*integration* the lead firm owns the supplier's assets and can seize a fraction
``delta`` of the surplus if bargaining fails, so ``beta_S = beta (1 - delta)`` (the
property-rights logic of Grossman and Hart 1986, as used for global sourcing by Antràs and
Helpman 2004).

Equilibrium investments ``x* = beta_S theta_S / w`` and ``y* = (1 - beta_S) theta_L``
fall short of the first best ``x^FB = theta_S / w``, ``y^FB = theta_L``
(:func:`hold_up_first_best`), which is the hold-up problem. All of this is derived by
the engine.

References
----------
Grossman, S. and Hart, O. (1986). The costs and benefits of ownership. *JPE* 94(4).
Antràs, P. and Helpman, E. (2004). Global sourcing. *JPE* 112(3), 552-580.
"""

from __future__ import annotations

import sympy as sp

from gvcgames.errors import InvalidSpecError
from gvcgames.spec.games import ContinuousGame
from gvcgames.spec.symbols import actions, parameters

GOVERNANCE = ("outsourcing", "integration")


def _primitives() -> dict[str, sp.Symbol]:
    return {
        "theta_S": parameters("theta_S", positive=True, description="marginal surplus of the supplier's investment"),
        "theta_L": parameters("theta_L", positive=True, description="marginal surplus of the lead firm's investment"),
        "w": parameters("w", positive=True, description="supplier's unit cost of investment"),
        "x": actions("x", nonnegative=True, description="supplier's relationship-specific investment"),
        "y": actions("y", nonnegative=True, description="lead firm's relationship-specific investment"),
    }


def hold_up(governance: str = "outsourcing") -> ContinuousGame:
    """Both parties invest simultaneously, then bargain over the surplus.

    Parameters
    ----------
    governance : {"outsourcing", "integration"}
        Who owns the supplier's assets (sets the supplier's share, see the module docstring).

    Examples
    --------
    >>> from gvcgames.models import hold_up
    >>> eq = hold_up().solve().equilibria[0]
    >>> eq["x"], eq["y"]
    (beta*theta_S/w, theta_L*(1 - beta))
    """
    if governance not in GOVERNANCE:
        raise InvalidSpecError(f"governance must be one of {GOVERNANCE}, got {governance!r}")
    s = _primitives()
    beta = parameters("beta", domain="(0, 1)", description="supplier's bargaining share")
    share = beta
    if governance == "integration":
        delta = parameters("delta", domain="(0, 1)", description="share of surplus the owner can seize")
        share = beta * (1 - delta)
    surplus = s["theta_S"] * s["x"] + s["theta_L"] * s["y"]
    return ContinuousGame(
        {
            "supplier": (s["x"], share * surplus - s["w"] * s["x"] ** 2 / 2),
            "lead firm": (s["y"], (1 - share) * surplus - s["y"] ** 2 / 2),
        },
        name=f"HU: hold-up under {governance}",
    )


def hold_up_first_best() -> ContinuousGame:
    """The planner's problem: both investments chosen to maximise total surplus."""
    s = _primitives()
    total = s["theta_S"] * s["x"] + s["theta_L"] * s["y"] - s["w"] * s["x"] ** 2 / 2 - s["y"] ** 2 / 2
    return ContinuousGame({"planner": ((s["x"], s["y"]), total)}, name="HU: first best")
