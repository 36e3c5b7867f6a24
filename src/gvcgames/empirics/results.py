"""The result of an estimation: estimates, standard errors, tests, diagnostics, optimiser output.

Numbers in :meth:`EstimationResult.to_latex` are rounded to significant digits and keep them
(``0.00213``, ``2.00``, ``1.00 \\times 10^{-5}``): never a fixed number of decimals that would print
``1e-5`` as ``0.000``. A missing standard error prints as ``--``. (:func:`gvcgames.export.format.number`
prints a float's shortest round-trip form and marks rounding with ``\\approx``, right for
derivations but not for a table of estimates with a stated precision.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp
from scipy import stats

from gvcgames.empirics.checks import check_level
from gvcgames.empirics.inference import Identification, JTest
from gvcgames.empirics.moments import MomentSet
from gvcgames.export.format import escape, math_tex


@dataclass(frozen=True, eq=False)
class EstimationResult:
    """Minimum-distance / GMM / SMM estimates with their inference.

    Attributes
    ----------
    parameters : tuple of str
    params : ndarray
        Point estimates.
    cov : ndarray
        Sandwich covariance with ``Omega = S_data + S_sim``; NaN when not identified.
    data : MomentSet
        The data moments used.
    fitted : ndarray
        Model moments at the estimate.
    method : str
        ``"minimum distance"``, ``"SMM"`` or ``"GMM"``.
    weighting : str
        ``"identity"``, ``"diagonal"``, ``"optimal (two-step)"``, ``"diagonal (two-step)"`` or ``"user"``.
    W : ndarray
        The weighting matrix of the final step.
    converged : bool
        Always ``True`` for a returned result (non-convergence raises).
    message : str
        Notes: estimate at a bound, Wald intervals crossing a bound, region violated, singular
        weighting, rank deficiency.
    optimizer : scipy.optimize.OptimizeResult
        The full output of the best run.
    runs : list of OptimizeResult
        Every run (all starts, both steps).
    jtest : JTest
    identification : Identification
    sensitivity : ndarray
        Andrews-Gentzkow-Shapiro ``Lambda`` (parameters x moments).
    objective : float
    region_holds : bool or None
        Whether the model's equilibrium region holds at the estimate (for simulated firms: at
        every firm).
    level : float
        Confidence level of the reported intervals.
    omega : ndarray
        Covariance of data minus model moments used for inference, ``S_data + S_sim``.
    simulation_cov : ndarray or None
        ``S_sim`` at the estimate (SMM only): the simulation noise of the model moments.
    jacobian : ndarray
        Model-moment Jacobian at the estimate.
    bounds : tuple of (low, high)
    symbols : tuple of sympy Symbol
        The parameters as symbols (their LaTeX names are used by :meth:`to_latex`).
    outside_region : int or None
        Simulated firms outside the equilibrium region at the estimate.
    n_sim : int or None
        Number of simulated firms (SMM).
    notes : tuple of str
        The notes of ``message`` other than those on Wald intervals (:meth:`ci_notes`, which
        depend on the level).
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
    region_holds: bool | None = None
    level: float = 0.95
    omega: np.ndarray | None = field(default=None, repr=False)
    simulation_cov: np.ndarray | None = field(default=None, repr=False)
    jacobian: np.ndarray | None = field(default=None, repr=False)
    bounds: tuple[tuple[float, float], ...] = ()
    symbols: tuple[Any, ...] = ()
    outside_region: int | None = None
    n_sim: int | None = None
    notes: tuple[str, ...] = ()

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
        """Wald confidence intervals ``estimate +- z se`` (not truncated at the bounds: see :meth:`ci_notes`)."""
        level = self.level if level is None else check_level(level)
        z = stats.norm.ppf(0.5 + level / 2)
        return pd.DataFrame(
            {"lower": self.params - z * self.se, "upper": self.params + z * self.se}, index=list(self.parameters)
        )

    def ci_notes(self, level: float | None = None) -> list[str]:
        """Notes on Wald intervals that cross a parameter bound (estimates at a bound have their own note)."""
        level = self.level if level is None else check_level(level)
        if not self.bounds:
            return []
        ci = self.conf_int(level)
        notes = []
        for name, theta, (lo, hi) in zip(self.parameters, self.params, self.bounds, strict=True):
            if np.isclose(theta, lo) or np.isclose(theta, hi):
                continue  # an estimate at its bound has its own note
            low, up = ci.loc[name, "lower"], ci.loc[name, "upper"]
            crossed = []
            if np.isfinite(lo) and low < lo:
                crossed.append(f"lower bound {lo:g}")
            if np.isfinite(hi) and up > hi:
                crossed.append(f"upper bound {hi:g}")
            if crossed:
                notes.append(
                    f"the {100 * level:g}% Wald interval of {name} [{low:.4g}, {up:.4g}] crosses its "
                    f"{' and '.join(crossed)}: the estimate is near the boundary, the normal approximation is poor"
                )
        return notes

    def to_frame(self, level: float | None = None) -> pd.DataFrame:
        """One row per parameter: estimate, standard error, z, p-value, confidence interval."""
        level = self.level if level is None else check_level(level)
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
        """Data vs model moments; the residual in standard errors of data and simulation noise together.

        For SMM the column ``sim se`` is the simulation noise of each model moment (zero when the
        moment is not simulated).
        """
        omega = self.omega if self.omega is not None else self.data.cov
        total = np.sqrt(np.diag(omega))
        cols: dict[str, Any] = {"data": self.data.values, "se": self.data.se}
        if self.simulation_cov is not None:
            cols["sim se"] = np.sqrt(np.clip(np.diag(self.simulation_cov), 0, None))
        cols["model"] = self.fitted
        cols["t"] = (self.data.values - self.fitted) / total
        return pd.DataFrame(cols, index=pd.Index(self.data.names, name="moment"))

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
        """Text summary: header, parameter table, moment fit, J-test, identification, notes."""
        head = [
            f"{self.method} estimation, weighting: {self.weighting}",
            f"moments: {len(self.data)}, parameters: {len(self.parameters)}, objective: {self.objective:.{digits}g}",
        ]
        if self.simulation_cov is not None:
            head.append(
                f"simulation noise: Omega = S_data + S_sim, S_sim estimated from the {self.n_sim} simulated firms "
                "at the estimate (see 'sim se')"
            )
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
        body += [f"note: {n}" for n in [*self.notes, *self.ci_notes(level)]]
        return "\n".join(head + body)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        est = ", ".join(f"{n}={v:.4g}" for n, v in zip(self.parameters, self.params, strict=True))
        return f"EstimationResult({self.method}, {est})"

    def tex_names(self) -> list[str]:
        """LaTeX (math mode) of each parameter: the symbol's own LaTeX name, else sympy's rendering."""
        symbols = self.symbols or tuple(sp.Symbol(n) for n in self.parameters)
        return [_tex_symbol(sym, name) for sym, name in zip(symbols, self.parameters, strict=True)]

    def to_latex(
        self, caption: str | None = None, label: str | None = None, digits: int = 3, level: float | None = None
    ) -> str:
        r"""A booktabs table: estimate, standard error, Wald interval, then fit statistics and notes.

        Numbers keep ``digits`` significant digits (``0.00213``, ``1.00 \times 10^{-5}``); a missing
        standard error prints ``--``. Parameter names are the symbols' LaTeX names. Notes (estimate
        at a bound, interval crossing a bound, rank deficiency, region) follow the table.
        """
        level = self.level if level is None else check_level(level)
        ci = self.conf_int(level)
        pct = f"{100 * level:g}\\%"
        lines = [
            r"\begin{tabular}{lrrc}",
            r"\toprule",
            f"Parameter & Estimate & Std. error & {pct} interval \\\\",
            r"\midrule",
        ]
        for tex, name, est, se in zip(self.tex_names(), self.parameters, self.params, self.se, strict=True):
            has_se = bool(np.isfinite(se))
            se_txt = f"({significant(se, digits)})" if has_se else "--"
            ci_txt = (
                f"[{significant(ci.loc[name, 'lower'], digits)}, {significant(ci.loc[name, 'upper'], digits)}]"
                if has_se
                else "--"
            )
            lines.append(f"${tex}$ & {significant(est, digits)} & {se_txt} & {ci_txt} \\\\")
        lines.append(r"\midrule")
        lines.append(f"Moments & \\multicolumn{{3}}{{r}}{{{len(self.data)}}} \\\\")
        if self.jtest.applicable:
            lines.append(
                f"$J$ ($\\chi^2_{{{self.jtest.df}}}$) & {significant(self.jtest.statistic, digits)} & "
                f"\\multicolumn{{2}}{{r}}{{[$p$ = {significant(self.jtest.pvalue, digits)}]}} \\\\"
            )
        lines.append(f"Weighting & \\multicolumn{{3}}{{r}}{{{escape(self.weighting)}}} \\\\")
        if self.simulation_cov is not None:
            lines.append(
                f"Simulated firms & \\multicolumn{{3}}{{r}}{{{self.n_sim} (simulation noise in the errors)}} \\\\"
            )
        lines.append(r"\bottomrule")
        notes = [*self.notes, *self.ci_notes(level)]
        notes.append(f"Numbers rounded to {digits} significant digits; Wald intervals.")
        for note in notes:
            lines.append(f"\\multicolumn{{4}}{{p{{0.9\\linewidth}}}}{{\\footnotesize Note: {escape(note)}}} \\\\")
        lines.append(r"\end{tabular}")
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
        parts += [f"<p><i>note: {_html(n)}</i></p>" for n in [*self.notes, *self.ci_notes()]]
        return "\n".join(parts)


def significant(value: float, digits: int = 3) -> str:
    r"""``value`` with ``digits`` significant digits kept (trailing zeros too), for LaTeX text mode.

    Scientific notation below ``1e-3`` or from ``1e5`` on; NaN and infinities as ``--`` and
    ``$\infty$``.

    Examples
    --------
    >>> significant(0.0021), significant(0.002), significant(1e-5), significant(2.0), significant(1.23e5)
    ('0.00210', '0.00200', '$1.00 \\times 10^{-5}$', '2.00', '$1.23 \\times 10^{5}$')
    >>> significant(float("nan"))
    '--'
    """
    value = float(value)
    if math.isnan(value):
        return "--"
    if math.isinf(value):
        return "$\\infty$" if value > 0 else "$-\\infty$"
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(float(f"{value:.{digits}g}"))))
    if exponent < -3 or exponent >= 5:
        mantissa, exp = f"{value:.{digits - 1}e}".split("e")
        return f"${mantissa} \\times 10^{{{int(exp)}}}$"
    decimals = max(digits - 1 - exponent, 0)
    return f"{value:.{decimals}f}"


def _tex_symbol(symbol: Any, name: str) -> str:
    if name.isidentifier():
        return math_tex(symbol if isinstance(symbol, sp.Basic) else sp.Symbol(name))
    return f"\\text{{{escape(name)}}}"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["EstimationResult", "significant"]
