"""The catalogue's testable hypotheses: statics signs as stated in DOMAIN.md, from the engine."""

import pytest
import sympy as sp

import gvcgames as gg
from gvcgames.models.relocation_option import option_values
from gvcgames.statics.implicit import first_order_conditions

PR = gg.models.prevention_relocation()
PR_INTERIOR = next(eq for eq in PR.solve() if eq.case.startswith("e interior"))
R = "Pr(lead firm: relocate)"


@pytest.mark.parametrize(
    ("outcome", "wrt", "sign"),
    [
        ("e", "p", gg.Sign.POSITIVE),
        ("e", "c", gg.Sign.NEGATIVE),
        (R, "m", gg.Sign.NEGATIVE),
        (R, "c", gg.Sign.POSITIVE),
    ],
)
def test_pr_proved_signs(outcome, wrt, sign):
    # DOMAIN.md, model PR: de*/dp > 0, de*/dc < 0, dR*/dm < 0, dR*/dc > 0.
    result = gg.comparative_statics(PR_INTERIOR, outcome=outcome, wrt=PR.symbol(wrt))
    assert result.sign == sign and result.certificate == "proved"


def test_pr_relocation_response_to_risk_is_conditional():
    # DOMAIN.md: dR*/dp = D (1 - 2 e*)/Fbar, positive iff e* < 1/2.
    p, D, Fbar, m, c = (PR.symbol(n) for n in ("p", "D", "Fbar", "m", "c"))
    result = gg.comparative_statics(PR_INTERIOR, outcome=R, wrt=p)
    assert result.certificate == "conditional"
    e_star = PR_INTERIOR["e"]
    assert sp.simplify(result.derivative - D * (1 - 2 * e_star) / Fbar) == 0
    positive = result.conditions[gg.Sign.POSITIVE]
    assert positive == (Fbar * c > 2 * D * m * p)  # i.e. e* < 1/2
    from gvcgames.testing import assert_sign

    assert_sign(
        gg.comparative_statics(PR_INTERIOR, outcome="e", wrt=p), {"p": 0.5, "D": 10, "Fbar": 10, "m": 2, "c": 4}
    )


def test_rg_mixed_equilibrium_statics():
    rg = gg.models.reconfiguration()
    mixed = rg.mixed_equilibria().equilibria[0]
    kappa = next(s for s in rg.parameters if s.name == "kappa")
    result = gg.comparative_statics(mixed, outcome="lead firm:stay", wrt=kappa)
    assert result.sign == gg.Sign.POSITIVE and result.certificate == "proved"  # costlier prevention: L stays more often


def test_ro_prevention_falls_with_the_option_exponent_by_ift():
    # RO has no closed form: de*/dbeta by the implicit function theorem at a numeric point,
    # checked against a finite difference of the numeric optimum.
    ro = gg.models.relocation_option()
    (foc,), (e,) = first_order_conditions(ro)
    beta = ro.symbol("beta")
    values = {"m": 1.0, "c": 2.0, "r": 0.05, "x0": 0.5, **option_values(r=0.05, mu=0.01, sigma=0.2, I=10.0, delta=0.1)}
    e_star = float(ro.solve_at(values).equilibria[0][e])
    ift = gg.implicit_statics(foc, e, beta, at={**values, "e": e_star})
    h = 1e-5
    up = float(ro.solve_at({**values, "beta": values["beta"] + h}).equilibria[0][e])
    down = float(ro.solve_at({**values, "beta": values["beta"] - h}).equilibria[0][e])
    numeric = (up - down) / (2 * h)
    assert float(ift.values[0][0]) == pytest.approx(numeric, rel=1e-4)
    # a larger beta shrinks the discount factor (x0 (1 - e)/x*)^beta: relocation is further
    # off in expectation, so the MSE prevents less
    assert ift.values[0][0] < 0


def test_ro_prevention_response_to_volatility_by_ift_in_primitives():
    # DOMAIN.md, model RO: "de*/dsigma is found by the implicit function theorem". beta and x*
    # are replaced by their closed forms in (r, mu, sigma, I, delta), so the IFT differentiates
    # through both; checked against a central difference of the re-solved numeric optimum.
    from gvcgames.models.relocation_option import trigger_formula

    ro = gg.models.relocation_option()
    (foc,), (e,) = first_order_conditions(ro)
    x_star, beta = trigger_formula()
    foc = foc.subs({ro.symbol("beta"): beta, ro.symbol("x_star"): x_star})
    sigma = next(s for s in beta.free_symbols if s.name == "sigma")
    primitives = {"r": 0.05, "mu": 0.01, "I": 10.0, "delta": 0.1}
    fixed = {"m": 1.0, "c": 2.0, "r": 0.05, "x0": 0.5}

    def e_star(s):
        return float(ro.solve_at({**fixed, **option_values(sigma=s, **primitives)}).equilibria[0][e])

    ift = gg.implicit_statics(foc, e, sigma, at={**fixed, **primitives, "sigma": 0.2, "e": e_star(0.2)})
    h = 1e-5
    assert float(ift.values[0][0]) == pytest.approx((e_star(0.2 + h) - e_star(0.2 - h)) / (2 * h), rel=1e-4)
    assert "too long to print" in str(ift)  # the summary stays readable; the expression is on the result
