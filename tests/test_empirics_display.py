"""Empirics display: honest LaTeX tables (significant digits, missing SEs, names, notes), bound notes."""

from __future__ import annotations

import numpy as np
import pytest

import gvcgames as gg
from gvcgames.empirics import ClosedFormMoments, FunctionMoments, MomentSet, estimate
from gvcgames.empirics.results import significant


def exact(params: dict, ses: dict, **kwargs):
    """Exactly identified: each moment is one parameter, so estimates and SEs are the moments'."""
    syms = list(params)
    data = MomentSet(tuple(s.name for s in syms), list(params.values()), np.diag([ses[s] ** 2 for s in syms]))
    return estimate(ClosedFormMoments({s.name: s for s in syms}, syms, **kwargs), data)


def test_latex_keeps_significant_digits() -> None:
    a, b, c = gg.parameters("a b c", positive=True)
    res = exact({a: 0.5, b: 3.0e-5, c: 2.0}, {a: 0.0021, b: 1.0e-5, c: 0.25})
    latex = res.to_latex()
    assert "(0.00210)" in latex  # not 0.002
    assert r"$3.00 \times 10^{-5}$" in latex and r"($1.00 \times 10^{-5}$)" in latex  # not 0.000
    assert "0.000 " not in latex and "(0.000)" not in latex
    assert "& 2.00 & (0.250)" in latex
    assert "95\\% interval" in latex and "[0.496, 0.504]" in latex
    assert "Numbers rounded to 3 significant digits" in latex


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [(0.0021, 3, "0.00210"), (0.002, 2, "0.0020"), (123.456, 4, "123.5"), (-0.5, 3, "-0.500"), (99.96, 3, "100.")],
)
def test_significant_digits(value: float, digits: int, text: str) -> None:
    assert significant(value, digits).rstrip(".") == text.rstrip(".")


def test_latex_uses_the_parameters_latex_names() -> None:
    c_sigma = gg.parameters("c_sigma", positive=True)
    Fbar = gg.parameters("Fbar", positive=True, latex=r"\overline{F}")
    Delta = gg.parameters("Delta", positive=True)
    latex = exact({c_sigma: 0.2, Fbar: 1.5, Delta: 0.3}, {c_sigma: 0.01, Fbar: 0.1, Delta: 0.02}).to_latex()
    assert r"$c_{\sigma}$ &" in latex and "c_{sigma}" not in latex
    assert r"$\overline{F}$ &" in latex  # the user's own LaTeX name
    assert r"$\Delta$ &" in latex
    # names that are not identifiers are set as text
    mm = FunctionMoments(lambda t: t, ["m"], ["mean prevention"])
    res = estimate(mm, MomentSet(("m",), [0.4], [[0.01]]))
    assert r"$\text{mean prevention}$" in res.to_latex()


def test_estimate_at_a_bound_and_interval_crossing_a_bound_are_noted() -> None:
    a, b = gg.parameters("a b", positive=True)
    mm = ClosedFormMoments({"ma": a, "mb": b}, [a, b], bounds={"a": (0.2, 5.0), "b": (0.0, 5.0)})
    # a's moment lies below its bound: the estimate sits at the bound
    # b = 0.1 with se 0.1: the Wald interval [-0.096, 0.296] crosses b's lower bound 0
    res = estimate(mm, MomentSet(("ma", "mb"), [0.1, 0.1], np.diag([0.01, 0.01])), n_starts=1)
    assert res.params[0] == pytest.approx(0.2)
    assert "estimate of a at its lower bound 0.2" in res.message
    assert "Wald interval of b [-0.096, 0.296] crosses its lower bound 0" in res.message
    latex = res.to_latex()
    assert "at its lower bound 0.2" in latex and "crosses its lower bound 0" in latex
    assert "note: estimate of a at its lower bound" in res.summary()
    # at a wider level the note follows the level asked for
    assert "99% Wald interval of b" in res.summary(level=0.99)
    assert res.ci_notes(0.5) == []


def test_sign_test_latex_has_the_observed_sign() -> None:
    from gvcgames.empirics import sign_tests
    from gvcgames.statics import hypotheses

    eq = gg.models.hold_up().solve().equilibria[0]
    hs = hypotheses(eq, outcomes=["x"], wrt=["w"])
    latex = sign_tests(hs, {"H1": (0.8, 0.3)}).to_latex()
    assert "Predicted & Observed" in latex
    assert "H1 & $-$ & $+$ & 0.800 & 0.300" in latex
