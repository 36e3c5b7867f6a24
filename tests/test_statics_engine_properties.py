"""Statics of the engine's own catalogue solutions against independent numeric re-solves.

For every region of PR (solved by the engine: sequential, private relocation cost) and for
RG's mixed equilibrium, at random admissible points inside the region: the reported
derivative equals the central finite difference of the equilibrium re-solved numerically
(brute-force maximisation for PR, the numeric finite-game engine for RG), and a proved sign
is never contradicted.
"""

import math

import numpy as np
import pytest
from scipy import optimize

import gvcgames as gg
from gvcgames.statics import Certificate, comparative_statics, sample_admissible

PR = gg.models.prevention_relocation()
PR_SOLUTION = PR.solve()
RG = gg.models.reconfiguration()


def _pr_numeric(values):
    """PR by brute force: L relocates iff p D (1 - e) > Delta + F, F ~ U[0, Fbar]; S maximises over e."""
    p, D, Delta, Fbar, m, c = (values[k] for k in ("p", "D", "Delta", "Fbar", "m", "c"))

    def relocation(e):
        return min(max((p * D * (1 - e) - Delta) / Fbar, 0.0), 1.0)

    def loss(e):
        return -(m * (1 - relocation(e)) - c * e**2 / 2)

    grid = np.linspace(0, 1, 2001)
    start = grid[int(np.argmin([loss(x) for x in grid]))]
    lo, hi = max(0.0, start - 1e-3), min(1.0, start + 1e-3)
    best = optimize.minimize_scalar(loss, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12})
    e = min((best.x, lo, hi), key=loss)
    return {"e": e, "Pr(lead firm: relocate)": relocation(e)}


def _step(value, lo, hi):
    h = 1e-3 * max(1.0, abs(value))  # the numeric optimum is accurate to ~1e-8: keep its error small in the quotient
    room = min(value - lo, hi - value)
    return min(h, room / 3) if math.isfinite(room) else h


@pytest.mark.parametrize("index", range(len(PR_SOLUTION.equilibria)))
def test_pr_statics_match_finite_differences_in_every_region(index):
    eq = PR_SOLUTION.equilibria[index]
    sample = sample_admissible(PR, 4, region=eq.conditions, seed=index)
    assert sample.n > 0, f"no admissible point in the region of {eq.case}"
    checked = 0
    for outcome in ("e", "Pr(lead firm: relocate)"):
        for name in ("p", "c", "m", "D"):
            res = comparative_statics(eq, outcome=outcome, wrt=name, samples=40)
            for i in range(sample.n):
                values = {s.name: v for s, v in sample.point(i).items()}
                param = PR.symbol(name)
                h = _step(values[name], float(param.domain.inf), float(param.domain.sup))
                up, down = {**values, name: values[name] + h}, {**values, name: values[name] - h}
                if not (eq.holds_at(up) and eq.holds_at(down)):
                    continue  # too close to the region's boundary for a two-sided difference
                fd = (_pr_numeric(up)[outcome] - _pr_numeric(down)[outcome]) / (2 * h)
                assert res.at(values) == pytest.approx(fd, rel=1e-3, abs=1e-5), (eq.case, res.label, values)
                if res.certificate == Certificate.PROVED and res.sign == gg.Sign.POSITIVE:
                    assert fd > -1e-6, (eq.case, res.label, values)
                if res.certificate == Certificate.PROVED and res.sign == gg.Sign.NEGATIVE:
                    assert fd < 1e-6, (eq.case, res.label, values)
                checked += 1
    assert checked > 0


def test_rg_mixed_statics_match_finite_differences_of_the_numeric_engine():
    (mixed,) = [eq for eq in RG.mixed_equilibria() if eq.pure_profile is None]
    sample = sample_admissible(RG, 5, region=mixed.conditions, seed=7)
    assert sample.n > 0
    for name in ("kappa", "p", "D"):
        res = comparative_statics(mixed, outcome="lead firm:stay", wrt=name)
        for i in range(sample.n):
            values = {s.name: v for s, v in sample.point(i).items()}
            h = 1e-6 * max(1.0, values[name])
            up, down = {**values, name: values[name] + h}, {**values, name: values[name] - h}
            if not (mixed.holds_at(up) and mixed.holds_at(down)):
                continue

            def stay(vals):
                found = RG.at(vals).equilibria()
                interior = [eq for eq in found if 0 < eq["lead firm"]["stay"] < 1]
                assert len(interior) == 1, found
                return interior[0]["lead firm"]["stay"]

            fd = (float(stay(up)) - float(stay(down))) / (2 * h)
            assert res.at(values) == pytest.approx(fd, rel=1e-4, abs=1e-7), (res.label, values)
