"""The result of an estimation: estimates, standard errors, tests, diagnostics, optimiser output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from gvcgames.empirics.inference import Identification, JTest
from gvcgames.empirics.moments import MomentSet


@dataclass(frozen=True, eq=False)
class EstimationResult:
    """Minimum-distance / GMM / SMM estimates with their inference.

    Attributes
    ----------
    parameters : tuple of str
    params : ndarray
        Point estimates.
    cov : ndarray
        Sandwich covariance (simulation-corrected for SMM); NaN when not identified.
    data : MomentSet
        The data moments used.
    fitted : ndarray
        Model moments at the estimate.
    method : str
        ``"minimum distance"``, ``"SMM"`` or ``"GMM"``.
    weighting : str
        ``"identity"``, ``"diagonal"``, ``"optimal (two-step)"`` or ``"user"``.
    W : ndarray
        The weighting matrix of the final step.
    converged : bool
        Always ``True`` for a returned result (non-convergence raises).
    message : str
        Notes: the optimiser's message and any warning (estimate at a bound, region violated).
    optimizer : scipy.optimize.OptimizeResult
        The full output of the best run.
    runs : list of OptimizeResult
        Every run (all starts, both steps).
    jtest : JTest
    identification : Identification
    sensitivity : ndarray
        Andrews-Gentzkow-Shapiro ``Lambda`` (parameters x moments).
    simulation_ratio : float or None
        ``S`` in the ``(1 + 1/S)`` correction (SMM only).
    region_holds : bool or None
        Whether the model's equilibrium region holds at the estimate.
    level : float
        Confidence level of the reported intervals.
    """

    parameters: tuple[str, ...]
    params: np.ndarray
    cov: np.ndarray
    data: MomentSet
    fitted: np.ndarray
    method: str
    weighting: str
    W: np.ndarray
    converged: bool
    message: str
    optimizer: Any = field(repr=False)
    runs: list[Any] = field(repr=False)
    jtest: JTest
    identification: Identification
    sensitivity: np.ndarray = field(repr=False)
    objective: float
    simulation_ratio: float | None = None
    region_holds: bool | None = None
    level: float = 0.95

    # --- numbers -----------------------------------------------------------------------------

    @property
    def se(self) -> np.ndarray:
        """Standard errors of the estimates."""
        return np.sqrt(np.clip(np.diag(self.cov), 0, None))

    @property
    def estimates(self) -> pd.Series:
        """Point estimates by parameter name."""
        return pd.Series(self.params, index=list(self.parameters), name="estimate")

    def conf_int(self, level: float | None = None) -> pd.DataFrame:
        """Wald confidence intervals ``estimate +- z se``."""
        level = self.level if level is None else level
        z = stats.norm.ppf(0.5 + level / 2)
        return pd.DataFrame(
            {"lower": self.params - z * self.se, "upper": self.params + z * self.se}, index=list(self.parameters)
        )

    def to_frame(self, level: float | None = None) -> pd.DataFrame:
        """One row per parameter: estimate, standard error, z, p-value, confidence interval."""
        level = self.level if level is None else level
        ci = self.conf_int(level)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = self.params / self.se
        pct = f"{100 * level:g}%"
        return pd.DataFrame(
            {
                "estimate": self.params,
                "se": self.se,
                "z": z,
                "p": 2 * stats.norm.sf(np.abs(z)),
                f"{pct} lower": ci["lower"].to_numpy(),
                f"{pct} upper": ci["upper"].to_numpy(),
            },
            index=pd.Index(self.parameters, name="parameter"),
        )

    def moment_table(self) -> pd.DataFrame:
        """Data vs model moments, with the residual in standard errors."""
        return pd.DataFrame(
            {
                "data": self.data.values,
                "se": self.data.se,
                "model": self.fitted,
                "t": (self.data.values - self.fitted) / self.data.se,
            },
            index=pd.Index(self.data.names, name="moment"),
        )

    def sensitivity_frame(self, standardized: bool = False) -> pd.DataFrame:
        """Sensitivity of each estimate to each data moment.

        ``standardized=True`` scales entry ``(i, j)`` by ``se(m_j)/se(theta_i)``: the change in
        ``theta_i``, in its standard errors, when moment ``j`` moves by one of its standard errors.
        """
        lam = self.sensitivity
        if standardized:
            with np.errstate(divide="ignore", invalid="ignore"):
                lam = lam * self.data.se[None, :] / self.se[:, None]
        return pd.DataFrame(lam, index=list(self.parameters), columns=list(self.data.names))

    # --- display -----------------------------------------------------------------------------

    def summary(self, level: float | None = None, digits: int = 4) -> str:
        """Text summary: header, parameter table, moment fit, J-test, identification."""
        head = [
            f"{self.method} estimation, weighting: {self.weighting}",
            f"moments: {len(self.data)}, parameters: {len(self.parameters)}, objective: {self.objective:.{digits}g}",
        ]
        if self.simulation_ratio is not None:
            head.append(f"simulation correction: (1 + 1/S) with S = {self.simulation_ratio:.4g}")
        with pd.option_context("display.precision", digits, "display.width", 120):
            body = [
                "",
                self.to_frame(level).to_string(),
                "",
                "moment fit:",
                self.moment_table().to_string(),
                "",
                str(self.jtest),
                f"identification: {self.identification}",
            ]
        if self.region_holds is not None:
            body.append(f"equilibrium region holds at the estimate: {'yes' if self.region_holds else 'NO'}")
        body.append(f"optimiser: {getattr(self.optimizer, 'message', '')} ({len(self.runs)} runs)")
        if self.message:
            body.append(f"note: {self.message}")
        return "\n".join(head + body)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        est = ", ".join(f"{n}={v:.4g}" for n, v in zip(self.parameters, self.params, strict=True))
        return f"EstimationResult({self.method}, {est})"

    def to_latex(self, caption: str | None = None, label: str | None = None, digits: int = 3) -> str:
        """A booktabs table: estimates with standard errors in parentheses, then fit statistics."""
        lines = [r"\begin{tabular}{lrr}", r"\toprule", r"Parameter & Estimate & Std. error \\", r"\midrule"]
        for name, est, se in zip(self.parameters, self.params, self.se, strict=True):
            lines.append(f"${_tex_name(name)}$ & {est:.{digits}f} & ({se:.{digits}f}) \\\\")
        lines.append(r"\midrule")
        lines.append(f"Moments & \\multicolumn{{2}}{{r}}{{{len(self.data)}}} \\\\")
        if self.jtest.applicable:
            lines.append(
                f"$J$ ($\\chi^2_{{{self.jtest.df}}}$) & {self.jtest.statistic:.{digits}f} & "
                f"[$p = {self.jtest.pvalue:.{digits}f}$] \\\\"
            )
        lines.append(f"Weighting & \\multicolumn{{2}}{{r}}{{{self.weighting}}} \\\\")
        lines += [r"\bottomrule", r"\end{tabular}"]
        body = "\n".join(lines)
        if caption or label:
            cap = f"\\caption{{{caption}}}\n" if caption else ""
            lab = f"\\label{{{label}}}\n" if label else ""
            body = f"\\begin{{table}}[htbp]\n\\centering\n{cap}{lab}{body}\n\\end{{table}}"
        return body

    def _repr_html_(self) -> str:
        parts = [
            f"<p><b>{self.method}</b> estimation, weighting: {self.weighting}; "
            f"{len(self.data)} moments, {len(self.parameters)} parameters</p>",
            self.to_frame().to_html(float_format=lambda v: f"{v:.4g}"),
            "<p>Moment fit</p>",
            self.moment_table().to_html(float_format=lambda v: f"{v:.4g}"),
            f"<p>{_html(str(self.jtest))}<br>identification: {_html(str(self.identification))}</p>",
        ]
        if self.message:
            parts.append(f"<p><i>note: {_html(self.message)}</i></p>")
        return "\n".join(parts)


def _tex_name(name: str) -> str:
    if name == "Fbar":
        return r"\bar{F}"
    greek = {"Delta", "delta", "sigma", "mu", "beta", "theta", "lambda", "alpha", "gamma", "rho", "tau"}
    base, _, sub = name.partition("_")
    base = f"\\{base}" if base in greek else base
    return f"{base}_{{{sub}}}" if sub else base


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["EstimationResult"]
