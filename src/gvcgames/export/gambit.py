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
round-trip decimal. Export reads games and never solves them.

References
----------
.. [1] R. D. McKelvey, A. M. McLennan and T. L. Turocy, *Gambit: Software Tools for Game
   Theory*, file formats: https://gambitproject.readthedocs.io/en/latest/formats.html
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import sympy as sp

from gvcgames.errors import InvalidSpecError, InvalidValuesError

__all__ = ["to_efg", "to_nfg"]


def to_nfg(game: Any, path: str | Path | None = None, title: str | None = None) -> str:
    """The strategic form of a numeric finite game in Gambit's ``.nfg`` format.

    Parameters
    ----------
    game : NormalFormGame
        Every payoff must be a number (substitute parameters with ``game.at(values)``).
    path : str or Path, optional
        Where to write the file; the text is returned either way.
    title : str, optional
        Game title (default: the game's name).

    Returns
    -------
    str
        The file's text.

    Raises
    ------
    InvalidSpecError
        The game is not a NormalFormGame.
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
    head = f"NFG 1 R {_quote(title if title is not None else game.name)} {{ {' '.join(map(_quote, game.players))} }}"
    strategies = "{ " + "\n".join("{ " + " ".join(map(_quote, labels)) + " }" for labels in game.actions) + "\n}"
    numbers = []
    # Gambit's order: the first player's strategy changes fastest
    for reversed_profile in itertools.product(*(range(n) for n in reversed(game.shape))):
        profile = tuple(reversed(reversed_profile))
        numbers += [_number(v, game, profile, i) for i, v in enumerate(game.table[profile])]
    text = "\n".join([head, strategies, _quote(game.description), "", " ".join(numbers), ""])
    _write(path, text)
    return text


def to_efg(game: Any, path: str | Path | None = None, title: str | None = None) -> str:
    """A numeric normal-form game as a Gambit ``.efg`` tree of simultaneous moves.

    Player ``k`` moves at depth ``k`` in a single information set, so the tree has the same
    strategic form (and the same equilibria) as ``game``.

    Parameters
    ----------
    game : NormalFormGame
        Every payoff must be a number.
    path : str or Path, optional
        Where to write the file; the text is returned either way.
    title : str, optional
        Game title (default: the game's name).

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
    _check(game)
    lines = [
        f"EFG 2 R {_quote(title if title is not None else game.name)} {{ {' '.join(map(_quote, game.players))} }}",
        _quote(game.description),
        "",
    ]
    outcome = itertools.count(1)

    def node(prefix: tuple[int, ...]) -> None:
        depth = len(prefix)
        if depth == len(game.players):
            label = ", ".join(lab[i] for lab, i in zip(game.actions, prefix, strict=True))
            payoffs = " ".join(_number(v, game, prefix, i) for i, v in enumerate(game.table[prefix]))
            lines.append(f"t {_quote('')} {next(outcome)} {_quote(label)} {{ {payoffs} }}")
            return
        actions = " ".join(map(_quote, game.actions[depth]))
        lines.append(f'p "" {depth + 1} 1 "" {{ {actions} }} 0')
        for a in range(game.shape[depth]):
            node((*prefix, a))

    node(())
    text = "\n".join(lines) + "\n"
    _write(path, text)
    return text


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
    # Gambit strings are double-quoted with backslash escapes
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write(path: str | Path | None, text: str) -> None:
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
