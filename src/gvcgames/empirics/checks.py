"""Validation shared by the empirical layer: matrices, confidence levels, counts, micro data.

Covariance and weighting matrices are checked *scale-free*, on the correlation-like matrix
``R = D^{-1/2} A D^{-1/2}`` with ``D = diag(A)``: a relocation share with variance ``1.5e-6`` and a
revenue level with variance ``1e6`` give ``R = I``, a perfectly conditioned matrix, while a check
relative to the largest entry would call the share's variance zero. ``R`` has a unit diagonal, so
its eigenvalues are comparable with fixed tolerances: the matrix is not positive semi-definite if
the smallest is below ``-EIG_TOL`` and singular if it is below ``EIG_TOL``.
"""

from __future__ import annotations

from collections.abc import Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd

from gvcgames.empirics.errors import CovarianceError, DataError, MomentError

SYM_TOL = 1e-8  # asymmetry, relative to sqrt(a_ii a_jj)
EIG_TOL = 1e-10  # eigenvalue of the correlation-like matrix called zero


def scaled(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(R, d)``: the correlation-like matrix ``R = A / sqrt(d d')`` and the scales ``d = sqrt(diag A)``.

    Zero diagonal entries get scale one (their rows must then be zero for ``A`` to be PSD).

    Examples
    --------
    >>> R, d = scaled(np.diag([1.5e-6, 1e6]))
    >>> R.round(12).tolist(), d.round(6).tolist()
    ([[1.0, 0.0], [0.0, 1.0]], [0.001225, 1000.0])
    """
    diag = np.diag(matrix).astype(float)
    d = np.sqrt(np.where(diag > 0, diag, 1.0))
    return matrix / np.outer(d, d), d


def check_matrix(
    matrix: Any, names: Sequence[str], what: str = "moment covariance", *, allow_singular: bool = False
) -> np.ndarray:
    """Check that ``matrix`` is a finite, symmetric, positive (semi-)definite ``k x k`` matrix.

    Parameters
    ----------
    matrix : array_like
    names : sequence of str
        The moments, to name them in messages.
    what : str
        What the matrix is (``"moment covariance"``, ``"weighting matrix"``), for messages.
    allow_singular : bool
        Accept a positive semi-definite, singular matrix (a weighting matrix may give some
        directions no weight).

    Returns
    -------
    ndarray
        The symmetrised matrix.

    Raises
    ------
    DataError
        NaN or infinite entries.
    CovarianceError
        Not symmetric, not PSD, or (unless ``allow_singular``) singular; the message names the
        moments involved.

    Examples
    --------
    >>> check_matrix(np.diag([1.5e-6, 1e6]), ["share", "revenue"]).tolist()
    [[1.5e-06, 0.0], [0.0, 1000000.0]]
    >>> check_matrix([[1.0, 1.0], [1.0, 1.0]], ["x", "y"])
    Traceback (most recent call last):
    ...
    gvcgames.empirics.errors.CovarianceError: the moment covariance is singular ...
    """
    names = [str(n) for n in names]
    A = np.atleast_2d(np.asarray(matrix, dtype=float))
    k = len(names)
    if A.shape != (k, k):
        raise MomentError(f"the {what} must be {k} x {k} for moments {names}; got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise DataError(f"the {what} has NaN or infinite entries (moments {names})")
    diag = np.diag(A)
    negative = [names[i] for i in np.flatnonzero(diag < 0)]
    if negative:
        raise CovarianceError(
            f"the {what} is not positive semi-definite: negative diagonal entries for moment(s) {negative}"
        )
    R, _ = scaled(A)
    if np.max(np.abs(R - R.T), initial=0.0) > SYM_TOL:
        i, j = np.unravel_index(int(np.argmax(np.abs(R - R.T))), R.shape)
        raise CovarianceError(
            f"the {what} is not symmetric: entries ({names[i]}, {names[j]}) = {A[i, j]:.6g} and "
            f"({names[j]}, {names[i]}) = {A[j, i]:.6g}"
        )
    R = (R + R.T) / 2
    eig, vec = np.linalg.eigh(R)
    if eig[0] < -EIG_TOL:
        raise CovarianceError(
            f"the {what} is not positive semi-definite (smallest eigenvalue of its correlation matrix "
            f"{eig[0]:.3g}); moments {names}"
        )
    if eig[0] <= EIG_TOL and not allow_singular:
        zero = [names[i] for i in np.flatnonzero(diag == 0)]
        if zero:
            raise CovarianceError(f"the {what} is singular: moment(s) {zero} have zero variance")
        involved = [names[i] for i in np.flatnonzero(np.abs(vec[:, 0]) > 0.1)]
        raise CovarianceError(
            f"the {what} is singular (smallest eigenvalue of its correlation matrix {eig[0]:.3g}); "
            f"moments {involved} are linearly dependent"
        )
    return (A + A.T) / 2


def matrix_rank(matrix: np.ndarray) -> int:
    """Scale-free numerical rank of a symmetric PSD matrix (on its correlation-like matrix)."""
    R, _ = scaled(matrix)
    return int(np.sum(np.linalg.eigvalsh((R + R.T) / 2) > EIG_TOL))


def check_level(level: Any) -> float:
    """A confidence level strictly between 0 and 1.

    Examples
    --------
    >>> check_level(0.9)
    0.9
    >>> check_level(95)
    Traceback (most recent call last):
    ...
    gvcgames.empirics.errors.MomentError: level=95 is not a confidence level: need 0 < level < 1 (a fraction: ...
    """
    if isinstance(level, bool) or not isinstance(level, Real) or not 0 < float(level) < 1:
        hint = ""
        if isinstance(level, Real) and not isinstance(level, bool) and 1 < float(level) < 100:
            hint = f" (a fraction: use level={float(level) / 100:g} for a {float(level):g}% interval)"
        raise MomentError(f"level={level!r} is not a confidence level: need 0 < level < 1{hint}")
    return float(level)


def check_count(value: Any, what: str, minimum: int = 1) -> int:
    """An integer of at least ``minimum`` (``n_starts``, ``n_rep``, ...).

    Examples
    --------
    >>> check_count(0, "n_starts")
    Traceback (most recent call last):
    ...
    gvcgames.empirics.errors.MomentError: n_starts must be an integer >= 1; got 0
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or int(value) < minimum:
        raise MomentError(f"{what} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_micro(data: Any, what: str = "micro data") -> None:
    """Micro data: a non-empty DataFrame without NaN or infinite values (the message names columns).

    Raises
    ------
    DataError
    """
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise DataError(f"{what} must be a non-empty pandas DataFrame; got {type(data).__name__}")
    nan_cols = [str(c) for c in data.columns if data[c].isna().any()]
    if nan_cols:
        first = int(np.flatnonzero(data.isna().any(axis=1).to_numpy())[0])
        raise DataError(
            f"{what} contain NaN in column(s) {nan_cols} (first at row position {first}); drop or impute them first"
        )
    numeric = data.select_dtypes(include="number")
    inf_cols = [str(c) for c in numeric.columns if np.isinf(numeric[c].to_numpy(dtype=float)).any()]
    if inf_cols:
        first = int(np.flatnonzero(np.isinf(numeric[inf_cols].to_numpy(dtype=float)).any(axis=1))[0])
        raise DataError(
            f"{what} contain infinite values in column(s) {inf_cols} (first at row position {first}); "
            "drop or recode them first"
        )


__all__ = ["check_count", "check_level", "check_matrix", "check_micro", "matrix_rank", "scaled"]
