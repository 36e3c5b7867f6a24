"""Result objects of the bimatrix engine and the deviation check (see :mod:`gvcgames.solve.bimatrix`).

Definitions
-----------
A profile ``(x, y)`` of the bimatrix game ``(A, B)`` is a Nash equilibrium iff neither player
gains by a pure deviation: ``max_i (A y)_i <= x' A y`` and ``max_j (x' B)_j <= x' B y``
(:func:`bimatrix_regret` returns both gains). A *maximal Nash subset* is a product
``conv(X) x conv(Y)`` of sets of extreme strategies every pair of which is an equilibrium
(:class:`NashSubset`).

References
----------
.. [1] D. Avis, G. D. Rosenberg, R. Savani and B. von Stengel (2010), "Enumeration of Nash
   equilibria for two-player games", *Economic Theory* 42, 9-37.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from gvcgames.errors import DegenerateGameWarning

__all__ = ["BimatrixResult", "NashSubset", "bimatrix_regret"]

_DESCRIPTION = {
    "vertex": "vertex enumeration of the best-response polytopes (qhull)",
    "exact": "vertex enumeration of the best-response polytopes by bases (exact rational arithmetic)",
    "lemke_howson": "Lemke-Howson from every initial dropped label (own tableaus, lexicographic pivoting)",
    "nashpy_lemke_howson": "Lemke-Howson from every initial dropped label (nashpy's integer pivoting)",
    "nashpy_vertex": "vertex enumeration (nashpy)",
    "nashpy_support": "support enumeration (nashpy)",
}

_COMPONENTS_NOTE = (
    "The game is degenerate: equilibrium components may be connected sets, whose extreme points are listed "
    "(every pair of mixtures within a maximal Nash subset is an equilibrium)"
)


# ---------------------------------------------------------------------------------------------
# result objects


@dataclass(frozen=True)
class NashSubset:
    """A maximal Nash subset ``conv(row) x conv(col)``: every pair of mixtures is an equilibrium.

    Attributes
    ----------
    row, col : tuple of arrays
        The extreme strategies of each player spanning the subset.
    equilibria : tuple of int
        Indices into :attr:`BimatrixResult.equilibria` of the extreme equilibria in the subset.
    """

    row: tuple[np.ndarray, ...]
    col: tuple[np.ndarray, ...]
    equilibria: tuple[int, ...]


@dataclass(frozen=True)
class BimatrixResult:
    """The equilibria of a bimatrix game, with how they were found.

    Attributes
    ----------
    equilibria : list of (x, y)
        Probability vectors of the row and column player; float arrays, or object arrays of
        :class:`fractions.Fraction` when ``exact``. Every one passed the deviation check.
        For ``method="vertex"`` these are all extreme equilibria, in lexicographically
        decreasing order.
    payoffs : list of (float, float)
        Expected payoffs ``(x' A y, x' B y)`` of each equilibrium.
    method : str
        The algorithm, in words.
    converged : bool
        True iff the method ran to completion and no candidate failed verification.
    message : str
        What happened, including failures and the degeneracy caveat.
    degenerate : bool or None
        Whether the game is degenerate; None when the method could not tell.
    exact : bool
        Whether arithmetic was exact (rational).
    complete : bool
        Whether the list provably contains every extreme equilibrium (vertex enumeration).
    shape : (int, int)
        ``(m, n)``, the numbers of actions.
    nash_subsets : tuple of NashSubset
        Maximal Nash subsets (empty for Lemke-Howson and the nashpy methods).
    components : tuple of tuple of int
        Indices of the equilibria in each connected component of the equilibrium set.
    failures : tuple of str
        Candidates or runs that failed (NaN output, profitable deviation, ...).
    """

    equilibria: list[tuple[np.ndarray, np.ndarray]]
    payoffs: list[tuple[Any, Any]]
    method: str
    converged: bool
    message: str
    degenerate: bool | None
    exact: bool = False
    complete: bool = True
    shape: tuple[int, int] = (0, 0)
    nash_subsets: tuple[NashSubset, ...] = ()
    components: tuple[tuple[int, ...], ...] = ()
    failures: tuple[str, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.equilibria)

    def summary(self, digits: int = 4, max_rows: int = 50) -> str:
        """A table of the equilibria with the method, degeneracy and message.

        Parameters
        ----------
        digits : int
            Significant digits of floats (fractions are shown exactly).
        max_rows : int
            Equilibria shown; the rest are counted.
        """
        m, n = self.shape
        kind = {True: "degenerate", False: "nondegenerate", None: "degeneracy not determined"}[self.degenerate]
        count = len(self.equilibria)
        head = f"Bimatrix game {m}x{n}: {count} equilibri{'um' if count == 1 else 'a'}; {kind}"
        rows = [("#", "row strategy", "column strategy", "payoffs")]
        for k, ((x, y), (u, v)) in enumerate(zip(self.equilibria, self.payoffs, strict=True)):
            if k == max_rows:
                break
            rows.append((str(k + 1), _vec(x, digits), _vec(y, digits), f"{_num(u, digits)}, {_num(v, digits)}"))
        widths = [max(len(r[c]) for r in rows) for c in range(4)]
        lines = [head, f"method: {self.method}; converged: {self.converged}"]
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
        if len(self.equilibria) > max_rows:
            lines.append(f"... and {len(self.equilibria) - max_rows} more")
        if self.degenerate and self.complete:
            lines.append(f"components: {len(self.components)}; maximal Nash subsets: {len(self.nash_subsets)}")
        lines.append(self.message)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_latex(self, digits: int = 4) -> str:
        """The equilibria as a LaTeX ``tabular``."""
        body = [
            r"\begin{tabular}{rlll}",
            r"\hline",
            r"\# & $x$ (row) & $y$ (column) & payoffs \\",
            r"\hline",
        ]
        for k, ((x, y), (u, v)) in enumerate(zip(self.equilibria, self.payoffs, strict=True)):
            cells = [
                _vec_latex(x, digits),
                _vec_latex(y, digits),
                f"${_num_latex(u, digits)}, {_num_latex(v, digits)}$",
            ]
            body.append(f"{k + 1} & " + " & ".join(cells) + r" \\")
        body += [r"\hline", r"\end{tabular}"]
        return "\n".join(body)

    def _repr_latex_(self) -> str:
        return self.to_latex()


def _num(v: Any, digits: int) -> str:
    if isinstance(v, Fraction):
        return str(v)
    v = float(v)
    return f"{0.0 if abs(v) < 1e-12 else v:.{digits}g}"


def _vec(x: np.ndarray, digits: int) -> str:
    return "(" + ", ".join(_num(v, digits) for v in x) + ")"


def _num_latex(v: Any, digits: int) -> str:
    if isinstance(v, Fraction) and v.denominator != 1:
        sign = "-" if v < 0 else ""
        return rf"{sign}\tfrac{{{abs(v.numerator)}}}{{{v.denominator}}}"
    return _num(v, digits)


def _vec_latex(x: np.ndarray, digits: int) -> str:
    return "$(" + ", ".join(_num_latex(v, digits) for v in x) + ")$"


# ---------------------------------------------------------------------------------------------
# the deviation check


def bimatrix_regret(A: Any, B: Any, x: Any, y: Any) -> tuple[Any, Any]:
    """The gains from the best pure deviation of the row and the column player.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row and the column player.
    x, y : array_like
        Mixed strategies of the row (length ``m``) and the column player (length ``n``).

    Returns
    -------
    (row_regret, col_regret)
        ``max_i (A y)_i - x' A y`` and ``max_j (x' B)_j - x' B y``; both are ``<= 0`` (up to
        round-off) iff ``(x, y)`` is a Nash equilibrium. Exact for arrays of fractions.

    Examples
    --------
    >>> bimatrix_regret([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [0.5, 0.5], [0.5, 0.5])
    (0.0, 0.0)
    >>> bimatrix_regret([[1, -1], [-1, 1]], [[-1, 1], [1, -1]], [1, 0], [1, 0])
    (0, 2)
    """
    A, B = np.asarray(A), np.asarray(B)
    x, y = np.asarray(x), np.asarray(y)
    Ay = A @ y
    xB = x @ B
    r1, r2 = Ay.max() - x @ Ay, xB.max() - xB @ y
    return (r1.item() if isinstance(r1, np.generic) else r1), (r2.item() if isinstance(r2, np.generic) else r2)


def _payoffs(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
    u, v = x @ A @ y, x @ B @ y
    if isinstance(u, Fraction):
        return u, v
    return float(u), float(v)


def _warn_degenerate(shape: tuple[int, ...], extra: str = "", stacklevel: int = 4) -> None:
    warnings.warn(
        DegenerateGameWarning(
            f"the {shape[0]}x{shape[1]} bimatrix game is degenerate (a mixed strategy with support of size k has "
            "more than k pure best responses); equilibria may form connected sets"
            + (extra or ", whose extreme points are returned")
        ),
        stacklevel=stacklevel,
    )


def _probabilities(z: np.ndarray, tol: float) -> np.ndarray | None:
    """Normalise a vertex to a probability vector, clipping round-off; None if it is not one."""
    total = z.sum()
    if not total > 0:
        return None
    p = z / total
    if p.min() < -tol:
        return None
    p = np.clip(p, 0.0, None)
    return p / p.sum()
