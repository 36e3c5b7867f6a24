"""Methods that find some equilibria of a bimatrix game: Lemke-Howson paths and nashpy's enumerations.

Definitions
-----------
The Lemke-Howson algorithm (Lemke and Howson 1964) follows a path of almost completely labelled
pairs of points of the best-response polytopes (see :mod:`gvcgames.solve.bimatrix`) from the
artificial equilibrium ``(0, 0)``, dropping one label first; the path ends at a Nash
equilibrium. Different initial labels may end at different equilibria, but not every
equilibrium is reachable, so these methods are not complete.

References
----------
.. [1] C. E. Lemke and J. T. Howson (1964), "Equilibrium points of bimatrix games", *SIAM
   Journal on Applied Mathematics* 12, 413-423.
.. [2] B. von Stengel (2002), "Computing equilibria for two-person games", in *Handbook of Game
   Theory* vol. 3, ch. 45, 1723-1759.
.. [3] V. Knight and J. Campbell (2018), "Nashpy: a Python library for the computation of
   Nash equilibria", *Journal of Open Source Software* 3(30), 904.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from gvcgames.errors import InvalidSpecError
from gvcgames.solve.bimatrix_result import (
    _DESCRIPTION,
    BimatrixResult,
    _payoffs,
    _probabilities,
    _warn_degenerate,
    bimatrix_regret,
)
from gvcgames.solve.bimatrix_vertex import _rescale

# ---------------------------------------------------------------------------------------------
# methods that find some equilibria: Lemke-Howson paths, nashpy


def _some_equilibria(
    A: np.ndarray,
    B: np.ndarray,
    tol: float,
    which: str,
    labels: int | Sequence[int] | None,
    degenerate: bool | None = None,
    budget: float | None = None,
) -> BimatrixResult:
    """Methods that find some equilibria: own or nashpy's Lemke-Howson paths, nashpy's enumerations.

    Every output is verified. ``degenerate`` is what the caller found by vertex labels (None: not
    checked); a degenerate game is warned about before nashpy runs, and an empty result says
    that nashpy failed and names the complete method.
    """
    m, n = A.shape
    scale = tol * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    found: list[tuple[np.ndarray, np.ndarray]] = []
    failures: list[str] = []
    if degenerate and which.startswith("nashpy"):
        _warn_degenerate(
            (m, n),
            "; nashpy's methods assume a nondegenerate game and may fail or miss equilibria: method='vertex' lists "
            "every extreme equilibrium and the components",
            stacklevel=5,
        )

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

    if which in ("lemke_howson", "nashpy_lemke_howson"):
        for label in _chosen_labels(labels, m + n):
            if which == "lemke_howson":
                origin = f"Lemke-Howson from label {label}"
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", RuntimeWarning)
                        x, y = _lemke_howson(A, B, label, max_pivots=_MAX_PIVOTS)
                except _PathFailure as exc:
                    failures.append(f"{origin}: {exc}")
                    continue
                except (np.linalg.LinAlgError, FloatingPointError, ValueError) as exc:  # pragma: no cover
                    failures.append(f"{origin}: raised {type(exc).__name__}: {exc}")
                    continue
            else:
                origin = f"nashpy Lemke-Howson from label {label}"
                seconds = _NASHPY_PATH_BUDGET if budget is None else budget
                out = _run_nashpy(lambda label=label: [_nashpy_game(A, B).lemke_howson(label)], seconds, origin)
                if isinstance(out, str):
                    failures.append(out)
                    continue
                ((x, y),) = out
            accept(x, y, origin)
        scope = "Lemke-Howson finds some equilibria, not all in general (use method='vertex' for all)"
    else:
        kind = "vertex" if which == "nashpy_vertex" else "support"
        origin = f"nashpy {kind} enumeration"
        out = _run_nashpy(lambda: list(getattr(_nashpy_game(A, B), f"{kind}_enumeration")()), budget, origin)
        if isinstance(out, str):
            failures.append(out)
            out = []
        for k, (x, y) in enumerate(out):
            accept(x, y, f"{origin} output {k}")
        scope = (
            "nashpy vertex enumeration (complete for nondegenerate games only)"
            if kind == "vertex"
            else "nashpy support enumeration (may miss equilibria: it rejects supports whose probabilities come out"
            " as -1e-17; use method='vertex' for all)"
        )

    found.sort(key=lambda e: tuple(-round(float(v), 9) for v in (*e[0], *e[1])))
    if degenerate is None and any(_shows_degeneracy(A, B, x, y, scale) for x, y in found):
        degenerate = True
        _warn_degenerate((m, n), ", whose extreme points method='vertex' lists", stacklevel=5)
    count = len(found)
    message = f"{count} verified equilibri{'um' if count == 1 else 'a'}; {scope}"
    if failures:
        message += f"; {len(failures)} failure(s): " + "; ".join(failures[:3])
    if not found:
        message += (
            ". Every finite game has an equilibrium, so this method failed on this game"
            + (" (it is degenerate)" if degenerate else "")
            + ": use method='vertex', which lists every extreme equilibrium"
        )
    if degenerate:
        message += (
            ". The game is degenerate: equilibrium components may be connected sets; method='vertex' lists their "
            "extreme points, maximal Nash subsets and components"
        )
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


_NASHPY_PATH_BUDGET = 5.0  # seconds per nashpy Lemke-Howson path: some paths never end (see the module docstring)


def _chosen_labels(labels: int | Sequence[int] | None, count: int) -> list[int]:
    if labels is None:
        chosen: Iterable[int] = range(count)
    elif isinstance(labels, int | np.integer):
        chosen = [int(labels)]
    else:
        chosen = [int(v) for v in labels]
    chosen = list(chosen)
    bad = [v for v in chosen if not 0 <= v < count]
    if bad:
        raise InvalidSpecError(f"initial_dropped_label {bad} out of range; labels are 0, ..., {count - 1}")
    return chosen


def _nashpy_game(A: np.ndarray, B: np.ndarray) -> Any:
    import nashpy

    return nashpy.Game(A, B)


def _run_nashpy(run: Any, seconds: float | None, origin: str) -> list[Any] | str:
    """``run()`` under a time budget; a string describing the failure if it raised or ran too long."""
    from gvcgames.budget import time_budget
    from gvcgames.errors import SymbolicTimeout

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            with time_budget(float("inf") if seconds is None else seconds, origin):
                return list(run())
    except SymbolicTimeout:
        return f"{origin}: did not finish within {seconds:g} s (nashpy's path can cycle; time_budget=... waits longer)"
    except Exception as exc:  # nashpy fails in several ways on degenerate games; reported, not raised
        return f"{origin}: nashpy raised {type(exc).__name__}: {exc}"


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
