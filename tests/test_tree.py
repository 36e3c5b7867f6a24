"""Game trees: decision nodes, Nature with symbolic probabilities, information sets, and trees
after continuous stages (the PR shape)."""

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import gvcgames as gg
from gvcgames.errors import UnsupportedError

f, a = gg.parameters("f a", positive=True)
D, Delta, kappa, m, c = gg.parameters("D Delta kappa m c", positive=True)
q = gg.parameters("q", domain="(0, 1)", description="probability of a disruption")


def entry_game():
    # Entry deterrence (Tirole 1988, The Theory of Industrial Organization, sec. 8.1): fighting is an
    # empty threat, the unique subgame-perfect equilibrium is (in, accommodate).
    return gg.ExtensiveFormGame(
        gg.Decision(
            "E",
            {
                "out": {"E": 0, "I": 2},
                "in": gg.Decision("I", {"fight": {"E": -f, "I": -1}, "accommodate": {"E": a, "I": 1}}),
            },
        ),
        name="entry",
    )


def shock_game():
    """S prevents (cost kappa) or not; Nature strikes with probability q; then L stays or relocates."""

    def after_shock(loss_stay, pay_stay):
        return gg.Decision(
            "L", {"stay": {"S": pay_stay, "L": -loss_stay}, "relocate": {"S": pay_stay - 1, "L": -Delta}}
        )

    return gg.ExtensiveFormGame(
        gg.Decision(
            "S",
            {
                "prevent": gg.Chance(
                    {"shock": (q, after_shock(D / 2, 1 - kappa)), "calm": (1 - q, {"S": 1 - kappa, "L": 0})}
                ),
                "not": gg.Chance({"shock": (q, after_shock(D, 1)), "calm": (1 - q, {"S": 1, "L": 0})}),
            },
        ),
        name="shock",
    )


def test_entry_game_has_the_textbook_spe():
    sol = entry_game().solve()
    (eq,) = sol.equilibria
    assert eq.behaviour == {"E at the root": {"out": 0, "in": 1}, "I after in": {"fight": 0, "accommodate": 1}}
    assert eq.payoffs == {"E": a, "I": 1}
    assert eq.conditions is sp.true
    assert eq.case == "E: in; I after in: accommodate"
    assert gg.is_equilibrium(entry_game(), eq, {"f": 1, "a": 2})


def test_empty_threat_fails_the_check_with_player_and_gain():
    check = gg.is_equilibrium(entry_game(), {"E at the root": "out", "I after in": "fight"}, {"f": 1, "a": 2})
    assert not check
    text = str(check)
    assert "I at 'I after in'" in text and "'accommodate' gives 1" in text and "gain 2" in text


def test_nature_with_symbolic_probability_gives_exact_regions():
    sol = shock_game().solve()
    by_case = {}
    for eq in sol:
        by_case.setdefault(eq.case, []).append(eq)
    # prevention is chosen only where L would stay after a prevented shock and relocate otherwise, and q >= kappa
    (prevent,) = by_case["S: prevent; L after prevent, shock: stay"]
    ctx = gg.Assumptions()
    expected = (Delta <= D) & (2 * Delta >= D) & (q >= kappa)
    assert ctx.clean(prevent.conditions & ~expected) is sp.false
    assert ctx.clean(expected & ~prevent.conditions) is sp.false
    assert prevent.payoffs["S"] == 1 - kappa
    assert prevent.outcomes["Pr(L: relocate)"] == 0
    assert prevent.outcomes["Pr(Nature: shock)"] == q
    # without prevention, relocation happens exactly when the shock does, wherever D > Delta
    relocating = [eq for eq in sol if eq.outcomes["Pr(L: relocate)"] == q]
    assert relocating and all(eq.payoffs["S"] == 1 - q for eq in relocating)


@given(
    st.floats(0.05, 0.95),
    st.floats(0.05, 0.95),
    st.floats(0.1, 5),
    st.floats(0.1, 5),
)
def test_every_holding_equilibrium_of_the_shock_game_passes_the_check(qv, kv, dv, deltav):
    values = {"q": qv, "kappa": kv, "D": dv, "Delta": deltav}
    game = shock_game()
    holding = [eq for eq in SHOCK_SOLUTION if eq.holds_at(values)]
    assert holding, f"no equilibrium holds at {values}"
    for eq in holding:
        check = gg.is_equilibrium(game, eq, values)
        assert check, str(check)


SHOCK_SOLUTION = shock_game().solve()


def test_statics_of_a_tree_outcome():
    (prevent,) = [eq for eq in SHOCK_SOLUTION if eq.case.startswith("S: prevent")]
    res = gg.comparative_statics(prevent, outcome="payoff:L", wrt=D)
    assert res.derivative == -q / 2 and res.certificate == gg.Certificate.PROVED and res.sign == gg.Sign.NEGATIVE
    relocating = next(eq for eq in SHOCK_SOLUTION if eq.outcomes["Pr(L: relocate)"] == q)
    dr = gg.comparative_statics(relocating, outcome="Pr(L: relocate)", wrt=q)
    assert dr.derivative == 1 and dr.sign == gg.Sign.POSITIVE


def matching_pennies():
    payoff = {("h", "h"): 1, ("h", "t"): -1, ("t", "h"): -1, ("t", "t"): 1}
    return gg.ExtensiveFormGame(
        gg.Decision(
            "A",
            {
                x: gg.Decision(
                    "B", {y: {"A": payoff[(x, y)], "B": -payoff[(x, y)]} for y in ("h", "t")}, infoset="B's move"
                )
                for x in ("h", "t")
            },
        )
    )


def test_simultaneous_moves_as_an_information_set_give_the_mixed_equilibrium():
    (eq,) = matching_pennies().solve().equilibria
    assert eq.behaviour["A at the root"] == {"h": sp.Rational(1, 2), "t": sp.Rational(1, 2)}
    assert eq.behaviour["B's move"] == {"h": sp.Rational(1, 2), "t": sp.Rational(1, 2)}
    assert eq.payoffs == {"A": 0, "B": 0}
    assert gg.is_equilibrium(matching_pennies(), eq, {})
    # B cannot condition on A's move: a pure B against the mixture is a deviation only if it gains (it does not),
    # but a pure A against B's mixture-free "h" does gain
    check = gg.is_equilibrium(matching_pennies(), {"A at the root": "t", "B's move": "h"}, {})
    assert not check


def test_nature_then_a_symbolic_coordination_block():
    # Nature sets the stakes, then two suppliers choose simultaneously to invest or not (a stag hunt with
    # symbolic payoffs): both pure equilibria where they exist, and the mixed one.
    h, s = gg.parameters("h s", positive=True)

    def hunt(stake):
        pays = {("inv", "inv"): (stake, stake), ("inv", "no"): (-s, 0), ("no", "inv"): (0, -s), ("no", "no"): (0, 0)}
        return gg.Decision(
            "P1",
            {
                x: gg.Decision(
                    "P2",
                    {y: {"P1": pays[(x, y)][0], "P2": pays[(x, y)][1]} for y in ("inv", "no")},
                    infoset=f"P2 {stake}",
                )
                for x in ("inv", "no")
            },
        )

    game = gg.ExtensiveFormGame(gg.Chance({"high": (q, hunt(h)), "low": (1 - q, hunt(-h))}))
    sol = game.solve()
    assert sol.converged and sol.equilibria
    # in the low-stakes block investing never pays, so both play "no" there in every equilibrium
    for eq in sol:
        assert eq.behaviour["P2 -h"]["no"] == 1
    assert any(eq.behaviour["P1 after high"]["inv"] == 1 and eq.behaviour["P2 h"]["inv"] == 1 for eq in sol)
    mixed = [eq for eq in sol if eq.behaviour["P2 " + str(h)]["inv"] not in (0, 1)]
    assert mixed and sp.simplify(mixed[0].behaviour["P2 " + str(h)]["inv"] - s / (h + s)) == 0
    for eq in sol:
        values = {"h": 2.0, "s": 1.0, "q": 0.4}
        if eq.holds_at(values):
            assert gg.is_equilibrium(game, eq, values), eq.case


def test_continuous_investment_then_nature_then_relocation():
    # The PR shape with a shock: S picks prevention e, a shock hits with probability q, then L stays
    # (loss D (1 - e)) or relocates (cost Delta). By hand: L stays iff e >= 1 - Delta/D; S either prevents
    # just enough, e = 1 - Delta/D, or not at all; just enough iff q m >= c (1 - Delta/D)^2 / 2.
    e = gg.actions("e", domain="[0, 1]")
    cost = c * e**2 / 2
    stay = {"S": m - cost, "L": -D * (1 - e)}
    tree = gg.Chance(
        {
            "shock": (q, gg.Decision("L", {"stay": stay, "relocate": {"S": -cost, "L": -Delta}})),
            "calm": (1 - q, {"S": m - cost, "L": 0}),
        }
    )
    game = gg.SequentialGame([("S", e), tree])
    sol = game.solve()
    just_enough = next(eq for eq in sol if eq["e"] != 0)
    assert sp.simplify(just_enough["e"] - (1 - Delta / D)) == 0
    ctx = gg.Assumptions()
    expected = (Delta <= D) & (2 * q * m >= c * (1 - Delta / D) ** 2)
    assert ctx.clean(just_enough.conditions & ~ctx.clean(expected)) is sp.false
    assert just_enough.outcomes["Pr(L: relocate)"] == 0
    values = {"m": 1, "c": 1, "D": 2, "Delta": 1, "q": 0.5}
    for eq in sol.at(values):
        assert gg.is_equilibrium(game, eq, values), eq.case
    assert not gg.is_equilibrium(game, {e: 0.2}, values)


def test_undecided_probabilities_become_conditions():
    r1, r2 = gg.parameters("r1 r2", positive=True)
    game = gg.ExtensiveFormGame(
        gg.Chance({"up": (r1, gg.Decision("A", {"x": {"A": 1}, "y": {"A": 0}})), "down": (r2, {"A": 0})})
    )
    (eq,) = game.solve().equilibria
    assert eq.holds_at({"r1": 0.3, "r2": 0.7}) is True
    assert eq.holds_at({"r1": 0.3, "r2": 0.6}) is False  # not a probability distribution


def test_bad_trees_are_refused_with_the_reason():
    with pytest.raises(gg.InvalidSpecError, match="provably outside"):
        gg.Chance({"a": (-q, {"A": 0}), "b": (1 + q, {"A": 1})})
    with pytest.raises(gg.InvalidSpecError, match="provably not 1"):
        gg.Chance({"a": (sp.Rational(1, 3), {"A": 0}), "b": (sp.Rational(1, 3), {"A": 1})})
    with pytest.raises(gg.InvalidSpecError, match="at least one outcome"):
        gg.Chance({})
    with pytest.raises(gg.InvalidSpecError, match="at least one action"):
        gg.Decision("A", {})
    with pytest.raises(gg.InvalidSpecError, match="every leaf must give every player"):
        gg.ExtensiveFormGame(gg.Decision("A", {"x": {"A": 1, "B": 0}, "y": {"A": 0}}))
    with pytest.raises(gg.InvalidSpecError, match="no payoff to"):
        gg.ExtensiveFormGame(gg.Decision("A", {"x": gg.Decision("B", {"u": {"A": 1}}), "y": {"A": 0}}))
    with pytest.raises(gg.InvalidSpecError, match="information set 'I' mixes"):
        gg.ExtensiveFormGame(
            gg.Decision(
                "A",
                {
                    "x": gg.Decision("B", {"u": {"A": 1, "B": 0}, "v": {"A": 0, "B": 1}}, infoset="I"),
                    "y": gg.Decision("B", {"u": {"A": 1, "B": 0}, "w": {"A": 0, "B": 1}}, infoset="I"),
                },
            )
        )
    with pytest.raises(gg.InvalidSpecError, match=r"expected gg\.Decision"):
        gg.Decision("A", {"x": 3})
    e = gg.actions("e", domain="[0, 1]")
    with pytest.raises(gg.UnknownSymbolError, match="SequentialGame"):
        gg.ExtensiveFormGame(gg.Decision("A", {"x": {"A": e}, "y": {"A": 0}}))


def test_information_set_that_is_not_a_simultaneous_move_is_unsupported():
    # B cannot tell x from (y, z): the two nodes are not children of one node, so this is no simultaneous move.
    game = gg.ExtensiveFormGame(
        gg.Decision(
            "A",
            {
                "x": gg.Decision("B", {"u": {"A": 1, "B": 0}, "v": {"A": 0, "B": 1}}, infoset="I"),
                "y": gg.Decision(
                    "A",
                    {
                        "z": gg.Decision("B", {"u": {"A": 1, "B": 1}, "v": {"A": 0, "B": 0}}, infoset="I"),
                        "w": {"A": 0, "B": 0},
                    },
                ),
            },
        )
    )
    with pytest.raises(UnsupportedError, match="information set 'I'"):
        game.solve()


def test_discrete_moves_only_come_last_in_a_sequential_game():
    e = gg.actions("e", domain="[0, 1]")
    with pytest.raises(gg.InvalidSpecError, match="discrete moves come last"):
        gg.SequentialGame([gg.Decision("L", {"a": {"L": 0}, "b": {"L": 1}}), ("S", e)])
