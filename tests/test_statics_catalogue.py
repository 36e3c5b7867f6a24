"""Statics tables of the catalogue models match DOMAIN.md; PR's conditional dR*/dp is reproduced."""

import pandas as pd
import pytest
import sympy as sp

import gvcgames as gg
from gvcgames import models
from gvcgames.statics import Certificate, Outcome, comparative_statics, region_shift, statics_table

POS, NEG, ZERO = gg.Sign.POSITIVE, gg.Sign.NEGATIVE, gg.Sign.ZERO


def same(rel, expected):
    """Relations equal up to writing (a > b is b < a)."""
    return rel.canonical == expected.canonical


@pytest.fixture(scope="module")
def up():
    game = models.upgrading()
    eq = game.solve().equilibria[0]
    return game, eq, statics_table(eq)


def test_up_table_shape_and_cells(up):
    game, eq, table = up
    assert isinstance(table, pd.DataFrame)
    assert list(table.index) == ["u", "payoff:MSE"]
    assert list(table.columns) == [p.name for p in game.parameters]
    assert table.loc["u"].to_dict() == {"R": "+/-", "a": ">=0", "a_o": ">=0", "beta": ">=0", "g": ">=0", "k": ">=0"}
    assert table.loc["payoff:MSE", "R"] == "+/-"


def test_up_du_dR_is_conditional_on_general_vs_specific_returns(up):
    game, eq, table = up
    R, a, a_o, beta, g, k = (game.symbol(n) for n in ("R", "a", "a_o", "beta", "g", "k"))
    res = table.attrs["results"][("u", "R")]
    assert sp.simplify(res.derivative - (a_o - beta * (a + g * k))) == 0
    assert res.certificate == "conditional"
    assert res.sign == gg.Sign.UNKNOWN
    assert same(res.conditions[POS], sp.Gt(a_o, beta * (a + g * k)))
    assert same(res.conditions[NEG], sp.Lt(a_o, beta * (a + g * k)))
    # witnesses of both signs, really of those signs
    for sign, point in res.evidence.witnesses.items():
        value = res.at(point)
        assert (value > 0) if sign == POS else (value < 0)


def test_up_du_dbeta_positive_where_R_below_one(up):
    game, eq, table = up
    res = table.attrs["results"][("u", "beta")]
    R = game.symbol("R")
    assert res.certificate == "proved"
    assert res.sign == gg.Sign.NONNEGATIVE
    assert same(res.conditions[POS], sp.Lt(R, 1))
    assert same(res.conditions[ZERO], sp.Eq(R, 1))
    assert res.conditions[NEG] is sp.false


def test_up_other_signs(up):
    game, eq, table = up
    results = table.attrs["results"]
    R, k = game.symbol("R"), game.symbol("k")
    assert same(results[("u", "a_o")].conditions[POS], sp.Gt(R, 0))
    assert results[("u", "g")].conditions[POS] == sp.And(sp.Gt(k, 0), sp.Lt(R, 1))
    for name in ("a", "a_o", "beta", "g", "k"):
        assert results[("u", name)].certificate == Certificate.PROVED


@pytest.mark.parametrize("governance", ["outsourcing", "integration"])
def test_hu_investments(governance):
    game = models.hold_up(governance)
    eq = game.solve().equilibria[0]
    table = statics_table(eq, outcomes=["x", "y"])
    # the supplier invests more with a higher share and surplus, less with a higher cost; the lead firm the reverse
    assert table.loc["x", "beta"] == "+"
    assert table.loc["x", "theta_S"] == "+"
    assert table.loc["x", "w"] == "-"
    assert table.loc["x", "theta_L"] == "0"
    assert table.loc["y", "beta"] == "-"
    assert table.loc["y", "theta_L"] == "+"
    if governance == "integration":
        # the owner's ability to seize surplus lowers the supplier's and raises the lead firm's investment
        assert table.loc["x", "delta"] == "-"
        assert table.loc["y", "delta"] == "+"
    assert all(r.certificate == "proved" for r in table.attrs["results"].values())


def test_hu_payoffs_long_form():
    eq = models.hold_up().solve().equilibria[0]
    frame = statics_table(eq, outcomes=["payoff:supplier"], form="long")
    assert list(frame["parameter"]) == ["beta", "theta_L", "theta_S", "w"]
    row = frame.set_index("parameter").loc["beta"]
    assert row["certificate"] == "conditional"
    assert row["sign"] == "+/-"
    assert frame.set_index("parameter").loc["w", "sign"] == "-"


@pytest.fixture(scope="module")
def pr():
    """PR's closed forms typed in: S chooses e, L relocates with probability R(e) = (p D (1-e) - Delta)/Fbar."""
    p = gg.parameters("p", domain="(0, 1)", description="probability of a disruption")
    D, Delta, Fbar, m, c = gg.parameters(
        "D Delta Fbar m c",
        positive=True,
        description=[
            "lead firm's loss from a disruption",
            "cost premium of the alternative location",
            "upper bound of the relocation cost",
            "MSE's margin",
            "cost of risk prevention",
        ],
    )
    e = gg.actions("e", domain="[0, 1]", description="risk prevention")
    relocation = (p * D * (1 - e) - Delta) / Fbar
    game = gg.ContinuousGame({"MSE": (e, m * (1 - relocation) - c * e**2 / 2)}, name="PR (interior, typed in)")
    sol = game.solve()
    (interior,) = [eq for eq in sol.equilibria if eq.case.endswith("interior")]
    R = Outcome("R", relocation, description="probability that the lead firm relocates")
    return game, sol, interior, R, (p, D, Delta, Fbar, m, c, e)


def test_pr_equilibrium_is_the_closed_form(pr):
    game, sol, eq, R, (p, D, Delta, Fbar, m, c, e) = pr
    assert sp.simplify(eq[e] - m * p * D / (c * Fbar)) == 0


def test_pr_dR_dp_is_conditional_on_e_below_one_half(pr):
    game, sol, eq, R, (p, D, Delta, Fbar, m, c, e) = pr
    res = comparative_statics(eq, R, p)
    e_star = m * p * D / (c * Fbar)
    assert sp.simplify(res.derivative - D * (1 - 2 * e_star) / Fbar) == 0
    assert res.certificate == Certificate.CONDITIONAL
    assert sp.simplify(res.equilibrium_derivative - D * (1 - 2 * e) / Fbar) == 0
    assert same(res.equilibrium_conditions[POS], sp.Lt(e, sp.Rational(1, 2)))
    assert same(res.equilibrium_conditions[NEG], sp.Gt(e, sp.Rational(1, 2)))
    # the parameter form is the same condition: 2 m p D < c Fbar
    assert same(res.conditions[POS], sp.Gt(c * Fbar, 2 * m * p * D))
    assert "e < 1/2" in str(res)


@pytest.mark.parametrize(
    ("outcome", "param", "sign"),
    [("e", "p", POS), ("e", "c", NEG), ("R", "m", NEG), ("R", "c", POS), ("R", "Delta", NEG)],
)
def test_pr_proved_signs(pr, outcome, param, sign):
    game, sol, eq, R, symbols = pr
    res = comparative_statics(eq, R if outcome == "R" else outcome, param)
    assert res.certificate == "proved"
    assert res.sign == sign


def test_pr_ift_agrees_with_direct(pr):
    game, sol, eq, R, (p, D, Delta, Fbar, m, c, e) = pr
    for wrt in (p, m, c):
        direct = comparative_statics(eq, R, wrt)
        ift = comparative_statics(eq, R, wrt, method="ift")
        assert sp.simplify(direct.derivative - ift.derivative) == 0
        assert ift.method.startswith("implicit function theorem")


def test_pr_regimes_shift_with_p(pr):
    game, sol, eq, R, (p, *_rest) = pr
    shifts = {e.case: region_shift(e, p).direction for e in sol.equilibria}
    assert shifts == {"e interior": "shrinks", "e = 1": "expands"}


def test_rg_mixed_equilibrium_statics():
    game = models.reconfiguration()
    (mixed,) = game.mixed_equilibria().equilibria
    table = statics_table(mixed, outcomes=["lead firm:stay", "MSE:prevent"], wrt=["p", "kappa", "Delta"])
    # more disruption risk: the lead firm stays less and the MSE prevents more (indifference conditions)
    assert table.loc["lead firm:stay", "p"] == "-"
    assert table.loc["MSE:prevent", "p"] == "+"
    assert table.loc["lead firm:stay", "kappa"] == "+"
    assert table.loc["MSE:prevent", "Delta"] == "-"


@pytest.mark.parametrize("name", ["up", "hu", "pr", "rg", "cl"])
def test_every_closed_form_equilibrium_has_a_full_hypotheses_table(name):
    # the CLI's `gvcgames statics MODEL` path: corners where a derived outcome is constant (PR's
    # relocation probability at e = 0) and symmetric games (CL) must not break the table
    from gvcgames.models import catalogue

    game = catalogue()[name].build()
    solution = game.mixed_equilibria() if isinstance(game, gg.NormalFormGame) else game.solve()
    for eq in solution.equilibria:
        table = gg.hypotheses(eq, samples=20)
        assert all(h.certificate in ("proved", "proved on box", "sampled", "conditional", "unknown") for h in table)
        assert all("the each" not in h.sentence for h in table)


def test_cluster_hypotheses_sign_in_n():
    # DOMAIN.md, model CL: free riding, own prevention falls with the number of MSEs
    cl = gg.models.cluster()
    interior = next(eq for eq in cl.solve() if eq.case == "interior")
    n = next(p for p in cl.parameters if p.name == "N")
    (h,) = [h for h in gg.hypotheses(interior, outcomes=[interior.game.action], wrt=[n])]
    assert h.sign == gg.Sign.NEGATIVE and h.certificate == "proved"


def test_ro_statics_by_the_implicit_function_theorem():
    # DOMAIN.md, model RO: no closed form; de*/dsigma by the IFT. The FOC's signs in (c, m, r, x0, x*) are proved
    # at every interior optimum; sigma moves e* both ways (witnesses checked by finite differences here).
    from gvcgames.models.catalogue import catalogue
    from gvcgames.statics import implicit_statics, system_statics

    results = {r.wrt.name: r for r in system_statics(catalogue()["ro"].statics_systems(), samples=40)}
    expected = {"c": gg.Sign.NEGATIVE, "m": gg.Sign.POSITIVE, "r": gg.Sign.NEGATIVE}  # strict: e > 0 inside
    expected |= {"x0": gg.Sign.POSITIVE, "x_star": gg.Sign.NEGATIVE}
    for name, sign in expected.items():
        assert results[name].certificate == Certificate.PROVED and results[name].sign == sign, name
    sigma = results["sigma"]
    assert sigma.certificate == Certificate.CONDITIONAL
    system = catalogue()["ro"].statics_systems()[1][0]
    (e,) = system.variables
    for sign, point in sigma.evidence.witnesses.items():
        h = 1e-6 * point[sigma.wrt]
        move = {s: v for s, v in point.items()}
        up = implicit_statics(
            system.equations, e, sigma.wrt, at={**move, sigma.wrt: move[sigma.wrt] + h}, symbolic=False
        )
        down = implicit_statics(
            system.equations, e, sigma.wrt, at={**move, sigma.wrt: move[sigma.wrt] - h}, symbolic=False
        )
        slope = (up.point[e] - down.point[e]) / (2 * h)
        assert (slope > 0) == (sign == gg.Sign.POSITIVE), (sign, point, slope)
    hyps = gg.hypotheses(list(results.values()))
    assert any("volatility" in h.sentence for h in hyps)
