"""Assertions for property tests: equilibrium, symbolic vs numeric, signs of comparative statics.

Each fails with an ``AssertionError`` whose message a theorist can act on: the parameter
point as a dict that can be pasted back (``{'a': 5.0, 'c': 2.0}``), the player, the deviation
and the gain, or the numbers that differ.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.errors import UnsupportedError
from gvcgames.solve.verify import EquilibriumCheck, is_equilibrium
from gvcgames.spec.finite import NormalFormGame
from gvcgames.spec.games import ContinuousGame, SequentialGame
from gvcgames.spec.symmetric import SymmetricGame

SUPPORTED = "ContinuousGame, SequentialGame (with or without a final Choice), SymmetricGame and NormalFormGame"


def pasteable(values: Mapping[Any, Any]) -> dict[str, Any]:
    """``values`` as ``{name: int or float}``: what a failing test prints, valid Python to paste back."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        name = getattr(key, "name", str(key))
        if isinstance(value, (bool, np.bool_)):
            out[name] = bool(value)
        elif isinstance(value, (int, np.integer, sp.Integer)):
            out[name] = int(value)
        else:
            try:
                out[name] = float(value)
            except (TypeError, ValueError):
                out[name] = value
    return out


def assert_equilibrium(game: Any, profile: Any, values: Mapping[Any, Any], **kwargs: Any) -> EquilibriumCheck:
    """Fail with the player, the deviation and the gain if ``profile`` is not an equilibrium.

    ``kwargs`` go to :func:`gvcgames.is_equilibrium` (``tol``, ``grid``, ...).

    Examples
    --------
    >>> import gvcgames as gg
    >>> game = gg.models.cournot()
    >>> q1, q2 = game.actions
    >>> assert_equilibrium(game, {q1: 1, q2: 3}, {"a": 10, "b": 1, "c": 1})
    Traceback (most recent call last):
    ...
    AssertionError: not an equilibrium at {'a': 10, 'b': 1, 'c': 1}:
    ...
    """
    check = is_equilibrium(game, profile, values, **kwargs)
    if not check:
        raise AssertionError(f"not an equilibrium at {pasteable(values)}:\n{check}")
    return check


# --- symbolic vs numeric --------------------------------------------------------------------


def assert_symbolic_matches_numeric(eq: Any, values: Mapping[Any, Any], tol: float = 1e-8) -> None:
    """Fail unless the symbolic equilibrium agrees with an independent numeric solve.

    * ``ContinuousGame``: a numeric KKT point (natural map + scipy root) started at the
      symbolic one must coincide with it.
    * ``SymmetricGame``: the same with ``N`` explicit players (``game.with_players(N)``), so
      ``N`` must be an integer in ``values`` (or fixed in the game).
    * ``SequentialGame``: numeric backward induction (grid + bounded Brent/L-BFGS-B at every
      stage; a final ``Choice`` is played optimally type by type, as in
      :func:`gvcgames.is_equilibrium`) must reach the same path, or one that gives every
      mover the same payoff (a tie); stated outcome probabilities must match.
    * ``NormalFormGame``, two players: the profile must be one of the extreme equilibria
      found by the library's complete vertex enumeration
      (:func:`gvcgames.solve.bimatrix.all_equilibria`), or lie in one of its maximal Nash
      subsets (degenerate games: connected components of equilibria). More players: a
      pure profile must be among the numeric pure equilibria (``method="pure"``); a mixed
      one is checked by exact expected payoffs (:func:`gvcgames.is_equilibrium`).

    Raises
    ------
    AssertionError
        The two disagree; the message gives both and the parameter point.
    UnsupportedError
        Another kind of game.
    """
    game = getattr(eq, "game", None)
    point = pasteable(values)
    if isinstance(game, ContinuousGame):
        _continuous(eq, game, values, point, tol)
    elif isinstance(game, SymmetricGame):
        _symmetric(eq, game, values, point, tol)
    elif isinstance(game, SequentialGame):
        _sequential(eq, game, values, point)
    elif isinstance(game, NormalFormGame):
        _finite(eq, game, values, point, tol)
    else:
        raise UnsupportedError(
            f"assert_symbolic_matches_numeric supports {SUPPORTED}; got "
            f"{type(game).__name__ if game is not None else 'an equilibrium without its game (eq.game is None)'}"
        )


def _continuous(eq: Any, game: ContinuousGame, values: Mapping[Any, Any], point: dict, tol: float) -> None:
    from gvcgames.solve.numeric import kkt_point

    symbolic = eq.at(values)
    found = kkt_point(game, values, starts=[symbolic])
    if not found.converged:
        raise AssertionError(f"at {point} the numeric solve did not converge: {found.message}")
    diffs = {str(a): (x, found[a]) for a, x in symbolic.items() if abs(found[a] - x) > tol * (1 + abs(x))}
    if diffs:
        raise AssertionError(f"at {point} symbolic and numeric equilibria differ (symbolic, numeric): {diffs}")


def _symmetric(eq: Any, game: SymmetricGame, values: Mapping[Any, Any], point: dict, tol: float) -> None:
    from gvcgames.solve.numeric import kkt_point

    by_name = {getattr(k, "name", str(k)): v for k, v in values.items()}
    if isinstance(game.N, sp.Symbol):
        raw = by_name.get(game.N.name)
        if raw is None:
            raise AssertionError(f"a value for the number of players {game.N} is needed; got {point}")
        n_float = float(raw)
        if not (n_float.is_integer() and n_float >= 1):
            raise AssertionError(f"the number of players {game.N} = {raw!r} is not a positive integer at {point}")
        n = int(n_float)
    else:
        n = int(game.N)
    rest = {k: v for k, v in by_name.items() if not (isinstance(game.N, sp.Symbol) and k == game.N.name)}
    explicit = game.with_players(n)
    x_star = float(sp.sympify(eq[game.action]).subs({**_symbols_for(eq[game.action], by_name)}))
    acts = list(explicit.actions)
    wanted = {k: v for k, v in rest.items() if k in {p.name for p in explicit.parameters}}
    found = kkt_point(explicit, wanted, starts=[dict.fromkeys(acts, x_star)])
    if not found.converged:
        raise AssertionError(
            f"at {point} the numeric solve with {n} explicit players did not converge: {found.message}"
        )
    diffs = {str(a): (x_star, found[a]) for a in acts if abs(found[a] - x_star) > tol * (1 + abs(x_star))}
    if diffs:
        raise AssertionError(
            f"at {point} the symmetric equilibrium {game.action} = {x_star:.10g} differs from the numeric KKT point of "
            f"the game with {n} explicit players (symbolic, numeric): {diffs}"
        )


def _symbols_for(expr: Any, by_name: Mapping[str, Any]) -> dict[sp.Symbol, float]:
    return {s: float(by_name[s.name]) for s in sp.sympify(expr).free_symbols if s.name in by_name}


# numeric backward induction ----------------------------------------------------------------


class _Stages:
    """Numerically optimal play of the stages of a sequential game at fixed parameter values."""

    def __init__(self, game: SequentialGame, numbers: Mapping[sp.Symbol, float], anchor: Mapping[sp.Symbol, float]):
        self.game = game
        self.numbers = dict(numbers)
        self.anchor = dict(anchor)
        self.actions = list(game.actions)
        self.lottery = None
        if game.choice is not None:
            from gvcgames.solve.verify_choice import ChoiceLottery

            self.lottery = ChoiceLottery(game.choice, self.numbers, self.actions)
        self.funcs: list[Callable[..., Any]] = []
        for stage in game.stages:
            if self.lottery is None and stage.payoff is not None:
                self.funcs.append(sp.lambdify(self.actions, stage.payoff.subs(self.numbers), "numpy"))
        scale = max([1.0, *(abs(v) for v in self.numbers.values()), *(abs(v) for v in self.anchor.values())])
        self.radius = 10 * scale

    def value(self, k: int, profile: Mapping[sp.Symbol, float]) -> float:
        if self.lottery is not None:
            return float(self.lottery.evaluate(profile)[0][self.game.stages[k].name])
        out = complex(self.funcs[k](*(profile[a] for a in self.actions)))
        return out.real if abs(out.imag) < 1e-12 and math.isfinite(out.real) else -math.inf

    def box(self, action: sp.Symbol, history: Mapping[sp.Symbol, float]) -> tuple[float, float]:
        subs = {**self.numbers, **history}
        lo = -math.inf if action.lower == -sp.oo else float(sp.sympify(action.lower).subs(subs))
        hi = math.inf if action.upper == sp.oo else float(sp.sympify(action.upper).subs(subs))
        centre = self.anchor.get(action, 0.0)
        lo = centre - self.radius if math.isinf(lo) else lo
        hi = centre + self.radius if math.isinf(hi) else hi
        return lo, hi

    def respond(self, k: int, history: dict[sp.Symbol, float]) -> dict[sp.Symbol, float]:
        if k == len(self.game.stages):
            return {}
        from scipy import optimize

        own = list(self.game.stages[k].actions)
        grid = 41 if k == len(self.game.stages) - 1 else 21
        box = [self.box(a, history) for a in own]

        def f(x: np.ndarray) -> float:
            h = {**history, **dict(zip(own, map(float, np.atleast_1d(x)), strict=True))}
            return self.value(k, {**h, **self.respond(k + 1, h)})

        if len(own) == 1:
            (lo, hi) = box[0]
            xs = np.linspace(lo, hi, grid)
            anchor = self.anchor.get(own[0])
            if anchor is not None and lo <= anchor <= hi:
                xs = np.sort(np.append(xs, anchor))
            vals = np.array([f(np.array([x])) for x in xs])
            best = int(np.argmax(vals))
            best_x, best_v = float(xs[best]), float(vals[best])
            eps = 1e-9 * (hi - lo)  # the bracket's ends are grid points clearly apart from the best one
            below, above = xs[xs < best_x - eps], xs[xs > best_x + eps]
            left = float(below.max()) if below.size else best_x
            right = float(above.min()) if above.size else best_x
            if right > left:
                res = optimize.minimize_scalar(
                    lambda t: -f(np.array([t])), bounds=(left, right), method="bounded", options={"xatol": 1e-12}
                )
                if -float(res.fun) > best_v:
                    best_x, best_v = float(res.x), -float(res.fun)
            chosen = {own[0]: best_x}
        else:
            start = np.array(
                [min(max(self.anchor.get(a, (lo + hi) / 2), lo), hi) for a, (lo, hi) in zip(own, box, strict=True)]
            )
            res = optimize.minimize(lambda x: -f(x), start, bounds=box, method="L-BFGS-B")
            chosen = dict(zip(own, map(float, res.x), strict=True))
        return {**chosen, **self.respond(k + 1, {**history, **chosen})}


def _sequential(eq: Any, game: SequentialGame, values: Mapping[Any, Any], point: dict) -> None:
    from gvcgames.solve.verify import numeric_values

    numbers = numeric_values(game, values)
    symbolic = eq.at(values)
    stages = _Stages(game, numbers, symbolic)
    numeric = stages.respond(0, {})
    close = all(abs(numeric[a] - symbolic[a]) <= 1e-4 * (1 + abs(symbolic[a])) for a in symbolic)
    if not close:
        gains = []
        for k, stage in enumerate(game.stages):
            history = {a: symbolic[a] for s in game.stages[:k] for a in s.actions}
            best = stages.respond(k, history)
            on_path, off = stages.value(k, symbolic), stages.value(k, {**history, **best})
            if off - on_path > 1e-6 * (1 + abs(on_path)):
                gains.append(f"stage {k + 1} ({stage.name}) gets {off:.10g} > {on_path:.10g}")
        if gains:
            diffs = {str(a): (symbolic[a], numeric[a]) for a in symbolic}
            raise AssertionError(
                f"at {point} the symbolic path differs from numeric backward induction (symbolic, numeric): {diffs}; "
                f"{'; '.join(gains)}"
            )
    outcomes = getattr(eq, "outcomes", {}) or {}
    if stages.lottery is not None and outcomes:
        _, probs = stages.lottery.evaluate(symbolic)
        for action, number in probs.items():
            key = f"Pr({game.choice.player}: {action})"
            if key in outcomes:
                stated = float(sp.sympify(outcomes[key]).subs(numbers))
                if abs(stated - number) > 1e-6:
                    raise AssertionError(
                        f"at {point} {key} is {stated:.10g} symbolically but {number:.10g} numerically"
                    )


# finite games -------------------------------------------------------------------------------


def _in_hull(vertices: Sequence[np.ndarray], x: np.ndarray, tol: float) -> bool:
    from scipy.optimize import nnls

    V = np.array([np.asarray(v, dtype=float) for v in vertices]).T  # (dim, k)
    weight = 1e3
    lhs = np.vstack([V, weight * np.ones((1, V.shape[1]))])
    rhs = np.concatenate([x, [weight]])
    lam, _ = nnls(lhs, rhs)
    return bool(np.max(np.abs(V @ lam - x)) <= tol and abs(lam.sum() - 1) <= tol)


def _finite(eq: Any, game: NormalFormGame, values: Mapping[Any, Any], point: dict, tol: float) -> None:
    from gvcgames.errors import DegenerateGameWarning

    ours = eq.at(values)
    numeric_game = game.at(values)
    atol = max(tol, 1e-9)
    if len(game.players) != 2:
        pure = getattr(eq, "pure_profile", None)
        if pure is None:
            check = is_equilibrium(numeric_game, eq, {})
            if not check:
                raise AssertionError(f"at {point} the mixed profile {ours} is not an equilibrium:\n{check}")
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DegenerateGameWarning)
            found = numeric_game.equilibria(method="pure")
        profiles = [getattr(e, "pure_profile", None) for e in found]
        if tuple(pure) not in profiles:
            raise AssertionError(f"at {point} the numeric pure equilibria {profiles} do not include {tuple(pure)}")
        return
    from gvcgames.solve.bimatrix import all_equilibria

    A, B = numeric_game.numeric()
    x, y = (
        np.array([ours[p][a] for a in acts], dtype=float) for p, acts in zip(game.players, game.actions, strict=True)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateGameWarning)
        res = all_equilibria(A, B)
    extreme = [(np.asarray(a, dtype=float), np.asarray(b, dtype=float)) for a, b in res.equilibria]
    if any(np.allclose(x, a, atol=atol) and np.allclose(y, b, atol=atol) for a, b in extreme):
        return
    for subset in res.nash_subsets:
        if _in_hull(subset.row, x, 10 * atol) and _in_hull(subset.col, y, 10 * atol):
            return
    shown = [(np.round(a, 6).tolist(), np.round(b, 6).tolist()) for a, b in extreme]
    subsets = [
        ([np.round(r, 6).tolist() for r in s.row], [np.round(c, 6).tolist() for c in s.col]) for s in res.nash_subsets
    ]
    raise AssertionError(
        f"at {point} the profile ({x.tolist()}, {y.tolist()}) is not among the equilibria of the complete vertex "
        f"enumeration {shown}" + (f" nor in its maximal Nash subsets {subsets}" if res.degenerate else "")
    )


# --- signs ---------------------------------------------------------------------------------


_WORDS = {"> 0": "+", "< 0": "-", "= 0": "0", ">= 0": ">=0", "<= 0": "<=0", "positive": "+", "negative": "-", "?": "?"}


def _sign_text(sign: Any) -> str:
    text = str(getattr(sign, "value", sign))
    return _WORDS.get(text, text)


def _holds(cond: Any, values: Mapping[Any, Any]) -> bool | None:
    cond = sp.sympify(cond)
    if cond in (sp.true, sp.false):
        return bool(cond)
    by_name = {getattr(k, "name", str(k)): v for k, v in values.items()}
    subs = {s: by_name[s.name] for s in cond.free_symbols if s.name in by_name}
    out = cond.subs(subs)
    return bool(out) if out in (sp.true, sp.false) else None


def _observed(number: float, claimed: str, tol: float) -> bool:
    return {
        "+": number > 0,
        "-": number < 0,
        "0": abs(number) <= tol,
        ">=0": number >= -tol,
        "<=0": number <= tol,
    }[claimed]


def assert_sign(result: Any, values: Mapping[Any, Any], tol: float = 1e-9) -> None:
    """Fail unless the sign a comparative-statics result claims holds at ``values``.

    ``result`` is a :class:`gvcgames.statics.StaticsResult` (``gg.comparative_statics(...)``)
    or any object with ``derivative`` and ``sign``. What is checked depends on the claim:

    * the point must be in the result's ``region`` (the equilibrium's conditions), else
      the result claims nothing there and the assertion says so;
    * ``proved on box``: the point must be in the box the proof covered (the message says
      the claim was limited to the box if not), then the sign is checked;
    * ``conditional`` (``Sign.UNKNOWN`` with ``conditions``): the sign whose condition
      holds at the point is the claim there, e.g. ``dR*/dp > 0`` where ``e* < 1/2``;
    * otherwise (``proved``, ``sampled``): the stated sign.

    ``tol`` is the zero band for claims ``0``, ``>= 0`` and ``<= 0``.

    Raises
    ------
    AssertionError
        The derivative at the point has another sign than claimed there, the point is
        outside the region or box, or nothing is claimed at the point.
    """
    derivative = sp.sympify(result.derivative)
    point = pasteable(values)
    by_name = {getattr(k, "name", str(k)): v for k, v in values.items()}
    missing = sorted(str(s) for s in derivative.free_symbols if s.name not in by_name)
    if missing:
        raise AssertionError(f"values for {missing} are needed to evaluate {derivative}; got {point}")
    number = complex(derivative.subs({s: by_name[s.name] for s in derivative.free_symbols}))
    if abs(number.imag) > 1e-12 * (1 + abs(number.real)) or not math.isfinite(number.real):
        raise AssertionError(f"the derivative {derivative} is not a finite real number at {point}: {number}")
    value = number.real
    label = getattr(result, "label", "the derivative")
    region = getattr(result, "region", sp.true)
    if _holds(region, values) is False:
        raise AssertionError(
            f"{label}: the point {point} is outside the region where the result applies ({sp.sstr(region)}); "
            "it claims nothing there (draw points with gvcgames.testing.regions(...))"
        )
    certificate = str(getattr(result, "certificate", ""))
    claimed = _sign_text(getattr(result, "sign", "?"))
    where = ""
    if certificate == "proved on box":
        box = getattr(getattr(result, "evidence", None), "box", None) or {}
        outside = {
            str(p): (lo, hi) for p, (lo, hi) in box.items() if not (lo <= float(by_name.get(str(p), math.nan)) <= hi)
        }
        if outside:
            text = ", ".join(f"{p} = {by_name.get(p)} not in [{lo:g}, {hi:g}]" for p, (lo, hi) in outside.items())
            raise AssertionError(
                f"{label}: the sign {claimed} was proved only on the box "
                f"{ {str(p): tuple(b) for p, b in box.items()} }, and the point {point} is outside it ({text}); "
                f"the derivative is {value:.6g} there, which the result does not claim anything about"
            )
        where = " (proved on the box)"
    if claimed == "?":
        conditions = getattr(result, "conditions", {}) or {}
        holding = [s for s, cond in conditions.items() if _holds(cond, values) is True]
        if not holding:
            raise AssertionError(
                f"{label}: the result claims no definite sign ({certificate or 'unknown'}), and none of its conditions "
                f"{ {_sign_text(s): sp.sstr(c) for s, c in conditions.items()} } holds at {point}; nothing to assert"
            )
        sign = holding[0]
        claimed = _sign_text(sign)
        where = f" where {sp.sstr(conditions[sign])} (the condition holds at this point)"
    if claimed not in ("+", "-", "0", ">=0", "<=0"):
        raise AssertionError(f"{label}: unknown sign {claimed!r}; nothing to assert at {point}")
    if not _observed(value, claimed, tol):
        note = f" [{certificate}]" if certificate else ""
        raise AssertionError(
            f"{label}: claimed sign {claimed}{where}{note} but the derivative {sp.sstr(derivative)} "
            f"is {value:.6g} at {point}"
        )
