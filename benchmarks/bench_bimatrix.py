"""Benchmark: all equilibria of random nondegenerate 10x10 bimatrix games, gvcgames vs pygambit vs nashpy.

Run on demand (not collected by pytest, no timing assertions anywhere)::

    python benchmarks/bench_bimatrix.py                          # a few minutes: 20 games, 1 exact Gambit
    python benchmarks/bench_bimatrix.py --games 30 --gambit-exact-games 10 --nashpy-games 2
    python benchmarks/bench_bimatrix.py --exact-sizes 6 7 8      # gvcgames exact=True on m x m games

Every solver runs in the same process on the same games, pinned to one core where the OS
allows it, and prints one line per game as it goes. For each solver the table gives the median
wall time (``time.perf_counter``) and the median CPU time of this process
(``time.process_time``, which a loaded machine inflates less) per game, the ratio of its median
wall time to gvcgames' on the same games, and the equilibrium-set check: gvcgames must equal
Gambit's exact ``enummixed`` (the reference: all extreme equilibria), its float ``enummixed``
and nashpy's vertex enumeration; Gambit's LCP and Lemke-Howson find some equilibria, so their
sets must be subsets of gvcgames'. Payoffs are integers drawn uniformly from ``[-1000, 1000]``;
degenerate draws (rare) are skipped and counted, so every timed game is nondegenerate.

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


def say(text: str, end: str = "\n") -> None:
    print(text, end=end, flush=True)


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, float, Any]:
    """Best wall time and best CPU time of ``repeat`` runs (seconds), and the last result."""
    wall, cpu, out = float("inf"), float("inf"), None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall = min(wall, time.perf_counter() - t0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, out


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


def lemke_howson(A: np.ndarray, B: np.ndarray) -> Eqs:
    return all_equilibria(A, B, method="lemke_howson").equilibria


class Row:
    """Timings and checks of one solver over the games it ran on."""

    def __init__(self, label: str, short: str, subset: bool) -> None:
        self.label, self.short, self.subset = label, short, subset
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.games: list[int] = []
        self.agree = 0
        self.wrong = 0


def draw_nondegenerate(rng: np.random.Generator, n: int, count: int) -> tuple[list[tuple[Any, Any]], int]:
    games, skipped = [], 0
    while len(games) < count:
        A, B = rng.integers(-1000, 1001, (n, n)), rng.integers(-1000, 1001, (n, n))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", DegenerateGameWarning)
            res = all_equilibria(A, B)
        if res.degenerate or caught:
            skipped += 1
            continue
        games.append((A, B))
    return games, skipped


def exact_sizes(sizes: list[int], seed: int) -> None:
    """gvcgames' exact (rational) vertex enumeration on one random m x m game per size."""
    if not sizes:
        return
    rng = np.random.default_rng(seed + 1)
    say("exact=True (rational vertex enumeration by bases), one random game per size:")
    for m in sizes:
        A, B = rng.integers(-1000, 1001, (m, m)), rng.integers(-1000, 1001, (m, m))
        wall, cpu, res = timed(lambda A=A, B=B: all_equilibria(A, B, exact=True))
        say(f"  {m}x{m}: wall {wall:.2f} s, CPU {cpu:.2f} s, {len(res)} equilibria")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--games", type=int, default=20, help="nondegenerate games (default 20)")
    ap.add_argument("--size", type=int, default=10)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--repeat", type=int, default=3, help="runs per game of the fast solvers (best is kept)")
    ap.add_argument("--nashpy-games", type=int, default=0, help="games for nashpy vertex enumeration (30-60 s each)")
    ap.add_argument("--gambit-exact-games", type=int, default=1, help="games for Gambit's exact enummixed (slow)")
    ap.add_argument("--gambit-float-games", type=int, default=None, help="games for Gambit's float enummixed (all)")
    ap.add_argument("--exact-sizes", type=int, nargs="*", default=[6, 7], help="m for gvcgames exact=True on m x m")
    args = ap.parse_args(argv)

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        cores = "pinned to one core"
    else:  # pragma: no cover
        cores = "not pinned"
    n = args.size
    rng = np.random.default_rng(args.seed)
    games, skipped = draw_nondegenerate(rng, n, args.games)
    say(f"{len(games)} random nondegenerate {n}x{n} games, seed {args.seed} ({skipped} degenerate skipped); {cores}")
    warnings.simplefilter("ignore", DegenerateGameWarning)

    k_float = len(games) if args.gambit_float_games is None else args.gambit_float_games
    k_exact = args.gambit_exact_games
    plan: list[tuple[Row, Callable[[np.ndarray, np.ndarray], Eqs] | None, int, int]] = [
        (Row("gvcgames all_equilibria (vertex, qhull)", "gvcgames", False), None, len(games), args.repeat),
        (Row("gvcgames method='lemke_howson' (own tableaus)", "gvcgames LH", True), lemke_howson, len(games), 1),
    ]
    missing = gambit_solver("lcp") is None
    if not missing:
        plan += [
            (Row(GAMBIT_LABELS["lcp"], "gambit lcp", True), gambit_solver("lcp"), len(games), args.repeat),
            (Row(GAMBIT_LABELS["enummixed-float"], "gbt float", False), gambit_solver("enummixed-float"), k_float, 1),
            (Row(GAMBIT_LABELS["enummixed-exact"], "gbt exact", False), gambit_solver("enummixed-exact"), k_exact, 1),
        ]
    plan.append((Row("nashpy vertex_enumeration", "nashpy vertex", False), nashpy_vertex, args.nashpy_games, 1))

    all_equilibria(*games[0])  # warm-up: imports, qhull
    ours: list[Eqs] = []
    counts: list[int] = []
    for g, (A, B) in enumerate(games):
        say(f"game {g + 1}/{len(games)}:", end="")
        for row, solve, k, repeat in plan:
            if g >= k:
                continue
            if solve is None:
                wall, cpu, res = timed(lambda A=A, B=B: all_equilibria(A, B), repeat)
                assert res.converged, res.message
                ours.append(res.equilibria)
                counts.append(len(res.equilibria))
                ok = True
                say(f" {len(res)} equilibria;", end="")
            else:
                wall, cpu, eqs = timed(lambda A=A, B=B, solve=solve: solve(A, B), repeat)
                ok = same(ours[g], eqs, subset=row.subset)
                row.agree += ok
                row.wrong += sum(not verified(A, B, x, y) for x, y in eqs)
            row.wall.append(wall)
            row.cpu.append(cpu)
            row.games.append(g)
            say(f" {row.short} {1e3 * wall:.1f} ms{'' if ok else ' (SETS DIFFER)'};", end="")
        say("")

    base = plan[0][0]
    say(
        f"equilibria per game: median {statistics.median(counts):g}, min {min(counts)}, max {max(counts)}; "
        "times are medians per game"
    )
    head = ("solver", "games", "wall ms", "CPU ms", "x gvcgames", "equilibrium sets")
    table = [head]
    for row, _, _, _ in plan:
        if not row.wall:
            continue
        ratio = statistics.median(row.wall) / statistics.median([base.wall[g] for g in row.games])
        if row is base:
            check = "-"
        else:
            check = f"{row.agree}/{len(row.games)} {'subset of ours' if row.subset else 'equal to ours'}"
            if row.wrong:
                check += f"; {row.wrong} output(s) not equilibria"
        table.append(
            (
                row.label,
                str(len(row.games)),
                f"{1e3 * statistics.median(row.wall):.2f}",
                f"{1e3 * statistics.median(row.cpu):.2f}",
                "1" if row is base else f"{ratio:.3g}",
                check,
            )
        )
    widths = [max(len(r[c]) for r in table) for c in range(len(head))]
    for r in table:
        say(
            "  ".join(
                cell.ljust(w) if c in (0, 5) else cell.rjust(w)
                for c, (cell, w) in enumerate(zip(r, widths, strict=True))
            )
        )
    if missing:
        say("not run: pygambit is not installed (pip install pygambit)")
    say(
        f"gvcgames median {1e3 * statistics.median(base.wall):.2f} ms wall, "
        f"{1e3 * statistics.median(base.cpu):.2f} ms CPU (target <= 20 ms); ratios measured in this run"
    )
    exact_sizes(args.exact_sizes, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
