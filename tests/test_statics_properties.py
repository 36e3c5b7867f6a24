"""Property tests: derivatives match finite differences of the re-solved equilibrium, and no
proved sign is ever contradicted by sampling."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames import models
from gvcgames.solve.numeric import kkt_point
from gvcgames.statics import Certificate, Outcome, sample_admissible, statics_results
from gvcgames.testing import admissible_parameters


def _pr_game():
    p = gg.parameters("p", domain="(0, 1)")
    D, Delta, Fbar, m, c = gg.parameters("D Delta Fbar m c", positive=True)
    e = gg.actions("e", domain="[0, 1]")
    relocation = (p * D * (1 - e) - Delta) / Fbar
    game = gg.ContinuousGame({"MSE": (e, m * (1 - relocation) - c * e**2 / 2)})
    return game, [e, Outcome("R", relocation)]


def _build():
    cases = {
        "upgrading": (models.upgrading(), None),
        "hold_up": (models.hold_up(), ["x", "y", "payoff:supplier"]),
        "pr": _pr_game(),
    }
    built = {}
    for name, (game, outcomes) in cases.items():
        sol = game.solve()
        eq = next(e for e in sol.equilibria if e.case.endswith("interior"))
        results = statics_results(eq, outcomes, samples=60)
        built[name] = (game, eq, results)
    return built


CASES = _build()


def _outcome_value(game, res, point, values):
    out = res.outcome
    subs = {**values, **point}
    if out.kind == "strategy":
        return point[out.expr]
    if out.kind == "payoff":
        return float(game.player(out.player).payoff.subs(subs))
    return float(out.expr.subs(subs))


def _step(param, value):
    """A finite-difference step that keeps value +- h inside the parameter's domain."""
    h = 1e-5 * max(1.0, abs(value))
    lo, hi = float(param.domain.inf), float(param.domain.sup)
    room = min(value - lo, hi - value)
    return min(h, room / 2) if math.isfinite(room) else h


@pytest.mark.parametrize("name", sorted(CASES))
def test_derivative_matches_finite_differences_of_resolved_equilibrium(name):
    game, eq, results = CASES[name]

    @settings(max_examples=6, deadline=None)
    @given(admissible_parameters(game))
    def check(drawn):
        values = {game.symbol(k) if isinstance(k, str) else k: v for k, v in drawn.items()}
        assume(eq.holds_at(values))
        for param in {r.wrt for r in results}:
            h = _step(param, values[param])
            assume(h > 1e-9)
            up, down = {**values, param: values[param] + h}, {**values, param: values[param] - h}
            assume(eq.holds_at(up) and eq.holds_at(down))
            sol_up, sol_down = kkt_point(game, up), kkt_point(game, down)
            assert sol_up.converged and sol_down.converged
            for res in (r for r in results if r.wrt == param):
                fd = (
                    _outcome_value(game, res, sol_up.values, up) - _outcome_value(game, res, sol_down.values, down)
                ) / (2 * h)
                exact = res.at(values)
                assert exact == pytest.approx(fd, rel=1e-4, abs=1e-5), (res.label, values)

    check()


@pytest.mark.parametrize("name", sorted(CASES))
def test_proved_signs_are_never_contradicted_by_sampling(name):
    game, eq, results = CASES[name]
    proved = [r for r in results if r.certificate == Certificate.PROVED]
    assert proved

    @settings(max_examples=10, deadline=None)
    @given(st.integers(0, 2**32 - 1))
    def check(seed):
        sample = sample_admissible(game, 50, region=eq.conditions, seed=seed)
        for res in proved:
            values = sample.evaluate(res.derivative)
            scale = 1e-9 * (1 + np.nanmax(np.abs(values)))
            sign = res.sign
            if sign in (gg.Sign.POSITIVE, gg.Sign.NONNEGATIVE):
                assert (values > -scale).all(), (res.label, sign)
            if sign in (gg.Sign.NEGATIVE, gg.Sign.NONPOSITIVE):
                assert (values < scale).all(), (res.label, sign)
            if sign == gg.Sign.ZERO:
                assert (np.abs(values) <= scale).all(), res.label

    check()


def test_box_proved_sign_holds_inside_the_box():
    a = gg.parameters("a", positive=True)
    t = gg.parameters("t", domain="(0, 10)")
    x = gg.actions("x", nonnegative=True)
    game = gg.ContinuousGame({"firm": (x, (t**3 - 2 * t**2 + t + sp.Rational(1, 5)) * a * x - x**2 / 2)})
    eq = next(e for e in game.solve().equilibria if e.case.endswith("interior"))
    (res,) = statics_results(eq, [x], [a])
    assert res.certificate in (Certificate.PROVED_ON_BOX, Certificate.PROVED)

    @settings(max_examples=10, deadline=None)
    @given(st.integers(0, 2**32 - 1))
    def check(seed):
        sample = sample_admissible(game, 200, region=eq.conditions, seed=seed)
        values = sample.evaluate(res.derivative)
        if res.evidence.box:
            inside = np.ones(sample.n, dtype=bool)
            for sym, (lo, hi) in res.evidence.box.items():
                inside &= (sample.values[sym] >= lo) & (sample.values[sym] <= hi)
            values = values[inside]
        assert (values > 0).all()

    check()


def test_conditional_witnesses_are_real_and_conditions_exact():
    game, eq, results = CASES["upgrading"]
    conditional = [r for r in results if r.certificate == Certificate.CONDITIONAL]
    assert conditional
    sample = sample_admissible(game, 300, seed=11)
    for res in conditional:
        values = sample.evaluate(res.derivative)
        holds = sample.evaluate(sp.Piecewise((1, res.conditions[gg.Sign.POSITIVE]), (0, True)))
        assert ((values > 0) == (holds == 1)).all(), res.label
