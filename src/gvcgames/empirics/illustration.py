"""ILLUSTRATION ONLY: published figures to calibrate the PR model's relocation share and disruption incidence.

The numbers are real published figures (compiled, with their sources, in the project's
``shared/data/MOMENTS.md`` and ``moments_long.csv``), but the mapping to PR's moments and the
standard errors are *assumptions made here to show the workflow*, not results:

* **Relocation share** ``R*``: ISTAT (3 June 2019), "Trasferimento all'estero della produzione":
  3.3% of Italian industrial and service enterprises with 50+ employees (about 700 firms)
  transferred activities or functions abroad in 2015-2017 (seen at quifinanza.it and agensir.it).
  Standard error INFERRED: binomial, with ``N = 700 / 0.033 = 21,212`` enterprises.
* **Disruption incidence** ``p``: Eurostat (2025), Statistics Explained "Global value chain
  disruptions and enterprise responses in the EU" (data extracted April 2025): around 80% of EU
  enterprises with 50+ persons employed experienced at least one GVC shock in 2021-2023. The
  sample size is not in the excerpt; the standard error 0.02 is an ASSUMPTION.

Both refer to enterprises with 50+ employees over a three-year window, so they are read as a
lead firm's three-year relocation probability and disruption probability. PR's other parameters
are normalised (``D = Fbar = 1``) or fixed at illustrative values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from gvcgames.empirics.moments import MomentSet

_ISTAT_URL = (
    "https://agensir.it/quotidiano/2019/6/3/economia-istat-rallenta-la-tendenza-a-delocalizzare-tra-il-2015-e-il-"
    "2017-il-33-delle-medie-e-grandi-imprese-ha-trasferito-allestero-attivita-o-funzioni/"
)
_EUROSTAT_URL = (
    "https://ec.europa.eu/eurostat/statistics-explained/index.php?title="
    "Global_value_chain_disruptions_and_enterprise_responses_in_the_EU"
)
_ISTAT_N = 700 / 0.033  # INFERRED number of enterprises behind the ISTAT share

#: Fixed PR parameters of the illustration (``D`` and ``Fbar`` normalise the loss and cost scale).
PR_FIXED = {"D": 1.0, "Fbar": 1.0, "Delta": 0.3, "m": 0.2}


def pr_illustration_table() -> pd.DataFrame:
    """The two published figures, their assumed standard errors and sources (ILLUSTRATION).

    Examples
    --------
    >>> pr_illustration_table()["value"].tolist()
    [0.033, 0.8]
    """
    share = 0.033
    return pd.DataFrame(
        {
            "name": ["relocation share", "disruption incidence"],
            "value": [share, 0.80],
            "se": [(share * (1 - share) / _ISTAT_N) ** 0.5, 0.02],
            "se_basis": [
                "INFERRED binomial, N = 700/0.033 enterprises",
                "ASSUMED (sample size not published in the excerpt)",
            ],
            "population": [
                "Italian enterprises with 50+ employees, 2015-2017",
                "EU enterprises with 50+ persons employed, 2021-2023",
            ],
            "source": [
                f"ISTAT (2019), Trasferimento all'estero della produzione; seen at {_ISTAT_URL}",
                f"Eurostat (2025), Statistics Explained; {_EUROSTAT_URL}",
            ],
        }
    )


def pr_illustration_moments() -> MomentSet:
    """The illustration's :class:`MomentSet` (relocation share, disruption incidence).

    Examples
    --------
    >>> pr_illustration_moments().names
    ('relocation share', 'disruption incidence')
    """
    table = pr_illustration_table()
    return MomentSet.from_frame(table, description="se_basis", n_obs=_ISTAT_N)


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
    "PR_FIXED",
    "PR_MICRO_MOMENTS",
    "pr_illustration_moments",
    "pr_illustration_table",
    "simulate_pr_firms",
]
