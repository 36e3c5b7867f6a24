"""Errors of the real-options subpackage.

They extend :mod:`gvcgames.errors` (DESIGN.md convention 7): each derives from
:class:`~gvcgames.errors.GvcgamesError` and from the builtin exception it refines.
Numeric inputs outside their domain raise :class:`~gvcgames.errors.InvalidValuesError`;
symbolic inputs whose requirement is provably false raise
:class:`~gvcgames.errors.InvalidSpecError`; both are ``ValueError``.
"""

from __future__ import annotations

from gvcgames.errors import GvcgamesError


class InfiniteOptionValueError(GvcgamesError, ValueError):
    """The option is worth more the longer one waits: no finite trigger exists.

    Raised when the discount rate is not above the growth rate of the stopping payoff,
    e.g. ``r <= mu`` for a payoff linear in a geometric Brownian motion, or ``delta <= 0``
    in the Dixit-Pindyck model: the value of waiting grows without bound and the
    optimal policy is never to exercise.
    """


class TriggerNotFoundError(GvcgamesError, RuntimeError):
    """The numeric search found no state where value matching and smooth pasting hold.

    The message says what was tried; the usual cause is a stopping payoff that is not
    monotone in the state, so that no single-threshold policy is optimal.
    """
