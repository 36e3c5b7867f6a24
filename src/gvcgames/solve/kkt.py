"""Karush-Kuhn-Tucker case enumeration for box-constrained simultaneous problems.

Each action ``a`` of each player lies in ``[lo, hi]`` (ends may be infinite, open or
symbolic; a problem may add extra bounds, e.g. a branch of a later stage's policy).
At an optimum of a differentiable payoff, each action is either *interior*
(``du/da = 0``), at a closed *lower* bound (``du/da <= 0``) or at a closed *upper*
bound (``du/da >= 0``). Enumerating every combination of these states, solving the
interior first-order conditions jointly and keeping the sign conditions gives every
candidate together with the parameter region where it satisfies the KKT conditions.

Sufficiency is checked per player: if the payoff is provably concave in the player's own
actions on their box, a KKT point is a global best response; otherwise the second-order
condition at the candidate is checked (or kept as a condition) and the result is marked
local.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.budget import time_budget
from gvcgames.errors import InvalidSpecError, SymbolicTimeout
from gvcgames.results import DerivationLog, Step
from gvcgames.settings import settings
from gvcgames.spec.assumptions import Assumptions, Sign, at_end


@dataclass(frozen=True)
class Bound:
    """One end of an action's feasible set."""

    value: sp.Expr
    closed: bool


@dataclass(frozen=True)
class Box:
    """Lower and upper bounds of one action (several when a problem adds its own)."""

    lowers: tuple[Bound, ...] = ()
    uppers: tuple[Bound, ...] = ()

    @classmethod
    def of(cls, action: sp.Symbol) -> Box:
        domain = getattr(action, "domain", sp.Reals)
        lowers = (Bound(domain.inf, not domain.left_open),) if domain.inf != -sp.oo else ()
        uppers = (Bound(domain.sup, not domain.right_open),) if domain.sup != sp.oo else ()
        return cls(lowers, uppers)

    def tightened(self, lowers: Iterable[Bound] = (), uppers: Iterable[Bound] = ()) -> Box:
        return Box(self.lowers + tuple(lowers), self.uppers + tuple(uppers))

    def contains(self, value: sp.Expr, strict: bool = False) -> list[sp.Boolean]:
        """Conditions for ``value`` to lie in the box (strictly inside if ``strict``)."""
        conds: list[sp.Boolean] = []
        for b in self.lowers:
            rel = sp.Gt if strict or not b.closed else sp.Ge
            conds.append(rel(value, b.value, evaluate=False))
        for b in self.uppers:
            rel = sp.Lt if strict or not b.closed else sp.Le
            conds.append(rel(value, b.value, evaluate=False))
        return conds

    @property
    def bounded(self) -> bool:
        return bool(self.lowers) and bool(self.uppers)


@dataclass(frozen=True)
class Problem:
    """One player's part of a simultaneous problem."""

    player: str
    actions: tuple[sp.Symbol, ...]
    payoff: sp.Expr


@dataclass
class Candidate:
    """A KKT point with the region where it satisfies the KKT (and second-order) conditions."""

    values: dict[sp.Symbol, sp.Expr]
    conditions: sp.Boolean
    label: str
    optimality: dict[str, str] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()


@dataclass
class KKTResult:
    """Candidates, rejected cases with reasons, and whether every case was finished."""

    candidates: list[Candidate]
    rejected: list[tuple[str, str]]
    converged: bool
    message: str = ""
    preamble: tuple[Step, ...] = ()


def derivative_symbol(player: str, action: sp.Symbol) -> sp.Expr:
    """``d u_player / d action`` for display."""
    return sp.Derivative(payoff_symbol(player), action)


def payoff_symbol(player: str) -> sp.Symbol:
    """``pi_player``: named apart from actions (a model may well call an action ``u``)."""
    return sp.Symbol(f"pi_{{{player}}}" if len(player) > 1 else f"pi_{player}")


def concavity(problem: Problem, ctx: Assumptions, log: DerivationLog | None = None) -> tuple[Sign, sp.Boolean]:
    """Is the payoff concave in the player's own actions on the whole box?

    Returns the proven status (``NONPOSITIVE``/``NEGATIVE`` for concave, ``POSITIVE``
    for strictly convex in some action, ``UNKNOWN``) and the condition under which
    the principal-minor test for concavity holds.
    """
    acts = problem.actions
    kinked = (sp.Piecewise, sp.Min, sp.Max, sp.Abs, sp.Heaviside)
    kinks = [k for k in problem.payoff.atoms(*kinked) if set(acts) & k.free_symbols]
    if kinks:
        # Second derivatives of the pieces say nothing about the kinks between them (an upward kink breaks
        # concavity), so nothing is claimed.
        if log is not None:
            log.add(
                "soc",
                f"Second-order conditions of {problem.player}: payoff piecewise in own actions, concavity not proved",
                note="second derivatives of the pieces ignore the kinks between them",
            )
        return Sign.UNKNOWN, sp.true
    hessian = sp.hessian(problem.payoff, acts)
    minors: list[sp.Expr] = []
    n = len(acts)
    for k in range(1, n + 1):
        for rows in itertools.combinations(range(n), k):
            minor = hessian.extract(list(rows), list(rows)).det()
            minors.append(sp.simplify((-1) ** k * minor))  # must be >= 0 for concavity
    signs = [ctx.sign(m) for m in minors]
    concave = all(s in (Sign.POSITIVE, Sign.NONNEGATIVE, Sign.ZERO) for s in signs)
    diag_convex = any(ctx.sign(hessian[i, i]) == Sign.POSITIVE for i in range(n))
    condition = ctx.clean(sp.And(*(sp.Ge(m, 0) for m in minors)))
    if log is not None:
        d2 = [sp.Eq(sp.Derivative(payoff_symbol(problem.player), a, 2), hessian[i, i]) for i, a in enumerate(acts)]
        status = (
            "concave (proved)" if concave else ("convex in an own action" if diag_convex else "concavity not proved")
        )
        log.add(
            "soc",
            f"Second-order conditions of {problem.player}: payoff {status} in own actions",
            *d2,
            *(() if concave or condition is sp.false else (condition,)),
            note="" if concave else "principal minors of the negated Hessian must be >= 0 for concavity",
        )
    if concave:
        return Sign.NONPOSITIVE, sp.true
    if diag_convex:
        return Sign.POSITIVE, condition
    return Sign.UNKNOWN, condition


def kkt_candidates(
    problems: Sequence[Problem],
    ctx: Assumptions,
    log: DerivationLog,
    boxes: Mapping[sp.Symbol, Box] | None = None,
    budget: float | None = None,
) -> KKTResult:
    """Every KKT candidate of a simultaneous problem, with its region.

    Parameters
    ----------
    problems : sequence of Problem
        The players moving simultaneously.
    ctx : Assumptions
        The admissible set used to decide conditions.
    log : DerivationLog
        Receives every step.
    boxes : mapping, optional
        Bounds per action; default: the action's domain.
    budget : float, optional
        Seconds per symbolic operation (default ``gg.settings.time_budget``).
    """
    boxes = dict(boxes or {})
    owner: dict[sp.Symbol, Problem] = {}
    for prob in problems:
        for a in prob.actions:
            owner[a] = prob
            boxes.setdefault(a, Box.of(a))
    acts = list(owner)
    grads = {a: sp.diff(owner[a].payoff, a) for a in acts}
    states = [_states(a, boxes[a]) for a in acts]
    n_cases = 1
    for s in states:
        n_cases *= len(s)
    if n_cases > settings.max_kkt_cases:
        raise InvalidSpecError(
            f"{n_cases} interior/corner cases to enumerate for actions {acts}; more than "
            f"gg.settings.max_kkt_cases = {settings.max_kkt_cases}. Give actions fewer finite "
            "bounds or raise the setting"
        )
    start = log.mark()
    concave = {prob.player: concavity(prob, ctx, log) for prob in problems}
    result = KKTResult([], [], True, preamble=log.since(start))
    solver = _CaseSolver(owner, grads, boxes, concave, ctx, log, budget, result)
    for combo in itertools.product(*states):
        solver.solve(dict(zip(acts, combo, strict=True)))
    return result


def _states(action: sp.Symbol, box: Box) -> list[tuple[str, sp.Expr | None]]:
    states: list[tuple[str, sp.Expr | None]] = [("interior", None)]
    states += [("lower", b.value) for b in box.lowers if b.closed]
    states += [("upper", b.value) for b in box.uppers if b.closed]
    return states


def _case_label(case: Mapping[sp.Symbol, tuple[str, Any]]) -> str:
    parts = []
    for a, (state, value) in case.items():
        parts.append(f"{a} interior" if state == "interior" else f"{a} = {sp.sstr(value)}")
    return ", ".join(parts)


@dataclass
class _CaseSolver:
    """Solves one interior/corner case at a time; holds what all cases share."""

    owner: Mapping[sp.Symbol, Problem]
    grads: Mapping[sp.Symbol, sp.Expr]
    boxes: Mapping[sp.Symbol, Box]
    concave: Mapping[str, tuple[Sign, sp.Boolean]]
    ctx: Assumptions
    log: DerivationLog
    budget: float | None
    result: KKTResult

    def solve(self, case: dict[sp.Symbol, tuple[str, sp.Expr | None]]) -> None:
        owner, grads, ctx, log, budget, result = self.owner, self.grads, self.ctx, self.log, self.budget, self.result
        label = _case_label(case)
        mark = log.mark()
        fixed = {a: v for a, (state, v) in case.items() if state != "interior"}
        interior = [a for a, (state, _) in case.items() if state == "interior"]
        equations = [sp.expand(grads[a].xreplace(fixed)) for a in interior]
        log.add(
            "case",
            f"Case: {label}",
            *(sp.Eq(derivative_symbol(owner[a].player, a), eq) for a, eq in zip(interior, equations, strict=True)),
            note="first-order conditions of the interior actions" if interior else "all actions at bounds",
        )

        def reject(reason: str) -> None:
            log.add("rejected", f"Case {label} rejected", note=reason)
            result.rejected.append((label, reason))

        identically_zero = [a for a, eq in zip(interior, equations, strict=True) if eq == 0]
        for a, eq in zip(interior, equations, strict=True):
            if eq != 0 and not (eq.free_symbols & set(interior)):
                if ctx.decide(sp.Eq(eq, 0)) is False or ctx.decide(sp.Ne(eq, 0)) is True:
                    reject(f"the first-order condition of {a} cannot hold: du/d{a} = {sp.sstr(eq)} is never 0")
                else:
                    reject(
                        f"du/d{a} = {sp.sstr(eq)} does not depend on the interior actions; an interior "
                        f"{a} is optimal only on the knife edge {sp.sstr(eq)} = 0, where every {a} is a "
                        "best response (a continuum on a set of measure zero, not reported)"
                    )
                return
        unknowns = [a for a in interior if a not in identically_zero]
        remaining = [eq for a, eq in zip(interior, equations, strict=True) if eq != 0]
        try:
            with time_budget(budget, f"solving the first-order conditions of case {label}"):
                solutions = sp.solve(remaining, unknowns, dict=True) if remaining else [{}]
        except SymbolicTimeout as exc:
            result.converged = False
            result.message = str(exc)
            reject(f"symbolic solve gave up: {exc}")
            return
        except NotImplementedError as exc:
            result.converged = False
            result.message = f"sympy cannot solve the first-order conditions of case {label}: {exc}"
            reject(result.message)
            return
        if not solutions:
            reject("the first-order conditions have no solution")
            return
        for sol in solutions:
            # actions the conditions leave free form a continuum of equilibria, kept as a parametrised set
            free = [a for a in interior if a not in sol]
            values = {a: fixed[a] if a in fixed else (a if a in free else tidy(sol[a], budget)) for a in case}
            if free:
                log.add("note", f"Case {label}: {', '.join(map(str, free))} free: a continuum of solutions")
            self.finish(
                values, case, label + (f" (continuum: {', '.join(map(str, free))} free)" if free else ""), mark, free
            )

    def finish(
        self,
        values: dict[sp.Symbol, sp.Expr],
        case: Mapping[sp.Symbol, tuple[str, Any]],
        label: str,
        mark: int,
        free: Sequence[sp.Symbol] = (),
    ) -> None:
        owner, grads, boxes, concave = self.owner, self.grads, self.boxes, self.concave
        ctx, log, budget, result = self.ctx, self.log, self.budget, self.result
        log.add("solve", "Solution of the case", *(sp.Eq(a, v) for a, v in values.items()))
        if any(c.values == values for c in result.candidates):
            log.add("rejected", f"Case {label}: duplicate of a candidate already found")
            return
        for problem in {id(p): p for p in owner.values()}.values():
            if problem.payoff.xreplace(values).has(sp.nan, sp.zoo):
                reason = f"{problem.player}'s payoff is undefined at this profile"
                log.add("rejected", f"Case {label} rejected", note=reason)
                result.rejected.append((label, reason))
                return
        conditions: list[sp.Boolean] = []
        for a, (state, bound) in case.items():
            if state == "interior":
                conditions += boxes[a].contains(values[a], strict=True)
            else:
                rest = {b: v for b, v in values.items() if b != a}
                slope = at_end(grads[a].xreplace(rest), a, bound, "+" if state == "lower" else "-")
                if slope.has(sp.nan, sp.zoo):
                    reason = f"the derivative of the payoff in {a} at {a} = {bound} is undefined; corner not analysed"
                    log.add("rejected", f"Case {label} not analysed", note=reason)
                    result.rejected.append((label, reason))
                    result.converged, result.message = False, reason
                    return
                rel = sp.Le if state == "lower" else sp.Ge
                conditions.append(rel(slope, 0, evaluate=False))
                others = Box(
                    tuple(b for b in boxes[a].lowers if b.value != bound),
                    tuple(b for b in boxes[a].uppers if b.value != bound),
                )
                conditions += others.contains(bound)
        for value in values.values():
            conditions += [sp.Ge(p.base, 0) for p in value.atoms(sp.Pow) if p.exp.is_Rational and not p.exp.is_integer]

        optimality: dict[str, str] = {}
        by_player: dict[str, list[sp.Symbol]] = {}
        for a in case:
            by_player.setdefault(owner[a].player, []).append(a)
        for player, acts in by_player.items():
            status, _ = concave[player]
            if status in (Sign.NONPOSITIVE, Sign.NEGATIVE):
                optimality[player] = (
                    "global: payoff concave in own actions (proved), so the KKT point is a best response"
                )
                continue
            payoff = owner[acts[0]].payoff
            inner = [a for a in acts if case[a][0] == "interior" and a not in free]
            extra: list[sp.Boolean] = []
            if inner:
                hessian = sp.hessian(payoff, inner).xreplace(values)
                soc = [((-1) ** k) * hessian[:k, :k].det() for k in range(1, len(inner) + 1)]
                soc_conds = [ctx.clean(sp.Gt(sp.simplify(m), 0)) for m in soc]
                if any(c is sp.false for c in soc_conds):
                    log.add("rejected", f"Case {label}: {player}'s second-order condition fails", *soc)
                    result.rejected.append((label, f"second-order condition of {player} fails (a minimum or saddle)"))
                    return
                extra = [c for c in soc_conds if c is not sp.true]
            unbounded = _unbounded_direction(payoff, acts, values, boxes, budget)
            if unbounded:
                reason = f"{player}'s payoff is unbounded above as {unbounded} (no best response exists)"
                log.add("rejected", f"Case {label} rejected", note=reason)
                result.rejected.append((label, reason))
                return
            conditions += extra
            if not inner:
                optimality[player] = "local: KKT conditions at the bounds hold; global optimality not proved"
            else:
                optimality[player] = (
                    "local: strict local maximum (second-order condition "
                    + ("holds)" if not extra else "holds where stated in the conditions)")
                    + "; global optimality not proved"
                )

        cleaned = [ctx.clean(c) for c in conditions]
        false = [c for c, k in zip(conditions, cleaned, strict=True) if k is sp.false]
        if false:
            reason = "its conditions are never satisfied: " + "; ".join(sp.sstr(c) for c in false)
            log.add("rejected", f"Case {label} rejected", *false, note=reason)
            result.rejected.append((label, reason))
            return
        region = ctx.clean(sp.And(*cleaned))
        if region is sp.false:
            log.add("rejected", f"Case {label} rejected", note="its conditions contradict each other")
            result.rejected.append((label, "its conditions contradict each other"))
            return
        log.add(
            "conditions",
            "Conditions for this case (interior values inside the box, signs of the multipliers at bounds)",
            region,
        )
        result.candidates.append(Candidate(values, region, label, optimality, log.since(mark)))


def tidy(expr: sp.Expr, budget: float | None) -> sp.Expr:
    """The shortest of a few equivalent forms (simplified, factored, collected by a symbol)."""
    forms = [expr]
    try:
        with time_budget(budget, "simplifying a solution"):
            simple = sp.factor_terms(sp.simplify(expr))
            forms += [simple, sp.factor(expr)]
            expanded = sp.expand(simple)
            for sym in sorted(expr.free_symbols, key=str):
                forms.append(sp.collect(expanded, sym, func=sp.factor))
    except SymbolicTimeout:
        pass
    return min(forms, key=lambda f: (sp.count_ops(f), len(str(f))))


def _unbounded_direction(
    payoff: sp.Expr,
    acts: Sequence[sp.Symbol],
    values: Mapping[sp.Symbol, sp.Expr],
    boxes: Mapping[sp.Symbol, Box],
    budget: float | None,
) -> str:
    """A direction in which a player's payoff tends to +oo (others at the candidate), or ''."""
    for a in acts:
        others = {b: v for b, v in values.items() if b != a}
        line = payoff.xreplace(others)
        for end, missing in ((sp.oo, not boxes[a].uppers), (-sp.oo, not boxes[a].lowers)):
            if not missing:
                continue
            try:
                with time_budget(budget, f"limit of the payoff as {a} -> {end}"):
                    lim = sp.limit(line, a, end)
            except (SymbolicTimeout, NotImplementedError, ValueError):
                continue
            if lim == sp.oo:
                return f"{a} -> {end}"
    return ""
