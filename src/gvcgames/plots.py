"""Plots of results: best responses, comparative-statics curves, region maps, option values.

Each function draws one picture from one result object and returns the matplotlib ``Axes``
(pass ``ax=`` to draw into a figure of your own). Every curve is a formula of the result
evaluated on a grid with :func:`sympy.lambdify`: nothing is re-solved here.

* :func:`best_responses` -- the two reaction curves of a two-player continuous game and the
  equilibria where they cross.
* :func:`statics_curve` -- an equilibrium outcome and its derivative along one parameter, the
  others fixed; each equilibrium drawn only inside its region, region boundaries marked.
* :func:`region_map` -- which equilibria hold where on a grid of two parameters (drawn by
  :meth:`gvcgames.regions.RegionMap.plot`).
* :func:`option_value` -- the value of a real option ``F(x)``, the payoff from exercising it and the trigger.

matplotlib is imported only when a plot is drawn; without it a
:class:`~gvcgames.errors.MissingDependencyError` names the extra to install
(``pip install 'gvcgames[plots]'``).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import gvcgames as gg
>>> from gvcgames import plots
>>> sol = gg.models.cournot().solve()
>>> ax = plots.best_responses(sol, {"a": 10, "b": 1, "c": 1})
>>> ax.get_xlabel(), ax.get_ylabel()
('q1', 'q2')
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from sympy.logic.boolalg import Boolean

from gvcgames.errors import InvalidSpecError, InvalidValuesError, MissingDependencyError, UnsupportedError

__all__ = ["best_responses", "option_value", "region_map", "statics_curve"]

BOUNDARY_GID = "region boundary"  # gid of the vertical lines marking where the set of equilibria changes


def _pyplot() -> Any:
    """``matplotlib.pyplot``, or a clear error naming the extra that provides it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise MissingDependencyError(
            "gvcgames.plots needs matplotlib; install the 'plots' extra: pip install 'gvcgames[plots]'"
        ) from exc
    return plt


def _axes(ax: Any) -> Any:
    if ax is None:
        _, ax = _pyplot().subplots()
    return ax


# --- numbers --------------------------------------------------------------------------------------


def _values_by_name(values: Mapping[Any, Any] | None, what: str = "values") -> dict[str, float]:
    """Parameter values keyed by name, checked to be finite numbers."""
    out: dict[str, float] = {}
    for key, value in (values or {}).items():
        name = key.name if isinstance(key, sp.Symbol) else str(key)
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise InvalidValuesError(f"{what}: the value of {name!r} must be a number, got {value!r}") from exc
        if not math.isfinite(number):
            raise InvalidValuesError(f"{what}: the value of {name!r} must be finite, got {value!r}")
        out[name] = number
    return out


def _fix(expr: Any, values: Mapping[str, float]) -> Any:
    """``expr`` with the given values substituted for the symbols of those names."""
    expr = sp.sympify(expr)
    subs = {s: values[s.name] for s in expr.free_symbols if s.name in values}
    return expr.xreplace({s: sp.Float(v) for s, v in subs.items()})


def _compiled(expr: Any, var: sp.Symbol, values: Mapping[str, float], what: str) -> Any:
    """``expr`` as a numpy function of ``var`` (the other symbols fixed by ``values``)."""
    fixed = _fix(expr, values)
    missing = sorted(s.name for s in fixed.free_symbols if s != var)
    if missing:
        raise InvalidValuesError(f"values for {missing} are needed to evaluate {what}; pass values={{name: number}}")
    fn = sp.lambdify(var, fixed, modules="numpy")
    boolean = isinstance(fixed, Boolean)

    def evaluate(grid: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out = np.asarray(fn(grid))
        if boolean or out.dtype == bool:
            return np.broadcast_to(out.astype(bool), grid.shape).copy()
        out = np.broadcast_to(out, grid.shape)
        if np.iscomplexobj(out):  # a real formula never needs the imaginary part; keep it out of the plot
            out = np.where(np.abs(out.imag) < 1e-12, out.real, np.nan)
        return out.astype(float)

    return evaluate


def _on_grid(expr: Any, var: sp.Symbol, grid: np.ndarray, values: Mapping[str, float], what: str) -> np.ndarray:
    """``expr`` evaluated at every grid value of ``var`` (the other symbols fixed by ``values``)."""
    return _compiled(expr, var, values, what)(grid)


def _interval(over: Any, what: str) -> tuple[float, float]:
    if not isinstance(over, Sequence) or isinstance(over, str) or len(over) != 2:
        raise InvalidSpecError(f"{what} must be a pair (low, high), got {over!r}")
    try:
        lo, hi = float(over[0]), float(over[1])
    except (TypeError, ValueError) as exc:
        raise InvalidSpecError(f"{what} must be a pair of numbers (low, high), got {over!r}") from exc
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise InvalidSpecError(f"{what} = ({lo}, {hi}) is empty or not finite: need finite low < high")
    return lo, hi


def _grid(over: tuple[float, float], points: int) -> np.ndarray:
    if not isinstance(points, int | np.integer) or points < 2:
        raise InvalidSpecError(f"points must be an integer >= 2, got {points!r}")
    return np.linspace(over[0], over[1], int(points))


def _fixed_title(values: Mapping[str, float]) -> str:
    return ", ".join(f"{k} = {v:g}" for k, v in values.items())


# --- best responses -------------------------------------------------------------------------------


def best_responses(
    solution: Any,
    values: Mapping[Any, Any],
    *,
    over: tuple[float, float] | None = None,
    ax: Any = None,
    points: int = 200,
) -> Any:
    """Reaction curves of a two-player continuous game, with its equilibria marked.

    Player 1's action is on the x axis, player 2's on the y axis. Player 1's curve is drawn
    as ``(BR_1(a_2), a_2)`` and player 2's as ``(a_1, BR_2(a_1))``; the equilibria that hold
    at ``values`` are marked where the curves cross.

    Parameters
    ----------
    solution : Solution
        ``game.solve()`` of a :class:`~gvcgames.ContinuousGame` with two players, one action each.
    values : mapping
        A number for every parameter (keys: names or symbols).
    over : (float, float), optional
        The range of both actions; default: the action domain, or ``[0, 2 x`` the largest
        equilibrium action ``]`` when the domain is unbounded.
    ax : matplotlib Axes, optional
    points : int
        Grid points per curve (the equilibrium actions are added to the grid).

    Returns
    -------
    matplotlib Axes
        Lines labelled ``"BR of PLAYER"`` (one per player) and ``"equilibrium"`` (markers).

    Raises
    ------
    UnsupportedError
        If the game does not have two players with one action each, or a best response was
        not found in closed form.
    InvalidValuesError
        If a parameter value is missing or not a finite number.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import gvcgames as gg
    >>> from gvcgames import plots
    >>> ax = plots.best_responses(gg.models.cournot().solve(), {"a": 10, "b": 1, "c": 1})
    >>> [line.get_label() for line in ax.get_lines()]
    ['BR of firm1', 'BR of firm2', 'equilibrium']
    >>> [round(float(v), 6) for v in ax.get_lines()[2].get_xydata()[0]]   # (a - c)/3 each
    [3.0, 3.0]
    """
    game = getattr(solution, "game", None)
    if type(game).__name__ == "SymmetricGame":
        return _symmetric_best_response(solution, values, over, ax, points)
    players = list(getattr(game, "players", ()))
    if not hasattr(solution, "best_responses") or len(players) != 2 or any(len(p.actions) != 1 for p in players):
        shape = [len(p.actions) for p in players] if players else "no players"
        raise UnsupportedError(
            f"best_responses draws two players with one action each (a ContinuousGame solution); got {shape}"
        )
    brs = dict(solution.best_responses)
    (p1, p2), (a1, a2) = [p.name for p in players], [p.actions[0] for p in players]
    exprs = []
    for player, action in ((p1, a1), (p2, a2)):
        br = brs.get(player)
        if br is None or action not in br.response:
            note = f" ({br.note})" if br is not None and br.note else ""
            raise UnsupportedError(f"the best response of {player!r} is not known in closed form{note}")
        exprs.append(br.response[action])
    vals = _values_by_name(values)
    missing = sorted(p.name for p in getattr(game, "parameters", ()) if p.name not in vals)
    if missing:
        raise InvalidValuesError(f"values for {missing} are needed to draw the best responses; pass values={{...}}")
    equilibria = solution.at(vals)
    marks = [(pt[a1], pt[a2]) for pt in (eq.at(vals) for eq in equilibria)]
    lo, hi = _interval(over, "over") if over is not None else _default_range((a1, a2), marks)
    base = _grid((lo, hi), points)
    # the equilibrium actions join each grid so that the curves pass exactly through the marks
    grid1 = np.union1d(base, [y for _, y in marks if lo <= y <= hi])
    grid2 = np.union1d(base, [x for x, _ in marks if lo <= x <= hi])
    ax = _axes(ax)
    ax.plot(_on_grid(exprs[0], a2, grid1, vals, f"the best response of {p1!r}"), grid1, label=f"BR of {p1}")
    ax.plot(grid2, _on_grid(exprs[1], a1, grid2, vals, f"the best response of {p2!r}"), label=f"BR of {p2}")
    xs, ys = [m[0] for m in marks], [m[1] for m in marks]
    ax.plot(xs, ys, linestyle="none", marker="o", color="black", label="equilibrium")
    ax.set_xlabel(a1.name)
    ax.set_ylabel(a2.name)
    ax.set_title(_fixed_title(vals), fontsize="small")
    ax.legend(loc="best", fontsize="small")
    return ax


def _symmetric_best_response(solution: Any, values: Mapping[Any, Any], over: Any, ax: Any, points: int) -> Any:
    """One player's best response to the others' common action; symmetric equilibria lie on the diagonal."""
    game = solution.game
    x, y = game.action, game.others
    br = solution.best_responses.get("each player")
    if br is None or x not in br.response:
        raise UnsupportedError("the symmetric best response is not known in closed form (payoff not provably concave)")
    vals = _values_by_name(values)
    missing = sorted(p.name for p in game.parameters if p.name not in vals)
    if missing:
        raise InvalidValuesError(f"values for {missing} are needed to draw the best responses")
    marks = [eq.at(vals)[x] for eq in solution.at(vals)]
    lo, hi = _interval(over, "over") if over is not None else _default_range((x,), [(m, m) for m in marks])
    grid = np.union1d(_grid((lo, hi), points), [m for m in marks if lo <= m <= hi])
    ax = _axes(ax)
    ax.plot(grid, _on_grid(br.response[x], y, grid, vals, "the symmetric best response"), label="BR (each player)")
    ax.plot(grid, grid, ":", color="grey", label="symmetric profiles")
    ax.plot(marks, marks, linestyle="none", marker="o", color="black", label="equilibrium")
    ax.set_xlabel(f"{y.name} (others' common action)")
    ax.set_ylabel(x.name)
    ax.set_title(_fixed_title(vals), fontsize="small")
    ax.legend(loc="best", fontsize="small")
    return ax


def _default_range(acts: Sequence[sp.Symbol], marks: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The actions' common domain, cut at twice the largest equilibrium action where unbounded."""
    lows = [getattr(a, "domain", sp.Reals).inf for a in acts]
    highs = [getattr(a, "domain", sp.Reals).sup for a in acts]
    biggest = max([abs(v) for m in marks for v in m] + [0.5])
    lo = min(float(v) if v.is_finite else -2 * biggest for v in lows)
    hi = max(float(v) if v.is_finite else 2 * biggest for v in highs)
    return lo, hi


# --- comparative statics along a parameter --------------------------------------------------------


@dataclass(frozen=True)
class _Curve:
    label: str
    value: sp.Expr
    derivative: sp.Expr
    region: sp.Boolean


def statics_curve(
    source: Any,
    wrt: Any = None,
    over: tuple[float, float] | None = None,
    values: Mapping[Any, Any] | None = None,
    *,
    outcome: Any = None,
    ax: Any = None,
    points: int = 400,
) -> Any:
    """An equilibrium outcome and its derivative along one parameter, the others fixed.

    The outcome is drawn (solid, left axis) only where its equilibrium's region holds and
    the parameters are admissible; its derivative ``d outcome*/d wrt`` (dashed) is drawn on a
    twin axis on the right with a zero line, so sign changes (conditional hypotheses) show.
    Where the set of equilibria that hold changes, a dotted vertical line marks the region
    boundary (found by bisection on the region conditions; its ``gid`` is ``"region boundary"``).

    Parameters
    ----------
    source : StaticsResult, Equilibrium or Solution
        A result of :func:`gvcgames.comparative_statics` (outcome and parameter are taken from
        it), one equilibrium, or a whole solution (every equilibrium drawn in its own region).
    wrt : str or Parameter
        The parameter on the x axis (optional for a StaticsResult).
    over : (float, float)
        The range of ``wrt``.
    values : mapping
        A number for every other parameter (keys: names or symbols).
    outcome : optional
        For an Equilibrium or Solution: an action, ``"payoff:PLAYER"``, a name in
        ``eq.outcomes`` (e.g. ``"Pr(lead firm: relocate)"``) or an expression in actions.
    ax : matplotlib Axes, optional
    points : int
        Grid points along ``wrt``.

    Returns
    -------
    matplotlib Axes
        The outcome's axes; the derivative's twin is ``ax.figure.axes[-1]`` for a new figure
        (also reachable as ``ax.gvcgames_derivative_axes``). With several equilibria each line
        is labelled ``"OUTCOME: [k] CASE"``, ``k`` numbering the solution's equilibria as in its
        summary; equilibria that hold nowhere on the slice are drawn empty and left out of the legend.

    Raises
    ------
    InvalidSpecError
        A missing or empty range, an outcome missing for an Equilibrium or Solution, or a
        ``wrt`` that disagrees with the StaticsResult's parameter.
    NotAParameterError, OutcomeError
        An unknown parameter or outcome (from :mod:`gvcgames.statics`).
    InvalidValuesError
        A missing or non-finite parameter value.

    Examples
    --------
    PR: with a rare shock the lead firm stays without prevention (``e* = 0``); then the MSE
    prevents just enough to keep it (``R* = 0``); beyond ``p = 1 - sqrt(0.8)`` prevention is interior.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import gvcgames as gg
    >>> from gvcgames import plots
    >>> sol = gg.models.prevention_relocation().solve()
    >>> values = {"D": 10, "Delta": 1, "Fbar": 10, "m": 2, "c": 4}
    >>> ax = plots.statics_curve(sol, "p", (0.05, 0.95), values, outcome="e")
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('p', 'e*')
    >>> boundaries = [line.get_xdata()[0] for line in ax.get_lines() if line.get_gid() == "region boundary"]
    >>> [round(float(b), 4) for b in boundaries]   # e* = 0 up to p = Delta/D, then 1 - Delta/(p D) to 1 - sqrt(0.8)
    [0.1, 0.1056]
    """
    curves, param, game = _curves(source, wrt, outcome)
    if over is None:
        raise InvalidSpecError(f"over=(low, high) is needed: the range of {param.name!r} to draw")
    vals = _values_by_name(values)
    vals.pop(param.name, None)  # the x axis varies it
    grid = _grid(_interval(over, "over"), points)
    admissible = _admissible(game, param, vals)
    ax = _axes(ax)
    twin = ax.twinx()
    outcome_label = curves[0].label
    regions = [
        _compiled(curve.region, param, vals, f"the region of {curve.label}") for curve in curves
    ]  # compiled once: the boundaries are refined by bisection on them
    holds = []
    for k, (curve, region) in enumerate(zip(curves, regions, strict=True)):
        where = admissible(grid) & region(grid)
        holds.append(where)
        y = np.where(where, _on_grid(curve.value, param, grid, vals, curve.label), np.nan)
        dy = np.where(where, _on_grid(curve.derivative, param, grid, vals, f"d{curve.label}/d{param}"), np.nan)
        colour = f"C{k}"
        name = curve.label if len(curves) == 1 else f"{curve.label}: [{k + 1}] {_case_name(source, k)}"
        hidden = "_" if not where.any() else ""  # equilibria that never hold on this slice stay out of the legend
        ax.plot(grid, y, color=colour, label=hidden + name)
        twin.plot(grid, dy, color=colour, linestyle="--", label=f"{hidden}d/d{param.name} ({name})")
    twin.axhline(0.0, color="grey", linewidth=0.6)
    for x in _boundaries(regions, admissible, grid):
        ax.axvline(x, color="grey", linestyle=":", gid=BOUNDARY_GID)
    ax.set_xlabel(param.name)
    ax.set_ylabel(outcome_label)
    twin.set_ylabel(f"d{outcome_label}/d{param.name}")
    ax.set_title(_fixed_title(vals), fontsize="small")
    lines = [line for line in ax.get_lines() + twin.get_lines() if not line.get_label().startswith("_")]
    ax.legend(lines, [line.get_label() for line in lines], loc="best", fontsize="small")
    ax.gvcgames_derivative_axes = twin
    return ax


def _curves(source: Any, wrt: Any, outcome: Any) -> tuple[list[_Curve], Any, Any]:
    """The curves to draw (one per equilibrium), the parameter and the game."""
    from gvcgames.results import Equilibrium, FiniteEquilibrium, Solution
    from gvcgames.statics.comparative import StaticsResult, resolve_parameter
    from gvcgames.statics.outcomes import resolve_outcome

    if isinstance(source, StaticsResult):
        if wrt is not None and getattr(wrt, "name", wrt) != source.wrt.name:
            raise InvalidSpecError(
                f"wrt={getattr(wrt, 'name', wrt)!r} disagrees with the statics result, which is along "
                f"{source.wrt.name!r}; leave wrt out"
            )
        game = getattr(source.equilibrium, "game", None)
        return [_Curve(source.outcome.star, source.value, source.derivative, source.region)], source.wrt, game
    if isinstance(source, Equilibrium | FiniteEquilibrium):
        equilibria, game = [source], source.game
    elif isinstance(source, Solution):
        equilibria, game = list(source.equilibria), source.game
        if not equilibria:
            raise InvalidSpecError("the solution has no equilibria to draw")
    else:
        raise InvalidSpecError(
            f"statics_curve needs a StaticsResult, an Equilibrium or a Solution, got {type(source).__name__}"
        )
    if outcome is None:
        raise InvalidSpecError(
            "outcome=... is needed for an Equilibrium or Solution: an action, 'payoff:PLAYER' or a name in eq.outcomes"
        )
    if wrt is None:
        raise InvalidSpecError("wrt=... is needed: the parameter on the x axis")
    param = resolve_parameter(equilibria[0], wrt)
    curves = []
    for eq in equilibria:
        out = resolve_outcome(eq, outcome)
        value = sp.sympify(out.value_at(eq))
        curves.append(_Curve(out.star, value, sp.diff(value, param), sp.sympify(eq.conditions)))
    return curves, param, game


def _case_name(source: Any, k: int) -> str:
    eq = source.equilibria[k] if hasattr(source, "equilibria") else source
    pure = getattr(eq, "pure_profile", None)
    if pure is not None:
        return ", ".join(pure)
    return eq.case.split(";")[0] if eq.case else f"equilibrium {k + 1}"  # the stage-1 case; the rest is in the summary


def _admissible(game: Any, param: sp.Symbol, vals: Mapping[str, float]) -> Any:
    """A function of the grid: where the game's parameter domains and assumptions hold."""
    params = list(getattr(game, "parameters", ()))
    bad = [
        p.name for p in params if p.name in vals and sp.sympify(p.domain.contains(sp.Float(vals[p.name]))) is sp.false
    ]
    if bad:
        raise InvalidValuesError(
            f"values outside their parameter domains: {bad}; domains: {[str(p.domain) for p in params]}"
        )
    relations = _compiled(
        sp.And(*getattr(getattr(game, "assumptions", None), "relations", ())), param, vals, "the assumptions"
    )
    t = sp.Dummy(
        "t"
    )  # a plain symbol: the domain of a positive parameter would simplify to True in the parameter itself
    domain = getattr(param, "domain", sp.Reals)
    own = _compiled(domain.as_relational(t), t, {}, f"the domain of {param.name}")
    return lambda grid: relations(grid) & own(grid)


def _boundaries(regions: Sequence[Any], admissible: Any, grid: np.ndarray) -> list[float]:
    """Where the set of equilibria that hold changes, each refined by bisection between grid points."""

    def pattern(points: np.ndarray) -> np.ndarray:
        ok = admissible(points)
        return np.stack([ok, *(ok & region(points) for region in regions)])

    on_grid = pattern(grid)
    out = []
    for i in np.nonzero((on_grid[:, 1:] != on_grid[:, :-1]).any(axis=0))[0]:
        lo, hi, left = float(grid[i]), float(grid[i + 1]), on_grid[:, i]
        for _ in range(60):
            mid = (lo + hi) / 2
            if (pattern(np.array([mid]))[:, 0] == left).all():
                lo = mid
            else:
                hi = mid
        out.append((lo + hi) / 2)
    return out


# --- region maps ----------------------------------------------------------------------------------


def region_map(
    source: Any,
    x: tuple[Any, ...],
    y: tuple[Any, ...],
    fixed: Mapping[Any, float] | None = None,
    *,
    resolution: int | tuple[int, int] = 200,
    ax: Any = None,
) -> Any:
    """Which equilibria hold where on a grid of two parameters (see :func:`gvcgames.regions.region_map`).

    Parameters
    ----------
    source, x, y, fixed, resolution
        As for :func:`gvcgames.regions.region_map`: a game, Solution or list of equilibria;
        ``(parameter, low, high)`` per axis; numbers for the other parameters.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes
        Drawn by :meth:`gvcgames.regions.RegionMap.plot`: one colour per set of equilibria.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import gvcgames as gg
    >>> from gvcgames import plots
    >>> rg = gg.models.reconfiguration()
    >>> ax = plots.region_map(rg, ("p", 0.05, 0.95), ("Delta", 0.1, 10),
    ...     {"D": 10, "d": 2, "theta": 0.5, "kappa": 0.3, "m": 1}, resolution=20)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('p', 'Delta')
    """
    from gvcgames.regions import region_map as compute

    _pyplot()  # fail early, with the extra named, before the grid is computed
    return compute(source, x, y, fixed=fixed, resolution=resolution).plot(ax=ax)


# --- real options ---------------------------------------------------------------------------------


def option_value(result: Any, over: tuple[float, float] | None = None, *, ax: Any = None, points: int = 400) -> Any:
    """The value of a real option ``F(x)``, the payoff ``g(x)`` from exercising it, and the trigger.

    Below an upper trigger (above a lower one) the option is held and worth
    ``F(x) = A x^beta`` (or its ABM analogue); at and past the trigger it is exercised and worth
    ``g(x)``: the two meet smoothly at the trigger (value matching, smooth pasting).

    Parameters
    ----------
    result : StoppingResult
        From :func:`gvcgames.options.investment_trigger`, :func:`~gvcgames.options.relocation_trigger`
        or :func:`~gvcgames.options.optimal_stopping`, with numbers (not symbols).
    over : (float, float), optional
        The range of the state; default ``(0, 2 x*)`` for an upper trigger, ``(x*/2, 2 x*)``
        for a lower one.
    ax : matplotlib Axes, optional
    points : int

    Returns
    -------
    matplotlib Axes
        Lines labelled ``"F(x)"`` (the value, option held or exercised), ``"g(x)"`` (exercise now)
        and a vertical line ``"trigger"``.

    Raises
    ------
    UnsupportedError
        For results other than a single-trigger StoppingResult.
    InvalidValuesError
        For a symbolic result (plots need numbers) or one without a finite trigger.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from gvcgames import options, plots
    >>> res = options.investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
    >>> ax = plots.option_value(res)
    >>> [line.get_label() for line in ax.get_lines()]
    ['F(V)', 'g(V)', 'trigger V* = 2']
    """
    from gvcgames.options.stopping import StoppingResult

    if not isinstance(result, StoppingResult):
        raise UnsupportedError(
            f"option_value draws a single-trigger StoppingResult (investment_trigger, relocation_trigger, "
            f"optimal_stopping), got {type(result).__name__}"
        )
    if not result.numeric:
        raise InvalidValuesError("option_value needs a numeric result: call the options function with numbers")
    if not result.has_trigger:
        raise InvalidValuesError("this option is never exercised (no finite trigger): there is nothing to draw")
    trigger, state = float(result.trigger), result.state
    up = result.direction == "up"
    if over is None:
        over = (
            (0.0, 2 * trigger) if up and trigger > 0 else (min(trigger / 2, 2 * trigger), max(trigger / 2, 2 * trigger))
        )
    grid = _grid(_interval(over, "over"), points)
    held = grid < trigger if up else grid > trigger
    cont = _on_grid(result.value_function, state, grid, {}, f"F({state})")
    stop = _on_grid(result.payoff, state, grid, {}, f"g({state})")
    ax = _axes(ax)
    ax.plot(grid, np.where(held, cont, stop), label=f"F({state})")
    ax.plot(grid, stop, linestyle="--", label=f"g({state})")
    ax.axvline(trigger, color="grey", linestyle=":", label=f"trigger {state}* = {trigger:.4g}")
    ax.set_xlabel(str(state))
    ax.set_ylabel("value")
    ax.set_title(getattr(result, "title", ""), fontsize="small")
    ax.legend(loc="best", fontsize="small")
    return ax
