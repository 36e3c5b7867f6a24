"""Benchmark: the numeric engine against per-point loops, ratios measured in the same run.

Run on demand (not collected by pytest, no timing assertions anywhere)::

    python benchmarks/bench_numeric.py             # full sizes (10^6, 10^5, 1000x1000)
    python benchmarks/bench_numeric.py --scale 0.1 # quicker, smaller sizes

1. Closed-form equilibrium (catalogue HU, hold-up under outsourcing) over 10^6 parameter
   points, its default outputs (two strategies, two payoffs): the public path
   ``Equilibrium.evaluate`` (validation, region mask, DataFrame), the same with
   ``frame=False`` and with the strategies only, and the bare compiled function vs. a
   per-point ``subs().evalf()`` loop and per-point calls of a lambdified function on the
   same outputs. Loops are timed on a sample and extrapolated (printed as such); the
   ratios are of times measured in the same run.
2. Numeric equilibria of Cournot (n = 2, no closed form used) at 10^5 points with
   :func:`gvcgames.numeric.solve_batch` (Newton, deviation check) vs. a loop of
   ``scipy.optimize.root`` on the lambdified first-order conditions (sample, extrapolated).
3. Pure-equilibrium region map of the catalogue 2x2 RG game on a 1000x1000 grid
   (:func:`gvcgames.regions.region_map`) vs. a loop calling nashpy's support enumeration
   per grid point (sample, extrapolated).
4. Peak memory (tracemalloc) of each vectorised run, measured in a separate run.

Every run is timed twice, by the process's CPU time (``time.process_time``: the work
done on one core, which a loaded, shared machine inflates far less than wall time) and by
wall time; the notes (points/s, ratios) use the clock chosen with ``--clock`` (default
``cpu``). Everything runs in one thread (BLAS threads pinned to one), so CPU time is
one core's time. Numbers still depend on the machine and its load.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import sympy as sp  # noqa: E402
from scipy import optimize  # noqa: E402

from gvcgames.models import cournot, hold_up, reconfiguration  # noqa: E402
from gvcgames.numeric import compile_expressions, solve_batch  # noqa: E402

CLOCK = "cpu"  # which clock the notes use; set by main()


class _Clock:
    """CPU and wall seconds of a block; ``.t`` is the one chosen by ``CLOCK``."""

    def __enter__(self) -> _Clock:
        self._cpu, self._wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = time.process_time() - self._cpu
        self.wall = time.perf_counter() - self._wall

    @property
    def t(self) -> float:
        return self.cpu if CLOCK == "cpu" else self.wall


class _Best:
    """The best (smallest) CPU and wall times of repeated runs."""

    def __init__(self, cpu: float, wall: float, scale: float = 1.0) -> None:
        self.cpu, self.wall = cpu * scale, wall * scale

    @property
    def t(self) -> float:
        return self.cpu if CLOCK == "cpu" else self.wall


def _time(func: Callable[[], Any], repeat: int = 3) -> _Best:
    cpu = wall = np.inf
    for _ in range(repeat):
        with _Clock() as c:
            func()
        cpu, wall = min(cpu, c.cpu), min(wall, c.wall)
    return _Best(cpu, wall)


def _peak(func: Callable[[], Any]) -> float:
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024**2


def closed_form(n: int, sample: int) -> list[tuple[str, _Best, float, str]]:
    """The public path and its parts against per-point loops, all on the same outputs."""
    eq = hold_up().solve().equilibria[0]
    params = list(eq.game.parameters)
    rng = np.random.default_rng(0)
    box = {"beta": (0.05, 0.95), "theta_S": (0.5, 3), "theta_L": (0.5, 3), "w": (0.5, 3)}
    values = {p.name: rng.uniform(*box[p.name], n) for p in params}
    # the default outputs of Equilibrium.evaluate: both strategies and both payoffs
    exprs = {str(a): v for a, v in eq.strategies.items()}
    exprs.update({f"payoff[{k}]": v for k, v in eq.payoffs.items()})
    strategies = [str(a) for a in eq.strategies]
    compiled = compile_expressions(exprs, params)
    eq.evaluate({k: v[:10] for k, v in values.items()})  # compile outside the timing
    eq.evaluate({k: v[:10] for k, v in values.items()}, outputs=strategies)
    t_eval = _time(lambda: eq.evaluate(values))
    t_arrays = _time(lambda: eq.evaluate(values, frame=False))
    t_strat = _time(lambda: eq.evaluate(values, outputs=strategies))
    t_bare = _time(lambda: compiled(values))
    syms = {p.name: p for p in params}
    pts = [{syms[k]: float(v[i]) for k, v in values.items()} for i in range(sample)]
    sym_exprs = [sp.sympify(e) for e in exprs.values()]
    with _Clock() as c:
        for pt in pts:
            [e.subs(pt).evalf() for e in sym_exprs]
    t_subs = _Best(c.cpu, c.wall, n / sample)
    f = sp.lambdify(params, sym_exprs)
    lam_sample = min(n, 50 * sample)
    rows = [tuple(float(values[p.name][i]) for p in params) for i in range(lam_sample)]
    with _Clock() as c:
        for row in rows:
            f(*row)
    t_lam = _Best(c.cpu, c.wall, n / lam_sample)
    peak = _peak(lambda: eq.evaluate(values))
    k = len(exprs)
    return [
        (
            f"HU closed form, {n:,} points, {k} outputs + region: Equilibrium.evaluate -> DataFrame",
            t_eval,
            peak,
            f"{n / t_eval.t:,.0f} points/s (target >= 10,000,000)",
        ),
        ("  Equilibrium.evaluate(frame=False) -> arrays", t_arrays, np.nan, f"{n / t_arrays.t:,.0f} points/s"),
        ("  Equilibrium.evaluate(outputs=strategies) -> DataFrame", t_strat, np.nan, f"{n / t_strat.t:,.0f} points/s"),
        (
            f"  bare compiled function, same {k} outputs (no validation/region/frame)",
            t_bare,
            np.nan,
            f"{n / t_bare.t:,.0f} points/s; evaluate takes x{t_eval.t / t_bare.t:.2f} its time",
        ),
        (
            f"  per-point subs().evalf() loop, same outputs ({sample} timed, extrapolated)",
            t_subs,
            np.nan,
            f"evaluate is x{t_subs.t / t_eval.t:,.0f} faster",
        ),
        (
            f"  per-point lambdified calls, same outputs ({lam_sample} timed, extrapolated)",
            t_lam,
            np.nan,
            f"evaluate is x{t_lam.t / t_eval.t:,.1f} faster",
        ),
    ]


def numeric_equilibria(n: int, sample: int) -> list[tuple[str, _Best, float, str]]:
    game = cournot()
    rng = np.random.default_rng(1)
    values = {"a": rng.uniform(5, 10, n), "b": rng.uniform(0.5, 2, n), "c": rng.uniform(0.1, 4, n)}
    solve_batch(game, {k: v[:10] for k, v in values.items()}, check=0)  # compile outside the timing
    res = solve_batch(game, values, check=0)
    t_batch = _time(lambda: solve_batch(game, values, check=0), repeat=2)
    acts, params = list(game.actions), list(game.parameters)
    grads = [sp.diff(game.owner(a).payoff, a) for a in acts]
    foc = sp.lambdify([acts, *params], grads)
    agree = 0
    with _Clock() as c:
        for i in range(sample):
            args = tuple(float(values[p.name][i]) for p in params)
            sol = optimize.root(lambda x, args=args: foc(x, *args), np.ones(len(acts)), method="hybr")
            agree += bool(np.allclose(sol.x, res.strategies[i], atol=1e-7))
    t_loop = _Best(c.cpu, c.wall, n / sample)
    peak = _peak(lambda: solve_batch(game, values, check=0))
    return [
        (
            f"Cournot numeric equilibria, {n:,} points: solve_batch",
            t_batch,
            peak,
            f"{int(res.verified.sum()):,} verified; {n / t_batch.t:,.0f} equilibria/s (target: 10^5 in < 2 s)",
        ),
        (
            f"  loop of scipy.optimize.root ({sample} timed, extrapolated)",
            t_loop,
            np.nan,
            f"solve_batch is x{t_loop.t / t_batch.t:,.0f} faster; {agree}/{sample} agree",
        ),
    ]


def region(side: int, sample: int) -> list[tuple[str, _Best, float, str]]:
    import nashpy

    from gvcgames.regions import region_map

    game = reconfiguration()
    fixed = {"D": 2.0, "Delta": 0.6, "d": 1.0, "m": 1.0, "theta": 0.7}
    solution = game.pure_equilibria()
    run = lambda: region_map(solution, ("p", 0.01, 0.99), ("kappa", 0.01, 1.5), fixed=fixed, resolution=side)  # noqa: E731
    run()
    t_map = _time(run)
    params = list(game.parameters)
    mats = sp.lambdify(params, [sp.Matrix(m) if not isinstance(m, sp.Matrix) else m for m in game.matrices()])
    by_name = {p.name: p for p in params}
    rng = np.random.default_rng(2)
    with warnings.catch_warnings(), _Clock() as c:
        warnings.simplefilter("ignore")
        for _ in range(sample):
            point = {**fixed, "p": rng.uniform(0.01, 0.99), "kappa": rng.uniform(0.01, 1.5)}
            A, B = (np.asarray(m, dtype=float) for m in mats(*(point[p.name] for p in by_name.values())))
            list(nashpy.Game(A, B).support_enumeration())
    t_loop = _Best(c.cpu, c.wall, side * side / sample)
    peak = _peak(run)
    return [
        (
            f"RG pure-equilibrium region map, {side}x{side}: region_map",
            t_map,
            peak,
            f"{side * side / t_map.t:,.0f} points/s (target: 1000x1000 in < 1 s)",
        ),
        (
            f"  loop of nashpy support_enumeration ({sample} timed, extrapolated)",
            t_loop,
            np.nan,
            f"region_map is x{t_loop.t / t_map.t:,.0f} faster",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size by this")
    parser.add_argument("--sample", type=int, default=300, help="points timed in each per-point loop")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu", help="the clock of points/s and ratios")
    args = parser.parse_args()
    global CLOCK
    CLOCK = args.clock
    n1, n2 = int(1e6 * args.scale), int(1e5 * args.scale)
    side = max(10, int(1000 * args.scale**0.5))
    rows = closed_form(n1, args.sample) + numeric_equilibria(n2, args.sample) + region(side, args.sample)
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'CPU s':>9}  {'wall s':>9}  {'peak MiB':>8}  note ({CLOCK} time)")
    for name, t, peak, note in rows:
        peak_text = f"{peak:8.1f}" if np.isfinite(peak) else " " * 8
        print(f"{name:<{width}}  {t.cpu:9.3f}  {t.wall:9.3f}  {peak_text}  {note}")
    print(
        "(best of 2-3 runs; loops: sample timed and extrapolated to the full size; one thread, BLAS threads = 1; "
        f"load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
