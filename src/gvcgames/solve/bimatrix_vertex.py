r"""Vertex enumeration of the best-response polytopes: every extreme equilibrium, float or exact.

Definitions
-----------
See :mod:`gvcgames.solve.bimatrix`: the best-response polytopes ``P`` and ``Q`` of the game with
payoffs shifted to positive entries, the labels of their points, completely labelled pairs of
vertices (the extreme equilibria), degeneracy (a vertex with more labels than the dimension),
maximal Nash subsets and components.

``_float_vertex`` enumerates the vertices with qhull and matches complementary label sets as
bitmasks; ``_exact_vertex`` enumerates them by bases in rational arithmetic. Both verify every
equilibrium against pure deviations.

References
----------
.. [1] D. Avis, G. D. Rosenberg, R. Savani and B. von Stengel (2010), "Enumeration of Nash
   equilibria for two-player games", *Economic Theory* 42, 9-37.
.. [2] B. von Stengel (2002), "Computing equilibria for two-person games", in *Handbook of Game
   Theory* vol. 3, ch. 45, 1723-1759.
.. [3] C. B. Barber, D. P. Dobkin and H. Huhdanpaa (1996), "The Quickhull algorithm for convex
   hulls", *ACM Transactions on Mathematical Software* 22, 469-483.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from gvcgames.solve.bimatrix_result import (
    _COMPONENTS_NOTE,
    _DESCRIPTION,
    BimatrixResult,
    NashSubset,
    _payoffs,
    _probabilities,
    _warn_degenerate,
    bimatrix_regret,
)

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


def _is_degenerate(A: np.ndarray, B: np.ndarray, tol: float) -> bool:
    """Whether a vertex of ``P`` or ``Q`` has more labels than its dimension (the game is degenerate)."""
    m, n = A.shape
    _, Tx, _ = _vertices(_rescale(B).T, tol)
    _, Ty, _ = _vertices(_rescale(A), tol)
    return bool((Tx.sum(axis=1) > m).any() or (Ty.sum(axis=1) > n).any())


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
