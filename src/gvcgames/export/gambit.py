"""Gambit files for numeric finite games: strategic form (``.nfg``) and game trees (``.efg``).

Definitions
-----------
Gambit's ``.nfg`` format (outcome-free payoff version) lists the players and their strategy
labels, then the payoff of every player at every profile, with the *first* player's strategy
changing fastest. The ``.efg`` format writes a game tree node by node in depth-first order:
``p`` personal nodes (player, information set, actions), ``c`` chance nodes and ``t``
terminal nodes with an outcome (one payoff per player). A normal-form game becomes a tree of
simultaneous moves: player ``k`` moves at every node of depth ``k``, all in one information
set, so no player observes an earlier move.

Numbers are written exactly: integers and rationals as ``p/q``, floats as their shortest
round-trip decimal. Export reads games and never solves them; :func:`cross_check` is the one
exception, a test utility that solves the game both here and in pygambit and compares.

Labels (player, strategy and action names, titles, descriptions) are double-quoted. Gambit's
reader accepts only printable ASCII in them and reads ``\\"`` as a quote, but it does not read
a backslash back as written (``\\\\`` becomes three backslashes). So quotes are escaped, and a
label with a backslash, a control character (newline, tab) or a non-ASCII character is refused
with :class:`~gvcgames.InvalidSpecError` naming it; ``labels="ascii"`` transliterates instead
(accents dropped by NFKD decomposition, whitespace to spaces, backslashes to ``/``, other
characters to ``?``), and refuses if two labels of a player become equal.

References
----------
.. [1] R. D. McKelvey, A. M. McLennan and T. L. Turocy, *Gambit: Software Tools for Game
   Theory*, file formats: https://gambitproject.readthedocs.io/en/latest/formats.html
"""

from __future__ import annotations

import io
import itertools
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy as sp

from gvcgames.errors import InvalidSpecError, InvalidValuesError, MissingDependencyError

__all__ = ["GambitCrossCheck", "cross_check", "to_efg", "to_nfg"]

LABEL_MODES = ("strict", "ascii")


def to_nfg(game: Any, path: str | Path | None = None, title: str | None = None, labels: str = "strict") -> str:
    """The strategic form of a numeric finite game in Gambit's ``.nfg`` format.

    Parameters
    ----------
    game : NormalFormGame
        Every payoff must be a number (substitute parameters with ``game.at(values)``).
    path : str or Path, optional
        Where to write the file; the text is returned either way.
    title : str, optional
        Game title (default: the game's name).
    labels : {"strict", "ascii"}
        ``"strict"``: refuse labels Gambit cannot read back; ``"ascii"``: transliterate them
        (see the module docstring).

    Returns
    -------
    str
        The file's text.

    Raises
    ------
    InvalidSpecError
        The game is not a NormalFormGame, or a label Gambit cannot read (non-ASCII, a control
        character or a backslash) with ``labels="strict"``.
    InvalidValuesError
        A payoff is not a real number (a parameter is left).

    Examples
    --------
    >>> import gvcgames as gg
    >>> pd = gg.NormalFormGame(["row", "col"], [["C", "D"], ["C", "D"]], ([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    >>> print(to_nfg(pd, title="PD"))
    NFG 1 R "PD" { "row" "col" }
    { { "C" "D" }
    { "C" "D" }
    }
    ""
    <BLANKLINE>
    3 3 5 0 0 5 1 1
    <BLANKLINE>
    """
    _check(game)
    names = _Labels(game, title, labels)
    head = f"NFG 1 R {names.title} {{ {' '.join(names.players)} }}"
    strategies = "{ " + "\n".join("{ " + " ".join(acts) + " }" for acts in names.actions) + "\n}"
    numbers = []
    # Gambit's order: the first player's strategy changes fastest
    for reversed_profile in itertools.product(*(range(n) for n in reversed(game.shape))):
        profile = tuple(reversed(reversed_profile))
        numbers += [_number(v, game, profile, i) for i, v in enumerate(game.table[profile])]
    text = "\n".join([head, strategies, names.description, "", " ".join(numbers), ""])
    _write(path, text)
    return text


def to_efg(game: Any, path: str | Path | None = None, title: str | None = None, labels: str = "strict") -> str:
    """A numeric game tree, or a normal-form game as a tree of simultaneous moves, as a Gambit ``.efg``.

    An :class:`~gvcgames.ExtensiveFormGame` is written node by node: its decision nodes with
    their information sets, Nature's chance nodes with their probabilities, the leaves with
    their payoffs. A normal-form game becomes a tree where player ``k`` moves at depth ``k``
    in a single information set, so it has the same strategic form (and equilibria).

    Parameters
    ----------
    game : ExtensiveFormGame or NormalFormGame
        Every payoff (and probability) must be a number: export ``game.subs({...})`` or
        ``game.at({...})``.
    path : str or Path, optional
        Where to write the file; the text is returned either way.
    title : str, optional
        Game title (default: the game's name).
    labels : {"strict", "ascii"}
        As for :func:`to_nfg`.

    Returns
    -------
    str
        The file's text.

    Raises
    ------
    InvalidSpecError, InvalidValuesError
        As for :func:`to_nfg`.

    Examples
    --------
    >>> import gvcgames as gg
    >>> g = gg.NormalFormGame(["a", "b"], [["x", "y"], ["l", "r"]], ([[1, 0], [0, 1]], [[1, 0], [0, 2]]))
    >>> print(to_efg(g, title="coordination"))
    EFG 2 R "coordination" { "a" "b" }
    ""
    <BLANKLINE>
    p "" 1 1 "" { "x" "y" } 0
    p "" 2 1 "" { "l" "r" } 0
    t "" 1 "x, l" { 1 1 }
    t "" 2 "x, r" { 0 0 }
    p "" 2 1 "" { "l" "r" } 0
    t "" 3 "y, l" { 0 0 }
    t "" 4 "y, r" { 1 2 }
    <BLANKLINE>
    """
    from gvcgames.spec.tree import ExtensiveFormGame

    if isinstance(game, ExtensiveFormGame):
        text = _tree_efg(game, title, labels)
        _write(path, text)
        return text
    _check(game)
    names = _Labels(game, title, labels)
    lines = [f"EFG 2 R {names.title} {{ {' '.join(names.players)} }}", names.description, ""]
    outcome = itertools.count(1)

    def node(prefix: tuple[int, ...]) -> None:
        depth = len(prefix)
        if depth == len(game.players):
            label = ", ".join(lab[i] for lab, i in zip(names.raw_actions, prefix, strict=True))
            payoffs = " ".join(_number(v, game, prefix, i) for i, v in enumerate(game.table[prefix]))
            lines.append(f"t {_quote('')} {next(outcome)} {_quote(label)} {{ {payoffs} }}")
            return
        lines.append(f'p "" {depth + 1} 1 "" {{ {" ".join(names.actions[depth])} }} 0')
        for a in range(game.shape[depth]):
            node((*prefix, a))

    node(())
    text = "\n".join(lines) + "\n"
    _write(path, text)
    return text


def _tree_efg(game: Any, title: str | None, mode: str) -> str:
    """The ``.efg`` text of a numeric :class:`~gvcgames.ExtensiveFormGame` (depth first, as Gambit reads it)."""
    from gvcgames.spec.tree import Chance, Leaf, describe

    if mode not in LABEL_MODES:
        raise InvalidSpecError(f"labels must be one of {list(LABEL_MODES)}, got {mode!r}")
    free = sorted(str(s) for s in game.tree.symbols)
    if free:
        raise InvalidValuesError(f"the tree still depends on {free}; export a numeric instance: game.subs({{...}})")
    tree = game.tree
    players = list(tree.players)
    number = {p: i + 1 for i, p in enumerate(players)}
    infoset_ids: dict[str, int] = {}
    per_player: dict[str, int] = {}
    chance_ids = itertools.count(1)
    outcome = itertools.count(1)

    def label(text: str, what: str) -> str:
        return _quote(_gambit_label(text, what, mode))

    def exact(value: sp.Expr, where: str) -> str:
        v = sp.sympify(value)
        if v.is_Integer:
            return str(int(v))
        if v.is_Rational:
            return f"{int(v.p)}/{int(v.q)}"
        if v.is_number and v.is_real:
            return repr(float(v))
        raise InvalidValuesError(f"{where} is {v}, not a real number")

    lines = [
        f"EFG 2 R {label(title if title is not None else game.name, 'title')} "
        f"{{ {' '.join(label(p, 'player name') for p in players)} }}",
        label(game.description, "description"),
        "",
    ]
    for path, node in tree.nodes():
        where = describe(path)
        if isinstance(node, Leaf):
            pays = " ".join(exact(node.payoffs[p], f"{p}'s payoff {where}") for p in players)
            lines.append(f't "" {next(outcome)} {label(where, "leaf")} {{ {pays} }}')
        elif isinstance(node, Chance):
            probs = " ".join(
                f"{label(k, 'outcome label')} {exact(v, f'the probability of {k!r} {where}')}"
                for k, v in node.probabilities.items()
            )
            # node labels must be unique in Gambit: the draw is named in its information set instead
            lines.append(f'c "" {next(chance_ids)} {label(f"{node.name} {where}", "chance node")} {{ {probs} }} 0')
        else:
            info = tree.infoset_of(path)
            if info.label not in infoset_ids:
                per_player[info.player] = per_player.get(info.player, 0) + 1
                infoset_ids[info.label] = per_player[info.player]
            acts = " ".join(label(a, f"action of {info.player!r}") for a in info.actions)
            lines.append(
                f'p "" {number[info.player]} {infoset_ids[info.label]} {label(info.label, "information set")} '
                f"{{ {acts} }} 0"
            )
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class GambitCrossCheck:
    """The equilibria of a numeric game here and in pygambit, compared as sets.

    Attributes
    ----------
    agree : bool
        Whether the two sets are equal (exactly, or within ``tol`` for floats).
    ours, theirs : tuple
        Each equilibrium as one tuple of probabilities per player (Fractions when ``exact``).
    only_ours, only_theirs : tuple
        Equilibria in one set and not the other.
    players : tuple of str
        The players, in the order of the probability tuples.
    method : str
        What was compared (gvcgames' method and pygambit's solver).
    exact : bool
        Rational arithmetic on both sides.
    message : str
        What the comparison covers.
    """

    agree: bool
    ours: tuple[tuple[tuple[Any, ...], ...], ...]
    theirs: tuple[tuple[tuple[Any, ...], ...], ...]
    only_ours: tuple[tuple[tuple[Any, ...], ...], ...]
    only_theirs: tuple[tuple[tuple[Any, ...], ...], ...]
    method: str
    exact: bool
    message: str
    players: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.agree

    def summary(self) -> str:
        """The verdict, the counts and the differing equilibria."""
        verdict = "agree" if self.agree else "DISAGREE"
        lines = [
            f"Gambit cross-check: {verdict} ({len(self.ours)} equilibria here, {len(self.theirs)} in pygambit)",
            f"method: {self.method}; exact: {self.exact}",
        ]
        for name, eqs in (("only here", self.only_ours), ("only in pygambit", self.only_theirs)):
            lines += [
                f"  {name}: " + ", ".join(f"{p}: ({_show(mix)})" for p, mix in zip(self.players, eq, strict=True))
                for eq in eqs
            ]
        lines.append(self.message)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _show(mix: tuple[Any, ...]) -> str:
    return ", ".join(str(v) if isinstance(v, Fraction) else f"{float(v):.6g}" for v in mix)


def cross_check(game: Any, exact: bool | None = None, tol: float = 1e-7, ours: Any = None) -> GambitCrossCheck:
    """Compare gvcgames' equilibria of a numeric game with pygambit's, as sets.

    The game goes to pygambit through :func:`to_nfg` (so the file format is checked too).
    Two players: every extreme equilibrium (``game.equilibria``) against Gambit's
    ``enummixed_solve`` (all extreme equilibria, exact in rational arithmetic; McKelvey,
    McLennan and Turocy). More players: the pure equilibria (``method="pure"``) against
    ``enumpure_solve``.

    Parameters
    ----------
    game : NormalFormGame
        A numeric instance (``game.at(values)``).
    exact : bool, optional
        Rational arithmetic on both sides; default when every payoff is rational and the game
        is at most about 6x6 (exact enumeration gets slow beyond).
    tol : float
        Tolerance of the float comparison.
    ours : Solution, optional
        Equilibria already computed here (default: computed now).

    Returns
    -------
    GambitCrossCheck
        Truthy iff the sets agree.

    Raises
    ------
    MissingDependencyError
        pygambit is not installed.
    InvalidValuesError
        A payoff is not a number.

    References
    ----------
    .. [1] R. D. McKelvey, A. M. McLennan and T. L. Turocy, *Gambit: Software Tools for Game
       Theory*, https://www.gambit-project.org

    Examples
    --------
    >>> import gvcgames as gg
    >>> bos = gg.NormalFormGame(["r", "c"], [["o", "f"], ["o", "f"]], ([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    >>> check = cross_check(bos)
    >>> bool(check), len(check.ours)
    (True, 3)
    """
    _check(game)
    try:
        import pygambit
    except ImportError as exc:
        raise MissingDependencyError(
            "cross_check needs pygambit: pip install 'gvcgames[gambit]' (builds pygambit from source, a few "
            "minutes; the 'test' extra includes it)"
        ) from exc
    from gvcgames.solve.finite_numeric import EXACT_AUTO_LIMIT

    two = len(game.players) == 2
    if exact is None:
        rational = all(sp.sympify(v).is_Rational for values in game.table.values() for v in values)
        exact = rational and (not two or _comb(game.shape) <= EXACT_AUTO_LIMIT)
    if ours is None:
        ours = game.equilibria(exact=exact) if two else game.equilibria("pure", exact=exact)
    here = tuple(_mixes(game, eq, exact) for eq in ours)
    theirs_game = pygambit.read_nfg(io.StringIO(to_nfg(game, labels="ascii")))
    if two:
        found = pygambit.nash.enummixed_solve(theirs_game, rational=exact)
        method = f"gvcgames {ours.method} vs pygambit enummixed_solve(rational={exact})"
        scope = "two players: every extreme equilibrium on both sides"
    else:
        found = pygambit.nash.enumpure_solve(theirs_game)
        method = f"gvcgames {ours.method} vs pygambit enumpure_solve"
        scope = f"{len(game.players)} players: pure equilibria only"
    there = tuple(
        tuple(tuple(_gambit_number(eq[s], exact) for s in player.strategies) for player in theirs_game.players)
        for eq in found.equilibria
    )

    def same(a: Any, b: Any) -> bool:
        if exact:
            return bool(a == b)
        return all(
            abs(float(u) - float(v)) <= tol for x, y in zip(a, b, strict=True) for u, v in zip(x, y, strict=True)
        )

    only_ours = tuple(e for e in here if not any(same(e, f) for f in there))
    only_theirs = tuple(f for f in there if not any(same(e, f) for e in here))
    agree = not only_ours and not only_theirs
    return GambitCrossCheck(agree, here, there, only_ours, only_theirs, method, bool(exact), scope, tuple(game.players))


def _comb(shape: tuple[int, ...]) -> int:
    from math import comb

    return comb(sum(shape), shape[0])


def _mixes(game: Any, eq: Any, exact: bool) -> tuple[tuple[Any, ...], ...]:
    out: list[tuple[Any, ...]] = []
    for player, labels in zip(game.players, game.actions, strict=True):
        probs = eq[player]
        if exact:
            out.append(tuple(Fraction(int(sp.Rational(probs[a]).p), int(sp.Rational(probs[a]).q)) for a in labels))
        else:
            out.append(tuple(float(probs[a]) for a in labels))
    return tuple(out)


def _gambit_number(value: Any, exact: bool) -> Any:
    return Fraction(str(value)) if exact else float(value)


def _check(game: Any) -> None:
    from gvcgames.spec.finite import NormalFormGame

    if not isinstance(game, NormalFormGame):
        raise InvalidSpecError(f"Gambit export needs a NormalFormGame, got {type(game).__name__}")
    free = sorted(str(s) for s in game.parameters_or_symbols())
    if free:
        raise InvalidValuesError(f"payoffs still depend on {free}; export a numeric instance: game.at({{...}})")


def _number(value: sp.Expr, game: Any, profile: tuple[int, ...], player: int) -> str:
    v = sp.sympify(value)
    if v.is_Integer:
        return str(int(v))
    if v.is_Rational:
        return f"{int(v.p)}/{int(v.q)}"
    if v.is_Float:
        return repr(float(v))
    where = ", ".join(lab[i] for lab, i in zip(game.actions, profile, strict=True))
    raise InvalidValuesError(
        f"payoff of {game.players[player]!r} at ({where}) is {v}, not a rational or float number; "
        "Gambit files need numbers (evaluate it with sympy's .evalf() first)"
    )


def _quote(text: str) -> str:
    # Gambit strings are double-quoted; a quote inside is written \" (labels are checked first)
    return '"' + str(text).replace('"', '\\"') + '"'


def _gambit_label(text: str, what: str, mode: str) -> str:
    """``text`` if Gambit reads it back unchanged, else refused (``"strict"``) or transliterated (``"ascii"``)."""
    text = str(text)
    bad = [ch for ch in text if not (" " <= ch <= "~") or ch == "\\"]
    if not bad:
        return text
    if mode == "strict":
        shown = ", ".join(sorted({repr(ch) for ch in bad}))
        raise InvalidSpecError(
            f"{what} {text!r} has characters Gambit cannot read back ({shown}): Gambit labels are printable ASCII "
            "without backslashes (quotes are escaped). Rename it, or pass labels='ascii' to transliterate"
        )
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if " " <= ch <= "~" and ch != "\\":
            out.append(ch)
        elif ch == "\\":
            out.append("/")
        elif ch.isspace():
            out.append(" ")
        elif not unicodedata.combining(ch):
            out.append("?")
    return "".join(out)


class _Labels:
    """Every label of a game, checked (and quoted) for Gambit."""

    def __init__(self, game: Any, title: str | None, mode: str) -> None:
        if mode not in LABEL_MODES:
            raise InvalidSpecError(f"labels must be one of {list(LABEL_MODES)}, got {mode!r}")
        players = [_gambit_label(p, "player name", mode) for p in game.players]
        actions = [
            [_gambit_label(a, f"action label of {p!r}", mode) for a in acts]
            for p, acts in zip(game.players, game.actions, strict=True)
        ]
        for what, group in [
            ("player names", players),
            *((f"actions of {p!r}", a) for p, a in zip(players, actions, strict=True)),
        ]:
            if len(set(group)) != len(group):
                raise InvalidSpecError(f"{what} {group} are not distinct after transliteration; rename them")
        self.raw_actions = actions
        self.players = [_quote(p) for p in players]
        self.actions = [[_quote(a) for a in acts] for acts in actions]
        self.title = _quote(_gambit_label(title if title is not None else game.name, "title", mode))
        self.description = _quote(_gambit_label(game.description, "description", mode))


def _write(path: str | Path | None, text: str) -> None:
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
