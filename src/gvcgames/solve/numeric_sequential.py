"""Numeric subgame-perfect equilibria of sequential games at fixed parameter values.

The fallback where the symbolic route finds no closed form, e.g. a private type with a
normal or logistic distribution (the threshold probability is an ``erf`` or a logistic
function of the first mover's action, and its first-order condition has no closed form).

* Continuous stages followed by a final discrete choice or game tree: the final stage is
  played optimally, numerically (type by type for a private type, node by node for a tree:
  :class:`~gvcgames.solve.verify_choice.ChoiceLottery`,
  :class:`~gvcgames.solve.verify_tree.TreeLottery`); the first mover maximises the expected
  payoff over a grid of the action set refined by bounded Brent / L-BFGS-B.
* Continuous stages only: numeric backward induction, each stage responding optimally to
  every history by nested maximisation.

The result is accepted only if :func:`gvcgames.is_equilibrium` finds no profitable
deviation; a local optimum that is not global is thereby refused, not returned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.errors import UnsupportedError
from gvcgames.results import Equilibrium, Solution

METHOD = "numeric backward induction (grid + bounded local search) verified by is_equilibrium"


def solve_sequential_at(game: Any, values: Mapping[Any, Any], seed: int = 0, grid: int = 401) -> Solution:
    """A numeric subgame-perfect equilibrium at parameter values (see the module docstring).

    Returns
    -------
    Solution
        One equilibrium (``case = "numeric"``) with its on-path strategies, payoffs and, after
        a final choice or tree, the probabilities of its outcomes; or no equilibrium with
        ``converged=False`` and the reason.

    Raises
    ------
    UnsupportedError
        For several continuous stages before a final discrete choice or tree.
    """
    from gvcgames.solve.verify import _Backward, _maximise, _Search, is_equilibrium, numeric_values
    from gvcgames.solve.verify_choice import lottery_for

    numbers = numeric_values(game, values)
    search = _Search(numbers, grid, None, np.random.default_rng(seed))
    outcomes: dict[str, float] = {}
    if game.choice is not None:
        if len(game.stages) != 1:
            raise UnsupportedError(
                "solve_at handles one continuous stage before a final discrete choice or tree; this game has "
                f"{len(game.stages)}"
            )
        (stage,) = game.stages
        actions = list(stage.actions)
        lottery = lottery_for(game, numbers, actions)

        def value(x: np.ndarray) -> float:
            pays, _ = lottery.evaluate(dict(zip(actions, map(float, np.atleast_1d(x)), strict=True)))
            return pays[stage.name]

        box = search.box(actions, {})
        start = np.array([(lo + hi) / 2 for lo, hi in box])
        best, _ = _maximise(value, lambda pts: np.array([value(p) for p in pts]), box, start, search, grid, 3)
        point = dict(zip(actions, map(float, best), strict=True))
        payoffs, _ = lottery.evaluate(point)
        outcomes = lottery.outcome_probabilities(point)
    else:
        anchor = {a: 0.0 if a.lower == -sp.oo else float(sp.sympify(a.lower).subs(numbers)) for a in game.actions}
        point = _Backward(game, search, anchor).respond(0, {}, grid=grid)
        payoffs = {p.name: float(p.payoff.subs({**numbers, **point})) for p in game.players}
    check = is_equilibrium(game, point, values, seed=seed)
    if not check:
        return Solution(game, [], METHOD, False, f"the numeric optimum is not an equilibrium:\n{check}")
    eq = Equilibrium(
        strategies={a: sp.Float(v) for a, v in point.items()},
        payoffs={k: sp.Float(v) for k, v in payoffs.items()},
        conditions=sp.And(*(sp.Eq(s, sp.Float(v)) for s, v in numbers.items())),
        method=METHOD,
        case="numeric",
        game=game,
        optimality={p.name: "numeric: no profitable deviation found (grid + local search)" for p in game.players},
        outcomes={k: sp.Float(v) for k, v in outcomes.items()},
    )
    return Solution(game, [eq], METHOD, True, "one equilibrium at these values (others may exist)")
