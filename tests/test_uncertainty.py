"""Private types, final discrete choices, and the PR model."""

import pytest
import sympy as sp
from hypothesis import given, settings

import gvcgames as gg
from gvcgames.testing import admissible_parameters

PR = gg.models.prevention_relocation()
PR_SOLUTION = PR.solve()


def test_pr_interior_solution_matches_domain():
    # DOMAIN.md, model PR: e* = m p D/(c Fbar), R* = (p D (1 - e*) - Delta)/Fbar.
    p, D, Delta, Fbar, m, c = (PR.symbol(n) for n in ("p", "D", "Delta", "Fbar", "m", "c"))
    (interior,) = [eq for eq in PR_SOLUTION if eq.case.startswith("e interior")]
    e_star = m * p * D / (c * Fbar)
    assert sp.simplify(interior["e"] - e_star) == 0
    R = interior.outcomes["Pr(lead firm: relocate)"]
    assert sp.simplify(R - (p * D * (1 - e_star) - Delta) / Fbar) == 0
    assert interior.proved
    values = {"p": 0.5, "D": 10, "Delta": 1, "Fbar": 10, "m": 2, "c": 4}
    assert interior.holds_at(values)
    assert interior.at(values)[PR.symbol("e")] == pytest.approx(0.25)


def test_pr_corner_regimes_are_reported():
    cases = {eq.case.split(";")[0] for eq in PR_SOLUTION}
    # no relocation threat (e = 0, R = 0), just enough prevention to keep L (R = 0),
    # the interior trade-off, and giving up (R = 1)
    assert {"e = 0", "e = 1 - Delta/(D*p)", "e interior"} <= cases
    outcomes = {eq.outcomes["Pr(lead firm: relocate)"] for eq in PR_SOLUTION}
    assert {0, 1} <= outcomes


def test_pr_every_reported_region_has_admissible_points():
    # A region that is empty (or only a boundary) must not be reported: its "proved" statics would be vacuous.
    from gvcgames.statics import sample_admissible

    for eq in PR_SOLUTION:
        assert sample_admissible(PR, 5, region=eq.conditions, seed=1).n > 0, eq.case


@settings(max_examples=8)
@given(admissible_parameters(PR))
def test_pr_every_holding_equilibrium_passes_the_numeric_check(values):
    holding = [eq for eq in PR_SOLUTION if eq.holds_at(values)]
    assert holding, f"no PR equilibrium holds at {values}"
    for eq in holding:
        check = gg.is_equilibrium(PR, eq, values)
        assert check, str(check)


def test_pr_wrong_prevention_fails_the_check():
    values = {"p": 0.5, "D": 10, "Delta": 1, "Fbar": 10, "m": 2, "c": 4}
    check = gg.is_equilibrium(PR, {"e": 0.6}, values)
    assert not check and "MSE" in str(check)


def test_deterministic_final_choice_entry_deterrence():
    # Incumbent picks capacity k; the entrant enters iff its profit a - k - f > 0.
    a, f = gg.parameters("a f", positive=True)
    k = gg.actions("k", domain="[0, 10]")
    game = gg.SequentialGame(
        [
            ("incumbent", k),
            gg.Choice(
                "entrant",
                {
                    "enter": {"incumbent": k * (a - k) / 2 - k, "entrant": a - k - f},
                    "out": {"incumbent": k * (a - k) - k, "entrant": 0},
                },
            ),
        ]
    )
    values = {a: 6, f: 1}
    sol = game.solve()
    holding = sol.at(values)
    assert holding
    for eq in holding:
        assert gg.is_equilibrium(game, eq, values)


def test_distributions_and_their_bad_parameters():
    lo = gg.parameters("lo", positive=True)
    assert gg.uniform(0, 1).cdf(sp.Rational(1, 4)) == sp.Rational(1, 4)
    assert gg.exponential(2).support == sp.Interval(0, sp.oo)
    assert sp.simplify(gg.normal(0, 1).cdf(0) - sp.Rational(1, 2)) == 0
    assert sp.simplify(gg.logistic(0, lo).cdf(0) - sp.Rational(1, 2)) == 0
    with pytest.raises(gg.InvalidSpecError, match="lower end must be below the upper end"):
        gg.uniform(1, 0)
    with pytest.raises(gg.InvalidSpecError, match="standard deviation must be positive"):
        gg.normal(0, -1)
    with pytest.raises(gg.InvalidSpecError, match="rate must be positive"):
        gg.exponential(-lo)
    with pytest.raises(gg.InvalidSpecError, match="scale must be positive"):
        gg.logistic(0, 0)


def test_bad_choices():
    F, u = gg.parameters("F u", positive=True)
    with pytest.raises(gg.InvalidSpecError, match="at least two actions"):
        gg.Choice("L", {"stay": {"L": 1}})
    with pytest.raises(gg.InvalidSpecError, match="must give the chooser 'L' a payoff"):
        gg.Choice("L", {"stay": {"S": 1}, "go": {"S": 0}})
    with pytest.raises(gg.InvalidSpecError, match="gives payoffs to"):
        gg.Choice("L", {"stay": {"L": 1}, "go": {"L": 0, "S": 1}})
    with pytest.raises(gg.InvalidSpecError, match="private_type must be"):
        gg.Choice("L", {"stay": {"L": 1}, "go": {"L": F}}, private_type=F)
    e = gg.actions("e", domain="[0, 1]")
    nonlinear = gg.Choice(
        "L", {"stay": {"L": -e, "S": e}, "go": {"L": -(F**2), "S": 0}}, private_type=(F, gg.uniform(0, 1))
    )
    with pytest.raises(gg.InvalidSpecError, match="must be linear in the private type F"):
        gg.SequentialGame([("S", e), nonlinear]).solve()
    three = gg.Choice(
        "L", {"a": {"L": F, "S": e}, "b": {"L": 0, "S": 0}, "c": {"L": u, "S": 0}}, private_type=(F, gg.uniform(0, 1))
    )
    with pytest.raises(gg.InvalidSpecError, match="only two actions with a private type"):
        gg.SequentialGame([("S", e), three]).solve()
    with pytest.raises(
        gg.InvalidSpecError, match="stage 1 must be \\(player, actions\\); payoffs come from the final Choice"
    ):
        gg.SequentialGame([("S", e, e), gg.Choice("L", {"a": {"L": 1, "S": e}, "b": {"L": 0, "S": 0}})])
    with pytest.raises(gg.InvalidSpecError, match="give no payoff to \\['T'\\]"):
        gg.SequentialGame([("T", e), gg.Choice("L", {"a": {"L": 1, "S": e}, "b": {"L": 0, "S": 0}})])


def test_normal_type_does_not_hang():
    e = gg.actions("e", domain="[0, 1]")
    F, m, c = gg.parameters("F m c", positive=True)
    game = gg.SequentialGame(
        [
            ("S", e),
            gg.Choice(
                "L",
                {"stay": {"L": -(1 - e), "S": m - c * e**2}, "go": {"L": -F, "S": -c * e**2}},
                private_type=(F, gg.normal(1, 1)),
            ),
        ]
    )
    sol = game.solve(time_budget=5)
    assert sol.converged is False or sol.equilibria  # gives up with a message, or solves; never hangs
    if not sol.converged:
        assert sol.message


@pytest.mark.parametrize(
    ("family", "args", "message"),
    [
        ("uniform", (0, float("nan")), "must be finite"),
        ("uniform", (0, sp.oo), "must be finite"),
        ("uniform", (None, 1), "must be a number"),
        ("normal", (float("nan"), 1), "must be finite"),
        ("normal", (0, 1j), "must be real"),
        ("exponential", ("lam",), "must be a number"),
    ],
)
def test_distribution_parameters_that_are_no_numbers_are_refused(family, args, message):
    with pytest.raises(gg.InvalidSpecError, match=message):
        getattr(gg, family)(*args)


def test_subs_reaches_the_private_type_distribution():
    fixed = PR.subs({"Fbar": 10})
    assert "Fbar" not in {s.name for s in fixed.parameters}
    assert fixed.choice.private_type[1].params == (0, 10)


def test_values_outside_a_domain_are_refused_not_judged():
    values = {"p": 1.5, "D": 10, "Delta": 1, "Fbar": 10, "m": 2, "c": 4}
    with pytest.raises(gg.InvalidValuesError, match=r"p = 1\.5 is outside its domain"):
        PR_SOLUTION.at(values)
    with pytest.raises(gg.InvalidValuesError, match="outside its domain"):
        PR_SOLUTION.equilibria[0].at(values)


def test_exponential_type_corner_where_the_interior_root_is_not_real():
    # F ~ Exp(lam): the interior candidate involves LambertW, complex where prevention pays all the way (e* = 1).
    e = gg.actions("e", domain="[0, 1]")
    m, c, lam, k = gg.parameters("m c lam k", positive=True)
    F = gg.parameters("F", nonnegative=True)
    stay = {"L": -k * (1 - e), "S": m - c * e**2 / 2}
    go = {"L": -F, "S": -c * e**2 / 2}
    game = gg.SequentialGame(
        [("S", e), gg.Choice("L", {"stay": stay, "go": go}, private_type=(F, gg.exponential(lam)))]
    )
    sol = game.solve()
    values = {"m": 5.0, "c": 1.0, "k": 1.0, "lam": 2.0}
    (holding,) = sol.at(values)  # U'(e) = k lam m exp(-k lam (1 - e)) - c e > 0 on [0, 1]: the corner
    assert holding.case.startswith("e = 1")
    assert gg.is_equilibrium(game, holding, values)


@pytest.mark.parametrize("dist", [gg.uniform(0, 3), gg.normal(1, 2), gg.logistic(0.5, 1.5), gg.exponential(2)])
def test_fast_density_of_the_numeric_check_equals_scipy(dist):
    import numpy as np

    from gvcgames.solve.verify_choice import scalar_pdf, scipy_distribution

    fast, reference = scalar_pdf(dist, {}), scipy_distribution(dist, {})
    for t in np.linspace(-40, 40, 321):
        assert fast(t) == pytest.approx(reference.pdf(t), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("family", ["normal", "logistic"])
@pytest.mark.parametrize(
    "values", [dict(m=1.0, c=2.0, k=3.0, s=2.0), dict(m=5.0, c=1.0, k=1.0, s=0.3), dict(m=1.0, c=10.0, k=0.5, s=5.0)]
)
def test_types_without_a_closed_form_are_solved_numerically(family, values):
    # S: e in [0, 1]; L stays iff its type G exceeds k (1 - e); the stay probability is 1 - F(k (1 - e)), which has
    # no closed-form optimum for normal or logistic F. Brute force on a fine grid is the independent answer.
    import numpy as np
    from scipy import stats

    e = gg.actions("e", domain="[0, 1]")
    m, c, k, s = gg.parameters("m c k s", positive=True)
    G = gg.parameters("G")
    dist = gg.normal(0, s) if family == "normal" else gg.logistic(0, s)
    stay, go = {"L": -k * (1 - e), "S": m - c * e**2 / 2}, {"L": -G, "S": -c * e**2 / 2}
    game = gg.SequentialGame([("S", e), gg.Choice("L", {"stay": stay, "go": go}, private_type=(G, dist))])
    grid = np.linspace(0, 1, 200001)
    cdf = (stats.norm if family == "normal" else stats.logistic)(scale=values["s"]).cdf
    brute = grid[np.argmax((1 - cdf(values["k"] * (1 - grid))) * values["m"] - values["c"] * grid**2 / 2)]
    (eq,) = game.solve_at(values).equilibria
    assert float(eq["e"]) == pytest.approx(brute, abs=2e-5)
    assert float(eq.outcomes["Pr(L: stay)"]) == pytest.approx(1 - cdf(values["k"] * (1 - float(eq["e"]))), abs=1e-8)


def test_sequential_solve_at_without_a_final_choice_is_numeric_backward_induction():
    st = gg.models.stackelberg()
    (eq,) = st.solve_at({"a": 10, "b": 1, "c": 1}).equilibria
    assert float(eq["q1"]) == pytest.approx(4.5, abs=1e-4) and float(eq["q2"]) == pytest.approx(2.25, abs=1e-4)
    assert eq.case == "numeric"
