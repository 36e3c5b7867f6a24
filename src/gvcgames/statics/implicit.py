"""Comparative statics of equilibria defined implicitly by first-order conditions.

Let ``F(x, theta) = 0`` be ``n`` equations in ``n`` endogenous variables ``x`` (e.g. the
players' first-order conditions) and parameters ``theta``. If ``F`` is continuously
differentiable and the Jacobian ``D_x F`` is nonsingular at a solution ``(x0, theta0)``,
the implicit function theorem gives a unique differentiable solution ``x(theta)`` near
``theta0`` with

    dx/dtheta = -(D_x F)^{-1} D_theta F        (Rudin 1976, Thm. 9.28).

:func:`implicit_statics` derives this matrix symbolically (in ``x`` and ``theta``) and,
given parameter values, evaluates it numerically, solving ``F = 0`` for ``x`` with scipy
when no values of ``x`` are given. Where ``D_x F`` is singular the theorem does not apply,
and the error says so and where.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from gvcgames.budget import time_budget
from gvcgames.display import SummaryDisplay, short
from gvcgames.errors import InvalidSpecError, InvalidValuesError, SymbolicTimeout
from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.symbols import Action
from gvcgames.statics.errors import NotAParameterError, SingularJacobianError


@dataclass(frozen=True)
class ImplicitStatics(SummaryDisplay):
    """``dx/dtheta`` from the implicit function theorem.

    Attributes
    ----------
    equations : tuple of sympy expressions
        ``F``, each meant as ``F_i = 0``.
    variables : tuple of symbols
        The endogenous ``x``.
    parameters : tuple of symbols
        The ``theta``.
    jacobian : sympy Matrix
        ``D_x F`` (n x n).
    parameter_jacobian : sympy Matrix
        ``D_theta F`` (n x k).
    derivatives : sympy Matrix or None
        ``-(D_x F)^{-1} D_theta F`` in ``x`` and ``theta`` (``None`` if ``symbolic=False`` or
        the symbolic inverse ran out of time).
    point : dict or None
        Parameter values and the solution ``x`` used for the numeric evaluation.
    values : numpy array or None
        The derivative matrix at ``point``.
    residual : float
        Max-norm of ``F`` at ``point`` (``nan`` without a point).
    method : str
    """

    equations: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    parameters: tuple[sp.Symbol, ...]
    jacobian: sp.Matrix
    parameter_jacobian: sp.Matrix
    derivatives: sp.Matrix | None
    point: Mapping[sp.Symbol, float] | None = None
    values: np.ndarray | None = field(default=None, compare=False)
    residual: float = float("nan")
    method: str = "implicit function theorem"

    def _index(self, x: Any, theta: Any) -> tuple[int, int]:
        xs = {v: i for i, v in enumerate(self.variables)} | {v.name: i for i, v in enumerate(self.variables)}
        ts = {v: j for j, v in enumerate(self.parameters)} | {v.name: j for j, v in enumerate(self.parameters)}
        if x not in xs:
            raise InvalidSpecError(f"{x} is not an endogenous variable; variables: {[str(v) for v in self.variables]}")
        if theta not in ts:
            raise NotAParameterError(f"{theta} is not among the parameters {[str(v) for v in self.parameters]}")
        return xs[x], ts[theta]

    def derivative(self, x: Any, theta: Any) -> sp.Expr:
        """``dx/dtheta`` as an expression in the variables and parameters."""
        i, j = self._index(x, theta)
        if self.derivatives is None:
            raise InvalidSpecError("no symbolic derivative was computed (symbolic=False or it timed out)")
        return self.derivatives[i, j]

    def value(self, x: Any, theta: Any) -> float:
        """``dx/dtheta`` at the point."""
        i, j = self._index(x, theta)
        if self.values is None:
            raise InvalidValuesError("no point was given: call implicit_statics(..., at={...}) to evaluate")
        return float(self.values[i, j])

    def sign(self, x: Any, theta: Any, assumptions: Assumptions | None = None) -> Sign:
        """Sign of ``dx/dtheta`` proved for *every* value of the variables in their domains.

        The variables range over their whole domains (the solution lies in them), so a sign
        proved here holds at every solution; ``UNKNOWN`` if not shown.
        """
        ctx = assumptions if assumptions is not None else Assumptions()
        return ctx.sign(self.derivative(x, theta))

    def summary(self) -> str:
        lines = [f"Implicit function theorem: d({', '.join(map(str, self.variables))})/d(theta)"]
        lines.append("  F = " + ", ".join(short(f) for f in self.equations) + "  (= 0)")
        for i, x in enumerate(self.variables):
            for j, t in enumerate(self.parameters):
                sym = short(self.derivatives[i, j]) if self.derivatives is not None else "(not derived)"
                num = f" = {self.values[i, j]:.6g}" if self.values is not None else ""
                lines.append(f"  d{x}/d{t} = {sym}{num}")
        if self.point is not None:
            lines.append("  at " + ", ".join(f"{s} = {v:.6g}" for s, v in self.point.items()))
            lines.append(f"  residual |F| = {self.residual:.2g}")
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        rows = []
        for i, x in enumerate(self.variables):
            for j, t in enumerate(self.parameters):
                body = sp.latex(self.derivatives[i, j]) if self.derivatives is not None else r"\text{numeric}"
                num = f" = {self.values[i, j]:.6g}" if self.values is not None else ""
                rows.append(f"\\frac{{\\partial {sp.latex(x)}}}{{\\partial {sp.latex(t)}}} &= {body}{num}")
        return "$\\begin{aligned}" + r" \\ ".join(rows) + "\\end{aligned}$"


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if isinstance(value, sp.MatrixBase):
        return tuple(value)
    return (value,)


def _equations(F: Any) -> tuple[sp.Expr, ...]:
    out = []
    for i, f in enumerate(_as_tuple(F)):
        try:
            f = sp.sympify(f, strict=True)
        except (sp.SympifyError, TypeError) as exc:
            raise InvalidSpecError(f"equation {i + 1} is not a sympy expression: {f!r}") from exc
        if isinstance(f, sp.Equality):
            f = f.lhs - f.rhs
        if not isinstance(f, sp.Expr):
            raise InvalidSpecError(f"equation {i + 1} must be an expression F_i (meaning F_i = 0) or an Eq, got {f!r}")
        out.append(f)
    if not out:
        raise InvalidSpecError("the system F has no equations")
    return tuple(out)


def implicit_statics(
    F: Any,
    x: Any,
    theta: Any,
    at: Mapping[Any, Any] | None = None,
    *,
    x0: Mapping[Any, float] | Sequence[float] | None = None,
    symbolic: bool = True,
    tol: float = 1e-10,
    time_budget_s: float | None = None,
) -> ImplicitStatics:
    """``dx/dtheta = -(D_x F)^{-1} D_theta F`` for a system ``F(x, theta) = 0``.

    Parameters
    ----------
    F : expression, Eq, or sequence of them
        The equations (``F_i`` means ``F_i = 0``), e.g. first-order conditions.
    x : symbol or sequence of symbols
        The endogenous variables, one per equation.
    theta : symbol or sequence of symbols
        The parameters to differentiate with respect to.
    at : mapping, optional
        Numbers for the parameters (keys: symbols or names), and optionally for ``x``. When
        ``x`` is missing it is found by solving ``F = 0`` with scipy from ``x0``.
    x0 : mapping or sequence, optional
        Starting point for the numeric solve (default: the middle of each variable's
        domain, or 1 on unbounded domains).
    symbolic : bool
        Derive the symbolic matrix (set ``False`` for large systems; the numeric value
        only needs ``D_x F`` at the point).
    tol : float
        Accepted residual of the numeric solve and threshold for a singular Jacobian.
    time_budget_s : float, optional
        Seconds allowed to the symbolic inverse (default: ``gg.settings.time_budget``; at most
        5 s for a single equation, whose derivatives are then left to the numeric values).

    Returns
    -------
    ImplicitStatics

    Raises
    ------
    SingularJacobianError
        If ``D_x F`` is singular identically or at the point: the theorem does not apply.
    NotAParameterError
        If a ``theta`` is one of the variables ``x`` or an action.
    InvalidSpecError, InvalidValuesError
        For malformed systems, missing values, or a numeric solve that fails.

    Examples
    --------
    The first-order condition ``a exp(-e) - c e = 0`` has no closed form in ``e``:

    >>> import gvcgames as gg
    >>> import sympy as sp
    >>> a, c = gg.parameters("a c", positive=True)
    >>> e = gg.actions("e", nonnegative=True)
    >>> res = implicit_statics(a * sp.exp(-e) - c * e, e, a, at={a: 2, c: 1})
    >>> res.derivative(e, a)
    1/(a + c*exp(e))
    >>> round(res.value(e, a), 5), res.sign(e, a)
    (0.23011, <Sign.POSITIVE: '> 0'>)
    """
    equations = _equations(F)
    variables = _as_tuple(x)
    params = _as_tuple(theta)
    for v in variables:
        if not isinstance(v, sp.Symbol):
            raise InvalidSpecError(f"endogenous variable {v!r} must be a sympy symbol (e.g. a gg.actions symbol)")
    if len(set(variables)) != len(variables):
        raise InvalidSpecError(f"the variables {list(variables)} list a symbol twice")
    if len(equations) != len(variables):
        raise InvalidSpecError(
            f"the system has {len(equations)} equations for {len(variables)} unknowns {[str(v) for v in variables]}; "
            "the implicit function theorem needs as many equations as unknowns"
        )
    for t in params:
        if not isinstance(t, sp.Symbol):
            raise NotAParameterError(f"theta {t!r} is not a symbol; differentiate with respect to a parameter")
        if t in variables:
            raise NotAParameterError(
                f"{t} is an endogenous variable of the system, not a parameter; variables: {list(variables)}"
            )
        if isinstance(t, Action):
            raise NotAParameterError(
                f"{t} is an action (chosen in equilibrium), not a parameter; differentiate with respect to a parameter"
            )
    J = sp.Matrix(equations).jacobian(sp.Matrix(variables))
    Jt = sp.Matrix(equations).jacobian(sp.Matrix(params))
    derivatives = _symbolic_derivatives(J, Jt, variables, time_budget_s) if symbolic else None
    if at is None:
        return ImplicitStatics(equations, variables, params, J, Jt, derivatives)
    point, residual = _solve_point(equations, variables, at, x0, tol)
    values = _numeric_derivatives(J, Jt, variables, point, tol)
    return ImplicitStatics(equations, variables, params, J, Jt, derivatives, point, values, residual)


# One equation needs no inverse, only -F_theta/F_x; when sympy cannot simplify that ratio in a
# few seconds the raw ratio is too large for sign proofs as well (minutes each), so give up early
# and let callers use its numeric values (RO's FOC in the primitives: 30 s -> 5 s).
_SINGLE_EQUATION_BUDGET_S = 5.0


def _symbolic_derivatives(
    J: sp.Matrix, Jt: sp.Matrix, variables: tuple[sp.Symbol, ...], budget: float | None
) -> sp.Matrix | None:
    single = J.shape == (1, 1)
    cap = time_budget(_SINGLE_EQUATION_BUDGET_S, "implicit function theorem (-F_t/F_x)") if single else nullcontext()
    try:
        with time_budget(budget, "implicit function theorem (symbolic inverse)"), cap:
            det = sp.cancel(sp.together(J.det(method="berkowitz")))
            if det.is_zero or sp.simplify(det) == 0:
                raise SingularJacobianError(
                    f"the Jacobian D_x F with respect to {[str(v) for v in variables]} is singular for every value "
                    f"(det = 0): the equations do not pin down x locally, so the implicit function theorem does not "
                    f"apply anywhere; D_x F = {sp.sstr(J)}"
                )
            inverse = J.adjugate() / det
            return (-inverse * Jt).applyfunc(lambda v: _shortest(sp.cancel(sp.together(v))))
    except SymbolicTimeout:
        return None


def _shortest(expr: sp.Expr) -> sp.Expr:
    try:
        factored = sp.factor(expr)
    except (sp.PolynomialError, NotImplementedError):
        return expr
    return factored if sp.count_ops(factored) <= sp.count_ops(expr) else expr


def _by_symbol(values: Mapping[Any, Any], symbols: set[sp.Symbol]) -> dict[sp.Symbol, float]:
    names = {s.name: s for s in symbols}
    out: dict[sp.Symbol, float] = {}
    for key, value in values.items():
        sym = names.get(key) if isinstance(key, str) else key
        if sym is None or sym not in symbols:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise InvalidValuesError(f"value of {sym} is not a number: {value!r}") from exc
        if not np.isfinite(number):
            raise InvalidValuesError(f"value of {sym} is not finite: {value!r}")
        out[sym] = number
    return out


def _solve_point(
    equations: tuple[sp.Expr, ...],
    variables: tuple[sp.Symbol, ...],
    at: Mapping[Any, Any],
    x0: Mapping[Any, float] | Sequence[float] | None,
    tol: float,
) -> tuple[dict[sp.Symbol, float], float]:
    symbols = set().union(*(f.free_symbols for f in equations)) | set(variables)
    given = _by_symbol(at, symbols)
    params = sorted((s for s in symbols if s not in variables), key=str)
    missing = [str(s) for s in params if s not in given]
    if missing:
        raise InvalidValuesError(f"values for {missing} are needed to evaluate the implicit derivative")
    fixed = {s: v for s, v in given.items() if s not in variables}
    known = [v for v in variables if v in given]
    if len(known) == len(variables):
        point = dict(fixed) | {v: given[v] for v in variables}
    else:
        reduced = [f.xreplace({s: sp.Float(v) for s, v in fixed.items()}) for f in equations]
        func = sp.lambdify([list(variables)], reduced, modules="numpy")
        jac = sp.lambdify([list(variables)], sp.Matrix(reduced).jacobian(sp.Matrix(variables)), modules="numpy")
        start = _start(variables, given, x0)
        solution = _root(func, jac, start, variables, tol)
        if solution is None:
            where = {str(k): v for k, v in fixed.items()}
            raise InvalidValuesError(
                f"could not solve F = 0 for {[str(v) for v in variables]} at {where} "
                f"from {[float(z) for z in start]}; pass the solution in `at` or a better start x0"
            )
        point = dict(fixed) | {v: float(z) for v, z in zip(variables, solution, strict=True)}
    numbers = {s: sp.Float(v) for s, v in point.items()}
    residual = max(abs(float(f.xreplace(numbers))) for f in equations)
    return point, residual


def _numeric_bounds(variable: sp.Symbol) -> tuple[float, float]:
    domain = getattr(variable, "domain", sp.Reals)
    lo = float(domain.inf) if domain.inf.is_number and domain.inf.is_finite else -np.inf
    hi = float(domain.sup) if domain.sup.is_number and domain.sup.is_finite else np.inf
    return lo, hi


def _root(func: Any, jac: Any, start: np.ndarray, variables: tuple[sp.Symbol, ...], tol: float) -> np.ndarray | None:
    """A zero of ``func`` inside the variables' domains: bracketing in one bounded dimension, else hybrid
    Powell from the start and a few points spread over the domain."""

    def residual(z: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(func(z), dtype=float)

    bounds = [_numeric_bounds(v) for v in variables]
    accept = max(tol, 1e-8)

    def inside(z: np.ndarray) -> bool:
        return all(lo <= zi <= hi for zi, (lo, hi) in zip(z, bounds, strict=True))

    if len(variables) == 1 and all(np.isfinite(bounds[0])):
        lo, hi = bounds[0]
        width = hi - lo
        grid = np.linspace(lo + 1e-12 * width, hi - 1e-12 * width, 257)
        values = np.array([residual(np.array([g]))[0] for g in grid])
        changes = np.flatnonzero(np.isfinite(values[:-1]) & np.isfinite(values[1:]) & (values[:-1] * values[1:] <= 0))
        if changes.size:
            i = changes[np.argmin(np.abs(grid[changes] - start[0]))]
            if values[i] == 0:
                return np.array([grid[i]])
            root = optimize.brentq(lambda z: residual(np.array([z]))[0], grid[i], grid[i + 1], xtol=1e-15)
            return np.array([root])
    starts = [start]
    for share in (0.25, 0.5, 0.75):
        starts.append(
            np.array(
                [
                    lo + share * (hi - lo)
                    if np.isfinite(lo) and np.isfinite(hi)
                    else (lo + share if np.isfinite(lo) else share)
                    for lo, hi in bounds
                ]
            )
        )
    for guess in starts:
        sol = optimize.root(residual, guess, jac=lambda z: np.asarray(jac(z), dtype=float))
        if np.all(np.isfinite(sol.x)) and np.max(np.abs(residual(sol.x))) <= accept and inside(sol.x):
            return np.asarray(sol.x, dtype=float)
    return None


def _start(
    variables: tuple[sp.Symbol, ...], given: Mapping[sp.Symbol, float], x0: Mapping[Any, float] | Sequence[float] | None
) -> np.ndarray:
    if x0 is not None:
        if isinstance(x0, Mapping):
            named = _by_symbol(x0, set(variables))
            return np.array([named.get(v, 1.0) for v in variables], dtype=float)
        return np.asarray(list(x0), dtype=float)
    out = []
    for v in variables:
        if v in given:
            out.append(given[v])
            continue
        domain = getattr(v, "domain", sp.Reals)
        lo, hi = domain.inf, domain.sup
        if lo.is_finite and hi.is_finite and lo.is_number and hi.is_number:
            out.append(float((lo + hi) / 2))
        elif lo.is_finite and lo.is_number:
            out.append(float(lo) + 1.0)
        elif hi.is_finite and hi.is_number:
            out.append(float(hi) - 1.0)
        else:
            out.append(1.0)
    return np.array(out, dtype=float)


def _numeric_derivatives(
    J: sp.Matrix, Jt: sp.Matrix, variables: tuple[sp.Symbol, ...], point: Mapping[sp.Symbol, float], tol: float
) -> np.ndarray:
    numbers = {s: sp.Float(v) for s, v in point.items()}
    Jn = np.array(J.xreplace(numbers).evalf(), dtype=float)
    Jtn = np.array(Jt.xreplace(numbers).evalf(), dtype=float)
    where = ", ".join(f"{s} = {v:.6g}" for s, v in point.items())
    if not np.all(np.isfinite(Jn)):
        raise SingularJacobianError(
            f"D_x F is not finite at {where}; the implicit function theorem does not apply there"
        )
    scale = max(1.0, float(np.max(np.abs(Jn))))
    singular_values = np.linalg.svd(Jn, compute_uv=False)
    if singular_values[-1] <= tol * scale:
        _, _, vh = np.linalg.svd(Jn)
        direction = ", ".join(f"{c:+.3g} d{v}" for c, v in zip(vh[-1], variables, strict=True))
        raise SingularJacobianError(
            f"D_x F is singular at {where} (smallest singular value {singular_values[-1]:.2g}): the implicit "
            f"function theorem does not apply there; the direction {direction} is not determined by the equations"
        )
    return -np.linalg.solve(Jn, Jtn)


def first_order_conditions(game: Any) -> tuple[tuple[sp.Expr, ...], tuple[sp.Symbol, ...]]:
    """Interior first-order conditions of a simultaneous game: ``(F, x)`` with ``F_i = du_i/dx_i``.

    Examples
    --------
    >>> from gvcgames.models import hold_up
    >>> F, x = first_order_conditions(hold_up())
    >>> F
    (-x*w + beta*theta_S, -y + theta_L*(1 - beta))
    """
    players = getattr(game, "players", None)
    if not players or any(getattr(p, "payoff", None) is None for p in players) or hasattr(game, "stages"):
        raise InvalidSpecError(
            "first_order_conditions needs a simultaneous ContinuousGame with a payoff per player, "
            f"got {type(game).__name__}"
        )
    equations, variables = [], []
    for player in players:
        for action in player.actions:
            equations.append(sp.diff(player.payoff, action))
            variables.append(action)
    return tuple(equations), tuple(variables)
