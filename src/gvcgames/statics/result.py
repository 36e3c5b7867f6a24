"""The result of one comparative static: derivative, sign, certificate, conditions and display."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.display import SummaryDisplay
from gvcgames.spec.assumptions import Sign
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.statics.certificates import SIGN_WORDS, Certificate, Evidence, SignAnalysis, condition_text
from gvcgames.statics.derivatives import equilibrium_form
from gvcgames.statics.outcomes import Outcome

_SIGNS = (Sign.POSITIVE, Sign.NEGATIVE, Sign.ZERO)


@dataclass(frozen=True)
class StaticsResult(SummaryDisplay):
    """One comparative static: ``d outcome* / d wrt`` with its sign and certificate.

    Attributes
    ----------
    outcome : Outcome
        What is differentiated.
    wrt : Parameter
        The parameter.
    value : sympy expression
        The outcome at the equilibrium (in parameters).
    derivative : sympy expression
        ``d value / d wrt``.
    sign : Sign
        The sign claimed; ``Sign.UNKNOWN`` for ``conditional`` and ``unknown``.
    certificate : Certificate
        How the sign was shown (compares equal to ``"proved"``, ``"proved on box"``,
        ``"sampled"``, ``"conditional"``, ``"unknown"``).
    conditions : dict
        ``Sign.POSITIVE``/``NEGATIVE``/``ZERO`` -> the exact condition (in parameters, within
        the region) under which the derivative has that sign; undecided conditions are
        kept as they are.
    region : sympy Boolean
        Where the equilibrium holds (the derivative is taken inside it).
    method : str
        How the derivative was found.
    evidence : Evidence
        Draws, boxes and witnesses behind the certificate.
    equilibrium_conditions : dict
        The conditions rewritten in equilibrium values where possible (e.g. ``e < 1/2``,
        where an action symbol stands for its equilibrium value); empty otherwise.
        Computed on first use.
    equilibrium_derivative : sympy expression or None
        The derivative in the same terms, e.g. ``D*(1 - 2*e)/Fbar``.
    message : str
    """

    outcome: Outcome
    wrt: Parameter
    value: sp.Expr
    derivative: sp.Expr
    sign: Sign
    certificate: Certificate
    conditions: Mapping[Sign, sp.Boolean]
    region: sp.Boolean
    method: str
    evidence: Evidence = field(default_factory=Evidence)
    message: str = ""
    equilibrium: Any = field(default=None, repr=False, compare=False)
    analysis: SignAnalysis | None = field(default=None, repr=False, compare=False)
    context: Any = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def _equilibrium_form(self) -> tuple[dict[Sign, sp.Boolean], sp.Expr | None]:
        if self.analysis is None or self.context is None or self.equilibrium is None:
            return {}, None
        return equilibrium_form(self.analysis, self.derivative, self.equilibrium, self.context)

    @property
    def equilibrium_conditions(self) -> Mapping[Sign, sp.Boolean]:
        """The conditions in equilibrium values of actions (``e < 1/2``), computed on first use."""
        return self._equilibrium_form[0]

    @property
    def equilibrium_derivative(self) -> sp.Expr | None:
        """The derivative in equilibrium values of actions (``D*(1 - 2*e)/Fbar``), or ``None``."""
        return self._equilibrium_form[1]

    # --- labels -----------------------------------------------------------------

    @property
    def label(self) -> str:
        """``du*/dR`` style label."""
        name = self.outcome.star
        return f"d{name}/d{self.wrt}" if len(name) <= 3 else f"d[{name}]/d{self.wrt}"

    @property
    def latex_label(self) -> str:
        """``\\frac{\\partial u^*}{\\partial R}``."""
        return f"\\frac{{\\partial {self.outcome.tex}}}{{\\partial {sp.latex(self.wrt)}}}"

    @property
    def sign_label(self) -> str:
        """``+``, ``-``, ``0``, ``>=0``, ``<=0``, ``+/-`` (conditional) or ``?``."""
        if self.certificate == Certificate.CONDITIONAL:
            return "+/-"
        return SIGN_WORDS[self.sign]

    @property
    def cell(self) -> str:
        """Short table entry: the sign and, for weaker certificates, how it was shown."""
        mark = {
            Certificate.PROVED: "",
            Certificate.PROVED_ON_BOX: " [box]",
            Certificate.SAMPLED: f" [sampled, N={self.evidence.samples}]",
            Certificate.CONDITIONAL: "",
            Certificate.UNKNOWN: "",
        }[self.certificate]
        return self.sign_label + mark

    def condition(self, sign: Sign) -> sp.Boolean:
        """The condition (in parameters) under which the derivative has ``sign``."""
        return self.conditions.get(sign, sp.true if sign == self.sign else sp.false)

    def at(self, values: Mapping[Any, Any]) -> float:
        """The derivative at numeric parameter values (keys: symbols or names)."""
        by_name = {s.name: s for s in self.derivative.free_symbols}
        subs = {by_name.get(k, k) if isinstance(k, str) else k: v for k, v in values.items()}
        number = self.derivative.subs(subs)
        if not number.is_number:
            missing = sorted(str(s) for s in number.free_symbols)
            raise KeyError(f"values for {missing} are needed to evaluate {self.label}")
        return float(number)

    # --- display ------------------------------------------------------------------

    def _condition_lines(self) -> list[str]:
        lines = []
        for sign in _SIGNS:
            cond = self.conditions.get(sign)
            if cond is None or cond is sp.false or (cond is sp.true and sign == self.sign):
                continue
            text = "always (in the region)" if cond is sp.true else condition_text(cond)
            eqc = self.equilibrium_conditions.get(sign)
            if eqc is not None and eqc not in (sp.true, sp.false) and eqc != cond:
                text += f"  (i.e. {condition_text(eqc)} in equilibrium)"
            lines.append(f"  {sign.value} iff {text}")
        return lines

    def summary(self) -> str:
        """Readable summary: derivative, certificate, conditions, evidence and method."""
        head = f"{self.label} = {sp.sstr(self.derivative)}"
        if self.equilibrium_derivative is not None:
            names = ", ".join(sorted(str(a) for a in self.equilibrium_derivative.free_symbols if isinstance(a, Action)))
            head += f" = {sp.sstr(self.equilibrium_derivative)} (at equilibrium {names})"
        claim = (
            f"sign {self.sign.value} ({self.certificate})"
            if self.certificate not in (Certificate.CONDITIONAL, Certificate.UNKNOWN)
            else str(self.certificate)
        )
        lines = [f"{head}   [{claim}]"]
        lines += self._condition_lines()
        lines += [f"  {line}" for line in _evidence_lines(self)]
        region = "all admissible parameters" if self.region is sp.true else sp.sstr(self.region)
        lines.append(f"  method: {self.method}; region: {region}")
        if self.message:
            lines.append(f"  note: {self.message}")
        return "\n".join(lines)

    def to_latex(self) -> str:
        """The derivative with its sign statement, as an ``align*`` block."""
        rows = [f"{self.latex_label} &= {sp.latex(self.derivative)}"]
        if self.certificate in (Certificate.PROVED, Certificate.PROVED_ON_BOX, Certificate.SAMPLED):
            relation = {"> 0": "> 0", "< 0": "< 0", "= 0": "= 0", ">= 0": r"\geq 0", "<= 0": r"\leq 0", "?": ""}
            rows[0] += f" {relation[self.sign.value]}"
        rows[0] += f" && \\text{{({self.certificate})}}"
        for sign in (Sign.POSITIVE, Sign.NEGATIVE):
            cond = self.conditions.get(sign)
            if self.certificate == Certificate.CONDITIONAL and cond not in (None, sp.false, sp.true):
                word = "> 0" if sign == Sign.POSITIVE else "< 0"
                rows.append(f"&{word} \\iff {sp.latex(cond)}")
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"

    def _repr_latex_(self) -> str:
        body = self.to_latex().split("\n", 1)[1].rsplit("\n", 1)[0]
        return "$\\begin{aligned}" + body + "\\end{aligned}$"

    def to_dict(self) -> dict[str, Any]:
        """One row of the long table."""
        return {
            "outcome": self.outcome.name,
            "parameter": self.wrt.name,
            "derivative": sp.sstr(self.derivative),
            "sign": self.sign_label,
            "certificate": str(self.certificate),
            "positive if": _cond_text(self.conditions.get(Sign.POSITIVE)),
            "negative if": _cond_text(self.conditions.get(Sign.NEGATIVE)),
            "samples": self.evidence.samples,
            "method": self.method,
        }


def _cond_text(cond: sp.Boolean | None) -> str:
    if cond is None:
        return ""
    if cond is sp.true:
        return "always"
    if cond is sp.false:
        return "never"
    return condition_text(cond)


def _evidence_lines(res: StaticsResult) -> list[str]:
    ev = res.evidence
    out = []
    if ev.samples or ev.rejected:
        counts = ", ".join(f"{v} {k}" for k, v in ev.counts.items() if v)
        out.append(
            f"sampled: N = {ev.samples} admissible draws ({counts or 'none'}; {ev.rejected} rejected"
            + (f", {ev.undefined} undefined" if ev.undefined else "")
            + f"; seed {ev.seed})"
        )
    if ev.box:
        out.append(f"box: {ev.box_text()} ({ev.boxes} sub-boxes, {100 * ev.proved_fraction:.1f}% shown)")
    for sign, point in ev.witnesses.items():
        where = ", ".join(f"{s} = {v:.4g}" for s, v in point.items())
        out.append(f"witness of {sign.value}: {where}")
    return out
