"""Testing a model's sign predictions against reduced-form estimates.

A :class:`~gvcgames.statics.Hypothesis` predicts the sign of a comparative static, e.g.
``dR*/dc > 0``. Given a reduced-form estimate ``b`` of that effect with standard error ``s``, the
one-sided test of ``H0: effect <= 0`` against the predicted ``effect > 0`` rejects for large
``z = b/s`` (p-value ``1 - Phi(z)``, or Student's t with ``df`` degrees of freedom); for a predicted
negative sign the directions swap. A conditional prediction (the sign depends on parameters) is
tested at given parameter values ``at=``, where its condition is evaluated. Across several
hypotheses the p-values are adjusted for multiple testing: Holm (1979) controls the family-wise
error rate, Benjamini and Hochberg (1995) the false discovery rate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp
from scipy import stats

from gvcgames.empirics.errors import DataError
from gvcgames.errors import InvalidSpecError
from gvcgames.spec.assumptions import Sign
from gvcgames.statics.certificates import Certificate
from gvcgames.statics.hypotheses import Hypothesis

CORRECTIONS = ("holm", "bh", "none")
_POSITIVE = (Sign.POSITIVE, Sign.NONNEGATIVE)
_NEGATIVE = (Sign.NEGATIVE, Sign.NONPOSITIVE)


class SignTestError(InvalidSpecError):
    """Estimates that match no hypothesis, or a malformed estimate table."""


def adjust_pvalues(pvalues: Iterable[float], method: str = "holm") -> np.ndarray:
    """Multiple-testing adjusted p-values (``"holm"``, ``"bh"`` or ``"none"``).

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03], "holm").round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_pvalues([0.01, 0.04, 0.03], "bh").round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    p = np.asarray(list(pvalues), dtype=float)
    m = p.size
    if method not in CORRECTIONS:
        raise SignTestError(f"unknown correction {method!r}; valid: {', '.join(CORRECTIONS)}")
    if m == 0 or method == "none":
        return p
    order = np.argsort(p)
    ranked = p[order]
    if method == "holm":
        adj = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * ranked))
    else:
        adj = np.minimum.accumulate((m / np.arange(1, m + 1) * ranked)[::-1])[::-1]
        adj = np.minimum(adj, 1.0)
    out = np.empty(m)
    out[order] = adj
    return out


@dataclass(frozen=True, eq=False)
class SignTestTable:
    """Predicted vs observed signs with one-sided p-values and their multiple-testing adjustment.

    ``frame`` has one row per hypothesis with an estimate: predicted and observed sign, estimate,
    standard error, z, one-sided p, adjusted p and a verdict: ``supported`` (the predicted sign is
    significant after adjustment), ``contradicted`` (the opposite sign is) or ``inconclusive``;
    ``no prediction`` when the hypothesis predicts no direction at ``at``.
    """

    frame: pd.DataFrame
    alpha: float
    correction: str

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def summary(self) -> str:
        cols = ["predicted", "observed", "estimate", "se", "z", "p", "p adj", "verdict"]
        with pd.option_context("display.precision", 4, "display.width", 120):
            table = self.frame[cols].to_string()
        counts = self.frame["verdict"].value_counts().to_dict()
        tail = ", ".join(f"{v} {k}" for k, v in counts.items())
        return f"Sign tests (one-sided, alpha = {self.alpha:g}, correction: {self.correction})\n{table}\n{tail}"

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        head = f"<p><b>Sign tests</b> (one-sided, alpha = {self.alpha:g}, correction: {self.correction})</p>"
        return head + str(self.frame.to_html(float_format=lambda v: f"{v:.4g}"))

    def to_latex(self, caption: str | None = None) -> str:
        """Booktabs table of predicted vs observed signs."""
        sign_tex = {"+": "$+$", "-": "$-$", "none": "--"}
        lines = [
            r"\begin{tabular}{llrrrrl}",
            r"\toprule",
            r"Hypothesis & Predicted & Estimate & Std. error & $p$ & $p_{\mathrm{adj}}$ & Verdict \\",
            r"\midrule",
        ]
        for label, row in self.frame.iterrows():
            lines.append(
                f"{label} & {sign_tex.get(row['predicted'], row['predicted'])} & {row['estimate']:.3f} & "
                f"{row['se']:.3f} & {_num(row['p'])} & {_num(row['p adj'])} & {row['verdict']} \\\\"
            )
        lines += [r"\bottomrule", r"\end{tabular}"]
        body = "\n".join(lines)
        if caption:
            body = f"\\begin{{table}}[htbp]\n\\centering\n\\caption{{{caption}}}\n{body}\n\\end{{table}}"
        return body


def sign_tests(
    hypotheses: Iterable[Hypothesis],
    estimates: pd.DataFrame | Mapping[str, Any],
    *,
    at: Mapping[Any, float] | None = None,
    alpha: float = 0.05,
    correction: str = "holm",
) -> SignTestTable:
    """Test each hypothesis' predicted sign against a reduced-form estimate.

    Parameters
    ----------
    hypotheses : iterable of Hypothesis
    estimates : DataFrame or mapping
        Keyed by hypothesis label (``"H3"``) or by ``"outcome|parameter"``; values ``(estimate, se)``
        or dicts/rows with ``estimate``, ``se`` and optional ``df`` (Student t) and ``source``.
        A DataFrame is indexed by the key (or has a ``hypothesis`` column).
    at : mapping parameter -> value, optional
        Parameter values at which conditional predictions are evaluated.
    alpha : float
    correction : {"holm", "bh", "none"}

    Returns
    -------
    SignTestTable

    Raises
    ------
    SignTestError
        A key matches no hypothesis, or the correction is unknown.
    DataError
        An estimate or standard error is NaN, or a standard error is not positive.

    Examples
    --------
    >>> import gvcgames as gg
    >>> from gvcgames.statics import hypotheses
    >>> eq = gg.models.hold_up().solve().equilibria[0]
    >>> hs = hypotheses(eq, outcomes=["x"], wrt=["w"])
    >>> t = sign_tests(hs, {"H1": (-0.8, 0.3)})
    >>> t.frame.loc["H1", ["predicted", "observed", "verdict"]].tolist()
    ['-', '-', 'supported']
    """
    if correction not in CORRECTIONS:
        raise SignTestError(f"unknown correction {correction!r}; valid: {', '.join(CORRECTIONS)}")
    hyps = list(hypotheses)
    rows = _estimate_rows(estimates)
    lookup: dict[str, Hypothesis] = {}
    for h in hyps:
        lookup[h.label] = h
        lookup[f"{h.outcome}|{h.parameter.name}"] = h
    unknown = [k for k in rows if k not in lookup]
    if unknown:
        raise SignTestError(
            f"estimate(s) {unknown} match no hypothesis; keys are labels {[h.label for h in hyps]} "
            "or 'outcome|parameter'"
        )
    records = []
    for key, row in rows.items():
        h = lookup[key]
        pred = _predicted(h, at)
        b, s, df = row["estimate"], row["se"], row.get("df")
        z = b / s
        dist = stats.t(df) if df else stats.norm
        p_pos = float(dist.sf(z))  # H0: effect <= 0
        p = {1: p_pos, -1: 1 - p_pos}.get(pred, np.nan)
        p_opp = {1: 1 - p_pos, -1: p_pos}.get(pred, np.nan)
        records.append(
            {
                "hypothesis": h.label,
                "statement": h.sentence,
                "predicted": {1: "+", -1: "-"}.get(pred, "none"),
                "observed": "+" if b > 0 else "-" if b < 0 else "0",
                "estimate": b,
                "se": s,
                "z": z,
                "p": p,
                "p_opp": p_opp,
                "source": row.get("source", ""),
            }
        )
    frame = pd.DataFrame(records).set_index("hypothesis")
    tested = frame["predicted"] != "none"
    frame["p adj"] = np.nan
    frame.loc[tested, "p adj"] = adjust_pvalues(frame.loc[tested, "p"], correction)
    opp_adj = pd.Series(np.nan, index=frame.index)
    opp_adj[tested] = adjust_pvalues(frame.loc[tested, "p_opp"], correction)
    frame["verdict"] = np.where(
        ~tested,
        "no prediction",
        np.where(frame["p adj"] < alpha, "supported", np.where(opp_adj < alpha, "contradicted", "inconclusive")),
    )
    frame = frame.drop(columns="p_opp")
    return SignTestTable(frame, alpha, correction)


def _predicted(h: Hypothesis, at: Mapping[Any, float] | None) -> int:
    """+1 / -1 for the predicted direction, 0 when there is none (at these values)."""
    if h.certificate == Certificate.UNKNOWN or h.sign == Sign.ZERO:
        return 0
    if h.certificate != Certificate.CONDITIONAL:
        return 1 if h.sign in _POSITIVE else -1 if h.sign in _NEGATIVE else 0
    if at is None:
        return 0
    values = {getattr(k, "name", str(k)): float(v) for k, v in at.items()}
    for sign, direction in ((Sign.POSITIVE, 1), (Sign.NEGATIVE, -1)):
        cond = sp.sympify(h.conditions.get(sign, sp.false))
        subs = {s: values[s.name] for s in cond.free_symbols if s.name in values}
        if cond.subs(subs) is sp.true:
            return direction
    return 0


def _estimate_rows(estimates: pd.DataFrame | Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    if isinstance(estimates, pd.DataFrame):
        frame = estimates.set_index("hypothesis") if "hypothesis" in estimates.columns else estimates
        missing = [c for c in ("estimate", "se") if c not in frame.columns]
        if missing:
            raise SignTestError(f"estimate table lacks column(s) {missing}; it has {list(frame.columns)}")
        items = {str(k): dict(r) for k, r in frame.iterrows()}
    else:
        items = {}
        for k, v in estimates.items():
            items[str(k)] = dict(v) if isinstance(v, Mapping) else {"estimate": v[0], "se": v[1]}
    out = {}
    for key, row in items.items():
        b, s = float(row["estimate"]), float(row["se"])
        if not (np.isfinite(b) and np.isfinite(s)):
            raise DataError(f"estimate or standard error of {key!r} is NaN or infinite")
        if s <= 0:
            raise DataError(f"standard error of {key!r} must be positive; got {s}")
        df = row.get("df")
        df = float(df) if df is not None and np.isfinite(float(df)) else None
        out[key] = {"estimate": b, "se": s, "df": df, "source": str(row.get("source", "") or "")}
    return out


def _num(x: float) -> str:
    return "--" if not np.isfinite(x) else f"{x:.3f}"


__all__ = ["CORRECTIONS", "SignTestError", "SignTestTable", "adjust_pvalues", "sign_tests"]
