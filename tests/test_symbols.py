import pickle

import pytest
import sympy as sp

import gvcgames as gg


def test_parameters_carry_domains_and_sympy_assumptions():
    a, b = gg.parameters("a b", positive=True)
    p = gg.parameters("p", domain="(0, 1)", description="shock probability")
    e = gg.actions("e", domain="[0, 1]")
    assert a.domain == sp.Interval.open(0, sp.oo) and a.is_positive
    assert p.domain == sp.Interval.open(0, 1) and p.is_positive and p.description == "shock probability"
    assert e.domain == sp.Interval(0, 1) and e.is_nonnegative and e.is_positive is None
    assert isinstance(a, gg.Parameter) and isinstance(e, gg.Action)
    assert isinstance(b, sp.Symbol)


def test_domain_is_part_of_identity_and_survives_pickle():
    x1 = gg.parameters("x", domain="(0, 1)")
    x2 = gg.parameters("x", domain="(0, 2)")
    assert x1 != x2
    assert x1 == gg.parameters("x", domain="(0, 1)")
    restored = pickle.loads(pickle.dumps(x1))
    assert restored == x1 and restored.domain == x1.domain


def test_domain_forms():
    assert gg.parameters("x", domain=(0, 1)).domain == sp.Interval(0, 1)
    assert gg.parameters("x", domain="[0, oo)").domain == sp.Interval(0, sp.oo)
    assert gg.parameters("x", domain="(-inf, 0]").is_nonpositive
    assert gg.parameters("x", domain=sp.Interval.Lopen(0, 5)).domain == sp.Interval.Lopen(0, 5)
    assert gg.parameters("x", nonnegative=True).domain == sp.Interval(0, sp.oo)
    assert gg.parameters("x").domain == sp.Reals


def test_latex_name_is_used():
    fbar = gg.parameters("Fbar", positive=True, latex=r"\bar{F}")
    assert sp.latex(2 * fbar) == r"2 \bar{F}"


@pytest.mark.parametrize(
    ("domain", "match"),
    [
        ("(1, 0)", "empty or inverted"),
        ("[1, 1]", "single point"),
        ("0 to 1", "is not an interval"),
        ("(0, x)", "is not a number|not a real number"),
        ({0, 1}, "must be an interval"),
    ],
)
def test_bad_domains(domain, match):
    with pytest.raises(gg.InvalidSpecError, match=match):
        gg.parameters("x", domain=domain)


def test_conflicting_domain_flags():
    with pytest.raises(gg.InvalidSpecError, match="at most one of"):
        gg.parameters("x", positive=True, domain="(0, 1)")


def test_bad_names():
    with pytest.raises(gg.InvalidSpecError, match="non-empty string"):
        gg.parameters("")
    with pytest.raises(gg.InvalidSpecError, match="2 descriptions given for 3 names"):
        gg.parameters("a b c", description=["x", "y"])
