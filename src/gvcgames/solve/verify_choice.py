"""Numeric check of sequential games that end in a discrete choice with a private type.

The final choice is played optimally type by type, numerically: the chooser's gain from
each action is evaluated over the type's support, the switching points are found with
``brentq``, and each player's expected payoff is integrated with ``scipy.integrate.quad``
over the intervals where each action is chosen. Nothing here uses the symbolic threshold,
so the check is independent of the derivation. Earlier movers are then checked by
one-shot deviations against this numeric continuation.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp
from scipy import integrate, optimize, stats

from gvcgames.results import Equilibrium
from gvcgames.spec.uncertainty import Choice, Distribution


def scalar_pdf(dist: Distribution, numbers: Mapping[sp.Symbol, float]) -> Any:
    """The density as a plain float function (quad calls it thousands of times; scipy.stats' is slow per call)."""
    params = [float(sp.sympify(p).subs(numbers)) for p in dist.params]
    if dist.name == "uniform":
        lo, hi = params
        return lambda t: 1.0 / (hi - lo) if lo <= t <= hi else 0.0
    if dist.name == "normal":
        mu, sd = params
        return lambda t: math.exp(-0.5 * ((t - mu) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))
    if dist.name == "logistic":
        loc, scale = params

        def logistic(t: float) -> float:
            z = math.exp(-abs(t - loc) / scale)  # symmetric: no overflow in either tail
            return z / (scale * (1 + z) ** 2)

        return logistic
    (rate,) = params
    return lambda t: rate * math.exp(-rate * t) if t >= 0 else 0.0


def scipy_distribution(dist: Distribution, numbers: Mapping[sp.Symbol, float]) -> Any:
    """The frozen scipy.stats distribution of ``dist`` at parameter values."""
    params = [float(sp.sympify(p).subs(numbers)) for p in dist.params]
    if dist.name == "uniform":
        return stats.uniform(loc=params[0], scale=params[1] - params[0])
    if dist.name == "normal":
        return stats.norm(loc=params[0], scale=params[1])
    if dist.name == "logistic":
        return stats.logistic(loc=params[0], scale=params[1])
    return stats.expon(scale=1 / params[0])


class ChoiceLottery:
    """Expected payoffs of the final choice at fixed continuous actions (numeric)."""

    def __init__(self, choice: Choice, numbers: Mapping[sp.Symbol, float], actions: list[sp.Symbol]):
        self.choice = choice
        self.actions = actions
        T = choice.type_symbol
        args = [*actions] + ([T] if T is not None else [])
        self.funcs = {
            a: {p: sp.lambdify(args, sp.sympify(u).subs(numbers), "numpy") for p, u in pays.items()}
            for a, pays in choice.outcomes.items()
        }
        self.dist = scipy_distribution(choice.private_type[1], numbers) if choice.private_type else None
        self.pdf = scalar_pdf(choice.private_type[1], numbers) if choice.private_type else None

    def _u(self, action: str, player: str, x: list[float], t: float | None = None) -> float:
        args = [*x] + ([t] if t is not None else [])
        return float(self.funcs[action][player](*args))

    def evaluate(self, profile: Mapping[sp.Symbol, float]) -> tuple[dict[str, float], dict[str, float]]:
        """(expected payoff by player, probability by action) at the continuous profile."""
        x = [profile[a] for a in self.actions]
        chooser, acts = self.choice.player, self.choice.actions
        if self.dist is None:
            best = max(acts, key=lambda a: self._u(a, chooser, x))
            payoffs = {p: self._u(best, p, x) for p in self.choice.players}
            return payoffs, {a: float(a == best) for a in acts}
        lo, hi = self.dist.support()
        lo = lo if np.isfinite(lo) else self.dist.ppf(1e-12)
        hi = hi if np.isfinite(hi) else self.dist.ppf(1 - 1e-12)
        grid = np.linspace(lo, hi, 201)

        def best_at(t: float) -> str:
            return max(acts, key=lambda a: self._u(a, chooser, x, t))

        cuts = [lo]
        for t0, t1 in itertools.pairwise(grid):
            a0, a1 = best_at(t0), best_at(t1)
            if a0 != a1:

                def gain(t: float, a0: str = a0, a1: str = a1) -> float:
                    return self._u(a1, chooser, x, t) - self._u(a0, chooser, x, t)

                cuts.append(optimize.brentq(gain, t0, t1))
        cuts.append(hi)
        payoffs = dict.fromkeys(self.choice.players, 0.0)
        probs = dict.fromkeys(acts, 0.0)
        for left, right in itertools.pairwise(cuts):
            if right <= left:
                continue
            action = best_at((left + right) / 2)
            mass = float(self.dist.cdf(right) - self.dist.cdf(left))
            probs[action] += mass
            for p in self.choice.players:
                value, _ = integrate.quad(
                    lambda t, p=p, action=action: self._u(action, p, x, t) * self.pdf(t), left, right
                )
                payoffs[p] += value
        # tails beyond the numeric support window carry at most 2e-12 of mass
        return payoffs, probs

    def outcome_probabilities(self, profile: Mapping[sp.Symbol, float]) -> dict[str, float]:
        """``{"Pr(chooser: action)": probability}`` at the continuous profile."""
        _, probs = self.evaluate(profile)
        return {f"Pr({self.choice.player}: {a})": p for a, p in probs.items()}


def lottery_for(game: Any, numbers: Mapping[sp.Symbol, float], actions: list[sp.Symbol]) -> Any:
    """The numeric continuation of a sequential game's final discrete stage (a choice or a tree)."""
    if isinstance(game.choice, Choice):
        return ChoiceLottery(game.choice, numbers, actions)
    from gvcgames.solve.verify_tree import TreeLottery

    return TreeLottery(game.choice, numbers, actions)


def check_choice_game(game: Any, eq: Any, point: Mapping[sp.Symbol, float], search: Any, tol: float) -> Any:
    """Deviations of the continuous movers against numerically optimal final choices."""
    from gvcgames.solve.verify import Deviation, _maximise

    actions = list(game.actions)
    lottery = lottery_for(game, search.numbers, actions)
    policies = {}
    if isinstance(eq, Equilibrium):
        policies = {a: sp.sympify(v).subs(search.numbers) for a, v in eq.policies.items() if a in actions}
    deviations, failures = [], []
    for k, stage in enumerate(game.stages):
        later = [a for s in game.stages[k + 1 :] for a in s.actions]
        missing = [a for a in later if a not in policies]
        if missing:
            failures.append(f"no policies for {missing}: pass the Equilibrium to check stage {k + 1}")
            continue

        def value(xs: np.ndarray, stage=stage, later=later) -> float:
            profile = {**point, **dict(zip(stage.actions, map(float, np.atleast_1d(xs)), strict=True))}
            for a in later:
                profile[a] = float(policies[a].subs(profile))
            return lottery.evaluate(profile)[0][stage.name]

        box = search.box(stage.actions, point)
        start = np.array([point[a] for a in stage.actions], dtype=float)
        best_x, best_v = _maximise(value, lambda pts: np.array([value(p) for p in pts]), box, start, search, 101, 1)
        current = float(value(start))
        deviations.append(
            Deviation(
                f"stage {k + 1} ({stage.name})",
                {a: point[a] for a in stage.actions},
                dict(zip(stage.actions, map(float, best_x), strict=True)),
                current,
                max(best_v, current),
            )
        )
    if isinstance(eq, Equilibrium) and eq.outcomes:
        for key, numeric in lottery.outcome_probabilities(point).items():
            if key in eq.outcomes:
                stated = float(sp.sympify(eq.outcomes[key]).subs(search.numbers))
                if abs(stated - numeric) > 1e-6:
                    failures.append(f"{key} is {stated:.8g} in the equilibrium but {numeric:.8g} numerically")
    return tuple(deviations), failures
