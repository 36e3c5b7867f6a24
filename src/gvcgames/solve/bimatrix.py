r"""All Nash equilibria of a numeric two-player game (bimatrix game).

Definitions
-----------
A bimatrix game is a pair of ``m x n`` payoff matrices: ``A`` for the row player, ``B`` for the
column player. Mixed strategies are probability vectors ``x`` (length ``m``) and ``y``
(length ``n``). A profile ``(x, y)`` is a Nash equilibrium iff neither player gains by a pure
deviation: ``max_i (A y)_i <= x' A y`` and ``max_j (x' B)_j <= x' B y``.

Shift and scale both matrices to positive entries (equilibria do not change). The
*best-response polytopes* are

.. math::

    P = \{x \in \mathbb{R}^m : x \ge 0,\ B^\top x \le 1\}, \qquad
    Q = \{y \in \mathbb{R}^n : A y \le 1,\ y \ge 0\}.

A point of ``P`` has *label* ``i`` (``0 <= i < m``) if ``x_i = 0`` and label ``m + j`` if
``(B' x)_j = 1`` (column ``j`` is a best response to ``x``); a point of ``Q`` has label ``i`` if
``(A y)_i = 1`` and label ``m + j`` if ``y_j = 0``. A pair ``(x, y) != (0, 0)`` is *completely
labelled* if every label ``0, ..., m + n - 1`` is a label of ``x`` or of ``y``; then the
normalised pair ``(x / sum(x), y / sum(y))`` is a Nash equilibrium, and every Nash equilibrium
arises this way (von Stengel 2002, Theorem 3.1).

The game is *nondegenerate* if no mixed strategy with support of size ``k`` has more than ``k``
pure best responses; equivalently no point of ``P`` has more than ``m`` labels and no point of
``Q`` more than ``n``. The labels of a point are the constraints tight there, and the face they
define has a vertex with at least those labels, so checking the vertices suffices.

*Extreme equilibria* are the completely labelled pairs of vertices of ``P`` and ``Q``. In a
nondegenerate game every equilibrium is extreme and isolated. In a degenerate game the
equilibria form finitely many *maximal Nash subsets* ``conv(X) x conv(Y)`` (``X``, ``Y`` sets of
extreme strategies such that every pair in ``X x Y`` is an extreme equilibrium, i.e. maximal
bicliques of the bipartite graph of extreme equilibria); the connected components of that graph
are the topological components of the equilibrium set (Avis, Rosenberg, Savani and von Stengel
2010, Section 4). :func:`all_equilibria` returns the extreme equilibria, the maximal Nash
subsets and the components.

Algorithm
---------
``method="vertex"`` (default) enumerates the vertices of ``P`` and ``Q`` with qhull
(``scipy.spatial.HalfspaceIntersection``, i.e. the convex hull of the polar polytope; Barber,
Dobkin and Huhdanpaa 1996), labels each vertex by its tight constraints (a bitmask), and
matches complementary label sets with numpy: in a nondegenerate game the complement of a vertex
label set of ``P`` must equal a label set of ``Q``, a sorted-array join; in a degenerate game
every pair is tested with bitwise OR. Each match is refined by solving its tight constraints
(least squares), clipped of round-off (``-1e-17`` is zero), and verified against pure
deviations. ``exact=True`` enumerates the vertices by their bases (support pairs ``S``, ``J``
with ``|S| = |J|`` solving ``B[S, J]' x_S = 1`` exactly in rational arithmetic) and returns
:class:`fractions.Fraction` probabilities. This is complete for degenerate games too, but its
cost grows like ``binomial(m + n, m)``.

``method="lemke_howson"`` follows the Lemke-Howson path from each initial dropped label (own
float tableaus with lexicographic pivoting, so degenerate games do not cycle);
``method="nashpy_vertex"`` and ``method="nashpy_support"`` call nashpy (Knight and Campbell
2018). Their output is verified, and NaN or wrong results are reported as failures.

References
----------
.. [1] D. Avis, G. D. Rosenberg, R. Savani and B. von Stengel (2010), "Enumeration of Nash
   equilibria for two-player games", *Economic Theory* 42, 9-37.
.. [2] B. von Stengel (2002), "Computing equilibria for two-person games", in *Handbook of Game
   Theory* vol. 3, ch. 45, 1723-1759.
.. [3] C. B. Barber, D. P. Dobkin and H. Huhdanpaa (1996), "The Quickhull algorithm for convex
   hulls", *ACM Transactions on Mathematical Software* 22, 469-483.
.. [4] C. E. Lemke and J. T. Howson (1964), "Equilibrium points of bimatrix games", *SIAM
   Journal on Applied Mathematics* 12, 413-423.
.. [5] V. Knight and J. Campbell (2018), "Nashpy: a Python library for the computation of
   Nash equilibria", *Journal of Open Source Software* 3(30), 904.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from gvcgames.errors import DegenerateGameWarning, InvalidSpecError, InvalidValuesError

__all__ = ["METHODS", "BimatrixResult", "NashSubset", "all_equilibria", "bimatrix_regret"]

METHODS = ("vertex", "lemke_howson", "nashpy_vertex", "nashpy_support")

_DESCRIPTION = {
    "vertex": "vertex enumeration of the best-response polytopes (qhull)",
    "exact": "vertex enumeration of the best-response polytopes by bases (exact rational arithmetic)",
    "lemke_howson": "Lemke-Howson from every initial dropped label (lexicographic pivoting)",
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
# public functions


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


def all_equilibria(
    A: Any,
    B: Any,
    *,
    exact: bool = False,
    method: str = "vertex",
    tol: float = 1e-9,
    initial_dropped_label: int | Sequence[int] | None = None,
) -> BimatrixResult:
    """Every extreme Nash equilibrium of the bimatrix game ``(A, B)``.

    Vertex enumeration of the best-response polytopes ([1]_, Section 3): vertices by qhull
    ([3]_), labels as bitmasks, complementary pairs matched with numpy; or exact vertex
    enumeration in rational arithmetic. See the module docstring for the definitions.

    Parameters
    ----------
    A, B : array_like, shape (m, n)
        Payoffs of the row player (``A``) and the column player (``B``); finite numbers. With
        ``exact=True`` the entries may be ints, :class:`~fractions.Fraction`, sympy Rationals
        or floats (a float is read as its shortest round-trip decimal: ``0.1`` is ``1/10``).
    exact : bool
        Rational arithmetic (only with ``method="vertex"``); cost grows like
        ``binomial(m + n, m)`` (about 0.3 s for a 6x6 game and 1.3 s for 7x7), so meant for
        small games.
    method : {"vertex", "lemke_howson", "nashpy_vertex", "nashpy_support"}
        ``"vertex"``: complete enumeration (default). ``"lemke_howson"``: Lemke-Howson
        ([4]_) from each initial dropped label; finds some equilibria, not all.
        ``"nashpy_vertex"``: nashpy's vertex enumeration ([5]_; slow; nondegenerate games).
        ``"nashpy_support"``: nashpy's support enumeration (slow; may miss equilibria).
    tol : float
        Tolerance of the labels (on payoffs rescaled to ``[1, 2]``), of the deviation check
        (times ``max(1, max|payoff|)``) and of round-off clipping of probabilities.
    initial_dropped_label : int or sequence of int, optional
        Labels for ``method="lemke_howson"``; default all ``0, ..., m + n - 1``.

    Returns
    -------
    BimatrixResult
        Equilibria (each verified), payoffs, method, convergence, message, degeneracy flag,
        maximal Nash subsets and components.

    Raises
    ------
    InvalidSpecError
        Matrices of different or non-2-D shape, an unknown method, ``exact`` with a nashpy
        method, or a non-positive ``tol``.
    InvalidValuesError
        Entries that are not finite numbers (or not rational with ``exact=True``).

    Warns
    -----
    DegenerateGameWarning
        The game is degenerate; all extreme equilibria are still returned (for
        ``method="vertex"``) together with the maximal Nash subsets and components.

    References
    ----------
    .. [1] Avis, Rosenberg, Savani and von Stengel (2010), *Economic Theory* 42, 9-37.
    .. [2] von Stengel (2002), *Handbook of Game Theory* vol. 3, ch. 45.
    .. [3] Barber, Dobkin and Huhdanpaa (1996), *ACM TOMS* 22, 469-483.
    .. [4] Lemke and Howson (1964), *SIAM J. Appl. Math.* 12, 413-423.
    .. [5] Knight and Campbell (2018), *JOSS* 3(30), 904.

    Examples
    --------
    Battle of the sexes has two pure equilibria and one mixed:

    >>> res = all_equilibria([[3, 0], [0, 2]], [[2, 0], [0, 3]], exact=True)
    >>> print(res)
    Bimatrix game 2x2: 3 equilibria; nondegenerate
    method: vertex enumeration of the best-response polytopes by bases (exact rational arithmetic); converged: True
    #  row strategy  column strategy  payoffs
    1  (1, 0)        (1, 0)           3, 2
    2  (3/5, 2/5)    (2/5, 3/5)       6/5, 6/5
    3  (0, 1)        (0, 1)           2, 3
    all 3 extreme equilibria (complete enumeration)

    The float engine finds the same set, and every equilibrium passes the deviation check:

    >>> import numpy as np
    >>> A, B = np.array([[3, 0], [0, 2]]), np.array([[2, 0], [0, 3]])
    >>> res = all_equilibria(A, B)
    >>> [np.round(x, 6).tolist() for x, y in res.equilibria]
    [[1.0, 0.0], [0.6, 0.4], [0.0, 1.0]]
    >>> all(max(bimatrix_regret(A, B, x, y)) <= 1e-9 for x, y in res.equilibria)
    True
    """
    if method not in METHODS:
        raise InvalidSpecError(f"unknown method {method!r}; valid methods are {', '.join(map(repr, METHODS))}")
    if exact and method != "vertex":
        raise InvalidSpecError(f"exact=True needs method='vertex', got method={method!r}")
    if not (isinstance(tol, int | float) and math.isfinite(tol) and tol > 0):
        raise InvalidSpecError(f"tol must be a positive finite number, got {tol!r}")
    if exact:
        Af, Bf = _fraction_matrices(A, B)
        return _exact_vertex(Af, Bf)
    Ar, Br = _float_matrices(A, B)
    if method == "vertex":
        return _float_vertex(Ar, Br, float(tol))
    if method == "lemke_howson":
        return _some_equilibria(Ar, Br, float(tol), "lemke_howson", initial_dropped_label)
    return _some_equilibria(Ar, Br, float(tol), method, None)


# ---------------------------------------------------------------------------------------------
# input checks


def _check_shapes(A: np.ndarray, B: np.ndarray) -> None:
    if A.ndim != 2 or B.ndim != 2:
        raise InvalidSpecError(
            f"payoff matrices must be 2-D (m x n); got A with shape {A.shape} and B with shape {B.shape}"
        )
    if A.shape != B.shape:
        raise InvalidSpecError(f"A and B must have the same shape; got A {A.shape} and B {B.shape}")
    if A.size == 0:
        raise InvalidSpecError(f"every player needs at least one action; got shape {A.shape}")


def _float_matrices(A: Any, B: Any) -> tuple[np.ndarray, np.ndarray]:
    try:
        Ar, Br = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidValuesError(f"payoffs must be real numbers: {exc}") from exc
    _check_shapes(Ar, Br)
    for name, M in (("A", Ar), ("B", Br)):
        if not np.all(np.isfinite(M)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(M))[0])
            raise InvalidValuesError(f"payoff {name}{list(bad)} = {M[bad]} is not finite; payoffs must be finite")
    return Ar, Br


def _to_fraction(v: Any, where: str) -> Fraction:
    if isinstance(v, Fraction):
        return v
    if isinstance(v, bool | int | np.integer):
        return Fraction(int(v))
    if isinstance(v, float | np.floating):
        if not math.isfinite(v):
            raise InvalidValuesError(f"payoff {where} = {v} is not finite; payoffs must be finite")
        return Fraction(repr(float(v)))
    if getattr(v, "is_Rational", False):  # sympy Rational / Integer
        return Fraction(int(v.p), int(v.q))
    if getattr(v, "is_number", False) and getattr(v, "is_rational", None) is not True:
        raise InvalidValuesError(f"payoff {where} = {v} is not rational; exact=True needs rational payoffs")
    try:
        return Fraction(v)
    except (TypeError, ValueError) as exc:
        raise InvalidValuesError(
            f"payoff {where} = {v!r} is not a rational number; exact=True needs rationals"
        ) from exc


def _fraction_matrices(A: Any, B: Any) -> tuple[np.ndarray, np.ndarray]:
    Ao, Bo = np.asarray(A, dtype=object), np.asarray(B, dtype=object)
    _check_shapes(Ao, Bo)
    out = []
    for name, M in (("A", Ao), ("B", Bo)):
        F = np.empty(M.shape, dtype=object)
        for idx in np.ndindex(M.shape):
            F[idx] = _to_fraction(M[idx], f"{name}{list(idx)}")
        out.append(F)
    return out[0], out[1]


# ---------------------------------------------------------------------------------------------
# float vertex enumeration


def _rescale(M: np.ndarray) -> np.ndarray:
    """Positive affine image of ``M`` in ``[1, 2]``; it has the same equilibria."""
    lo, hi = float(M.min()), float(M.max())
    if hi - lo <= 0:
        return np.ones_like(M)
    return 1.0 + (M - lo) / (hi - lo)


def _vertices(M: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, bool]:
    """Vertices of ``{z : z >= 0, M z <= 1}`` (``M`` is ``k x d`` with entries in [1, 2]).

    Returns the vertices (rows), their tight constraints as a boolean matrix with columns
    ``z_0 = 0, ..., z_{d-1} = 0, (Mz)_0 = 1, ..., (Mz)_{k-1} = 1``, and whether qhull was used.
    """
    k, d = M.shape
    used_qhull = False
    V = None
    if d >= 2:
        from scipy.spatial import HalfspaceIntersection, QhullError

        halfspaces = np.vstack([np.hstack([-np.eye(d), np.zeros((d, 1))]), np.hstack([M, -np.ones((k, 1))])])
        interior = np.full(d, 0.5 / M.sum(axis=1).max())
        try:
            V = HalfspaceIntersection(halfspaces, interior).intersections
            used_qhull = True
        except (QhullError, ValueError):  # pragma: no cover - qhull failing on a full-dimensional polytope
            V = None
    if V is None:
        V = _vertices_by_bases(M, tol)
    tight = np.hstack([tol >= V, 1.0 - tol <= V @ M.T])
    # one row per vertex: a vertex is determined by its tight constraints
    packed = _pack(tight)
    keys = packed[:, 0] if packed.shape[1] == 1 else packed.view(np.dtype((np.void, packed.shape[1] * 8)))[:, 0]
    _, first = np.unique(keys, return_index=True)
    first.sort()
    return V[first], tight[first], used_qhull


def _vertices_by_bases(M: np.ndarray, tol: float) -> np.ndarray:
    """Vertices of ``{z >= 0, M z <= 1}`` from all bases ``M[J, S] z_S = 1``, ``|J| = |S|``.

    Complete also for degenerate polytopes (a vertex with support ``S`` solves a nonsingular
    square system of its tight rows restricted to ``S``); used for one-dimensional polytopes
    and when qhull fails.
    """
    k, d = M.shape
    found = [np.zeros((1, d))]
    for s in range(1, min(k, d) + 1):
        S = np.array(list(itertools.combinations(range(d), s)))
        J = np.array(list(itertools.combinations(range(k), s)))
        sub = M[J[:, None, :, None], S[None, :, None, :]].reshape(-1, s, s)
        supports = np.broadcast_to(S[None, :, :], (len(J), len(S), s)).reshape(-1, s)
        ok = np.abs(np.linalg.det(sub)) > 1e-12
        if not ok.any():
            continue
        zs = np.linalg.solve(sub[ok], np.ones((int(ok.sum()), s, 1)))[..., 0]
        Z = np.zeros((len(zs), d))
        np.put_along_axis(Z, supports[ok], zs, axis=1)
        feasible = (zs > tol).all(axis=1) & (1.0 + tol >= Z @ M.T).all(axis=1)
        found.append(Z[feasible])
    return np.vstack(found)


def _pack(tight: np.ndarray) -> np.ndarray:
    """Boolean label matrix -> bitmasks, one row of uint64 words per vertex."""
    nbytes = -(-tight.shape[1] // 64) * 8
    packed = np.packbits(tight, axis=1, bitorder="little")
    padded = np.zeros((tight.shape[0], nbytes), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    return padded.view(np.uint64)


def _complementary_pairs(Lx: np.ndarray, Ly: np.ndarray, full: np.ndarray, degenerate: bool) -> np.ndarray:
    """Index pairs ``(a, b)`` with ``Lx[a] | Ly[b] == full`` (all labels)."""
    if not degenerate:
        # |labels| = m and n exactly: the partner's label set is the complement
        want = ~Lx & full
        if Lx.shape[1] == 1:
            _, ia, ib = np.intersect1d(want[:, 0], Ly[:, 0], assume_unique=True, return_indices=True)
            return np.column_stack([ia, ib])
        index = {row.tobytes(): b for b, row in enumerate(Ly)}
        hits = [(a, index[row.tobytes()]) for a, row in enumerate(want) if row.tobytes() in index]
        return np.array(hits, dtype=np.intp).reshape(-1, 2)
    pairs = []
    chunk = max(1, 2_000_000 // max(1, len(Ly) * Lx.shape[1]))
    for start in range(0, len(Lx), chunk):
        block = Lx[start : start + chunk]
        ok = np.all((block[:, None, :] | Ly[None, :, :]) == full, axis=2)
        a, b = np.nonzero(ok)
        pairs.append(np.column_stack([a + start, b]))
    return np.vstack(pairs) if pairs else np.zeros((0, 2), dtype=np.intp)


def _refine(V: np.ndarray, T: np.ndarray, M: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Re-solve the tight constraints of the vertices ``V[rows]`` for full accuracy.

    A vertex with exactly ``d`` tight constraints solves a square system (batched); one with
    more (degenerate) solves its consistent overdetermined system by least squares.
    """
    d = M.shape[1]
    G = np.vstack([np.eye(d), M])
    g = np.concatenate([np.zeros(d), np.ones(M.shape[0])])
    out = V[rows].copy()
    tight = T[rows]
    square = tight.sum(axis=1) == d
    if square.any():
        idx = np.nonzero(tight[square])[1].reshape(-1, d)
        try:
            out[square] = np.linalg.solve(G[idx], g[idx][..., None])[..., 0]
        except np.linalg.LinAlgError:  # pragma: no cover - a vertex's d tight constraints are independent
            square[:] = False
    for r in np.flatnonzero(~square):
        sol, _, rank, _ = np.linalg.lstsq(G[tight[r]], g[tight[r]], rcond=None)
        if rank == d:
            out[r] = sol
    out[tight[:, :d]] = 0.0
    return out


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


def _float_vertex(A: np.ndarray, B: np.ndarray, tol: float) -> BimatrixResult:
    m, n = A.shape
    Ap, Bp = _rescale(A), _rescale(B)
    # P lives in R^m with constraints B' x <= 1; Q in R^n with A y <= 1
    Vx, Tx, qx = _vertices(Bp.T, tol)
    Vy, Ty, qy = _vertices(Ap, tol)
    # labels of Q: i for (Ay)_i = 1, m + j for y_j = 0 -> reorder its columns
    Ty_labels = np.hstack([Ty[:, n:], Ty[:, :n]])
    degenerate = bool((Tx.sum(axis=1) > m).any() or (Ty.sum(axis=1) > n).any())
    nonzero_x = Vx.sum(axis=1) > tol
    nonzero_y = Vy.sum(axis=1) > tol
    ix, iy = np.flatnonzero(nonzero_x), np.flatnonzero(nonzero_y)
    Lx, Ly = _pack(Tx[ix]), _pack(Ty_labels[iy])
    full = _pack(np.ones((1, m + n), dtype=bool))[0]
    pairs = _complementary_pairs(Lx, Ly, full, degenerate)
    failures = []
    short = int((Tx.sum(axis=1) < m).sum() + (Ty.sum(axis=1) < n).sum())
    if short:  # pragma: no cover - qhull's vertices are accurate to ~1e-15
        failures.append(f"{short} vertices have fewer tight constraints than the dimension (numerical trouble)")

    scale = tol * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    used_x, used_y = np.unique(ix[pairs[:, 0]]), np.unique(iy[pairs[:, 1]])
    refined_x = dict(zip(used_x.tolist(), _refine(Vx, Tx, Bp.T, used_x), strict=True))
    refined_y = dict(zip(used_y.tolist(), _refine(Vy, Ty, Ap, used_y), strict=True))
    probs_x = {k: _probabilities(v, tol) for k, v in refined_x.items()}
    probs_y = {k: _probabilities(v, tol) for k, v in refined_y.items()}
    candidates = []
    for a, b in pairs:
        va, vb = int(ix[a]), int(iy[b])
        x, y = probs_x[va], probs_y[vb]
        if x is None or y is None:
            failures.append(f"vertex pair ({va}, {vb}) does not normalise to probabilities")
            continue
        r1, r2 = bimatrix_regret(A, B, x, y)
        if max(r1, r2) > scale:
            failures.append(f"candidate x={x}, y={y} has a profitable deviation (gains {r1:.3g}, {r2:.3g})")
            continue
        candidates.append((x, y, va, vb))

    method = _DESCRIPTION["vertex"] + ("" if (qx or m < 2) and (qy or n < 2) else "; bases enumeration fallback")
    return _assemble(A, B, candidates, method, degenerate, failures, exact=False, tol=tol)


# ---------------------------------------------------------------------------------------------
# exact vertex enumeration


def _solve_fraction(M: list[list[Fraction]]) -> list[Fraction] | None:
    """Solve ``M z = 1`` by Gauss-Jordan elimination in rationals; None if singular."""
    s = len(M)
    rows = [[*row, Fraction(1)] for row in M]
    for c in range(s):
        pivot = next((r for r in range(c, s) if rows[r][c] != 0), None)
        if pivot is None:
            return None
        rows[c], rows[pivot] = rows[pivot], rows[c]
        inv = 1 / rows[c][c]
        rows[c] = [v * inv for v in rows[c]]
        for r in range(s):
            if r != c and rows[r][c] != 0:
                f = rows[r][c]
                rows[r] = [v - f * w for v, w in zip(rows[r], rows[c], strict=True)]
    return [row[s] for row in rows]


def _exact_vertices(M: np.ndarray) -> list[tuple[tuple[Fraction, ...], int]]:
    """Vertices of ``{z >= 0, M z <= 1}`` in rationals with their label bitmask.

    Bits ``0..d-1``: ``z_i = 0``; bits ``d..d+k-1``: ``(M z)_j = 1``.
    """
    k, d = M.shape
    rows = [list(M[j]) for j in range(k)]
    out: dict[tuple[Fraction, ...], int] = {}
    zero = tuple(Fraction(0) for _ in range(d))
    out[zero] = (1 << d) - 1
    for s in range(1, min(k, d) + 1):
        for S in itertools.combinations(range(d), s):
            sub_cols = [[row[i] for i in S] for row in rows]
            for J in itertools.combinations(range(k), s):
                sol = _solve_fraction([sub_cols[j] for j in J])
                if sol is None or any(v <= 0 for v in sol):
                    continue
                z = [Fraction(0)] * d
                for i, v in zip(S, sol, strict=True):
                    z[i] = v
                key = tuple(z)
                if key in out:
                    continue
                Mz = [sum((row[i] * z[i] for i in S), Fraction(0)) for row in rows]
                if any(v > 1 for v in Mz):
                    continue
                mask = sum(1 << i for i in range(d) if z[i] == 0)
                mask |= sum(1 << (d + j) for j in range(k) if Mz[j] == 1)
                out[key] = mask
    return list(out.items())


def _exact_vertex(A: np.ndarray, B: np.ndarray) -> BimatrixResult:
    m, n = A.shape
    lo_a, lo_b = min(A.flat), min(B.flat)
    Ap = np.vectorize(lambda v: v - lo_a + 1, otypes=[object])(A)
    Bp = np.vectorize(lambda v: v - lo_b + 1, otypes=[object])(B)
    Px = _exact_vertices(Bp.T)
    Qy_raw = _exact_vertices(Ap)
    # labels of Q: bit i for (Ay)_i = 1 (raw bit n + i), bit m + j for y_j = 0 (raw bit j)
    low_n = (1 << n) - 1
    Qy = [(z, (mask >> n) | ((mask & low_n) << m)) for z, mask in Qy_raw]
    degenerate = any(mask.bit_count() > m for _, mask in Px) or any(mask.bit_count() > n for _, mask in Qy)
    full = (1 << (m + n)) - 1
    xs = [(a, z, mask) for a, (z, mask) in enumerate(Px) if any(z)]
    ys = [(b, z, mask) for b, (z, mask) in enumerate(Qy) if any(z)]
    candidates = []
    failures = []
    for a, zx, lx in xs:
        for b, zy, ly in ys:
            if lx | ly != full:
                continue
            sx, sy = sum(zx), sum(zy)
            x = np.array([v / sx for v in zx], dtype=object)
            y = np.array([v / sy for v in zy], dtype=object)
            r1, r2 = bimatrix_regret(A, B, x, y)
            if r1 > 0 or r2 > 0:  # pragma: no cover - impossible in exact arithmetic
                failures.append(f"candidate x={x}, y={y} has a profitable deviation")
                continue
            candidates.append((x, y, a, b))
    return _assemble(A, B, candidates, _DESCRIPTION["exact"], degenerate, failures, exact=True, tol=0.0)


# ---------------------------------------------------------------------------------------------
# assembling results: order, maximal Nash subsets, components


def _assemble(
    A: np.ndarray,
    B: np.ndarray,
    candidates: list[tuple[np.ndarray, np.ndarray, int, int]],
    method: str,
    degenerate: bool,
    failures: list[str],
    *,
    exact: bool,
    tol: float,
) -> BimatrixResult:
    def key(c: tuple[np.ndarray, np.ndarray, int, int]) -> tuple[float, ...]:
        return tuple(-round(float(v), 9) for v in (*c[0], *c[1]))

    candidates = sorted(candidates, key=key)
    equilibria = [(x, y) for x, y, _, _ in candidates]
    payoffs = [_payoffs(A, B, x, y) for x, y in equilibria]
    subsets, components = _nash_subsets([(a, b) for _, _, a, b in candidates], equilibria)
    count = len(equilibria)
    message = f"all {count} extreme equilibri{'um' if count == 1 else 'a'} (complete enumeration)"
    if failures:
        message += f"; {len(failures)} candidate(s) failed verification and were dropped: " + "; ".join(failures[:3])
    if degenerate:
        message += (
            f". {_COMPONENTS_NOTE}; {len(components)} component(s), {len(subsets)} maximal Nash subset(s)"
            " (see .components and .nash_subsets)"
        )
        _warn_degenerate(A.shape)
    return BimatrixResult(
        equilibria=equilibria,
        payoffs=payoffs,
        method=method,
        converged=not failures,
        message=message,
        degenerate=degenerate,
        exact=exact,
        complete=True,
        shape=(int(A.shape[0]), int(A.shape[1])),
        nash_subsets=subsets,
        components=components,
        failures=tuple(failures),
    )


def _payoffs(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
    u, v = x @ A @ y, x @ B @ y
    if isinstance(u, Fraction):
        return u, v
    return float(u), float(v)


def _warn_degenerate(shape: tuple[int, ...]) -> None:
    warnings.warn(
        DegenerateGameWarning(
            f"the {shape[0]}x{shape[1]} bimatrix game is degenerate (a mixed strategy with support of size k has "
            "more than k pure best responses); equilibria may form connected sets, whose extreme points are returned"
        ),
        stacklevel=4,
    )


def _nash_subsets(
    pairs: list[tuple[int, int]], equilibria: list[tuple[np.ndarray, np.ndarray]]
) -> tuple[tuple[NashSubset, ...], tuple[tuple[int, ...], ...]]:
    """Maximal bicliques and connected components of the bipartite extreme-equilibrium graph.

    The maximal bicliques ``X x Y`` are the maximal Nash subsets (Avis et al. 2010, Section 4):
    the closed sets ``Y`` are the intersections of neighbourhoods of row vertices.
    """
    if not pairs:
        return (), ()
    nbr: dict[int, set[int]] = {}
    eq_of = {p: k for k, p in enumerate(pairs)}
    x_of = {a: equilibria[k][0] for (a, _), k in eq_of.items()}
    y_of = {b: equilibria[k][1] for (_, b), k in eq_of.items()}
    for a, b in pairs:
        nbr.setdefault(a, set()).add(b)
    closed: set[frozenset[int]] = {frozenset(s) for s in nbr.values()}
    frontier = set(closed)
    while frontier:
        new = {f & g for f in frontier for g in closed if f & g} - closed
        closed |= new
        frontier = new
    subsets = []
    for Y in closed:
        X = sorted(a for a, s in nbr.items() if s >= Y)
        Yl = sorted(Y)
        eqs = tuple(sorted(eq_of[(a, b)] for a in X for b in Yl))
        subsets.append(NashSubset(tuple(x_of[a] for a in X), tuple(y_of[b] for b in Yl), eqs))
    subsets.sort(key=lambda s: s.equilibria)
    # components: union-find over equilibria sharing a row or column vertex
    parent = list(range(len(pairs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for side in (0, 1):
        first: dict[int, int] = {}
        for k, p in enumerate(pairs):
            if p[side] in first:
                parent[find(k)] = find(first[p[side]])
            else:
                first[p[side]] = k
    groups: dict[int, list[int]] = {}
    for k in range(len(pairs)):
        groups.setdefault(find(k), []).append(k)
    components = tuple(sorted(tuple(g) for g in groups.values()))
    return tuple(subsets), components


# ---------------------------------------------------------------------------------------------
# methods that find some equilibria: Lemke-Howson paths, nashpy


def _some_equilibria(
    A: np.ndarray, B: np.ndarray, tol: float, which: str, labels: int | Sequence[int] | None
) -> BimatrixResult:
    """Methods that find some equilibria: own Lemke-Howson paths, or nashpy's enumerations, verified."""
    m, n = A.shape
    scale = tol * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    found: list[tuple[np.ndarray, np.ndarray]] = []
    failures: list[str] = []

    def accept(x: Any, y: Any, origin: str) -> None:
        try:
            x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        except (TypeError, ValueError):
            failures.append(f"{origin}: output is not numeric")
            return
        if x.shape != (m,) or y.shape != (n,):
            failures.append(f"{origin}: returned vectors of shapes {x.shape}, {y.shape}, expected ({m},), ({n},)")
            return
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            failures.append(f"{origin}: returned NaN or infinite probabilities")
            return
        px, py = _probabilities(x, tol), _probabilities(y, tol)
        if px is None or py is None or abs(x.sum() - 1) > 1e-6 or abs(y.sum() - 1) > 1e-6:
            failures.append(f"{origin}: returned vectors that are not probability vectors")
            return
        r1, r2 = bimatrix_regret(A, B, px, py)
        if max(r1, r2) > scale:
            failures.append(f"{origin}: x={px}, y={py} has a profitable deviation (gains {r1:.3g}, {r2:.3g})")
            return
        if not any(np.allclose(px, fx, atol=1e-7) and np.allclose(py, fy, atol=1e-7) for fx, fy in found):
            found.append((px, py))

    if which == "lemke_howson":
        if labels is None:
            chosen: Iterable[int] = range(m + n)
        elif isinstance(labels, int | np.integer):
            chosen = [int(labels)]
        else:
            chosen = [int(v) for v in labels]
        chosen = list(chosen)
        bad = [v for v in chosen if not 0 <= v < m + n]
        if bad:
            raise InvalidSpecError(f"initial_dropped_label {bad} out of range; labels are 0, ..., {m + n - 1}")
        for label in chosen:
            origin = f"Lemke-Howson from label {label}"
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    x, y = _lemke_howson(A, B, label, max_pivots=_MAX_PIVOTS)
            except _PathFailure as exc:
                failures.append(f"{origin}: {exc}")
                continue
            except (np.linalg.LinAlgError, FloatingPointError, ValueError) as exc:  # pragma: no cover - defensive
                failures.append(f"{origin}: raised {type(exc).__name__}: {exc}")
                continue
            accept(x, y, origin)
        scope = "Lemke-Howson finds some equilibria, not all in general (use method='vertex' for all)"
    else:
        import nashpy

        kind = "vertex" if which == "nashpy_vertex" else "support"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                game = nashpy.Game(A, B)
                run = game.vertex_enumeration if kind == "vertex" else game.support_enumeration
                outputs = list(run())
        except Exception as exc:  # nashpy fails in several ways on degenerate games; reported, not raised
            outputs = []
            failures.append(f"nashpy {kind} enumeration raised {type(exc).__name__}: {exc}")
        for k, (x, y) in enumerate(outputs):
            accept(x, y, f"nashpy {kind} enumeration output {k}")
        scope = (
            "nashpy vertex enumeration (complete for nondegenerate games only)"
            if kind == "vertex"
            else "nashpy support enumeration (may miss equilibria: it rejects supports whose probabilities come out"
            " as -1e-17; use method='vertex' for all)"
        )

    found.sort(key=lambda e: tuple(-round(float(v), 9) for v in (*e[0], *e[1])))
    degenerate = True if any(_shows_degeneracy(A, B, x, y, scale) for x, y in found) else None
    message = f"{len(found)} verified equilibri{'um' if len(found) == 1 else 'a'}; {scope}"
    if failures:
        message += f"; {len(failures)} failure(s): " + "; ".join(failures[:3])
    if degenerate:
        message += (
            ". The game is degenerate: equilibrium components may be connected sets; method='vertex' lists their "
            "extreme points, maximal Nash subsets and components"
        )
        _warn_degenerate(A.shape)
    return BimatrixResult(
        equilibria=found,
        payoffs=[_payoffs(A, B, x, y) for x, y in found],
        method=_DESCRIPTION[which],
        converged=bool(found) and not failures,
        message=message,
        degenerate=degenerate,
        exact=False,
        complete=False,
        shape=(m, n),
        failures=tuple(failures),
    )


_MAX_PIVOTS = 10_000


class _PathFailure(RuntimeError):
    """A Lemke-Howson path that broke down numerically or did not end."""


def _lex_min_ratio(T: np.ndarray, col: int, lex: np.ndarray, tol: float) -> int:
    """Row of the lexicographic minimum-ratio test for the entering column ``col``.

    Candidates are rows with a positive entry; ties in ``rhs / entry`` are broken by the rows of
    the columns ``lex`` (the initial basis), which makes the path well defined in degenerate games
    (von Stengel 2002, Section 3.7).
    """
    entries = T[:, col]
    rows = np.flatnonzero(entries > tol)
    if rows.size == 0:
        raise _PathFailure("no row can leave the basis (unbounded ray): the tableau lost accuracy")
    for c in (-1, *lex):
        ratios = T[rows, c] / entries[rows]
        rows = rows[ratios <= ratios.min() + tol]
        if rows.size == 1:
            break
    return int(rows[0])


def _lemke_howson(A: np.ndarray, B: np.ndarray, label: int, max_pivots: int) -> tuple[np.ndarray, np.ndarray]:
    """One Lemke-Howson path from the artificial equilibrium, dropping ``label`` first.

    Two tableaus in float arithmetic with lexicographic pivoting ([4]_; von Stengel 2002,
    Section 3.6): ``B' x + s = 1`` (columns: ``x`` = labels ``0..m-1``, ``s`` = labels
    ``m..m+n-1``) and ``A y + r = 1`` (columns: ``r`` = labels ``0..m-1``, ``y`` = labels
    ``m..m+n-1``); the last column is the right-hand side. Payoffs are first mapped to
    ``[1, 2]``, which keeps both polytopes bounded. The variable with the label that left one
    tableau enters the other, until the dropped label leaves.
    """
    m, n = A.shape
    tol = 1e-12
    Ap, Bp = _rescale(A), _rescale(B)
    # tableaus[0] holds player 1's polytope (basis: slacks s), tableaus[1] player 2's (basis: slacks r)
    T1 = np.hstack([Bp.T, np.eye(n), np.ones((n, 1))])
    T2 = np.hstack([np.eye(m), Ap, np.ones((m, 1))])
    tableaus = (T1, T2)
    bases = [list(range(m, m + n)), list(range(m))]
    lex = (np.arange(m, m + n), np.arange(m))
    side = 0 if label < m else 1  # x_label enters P's tableau; y_(label - m) enters Q's
    entering = label
    for _ in range(max_pivots):
        T, basis = tableaus[side], bases[side]
        row = _lex_min_ratio(T, entering, lex[side], tol)
        T[row] /= T[row, entering]
        others = np.arange(T.shape[0]) != row
        T[others] -= np.outer(T[others, entering], T[row])
        leaving, basis[row] = basis[row], entering
        if not np.all(np.isfinite(T)):
            raise _PathFailure("the tableau overflowed to NaN or infinity")
        if leaving == label:
            break
        entering, side = leaving, 1 - side
    else:
        raise _PathFailure(f"no completely labelled pair after {max_pivots} pivots")
    x, y = np.zeros(m), np.zeros(n)
    for r, var in enumerate(bases[0]):
        if var < m:
            x[var] = T1[r, -1]
    for r, var in enumerate(bases[1]):
        if var >= m:
            y[var - m] = T2[r, -1]
    if not (x.sum() > 0 and y.sum() > 0):
        raise _PathFailure("the path ended at the artificial equilibrium")
    return x / x.sum(), y / y.sum()


def _shows_degeneracy(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray, tol: float) -> bool:
    """More pure best responses to a strategy than the size of its support."""
    Ay, xB = A @ y, x @ B
    return bool((np.sum(xB >= xB.max() - tol) > np.sum(x > 0)) or (np.sum(Ay >= Ay.max() - tol) > np.sum(y > 0)))
