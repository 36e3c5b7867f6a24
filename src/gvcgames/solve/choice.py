"""A final discrete choice seen from the earlier movers: branches of a lottery.

Without a private type the chooser picks the action with the highest payoff: one branch
per action, valid where that action is (weakly) best. With a private type ``T`` and two
actions, the chooser prefers action 1 iff ``u_1 - u_0 = alpha T + beta`` is positive:
a threshold rule at ``tau = -beta/alpha``, so ``P(action 1)`` is ``1 - F(tau)`` (or
``F(tau)`` if ``alpha < 0``). For a bounded support ``F`` is piecewise, and each piece
becomes a branch whose condition (e.g. ``0 < tau < Fbar``) is a condition on the
history, which earlier stages turn into bounds on their actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.budget import time_budget as limited
from gvcgames.errors import InvalidSpecError, SymbolicTimeout
from gvcgames.results import DerivationLog
from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.tree import Tree
from gvcgames.spec.uncertainty import Choice


@dataclass
class ChoiceBranch:
    """Play of the final choice as a function of the history, where ``condition`` holds."""

    condition: sp.Boolean
    label: str
    payoffs: dict[str, sp.Expr]
    outcomes: dict[str, sp.Expr] = field(default_factory=dict)


def outcome_name(choice: Choice, action: str) -> str:
    return f"Pr({choice.player}: {action})"


def choice_branches(choice: Any, ctx: Assumptions, log: DerivationLog, budget: float | None) -> list[ChoiceBranch]:
    """The branches of the final choice or game tree (see the module docstring)."""
    if isinstance(choice, Tree):
        return tree_branches(choice, ctx, log, budget)
    if choice.private_type is None:
        return _deterministic(choice, ctx, log)
    return _threshold(choice, ctx, log, budget)


def _deterministic(choice: Choice, ctx: Assumptions, log: DerivationLog) -> list[ChoiceBranch]:
    own = {a: choice.outcomes[a][choice.player] for a in choice.actions}
    branches = []
    for a in choice.actions:
        cond = ctx.clean(sp.And(*(sp.Ge(own[a], own[b]) for b in choice.actions if b != a)))
        log.add("best_response", f"{choice.player} chooses {a!r} where it pays at least as much as the others", cond)
        if cond is sp.false:
            continue
        probs = {outcome_name(choice, b): sp.Integer(int(b == a)) for b in choice.actions}
        branches.append(ChoiceBranch(cond, f"{choice.player}: {a}", dict(choice.outcomes[a]), probs))
    return branches


def _threshold(choice: Choice, ctx: Assumptions, log: DerivationLog, budget: float | None) -> list[ChoiceBranch]:
    if len(choice.actions) != 2:
        raise InvalidSpecError(
            f"{choice.player!r} has {len(choice.actions)} actions and a private type; only two actions with a "
            "private type are supported so far (a threshold rule)"
        )
    T, dist = choice.private_type  # type: ignore[misc]
    a0, a1 = choice.actions
    diff = sp.expand(choice.outcomes[a1][choice.player] - choice.outcomes[a0][choice.player])
    if not diff.is_polynomial(T) or sp.degree(diff, T) != 1:
        raise InvalidSpecError(
            f"{choice.player}'s gain from {a1!r} over {a0!r} must be linear in the private type {T} "
            f"(a threshold rule); got {diff}"
        )
    alpha = diff.coeff(T, 1)
    tau = sp.simplify(-(diff - alpha * T) / alpha)
    slope = ctx.sign(alpha)
    if slope not in (Sign.POSITIVE, Sign.NEGATIVE):
        raise InvalidSpecError(f"the sign of {alpha} (the effect of {T} on the gain from {a1!r}) is not known")
    cdf = dist.cdf(tau)
    p1 = 1 - cdf if slope == Sign.POSITIVE else cdf
    rule = f"{a1} iff {T} {'>' if slope == Sign.POSITIVE else '<'} {sp.sstr(tau)}"
    log.add(
        "best_response",
        f"{choice.player} observes {T} ~ {dist} and chooses {rule}",
        sp.Eq(sp.Symbol(f"tau_{{{choice.player}}}"), tau),
        sp.Eq(sp.Symbol(outcome_name(choice, a1)), p1),
    )
    branches = []
    for prob, cond in _pieces(sp.piecewise_fold(p1)):
        cond = ctx.clean(cond)
        if cond is sp.false:
            continue
        prob = sp.simplify(prob)
        payoffs = {}
        for player in choice.players:
            u0, u1 = choice.outcomes[a0][player], choice.outcomes[a1][player]
            if player == choice.player:
                payoffs[player] = _chooser_value(u0, u1, prob, T, tau, dist, slope, budget)
            elif T in u0.free_symbols | u1.free_symbols:
                raise InvalidSpecError(f"{player}'s payoff depends on {choice.player}'s private type {T}")
            else:
                payoffs[player] = (1 - prob) * u0 + prob * u1
        label = f"{outcome_name(choice, a1)} = {sp.sstr(prob)}"
        probs = {outcome_name(choice, a0): 1 - prob, outcome_name(choice, a1): prob}
        branches.append(ChoiceBranch(cond, label, payoffs, probs))
    return branches


def _pieces(expr: sp.Expr) -> list[tuple[sp.Expr, sp.Boolean]]:
    """Piecewise -> [(value, exclusive condition)], earlier pieces taking precedence."""
    if not isinstance(expr, sp.Piecewise):
        return [(expr, sp.true)]
    out, before = [], sp.false
    for value, cond in expr.args:
        out.append((value, sp.to_nnf(sp.And(cond, sp.Not(before)), simplify=False)))
        before = sp.Or(before, cond)
    return out


def _chooser_value(u0, u1, prob, T, tau, dist, slope, budget):  # type: ignore[no-untyped-def]
    """The chooser's expected payoff before the type is drawn (needed if they moved earlier)."""
    lo, hi = dist.support.inf, dist.support.sup
    f = dist.density(T)
    try:
        with limited(budget, "the chooser's expected payoff"):
            if prob == 0:
                return sp.simplify(sp.integrate(u0 * f, (T, lo, hi)))
            if prob == 1:
                return sp.simplify(sp.integrate(u1 * f, (T, lo, hi)))
            first, second = (u0, u1) if slope == Sign.POSITIVE else (u1, u0)
            density = f.args[0][0] if isinstance(f, sp.Piecewise) else f
            return sp.simplify(
                sp.integrate(first * density, (T, lo, tau)) + sp.integrate(second * density, (T, tau, hi))
            )
    except SymbolicTimeout:
        return sp.Integral(sp.Max(u0, u1) * f, (T, lo, hi))


def tree_branches(tree: Tree, ctx: Assumptions, log: DerivationLog, budget: float | None) -> list[ChoiceBranch]:
    """A final game tree's subgame-perfect plays as functions of the earlier actions."""
    from gvcgames.solve.tree import outcome_probabilities, play_label, tree_plays

    out = []
    for play in tree_plays(tree, ctx, log, budget):
        label, _ = play_label(tree, play.behaviour)
        outcomes = {k: v for k, v in outcome_probabilities(tree, play.behaviour).items()}
        out.append(ChoiceBranch(play.condition, label, dict(play.payoffs), outcomes))
    return out
