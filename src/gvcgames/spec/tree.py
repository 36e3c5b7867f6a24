"""Extensive-form games: decision nodes, Nature's chance nodes and information sets.

Definitions
-----------
A game tree has *decision nodes* (a player picks one of finitely many actions), *chance
nodes* (Nature draws an outcome with given, possibly symbolic, probabilities) and
*leaves* (every player's payoff). An *information set* groups decision nodes of one
player that the player cannot tell apart; they must offer the same actions. A node that
names no information set is a singleton: its player observes everything before it.

A behaviour strategy gives, at each information set of a player, a probability over its
actions. A subgame-perfect equilibrium (SPE) is a profile of behaviour strategies that
is a Nash equilibrium of every subgame (Selten 1975); with perfect information it is
found by backward induction (Kuhn 1953). Simultaneous moves are written, as in Gambit,
as a node of the first mover whose children form one information set of the second.

The tree can be a game of its own (:class:`ExtensiveFormGame`) or the last stage of a
:class:`~gvcgames.SequentialGame`, after continuous choices: its payoffs and Nature's
probabilities may then depend on the earlier actions (a continuous investment followed by
a shock and a discrete relocate/stay choice).

Following sympy.stats' ``_value_check``, a probability is rejected only when it is
provably outside ``[0, 1]`` (or a node's probabilities provably do not sum to one);
undecided requirements are kept in :attr:`Tree.conditions` and become part of every
equilibrium's region.

References
----------
Kuhn, H. W. (1953). Extensive games and the problem of information. *Contributions to the
Theory of Games* II, 193-216.
Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in
extensive games. *International Journal of Game Theory* 4, 25-55.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sympy as sp

from gvcgames.errors import InvalidSpecError, UnknownSymbolError
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.games import _as_assumptions, as_payoff
from gvcgames.spec.symbols import Action, Parameter

if TYPE_CHECKING:
    from gvcgames.results import Solution

Path = tuple[str, ...]


@dataclass(frozen=True)
class Leaf:
    """An end of the game: every player's payoff."""

    payoffs: Mapping[str, sp.Expr]


@dataclass(frozen=True)
class Decision:
    """A player picks one of finitely many actions.

    Parameters
    ----------
    player : str
        Who moves.
    children : mapping
        ``{action: node}``; a node is a :class:`Decision`, a :class:`Chance` or a leaf
        ``{player: payoff}``.
    infoset : str, optional
        Label of the information set; nodes sharing it cannot be told apart by ``player``.
    """

    player: str
    children: Mapping[str, Node]
    infoset: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.player, str) or not self.player:
            raise InvalidSpecError(f"a decision node needs a player named by a non-empty string, got {self.player!r}")
        if not isinstance(self.children, Mapping) or not self.children:
            raise InvalidSpecError(
                f"{self.player!r}'s decision node needs at least one action as {{action: node}}, got {self.children!r}"
            )
        object.__setattr__(self, "children", _children(self.children, f"{self.player}'s move"))
        if self.infoset is not None and (not isinstance(self.infoset, str) or not self.infoset):
            raise InvalidSpecError(f"an information set is labelled by a non-empty string, got {self.infoset!r}")

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.children)


@dataclass(frozen=True)
class Chance:
    """Nature draws an outcome.

    Parameters
    ----------
    outcomes : mapping
        ``{label: (probability, node)}``; probabilities are sympy expressions in the
        parameters (and earlier continuous actions).
    name : str
        How Nature's draw is called in outcomes such as ``"Pr(Nature: shock)"``.
    """

    outcomes: Mapping[str, tuple[Any, Node]]
    name: str = "Nature"

    def __post_init__(self) -> None:
        if not isinstance(self.outcomes, Mapping) or not self.outcomes:
            raise InvalidSpecError(
                f"a chance node needs at least one outcome as {{label: (probability, node)}}, got {self.outcomes!r}"
            )
        probs, nodes = {}, {}
        for label, entry in self.outcomes.items():
            if not isinstance(entry, (tuple, list)) or len(entry) != 2:
                raise InvalidSpecError(f"outcome {label!r} of {self.name} must be (probability, node), got {entry!r}")
            probs[label] = as_payoff(entry[0], f"the probability of {self.name}'s outcome {label!r}")
            nodes[label] = entry[1]
        nodes = _children(nodes, f"{self.name}'s draw")
        object.__setattr__(self, "outcomes", {k: (probs[k], nodes[k]) for k in probs})
        ctx = Assumptions()
        for label, p in probs.items():
            if ctx.decide(sp.And(p >= 0, p <= 1)) is False:
                raise InvalidSpecError(
                    f"the probability {p} of {self.name}'s outcome {label!r} is provably outside [0, 1]"
                )
        total = sp.simplify(sum(probs.values()))
        if ctx.decide(sp.Eq(total, 1)) is False:
            raise InvalidSpecError(
                f"the probabilities of {self.name}'s outcomes {list(probs)} sum to {total}, which is provably not 1"
            )

    @property
    def probabilities(self) -> dict[str, sp.Expr]:
        return {k: v[0] for k, v in self.outcomes.items()}

    @property
    def children(self) -> dict[str, Node]:
        return {k: v[1] for k, v in self.outcomes.items()}


Node = Decision | Chance | Leaf


def _children(children: Mapping[str, Any], owner: str) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for label, child in children.items():
        if not isinstance(label, str) or not label:
            raise InvalidSpecError(f"labels of {owner} must be non-empty strings, got {label!r}")
        out[label] = _as_node(child, f"{owner} {label!r}")
    return out


def _as_node(child: Any, where: str) -> Node:
    if isinstance(child, (Decision, Chance, Leaf)):
        return child
    if isinstance(child, Mapping):
        if not child:
            raise InvalidSpecError(f"the leaf after {where} gives no payoffs; give {{player: payoff}}")
        pays = {}
        for player, value in child.items():
            if not isinstance(player, str) or not player:
                raise InvalidSpecError(f"the leaf after {where} names a player by {player!r}, not a string")
            pays[player] = as_payoff(value, f"{player} after {where}")
        return Leaf(pays)
    raise InvalidSpecError(
        f"after {where} comes {child!r} ({type(child).__name__}); expected gg.Decision, gg.Chance or a leaf "
        "{player: payoff}"
    )


@dataclass(frozen=True)
class InfoSet:
    """An information set: its label, player, actions and the paths of its nodes."""

    label: str
    player: str
    actions: tuple[str, ...]
    paths: tuple[Path, ...]


def describe(path: Path) -> str:
    """``()`` -> ``"at the root"``; ``("shock", "stay")`` -> ``"after shock, stay"``."""
    return "at the root" if not path else "after " + ", ".join(path)


@dataclass(frozen=True)
class Tree:
    """A validated game tree: nodes by path, information sets, players and conditions.

    Parameters
    ----------
    root : Decision or Chance
        The first move.

    Attributes
    ----------
    players : tuple of str
        Every player with a payoff, decision-makers first in order of appearance.
    infosets : dict
        Label -> :class:`InfoSet`; a singleton's label is ``"PLAYER at the root"`` or
        ``"PLAYER after a, b"``.
    conditions : sympy Boolean
        Probability requirements that could not be decided (``0 <= p <= 1``, sums of one).
    """

    root: Node
    players: tuple[str, ...] = field(init=False)
    infosets: Mapping[str, InfoSet] = field(init=False)
    conditions: sp.Boolean = field(init=False)

    def __post_init__(self) -> None:
        if isinstance(self.root, Leaf) or not isinstance(self.root, (Decision, Chance)):
            raise InvalidSpecError(
                f"a game tree starts with gg.Decision or gg.Chance, got {type(self.root).__name__}; "
                "a game that is over before anyone moves has no equilibrium to find"
            )
        movers: list[str] = []
        payees: set[str] | None = None
        sets: dict[str, list[tuple[Path, Decision]]] = {}
        requirements: list[sp.Boolean] = []
        for path, node in self.nodes():
            if isinstance(node, Leaf):
                if payees is not None and set(node.payoffs) != payees:
                    raise InvalidSpecError(
                        f"the leaf {describe(path)} pays {sorted(node.payoffs)}, another leaf pays {sorted(payees)}; "
                        "every leaf must give every player a payoff"
                    )
                payees = set(node.payoffs)
            elif isinstance(node, Decision):
                if node.player not in movers:
                    movers.append(node.player)
                sets.setdefault(node.infoset or f"{node.player} {describe(path)}", []).append((path, node))
            else:
                for p in node.probabilities.values():
                    requirements += [p >= 0, p <= 1]
                requirements.append(sp.Eq(sp.simplify(sum(node.probabilities.values())), 1))
        missing = [p for p in movers if p not in (payees or set())]
        if missing:
            raise InvalidSpecError(f"the leaves give no payoff to {missing}, who move in the tree")
        infosets = {}
        for label, members in sets.items():
            first = members[0][1]
            for path, node in members[1:]:
                if node.player != first.player or node.actions != first.actions:
                    raise InvalidSpecError(
                        f"information set {label!r} mixes {first.player!r} with actions {list(first.actions)} and "
                        f"{node.player!r} with actions {list(node.actions)} ({describe(path)}); the nodes of one "
                        "information set belong to one player and offer the same actions"
                    )
            infosets[label] = InfoSet(label, first.player, first.actions, tuple(p for p, _ in members))
        ctx = Assumptions()
        kept = [r for r in requirements if ctx.decide(r) is not True]
        object.__setattr__(self, "players", tuple(movers) + tuple(sorted((payees or set()) - set(movers))))
        object.__setattr__(self, "infosets", infosets)
        object.__setattr__(self, "conditions", sp.And(*kept))

    def nodes(self, node: Node | None = None, path: Path = ()) -> Iterator[tuple[Path, Node]]:
        """Every node with its path from the root, depth first."""
        node = self.root if node is None else node
        yield path, node
        if not isinstance(node, Leaf):
            for label, child in node.children.items():
                yield from self.nodes(child, (*path, label))

    def node(self, path: Path) -> Node:
        node = self.root
        for label in path:
            if isinstance(node, Leaf) or label not in node.children:
                raise KeyError(f"no node {describe(path)}")
            node = node.children[label]
        return node

    def infoset_of(self, path: Path) -> InfoSet:
        for info in self.infosets.values():
            if path in info.paths:
                return info
        raise KeyError(f"no decision node {describe(path)}")

    @property
    def symbols(self) -> set[sp.Symbol]:
        """Every symbol in payoffs and probabilities."""
        out: set[sp.Symbol] = set()
        for _, node in self.nodes():
            if isinstance(node, Leaf):
                for v in node.payoffs.values():
                    out |= v.free_symbols
            elif isinstance(node, Chance):
                for p in node.probabilities.values():
                    out |= p.free_symbols
        return out

    def map(self, func: Any) -> Tree:
        """A copy with ``func`` applied to every payoff and probability (e.g. a substitution)."""
        return Tree(_map_node(self.root, func))

    def __str__(self) -> str:
        lines: list[str] = []
        for path, node in self.nodes():
            pad = "  " * len(path)
            head = f"{path[-1]}: " if path else ""
            if isinstance(node, Leaf):
                lines.append(pad + head + ", ".join(f"{p}: {sp.sstr(v)}" for p, v in node.payoffs.items()))
            elif isinstance(node, Chance):
                lines.append(pad + head + f"{node.name} draws")
            else:
                info = f" [{node.infoset}]" if node.infoset else ""
                lines.append(pad + head + f"{node.player} chooses{info}")
        return "\n".join(lines)


def _map_node(node: Node, func: Any) -> Node:
    if isinstance(node, Leaf):
        return Leaf({p: func(v) for p, v in node.payoffs.items()})
    if isinstance(node, Chance):
        return Chance({k: (func(p), _map_node(c, func)) for k, (p, c) in node.outcomes.items()}, node.name)
    return Decision(node.player, {k: _map_node(c, func) for k, c in node.children.items()}, node.infoset)


def as_tree(value: Any) -> Tree:
    """A :class:`Tree` from a root node (or a tree)."""
    return value if isinstance(value, Tree) else Tree(value)


@dataclass(frozen=True, init=False)
class ExtensiveFormGame:
    """A finite game in extensive form with symbolic payoffs and Nature's symbolic probabilities.

    Parameters
    ----------
    root : Decision or Chance
        The first move; see :mod:`gvcgames.spec.tree`.
    assumptions : iterable of sympy relations, optional
        Extra restrictions on parameters.
    name, description : str

    Examples
    --------
    Entry deterrence: the entrant enters or stays out, the incumbent fights or accommodates.

    >>> import gvcgames as gg
    >>> f, a = gg.parameters("f a", positive=True)
    >>> entry = gg.ExtensiveFormGame(gg.Decision("E", {
    ...     "out": {"E": 0, "I": 2},
    ...     "in": gg.Decision("I", {"fight": {"E": -f, "I": -1}, "accommodate": {"E": a, "I": 1}}),
    ... }))
    >>> [eq.case for eq in entry.solve()]
    ['E: in; I after in: accommodate']
    """

    tree: Tree
    assumptions: Assumptions
    name: str
    description: str

    def __init__(self, root: Any, assumptions: Any = None, name: str = "", description: str = "") -> None:
        object.__setattr__(self, "tree", as_tree(root))
        object.__setattr__(self, "assumptions", _as_assumptions(assumptions))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)
        for sym in self.tree.symbols:
            if not isinstance(sym, Parameter):
                what = "an action" if isinstance(sym, Action) else f"a plain {type(sym).__name__}"
                raise UnknownSymbolError(
                    f"the tree uses {sym}, which is not a gg.parameters symbol ({what}); declare it with "
                    f"gg.parameters({sym.name!r}, ...), or put continuous choices in a gg.SequentialGame whose "
                    "last stage is this tree"
                )

    @property
    def players(self) -> tuple[str, ...]:
        return self.tree.players

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        syms = self.tree.symbols | set(self.assumptions.symbols)
        return tuple(sorted((s for s in syms if isinstance(s, Parameter)), key=lambda s: s.name))

    def symbol(self, name: str) -> Parameter:
        for s in self.parameters:
            if s.name == name:
                return s
        raise KeyError(f"no parameter named {name!r}; parameters: {[s.name for s in self.parameters]}")

    def subs(self, values: Mapping[Any, Any]) -> ExtensiveFormGame:
        """A copy with some parameters replaced by numbers or expressions."""
        mapping = {self.symbol(k) if isinstance(k, str) else k: sp.sympify(v) for k, v in values.items()}
        kept = [r.xreplace(mapping) for r in self.assumptions.relations]
        assumptions = Assumptions(tuple(r for r in kept if r is not sp.true), self.assumptions.time_budget)
        return ExtensiveFormGame(self.tree.map(lambda e: e.xreplace(mapping)), assumptions, self.name, self.description)

    def solve(self, time_budget: float | None = None) -> Solution:
        """Subgame-perfect equilibria by backward induction; see :func:`gvcgames.solve.tree.solve_tree`."""
        from gvcgames.solve.tree import solve_tree

        return solve_tree(self, time_budget=time_budget)

    def _is_equilibrium(self, profile: Any, numbers: Mapping[sp.Symbol, float], tol: float = 1e-7) -> Any:
        from gvcgames.solve.verify_tree import check_tree

        return check_tree(self, profile, numbers, tol)

    def __str__(self) -> str:
        head = f"ExtensiveFormGame {self.name!r}" if self.name else "ExtensiveFormGame"
        params = ", ".join(f"{s} in {s.domain}" for s in self.parameters)
        lines = [head, *("  " + line for line in str(self.tree).splitlines()), f"  parameters: {params or 'none'}"]
        if self.assumptions.relations:
            lines.append("  assumptions: " + ", ".join(sp.sstr(r) for r in self.assumptions.relations))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"ExtensiveFormGame({self.name!r}, players={list(self.players)})" if self.name else self.__str__()
