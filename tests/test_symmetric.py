"""Symmetric N-player games and the CL model."""

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.spec.symmetric import player_count, symmetric_from_game
from gvcgames.testing import admissible_parameters

CL = gg.models.cluster()
CL_SOLUTION = CL.solve()
CL_COOPERATIVE = CL.cooperative()

# Non-concave test games on [0, 1], N symbolic: the deviator's payoff is not concave in its own action,
# so every candidate's optimality must come from comparing it with the deviator's other options.
B_POS, A_POS = gg.parameters("b_t a_t", positive=True, latex=["b", "a"])
N_T = gg.parameters("N_t", domain="[1, oo)", integer=True, latex="N")
X_T, Y_T = gg.actions("x_t y_t", domain="[0, 1]", latex=["x", "y"])
CONVEX = gg.SymmetricGame(X_T, Y_T, X_T**2 - B_POS * X_T * Y_T, N_T, name="convex own payoff")
CUBIC = gg.SymmetricGame(X_T, Y_T, -(X_T**3) / 3 + A_POS * X_T**2 / 2 + B_POS * X_T * Y_T, N_T, name="cubic own payoff")
TEST_GAMES = {"cl": (CL, CL_SOLUTION), "convex": (CONVEX, CONVEX.solve()), "cubic": (CUBIC, CUBIC.solve())}


@pytest.mark.parametrize("n", [2, 3, 5])
def test_symmetric_solution_equals_explicit_players(n):
    N, m, c, alpha = (CL.symbol(s) for s in ("N", "m", "c", "alpha"))
    symbolic = next(eq for eq in CL_SOLUTION if eq.case == "interior")
    explicit = CL.with_players(n).solve()
    interior = [eq for eq in explicit if all("interior" in part for part in eq.case.split(", "))]
    assert len(interior) == 1
    for value in interior[0].strategies.values():
        assert sp.simplify(value - symbolic["e"].subs(N, n)) == 0
    assert sp.simplify(symbolic["e"] - alpha * m / (c * N)) == 0


def test_cluster_free_riding_gap_and_statics_in_n():
    # DOMAIN.md, model CL: the symmetric equilibrium under-provides prevention relative to joint action.
    N, m, c, alpha = (CL.symbol(s) for s in ("N", "m", "c", "alpha"))
    eq = next(e for e in CL_SOLUTION if e.case == "interior")
    coop = next(e for e in CL_COOPERATIVE if e.case == "e interior")
    gap = sp.simplify(coop["e"] - eq["e"])
    assert sp.simplify(gap - alpha * m / c * (1 - 1 / N)) == 0
    ctx = CL.assumptions
    assert ctx.sign(gap) in (gg.Sign.NONNEGATIVE, gg.Sign.POSITIVE)  # zero only for N = 1
    assert ctx.sign(sp.diff(eq["e"], N)) == gg.Sign.NEGATIVE  # more MSEs, less prevention each
    assert ctx.sign(sp.diff(gap, N)) == gg.Sign.POSITIVE  # and a wider gap


@settings(max_examples=15)
@given(admissible_parameters(CL, bounds={"N": (1, 50)}))
def test_free_riding_gap_is_never_negative(values):
    values = {**values, "N": round(values["N"])}
    e_eq = [eq for eq in CL_SOLUTION if eq.holds_at(values)]
    e_coop = [eq for eq in CL_COOPERATIVE if eq.holds_at(values)]
    assert len(e_eq) == 1 and len(e_coop) == 1
    assert e_coop[0].at(values)[CL.action] >= e_eq[0].at(values)[CL.action] - 1e-12


def test_cournot_with_n_firms():
    a, c = gg.parameters("a c", positive=True)
    N = gg.parameters("N", domain="[1, oo)", integer=True)
    q, q_o = gg.actions("q q_o", nonnegative=True)
    game = gg.SymmetricGame(q, q_o, (a - q - (N - 1) * q_o - c) * q, N, assumptions=[a > c])
    (eq,) = game.solve().equilibria
    assert eq[q] == (a - c) / (N + 1) and eq.proved
    assert "unique symmetric equilibrium" in game.solve().message


# --- 1. every returned candidate is a best response ------------------------------------------------


def test_a_corner_that_is_not_a_best_response_is_rejected():
    # u = x^2 - b x y on [0, 1]: the KKT corners x = 0 (always) and x = 1 (b <= 2) are candidates, but against
    # others at 0 a deviator gets 1 at x = 1, and against others at 1 it gets 0 > 1 - b at x = 0 when b > 1.
    sol = gg.SymmetricGame(X_T, Y_T, X_T**2 - B_POS * X_T * Y_T, 2).solve()
    assert [(eq[X_T], eq.conditions) for eq in sol] == [(1, sp.Ge(1, B_POS))]
    assert sol.equilibria[0].proved
    reasons = dict(sol.rejected)
    assert "the deviator gains by moving to x_t = 1" in reasons["x_t = 0"]
    explicit = sol.game.with_players(2)
    assert not sol.at({"b_t": 1.5})  # no symmetric equilibrium there: the old solver claimed two
    assert gg.is_equilibrium(explicit, {a: 1 for a in explicit.actions}, {"b_t": 0.5})
    assert not gg.is_equilibrium(explicit, {a: 1 for a in explicit.actions}, {"b_t": 1.5})


def test_cubic_corner_condition_comes_from_the_comparison():
    sol = TEST_GAMES["cubic"][1]
    cases = {eq.case: eq for eq in sol}
    assert set(cases) == {"interior", "x_t = 1"}  # x = 0 loses to the deviation x = a where a < 1, to 1 elsewhere
    assert cases["interior"][X_T] == A_POS + B_POS
    assert all(eq.proved for eq in sol)


def _check_property(name, draw_a, draw_b):
    game, sol = TEST_GAMES[name]
    values = {p.name: v for p, v in zip((A_POS, B_POS), (draw_a, draw_b), strict=True) if p in game.parameters}
    if name == "cl":
        values = {"m": draw_a, "c": draw_b, "alpha": 0.6, "pi0": 0.3}
    for n in (2, 3, 5):
        at = {**values, game.N.name: n}
        explicit = game.with_players(n)
        for eq in sol:
            if not eq.holds_at(at):
                continue
            assert eq.proved, f"{name}: {eq.case} is returned without a proof of optimality"
            point = eq.at(at)[game.action]
            check = gg.is_equilibrium(explicit, {a: point for a in explicit.actions}, values)
            assert check, f"{name}, n = {n}, {at}: {eq.case} fails\n{check}"
            assert gg.is_equilibrium(game, eq, at)


@pytest.mark.parametrize("name", sorted(TEST_GAMES))
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(0.05, 2.5), st.floats(0.05, 2.5))
def test_every_returned_symmetric_equilibrium_passes_is_equilibrium(name, draw_a, draw_b):
    _check_property(name, draw_a, draw_b)


# --- 2. is_equilibrium and subs for symmetric games --------------------------------------------------


def test_is_equilibrium_checks_a_symmetric_profile_at_numeric_n():
    values = {"N": 3, "m": 1, "c": 1, "pi0": 0.2, "alpha": 0.5}
    interior = next(eq for eq in CL_SOLUTION if eq.case == "interior")
    check = gg.is_equilibrium(CL, interior, values)
    assert check and check.conditions_hold and "N = 3" in check.method
    off = gg.is_equilibrium(CL, {"e": 0.9}, values)
    assert not off and off.deviations[0].gain > 0.2
    with pytest.raises(gg.InvalidValuesError, match=r"N must be a positive integer number of players, got 2.5"):
        gg.is_equilibrium(CL, interior, {**values, "N": 2.5})
    with pytest.raises(gg.InvalidValuesError, match=r"values are missing for parameters \['N'\]"):
        gg.is_equilibrium(CL, interior, {k: v for k, v in values.items() if k != "N"})
    with pytest.raises(gg.InvalidValuesError, match="one value for the representative action e"):
        gg.is_equilibrium(CL, {"e_o": 0.1}, values)


def test_subs_returns_a_symmetric_game():
    fixed = CL.subs({"N": 3, "c": 1})
    assert isinstance(fixed, gg.SymmetricGame) and fixed.N == 3
    assert {p.name for p in fixed.parameters} == {"alpha", "m", "pi0"}
    interior = next(eq for eq in fixed.solve() if eq.case == "interior")
    assert sp.simplify(interior["e"] - fixed.symbol("alpha") * fixed.symbol("m") / 3) == 0
    with pytest.raises(gg.InvalidValuesError, match="not an integer"):
        CL.subs({"N": sp.Rational(5, 2)})
    with pytest.raises(gg.InvalidValuesError, match="outside its domain"):
        CL.subs({"alpha": 2})
    with pytest.raises(gg.InvalidValuesError, match="violate the assumption"):
        CL.subs({"alpha": sp.Rational(1, 2), "pi0": sp.Rational(4, 5)})
    with pytest.raises(gg.InvalidValuesError, match="'zz' is not a parameter"):
        CL.subs({"zz": 1})


# --- 3. detecting asymmetric payoffs -----------------------------------------------------------------


def test_symmetric_from_game_recovers_the_symmetric_game():
    explicit = CL.with_players(3)
    sym = symmetric_from_game(explicit)
    assert sym.N == 3 and sym.action == explicit.actions[0]
    interior = next(eq for eq in sym.solve() if eq.case == "interior")
    m, c, alpha = (CL.symbol(s) for s in ("m", "c", "alpha"))
    assert sp.simplify(interior[sym.action] - alpha * m / (3 * c)) == 0
    assert gg.SymmetricGame.from_game(explicit).payoff == sym.payoff


def test_asymmetric_payoffs_are_detected():
    a, b = gg.parameters("a b", positive=True)
    x, y = gg.actions("x y", nonnegative=True)
    asymmetric = gg.ContinuousGame({"1": (x, a * x - x**2 - x * y), "2": (y, b * y - y**2 - x * y)})
    with pytest.raises(gg.InvalidSpecError, match="payoffs are not symmetric: swapping x and y in 1's payoff"):
        symmetric_from_game(asymmetric)


def test_a_payoff_that_is_not_anonymous_in_the_others_is_detected():
    # u1 = x1 (x2 + 2 x3) - x1^2 with u2, u3 by swapping: exchangeable players, but x2 and x3 weigh differently
    x1, x2, x3 = gg.actions("x1 x2 x3", nonnegative=True)
    u1 = x1 * (x2 + 2 * x3) - x1**2
    game = gg.ContinuousGame(
        {"p1": (x1, u1), "p2": (x2, u1.xreplace({x1: x2, x2: x1})), "p3": (x3, u1.xreplace({x1: x3, x3: x1}))}
    )
    with pytest.raises(gg.InvalidSpecError, match="p1's payoff changes when the others' actions x2 and x3 are swapped"):
        symmetric_from_game(game)


def test_symmetric_from_game_needs_one_action_each_on_one_domain():
    x, y = gg.actions("x y", nonnegative=True)
    z = gg.actions("z", domain="[0, 1]")
    with pytest.raises(gg.InvalidSpecError, match="symmetric players choose from the same set"):
        symmetric_from_game(gg.ContinuousGame({"1": (x, -(x**2) + x * z), "2": (z, -(z**2) + x * z)}))
    with pytest.raises(gg.InvalidSpecError, match="exactly one action per player"):
        symmetric_from_game(gg.ContinuousGame({"1": ([x, y], -(x**2) - y**2 + x * z), "2": (z, -(z**2))}))
    with pytest.raises(gg.InvalidSpecError, match="two or more players"):
        symmetric_from_game(gg.ContinuousGame({"1": (x, -(x**2))}))


# --- 4. the number of players ---------------------------------------------------------------------


def test_bad_symmetric_specs():
    a = gg.parameters("a", positive=True)
    q, q_o = gg.actions("q q_o", nonnegative=True)
    e = gg.actions("e", domain="[0, 1]")
    with pytest.raises(
        gg.InvalidSpecError, match=r"N must be a positive integer number of players \(at least 1\), got 0"
    ):
        gg.SymmetricGame(q, q_o, a * q - q**2, 0)
    real_n = gg.parameters("n", positive=True)
    with pytest.raises(gg.InvalidSpecError, match="positive-integer parameter"):
        gg.SymmetricGame(q, q_o, a * q - q**2, real_n)
    with pytest.raises(gg.InvalidSpecError, match="same domain"):
        gg.SymmetricGame(q, e, a * q - q**2, 2)
    with pytest.raises(gg.InvalidSpecError, match="two different symbols"):
        gg.SymmetricGame(q, q, a * q - q**2, 2)


@pytest.mark.parametrize(("value", "expected"), [(sp.Integer(3), 3), (2.0, 2), (5, 5), (sp.Float(4.0), 4)])
def test_integral_player_counts_are_accepted(value, expected):
    a = gg.parameters("a", positive=True)
    q, q_o = gg.actions("q q_o", nonnegative=True)
    game = gg.SymmetricGame(q, q_o, a * q - q**2 - q * q_o, value)
    assert isinstance(game.N, sp.Integer) and int(game.N) == expected
    assert len(game.with_players(value).players) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (2.5, r"got 2.5 \(not an integer\)"),
        (sp.Rational(5, 2), r"got 5/2 \(not an integer\)"),
        (-1, r"\(at least 1\), got -1"),
        (True, "got True"),
        ("3", "got '3'"),
        (sp.Symbol("N"), "got the plain symbol N"),
    ],
)
def test_bad_player_counts_are_rejected_clearly(value, message):
    a = gg.parameters("a", positive=True)
    q, q_o = gg.actions("q q_o", nonnegative=True)
    with pytest.raises(gg.InvalidSpecError, match=message):
        gg.SymmetricGame(q, q_o, a * q - q**2, value)
    assert player_count(3.0) == 3


# --- 5. uniqueness as a condition, existence with its hypotheses -------------------------------------


def test_uniqueness_condition_is_derived():
    a, b = gg.parameters("a b", positive=True)
    N = gg.parameters("N", domain="[1, oo)", integer=True)
    u, v = gg.actions("u v", nonnegative=True)
    sol = gg.SymmetricGame(u, v, a * u + b * u * v - u**2 / 2, N).solve()
    assert sol.uniqueness == sp.Gt(1, b)  # g'(u) = b - 1: strictly decreasing iff b < 1
    assert "unique symmetric equilibrium where" in sol.message
    assert not sol.existence_proved and "not compact" in sol.existence  # [0, oo) is unbounded
    (eq,) = sol.equilibria
    assert sp.simplify(eq[u] - a / (1 - b)) == 0 and eq.conditions == sp.Gt(1, b)


def test_cluster_existence_and_uniqueness_are_proved_and_worded_per_region():
    assert CL_SOLUTION.unique and CL_SOLUTION.existence_proved
    assert [ok for _, ok in CL_SOLUTION.hypotheses] == [True, True, True]
    head = str(CL_SOLUTION).splitlines()[0]
    assert "a unique symmetric equilibrium at each parameter point, in 2 disjoint regions" in head
    assert "2 equilibria" not in head


def test_symmetric_game_renders_in_notebooks():
    tex = CL._repr_latex_()
    assert tex.startswith("$\\begin{aligned}") and "\\max_{e \\in" in tex and "N - 1" in tex
