"""Errors of the comparative-statics layer.

Each error derives from :class:`~gvcgames.errors.GvcgamesError` and from the builtin it
refines, so ``except ValueError`` keeps working. Messages name the offending item, the
requirement and the valid options.
"""

from __future__ import annotations

from gvcgames.errors import GvcgamesError, InvalidSpecError, InvalidValuesError


class NotAParameterError(InvalidSpecError):
    """A derivative was asked with respect to something that is not a parameter of the game."""


class OutcomeError(InvalidSpecError):
    """An outcome is unknown, malformed, or does not depend on the equilibrium."""


class SingularJacobianError(GvcgamesError, ValueError):
    """The Jacobian of the first-order system is singular: the implicit function theorem does not apply."""


class EmptyBoxError(InvalidValuesError):
    """A parameter box is empty, inverted, outside the domains, or holds no admissible point."""
