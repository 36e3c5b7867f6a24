"""Symmetric games with a symbolic number of players.

A symmetric game is described by one representative player: their action ``x``, the
common action ``y`` of the ``N - 1`` others, and the payoff ``u(x, y; N, theta)``. A
symmetric Nash equilibrium is an ``x*`` with ``x*`` a best response when every other
player plays ``x*`` (one deviator against ``N - 1`` identical others), so ``N`` can stay
symbolic. The cooperative (joint-action) benchmark maximises ``u(x, x)``, the payoff each
player gets when all choose the same ``x``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sympy as sp

from gvcgames.errors import InvalidSpecError, UnknownSymbolError
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.games import _as_assumptions, as_payoff
from gvcgames.spec.symbols import Action, Parameter

if TYPE_CHECKING:
    from gvcgames.results import Solution


@dataclass(frozen=True)
class SymmetricGame:
    """N identical players; one representative's payoff against the others' common action.

    Parameters
    ----------
    action : Action
        The representative player's action.
    others : Action
        The common action of the other ``N - 1`` players (same domain as ``action``).
    payoff : sympy expression
        ``u(action, others)``; may use ``N``.
    N : Parameter or int
        Number of players: a positive-integer parameter or an int >= 1.

    Examples
    --------
    Cournot with ``N`` firms:

    >>> import gvcgames as gg
    >>> a, c = gg.parameters("a c", positive=True)
    >>> N = gg.parameters("N", domain="[1, oo)", integer=True)
    >>> q, Q = gg.actions("q q_o", nonnegative=True)
    >>> game = gg.SymmetricGame(q, Q, (a - q - (N - 1) * Q - c) * q, N, assumptions=[a > c])
    >>> game.solve().equilibria[0][q]
    (a - c)/(N + 1)
    """

    action: Action
    others: Action
    payoff: sp.Expr
    N: Any
    assumptions: Assumptions = field(default_factory=Assumptions)
    name: str = ""
    description: str = ""

    def __init__(
        self,
        action: Any,
        others: Any,
        payoff: Any,
        N: Any,
        assumptions: Any = None,
        name: str = "",
        description: str = "",
    ) -> None:
        for what, sym in (("action", action), ("others", others)):
            if not isinstance(sym, Action):
                raise InvalidSpecError(f"{what} must be a gg.actions symbol, got {sym!r}")
        if action == others:
            raise InvalidSpecError("action and others must be two different symbols (own action, others' action)")
        if action.domain != others.domain:
            raise InvalidSpecError(
                f"the others' action {others} must have the same domain as {action}: {others.domain} vs {action.domain}"
            )
        object.__setattr__(self, "N", _as_player_count(N))
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "others", others)
        object.__setattr__(self, "payoff", as_payoff(payoff, "the representative player"))
        object.__setattr__(self, "assumptions", _as_assumptions(assumptions))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)
        for sym in self.payoff.free_symbols - {action, others}:
            if not isinstance(sym, Parameter):
                raise UnknownSymbolError(
                    f"the payoff uses {sym}, which is neither a parameter nor the actions {action}, {others}"
                )

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        syms = (self.payoff.free_symbols | self.assumptions.symbols) - {self.action, self.others}
        if isinstance(self.N, sp.Symbol):
            syms.add(self.N)
        return tuple(sorted((s for s in syms if isinstance(s, Parameter)), key=str))

    def symbol(self, name: str) -> Any:
        for s in (*self.parameters, self.action, self.others):
            if s.name == name:
                return s
        raise KeyError(f"no parameter or action named {name!r}")

    def solve(self, time_budget: float | None = None) -> Solution:
        """Symmetric Nash equilibria with existence and uniqueness conditions."""
        from gvcgames.solve.symmetric import solve_symmetric

        return solve_symmetric(self, time_budget=time_budget)

    def cooperative(self, time_budget: float | None = None) -> Solution:
        """The joint-action optimum: every player's ``x`` chosen to maximise ``u(x, x)``."""
        from gvcgames.solve.symmetric import solve_cooperative

        return solve_cooperative(self, time_budget=time_budget)

    def with_players(self, n: int) -> Any:
        """The same game with ``n`` explicit players, as a ContinuousGame (for checks)."""
        from gvcgames.spec.games import ContinuousGame
        from gvcgames.spec.symbols import actions

        if not isinstance(n, int) or n < 1:
            raise InvalidSpecError(f"n must be a positive integer, got {n!r}")
        xs = actions(
            " ".join(f"{self.action.name}_{i + 1}" for i in range(n)) + ("," if n == 1 else ""),
            domain=self.action.domain,
        )
        players = {}
        for i, x in enumerate(xs):
            others = [xs[j] for j in range(n) if j != i]
            mean = sp.Add(*others) / (n - 1) if others else self.others
            u = self.payoff.subs(self.N, n) if isinstance(self.N, sp.Symbol) else self.payoff
            players[f"player{i + 1}"] = (x, u.xreplace({self.action: x, self.others: mean}))
        kept = (
            [r.subs(self.N, n) for r in self.assumptions.relations]
            if isinstance(self.N, sp.Symbol)
            else list(self.assumptions.relations)
        )
        return ContinuousGame(
            players, [r for r in kept if r is not sp.true], name=f"{self.name or 'symmetric game'} (n = {n})"
        )

    def __str__(self) -> str:
        return (
            f"SymmetricGame {self.name!r}: N = {self.N} players; each chooses {self.action} in {self.action.domain} "
            f"against the others' {self.others}; payoff {sp.sstr(self.payoff)}"
        )


def _as_player_count(N: Any) -> Any:
    if isinstance(N, bool):
        raise InvalidSpecError(f"N must be a positive integer or a positive-integer parameter, got {N!r}")
    if isinstance(N, int):
        if N < 1:
            raise InvalidSpecError(f"N must be a positive integer, got {N}")
        return sp.Integer(N)
    if isinstance(N, Parameter):
        if not N.is_integer or N.domain.inf < 1:
            raise InvalidSpecError(
                f"N must be a positive-integer parameter, e.g. gg.parameters('N', domain='[1, oo)', integer=True); "
                f"{N} has domain {N.domain} and integer={N.is_integer}"
            )
        return N
    raise InvalidSpecError(f"N must be a positive integer or a positive-integer parameter, got {N!r}")


def symmetric_from_game(game: Any) -> SymmetricGame:
    """Check that an explicit two-or-more-player game is symmetric (raises if not)."""
    players = game.players
    if any(len(p.actions) != 1 for p in players):
        raise InvalidSpecError("the symmetric solver needs exactly one action per player")
    first = players[0]
    acts = [p.actions[0] for p in players]
    for i, p in enumerate(players[1:], 1):
        swap = {acts[0]: acts[i], acts[i]: acts[0]}
        if sp.simplify(first.payoff.xreplace(swap) - p.payoff) != 0:
            raise InvalidSpecError(
                f"payoffs are not symmetric: swapping {acts[0]} and {acts[i]} in {first.name}'s payoff does not give "
                f"{p.name}'s payoff; use ContinuousGame for asymmetric games"
            )
    raise InvalidSpecError(
        "the game is symmetric; write it with gg.SymmetricGame(action, others, payoff, N) to keep N symbolic"
    )
