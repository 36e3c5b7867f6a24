"""ILLUSTRATION ONLY: published figures to calibrate the PR model's relocation share and disruption incidence.

The numbers are real published figures, read with their sources from the project's compilation
``shared/data/moments_long.csv`` (documented in ``shared/data/MOMENTS.md``) when that file can be
found next to the repository (or at ``$GVCGAMES_DATA_DIR/moments_long.csv``), else from the copy of
the few rows used here that ships with the package (``gvcgames/empirics/data/published_figures.csv``,
columns and source URLs preserved). The mapping to PR's moments and the standard errors are
*assumptions made here to show the workflow*, not results:

* **Relocation share** ``R*``: ISTAT (3 June 2019), "Trasferimento all'estero della produzione":
  3.3% of Italian industrial and service enterprises with 50+ employees (about 700 firms)
  transferred activities *or functions* abroad in 2015-2017 (seen at quifinanza.it and agensir.it).
  The 3.3% includes support functions: of the relocators only 43.4% moved the core activity (69.3%
  moved support functions), so PR's relocation of production corresponds to about
  ``0.033 * 0.434 = 1.4%``; 3.3% is an upper reading. Standard error INFERRED: binomial, with
  ``N = 700 / 0.033 = 21,212`` enterprises.
* **Disruption incidence** ``p``: Eurostat (2025), Statistics Explained "Global value chain
  disruptions and enterprise responses in the EU" (data extracted April 2025): around 80% of EU
  enterprises with 50+ persons employed experienced at least one GVC shock in 2021-2023. The
  sample size is not in the excerpt; the standard error 0.02 is an ASSUMPTION.

Both refer to enterprises with 50+ employees over a three-year window, so they are read as a
lead firm's three-year relocation probability and disruption probability. PR's other parameters
are normalised (``D = Fbar = 1``) or fixed at illustrative values.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from gvcgames.empirics.errors import DataError
from gvcgames.empirics.moments import MomentSet
from gvcgames.errors import GvcgamesWarning

#: Rows of ``moments_long.csv`` used: name -> (category, statistic, geography, period, breakdown).
FIGURES = {
    "relocation share": (
        "relocation_share_by_size",
        "share of enterprises that transferred activities/functions abroad",
        "Italy",
        "2015-2017",
        "all (≈700 firms)",
    ),
    "disruption incidence": ("disruption_incidence", "experienced at least one GVC shock", "EU", "2021-2023", "all"),
    "core activity (of relocators)": (
        "international_sourcing",
        "moved core activity (of offshorers)",
        "Italy",
        "2015-2017",
        "all",
    ),
    "support functions (of relocators)": (
        "international_sourcing",
        "moved support functions (of offshorers)",
        "Italy",
        "2015-2017",
        "all",
    ),
}
_KEY = ["category", "statistic", "geography", "period", "breakdown"]
_PACKAGED = "published_figures.csv"
_DISRUPTION_SE = 0.02  # ASSUMED: the excerpt gives no sample size

#: Fixed PR parameters of the illustration (``D`` and ``Fbar`` normalise the loss and cost scale).
PR_FIXED = {"D": 1.0, "Fbar": 1.0, "Delta": 0.3, "m": 0.2}


def shared_figures_path() -> Path | None:
    """``moments_long.csv`` of the project's shared data, if it can be found (else ``None``).

    Looked for at ``$GVCGAMES_DATA_DIR/moments_long.csv`` and at ``../shared/data/`` next to the
    repository holding this (editable) install.
    """
    candidates = []
    if os.environ.get("GVCGAMES_DATA_DIR"):
        candidates.append(Path(os.environ["GVCGAMES_DATA_DIR"]) / "moments_long.csv")
    here = Path(__file__).resolve()
    if len(here.parents) > 4:
        candidates.append(here.parents[4] / "shared" / "data" / "moments_long.csv")
    return next((c for c in candidates if c.is_file()), None)


def published_figures(path: str | Path | None = None) -> pd.DataFrame:
    """The published figures the illustration uses, with every source column of the compilation.

    Parameters
    ----------
    path : str or Path, optional
        A ``moments_long.csv``; default: :func:`shared_figures_path`, else the packaged copy.

    Returns
    -------
    DataFrame
        Indexed by the illustration's name for each figure (:data:`FIGURES`), with the columns of
        ``moments_long.csv`` (``value`` as published, in percent) and ``origin`` (the file read).

    Raises
    ------
    DataError
        A figure is missing from an explicitly given file.

    Examples
    --------
    >>> fig = published_figures()
    >>> fig.loc["relocation share", ["value", "unit"]].tolist()
    ['3.3', '% of enterprises']
    >>> "istat" in fig.loc["relocation share", "source"].lower()
    True
    """
    explicit = path is not None
    found = Path(path) if path is not None else shared_figures_path()
    if found is not None:
        table = pd.read_csv(found, dtype=str, keep_default_na=False)
        rows = _select(table, str(found))
        if rows is not None:
            return rows
        if explicit:
            missing = [n for n, key in FIGURES.items() if not _match(table, key).any()]
            raise DataError(f"{found} lacks the figure(s) {missing} (keys {[FIGURES[m] for m in missing]})")
        warnings.warn(
            f"{found} lacks some of the illustration's figures; using the copy shipped with gvcgames",
            GvcgamesWarning,
            stacklevel=2,
        )
    packaged = resources.files("gvcgames.empirics").joinpath("data", _PACKAGED)
    with resources.as_file(packaged) as file:
        table = pd.read_csv(file, dtype=str, keep_default_na=False)
        rows = _select(table, f"gvcgames/empirics/data/{_PACKAGED} (copy of shared/data/moments_long.csv rows)")
    assert rows is not None, "the packaged figures are incomplete"
    return rows


def _match(table: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    return np.logical_and.reduce([table[c] == v for c, v in zip(_KEY, key, strict=True)])


def _select(table: pd.DataFrame, origin: str) -> pd.DataFrame | None:
    if not set(_KEY) <= set(table.columns):
        return None
    picked = []
    for name, key in FIGURES.items():
        hit = table[_match(table, key)]
        if len(hit) != 1:
            return None
        picked.append(hit.iloc[0].rename(name))
    out = pd.DataFrame(picked)
    out.index.name = "figure"
    out["origin"] = origin
    return out


def _share(text: str) -> float:
    """A published percentage as a share, without binary rounding noise (``'3.3'`` -> ``0.033``)."""
    return float(Decimal(text) / Decimal(100))


def pr_illustration_table(path: str | Path | None = None) -> pd.DataFrame:
    """The two moments, their assumed standard errors and sources (ILLUSTRATION).

    Values come from :func:`published_figures` (converted from percent); the standard errors and
    their basis are this illustration's assumptions.

    Examples
    --------
    >>> table = pr_illustration_table()
    >>> table["value"].tolist()
    [0.033, 0.8]
    >>> "support functions" in table.loc[0, "note"]
    True
    """
    fig = published_figures(path)
    reloc, dis = fig.loc["relocation share"], fig.loc["disruption incidence"]
    core, support = (
        _share(fig.loc["core activity (of relocators)", "value"]),
        _share(fig.loc["support functions (of relocators)", "value"]),
    )
    share, incidence = _share(reloc["value"]), _share(dis["value"])
    firms = re.search(r"(\d[\d,]*)\s*firms", reloc["breakdown"])
    if firms is None:
        raise DataError(f"cannot read the number of relocating firms from {reloc['breakdown']!r}")
    n_relocators = float(firms.group(1).replace(",", ""))
    n_obs = n_relocators / share
    return pd.DataFrame(
        {
            "name": ["relocation share", "disruption incidence"],
            "value": [share, incidence],
            "se": [(share * (1 - share) / n_obs) ** 0.5, _DISRUPTION_SE],
            "se_basis": [
                f"INFERRED binomial, N = {n_relocators:g}/{share:g} = {n_obs:,.0f} enterprises",
                "ASSUMED (sample size not published in the excerpt)",
            ],
            "note": [
                f"ISTAT's {100 * share:g}% counts transfers of activities OR functions abroad, support functions "
                f"included: only {100 * core:g}% of the relocators moved the core activity ({100 * support:g}% "
                f"moved support functions), so relocation of core production is about {100 * share * core:.2g}% "
                "of enterprises; read 3.3% as an upper bound for PR's relocation",
                f"{dis['notes'] or 'as published'}: at least one GVC shock of any kind, not only supplier failures",
            ],
            "statistic": [reloc["statistic"], dis["statistic"]],
            "population": [f"{reloc['population']}, {reloc['period']}", f"{dis['population']}, {dis['period']}"],
            "source": [reloc["source"], dis["source"]],
            "source_url": [reloc["source_url"], dis["source_url"]],
            "origin": [reloc["origin"], dis["origin"]],
        }
    )


def pr_illustration_moments(path: str | Path | None = None) -> MomentSet:
    """The illustration's :class:`MomentSet` (relocation share, disruption incidence).

    The moments' descriptions carry the standard-error basis and the caveat on ISTAT's share.

    Examples
    --------
    >>> pr_illustration_moments().names
    ('relocation share', 'disruption incidence')
    """
    table = pr_illustration_table(path)
    table["description"] = table["se_basis"] + "; " + table["note"]
    n_obs = float(table.loc[0, "value"] * (1 - table.loc[0, "value"]) / table.loc[0, "se"] ** 2)
    return MomentSet.from_frame(table, description="description", n_obs=n_obs)


#: Moment functions of simulated PR micro data (one row per lead firm-MSE pair).
PR_MICRO_MOMENTS = {
    "relocation share": lambda d: d["relocated"].mean(),
    "disruption incidence": lambda d: d["disrupted"].mean(),
    "mean prevention": lambda d: d["prevention"].mean(),
}


def simulate_pr_firms(
    equilibrium: Any, values: Mapping[str, float], n_firms: int, rng: np.random.Generator, noise: float = 0.3
) -> pd.DataFrame:
    """Synthetic micro data from PR's interior equilibrium (for recovery checks, not real data).

    Each pair is disrupted with probability ``p``; the lead firm draws ``F ~ U[0, Fbar]`` and
    relocates iff ``p D (1 - e*) > Delta + F``; the MSE's prevention is observed with
    mean-one log-normal measurement error of log-sd ``noise``.

    Examples
    --------
    >>> import gvcgames as gg
    >>> eq = next(e for e in gg.models.prevention_relocation().solve() if e.case.startswith("e interior"))
    >>> firms = simulate_pr_firms(eq, {**PR_FIXED, "p": 0.8, "c": 0.3}, 1000, np.random.default_rng(0))
    >>> list(firms.columns)
    ['disrupted', 'relocated', 'prevention']
    """
    names = {s.name: s for s in equilibrium.conditions.free_symbols | set(equilibrium.game.parameters)}
    subs = {names[k]: float(v) for k, v in values.items() if k in names}
    e_star = float(next(iter(equilibrium.strategies.values())).subs(subs))
    threshold = float(sp.sympify(names["p"] * names["D"] * (1 - e_star) - names["Delta"]).subs(subs))
    F = rng.uniform(0.0, values["Fbar"], n_firms)
    return pd.DataFrame(
        {
            "disrupted": (rng.random(n_firms) < values["p"]).astype(float),
            "relocated": (threshold > F).astype(float),
            "prevention": e_star * np.exp(noise * rng.standard_normal(n_firms) - noise**2 / 2),
        }
    )


__all__ = [
    "FIGURES",
    "PR_FIXED",
    "PR_MICRO_MOMENTS",
    "pr_illustration_moments",
    "pr_illustration_table",
    "published_figures",
    "shared_figures_path",
    "simulate_pr_firms",
]
