r"""Diffusions for real options: geometric and arithmetic Brownian motion.

Definitions
-----------
Geometric Brownian motion (GBM), state space :math:`(0, \infty)`:

.. math:: dx = \mu x\,dt + \sigma x\,dW, \qquad
          \mathcal{L}F = \tfrac12 \sigma^2 x^2 F'' + \mu x F'.

Arithmetic Brownian motion (ABM), state space :math:`\mathbb{R}`:

.. math:: dx = \mu\,dt + \sigma\,dW, \qquad \mathcal{L}F = \tfrac12 \sigma^2 F'' + \mu F'.

In the continuation region of a stopping problem the value :math:`F` solves
:math:`\mathcal{L}F - \rho F = 0` (:math:`\rho` the discount rate plus a destroying hazard).
The trial solution :math:`F = x^b` (GBM) or :math:`F = e^{b x}` (ABM) turns this into the
*characteristic equation* :math:`Q(b) = 0`:

.. math:: Q_{GBM}(b) = \tfrac12\sigma^2 b(b-1) + \mu b - \rho, \qquad
          Q_{ABM}(b) = \tfrac12\sigma^2 b^2 + \mu b - \rho .

Both are derived here with sympy, not typed in. With :math:`\rho > 0`, :math:`Q(0) = -\rho < 0`
and :math:`Q` is a convex quadratic, so it has one positive root :math:`\beta_1` and one
negative root :math:`\beta_2`.

References
----------
Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 3 (Ito processes) and ch. 5 (the fundamental quadratic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import sympy as sp
from scipy import optimize

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.options._inputs import as_input, is_numeric, require, show
from gvcgames.options.hazard import PoissonHazard

_B = sp.Symbol("b")


@dataclass(frozen=True)
class _Diffusion:
    mu: Any = 0
    sigma: Any = 1

    name: ClassVar[str] = ""
    short: ClassVar[str] = ""

    def __post_init__(self) -> None:
        mu = as_input("drift mu", self.mu)
        sigma = as_input("volatility sigma", self.sigma)
        require(
            sigma > 0,
            f"volatility sigma must be positive, got sigma = {show(sigma)}; with sigma = 0 there is no uncertainty "
            "and no option value from waiting",
            numeric=is_numeric(sigma),
        )
        if is_numeric(sigma) and float(sigma) ** 2 < 1e-200:
            raise InvalidValuesError(
                f"volatility sigma = {show(sigma)} is too small to compute with (sigma**2 underflows); "
                "give sigma >= 1e-100"
            )
        object.__setattr__(self, "mu", mu)
        object.__setattr__(self, "sigma", sigma)

    # --- to be defined by subclasses -----------------------------------------------------
    @property
    def state_space(self) -> sp.Interval:  # pragma: no cover - abstract
        raise NotImplementedError

    def trial(self, x: Any, b: Any) -> sp.Expr:  # pragma: no cover - abstract
        """The trial solution of the Bellman equation."""
        raise NotImplementedError

    def generator(self, f: sp.Expr, x: sp.Symbol) -> sp.Expr:  # pragma: no cover - abstract
        """The infinitesimal generator applied to ``f(x)``."""
        raise NotImplementedError

    def sde(self, x: sp.Symbol) -> sp.Eq:  # pragma: no cover - abstract
        raise NotImplementedError

    def growth(self, g: sp.Expr, x: sp.Symbol, direction: str) -> sp.Expr | None:  # pragma: no cover
        raise NotImplementedError

    def present_value(self, slope: Any, intercept: Any, x: Any, rate: Any) -> sp.Expr:  # pragma: no cover
        raise NotImplementedError

    # --- shared ----------------------------------------------------------------------------
    @property
    def numeric(self) -> bool:
        """Whether drift and volatility are numbers."""
        return is_numeric(self.mu, self.sigma)

    def characteristic(self, b: Any, rate: Any, hazard: PoissonHazard | None = None) -> sp.Expr:
        """:math:`Q(b) = \\mathcal{L}F/F - \\rho` for the trial solution, derived with sympy."""
        x = sp.Symbol("x", positive=True)
        f = self.trial(x, _B)
        q = sp.expand(sp.simplify(self.generator(f, x) / f)) - rate
        if hazard is not None:
            q += hazard.characteristic_term(_B)
        return q.subs(_B, b)

    def roots(self, rate: Any, hazard: PoissonHazard | None = None) -> tuple[sp.Expr, sp.Expr | None]:
        """The positive and the negative root of the characteristic equation.

        Returns
        -------
        (beta1, beta2) : sympy expressions
            ``beta1 >= 0`` and ``beta2 <= 0``. With a state-scaling hazard (not quadratic)
            ``beta1`` is found numerically and ``beta2`` is ``None``.
        """
        hazard = hazard or PoissonHazard(0)
        if hazard.active and not hazard.destroys:
            return self._jump_root(rate, hazard), None
        q = self.characteristic(_B, rate, hazard)
        a2, a1, a0 = sp.Poly(q, _B).all_coeffs()
        if not q.free_symbols - {_B} and any(c.has(sp.Float) for c in (a2, a1, a0)):
            return _stable_roots(float(a2), float(a1), float(a0))
        disc = sp.sqrt(a1**2 - 4 * a2 * a0)
        plus = (-a1 + disc) / (2 * a2)
        minus = (-a1 - disc) / (2 * a2)
        return _tidy(plus), _tidy(minus)

    def _jump_root(self, rate: Any, hazard: PoissonHazard) -> sp.Expr:
        if not isinstance(self, GBM):
            raise InvalidSpecError(
                "a hazard that scales the state (jump in (-1, 0)) is supported for geometric Brownian motion only; "
                "use jump=-1 (the event destroys the option) with arithmetic Brownian motion"
            )
        q_expr = self.characteristic(_B, rate, hazard)
        if q_expr.free_symbols - {_B}:
            raise InvalidValuesError(
                "with a state-scaling hazard the characteristic equation "
                f"{sp.sstr(q_expr)} = 0 has no closed-form root; give numbers for every parameter"
            )
        q = sp.lambdify(_B, q_expr, "math")
        if q(0.0) > 0:  # pragma: no cover - excluded by rate > 0 checks upstream
            raise InvalidValuesError(f"the characteristic function is positive at 0 ({q(0.0):g}); no positive root")
        if q(0.0) == 0:
            slope = float(sp.diff(q_expr, _B).subs(_B, 0))
            if slope >= 0:
                return sp.Integer(0)
        lo, hi = 1e-12, 1.0
        while q(hi) <= 0:
            lo, hi = hi, 2 * hi
            if hi > 1e8:  # pragma: no cover - Q grows like b^2
                raise InvalidValuesError("no positive root of the characteristic equation below 1e8")
        return sp.Float(optimize.brentq(q, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps), 17)

    def scaled_trial(self, x: Any, b: Any, anchor: Any) -> sp.Expr:
        """``trial(x)/trial(anchor)`` written without overflow: ``(x/anchor)**b`` or ``exp(b (x - anchor))``."""
        if isinstance(self, GBM):
            return (x / anchor) ** b
        return sp.exp(b * (x - anchor))

    def log_trial(self, x: float, b: float) -> float:
        """``log(trial(x))`` for numbers."""
        return b * math.log(x) if isinstance(self, GBM) else b * x

    def bellman(self, f: sp.Expr, x: sp.Symbol, rate: Any, hazard: PoissonHazard | None = None) -> sp.Eq:
        """The Bellman equation of the continuation region as a sympy equation."""
        lhs = self.generator(f, x) - rate * f
        if hazard is not None:
            lhs += hazard.bellman_term(f, x)
        return sp.Eq(lhs, 0)

    def __str__(self) -> str:
        return f"{self.short}(mu={show(self.mu)}, sigma={show(self.sigma)})"


def _stable_roots(a2: float, a1: float, a0: float) -> tuple[sp.Expr, sp.Expr]:
    """Roots of ``a2 b^2 + a1 b + a0`` (``a2 > 0 > a0``) without cancellation (small sigma)."""
    disc = math.sqrt(a1 * a1 - 4 * a2 * a0)
    big = -(a1 + math.copysign(disc, a1)) / 2  # same sign as -a1, no cancellation
    if big == 0:  # a1 == 0 and disc == 0 cannot happen with a0 < 0 < a2
        raise InvalidValuesError("the characteristic equation is degenerate")  # pragma: no cover
    one, other = big / a2, a0 / big
    plus, minus = max(one, other), min(one, other)
    return sp.Float(plus, 17), sp.Float(minus, 17)


def _finite_limit(k: Any) -> sp.Expr | None:
    if not isinstance(k, sp.Expr) or isinstance(k, sp.AccumBounds) or k.has(sp.AccumBounds):
        return None
    return k if k.is_finite else None


def _tidy(expr: sp.Expr) -> sp.Expr:
    if not expr.free_symbols and expr.has(sp.Float):
        return sp.N(expr, 17)
    return sp.simplify(expr)


@dataclass(frozen=True)
class GBM(_Diffusion):
    """Geometric Brownian motion :math:`dx = \\mu x\\,dt + \\sigma x\\,dW` on :math:`(0, \\infty)`.

    Parameters
    ----------
    mu : float or sympy expression
        Drift (expected growth rate).
    sigma : float or sympy expression
        Volatility, must be positive.

    Raises
    ------
    InvalidValuesError
        If ``sigma <= 0`` (numbers); InvalidSpecError if provably so (symbols).

    Examples
    --------
    >>> import sympy as sp
    >>> from gvcgames.options import GBM
    >>> r, sigma = sp.symbols("r sigma", positive=True)
    >>> mu, b = sp.symbols("mu b")
    >>> GBM(mu, sigma).characteristic(b, r)
    b**2*sigma**2/2 + b*mu - b*sigma**2/2 - r
    >>> GBM(0, sp.Rational(1, 5)).roots(sp.Rational(1, 25))
    (2, -1)
    """

    name: ClassVar[str] = "geometric Brownian motion"
    short: ClassVar[str] = "GBM"

    @property
    def state_space(self) -> sp.Interval:
        return sp.Interval.open(0, sp.oo)

    def trial(self, x: Any, b: Any) -> sp.Expr:
        return x**b

    def generator(self, f: sp.Expr, x: sp.Symbol) -> sp.Expr:
        return self.sigma**2 * x**2 * sp.diff(f, x, 2) / 2 + self.mu * x * sp.diff(f, x)

    def sde(self, x: sp.Symbol) -> sp.Eq:
        dx, dt, dw = sp.symbols(f"d{x.name} dt dW")
        return sp.Eq(dx, self.mu * x * dt + self.sigma * x * dw)

    def growth(self, g: sp.Expr, x: sp.Symbol, direction: str) -> sp.Expr | None:
        """The elasticity :math:`x g'(x)/g(x)` at the boundary the trigger faces."""
        point = sp.oo if direction == "up" else 0
        try:
            k = sp.limit(sp.simplify(x * sp.diff(g, x) / g), x, point, "-" if point == sp.oo else "+")
        except (NotImplementedError, ValueError, TypeError):  # pragma: no cover - sympy limit gave up
            return None
        return _finite_limit(k)

    def present_value(self, slope: Any, intercept: Any, x: Any, rate: Any) -> sp.Expr:
        """:math:`E\\int_0^\\infty e^{-\\rho t}(a x_t + c)\\,dt = a x/(\\rho - \\mu) + c/\\rho`."""
        return slope * x / (rate - self.mu) + intercept / rate


@dataclass(frozen=True)
class ABM(_Diffusion):
    """Arithmetic Brownian motion :math:`dx = \\mu\\,dt + \\sigma\\,dW` on the real line.

    Examples
    --------
    >>> from gvcgames.options import ABM
    >>> import sympy as sp
    >>> ABM(0, 1).roots(sp.Rational(1, 2))
    (1, -1)
    """

    name: ClassVar[str] = "arithmetic Brownian motion"
    short: ClassVar[str] = "ABM"

    @property
    def state_space(self) -> sp.Interval:
        return sp.Interval(-sp.oo, sp.oo)

    def trial(self, x: Any, b: Any) -> sp.Expr:
        return sp.exp(b * x)

    def generator(self, f: sp.Expr, x: sp.Symbol) -> sp.Expr:
        return self.sigma**2 * sp.diff(f, x, 2) / 2 + self.mu * sp.diff(f, x)

    def sde(self, x: sp.Symbol) -> sp.Eq:
        dx, dt, dw = sp.symbols(f"d{x.name} dt dW")
        return sp.Eq(dx, self.mu * dt + self.sigma * dw)

    def growth(self, g: sp.Expr, x: sp.Symbol, direction: str) -> sp.Expr | None:
        """The growth rate :math:`g'(x)/g(x)` at the boundary the trigger faces."""
        point = sp.oo if direction == "up" else -sp.oo
        try:
            k = sp.limit(sp.simplify(sp.diff(g, x) / g), x, point)
        except (NotImplementedError, ValueError, TypeError):  # pragma: no cover
            return None
        return _finite_limit(k)

    def present_value(self, slope: Any, intercept: Any, x: Any, rate: Any) -> sp.Expr:
        """:math:`E\\int_0^\\infty e^{-\\rho t}(a x_t + c)\\,dt = a(x/\\rho + \\mu/\\rho^2) + c/\\rho`."""
        return slope * (x / rate + self.mu / rate**2) + intercept / rate
