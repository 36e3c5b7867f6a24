"""A Poisson disruption hazard acting on a real option.

Definition
----------
Events (disruptions) arrive at the jumps of a Poisson process :math:`q_t` with rate
:math:`\\lambda \\ge 0`. Two effects are supported, chosen by ``jump``:

* ``jump = -1`` (default): an event **destroys the option** (the opportunity is lost,
  a competitor takes the market, the project value jumps to zero as in McDonald and
  Siegel 1986). Before exercise the option then earns the extra "discount" :math:`\\lambda`:
  in the Bellman equation :math:`\\mathcal{L}F - rF = 0` becomes
  :math:`\\mathcal{L}F - (r + \\lambda) F = 0`, so every formula keeps its closed form with
  :math:`r + \\lambda` in the characteristic quadratic. Works for any process and direction.
* ``-1 < jump < 0``: an event **scales the state** by ``1 + jump`` (a fall of
  ``-jump * 100`` per cent). For a geometric Brownian motion :math:`x` this adds
  :math:`\\lambda\\,(F((1+J)x) - F(x))` to the Bellman equation and
  :math:`\\lambda((1 + J)^{b} - 1)` to the characteristic equation, which is no longer
  quadratic: its positive root is found numerically (scipy). Only upper triggers are
  supported, because a downward jump never overshoots an upper trigger, so value
  matching and smooth pasting at the trigger stay exact.

Upward jumps are not supported: they overshoot an upper trigger and the standard
conditions no longer characterise the optimum.

References
----------
McDonald, R. and Siegel, D. (1986). The value of waiting to invest. *Quarterly Journal of
Economics* 101(4), 707-727.

Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 3 (Poisson processes) and ch. 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from gvcgames.errors import InvalidSpecError
from gvcgames.options._inputs import as_input, is_numeric, is_zero, require, show


@dataclass(frozen=True)
class PoissonHazard:
    """Disruptions at Poisson rate ``rate`` that destroy the option or scale the state.

    Parameters
    ----------
    rate : float or sympy expression
        Arrival rate :math:`\\lambda \\ge 0` per unit of time.
    jump : float or sympy expression
        ``-1`` (default): an event destroys the option. ``-1 < jump < 0``: the state is
        multiplied by ``1 + jump`` (geometric Brownian motion and upper triggers only).

    Raises
    ------
    InvalidValuesError
        If ``rate < 0`` or ``jump`` is outside ``[-1, 0)``.

    Examples
    --------
    >>> from gvcgames.options import PoissonHazard
    >>> PoissonHazard(0.1).destroys
    True
    >>> PoissonHazard(0.1, jump=-0.5).destroys
    False
    """

    rate: Any = 0
    jump: Any = -1

    def __post_init__(self) -> None:
        rate = as_input("hazard rate", self.rate)
        jump = as_input("jump", self.jump)
        numeric = is_numeric(rate, jump)
        require(rate >= 0, f"the hazard rate must be nonnegative, got {show(rate)}", numeric=numeric)
        require(
            jump >= -1,
            f"jump must be in [-1, 0) (the state is multiplied by 1 + jump, -1 destroys the option), got {show(jump)}",
            numeric=numeric,
        )
        if is_zero(jump) or (jump.is_number and bool(jump > 0)):
            raise InvalidSpecError(
                f"jump = {show(jump)} is not supported: give -1 (the event destroys the option) or a downward "
                "jump in (-1, 0); upward jumps overshoot an upper trigger"
            )
        object.__setattr__(self, "rate", rate)
        object.__setattr__(self, "jump", jump)

    @property
    def destroys(self) -> bool:
        """Whether an event destroys the option (``jump == -1``)."""
        return is_zero(self.jump + 1)

    @property
    def active(self) -> bool:
        """Whether the hazard can matter (its rate is not zero)."""
        return not is_zero(self.rate)

    def characteristic_term(self, b: sp.Expr) -> sp.Expr:
        """What the hazard adds to the characteristic function at exponent ``b``."""
        if not self.active:
            return sp.Integer(0)
        if self.destroys:
            return -self.rate
        return self.rate * ((1 + self.jump) ** b - 1)

    def bellman_term(self, f: sp.Expr, x: sp.Symbol) -> sp.Expr:
        """What the hazard adds to the Bellman equation of a value function ``f(x)``."""
        if not self.active:
            return sp.Integer(0)
        if self.destroys:
            return -self.rate * f
        return self.rate * (f.subs(x, (1 + self.jump) * x) - f)

    def describe(self) -> str:
        """The hazard in words."""
        if not self.active:
            return "no hazard"
        if self.destroys:
            return f"a Poisson event at rate {show(self.rate)} destroys the option"
        return f"a Poisson event at rate {show(self.rate)} multiplies the state by {show(1 + self.jump)}"


def as_hazard(value: Any) -> PoissonHazard:
    """``None``/``0`` -> no hazard; a number or expression -> a destroying hazard at that rate."""
    if isinstance(value, PoissonHazard):
        return value
    if value is None:
        return PoissonHazard(0)
    return PoissonHazard(value)
