"""CL: a cluster of N MSEs and joint action (SOS-GVC WP2 catalogue, DOMAIN.md).

The model
---------
``N`` symmetric subcontractors in an industrial district each choose risk prevention
``e_i`` in ``[0, 1]`` at cost ``c e_i^2/2``. The lead firm stays with the district with
probability ``pi0 + alpha * mean(e)``, increasing in aggregate prevention
(``pi0 + alpha <= 1``), and each MSE earns the margin ``m`` while it stays:

    u_i = m (pi0 + alpha (e_i + sum_{j != i} e_j)/N) - c e_i^2 / 2.

Prevention is a public good for the district: each MSE counts only its ``1/N`` share of
the effect on the lead firm's decision, so the symmetric equilibrium
``e* = m alpha/(c N)`` falls short of the joint-action optimum ``m alpha/c`` by a
free-riding gap that widens with ``N``. Both come out of the engine.
"""

from __future__ import annotations

from gvcgames.spec.symbols import actions, parameters
from gvcgames.spec.symmetric import SymmetricGame


def cluster() -> SymmetricGame:
    """The CL model with a symbolic number of MSEs ``N``.

    Examples
    --------
    >>> from gvcgames.models import cluster
    >>> game = cluster()
    >>> next(eq for eq in game.solve() if eq.case == "interior")["e"]
    alpha*m/(N*c)
    """
    N = parameters("N", domain="[1, oo)", integer=True, description="number of MSEs in the cluster")
    m = parameters("m", positive=True, description="MSE's margin while the lead firm stays")
    c = parameters("c", positive=True, description="MSE's cost parameter of prevention")
    pi0 = parameters(
        "pi0", domain="[0, 1)", description="probability that the lead firm stays without prevention", latex=r"\pi_0"
    )
    alpha = parameters("alpha", domain="(0, 1)", description="effect of mean prevention on the staying probability")
    e, e_o = actions("e e_o", domain="[0, 1]", description=["own prevention", "other MSEs' prevention"])
    payoff = m * (pi0 + alpha * (e + (N - 1) * e_o) / N) - c * e**2 / 2
    return SymmetricGame(
        e,
        e_o,
        payoff,
        N,
        assumptions=[pi0 + alpha <= 1],
        name="CL: cluster of N MSEs",
        description="N subcontractors choose prevention; the lead firm stays with a probability rising in the mean",
    )
