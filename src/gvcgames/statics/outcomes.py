"""Outcomes: the quantities whose comparative statics are asked for.

An *outcome* is a function of the equilibrium and the parameters, evaluated on the
equilibrium path: an action (a player's strategy), a player's equilibrium payoff, or a
derived quantity ``h(x, theta)`` written in actions ``x`` and parameters ``theta`` (e.g.
a relocation probability ``(p D (1 - e) - Delta)/Fbar``), whose equilibrium value is
``h(x*(theta), theta)``. In finite games an outcome may also be the probability with
which a player chooses an action.

Ways to name an outcome in :func:`gvcgames.statics.comparative_statics`:

* an action symbol, or its name (``u`` or ``"u"``);
* ``"payoff:NAME"`` or :func:`payoff_of` ``("NAME")`` for player NAME's payoff;
* ``"PLAYER:ACTION"`` for the probability of a finite game's action;
* a key of ``eq.outcomes`` (derived quantities the solver reports);
* a sympy expression in actions and parameters, or an :class:`Outcome` carrying a name
  and a description for hypotheses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from gvcgames.results import BehaviourEquilibrium, Equilibrium, FiniteEquilibrium
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.statics.errors import OutcomeError

KINDS = ("strategy", "payoff", "probability", "derived")


@dataclass(frozen=True)
class Outcome:
    """A quantity evaluated at an equilibrium.

    Parameters
    ----------
    name : str
        Short name used in tables, e.g. ``"R"`` or ``"payoff:MSE"``.
    expr : sympy expression, optional
        For derived outcomes: the quantity in actions and parameters. ``None`` for
        payoffs and finite-game probabilities, which are read off the equilibrium.
    kind : {"strategy", "payoff", "probability", "derived"}
    description : str
        Words for hypotheses, e.g. ``"probability that the lead firm relocates"``.
    player : str
        The player the outcome belongs to (if any).
    latex : str
        LaTeX name; default from the name.

    Examples
    --------
    >>> import gvcgames as gg
    >>> from gvcgames.statics import Outcome
    >>> e = gg.actions("e", domain="[0, 1]")
    >>> p, D = gg.parameters("p D", positive=True)
    >>> Outcome("loss", p * D * (1 - e), description="expected disruption loss").kind
    'derived'
    """

    name: str
    expr: sp.Expr | None = None
    kind: str = "derived"
    description: str = ""
    player: str = ""
    latex: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise OutcomeError(f"an outcome needs a non-empty name, got {self.name!r}")
        if self.kind not in KINDS:
            raise OutcomeError(f"outcome kind {self.kind!r} of {self.name!r} is not one of {KINDS}")
        if self.kind in ("strategy", "derived"):
            try:
                expr = sp.sympify(self.expr, strict=True)
            except (sp.SympifyError, TypeError) as exc:
                raise OutcomeError(
                    f"outcome {self.name!r} must be a sympy expression in actions and parameters, got {self.expr!r}"
                ) from exc
            if not isinstance(expr, sp.Expr):
                raise OutcomeError(f"outcome {self.name!r} must be an expression, got {expr!r}")
            object.__setattr__(self, "expr", expr)

    @property
    def words(self) -> str:
        """The outcome in words, for sentences."""
        if self.description:
            return self.description
        if self.kind == "payoff":
            return f"{self.player}'s payoff"
        if self.kind == "probability":
            player, _, action = self.name.partition(":")
            return f"the probability that {player} chooses {action}"
        return self.name

    @property
    def tex(self) -> str:
        """LaTeX name of the equilibrium value (with a star for strategies and derived outcomes)."""
        if self.latex:
            return self.latex
        if self.kind == "strategy" and self.expr is not None:
            return sp.latex(self.expr) + "^*"
        if self.kind == "payoff":
            return f"\\pi_{{\\text{{{_escape(self.player)}}}}}^*"
        if self.kind == "probability":
            player, _, action = self.name.partition(":")
            return f"\\Pr(\\text{{{_escape(player)}: {_escape(action)}}})"
        if self._auto_named:
            return f"\\left({sp.latex(self.expr)}\\right)^*"
        if self.name.startswith("Pr(") and self.name.endswith(")"):  # a path probability of a choice
            return f"\\Pr(\\text{{{_escape(self.name[3:-1])}}})"
        if not self.name.isidentifier():
            return f"\\text{{{_escape(self.name)}}}^*"
        return sp.latex(sp.Symbol(self.name)) + "^*"

    @property
    def _auto_named(self) -> bool:
        """Named by its own expression (``q**2``) rather than by the user (``R``)."""
        return self.expr is not None and not isinstance(self.expr, sp.Symbol) and self.name == sp.sstr(self.expr)

    @property
    def star(self) -> str:
        """Plain-text name of the equilibrium value, e.g. ``u*``."""
        if self.kind == "derived" and self._auto_named:
            return f"({self.name})*"
        if self.kind in ("strategy", "derived") and ":" not in self.name and "(" not in self.name:
            return f"{self.name}*"
        return self.name

    def value_at(self, eq: Equilibrium | FiniteEquilibrium) -> sp.Expr:
        """The outcome's value at the equilibrium, as an expression in parameters."""
        if self.kind == "payoff":
            try:
                return sp.sympify(eq.payoffs[self.player])
            except KeyError:
                raise OutcomeError(
                    f"no player {self.player!r} in this equilibrium; players: {list(eq.payoffs)}"
                ) from None
        if self.kind == "probability":
            if not isinstance(eq, FiniteEquilibrium):
                raise OutcomeError(
                    f"outcome {self.name!r} is a finite-game probability; this equilibrium is continuous"
                )
            player, _, action = self.name.partition(":")
            return sp.sympify(eq[player][action])
        if isinstance(eq, BehaviourEquilibrium):
            return sp.sympify(eq.outcomes[self.name])  # resolve_outcome admits only the tree's own outcomes
        if self.expr is None:
            raise OutcomeError(f"outcome {self.name!r} has no expression")
        if isinstance(eq, FiniteEquilibrium):
            raise OutcomeError(
                f"outcome {self.name!r} is an expression in actions; a finite game's equilibrium has probabilities "
                "and payoffs: use 'PLAYER:ACTION' or 'payoff:PLAYER'"
            )
        strategies = dict(eq.strategies)
        if (isinstance(self.expr, Action) or self.kind == "strategy") and self.expr in strategies:
            return sp.sympify(strategies[self.expr])
        return self.expr.xreplace({k: sp.sympify(v) for k, v in strategies.items()})


def payoff_of(player: str, description: str = "") -> Outcome:
    """The equilibrium payoff of ``player`` as an outcome.

    Examples
    --------
    >>> from gvcgames.statics import payoff_of
    >>> payoff_of("MSE").name
    'payoff:MSE'
    """
    if not isinstance(player, str) or not player:
        raise OutcomeError(f"payoff_of needs a player name, got {player!r}")
    return Outcome(f"payoff:{player}", None, "payoff", description, player, "")


def resolve_outcome(eq: Equilibrium | FiniteEquilibrium, outcome: Any) -> Outcome:
    """Turn what the user passed as ``outcome`` into an :class:`Outcome` of this equilibrium.

    Raises
    ------
    OutcomeError
        If the outcome names nothing in the equilibrium, uses unknown symbols, or does not
        depend on the equilibrium (an expression in parameters only).
    """
    if isinstance(eq, FiniteEquilibrium):
        return _resolve_finite(eq, outcome)
    if isinstance(eq, BehaviourEquilibrium):
        return _resolve_tree(eq, outcome)
    if not isinstance(eq, Equilibrium):
        raise OutcomeError(f"comparative statics need an Equilibrium from game.solve(), got {type(eq).__name__}")
    actions = list(eq.strategies)
    if isinstance(outcome, Outcome):
        if outcome.kind == "payoff":
            outcome.value_at(eq)  # checks the player
            return outcome
        if outcome.kind == "probability":
            raise OutcomeError(f"outcome {outcome.name!r} is a finite-game probability; this equilibrium is continuous")
        if outcome.kind == "derived" and outcome.name in eq.outcomes:
            # the solver's own outcome (e.g. a relocation probability): an equilibrium outcome even
            # where, in a corner, it no longer involves the actions
            return outcome
        _check_expression(eq, outcome.expr, outcome.name)
        return outcome
    if isinstance(outcome, str):
        return _resolve_name(eq, outcome.strip())
    if isinstance(outcome, Action):
        if outcome not in eq.strategies:
            raise OutcomeError(
                f"outcome {outcome} is not an action of this equilibrium; actions: {[a.name for a in actions]}"
            )
        return _strategy(eq, outcome)
    if isinstance(outcome, Parameter):
        raise OutcomeError(
            f"outcome {outcome} is a parameter: it does not depend on the equilibrium; give an action "
            f"({[a.name for a in actions]}), 'payoff:PLAYER', or an expression in actions"
        )
    try:
        expr = sp.sympify(outcome, strict=True)
    except (sp.SympifyError, TypeError) as exc:
        raise OutcomeError(
            f"outcome {outcome!r} is neither an action, 'payoff:PLAYER', a name in eq.outcomes, nor a sympy "
            "expression in actions and parameters"
        ) from exc
    if not isinstance(expr, sp.Expr):
        raise OutcomeError(f"outcome {outcome!r} must be an expression, got a {type(expr).__name__}")
    _check_expression(eq, expr, sp.sstr(expr))
    return Outcome(sp.sstr(expr), expr, "derived")


def _strategy(eq: Equilibrium, action: Any) -> Outcome:
    player = ""
    owner = getattr(eq.game, "owner", None)  # symmetric games have no named owners
    if owner is not None:
        try:
            player = owner(action).name
        except KeyError:
            player = ""
    words = getattr(action, "description", "") or action.name
    mentions_player = player and player.lower() in words.lower()
    description = f"{player}'s {words}" if player and not mentions_player else words
    return Outcome(action.name, action, "strategy", description, player, "")


def _resolve_name(eq: Equilibrium, name: str) -> Outcome:
    if name.startswith("payoff:") or (name.startswith("payoff(") and name.endswith(")")):
        player = name[7:].strip() if name.startswith("payoff:") else name[7:-1].strip()
        if player not in eq.payoffs:
            raise OutcomeError(f"outcome {name!r}: no player {player!r}; players: {list(eq.payoffs)}")
        return payoff_of(player)
    for action in eq.strategies:
        if action.name == name:
            return _strategy(eq, action)
    if name in eq.outcomes:
        value = sp.sympify(eq.outcomes[name])
        return Outcome(name, value, "derived", name)
    if name in eq.payoffs:
        return payoff_of(name)
    options = [a.name for a in eq.strategies] + [f"payoff:{p}" for p in eq.payoffs] + list(eq.outcomes)
    raise OutcomeError(f"unknown outcome {name!r}; this equilibrium has: {options}")


def _actions_of(game: Any) -> set[sp.Symbol]:
    if game is None:
        return set()
    if hasattr(game, "actions"):
        return set(game.actions)
    return {game.action, game.others}  # a SymmetricGame: the deviator's action and the others'


def _check_expression(eq: Equilibrium, expr: sp.Expr, name: str) -> None:
    game_actions = _actions_of(eq.game)
    known_actions = set(eq.strategies) | game_actions
    params = set(eq.game.parameters) if eq.game is not None else set()
    unknown = sorted(
        (s for s in expr.free_symbols if s not in known_actions and not isinstance(s, Parameter)),
        key=str,
    )
    if unknown:
        raise OutcomeError(
            f"outcome {name!r} uses {[str(s) for s in unknown]}, which are neither actions of this equilibrium "
            f"({[a.name for a in eq.strategies]}) nor parameters"
        )
    foreign = sorted((s for s in expr.free_symbols if isinstance(s, Parameter) and params and s not in params), key=str)
    if foreign:
        raise OutcomeError(
            f"outcome {name!r} uses {[str(s) for s in foreign]}, which are not parameters of this game; "
            f"parameters: {[p.name for p in sorted(params, key=str)]}"
        )
    missing = sorted((s for s in expr.free_symbols if s in game_actions and s not in eq.strategies), key=str)
    if missing:
        raise OutcomeError(f"outcome {name!r} uses actions {missing} that this equilibrium does not determine")
    if not any(s in eq.strategies for s in expr.free_symbols):
        raise OutcomeError(
            f"outcome {name!r} does not depend on the equilibrium: it contains none of the actions "
            f"{[a.name for a in eq.strategies]}; its derivative is a plain derivative, not a comparative static"
        )


def _resolve_finite(eq: FiniteEquilibrium, outcome: Any) -> Outcome:
    if isinstance(outcome, Outcome) and outcome.kind in ("payoff", "probability"):
        outcome.value_at(eq)
        return outcome
    if not isinstance(outcome, str):
        raise OutcomeError(
            f"outcome {outcome!r} is not an outcome of a finite game's equilibrium; use 'PLAYER:ACTION' for a "
            "probability or 'payoff:PLAYER'"
        )
    name = outcome.strip()
    if name.startswith("payoff:"):
        player = name[7:].strip()
        if player not in eq.payoffs:
            raise OutcomeError(f"outcome {name!r}: no player {player!r}; players: {list(eq.payoffs)}")
        return payoff_of(player)
    player, sep, action = name.rpartition(":")
    if sep and player in eq.strategies and action in eq.strategies[player]:
        return Outcome(f"{player}:{action}", None, "probability", "", player, "")
    options = [f"{p}:{a}" for p, probs in eq.strategies.items() for a in probs] + [f"payoff:{p}" for p in eq.payoffs]
    raise OutcomeError(f"unknown outcome {name!r}; this equilibrium has: {options}")


def _resolve_tree(eq: BehaviourEquilibrium, outcome: Any) -> Outcome:
    """A game tree's outcomes: payoffs and the path probabilities in ``eq.outcomes``."""
    name = outcome.name if isinstance(outcome, Outcome) else outcome
    if isinstance(name, str):
        name = name.strip()
        if name.startswith("payoff:") and name[7:].strip() in eq.payoffs:
            return payoff_of(name[7:].strip())
        if name in eq.payoffs:
            return payoff_of(name)
        if name in eq.outcomes:
            return Outcome(name, sp.sympify(eq.outcomes[name]), "derived", name)
    options = [f"payoff:{p}" for p in eq.payoffs] + list(eq.outcomes)
    raise OutcomeError(f"unknown outcome {outcome!r} of this game tree's equilibrium; it has: {options}")


def default_outcomes(eq: Equilibrium | FiniteEquilibrium) -> list[Outcome]:
    """Every outcome of an equilibrium: strategies, payoffs, then the solver's derived outcomes."""
    if isinstance(eq, FiniteEquilibrium):
        probs = [
            Outcome(f"{p}:{a}", None, "probability", "", p, "")
            for p, mix in eq.strategies.items()
            for a in list(mix)[:-1]  # the last probability is 1 minus the others
        ]
        return probs + [payoff_of(p) for p in eq.payoffs]
    if isinstance(eq, BehaviourEquilibrium):
        return [payoff_of(p) for p in eq.payoffs] + [
            Outcome(k, sp.sympify(v), "derived", k) for k, v in eq.outcomes.items()
        ]
    found = [_strategy(eq, a) for a in eq.strategies]
    found += [payoff_of(p) for p in eq.payoffs]
    found += [Outcome(k, sp.sympify(v), "derived", k) for k, v in eq.outcomes.items()]
    return found


def _escape(text: str) -> str:
    special = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}"}
    return "".join(special.get(ch, ch) for ch in text)
