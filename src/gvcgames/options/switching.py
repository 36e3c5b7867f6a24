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
from typing import Any

from gvcgames.display import SummaryDisplay, finish_summary
from gvcgames.errors import InvalidValuesError
from gvcgames.options._display import escape, fmt, tex
from gvcgames.options._inputs import as_input, is_numeric, no_hazard, require, show
from gvcgames.options._switching_kernel import _solve_band
from gvcgames.options.process import GBM
from gvcgames.results import Derivation


@dataclass(frozen=True)
class HysteresisBand(SummaryDisplay):
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
        Coefficients of :math:`V_0 = A x^{\\beta_1}` and of the option term :math:`B x^{\\beta_2}`
        (they under- or overflow a float when a root is huge, at tiny volatility; the values
        use ``option_up`` and ``option_back``, which do not).
    option_up, option_back : float
        :math:`A x_H^{\\beta_1}` (the value of the option to switch up, at ``upper``) and
        :math:`B x_L^{\\beta_2}` (of the option to switch back, at ``lower``).
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
    option_up: float
    option_back: float
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
        # Scaled forms (no overflow): each is used only on the side where its factor is <= 1.
        v0 = self.option_up * math.exp(self.beta1 * math.log(min(x, self.upper) / self.upper))
        v1 = pv
        if self.switches_back:
            v1 += self.option_back * math.exp(self.beta2 * math.log(max(x, self.lower) / self.lower))
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
        return finish_summary(lines, self.message, self.derivation if derivation else None)

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
    hazard: Any = None,
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
    hazard : None
        Not supported: a Poisson hazard is implemented for single triggers only
        (:func:`optimal_stopping`, :func:`investment_trigger`, :func:`relocation_trigger`).
        Anything but ``None`` or ``0`` raises :class:`~gvcgames.errors.InvalidSpecError`.

    Returns
    -------
    HysteresisBand

    Raises
    ------
    InvalidValuesError
        Symbolic or out-of-domain inputs (see :func:`entry_exit_thresholds`).
    InfiniteOptionValueError
        ``r <= mu``.
    InvalidSpecError
        A hazard is passed (not supported for bands).

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
    no_hazard(hazard, "switching_band")
    return _solve_band(
        HysteresisBand,
        {"r": r, "mu": mu, "sigma": sigma, "slope": slope, "cost": cost, "up_cost": up_cost, "down_cost": down_cost},
        labels=("regime 0", "regime 1"),
        names=("switch up", "switch back"),
        title="Switching band",
    )


def entry_exit_thresholds(
    r: Any,
    mu: Any,
    sigma: Any,
    C: Any,
    I: Any,  # noqa: E741
    E: Any,
    *,
    hazard: Any = None,
) -> EntryExitBand:
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
    hazard : None
        Not supported: a Poisson hazard is implemented for single triggers only
        (:func:`optimal_stopping`, :func:`investment_trigger`, :func:`relocation_trigger`).
        Anything but ``None`` or ``0`` raises :class:`~gvcgames.errors.InvalidSpecError`.

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
    no_hazard(hazard, "entry_exit_thresholds")
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
    hazard: Any = None,
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
    hazard : None
        Not supported: a Poisson hazard is implemented for single triggers only
        (:func:`optimal_stopping`, :func:`investment_trigger`, :func:`relocation_trigger`).
        Anything but ``None`` or ``0`` raises :class:`~gvcgames.errors.InvalidSpecError`.

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
    no_hazard(hazard, "relocation_band")
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
