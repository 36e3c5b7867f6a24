"""Each sign certificate, the sampler and the interval branch and bound."""

import numpy as np
import pytest
import sympy as sp

import gvcgames as gg
from gvcgames.statics import (
    Certificate,
    analyse_sign,
    comparative_statics,
    prove_sign_on_box,
    sample_admissible,
)
from gvcgames.statics.intervals import compile_interval
from gvcgames.statics.region import region_context

POS, NEG, ZERO = gg.Sign.POSITIVE, gg.Sign.NEGATIVE, gg.Sign.ZERO

A = gg.parameters("a", positive=True, description="market size")
C = gg.parameters("c", positive=True, description="unit cost")
T = gg.parameters("t", domain="(0, 10)", description="technology")
X = gg.actions("x", nonnegative=True, description="output")


def _interior(game):
    (eq,) = [e for e in game.solve().equilibria if e.case.endswith("interior")]
    return eq


@pytest.fixture(scope="module")
def quadratic_eq():
    """x* = a (t^2 - t + 1): positive, but not provable by the factor-by-factor sign rules."""
    return _interior(gg.ContinuousGame({"firm": (X, (T**2 - T + 1) * A * X - X**2 / 2)}))


def test_certificate_order_and_text():
    order = [Certificate.PROVED, Certificate.PROVED_ON_BOX, Certificate.SAMPLED, Certificate.CONDITIONAL]
    assert [c.strength for c in order] == [4, 3, 2, 1]
    assert Certificate.UNKNOWN.strength == 0
    assert Certificate.PROVED == "proved" and Certificate.PROVED_ON_BOX == "proved on box"
    assert Certificate.PROVED.is_proof and not Certificate.SAMPLED.is_proof


def test_proved():
    eq = gg.models.hold_up().solve().equilibria[0]
    res = comparative_statics(eq, "x", "w")
    assert res.certificate == Certificate.PROVED
    assert res.sign == NEG
    assert res.evidence.samples == 0  # a proof needs no draws
    assert res.cell == "-"


def test_proved_on_box(quadratic_eq):
    res = comparative_statics(quadratic_eq, X, A)
    assert res.certificate == Certificate.PROVED_ON_BOX
    assert res.sign == POS
    assert res.evidence.box[T] == pytest.approx((0.01, 9.99))
    assert res.evidence.proved_fraction == 1.0
    assert "[box]" in res.cell
    assert "proved on the box only" in res.message


def test_proved_on_a_given_box(quadratic_eq):
    res = comparative_statics(quadratic_eq, X, A, box={T: (0, 3), A: (1, 2)})
    assert res.certificate == Certificate.PROVED_ON_BOX
    assert res.evidence.box[T] == (0.0, 3.0)


def test_sampled_when_the_box_proof_is_switched_off(quadratic_eq):
    res = comparative_statics(quadratic_eq, X, A, box=False, samples=150, seed=3)
    assert res.certificate == Certificate.SAMPLED
    assert res.sign == POS
    assert res.evidence.samples == 150
    assert res.evidence.counts == {"+": 150, "-": 0, "0": 0}
    assert res.evidence.seed == 3
    assert "N=150" in res.cell
    assert "not proved" in res.message


def test_sampled_when_no_interval_extension_exists():
    eq = _interior(gg.ContinuousGame({"firm": (X, (T**2 - T + 1 + sp.erf(T)) * A * X - X**2 / 2)}))
    res = comparative_statics(eq, X, A, samples=50)
    assert res.certificate == Certificate.SAMPLED
    assert "no box proof" in res.message and "erf" in res.message


def test_box_budget_spent_leaves_sampled(quadratic_eq):
    res = comparative_statics(quadratic_eq, X, A, max_boxes=2)
    assert res.certificate == Certificate.SAMPLED
    assert "box proof incomplete" in res.message


def test_conditional():
    eq = gg.models.upgrading().solve().equilibria[0]
    res = comparative_statics(eq, "u", "R", samples=100)
    assert res.certificate == Certificate.CONDITIONAL
    assert res.sign == gg.Sign.UNKNOWN
    assert set(res.evidence.witnesses) == {POS, NEG}
    assert res.evidence.counts["+"] + res.evidence.counts["-"] == 100
    assert res.cell == "+/-"


def test_unknown_when_nothing_can_be_shown():
    # a > 1000 c leaves no admissible draw in the sampling window; (2t - 1) has no proved sign
    game = gg.ContinuousGame({"firm": (X, (T**2 - T + 1 - C) * A * X - X**2 / 2)}, assumptions=[A > 1000 * C])
    res = comparative_statics(_interior(game), X, T, samples=20)
    assert res.certificate == Certificate.UNKNOWN
    assert res.sign == gg.Sign.UNKNOWN
    assert res.evidence.samples == 0 and res.evidence.rejected > 0
    assert "no admissible draw" in res.message
    assert res.conditions[POS] == sp.Gt(T, sp.Rational(1, 2))  # the exact condition is still reported


def test_region_makes_a_proof_possible():
    # x* = a (t^2 - t + 1 - c) is interior only where c < t^2 - t + 1, which proves dx*/da > 0
    eq = _interior(gg.ContinuousGame({"firm": (X, (T**2 - T + 1 - C) * A * X - X**2 / 2)}))
    res = comparative_statics(eq, X, A)
    assert res.certificate == Certificate.PROVED and res.sign == POS


def test_analyse_sign_factors():
    e = gg.actions("e", domain="[0, 1]")
    D, F = gg.parameters("D F", positive=True)
    found = analyse_sign(D * (1 - 2 * e) / F, gg.Assumptions())
    assert found.sign == gg.Sign.UNKNOWN
    assert found.conditions[POS] == sp.Lt(e, sp.Rational(1, 2))
    assert found.conditions[ZERO] == sp.Eq(e, sp.Rational(1, 2))
    assert analyse_sign(sp.Integer(0), gg.Assumptions()).sign == ZERO
    assert analyse_sign(D * F, gg.Assumptions()).sign == POS
    # an even power of a factor of unknown sign: weak sign, zero where the factor vanishes
    squared = analyse_sign(D * (2 * e - 1) ** 2, gg.Assumptions())
    assert squared.sign == gg.Sign.NONNEGATIVE
    assert squared.conditions[ZERO] == sp.Eq(e, sp.Rational(1, 2))


def test_region_context_rewrites_without_cycles():
    D, Delta, p = gg.parameters("D Delta p", positive=True)
    theta = gg.parameters("theta", domain="(0, 1)")
    region = sp.And(D * p > Delta, D * p * theta + Delta > D * p)
    ctx = region_context(gg.Assumptions(), region)
    assert ctx.sign(D * p - Delta) == POS
    assert ctx.sign(D * p * theta + Delta - D * p) == POS


# --- sampler -----------------------------------------------------------------------------------


def test_sampler_respects_domains_assumptions_and_region():
    a, c = gg.parameters("a c", positive=True)
    p = gg.parameters("p", domain="(0, 1)")
    n = gg.parameters("n", domain="[2, 6]", integer=True)
    s = sample_admissible([a, c, p, n], 300, assumptions=gg.Assumptions((a > c,)), region=p < c / a, seed=7)
    assert s.n == 300 and s.requested == 300
    v = s.values
    assert (v[a] > v[c]).all() and (v[p] < v[c] / v[a]).all()
    assert ((v[p] > 0) & (v[p] < 1)).all()
    assert set(np.unique(v[n])) <= {2.0, 3.0, 4.0, 5.0, 6.0}
    assert s.rejected > 0 and s.draws == s.n + s.rejected
    assert "rejected" in str(s)
    again = sample_admissible([a, c, p, n], 300, assumptions=gg.Assumptions((a > c,)), region=p < c / a, seed=7)
    assert all((again.values[k] == v[k]).all() for k in v)  # reproducible from the seed


def test_sampler_symbolic_bounds_and_thin_sets():
    a = gg.parameters("a", positive=True)
    b = gg.parameters("b", domain=sp.Interval.open(0, a))
    s = sample_admissible([a, b], 100, seed=0)
    assert (s.values[b] < s.values[a]).all()
    thin = sample_admissible([a], 10, region=a > 100, max_draws=500)
    assert thin.n == 0 and thin.rejected == 500
    assert "only 0 of 10" in thin.message


def test_sampler_game_source_and_evaluate():
    game = gg.models.upgrading()
    s = sample_admissible(game, 20, seed=1)
    assert set(s.parameters) == set(game.parameters)
    R = game.symbol("R")
    assert np.allclose(s.evaluate(2 * R), 2 * s.values[R])
    assert len(s.points()) == 20 and s.point(0)[R] == s.values[R][0]


# --- intervals ---------------------------------------------------------------------------------


def test_interval_enclosure_contains_values():
    x, y = gg.parameters("x y", positive=True)
    expr = sp.exp(-x) * y**2 - sp.sqrt(x) / (1 + y) + sp.log(1 + x * y) - sp.Abs(x - y)
    f = compile_interval(expr)
    from mpmath import iv

    box = {x: iv.mpf([0.5, 2.0]), y: iv.mpf([1.0, 3.0])}
    enclosure = f(box)
    rng = np.random.default_rng(0)
    func = sp.lambdify([x, y], expr)
    for _ in range(200):
        v = func(rng.uniform(0.5, 2.0), rng.uniform(1.0, 3.0))
        assert float(enclosure.a) <= v <= float(enclosure.b)


def test_box_proof_refutes_and_discards_inadmissible_parts():
    a, c = gg.parameters("a c", positive=True)
    proof = prove_sign_on_box(a - c, {a: (1, 2), c: (0, 3)}, constraint=a > c + 1e-3, sign=POS)
    assert proof.sign == gg.Sign.UNKNOWN or proof.proved_fraction < 1  # a - c -> 0 at the border
    refuted = prove_sign_on_box((a - c) * (a - 2 * c), {a: (0.01, 10), c: (0.01, 10)}, constraint=a > c, sign=POS)
    assert refuted.refuted is not None
    point = refuted.refuted
    assert point[a] > point[c] and (point[a] - point[c]) * (point[a] - 2 * point[c]) < 0
    proved = prove_sign_on_box(a - c, {a: (2, 3), c: (0, 1)})
    assert proved.sign == POS


def test_box_proof_weak_sign():
    R = gg.parameters("R", domain="[0, 1]")
    assert prove_sign_on_box(R**2, {R: (0, 1)}, sign=POS).sign == gg.Sign.NONNEGATIVE


def test_numeric_equilibrium_gives_the_derivative_at_its_point_and_claims_no_sign():
    # A numeric equilibrium is constant in the parameters: differentiating it must not prove "0".
    up = gg.models.upgrading()
    point = {"R": 0.3, "a": 1, "a_o": 2, "beta": 0.5, "g": 1, "k": 1}
    (eq,) = up.solve_at(point).equilibria
    res = comparative_statics(eq, outcome="u", wrt="R")
    assert res.certificate == Certificate.UNKNOWN and res.sign == gg.Sign.UNKNOWN
    # the closed form: du*/dR = a_o - beta (a + g k) = 2 - 0.5 * 2 = 1 at the point
    assert float(res.derivative) == pytest.approx(1.0)
    assert "only" in res.message and "R = 0.3" in res.message
    table = gg.statics_table(eq)
    assert "0" not in set(table.to_numpy().ravel())


def test_region_without_interior_gets_no_derivative():
    x, y = gg.parameters("x y", positive=True)
    u = gg.actions("u", domain="[0, 10]")
    game = gg.ContinuousGame({"A": (u, x * u - u**2 / 2)})
    thin = gg.Equilibrium({u: x}, {"A": x**2 / 2}, sp.And(x >= y, x <= y), "by hand", game=game)
    res = comparative_statics(thin, outcome="u", wrt=x)
    assert res.certificate == Certificate.UNKNOWN
    assert "no derivative" in res.message and "Eq(" in res.message
    # moving a parameter outside the equation keeps the equilibrium: the derivative is defined
    z = gg.parameters("z", positive=True)
    game_z = gg.ContinuousGame({"A": (u, z * u - u**2 / 2 + 0 * x * y)})
    along = gg.Equilibrium({u: z}, {"A": z**2 / 2}, sp.Eq(x, y), "by hand", game=game_z)
    assert comparative_statics(along, outcome="u", wrt=z).certificate == Certificate.PROVED


def test_derived_condition_for_the_other_sign_is_searched_before_claiming_sampled():
    # du*/dt = (t - 5)^2 - 1e-6 < 0 only on (4.999, 5.001): random draws miss it, the derived condition does not
    u = gg.actions("u", domain="(-1000, 1000)")
    target = (T - 5) ** 3 / 3 - T / 10**6
    game = gg.ContinuousGame({"A": (u, -((u - target) ** 2))})
    eq = gg.Equilibrium({u: target}, {"A": sp.Integer(0)}, sp.true, "by hand", game=game)
    res = comparative_statics(eq, outcome="u", wrt=T, box=False)
    assert res.certificate == Certificate.CONDITIONAL
    neg, pos = res.evidence.witnesses[NEG], res.evidence.witnesses[POS]
    assert float(res.derivative.subs(neg)) < 0 < float(res.derivative.subs(pos))
