"""UP: MSE upgrading under lead-firm presence (SOS-GVC WP2 catalogue, DOMAIN.md).

The model
---------
A local subcontractor (MSE) S chooses upgrading effort ``u >= 0`` at cost ``u^2/2``.
With probability ``1 - R`` the lead firm stays: S then receives a bargaining share
``beta`` of the relation-specific return ``(a + g k) u``, where ``k`` is the lead firm's
supplier-development investment. With probability ``R`` the lead firm relocates and S
keeps only the general return ``a_o u`` (functional or chain upgrading usable with other
buyers). S maximises

    pi_S(u) = (1 - R) beta (a + g k) u + R a_o u - u^2 / 2.

The engine finds ``u* = (1 - R) beta (a + g k) + R a_o`` and
``du*/dR = a_o - beta (a + g k)``: the threat of relocation lowers relation-specific
upgrading and raises general upgrading. With ``R`` from the PR model the two close the
two-way loop (prevention -> relocation -> upgrading).
"""

from __future__ import annotations

from gvcgames.spec.games import ContinuousGame
from gvcgames.spec.symbols import actions, parameters


def upgrading() -> ContinuousGame:
    """The UP model as a one-player continuous game (S's upgrading choice).

    Examples
    --------
    >>> from gvcgames.models import upgrading
    >>> game = upgrading()
    >>> eq = game.solve().equilibria[0]
    >>> eq["u"]
    R*a_o - beta*(R - 1)*(a + g*k)
    """
    R = parameters("R", domain="[0, 1]", description="probability that the lead firm relocates")
    beta = parameters("beta", domain="(0, 1)", description="supplier's bargaining share")
    a = parameters("a", positive=True, description="relation-specific return to upgrading")
    g = parameters("g", positive=True, description="return to the lead firm's supplier development")
    k = parameters("k", nonnegative=True, description="lead firm's supplier-development investment")
    a_o = parameters("a_o", positive=True, description="general return to upgrading outside the chain")
    u = actions("u", nonnegative=True, description="upgrading effort")
    payoff = (1 - R) * beta * (a + g * k) * u + R * a_o * u - u**2 / 2
    return ContinuousGame(
        {"MSE": (u, payoff)},
        name="UP: upgrading under lead-firm presence",
        description="MSE upgrading when the lead firm relocates with probability R",
    )
