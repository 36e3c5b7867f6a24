"""Benchmark: region maps on a 1000 x 1000 grid for a symbolic 3x3 game.

Run on demand (not collected by pytest, no timing assertions anywhere)::

    python benchmarks/bench_regions.py --resolution 1000 --repeat 5

The game is solved symbolically once (pure and mixed equilibria with their regions); the
timing covers :func:`gvcgames.regions.region_map` only: lambdifying every condition once and
evaluating it on the grid with numpy broadcasting. The target is well under one second.
"""

from __future__ import annotations

import argparse
import statistics
import time

import gvcgames as gg
from gvcgames.regions import region_map


def game() -> gg.NormalFormGame:
    a, b = gg.parameters("a b", positive=True)
    A = [[a, 0, 1], [b, 1, 0], [0, a - b, 2]]
    B = [[1, a, 0], [0, 1, b], [b, 0, 1]]
    return gg.NormalFormGame(["r", "c"], [["x", "y", "z"], ["l", "m", "n"]], (A, B))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resolution", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    g = game()
    start = time.perf_counter()
    pure = g.pure_equilibria()
    full = g.solve()
    print(f"symbolic solve: {time.perf_counter() - start:.2f} s; {len(full.equilibria)} equilibria with regions")
    for name, sol in (("pure equilibria", pure), ("pure and mixed equilibria", full)):
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            rm = region_map(sol, ("a", 0.01, 3), ("b", 0.01, 3), resolution=args.resolution)
            times.append(time.perf_counter() - start)
        n = args.resolution
        print(
            f"{name}: {len(rm.labels)} conditions on {n}x{n} grid: median {statistics.median(times) * 1e3:.0f} ms "
            f"(min {min(times) * 1e3:.0f} ms)"
        )


if __name__ == "__main__":
    main()
