"""Comparative statics of an equilibrium: derivative, sign, certificate and conditions.

Definitions
-----------
For an equilibrium ``x*(theta)`` that holds on a region ``Theta*`` of the admissible
parameter set, and an outcome ``h(x, theta)`` (a strategy, a payoff, a derived quantity),
the comparative static of ``h`` with respect to a parameter ``theta_j`` is

    d h(x*(theta), theta) / d theta_j  =  h_theta_j + h_x dx*/dtheta_j,

taken in the interior of ``Theta*`` (on its boundary the equilibrium switches regime and
the derivative need not exist; regime switches are the business of
:mod:`gvcgames.statics.monotone`). For a closed-form ``x*`` it is found by direct differentiation
(``method="direct"``); with ``method="ift"`` ``dx*/dtheta_j`` comes from the players'
first-order conditions by the implicit function theorem (see
:mod:`gvcgames.statics.implicit`) and the two must agree.

The sign is reported with a certificate (see :mod:`gvcgames.statics.certificates`):
``proved`` on the whole region, ``proved on box`` (interval arithmetic on a stated box),
``sampled`` (held at all ``N`` admissible draws), ``conditional`` (both signs occur; the
exact condition for each is given), or ``unknown``. Nothing stronger than what was
shown is ever claimed.

References
----------
Milgrom, P. and Roberts, J. (1994). Comparing equilibria. *American Economic Review* 84(3).
Silberberg, E. and Suen, W. (2001). *The Structure of Economics*, 3rd ed., ch. 4-6.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from gvcgames.display import SummaryDisplay
from gvcgames.errors import InvalidSpecError
from gvcgames.results import Equilibrium, FiniteEquilibrium
from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.statics.certificates import (
    SIGN_WORDS,
    Certificate,
    Evidence,
    SignAnalysis,
    analyse_sign,
    condition_text,
)
from gvcgames.statics.derivatives import _ift_derivative, _tidy, equilibrium_form
from gvcgames.statics.errors import EmptyBoxError, NotAParameterError
from gvcgames.statics.intervals import UnsupportedExpression, prove_sign_on_box
from gvcgames.statics.outcomes import Outcome, default_outcomes, resolve_outcome
from gvcgames.statics.region import base_assumptions, prover
from gvcgames.statics.sampling import ParameterSample, sample_admissible

if TYPE_CHECKING:
    import pandas as pd

METHODS = ("direct", "ift")
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


# --- front door -------------------------------------------------------------------------


def comparative_statics(
    eq: Equilibrium | FiniteEquilibrium,
    outcome: Any,
    wrt: Any,
    *,
    method: str = "direct",
    samples: int = 200,
    seed: int | None = 0,
    box: Mapping[Any, Any] | bool | None = None,
    max_boxes: int = 2000,
) -> StaticsResult:
    """Derivative of an equilibrium outcome with respect to a parameter, with a signed certificate.

    Parameters
    ----------
    eq : Equilibrium or FiniteEquilibrium
        From ``game.solve()`` (closed form); the derivative is taken inside its region.
    outcome : Action, str, Outcome or sympy expression
        An action (its strategy), ``"payoff:PLAYER"`` / :func:`payoff_of`, a key of
        ``eq.outcomes``, ``"PLAYER:ACTION"`` (finite games), or an expression in actions
        and parameters evaluated at the equilibrium. See :mod:`gvcgames.statics.outcomes`.
    wrt : Parameter or str
        A parameter of the game.
    method : {"direct", "ift"}
        Differentiate the closed form, or use the implicit function theorem on the
        first-order conditions (simultaneous continuous games).
    samples : int
        Admissible draws used when no symbolic proof is found.
    seed : int or None
        Seed of the draws.
    box : mapping, bool or None
        Parameter box ``{p: (lo, hi)}`` for the interval proof; ``None`` (or ``True``): the
        sampling windows; ``False``: no box proof.
    max_boxes : int
        Sub-box budget of the branch and bound.

    Returns
    -------
    StaticsResult

    Raises
    ------
    NotAParameterError
        If ``wrt`` is not a parameter of the game.
    OutcomeError
        If the outcome is unknown or does not depend on the equilibrium.
    SingularJacobianError
        With ``method="ift"``, if the first-order system is singular at the equilibrium.
    EmptyBoxError
        If a given ``box`` is empty or holds no admissible point.

    Examples
    --------
    >>> import gvcgames as gg
    >>> eq = gg.models.upgrading().solve().equilibria[0]
    >>> res = comparative_statics(eq, outcome="u", wrt="R")
    >>> res.derivative
    a_o - beta*(a + g*k)
    >>> res.certificate, res.conditions[gg.Sign.POSITIVE]
    (<Certificate.CONDITIONAL: 'conditional'>, a_o > beta*(a + g*k))
    >>> comparative_statics(eq, outcome="u", wrt="beta").sign
    <Sign.NONNEGATIVE: '>= 0'>
    """
    if method not in METHODS:
        raise InvalidSpecError(f"method must be one of {METHODS}, got {method!r}")
    out = resolve_outcome(eq, outcome)
    param = resolve_parameter(eq, wrt)
    value = out.value_at(eq)
    if method == "ift":
        derivative = _tidy(_ift_derivative(eq, out, param))
        how = "implicit function theorem on the first-order conditions, evaluated at the equilibrium"
    else:
        derivative = _tidy(sp.diff(value, param))
        how = "direct differentiation of the closed-form equilibrium"
    return _certify(eq, out, param, value, derivative, how, samples, seed, box, max_boxes)


def resolve_parameter(eq: Any, wrt: Any) -> Parameter:
    """The parameter ``wrt`` names, checked against the equilibrium's game.

    Raises
    ------
    NotAParameterError
        For actions, plain symbols, unknown names and parameters of other games.
    """
    params = _parameters_of(eq)
    names = [p.name for p in params]
    if isinstance(wrt, str):
        for p in params:
            if p.name == wrt:
                return p
        actions = [a.name for a in getattr(eq, "strategies", {}) if isinstance(a, sp.Symbol)]
        what = "an action (chosen in equilibrium)" if wrt in actions else "not a parameter of this game"
        raise NotAParameterError(f"cannot differentiate with respect to {wrt!r}: it is {what}; parameters: {names}")
    if isinstance(wrt, Action):
        raise NotAParameterError(
            f"cannot differentiate with respect to {wrt}: it is an action (chosen in equilibrium), not a parameter; "
            f"parameters: {names}"
        )
    if not isinstance(wrt, Parameter):
        raise NotAParameterError(
            f"cannot differentiate with respect to {wrt!r} ({type(wrt).__name__}): it is not a gg.parameters "
            f"symbol; parameters: {names}"
        )
    if wrt not in params:
        raise NotAParameterError(
            f"cannot differentiate with respect to {wrt}: it is not a parameter of this game; parameters: {names}"
        )
    return wrt


def _parameters_of(eq: Any) -> list[Parameter]:
    game = getattr(eq, "game", None)
    if game is not None and hasattr(game, "parameters"):
        return list(game.parameters)
    syms: set[sp.Symbol] = set(sp.sympify(getattr(eq, "conditions", sp.true)).free_symbols)
    for v in getattr(eq, "payoffs", {}).values():
        syms |= sp.sympify(v).free_symbols
    strategies = getattr(eq, "strategies", {})
    for v in strategies.values():
        if isinstance(v, Mapping):
            for prob in v.values():
                syms |= sp.sympify(prob).free_symbols
        else:
            syms |= sp.sympify(v).free_symbols
    return sorted((s for s in syms if isinstance(s, Parameter)), key=str)


# --- certificates ---------------------------------------------------------------------------


def _certify(
    eq: Any,
    out: Outcome,
    param: Parameter,
    value: sp.Expr,
    derivative: sp.Expr,
    how: str,
    samples: int,
    seed: int | None,
    box: Mapping[Any, Any] | bool | None,
    max_boxes: int,
) -> StaticsResult:
    region = sp.sympify(getattr(eq, "conditions", sp.true))
    base = base_assumptions(eq)
    ctx = prover(base, region)
    analysis = analyse_sign(derivative, ctx)
    common = {"outcome": out, "wrt": param, "value": value, "derivative": derivative, "region": region, "method": how}
    if analysis.sign != Sign.UNKNOWN:
        return StaticsResult(
            sign=analysis.sign,
            certificate=Certificate.PROVED,
            conditions=analysis.conditions,
            equilibrium=eq,
            **common,
        )
    sample = sample_admissible(_sample_source(eq, derivative), samples, assumptions=base, region=region, seed=seed)
    evidence, observed = _sampled_evidence(sample, derivative, seed)
    common |= {"equilibrium": eq, "analysis": analysis, "context": ctx}
    if Sign.POSITIVE in observed and Sign.NEGATIVE in observed:
        return StaticsResult(
            sign=Sign.UNKNOWN,
            certificate=Certificate.CONDITIONAL,
            conditions=analysis.conditions,
            evidence=evidence,
            message="both signs occur in the region (see the witnesses); the sign depends on the condition",
            **common,
        )
    if not observed:
        note = sample.message or "the derivative was undefined at every draw"
        return StaticsResult(
            sign=Sign.UNKNOWN,
            certificate=Certificate.UNKNOWN,
            conditions=analysis.conditions,
            evidence=evidence,
            message=f"no symbolic proof, and no admissible draw to sample: {note}",
            **common,
        )
    strict = Sign.POSITIVE if Sign.POSITIVE in observed else (Sign.NEGATIVE if Sign.NEGATIVE in observed else Sign.ZERO)
    sampled_sign = strict if Sign.ZERO not in observed or strict == Sign.ZERO else _weak(strict)
    message = ""
    if box is not False and strict != Sign.ZERO:
        proof_box = _default_box(sample, derivative, base, region) if box is None or box is True else box
        constraint = sp.And(*base.relations, region, *_symbolic_domains(derivative, region))
        try:
            proof = prove_sign_on_box(derivative, proof_box, constraint=constraint, sign=strict, max_boxes=max_boxes)
        except UnsupportedExpression as exc:
            message = f"no box proof: {exc}"
        except EmptyBoxError:
            if box is not None and box is not True:
                raise
            message = "no box proof: the sampling window holds no admissible box"
        else:
            box_fields = {"box": proof.box, "boxes": proof.boxes, "proved_fraction": proof.proved_fraction}
            evidence = Evidence(**{**_fields(evidence), **box_fields})
            if proof.proved:
                return StaticsResult(
                    sign=proof.sign,
                    certificate=Certificate.PROVED_ON_BOX,
                    conditions=analysis.conditions,
                    evidence=evidence,
                    message=f"proved on the box only, not on the whole region; {proof.message}",
                    **common,
                )
            if proof.refuted is not None:
                witnesses = dict(evidence.witnesses)
                witnesses[strict.flipped()] = dict(proof.refuted)
                evidence = Evidence(**{**_fields(evidence), "witnesses": witnesses})
                return StaticsResult(
                    sign=Sign.UNKNOWN,
                    certificate=Certificate.CONDITIONAL,
                    conditions=analysis.conditions,
                    evidence=evidence,
                    message=f"sampling saw one sign, but interval arithmetic found the other: {proof.message}",
                    **common,
                )
            message = f"box proof incomplete: {proof.message}"
    return StaticsResult(
        sign=sampled_sign,
        certificate=Certificate.SAMPLED,
        conditions=analysis.conditions,
        evidence=evidence,
        message=(message + "; " if message else "") + f"not proved: the sign held at all {evidence.samples} draws",
        **common,
    )


def _weak(sign: Sign) -> Sign:
    return Sign.NONNEGATIVE if sign == Sign.POSITIVE else Sign.NONPOSITIVE


def _fields(evidence: Evidence) -> dict[str, Any]:
    return {name: getattr(evidence, name) for name in evidence.__dataclass_fields__}


def _sample_source(eq: Any, derivative: sp.Expr) -> Any:
    game = getattr(eq, "game", None)
    if game is not None and hasattr(game, "parameters"):
        return game
    syms = set(derivative.free_symbols) | set(sp.sympify(getattr(eq, "conditions", sp.true)).free_symbols)
    return sorted((s for s in syms if isinstance(s, Parameter)), key=str)


def _sampled_evidence(sample: ParameterSample, derivative: sp.Expr, seed: int | None) -> tuple[Evidence, set[Sign]]:
    if sample.n == 0:
        return Evidence(0, sample.rejected, 0, {}, seed), set()
    values = sample.evaluate(derivative)
    finite = np.isfinite(values)
    scale = float(np.max(np.abs(values[finite]))) if finite.any() else 0.0
    tiny = 1e-12 * max(scale, 1e-300)
    positive = finite & (values > tiny)
    negative = finite & (values < -tiny)
    zero = finite & ~positive & ~negative
    witnesses: dict[Sign, dict[sp.Symbol, float]] = {}
    observed: set[Sign] = set()
    for sign, mask in ((Sign.POSITIVE, positive), (Sign.NEGATIVE, negative), (Sign.ZERO, zero)):
        if mask.any():
            observed.add(sign)
            witnesses[sign] = sample.point(int(np.flatnonzero(mask)[0]))
    counts = {"+": int(positive.sum()), "-": int(negative.sum()), "0": int(zero.sum())}
    evidence = Evidence(
        samples=int(finite.sum()),
        rejected=sample.rejected,
        undefined=int((~finite).sum()),
        counts=counts,
        seed=seed,
        witnesses=witnesses if {Sign.POSITIVE, Sign.NEGATIVE} <= observed else {},
    )
    return evidence, observed


def _default_box(
    sample: ParameterSample, derivative: sp.Expr, base: Assumptions, region: sp.Boolean
) -> dict[sp.Symbol, tuple[float, float]]:
    needed = derivative.free_symbols | region.free_symbols | base.symbols
    out = {}
    for p in sorted(needed, key=str):
        if p not in sample.values:
            continue
        lo, hi = sample.windows.get(p, (None, None))
        if lo is None or hi is None:
            data = sample.values[p]
            lo, hi = float(np.min(data)), float(np.max(data))
        out[p] = (lo, hi)
    return out


def _symbolic_domains(derivative: sp.Expr, region: sp.Boolean) -> list[sp.Boolean]:
    """Domain conditions of parameters whose bounds depend on other parameters."""
    syms = derivative.free_symbols | region.free_symbols
    return [
        s.domain_condition()
        for s in sorted(syms, key=str)
        if isinstance(s, Parameter) and (s.lower.free_symbols or s.upper.free_symbols)
    ]


# --- tables -----------------------------------------------------------------------------------


def statics_results(
    eq: Equilibrium | FiniteEquilibrium,
    outcomes: Iterable[Any] | None = None,
    wrt: Iterable[Any] | None = None,
    **kwargs: Any,
) -> list[StaticsResult]:
    """Comparative statics of every outcome with respect to every parameter.

    Parameters
    ----------
    eq : Equilibrium or FiniteEquilibrium
    outcomes : iterable, optional
        Default: every strategy, every payoff and the solver's derived outcomes.
    wrt : iterable, optional
        Default: every parameter of the game.
    **kwargs
        Passed to :func:`comparative_statics` (``samples``, ``seed``, ``box``, ``method``).
    """
    outs = default_outcomes(eq) if outcomes is None else [resolve_outcome(eq, o) for o in outcomes]
    params = _parameters_of(eq) if wrt is None else [resolve_parameter(eq, p) for p in wrt]
    return [comparative_statics(eq, o, p, **kwargs) for o in outs for p in params]


def statics_table(
    eq: Equilibrium | FiniteEquilibrium,
    outcomes: Iterable[Any] | None = None,
    wrt: Iterable[Any] | None = None,
    *,
    form: str = "wide",
    **kwargs: Any,
) -> pd.DataFrame:
    """The statics table: outcomes x parameters, each cell the sign with its certificate.

    Parameters
    ----------
    eq, outcomes, wrt, **kwargs
        As for :func:`statics_results`.
    form : {"wide", "long"}
        ``"wide"``: rows are outcomes, columns parameters, cells like ``"+"``, ``"+/-"``,
        ``"+ [box]"``, ``"+ [sampled, N=200]"``; ``"long"``: one row per pair with the
        derivative, certificate and conditions.

    Returns
    -------
    pandas.DataFrame
        ``df.attrs["results"]`` maps ``(outcome, parameter)`` names to the
        :class:`StaticsResult` objects.

    Examples
    --------
    >>> import gvcgames as gg
    >>> eq = gg.models.hold_up().solve().equilibria[0]
    >>> statics_table(eq, outcomes=["x", "y"]).loc["x"].to_dict()
    {'beta': '+', 'theta_L': '0', 'theta_S': '+', 'w': '-'}
    """
    import pandas as pd  # imported here: `import gvcgames` stays light

    if form not in ("wide", "long"):
        raise InvalidSpecError(f"form must be 'wide' or 'long', got {form!r}")
    results = statics_results(eq, outcomes, wrt, **kwargs)
    lookup = {(r.outcome.name, r.wrt.name): r for r in results}
    if form == "long":
        frame = pd.DataFrame([r.to_dict() for r in results])
    else:
        rows = list(dict.fromkeys(r.outcome.name for r in results))
        cols = list(dict.fromkeys(r.wrt.name for r in results))
        frame = pd.DataFrame(
            [[lookup[(o, p)].cell for p in cols] for o in rows], index=pd.Index(rows, name="outcome"), columns=cols
        )
        frame.columns.name = "parameter"
    frame.attrs["results"] = lookup
    return frame
