"""Parameter-recovery bookkeeping: fresh simulation draws, starts away from the truth, NaN SEs, errors."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import gvcgames as gg
from gvcgames.empirics import FunctionMoments, MomentError, MomentSet, SimulatedMoments, lognormal, recovery

recovery_module = importlib.import_module("gvcgames.empirics.recovery")  # the module, not the function


def test_the_optimiser_does_not_start_at_the_truth(monkeypatch) -> None:
    seen = []
    real = recovery_module.estimate

    def spy(model, data, **kwargs):
        seen.append(kwargs)
        return real(model, data, **kwargs)

    monkeypatch.setattr(recovery_module, "estimate", spy)
    mm = FunctionMoments(lambda t: [t[0], 2 * t[0]], ["a", "b"], ["x"], bounds={"x": (0.0, 10.0)})
    cov = np.diag([0.01, 0.04])
    sim = lambda t, rng: MomentSet(("a", "b"), rng.multivariate_normal(mm(t), cov), cov)  # noqa: E731
    recovery(mm, [1.7], sim, n_rep=5, seed=2, n_starts=2)
    assert all("start" not in kw for kw in seen)
    assert len({kw["seed"] for kw in seen}) == 5  # fresh random starts per replication
    # a start the user asks for is used
    recovery(mm, [1.7], sim, n_rep=2, seed=2, start=[1.7])
    assert seen[-1]["start"] == [1.7]


def test_simulated_models_get_new_draws_per_replication() -> None:
    a, s = gg.parameters("a s", positive=True)
    mm = SimulatedMoments({"m": a}, [a], {s: 0.8}, heterogeneity={a: lognormal("s")}, n_sim=50, seed=0)
    fixed_data = MomentSet(("m",), [2.0], [[0.01]])
    sim = lambda t, rng: fixed_data  # noqa: E731  the same data every time: only the simulation varies
    fresh = recovery(mm, [2.0], sim, n_rep=6, seed=1, n_starts=1)
    assert fresh.reseeded and fresh.estimates["a"].nunique() == 6
    frozen = recovery(mm, [2.0], sim, n_rep=3, seed=1, n_starts=1, reseed=False)
    assert not frozen.reseeded and frozen.estimates["a"].nunique() == 1
    # a factory gets a fresh seed per replication
    seeds = []

    def factory(seed: int) -> SimulatedMoments:
        seeds.append(seed)
        return SimulatedMoments({"m": a}, [a], {s: 0.8}, heterogeneity={a: lognormal("s")}, n_sim=50, seed=seed)

    made = recovery(factory, [2.0], sim, n_rep=4, seed=1, n_starts=1)
    assert made.reseeded and len(set(seeds[1:])) == 4 and made.estimates["a"].nunique() == 4


def test_nan_standard_errors_are_counted_not_called_uncovered() -> None:
    # m = (a, a b): where the data are exactly (0, 0) the estimate has a = 0 and no SE for b
    mm = FunctionMoments(lambda t: [t[0], t[0] * t[1]], ["m1", "m2"], ["a", "b"])
    cov = np.diag([0.01, 0.01])
    calls = []

    def sim(theta, rng):
        calls.append(1)
        if len(calls) % 2 == 0:
            return MomentSet(("m1", "m2"), [0.0, 0.0], cov)
        return MomentSet(("m1", "m2"), rng.multivariate_normal(mm(theta), cov), cov)

    res = recovery(mm, [1.0, 0.5], sim, n_rep=8, seed=0, n_starts=1)
    assert len(res.estimates) == 8 and res.nan_se.to_dict() == {"a": 4, "b": 4}
    table = res.table()
    assert table.loc["b", "n covered+not"] == 4 and table.loc["b", "nan se"] == 4
    assert res.covered["b"].isna().sum() == 4  # neither covered nor not covered
    assert 0.0 <= table.loc["b", "coverage 95%"] <= 1.0


def test_errors_in_a_replication_are_recorded_and_the_run_goes_on() -> None:
    mm = FunctionMoments(lambda t: [t[0], 2 * t[0]], ["a", "b"], ["x"])
    cov = np.diag([0.01, 0.04])
    count = []

    def sim(theta, rng):
        count.append(1)
        if len(count) == 3:
            raise ValueError("survey file unreadable")
        if len(count) == 5:
            return MomentSet(("a", "c"), [1.0, 2.0], cov)  # a moment the model does not produce
        return MomentSet(("a", "b"), rng.multivariate_normal(mm(theta), cov), cov)

    res = recovery(mm, [1.0], sim, n_rep=6, seed=0, n_starts=1)
    assert len(res.estimates) == 4 and res.failures == 0 and res.n_rep == 6
    errors = res.errors.set_index("replication")
    assert errors.loc[2, "stage"] == "simulate" and errors.loc[2, "error"] == "ValueError"
    assert errors.loc[4, "stage"] == "estimate" and errors.loc[4, "error"] == "MomentError"
    text = res.summary()
    assert "2 raised errors" in text and "survey file unreadable" in text


def test_every_replication_failing_raises() -> None:
    mm = FunctionMoments(lambda t: [t[0]], ["a"], ["x"])

    def broken(theta, rng):
        raise KeyError("column")

    with pytest.raises(RuntimeError, match=r"every replication of the recovery failed"):
        recovery(mm, [1.0], broken, n_rep=3)
    with pytest.raises(MomentError, match=r"n_rep must be an integer >= 1"):
        recovery(mm, [1.0], broken, n_rep=0)
    with pytest.raises(MomentError, match=r"not a confidence level"):
        recovery(mm, [1.0], broken, level=95)
