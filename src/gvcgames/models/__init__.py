"""The WP2 model catalogue and textbook checks, each solved by the general engine.

Each function returns a game spec; nothing here knows an answer in advance.
"""

from gvcgames.models.cluster import cluster
from gvcgames.models.holdup import hold_up, hold_up_first_best
from gvcgames.models.prevention import prevention_relocation
from gvcgames.models.reconfiguration import reconfiguration
from gvcgames.models.relocation_option import relocation_option
from gvcgames.models.textbook import cournot, double_marginalisation, integrated_chain, stackelberg
from gvcgames.models.upgrading import upgrading

__all__ = [
    "cluster",
    "cournot",
    "double_marginalisation",
    "hold_up",
    "hold_up_first_best",
    "integrated_chain",
    "prevention_relocation",
    "reconfiguration",
    "relocation_option",
    "stackelberg",
    "upgrading",
]

from gvcgames.models.catalogue import Entry, catalogue

__all__ += ["Entry", "catalogue"]
