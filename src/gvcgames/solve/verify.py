"""Numeric verification: does any player gain by deviating?

:func:`is_equilibrium` substitutes numbers for the parameters, then searches each
player's action set for a better reply: a grid (dense in one dimension, coarser in
two, random points in more) followed by bounded local optimisation (L-BFGS-B) from the
candidate and from the best grid points. In sequential games the later movers respond
numerically and optimally to every deviation (numeric backward induction), so the
check is independent of the symbolic policies; the symbolic policies are also checked
at random off-path histories.

Unbounded action sets are searched on ``[x - R, x + R]`` (intersected with the domain),
``R = search_radius`` or ten times the scale of the candidate and the parameters; the
result says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.results import Equilibrium
from gvcgames.spec.games import ContinuousGame, Game, SequentialGame
from gvcgames.spec.symmetric import SymmetricGame


@dataclass(frozen=True)
class Deviation:
    """The best deviation found for one player (or stage)."""

    player: str
    current: dict[sp.Symbol, float]
    best: dict[sp.Symbol, float]
    payoff: float
    best_payoff: float

    @property
    def gain(self) -> float:
        return self.best_payoff - self.payoff

    def __str__(self) -> str:
        cur = ", ".join(f"{a}={v:.6g}" for a, v in self.current.items())
        dev = ", ".join(f"{a}={v:.6g}" for a, v in self.best.items())
        return (
            f"{self.player}: at {cur} payoff {self.payoff:.8g}; "
            f"best deviation {dev} gives {self.best_payoff:.8g} (gain {self.gain:.3g})"
        )


@dataclass(frozen=True)
class EquilibriumCheck:
    """Result of :func:`is_equilibrium`; true in a boolean context iff no profitable deviation.

    Attributes
    ----------
    ok : bool
        No deviation gains more than the tolerance.
    deviations : tuple of Deviation
        The best deviation found for each player (or stage).
    tolerance : float
        Gains up to ``tolerance * (1 + |payoff|)`` are accepted.
    conditions_hold : bool or None
        Whether the equilibrium's own conditions hold at the values (``None`` if the
        profile was not an Equilibrium or they could not be evaluated).
    method, message : str
        How the search was done and what to look at.
    """

    ok: bool
    deviations: tuple[Deviation, ...]
    tolerance: float
    method: str
    message: str = ""
    conditions_hold: bool | None = None
    failures: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.ok

    def summary(self) -> str:
        head = "equilibrium: no profitable deviation found" if self.ok else "NOT an equilibrium"
        lines = [head, f"method: {self.method}"]
        lines += [f"  {d}" for d in self.deviations]
        lines += [f"  failed: {f}" for f in self.failures]
        if self.conditions_hold is False:
            lines.append("  note: the equilibrium's stated conditions do not hold at these values")
        if self.message:
            lines.append(f"  {self.message}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def is_equilibrium(
    game: Any,
    profile: Equilibrium | Mapping[Any, Any],
    values: Mapping[Any, Any] | None = None,
    *,
    tol: float = 1e-7,
    grid: int = 201,
    search_radius: float | None = None,
    seed: int = 0,
) -> EquilibriumCheck:
    """Check numerically that no player gains by deviating from ``profile``.

    Parameters
    ----------
    game : ContinuousGame, SequentialGame or SymmetricGame
        A :class:`~gvcgames.SymmetricGame` is checked at a numeric number of players
        (``N`` among ``values`` when it is symbolic): one deviator against ``N - 1``
        others who all play the profile's action, which by symmetry checks every player.
    profile : Equilibrium or mapping
        The strategies: an Equilibrium from ``game.solve()`` or ``{action: value}``
        (values may be expressions in the parameters).
    values : mapping
        A number for every parameter of the game (keys: symbols or names).
    tol : float
        Relative tolerance on the gain from deviating.
    grid : int
        Grid points per action in one dimension (fewer in more dimensions).
    search_radius : float, optional
        Half-width of the search on unbounded action sets.
    seed : int
        Seed of the random search points (used with three or more actions).

    Returns
    -------
    EquilibriumCheck
        Truthy iff no profitable deviation was found; ``str()`` names the player, the
        deviation and the gain.

    Examples
    --------
    >>> import gvcgames as gg
    >>> a, c = gg.parameters("a c", positive=True)
    >>> q1, q2 = gg.actions("q1 q2", nonnegative=True)
    >>> g = gg.ContinuousGame({"f1": (q1, (a - q1 - q2 - c) * q1), "f2": (q2, (a - q1 - q2 - c) * q2)})
    >>> bool(gg.is_equilibrium(g, {q1: (a - c) / 3, q2: (a - c) / 3}, {a: 10, c: 1}))
    True
    >>> print(gg.is_equilibrium(g, {q1: 1, q2: 1}, {a: 10, c: 1}).ok)
    False
    """
    numbers = numeric_values(game, values or {})
    if isinstance(game, SymmetricGame):
        return _check_symmetric(
            game, profile, numbers, tol, _Search(numbers, grid, search_radius, np.random.default_rng(seed))
        )
    if not isinstance(game, (ContinuousGame, SequentialGame)):
        checker = getattr(game, "_is_equilibrium", None)
        if checker is None:
            raise InvalidSpecError(f"is_equilibrium does not support {type(game).__name__} yet")
        return checker(profile, numbers, tol=tol)
    point = _numeric_profile(game, profile, numbers)
    outside = [
        f"{a} = {x:g} is outside its action set {a.domain}"
        for a, x in point.items()
        if a.domain.contains(sp.Float(x)) is sp.false and not _near_domain(a, x, numbers)
    ]
    if outside:
        conditions_hold = profile.holds_at(numbers) if isinstance(profile, Equilibrium) else None
        note = "; the equilibrium's stated conditions do not hold at these values" if conditions_hold is False else ""
        return EquilibriumCheck(False, (), tol, "action-set check", "; ".join(outside) + note, conditions_hold)
    conditions_hold = profile.holds_at(numbers) if isinstance(profile, Equilibrium) else None
    rng = np.random.default_rng(seed)
    search = _Search(numbers, grid, search_radius, rng)
    if isinstance(game, SequentialGame) and game.choice is not None:
        from gvcgames.solve.verify_choice import check_choice_game

        deviations, failures = check_choice_game(game, profile, point, search, tol)
        method = "one-shot deviations against numerically optimal final choices (brentq + quad over the type)"
    elif isinstance(game, SequentialGame):
        deviations, failures = _check_sequential(game, point, search, tol, profile)
        method = "one-shot deviations at every stage (path and random off-path histories): grid + local search"
    else:
        deviations = tuple(_best_deviation(p.name, p.actions, p.payoff, point, search) for p in game.players)
        failures = ()
        method = "grid + L-BFGS-B over each player's action set, others fixed"
    bad = [d for d in deviations if d.gain > tol * (1 + abs(d.payoff))]
    message = search.note()
    return EquilibriumCheck(
        ok=not bad and not failures,
        deviations=tuple(deviations),
        tolerance=tol,
        method=method,
        message=message,
        conditions_hold=conditions_hold,
        failures=tuple(failures),
    )


def _check_symmetric(
    game: SymmetricGame,
    profile: Equilibrium | Mapping[Any, Any],
    numbers: dict[sp.Symbol, float],
    tol: float,
    search: _Search,
) -> EquilibriumCheck:
    """Symmetric profile ``x = v`` for all: does one deviator gain against ``N - 1`` others playing ``v``?"""
    from gvcgames.spec.symmetric import player_count

    x, y = game.action, game.others
    n_value = numbers.get(game.N, game.N) if isinstance(game.N, sp.Symbol) else game.N
    try:
        n = int(player_count(n_value))
    except InvalidSpecError as exc:
        raise InvalidValuesError(str(exc)) from exc
    strategies = profile.strategies if isinstance(profile, Equilibrium) else profile
    if not isinstance(strategies, Mapping):
        raise InvalidValuesError(
            f"profile must be an Equilibrium or a mapping {{{x}: value}}, got {type(profile).__name__}"
        )
    unknown = [k for k in strategies if k not in (x, x.name)]
    if unknown or not strategies:
        raise InvalidValuesError(
            f"a symmetric profile gives one value for the representative action {x} (every player plays it), "
            f"got keys {list(strategies) or 'none'}"
        )
    (value,) = strategies.values()
    names = {s.name: s for s in (*numbers, x)}
    try:
        number = complex(sp.sympify(value, locals=names).subs(numbers).subs(game.N, n))
    except (sp.SympifyError, TypeError) as exc:
        raise InvalidValuesError(f"profile value of {x} is not a number at these values: {value!r}") from exc
    if abs(number.imag) > 1e-12 or not math.isfinite(number.real):
        raise InvalidValuesError(f"profile value of {x} is not a finite real number: {number}")
    v = number.real
    conditions_hold = profile.holds_at(numbers) if isinstance(profile, Equilibrium) else None
    if x.domain.contains(sp.Float(v)) is sp.false and not _near_domain(x, v, numbers):
        note = "; the equilibrium's stated conditions do not hold at these values" if conditions_hold is False else ""
        return EquilibriumCheck(False, (), tol, "action-set check", f"{x} = {v:g} is outside {x.domain}{note}")
    payoff = game.payoff.subs(game.N, n) if isinstance(game.N, sp.Symbol) else game.payoff
    search.numbers = {**numbers, **({game.N: float(n)} if isinstance(game.N, sp.Symbol) else {})}
    deviation = _best_deviation(
        f"a deviator against {n - 1} other{'s' if n != 2 else ''} playing {x} = {v:.6g}",
        (x,),
        payoff,
        {x: v, y: v},
        search,
    )
    ok = deviation.gain <= tol * (1 + abs(deviation.payoff))
    return EquilibriumCheck(
        ok=ok,
        deviations=(deviation,),
        tolerance=tol,
        method=f"symmetric profile with N = {n}: grid + bounded search over one deviator's action (by symmetry "
        "this checks every player)",
        message=search.note(),
        conditions_hold=conditions_hold,
    )


def numeric_values(game: Any, values: Mapping[Any, Any]) -> dict[sp.Symbol, float]:
    """Map every parameter of ``game`` to a float, checking domains and assumptions."""
    by_name = {s.name: s for s in game.parameters}
    out: dict[sp.Symbol, float] = {}
    for key, value in values.items():
        sym = by_name.get(key) if isinstance(key, str) else key
        if sym is None or sym not in game.parameters:
            if isinstance(key, str) or not getattr(key, "is_Symbol", False):
                raise InvalidValuesError(f"{key!r} is not a parameter of this game; parameters: {list(by_name)}")
            continue  # a symbol the game does not use: harmless
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise InvalidValuesError(f"value of {sym} must be a real number, got {value!r}") from exc
        if not math.isfinite(number):
            raise InvalidValuesError(f"value of {sym} must be finite, got {number}")
        if sym.domain.contains(sp.Float(number)) is sp.false:
            raise InvalidValuesError(f"{sym} = {number:g} is outside its domain {sym.domain}")
        out[sym] = number
    missing = [s.name for s in game.parameters if s not in out]
    if missing:
        raise InvalidValuesError(f"values are missing for parameters {missing}")
    for rel in game.assumptions.relations:
        if rel.subs(out) is sp.false:
            raise InvalidValuesError(f"the values violate the assumption {rel}")
    return out


def _numeric_profile(game: Game, profile: Any, numbers: Mapping[sp.Symbol, float]) -> dict[sp.Symbol, float]:
    strategies = profile.strategies if isinstance(profile, Equilibrium) else profile
    if not isinstance(strategies, Mapping):
        raise InvalidValuesError(
            f"profile must be an Equilibrium or a mapping action -> value, got {type(profile).__name__}"
        )
    by_name = {a.name: a for a in game.actions}
    point: dict[sp.Symbol, float] = {}
    for key, value in strategies.items():
        action = by_name.get(key) if isinstance(key, str) else key
        if action not in game.actions:
            raise InvalidValuesError(f"{key!r} in the profile is not an action of this game; actions: {list(by_name)}")
        names = {sym.name: sym for sym in (*numbers, *game.actions)}
        try:
            number = sp.sympify(value, locals=names).subs(numbers)
        except (sp.SympifyError, TypeError) as exc:
            raise InvalidValuesError(f"profile value of {action} is not a number or expression: {value!r}") from exc
        if not number.is_number:
            raise InvalidValuesError(
                f"profile value of {action} still depends on {sorted(map(str, number.free_symbols))}"
            )
        number = complex(number)
        if abs(number.imag) > 1e-12 or not math.isfinite(number.real):
            raise InvalidValuesError(f"profile value of {action} is not a finite real number: {number}")
        point[action] = number.real
    missing = [a.name for a in game.actions if a not in point]
    if missing:
        raise InvalidValuesError(f"the profile gives no value for actions {missing}")
    return point


def _near_domain(action: sp.Symbol, x: float, numbers: Mapping[sp.Symbol, float]) -> bool:
    lo, hi = (float(sp.sympify(e).subs(numbers)) for e in (action.lower, action.upper))
    scale = 1e-9 * (1 + abs(x))
    return lo - scale <= x <= hi + scale


class _Search:
    """Numeric search ranges and grids for action sets at fixed parameter values."""

    def __init__(self, numbers: Mapping[sp.Symbol, float], grid: int, radius: float | None, rng: np.random.Generator):
        self.numbers = dict(numbers)
        self.grid = grid
        self.radius = radius
        self.rng = rng
        self.truncated: set[str] = set()
        self.notes: list[str] = []

    def box(self, actions: Sequence[sp.Symbol], around: Mapping[sp.Symbol, float]) -> list[tuple[float, float]]:
        scale = max([1.0, *(abs(v) for v in self.numbers.values()), *(abs(v) for v in around.values())])
        radius = self.radius if self.radius is not None else 10 * scale
        box = []
        for a in actions:
            lo = float(sp.sympify(a.lower).subs(self.numbers).subs(around)) if a.lower != -sp.oo else -math.inf
            hi = float(sp.sympify(a.upper).subs(self.numbers).subs(around)) if a.upper != sp.oo else math.inf
            x = around.get(a, 0.0 if math.isinf(lo) else lo)
            if math.isinf(lo) or math.isinf(hi):
                self.truncated.add(a.name)
            lo = x - radius if math.isinf(lo) else lo
            hi = x + radius if math.isinf(hi) else hi
            shrink = 1e-9 * max(1.0, hi - lo)
            lo = lo + shrink if a.domain.left_open else lo
            hi = hi - shrink if a.domain.right_open else hi
            box.append((lo, hi))
        return box

    def points(self, box: list[tuple[float, float]], grid: int | None = None) -> np.ndarray:
        n = grid or self.grid
        if len(box) == 1:
            return np.linspace(*box[0], n)[:, None]
        if len(box) == 2:
            m = max(11, int(math.sqrt(n * 8)))
            xs, ys = (np.linspace(lo, hi, m) for lo, hi in box)
            return np.stack([g.ravel() for g in np.meshgrid(xs, ys)], axis=1)
        lows, highs = np.array(box).T
        return self.rng.uniform(lows, highs, size=(max(2000, n * 10), len(box)))

    def note(self) -> str:
        notes = list(self.notes)
        if self.truncated:
            notes.append(
                f"unbounded action sets {sorted(self.truncated)} were searched on a finite window around the candidate"
            )
        return "; ".join(notes)


def _lambdify(expr: sp.Expr, args: Sequence[sp.Symbol]) -> Callable[..., Any]:
    return sp.lambdify(list(args), expr, modules="numpy")


def _safe(values: Any, n: int) -> np.ndarray:
    arr = np.asarray(values, dtype=complex) * np.ones(n)
    out = arr.real.copy()
    out[~np.isfinite(arr.real) | (np.abs(arr.imag) > 1e-12)] = -np.inf
    return out


def _maximise(
    f_scalar: Callable[[np.ndarray], float],
    f_many: Callable[[np.ndarray], np.ndarray],
    box: list[tuple[float, float]],
    start: np.ndarray,
    search: _Search,
    grid: int | None = None,
    refine: int = 3,
) -> tuple[np.ndarray, float]:
    """Best point of a grid, refined locally from ``start`` and the ``refine`` best grid points.

    One dimension: bounded Brent search on the bracket around each point (x accurate to
    about sqrt(machine epsilon), which nested backward induction needs). More dimensions:
    L-BFGS-B with tight tolerances.
    """
    pts = search.points(box, grid)
    vals = f_many(pts)
    order = np.argsort(vals)[::-1][:refine]
    best_x, best_v = np.asarray(start, dtype=float), f_scalar(start)
    for i in order:
        if vals[i] > best_v:
            best_x, best_v = pts[i], float(vals[i])
    seeds = [np.asarray(start, dtype=float), *(pts[i] for i in order)]
    step = (box[0][1] - box[0][0]) / max(len(pts) - 1, 1) if len(box) == 1 else 0.0
    for x0 in seeds:
        if not np.isfinite(f_scalar(x0)):
            continue
        try:
            if len(box) == 1:
                lo, hi = max(box[0][0], x0[0] - step), min(box[0][1], x0[0] + step)
                if hi <= lo:
                    continue
                res = optimize.minimize_scalar(
                    lambda t: -f_scalar(np.array([t])),
                    bounds=(lo, hi),
                    method="bounded",
                    options={"xatol": 1e-13 * max(1.0, abs(x0[0]))},
                )
                x, v = np.array([res.x]), -float(res.fun)
            else:
                res = optimize.minimize(
                    lambda x: -f_scalar(x),
                    x0,
                    bounds=box,
                    method="L-BFGS-B",
                    options={"ftol": 1e-15, "gtol": 1e-11},
                )
                x, v = np.asarray(res.x, dtype=float), -float(res.fun)
        except (ValueError, FloatingPointError):
            continue
        if np.isfinite(v) and v > best_v:
            best_x, best_v = x, v
    return best_x, best_v


def _best_deviation(
    player: str, own: Sequence[sp.Symbol], payoff: sp.Expr, point: Mapping[sp.Symbol, float], search: _Search
) -> Deviation:
    others = {a: v for a, v in point.items() if a not in own}
    expr = payoff.subs(search.numbers).subs(others)
    func = _lambdify(expr, own)

    def f_scalar(x: np.ndarray) -> float:
        return float(_safe(func(*np.atleast_1d(x)), 1)[0])

    def f_many(pts: np.ndarray) -> np.ndarray:
        return _safe(func(*pts.T), len(pts))

    start = np.array([point[a] for a in own], dtype=float)
    box = search.box(own, point)
    best_x, best_v = _maximise(f_scalar, f_many, box, start, search)
    return Deviation(
        player, {a: point[a] for a in own}, dict(zip(own, map(float, best_x), strict=True)), f_scalar(start), best_v
    )


class _Backward:
    """Numeric backward induction at fixed parameter values."""

    def __init__(self, game: SequentialGame, search: _Search, anchor: Mapping[sp.Symbol, float]):
        self.stages = game.stages
        self.actions = list(game.actions)
        self.search = search
        self.anchor = anchor  # centre of the search windows on unbounded action sets
        self.funcs = [_lambdify(s.payoff.subs(search.numbers), self.actions) for s in self.stages]

    def value(self, k: int, profile: Mapping[sp.Symbol, Any]) -> Any:
        return self.funcs[k](*(profile[a] for a in self.actions))

    def respond(self, k: int, history: dict[sp.Symbol, float], grid: int = 21) -> dict[sp.Symbol, float]:
        """Numerically optimal play of stages ``k, k+1, ...`` after ``history``."""
        if k == len(self.stages):
            return {}
        own = self.stages[k].actions
        box = self.search.box(own, {**history, **{a: self.anchor[a] for a in own}})
        start = np.clip([self.anchor[a] for a in own], [b[0] for b in box], [b[1] for b in box])
        last = k == len(self.stages) - 1

        def scalar(x: np.ndarray) -> float:
            h = {**history, **dict(zip(own, map(float, np.atleast_1d(x)), strict=True))}
            return float(_safe(self.value(k, {**h, **self.respond(k + 1, h)}), 1)[0])

        def many(pts: np.ndarray) -> np.ndarray:
            if last:  # vectorised: nobody moves after this stage
                profile = {**history, **{a: pts[:, i] for i, a in enumerate(own)}}
                return _safe(self.value(k, profile), len(pts))
            return np.array([scalar(p) for p in pts])

        best_x, _ = _maximise(scalar, many, box, np.asarray(start, dtype=float), self.search, grid, refine=1)
        chosen = dict(zip(own, map(float, best_x), strict=True))
        return {**chosen, **self.respond(k + 1, {**history, **chosen})}


def _check_sequential(
    game: SequentialGame, point: Mapping[sp.Symbol, float], search: _Search, tol: float, profile: Any
) -> tuple[tuple[Deviation, ...], list[str]]:
    if isinstance(profile, Equilibrium) and _has_policies(game, profile):
        return _one_shot_deviations(game, profile, point, search, tol)
    # Only the path is known: later movers respond by nested numeric optimisation, whose
    # errors compound (about sqrt(eps) per level), so the tolerance is relaxed to 1e-5.
    search.notes.append("later stages responded by nested numeric optimisation (tolerance relaxed to 1e-5)")
    solver = _Backward(game, search, point)
    deviations = []
    for k, stage in enumerate(game.stages):
        history = {a: point[a] for s in game.stages[:k] for a in s.actions}
        path_value = float(solver.value(k, point))
        best = solver.respond(k, history, grid=41 if k < len(game.stages) - 1 else search.grid)
        best_value = float(solver.value(k, {**history, **best}))
        if k < len(game.stages) - 1 and best_value - path_value <= max(tol, 1e-5) * (1 + abs(path_value)):
            best_value = min(best_value, path_value)  # within the nested-search accuracy
        current = {a: point[a] for a in stage.actions}
        chosen = {a: best[a] for a in stage.actions}
        deviations.append(Deviation(f"stage {k + 1} ({stage.name})", current, chosen, path_value, best_value))
    return tuple(deviations), []


def _has_policies(game: SequentialGame, eq: Equilibrium) -> bool:
    return all(a in eq.policies for s in game.stages[1:] for a in s.actions)


def _one_shot_deviations(
    game: SequentialGame, eq: Equilibrium, point: Mapping[sp.Symbol, float], search: _Search, tol: float
) -> tuple[tuple[Deviation, ...], list[str]]:
    """One-shot deviation principle: at each stage and history, with later play by the policies.

    A profile of a finite-horizon game is subgame perfect iff no mover gains by deviating
    once at any history. Checked on the path and at random off-path histories.
    """
    numbers = search.numbers
    policies = {a: sp.sympify(v).subs(numbers) for a, v in eq.policies.items()}
    deviations, failures = [], []
    for k, stage in enumerate(game.stages):
        later = [a for s in game.stages[k + 1 :] for a in s.actions]
        payoff = stage.payoff.subs(numbers)
        for a in reversed(later):  # compose: later play as a function of this stage's history
            payoff = payoff.subs(a, policies[a])
        earlier = [a for s in game.stages[:k] for a in s.actions]
        on_path = {a: point[a] for a in earlier}
        dev = _best_deviation(f"stage {k + 1} ({stage.name})", stage.actions, payoff, {**on_path, **point}, search)
        deviations.append(dev)
        for _ in range(3 if earlier else 0):
            history = {}
            for a in earlier:
                ((lo, hi),) = search.box([a], {a: point[a]})
                history[a] = float(search.rng.uniform(lo, hi))
            played = {a: complex(policies[a].subs(history)) for a in stage.actions}
            if any(abs(v.imag) > 1e-12 or not math.isfinite(v.real) for v in played.values()):
                failures.append(f"{stage.name}'s policy is not a finite real number at history {history}")
                continue
            off = _best_deviation(
                stage.name, stage.actions, payoff, {**history, **{a: v.real for a, v in played.items()}}, search
            )
            if off.gain > tol * (1 + abs(off.payoff)):
                shown = {str(a): round(v, 6) for a, v in history.items()}
                failures.append(f"off the path, after {shown}: {off}")
    return tuple(deviations), failures
