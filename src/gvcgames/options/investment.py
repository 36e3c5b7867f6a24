r"""Investment and relocation timing: the Dixit-Pindyck basic model and the RO trigger.

Definitions
-----------
**Basic model** (Dixit and Pindyck 1994, ch. 5; McDonald and Siegel 1986). The value of a
project :math:`V` follows :math:`dV = \alpha V\,dt + \sigma V\,dW` with
:math:`\alpha = r - \delta` (:math:`\delta > 0` the payout rate, the opportunity cost of
waiting). Paying the sunk cost :math:`I` gives :math:`V`. The option to invest is
:math:`F(V) = A V^{\beta_1}` and the firm invests when :math:`V` first reaches

.. math:: V^* = \frac{\beta_1}{\beta_1 - 1} I, \qquad
          \beta_1 = \tfrac12 - \frac{r-\delta}{\sigma^2}
          + \sqrt{\Big(\frac{r-\delta}{\sigma^2} - \tfrac12\Big)^2 + \frac{2r}{\sigma^2}} > 1 .

:math:`V^* > I` (the NPV rule's break-even) and :math:`V^*` rises with :math:`\sigma`.
With :math:`\delta \le 0` the option is worth more the longer one waits: no finite trigger.
A Poisson hazard at rate :math:`\lambda` that destroys the option replaces :math:`r` by
:math:`r + \lambda` in the characteristic quadratic (McDonald and Siegel 1986).

**RO relocation trigger** (the WP2 catalogue, ``shared/DOMAIN.md``). The lead firm's expected
disruption cost flow :math:`x` follows :math:`dx = \mu x\,dt + \sigma x\,dW`. Relocating
costs :math:`I` (sunk) plus a cost premium flow :math:`\delta` and removes the share
:math:`(1-e)(1-\theta)` of the flow (:math:`e` the supplier's prevention, :math:`\theta` the
share of disruption costs that survives relocation). The payoff of relocating at :math:`x` is
:math:`(1-e)(1-\theta)\,x/(r-\mu) - \delta/r - I`, so

.. math:: x^* = \frac{\beta_1}{\beta_1 - 1}\,\frac{(r - \mu)(I + \delta/r)}{(1-e)(1-\theta)} .

References
----------
Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 5.

McDonald, R. and Siegel, D. (1986). The value of waiting to invest. *Quarterly Journal of
Economics* 101(4), 707-727.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any

import sympy as sp

from gvcgames.options._inputs import as_input, combine, is_numeric, is_zero, out, require, show
from gvcgames.options.errors import InfiniteOptionValueError
from gvcgames.options.hazard import PoissonHazard, as_hazard
from gvcgames.options.process import GBM
from gvcgames.options.stopping import BETA, StoppingResult, coefficient, optimal_stopping, verify_trigger
from gvcgames.results import DerivationLog

_r, _delta, _sigma, _I, _lam = sp.symbols("r delta sigma I lambda", positive=True)
_mu = sp.Symbol("mu", real=True)
_prem = sp.Symbol("delta", positive=True)
_e = sp.Symbol("e", nonnegative=True)
_theta = sp.Symbol("theta", nonnegative=True)
_V = sp.Symbol("V", positive=True)
_x = sp.Symbol("x", positive=True)

DP_TITLE = "Investment trigger (Dixit-Pindyck basic model)"
RO_TITLE = "Relocation trigger (RO)"


@lru_cache(maxsize=4)
def _dp_generic(with_hazard: bool) -> StoppingResult:
    return optimal_stopping(
        _V - _I, _V, GBM(_r - _delta, _sigma), _r, hazard=_lam if with_hazard else None, title=DP_TITLE
    )


@lru_cache(maxsize=4)
def _ro_generic(with_hazard: bool) -> StoppingResult:
    # share = (1 - e)(1 - theta) enters as one positive symbol s, substituted afterwards.
    s = sp.Symbol("s", positive=True)
    payoff = s * _x / (_r - _mu) - _prem / _r - _I
    return optimal_stopping(payoff, _x, GBM(_mu, _sigma), _r, hazard=_lam if with_hazard else None, title=RO_TITLE)


def investment_trigger(r: Any, delta: Any, sigma: Any, I: Any, *, hazard: Any = None) -> StoppingResult:  # noqa: E741
    """Dixit-Pindyck basic model: when to pay ``I`` for a project worth ``V``.

    Parameters
    ----------
    r : float or sympy expression
        Discount rate, positive.
    delta : float or sympy expression
        Payout rate; the drift of ``V`` is ``alpha = r - delta``. Must be positive (with a
        destroying hazard: ``delta + lambda > 0``), else the option value is infinite.
    sigma : float or sympy expression
        Volatility of ``V``, positive.
    I : float or sympy expression
        Sunk cost of investing, positive.
    hazard : float or PoissonHazard, optional
        A Poisson hazard; a number is the rate of an event that destroys the option.

    Returns
    -------
    StoppingResult
        ``.trigger`` is :math:`V^*`, ``.beta`` is :math:`\\beta_1`; floats for numeric
        input, sympy expressions for symbolic input (with ``.conditions`` for what could not
        be decided). ``.formula`` is ``I*beta/(beta - 1)``.

    Raises
    ------
    InvalidValuesError
        ``sigma <= 0``, ``r <= 0`` or ``I <= 0`` (numbers); InvalidSpecError if provably so
        for symbols.
    InfiniteOptionValueError
        ``delta <= 0`` (``r`` not above the drift ``alpha``): waiting always pays more.

    Examples
    --------
    Dixit and Pindyck's base case, ``r = delta = 0.04``, ``sigma = 0.2``: ``beta = 2``, so
    invest only when the project is worth twice its cost.

    >>> import gvcgames as gg
    >>> from gvcgames.options import investment_trigger
    >>> res = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
    >>> round(res.beta, 12), round(res.trigger, 12)
    (2.0, 2.0)
    >>> r, delta, sigma, I = gg.parameters("r delta sigma I", positive=True)
    >>> investment_trigger(r=r, delta=delta, sigma=sigma, I=I).formula
    I*beta/(beta - 1)

    References
    ----------
    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 5.
    """
    values = {
        _r: as_input("r", r),
        _delta: as_input("delta", delta),
        _sigma: as_input("sigma", sigma),
        _I: as_input("I", I),
    }
    hz = as_hazard(hazard)
    numeric = is_numeric(*values.values(), hz.rate, hz.jump)
    rv, dv, sv, iv = values[_r], values[_delta], values[_sigma], values[_I]
    conds = [
        require(sv > 0, f"volatility sigma must be positive, got sigma = {show(sv)}", numeric=numeric),
        require(rv > 0, f"the discount rate r must be positive, got r = {show(rv)}", numeric=numeric),
        require(
            iv > 0,
            f"the sunk cost I must be positive, got I = {show(iv)}; with I <= 0 there is nothing to wait for",
            numeric=numeric,
        ),
    ]
    loss = -hz.jump * hz.rate  # expected proportional loss rate from the hazard
    conds.append(
        require(
            dv + loss > 0,
            f"the option value is infinite: delta = {show(dv)} means V grows at alpha = r - delta = "
            f"{show(rv - dv)}, not below the discount rate r = {show(rv)}"
            + (f" (even with the hazard's loss rate {show(loss)})" if hz.active else "")
            + "; waiting always pays more, so there is no finite trigger (need delta > 0)",
            numeric=numeric,
            error=InfiniteOptionValueError,
        )
    )
    process = GBM(rv - dv, sv)
    if hz.active and not hz.destroys:
        res = optimal_stopping(_V - iv, _V, process, rv, hazard=hz, title=DP_TITLE)
        return dataclasses.replace(res, breakeven=out(iv), conditions=combine(conds))
    if hz.active:
        values[_lam] = hz.rate
    generic = _dp_generic(hz.active)
    return _specialise(generic, values, process, _V - iv, rv, hz, conds, numeric, breakeven=iv)


def relocation_trigger(
    r: Any,
    mu: Any,
    sigma: Any,
    I: Any,  # noqa: E741
    premium: Any = 0,
    *,
    prevention: Any = 0,
    residual: Any = 0,
    hazard: Any = None,
) -> StoppingResult:
    """RO model: when a lead firm relocates away from a disruption-prone location.

    Parameters
    ----------
    r : float or sympy expression
        Discount rate, positive and above ``mu``.
    mu, sigma : float or sympy expression
        Drift and volatility of the expected disruption cost flow ``x`` (a GBM).
    I : float or sympy expression
        Sunk cost of relocating, nonnegative (``I + premium > 0``).
    premium : float or sympy expression
        Cost premium flow ``delta`` of the new location, nonnegative.
    prevention : float or sympy expression
        The supplier's risk prevention ``e`` in ``[0, 1]``: the flow is ``x (1 - e)``.
        With ``e = 1`` relocating never pays (``has_trigger=False``).
    residual : float or sympy expression
        Share ``theta`` in ``[0, 1)`` of disruption costs that survive relocation.
    hazard : float or PoissonHazard, optional
        A Poisson hazard; a number is the rate of an event that destroys the option.

    Returns
    -------
    StoppingResult
        ``.trigger`` is :math:`x^*`; ``.breakeven`` the NPV rule's
        :math:`(r-\\mu)(I + \\delta/r)/((1-e)(1-\\theta))`.

    Raises
    ------
    InvalidValuesError
        Bad numbers: ``sigma <= 0``, ``r <= 0``, negative costs, ``I + premium == 0``,
        ``e`` outside ``[0, 1]``, ``theta`` outside ``[0, 1)``.
    InfiniteOptionValueError
        ``r <= mu``: the present value of the disruption flow is infinite.

    Examples
    --------
    >>> from gvcgames.options import relocation_trigger
    >>> res = relocation_trigger(r=0.04, mu=0.0, sigma=0.2, I=10.0, premium=0.2)
    >>> round(res.breakeven, 10), round(res.trigger, 10)
    (0.6, 1.2)
    >>> round(relocation_trigger(r=0.04, mu=0.0, sigma=0.2, I=10.0, premium=0.2, prevention=0.5).trigger, 10)
    2.4

    References
    ----------
    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 5.
    """
    rv, mv, sv, iv = (as_input(n, v) for n, v in (("r", r), ("mu", mu), ("sigma", sigma), ("I", I)))
    pv, ev, tv = (
        as_input(n, v) for n, v in (("premium", premium), ("prevention e", prevention), ("residual", residual))
    )
    hz = as_hazard(hazard)
    numeric = is_numeric(rv, mv, sv, iv, pv, ev, tv, hz.rate, hz.jump)
    conds = [
        require(sv > 0, f"volatility sigma must be positive, got sigma = {show(sv)}", numeric=numeric),
        require(rv > 0, f"the discount rate r must be positive, got r = {show(rv)}", numeric=numeric),
        require(iv >= 0, f"the relocation cost I must be nonnegative, got I = {show(iv)}", numeric=numeric),
        require(pv >= 0, f"the cost premium must be nonnegative, got premium = {show(pv)}", numeric=numeric),
        require(
            iv + pv > 0,
            "relocating must cost something (I + premium > 0); with no cost the firm relocates at once",
            numeric=numeric,
        ),
        require(ev >= 0, f"prevention e must be in [0, 1], got e = {show(ev)}", numeric=numeric),
        require(ev <= 1, f"prevention e must be in [0, 1], got e = {show(ev)}", numeric=numeric),
        require(tv >= 0, f"the residual share theta must be in [0, 1), got theta = {show(tv)}", numeric=numeric),
        require(tv < 1, f"the residual share theta must be in [0, 1), got theta = {show(tv)}", numeric=numeric),
        require(
            rv > mv,
            f"the option value is infinite: the disruption cost flow grows at mu = {show(mv)}, not below the "
            f"discount rate r = {show(rv)}, so its present value diverges (need r > mu)",
            numeric=numeric,
            error=InfiniteOptionValueError,
        ),
    ]
    share = (1 - ev) * (1 - tv)
    process = GBM(mv, sv)
    payoff = share * _x / (rv - mv) - pv / rv - iv
    if numeric and is_zero(share):
        log = DerivationLog()
        log.add("result", "With e = 1 no disruption cost is left to avoid: relocating never pays", sp.Eq(_x * 0, 0))
        return StoppingResult(
            trigger=float("inf"),
            beta=out(process.roots(rv, hz)[0]),
            coefficient=0.0,
            formula=None,
            breakeven=None,
            has_trigger=False,
            conditions=sp.true,
            payoff=payoff,
            state=_x,
            process=process,
            r=out(rv),
            hazard=hz,
            direction="up",
            method="payoff check",
            message="no finite trigger: with full prevention (e = 1) the firm has no disruption cost to avoid, "
            "so relocating never pays and the option is worth 0",
            derivation=log.freeze(),
            title=RO_TITLE,
        )
    # With e = 1 no disruption cost is left to avoid: the trigger x*/(1 - e) is infinite (zoo).
    conds.append(
        require(
            ev < 1,
            f"prevention e = {show(ev)} leaves no disruption cost to avoid, so relocating never pays "
            "(there is no finite trigger); the closed form needs e < 1",
            numeric=numeric,
        )
    )
    if hz.active and not hz.destroys:
        res = optimal_stopping(payoff, _x, process, rv, hazard=hz, title=RO_TITLE)
        return dataclasses.replace(res, conditions=combine(conds))
    values: dict[sp.Symbol, Any] = {
        _r: rv,
        _mu: mv,
        _sigma: sv,
        _I: iv,
        _prem: pv,
        sp.Symbol("s", positive=True): share,
    }
    if hz.active:
        values[_lam] = hz.rate
    generic = _ro_generic(hz.active)
    breakeven = (rv - mv) * (iv + pv / rv) / share
    return _specialise(generic, values, process, payoff, rv, hz, conds, numeric, breakeven=breakeven)


_EVALUATORS: dict[tuple[int, tuple[sp.Symbol, ...]], Any] = {}


def _evaluator(generic: StoppingResult, keys: tuple[sp.Symbol, ...]) -> Any:
    """The generic trigger formula as a function of (values..., beta), lambdified once."""
    key = (id(generic), keys)
    if key not in _EVALUATORS:
        (beta,) = (s for s in generic.formula.free_symbols if s.name == "beta")
        _EVALUATORS[key] = sp.lambdify([*keys, beta], generic.formula, "math")
    return _EVALUATORS[key]


def _specialise(
    generic: StoppingResult,
    values: dict[sp.Symbol, Any],
    process: GBM,
    payoff: sp.Expr,
    r: sp.Expr,
    hazard: PoissonHazard,
    conds: list[sp.Boolean],
    numeric: bool,
    breakeven: sp.Expr,
) -> StoppingResult:
    """Substitute the user's values into a generic closed-form result."""
    formula = generic.formula.subs(values) if generic.formula is not None else None
    log = DerivationLog()
    log.extend(list(generic.derivation.steps))
    shown = [sp.Eq(k, v) for k, v in values.items() if k != v]
    star = sp.Symbol(f"{generic.state.name}^*")
    converged, message = True, ""
    if numeric:
        # Numbers: evaluate the generic closed forms with lambdified functions (subs is slow).
        keys = tuple(sorted(values, key=lambda s: s.name))
        beta: Any = float(process.roots(r, hazard)[0])
        if beta - 1 <= 1e-9:
            raise InfiniteOptionValueError(
                f"the trigger is numerically infinite: beta - 1 = {beta - 1:.3g} (the discount rate barely exceeds "
                "the drift), so the markup beta/(beta - 1) overflows; increase r - drift"
            )
        trigger: Any = float(_evaluator(generic, keys)(*(float(values[k]) for k in keys), beta))
        at_trigger = float(payoff.subs(generic.state, trigger))
        coef: Any = coefficient(at_trigger, trigger, beta, process)
        log.add(
            "substitute",
            "Substituting the values",
            *shown,
            sp.Eq(BETA, beta),
            sp.Eq(star, trigger),
        )
        converged, message, title = verify_trigger(payoff, generic.state, process, r, hazard, "up", beta, trigger)
        log.add("check", title)
        breakeven = out(breakeven)
    else:
        beta = sp.sympify(generic.beta).subs(values)
        trigger = sp.together(sp.sympify(generic.trigger).subs(values))
        coef = sp.together(sp.sympify(generic.coefficient).subs(values))
        if shown:
            log.add(
                "substitute",
                "Substituting the values",
                *shown,
                sp.Eq(BETA, beta),
                sp.Eq(star, trigger),
            )
    return dataclasses.replace(
        generic,
        trigger=trigger,
        beta=beta,
        coefficient=coef,
        formula=formula,
        breakeven=breakeven,
        conditions=combine(conds),
        payoff=payoff,
        process=process,
        r=out(r),
        hazard=hazard,
        converged=converged,
        message=message,
        derivation=log.freeze(),
    )
