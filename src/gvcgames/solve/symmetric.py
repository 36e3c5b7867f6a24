"""Symmetric equilibria with a symbolic number of players, and the cooperative benchmark.

Definitions
-----------
The representative player chooses ``x`` in an interval ``X`` against the common action
``y`` of the ``N - 1`` others, with payoff ``u(x, y)``. A *symmetric Nash equilibrium* is
an ``x*`` in ``X`` with ``u(x*, x*) >= u(x, x*)`` for every ``x`` in ``X``: one deviator
against ``N - 1`` identical others, so ``N`` can stay symbolic.

Method
------
1. *Candidates* (necessary conditions). With ``g(x) = du/dx (x, x)`` the first-order
   condition on the symmetric profile, a symmetric equilibrium is an interior root of
   ``g``, a closed lower end with ``g <= 0`` or a closed upper end with ``g >= 0`` (KKT).
2. *Optimality* (sufficient conditions), for each candidate ``v``: the deviator's payoff
   ``phi(x) = u(x, v)`` must be maximised at ``x = v``. This is proved

   * by concavity of ``u`` in the own action on the whole box (KKT sufficiency), or of
     ``phi`` for this candidate; or
   * by comparison: the maximum of ``phi`` over ``X`` is attained at a root of ``phi'`` or
     at an end of ``X`` (or approached at an open/infinite end), so ``v`` is a best
     response exactly where ``phi(v)`` is at least ``phi`` at every other root of
     ``phi'`` that lies in ``X`` (strict local minima excluded), at every closed end, and
     at least the limit at every open or infinite end. These inequalities join the
     candidate's region; a candidate whose region becomes empty is rejected as not a best
     response. When the roots of ``phi'`` are not all known (non-polynomial ``phi'``) the
     candidate keeps its second-order condition and is marked *local*.
3. *Uniqueness*: if ``g`` is strictly decreasing on ``X`` there is at most one symmetric
   equilibrium (at most one root, and an end point is a KKT point only if ``g`` has no
   root). The solver derives the parameter condition under which ``g' < 0`` (where ``u``
   is strictly concave this says that the symmetric best response has slope
   ``-u_xy/u_xx < 1``).
4. *Existence*: if ``X`` is compact and convex, ``u`` continuous and quasi-concave in
   the own action, the symmetric best-response correspondence ``y -> argmax_x u(x, y)`` is
   non-empty, convex-valued and upper hemicontinuous (Berge's maximum theorem) and has a
   fixed point by Kakutani's theorem: a symmetric equilibrium exists at every admissible
   point. The solver states which hypotheses it proved.

References
----------
Dasgupta, P. and E. Maskin (1986), The existence of equilibrium in discontinuous economic
games, I: Theory, Review of Economic Studies 53(1), 1-26 (symmetric games, Kakutani on the
symmetric best response). Vives, X. (1999), Oligopoly Pricing, ch. 2 (uniqueness when the
best response has slope below one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.budget import time_budget as limited
from gvcgames.errors import NoEquilibriumError, SymbolicTimeout
from gvcgames.results import BestResponse, Derivation, DerivationLog, Equilibrium, Solution
from gvcgames.solve.kkt import Box, payoff_symbol, tidy
from gvcgames.spec.assumptions import Assumptions, Sign, disjuncts
from gvcgames.spec.symmetric import SymmetricGame

METHOD = "symmetric KKT: one deviator against N - 1 identical others (symbolic)"
PLAYER = "each player"
_CONCAVE = (Sign.NEGATIVE, Sign.NONPOSITIVE, Sign.ZERO)
_CONVEX = (Sign.POSITIVE, Sign.NONNEGATIVE)


@dataclass(frozen=True)
class SymmetricSolution(Solution):
    """A :class:`~gvcgames.results.Solution` of a symmetric game, with existence and uniqueness.

    Attributes
    ----------
    existence : str
        The existence statement and which of its hypotheses were proved.
    existence_proved : bool
        Whether every hypothesis of the existence theorem was proved (then a symmetric
        equilibrium exists at every admissible point).
    uniqueness : sympy Boolean
        A sufficient condition on the parameters for at most one symmetric equilibrium
        (``True``: everywhere; ``False``: none was found).
    uniqueness_note : str
        The uniqueness statement in words.
    """

    existence: str = ""
    existence_proved: bool = False
    uniqueness: Any = sp.false
    uniqueness_note: str = ""
    hypotheses: tuple[tuple[str, bool], ...] = field(default=())

    @property
    def unique(self) -> bool:
        """Whether at most one symmetric equilibrium holds at every admissible point (proved)."""
        return self.uniqueness is sp.true

    def summary(self, derivation: bool = False) -> str:
        text = super().summary(derivation)
        head, _, rest = text.partition("\n")
        name = getattr(self.game, "name", "") or type(self.game).__name__
        n = len(self.equilibria)
        if self.unique and n > 1:
            head = (
                f"Solution of {name}: a unique symmetric equilibrium at each parameter point, in {n} disjoint regions"
            )
        elif self.unique and n == 1:
            head = f"Solution of {name}: 1 symmetric equilibrium, unique where it holds"
        else:
            head = (
                f"Solution of {name}: 1 symmetric equilibrium, where its conditions hold"
                if n == 1
                else f"Solution of {name}: {n} symmetric equilibria, each where its conditions hold"
            )
        lines = [head, rest]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def solve_symmetric(game: SymmetricGame, time_budget: float | None = None) -> SymmetricSolution:
    """Symmetric Nash equilibria of a symmetric game, each proved optimal or conditioned on it.

    Parameters
    ----------
    game : SymmetricGame
    time_budget : float, optional
        Seconds per symbolic operation (default ``gg.settings.time_budget``).

    Returns
    -------
    SymmetricSolution
        Equilibria with regions that include the deviator's optimality, the existence
        statement and the uniqueness condition.

    Raises
    ------
    NoEquilibriumError
        If every candidate was rejected (none satisfies the KKT conditions and is a best
        response anywhere).

    Examples
    --------
    A convex own payoff: the corner ``x = 0`` is never a best response (deviating to 1
    pays) and ``x = 1`` is one only where ``b <= 1``:

    >>> import gvcgames as gg
    >>> b = gg.parameters("b", positive=True)
    >>> x, y = gg.actions("x y", domain="[0, 1]")
    >>> sol = gg.SymmetricGame(x, y, x**2 - b * x * y, 2).solve()
    >>> [(eq[x], eq.conditions) for eq in sol]
    [(1, 1 >= b)]
    """
    x, y = game.action, game.others
    u = game.payoff
    ctx = Assumptions(game.assumptions.relations, time_budget)
    log = DerivationLog()
    pi = payoff_symbol(PLAYER)
    _log_setup(game, log, pi)
    foc = sp.diff(u, x)
    g = sp.simplify(foc.xreplace({y: x}))
    log.add(
        "foc",
        f"First-order condition of a deviator, and g, the same derivative on the symmetric profile "
        f"(all others play {x})",
        sp.Eq(sp.Derivative(pi, x), foc),
        sp.Eq(sp.Function("g")(x), g),
    )
    own = sp.diff(u, x, 2)
    own_sign = ctx.sign(own)
    concave = own_sign in _CONCAVE
    log.add(
        "soc",
        "Second derivative of the payoff in the own action: "
        + ("concave (proved), so every KKT point is a best response" if concave else "concavity not proved"),
        sp.Eq(sp.Derivative(pi, x, 2), own),
        note=""
        if concave
        else "optimality of each candidate is checked against the deviator's other KKT points and the ends",
    )
    box = Box.of(x)
    uniqueness, unique_note = _uniqueness(g, x, box, ctx, log)
    hyps, existence, proved = _existence(game, box, own_sign, ctx, log)
    shared = log.mark()
    candidates: list[tuple[str, sp.Expr, list[sp.Boolean]]] = []
    rejected: list[tuple[str, str]] = []
    converged, message = True, ""
    try:
        with limited(time_budget, "solving the symmetric first-order condition"):
            roots = sp.solve(g, x)
    except (SymbolicTimeout, NotImplementedError) as exc:
        roots, converged, message = [], False, f"the symbolic route gave up on the interior case: {exc}"
    for r in roots:
        if r.has(sp.I) and not r.is_real and ctx.sign(sp.im(r)) in (Sign.POSITIVE, Sign.NEGATIVE):
            continue  # a complex root is no action
        conds = box.contains(r, strict=True) + _real_conditions(r)
        candidates.append(("interior", tidy(r, time_budget), conds))
    for bound in box.lowers:
        if bound.closed:
            slope = g.xreplace({x: bound.value})
            candidates.append((f"{x} = {bound.value}", bound.value, [sp.Le(slope, 0, evaluate=False)]))
    for bound in box.uppers:
        if bound.closed:
            slope = g.xreplace({x: bound.value})
            candidates.append((f"{x} = {bound.value}", bound.value, [sp.Ge(slope, 0, evaluate=False)]))

    equilibria = []
    for case, value, conds in candidates:
        mark = log.mark()
        log.add("case", f"Case {case}", sp.Eq(x, value), *conds, note="KKT conditions on the symmetric profile")
        kkt = ctx.clean(sp.And(*conds))
        if kkt is sp.false:
            reason = "its KKT conditions are never satisfied"
            log.add("rejected", f"Case {case} rejected", *conds, note=reason)
            rejected.append((case, reason + ": " + "; ".join(map(sp.sstr, conds))))
            continue
        check = _optimality(u, x, y, value, box, ctx, concave, kkt, case, time_budget)
        log.extend(check.steps)
        if check.reject:
            log.add("rejected", f"Case {case} rejected: not a best response", note=check.reject)
            rejected.append((case, check.reject))
            continue
        region = _drop_empty(ctx.clean(sp.And(kkt, check.condition)))
        if region is sp.false:
            reason = "not a best response anywhere: where its KKT conditions hold, a deviation pays"
            log.add("rejected", f"Case {case} rejected", note=reason)
            rejected.append((case, reason))
            continue
        log.add("conditions", f"Symmetric equilibrium {x} = {value}: it holds if", region)
        payoff = tidy(u.xreplace({x: value, y: value}), time_budget)
        equilibria.append(
            Equilibrium(
                {x: value},
                {PLAYER: payoff},
                region,
                METHOD,
                Derivation(log.freeze().steps[:shared] + log.since(mark)),
                case,
                {PLAYER: check.optimality},
                {x: value},
                game,
            )
        )
    if not equilibria and converged:
        raise NoEquilibriumError("no symmetric equilibrium: " + "; ".join(f"[{c}] {r}" for c, r in rejected))

    note = _message(equilibria, uniqueness, unique_note, existence)
    responses = _best_response(u, x, y, box, ctx, concave, time_budget)
    return SymmetricSolution(
        game,
        equilibria,
        METHOD,
        converged,
        message or note,
        log.freeze(),
        best_responses=responses,
        rejected=rejected,
        existence=existence,
        existence_proved=proved,
        uniqueness=uniqueness,
        uniqueness_note=unique_note,
        hypotheses=hyps,
    )


def _log_setup(game: SymmetricGame, log: DerivationLog, pi: sp.Symbol) -> None:
    x, y = game.action, game.others
    n = game.N
    players = f"{n} players" if not isinstance(n, sp.Symbol) else f"{n} players (N symbolic)"
    log.add(
        "game",
        f"Payoff of a representative player among {players}: own action {x}, the other players' common action {y}",
        sp.Eq(pi, game.payoff),
        sp.Contains(x, x.domain, evaluate=False),
    )
    if game.assumptions.relations:
        log.add("game", "Assumptions on parameters", *game.assumptions.relations)


def _real_conditions(value: sp.Expr) -> list[sp.Boolean]:
    return [sp.Ge(p.base, 0) for p in value.atoms(sp.Pow) if p.exp.is_Rational and not p.exp.is_integer]


@dataclass
class _Check:
    optimality: str
    condition: sp.Boolean = sp.true
    reject: str = ""
    steps: tuple[Any, ...] = ()


def _optimality(
    u: sp.Expr,
    x: sp.Symbol,
    y: sp.Symbol,
    v: sp.Expr,
    box: Box,
    ctx: Assumptions,
    concave: bool,
    kkt: sp.Boolean,
    case: str,
    budget: float | None,
) -> _Check:
    """Is ``x = v`` a best response of the deviator when the ``N - 1`` others play ``v``?"""
    if concave:
        return _Check("global: payoff concave in own action (proved), so the KKT point is a best response")
    log = DerivationLog()
    phi = sp.simplify(u.xreplace({y: v}))
    d2 = sp.simplify(sp.diff(phi, x, 2))
    pi = payoff_symbol(PLAYER)
    local = ctx.with_relations(_relations(kkt))
    shape = local.sign(d2)
    log.add(
        "soc",
        f"Deviator's problem when the others play {x} = {v}: maximise the payoff over {x}",
        sp.Eq(pi, phi),
        sp.Eq(sp.Derivative(pi, x, 2), d2),
    )
    if shape in _CONCAVE:
        return _Check(
            "global: the deviator's payoff is concave in its own action when the others play the candidate "
            "(proved), so the KKT point is a best response",
            steps=log.freeze().steps,
        )
    interior = "interior" in case
    at_v = sp.simplify(d2.xreplace({x: v}))
    if interior and local.sign(at_v) == Sign.POSITIVE:
        return _Check("", reject="a strict local minimum of the deviator's payoff (second-order condition fails)")
    alternatives: list[tuple[str, sp.Expr, list[sp.Boolean], bool]] = []  # (label, point, feasibility, is a limit)
    complete = True
    if shape not in _CONVEX:  # a convex payoff is maximised at an end: interior roots need not be compared
        dphi = sp.diff(phi, x)
        numerator, denominator = sp.fraction(sp.together(dphi))
        if not numerator.is_polynomial(x) or (
            denominator.has(x) and local.sign(denominator) not in (Sign.POSITIVE, Sign.NEGATIVE)
        ):
            complete = False
        else:
            try:
                with limited(budget, f"solving the deviator's first-order condition at {x} = {v}"):
                    roots = sp.solve(numerator, x)
            except (SymbolicTimeout, NotImplementedError):
                roots, complete = [], False
            for r in roots:
                if sp.simplify(r - v) == 0:
                    continue
                if r.has(sp.I):
                    complete = False  # e.g. Cardano's formula: realness is not decidable here
                    continue
                # a root under a square root of unknown sign is an alternative only where it is real; the
                # clause puts "not real" first, so evaluating it at numbers never compares complex values
                reals = [c for c in _real_conditions(r) if local.decide(c) is not True]
                if local.sign(sp.simplify(d2.xreplace({x: r}))) == Sign.POSITIVE:
                    continue  # a strict local minimum is never the maximum
                feasible = [*reals, *box.contains(r, strict=True)]
                alternatives.append((f"{x} = {sp.sstr(tidy(r, budget))}", r, feasible, False))
    for bound in box.lowers:
        if sp.simplify(bound.value - v) != 0:
            if bound.closed:
                alternatives.append((f"{x} = {bound.value}", bound.value, [], False))
            else:
                alternatives.append((f"{x} -> {bound.value} from above", bound.value, [], True))
    for bound in box.uppers:
        if sp.simplify(bound.value - v) != 0:
            if bound.closed:
                alternatives.append((f"{x} = {bound.value}", bound.value, [], False))
            else:
                alternatives.append((f"{x} -> {bound.value} from below", bound.value, [], True))
    if not box.uppers:
        alternatives.append((f"{x} -> oo", sp.oo, [], True))
    if not box.lowers:
        alternatives.append((f"{x} -> -oo", -sp.oo, [], True))
    if not complete:
        soc = local.clean(sp.Le(at_v, 0)) if interior else sp.true
        return _Check(
            "local: KKT conditions"
            + (" and the second-order condition" if interior else "")
            + " hold; the deviator's other critical points are not all known, so global optimality is not proved",
            soc,
            steps=log.freeze().steps,
        )
    value_v = phi.xreplace({x: v})
    clauses = []
    for label, point, feasible, is_limit in alternatives:
        if is_limit:
            other = _limit(phi, x, point, "+" if label.endswith("above") else "-", budget)
            if other is None:
                return _Check(
                    f"local: the deviator's payoff as {label} is not known; global optimality not proved",
                    steps=log.freeze().steps,
                )
            if other == sp.oo:
                return _Check("", reject=f"the deviator's payoff grows without bound as {label}: no best response")
            if other == -sp.oo:
                continue
        else:
            other = phi.xreplace({x: point})
        rel = sp.Ge(sp.simplify(value_v - other), 0)
        clause = sp.Or(*(sp.Not(c) for c in feasible), rel) if feasible else rel
        cleaned = local.clean(clause)
        if cleaned is sp.false:
            where = label.replace("->", "towards")
            return _Check(
                "",
                reject=f"not a best response: the deviator gains by moving to {where} "
                f"(payoff {sp.sstr(tidy(other, budget))} against {sp.sstr(tidy(value_v, budget))})",
                steps=log.freeze().steps,
            )
        clauses.append(cleaned)
    condition = ctx.clean(sp.And(*clauses))
    labels = ", ".join(label for label, *_ in alternatives) or "none"
    log.add(
        "compare",
        f"The deviator's maximum is at a critical point or an end ({labels}): {x} = {v} is a best response where "
        "it pays at least as much as each",
        condition,
    )
    return _Check(
        "global: compared with every other critical point and end of the deviator's problem (proved where the "
        "region's conditions hold)",
        condition,
        steps=log.freeze().steps,
    )


def _limit(phi: sp.Expr, x: sp.Symbol, point: sp.Expr, direction: str, budget: float | None) -> sp.Expr | None:
    """The deviator's payoff at an open or infinite end of the action set (``None`` if sympy cannot tell)."""
    try:
        with limited(budget, f"limit of the deviator's payoff as {x} -> {point}"):
            value = sp.limit(phi, x, point) if point in (sp.oo, -sp.oo) else sp.limit(phi, x, point, dir=direction)
    except (SymbolicTimeout, NotImplementedError, ValueError, TypeError):
        return None
    if value.has(sp.nan, sp.zoo, sp.AccumBounds) or (value.is_infinite and value not in (sp.oo, -sp.oo)):
        return None
    return value


def _drop_empty(region: sp.Boolean) -> sp.Boolean:
    """Drop the conjunctions of a region that are empty because of one parameter alone (``a >= 1 & 3 a <= 2``).

    The pairwise sign proofs of :class:`~gvcgames.spec.assumptions.Assumptions` miss
    bounds on one symbol that need rescaling; sympy solves univariate inequalities exactly.
    """
    terms = disjuncts(region) if isinstance(region, (sp.And, sp.Or)) else None
    if not terms:
        return region
    kept = []
    for term in terms:
        by_symbol: dict[sp.Symbol, list[sp.Boolean]] = {}
        for atom in term:
            syms = atom.free_symbols
            if isinstance(atom, sp.core.relational.Relational) and len(syms) == 1:
                by_symbol.setdefault(next(iter(syms)), []).append(atom)
        empty = False
        for sym, atoms in by_symbol.items():
            if len(atoms) < 2:
                continue
            try:
                feasible = getattr(sym, "domain", sp.Reals)
                for atom in atoms:
                    feasible = feasible.intersect(atom.as_set())
                empty = feasible is sp.EmptySet
            except (NotImplementedError, TypeError, ValueError):
                empty = False
            if empty:
                break
        if not empty:
            kept.append(term)
    if len(kept) == len(terms):
        return region
    return sp.Or(*(sp.And(*t) for t in kept)) if kept else sp.false


def _relations(condition: sp.Boolean) -> list[sp.Boolean]:
    atoms = condition.args if isinstance(condition, sp.And) else (condition,)
    return [a for a in atoms if isinstance(a, sp.core.relational.Relational) and not isinstance(a, (sp.Eq, sp.Ne))]


def _uniqueness(g: sp.Expr, x: sp.Symbol, box: Box, ctx: Assumptions, log: DerivationLog) -> tuple[sp.Boolean, str]:
    """A sufficient condition for at most one symmetric equilibrium: ``g`` strictly decreasing on the box."""
    slope = sp.simplify(sp.diff(g, x))
    sign = ctx.sign(slope)
    condition: sp.Boolean | None
    if sign == Sign.NEGATIVE:
        condition = sp.true
    elif sign in (Sign.POSITIVE, Sign.NONNEGATIVE, Sign.ZERO):
        condition = sp.false
    elif x not in slope.free_symbols:
        condition = ctx.clean(sp.Lt(slope, 0))
    elif box.bounded and all(b.value.is_finite for b in (*box.lowers, *box.uppers)):
        curvature = ctx.sign(sp.diff(slope, x))
        if curvature in (Sign.NEGATIVE, Sign.NONPOSITIVE, Sign.POSITIVE, Sign.NONNEGATIVE, Sign.ZERO):
            # a monotone g' is largest at an end of the box
            ends = [slope.xreplace({x: b.value}) for b in (*box.lowers, *box.uppers)]
            condition = ctx.clean(sp.And(*(sp.Lt(e, 0) for e in ends)))
        else:
            condition = None
    else:
        condition = None
    g_prime = sp.Derivative(sp.Function("g")(x), x)
    if condition is sp.true:
        note = "g is strictly decreasing (proved): at most one symmetric equilibrium at every admissible point"
    elif condition is None or condition is sp.false:
        condition = sp.false
        note = "uniqueness not proved: g is not shown to be strictly decreasing"
    else:
        note = (
            f"g is strictly decreasing where {sp.sstr(condition)}: there, at most one symmetric equilibrium "
            "(where the payoff is strictly concave this says the symmetric best response has slope below 1)"
        )
    log.add(
        "uniqueness",
        "Uniqueness: a strictly decreasing g has at most one root, and an end is a KKT point only if g has none",
        sp.Eq(g_prime, slope),
        *(() if condition in (sp.true, sp.false) else (condition,)),
        note=note,
    )
    return condition, note


def _existence(
    game: SymmetricGame, box: Box, own_sign: Sign, ctx: Assumptions, log: DerivationLog
) -> tuple[tuple[tuple[str, bool], ...], str, bool]:
    """Kakutani on the symmetric best response: which hypotheses are proved."""
    x, y, u = game.action, game.others, game.payoff
    domain = x.domain
    text = _interval_text(domain)
    ends = (*box.lowers, *box.uppers)
    if not (box.lowers and box.uppers) or not all(b.closed for b in ends):
        compact = ("fails", f"the action set {text} is convex but not compact (unbounded or open)")
    elif all(b.value.is_finite for b in ends):
        compact = ("proved", f"the action set {text} is compact and convex")
    else:
        compact = ("not proved", f"the action set {text} is compact and convex")
    continuity = "proved" if _continuous(u, (x, y), ctx) else "not proved"
    if own_sign in _CONCAVE:
        quasi = ("proved", "the payoff is concave, hence quasi-concave, in the own action")
    elif ctx.sign(sp.diff(u, x)) in (*_CONCAVE, *_CONVEX):
        quasi = ("proved", "the payoff is monotone, hence quasi-concave, in the own action")
    else:
        quasi = ("not proved", "the payoff is quasi-concave in the own action")
    hyps = (compact, (continuity, "the payoff is continuous in both actions"), quasi)
    proved = all(status == "proved" for status, _ in hyps)
    listed = "; ".join(f"{words} ({status})" if status != "fails" else words for status, words in hyps)
    if proved:
        statement = (
            "a symmetric equilibrium exists at every admissible parameter point (Kakutani's fixed-point theorem "
            f"on the symmetric best response): {listed}"
        )
    else:
        statement = (
            f"the existence theorem (Kakutani on the symmetric best response) does not apply: {listed}; "
            "the equilibria listed exist where their conditions hold"
        )
    log.add("existence", "Existence of a symmetric equilibrium", note=statement)
    return tuple((words, status == "proved") for status, words in hyps), statement, proved


def _interval_text(domain: sp.Interval) -> str:
    left = "(" if domain.left_open or domain.inf == -sp.oo else "["
    right = ")" if domain.right_open or domain.sup == sp.oo else "]"
    return f"{left}{sp.sstr(domain.inf)}, {sp.sstr(domain.sup)}{right}"


def _continuous(u: sp.Expr, acts: tuple[sp.Symbol, sp.Symbol], ctx: Assumptions) -> bool:
    if u.is_polynomial(*acts):
        return True
    for node in sp.preorder_traversal(u):
        if isinstance(node, sp.Pow) and node.base.has(*acts):
            exp = node.exp
            if exp.is_integer and exp.is_nonnegative:
                continue
            base_sign = ctx.sign(node.base)
            if exp.is_negative and base_sign not in (Sign.POSITIVE, Sign.NEGATIVE):
                return False
            if not exp.is_integer and base_sign not in (Sign.POSITIVE, Sign.NONNEGATIVE, Sign.ZERO):
                return False
        elif isinstance(node, (sp.Piecewise, sp.Heaviside, sp.sign, sp.floor, sp.ceiling)) or (
            isinstance(node, sp.log) and ctx.sign(node.args[0]) != Sign.POSITIVE
        ):
            return False
    return True


def _message(equilibria: list[Equilibrium], uniqueness: sp.Boolean, unique_note: str, existence: str) -> str:
    n = len(equilibria)
    if uniqueness is sp.true:
        count = (
            f"unique symmetric equilibrium in each of the {n} disjoint regions (g strictly decreasing)"
            if n > 1
            else "unique symmetric equilibrium (g strictly decreasing)"
        )
    elif uniqueness is sp.false:
        count = "uniqueness not proved (g not shown to be strictly decreasing)"
    else:
        count = f"unique symmetric equilibrium where {sp.sstr(uniqueness)} (g strictly decreasing there)"
    unproved = [eq.case for eq in equilibria if not eq.proved]
    tail = f"; optimality not proved globally for {', '.join(unproved)}" if unproved else ""
    return f"{count}; existence: {existence}{tail}"


def _best_response(
    u: sp.Expr, x: sp.Symbol, y: sp.Symbol, box: Box, ctx: Assumptions, concave: bool, budget: float | None
) -> dict[str, BestResponse]:
    """The representative's best response to the others' common action (clipped interior solution if concave)."""
    from gvcgames.solve.continuous import _clip

    try:
        with limited(budget, "the symmetric best response"):
            sols = sp.solve(sp.diff(u, x), x)
    except (SymbolicTimeout, NotImplementedError):
        return {}
    if len(sols) != 1 or not concave:
        return {}
    return {
        PLAYER: BestResponse(
            PLAYER,
            (x,),
            {x: _clip(tidy(sols[0], budget), box, ctx)},
            f"best response to the others' common {y}; payoff concave: interior solution clipped to the action set",
        )
    }


def solve_cooperative(game: SymmetricGame, time_budget: float | None = None) -> Solution:
    """Joint action: maximise ``u(x, x)``, each player's payoff when all choose ``x``."""
    from gvcgames.spec.games import ContinuousGame

    x, y = game.action, game.others
    joint = tidy(game.payoff.xreplace({y: x}), time_budget)
    planner = ContinuousGame({"joint action": (x, joint)}, game.assumptions, name=f"{game.name}: cooperative optimum")
    return planner.solve(time_budget=time_budget)
