"""Testing a model's sign predictions against reduced-form estimates.

A :class:`~gvcgames.statics.Hypothesis` predicts the sign of a comparative static, e.g.
``dR*/dc > 0``. Given a reduced-form estimate ``b`` of that effect with standard error ``s``, the
one-sided test of ``H0: effect <= 0`` against the predicted ``effect > 0`` rejects for large
``z = b/s`` (p-value ``1 - Phi(z)``, or Student's t with ``df`` degrees of freedom); for a predicted
negative sign the directions swap. A conditional prediction (the sign depends on parameters) is
tested at given parameter values ``at=``, where its condition is evaluated. ``at`` must name only
parameters of the hypotheses and give every parameter of their equilibrium regions and
conditions; a point outside a hypothesis' equilibrium region gets the verdict ``outside region``
(the prediction does not apply there) and is left out of the multiple-testing family. Across several
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
from gvcgames.empirics.results import significant
from gvcgames.errors import InvalidSpecError
from gvcgames.export.format import escape
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
    standard error, z, one-sided p, adjusted p, whether ``at`` lies in the hypothesis' equilibrium
    region (``in region``: ``True``/``False``, ``None`` without ``at``) and a verdict:
    ``supported`` (the predicted sign is significant after adjustment), ``contradicted`` (the
    opposite sign is) or ``inconclusive``; ``no prediction`` when the hypothesis predicts no
    direction at ``at``; ``outside region`` when ``at`` is outside its equilibrium region.
    """

    frame: pd.DataFrame
    alpha: float
    correction: str

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def summary(self) -> str:
        cols = ["predicted", "observed", "estimate", "se", "z", "p", "p adj", "in region", "verdict"]
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
        """Booktabs table of predicted vs observed signs (numbers to 3 significant digits)."""
        sign_tex = {"+": "$+$", "-": "$-$", "0": "$0$", "none": "--"}
        lines = [
            r"\begin{tabular}{lllrrrrl}",
            r"\toprule",
            r"Hypothesis & Predicted & Observed & Estimate & Std. error & $p$ & $p_{\mathrm{adj}}$ & Verdict \\",
            r"\midrule",
        ]
        for label, row in self.frame.iterrows():
            lines.append(
                f"{escape(str(label))} & {sign_tex.get(row['predicted'], row['predicted'])} & "
                f"{sign_tex.get(row['observed'], row['observed'])} & {_sig(row['estimate'])} & "
                f"{_sig(row['se'])} & {_sig(row['p'])} & {_sig(row['p adj'])} & {escape(row['verdict'])} \\\\"
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
        Parameter values at which conditional predictions are evaluated and the equilibrium
        region is checked. Must give every parameter of the hypotheses' regions and conditions,
        and no other names.
    alpha : float
    correction : {"holm", "bh", "none"}

    Returns
    -------
    SignTestTable

    Raises
    ------
    SignTestError
        A key matches no hypothesis, the correction is unknown, or ``at`` names unknown
        parameters or lacks needed ones (the message names them).
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
    values = _check_at(hyps, [lookup[k] for k in rows], at)
    records = []
    for key, row in rows.items():
        h = lookup[key]
        in_region = None if values is None else _holds(h.result.region, values)
        pred = _predicted(h, values)
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
                "in region": in_region,
                "source": row.get("source", ""),
            }
        )
    frame = pd.DataFrame(records).set_index("hypothesis")
    outside = frame["in region"].map(lambda v: v is False).astype(bool)
    tested = (frame["predicted"] != "none") & ~outside
    frame["p adj"] = np.nan
    frame.loc[tested, "p adj"] = adjust_pvalues(frame.loc[tested, "p"], correction)
    opp_adj = pd.Series(np.nan, index=frame.index)
    opp_adj[tested] = adjust_pvalues(frame.loc[tested, "p_opp"], correction)
    frame["verdict"] = np.where(
        outside,
        "outside region",
        np.where(
            ~tested,
            "no prediction",
            np.where(frame["p adj"] < alpha, "supported", np.where(opp_adj < alpha, "contradicted", "inconclusive")),
        ),
    )
    frame = frame.drop(columns="p_opp")
    return SignTestTable(frame, alpha, correction)


def _predicted(h: Hypothesis, values: Mapping[str, float] | None) -> int:
    """+1 / -1 for the predicted direction, 0 when there is none (at these values)."""
    if h.certificate == Certificate.UNKNOWN or h.sign == Sign.ZERO:
        return 0
    if h.certificate != Certificate.CONDITIONAL:
        return 1 if h.sign in _POSITIVE else -1 if h.sign in _NEGATIVE else 0
    if values is None:
        return 0
    for sign, direction in ((Sign.POSITIVE, 1), (Sign.NEGATIVE, -1)):
        if _holds(h.conditions.get(sign, sp.false), values) is True:
            return direction
    return 0


def _holds(condition: Any, values: Mapping[str, float]) -> bool | None:
    """Whether a condition in parameters holds at ``values`` (``None`` if sympy cannot decide)."""
    cond = sp.sympify(condition)
    subs = {s: values[s.name] for s in cond.free_symbols if s.name in values}
    out = cond.subs(subs)
    if out is sp.true:
        return True
    if out is sp.false:
        return False
    return None


def _needed(h: Hypothesis) -> set[str]:
    """Parameters whose values decide the hypothesis at a point: its region and its conditions."""
    names = {s.name for s in sp.sympify(getattr(h.result, "region", sp.true)).free_symbols}
    if h.certificate == Certificate.CONDITIONAL:
        for cond in h.conditions.values():
            names |= {s.name for s in sp.sympify(cond).free_symbols}
    return names


def _check_at(
    hyps: list[Hypothesis], tested: list[Hypothesis], at: Mapping[Any, float] | None
) -> dict[str, float] | None:
    if at is None:
        return None
    values: dict[str, float] = {}
    for k, v in at.items():
        name = getattr(k, "name", str(k))
        try:
            values[name] = float(v)
        except (TypeError, ValueError) as exc:
            raise SignTestError(f"at[{name!r}] = {v!r} is not a number") from exc
    known: set[str] = set()
    for h in hyps:
        known |= _needed(h) | {h.parameter.name}
        known |= {s.name for s in sp.sympify(h.derivative).free_symbols}
        eq = getattr(h.result, "equilibrium", None)
        known |= {getattr(p, "name", str(p)) for p in getattr(getattr(eq, "game", None), "parameters", ())}
    unknown = sorted(set(values) - known)
    if unknown:
        raise SignTestError(f"at= names unknown parameter(s) {unknown}; the hypotheses' parameters are {sorted(known)}")
    needed: set[str] = set().union(*(_needed(h) for h in tested)) if tested else set()
    missing = sorted(needed - set(values))
    if missing:
        raise SignTestError(
            f"at= lacks value(s) for {missing}, needed to evaluate the tested hypotheses' equilibrium regions "
            f"and conditions; give every one of {sorted(needed)}"
        )
    return values


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


def _sig(x: float) -> str:
    return significant(x, 3)


__all__ = ["CORRECTIONS", "SignTestError", "SignTestTable", "adjust_pvalues", "sign_tests"]
