"""Continuation: follows branches, warns when equilibria appear or vanish."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import gvcgames as gg
from gvcgames.errors import InvalidValuesError
from gvcgames.models import cournot
from gvcgames.numeric import EquilibriumBranchWarning, continuation


def _fold_game():
    # symmetric best responses clip(t + y^2, 0, 1): equilibria x = y = (1 -+ sqrt(1 - 4t))/2 and
    # (1, 1) for t < 1/4; only (1, 1) for t > 1/4
    t = gg.parameters("t", domain="(0, 1)")
    x, y = gg.actions("x y", domain="[0, 1]")
    return gg.ContinuousGame({"A": (x, -((x - t - y**2) ** 2) / 2), "B": (y, -((y - t - x**2) ** 2) / 2)})


def test_fold_warns_and_matches_closed_form():
    path = np.array([0.1, 0.15, 0.2, 0.3, 0.35])
    with pytest.warns(EquilibriumBranchWarning, match=r"step 3 \(t=0.3\): equilibria vanished, 3 -> 1"):
        res = continuation(_fold_game(), {"t": path})
    assert res.counts.tolist() == [3, 3, 3, 1, 1]
    assert res.events == ["step 3 (t=0.3): equilibria vanished, 3 -> 1"]
    for k, t in enumerate(path[:3]):
        xs = np.sort(res.frame.loc[res.frame["step"] == k, "x"].to_numpy())
        root = np.sqrt(1 - 4 * t)
        np.testing.assert_allclose(xs, [(1 - root) / 2, (1 + root) / 2, 1.0], atol=1e-8)
    # branches are followed: the low branch keeps its id while it exists
    low = res.frame[(res.frame["step"] < 3)].groupby("step")["x"].idxmin()
    assert res.frame.loc[low, "branch"].nunique() == 1
    assert "3 (steps 0-2), 1 (steps 3-4)" in str(res)
    assert "<table" in res._repr_html_()


def test_appearing_equilibria_warn():
    with pytest.warns(EquilibriumBranchWarning, match="appeared, 1 -> 3"):
        res = continuation(_fold_game(), {"t": [0.3, 0.2]})
    assert res.counts.tolist() == [1, 3]


def test_cournot_path_single_branch_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", EquilibriumBranchWarning)
        res = continuation(cournot(), {"a": np.linspace(4, 8, 5)}, {"b": 2.0, "c": 1.0})
    np.testing.assert_allclose(res.frame["q1"], (np.linspace(4, 8, 5) - 1) / 6, rtol=1e-9)
    assert res.frame["branch"].eq(0).all()


def test_bad_path():
    with pytest.raises(InvalidValuesError, match="common length >= 2"):
        continuation(cournot(), {"a": [5.0]}, {"b": 1.0, "c": 1.0})
    with pytest.raises(InvalidValuesError, match=r"a has 1 non-finite value\(s\)"):
        continuation(cournot(), {"a": [5.0, np.nan]}, {"b": 1.0, "c": 1.0})


def test_a_branch_vanishing_as_another_appears_warns():
    # one decision maker, u = -(x^2 - 1)^2 + t x: the maximum is near -1 for t < 0 and near
    # +1 for t > 0; as t crosses 0 one equilibrium vanishes and another appears (1 -> 1)
    t = gg.parameters("t", domain="[-1, 1]")
    x = gg.actions("x", domain="[-2, 2]")
    game = gg.ContinuousGame({"P": (x, -((x**2 - 1) ** 2) + t * x)})
    with pytest.warns(EquilibriumBranchWarning, match=r"step 2 \(t=0.2\): equilibria appeared and vanished, 1 -> 1"):
        res = continuation(game, {"t": [-0.3, -0.2, 0.2, 0.3]})
    assert res.counts.tolist() == [1, 1, 1, 1]
    assert len(res.events) == 1 and "branches [0] vanished, [1] appeared" in res.events[0]
    assert res.frame["branch"].tolist() == [0, 0, 1, 1]
    assert (np.sign(res.frame["x"]) == [-1, -1, 1, 1]).all()


def test_continuation_reports_only_jointly_verified_equilibria():
    # P owns x1, x2 in [-1, 1]: u = -x1^2 - x2^2 + 2 s x1 x2 + t (x1 + x2), s = 2. The KKT
    # points are the saddle x1 = x2 = -t / 2 and the corners (1, 1), (-1, -1); moving one
    # action at a time improves neither the saddle nor (-1, -1): only (1, 1) is an equilibrium
    s, t = gg.parameters("s t", domain="[0, 3]")
    x1, x2 = gg.actions("x1 x2", domain="[-1, 1]")
    game = gg.ContinuousGame({"P": ((x1, x2), -(x1**2) - x2**2 + 2 * s * x1 * x2 + t * (x1 + x2))})
    with warnings.catch_warnings():
        warnings.simplefilter("error", EquilibriumBranchWarning)
        res = continuation(game, {"t": np.linspace(0.05, 0.2, 4)}, {"s": 2.0}, n_starts=12)
    assert res.counts.tolist() == [1, 1, 1, 1]
    assert res.frame[["x1", "x2"]].to_numpy().tolist() == [[1.0, 1.0]] * 4
    assert (res.frame["max_gain"] <= 1e-7).all()
    for _, row in res.frame.iterrows():
        assert gg.is_equilibrium(game, {x1: row["x1"], x2: row["x2"]}, {s: 2.0, t: row["t"]})
