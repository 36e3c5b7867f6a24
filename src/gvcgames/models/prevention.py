"""PR: risk prevention by the MSE vs. relocation by the lead firm (SOS-GVC WP2 catalogue).

The model
---------
The MSE subcontractor S chooses risk prevention ``e`` in ``[0, 1]`` at cost ``c e^2/2``.
The lead firm L then privately draws its relocation cost ``F ~ U[0, Fbar]``, observes
``e``, and relocates iff the expected disruption loss from staying, ``p D (1 - e)``,
exceeds ``Delta + F`` (``p`` shock probability, ``D`` loss, ``Delta`` cost premium of
the alternative location). S earns the margin ``m`` while L stays. Seen from S,
L relocates with probability ``R(e) = P(F < p D (1 - e) - Delta)``, clipped to [0, 1].

The engine derives the interior solution ``e* = m p D/(c Fbar)`` and
``R* = (p D (1 - e*) - Delta)/Fbar`` with its region, and the corner regimes with theirs:
no credible threat (``Delta > p D``: ``e* = 0``, ``R* = 0``), just enough prevention to
keep L for sure (``e* = 1 - Delta/(p D)``, ``R* = 0``), and giving up (``e* = 0``,
``R* = 1``). Full prevention ``e* = 1`` is never optimal when ``Delta > 0``: L already stays
for sure at ``e = 1 - Delta/(p D) < 1``, so more prevention only costs (the catalogue's
corner ``e* = 1`` does not occur).
"""

from __future__ import annotations

from gvcgames.spec.games import SequentialGame
from gvcgames.spec.symbols import actions, parameters
from gvcgames.spec.uncertainty import Choice, uniform


def prevention_relocation() -> SequentialGame:
    """The PR model: S chooses prevention, then L (private relocation cost) stays or relocates.

    Examples
    --------
    >>> from gvcgames.models import prevention_relocation
    >>> sol = prevention_relocation().solve()
    >>> interior = next(eq for eq in sol if eq.case.startswith("e interior"))
    >>> interior["e"]
    D*m*p/(Fbar*c)
    """
    p = parameters("p", domain="(0, 1)", description="probability of a disruption")
    D = parameters("D", positive=True, description="lead firm's loss from a disruption")
    Delta = parameters("Delta", positive=True, description="cost premium of the alternative location")
    Fbar = parameters("Fbar", positive=True, description="upper bound of the relocation cost", latex=r"\bar{F}")
    m = parameters("m", positive=True, description="MSE's margin while the lead firm stays")
    c = parameters("c", positive=True, description="MSE's cost parameter of prevention")
    F = parameters("F", nonnegative=True, description="lead firm's relocation cost (private)")
    e = actions("e", domain="[0, 1]", description="risk prevention")
    relocation = Choice(
        "lead firm",
        {
            "stay": {"lead firm": -p * D * (1 - e), "MSE": m - c * e**2 / 2},
            "relocate": {"lead firm": -Delta - F, "MSE": -c * e**2 / 2},
        },
        private_type=(F, uniform(0, Fbar)),
    )
    return SequentialGame(
        [("MSE", e), relocation],
        name="PR: prevention vs. relocation",
        description="The MSE invests in risk prevention; the lead firm, with a private relocation cost, "
        "then stays or relocates",
    )
