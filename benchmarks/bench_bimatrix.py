"""Benchmark: all equilibria of random 10x10 bimatrix games, gvcgames vs nashpy vs pygambit.

Run on demand (not collected by pytest, no timing assertions anywhere)::

    python benchmarks/bench_bimatrix.py                      # 30 games, seed 2024
    python benchmarks/bench_bimatrix.py --nashpy-games 3 --gambit-exact-games 10

Every solver runs in the same process on the same games, pinned to one core where the OS
allows it; ratios are medians of the other solver's time over gvcgames' time on the same
games. Equilibrium sets are compared with a tolerance: gvcgames must equal Gambit's exact
``enummixed`` (the reference: all extreme equilibria) and its float ``enummixed``, and nashpy's
vertex enumeration; Gambit's LCP and Lemke-Howson find some equilibria, so their sets must be
subsets. Payoffs are integers drawn uniformly from ``[-1000, 1000]`` (nondegenerate with high
probability; the degenerate count is printed).

References: Avis, Rosenberg, Savani and von Stengel (2010), *Economic Theory* 42, 9-37 (vertex
enumeration); Savani and Turocy, Gambit (``pygambit``); Knight and Campbell (2018), nashpy.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from gvcgames.errors import DegenerateGameWarning  # noqa: E402
from gvcgames.solve.bimatrix import all_equilibria, bimatrix_regret  # noqa: E402

Eqs = list[tuple[np.ndarray, np.ndarray]]
GAMBIT_LABELS = {
    "lcp": "pygambit lcp_solve (float)",
    "enummixed-float": "pygambit enummixed_solve (float)",
    "enummixed-exact": "pygambit enummixed_solve (rational)",
}


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall time of ``repeat`` runs (seconds) and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def same(ours: Eqs, theirs: Eqs, subset: bool = False, atol: float = 1e-6) -> bool:
    """``theirs == ours`` as sets (or ``theirs <= ours`` with ``subset``), up to ``atol``."""

    def flat(eqs: Eqs) -> list[np.ndarray]:
        return [np.concatenate([np.asarray(x, float), np.asarray(y, float)]) for x, y in eqs]

    a, b = flat(ours), flat(theirs)

    def inside(p: np.ndarray, pts: list[np.ndarray]) -> bool:
        return any(np.allclose(p, q, rtol=0, atol=atol) for q in pts)

    return all(inside(p, a) for p in b) and (subset or all(inside(p, b) for p in a))


def verified(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray, rtol: float = 1e-9) -> bool:
    """No pure deviation gains more than ``rtol`` times the largest payoff."""
    gains = bimatrix_regret(A, B, np.asarray(x, float), np.asarray(y, float))
    return max(gains) <= rtol * max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))


def gambit_solver(kind: str) -> Callable[[np.ndarray, np.ndarray], Eqs] | None:
    try:
        import pygambit as gbt
    except ImportError:
        return None

    def solve(A: np.ndarray, B: np.ndarray) -> Eqs:
        game = gbt.Game.from_arrays(A, B)
        if kind == "enummixed-exact":
            res = gbt.nash.enummixed_solve(game, rational=True)
        elif kind == "enummixed-float":
            res = gbt.nash.enummixed_solve(game, rational=False)
        else:
            res = gbt.nash.lcp_solve(game, rational=False)
        players = list(game.players)
        return [
            (
                np.array([float(eq[s]) for s in players[0].strategies]),
                np.array([float(eq[s]) for s in players[1].strategies]),
            )
            for eq in res.equilibria
        ]

    return solve


def nashpy_vertex(A: np.ndarray, B: np.ndarray) -> Eqs:
    import nashpy

    return [(np.asarray(x), np.asarray(y)) for x, y in nashpy.Game(A, B).vertex_enumeration()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=30)
    ap.add_argument("--size", type=int, default=10)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=3, help="runs per game of the fast solvers (best is kept)")
    ap.add_argument("--nashpy-games", type=int, default=2, help="games for nashpy vertex enumeration (slow)")
    ap.add_argument("--gambit-exact-games", type=int, default=5, help="games for Gambit's exact enummixed (slow)")
    args = ap.parse_args(argv)

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        cores = "pinned to one core"
    else:  # pragma: no cover
        cores = "not pinned"
    rng = np.random.default_rng(args.seed)
    n = args.size
    games = [(rng.integers(-1000, 1001, (n, n)), rng.integers(-1000, 1001, (n, n))) for _ in range(args.games)]
    warnings.simplefilter("ignore", DegenerateGameWarning)
    all_equilibria(*games[0])  # warm-up: imports, qhull

    ours_t, ours_eq, degenerate, counts = [], [], 0, []
    for A, B in games:
        t, res = timed(lambda A=A, B=B: all_equilibria(A, B), args.repeat)
        assert res.converged, res.message
        ours_t.append(t)
        ours_eq.append(res.equilibria)
        degenerate += bool(res.degenerate)
        counts.append(len(res))

    rows: list[tuple[str, int, float, float | None, str]] = []
    rows.append(("gvcgames all_equilibria (vertex, qhull)", len(games), statistics.median(ours_t), None, "-"))

    def compare(label: str, solve: Callable[[np.ndarray, np.ndarray], Eqs], k: int, repeat: int, subset: bool) -> None:
        k = min(k, len(games))
        if k <= 0:
            return
        times, agree, wrong = [], 0, 0
        for i in range(k):
            t, eqs = timed(lambda i=i: solve(*games[i]), repeat)
            times.append(t)
            agree += same(ours_eq[i], eqs, subset=subset)
            wrong += sum(not verified(*games[i], x, y) for x, y in eqs)
        ratio = statistics.median(times) / statistics.median(ours_t[:k])
        check = f"{agree}/{k} {'subset of ours' if subset else 'equal to ours'}"
        if wrong:
            check += f"; {wrong} output(s) not equilibria"
        rows.append((label, k, statistics.median(times), ratio, check))

    def lemke_howson(A: np.ndarray, B: np.ndarray) -> Eqs:
        return all_equilibria(A, B, method="lemke_howson").equilibria

    compare("gvcgames method='lemke_howson' (own tableaus)", lemke_howson, len(games), 1, subset=True)
    missing = []
    for kind, k, repeat, subset in (
        ("lcp", len(games), args.repeat, True),
        ("enummixed-float", len(games), 1, False),
        ("enummixed-exact", args.gambit_exact_games, 1, False),
    ):
        solver = gambit_solver(kind)
        if solver is None:
            missing.append("pygambit")
            break
        compare(GAMBIT_LABELS[kind], solver, k, repeat, subset)
    compare("nashpy vertex_enumeration", nashpy_vertex, args.nashpy_games, 1, subset=False)

    print(
        f"{len(games)} random {n}x{n} games, integer payoffs in [-1000, 1000], seed {args.seed}; {cores}; "
        f"{degenerate} degenerate; equilibria per game: median {statistics.median(counts):g}, "
        f"min {min(counts)}, max {max(counts)}"
    )
    head = ("solver", "games", "median ms", "x gvcgames", "equilibrium sets")
    table = [head] + [
        (name, str(k), f"{1e3 * med:.2f}", "1" if ratio is None else f"{ratio:.3g}", check)
        for name, k, med, ratio, check in rows
    ]
    widths = [max(len(r[c]) for r in table) for c in range(len(head))]
    for r in table:
        print(
            "  ".join(
                cell.ljust(w) if c == 0 or c == 4 else cell.rjust(w)
                for c, (cell, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    if missing:
        print("not run: pygambit is not installed (pip install pygambit)")
    print(f"gvcgames median {1e3 * statistics.median(ours_t):.2f} ms (target <= 20 ms); ratios measured in this run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
