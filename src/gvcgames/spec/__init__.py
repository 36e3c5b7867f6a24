"""The spec layer: parameters, actions, assumptions and games. Imports nothing from solving."""

from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.finite import NormalFormGame
from gvcgames.spec.games import ContinuousGame, Game, Player, SequentialGame
from gvcgames.spec.symbols import Action, DomainSymbol, Parameter, actions, parameters

__all__ = [
    "Action",
    "Assumptions",
    "ContinuousGame",
    "DomainSymbol",
    "Game",
    "NormalFormGame",
    "Parameter",
    "Player",
    "SequentialGame",
    "Sign",
    "actions",
    "parameters",
]
