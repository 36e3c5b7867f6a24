"""Backward induction on game trees with symbolic payoffs and Nature's symbolic probabilities.

Solving a subtree gives a list of *plays*: each is optimal play below the node on a part
of the parameter space (its condition), with every player's payoff and the behaviour at
every information set below (off the path too). Then, bottom up:

* a leaf has one play, its payoffs, everywhere;
* at a chance node the children's plays are combined (one per child, conditions joined)
  and payoffs are expected values under Nature's probabilities;
* at a decision node of a player who observes the history, each combination of the
  children's plays gives one play per action, valid where that action pays at least as
  much as every other one (weak inequalities: on a tie both are optimal, and both kept);
* a simultaneous-move block (a node whose children form one information set of the next
  mover, and so on) is a normal-form game in the continuation payoffs: each pure profile
  is kept where no block player gains by deviating alone and, with two players, each
  mixed equilibrium of :meth:`gvcgames.NormalFormGame.mixed_equilibria` where it is valid.

Conditions are cleaned by :class:`gvcgames.Assumptions`; combinations whose conditions
contradict each other are dropped. By Kuhn's theorem every play found is subgame
perfect; every pure one is found.

References
----------
Kuhn, H. W. (1953). Extensive games and the problem of information. *Contributions to the
Theory of Games* II, 193-216.
Fudenberg, D. and Tirole, J. (1991). *Game Theory*, ch. 3 (backward induction, one-shot
deviation principle).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.budget import time_budget as limited
from gvcgames.errors import SymbolicTimeout, UnsupportedError
from gvcgames.results import BehaviourEquilibrium, DerivationLog, Solution
from gvcgames.solve.kkt import tidy
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.spec.tree import Chance, Decision, ExtensiveFormGame, Leaf, Node, Path, Tree, describe

METHOD = "backward induction on the game tree (subgame-perfect equilibria)"


@dataclass
class Play:
    """Optimal play below a node where ``condition`` holds."""

    condition: sp.Boolean
    payoffs: dict[str, sp.Expr]
    behaviour: dict[str, dict[str, sp.Expr]] = field(default_factory=dict)


def outcome_probabilities(tree: Tree, behaviour: Mapping[str, Mapping[str, sp.Expr]]) -> dict[str, sp.Expr]:
    """``Pr(player: action)`` over all of the player's nodes, and ``Pr(Nature: outcome)``, on the path."""
    out: dict[str, sp.Expr] = {}
    for path, node in tree.nodes():
        if isinstance(node, Leaf):
            continue
        reach = reach_probability(tree, path, behaviour)
        if isinstance(node, Chance):
            probs = node.probabilities
            name = node.name
        else:
            probs = dict(behaviour[tree.infoset_of(path).label])
            name = node.player
        for label, p in probs.items():
            key = f"Pr({name}: {label})"
            out[key] = out.get(key, sp.Integer(0)) + reach * p
    return {k: sp.factor_terms(sp.expand(v)) for k, v in out.items()}


def reach_probability(tree: Tree, path: Path, behaviour: Mapping[str, Mapping[str, sp.Expr]]) -> sp.Expr:
    """The probability that play reaches the node at ``path``."""
    prob: sp.Expr = sp.Integer(1)
    node: Node = tree.root
    for k, label in enumerate(path):
        if isinstance(node, Chance):
            prob *= node.probabilities[label]
        elif isinstance(node, Decision):
            prob *= behaviour[tree.infoset_of(path[:k]).label][label]
        node = node.children[label]  # type: ignore[union-attr]
    return prob


class _Backward:
    """Backward induction over one tree, with a cleaning context and a derivation log."""

    def __init__(self, tree: Tree, ctx: Assumptions, log: DerivationLog, budget: float | None):
        self.tree, self.ctx, self.log, self.budget = tree, ctx, log, budget

    def plays(self, node: Node, path: Path) -> list[Play]:
        if isinstance(node, Leaf):
            return [Play(sp.true, dict(node.payoffs))]
        if isinstance(node, Chance):
            return self._chance(node, path)
        info = self.tree.infoset_of(path)
        if len(info.paths) > 1:
            raise UnsupportedError(
                f"the information set {info.label!r} of {info.player} is not the second move of a simultaneous-move "
                "block (its nodes must be exactly the children of one node of another player); only such "
                "information sets are solved so far"
            )
        levels = self._block(node, path)
        if len(levels) > 1:
            return self._simultaneous(levels, path)
        return self._decision(node, path, info.label)

    # --- combining ----------------------------------------------------------------------

    def _combinations(self, parts: Sequence[list[Play]]) -> Iterable[tuple[sp.Boolean, tuple[Play, ...]]]:
        """Every choice of one play per part whose conditions can hold together."""
        for combo in itertools.product(*parts):
            cond = self.ctx.clean(sp.And(*(p.condition for p in combo)))
            if cond is not sp.false:
                yield cond, combo

    @staticmethod
    def _merged(combo: Iterable[Play]) -> dict[str, dict[str, sp.Expr]]:
        out: dict[str, dict[str, sp.Expr]] = {}
        for play in combo:
            out.update(play.behaviour)
        return out

    def _tidy(self, payoffs: Mapping[str, sp.Expr]) -> dict[str, sp.Expr]:
        return {p: tidy(sp.expand(v), self.budget) for p, v in payoffs.items()}

    # --- node kinds ---------------------------------------------------------------------

    def _chance(self, node: Chance, path: Path) -> list[Play]:
        labels = list(node.children)
        parts = [self.plays(node.children[k], (*path, k)) for k in labels]
        self.log.add(
            "substitute",
            f"{node.name} {describe(path)}: expected payoffs over {', '.join(labels)}",
            *(sp.Eq(sp.Symbol(f"Pr({k})"), node.probabilities[k]) for k in labels),
        )
        out = []
        for cond, combo in self._combinations(parts):
            players = combo[0].payoffs
            payoffs = {
                i: sum((node.probabilities[k] * play.payoffs[i] for k, play in zip(labels, combo, strict=True)), 0)
                for i in players
            }
            out.append(Play(cond, self._tidy(payoffs), self._merged(combo)))
        return out

    def _decision(self, node: Decision, path: Path, label: str) -> list[Play]:
        actions = list(node.children)
        parts = [self.plays(node.children[a], (*path, a)) for a in actions]
        out = []
        for cond, combo in self._combinations(parts):
            own = [play.payoffs[node.player] for play in combo]
            for k, action in enumerate(actions):
                best = sp.And(*(sp.Ge(own[k], own[j]) for j in range(len(actions)) if j != k))
                where = self.ctx.clean(sp.And(cond, best))
                if where is sp.false:
                    continue
                if best is not sp.true:
                    self.log.add("best_response", f"{label}: {action} is optimal where", best)
                behaviour = {**self._merged(combo), label: {a: sp.Integer(int(a == action)) for a in actions}}
                out.append(Play(where, dict(combo[k].payoffs), behaviour))
        return out

    def _block(self, node: Decision, path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
        """The levels ``(player, infoset, actions)`` of a simultaneous-move block rooted here."""
        first = self.tree.infoset_of(path)
        levels = [(node.player, first.label, node.actions)]
        frontier = [path]
        while True:
            below = [(*p, a) for p in frontier for a in levels[-1][2]]
            nodes = [self.tree.node(p) for p in below]
            if not all(isinstance(n, Decision) for n in nodes):
                return levels
            infos = {self.tree.infoset_of(p).label for p in below}
            if len(infos) != 1:
                return levels
            info = self.tree.infosets[infos.pop()]
            if set(info.paths) != set(below):
                return levels
            if info.player in [lv[0] for lv in levels]:
                raise UnsupportedError(
                    f"{info.player} moves twice in the simultaneous-move block {describe(path)} "
                    f"(information set {info.label!r}); a player moves at most once in a block"
                )
            levels.append((info.player, info.label, info.actions))
            frontier = below

    def _simultaneous(self, levels: list[tuple[str, str, tuple[str, ...]]], path: Path) -> list[Play]:
        players = [lv[0] for lv in levels]
        profiles = list(itertools.product(*(lv[2] for lv in levels)))
        parts = [self.plays(self.tree.node((*path, *prof)), (*path, *prof)) for prof in profiles]
        self.log.add(
            "note",
            f"Simultaneous moves {describe(path)}: {', '.join(players)} choose without observing each other; "
            "the block is a normal-form game in the continuation payoffs",
        )
        out = []
        for cond, combo in self._combinations(parts):
            table = {prof: play.payoffs for prof, play in zip(profiles, combo, strict=True)}
            merged = self._merged(combo)
            out += self._pure_profiles(levels, table, cond, merged)
            if len(levels) == 2:
                out += self._mixed_profiles(levels, table, cond, merged)
        return out

    def _pure_profiles(self, levels: Any, table: Any, cond: sp.Boolean, merged: dict) -> list[Play]:
        out = []
        for prof, pays in table.items():
            stable = []
            for i, (player, _, acts) in enumerate(levels):
                for alt in acts:
                    if alt != prof[i]:
                        dev = (*prof[:i], alt, *prof[i + 1 :])
                        stable.append(sp.Ge(pays[player], table[dev][player]))
            where = self.ctx.clean(sp.And(cond, *stable))
            if where is sp.false:
                continue
            behaviour = dict(merged)
            for (_, label, acts), a in zip(levels, prof, strict=True):
                behaviour[label] = {b: sp.Integer(int(b == a)) for b in acts}
            out.append(Play(where, dict(pays), behaviour))
        return out

    def _mixed_profiles(self, levels: Any, table: Any, cond: sp.Boolean, merged: dict) -> list[Play]:
        from gvcgames.spec.finite import NormalFormGame

        (p1, l1, a1), (p2, l2, a2) = levels
        # NormalFormGame takes parameters only: earlier continuous actions stand in as parameters.
        stand_in = {
            s: Parameter(f"{s.name}__history", s.domain)
            for pays in table.values()
            for v in pays.values()
            for s in v.free_symbols
            if isinstance(s, Action)
        }
        back = {v: k for k, v in stand_in.items()}
        payoffs = {
            (r, c): (table[(r, c)][p1].xreplace(stand_in), table[(r, c)][p2].xreplace(stand_in)) for r, c in table
        }
        try:
            block = NormalFormGame([p1, p2], [list(a1), list(a2)], payoffs, assumptions=self.ctx.relations)
            mixed = block.mixed_equilibria(time_budget=self.budget)
        except (UnsupportedError, SymbolicTimeout) as exc:
            self.log.add("note", f"mixed equilibria of the block were not derived: {exc}")
            return []
        out = []
        for eq in mixed:
            if eq.pure_profile is not None:
                continue
            s1 = {a: sp.sympify(p).xreplace(back) for a, p in eq[p1].items()}
            s2 = {a: sp.sympify(p).xreplace(back) for a, p in eq[p2].items()}
            where = self.ctx.clean(sp.And(cond, sp.sympify(eq.conditions).xreplace(back)))
            if where is sp.false:
                continue
            everyone = next(iter(table.values()))
            expected = {i: sum(s1[r] * s2[c] * table[(r, c)][i] for r, c in table) for i in everyone}
            behaviour = {**merged, l1: s1, l2: s2}
            out.append(Play(where, self._tidy(expected), behaviour))
        return out


def log_tree(tree: Tree, log: DerivationLog) -> None:
    """Record the tree: who moves where, Nature's probabilities, the payoffs at each leaf."""
    for path, node in tree.nodes():
        if isinstance(node, Leaf):
            log.add(
                "game", f"Payoffs {describe(path)}", *(sp.Eq(sp.Symbol(f"u_{p}"), v) for p, v in node.payoffs.items())
            )
        elif isinstance(node, Chance):
            probs = (sp.Eq(sp.Symbol(f"Pr({k})"), v) for k, v in node.probabilities.items())
            log.add("game", f"{node.name} draws {describe(path)}", *probs)
        else:
            info = tree.infoset_of(path)
            unseen = f" (information set {info.label!r})" if len(info.paths) > 1 else ""
            log.add("game", f"{node.player} chooses one of {', '.join(node.actions)} {describe(path)}{unseen}")


def tree_plays(tree: Tree, ctx: Assumptions, log: DerivationLog, budget: float | None) -> list[Play]:
    """Every subgame-perfect play of the tree, each with the region where it is optimal."""
    plays = _Backward(tree, ctx, log, budget).plays(tree.root, ())
    if tree.conditions is not sp.true:
        log.add("conditions", "Nature's probabilities must be probabilities", tree.conditions)
        for play in plays:
            play.condition = ctx.clean(sp.And(play.condition, tree.conditions))
        plays = [p for p in plays if p.condition is not sp.false]
    return plays


def play_label(tree: Tree, behaviour: Mapping[str, Mapping[str, sp.Expr]]) -> tuple[str, frozenset[str]]:
    """``"E: in; I after in: accommodate"`` for the moves on the path, and the on-path information sets."""
    parts, on_path = [], set()
    for label, info in tree.infosets.items():
        reach = sum((reach_probability(tree, p, behaviour) for p in info.paths), sp.Integer(0))
        if sp.simplify(reach) == 0:
            continue
        on_path.add(label)
        probs = behaviour[label]
        played = [a for a, p in probs.items() if p != 0]
        move = played[0] if len(played) == 1 and probs[played[0]] == 1 else "mixed " + "/".join(played)
        name = label if label.startswith(info.player) else f"{info.player} [{label}]"
        parts.append(f"{name.replace(' at the root', '')}: {move}")
    return "; ".join(parts), frozenset(on_path)


def solve_tree(game: ExtensiveFormGame, time_budget: float | None = None) -> Solution:
    """Subgame-perfect equilibria of an extensive-form game.

    Returns
    -------
    Solution
        One :class:`~gvcgames.results.BehaviourEquilibrium` per play, with its region;
        ``converged=False`` if a symbolic step ran out of time.
    """
    ctx = Assumptions(game.assumptions.relations, time_budget)
    log = DerivationLog()
    log.add("game", f"Game tree{' ' + game.name if game.name else ''}: players {', '.join(game.players)}")
    log_tree(game.tree, log)
    if game.parameters:
        log.add("game", "Parameter domains", *(sp.Contains(s, s.domain, evaluate=False) for s in game.parameters))
    if game.assumptions.relations:
        log.add("game", "Assumptions on parameters", *game.assumptions.relations)
    try:
        with limited(time_budget, "backward induction on the tree"):
            plays = tree_plays(game.tree, ctx, log, time_budget)
    except SymbolicTimeout as exc:
        return Solution(game, [], METHOD, False, f"gave up: {exc}", log.freeze())
    shared = log.freeze()
    equilibria = []
    order = list(game.tree.infosets)
    for play in plays:
        play.behaviour = {label: play.behaviour[label] for label in order}
        case, on_path = play_label(game.tree, play.behaviour)
        equilibria.append(
            BehaviourEquilibrium(
                behaviour=play.behaviour,
                players_of={label: info.player for label, info in game.tree.infosets.items()},
                payoffs=play.payoffs,
                conditions=play.condition,
                method=METHOD,
                derivation=shared,
                case=case,
                game=game,
                outcomes=outcome_probabilities(game.tree, play.behaviour),
                on_path=on_path,
            )
        )
    message = f"{len(equilibria)} subgame-perfect equilibri{'um' if len(equilibria) == 1 else 'a'}"
    return Solution(game, equilibria, METHOD, True, message, shared)
