"""Subgame-perfect equilibria of sequential games by backward induction.

Stages are solved from the last to the first. The last mover's KKT cases give its
policy as *branches*: a value as a function of the observed history, valid where a
condition on the history holds (e.g. the Stackelberg follower's interior response for
``q1 < a - c`` and the corner ``q2 = 0`` otherwise). An earlier mover then solves one
problem per branch, its action restricted to the interval where that branch applies
(conditions linear in its action become bounds), and picks the best candidate across
branches: candidate ``i`` is chosen where its own conditions hold and, for every other
candidate ``j``, either ``j``'s conditions fail or ``V_i >= V_j``. This makes the
earlier mover's choice a global optimum over the branches even though the substituted
payoff is only piecewise smooth.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import sympy as sp
from sympy.core.relational import Relational

from gvcgames.errors import NoEquilibriumError
from gvcgames.results import Derivation, DerivationLog, Equilibrium, Solution, Step
from gvcgames.solve.choice import choice_branches
from gvcgames.solve.continuous import log_game
from gvcgames.solve.kkt import Bound, Box, Problem, concavity, kkt_candidates, payoff_symbol, tidy
from gvcgames.spec.assumptions import Assumptions, Sign, disjuncts

if TYPE_CHECKING:
    from gvcgames.spec.games import Player, SequentialGame

METHOD = "backward induction with KKT cases (symbolic)"


@dataclass
class Branch:
    """Play from one stage on, as a function of the history before that stage."""

    values: dict[sp.Symbol, sp.Expr]
    condition: sp.Boolean
    label: str
    optimality: dict[str, str] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    payoffs: dict[str, sp.Expr] | None = None  # set when a final Choice defines the payoffs
    origin: int = -1  # index of the later branch a candidate was found in
    outcomes: dict[str, sp.Expr] = field(default_factory=dict)  # e.g. Pr(L: relocate)

    def value(self, stage: Player) -> sp.Expr:
        """The stage player's payoff in this branch."""
        if self.payoffs is not None:
            return self.payoffs[stage.name]
        return stage.payoff.xreplace(self.values)

    def substituted(self, values: dict[sp.Symbol, sp.Expr], condition: sp.Boolean, label: str, **kw) -> Branch:  # type: ignore[no-untyped-def]
        """This branch after an earlier stage fixed ``values``."""
        sub = {**values, **{a: v.xreplace(values) for a, v in self.values.items()}}
        payoffs = None if self.payoffs is None else {p: v.xreplace(values) for p, v in self.payoffs.items()}
        outcomes = {k: v.xreplace(values) for k, v in self.outcomes.items()}
        return Branch(sub, condition, label, payoffs=payoffs, outcomes=outcomes, **kw)


def _initial_branches(game: SequentialGame, ctx: Assumptions, log: DerivationLog, budget: float | None) -> list[Branch]:
    if game.choice is None:
        return [Branch({}, sp.true, "")]
    log.add("note", f"Last stage: {game.choice}")
    return [
        Branch({}, b.condition, b.label, payoffs=b.payoffs, outcomes=b.outcomes)
        for b in choice_branches(game.choice, ctx, log, budget)
    ]


def solve_sequential(game: SequentialGame, time_budget: float | None = None) -> Solution:
    """Subgame-perfect equilibria of a sequential game with continuous actions.

    Returns
    -------
    Solution
        One Equilibrium per surviving outcome; ``eq.policies`` holds each later stage's
        strategy as a ``Piecewise`` function of the observed history.
    """
    ctx = Assumptions(game.assumptions.relations, time_budget)
    log = DerivationLog()
    log_game(game, log)
    log.add(
        "note", "Order of moves: " + " -> ".join(f"{s.name} ({', '.join(map(str, s.actions))})" for s in game.stages)
    )
    branches: list[Branch] = _initial_branches(game, ctx, log, time_budget)
    policies: dict[sp.Symbol, sp.Expr] = {}
    rejected: list[tuple[str, str]] = []
    converged, message = True, ""
    for index in range(len(game.stages) - 1, -1, -1):
        stage = game.stages[index]
        history = [a for s in game.stages[:index] for a in s.actions]
        log.add(
            "note",
            f"Stage {index + 1}: {stage.name} chooses {', '.join(map(str, stage.actions))}"
            + (f" having observed {', '.join(map(str, history))}" if history else ""),
        )
        new, stage_rejected, ok, msg = _solve_stage(stage, index, branches, ctx, log, time_budget)
        rejected += stage_rejected
        converged, message = converged and ok, msg or message
        if not new:
            break
        branches = _merge_branches(new, ctx)
        if index > 0:
            for a in stage.actions:
                policies[a] = _piecewise(a, branches)
            log.add(
                "best_response",
                f"Policy of {stage.name} (function of the history)",
                *(sp.Eq(a, policies[a]) for a in stage.actions),
            )
    if not branches or not branches[0].values:
        if converged:
            reasons = "; ".join(f"[{c}] {r}" for c, r in rejected)
            raise NoEquilibriumError(f"no subgame-perfect equilibrium found in {game.name or 'the game'}: {reasons}")
        return Solution(game, [], METHOD, False, message, log.freeze(), rejected=rejected)
    # A region assembled stage by stage can be empty although no single step showed it
    # (e.g. two weak inequalities forcing an equation that another condition then violates).
    kept = []
    for b in branches:
        cleaned = ctx.clean(b.condition)
        if cleaned is sp.false:
            rejected.append((b.label, "its region is empty (the conditions contradict each other)"))
            continue
        if sp.count_ops(cleaned) < sp.count_ops(b.condition):  # the disjunctive form can be longer
            b.condition = cleaned
        kept.append(b)
    branches = kept
    shared = log.freeze().steps
    equilibria = []
    for b in branches:
        raw = b.payoffs if b.payoffs is not None else {p.name: p.payoff.xreplace(b.values) for p in game.players}
        payoffs = {name: tidy(v, time_budget) for name, v in raw.items()}
        on_path = {a: b.values[a] for a in game.actions}
        equilibria.append(
            Equilibrium(
                strategies=on_path,
                payoffs=payoffs,
                conditions=b.condition,
                method=METHOD,
                derivation=Derivation(shared),
                case=b.label,
                optimality=b.optimality,
                policies={**{a: on_path[a] for a in game.stages[0].actions}, **policies},
                game=game,
                outcomes={k: tidy(v, time_budget) for k, v in b.outcomes.items()},
            )
        )
    unproved = [eq.case for eq in equilibria if not eq.proved]
    message = message or (
        "every stage's optimality is proved"
        if not unproved
        else "global optimality is not proved for: " + "; ".join(unproved) + "; check with gg.is_equilibrium"
    )
    return Solution(game, equilibria, METHOD, converged, message, log.freeze(), rejected=rejected)


def _solve_stage(
    stage: Player,
    index: int,
    later: list[Branch],
    ctx: Assumptions,
    log: DerivationLog,
    budget: float | None,
) -> tuple[list[Branch], list[tuple[str, str]], bool, str]:
    candidates: list[Branch] = []
    rejected: list[tuple[str, str]] = []
    converged, message = True, ""
    all_concave = True
    partitioned: set[int] = set()  # later branches whose candidates have disjoint regions (KKT with concavity)
    for origin, branch in enumerate(_split_disjunctions(later)):
        boxes, carried, unreduced = _bounds_from(branch.condition, stage.actions)
        payoff = branch.value(stage)
        where = f" in the branch '{branch.label}'" if branch.label else ""
        log.add(
            "substitute",
            f"{stage.name}'s payoff with later play substituted{where}",
            sp.Eq(payoff_symbol(stage.name), payoff),
            *([branch.condition] if branch.condition is not sp.true else []),
        )
        problem = Problem(stage.name, stage.actions, payoff)
        status, _ = concavity(problem, ctx)
        concave_here = status in (Sign.NONPOSITIVE, Sign.NEGATIVE) and unreduced is sp.true
        all_concave = all_concave and concave_here
        if concave_here:
            partitioned.add(origin)
        kkt = kkt_candidates([problem], ctx, log, boxes=boxes, budget=budget)
        converged, message = converged and kkt.converged, kkt.message or message
        rejected += [(f"stage {index + 1}{where}: {c}", r) for c, r in kkt.rejected]
        for cand in kkt.candidates:
            region = ctx.clean(sp.And(cand.conditions, carried.xreplace(cand.values), unreduced.xreplace(cand.values)))
            if region is sp.false:
                rejected.append((f"stage {index + 1}{where}: {cand.label}", "the branch conditions fail there"))
                continue
            label = cand.label + (f"; then {branch.label}" if branch.label else "")
            optimality = {**branch.optimality, **cand.optimality}
            if unreduced is not sp.true:
                optimality[stage.name] = "local: branch condition not reducible to bounds; global optimality not proved"
            new = branch.substituted(cand.values, region, label, optimality=optimality, steps=branch.steps + cand.steps)
            new.values = {a: tidy(v, budget) for a, v in new.values.items()}
            new.origin = origin
            candidates.append(new)
    several = len(later) > 1 or isinstance(later[0].condition, sp.Or)
    if len(candidates) > 1 and (several or not all_concave):
        candidates = _best_of(stage, candidates, ctx, log, partitioned)
    if several:
        text = (
            "global: payoff concave within each branch of later play; branches compared"
            if all_concave
            else "local: not concave within every branch of later play (or a branch condition is not "
            "reducible to bounds); the best KKT candidate of each branch is chosen, global optimality not proved"
        )
        for c in candidates:
            c.optimality[stage.name] = text
    return candidates, rejected, converged, message


def _merge_branches(branches: list[Branch], ctx: Assumptions) -> list[Branch]:
    """Fold a branch valid only on an equation (e.g. ``w = 0``) into a neighbour that agrees there.

    The Stackelberg-style corner ``e = 0 if w = 0`` next to the interior ``e = w if w != 0``
    is one policy ``e = w``; keeping them apart would hide that it is smooth.
    """
    out = list(branches)
    for thin in list(out):
        cond = thin.condition
        if not isinstance(cond, sp.Eq):
            continue
        syms = sorted(cond.free_symbols, key=str)
        solved = sp.solve(cond, syms[0], dict=True) if syms else []
        if len(solved) != 1:
            continue
        for wide in out:
            if wide is thin or wide.payoffs is not None or thin.payoffs is not None:
                continue
            same = all(
                sp.simplify(wide.values[a].xreplace(solved[0]) - thin.values[a].xreplace(solved[0])) == 0
                for a in thin.values
                if a in wide.values
            )
            if same and set(thin.values) <= set(wide.values):
                wide.condition = ctx.clean(sp.Or(wide.condition, cond))
                out = [b for b in out if b is not thin]
                break
    return out


def _split_disjunctions(branches: list[Branch]) -> list[Branch]:
    """One branch per conjunction of the disjunctive normal form of its condition."""
    out = []
    for b in branches:
        terms = disjuncts(b.condition) if isinstance(b.condition, sp.Or) else None
        if not terms:
            out.append(b)
            continue
        out += [replace(b, condition=sp.And(*t)) for t in terms]
    return out


def _best_of(
    stage: Player, candidates: list[Branch], ctx: Assumptions, log: DerivationLog, partitioned: set[int]
) -> list[Branch]:
    """Keep each candidate where it beats every other candidate that is feasible there.

    Candidates from the same branch of later play whose payoff is concave there have
    disjoint regions already (the KKT cases partition them), so they are not compared.
    """
    value = [sp.simplify(c.value(stage)) for c in candidates]
    regions = []
    for i, cand in enumerate(candidates):
        clauses = [cand.condition]
        for j, other in enumerate(candidates):
            if j == i or (other.origin == cand.origin and cand.origin in partitioned):
                continue
            if ctx.clean(sp.And(cand.condition, other.condition)) is sp.false:
                continue  # never feasible together
            better = ctx.clean(sp.Ge(value[i], value[j]))
            if better is sp.true:
                continue
            # i is chosen only where j is infeasible or no better
            clauses.append(better if other.condition is sp.true else sp.Or(sp.Not(other.condition), better))
        regions.append(sp.And(*clauses) if len(clauses) > 1 else clauses[0])
    kept = []
    for cand, region, v in zip(candidates, regions, value, strict=True):
        log.add(
            "compare",
            f"{stage.name} compares candidate '{cand.label}' with the others",
            sp.Eq(sp.Symbol("V"), v),
            region,
            note="dropped: another candidate is always better" if region is sp.false else "",
        )
        if region is not sp.false:
            cand.condition = region
            kept.append(cand)
    return kept


def _bounds_from(
    condition: sp.Boolean, actions: Sequence[sp.Symbol]
) -> tuple[dict[sp.Symbol, Box], sp.Boolean, sp.Boolean]:
    """Split a branch condition into bounds on ``actions``, the rest, and unreducible parts."""
    boxes = {a: Box.of(a) for a in actions}
    if not isinstance(condition, Relational) and condition not in (sp.true, sp.false):
        condition = sp.to_nnf(condition, simplify=False)  # push negations into the inequalities
    carried: list[sp.Boolean] = []
    unreduced: list[sp.Boolean] = []
    for clause in _conjuncts(condition):
        involved = [a for a in actions if a in clause.free_symbols]
        if not involved:
            carried.append(clause)
            continue
        bounds = _linear_bounds(clause, involved[0]) if len(involved) == 1 else None
        if bounds is None:
            unreduced.append(clause)
            continue
        for a, side, b in bounds:
            boxes[a] = boxes[a].tightened(lowers=[b]) if side == "lower" else boxes[a].tightened(uppers=[b])
    return boxes, sp.And(*carried), sp.And(*unreduced)


def _conjuncts(condition: sp.Boolean) -> Iterable[sp.Boolean]:
    if condition is sp.true:
        return ()
    return condition.args if isinstance(condition, sp.And) else (condition,)


def _linear_bounds(clause: sp.Boolean, action: sp.Symbol) -> list[tuple[sp.Symbol, str, Bound]] | None:
    """Bounds on ``action`` equivalent to a clause linear in it (``None`` if it is not)."""
    if not isinstance(clause, Relational) or isinstance(clause, sp.Ne):
        return None
    diff = sp.expand(clause.rhs - clause.lhs if isinstance(clause, (sp.Lt, sp.Le)) else clause.lhs - clause.rhs)
    if not diff.is_polynomial(action) or sp.Poly(diff, action).degree() != 1:
        return None
    slope, rest = sp.Poly(diff, action).all_coeffs()
    at = sp.simplify(-rest / slope)
    if isinstance(clause, sp.Eq):
        return [(action, "lower", Bound(at, True)), (action, "upper", Bound(at, True))]
    if slope.is_positive:
        side = "lower"
    elif slope.is_negative:
        side = "upper"
    else:
        return None
    return [(action, side, Bound(at, isinstance(clause, (sp.Ge, sp.Le))))]


def _piecewise(action: sp.Symbol, branches: list[Branch]) -> sp.Expr:
    pieces = [(b.values[action], b.condition) for b in branches]
    if len(pieces) == 1 and pieces[0][1] is sp.true:
        return pieces[0][0]
    return sp.Piecewise(*pieces)
