"""Symmetric equilibria with a symbolic number of players, and the cooperative benchmark.

The representative player's first-order condition ``du/dx (x, y)`` is evaluated on the
symmetric profile ``y = x`` (one deviator against ``N - 1`` identical others). Corners at
closed ends of the action set are KKT cases as in :mod:`gvcgames.solve.kkt`. The
equilibrium is a best response globally if ``u`` is concave in the own action; it is
the unique symmetric equilibrium if ``g(x) = du/dx (x, x)`` is strictly decreasing.
"""

from __future__ import annotations

import sympy as sp

from gvcgames.budget import time_budget as limited
from gvcgames.errors import NoEquilibriumError, SymbolicTimeout
from gvcgames.results import DerivationLog, Equilibrium, Solution
from gvcgames.solve.kkt import Box, tidy
from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.symmetric import SymmetricGame

METHOD = "symmetric KKT: one deviator against N - 1 identical others (symbolic)"


def solve_symmetric(game: SymmetricGame, time_budget: float | None = None) -> Solution:
    x, y = game.action, game.others
    ctx = Assumptions(game.assumptions.relations, time_budget)
    log = DerivationLog()
    log.add("game", f"Representative payoff with N = {game.N} players", sp.Eq(sp.Symbol("pi"), game.payoff))
    foc = sp.diff(game.payoff, x)
    g = sp.simplify(foc.xreplace({y: x}))
    log.add("foc", "First-order condition on the symmetric profile (others play x)", sp.Eq(foc.xreplace({y: x}), 0))
    own = ctx.sign(sp.diff(game.payoff, x, 2))
    concave = own in (Sign.NEGATIVE, Sign.NONPOSITIVE)
    slope = ctx.sign(sp.diff(g, x))
    unique = slope == Sign.NEGATIVE
    log.add(
        "soc",
        "Own concavity and uniqueness",
        sp.Eq(sp.Derivative(sp.Symbol("pi"), x, 2), sp.diff(game.payoff, x, 2)),
        sp.Eq(sp.Derivative(sp.Symbol("g"), x), sp.diff(g, x)),
        note=("payoff concave in own action (proved); " if concave else "concavity not proved; ")
        + ("g strictly decreasing: at most one symmetric equilibrium" if unique else "uniqueness not proved"),
    )
    box = Box.of(x)
    candidates: list[tuple[str, sp.Expr, list[sp.Boolean]]] = []
    rejected: list[tuple[str, str]] = []
    converged, message = True, ""
    try:
        with limited(time_budget, "solving the symmetric first-order condition"):
            roots = sp.solve(g, x)
    except (SymbolicTimeout, NotImplementedError) as exc:
        roots, converged, message = [], False, f"the symbolic route gave up on the interior case: {exc}"
    for r in roots:
        candidates.append(("interior", tidy(r, time_budget), box.contains(r, strict=True)))
    for b in box.lowers:
        if b.closed:
            candidates.append((f"{x} = {b.value}", b.value, [sp.Le(g.xreplace({x: b.value}), 0, evaluate=False)]))
    for b in box.uppers:
        if b.closed:
            candidates.append((f"{x} = {b.value}", b.value, [sp.Ge(g.xreplace({x: b.value}), 0, evaluate=False)]))
    equilibria = []
    for case, value, conds in candidates:
        region = ctx.clean(sp.And(*conds))
        if region is sp.false:
            log.add("rejected", f"Case {case} rejected", *conds)
            rejected.append((case, "its conditions are never satisfied: " + "; ".join(map(sp.sstr, conds))))
            continue
        if not concave and case == "interior":
            soc = ctx.clean(sp.Lt(sp.diff(game.payoff, x, 2).xreplace({x: value, y: value}), 0))
            if soc is sp.false:
                rejected.append((case, "second-order condition fails"))
                continue
            region = ctx.clean(sp.And(region, soc))
        log.add("conditions", f"Symmetric equilibrium, case {case}", sp.Eq(x, value), region)
        optimality = (
            "global: payoff concave in own action (proved)" if concave else "local: second-order condition only"
        )
        payoff = tidy(game.payoff.xreplace({x: value, y: value}), time_budget)
        equilibria.append(
            Equilibrium(
                {x: value},
                {"each player": payoff},
                region,
                METHOD,
                log.freeze(),
                case,
                {"each player": optimality},
                {x: value},
                game,
            )
        )
    if not equilibria and converged:
        raise NoEquilibriumError("no symmetric equilibrium: " + "; ".join(f"[{c}] {r}" for c, r in rejected))
    note = "unique symmetric equilibrium (g strictly decreasing)" if unique else "uniqueness not proved"
    return Solution(game, equilibria, METHOD, converged, message or note, log.freeze(), rejected=rejected)


def solve_cooperative(game: SymmetricGame, time_budget: float | None = None) -> Solution:
    """Joint action: maximise ``u(x, x)``, each player's payoff when all choose ``x``."""
    from gvcgames.spec.games import ContinuousGame

    x, y = game.action, game.others
    joint = game.payoff.xreplace({y: x})
    planner = ContinuousGame({"joint action": (x, joint)}, game.assumptions, name=f"{game.name}: cooperative optimum")
    return planner.solve(time_budget=time_budget)
