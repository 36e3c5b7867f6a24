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
