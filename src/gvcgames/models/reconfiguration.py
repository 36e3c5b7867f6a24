"""RG: the 2x2 reconfiguration game (SOS-GVC WP2 catalogue, DOMAIN.md).

The model
---------
The lead firm L chooses to *stay* with its local subcontractor or to *relocate*; the MSE
S simultaneously chooses to *prevent* (invest in risk prevention at cost ``kappa``) or
not. A disruption hits with probability ``p``. If L stays it loses ``D`` in a
disruption, S loses ``d`` (the chain stops) and S earns its margin ``m``; prevention
avoids a share ``theta`` of both losses. Relocating costs L the premium ``Delta`` of
the alternative location and ends S's business with L. Payoffs (L, S):

=============  ==================================  ==========================
               prevent                             not
=============  ==================================  ==========================
stay           ``-p D (1-theta)``, ``m - p d (1-theta) - kappa``   ``-p D``, ``m - p d``
relocate       ``-Delta``, ``-kappa``                ``-Delta``, ``0``
=============  ==================================  ==========================

When ``p D (1 - theta) < Delta < p D`` (prevention tips L's decision) and
``p d theta > kappa`` (prevention pays for S if L stays) the game is a coordination
game: (stay, prevent) and (relocate, not) are both equilibria, and a mixed equilibrium
lies between them. The engine derives all regions.
"""

from __future__ import annotations

from gvcgames.spec.finite import NormalFormGame
from gvcgames.spec.symbols import parameters


def reconfiguration() -> NormalFormGame:
    """The RG model as a symbolic 2x2 game (players ``"lead firm"``, ``"MSE"``).

    Examples
    --------
    >>> from gvcgames.models import reconfiguration
    >>> game = reconfiguration()
    >>> sorted(eq.pure_profile for eq in game.pure_equilibria())
    [('relocate', 'not'), ('stay', 'not'), ('stay', 'prevent')]
    """
    p = parameters("p", domain="(0, 1)", description="probability of a disruption")
    theta = parameters("theta", domain="(0, 1)", description="share of the disruption loss that prevention avoids")
    D = parameters("D", positive=True, description="lead firm's loss from a disruption")
    d = parameters("d", positive=True, description="MSE's loss from a disruption")
    m = parameters("m", positive=True, description="MSE's margin while the lead firm stays")
    kappa = parameters("kappa", positive=True, description="MSE's cost of risk prevention", latex=r"\kappa")
    Delta = parameters("Delta", positive=True, description="cost premium of the alternative location")
    payoffs = {
        ("stay", "prevent"): (-p * D * (1 - theta), m - p * d * (1 - theta) - kappa),
        ("stay", "not"): (-p * D, m - p * d),
        ("relocate", "prevent"): (-Delta, -kappa),
        ("relocate", "not"): (-Delta, 0),
    }
    return NormalFormGame(
        ["lead firm", "MSE"],
        [["stay", "relocate"], ["prevent", "not"]],
        payoffs,
        name="RG: the reconfiguration game",
        description="Lead firm stays or relocates; the MSE prevents or not; simultaneous moves",
    )
