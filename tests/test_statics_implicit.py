"""The implicit function theorem: symbolic, numeric, against finite differences and closed forms."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

import gvcgames as gg
from gvcgames import models
from gvcgames.statics import (
    NotAParameterError,
    SingularJacobianError,
    comparative_statics,
    first_order_conditions,
    implicit_statics,
)

# RO-style prevention choice: S maximises m/r (1 - (x0 (1 - e)/xs)^b) - c e^2/2 with b > 1 (no closed form in e)
m, r, c = gg.parameters("m r c", positive=True)
b = gg.parameters("b", domain="(1, oo)")
ratio = gg.parameters("q", domain="(0, 1)", description="x0/x*: current disruption cost over the trigger")
e = gg.actions("e", domain="[0, 1)", description="risk prevention")
PAYOFF = m / r * (1 - (ratio * (1 - e)) ** b) - c * e**2 / 2
FOC = sp.diff(PAYOFF, e)


def _solve_e(values):
    f = sp.lambdify(e, FOC.subs(values))
    return optimize.brentq(f, 1e-12, 1 - 1e-12, xtol=1e-15)


def test_ift_symbolic_matrix_and_point():
    values = {m: 2.0, r: 0.5, c: 3.0, b: 2.5, ratio: 0.6}
    res = implicit_statics(FOC, e, [c, b, m], at=values)
    assert res.point[e] == pytest.approx(_solve_e(values), abs=1e-10)
    assert res.residual < 1e-10
    # the symbolic derivative evaluated at the point equals the numeric one
    for theta in (c, b, m):
        symbolic = float(res.derivative(e, theta).subs({**values, e: res.point[e]}))
        assert symbolic == pytest.approx(res.value(e, theta), rel=1e-10)
    assert "implicit function theorem" in res.method
    assert "de/dc" in str(res)
    assert res._repr_latex_().startswith("$\\begin{aligned}")


def test_ift_signs_proved_over_the_action_domain():
    res = implicit_statics(FOC, e, [c, m])
    assert res.sign(e, c) in (gg.Sign.NEGATIVE, gg.Sign.NONPOSITIVE)
    assert res.sign(e, m) in (gg.Sign.POSITIVE, gg.Sign.NONNEGATIVE)


@settings(max_examples=8, deadline=None)
@given(
    st.floats(0.5, 5),
    st.floats(0.2, 2),
    st.floats(1, 10),
    st.floats(1.1, 4),
    st.floats(0.1, 0.9),
)
def test_ift_matches_finite_differences_of_the_numeric_root(m_, r_, c_, b_, q_):
    values = {m: m_, r: r_, c: c_, b: b_, ratio: q_}
    res = implicit_statics(FOC, e, [c, b, m, ratio], at=values, symbolic=False)
    for theta in (c, b, m, ratio):
        h = 1e-6 * max(1.0, abs(values[theta]))
        up = _solve_e({**values, theta: values[theta] + h})
        down = _solve_e({**values, theta: values[theta] - h})
        fd = (up - down) / (2 * h)
        assert res.value(e, theta) == pytest.approx(fd, rel=1e-4, abs=1e-7)


def test_ift_agrees_with_closed_form_hold_up():
    game = models.hold_up()
    eq = game.solve().equilibria[0]
    F, x = first_order_conditions(game)
    params = game.parameters
    res = implicit_statics(F, x, params)
    for i, action in enumerate(x):
        for j, theta in enumerate(params):
            ift = res.derivatives[i, j].xreplace(dict(eq.strategies))
            assert sp.cancel(ift - sp.diff(eq[action], theta)) == 0
    # and through comparative_statics, for payoffs too
    for theta in (game.symbol("beta"), game.symbol("w")):
        direct = comparative_statics(eq, "payoff:supplier", theta)
        ift = comparative_statics(eq, "payoff:supplier", theta, method="ift")
        assert sp.simplify(direct.derivative - ift.derivative) == 0


def test_ift_two_equations_numeric_solve():
    a, k = gg.parameters("a k", positive=True)
    x, y = gg.actions("x y", nonnegative=True)
    F = [a - 2 * x - y + sp.exp(-x), k - x - 3 * y]
    res = implicit_statics(F, [x, y], [a, k], at={a: 2, k: 2}, x0=[0.5, 0.2])
    assert res.values.shape == (2, 2)
    assert max(abs(float(f.subs({a: 2, k: 2, x: res.point[x], y: res.point[y]}))) for f in F) < 1e-10
    # dx/da solves J dx = -F_a
    J = np.array([[-2 - np.exp(-res.point[x]), -1], [-1, -3]])
    expected = -np.linalg.solve(J, np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert np.allclose(res.values, expected)


def test_singular_jacobian_everywhere():
    a = gg.parameters("a", positive=True)
    x, y = gg.actions("x y")
    with pytest.raises(SingularJacobianError, match=r"singular for every value \(det = 0\).*does not apply anywhere"):
        implicit_statics([x + y - a, 2 * x + 2 * y - 1], [x, y], a)


def test_singular_jacobian_at_the_point_names_the_point():
    a = gg.parameters("a", domain="[0, oo)")
    x = gg.actions("x")
    with pytest.raises(SingularJacobianError, match=r"singular at a = 0, x = 0.*does not apply there.*dx"):
        implicit_statics(x**2 - a, x, a, at={a: 0, x: 0})


def test_ift_bad_input():
    a = gg.parameters("a", positive=True)
    x, y = gg.actions("x y")
    with pytest.raises(gg.InvalidSpecError, match=r"2 equations for 1 unknowns \['x'\]"):
        implicit_statics([x - a, x + a], x, a)
    with pytest.raises(NotAParameterError, match=r"y is an action \(chosen in equilibrium\), not a parameter"):
        implicit_statics(x - a * y, x, y)
    with pytest.raises(NotAParameterError, match="x is an endogenous variable"):
        implicit_statics(x - a, x, x)
    with pytest.raises(gg.InvalidValuesError, match=r"values for \['a'\] are needed"):
        implicit_statics(x - a, x, a, at={})
    with pytest.raises(gg.InvalidSpecError, match="equation 1 is not a sympy expression"):
        implicit_statics("x - a", x, a)
    res = implicit_statics(x - a, x, a)
    with pytest.raises(gg.InvalidValuesError, match="no point was given"):
        res.value(x, a)


def test_implicit_signs_proved_sampled_and_conditional():
    from gvcgames.statics import Certificate, implicit_statics_results

    a, c = gg.parameters("a c", positive=True)
    theta = gg.parameters("theta", domain="(0, 4)")
    e = gg.actions("e", domain="(-20, 20)")
    # de/dtheta = 2 (theta - 2): both signs at solutions
    (flip,) = implicit_statics_results(e - (theta - 2) ** 2, e, samples=40)
    assert flip.certificate == Certificate.CONDITIONAL
    assert flip.evidence.witnesses[gg.Sign.POSITIVE][theta] > 2 > flip.evidence.witnesses[gg.Sign.NEGATIVE][theta]
    # a exp(-e) - c e = 0: de/da > 0 and de/dc < 0 at every interior solution (e > 0 there)
    u = gg.actions("u", nonnegative=True)
    da, dc = implicit_statics_results(a * sp.exp(-u) - c * u, u)
    assert (da.sign, dc.sign) == (gg.Sign.POSITIVE, gg.Sign.NEGATIVE)
    assert da.certificate == dc.certificate == Certificate.PROVED
    # no proof from the factors: the draws decide, and the reported sign matches finite differences
    F = a * sp.exp(-u) - c * u + (a - 1) ** 2 * u**2 / 10
    results = implicit_statics_results(F, u, a, samples=30, seed=3)
    (res,) = results
    assert res.certificate in (Certificate.SAMPLED, Certificate.CONDITIONAL, Certificate.PROVED)
    point = {a: 1.7, c: 2.0}
    h = 1e-6
    up = gg.implicit_statics(F, u, a, at={a: 1.7 + h, c: 2.0}).point[u]
    down = gg.implicit_statics(F, u, a, at={a: 1.7 - h, c: 2.0}).point[u]
    here = gg.implicit_statics(F, u, a, at=point)
    assert here.value(u, a) == pytest.approx((up - down) / (2 * h), rel=1e-4)
    hyps = gg.hypotheses(results)
    assert len(hyps) == 1 and "a" in hyps[0].sentence
