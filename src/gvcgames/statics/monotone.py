"""Monotone comparative statics: where derivatives do not apply.

Definitions
-----------
*Increasing differences.* ``u(x, t)`` has increasing differences in ``(x, t)`` if
``u(x', t) - u(x, t)`` is nondecreasing in ``t`` for all ``x' > x``; for smooth ``u`` on an
interval this is ``d^2 u / dx dt >= 0``. Then the set of maximisers of ``u(., t)`` is
nondecreasing in ``t`` (in the strong set order): Topkis (1978), *Operations Research*
26(2); Milgrom and Shannon (1994), *Econometrica* 62(1), Thm. 4.

*Single crossing.* A function ``g(t)`` (e.g. a payoff difference between two choices)
single-crosses from below if ``g(t) >= 0`` implies ``g(t') >= 0`` for every ``t' > t``
(and likewise for ``> 0``). Here it is shown by a sufficient condition: ``g = h r`` with
``h > 0`` proved and ``r`` nondecreasing in ``t`` (``dr/dt >= 0`` proved). A discrete
choice between two options then switches at most once, from the low to the high option,
as ``t`` rises; the switch point is reported when it has a closed form.

*Region shifts.* An equilibrium region written with ``And``/``Or`` of inequalities
``g_k(theta) > 0`` (or ``>= 0``) is upward closed in a parameter ``t`` if every ``g_k`` is
nondecreasing in ``t`` (a union or intersection of upward-closed sets is upward closed):
if the equilibrium holds at ``t`` it holds at every higher ``t``, other parameters fixed,
so the region *expands* as ``t`` rises. If every ``g_k`` is nonincreasing it *shrinks*.
Otherwise no direction is claimed.

Every sign used is a symbolic proof on the admissible set (domains and assumptions).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.core.relational import Relational

from gvcgames.errors import InvalidSpecError
from gvcgames.results import Equilibrium, FiniteEquilibrium, Solution
from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.statics.certificates import Certificate, analyse_sign, condition_text
from gvcgames.statics.errors import NotAParameterError
from gvcgames.statics.region import base_assumptions

_UP = (Sign.POSITIVE, Sign.NONNEGATIVE)
_DOWN = (Sign.NEGATIVE, Sign.NONPOSITIVE)


@dataclass(frozen=True)
class MonotoneResult:
    """The outcome of a monotone comparative-statics check.

    Attributes
    ----------
    kind : str
        ``"increasing differences"``, ``"single crossing"`` or ``"region shift"``.
    parameter : Parameter
    direction : str
        ``"increasing"``, ``"decreasing"``, ``"constant"`` or ``"not shown"``; for region
        shifts ``"expands"``, ``"shrinks"``, ``"unaffected"`` or ``"not shown"``.
    certificate : Certificate
        ``proved`` when the direction is proved, ``conditional`` when a sign in the check
        depends on parameters (the conditions are in ``details``), else ``unknown``.
    statement : str
        The finding in words.
    details : tuple of str
        The signs (and conditions) the conclusion rests on.
    threshold : sympy expression or None
        For single crossing: the parameter value where the difference changes sign.
    """

    kind: str
    parameter: Parameter
    direction: str
    certificate: Certificate
    statement: str
    details: tuple[str, ...] = ()
    threshold: sp.Expr | None = None

    @property
    def shown(self) -> bool:
        """Whether a direction was proved."""
        return self.certificate == Certificate.PROVED and self.direction != "not shown"

    def __str__(self) -> str:
        lines = [f"{self.kind} in {self.parameter}: {self.direction} [{self.certificate}]", f"  {self.statement}"]
        lines += [f"  - {d}" for d in self.details]
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        tail = f"\\text{{: {self.direction} ({self.certificate})}}"
        return f"$\\text{{{self.kind} in }} {sp.latex(self.parameter)}{tail}$"


def _check_parameter(parameter: Any) -> Parameter:
    if isinstance(parameter, Action) or not isinstance(parameter, Parameter):
        raise NotAParameterError(
            f"monotone comparative statics are taken in a parameter; {parameter!r} is "
            + ("an action" if isinstance(parameter, Action) else f"a {type(parameter).__name__}")
        )
    return parameter


def _direction(signs: list[Sign]) -> str:
    if all(s == Sign.ZERO for s in signs):
        return "constant"
    if all(s in (*_UP, Sign.ZERO) for s in signs):
        return "increasing"
    if all(s in (*_DOWN, Sign.ZERO) for s in signs):
        return "decreasing"
    return "not shown"


def increasing_differences(
    payoff: Any,
    action: Any,
    parameter: Any,
    *,
    assumptions: Assumptions | None = None,
) -> MonotoneResult:
    """Check increasing (or decreasing) differences of a payoff in (choice, parameter).

    Parameters
    ----------
    payoff : sympy expression or mapping
        A payoff in a continuous ``action``, or ``{option: payoff}`` for a discrete choice
        whose options are listed in increasing order.
    action : Action or str
        The continuous action, or a name for the discrete choice (used in the statement).
    parameter : Parameter
    assumptions : Assumptions, optional

    Returns
    -------
    MonotoneResult
        ``direction="increasing"``: the optimal choice is nondecreasing in the parameter
        (Topkis 1978).

    Examples
    --------
    >>> import gvcgames as gg
    >>> p, D, Delta = gg.parameters("p D Delta", positive=True)
    >>> res = increasing_differences({"stay": -p * D, "relocate": -Delta}, "lead firm's choice", p)
    >>> res.direction, str(res.certificate)
    ('increasing', 'proved')
    """
    param = _check_parameter(parameter)
    ctx = assumptions if assumptions is not None else Assumptions()
    if isinstance(payoff, Mapping):
        options = list(payoff)
        if len(options) < 2:
            raise InvalidSpecError(f"a discrete choice needs at least two options, got {options}")
        pairs = [(options[i], options[i + 1]) for i in range(len(options) - 1)]
        diffs = [sp.sympify(payoff[hi]) - sp.sympify(payoff[lo]) for lo, hi in pairs]
        labels = [f"u({hi}) - u({lo})" for lo, hi in pairs]
        name = str(action)
        order = " < ".join(str(o) for o in options)
    else:
        if not isinstance(action, sp.Symbol):
            raise InvalidSpecError(f"action {action!r} must be a symbol for a payoff expression")
        expr = sp.sympify(payoff)
        diffs = [sp.diff(expr, action)]
        labels = [f"d payoff/d{action}"]
        name = str(action)
        order = ""
    signs, details, conditional = [], [], False
    for label, d in zip(labels, diffs, strict=True):
        derivative = sp.diff(d, param)
        found = analyse_sign(derivative, ctx)
        signs.append(found.sign)
        text = f"d/d{param} [{label}] = {sp.sstr(sp.factor(derivative))}: {found.sign.value}"
        if found.sign == Sign.UNKNOWN:
            conditional = conditional or found.conditions.get(Sign.POSITIVE) not in (None, sp.false)
            text += f" (> 0 iff {condition_text(found.conditions.get(Sign.POSITIVE, sp.false))})"
        details.append(text)
    direction = _direction(signs)
    if direction == "not shown":
        certificate = Certificate.CONDITIONAL if conditional else Certificate.UNKNOWN
        statement = f"increasing or decreasing differences in ({name}, {param}) are not shown"
    else:
        certificate = Certificate.PROVED
        if direction == "constant":
            statement = f"the payoff differences between choices of {name} do not depend on {param}"
        else:
            word = "nondecreasing" if direction == "increasing" else "nonincreasing"
            kind = "increasing" if direction == "increasing" else "decreasing"
            statement = (
                f"the payoff has {kind} differences in ({name}, {param}): the optimal {name}"
                + (f" (ordered {order})" if order else "")
                + f" is {word} in {param} (Topkis 1978)"
            )
    return MonotoneResult("increasing differences", param, direction, certificate, statement, tuple(details))


def single_crossing(difference: Any, parameter: Any, *, assumptions: Assumptions | None = None) -> MonotoneResult:
    """Check that a payoff difference crosses zero at most once in a parameter.

    Parameters
    ----------
    difference : sympy expression
        ``u(high option) - u(low option)``.
    parameter : Parameter
    assumptions : Assumptions, optional

    Returns
    -------
    MonotoneResult
        ``direction="increasing"``: single crossing from below (the high option is chosen
        for all parameter values above a threshold); ``threshold`` holds the switch point
        when it has a unique closed form.

    Examples
    --------
    >>> import gvcgames as gg
    >>> p, D, Delta = gg.parameters("p D Delta", positive=True)
    >>> res = single_crossing(-Delta + p * D, p)
    >>> res.direction, res.threshold
    ('increasing', Delta/D)
    """
    param = _check_parameter(parameter)
    ctx = assumptions if assumptions is not None else Assumptions()
    g = sp.factor(sp.together(sp.sympify(difference)))
    num, den = sp.fraction(g)
    rest, flip, dropped = sp.Integer(1), False, []
    for part, in_den in ((num, False), (den, True)):
        for factor in sp.Mul.make_args(part):
            if factor.is_number:
                flip ^= bool(factor.is_negative)
                continue
            s = ctx.sign(factor)
            if s.strict:
                flip ^= s == Sign.NEGATIVE
                dropped.append(sp.sstr(factor))
                continue
            rest = rest / factor if in_den else rest * factor
    if flip:
        rest = -rest
    slope = sp.diff(rest, param)
    found = analyse_sign(slope, ctx)
    details = [
        f"g = {sp.sstr(g)}",
        f"sign-deciding part r = {sp.sstr(rest)}, dr/d{param} = {sp.sstr(sp.factor(slope))}",
    ]
    if dropped:
        details.insert(1, f"factors of proved sign dropped: {', '.join(dropped)}")
    direction = _direction([found.sign]) if param in rest.free_symbols else "constant"
    threshold = None
    if direction in ("increasing", "decreasing"):
        try:
            roots = sp.solve(sp.Eq(rest, 0), param)
        except NotImplementedError:
            roots = []
        if len(roots) == 1:
            threshold = sp.factor(roots[0])
    if direction == "not shown":
        statement = f"single crossing of g in {param} is not shown (dr/d{param} has no proved sign)"
        undecided = found.conditions.get(Sign.POSITIVE) not in (None, sp.false)
        certificate = Certificate.CONDITIONAL if undecided else Certificate.UNKNOWN
    elif direction == "constant":
        statement = f"the sign of g does not depend on {param}"
        certificate = Certificate.PROVED
    else:
        side = "below" if direction == "increasing" else "above"
        statement = f"g crosses zero at most once in {param}, from {side}"
        if threshold is not None:
            relation = ">" if direction == "increasing" else "<"
            statement += f": g > 0 iff {param} {relation} {sp.sstr(threshold)} (where defined)"
        certificate = Certificate.PROVED
    return MonotoneResult("single crossing", param, direction, certificate, statement, tuple(details), threshold)


def region_shift(region: Any, parameter: Any, *, assumptions: Assumptions | None = None) -> MonotoneResult:
    """In which direction an equilibrium's region moves as a parameter rises.

    Parameters
    ----------
    region : Equilibrium, FiniteEquilibrium or sympy Boolean
        An equilibrium (its ``conditions``) or a condition of ``And``/``Or`` of inequalities.
    parameter : Parameter or str
        A parameter (a name is resolved against the equilibrium's game).
    assumptions : Assumptions, optional
        Default: the equilibrium's game assumptions.

    Returns
    -------
    MonotoneResult
        ``direction`` is ``"expands"`` (upward closed: holding at ``t`` implies holding at
        every higher ``t``), ``"shrinks"``, ``"unaffected"`` or ``"not shown"``.

    Examples
    --------
    >>> from gvcgames.models import reconfiguration
    >>> game = reconfiguration()
    >>> relocate = [e for e in game.pure_equilibria() if e.pure_profile == ("relocate", "not")][0]
    >>> region_shift(relocate, game.parameters[5]).direction  # p
    'expands'
    """
    if isinstance(region, (Equilibrium, FiniteEquilibrium)):
        from gvcgames.statics.comparative import resolve_parameter

        parameter = resolve_parameter(region, parameter)  # names allowed; other games' parameters refused
    param = _check_parameter(parameter)
    label = "the region"
    if isinstance(region, (Equilibrium, FiniteEquilibrium)):
        ctx = assumptions if assumptions is not None else base_assumptions(region)
        label = f"the region where {_equilibrium_label(region)} is an equilibrium"
        cond = sp.sympify(region.conditions)
    else:
        ctx = assumptions if assumptions is not None else Assumptions()
        cond = sp.sympify(region)
    # ~(a > b) is a <= b: with negations pushed onto the inequalities, each atom is monotone or not
    atoms = _monotone_atoms(sp.to_nnf(cond, simplify=False) if not isinstance(cond, Relational) else cond)
    if atoms is None:
        return MonotoneResult(
            "region shift",
            param,
            "not shown",
            Certificate.UNKNOWN,
            f"{label} is not an And/Or of inequalities: {condition_text(cond)}",
        )
    signs, details = [], []
    for atom in atoms:
        if param not in atom.free_symbols:
            signs.append(Sign.ZERO)
            continue
        if isinstance(atom, (sp.Eq, sp.Ne)):
            signs.append(Sign.UNKNOWN)
            details.append(f"{condition_text(atom)}: an equation in {param}; no direction")
            continue
        g = atom.lhs - atom.rhs if isinstance(atom, (sp.Gt, sp.Ge)) else atom.rhs - atom.lhs
        found = analyse_sign(sp.diff(g, param), ctx)
        signs.append(found.sign)
        trend = {"increasing": "easier", "decreasing": "harder"}.get(_direction([found.sign]), "no proved direction")
        details.append(f"{condition_text(atom)}: d/d{param} of its slack is {found.sign.value} ({trend} to meet)")
    direction = {"increasing": "expands", "decreasing": "shrinks", "constant": "unaffected"}.get(
        _direction(signs), "not shown"
    )
    if cond is sp.true:
        direction = "unaffected"
    statements = {
        "expands": f"{label} expands as {param} rises: if it holds at some {param}, it holds at every higher {param} "
        "(other parameters fixed)",
        "shrinks": f"{label} shrinks as {param} rises: if it holds at some {param}, it holds at every lower {param} "
        "(other parameters fixed)",
        "unaffected": f"{label} does not depend on {param}",
        "not shown": f"no direction of {label} in {param} is shown: its conditions move in different directions",
    }
    certificate = Certificate.PROVED if direction != "not shown" else Certificate.UNKNOWN
    return MonotoneResult("region shift", param, direction, certificate, statements[direction], tuple(details))


def regime_shifts(solution: Solution | list[Any], parameter: Any) -> list[MonotoneResult]:
    """:func:`region_shift` for every equilibrium of a solution (e.g. interior and corner regimes).

    Examples
    --------
    >>> from gvcgames.models import reconfiguration
    >>> game = reconfiguration()
    >>> p = game.parameters[5]
    >>> [r.direction for r in regime_shifts(game.pure_equilibria(), p)]
    ['not shown', 'shrinks', 'expands']
    """
    return [region_shift(eq, parameter) for eq in solution]


def _monotone_atoms(cond: sp.Boolean) -> list[Relational] | None:
    if cond in (sp.true, sp.false):
        return []
    if isinstance(cond, Relational):
        return [cond]
    if isinstance(cond, (sp.And, sp.Or)):
        out: list[Relational] = []
        for arg in cond.args:
            part = _monotone_atoms(arg)
            if part is None:
                return None
            out += part
        return out
    return None


def _equilibrium_label(eq: Equilibrium | FiniteEquilibrium) -> str:
    if isinstance(eq, FiniteEquilibrium):
        profile = eq.pure_profile
        return f"({', '.join(profile)})" if profile is not None else (f"the mixed equilibrium {eq.case}".strip())
    return f"the equilibrium with {eq.case}" if eq.case else "the equilibrium"
