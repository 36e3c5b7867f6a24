"""Real options: single-trigger stopping, the Dixit-Pindyck basic model, RO, hazards, first passage.

Known answers are derived by hand in the comments and cited; property tests draw random
admissible parameters (seeds passed explicitly, never set globally).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames import options
from gvcgames.errors import GvcgamesError, InvalidSpecError, InvalidValuesError
from gvcgames.options import (
    ABM,
    GBM,
    InfiniteOptionValueError,
    PoissonHazard,
    expected_discount_factor,
    investment_trigger,
    optimal_stopping,
    relocation_trigger,
)

# --- independent reference formulas (typed here, not taken from the package) ------------------


def dp_beta(r: float, delta: float, sigma: float, rate: float = 0.0) -> float:
    """Positive root of 0.5 s^2 b^2 + (r - delta - 0.5 s^2) b - (r + rate) = 0 via numpy."""
    roots = np.roots([0.5 * sigma**2, r - delta - 0.5 * sigma**2, -(r + rate)])
    return float(max(roots.real))


# --- Dixit-Pindyck basic model: textbook numbers ---------------------------------------------


def test_dixit_pindyck_base_case_beta_two_and_trigger_twice_cost():
    # Base case of Dixit and Pindyck (1994), ch. 5: r = delta = 0.04, sigma = 0.2. Checked by hand: alpha = r - delta = 0,
    # Q(b) = 0.02 b (b - 1) - 0.04 = 0.02 (b^2 - b - 2) = 0.02 (b - 2)(b + 1), so beta_1 = 2 and
    # V* = beta/(beta - 1) I = 2 I; A = (V* - I)/V*^2 = I/(4 I^2) = 1/(4 I).
    for cost in (1.0, 7.5):
        res = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=cost)
        assert res.beta == pytest.approx(2.0, abs=1e-12)
        assert res.trigger == pytest.approx(2 * cost, rel=1e-12)
        assert res.coefficient == pytest.approx(1 / (4 * cost), rel=1e-12)
        assert res.breakeven == pytest.approx(cost)
        assert res.markup == pytest.approx(2.0)
        assert res.converged and res.has_trigger
        assert isinstance(res.trigger, float) and isinstance(res.beta, float)


def test_dixit_pindyck_higher_volatility_from_the_closed_form():
    # sigma = 0.4, r = delta = 0.04: Q(b) = 0.08 b(b - 1) - 0.04 = 0 -> b^2 - b - 0.5 = 0,
    # b = (1 + sqrt(3))/2, V* = b/(b - 1) I = (1 + sqrt(3))/(sqrt(3) - 1) I = (2 + sqrt(3)) I.
    res = investment_trigger(r=0.04, delta=0.04, sigma=0.4, I=1.0)
    assert res.beta == pytest.approx((1 + math.sqrt(3)) / 2, rel=1e-12)
    assert res.trigger == pytest.approx(2 + math.sqrt(3), rel=1e-12)


def test_derivation_writes_out_the_conditions_as_sympy_equations():
    res = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
    kinds = [s.kind for s in res.derivation]
    for kind in ("model", "ode", "characteristic", "roots", "value_matching", "smooth_pasting", "result", "check"):
        assert kind in kinds
    (vm,) = res.derivation.of_kind("value_matching")[0].math
    (smooth,) = res.derivation.of_kind("smooth_pasting")[0].math
    assert isinstance(vm, sp.Eq) and isinstance(smooth, sp.Eq)
    # The characteristic quadratic is derived, in the generic symbols.
    (char,) = res.derivation.of_kind("characteristic")[0].math
    b = sp.Symbol("b")
    r, delta, sigma = (next(s for s in char.free_symbols if s.name == n) for n in ("r", "delta", "sigma"))
    expected = sigma**2 * b * (b - 1) / 2 + (r - delta) * b - r
    assert sp.simplify(char.lhs - expected) == 0
    assert "ok" in res.derivation.of_kind("check")[0].title


def test_symbolic_inputs_give_the_closed_form():
    r, delta, sigma, cost = gg.parameters("r delta sigma I", positive=True)
    res = investment_trigger(r=r, delta=delta, sigma=sigma, I=cost)
    beta = sp.Symbol("beta", positive=True)
    assert sp.simplify(res.formula - cost * beta / (beta - 1)) == 0
    assert res.breakeven == cost
    assert sp.simplify(res.markup - beta / (beta - 1)) == 0
    assert res.conditions == sp.true  # every requirement follows from the domains
    # beta_1 as Dixit-Pindyck (1994, ch. 5) write it: 1/2 - (r - delta)/sigma^2 + sqrt(((r - delta)/sigma^2 - 1/2)^2 + 2 r/sigma^2)
    dp = (
        sp.Rational(1, 2)
        - (r - delta) / sigma**2
        + sp.sqrt(((r - delta) / sigma**2 - sp.Rational(1, 2)) ** 2 + 2 * r / sigma**2)
    )
    point = {r: 0.05, delta: 0.03, sigma: 0.3, cost: 2.0}
    assert float(res.beta.subs(point)) == pytest.approx(float(dp.subs(point)), rel=1e-12)
    numeric = investment_trigger(r=0.05, delta=0.03, sigma=0.3, I=2.0)
    assert float(res.trigger.subs(point)) == pytest.approx(numeric.trigger, rel=1e-12)
    assert "V^*" in res._repr_latex_()


def test_symbolic_conditions_are_kept_when_undecided():
    r, sigma, cost = gg.parameters("r sigma I", positive=True)
    delta = gg.parameters("delta")  # real, sign unknown
    res = investment_trigger(r=r, delta=delta, sigma=sigma, I=cost)
    assert res.conditions.canonical == (delta > 0).canonical


def test_result_display():
    res = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
    text = str(res)
    assert text.startswith("Investment trigger (Dixit-Pindyck basic model): V* = 2")
    assert "beta = 2" in text and "converged: True" in text
    assert "derivation:" in res.summary(derivation=True)
    assert res._repr_latex_().startswith("$V^* =")
    assert "\\begin{enumerate}" in res.to_latex() and "\\beta" in res.to_latex()


def test_option_value_and_discount_factor():
    res = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
    # F(V) = V^2/4 below V* = 2 and V - 1 above; F(V0) = (V* - I) E[exp(-r T)].
    assert res.option_value(1.0) == pytest.approx(0.25)
    assert res.option_value(3.0) == pytest.approx(2.0)
    assert res.discount_factor(1.0) == pytest.approx(0.25)
    assert res.option_value(1.0) == pytest.approx((res.trigger - 1.0) * res.discount_factor(1.0))
    assert res.discount_factor(5.0) == 1.0


# --- property tests ------------------------------------------------------------------------------

rates = st.floats(0.01, 0.15)
payouts = st.floats(0.005, 0.15)
vols = st.floats(0.05, 0.8)
costs = st.floats(0.1, 100.0)


@given(r=rates, delta=payouts, sigma=vols, cost=costs)
def test_trigger_exceeds_break_even_and_matches_an_independent_root(r, delta, sigma, cost):
    res = investment_trigger(r=r, delta=delta, sigma=sigma, I=cost)
    beta = dp_beta(r, delta, sigma)
    assert res.beta == pytest.approx(beta, rel=1e-9)
    assert res.beta > 1
    assert res.trigger == pytest.approx(beta / (beta - 1) * cost, rel=1e-9)
    assert res.trigger > res.breakeven == pytest.approx(cost)
    assert res.converged
    # F >= V - I below the trigger, equality (value matching) at it.
    for v in np.linspace(0.1, 1.0, 5) * res.trigger:
        assert res.option_value(v) >= v - cost - 1e-9 * cost


@given(r=rates, delta=payouts, sigma=st.floats(0.05, 0.6), cost=costs)
def test_trigger_increases_in_volatility(r, delta, sigma, cost):
    low = investment_trigger(r=r, delta=delta, sigma=sigma, I=cost)
    high = investment_trigger(r=r, delta=delta, sigma=sigma * 1.25, I=cost)
    assert high.trigger > low.trigger
    assert high.beta < low.beta


@given(r=rates, delta=payouts, sigma=vols, rate=st.floats(0.01, 0.5))
def test_a_destroying_hazard_adds_to_the_discount_rate_and_lowers_the_trigger(r, delta, sigma, rate):
    plain = investment_trigger(r=r, delta=delta, sigma=sigma, I=1.0)
    hazard = investment_trigger(r=r, delta=delta, sigma=sigma, I=1.0, hazard=rate)
    assert hazard.beta == pytest.approx(dp_beta(r, delta, sigma, rate), rel=1e-9)
    assert 1.0 < hazard.trigger < plain.trigger


# --- general stopping -----------------------------------------------------------------------------


def test_general_stopping_gbm_perpetuity_payoff():
    # Pay K = 10 for a flow x with x ~ GBM(0.01, 0.2), r = 0.05: g = x/0.04 - 10, break-even 0.4,
    # beta positive root of 0.02 b^2 - 0.01 b - 0.05 = 0, x* = beta/(beta - 1) 0.4.
    x = sp.Symbol("x", positive=True)
    res = optimal_stopping(x / (0.05 - 0.01) - 10, x, GBM(0.01, 0.2), r=0.05)
    beta = (0.01 + math.sqrt(0.01**2 + 4 * 0.02 * 0.05)) / (2 * 0.02)
    assert res.beta == pytest.approx(beta, rel=1e-12)
    assert res.trigger == pytest.approx(beta / (beta - 1) * 0.4, rel=1e-12)
    assert res.breakeven == pytest.approx(0.4)


def test_general_stopping_lower_trigger_put():
    # Abandon (receive 1 - x) when x falls: beta_2 = -1 at mu = 0, sigma = 0.2, r = 0.04, so
    # x* = beta_2/(beta_2 - 1) = 1/2.
    x = sp.Symbol("x", positive=True)
    res = optimal_stopping(1 - x, x, GBM(0, 0.2), r=0.04, direction="down")
    assert res.beta == pytest.approx(-1.0)
    assert res.trigger == pytest.approx(0.5)
    assert res.option_value(2.0) == pytest.approx(0.25 / 2.0)  # A x^-1 with A = 0.5 * 0.5
    assert res.discount_factor(1.0) == pytest.approx(0.5)  # (1/0.5)^-1


def test_general_stopping_arithmetic_brownian_motion():
    # ABM(0, 1), r = 1/2: Q(b) = b^2/2 - 1/2, beta = 1; g = y - 1: x* = 1 + 1/beta = 2.
    y = sp.Symbol("y", real=True)
    res = optimal_stopping(y - 1, y, ABM(0, 1), r=0.5)
    assert res.beta == pytest.approx(1.0)
    assert res.trigger == pytest.approx(2.0)
    assert res.coefficient == pytest.approx(math.exp(-2.0))


def test_general_stopping_without_closed_form_uses_scipy_and_verifies():
    x = sp.Symbol("x", positive=True)
    g = x - 1 + sp.log(1 + x) / 5
    res = optimal_stopping(g, x, GBM(0.0, 0.2), r=0.04)
    # Smooth pasting: x g'(x) = beta g(x) at the trigger.
    gp = sp.diff(g, x)
    assert float((x * gp - res.beta * g).subs(x, res.trigger)) == pytest.approx(0, abs=1e-9)
    assert res.converged


def test_nonmonotone_payoff_fails_the_optimality_check_instead_of_lying():
    x = sp.Symbol("x", positive=True)
    res = optimal_stopping(x - 1 + sp.sin(3 * x) / 2, x, GBM(0.0, 0.2), r=0.04)
    assert not res.converged
    assert "not a single trigger" in res.message


def test_stopping_symbolic_payoff_keeps_the_beta_form():
    x = sp.Symbol("x", positive=True)
    k, r, sigma = sp.symbols("K r sigma", positive=True)
    res = optimal_stopping(x - k, x, GBM(0, sigma), r)
    beta = sp.Symbol("beta", positive=True)
    assert sp.simplify(res.formula - beta * k / (beta - 1)) == 0


# --- RO: relocation trigger -----------------------------------------------------------------------


def test_relocation_trigger_matches_domain_formula():
    # DOMAIN.md RO: x* = beta/(beta - 1) (r - mu)(I + delta/r). With r = 0.04, mu = 0, sigma = 0.2:
    # beta = 2, so x* = 2 * 0.04 * (10 + 0.2/0.04) = 1.2; prevention e scales the trigger to x*/(1 - e).
    res = relocation_trigger(r=0.04, mu=0.0, sigma=0.2, I=10.0, premium=0.2)
    assert res.trigger == pytest.approx(1.2)
    assert res.breakeven == pytest.approx(0.6)
    for e in (0.25, 0.5, 0.9):
        assert relocation_trigger(r=0.04, mu=0.0, sigma=0.2, I=10.0, premium=0.2, prevention=e).trigger == (
            pytest.approx(1.2 / (1 - e))
        )
    r, mu, sigma, cost, delta = 0.06, 0.02, 0.3, 5.0, 0.1
    beta = (-(mu - sigma**2 / 2) + math.sqrt((mu - sigma**2 / 2) ** 2 + 2 * r * sigma**2)) / sigma**2
    res = relocation_trigger(r=r, mu=mu, sigma=sigma, I=cost, premium=delta)
    assert res.trigger == pytest.approx(beta / (beta - 1) * (r - mu) * (cost + delta / r), rel=1e-12)


def test_relocation_trigger_symbolic_prevention():
    r, sigma, cost, delta = gg.parameters("r sigma I delta", positive=True)
    mu = gg.parameters("mu")
    e = gg.parameters("e", domain="[0, 1)")
    res = relocation_trigger(r=r, mu=mu, sigma=sigma, I=cost, premium=delta, prevention=e)
    base = relocation_trigger(r=r, mu=mu, sigma=sigma, I=cost, premium=delta)
    assert sp.simplify(res.trigger * (1 - e) - base.trigger) == 0
    assert res.conditions.canonical == (mu < r).canonical


def test_full_prevention_means_no_finite_trigger():
    res = relocation_trigger(r=0.04, mu=0.0, sigma=0.2, I=10.0, premium=0.2, prevention=1.0)
    assert not res.has_trigger
    assert res.trigger == math.inf
    assert "no finite trigger" in res.message
    assert res.option_value(1.0) == 0.0
    assert res.discount_factor(1.0) == 0.0


# --- hazards ----------------------------------------------------------------------------------


def test_state_scaling_jump_hazard():
    # V jumps to 0.7 V at rate 0.1: Q(b) = 0.02 b (b - 1) - 0.04 + 0.1 (0.7^b - 1); beta is its root.
    hz = PoissonHazard(0.1, jump=-0.3)
    res = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0, hazard=hz)
    b = res.beta
    assert 0.02 * b * (b - 1) - 0.04 + 0.1 * (0.7**b - 1) == pytest.approx(0, abs=1e-12)
    assert res.trigger == pytest.approx(b / (b - 1))
    assert res.converged
    # A jump that almost destroys the state is almost a destroying hazard.
    near = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0, hazard=PoissonHazard(0.1, jump=-0.999999))
    destroy = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0, hazard=0.1)
    assert near.trigger == pytest.approx(destroy.trigger, rel=1e-4)


def test_hazard_bad_input():
    with pytest.raises(InvalidValuesError, match=r"hazard rate must be nonnegative, got -0\.1"):
        PoissonHazard(-0.1)
    with pytest.raises(InvalidSpecError, match="upward jumps overshoot"):
        PoissonHazard(0.1, jump=0.5)
    with pytest.raises(InvalidValuesError, match=r"jump must be in \[-1, 0\)"):
        PoissonHazard(0.1, jump=-2)
    x = sp.Symbol("x", positive=True)
    with pytest.raises(InvalidSpecError, match="upper triggers only"):
        optimal_stopping(1 - x, x, GBM(0, 0.2), 0.04, direction="down", hazard=PoissonHazard(0.1, -0.5))


# --- expected discount factor -------------------------------------------------------------------


def simulate_first_passage(x0, level, mu, sigma, r, *, hazard=0.0, n=6000, dt=0.02, horizon=30.0, seed=12345):
    """Monte Carlo E[exp(-r T) 1{T < tau}] for a GBM hitting an upper level (Brownian-bridge crossing)."""
    rng = np.random.default_rng(seed)
    barrier = math.log(level / x0)
    nu = mu - sigma**2 / 2
    logx = np.zeros(n)
    hit = np.full(n, np.inf)
    alive = np.ones(n, bool)
    for k in range(int(horizon / dt)):
        step = nu * dt + sigma * math.sqrt(dt) * rng.standard_normal(n)
        new = logx + step
        # Probability that the bridge between the two points crossed the barrier.
        cross_prob = np.exp(-2 * np.clip(barrier - logx, 0, None) * np.clip(barrier - new, 0, None) / (sigma**2 * dt))
        crossed = alive & ((new >= barrier) | (rng.random(n) < cross_prob))
        hit[crossed] = (k + 0.5) * dt
        alive &= ~crossed
        logx = new
    killed_before = rng.exponential(1 / hazard, n) < hit if hazard > 0 else np.zeros(n, bool)
    payoff = np.where(np.isfinite(hit) & ~killed_before, np.exp(-r * np.where(np.isfinite(hit), hit, 0)), 0.0)
    return payoff.mean(), payoff.std() / math.sqrt(n)


@pytest.mark.parametrize("hazard", [0.0, 0.1])
def test_expected_discount_factor_against_monte_carlo(hazard):
    x0, level, mu, sigma, r = 1.0, 1.5, 0.05, 0.3, 0.2
    fp = expected_discount_factor(x0, level, GBM(mu, sigma), r, hazard=hazard)
    beta = dp_beta(r, r - mu, sigma, hazard)  # GBM drift mu = r - delta
    assert fp.value == pytest.approx((x0 / level) ** beta, rel=1e-12)
    mean, se = simulate_first_passage(x0, level, mu, sigma, r, hazard=hazard)
    assert abs(mean - fp.value) < 4 * se + 0.01


def test_first_passage_probability_and_time():
    # log x drifts at nu = mu - sigma^2/2. nu < 0: P(hit) = (x0/x*)^(-2 nu/sigma^2); nu > 0: E[T] = ln(x*/x0)/nu.
    fp = expected_discount_factor(1.0, 2.0, GBM(0.0, 0.2), r=0.04)
    assert fp.probability == pytest.approx(0.5) and fp.expected_time == math.inf
    fp = expected_discount_factor(1.0, 2.0, GBM(0.05, 0.2), r=0.04)
    assert fp.probability == 1.0
    assert fp.expected_time == pytest.approx(math.log(2) / 0.03)
    down = expected_discount_factor(3.0, 2.0, GBM(0.05, 0.2), r=0.04)
    assert down.direction == "down" and down.beta < 0
    assert down.probability == pytest.approx((2 / 3) ** (2 * 0.03 / 0.04))


def test_abm_first_passage_is_the_log_of_gbm():
    # log of GBM(mu, sigma) is ABM(mu - sigma^2/2, sigma): the same passage, the same discount factor.
    gbm = expected_discount_factor(1.0, 1.5, GBM(0.05, 0.3), r=0.2)
    abm = expected_discount_factor(0.0, math.log(1.5), ABM(0.05 - 0.045, 0.3), r=0.2)
    assert abm.value == pytest.approx(gbm.value, rel=1e-12)
    assert abm.expected_time == pytest.approx(gbm.expected_time, rel=1e-12)


def test_first_passage_symbolic():
    x0, xs, r, sigma = sp.symbols("x0 xs r sigma", positive=True)
    fp = expected_discount_factor(x0, xs, GBM(0, sigma), r)
    assert fp.value.subs({x0: 1, xs: 2, r: sp.Rational(1, 25), sigma: sp.Rational(1, 5)}) == sp.Rational(1, 4)


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"sigma": 0.0}, InvalidValuesError, "volatility sigma must be positive, got sigma = 0"),
        ({"sigma": -0.2}, InvalidValuesError, "volatility sigma must be positive, got sigma = -0.2"),
        ({"r": 0.0, "delta": -0.01}, InvalidValuesError, "discount rate r must be positive, got r = 0"),
        ({"I": -1.0}, InvalidValuesError, "sunk cost I must be positive, got I = -1"),
        ({"I": 0.0}, InvalidValuesError, "sunk cost I must be positive, got I = 0"),
        ({"delta": 0.0}, InfiniteOptionValueError, r"option value is infinite: delta = 0 .*no finite trigger"),
        ({"delta": -0.02}, InfiniteOptionValueError, "not below the discount rate r = 0.04"),
        ({"sigma": float("nan")}, InvalidValuesError, "sigma must be finite"),
        ({"I": "ten"}, InvalidValuesError, "I must be a real number"),
        ({"r": 1j}, InvalidValuesError, "r must be real"),
    ],
)
def test_investment_trigger_bad_input(kwargs, error, match):
    args = {"r": 0.04, "delta": 0.04, "sigma": 0.2, "I": 1.0, **kwargs}
    with pytest.raises(error, match=match):
        investment_trigger(**args)


def test_errors_derive_from_the_package_base_and_valueerror():
    assert issubclass(InfiniteOptionValueError, GvcgamesError)
    assert issubclass(InfiniteOptionValueError, ValueError)
    assert issubclass(options.TriggerNotFoundError, GvcgamesError)
    assert issubclass(options.TriggerNotFoundError, RuntimeError)


def test_provably_bad_symbols_raise_spec_errors():
    s = gg.parameters("s", positive=True)
    with pytest.raises(InvalidSpecError, match="volatility sigma must be positive, got sigma = -s"):
        investment_trigger(r=0.04, delta=0.04, sigma=-s, I=1.0)
    with pytest.raises(InfiniteOptionValueError, match="option value is infinite"):
        investment_trigger(r=0.04, delta=-s, sigma=0.2, I=1.0)


def test_relocation_bad_input():
    good = {"r": 0.04, "mu": 0.0, "sigma": 0.2, "I": 10.0, "premium": 0.2}
    with pytest.raises(InfiniteOptionValueError, match=r"need r > mu"):
        relocation_trigger(**{**good, "mu": 0.05})
    with pytest.raises(InvalidValuesError, match=r"prevention e must be in \[0, 1\], got e = 1.5"):
        relocation_trigger(**good, prevention=1.5)
    with pytest.raises(InvalidValuesError, match=r"cost premium must be nonnegative, got premium = -0\.2"):
        relocation_trigger(**{**good, "premium": -0.2})
    with pytest.raises(InvalidValuesError, match="relocation cost I must be nonnegative"):
        relocation_trigger(**{**good, "I": -1.0})
    with pytest.raises(InvalidValuesError, match=r"residual share theta must be in \[0, 1\)"):
        relocation_trigger(**good, residual=1.0)


def test_stopping_bad_input_and_never_paying_payoff():
    x = sp.Symbol("x", positive=True)
    never = optimal_stopping(-x - 1, x, GBM(0.0, 0.2), r=0.04)
    assert not never.has_trigger and never.trigger == math.inf
    assert "never positive" in never.message and "no finite trigger" in never.message
    assert never.option_value(3.0) == 0.0
    assert never.discount_factor(1.0) == 0.0
    put_never = optimal_stopping(-x - 1, x, GBM(0.0, 0.2), r=0.04, direction="down")
    assert not put_never.has_trigger and put_never.trigger == 0.0
    assert put_never.discount_factor(1.0) == 0.0
    # A payoff that never pays is reported even where r <= mu would make a paying option infinite.
    assert not optimal_stopping(-x - 1, x, GBM(0.05, 0.2), r=0.04).has_trigger
    with pytest.raises(InfiniteOptionValueError, match=r"Q\(1\) = 0.01 >= 0; .* r = 0.04, mu = 0.05"):
        optimal_stopping(x - 1, x, GBM(0.05, 0.2), r=0.04)
    with pytest.raises(InvalidSpecError, match="does not depend on the state"):
        optimal_stopping(sp.Integer(3), x, GBM(0.0, 0.2), r=0.04)
    with pytest.raises(InvalidSpecError, match="direction must be 'up'"):
        optimal_stopping(x - 1, x, GBM(0.0, 0.2), r=0.04, direction="sideways")
    with pytest.raises(InvalidValuesError, match="volatility sigma must be positive, got sigma = 0"):
        GBM(0.0, 0.0)
    with pytest.raises(InvalidValuesError, match=r"discount rate r must be positive, got r = -0\.01"):
        expected_discount_factor(1.0, 2.0, GBM(0.0, 0.2), r=-0.01)


def test_stop_at_once_when_the_payoff_is_positive_everywhere():
    x = sp.Symbol("x", positive=True)
    res = optimal_stopping(x + 1, x, GBM(0.0, 0.2), r=0.04)
    assert res.has_trigger and res.trigger == 0.0
    assert "stopping at once" in res.message
    assert res.discount_factor(1.0) == 1.0


@given(
    r=rates,
    delta=st.floats(-0.1, 0.15),
    sigma=st.floats(-0.2, 0.8),
    cost=st.floats(-5, 50),
)
def test_never_nan(r, delta, sigma, cost):
    """Any input either raises a gvcgames error or gives finite (or infinite, never NaN) numbers."""
    try:
        res = investment_trigger(r=r, delta=delta, sigma=sigma, I=cost)
    except GvcgamesError:
        return
    for value in (res.trigger, res.beta, res.coefficient, res.breakeven):
        assert not math.isnan(value)
