"""Textbook games used as known-answer checks of the engine.

References
----------
Cournot, A. (1838). *Recherches sur les principes mathématiques de la théorie des richesses.*
von Stackelberg, H. (1934). *Marktform und Gleichgewicht.*
Spengler, J. J. (1950). Vertical integration and antitrust policy. *Journal of Political
Economy* 58(4), 347-352.
Tirole, J. (1988). *The Theory of Industrial Organization*, MIT Press, sections 4.2 and 5.
"""

from __future__ import annotations

import sympy as sp

from gvcgames.errors import InvalidSpecError
from gvcgames.spec.games import ContinuousGame, SequentialGame
from gvcgames.spec.symbols import actions, parameters


def _demand() -> tuple[sp.Symbol, sp.Symbol, sp.Symbol]:
    a = parameters("a", positive=True, description="demand intercept")
    b = parameters("b", positive=True, description="demand slope")
    c = parameters("c", positive=True, description="unit cost")
    return a, b, c


def cournot(n: int = 2) -> ContinuousGame:
    """Cournot oligopoly: ``n`` firms, inverse demand ``P = a - b Q``, unit cost ``c``, ``a > c``.

    Known answer (Tirole 1988, sec. 5.4): ``q_i* = (a - c) / (b (n + 1))``.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise InvalidSpecError(f"n (number of firms) must be a positive integer, got {n!r}")
    a, b, c = _demand()
    qs = actions(
        " ".join(f"q{i}" for i in range(1, n + 1)) + ("," if n == 1 else ""), nonnegative=True, description="output"
    )
    price = a - b * sp.Add(*qs)
    players = {f"firm{i}": (q, (price - c) * q) for i, q in enumerate(qs, 1)}
    return ContinuousGame(players, assumptions=[a > c], name=f"Cournot oligopoly (n = {n})")


def stackelberg() -> SequentialGame:
    """Stackelberg duopoly: the leader sets ``q1``, the follower observes it and sets ``q2``.

    Known answer (Tirole 1988, sec. 8.2): ``q1* = (a - c)/(2b)``, ``q2* = (a - c)/(4b)``.
    """
    a, b, c = _demand()
    q1, q2 = actions("q1 q2", nonnegative=True, description="output")
    price = a - b * (q1 + q2)
    return SequentialGame(
        [("leader", q1, (price - c) * q1), ("follower", q2, (price - c) * q2)],
        assumptions=[a > c],
        name="Stackelberg duopoly",
    )


def double_marginalisation() -> SequentialGame:
    """Supplier-lead firm chain: the supplier sets the wholesale price ``w``, the lead firm
    then buys ``q`` and sells at ``P = A - B q``; the supplier's unit cost is ``c < A``.

    Known answer (Spengler 1950; Tirole 1988, sec. 4.2): ``w* = (A + c)/2``,
    ``q* = (A - c)/(4B)``, half the integrated output ``(A - c)/(2B)``
    (see :func:`integrated_chain`).
    """
    A = parameters("A", positive=True, description="demand intercept")
    B = parameters("B", positive=True, description="demand slope")
    c = parameters("c", positive=True, description="supplier's unit cost")
    w = actions("w", nonnegative=True, description="wholesale price")
    q = actions("q", nonnegative=True, description="quantity")
    return SequentialGame(
        [("supplier", w, (w - c) * q), ("lead firm", q, (A - B * q - w) * q)],
        assumptions=[c < A],
        name="Double marginalisation",
    )


def integrated_chain() -> ContinuousGame:
    """The vertically integrated benchmark of :func:`double_marginalisation`."""
    A = parameters("A", positive=True, description="demand intercept")
    B = parameters("B", positive=True, description="demand slope")
    c = parameters("c", positive=True, description="supplier's unit cost")
    q = actions("q", nonnegative=True, description="quantity")
    return ContinuousGame({"integrated firm": (q, (A - B * q - c) * q)}, assumptions=[c < A], name="Integrated chain")
