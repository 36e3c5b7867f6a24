"""Numeric checks of game trees: one-shot deviations at every information set.

By the one-shot deviation principle (Fudenberg and Tirole 1991, Thm. 4.2) a behaviour
profile of a finite game is subgame perfect iff no player gains by changing the action
at one information set, the rest of the profile fixed. Here every payoff and probability
is a number; values of subtrees are computed bottom up under the profile; at an
information set with several nodes the player weighs them by the probability of reaching
each from their common ancestor under the profile (a simultaneous move: the other
player's mixture). Nothing here uses the symbolic derivation.

:class:`TreeLottery` plays a tree that ends a :class:`~gvcgames.SequentialGame`
optimally, numerically, at given earlier actions: what the earlier movers expect.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.errors import InvalidValuesError, UnsupportedError
from gvcgames.results import BehaviourEquilibrium
from gvcgames.solve.verify import EquilibriumCheck
from gvcgames.spec.tree import Chance, Decision, Leaf, Node, Path, Tree, describe

METHOD = "one-shot deviations at every information set, values computed numerically under the profile"


@dataclass(frozen=True)
class InfosetDeviation:
    """The best one-shot deviation at one information set."""

    player: str
    infoset: str
    current: Mapping[str, float]
    best: str
    payoff: float
    best_payoff: float

    @property
    def gain(self) -> float:
        return self.best_payoff - self.payoff

    def __str__(self) -> str:
        mix = ", ".join(f"{a}: {p:.4g}" for a, p in self.current.items() if p > 0)
        return (
            f"{self.player} at {self.infoset!r}: playing {mix} gives {self.payoff:.8g}; "
            f"{self.best!r} gives {self.best_payoff:.8g} (gain {self.gain:.3g})"
        )


@dataclass(frozen=True)
class NumericTree:
    """A tree's structure with every payoff and probability a float, by path."""

    tree: Tree
    payoffs: Mapping[Path, Mapping[str, float]]
    probabilities: Mapping[Path, Mapping[str, float]]


class CompiledTree:
    """The tree's payoffs and probabilities compiled once as functions of some symbols."""

    def __init__(self, tree: Tree, args: list[sp.Symbol]):
        self.tree, self.args = tree, list(args)
        self._leaves = {
            path: {p: sp.lambdify(self.args, v, "math") for p, v in node.payoffs.items()}
            for path, node in tree.nodes()
            if isinstance(node, Leaf)
        }
        self._chances = {
            path: {k: sp.lambdify(self.args, v, "math") for k, v in node.probabilities.items()}
            for path, node in tree.nodes()
            if isinstance(node, Chance)
        }

    def at(self, values: Mapping[sp.Symbol, float]) -> NumericTree:
        missing = [str(a) for a in self.args if a not in values]
        if missing:
            raise InvalidValuesError(f"values are missing for {missing} in the tree")
        x = [float(values[a]) for a in self.args]

        def run(f: Any, where: str) -> float:
            try:
                out = complex(f(*x))
            except (ValueError, ZeroDivisionError, OverflowError) as exc:
                raise InvalidValuesError(f"{where} cannot be evaluated at these values: {exc}") from exc
            if abs(out.imag) > 1e-12 * (1 + abs(out.real)) or not np.isfinite(out.real):
                raise InvalidValuesError(f"{where} is not a finite real number at these values ({out})")
            return out.real

        payoffs = {
            path: {p: run(f, f"{p}'s payoff {describe(path)}") for p, f in funcs.items()}
            for path, funcs in self._leaves.items()
        }
        probs = {
            path: {k: run(f, f"the probability of {k!r} {describe(path)}") for k, f in funcs.items()}
            for path, funcs in self._chances.items()
        }
        for path, dist in probs.items():
            if min(dist.values()) < -1e-12 or abs(sum(dist.values()) - 1) > 1e-9:
                raise InvalidValuesError(f"Nature's probabilities {describe(path)} are {dist} at these values")
        return NumericTree(self.tree, payoffs, probs)


def numeric_tree(tree: Tree, numbers: Mapping[sp.Symbol, float]) -> NumericTree:
    """The tree at parameter values (every symbol must have a value)."""
    return CompiledTree(tree, sorted(tree.symbols, key=str)).at(numbers)


def _behaviour(tree: Tree, profile: Any, numbers: Mapping[sp.Symbol, float]) -> dict[str, dict[str, float]]:
    """Numeric behaviour at every information set from an equilibrium or ``{infoset: action or mixture}``."""
    source = profile.behaviour if isinstance(profile, BehaviourEquilibrium) else profile
    if not isinstance(source, Mapping):
        raise InvalidValuesError(
            f"profile must be a BehaviourEquilibrium or {{information set: action or {{action: probability}}}}, "
            f"got {type(profile).__name__}"
        )
    unknown = [k for k in source if k not in tree.infosets]
    if unknown:
        raise InvalidValuesError(f"no information sets {unknown}; the tree has {list(tree.infosets)}")
    out = {}
    for label, info in tree.infosets.items():
        if label not in source:
            raise InvalidValuesError(f"the profile says nothing about the information set {label!r}")
        move = source[label]
        probs = (
            {move: 1.0} if isinstance(move, str) else {a: float(sp.sympify(p).subs(numbers)) for a, p in move.items()}
        )
        bad = [a for a in probs if a not in info.actions]
        if bad:
            raise InvalidValuesError(f"{bad} are not actions at {label!r}; actions: {list(info.actions)}")
        out[label] = {a: probs.get(a, 0.0) for a in info.actions}
    return out


class _Values:
    """Values of subtrees of a numeric tree under a numeric behaviour profile (memoised by path)."""

    def __init__(self, numeric: NumericTree, behaviour: Mapping[str, Mapping[str, float]]):
        self.numeric, self.tree, self.behaviour = numeric, numeric.tree, behaviour
        self._memo: dict[Path, dict[str, float]] = {}

    def at(self, path: Path) -> dict[str, float]:
        if path not in self._memo:
            self._memo[path] = self._compute(self.tree.node(path), path)
        return self._memo[path]

    def _compute(self, node: Node, path: Path) -> dict[str, float]:
        if isinstance(node, Leaf):
            return dict(self.numeric.payoffs[path])
        if isinstance(node, Chance):
            weights = dict(self.numeric.probabilities[path])
        else:
            weights = dict(self.behaviour[self.tree.infoset_of(path).label])
        total: dict[str, float] = {}
        for label, w in weights.items():
            if w == 0:
                continue
            for player, v in self.at((*path, label)).items():
                total[player] = total.get(player, 0.0) + w * v
        return total or {p: 0.0 for p in self.tree.players}

    def reach(self, start: Path, path: Path) -> float:
        """Probability of reaching ``path`` from ``start`` (a prefix of it) under the profile."""
        prob, node = 1.0, self.tree.node(start)
        for k in range(len(start), len(path)):
            label = path[k]
            if isinstance(node, Chance):
                prob *= self.numeric.probabilities[path[:k]][label]
            elif isinstance(node, Decision):
                prob *= self.behaviour[self.tree.infoset_of(path[:k]).label][label]
            node = node.children[label]  # type: ignore[union-attr]
        return prob


def _common_prefix(paths: tuple[Path, ...]) -> Path:
    out: list[str] = []
    for labels in zip(*paths, strict=False):
        if len(set(labels)) != 1:
            break
        out.append(labels[0])
    return tuple(out)


def infoset_deviations(numeric: NumericTree, behaviour: Mapping[str, Mapping[str, float]]) -> list[InfosetDeviation]:
    """The best one-shot deviation at every information set."""
    tree = numeric.tree
    values = _Values(numeric, behaviour)
    out = []
    for label, info in tree.infosets.items():
        start = _common_prefix(info.paths) if len(info.paths) > 1 else info.paths[0]
        weights = np.array([values.reach(start, p) for p in info.paths])
        if weights.sum() <= 0:
            weights = np.ones(len(info.paths))
        weights = weights / weights.sum()
        by_action = {
            a: float(sum(w * values.at((*p, a))[info.player] for w, p in zip(weights, info.paths, strict=True)))
            for a in info.actions
        }
        current = float(sum(behaviour[label][a] * v for a, v in by_action.items()))
        best = max(by_action, key=by_action.__getitem__)
        out.append(InfosetDeviation(info.player, label, dict(behaviour[label]), best, current, by_action[best]))
    return out


def check_tree(game: Any, profile: Any, numbers: Mapping[sp.Symbol, float], tol: float) -> EquilibriumCheck:
    """:func:`gvcgames.is_equilibrium` for an :class:`~gvcgames.ExtensiveFormGame`."""
    numeric = numeric_tree(game.tree, numbers)
    behaviour = _behaviour(game.tree, profile, numbers)
    failures = []
    for label, probs in behaviour.items():
        if min(probs.values()) < -tol or abs(sum(probs.values()) - 1) > 1e-9 + tol:
            failures.append(f"the behaviour at {label!r} is not a probability distribution: {probs}")
    deviations = infoset_deviations(numeric, behaviour) if not failures else []
    bad = [d for d in deviations if d.gain > tol * (1 + abs(d.payoff))]
    conditions_hold = None
    if isinstance(profile, BehaviourEquilibrium):
        conditions_hold = profile.holds_at(numbers)
        root = _Values(numeric, behaviour).at(())
        for player, stated in profile.payoffs.items():
            number = float(sp.sympify(stated).subs(numbers))
            if abs(number - root[player]) > 1e-7 * (1 + abs(root[player])):
                failures.append(f"{player}'s payoff is {number:.8g} in the equilibrium but {root[player]:.8g} in play")
    return EquilibriumCheck(
        ok=not bad and not failures,
        deviations=tuple(deviations),  # type: ignore[arg-type]
        tolerance=tol,
        method=METHOD,
        conditions_hold=conditions_hold,
        failures=tuple(failures),
    )


class TreeLottery:
    """Optimal play of a tree that ends a sequential game, at numeric earlier actions.

    Decision nodes pick the best action (the first on a tie, which pays the same to the
    chooser; ties that matter to others are exactly the boundaries of the symbolic
    regions). A simultaneous-move block is played at its pure equilibrium when it has
    exactly one; otherwise which equilibrium is played is a selection the check cannot
    make, and it says so.
    """

    def __init__(self, tree: Tree, numbers: Mapping[sp.Symbol, float], actions: list[sp.Symbol]):
        self.tree, self.actions = tree, list(actions)
        fixed = {s: sp.Float(v) for s, v in numbers.items()}
        self.compiled = CompiledTree(tree.map(lambda e: e.xreplace(fixed)), self.actions)

    def outcome_probabilities(self, profile: Mapping[sp.Symbol, float]) -> dict[str, float]:
        return self.evaluate(profile)[1]

    def evaluate(self, profile: Mapping[sp.Symbol, float]) -> tuple[dict[str, float], dict[str, float]]:
        """(expected payoff by player, outcome probabilities such as ``Pr(L: relocate)``)."""
        numeric = self.compiled.at(profile)
        tree = numeric.tree
        behaviour = self._optimal(numeric)
        values = _Values(numeric, behaviour)
        payoffs = values.at(())
        probs: dict[str, float] = {}
        for path, node in tree.nodes():
            if isinstance(node, Leaf):
                continue
            reach = values.reach((), path)
            if isinstance(node, Chance):
                name, weights = node.name, dict(numeric.probabilities[path])
            else:
                name, weights = node.player, behaviour[tree.infoset_of(path).label]
            for label, w in weights.items():
                key = f"Pr({name}: {label})"
                probs[key] = probs.get(key, 0.0) + reach * w
        return payoffs, probs

    def _optimal(self, numeric: NumericTree) -> dict[str, dict[str, float]]:
        tree = numeric.tree
        behaviour: dict[str, dict[str, float]] = {}
        # Decide information sets bottom up: deeper paths first.
        order = sorted(tree.infosets.values(), key=lambda info: -max(len(p) for p in info.paths))
        done: set[str] = set()
        for info in order:
            if info.label in done:
                continue
            if len(info.paths) == 1:
                values = _Values(numeric, _fill(tree, behaviour))
                by_action = {a: values.at((*info.paths[0], a))[info.player] for a in info.actions}
                best = max(info.actions, key=by_action.__getitem__)
                behaviour[info.label] = {a: float(a == best) for a in info.actions}
                done.add(info.label)
                continue
            self._block(numeric, info, behaviour, done)
        return behaviour

    def _block(self, numeric: NumericTree, second: Any, behaviour: dict, done: set[str]) -> None:
        tree = numeric.tree
        root = _common_prefix(second.paths)
        first = tree.infoset_of(root)
        levels = [first, second]
        profiles = list(itertools.product(first.actions, second.actions))
        stable = []
        for prof in profiles:
            trial = {**_fill(tree, behaviour)}
            for info, a in zip(levels, prof, strict=True):
                trial[info.label] = {b: float(b == a) for b in info.actions}
            devs = infoset_deviations(numeric, trial)
            if all(d.gain <= 1e-12 * (1 + abs(d.payoff)) for d in devs if d.infoset in (first.label, second.label)):
                stable.append(prof)
        if len(stable) != 1:
            raise UnsupportedError(
                f"the simultaneous-move block {describe(root)} has {len(stable)} pure equilibria at these values; "
                "which one is played is a selection this check cannot make"
            )
        for info, a in zip(levels, stable[0], strict=True):
            behaviour[info.label] = {b: float(b == a) for b in info.actions}
            done.add(info.label)


def _fill(tree: Tree, behaviour: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """``behaviour`` with a placeholder (first action) where nothing is decided yet."""
    return {
        label: dict(behaviour[label]) if label in behaviour else {a: float(k == 0) for k, a in enumerate(info.actions)}
        for label, info in tree.infosets.items()
    }
