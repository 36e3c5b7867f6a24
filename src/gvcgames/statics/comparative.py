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

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from gvcgames.errors import InvalidSpecError, UnsupportedError
from gvcgames.results import Equilibrium, FiniteEquilibrium
from gvcgames.spec.assumptions import Assumptions, Sign, disjuncts, equations_of
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.statics.certificates import (
    Certificate,
    Evidence,
    analyse_sign,
)
from gvcgames.statics.derivatives import _ift_derivative, _tidy
from gvcgames.statics.errors import EmptyBoxError, NotAParameterError
from gvcgames.statics.intervals import UnsupportedExpression, prove_sign_on_box, validate_box
from gvcgames.statics.outcomes import Outcome, default_outcomes, resolve_outcome
from gvcgames.statics.region import base_assumptions, prover
from gvcgames.statics.result import StaticsResult
from gvcgames.statics.sampling import ParameterSample, sample_admissible

if TYPE_CHECKING:
    import pandas as pd

METHODS = ("direct", "ift")


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
    if isinstance(box, Mapping):  # checked up front: a bad box is an error even if no box proof is needed
        box = validate_box({_box_key(eq, k): v for k, v in box.items()})
    point = numeric_point(eq)
    if point is not None:
        return _point_statics(eq, out, param, point)
    value = out.value_at(eq)
    if method == "ift":
        derivative = _tidy(_ift_derivative(eq, out, param))
        how = "implicit function theorem on the first-order conditions, evaluated at the equilibrium"
    else:
        derivative = _tidy(sp.diff(value, param))
        how = "direct differentiation of the closed-form equilibrium"
    return _certify(eq, out, param, value, derivative, how, samples, seed, box, max_boxes)


def _box_key(eq: Any, key: Any) -> Parameter:
    try:
        return resolve_parameter(eq, key)
    except NotAParameterError as exc:
        raise EmptyBoxError(f"the box names {key!r}: {exc}") from None


def numeric_point(eq: Any) -> dict[sp.Symbol, sp.Expr] | None:
    """The parameter point of a numeric equilibrium (``solve_at``), or ``None`` for a symbolic one.

    A numeric equilibrium holds "where every parameter equals its value": its region has
    no interior, so differentiating its (constant) strategies would give a false ``0``.
    """
    atoms = sp.And.make_args(sp.sympify(getattr(eq, "conditions", sp.true)))
    point: dict[sp.Symbol, sp.Expr] = {}
    for atom in atoms:
        if not isinstance(atom, sp.Eq):
            return None
        sym, number = (atom.lhs, atom.rhs) if isinstance(atom.lhs, Parameter) else (atom.rhs, atom.lhs)
        if not isinstance(sym, Parameter) or not number.is_number:
            return None
        point[sym] = number
    return point or None


def boundary_equation(region: Any, param: Parameter) -> sp.Boolean | None:
    """An equation involving ``param`` that every part of the region imposes, or ``None``.

    Such a region (``Eq(D*p, Delta + Fbar)``, or ``x >= y`` with ``x <= y``) has no interior
    in the direction of ``param``. Sign proofs there are vacuous: the region context makes
    its weak inequalities strict, and a contradictory context proves anything.
    """
    terms = disjuncts(sp.sympify(region))
    if not terms:
        return None
    found = None
    for term in terms:
        hit = next((e for e in equations_of(term) if param in e.free_symbols), None)
        if hit is None:
            return None
        found = found or hit
    return found


def _point_statics(eq: Any, out: Outcome, param: Parameter, point: Mapping[sp.Symbol, sp.Expr]) -> StaticsResult:
    """The derivative at the single point of a numeric equilibrium, by the implicit function theorem."""
    game = getattr(eq, "game", None)
    if game is None or hasattr(game, "stages") or not hasattr(game, "players"):
        raise UnsupportedError(
            "this equilibrium was found numerically at one parameter point; its comparative statics need the "
            "implicit function theorem on the first-order conditions of a simultaneous ContinuousGame, "
            f"which {type(game).__name__} is not"
        )
    derivative = sp.sympify(_ift_derivative(eq, out, param)).xreplace(dict(point))
    value = sp.sympify(out.value_at(eq)).xreplace(dict(point))
    where = ", ".join(f"{s} = {float(v):.6g}" for s, v in sorted(point.items(), key=lambda kv: kv[0].name))
    number = f"{float(derivative):.6g}" if derivative.is_number else sp.sstr(derivative)
    return StaticsResult(
        outcome=out,
        wrt=param,
        value=value,
        derivative=derivative,
        sign=Sign.UNKNOWN,
        certificate=Certificate.UNKNOWN,
        conditions={},
        region=sp.sympify(eq.conditions),
        method="implicit function theorem at the numeric equilibrium's parameter point",
        message=f"numeric equilibrium: the derivative is {number} at {where} only; no sign is claimed elsewhere "
        "(solve the game symbolically, or use gg.implicit_statics, for a sign on a region)",
        equilibrium=eq,
    )


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
    common = {"outcome": out, "wrt": param, "value": value, "derivative": derivative, "region": region, "method": how}
    thin = boundary_equation(region, param)
    if thin is not None:
        return StaticsResult(
            sign=Sign.UNKNOWN,
            certificate=Certificate.UNKNOWN,
            conditions={},
            equilibrium=eq,
            message=f"the equilibrium holds only where {sp.sstr(thin)} (a boundary with no interior in the "
            f"direction of {param}): changing {param} alone leaves it, so no derivative is defined",
            **common,
        )
    base = base_assumptions(eq)
    ctx = prover(base, region)
    analysis = analyse_sign(derivative, ctx)
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
    if strict != Sign.ZERO:
        # The analysis may have derived where the other sign holds; look there before trusting the draws.
        other = strict.flipped()
        inside = _draws_inside(
            eq, derivative, analysis.conditions.get(other), base, region, max(samples // 4, 20), seed
        )
        witness = _first_with_sign(inside, derivative, other)
        if witness is not None:
            seen = _first_with_sign(sample, derivative, strict)
            witnesses = {**evidence.witnesses, **({strict: seen} if seen else {}), other: witness}
            evidence = Evidence(**{**_fields(evidence), "witnesses": witnesses})
            return StaticsResult(
                sign=Sign.UNKNOWN,
                certificate=Certificate.CONDITIONAL,
                conditions=analysis.conditions,
                evidence=evidence,
                message="the random draws saw one sign; a draw inside the derived condition for the other sign "
                "found it too (see the witnesses)",
                **common,
            )
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


def _draws_inside(
    eq: Any, derivative: sp.Expr, condition: sp.Boolean | None, base: Assumptions, region: sp.Boolean, n: int, seed: Any
) -> ParameterSample | None:
    """Admissible draws of the region inside ``condition`` (``None`` if there is nothing to draw)."""
    if condition is None or condition in (sp.true, sp.false):
        return None
    try:
        source = _sample_source(eq, derivative)
        return sample_admissible(source, n, assumptions=base, region=sp.And(region, condition), seed=seed)
    except (InvalidSpecError, EmptyBoxError):
        return None


def _first_with_sign(sample: ParameterSample | None, derivative: sp.Expr, sign: Sign) -> dict[sp.Symbol, float] | None:
    """The first draw at which ``derivative`` has the strict ``sign``."""
    if sample is None or sample.n == 0:
        return None
    values = sample.evaluate(derivative)
    hits = np.flatnonzero(np.isfinite(values) & ((values > 0) if sign == Sign.POSITIVE else (values < 0)))
    return sample.point(int(hits[0])) if hits.size else None


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
