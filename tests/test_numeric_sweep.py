"""Sweeps: serial, process-pool and dask executors agree; failures and bad input are reported."""

from __future__ import annotations

import faulthandler
import functools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd
import pytest

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.models import cournot, upgrading
from gvcgames.numeric import SweepInterrupted, SweepTooLargeError, grid, monte_carlo, sweep
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
def dask_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def dask_executor(dask_client):
    return dask_client.get_executor()


@pytest.fixture
def hang_guard():
    """A test that hangs dumps its traceback and exits instead of blocking the run."""
    faulthandler.dump_traceback_later(120, exit=True)
    yield
    faulthandler.cancel_dump_traceback_later()


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
    # 3 parameters and 4 outputs as floats, in_region as one byte: 57 bytes a point
    with pytest.raises(SweepTooLargeError, match=r"about 54 MiB \(1,000,000 points x 57 bytes\)"):
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


def test_a_failing_reduce_fails_only_its_chunk():
    def reduce(df):
        if df["a"].iloc[0] == 6.0:
            raise ZeroDivisionError("simulated bad reduction")
        return df[["a"]].sum()

    res = sweep(_fails_on_large_a, grid(a=np.arange(9.0)), chunk_size=3, reduce=reduce)
    assert [f.index for f in res.failed] == [2]
    assert "reduce failed: ZeroDivisionError: simulated bad reduction" in res.failed[0].error
    assert res.frame["a"].tolist() == [3.0, 12.0]  # chunks 0 and 1 kept


def test_points_missing_a_parameter_are_refused_before_the_run():
    calls = []

    def spy(*args):
        calls.append(args)
        raise AssertionError("no chunk may run")

    for task in (_eq(), cournot()):
        with pytest.raises(InvalidValuesError, match=r"no values for parameters \['c'\], needed at all 24 points"):
            sweep(task, grid(a=np.linspace(4, 10, 12), b=[1.0, 2.0]), chunk_size=5, reduce=spy)
        with pytest.raises(InvalidValuesError, match=r"\['z'\] are not parameters of this task"):
            sweep(task, grid(a=[5.0], b=[1.0], c=[1.0], z=[0.0]), reduce=spy)
    assert not calls


def test_draws_box_outside_the_domain_is_refused_with_the_total_count():
    draws = Draws({"a": (4, 10), "b": (-1.0, 1.0), "c": (0.5, 1.0)}, 1000, seed=4, chunk_size=300)
    expected = int(np.count_nonzero(draws.chunk(0, 1000)["b"] <= 0))  # b is positive
    assert 400 < expected < 600
    with pytest.raises(InvalidValuesError, match=rf"b is outside its domain .* at {expected} of 1000 points"):
        sweep(_eq(), draws, chunk_size=100)
    inside = Draws({"a": (4, 10), "b": (0.5, 1.0), "c": (0.5, 1.0)}, 50)
    assert sweep(_eq(), inside).complete
    touching = Draws({"a": (4, 10), "b": (0.0, 1.0), "c": (0.5, 1.0)}, 50)  # b > 0: the box's low end is open
    assert sweep(_eq(), touching).complete


def _twenty_columns(chunk):
    return pd.DataFrame({f"v{i}": chunk["a"] * i for i in range(20)})


class _Declared:
    bytes_per_point = 4000

    def __call__(self, chunk):
        return pd.DataFrame({"a": chunk["a"]})


def test_memory_estimate_of_a_callable_measures_its_output():
    pts = grid(a=np.linspace(0, 1, 10_000))  # 10^4 points x 20 float columns = 1.5 MiB
    with pytest.raises(SweepTooLargeError, match=r"10,000 points x 160 bytes"):
        sweep(_twenty_columns, pts, max_memory=1024**2)
    assert sweep(_twenty_columns, pts, max_memory=2 * 1024**2).complete
    with pytest.raises(SweepTooLargeError, match=r"10,000 points x 4,000 bytes"):
        sweep(_Declared(), pts, max_memory=10 * 1024**2)


def test_memory_estimate_of_a_callable_is_measured_on_the_executor(process_pool):
    pts = grid(a=np.linspace(0, 1, 10_000))
    with pytest.raises(SweepTooLargeError, match=r"10,000 points x 160 bytes"):
        sweep(_twenty_columns, pts, executor=process_pool, max_memory=1024**2)


def test_a_dask_client_can_be_passed_directly(dask_client):
    pts = _points()
    serial = sweep(_eq(), pts, chunk_size=90)
    on_client = sweep(_eq(), pts, chunk_size=90, executor=dask_client)
    pd.testing.assert_frame_equal(on_client.frame, serial.frame)


def test_other_executors_are_refused_with_advice():
    with pytest.raises(InvalidSpecError, match=r"executor must be a concurrent\.futures\.Executor or a dask"):
        sweep(_eq(), _points(), executor=object())


def _interrupt_at_chunk_3(chunk):
    if chunk["a"][0] == 9.0:
        raise KeyboardInterrupt
    return pd.DataFrame({"a": chunk["a"]})


def test_keyboard_interrupt_keeps_completed_chunks(process_pool):
    pts = grid(a=np.arange(15.0))
    with pytest.raises(SweepInterrupted, match="3 of 5 chunks completed") as info:
        sweep(_interrupt_at_chunk_3, pts, chunk_size=3)
    assert isinstance(info.value, KeyboardInterrupt)
    partial = info.value.result
    assert partial.frame["a"].tolist() == list(np.arange(9.0))
    assert [f.index for f in partial.failed] == [3, 4]
    assert all("KeyboardInterrupt" in f.error for f in partial.failed)

    def stop_on_chunk_2(df):  # Ctrl-C while results are collected from the pool
        if df["a"].iloc[0] == 6.0:
            raise KeyboardInterrupt
        return df.sum()

    with pytest.raises(SweepInterrupted) as info:
        sweep(_fails_on_large_a, pts, chunk_size=3, executor=process_pool, max_in_flight=1, reduce=stop_on_chunk_2)
    partial = info.value.result
    assert partial.frame["a"].tolist() == [3.0, 12.0]
    assert [f.index for f in partial.failed] == [2, 3, 4]


def _slow(chunk):
    time.sleep(0.3)
    return pd.DataFrame({"a": chunk["a"]})


def test_overall_timeout_returns_the_completed_chunks():
    res = sweep(_slow, grid(a=np.arange(10.0)), chunk_size=1, timeout=0.75)
    done = len(res.frame)
    assert 1 <= done < 10
    assert [f.index for f in res.failed] == list(range(done, 10))
    assert all("the sweep's timeout ran out" in f.error for f in res.failed)
    with pytest.raises(InvalidValuesError, match="timeout must be a positive number of seconds"):
        sweep(_slow, grid(a=[1.0]), timeout=0)


def _hang_on_chunk_1(chunk, flag):
    if chunk["a"][0] == 2.0:
        start = time.monotonic()
        while not os.path.exists(flag) and time.monotonic() - start < 60:
            time.sleep(0.02)
    return pd.DataFrame({"a": chunk["a"]})


def test_chunk_timeout_on_a_process_pool(tmp_path, hang_guard):
    flag = str(tmp_path / "release")
    task = functools.partial(_hang_on_chunk_1, flag=flag)
    with ProcessPoolExecutor(max_workers=2) as pool:
        try:
            res = sweep(task, grid(a=np.arange(8.0)), chunk_size=2, executor=pool, chunk_timeout=3)
        finally:
            open(flag, "w").close()  # release the hung worker so the pool can shut down
    assert [f.index for f in res.failed] == [1]
    assert "not finished within chunk_timeout=3 s" in res.failed[0].error
    assert res.frame["a"].tolist() == [0.0, 1.0, 4.0, 5.0, 6.0, 7.0]
    assert res.elapsed < 60  # returned without waiting for the hung chunk


DASK_TASKS = """
import os, time
import pandas as pd

def kill_worker_on_chunk_3(chunk):
    if chunk["a"][0] == 6.0:
        os._exit(1)  # the worker process dies
    return pd.DataFrame({"a": chunk["a"]})

def hang_on_chunk_1(chunk, flag):
    if chunk["a"][0] == 2.0:
        start = time.monotonic()
        while not os.path.exists(flag) and time.monotonic() - start < 60:
            time.sleep(0.02)
    return pd.DataFrame({"a": chunk["a"]})
"""

DASK_RUN = """
import functools, json, os, sys
import dask, distributed, numpy as np
from gvcgames.numeric import grid, sweep
import dask_tasks

def report(res):
    return {"failed": [[f.index, f.error] for f in res.failed], "a": res.frame["a"].tolist() if len(res.frame) else [],
            "elapsed": res.elapsed, "n_chunks": res.n_chunks}

if __name__ == "__main__":
    flag = sys.argv[1]
    out = {}
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      silence_logs=50) as cluster, distributed.Client(cluster) as client:
            pts = grid(a=np.arange(10.0))
            hang = functools.partial(dask_tasks.hang_on_chunk_1, flag=flag)
            try:
                out["hang"] = report(sweep(hang, pts, chunk_size=2, executor=client.get_executor(), chunk_timeout=2,
                                           timeout=40))
            finally:
                open(flag, "w").close()  # the hung task returns, its worker is free again
            out["kill"] = report(sweep(dask_tasks.kill_worker_on_chunk_3, pts, chunk_size=2, executor=client,
                                       chunk_timeout=20, timeout=40))
    print("RESULT " + json.dumps(out), flush=True)
    os._exit(0)  # the cluster is closed; skip the slow interpreter teardown
"""


def _chunks_of(a):
    return sorted({int(v) // 2 for v in a})


def test_dask_processes_worker_death_and_hang_are_reported(tmp_path):
    """A real LocalCluster(processes=True): a chunk killing its worker, a chunk that hangs.

    Run in a subprocess (its own session) with a hard timeout: a hang fails the test
    instead of blocking the run, and the whole process group is killed.
    """
    pytest.importorskip("distributed")
    (tmp_path / "dask_tasks.py").write_text(DASK_TASKS)
    (tmp_path / "run_dask.py").write_text(textwrap.dedent(DASK_RUN))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, str(tmp_path / "run_dask.py"), str(tmp_path / "release")],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the dask sweep hung (killed after 90 s)")
    lines = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, stderr[-3000:]
    out = json.loads(lines[-1][len("RESULT ") :])
    for case in ("kill", "hang"):
        res = out[case]
        failed = [i for i, _ in res["failed"]]
        completed = _chunks_of(res["a"])
        assert sorted(failed + completed) == list(range(5)), res  # every chunk reported exactly once
        assert res["a"] == [float(v) for v in range(10) if v // 2 in completed]  # completed chunks kept whole
        assert 0 in completed and res["elapsed"] < 45
    kill = dict(out["kill"]["failed"])
    assert "KilledWorker" in kill[3] and "worker process died" in kill[3]
    hang = dict(out["hang"]["failed"])
    assert "not finished within chunk_timeout=2 s" in hang[1]
