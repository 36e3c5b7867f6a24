"""The spec layer: parameters, actions, assumptions and games. Imports nothing from solving."""

from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.finite import NormalFormGame
from gvcgames.spec.games import ContinuousGame, Game, Player, SequentialGame
from gvcgames.spec.symbols import Action, DomainSymbol, Parameter, actions, parameters
from gvcgames.spec.tree import Chance, Decision, ExtensiveFormGame, Tree

__all__ = [
    "Action",
    "Assumptions",
    "Chance",
    "ContinuousGame",
    "Decision",
    "DomainSymbol",
    "ExtensiveFormGame",
    "Game",
    "NormalFormGame",
    "Parameter",
    "Player",
    "SequentialGame",
    "Sign",
    "Tree",
    "actions",
    "parameters",
]
