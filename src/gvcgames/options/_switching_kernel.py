"""Kernel of the switching problem: the four value-matching/smooth-pasting conditions and their numeric solution.

Used by :mod:`gvcgames.options.switching`, which builds the result classes and the front doors.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp
from scipy import optimize

from gvcgames.errors import InvalidValuesError
from gvcgames.options._inputs import as_input
from gvcgames.options.errors import InfiniteOptionValueError
from gvcgames.options.process import GBM
from gvcgames.results import DerivationLog

if TYPE_CHECKING:
    from gvcgames.options.switching import HysteresisBand

# Generic symbols of the symbolic conditions.
_x, _xh, _xl = sp.symbols("x x_H x_L", positive=True)
_A, _B = sp.symbols("A B")
_b1 = sp.Symbol("beta_1", positive=True)
_b2 = sp.Symbol("beta_2", negative=True)
_r, _sigma, _s = sp.symbols("r sigma s", positive=True)
_mu, _c, _ku, _kd = sp.symbols("mu c K_u K_d", real=True)
# Scaled unknowns of the numeric system.
_u, _v, _a, _bb = sp.symbols("u v a b", real=True)


@lru_cache(maxsize=1)
def _conditions() -> tuple[tuple[sp.Eq, ...], sp.Expr, sp.Expr]:
    """The four symbolic conditions and the two value functions, in generic symbols."""
    v0 = _A * _x**_b1
    v1 = _B * _x**_b2 + _s * _x / (_r - _mu) - _c / _r
    eqs = (
        sp.Eq(v0.subs(_x, _xh), v1.subs(_x, _xh) - _ku),
        sp.Eq(sp.diff(v0, _x).subs(_x, _xh), sp.diff(v1, _x).subs(_x, _xh)),
        sp.Eq(v1.subs(_x, _xl), v0.subs(_x, _xl) - _kd),
        sp.Eq(sp.diff(v1, _x).subs(_x, _xl), sp.diff(v0, _x).subs(_x, _xl)),
    )
    return eqs, v0, v1


@lru_cache(maxsize=1)
def _scaled_system() -> tuple[Any, Any]:
    """Residuals and Jacobian of the conditions in well-scaled unknowns, as numpy functions.

    Unknowns: ``x_H = S e^u``, ``x_L = S e^v``, ``A = M a x_H^(-beta_1)``,
    ``B = M b x_L^(-beta_2)`` with ``S = W_H`` and ``M = s S/(r - mu)``; value-matching
    equations are divided by ``M`` and smooth-pasting ones by ``s/(r - mu)``.
    """
    eqs, _, _ = _conditions()
    big_s, big_m = sp.symbols("S M", positive=True)
    subs = {
        _xh: big_s * sp.exp(_u),
        _xl: big_s * sp.exp(_v),
        _A: big_m * _a * (big_s * sp.exp(_u)) ** (-_b1),
        _B: big_m * _bb * (big_s * sp.exp(_v)) ** (-_b2),
    }
    unit = _s / (_r - _mu)
    residuals = []
    for i, eq in enumerate(eqs):
        expr = (eq.lhs - eq.rhs).subs(subs) / (big_m if i % 2 == 0 else unit)
        expr = sp.powsimp(sp.expand_power_base(sp.expand(expr), force=True), force=True)
        residuals.append(expr)
    unknowns = [_u, _v, _a, _bb]
    params = [_b1, _b2, _r, _mu, _s, _c, _ku, _kd, big_s, big_m]
    vec = sp.Matrix(residuals)
    jac = vec.jacobian(unknowns)
    return sp.lambdify([unknowns, params], vec, "numpy"), sp.lambdify([unknowns, params], jac, "numpy")


def _solve_band(
    cls: type[HysteresisBand],
    raw: dict[str, Any],
    *,
    labels: tuple[str, str],
    names: tuple[str, str],
    title: str,
    display: dict[str, str] | None = None,
) -> HysteresisBand:
    display = display or {}
    label = {k: display.get(k, k) for k in raw}
    values = {k: as_input(label[k], v) for k, v in raw.items()}
    symbolic = [label[k] for k, v in values.items() if v.free_symbols]
    if symbolic:
        raise InvalidValuesError(
            f"the switching thresholds have no closed form, so numbers are needed; {', '.join(symbolic)} "
            "is symbolic. The symbolic value-matching and smooth-pasting conditions are in the derivation "
            "of any numeric solution"
        )
    v = {k: float(x) for k, x in values.items()}
    r, mu, sigma, s, c, ku, kd = (v[k] for k in ("r", "mu", "sigma", "slope", "cost", "up_cost", "down_cost"))
    _check_inputs(r, mu, sigma, s, c, ku, kd, label)
    process = GBM(mu, sigma)
    b1_expr, b2_expr = process.roots(r)
    assert b2_expr is not None  # quadratic case: both roots exist
    b1, b2 = float(b1_expr), float(b2_expr)
    wh = (r - mu) * (c / r + ku) / s  # zero-NPV points of the one-sided problems (scaling, start)
    wl = (r - mu) * (c / r - kd) / s
    marshall_up, marshall_down = (c + r * ku) / s, (c - r * kd) / s
    log = DerivationLog()
    eqs, v0, v1 = _conditions()
    bq = sp.Symbol("b")
    log.add(
        "model",
        f"State x follows a geometric Brownian motion; '{labels[1]}' earns s x - c more than '{labels[0]}'; "
        "switching up costs K_u, switching back K_d",
        GBM(_mu, _sigma).sde(_x),
    )
    log.add(
        "ode",
        "In the waiting region of each regime the value solves (flow 0 in regime 0, s x - c in regime 1)",
        sp.Eq(
            _sigma**2 * _x**2 * sp.Function("V_0")(_x).diff(_x, 2) / 2
            + _mu * _x * sp.Function("V_0")(_x).diff(_x)
            - _r * sp.Function("V_0")(_x),
            0,
        ),
        sp.Eq(
            _sigma**2 * _x**2 * sp.Function("V_1")(_x).diff(_x, 2) / 2
            + _mu * _x * sp.Function("V_1")(_x).diff(_x)
            - _r * sp.Function("V_1")(_x)
            + _s * _x
            - _c,
            0,
        ),
    )
    log.add(
        "characteristic",
        "The trial solution x**b gives the characteristic equation",
        sp.Eq(GBM(_mu, _sigma).characteristic(bq, _r), 0),
    )
    log.add(
        "roots",
        "V_0 keeps only beta_1 > 1 (V_0 -> 0 as x -> 0); V_1 keeps only beta_2 < 0 (no bubble as x -> oo) "
        "plus the present value of s x - c",
        sp.Eq(sp.Symbol("V_0"), v0),
        sp.Eq(sp.Symbol("V_1"), v1),
    )
    log.add("value_matching", "Value matching at x_H (switch up) and x_L (switch back)", eqs[0], eqs[2])
    log.add("smooth_pasting", "Smooth pasting at x_H and x_L", eqs[1], eqs[3])
    numbers = {_r: r, _mu: mu, _sigma: sigma, _s: s, _c: c, _ku: ku, _kd: kd, _b1: b1, _b2: b2}
    log.add("substitute", "Parameter values and roots", *(sp.Eq(k, val) for k, val in numbers.items()))

    if kd >= c / r:
        upper = b1 / (b1 - 1) * wh
        a_coef = (s * upper / (r - mu) - c / r - ku) / upper**b1
        log.add(
            "case",
            "K_d >= c/r: switching back never pays (it costs more than the flow cost it saves), so B = 0 and "
            "x_L = 0; value matching and smooth pasting at x_H alone give",
            sp.Eq(_xh, sp.Float(upper, 15)),
        )
        return cls(
            upper=upper,
            lower=0.0,
            beta1=b1,
            beta2=b2,
            A=a_coef,
            B=0.0,
            breakeven_upper=marshall_up,
            breakeven_lower=marshall_down,
            switches_back=False,
            residual=0.0,
            process=process,
            r=r,
            slope=s,
            cost=c,
            up_cost=ku,
            down_cost=kd,
            method="closed form (switching back never pays)",
            message=f"{names[1]} never pays: its cost {kd:g} is at least the present value of the flow cost c/r = "
            f"{c / r:g}",
            derivation=log.freeze(),
            labels=labels,
            names=names,
            title=title,
        )

    fun, jac = _scaled_system()
    big_s = wh
    big_m = s * big_s / (r - mu)
    params = [b1, b2, r, mu, s, c, ku, kd, big_s, big_m]
    solution, how = _root(fun, jac, params, b1, b2, wh, wl)
    if solution is None:
        raise InvalidValuesError(  # pragma: no cover - the starts below have always converged in tests
            f"scipy could not solve the four switching conditions at r={r:g}, mu={mu:g}, sigma={sigma:g}, "
            f"s={s:g}, c={c:g}, K_u={ku:g}, K_d={kd:g}"
        )
    uu, vv, aa, bb = (float(z) for z in solution)
    upper, lower = big_s * math.exp(uu), big_s * math.exp(vv)
    a_coef = big_m * aa * upper ** (-b1)
    b_coef = big_m * bb * lower ** (-b2)
    log.add(
        "numeric",
        f"scipy.optimize.root ({how}) on the four conditions (scaled unknowns, sympy Jacobian)",
        sp.Eq(_xh, sp.Float(upper, 15)),
        sp.Eq(_xl, sp.Float(lower, 15)),
        sp.Eq(_A, sp.Float(a_coef, 15)),
        sp.Eq(_B, sp.Float(b_coef, 15)),
    )
    residual = _residual(eqs, numbers, upper, lower, a_coef, b_coef, big_m, s / (r - mu))
    ok = residual < 1e-8 and 0 < lower < upper and a_coef > 0 and b_coef > 0
    log.add(
        "check",
        f"Largest relative residual of the four conditions {residual:.1e}; 0 < x_L < x_H and A, B > 0: "
        f"{'ok' if ok else 'FAILED'}",
    )
    return cls(
        upper=upper,
        lower=lower,
        beta1=b1,
        beta2=b2,
        A=a_coef,
        B=b_coef,
        breakeven_upper=marshall_up,
        breakeven_lower=marshall_down,
        switches_back=True,
        residual=residual,
        process=process,
        r=r,
        slope=s,
        cost=c,
        up_cost=ku,
        down_cost=kd,
        method="numeric (scipy.optimize.root on the symbolic value-matching and smooth-pasting conditions)",
        converged=ok,
        message="" if ok else "the solution failed the check; treat the thresholds with care",
        derivation=log.freeze(),
        labels=labels,
        names=names,
        title=title,
    )


def _check_inputs(
    r: float, mu: float, sigma: float, s: float, c: float, ku: float, kd: float, label: dict[str, str]
) -> None:
    if sigma <= 0:
        raise InvalidValuesError(f"volatility sigma must be positive, got sigma = {sigma:g}")
    if r <= 0:
        raise InvalidValuesError(f"the discount rate r must be positive, got r = {r:g}")
    if r <= mu:
        raise InfiniteOptionValueError(
            f"the value of the switched-up regime is infinite: the state grows at mu = {mu:g}, not below the "
            f"discount rate r = {r:g}, so the present value of its flow diverges (need r > mu)"
        )
    if s <= 0:
        raise InvalidValuesError(f"the flow gain per unit of the state must be positive, got {s:g}")
    if c < 0:
        raise InvalidValuesError(f"the cost flow {label['cost']} must be nonnegative, got {label['cost']} = {c:g}")
    if ku < 0:
        raise InvalidValuesError(
            f"the sunk cost {label['up_cost']} must be nonnegative, got {label['up_cost']} = {ku:g}"
        )
    if ku + kd <= 0:
        raise InvalidValuesError(
            f"{label['up_cost']} + {label['down_cost']} must be positive, got {ku:g} + {kd:g} = {ku + kd:g}; "
            f"a negative total would let a firm earn money by switching up and back (a negative "
            f"{label['down_cost']} is a salvage value and is allowed while the total is positive)"
        )
    if c / r + ku <= 0:
        raise InvalidValuesError(
            f"with no cost flow ({label['cost']} = 0) and no cost of switching up ({label['up_cost']} = 0) "
            "the firm switches up at once and never back; there is no band to compute"
        )


def _root(fun: Any, jac: Any, params: list[float], b1: float, b2: float, wh: float, wl: float) -> tuple[Any, str]:
    """Solve the scaled system from the one-sided solutions as starting points."""
    x_h0 = b1 / (b1 - 1)  # in units of W_H: the trigger without the option to switch back
    x_l0 = b2 / (b2 - 1) * wl / wh  # the abandonment trigger without the option to return
    starts = [
        (math.log(x_h0), math.log(x_l0), x_h0 - 1, wl / wh - x_l0),
        (math.log((1 + x_h0) / 2), math.log(x_l0 * 1.2), (x_h0 - 1) / 2, (wl / wh - x_l0) / 2),
        (math.log(x_h0 * 0.9), math.log(x_l0 * 0.8), x_h0 - 1, wl / wh),
    ]

    def f(z: np.ndarray) -> np.ndarray:
        return np.asarray(fun(z, params), dtype=float).ravel()

    def j(z: np.ndarray) -> np.ndarray:
        return np.asarray(jac(z, params), dtype=float)

    for method in ("hybr", "lm"):
        for start in starts:
            with np.errstate(all="ignore"):
                sol = optimize.root(f, np.array(start), jac=j, method=method, options={"xtol": 1e-13})
            z = sol.x
            if np.all(np.isfinite(z)) and np.max(np.abs(f(z))) < 1e-10 and z[1] < z[0] and z[2] > 0 and z[3] > 0:
                return z, method
    return None, ""


def _residual(
    eqs: tuple[sp.Eq, ...],
    numbers: dict[sp.Symbol, float],
    upper: float,
    lower: float,
    a_coef: float,
    b_coef: float,
    value_unit: float,
    slope_unit: float,
) -> float:
    """Largest residual of the original (unscaled) conditions, relative to their natural units."""
    values = _original_residuals()(upper, lower, a_coef, b_coef, [numbers[k] for k in _PARAMS])
    units = (value_unit, slope_unit, value_unit, slope_unit)
    return max(abs(float(v)) / u for v, u in zip(values, units, strict=True))


_PARAMS = (_r, _mu, _sigma, _s, _c, _ku, _kd, _b1, _b2)


@lru_cache(maxsize=1)
def _original_residuals() -> Any:
    eqs, _, _ = _conditions()
    return sp.lambdify([_xh, _xl, _A, _B, list(_PARAMS)], [eq.lhs - eq.rhs for eq in eqs], "math")
