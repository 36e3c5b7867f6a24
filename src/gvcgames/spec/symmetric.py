"""Symmetric games with a symbolic number of players.

A symmetric game is described by one representative player: their action ``x``, the
common action ``y`` of the ``N - 1`` others, and the payoff ``u(x, y; N, theta)``. A
symmetric Nash equilibrium is an ``x*`` with ``x*`` a best response when every other
player plays ``x*`` (one deviator against ``N - 1`` identical others), so ``N`` can stay
symbolic. The cooperative (joint-action) benchmark maximises ``u(x, x)``, the payoff each
player gets when all choose the same ``x``.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sympy as sp

from gvcgames.errors import InvalidSpecError, InvalidValuesError, UnknownSymbolError
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.games import _as_assumptions, as_payoff
from gvcgames.spec.symbols import Action, Parameter, actions

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
        Number of players: a positive-integer parameter (``gg.parameters("N", domain="[1, oo)",
        integer=True)``) or a positive integer (``int``, sympy ``Integer``, or an integral
        float such as ``2.0``).

    Raises
    ------
    InvalidSpecError
        If ``N`` is not a positive integer or positive-integer parameter (``0``, ``2.5``,
        ``True``, a real-valued parameter), or the actions are malformed.

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

    @property
    def actions(self) -> tuple[Action, Action]:
        """The representative's own action and the others' common action."""
        return (self.action, self.others)

    @classmethod
    def from_game(cls, game: Any, name: str = "") -> SymmetricGame:
        """The symmetric game of an explicit ContinuousGame; see :func:`symmetric_from_game`."""
        return symmetric_from_game(game, name)

    def subs(self, values: Mapping[Any, Any]) -> SymmetricGame:
        """A copy with some parameters replaced by numbers or expressions (``N`` by a positive integer).

        Raises
        ------
        InvalidValuesError
            If a value is outside its parameter's domain, ``N`` is not a positive integer,
            or the values violate an assumption.

        Examples
        --------
        >>> from gvcgames.models import cluster
        >>> cluster().subs({"N": 3, "c": 1}).solve().equilibria[0]["e"]
        alpha*m/3
        """
        mapping: dict[sp.Symbol, sp.Expr] = {}
        for key, value in values.items():
            try:
                sym = self.symbol(key) if isinstance(key, str) else key
            except KeyError:
                raise InvalidValuesError(
                    f"{key!r} is not a parameter of this game; parameters: {[p.name for p in self.parameters]}"
                ) from None
            if sym not in self.parameters:
                raise InvalidValuesError(
                    f"{key!r} is not a parameter of this game; parameters: {[p.name for p in self.parameters]}"
                )
            if sym == self.N:
                try:
                    new: sp.Expr = player_count(value)
                except InvalidSpecError as exc:
                    raise InvalidValuesError(str(exc)) from exc
            else:
                new = sp.sympify(value)
            if new.is_number and sym.domain.contains(new) is sp.false:
                raise InvalidValuesError(f"{sym} = {new} is outside its domain {sym.domain}")
            mapping[sym] = new
        kept = []
        for rel in self.assumptions.relations:
            after = rel.xreplace(mapping)
            if after is sp.false:
                raise InvalidValuesError(f"the values {values} violate the assumption {rel}")
            if after is not sp.true:
                kept.append(after)
        return SymmetricGame(
            self.action,
            self.others,
            self.payoff.xreplace(mapping),
            mapping.get(self.N, self.N) if isinstance(self.N, sp.Symbol) else self.N,
            assumptions=Assumptions(tuple(kept), self.assumptions.time_budget),
            name=self.name,
            description=self.description,
        )

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

        n = int(player_count(n, "n"))
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

    def _repr_latex_(self) -> str:
        x, y, n = self.action, self.others, sp.latex(self.N)
        rows = [
            f"\\text{{each of }} {n} \\text{{ players}} &: \\max_{{{sp.latex(x)} \\in {sp.latex(x.domain)}}} "
            f"u({sp.latex(x)}, {sp.latex(y)}) = {sp.latex(self.payoff)}",
            f"&{sp.latex(y)}\\text{{: the common action of the other }} {sp.latex(self.N - 1)} \\text{{ players}}",
        ]
        if self.assumptions.relations:
            rows.append("&" + ",\\ ".join(sp.latex(r) for r in self.assumptions.relations))
        return "$\\begin{aligned}" + r" \\ ".join(rows) + "\\end{aligned}$"


def player_count(value: Any, what: str = "N") -> sp.Integer:
    """``value`` as a positive integer number of players (a sympy Integer), or a clear error.

    Accepts ``int``, numpy integers, sympy Integers and integral floats/rationals (``2.0`` is
    two players); rejects booleans, fractions (``2.5``), zero, negatives and non-numbers.

    Examples
    --------
    >>> player_count(3), player_count(sp.Integer(2)), player_count(5.0)
    (3, 2, 5)
    >>> player_count(2.5)
    Traceback (most recent call last):
    ...
    gvcgames.errors.InvalidSpecError: N must be a positive integer number of players, got 2.5 (not an integer)
    """
    if isinstance(value, bool) or value is None or isinstance(value, (str, bytes)):
        raise InvalidSpecError(
            f"{what} must be a positive integer number of players or a positive-integer parameter, got {value!r}"
        )
    if isinstance(value, numbers.Integral):
        number: sp.Expr = sp.Integer(int(value))
    elif isinstance(value, numbers.Real) and not isinstance(value, sp.Basic):
        if not math.isfinite(float(value)):
            raise InvalidSpecError(f"{what} must be a positive integer number of players, got {value!r}")
        number = sp.nsimplify(value) if float(value).is_integer() else sp.Float(value)
    else:
        try:
            number = sp.sympify(value, strict=True)
        except (sp.SympifyError, TypeError) as exc:
            raise InvalidSpecError(
                f"{what} must be a positive integer number of players or a positive-integer parameter, got {value!r}"
            ) from exc
    if not getattr(number, "is_number", False) or number.is_real is not True or not number.is_finite:
        raise InvalidSpecError(
            f"{what} must be a positive integer number of players or a positive-integer parameter, got {value!r}"
        )
    if number.is_integer is not True:
        if number.is_Float and float(number).is_integer():
            number = sp.Integer(int(number))
        else:
            raise InvalidSpecError(f"{what} must be a positive integer number of players, got {value} (not an integer)")
    if number < 1:
        raise InvalidSpecError(f"{what} must be a positive integer number of players (at least 1), got {number}")
    return sp.Integer(int(number))


def _as_player_count(N: Any) -> Any:
    if isinstance(N, Parameter):
        if not N.is_integer or N.domain.inf < 1:
            raise InvalidSpecError(
                f"N must be a positive-integer parameter, e.g. gg.parameters('N', domain='[1, oo)', integer=True); "
                f"{N} has domain {N.domain} and integer={N.is_integer}"
            )
        return N
    if isinstance(N, sp.Symbol):
        raise InvalidSpecError(
            f"N must be a positive-integer parameter made with gg.parameters('{N}', domain='[1, oo)', integer=True), "
            f"got the plain symbol {N!r}"
        )
    return player_count(N)


def symmetric_from_game(game: Any, name: str = "") -> SymmetricGame:
    """The :class:`SymmetricGame` of an explicit game whose payoffs are symmetric; raises if they are not.

    A game with ``n >= 2`` players, one action each on a common domain, is *symmetric* when

    1. (anonymity) player 1's payoff is invariant under every permutation of the others'
       actions: checked on the adjacent transpositions ``(x_j x_{j+1})`` of the others,
       which generate the symmetric group on them; and
    2. (exchangeability) every player's payoff is player 1's with the two actions swapped:
       ``u_j(x) = u_1(x)`` after exchanging ``x_1`` and ``x_j``.

    Together these give ``u_{pi(i)}(x_pi) = u_i(x)`` for every permutation ``pi`` (the
    transpositions ``(1 j)`` and those of the others generate the whole group), so every
    player's payoff is invariant under permutations of the others' actions. The
    representative payoff is player 1's with every other action set to a common ``y``:
    exactly what the symmetric solver needs (one deviator against ``n - 1`` identical
    others). ``N`` is the number of players, ``n``.

    Parameters
    ----------
    game : ContinuousGame
        Explicit players, one action each.
    name : str, optional
        Name of the symmetric game (default: the game's name).

    Raises
    ------
    InvalidSpecError
        If a player has more than one action, the domains differ, or a payoff is not
        symmetric; the message names the player and the swap that changes the payoff.

    Examples
    --------
    >>> import gvcgames as gg
    >>> a = gg.parameters("a", positive=True)
    >>> x1, x2 = gg.actions("x1 x2", nonnegative=True)
    >>> g = gg.ContinuousGame({"1": (x1, a * x1 - x1**2 - x1 * x2), "2": (x2, a * x2 - x2**2 - x1 * x2)})
    >>> sym = symmetric_from_game(g)
    >>> sym.N, sym.solve().equilibria[0][x1]
    (2, a/3)
    """
    players = list(getattr(game, "players", ()))
    if type(game).__name__ != "ContinuousGame" or len(players) < 2:
        raise InvalidSpecError(
            f"symmetric_from_game needs a ContinuousGame with two or more players, got {type(game).__name__} "
            f"with {len(players)} player(s)"
        )
    several = [p.name for p in players if len(p.actions) != 1]
    if several:
        raise InvalidSpecError(
            f"the symmetric solver needs exactly one action per player; {several} choose several actions"
        )
    acts = [p.actions[0] for p in players]
    first, x1 = players[0], acts[0]
    for p, a in zip(players[1:], acts[1:], strict=True):
        if a.domain != x1.domain:
            raise InvalidSpecError(
                f"payoffs are not symmetric: {p.name}'s action {a} has domain {a.domain}, {first.name}'s action "
                f"{x1} has {x1.domain}; symmetric players choose from the same set"
            )

    def same(lhs: sp.Expr, rhs: sp.Expr) -> bool:
        return sp.simplify(sp.expand(lhs - rhs)) == 0

    others = acts[1:]
    for xa, xb in itertools.pairwise(others):
        if not same(first.payoff.xreplace({xa: xb, xb: xa}), first.payoff):
            raise InvalidSpecError(
                f"payoffs are not symmetric: {first.name}'s payoff changes when the others' actions {xa} and {xb} "
                f"are swapped (it is not anonymous in the others' actions); use ContinuousGame for asymmetric games"
            )
    for p, a in zip(players[1:], others, strict=True):
        if not same(first.payoff.xreplace({x1: a, a: x1}), p.payoff):
            raise InvalidSpecError(
                f"payoffs are not symmetric: swapping {x1} and {a} in {first.name}'s payoff does not give "
                f"{p.name}'s payoff; use ContinuousGame for asymmetric games"
            )
    taken = {s.name for s in (*acts, *game.parameters)}
    other_name = f"{x1.name}_others"
    while other_name in taken:
        other_name += "_"
    y = actions(other_name, domain=x1.domain, description=f"the other players' common {x1.description or x1.name}")
    payoff = first.payoff.xreplace(dict.fromkeys(others, y))
    return SymmetricGame(
        x1,
        y,
        payoff,
        len(players),
        assumptions=game.assumptions,
        name=name or getattr(game, "name", "") or "symmetric game",
        description=getattr(game, "description", ""),
    )
