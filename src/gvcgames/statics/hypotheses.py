"""Testable hypotheses: comparative statics stated in words, with sign, conditions and certificate.

A :class:`Hypothesis` turns one :class:`~gvcgames.statics.StaticsResult` into a sentence
built from the descriptions of the parameter, the player and the action (``"A higher
probability of a disruption (p) raises the MSE's risk prevention (e*)."``), qualified by
what was shown: a proved sign is stated plainly; a sign proved on a box names the box; a
sampled sign says it was not proved and how many draws it held at; a conditional sign
gives the condition for each direction. A :class:`Hypotheses` list is a model's
testable predictions, exportable as a pandas table and a booktabs LaTeX table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import sympy as sp

from gvcgames.errors import InvalidSpecError
from gvcgames.results import BehaviourEquilibrium, Equilibrium, FiniteEquilibrium, Solution
from gvcgames.spec.assumptions import Sign
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.statics.certificates import Certificate, condition_text
from gvcgames.statics.comparative import StaticsResult, statics_results

if TYPE_CHECKING:
    import pandas as pd

_VERBS = {
    Sign.POSITIVE: "raises",
    Sign.NEGATIVE: "lowers",
    Sign.ZERO: "does not change",
    Sign.NONNEGATIVE: "does not lower",
    Sign.NONPOSITIVE: "does not raise",
}
_SIGN_TEX = {
    Sign.POSITIVE: "$+$",
    Sign.NEGATIVE: "$-$",
    Sign.ZERO: "$0$",
    Sign.NONNEGATIVE: r"$\geq 0$",
    Sign.NONPOSITIVE: r"$\leq 0$",
    Sign.UNKNOWN: "?",
}
_ARTICLES = ("the ", "a ", "an ", "each ", "every ")


@dataclass(frozen=True)
class Hypothesis:
    """One testable prediction.

    Attributes
    ----------
    label : str
        ``"H1"``, ``"H2"``, ...
    sentence : str
        The prediction in words.
    latex : str
        The same sentence with LaTeX math.
    outcome : str
        Outcome name (``"u"``, ``"payoff:MSE"``, ``"R"``).
    parameter : Parameter
    sign : Sign
        Claimed sign (``UNKNOWN`` when conditional).
    certificate : Certificate
    conditions : dict
        Sign -> condition in parameters.
    derivative : sympy expression
    result : StaticsResult
        The full result behind the hypothesis.
    """

    label: str
    sentence: str
    latex: str
    outcome: str
    parameter: Parameter
    sign: Sign
    certificate: Certificate
    conditions: Any
    derivative: sp.Expr
    result: StaticsResult = field(repr=False, compare=False)

    @classmethod
    def from_result(cls, result: StaticsResult, label: str = "H") -> Hypothesis:
        """Build the hypothesis of a comparative-statics result.

        Examples
        --------
        >>> import gvcgames as gg
        >>> from gvcgames.statics import comparative_statics
        >>> eq = gg.models.hold_up().solve().equilibria[0]
        >>> h = Hypothesis.from_result(comparative_statics(eq, "x", "w"), "H1")
        >>> print(h.sentence)  # doctest: +NORMALIZE_WHITESPACE
        An increase in the supplier's unit cost of investment (w) lowers
        the supplier's relationship-specific investment (x*).
        >>> str(h.certificate)
        'proved'
        """
        return cls(
            label=label,
            sentence=_sentence(result, tex=False),
            latex=_sentence(result, tex=True),
            outcome=result.outcome.name,
            parameter=result.wrt,
            sign=result.sign,
            certificate=result.certificate,
            conditions=dict(result.conditions),
            derivative=result.derivative,
            result=result,
        )

    @property
    def testable(self) -> bool:
        """Whether the hypothesis predicts a direction (not zero, not unknown)."""
        return self.certificate != Certificate.UNKNOWN and self.sign != Sign.ZERO

    def __str__(self) -> str:
        return f"{self.label}: {self.sentence} [{self.certificate}]"

    def to_latex(self) -> str:
        """The hypothesis as a LaTeX paragraph."""
        return f"\\textbf{{{_escape(self.label)}.}} {self.latex}"

    def _repr_latex_(self) -> str:
        return f"{self.to_latex()} \\emph{{({_escape(str(self.certificate))})}}"

    def _repr_html_(self) -> str:
        return f"<p><b>{_html(self.label)}.</b> {_html(self.sentence)} <i>({_html(str(self.certificate))})</i></p>"

    def row(self) -> dict[str, Any]:
        """The hypothesis as a table row."""
        res = self.result
        if self.certificate == Certificate.CONDITIONAL:
            sign = "+/-"
        else:
            sign = {"> 0": "+", "< 0": "-", "= 0": "0", ">= 0": ">=0", "<= 0": "<=0", "?": "?"}[self.sign.value]
        return {
            "hypothesis": self.label,
            "statement": self.sentence,
            "outcome": self.outcome,
            "parameter": self.parameter.name,
            "sign": sign,
            "positive if": _condition_cell(res, Sign.POSITIVE),
            "negative if": _condition_cell(res, Sign.NEGATIVE),
            "certificate": str(self.certificate),
            "evidence": _evidence_cell(res),
            "derivative": sp.sstr(self.derivative),
        }


class Hypotheses(Sequence[Hypothesis]):
    """A model's testable predictions: a read-only list of :class:`Hypothesis`.

    Examples
    --------
    >>> import gvcgames as gg
    >>> from gvcgames.statics import hypotheses
    >>> eq = gg.models.hold_up().solve().equilibria[0]
    >>> hs = hypotheses(eq, outcomes=["x"])
    >>> [h.parameter.name for h in hs]
    ['beta', 'theta_S', 'w']
    >>> print(hs.to_latex().splitlines()[0])
    \\begin{tabular}{lllllll}
    """

    def __init__(self, items: Iterable[Hypothesis], title: str = "") -> None:
        self._items = tuple(items)
        self.title = title

    @overload
    def __getitem__(self, index: int) -> Hypothesis: ...

    @overload
    def __getitem__(self, index: slice) -> Hypotheses: ...

    def __getitem__(self, index: int | slice) -> Hypothesis | Hypotheses:
        if isinstance(index, slice):
            return Hypotheses(self._items[index], self.title)
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Hypothesis]:
        return iter(self._items)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Hypotheses) and self._items == other._items

    __hash__ = None  # type: ignore[assignment]

    def to_frame(self) -> pd.DataFrame:
        """One row per hypothesis: statement, sign, conditions, certificate, evidence, derivative."""
        import pandas as pd  # imported here: `import gvcgames` stays light

        columns = [
            "hypothesis",
            "statement",
            "outcome",
            "parameter",
            "sign",
            "positive if",
            "negative if",
            "certificate",
            "evidence",
            "derivative",
        ]
        frame = pd.DataFrame([h.row() for h in self._items], columns=columns)
        return frame.set_index("hypothesis")

    def to_latex(self, caption: str | None = None) -> str:
        """A booktabs ``tabular`` (wrapped in a ``table`` when ``caption`` is given)."""
        head = ["", "Outcome", "Parameter", "Sign", "Condition", "Certificate", "Statement"]
        lines = [
            "\\begin{tabular}{lllllll}" if not caption else "\\begin{tabular}{llllllp{6cm}}",
            "\\toprule",
            " & ".join(head) + " \\\\",
            "\\midrule",
        ]
        for h in self._items:
            res = h.result
            sign = r"$\pm$" if h.certificate == Certificate.CONDITIONAL else _SIGN_TEX[h.sign]
            cond = _condition_tex(res)
            cells = [
                _escape(h.label),
                f"${res.outcome.tex}$",
                f"${sp.latex(h.parameter)}$",
                sign,
                cond,
                _escape(str(h.certificate)),
                h.latex,
            ]
            lines.append(" & ".join(cells) + " \\\\")
        lines += ["\\bottomrule", "\\end{tabular}"]
        body = "\n".join(lines)
        if caption:
            body = f"\\begin{{table}}[htbp]\n\\centering\n\\caption{{{_escape(caption)}}}\n{body}\n\\end{{table}}"
        return body

    def testable(self) -> Hypotheses:
        """Only the hypotheses that predict a direction."""
        return Hypotheses([h for h in self._items if h.testable], self.title)

    def __str__(self) -> str:
        if not self._items:
            return "(no hypotheses)"
        head = [self.title] if self.title else []
        regions = {h.result.region for h in self._items}
        if len(regions) == 1 and (region := regions.pop()) is not sp.true:
            # one region for all: state it once instead of in every sentence
            prefix = f"In the equilibrium region {condition_text(region)}, "
            head.append(f"In the equilibrium region {condition_text(region)}:")
            lines = [
                f"{h.label}: {_capitalise(h.sentence.removeprefix(prefix))} [{h.certificate}]" for h in self._items
            ]
            return "\n".join(head + lines)
        return "\n".join(head + [str(h) for h in self._items])

    def __repr__(self) -> str:
        return f"Hypotheses({len(self._items)} items)"

    def _repr_html_(self) -> str:
        return str(self.to_frame()._repr_html_())

    def _repr_latex_(self) -> str:
        return self.to_latex()


def hypotheses(
    source: Any,
    outcomes: Iterable[Any] | None = None,
    wrt: Iterable[Any] | None = None,
    *,
    include_zero: bool = False,
    title: str = "",
    **kwargs: Any,
) -> Hypotheses:
    """A model's testable predictions from its comparative statics.

    Parameters
    ----------
    source : Equilibrium, FiniteEquilibrium, BehaviourEquilibrium, Solution or iterable of StaticsResult
        An equilibrium (every outcome x every parameter, or those given), a solution (every
        equilibrium, each in its region) or ready results.
    outcomes, wrt : iterable, optional
        As for :func:`gvcgames.statics.statics_results`.
    include_zero : bool
        Keep results whose derivative is zero (not a prediction of a direction).
    title : str
    **kwargs
        Passed to :func:`gvcgames.statics.comparative_statics`.

    Returns
    -------
    Hypotheses
    """
    if isinstance(source, Solution):
        results = [r for eq in source.equilibria for r in statics_results(eq, outcomes, wrt, **kwargs)]
    elif isinstance(source, StaticsResult):
        results = [source]
    elif isinstance(source, (Equilibrium, FiniteEquilibrium, BehaviourEquilibrium)):
        results = statics_results(source, outcomes, wrt, **kwargs)
    elif isinstance(source, Iterable) and not isinstance(source, (str, bytes)):
        results = list(source)
        bad = [type(r).__name__ for r in results if not isinstance(r, StaticsResult)]
        if bad:
            raise InvalidSpecError(f"hypotheses() takes StaticsResult objects in a list; got {sorted(set(bad))}")
    else:
        what = type(source).__name__
        hint = "call game.solve() and pass the solution or one equilibrium" if hasattr(source, "solve") else ""
        raise InvalidSpecError(
            f"hypotheses() needs an equilibrium, a solution or a list of StaticsResult, got {what}"
            + (f"; {hint}" if hint else "")
        )
    kept = [r for r in results if include_zero or not (r.sign == Sign.ZERO and r.certificate == Certificate.PROVED)]
    items = [Hypothesis.from_result(r, f"H{i}") for i, r in enumerate(kept, 1)]
    return Hypotheses(items, title)


# --- sentences -----------------------------------------------------------------------------


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _the(words: str) -> str:
    return words if words.lower().startswith(_ARTICLES) else f"the {words}"


def _sentence(res: StaticsResult, tex: bool) -> str:
    param = res.wrt
    pname = f"${sp.latex(param)}$" if tex else param.name
    oname = f"${res.outcome.tex}$" if tex else res.outcome.star
    if param.description:
        words = _escape(param.description) if tex else param.description
        # "A higher MSE's cost" is not English; "An increase in the MSE's cost" is
        possessive = any(w.endswith(("'s", "’s")) for w in words.split(" ")[:3])
        subject = f"An increase in {_the(words)} ({pname})" if possessive else f"A higher {words} ({pname})"
    else:
        subject = f"A higher {pname}"
    if res.outcome.words != res.outcome.name:
        owords = _the(res.outcome.words)
        obj = f"{_escape(owords) if tex else owords} ({oname})"
    else:  # no description: the symbol alone
        obj = oname
    region = ""
    if res.region is not sp.true:
        region_text = f"${sp.latex(res.region)}$" if tex else condition_text(res.region)
        region = f"In the equilibrium region {region_text}, "
        subject = "a" + subject[1:]
    cert = res.certificate
    if cert == Certificate.CONDITIONAL and not any(
        res.conditions.get(s) not in (None, sp.false) for s in (Sign.POSITIVE, Sign.NEGATIVE)
    ):  # both signs were seen, but no exact condition is known
        body = f"{subject} raises {obj} at some admissible parameter values and lowers it at others"
    elif cert == Certificate.CONDITIONAL:
        pos, neg = _when(res, Sign.POSITIVE, tex), _when(res, Sign.NEGATIVE, tex)
        body = f"{subject} raises {obj} if {pos} and lowers it if {neg}"
    elif cert == Certificate.UNKNOWN:
        body = f"{subject} has an effect on {obj} whose sign was not determined"
    else:
        body = f"{subject} {_VERBS[res.sign]} {obj}"
        if res.sign in (Sign.NONNEGATIVE, Sign.NONPOSITIVE):
            strict = Sign.POSITIVE if res.sign == Sign.NONNEGATIVE else Sign.NEGATIVE
            cond = res.conditions.get(strict)
            if cond not in (None, sp.true, sp.false):
                verb = "raises" if strict == Sign.POSITIVE else "lowers"
                body += f", and strictly {verb} it if {_when(res, strict, tex)}"
    qualifier = ""
    if cert == Certificate.PROVED_ON_BOX:
        box = res.evidence.box or {}
        if tex:
            parts = [f"${sp.latex(s)} \\in [{lo:.4g}, {hi:.4g}]$" for s, (lo, hi) in box.items()]
        else:
            parts = [f"{s} in [{lo:.4g}, {hi:.4g}]" for s, (lo, hi) in box.items()]
        qualifier = " (proved only on the parameter box " + ", ".join(parts) + ")"
    elif cert == Certificate.SAMPLED:
        qualifier = f" (not proved: the sign held at all {res.evidence.samples} sampled admissible parameter points)"
    if region:
        body = region + body
    return body + qualifier + "."


def _when(res: StaticsResult, sign: Sign, tex: bool) -> str:
    """The condition for ``sign``, in equilibrium terms when that is simpler."""
    eq_form = res.equilibrium_conditions.get(sign)
    cond = res.conditions.get(sign, sp.false)
    actions = [a for a in getattr(res.equilibrium, "strategies", {}) if isinstance(a, Action)]
    if eq_form is not None and eq_form not in (sp.true, sp.false):
        if tex:
            names = {a: f"{sp.latex(a)}^*" for a in actions}
            return f"${sp.latex(eq_form, symbol_names=names)}$"
        return condition_text(eq_form.xreplace({a: sp.Symbol(f"{a.name}*") for a in actions}))
    return f"${sp.latex(cond)}$" if tex else condition_text(cond)


def _condition_cell(res: StaticsResult, sign: Sign) -> str:
    cond = res.conditions.get(sign)
    if cond is None or res.certificate not in (Certificate.CONDITIONAL, Certificate.SAMPLED):
        if res.sign in (Sign.NONNEGATIVE, Sign.NONPOSITIVE) and cond not in (None, sp.true, sp.false):
            return condition_text(cond)
        return ""
    return _when(res, sign, tex=False)


def _condition_tex(res: StaticsResult) -> str:
    if res.certificate == Certificate.CONDITIONAL:
        return f"$+$ iff {_when(res, Sign.POSITIVE, tex=True)}"
    if res.sign in (Sign.NONNEGATIVE, Sign.NONPOSITIVE):
        strict = Sign.POSITIVE if res.sign == Sign.NONNEGATIVE else Sign.NEGATIVE
        cond = res.conditions.get(strict)
        if cond not in (None, sp.true, sp.false):
            return f"strict iff {_when(res, strict, tex=True)}"
    return ""


def _evidence_cell(res: StaticsResult) -> str:
    ev = res.evidence
    if res.certificate == Certificate.PROVED:
        return "symbolic proof"
    if res.certificate == Certificate.PROVED_ON_BOX:
        return f"interval proof on {ev.box_text()}"
    if res.certificate in (Certificate.SAMPLED, Certificate.CONDITIONAL):
        counts = ", ".join(f"{v} {k}" for k, v in ev.counts.items() if v)
        return f"N = {ev.samples} draws ({counts}), {ev.rejected} rejected"
    return res.message


def _escape(text: str) -> str:
    special = {
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "\\": r"\textbackslash{}",
    }
    return "".join(special.get(ch, ch) for ch in text)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["Hypotheses", "Hypothesis", "hypotheses"]
