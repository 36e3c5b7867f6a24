r"""Switching with sunk costs both ways: entry/exit and relocate/come back (hysteresis).

Definition
----------
The state :math:`x` follows :math:`dx = \mu x\,dt + \sigma x\,dW`. A firm is in regime 0
(idle / stays home) or regime 1 (active / relocated). Being in regime 1 rather than 0 adds
the profit flow :math:`s x - c` (:math:`s > 0`); switching 0 -> 1 costs :math:`K_u` (sunk),
switching back costs :math:`K_d`. With :math:`r > \mu`, the values are

.. math::
   V_0(x) = A x^{\beta_1}, \qquad
   V_1(x) = B x^{\beta_2} + \frac{s x}{r - \mu} - \frac{c}{r},

(:math:`\beta_1 > 1`, :math:`\beta_2 < 0` the roots of
:math:`\tfrac12\sigma^2 b(b-1) + \mu b - r = 0`; :math:`A x^{\beta_1}` is the option to
switch up, :math:`B x^{\beta_2}` the option to switch back). The firm switches up when
:math:`x` rises to :math:`x_H` and back when it falls to :math:`x_L < x_H`:

.. math::
   V_0(x_H) = V_1(x_H) - K_u,\quad V_0'(x_H) = V_1'(x_H),\quad
   V_1(x_L) = V_0(x_L) - K_d,\quad V_1'(x_L) = V_0'(x_L).

These four conditions in :math:`A, B, x_H, x_L` have no closed form; they are written with
sympy and solved with scipy (``root``, analytic Jacobian from sympy). The Marshallian
thresholds, where the flow gain just covers the interest on the switching cost, are
:math:`W_H = (c + r K_u)/s` and :math:`W_L = (c - r K_d)/s`; uncertainty widens the band
beyond them, :math:`x_L < W_L < W_H < x_H` (Dixit 1989; checked by this package's tests at
random parameters). When :math:`K_d \ge c/r` leaving never pays (a firm that switched up
stays forever, ``lower = 0``) and the switch up is the one-sided option
:math:`x_H = \frac{\beta_1}{\beta_1-1}(r-\mu)(c/r + K_u)/s`.
Requirements: :math:`K_u \ge 0`, :math:`c \ge 0`, :math:`K_u + K_d > 0` (a negative
:math:`K_d` is a salvage value; a negative total would be a money pump).

*Entry/exit* (Dixit 1989): :math:`x = P` the output price, :math:`s = 1`, :math:`c = C`,
:math:`K_u = I`, :math:`K_d = E`. *Relocation* (WP2 RO with a return option): :math:`x` the
disruption cost flow, relocating saves :math:`(1-e)(1-\theta)x` and costs the premium flow
:math:`\delta`: :math:`s = (1-e)(1-\theta)`, :math:`c = \delta`, :math:`K_u = I`,
:math:`K_d = R` (the cost of coming back).

References
----------
Dixit, A. K. (1989). Entry and exit decisions under uncertainty. *Journal of Political
Economy* 97(3), 620-638.

Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 7.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from gvcgames.errors import InvalidValuesError
from gvcgames.options._display import escape, fmt, tex
from gvcgames.options._inputs import as_input, is_numeric, require, show
from gvcgames.options.errors import InfiniteOptionValueError
from gvcgames.options.process import GBM
from gvcgames.results import Derivation, DerivationLog

# Generic symbols of the symbolic conditions.
_x, _xh, _xl = sp.symbols("x x_H x_L", positive=True)
_A, _B = sp.symbols("A B")
_b1 = sp.Symbol("beta_1", positive=True)
_b2 = sp.Symbol("beta_2", negative=True)
_r, _sigma, _s = sp.symbols("r sigma s", positive=True)
_mu, _c, _ku, _kd = sp.symbols("mu c K_u K_d", real=True)
# Scaled unknowns of the numeric system.
_u, _v, _a, _bb = sp.symbols("u v a b", real=True)


@dataclass(frozen=True)
class HysteresisBand:
    """The two switching thresholds of a two-regime problem with sunk costs both ways.

    Attributes
    ----------
    upper : float
        Switch up (enter, relocate) when the state first rises to ``upper``.
    lower : float
        Switch back (exit, come back) when it first falls to ``lower``; ``0.0`` when switching
        back never pays (``switches_back`` is ``False``).
    beta1, beta2 : float
        Positive and negative roots of the characteristic equation.
    A, B : float
        Coefficients of :math:`V_0 = A x^{\\beta_1}` and of the option term :math:`B x^{\\beta_2}`.
    breakeven_upper, breakeven_lower : float
        Marshallian thresholds :math:`W_H = (c + r K_u)/s` and :math:`W_L = (c - r K_d)/s`.
    switches_back : bool
        Whether a finite ``lower`` threshold exists.
    residual : float
        Largest relative residual of the four conditions at the solution.
    labels : tuple of str
        Names of regime 0 and regime 1, e.g. ``("idle", "active")``.
    method, converged, message, derivation
        As in every gvcgames result.
    """

    upper: float
    lower: float
    beta1: float
    beta2: float
    A: float
    B: float
    breakeven_upper: float
    breakeven_lower: float
    switches_back: bool
    residual: float
    process: GBM
    r: float
    slope: float
    cost: float
    up_cost: float
    down_cost: float
    method: str
    converged: bool = True
    message: str = ""
    derivation: Derivation = field(default_factory=Derivation)
    labels: tuple[str, str] = ("regime 0", "regime 1")
    names: tuple[str, str] = ("upper", "lower")
    title: str = "Switching band"

    @property
    def width(self) -> float:
        """``upper / lower`` (``inf`` when the firm never switches back)."""
        return self.upper / self.lower if self.lower > 0 else math.inf

    def value(self, x: float, regime: int | str = 0) -> float:
        """The value of a firm in ``regime`` (0/1 or a label) at state ``x``, switching optimally.

        Examples
        --------
        >>> from gvcgames.options import entry_exit_thresholds
        >>> band = entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=5.0)
        >>> band.value(band.entry, "idle") - (band.value(band.entry, "active") - 10.0)
        0.0
        """
        index = self.labels.index(regime) if isinstance(regime, str) else int(regime)
        x = float(x)
        if x <= 0:
            raise InvalidValuesError(f"the state must be positive, got {x:g}")
        pv = self.slope * x / (self.r - float(self.process.mu)) - self.cost / self.r
        v0 = self.A * x**self.beta1
        v1 = (self.B * x**self.beta2 if self.switches_back else 0.0) + pv
        if index == 0:
            return v0 if x < self.upper else v1 - self.up_cost
        if index == 1:
            return v1 if x > self.lower else v0 - self.down_cost
        raise InvalidValuesError(f"regime must be 0, 1 or one of {self.labels}, got {regime!r}")

    def summary(self, derivation: bool = False) -> str:
        """Readable summary; ``derivation=True`` appends every step."""
        up, down = self.names
        lines = [
            f"{self.title}: {up} = {fmt(self.upper)}, {down} = "
            + (fmt(self.lower) if self.switches_back else "never (0)"),
            f"  method: {self.method}; converged: {self.converged}",
            f"  state: {self.process}; r = {fmt(self.r)}; flow gain of '{self.labels[1]}' over '{self.labels[0]}': "
            f"{fmt(self.slope)}*x - {fmt(self.cost)}; switching costs {fmt(self.up_cost)} up, "
            f"{fmt(self.down_cost)} back",
            f"  beta1 = {fmt(self.beta1)}, beta2 = {fmt(self.beta2)}; A = {fmt(self.A)}, B = {fmt(self.B)}",
            f"  Marshallian thresholds: {fmt(self.breakeven_upper)} and {fmt(self.breakeven_lower)}",
            f"  largest residual of the four conditions: {self.residual:.1e}",
        ]
        if self.message:
            lines.append(f"  message: {self.message}")
        if derivation:
            lines += ["derivation:", str(self.derivation)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_latex(self) -> str:
        """The derivation and the band as a LaTeX fragment."""
        up, down = (escape(n) for n in self.names)
        body = (
            "\\begin{align*}\n"
            f"x_H &= {tex(self.upper)} && \\text{{({up})}} \\\\\n"
            f"x_L &= {tex(self.lower) if self.switches_back else '0'} && \\text{{({down})}}\n"
            "\\end{align*}"
        )
        return self.derivation.to_latex() + "\n" + body

    def _repr_latex_(self) -> str:
        up, down = (escape(n) for n in self.names)
        return f"$x_H = {tex(self.upper)}\\ (\\text{{{up}}}),\\quad x_L = {tex(self.lower)}\\ (\\text{{{down}}})$"


@dataclass(frozen=True)
class EntryExitBand(HysteresisBand):
    """Entry/exit thresholds (Dixit 1989): ``.entry`` is the upper, ``.exit`` the lower price."""

    @property
    def entry(self) -> float:
        """Enter when the price first rises to this level."""
        return self.upper

    @property
    def exit(self) -> float:
        """Exit when the price first falls to this level (``0.0``: never)."""
        return self.lower


@dataclass(frozen=True)
class RelocationBand(HysteresisBand):
    """Relocation with a return option: ``.relocate`` (upper) and ``.come_back`` (lower)."""

    @property
    def relocate(self) -> float:
        """Relocate when the disruption cost flow first rises to this level."""
        return self.upper

    @property
    def come_back(self) -> float:
        """Come back when the flow first falls to this level (``0.0``: never)."""
        return self.lower


def switching_band(
    r: Any,
    mu: Any,
    sigma: Any,
    *,
    slope: Any = 1,
    cost: Any,
    up_cost: Any,
    down_cost: Any,
) -> HysteresisBand:
    """Thresholds of a two-regime switching problem with sunk costs both ways.

    Parameters
    ----------
    r : float
        Discount rate, above ``mu``.
    mu, sigma : float
        Drift and volatility of the state (a GBM).
    slope, cost : float
        Regime 1 earns ``slope * x - cost`` more per unit of time than regime 0.
    up_cost, down_cost : float
        Sunk costs of switching up and back (``down_cost`` may be negative, a salvage value,
        if ``up_cost + down_cost > 0``).

    Returns
    -------
    HysteresisBand

    Raises
    ------
    InvalidValuesError
        Symbolic or out-of-domain inputs (see :func:`entry_exit_thresholds`).
    InfiniteOptionValueError
        ``r <= mu``.

    Examples
    --------
    >>> from gvcgames.options import switching_band
    >>> band = switching_band(0.04, 0.0, 0.2, cost=1.0, up_cost=10.0, down_cost=5.0)
    >>> band.lower < band.breakeven_lower < band.breakeven_upper < band.upper
    True

    References
    ----------
    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 7.
    """
    return _solve_band(
        HysteresisBand,
        {"r": r, "mu": mu, "sigma": sigma, "slope": slope, "cost": cost, "up_cost": up_cost, "down_cost": down_cost},
        labels=("regime 0", "regime 1"),
        names=("switch up", "switch back"),
        title="Switching band",
    )


def entry_exit_thresholds(r: Any, mu: Any, sigma: Any, C: Any, I: Any, E: Any) -> EntryExitBand:  # noqa: E741
    """Entry and exit prices of a firm facing a GBM price (Dixit 1989; Dixit-Pindyck ch. 7).

    Parameters
    ----------
    r : float
        Discount rate, positive and above ``mu``.
    mu, sigma : float
        Drift and volatility of the price ``P``: :math:`dP = \\mu P\\,dt + \\sigma P\\,dW`.
    C : float
        Operating cost flow of an active firm (one unit of output), nonnegative.
    I : float
        Sunk cost of entry, nonnegative.
    E : float
        Cost of exit; a negative ``E`` is a salvage value, allowed if ``I + E > 0``.

    Returns
    -------
    EntryExitBand
        ``.entry`` (:math:`P_H`) and ``.exit`` (:math:`P_L`, ``0.0`` if exit never pays,
        i.e. ``E >= C/r``), with the value-matching and smooth-pasting conditions in
        ``.derivation``.

    Raises
    ------
    InvalidValuesError
        Symbolic inputs (no closed form: give numbers), ``sigma <= 0``, ``r <= 0``,
        ``C < 0``, ``I < 0``, ``I + E <= 0``, or ``C/r + I == 0``.
    InfiniteOptionValueError
        ``r <= mu``: the value of an active firm is infinite.

    Examples
    --------
    >>> from gvcgames.options import entry_exit_thresholds
    >>> band = entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=5.0)
    >>> round(band.entry, 4), round(band.exit, 4)
    (2.5984, 0.4593)
    >>> band.exit < 1.0 - 0.04 * 5.0 and band.entry > 1.0 + 0.04 * 10.0   # Marshallian C - rE, C + rI
    True

    References
    ----------
    Dixit, A. K. (1989). Entry and exit decisions under uncertainty. *Journal of Political
    Economy* 97(3), 620-638.

    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 7.
    """
    result = _solve_band(
        EntryExitBand,
        {"r": r, "mu": mu, "sigma": sigma, "slope": 1, "cost": C, "up_cost": I, "down_cost": E},
        labels=("idle", "active"),
        names=("entry", "exit"),
        title="Entry/exit band (Dixit 1989)",
        display={"cost": "C", "up_cost": "I", "down_cost": "E"},
    )
    assert isinstance(result, EntryExitBand)
    return result


def relocation_band(
    r: Any,
    mu: Any,
    sigma: Any,
    I: Any,  # noqa: E741
    return_cost: Any,
    premium: Any = 0,
    *,
    prevention: Any = 0,
    residual: Any = 0,
) -> RelocationBand:
    """RO with a return option: relocate when disruption costs rise, come back when they fall.

    Parameters
    ----------
    r : float
        Discount rate, above ``mu``.
    mu, sigma : float
        Drift and volatility of the expected disruption cost flow ``x`` (a GBM).
    I : float
        Sunk cost of relocating, nonnegative.
    return_cost : float
        Sunk cost of coming back (``I + return_cost > 0``).
    premium : float
        Cost premium flow ``delta`` of the new location, nonnegative.
    prevention : float
        The supplier's prevention ``e`` in ``[0, 1)``: the flow is ``x (1 - e)``.
    residual : float
        Share ``theta`` in ``[0, 1)`` of disruption costs that survive relocation.

    Returns
    -------
    RelocationBand
        ``.relocate`` and ``.come_back`` (``0.0`` when coming back never pays, i.e.
        ``return_cost >= premium / r``).

    Raises
    ------
    InvalidValuesError, InfiniteOptionValueError
        As :func:`entry_exit_thresholds`; also ``e`` or ``theta`` outside ``[0, 1)``.

    Examples
    --------
    >>> from gvcgames.options import relocation_band
    >>> band = relocation_band(r=0.04, mu=0.0, sigma=0.2, I=10.0, return_cost=5.0, premium=1.0)
    >>> band.come_back < band.relocate
    True

    References
    ----------
    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 7.
    """
    e = as_input("prevention e", prevention)
    theta = as_input("residual theta", residual)
    numeric = is_numeric(e, theta)
    if not numeric:
        raise InvalidValuesError("relocation_band has no closed form; give numbers for prevention and residual")
    require(e >= 0, f"prevention e must be in [0, 1), got e = {show(e)}", numeric=True)
    require(
        e < 1,
        f"prevention e must be in [0, 1), got e = {show(e)}; with e = 1 there is no disruption cost and "
        "relocating never pays (see relocation_trigger)",
        numeric=True,
    )
    require(theta >= 0, f"the residual share theta must be in [0, 1), got theta = {show(theta)}", numeric=True)
    require(theta < 1, f"the residual share theta must be in [0, 1), got theta = {show(theta)}", numeric=True)
    result = _solve_band(
        RelocationBand,
        {
            "r": r,
            "mu": mu,
            "sigma": sigma,
            "slope": (1 - e) * (1 - theta),
            "cost": premium,
            "up_cost": I,
            "down_cost": return_cost,
        },
        labels=("stay", "relocated"),
        names=("relocate", "come back"),
        title="Relocation band (RO with a return option)",
        display={"cost": "premium", "up_cost": "I", "down_cost": "return_cost"},
    )
    assert isinstance(result, RelocationBand)
    return result


# --- kernel -----------------------------------------------------------------------------------


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
