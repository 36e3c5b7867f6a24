"""The catalogue: every model shipped in :mod:`gvcgames.models`, by command-line name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from gvcgames.models.cluster import cluster
from gvcgames.models.holdup import hold_up, hold_up_first_best
from gvcgames.models.prevention import prevention_relocation
from gvcgames.models.reconfiguration import reconfiguration
from gvcgames.models.relocation_option import relocation_option, statics_systems
from gvcgames.models.textbook import cournot, double_marginalisation, integrated_chain, stackelberg
from gvcgames.models.upgrading import upgrading
from gvcgames.spec.finite import NormalFormGame
from gvcgames.spec.games import Game
from gvcgames.spec.symmetric import SymmetricGame


@dataclass(frozen=True)
class Entry:
    """A catalogue model: its name, a one-line summary and the function that builds it."""

    name: str
    summary: str
    build: Callable[[], Game | NormalFormGame | SymmetricGame]
    kind: str  # "WP2" for the project's models, "textbook" for known-answer checks
    # first-order systems behind the statics of an equilibrium without a closed form
    statics_systems: Callable[[], list[Any]] | None = None


_ENTRIES = (
    Entry("pr", "PR: MSE prevention vs. lead-firm relocation (private relocation cost)", prevention_relocation, "WP2"),
    Entry(
        "ro",
        "RO: relocation timing as a real option, with MSE prevention",
        relocation_option,
        "WP2",
        statics_systems,
    ),
    Entry("up", "UP: MSE upgrading under the threat of relocation", upgrading, "WP2"),
    Entry("hu", "HU: hold-up with Nash bargaining, outsourcing", hold_up, "WP2"),
    Entry("hu-integration", "HU: hold-up under vertical integration", partial(hold_up, "integration"), "WP2"),
    Entry("hu-first-best", "HU: the planner's first-best investments", hold_up_first_best, "WP2"),
    Entry("cl", "CL: cluster of N MSEs choosing prevention (free riding vs. joint action)", cluster, "WP2"),
    Entry("rg", "RG: 2x2 reconfiguration game (stay/relocate x prevent/not)", reconfiguration, "WP2"),
    Entry("cournot", "Cournot duopoly with linear demand", cournot, "textbook"),
    Entry("stackelberg", "Stackelberg duopoly with linear demand", stackelberg, "textbook"),
    Entry("double-marginalisation", "Supplier-lead firm chain (Spengler 1950)", double_marginalisation, "textbook"),
    Entry("integrated-chain", "The integrated benchmark of the chain", integrated_chain, "textbook"),
)


def catalogue() -> dict[str, Entry]:
    """Every catalogue model by name, in a stable order.

    Examples
    --------
    >>> from gvcgames.models import catalogue
    >>> sorted(catalogue())[:3]
    ['cl', 'cournot', 'double-marginalisation']
    """
    return {e.name: e for e in _ENTRIES}
