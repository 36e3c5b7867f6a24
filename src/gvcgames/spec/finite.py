"""Finite games in normal form with symbolic payoffs.

Definitions
-----------
A normal-form game has players ``i = 1..n``, finite action sets ``A_i`` and payoffs
``u_i(a)`` for every action profile ``a`` in ``A_1 x ... x A_n``; here payoffs are sympy
expressions in parameters. A mixed strategy ``sigma_i`` is a probability vector on
``A_i``; a profile is a Nash equilibrium iff no player has a pure action that gives
more than their expected payoff against the others' strategies.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from gvcgames.errors import (
    IndexOutOfRangeError,
    InvalidSpecError,
    InvalidValuesError,
    UnknownActionError,
    UnknownPlayerError,
    UnknownSymbolError,
)
from gvcgames.spec.assumptions import Assumptions
from gvcgames.spec.games import _as_assumptions, as_payoff
from gvcgames.spec.symbols import Parameter

if TYPE_CHECKING:
    from gvcgames.results import Solution

Profile = tuple[int, ...]

__all__ = ["IndexOutOfRangeError", "NormalFormGame", "UnknownActionError", "UnknownPlayerError"]


@dataclass(frozen=True)
class NormalFormGame:
    """An n-player finite game with symbolic payoffs.

    Parameters
    ----------
    players : sequence of str
        Player names.
    actions : sequence of sequences of str
        Each player's action labels.
    payoffs : mapping, nested sequence, or (A, B)
        One of: a mapping ``{(label_1, ..., label_n): (u_1, ..., u_n)}``; a nested list
        indexed ``[a_1][a_2]...`` whose leaves are tuples ``(u_1, ..., u_n)``; or, for two
        players, a pair of matrices ``(A, B)`` (row player's and column player's payoffs): a
        tuple, or a list of two arrays / sympy matrices, or a list of two nested lists that
        cannot be the nested layout. A 2x2 game written ``[A, B]`` with lists reads both ways
        and is refused. Entries are numbers or sympy expressions; strings are refused.
    assumptions : iterable of sympy relations, optional
        Extra restrictions on parameters.

    Raises
    ------
    InvalidSpecError
        Malformed players, actions or payoffs (wrong shape or arity, duplicate labels, a
        string payoff, an ambiguous 2x2 layout), naming the item.
    UnknownSymbolError
        Payoffs use a symbol that is not a declared parameter.

    Examples
    --------
    Hawk-dove with value ``V`` and cost ``C > V``:

    >>> import gvcgames as gg
    >>> V, C = gg.parameters("V C", positive=True)
    >>> hd = gg.NormalFormGame(["row", "col"], [["hawk", "dove"], ["hawk", "dove"]],
    ...     [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]], assumptions=[C > V])
    >>> [eq.pure_profile for eq in hd.pure_equilibria()]
    [('hawk', 'dove'), ('dove', 'hawk')]
    >>> hd.mixed_equilibria()[0]["row"]["hawk"]
    V/C
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    table: Mapping[Profile, tuple[sp.Expr, ...]] = field(repr=False)
    assumptions: Assumptions = field(default_factory=Assumptions)
    name: str = ""
    description: str = ""

    def __init__(
        self,
        players: Sequence[str],
        actions: Sequence[Sequence[str]],
        payoffs: Any,
        assumptions: Any = None,
        name: str = "",
        description: str = "",
    ) -> None:
        players_t = tuple(players) if not isinstance(players, str) else ()
        if len(players_t) < 1 or not all(isinstance(p, str) and p for p in players_t):
            raise InvalidSpecError(f"players must be a list of non-empty names, got {players!r}")
        if len(set(players_t)) != len(players_t):
            raise InvalidSpecError(f"player names must be unique, got {list(players_t)}")
        if isinstance(actions, str) or len(actions) != len(players_t):
            raise InvalidSpecError(
                f"actions must give one list of labels per player ({len(players_t)} players), got {actions!r}"
            )
        actions_t = []
        for who, labels in zip(players_t, actions, strict=True):
            labels_t = tuple(labels) if not isinstance(labels, str) else ()
            if not labels_t or not all(isinstance(x, str) and x for x in labels_t):
                raise InvalidSpecError(f"actions of {who!r} must be a non-empty list of labels, got {labels!r}")
            if len(set(labels_t)) != len(labels_t):
                dup = sorted({x for x in labels_t if labels_t.count(x) > 1})
                raise InvalidSpecError(f"duplicate action labels {dup} for {who!r}")
            actions_t.append(labels_t)
        object.__setattr__(self, "players", players_t)
        object.__setattr__(self, "actions", tuple(actions_t))
        object.__setattr__(self, "table", _payoff_table(players_t, tuple(actions_t), payoffs))
        object.__setattr__(self, "assumptions", _as_assumptions(assumptions))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "description", description)
        for sym in self.parameters_or_symbols():
            if not isinstance(sym, Parameter):
                raise UnknownSymbolError(
                    f"payoffs use {sym}, which is not a parameter; declare it with gg.parameters({sym.name!r}, ...)"
                )

    # --- bookkeeping ---------------------------------------------------------

    def parameters_or_symbols(self) -> set[sp.Symbol]:
        syms: set[sp.Symbol] = set(self.assumptions.symbols)
        for values in self.table.values():
            for v in values:
                syms |= v.free_symbols
        return syms

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        return tuple(sorted((s for s in self.parameters_or_symbols() if isinstance(s, Parameter)), key=str))

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.actions)

    def profiles(self) -> Iterator[Profile]:
        return itertools.product(*(range(n) for n in self.shape))

    def payoff(self, player: str | int, profile: Sequence[int | str]) -> sp.Expr:
        """``u_player`` at a profile given by indices or labels.

        Raises
        ------
        UnknownPlayerError, UnknownActionError
            A name or label the game does not have (also ``KeyError``).
        IndexOutOfRangeError
            A player or action index out of range (also ``IndexError``).

        Examples
        --------
        >>> import gvcgames as gg
        >>> g = gg.NormalFormGame(["r", "c"], [["a", "b"], ["l", "m"]], ([[1, 2], [3, 4]], [[5, 6], [7, 8]]))
        >>> g.payoff("c", ("b", 0))
        7
        >>> g.payoff("r", (5, 0))
        Traceback (most recent call last):
        ...
        gvcgames.errors.IndexOutOfRangeError: action index 5 of 'r' is out of range: 'r' has actions 0..1 ...
        """
        i = self.index(player)
        return self.table[self.profile_index(profile)][i]

    def index(self, player: str | int) -> int:
        """The position of a player given by name or index."""
        n = len(self.players)
        if isinstance(player, int | np.integer) and not isinstance(player, bool):
            if not 0 <= player < n:
                raise IndexOutOfRangeError(
                    f"player index {player} is out of range: players are 0..{n - 1} ({list(self.players)})"
                )
            return int(player)
        if player not in self.players:
            raise UnknownPlayerError(f"no player {player!r}; players: {list(self.players)}")
        return self.players.index(player)

    def profile_index(self, profile: Sequence[int | str]) -> Profile:
        """A profile of labels or indices as indices (one per player)."""
        if isinstance(profile, str) or len(profile) != len(self.players):
            raise InvalidSpecError(f"a profile names one action per player ({len(self.players)}), got {profile!r}")
        out = []
        for who, labels, a in zip(self.players, self.actions, profile, strict=True):
            if isinstance(a, int | np.integer) and not isinstance(a, bool):
                if not 0 <= a < len(labels):
                    raise IndexOutOfRangeError(
                        f"action index {a} of {who!r} is out of range: {who!r} has actions 0..{len(labels) - 1} "
                        f"({list(labels)})"
                    )
                out.append(int(a))
            elif isinstance(a, str) and a in labels:
                out.append(labels.index(a))
            else:
                raise UnknownActionError(f"{who!r} has no action {a!r}; actions: {list(labels)}")
        return tuple(out)

    def matrices(self) -> list[sp.Matrix] | list[sp.Array]:
        """Payoff arrays, one per player (sympy Matrix for two players)."""
        arrays = []
        for i in range(len(self.players)):
            arr = sp.MutableDenseNDimArray.zeros(*self.shape)
            for prof, values in self.table.items():
                arr[prof] = values[i]
            arrays.append(sp.Matrix(arr.tolist()) if len(self.players) == 2 else sp.ImmutableDenseNDimArray(arr))
        return arrays

    def at(self, values: Mapping[Any, Any]) -> NormalFormGame:
        """The game with parameters replaced by numbers (or expressions).

        With every parameter replaced, the result is a numeric instance: solve it with
        :meth:`equilibria` (or ``solve(method=...)``), export it with
        :mod:`gvcgames.export.gambit`.

        Raises
        ------
        InvalidSpecError
            A name that is not a parameter, or values that violate the assumptions.
        InvalidValuesError
            A number outside its parameter's domain.
        """
        by_name = {s.name: s for s in self.parameters}
        mapping = {by_name[k] if isinstance(k, str) and k in by_name else k: sp.sympify(v) for k, v in values.items()}
        unknown = [k for k in mapping if isinstance(k, str)]
        if unknown:
            raise InvalidSpecError(f"{unknown} are not parameters of this game; parameters: {list(by_name)}")
        for sym, value in mapping.items():
            if isinstance(sym, Parameter) and value.is_number and sym.domain.contains(value) is sp.false:
                raise InvalidValuesError(f"{sym} = {value} is outside its domain {sym.domain}")
        table = {p: tuple(v.xreplace(mapping) for v in vals) for p, vals in self.table.items()}
        kept = [r.xreplace(mapping) for r in self.assumptions.relations]
        if any(r is sp.false for r in kept):
            raise InvalidSpecError(f"the values violate the assumptions {list(self.assumptions.relations)}")
        return NormalFormGame(
            self.players,
            self.actions,
            {tuple(lab[i] for lab, i in zip(self.actions, p, strict=True)): v for p, v in table.items()},
            [r for r in kept if r is not sp.true],
            self.name,
            self.description,
        )

    subs = at  # same name as for the other games

    def numeric(self) -> list[np.ndarray]:
        """Float payoff arrays (all parameters must have been substituted with :meth:`at`)."""
        free = sorted(str(s) for s in self.parameters_or_symbols())
        if free:
            raise InvalidSpecError(f"payoffs still depend on {free}; call game.at({{...}}) first")
        out = []
        for i in range(len(self.players)):
            arr = np.empty(self.shape)
            for prof, values in self.table.items():
                arr[prof] = float(values[i])
            out.append(arr)
        return out

    # --- front doors ------------------------------------------------------------

    def pure_equilibria(self, time_budget: float | None = None) -> Solution:
        """Every pure profile with the exact condition under which it is a Nash equilibrium."""
        from gvcgames.solve.finite import pure_equilibria

        return pure_equilibria(self, time_budget=time_budget)

    def mixed_equilibria(self, time_budget: float | None = None) -> Solution:
        """Equilibria in which some player mixes, in closed form, each with its validity region."""
        from gvcgames.solve.finite import mixed_equilibria

        return mixed_equilibria(self, time_budget=time_budget)

    def solve(
        self,
        time_budget: float | None = None,
        method: str | None = None,
        exact: bool | None = None,
        **options: Any,
    ) -> Solution:
        """Pure and mixed equilibria together.

        Without ``method``: a game with parameters takes the symbolic route (each equilibrium
        with its region); a numeric two-player game goes to the complete numeric engine
        (vertex enumeration: every extreme equilibrium, degenerate games warned about with
        :class:`~gvcgames.DegenerateGameWarning` and their components reported), in exact
        arithmetic when every payoff is rational and the game has at most about 6x6 actions.
        ``exact=False`` keeps a numeric game in float arithmetic. ``method="symbolic"`` forces
        the symbolic route; any other ``method``, ``exact=True`` or engine options go to
        :meth:`equilibria` (numeric games only).

        Examples
        --------
        A game with a continuum of equilibria (the column player is indifferent):

        >>> import warnings, gvcgames as gg
        >>> g = gg.NormalFormGame(["r", "c"], [["u", "d"], ["l", "m"]], ([[1, 0], [0, 1]], [[0, 0], [0, 0]]))
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     sol = g.solve()
        >>> [type(w.message).__name__ for w in caught]
        ['DegenerateGameWarning']
        >>> len(sol), sol.components
        (4, ((0, 1, 2, 3),))
        """
        if method == "symbolic":
            if exact is not None or options:
                raise InvalidSpecError("method='symbolic' takes no exact=... or engine options")
            from gvcgames.solve.finite import solve_finite

            return solve_finite(self, time_budget=time_budget)
        if method is not None or exact or options:
            return self.equilibria(method, exact=bool(exact), time_budget=time_budget, **options)
        if self.is_numeric and len(self.players) == 2:
            from gvcgames.solve.finite_numeric import auto_exact

            return self.equilibria(exact=auto_exact(self) if exact is None else exact)
        from gvcgames.solve.finite import solve_finite

        return solve_finite(self, time_budget=time_budget)

    @property
    def is_numeric(self) -> bool:
        """Whether every payoff is a number (no parameters left)."""
        return not self.parameters_or_symbols()

    def equilibria(
        self, method: str | None = None, exact: bool = False, time_budget: float | None = None, **options: Any
    ) -> Solution:
        """Equilibria of a numeric instance (``game.at(values)``) by a numeric engine.

        Two players: every extreme equilibrium by vertex enumeration (default; degenerate
        games warn with :class:`~gvcgames.DegenerateGameWarning` and report components),
        or ``method="lemke_howson"``, ``"nashpy_lemke_howson"``, ``"nashpy_vertex"``,
        ``"nashpy_support"`` (nashpy methods check degeneracy first and warn). Any number of
        players: ``method="pure"``. ``exact=True``: rational arithmetic. ``time_budget``:
        seconds per nashpy run. See :func:`gvcgames.solve.finite_numeric.numeric_equilibria`.

        Examples
        --------
        >>> import gvcgames as gg
        >>> V, C = gg.parameters("V C", positive=True)
        >>> hd = gg.NormalFormGame(["row", "col"], [["hawk", "dove"], ["hawk", "dove"]],
        ...     [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]])
        >>> sol = hd.at({"V": 2, "C": 6}).equilibria(exact=True)
        >>> [eq["row"]["hawk"] for eq in sol]
        [1, 1/3, 0]
        """
        from gvcgames.solve.finite import numeric_equilibria

        return numeric_equilibria(self, method, exact=exact, time_budget=time_budget, **options)

    def region_map(
        self,
        x: tuple[Any, ...],
        y: tuple[Any, ...],
        fixed: Mapping[Any, float] | None = None,
        resolution: int | tuple[int, int] = 200,
    ) -> Any:
        """Which equilibria hold where on a grid of two parameters; see :func:`gvcgames.regions.region_map`.

        Examples
        --------
        >>> import gvcgames as gg
        >>> V, C = gg.parameters("V C", positive=True)
        >>> hd = gg.NormalFormGame(["row", "col"], [["hawk", "dove"], ["hawk", "dove"]],
        ...     [[((V - C) / 2, (V - C) / 2), (V, 0)], [(0, V), (V / 2, V / 2)]])
        >>> rm = hd.region_map(("V", 1, 3), ("C", 1, 3), resolution=3)
        >>> rm.holds[0].astype(int).tolist()  # (hawk, hawk) iff V >= C
        [[1, 1, 1], [0, 1, 1], [0, 0, 1]]
        """
        from gvcgames.regions import region_map

        return region_map(self, x, y, fixed=fixed, resolution=resolution)

    def dominance(self, time_budget: float | None = None, split: bool = True) -> Any:
        """Iterated elimination of strictly dominated actions, with conditions.

        Dominance by pure actions with symbolic conditions; by mixed strategies (linear
        programming) for players whose payoffs are numbers; conditional dominance split into
        regions (``split=False``: later rounds use only unconditional dominance). See
        :func:`gvcgames.solve.finite_dominance.iterated_dominance`.
        """
        from gvcgames.solve.finite_dominance import iterated_dominance

        return iterated_dominance(self, time_budget=time_budget, split=split)

    def _is_equilibrium(self, profile: Any, numbers: Mapping[sp.Symbol, float], tol: float = 1e-7) -> Any:
        from gvcgames.solve.finite import check_finite_equilibrium

        return check_finite_equilibrium(self, profile, numbers, tol)

    def __str__(self) -> str:
        head = f"NormalFormGame {self.name!r}" if self.name else "NormalFormGame"
        lines = [
            head,
            "  players: " + ", ".join(f"{p} {list(a)}" for p, a in zip(self.players, self.actions, strict=True)),
        ]
        for prof, values in self.table.items():
            labels = ", ".join(lab[i] for lab, i in zip(self.actions, prof, strict=True))
            lines.append(f"  ({labels}): " + ", ".join(sp.sstr(v, full_prec=False) for v in values))
        if self.assumptions.relations:
            lines.append("  assumptions: " + ", ".join(sp.sstr(r, full_prec=False) for r in self.assumptions.relations))
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        if len(self.players) != 2:
            return "$" + sp.latex(self.matrices()[0]) + "$"
        rows, cols = self.actions
        body = [" & ".join(["", *(f"\\text{{{c}}}" for c in cols)])]
        for i, r in enumerate(rows):
            cells = [
                f"{sp.latex(self.table[(i, j)][0])},\\ {sp.latex(self.table[(i, j)][1])}" for j in range(len(cols))
            ]
            body.append(" & ".join([f"\\text{{{r}}}", *cells]))
        return "$\\begin{array}{r|" + "c" * len(cols) + "}" + r" \\ ".join(body) + "\\end{array}$"


def _payoff_table(players: tuple[str, ...], actions: tuple[tuple[str, ...], ...], payoffs: Any) -> dict:
    n = len(players)
    shape = tuple(len(a) for a in actions)
    table: dict[Profile, tuple[sp.Expr, ...]] = {}
    if isinstance(payoffs, Mapping):
        for key, values in payoffs.items():
            key_t = (key,) if isinstance(key, str) else tuple(key)
            if len(key_t) != n:
                raise InvalidSpecError(f"payoff key {key!r} must name one action per player ({n})")
            idx = []
            for who, labels, a in zip(players, actions, key_t, strict=True):
                if a not in labels:
                    raise InvalidSpecError(f"payoff key {key!r}: {who!r} has no action {a!r}; actions: {list(labels)}")
                idx.append(labels.index(a))
            table[tuple(idx)] = _leaf(values, n, key)
    elif n == 2 and _matrix_pair(payoffs, shape):
        mats = [_raw_matrix(m) for m in payoffs]
        for name, m in zip("AB", mats, strict=True):
            if m.shape != shape:
                raise InvalidSpecError(f"payoff matrix {name} has shape {m.shape}; the actions give {shape}")
        for i, j in itertools.product(range(shape[0]), range(shape[1])):
            where = (actions[0][i], actions[1][j])
            table[(i, j)] = (
                as_payoff(_scalar(mats[0][i, j]), f"{players[0]} at {where}"),
                as_payoff(_scalar(mats[1][i, j]), f"{players[1]} at {where}"),
            )
    else:
        array = payoffs.tolist() if isinstance(payoffs, np.ndarray) else payoffs
        for prof in itertools.product(*(range(k) for k in shape)):
            node = array
            try:
                for k, i in enumerate(prof):
                    if not isinstance(node, (list, tuple)) or len(node) != shape[k]:
                        raise InvalidSpecError(
                            f"payoff array has the wrong shape at depth {k + 1}: expected {shape[k]} entries "
                            f"for {players[k]!r}, got {node!r}"
                        )
                    node = node[i]
            except TypeError as exc:
                raise InvalidSpecError(
                    f"payoffs must be nested lists of shape {shape} with tuples of {n} payoffs"
                ) from exc
            table[prof] = _leaf(node, n, tuple(a[i] for a, i in zip(actions, prof, strict=True)))
    missing = [p for p in itertools.product(*(range(k) for k in shape)) if p not in table]
    if missing:
        shown = [tuple(a[i] for a, i in zip(actions, p, strict=True)) for p in missing[:5]]
        raise InvalidSpecError(f"payoffs are missing for profiles {shown}")
    return table


def _is_matrix(obj: Any) -> bool:
    return isinstance(obj, (sp.MatrixBase, np.ndarray)) or (
        isinstance(obj, (list, tuple))
        and bool(obj)
        and isinstance(obj[0], (list, tuple))
        and bool(obj[0])
        and not isinstance(obj[0][0], (list, tuple))
    )


_LAYOUTS = (
    "payoffs can be a tuple (A, B) of two m x n matrices (row player's, column player's payoffs), or a nested "
    "list indexed [row][column] whose entries are tuples (u_row, u_col)"
)


def _matrix_pair(payoffs: Any, shape: tuple[int, ...]) -> bool:
    """Whether two-player ``payoffs`` are a pair of matrices ``(A, B)``; raise if the layout is ambiguous.

    A tuple of two matrices is a pair; so is a list of two arrays or sympy matrices. A list of two
    nested lists is a pair only when it cannot be the nested layout (shape not 2 x 2 x 2); a
    2 x 2 game given as a list of two 2 x 2 lists of lists, or as tuples all the way down, reads
    both ways and is refused.
    """
    if not (isinstance(payoffs, (list, tuple)) and len(payoffs) == 2 and all(map(_is_matrix, payoffs))):
        return False
    if all(isinstance(m, (sp.MatrixBase, np.ndarray)) for m in payoffs):
        return True
    leaves_are_tuples = all(isinstance(row, tuple) for m in payoffs if isinstance(m, (list, tuple)) for row in m)
    if shape == (2, 2) and all(_nested_shape(m) == (2, 2) for m in payoffs):
        if isinstance(payoffs, tuple) and not leaves_are_tuples:
            return True  # (A, B) with list rows: the documented matrix form
        if isinstance(payoffs, list) and leaves_are_tuples:
            return False  # [[(u, v), (u, v)], [(u, v), (u, v)]]: the documented nested form
        raise InvalidSpecError(
            f"ambiguous payoffs {payoffs!r} for a 2x2 game: they read both as two matrices [A, B] and as a nested "
            f"list of payoff pairs. {_LAYOUTS}: write (A, B) with a tuple for matrices, or [[(u, v), ...], ...] "
            "with tuples for the pairs"
        )
    return isinstance(payoffs, tuple) or not _nested_fits(payoffs, shape)


def _nested_shape(obj: Any) -> tuple[int, ...]:
    out = []
    while isinstance(obj, (list, tuple)):
        out.append(len(obj))
        if not obj:
            break
        obj = obj[0]
    return tuple(out)


def _nested_fits(payoffs: Any, shape: tuple[int, ...]) -> bool:
    return _nested_shape(payoffs) == (*shape, 2)


def _raw_matrix(m: Any) -> np.ndarray:
    """A payoff matrix as a 2-D object array of its entries, unconverted (strings stay strings)."""
    if isinstance(m, sp.MatrixBase):
        m = m.tolist()
    arr = np.empty(_nested_shape(m) if not isinstance(m, np.ndarray) else m.shape, dtype=object)
    if arr.ndim != 2:
        raise InvalidSpecError(f"a payoff matrix must be 2-D (rows of numbers or expressions), got {m!r}. {_LAYOUTS}")
    try:
        for i, j in itertools.product(range(arr.shape[0]), range(arr.shape[1])):
            arr[i, j] = m[i][j]
    except (IndexError, TypeError) as exc:
        raise InvalidSpecError(f"payoff matrix rows must all have the same length, got {m!r}") from exc
    return arr


def _scalar(v: Any) -> Any:
    if isinstance(v, np.str_ | np.bytes_):
        return str(v)
    return v.item() if isinstance(v, np.generic) else v


def _leaf(values: Any, n: int, where: Any) -> tuple[sp.Expr, ...]:
    if not isinstance(values, (tuple, list)) or len(values) != n:
        raise InvalidSpecError(f"payoffs at {where!r} must be a tuple of {n} payoffs (one per player), got {values!r}")
    return tuple(as_payoff(v, f"player {k + 1} at {where!r}") for k, v in enumerate(values))
