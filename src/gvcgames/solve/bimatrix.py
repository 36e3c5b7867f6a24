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

``method="lemke_howson"`` follows the Lemke-Howson path from each initial dropped label with
the project's own float tableaus and lexicographic pivoting (von Stengel 2002, Section 3.7), so
degenerate games do not cycle and float payoffs do not overflow. It exists because nashpy's
``lemke_howson`` pivots on integer tableaus without division: on the 8x8 integer game drawn by
``numpy.random.default_rng(0).integers(-1000, 1001, (8, 8))`` (twice, ``A`` then ``B``) it
returns NaN probabilities from label 4 (overflow) and does not terminate from labels 9 and 14
(nashpy 0.0.43; see ``tests/test_bimatrix.py``). nashpy's own path is still available as
``method="nashpy_lemke_howson"``: each path runs under a time budget, and its output is verified
(NaN, wrong shapes, profitable deviations and paths that do not end are reported as failures).
``method="nashpy_vertex"`` and ``method="nashpy_support"`` call nashpy's enumerations (Knight
and Campbell 2018), verified the same way. nashpy methods need a nondegenerate game: degeneracy
is detected first (vertex labels of ``P`` and ``Q``), warned about with
:class:`~gvcgames.DegenerateGameWarning`, and an empty result says so and names
``method="vertex"``.

Module layout: :mod:`gvcgames.solve.bimatrix_result` (result objects, deviation check),
:mod:`gvcgames.solve.bimatrix_vertex` (vertex enumeration, float and exact, Nash subsets),
:mod:`gvcgames.solve.bimatrix_paths` (Lemke-Howson and nashpy); this module validates input
and dispatches.

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

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.solve.bimatrix_paths import _some_equilibria
from gvcgames.solve.bimatrix_result import BimatrixResult, NashSubset, bimatrix_regret
from gvcgames.solve.bimatrix_vertex import _exact_vertex, _float_vertex, _is_degenerate

__all__ = ["METHODS", "BimatrixResult", "NashSubset", "all_equilibria", "bimatrix_regret"]

METHODS = ("vertex", "lemke_howson", "nashpy_lemke_howson", "nashpy_vertex", "nashpy_support")


# ---------------------------------------------------------------------------------------------
# the front door


def all_equilibria(
    A: Any,
    B: Any,
    *,
    exact: bool = False,
    method: str = "vertex",
    tol: float = 1e-9,
    initial_dropped_label: int | Sequence[int] | None = None,
    time_budget: float | None = None,
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
        ``binomial(m + n, m)``, so meant for small games (``benchmarks/bench_bimatrix.py
        --exact-sizes 6 7 8`` measures it; it grows about fivefold per added action).
    method : {"vertex", "lemke_howson", "nashpy_lemke_howson", "nashpy_vertex", "nashpy_support"}
        ``"vertex"``: complete enumeration (default). ``"lemke_howson"``: Lemke-Howson
        ([4]_) from each initial dropped label with the project's own tableaus (see the
        module docstring for why); finds some equilibria, not all. ``"nashpy_lemke_howson"``:
        nashpy's ``lemke_howson`` from each label, verified (NaN output and paths that run
        past ``time_budget`` are failures). ``"nashpy_vertex"``: nashpy's vertex enumeration
        ([5]_; slow; nondegenerate games). ``"nashpy_support"``: nashpy's support
        enumeration (slow; may miss equilibria).
    tol : float
        Tolerance of the labels (on payoffs rescaled to ``[1, 2]``), of the deviation check
        (times ``max(1, max|payoff|)``) and of round-off clipping of probabilities.
    initial_dropped_label : int or sequence of int, optional
        Labels for the Lemke-Howson methods; default all ``0, ..., m + n - 1``.
    time_budget : float, optional
        Seconds allowed to each nashpy run (each Lemke-Howson path; each enumeration). Default:
        5 s per nashpy Lemke-Howson path, no limit for the nashpy enumerations.

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
        ``method="vertex"``) together with the maximal Nash subsets and components. The nashpy
        methods check degeneracy before calling nashpy and warn that nashpy may fail or miss
        equilibria; an empty result then says so (``converged=False``).

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
    if time_budget is not None and not (isinstance(time_budget, int | float) and time_budget > 0):
        raise InvalidSpecError(f"time_budget must be a positive number of seconds, got {time_budget!r}")
    labels = initial_dropped_label if "lemke_howson" in method else None
    degenerate = _is_degenerate(Ar, Br, float(tol)) if method.startswith("nashpy") else None
    return _some_equilibria(Ar, Br, float(tol), method, labels, degenerate, time_budget)


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
