"""Nash equilibria of continuous simultaneous-move games, symbolically.

Method: the KKT case enumeration of :mod:`gvcgames.solve.kkt` over all players at once.
Each surviving case is an equilibrium candidate with the region where its KKT and
second-order conditions hold; when every player's payoff is concave in their own
actions the candidates are Nash equilibria (Karush-Kuhn-Tucker sufficiency).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import sympy as sp

from gvcgames.budget import time_budget as limited
from gvcgames.errors import MultipleEquilibriaWarning, NoEquilibriumError, SymbolicTimeout
from gvcgames.results import BestResponse, Derivation, DerivationLog, Equilibrium, Solution
from gvcgames.solve.kkt import Box, Problem, concavity, derivative_symbol, kkt_candidates, payoff_symbol, tidy
from gvcgames.spec.assumptions import Assumptions, Sign

if TYPE_CHECKING:
    from gvcgames.spec.games import ContinuousGame, Game

METHOD = "KKT case enumeration (symbolic)"


def log_game(game: Game, log: DerivationLog) -> None:
    """Record the set-up: payoffs, action domains, parameter domains, assumptions."""
    given = [sp.Eq(payoff_symbol(p.name), p.payoff) for p in game.players if p.payoff is not None]
    if given:
        log.add("game", "Payoffs", *given)
    choice = getattr(game, "choice", None)
    if choice is not None and not hasattr(choice, "outcomes"):
        from gvcgames.solve.tree import log_tree

        log_tree(choice, log)
    elif choice is not None:
        for action, pays in choice.outcomes.items():
            rows = [sp.Eq(payoff_symbol(p), v) for p, v in pays.items()]
            log.add("game", f"Payoffs when {choice.player} chooses {action!r}", *rows)
    log.add("game", "Action sets", *(sp.Contains(a, a.domain, evaluate=False) for a in game.actions))
    if game.parameters:
        log.add("game", "Parameter domains", *(sp.Contains(s, s.domain, evaluate=False) for s in game.parameters))
    if game.assumptions.relations:
        log.add("game", "Assumptions on parameters", *game.assumptions.relations)


def solve_continuous(game: ContinuousGame, time_budget: float | None = None) -> Solution:
    """All Nash equilibrium candidates of a continuous game with their regions.

    Parameters
    ----------
    game : ContinuousGame
    time_budget : float, optional
        Seconds per symbolic operation (default ``gg.settings.time_budget``).

    Returns
    -------
    Solution
        ``converged=False`` when a symbolic step gave up; the equilibria found so far
        are kept and ``message`` says which step.

    Raises
    ------
    NoEquilibriumError
        When every case was finished and none survived; the message lists why.
    """
    ctx = Assumptions(game.assumptions.relations, time_budget)
    log = DerivationLog()
    log_game(game, log)
    problems = [Problem(p.name, p.actions, p.payoff) for p in game.players]
    for prob in problems:
        log.add(
            "foc",
            f"First-order conditions of {prob.player}",
            *(sp.Eq(derivative_symbol(prob.player, a), sp.diff(prob.payoff, a)) for a in prob.actions),
        )
    responses = best_responses(game, time_budget, log=log)
    common = log.mark()
    kkt = kkt_candidates(problems, ctx, log, budget=time_budget)
    shared = log.freeze().steps[:common]
    equilibria = []
    for cand in kkt.candidates:
        payoffs = {p.name: tidy(p.payoff.xreplace(cand.values), time_budget) for p in game.players}
        equilibria.append(
            Equilibrium(
                strategies=cand.values,
                payoffs=payoffs,
                conditions=cand.conditions,
                method=METHOD,
                derivation=Derivation(tuple(shared) + kkt.preamble + cand.steps),
                case=cand.label,
                optimality=cand.optimality,
                policies=cand.values,
                game=game,
            )
        )
    continua = [eq.case for eq in equilibria if "continuum" in eq.case]
    if continua:
        warnings.warn(
            f"continua of equilibria (a free action parametrises each set): {'; '.join(continua)}",
            MultipleEquilibriaWarning,
            stacklevel=3,
        )
    if not equilibria and kkt.converged:
        raise NoEquilibriumError(_no_equilibrium_message(game, kkt.rejected, ctx))
    message = kkt.message or _message(equilibria)
    return Solution(
        game=game,
        equilibria=equilibria,
        method=METHOD,
        converged=kkt.converged,
        message=message,
        derivation=log.freeze(),
        best_responses=responses,
        rejected=kkt.rejected,
    )


def _message(equilibria: list[Equilibrium]) -> str:
    if not equilibria:
        return "the symbolic route gave up before finding an equilibrium"
    unproved = [eq.case for eq in equilibria if not eq.proved]
    continua = [eq.case for eq in equilibria if "continuum" in eq.case]
    if continua:
        return "includes continua of equilibria (" + "; ".join(continua) + "): the free actions parametrise them"
    if unproved:
        return (
            "global optimality is not proved for the candidates "
            + "; ".join(unproved)
            + " (payoffs not provably concave); check them with gg.is_equilibrium"
        )
    return "every equilibrium's optimality is proved (payoffs concave in own actions)"


def _no_equilibrium_message(game: Game, rejected: list[tuple[str, str]], ctx: Assumptions) -> str:
    reasons = "; ".join(f"[{case}] {why}" for case, why in rejected)
    hints = []
    for p in game.players:
        for a in p.actions:
            if a.upper == sp.oo and ctx.sign(sp.diff(p.payoff, a, 2)) in (Sign.POSITIVE, Sign.NONNEGATIVE):
                hints.append(f"{p.name}'s payoff is convex in {a} on an unbounded interval (it may be unbounded)")
            elif a.upper == sp.oo and ctx.sign(sp.diff(p.payoff, a)) == Sign.POSITIVE:
                hints.append(f"{p.name}'s payoff increases in {a} without bound (unbounded payoff)")
    hint = (" Likely cause: " + "; ".join(hints) + ".") if hints else ""
    return f"no equilibrium found in {game.name or 'the game'}: every KKT case was rejected: {reasons}.{hint}"


def best_responses(
    game: Game, time_budget: float | None = None, log: DerivationLog | None = None
) -> dict[str, BestResponse]:
    """Each player's best response to the others' actions.

    For one action with a payoff concave in it, the response is the interior solution of
    the first-order condition clipped to the action's interval, ``Min(Max(s, lo), hi)``.
    Otherwise the interior solutions are given with a note.
    """
    ctx = Assumptions(game.assumptions.relations, time_budget)
    out: dict[str, BestResponse] = {}
    for p in game.players:
        prob = Problem(p.name, p.actions, p.payoff)
        status, _ = concavity(prob, ctx)
        concave = status in (Sign.NONPOSITIVE, Sign.NEGATIVE)
        try:
            with limited(time_budget, f"best response of {p.name}"):
                sols = sp.solve([sp.diff(p.payoff, a) for a in p.actions], list(p.actions), dict=True)
        except (SymbolicTimeout, NotImplementedError) as exc:
            out[p.name] = BestResponse(p.name, p.actions, {}, note=f"not found symbolically: {exc}")
            continue
        complete = [s for s in sols if all(a in s for a in p.actions)]
        if len(complete) == 1 and len(p.actions) == 1 and concave:
            a = p.actions[0]
            response = {a: _clip(tidy(complete[0][a], time_budget), Box.of(a), ctx)}
            note = "payoff concave: interior solution clipped to the action interval"
        elif len(complete) == 1:
            response = {a: tidy(complete[0][a], time_budget) for a in p.actions}
            note = "interior solution of the first-order conditions; corners and global optimality not checked"
        else:
            response = {}
            note = f"{len(complete)} interior solutions of the first-order conditions; see the KKT cases"
        out[p.name] = BestResponse(p.name, p.actions, response, note)
        if log is not None and response:
            log.add(
                "best_response", f"Best response of {p.name}", *(sp.Eq(a, v) for a, v in response.items()), note=note
            )
    return out


def _clip(value: sp.Expr, box: Box, ctx: Assumptions) -> sp.Expr:
    """``Min(Max(value, lo), hi)``, leaving out the bounds that provably never bind."""
    for b in box.lowers:
        if ctx.decide(sp.Ge(value, b.value)) is not True:
            value = sp.Max(value, b.value)
    for b in box.uppers:
        if ctx.decide(sp.Le(value, b.value)) is not True:
            value = sp.Min(value, b.value)
    return value
