"""Sweeps: serial, process-pool and dask executors agree; failures and bad input are reported."""

from __future__ import annotations

import functools
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.models import cournot, upgrading
from gvcgames.numeric import SweepTooLargeError, grid, monte_carlo, sweep
from gvcgames.numeric.sweep import Draws


@functools.cache
def _eq():
    return cournot().solve().equilibria[0]


def _points():
    return grid(a=np.linspace(4, 10, 12), b=[0.5, 1.0, 2.0], c=np.linspace(0.2, 3.5, 10))


def _fails_on_large_a(chunk):
    if chunk["a"].max() > 9:
        raise RuntimeError("simulated worker failure")
    return pd.DataFrame({"a": chunk["a"], "twice": 2 * chunk["a"]})


@pytest.fixture(scope="module")
def process_pool():
    with ProcessPoolExecutor(max_workers=2) as pool:
        yield pool


@pytest.fixture(scope="module")
def dask_executor():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client.get_executor()


def test_serial_sweep_equals_direct_evaluation():
    pts = _points()
    res = sweep(_eq(), pts, chunk_size=70)
    assert res.complete and res.n_chunks == 6 and len(res.frame) == 360
    direct = _eq().evaluate(pts.to_frame())
    pd.testing.assert_frame_equal(res.frame.reset_index(drop=True), direct)


def test_process_pool_equals_serial(process_pool):
    pts = _points()
    serial = sweep(_eq(), pts, chunk_size=50)
    parallel = sweep(_eq(), pts, chunk_size=50, executor=process_pool)
    pd.testing.assert_frame_equal(parallel.frame, serial.frame)
    solved = sweep(cournot(), pts, chunk_size=100, executor=process_pool)
    assert solved.complete and solved.frame["verified"].all()
    np.testing.assert_allclose(solved.frame["q1"], serial.frame["q1"], rtol=1e-8)


def test_dask_equals_serial(dask_executor):
    pts = _points()
    serial = sweep(cournot(), pts, chunk_size=90)
    on_dask = sweep(cournot(), pts, chunk_size=90, executor=dask_executor)
    pd.testing.assert_frame_equal(on_dask.frame, serial.frame)
    evaluated = sweep(_eq(), pts, chunk_size=90, executor=dask_executor)
    np.testing.assert_allclose(evaluated.frame["q1"], serial.frame["q1"], rtol=1e-8)


@pytest.mark.parametrize("where", ["serial", "process", "dask"])
def test_failing_chunks_are_reported_and_completed_kept(where, request):
    executor = {"serial": None, "process": "process_pool", "dask": "dask_executor"}[where]
    if executor is not None:
        executor = request.getfixturevalue(executor)
    pts = grid(a=np.linspace(0, 10, 11))  # chunks of 3: the last two hold a > 9
    res = sweep(_fails_on_large_a, pts, chunk_size=3, executor=executor)
    assert not res.complete
    assert [f.index for f in res.failed] == [3]
    assert res.failed[0].start == 9 and res.failed[0].stop == 11
    assert "RuntimeError: simulated worker failure" in str(res)
    assert res.frame["a"].tolist() == list(np.linspace(0, 8, 9))


def test_reduce_keeps_one_row_per_chunk_and_bounds_memory():
    pts = grid(a=np.linspace(4, 10, 1000), b=[1.0], c=np.linspace(0.5, 3, 1000))  # 10^6 points
    with pytest.raises(SweepTooLargeError, match=r"about 61 MiB \(1,000,000 points x 8 columns\)"):
        sweep(_eq(), pts, max_memory=10 * 1024**2)
    res = sweep(_eq(), pts, chunk_size=250_000, reduce=lambda df: df[["q1"]].mean(), max_memory=10 * 1024**2)
    assert res.complete and len(res.frame) == 4
    assert res.frame["q1"].mean() == pytest.approx((7 - 1.75) / 3, rel=1e-6)


def test_monte_carlo_draws_are_reproducible_by_chunk():
    box = {"a": (1, 2), "g": (0, 1), "k": (0, 1), "a_o": (1, 2)}
    draws = monte_carlo(upgrading(), 1000, box=box, seed=3)
    whole = draws.chunk(0, 1000)
    parts = [draws.chunk(s, s + 300) for s in range(0, 1000, 300)]
    np.testing.assert_array_equal(np.concatenate([p["R"] for p in parts]), whole["R"])
    assert (whole["beta"] > 0).all() and (whole["beta"] < 1).all()
    res = sweep(upgrading().solve().equilibria[0], draws, chunk_size=256)
    assert res.complete and res.frame["in_region"].all()


def test_progress_bar_when_asked(capsys):
    sweep(_eq(), _points(), chunk_size=100, progress=True)
    assert "sweep" in capsys.readouterr().err
    sweep(_eq(), _points(), chunk_size=100, progress=False)
    assert capsys.readouterr().err == ""


def test_bad_input():
    with pytest.raises(InvalidValuesError, match=r"a has 1 non-finite value\(s\) \(NaN or inf\) on its axis"):
        grid(a=[1.0, np.nan])
    with pytest.raises(InvalidValuesError, match=r"c is outside its domain .* at 36 of 360 points \(1 of 10 axis"):
        sweep(_eq(), grid(a=np.linspace(4, 10, 12), b=[0.5, 1.0, 2.0], c=np.linspace(0, 3.5, 10)))
    with pytest.raises(InvalidValuesError, match=r"b has 2 non-finite value\(s\)"):
        sweep(_eq(), pd.DataFrame({"a": [1.0, 2.0], "b": [np.inf, np.nan], "c": [1.0, 1.0]}))
    with pytest.raises(InvalidValuesError, match=r"b is outside its domain .* at 1 of 2 points"):
        sweep(_eq(), {"a": [5.0, 6.0], "b": [1.0, -1.0], "c": 1.0})
    with pytest.raises(InvalidSpecError, match="parameter 'a' has the unbounded domain"):
        monte_carlo(upgrading(), 10)
    with pytest.raises(InvalidSpecError, match=r"box names \['zz'\] are not parameters"):
        monte_carlo(upgrading(), 10, box={"zz": (0, 1)})
    with pytest.raises(InvalidValuesError, match="box of 'a' must be a finite range"):
        Draws({"a": (0, np.inf)}, 5)
    with pytest.raises(InvalidValuesError, match="chunk_size must be positive"):
        sweep(_eq(), _points(), chunk_size=0)
    with pytest.raises(InvalidSpecError, match="task must be an Equilibrium, a ContinuousGame or a callable"):
        sweep(42, _points())


def test_broken_process_pool_reports_failed_chunks():
    pts = grid(a=np.linspace(0, 10, 6))
    with ProcessPoolExecutor(max_workers=1) as pool:
        res = sweep(_exit_on_second_chunk, pts, chunk_size=2, executor=pool, max_in_flight=1)
    assert res.failed and res.failed[0].index == 1
    assert res.frame["a"].tolist() == [0.0, 2.0]  # the chunk before the crash is kept


def _exit_on_second_chunk(chunk):
    if chunk["a"][0] > 3:
        os._exit(1)  # a worker process dies
    return pd.DataFrame({"a": chunk["a"]})
