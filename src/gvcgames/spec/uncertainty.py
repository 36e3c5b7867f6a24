"""Uncertainty in specs: distributions of private types, and discrete choices that depend on them.

A *private type* is a parameter whose value only its owner observes; the others know its
distribution. A :class:`Choice` stage lets a player pick one of finitely many actions
after observing the history and their type; every player's payoff is given per action.
Seen from the earlier movers, the choice is a lottery: with two actions and payoffs
linear in the type, the chooser follows a threshold rule and the probability of each
action is the type's CDF at the threshold (Piecewise where the support is bounded).

Distributions wrap :mod:`sympy.stats`; their parameters are checked like everything
else: an error only when a requirement is provably violated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy import stats

from gvcgames.errors import InvalidSpecError
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.games import as_payoff
from gvcgames.spec.symbols import Parameter


@dataclass(frozen=True)
class Distribution:
    """A univariate distribution with symbolic parameters.

    Attributes
    ----------
    name : str
        ``"uniform"``, ``"normal"``, ``"logistic"`` or ``"exponential"``.
    params : tuple of sympy expressions
    support : sympy Interval
    """

    name: str
    params: tuple[sp.Expr, ...]
    support: sp.Interval
    _rv: Any = field(repr=False, compare=False)

    def cdf(self, x: Any) -> sp.Expr:
        """``P(T <= x)`` as a sympy expression (Piecewise where the support is bounded)."""
        return stats.cdf(self._rv)(x)

    def density(self, x: Any) -> sp.Expr:
        return stats.density(self._rv)(x)

    def map(self, func: Any) -> Distribution:
        """The same family with ``func`` applied to each parameter (e.g. a substitution)."""
        return _FAMILIES[self.name](*(func(p) for p in self.params))

    def __str__(self) -> str:
        return f"{self.name}({', '.join(sp.sstr(p) for p in self.params)})"


def _check(requirement: Any, message: str) -> None:
    """Raise only if the requirement is provably false (sympy.stats' _value_check rule)."""
    if Assumptions().decide(requirement) is False:
        raise InvalidSpecError(message)


def _param(value: Any, what: str) -> sp.Expr:
    """A distribution parameter: a finite real number or an expression in parameters."""
    if value is None or isinstance(value, (str, bytes, bool)):
        raise InvalidSpecError(f"{what} must be a number or an expression in gg.parameters, got {value!r}")
    try:
        expr = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise InvalidSpecError(f"{what} must be a number or an expression in gg.parameters, got {value!r}") from exc
    if not isinstance(expr, sp.Expr) or expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or expr is sp.nan:
        raise InvalidSpecError(f"{what} must be finite, got {value!r}")
    if expr.is_number and expr.is_real is False:
        raise InvalidSpecError(f"{what} must be real, got {value!r}")
    return expr


def uniform(low: Any, high: Any) -> Distribution:
    """Uniform on ``[low, high]``; requires ``low < high``."""
    low, high = _param(low, "the lower end of a uniform"), _param(high, "the upper end of a uniform")
    _check(sp.Lt(low, high), f"uniform({low}, {high}): the lower end must be below the upper end")
    return Distribution("uniform", (low, high), sp.Interval(low, high), stats.Uniform("T", low, high))


def normal(mean: Any, sd: Any) -> Distribution:
    """Normal with mean ``mean`` and standard deviation ``sd > 0``."""
    mean, sd = _param(mean, "the mean of a normal"), _param(sd, "the standard deviation of a normal")
    _check(sp.Gt(sd, 0), f"normal({mean}, {sd}): the standard deviation must be positive")
    return Distribution("normal", (mean, sd), sp.Reals, stats.Normal("T", mean, sd))


def logistic(location: Any, scale: Any) -> Distribution:
    """Logistic with location ``location`` and scale ``scale > 0``."""
    location, scale = _param(location, "the location of a logistic"), _param(scale, "the scale of a logistic")
    _check(sp.Gt(scale, 0), f"logistic({location}, {scale}): the scale must be positive")
    return Distribution("logistic", (location, scale), sp.Reals, stats.Logistic("T", location, scale))


def exponential(rate: Any) -> Distribution:
    """Exponential with rate ``rate > 0`` on ``[0, oo)``."""
    rate = _param(rate, "the rate of an exponential")
    _check(sp.Gt(rate, 0), f"exponential({rate}): the rate must be positive")
    return Distribution("exponential", (rate,), sp.Interval(0, sp.oo), stats.Exponential("T", rate))


_FAMILIES = {"uniform": uniform, "normal": normal, "logistic": logistic, "exponential": exponential}


@dataclass(frozen=True)
class Choice:
    """A discrete move: ``player`` picks an action after seeing the history (and their type).

    Parameters
    ----------
    player : str
        Who chooses.
    outcomes : mapping
        ``{action: {player: payoff}}``: every player's payoff from the whole game when
        ``action`` is chosen (payoffs may depend on earlier actions and on the type).
    private_type : (Parameter, Distribution), optional
        A parameter only ``player`` observes and its distribution.

    Examples
    --------
    >>> import gvcgames as gg
    >>> F, Fbar, cost = gg.parameters("F Fbar cost", positive=True)
    >>> relocate = gg.Choice("L", {"stay": {"L": -cost}, "relocate": {"L": -F}},
    ...                      private_type=(F, gg.uniform(0, Fbar)))
    >>> relocate.actions
    ('stay', 'relocate')
    """

    player: str
    outcomes: Mapping[str, Mapping[str, sp.Expr]]
    private_type: tuple[Parameter, Distribution] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.player, str) or not self.player:
            raise InvalidSpecError(f"the chooser must be named by a non-empty string, got {self.player!r}")
        if not isinstance(self.outcomes, Mapping) or len(self.outcomes) < 2:
            raise InvalidSpecError(
                f"{self.player!r}'s choice needs at least two actions as {{action: {{player: payoff}}}}, "
                f"got {self.outcomes!r}"
            )
        cleaned: dict[str, dict[str, sp.Expr]] = {}
        players: set[str] | None = None
        for action, pays in self.outcomes.items():
            if not isinstance(action, str) or not isinstance(pays, Mapping):
                raise InvalidSpecError(f"outcome {action!r} of {self.player!r} must map to {{player: payoff}}")
            if players is not None and set(pays) != players:
                raise InvalidSpecError(
                    f"outcome {action!r} gives payoffs to {sorted(pays)}, but another outcome to {sorted(players)}"
                )
            players = set(pays)
            cleaned[action] = {p: as_payoff(v, f"{p} after {self.player} chooses {action!r}") for p, v in pays.items()}
        if self.player not in (players or set()):
            raise InvalidSpecError(f"the outcomes must give the chooser {self.player!r} a payoff")
        object.__setattr__(self, "outcomes", cleaned)
        if self.private_type is not None and (
            not isinstance(self.private_type, tuple)
            or len(self.private_type) != 2
            or not isinstance(self.private_type[0], Parameter)
            or not isinstance(self.private_type[1], Distribution)
        ):
            raise InvalidSpecError(
                "private_type must be (parameter, distribution), e.g. (F, gg.uniform(0, Fbar)), "
                f"got {self.private_type!r}"
            )

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.outcomes)

    @property
    def players(self) -> tuple[str, ...]:
        return tuple(next(iter(self.outcomes.values())))

    @property
    def type_symbol(self) -> Parameter | None:
        return self.private_type[0] if self.private_type else None

    def __str__(self) -> str:
        what = f" with private type {self.type_symbol} ~ {self.private_type[1]}" if self.private_type else ""
        return f"{self.player} chooses one of {list(self.actions)}{what}"
