"""Exceptions and warnings of gvcgames.

Every error derives from :class:`GvcgamesError` and from the builtin exception it
refines, so ``except ValueError`` keeps working for callers who do not know gvcgames.
Messages name the offending item, the requirement, and the valid options.
"""

from __future__ import annotations


class GvcgamesError(Exception):
    """Base class of every error raised by gvcgames."""


class InvalidSpecError(GvcgamesError, ValueError):
    """A game, parameter or action specification is malformed or contradictory."""


class UnknownSymbolError(InvalidSpecError):
    """An expression uses a symbol that is neither a declared parameter nor an action."""


class NoEquilibriumError(GvcgamesError, RuntimeError):
    """The solver finished its search and no candidate survived; the message says why."""


class SymbolicTimeout(GvcgamesError, TimeoutError):
    """A symbolic computation ran past its time budget."""


class InvalidValuesError(GvcgamesError, ValueError):
    """Numeric parameter or action values are missing, not finite, or outside their domain."""


class UnknownPlayerError(InvalidSpecError, KeyError):
    """A player name the game does not have; the message lists the players."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class UnknownActionError(InvalidSpecError, KeyError):
    """An action label a player does not have; the message lists the player's actions."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class IndexOutOfRangeError(InvalidSpecError, IndexError):
    """A player or action index outside ``0, ..., k - 1``; the message names the valid range."""


class UnsupportedError(GvcgamesError, NotImplementedError):
    """The request is well formed but not supported (yet); the message says what is."""


class MissingDependencyError(GvcgamesError, ImportError):
    """An optional dependency is not installed; the message names the extra that provides it."""


class GvcgamesWarning(UserWarning):
    """Base class of every warning emitted by gvcgames."""


class MultipleEquilibriaWarning(GvcgamesWarning):
    """More than one equilibrium candidate holds in the same parameter region."""


class DegenerateGameWarning(GvcgamesWarning):
    """A numeric game is degenerate; equilibria may form continua."""


class UnverifiedEquilibriumWarning(GvcgamesWarning):
    """A candidate satisfies first-order conditions but its optimality could not be proved."""
