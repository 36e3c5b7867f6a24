"""Hypothesis objects: sentences from descriptions, tables, LaTeX and notebook display."""

import pandas as pd
import pytest
import sympy as sp

import gvcgames as gg
from gvcgames import models
from gvcgames.statics import Certificate, Hypotheses, Hypothesis, Outcome, comparative_statics, hypotheses


@pytest.fixture(scope="module")
def up_eq():
    return models.upgrading().solve().equilibria[0]


@pytest.fixture(scope="module")
def up_hypotheses(up_eq):
    return hypotheses(up_eq, outcomes=["u"], title="UP: testable predictions")


def test_sentences_use_descriptions(up_hypotheses):
    by_param = {h.parameter.name: h for h in up_hypotheses}
    h = by_param["R"]
    assert h.sentence == (
        "A higher probability that the lead firm relocates (R) raises the MSE's upgrading effort (u*) "
        "if a_o > beta*(a + g*k) and lowers it if beta*(a + g*k) > a_o."
    )
    assert h.certificate == Certificate.CONDITIONAL and h.testable
    beta = by_param["beta"]
    assert beta.sentence == (
        "An increase in the supplier's bargaining share (beta) does not lower the MSE's upgrading effort (u*), "
        "and strictly raises it if R < 1."
    )
    assert str(beta).startswith("H") and str(beta).endswith("[proved]")


def test_sentence_in_equilibrium_terms_and_region():
    p = gg.parameters("p", domain="(0, 1)", description="probability of a disruption")
    D, Delta, Fbar, m, c = gg.parameters("D Delta Fbar m c", positive=True)
    e = gg.actions("e", domain="[0, 1]", description="risk prevention")
    R = (p * D * (1 - e) - Delta) / Fbar
    game = gg.ContinuousGame({"MSE": (e, m * (1 - R) - c * e**2 / 2)})
    (eq,) = [q for q in game.solve().equilibria if q.case.endswith("interior")]
    h = Hypothesis.from_result(
        comparative_statics(eq, Outcome("R", R, description="probability that the lead firm relocates"), p), "H7"
    )
    assert "if e* < 1/2 and lowers it if e* > 1/2" in h.sentence
    assert h.sentence.startswith("In the equilibrium region Fbar*c > D*m*p, a higher probability of a disruption (p)")
    assert r"e^* < \frac{1}{2}" in h.latex
    assert h.to_latex().startswith(r"\textbf{H7.}")


def test_weaker_certificates_are_qualified():
    a = gg.parameters("a", positive=True, description="market size")
    t = gg.parameters("t", domain="(0, 10)", description="technology")
    x = gg.actions("x", nonnegative=True, description="output")
    game = gg.ContinuousGame({"firm": (x, (t**2 - t + 1) * a * x - x**2 / 2)})
    (eq,) = [q for q in game.solve().equilibria if q.case.endswith("interior")]
    box = Hypothesis.from_result(comparative_statics(eq, x, a))
    assert box.certificate == "proved on box"
    assert "(proved only on the parameter box t in [0.01, 9.99]" in box.sentence
    sampled = Hypothesis.from_result(comparative_statics(eq, x, a, box=False, samples=40))
    assert sampled.sentence.endswith("(not proved: the sign held at all 40 sampled admissible parameter points).")


def test_table_latex_and_display(up_hypotheses):
    frame = up_hypotheses.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [
        "statement",
        "outcome",
        "parameter",
        "sign",
        "positive if",
        "negative if",
        "certificate",
        "evidence",
        "derivative",
    ]
    assert frame.loc["H1", "sign"] == "+/-"
    assert frame.loc["H1", "evidence"].startswith("N = 200 draws")
    assert frame.loc["H2", "evidence"] == "symbolic proof"
    tex = up_hypotheses.to_latex()
    lines = tex.splitlines()
    assert lines[0] == r"\begin{tabular}{lllllll}"
    assert lines[1] == r"\toprule" and lines[3] == r"\midrule" and lines[-2] == r"\bottomrule"
    assert lines[-1] == r"\end{tabular}"
    assert len([ln for ln in lines if ln.startswith("H")]) == len(up_hypotheses)
    assert r"$\pm$" in tex and r"$u^*$" in tex
    wrapped = up_hypotheses.to_latex(caption="UP predictions")
    assert wrapped.startswith(r"\begin{table}") and r"\caption{UP predictions}" in wrapped
    assert "<table" in up_hypotheses._repr_html_()
    assert up_hypotheses._repr_latex_() == tex
    assert str(up_hypotheses).splitlines()[0] == "UP: testable predictions"
    h = up_hypotheses[0]
    assert "<b>H1.</b>" in h._repr_html_() and "conditional" in h._repr_latex_()


def test_list_behaviour(up_eq, up_hypotheses):
    assert isinstance(up_hypotheses[1:3], Hypotheses) and len(up_hypotheses[1:3]) == 2
    assert [h.label for h in up_hypotheses] == [f"H{i}" for i in range(1, 7)]
    # zero effects are not predictions unless asked for
    hu = models.hold_up().solve().equilibria[0]
    without = hypotheses(hu, outcomes=["x"])
    with_zero = hypotheses(hu, outcomes=["x"], include_zero=True)
    assert len(with_zero) == len(without) + 1
    zero = next(h for h in with_zero if h.sign == gg.Sign.ZERO)
    assert not zero.testable and "does not change" in zero.sentence
    assert len(with_zero.testable()) == len(without)
    # built from ready results
    results = [comparative_statics(up_eq, "u", "beta")]
    assert len(hypotheses(results)) == 1 and len(hypotheses(results[0])) == 1


def test_statics_result_display(up_eq):
    res = comparative_statics(up_eq, "u", "R", samples=50)
    text = str(res)
    assert text.startswith("du*/dR = a_o - beta*(a + g*k)   [conditional]")
    assert "> 0 iff a_o > beta*(a + g*k)" in text
    assert "sampled: N = 50 admissible draws" in text
    assert "witness of > 0" in text and "witness of < 0" in text
    tex = res.to_latex()
    assert tex.startswith(r"\begin{align*}") and r"\frac{\partial u^*}{\partial R}" in tex and r"\iff" in tex
    assert res._repr_latex_().startswith("$\\begin{aligned}")
    proved = comparative_statics(up_eq, "payoff:MSE", "a_o")
    assert proved.label == "d[payoff:MSE]/da_o"
    assert r"\pi_{\text{MSE}}^*" in proved.to_latex()
    assert proved.at({"R": 0.5, "a": 1, "a_o": 2, "beta": 0.5, "g": 1, "k": 1}) == pytest.approx(
        0.5 * (0.5 * 2 + 0.5 * 0.5 * 2)
    )
    assert sp.simplify(proved.value - up_eq.payoffs["MSE"]) == 0
