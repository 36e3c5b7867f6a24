"""Forms of a comparative-statics derivative: by the implicit function theorem, tidied, and in equilibrium terms.

Used by :mod:`gvcgames.statics.comparative`, which re-exports :func:`equilibrium_form`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sympy as sp

from gvcgames.budget import time_budget
from gvcgames.errors import InvalidSpecError, SymbolicTimeout
from gvcgames.results import Equilibrium
from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.statics.certificates import SignAnalysis, clean_condition
from gvcgames.statics.errors import SingularJacobianError
from gvcgames.statics.outcomes import Outcome
from gvcgames.statics.region import Prover


def _tidy(expr: sp.Expr) -> sp.Expr:
    """The shortest of the expression, its factored and its cancelled forms."""
    expr = sp.sympify(expr)
    options = []
    try:
        with time_budget(None, "tidying a derivative"):
            options.append(_minus_into_sum(sp.factor(sp.together(expr))))
            options.append(sp.cancel(sp.together(expr)))
    except (SymbolicTimeout, sp.PolynomialError, NotImplementedError):
        pass
    return min([*options, expr], key=sp.count_ops)  # the first of the shortest: factored on ties


def _minus_into_sum(expr: sp.Expr) -> sp.Expr:
    """``-D*(2*e - 1)/F`` -> ``D*(1 - 2*e)/F``: move a leading minus into one sum factor."""
    if not isinstance(expr, sp.Mul) or not expr.could_extract_minus_sign():
        return expr
    factors = list(expr.args)
    for i, f in enumerate(factors):
        if isinstance(f, sp.Add):
            factors[i] = sp.expand(-f)
            rest = sp.Mul(*factors[:i], *factors[i + 1 :])
            return sp.Mul(-rest, factors[i])
    return expr


def _ift_derivative(eq: Any, out: Outcome, param: Parameter) -> sp.Expr:
    game = eq.game if isinstance(eq, Equilibrium) else None
    if game is None or hasattr(game, "stages") or not hasattr(game, "players"):
        raise InvalidSpecError(
            "method='ift' needs an equilibrium of a simultaneous ContinuousGame (its first-order conditions); "
            "use method='direct' for sequential or finite games"
        )
    strategies = {a: sp.sympify(v) for a, v in eq.strategies.items()}
    at_eq = dict(strategies)
    interior: list[tuple[Action, sp.Expr]] = []
    rates: dict[sp.Symbol, sp.Expr] = {}
    for player in game.players:
        for action in player.actions:
            v = strategies[action]
            if any(sp.simplify(v - end) == 0 for end in (action.lower, action.upper) if end.is_finite):
                rates[action] = sp.diff(v, param)  # a corner: the bound moves with the parameter
            else:
                interior.append((action, sp.diff(player.payoff, action)))
    if interior:
        xs = [a for a, _ in interior]
        F = sp.Matrix([f for _, f in interior])
        J = F.jacobian(sp.Matrix(xs)).xreplace(at_eq)
        rhs = sp.Matrix([sp.diff(f, param) + sum(sp.diff(f, c) * r for c, r in rates.items()) for f in F])
        rhs = rhs.xreplace(at_eq)
        det = sp.simplify(J.det())
        if det == 0:
            raise SingularJacobianError(
                f"the Jacobian of the first-order conditions in {[a.name for a in xs]} is singular at this "
                f"equilibrium (det = 0): the implicit function theorem does not apply there; D_x F = {sp.sstr(J)}"
            )
        solved = -(J.adjugate() * rhs) / det
        for a, d in zip(xs, solved, strict=True):
            rates[a] = sp.cancel(sp.together(d))
    if out.kind == "payoff":
        h = game.player(out.player).payoff
    elif out.kind in ("strategy", "derived"):
        h = out.expr
    else:
        h = None
    if h is None:
        raise InvalidSpecError(f"method='ift' does not apply to outcome {out.name!r}")
    total = sp.diff(h, param) + sum(sp.diff(h, a) * rates[a] for a in strategies if a in h.free_symbols)
    return total.xreplace(at_eq)


# --- conditions in equilibrium terms -----------------------------------------------------------


def equilibrium_form(
    analysis: SignAnalysis, derivative: sp.Expr, eq: Any, ctx: Assumptions | Prover
) -> tuple[dict[Sign, sp.Boolean], sp.Expr | None]:
    """Rewrite sign conditions (and the derivative) in equilibrium values of actions.

    For an action ``a`` with equilibrium value ``a* = s(theta)`` and a parameter ``q`` with
    a unique solution ``q = h(a*, theta')`` of that equation, every expression in
    ``theta`` equals one in ``(a*, theta')``. Candidates are ranked by the size of the
    deciding factor after the rewrite (factors of proved sign dropped); the best one is
    kept only if its conditions are much shorter than the original ones. Only equilibrium
    values that are products of powers are tried (sums rarely give shorter conditions). E.g. for
    ``e* = m p D/(c Fbar)`` the condition ``Fbar c > 2 D m p`` becomes ``e < 1/2``.
    Returns ``({}, None)`` when no rewrite helps.
    """
    conditions = analysis.conditions
    undecided = {s: c for s, c in conditions.items() if c not in (sp.true, sp.false)}
    strategies = getattr(eq, "strategies", None)
    if not undecided or not analysis.deciding or not isinstance(strategies, Mapping):
        return {}, None
    deciding = sp.Mul(*analysis.deciding)
    try:
        with time_budget(None, "conditions in equilibrium terms"):
            candidates: list[tuple[int, Action, sp.Symbol, sp.Expr]] = []
            for action, value in strategies.items():
                if not isinstance(action, Action):
                    continue
                value = sp.sympify(value)
                if value.has(sp.Piecewise, sp.Min, sp.Max) or isinstance(sp.factor(value), sp.Add):
                    continue  # only products (like m p D/(c Fbar)) give shorter conditions
                for q in sorted(value.free_symbols & deciding.free_symbols, key=str):
                    h = _inverse(action, value, q)
                    if h is None:
                        continue
                    size = _deciding_size(deciding.xreplace({q: h}), ctx)
                    if size is not None:
                        candidates.append((size, action, q, h))
            if not candidates:
                return {}, None
            smallest = min(c[0] for c in candidates)
            ranked = [(_tidy(derivative.xreplace({c[2]: c[3]})), c) for c in candidates if c[0] == smallest]
            new_derivative, (_, action, q, h) = min(ranked, key=lambda item: _size(item[0]))
            out = {}
            for sign, cond in undecided.items():
                new = clean_condition(ctx, cond.xreplace({q: h}))
                if q in new.free_symbols or action not in new.free_symbols:
                    return {}, None
                out[sign] = new
            if 2 * sum(_size(c) for c in out.values()) > sum(_size(c) for c in undecided.values()):
                return {}, None  # not clearly simpler than the conditions in parameters
            return out, new_derivative
    except (SymbolicTimeout, sp.PolynomialError, NotImplementedError):
        return {}, None


def _size(expr: Any) -> int:
    return int(sp.count_ops(expr)) + len(expr.free_symbols)


def _inverse(action: Action, value: sp.Expr, q: sp.Symbol) -> sp.Expr | None:
    """``h`` with ``q = h(a, ...)`` iff ``a = value``, when ``value - a`` is linear-fractional in ``q``."""
    num, _den = sp.fraction(sp.together(value - action))
    poly = sp.Poly(num, q)
    if poly.degree() != 1:
        return None
    slope, rest = poly.coeff_monomial(q), poly.coeff_monomial(1)
    if slope.is_zero:
        return None
    h = sp.cancel(-rest / slope)
    if q in h.free_symbols:
        return None
    if not _is_zero(value.xreplace({q: h}) - action) or not _is_zero(h.xreplace({action: value}) - q):
        return None
    return h


def _is_zero(expr: sp.Expr) -> bool:
    return sp.cancel(sp.together(expr)) == 0


def _deciding_size(expr: sp.Expr, ctx: Assumptions | Prover) -> int | None:
    """Size of ``expr`` after dropping factors of proved strict sign."""
    num, den = sp.fraction(sp.factor(sp.together(expr)))
    kept = [f for f in sp.Mul.make_args(num) if not f.is_number and not ctx.sign(f).strict]
    kept += [f for f in sp.Mul.make_args(den) if not f.is_number and not ctx.sign(f).strict]
    return int(sum(sp.count_ops(f) + 1 for f in kept)) if kept else None
