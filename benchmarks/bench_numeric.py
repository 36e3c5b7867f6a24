"""Benchmark: the numeric engine against per-point loops, ratios measured in the same run.

Run on demand (not collected by pytest, no timing assertions anywhere)::

    python benchmarks/bench_numeric.py             # full sizes (10^6, 10^5, 1000x1000)
    python benchmarks/bench_numeric.py --scale 0.1 # quicker, smaller sizes

1. Closed-form equilibrium (catalogue HU, hold-up under outsourcing) over 10^6 parameter
   points: ``Equilibrium.evaluate`` (validation, region mask, DataFrame) and the bare
   compiled function vs. a per-point ``subs().evalf()`` loop and per-point calls of a
   lambdified function. Loops are timed on a sample and extrapolated (printed as such).
2. Numeric equilibria of Cournot (n = 2, no closed form used) at 10^5 points with
   :func:`gvcgames.numeric.solve_batch` (Newton, deviation check) vs. a loop of
   ``scipy.optimize.root`` on the lambdified first-order conditions (sample, extrapolated).
3. Pure-equilibrium region map of the catalogue 2x2 RG game on a 1000x1000 grid
   (:func:`gvcgames.regions.region_map`) vs. a loop calling nashpy's support enumeration
   per grid point (sample, extrapolated).
4. Peak memory (tracemalloc) of each vectorised run, measured in a separate run.

Numbers depend on the machine and its load (the development machine is shared); threads
of BLAS are pinned to one.
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


def _time(func: Callable[[], Any], repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    return best


def _peak(func: Callable[[], Any]) -> float:
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1024**2


def closed_form(n: int, sample: int) -> list[tuple[str, float, float, str]]:
    eq = hold_up().solve().equilibria[0]
    params = list(eq.game.parameters)
    rng = np.random.default_rng(0)
    box = {"beta": (0.05, 0.95), "theta_S": (0.5, 3), "theta_L": (0.5, 3), "w": (0.5, 3)}
    values = {p.name: rng.uniform(*box[p.name], n) for p in params}
    exprs = {str(a): v for a, v in eq.strategies.items()}
    compiled = compile_expressions(exprs, params)
    eq.evaluate({k: v[:10] for k, v in values.items()})  # compile outside the timing
    t_eval = _time(lambda: eq.evaluate(values))
    t_bare = _time(lambda: compiled(values))
    syms = {p.name: p for p in params}
    pts = [{syms[k]: float(v[i]) for k, v in values.items()} for i in range(sample)]
    t0 = time.perf_counter()
    for pt in pts:
        [sp.sympify(e).subs(pt).evalf() for e in exprs.values()]
    t_subs = (time.perf_counter() - t0) / sample * n
    f = sp.lambdify(params, list(exprs.values()))
    lam_sample = min(n, 50 * sample)
    rows = [tuple(float(values[p.name][i]) for p in params) for i in range(lam_sample)]
    t0 = time.perf_counter()
    for row in rows:
        f(*row)
    t_lam = (time.perf_counter() - t0) / lam_sample * n
    peak = _peak(lambda: eq.evaluate(values))
    return [
        (f"HU closed form, {n:,} points: Equilibrium.evaluate", t_eval, peak, f"{n / t_eval:,.0f} points/s"),
        ("  bare compiled function (no validation/region)", t_bare, np.nan, f"{n / t_bare:,.0f} points/s"),
        (f"  per-point subs().evalf() loop ({sample} timed, extrapolated)", t_subs, np.nan, f"x{t_subs / t_eval:,.0f}"),
        (f"  per-point lambdified calls ({lam_sample} timed, extrapolated)", t_lam, np.nan, f"x{t_lam / t_eval:,.1f}"),
    ]


def numeric_equilibria(n: int, sample: int) -> list[tuple[str, float, float, str]]:
    game = cournot()
    rng = np.random.default_rng(1)
    values = {"a": rng.uniform(5, 10, n), "b": rng.uniform(0.5, 2, n), "c": rng.uniform(0.1, 4, n)}
    solve_batch(game, {k: v[:10] for k, v in values.items()}, check=0)  # compile outside the timing
    res = solve_batch(game, values, check=0)
    t_batch = _time(lambda: solve_batch(game, values, check=0), repeat=2)
    acts, params = list(game.actions), list(game.parameters)
    grads = [sp.diff(game.owner(a).payoff, a) for a in acts]
    foc = sp.lambdify([acts, *params], grads)
    t0 = time.perf_counter()
    agree = 0
    for i in range(sample):
        args = tuple(float(values[p.name][i]) for p in params)
        sol = optimize.root(lambda x, args=args: foc(x, *args), np.ones(len(acts)), method="hybr")
        agree += bool(np.allclose(sol.x, res.strategies[i], atol=1e-7))
    t_loop = (time.perf_counter() - t0) / sample * n
    peak = _peak(lambda: solve_batch(game, values, check=0))
    return [
        (
            f"Cournot numeric equilibria, {n:,} points: solve_batch",
            t_batch,
            peak,
            f"{int(res.verified.sum()):,} verified",
        ),
        (
            f"  loop of scipy.optimize.root ({sample} timed, extrapolated)",
            t_loop,
            np.nan,
            f"x{t_loop / t_batch:,.0f}; {agree}/{sample} agree",
        ),
    ]


def region(side: int, sample: int) -> list[tuple[str, float, float, str]]:
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
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(sample):
            point = {**fixed, "p": rng.uniform(0.01, 0.99), "kappa": rng.uniform(0.01, 1.5)}
            A, B = (np.asarray(m, dtype=float) for m in mats(*(point[p.name] for p in by_name.values())))
            list(nashpy.Game(A, B).support_enumeration())
    t_loop = (time.perf_counter() - t0) / sample * side * side
    peak = _peak(run)
    return [
        (
            f"RG pure-equilibrium region map, {side}x{side}: region_map",
            t_map,
            peak,
            f"{side * side / t_map:,.0f} points/s",
        ),
        (
            f"  loop of nashpy support_enumeration ({sample} timed, extrapolated)",
            t_loop,
            np.nan,
            f"x{t_loop / t_map:,.0f}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every size by this")
    parser.add_argument("--sample", type=int, default=300, help="points timed in each per-point loop")
    args = parser.parse_args()
    n1, n2 = int(1e6 * args.scale), int(1e5 * args.scale)
    side = max(10, int(1000 * args.scale**0.5))
    rows = closed_form(n1, args.sample) + numeric_equilibria(n2, args.sample) + region(side, args.sample)
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'seconds':>9}  {'peak MiB':>8}  note")
    for name, seconds, peak, note in rows:
        peak_text = f"{peak:8.1f}" if np.isfinite(peak) else " " * 8
        print(f"{name:<{width}}  {seconds:9.3f}  {peak_text}  {note}")
    print("(loops: sample timed and extrapolated to the full size; one process, BLAS threads = 1; shared machine)")


if __name__ == "__main__":
    main()
