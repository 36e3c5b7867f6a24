"""Game specifications: players with continuous actions and symbolic payoffs.

A game is an immutable record of who chooses what and who gets what. Solving lives in
:mod:`gvcgames.solve`; ``game.solve()`` is a front door to it.

Definitions
-----------
A *continuous game* has players ``i = 1..n``, each choosing actions ``a_i`` in a box
``A_i`` (a product of intervals), with payoff ``u_i(a, theta)`` depending on all actions
and on parameters ``theta`` in the admissible set (domains plus assumptions). A Nash
equilibrium is a profile ``a*`` with ``u_i(a_i*, a_-i*) >= u_i(a_i, a_-i*)`` for all
``a_i`` in ``A_i`` and all ``i``.

A *sequential game* orders the players' moves in stages; each stage observes all earlier
actions. A subgame-perfect equilibrium (SPE) prescribes, for every history, an optimal
action given optimal play later.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import sympy as sp

from gvcgames.errors import InvalidSpecError, UnknownSymbolError
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.symbols import Action, DomainSymbol, Parameter

if TYPE_CHECKING:
    from gvcgames.results import Solution


@dataclass(frozen=True)
class Player:
    """A player: a name, the actions they choose, and their payoff."""

    name: str
    actions: tuple[Action, ...]
    payoff: sp.Expr | None  # None: given by the outcomes of a final Choice stage

    def __str__(self) -> str:
        acts = ", ".join(a.name for a in self.actions)
        pay = "from the outcomes of the final choice" if self.payoff is None else sp.sstr(self.payoff)
        return f"{self.name} chooses {acts} in {_domains(self.actions)}; payoff {pay}"


def as_payoff(value: Any, owner: str) -> sp.Expr:
    """Sympify a payoff, refusing strings, None, NaN and infinities."""
    if value is None or isinstance(value, (str, bytes)):
        raise InvalidSpecError(
            f"payoff of {owner!r} must be a sympy expression built from gg.parameters and "
            f"gg.actions, got {type(value).__name__} {value!r}"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidSpecError(f"payoff of {owner!r} is {value}, not a finite expression")
    try:
        expr = sp.sympify(value, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise InvalidSpecError(
            f"payoff of {owner!r} is not a sympy expression: {value!r} ({type(value).__name__})"
        ) from exc
    if not isinstance(expr, sp.Expr):
        raise InvalidSpecError(f"payoff of {owner!r} must be an expression, got {expr!r}")
    if expr.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise InvalidSpecError(f"payoff of {owner!r} contains nan or an infinity: {expr}")
    return expr


def as_actions(value: Any, owner: str) -> tuple[Action, ...]:
    """One action or a sequence of actions, each an :class:`Action`."""
    items = tuple(value) if isinstance(value, (list, tuple)) else (value,)
    if not items:
        raise InvalidSpecError(f"player {owner!r} has no actions; give at least one gg.actions symbol")
    for item in items:
        if not isinstance(item, Action):
            raise InvalidSpecError(
                f"action {item!r} of {owner!r} is a {type(item).__name__}, not an action; "
                "create actions with gg.actions('name', domain=...)"
            )
    if len(set(items)) != len(items):
        raise InvalidSpecError(f"player {owner!r} lists an action twice: {list(items)}")
    return items


@dataclass(frozen=True)
class Game:
    """Base of the continuous games: players, assumptions, and symbol bookkeeping."""

    players: tuple[Player, ...]
    assumptions: Assumptions = field(default_factory=Assumptions)
    name: str = ""
    description: str = ""

    def _validate(self) -> None:
        names = [p.name for p in self.players]
        if not self.players:
            raise InvalidSpecError("a game needs at least one player")
        for n in names:
            if not isinstance(n, str) or not n:
                raise InvalidSpecError(f"player names must be non-empty strings, got {n!r}")
        if len(set(names)) != len(names):
            raise InvalidSpecError(f"player names must be unique, got {names}")
        owner: dict[Action, str] = {}
        for p in self.players:
            for a in p.actions:
                if a in owner and owner[a] != p.name:
                    raise InvalidSpecError(
                        f"action {a} is listed for two players, {owner[a]!r} and {p.name!r}; "
                        "each action belongs to one player"
                    )
                owner[a] = p.name
        self._check_symbols(self.players, self.assumptions)

    def _check_symbols(self, players: Iterable[Player], assumptions: Assumptions) -> None:
        actions = {a for p in players for a in p.actions}
        for p in players:
            for bound in (b for a in p.actions for b in (a.lower, a.upper)):
                for sym in bound.free_symbols:
                    if not isinstance(sym, Parameter):
                        raise UnknownSymbolError(
                            f"action bound {bound} uses {sym}, which is not a gg.parameters symbol"
                        )
            for sym in self._payoff_symbols(p):
                if sym in actions or isinstance(sym, Parameter):
                    continue
                what = "an action of no player" if isinstance(sym, Action) else f"a plain {type(sym).__name__}"
                raise UnknownSymbolError(
                    f"payoff of {p.name!r} uses {sym}, which is neither a parameter nor an action "
                    f"of this game ({what}); declare it with gg.parameters({sym.name!r}, ...) or "
                    f"list it among a player's actions"
                )
        for rel in assumptions.relations:
            bad = [s for s in rel.free_symbols if not isinstance(s, Parameter)]
            if bad:
                raise UnknownSymbolError(f"assumption {rel} uses {bad}, which are not parameters")

    def _payoff_symbols(self, player: Player) -> set[sp.Symbol]:
        return set() if player.payoff is None else set(player.payoff.free_symbols)

    # --- bookkeeping -------------------------------------------------------------

    @property
    def actions(self) -> tuple[Action, ...]:
        """All actions, player by player."""
        return tuple(a for p in self.players for a in p.actions)

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Every parameter used by payoffs, action bounds or assumptions, sorted by name."""
        syms: set[sp.Symbol] = set(self.assumptions.symbols) | self._extra_symbols()
        for p in self.players:
            syms |= self._payoff_symbols(p)
            for a in p.actions:
                syms |= a.lower.free_symbols | a.upper.free_symbols
        return tuple(sorted((s for s in syms if isinstance(s, Parameter)), key=lambda s: s.name))

    def _extra_symbols(self) -> set[sp.Symbol]:
        """Symbols used outside the players' payoffs (e.g. by a final choice)."""
        return set()

    def player(self, name: str) -> Player:
        """The player called ``name``."""
        for p in self.players:
            if p.name == name:
                return p
        raise KeyError(f"no player {name!r}; players: {[p.name for p in self.players]}")

    def owner(self, action: sp.Symbol) -> Player:
        """The player who chooses ``action``."""
        for p in self.players:
            if action in p.actions:
                return p
        raise KeyError(f"{action} is not an action of this game")

    def symbol(self, name: str) -> DomainSymbol:
        """A parameter or action by name."""
        for s in (*self.parameters, *self.actions):
            if s.name == name:
                return s
        raise KeyError(
            f"no parameter or action named {name!r}; known: {[s.name for s in (*self.parameters, *self.actions)]}"
        )

    def payoff(self, player: str) -> sp.Expr | None:
        return self.player(player).payoff

    def with_assumptions(self, *relations: Any) -> Game:
        """A copy with extra parameter assumptions (e.g. ``a > c``)."""
        return self._rebuild(lambda e: e, self.assumptions.with_relations(relations))

    def subs(self, values: Mapping[Any, Any]) -> Game:
        """A copy with some parameters replaced by numbers or expressions."""
        mapping = {self.symbol(k) if isinstance(k, str) else k: sp.sympify(v) for k, v in values.items()}
        kept = [r.xreplace(mapping) for r in self.assumptions.relations]
        assumptions = Assumptions(tuple(r for r in kept if r is not sp.true), self.assumptions.time_budget)
        return self._rebuild(lambda e: e.xreplace(mapping), assumptions)

    def _rebuild(self, payoff_map: Any, assumptions: Assumptions) -> Game:
        raise NotImplementedError

    def __str__(self) -> str:
        head = f"{type(self).__name__} {self.name!r}" if self.name else type(self).__name__
        lines = [head] + [f"  {p}" for p in self.players]
        params = ", ".join(f"{s} in {s.domain}" for s in self.parameters)
        lines.append(f"  parameters: {params or 'none'}")
        if self.assumptions.relations:
            lines.append("  assumptions: " + ", ".join(sp.sstr(r) for r in self.assumptions.relations))
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        rows = [
            f"\\text{{{p.name}}}: &\\max_{{{', '.join(sp.latex(a) for a in p.actions)}}} {sp.latex(p.payoff)}"
            for p in self.players
        ]
        return "$\\begin{aligned}" + r" \\ ".join(rows) + "\\end{aligned}$"


def _domains(actions: Sequence[Action]) -> str:
    return " x ".join(str(a.domain) for a in actions)


def _players_from_mapping(spec: Any) -> tuple[Player, ...]:
    if isinstance(spec, Mapping):
        items = list(spec.items())
    else:
        raise InvalidSpecError(
            "players must be a mapping {name: (actions, payoff)}, e.g. {'firm1': (q1, u1), 'firm2': (q2, u2)}"
        )
    players = []
    for name, entry in items:
        if not isinstance(entry, (tuple, list)) or len(entry) != 2:
            raise InvalidSpecError(f"player {name!r} must map to (actions, payoff), got {entry!r}")
        acts, payoff = entry
        players.append(Player(name, as_actions(acts, name), as_payoff(payoff, name)))
    return tuple(players)


def _as_assumptions(value: Any) -> Assumptions:
    if isinstance(value, Assumptions):
        return value
    if value is None:
        return Assumptions()
    if isinstance(value, (sp.Basic, bool)):
        value = (value,)
    return Assumptions(tuple(value))


class ContinuousGame(Game):
    """A simultaneous-move game with continuous actions on intervals.

    Parameters
    ----------
    players : mapping
        ``{name: (action or tuple of actions, payoff)}``.
    assumptions : iterable of sympy relations, optional
        Extra restrictions on parameters, e.g. ``[a > c]``.
    name, description : str
        Labels used in summaries and LaTeX.

    Examples
    --------
    Cournot duopoly with linear demand ``P = a - q1 - q2`` and unit cost ``c``:

    >>> import gvcgames as gg
    >>> a, c = gg.parameters("a c", positive=True)
    >>> q1, q2 = gg.actions("q1 q2", nonnegative=True)
    >>> g = gg.ContinuousGame(
    ...     {"firm1": (q1, (a - q1 - q2 - c) * q1), "firm2": (q2, (a - q1 - q2 - c) * q2)},
    ...     assumptions=[a > c])
    >>> eq = g.solve().equilibria[0]
    >>> eq[q1]
    (a - c)/3
    >>> bool(gg.is_equilibrium(g, eq, {a: 10, c: 1}))
    True
    """

    def __init__(
        self,
        players: Mapping[str, tuple[Any, Any]],
        assumptions: Any = None,
        name: str = "",
        description: str = "",
    ) -> None:
        object.__setattr__(self, "players", _players_from_mapping(players))
        object.__setattr__(self, "assumptions", _as_assumptions(assumptions))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)
        self._validate()

    def _rebuild(self, payoff_map: Any, assumptions: Assumptions) -> ContinuousGame:
        players = {p.name: (p.actions, payoff_map(p.payoff)) for p in self.players}
        return ContinuousGame(players, assumptions, self.name, self.description)

    def solve(self, time_budget: float | None = None) -> Solution:
        """Nash equilibria by KKT conditions; see :func:`gvcgames.solve.solve_continuous`."""
        from gvcgames.solve.continuous import solve_continuous

        return solve_continuous(self, time_budget=time_budget)

    def solve_at(self, values: Mapping[Any, Any], seed: int = 0) -> Solution:
        """A numeric equilibrium at parameter values (see :func:`gvcgames.solve.numeric.solve_at`)."""
        from gvcgames.solve.numeric import solve_at

        return solve_at(self, values, seed=seed)

    def best_responses(self, time_budget: float | None = None) -> dict[str, Any]:
        """Each player's best response to the others' actions."""
        from gvcgames.solve.continuous import best_responses

        return best_responses(self, time_budget=time_budget)


class SequentialGame(Game):
    """Players move in stages, each observing every earlier action (perfect information).

    Parameters
    ----------
    stages : sequence of (player, actions, payoff)
        In the order of moves. A player may move in several stages; their payoff must
        then be the same expression each time (it is their payoff from the whole game).
    assumptions, name, description
        As for :class:`ContinuousGame`.

    Examples
    --------
    Stackelberg duopoly:

    >>> import gvcgames as gg
    >>> a, c = gg.parameters("a c", positive=True)
    >>> q1, q2 = gg.actions("q1 q2", nonnegative=True)
    >>> price = a - q1 - q2
    >>> g = gg.SequentialGame([("leader", q1, (price - c) * q1),
    ...                        ("follower", q2, (price - c) * q2)], assumptions=[a > c])
    >>> eq = g.solve().equilibria[0]
    >>> eq[q1], eq[q2]
    ((a - c)/2, (a - c)/4)
    """

    stages: tuple[Player, ...]
    choice: Any  # a final Choice stage, or None

    def __init__(
        self,
        stages: Sequence[Any],
        assumptions: Any = None,
        name: str = "",
        description: str = "",
    ) -> None:
        if isinstance(stages, Mapping) or not isinstance(stages, Sequence) or not stages:
            raise InvalidSpecError("stages must be a non-empty list of (player, actions, payoff) in the order of moves")
        from gvcgames.spec.tree import Chance, Decision, Tree, as_tree
        from gvcgames.spec.uncertainty import Choice

        stages = list(stages)
        final = (Choice, Decision, Chance, Tree)
        choice = stages.pop() if isinstance(stages[-1], final) else None
        if isinstance(choice, (Decision, Chance)):
            choice = as_tree(choice)
        if not stages:
            raise InvalidSpecError(
                "a SequentialGame needs at least one continuous stage before its final discrete stage; "
                "a game of discrete moves alone is a gg.ExtensiveFormGame"
            )
        built = []
        for i, stage in enumerate(stages):
            if isinstance(stage, final):
                raise InvalidSpecError(
                    f"stage {i + 1} is a discrete move ({type(stage).__name__}); discrete moves come last: put them, "
                    "with any later moves, in one game tree (gg.Decision/gg.Chance) as the final stage"
                )
            size = 2 if choice is not None else 3
            if not isinstance(stage, (tuple, list)) or len(stage) != size:
                shape = "(player, actions)" if choice is not None else "(player, actions, payoff)"
                note = "; payoffs come from the final Choice's outcomes" if choice is not None else ""
                raise InvalidSpecError(f"stage {i + 1} must be {shape}{note}, got {stage!r}")
            who, acts = stage[0], stage[1]
            payoff = as_payoff(stage[2], who) if choice is None else None
            built.append(Player(who, as_actions(acts, who), payoff))
        players: dict[str, Player] = {}
        for stage_player in built:
            known = players.get(stage_player.name)
            if known is None:
                players[stage_player.name] = stage_player
                continue
            if choice is None and sp.simplify(known.payoff - stage_player.payoff) != 0:
                raise InvalidSpecError(
                    f"player {stage_player.name!r} moves in several stages with different payoffs; "
                    "give the payoff from the whole game each time"
                )
            players[stage_player.name] = replace(known, actions=known.actions + stage_player.actions)
        if choice is not None:
            missing = sorted(set(players) - set(choice.players))
            if missing:
                raise InvalidSpecError(f"the final choice's outcomes give no payoff to {missing}")
        object.__setattr__(self, "stages", tuple(built))
        object.__setattr__(self, "choice", choice)
        object.__setattr__(self, "players", tuple(players.values()))
        object.__setattr__(self, "assumptions", _as_assumptions(assumptions))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)
        self._validate()
        if choice is not None:
            self._check_choice_symbols(choice)

    def _extra_symbols(self) -> set[sp.Symbol]:
        choice = getattr(self, "choice", None)
        if choice is None:
            return set()
        if not hasattr(choice, "outcomes"):  # a game tree
            return set(choice.symbols)
        syms: set[sp.Symbol] = set()
        for pays in choice.outcomes.values():
            for v in pays.values():
                syms |= v.free_symbols
        if choice.private_type is not None:
            syms.discard(choice.type_symbol)
            for param in choice.private_type[1].params:
                syms |= param.free_symbols
        return syms

    def _check_choice_symbols(self, choice: Any) -> None:
        actions = set(self.actions)
        for sym in self._extra_symbols():
            if sym not in actions and not isinstance(sym, Parameter):
                what = f"the outcomes of {choice.player!r}'s choice" if hasattr(choice, "player") else "the game tree"
                raise UnknownSymbolError(
                    f"{what} use {sym}, which is neither a parameter nor an action of this game; "
                    f"declare it with gg.parameters({sym.name!r}, ...)"
                )

    def solve(self, time_budget: float | None = None) -> Solution:
        """Subgame-perfect equilibria by backward induction."""
        from gvcgames.solve.sequential import solve_sequential

        return solve_sequential(self, time_budget=time_budget)

    def solve_at(self, values: Mapping[Any, Any], seed: int = 0) -> Solution:
        """A numeric subgame-perfect equilibrium at parameter values (where no closed form exists).

        See :func:`gvcgames.solve.numeric_sequential.solve_sequential_at`.
        """
        from gvcgames.solve.numeric_sequential import solve_sequential_at

        return solve_sequential_at(self, values, seed=seed)

    def _rebuild(self, payoff_map: Any, assumptions: Assumptions) -> SequentialGame:
        if self.choice is None:
            stages: list[Any] = [(s.name, s.actions, payoff_map(s.payoff)) for s in self.stages]
        elif not hasattr(self.choice, "outcomes"):  # a game tree
            stages = [(s.name, s.actions) for s in self.stages]
            stages.append(self.choice.map(payoff_map))
        else:
            outcomes = {a: {p: payoff_map(v) for p, v in pays.items()} for a, pays in self.choice.outcomes.items()}
            stages = [(s.name, s.actions) for s in self.stages]
            private = self.choice.private_type
            if private is not None:  # the type's distribution may have parameters too
                private = (private[0], private[1].map(payoff_map))
            stages.append(replace(self.choice, outcomes=outcomes, private_type=private))
        return SequentialGame(stages, assumptions, self.name, self.description)

    def __str__(self) -> str:
        head = f"SequentialGame {self.name!r}" if self.name else "SequentialGame"
        lines = [head] + [f"  stage {i + 1}: {s}" for i, s in enumerate(self.stages)]
        if self.choice is not None:
            text = str(self.choice).replace("\n", "\n    ")
            lines.append(
                f"  stage {len(self.stages) + 1}: {text}"
                if "\n" not in text
                else f"  stage {len(self.stages) + 1}:\n    {text}"
            )
        params = ", ".join(f"{s} in {s.domain}" for s in self.parameters)
        lines.append(f"  parameters: {params or 'none'}")
        if self.assumptions.relations:
            lines.append("  assumptions: " + ", ".join(sp.sstr(r) for r in self.assumptions.relations))
        return "\n".join(lines)
