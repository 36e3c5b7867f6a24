"""SequentialGame: Stackelberg, double marginalisation, a three-stage chain."""

import sympy as sp

import gvcgames as gg


def test_stackelberg_closed_form():
    # Tirole (1988), sec. 8.2: q1 = (a - c)/(2b), q2 = (a - c)/(4b).
    game = gg.models.stackelberg()
    a, b, c = (game.symbol(n) for n in "abc")
    sol = game.solve()
    assert sol.converged and len(sol.equilibria) == 1
    eq = sol.equilibria[0]
    assert sp.simplify(eq["q1"] - (a - c) / (2 * b)) == 0
    assert sp.simplify(eq["q2"] - (a - c) / (4 * b)) == 0
    assert sp.simplify(eq.payoffs["leader"] - (a - c) ** 2 / (8 * b)) == 0
    policy = eq.policies[game.symbol("q2")]
    assert isinstance(policy, sp.Piecewise)
    q1 = game.symbol("q1")
    assert sp.simplify(policy.subs({a: 10, b: 1, c: 2, q1: 3}) - sp.Rational(5, 2)) == 0
    assert policy.subs({a: 10, b: 1, c: 2, q1: 9}) == 0
    assert eq.proved


def test_double_marginalisation_halves_output():
    # Spengler (1950): the chain sells half the integrated output.
    chain = gg.models.double_marginalisation().solve().equilibria[0]
    integrated = gg.models.integrated_chain().solve().equilibria[0]
    game = gg.models.double_marginalisation()
    A, B, c = (game.symbol(n) for n in "ABc")
    assert sp.simplify(chain["w"] - (A + c) / 2) == 0
    assert sp.simplify(chain["q"] - (A - c) / (4 * B)) == 0
    assert sp.simplify(integrated["q"] - 2 * chain["q"]) == 0


def test_three_stage_chain():
    # Leader, then two followers in sequence (Boyer and Moreaux 1986-style chain):
    # with P = a - Q and zero cost, q1 = a/2, q2 = a/4, q3 = a/8.
    a = gg.parameters("a", positive=True)
    q1, q2, q3 = gg.actions("q1 q2 q3", nonnegative=True)
    price = a - q1 - q2 - q3
    game = gg.SequentialGame([("first", q1, price * q1), ("second", q2, price * q2), ("third", q3, price * q3)])
    sol = game.solve()
    assert sol.converged
    eq = next(e for e in sol.equilibria if e.conditions is sp.true or e.holds_at({a: 1}))
    assert (eq[q1], eq[q2], eq[q3]) == (a / 2, a / 4, a / 8)
    assert gg.is_equilibrium(game, eq, {a: 8})


def test_sequential_summary_mentions_policies():
    text = str(gg.models.stackelberg().solve())
    assert "functions of observed history" in text and "Piecewise" in text


def test_policy_branches_that_agree_are_merged():
    # Principal sets a piece rate w, the agent then chooses effort e: e(w) = w, w* = e* = p/2.
    p = gg.parameters("p", positive=True)
    w, e = gg.actions("w e", nonnegative=True)
    game = gg.SequentialGame([("principal", w, (p - w) * e), ("agent", e, w * e - e**2 / 2)])
    (eq,) = game.solve().equilibria
    assert eq.policies[e] == w
    assert (eq[w], eq[e]) == (p / 2, p / 2)
    assert eq.proved
