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
from gvcgames.options.errors import InfiniteOptionValueError, TriggerNotFoundError
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
def _eliminated() -> tuple[sp.Eq, sp.Eq, sp.Expr, sp.Expr]:
    """Eliminate A and B: they enter the conditions linearly (derived with sympy).

    Value matching and smooth pasting (times x) at one threshold are two linear equations
    in ``a = A x^beta_1`` and ``b = B x^beta_2`` there; with ``K_H = c/r + K_u`` at x_H and
    ``K_L = c/r - K_d`` at x_L both have the same solution in ``(x, K)``. Equating the two
    expressions of A, and of B, leaves two equations in the thresholds.
    """
    xq, kq = sp.symbols("x K", positive=True)
    aq, bq = sp.symbols("a b")
    alpha = _s / (_r - _mu)
    sol = sp.solve([sp.Eq(aq, bq + alpha * xq - kq), sp.Eq(_b1 * aq, _b2 * bq + alpha * xq)], [aq, bq], dict=True)[0]
    a_of, b_of = sp.factor(sol[aq]), sp.factor(sol[bq])
    kh, kl = _c / _r + _ku, _c / _r - _kd
    e1 = sp.Eq(sp.log(a_of.subs({xq: _xh, kq: kh}) / a_of.subs({xq: _xl, kq: kl})), _b1 * sp.log(_xh / _xl))
    e2 = sp.Eq(sp.log(b_of.subs({xq: _xh, kq: kh}) / b_of.subs({xq: _xl, kq: kl})), _b2 * sp.log(_xh / _xl))
    return e1, e2, a_of.subs(kq, sp.Symbol("K")), b_of.subs(kq, sp.Symbol("K"))


def _softplus(t: Any) -> Any:
    return np.logaddexp(0.0, t)


class _Normalised:
    """The eliminated equations in overflow-free unknowns (any volatility).

    With ``z = alpha x/K`` (``alpha = s/(r - mu)``), ``a = K (1 - beta_2)(z - z_a)/(beta_1 - beta_2)``
    and ``b = K (beta_1 - 1)(z_b - z)/(beta_1 - beta_2)``, positive iff ``z_a < z < z_b`` with
    ``z_a = -beta_2/(1 - beta_2)`` and ``z_b = beta_1/(beta_1 - 1)`` (the one-sided triggers:
    the band lies between them). Writing ``z = z_a + (z_b - z_a) p`` and ``p = 1/(1 + e^(-theta))``
    the two equations become, with ``kappa = log(K_H/K_L) > 0``,

        log p_H - log p_L - beta_1 log(z_H/z_L) = (beta_1 - 1) kappa
        log(1 - p_H) - log(1 - p_L) - beta_2 log(z_H/z_L) = (beta_2 - 1) kappa,

    smooth in ``theta`` on the whole plane: no domain to leave, no power to overflow.
    """

    def __init__(self, b1: float, b2: float, kh: float, kl: float) -> None:
        self.b1, self.b2 = b1, b2
        self.za, self.zb = -b2 / (1 - b2), b1 / (b1 - 1)
        self.width = self.zb - self.za
        self.kappa = math.log(kh / kl)

    def logz(self, theta: float) -> float:
        return math.log(self.za + self.width * math.exp(-float(_softplus(-theta))))

    def residual(self, theta: np.ndarray) -> np.ndarray:
        th, tl = float(theta[0]), float(theta[1])
        dz = self.logz(th) - self.logz(tl)
        lp_h, lp_l = -float(_softplus(-th)), -float(_softplus(-tl))
        lq_h, lq_l = -float(_softplus(th)), -float(_softplus(tl))
        return np.array(
            [
                lp_h - lp_l - self.b1 * dz - (self.b1 - 1) * self.kappa,
                lq_h - lq_l - self.b2 * dz - (self.b2 - 1) * self.kappa,
            ]
        )

    def theta(self, z: float) -> float:
        p = (z - self.za) / self.width
        return math.log(p / (1 - p))

    def starts(self) -> list[tuple[float, float]]:
        zm = self.za * self.zb  # where both sides of the equations peak: x_L below, x_H above
        return [
            (self.theta(math.sqrt(zm * self.zb)), self.theta(math.sqrt(self.za * zm))),
            (self.theta((zm + self.zb) / 2), self.theta((self.za + zm) / 2)),
            (3.0, -3.0),
            (0.0, -10.0),
            (10.0, -20.0),
        ]


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
    wh = (r - mu) * (c / r + ku) / s  # zero-NPV point of the one-sided problem of switching up
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
        at_upper = s * upper / (r - mu) - c / r - ku  # V_0(x_H) = A x_H^beta_1
        a_coef = _power_coefficient(at_upper, upper, b1)
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
            option_up=at_upper,
            option_back=0.0,
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

    e1, e2, a_of, b_of = _eliminated()
    log.add(
        "solve",
        "A and B enter linearly: value matching and smooth pasting at each threshold give "
        "a = A x**beta_1 and b = B x**beta_2 there (K = c/r + K_u at x_H, K = c/r - K_d at x_L); "
        "equating the two expressions of A, and of B, leaves two equations in x_H and x_L",
        sp.Eq(sp.Symbol("a"), a_of),
        sp.Eq(sp.Symbol("b"), b_of),
        e1,
        e2,
    )
    alpha = s / (r - mu)
    kh, kl = c / r + ku, c / r - kd
    system = _Normalised(b1, b2, kh, kl)
    theta, how = _root(system)
    if theta is None:
        raise TriggerNotFoundError(
            f"scipy could not solve the switching conditions at r={r:g}, mu={mu:g}, sigma={sigma:g}, s={s:g}, "
            f"c={c:g}, K_u={ku:g}, K_d={kd:g} from any of its starting points; the band exists for these "
            "inputs in theory, so please report this case"
        )
    log_zh, log_zl = system.logz(float(theta[0])), system.logz(float(theta[1]))
    upper, lower = math.exp(log_zh) * kh / alpha, math.exp(log_zl) * kl / alpha
    a_up = kh * (1 - b2) * (math.exp(log_zh) - system.za) / (b1 - b2)  # A x_H^beta_1
    b_low = kl * (b1 - 1) * (system.zb - math.exp(log_zl)) / (b1 - b2)  # B x_L^beta_2
    a_coef = _power_coefficient(a_up, upper, b1)
    b_coef = _power_coefficient(b_low, lower, b2)
    log.add(
        "numeric",
        f"scipy.optimize.root ({how}) on the two eliminated equations, in overflow-free unknowns "
        "(each threshold as a logistic position between the one-sided triggers)",
        sp.Eq(_xh, sp.Float(upper, 15)),
        sp.Eq(_xl, sp.Float(lower, 15)),
        sp.Eq(_A, sp.Float(a_coef, 15)),
        sp.Eq(_B, sp.Float(b_coef, 15)),
    )
    residual = _residual(b1, b2, alpha, c / r, ku, kd, upper, lower, a_up, b_low)
    ok = residual < 1e-8 and 0 < lower < upper and a_up > 0 and b_low > 0
    if not ok:
        # Never hand back thresholds that fail their own conditions.
        raise TriggerNotFoundError(
            f"the switching thresholds found by scipy fail the value-matching and smooth-pasting check at "
            f"r={r:g}, mu={mu:g}, sigma={sigma:g}, s={s:g}, c={c:g}, K_u={ku:g}, K_d={kd:g} (largest relative "
            f"residual {residual:.1e}, x_L={lower:.6g}, x_H={upper:.6g}); double precision does not resolve the "
            "band at these inputs"
        )
    log.add(
        "check",
        f"Largest relative residual of the four conditions {residual:.1e}; 0 < x_L < x_H and A, B > 0: ok",
    )
    return cls(
        upper=upper,
        lower=lower,
        beta1=b1,
        beta2=b2,
        A=a_coef,
        B=b_coef,
        option_up=a_up,
        option_back=b_low,
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
        method="numeric (scipy.optimize.root on the value-matching and smooth-pasting conditions, A and B "
        "eliminated symbolically)",
        derivation=log.freeze(),
        labels=labels,
        names=names,
        title=title,
    )


# Below these the switching problem cannot be resolved in double precision: costs near the
# smallest floats underflow in the logs, and a relative band width near 1e-12 is rounding noise.
_TINY_SCALE = 1e-250
_NARROWEST_BAND = 1e-9


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
    scale = c / r + ku
    if scale <= 0:
        raise InvalidValuesError(
            f"with no cost flow ({label['cost']} = 0) and no cost of switching up ({label['up_cost']} = 0) "
            "the firm switches up at once and never back; there is no band to compute"
        )
    if scale < _TINY_SCALE:
        raise InvalidValuesError(
            f"the costs are below floating-point resolution ({label['cost']}/r + {label['up_cost']} = {scale:.3g}); "
            "express them in smaller units"
        )
    if (ku + kd) < _NARROWEST_BAND * scale:
        raise InvalidValuesError(
            f"{label['up_cost']} + {label['down_cost']} = {ku + kd:.3g} is negligible against {label['cost']}/r + "
            f"{label['up_cost']} = {scale:.3g}: the band collapses to the break-even point and its two thresholds "
            "cannot be told apart in floating point"
        )


def _root(system: _Normalised) -> tuple[Any, str]:
    """Solve the normalised equations from starting points between the one-sided triggers."""
    for method in ("hybr", "lm"):
        for start in system.starts():
            with np.errstate(all="ignore"):
                sol = optimize.root(system.residual, np.array(start), method=method, options={"xtol": 1e-14})
            z = sol.x
            if np.all(np.isfinite(z)) and np.max(np.abs(system.residual(z))) < 1e-11 and z[0] > z[1]:
                return z, method
    return None, ""


def _power_coefficient(value: float, x: float, b: float) -> float:
    """``value / x**b`` through logs: ``0.0``/``inf`` when it under- or overflows a float."""
    if value <= 0:
        return 0.0 if value == 0 else -_power_coefficient(-value, x, b)
    exponent = math.log(value) - b * math.log(x)
    return math.exp(exponent) if exponent < 709 else math.inf


def _residual(
    b1: float,
    b2: float,
    alpha: float,
    c_r: float,
    ku: float,
    kd: float,
    upper: float,
    lower: float,
    a_up: float,
    b_low: float,
) -> float:
    """Largest residual of the four original conditions, relative to their natural units.

    ``V_0 = A x^beta_1`` and the option term ``B x^beta_2`` are carried to the other threshold
    by the factors ``(x_L/x_H)^beta_1`` and ``(x_H/x_L)^beta_2`` (both below one: no overflow).
    Smooth-pasting conditions are multiplied by the threshold.
    """
    rho = math.log(upper / lower)
    a_low = a_up * math.exp(-b1 * rho)  # A x_L^beta_1
    b_up = b_low * math.exp(b2 * rho)  # B x_H^beta_2
    value_unit = max(alpha * upper, c_r + ku, 1e-300)
    conditions = (
        (a_up - (b_up + alpha * upper - c_r - ku)) / value_unit,  # V_0(x_H) = V_1(x_H) - K_u
        (b1 * a_up - (b2 * b_up + alpha * upper)) / (alpha * upper),  # x V_0' = x V_1' at x_H
        (b_low + alpha * lower - c_r - (a_low - kd)) / value_unit,  # V_1(x_L) = V_0(x_L) - K_d
        (b2 * b_low + alpha * lower - b1 * a_low) / (alpha * lower),  # x V_1' = x V_0' at x_L
    )
    return max(abs(v) for v in conditions)
