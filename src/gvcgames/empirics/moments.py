"""Empirical moments: named values with a covariance matrix and the source of each number.

A :class:`MomentSet` holds ``k`` moments ``m_hat`` (shares, means, regression coefficients), their
sampling covariance ``Omega`` (``Var(m_hat)``, *not* scaled by the sample size) and where each number
comes from. It is built from a table of published figures (:meth:`MomentSet.from_frame`,
:meth:`MomentSet.from_csv`) or from micro data by user moment functions, with a bootstrap covariance
(:meth:`MomentSet.from_micro`; Efron and Tibshirani 1993; the moving-block bootstrap of Kuensch 1989
for time series).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gvcgames.empirics.checks import check_matrix, check_micro
from gvcgames.empirics.errors import DataError, MomentError

MomentFunction = Callable[[pd.DataFrame], float]


@dataclass(frozen=True, eq=False)
class MomentSet:
    """Named empirical moments with their covariance.

    Parameters
    ----------
    names : tuple of str
        Unique moment names (the keys matched against a model's moments).
    values : ndarray, shape (k,)
    cov : ndarray, shape (k, k)
        Sampling covariance of ``values``: symmetric, positive definite. Checked scale-free, on
        the correlation matrix, so moments of very different scales (a share with variance
        ``1.5e-6`` and a revenue level with variance ``1e6``) are fine.
    sources : tuple of str
        Where each number comes from (empty strings allowed).
    n_obs : float, optional
        Number of observations behind the moments (used by SMM for the simulation ratio).

    Raises
    ------
    MomentError
        Duplicate or empty names, or shapes that do not match.
    DataError
        A value or covariance entry is NaN, infinite or not a number.
    CovarianceError
        The covariance is not symmetric, not positive semi-definite, or singular.

    Examples
    --------
    >>> ms = MomentSet(("a", "b"), [0.5, 0.2], [[0.01, 0.0], [0.0, 0.0004]])
    >>> ms.se.round(3).tolist()
    [0.1, 0.02]
    >>> MomentSet(("a", "b"), [0.5, 0.2], [[1.0, 1.0], [1.0, 1.0]])
    Traceback (most recent call last):
    ...
    gvcgames.empirics.errors.CovarianceError: the moment covariance is singular ...
    """

    names: tuple[str, ...]
    values: np.ndarray
    cov: np.ndarray
    sources: tuple[str, ...] = ()
    n_obs: float | None = None
    descriptions: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        names = tuple(str(n) for n in self.names)
        if not names:
            raise MomentError("a MomentSet needs at least one moment; got none")
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise MomentError(f"moment names must be unique; repeated: {', '.join(dupes)}")
        if any(not n.strip() for n in names):
            raise MomentError(f"moment names must be non-empty strings; got {list(names)}")
        k = len(names)
        try:
            values = np.asarray(self.values, dtype=float).reshape(-1)
        except (TypeError, ValueError) as exc:
            raise DataError(
                f"moment values must be numbers; got {list(np.ravel(self.values))} for {list(names)} ({exc})"
            ) from exc
        if values.shape != (k,):
            raise MomentError(f"{k} moment names but {values.size} values")
        bad = [n for n, v in zip(names, values, strict=True) if not np.isfinite(v)]
        if bad:
            raise DataError(f"moment value is NaN or infinite for: {', '.join(bad)}")
        cov = np.atleast_2d(np.asarray(self.cov, dtype=float))
        if cov.shape != (k, k):
            raise MomentError(f"the covariance must be {k} x {k} for moments {list(names)}; got shape {cov.shape}")
        _check_covariance(cov, names)
        sources = tuple(self.sources) or ("",) * k
        descriptions = tuple(self.descriptions) or ("",) * k
        if len(sources) != k or len(descriptions) != k:
            raise MomentError(f"sources and descriptions need one entry per moment ({k})")
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "cov", (cov + cov.T) / 2)
        object.__setattr__(self, "sources", tuple(str(s) for s in sources))
        object.__setattr__(self, "descriptions", tuple(str(d) for d in descriptions))

    # --- constructors ------------------------------------------------------------------------

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        name: str = "name",
        value: str = "value",
        se: str | None = "se",
        source: str | None = "source",
        description: str | None = None,
        cov: pd.DataFrame | np.ndarray | None = None,
        n_obs: float | None = None,
    ) -> MomentSet:
        """Moments from a table with one row per moment.

        Parameters
        ----------
        frame : DataFrame
            Columns ``name``, ``value`` and ``se`` (unless ``cov`` is given); ``source`` if present.
        name, value, se, source, description : str
            Column names.
        cov : DataFrame or ndarray, optional
            Full covariance; a DataFrame is aligned on the moment names. Without it the moments are
            taken as independent with variances ``se**2``.
        n_obs : float, optional

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"name": ["share", "incidence"], "value": [0.03, 0.8], "se": [0.001, 0.02]})
        >>> MomentSet.from_frame(df).names
        ('share', 'incidence')
        """
        missing = [c for c in (name, value) if c not in frame.columns]
        if cov is None and (se is None or se not in frame.columns):
            missing.append(str(se))
        if missing:
            raise MomentError(
                f"moment table lacks column(s) {missing}; it has {list(frame.columns)} "
                "(give a standard-error column or a covariance)"
            )
        names = tuple(str(n) for n in frame[name])
        values = _numeric(frame, value, names, "value")
        if cov is None:
            ses = _numeric(frame, str(se), names, "standard error")
            bad = [n for n, s in zip(names, ses, strict=True) if not np.isfinite(s)]
            if bad:
                raise DataError(f"standard error is NaN or not a number for: {', '.join(bad)}")
            cov_arr = np.diag(ses**2)
        elif isinstance(cov, pd.DataFrame):
            absent = [n for n in names if n not in cov.index or n not in cov.columns]
            if absent:
                raise MomentError(f"the covariance table has no row/column for moment(s): {', '.join(absent)}")
            cov_arr = cov.loc[list(names), list(names)].to_numpy(float)
        else:
            cov_arr = np.asarray(cov, dtype=float)
        sources = tuple(str(s) for s in frame[source]) if source and source in frame.columns else ()
        descr = tuple(str(s) for s in frame[description]) if description and description in frame.columns else ()
        return cls(names, values, cov_arr, sources, n_obs, descr)

    @classmethod
    def from_csv(cls, path: str | Path, *, cov_path: str | Path | None = None, **kwargs: Any) -> MomentSet:
        """Moments from a CSV file (columns as for :meth:`from_frame`).

        ``cov_path`` names an optional CSV of the covariance with the moment names as header and
        first column.
        """
        frame = pd.read_csv(path)
        cov = pd.read_csv(cov_path, index_col=0) if cov_path is not None else kwargs.pop("cov", None)
        return cls.from_frame(frame, cov=cov, **kwargs)

    @classmethod
    def from_micro(
        cls,
        data: pd.DataFrame,
        functions: Mapping[str, MomentFunction],
        *,
        n_boot: int = 499,
        seed: int | np.random.Generator = 0,
        block_length: int | None = None,
        source: str = "",
    ) -> MomentSet:
        """Moments computed from micro data (one row per firm or per period), bootstrap covariance.

        Parameters
        ----------
        data : DataFrame
            Must be free of NaN and infinite values (drop or impute first: the message names the
            columns).
        functions : mapping name -> callable(DataFrame) -> float
            One moment function per moment, applied to the data and to each bootstrap sample.
        n_boot : int
            Bootstrap replications.
        seed : int or numpy Generator
            Seed of the resampling; the same seed gives the same covariance.
        block_length : int, optional
            Resample contiguous blocks of this length (moving-block bootstrap, for time series).
        source : str

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> firms = pd.DataFrame({"relocated": np.r_[np.ones(30), np.zeros(70)]})
        >>> ms = MomentSet.from_micro(firms, {"share": lambda d: d["relocated"].mean()}, n_boot=200, seed=1)
        >>> float(ms.values[0]), bool(abs(ms.se[0] - np.sqrt(0.3 * 0.7 / 100)) < 0.01)
        (0.3, True)
        """
        check_micro(data)
        if not functions:
            raise MomentError("from_micro needs at least one moment function")
        if n_boot < 2:
            raise MomentError(f"n_boot must be at least 2 to estimate a covariance; got {n_boot}")
        names = tuple(functions)
        values = _evaluate(functions, data)
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        n = len(data)
        draws = np.empty((n_boot, len(names)))
        for b in range(n_boot):
            idx = _resample(rng, n, block_length)
            draws[b] = _evaluate(functions, data.iloc[idx])
        cov = np.atleast_2d(np.cov(draws, rowvar=False, ddof=1))
        return cls(names, values, cov, (source,) * len(names), float(n))

    # --- views -------------------------------------------------------------------------------

    @property
    def se(self) -> np.ndarray:
        """Standard errors (square roots of the covariance diagonal)."""
        return np.sqrt(np.diag(self.cov))

    def __len__(self) -> int:
        return len(self.names)

    def subset(self, names: Iterable[str]) -> MomentSet:
        """The moments ``names``, in that order.

        Raises
        ------
        MomentError
            A name is not among the moments.
        """
        names = list(names)
        unknown = [n for n in names if n not in self.names]
        if unknown:
            raise MomentError(f"unknown moment(s) {unknown}; available: {list(self.names)}")
        idx = [self.names.index(n) for n in names]
        return MomentSet(
            tuple(names),
            self.values[idx],
            self.cov[np.ix_(idx, idx)],
            tuple(self.sources[i] for i in idx),
            self.n_obs,
            tuple(self.descriptions[i] for i in idx),
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per moment: value, standard error, source (and a note when any is given)."""
        frame = pd.DataFrame(
            {"value": self.values, "se": self.se, "source": list(self.sources)},
            index=pd.Index(self.names, name="moment"),
        )
        if any(self.descriptions):
            frame["note"] = list(self.descriptions)
        return frame

    def __str__(self) -> str:
        frame = self.to_frame()
        frame["source"] = [s if len(s) <= 50 else s[:47] + "..." for s in frame["source"]]
        return f"MomentSet ({len(self)} moments)\n{frame.to_string()}"

    def __repr__(self) -> str:
        return f"MomentSet({list(self.names)})"

    def _repr_html_(self) -> str:
        return f"<p><b>MomentSet</b> ({len(self)} moments)</p>" + str(self.to_frame().to_html())


def _check_covariance(cov: np.ndarray, names: tuple[str, ...]) -> None:
    """The data covariance must be finite, symmetric and positive definite (checked scale-free)."""
    check_matrix(cov, names, "moment covariance")


def _numeric(frame: pd.DataFrame, column: str, names: tuple[str, ...], what: str) -> np.ndarray:
    """A column as floats; a cell that is present but not a number is named (``'3.3%'``)."""
    raw = frame[column]
    out = pd.to_numeric(raw, errors="coerce").to_numpy(float)
    bad = [(n, v) for n, v, x in zip(names, raw, out, strict=True) if not np.isfinite(x) and not pd.isna(v)]
    bad = [(n, v) for n, v in bad if not isinstance(v, (int, float, np.number))]
    if bad:
        cells = ", ".join(f"{v!r} (moment {n!r})" for n, v in bad)
        raise DataError(
            f"non-numeric {what} in column {column!r}: {cells}; write plain numbers "
            "(a share of 3.3% is 0.033), without units, percent signs or thousands separators"
        )
    return out


def _evaluate(functions: Mapping[str, MomentFunction], data: pd.DataFrame) -> np.ndarray:
    out = np.empty(len(functions))
    for i, (name, fun) in enumerate(functions.items()):
        try:
            out[i] = float(fun(data))
        except Exception as exc:  # the user's function: say which one failed
            raise MomentError(f"moment function {name!r} failed: {exc}") from exc
        if not np.isfinite(out[i]):
            raise DataError(f"moment function {name!r} returned {out[i]} (not finite)")
    return out


def _resample(rng: np.random.Generator, n: int, block_length: int | None) -> np.ndarray:
    if not block_length or block_length <= 1:
        return rng.integers(0, n, n)
    block_length = min(block_length, n)
    starts = rng.integers(0, n - block_length + 1, -(-n // block_length))
    return (starts[:, None] + np.arange(block_length)[None, :]).reshape(-1)[:n]


__all__ = ["MomentFunction", "MomentSet"]
