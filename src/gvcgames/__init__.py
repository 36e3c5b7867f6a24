"""gvcgames: games as written in economics papers -> equilibria, conditions, statics, LaTeX.

>>> import gvcgames as gg
>>> a, c = gg.parameters("a c", positive=True)
>>> q1, q2 = gg.actions("q1 q2", nonnegative=True)
>>> cournot = gg.ContinuousGame(
...     {"firm1": (q1, (a - q1 - q2 - c) * q1), "firm2": (q2, (a - q1 - q2 - c) * q2)},
...     assumptions=[a > c])
>>> cournot.solve().equilibria[0][q1]
(a - c)/3
"""

from gvcgames import export, models, options, statics
from gvcgames.errors import (
    DegenerateGameWarning,
    GvcgamesError,
    GvcgamesWarning,
    InvalidSpecError,
    InvalidValuesError,
    MissingDependencyError,
    MultipleEquilibriaWarning,
    NoEquilibriumError,
    SymbolicTimeout,
    UnknownActionError,
    UnknownPlayerError,
    UnknownSymbolError,
    UnsupportedError,
    UnverifiedEquilibriumWarning,
)
from gvcgames.results import (
    BehaviourEquilibrium,
    BestResponse,
    Derivation,
    Equilibrium,
    FiniteEquilibrium,
    Solution,
    Step,
)
from gvcgames.settings import settings
from gvcgames.solve import EquilibriumCheck, is_equilibrium
from gvcgames.spec import (
    Action,
    Assumptions,
    Chance,
    ContinuousGame,
    Decision,
    ExtensiveFormGame,
    Game,
    NormalFormGame,
    Parameter,
    Player,
    SequentialGame,
    Sign,
    actions,
    parameters,
)
from gvcgames.spec.symmetric import SymmetricGame, symmetric_from_game
from gvcgames.spec.uncertainty import Choice, Distribution, exponential, logistic, normal, uniform
from gvcgames.statics import (
    Certificate,
    Hypotheses,
    Hypothesis,
    StaticsResult,
    comparative_statics,
    hypotheses,
    implicit_statics,
    statics_table,
)

__version__ = "0.1.0"

__all__ = [
    "Action",
    "Assumptions",
    "BehaviourEquilibrium",
    "BestResponse",
    "Certificate",
    "Chance",
    "Choice",
    "ContinuousGame",
    "Decision",
    "DegenerateGameWarning",
    "Derivation",
    "Distribution",
    "Equilibrium",
    "EquilibriumCheck",
    "ExtensiveFormGame",
    "FiniteEquilibrium",
    "Game",
    "GvcgamesError",
    "GvcgamesWarning",
    "Hypotheses",
    "Hypothesis",
    "InvalidSpecError",
    "InvalidValuesError",
    "MissingDependencyError",
    "MultipleEquilibriaWarning",
    "NoEquilibriumError",
    "NormalFormGame",
    "Parameter",
    "Player",
    "SequentialGame",
    "Sign",
    "Solution",
    "StaticsResult",
    "Step",
    "SymbolicTimeout",
    "SymmetricGame",
    "UnknownActionError",
    "UnknownPlayerError",
    "UnknownSymbolError",
    "UnsupportedError",
    "UnverifiedEquilibriumWarning",
    "actions",
    "comparative_statics",
    "empirics",
    "exponential",
    "export",
    "hypotheses",
    "implicit_statics",
    "is_equilibrium",
    "logistic",
    "models",
    "normal",
    "numeric",
    "options",
    "parameters",
    "settings",
    "statics",
    "statics_table",
    "symmetric_from_game",
    "uniform",
]

_LAZY = ("empirics", "numeric")  # heavier (scipy.stats, pandas): imported on first use


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"gvcgames.{name}")
    raise AttributeError(f"module 'gvcgames' has no attribute {name!r}")
