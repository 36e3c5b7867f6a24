"""Symmetric N-player games and the CL model."""

import pytest
import sympy as sp
from hypothesis import given, settings

import gvcgames as gg
from gvcgames.spec.symmetric import symmetric_from_game
from gvcgames.testing import admissible_parameters

CL = gg.models.cluster()
CL_SOLUTION = CL.solve()
CL_COOPERATIVE = CL.cooperative()


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


def test_bad_symmetric_specs():
    a = gg.parameters("a", positive=True)
    q, q_o = gg.actions("q q_o", nonnegative=True)
    e = gg.actions("e", domain="[0, 1]")
    with pytest.raises(gg.InvalidSpecError, match="N must be a positive integer, got 0"):
        gg.SymmetricGame(q, q_o, a * q - q**2, 0)
    real_n = gg.parameters("n", positive=True)
    with pytest.raises(gg.InvalidSpecError, match="positive-integer parameter"):
        gg.SymmetricGame(q, q_o, a * q - q**2, real_n)
    with pytest.raises(gg.InvalidSpecError, match="same domain"):
        gg.SymmetricGame(q, e, a * q - q**2, 2)
    with pytest.raises(gg.InvalidSpecError, match="two different symbols"):
        gg.SymmetricGame(q, q, a * q - q**2, 2)


def test_asymmetric_payoffs_are_detected():
    a, b = gg.parameters("a b", positive=True)
    x, y = gg.actions("x y", nonnegative=True)
    asymmetric = gg.ContinuousGame({"1": (x, a * x - x**2 - x * y), "2": (y, b * y - y**2 - x * y)})
    with pytest.raises(gg.InvalidSpecError, match="payoffs are not symmetric"):
        symmetric_from_game(asymmetric)
