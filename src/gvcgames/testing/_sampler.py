"""Conditional sampling of admissible parameter points (the engine behind the strategies).

The admissible set is ``{x : every domain and every relation holds}``. Points are drawn one
parameter at a time, each from its *conditional window* given the parameters drawn before
it, so tight assumptions do not starve the search:

1. **Elimination** (once, symbolically). A relation is normalised to ``g > 0`` (``g >= 0``),
   denominators of known sign cleared. If ``g`` is linear in a parameter ``t`` with a
   coefficient of known sign, it is a bound ``t > L`` or ``t < U`` with ``L``, ``U`` in the
   other parameters. Parameters are eliminated last-drawn first (the one most relations
   bound, integers last so that they are drawn first); every pair of a lower and an upper
   bound of ``t`` (domain ends included) gives the relation ``L < U`` on the remaining
   parameters (Fourier-Motzkin elimination). For linear relations this is exact: each
   window is the projection of the admissible set, and a pair of numbers ``L >= U``
   *proves* the set empty (the error names the relations involved). Thin sets such as
   ``a + b < 1/100`` or ``a b > 49/50`` on ``(0, 1)^2`` are thus drawn without rejection.
2. **Numeric fallback.** A relation that is not linear in any parameter with a known
   coefficient sign constrains its last-drawn parameter numerically: the relation is
   evaluated on a grid of the window (vectorised) and the draw lands in a feasible cell.
   Earlier parameters are not narrowed by it, so some draws are rejected; the strategies
   retry and fall back on a pool of points found by a seeded pilot run.
3. **Check.** Every domain, every relation (and, for regions, the region) is evaluated at
   the point with compiled (lambdified) functions; a point is only returned if all hold.

Each parameter's value comes from a unit ``u`` in ``[-1, 1]``: ``u = 0`` gives a *simple
value in the middle half of the window* (``5`` for the first parameter in ``(0, 10)``, then
``5.6``, ``3.6``, ...: round, but distinct across parameters so that the simplest point is
not on a knife edge such as ``D m p = Fbar c / 2``), ``u = +-1`` the ends (kept ``margin``
away from open ends and from relation bounds). Hypothesis shrinks units towards 0, so
failing examples shrink towards simple, non-degenerate values rather than towards a lower
end where every gain is tiny. Values are rounded to the coarsest decimal within 0.1 % of the
window, so they print readably. Integer parameters are drawn as integers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.errors import InvalidSpecError
from gvcgames.spec.symbols import Parameter

_GRID = 257  # grid points per numeric-fallback window
_MAX_RELATIONS = 400  # cap on relations created by elimination (beyond it: rejection)
_STEPS = (1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)
_GOLDEN = (math.sqrt(5) - 1) / 2
_CACHE: dict[Any, Any] = {}  # normalised relations and solved bounds, shared: regions repeat relations
_CACHE_SIZE = 20000


class EmptyAdmissibleSet(InvalidSpecError):
    """The admissible set is empty (proved) or looks empty (no point in many draws)."""


@dataclass(frozen=True)
class _Rel:
    """A normalised relation ``g > 0`` (strict) or ``g >= 0``, with where it came from."""

    g: sp.Expr
    strict: bool
    sources: tuple[str, ...]


@dataclass
class _Bound:
    expr: sp.Expr
    strict: bool  # a relation bound (keep a margin) or an open domain end
    sources: tuple[str, ...]
    args: tuple[sp.Symbol, ...] = ()
    func: Callable[..., Any] | None = None


@dataclass
class _Var:
    sym: Parameter
    integer: bool
    lower: list[_Bound] = field(default_factory=list)
    upper: list[_Bound] = field(default_factory=list)
    numeric: list[_Rel] = field(default_factory=list)
    numeric_funcs: list[tuple[tuple[sp.Symbol, ...], Callable[..., Any]]] = field(default_factory=list)
    fixed: sp.Expr | None = None  # set by an equality assumption
    fixed_func: tuple[tuple[sp.Symbol, ...], Callable[..., Any]] | None = None


def _compile(expr: sp.Expr, args: Sequence[sp.Symbol]) -> Callable[..., Any]:
    """A numpy function of ``args`` (scipy.special where needed; elementwise mpmath if numpy fails)."""
    fast = sp.lambdify(list(args), expr, modules=["scipy", "numpy"])
    slow: list[Any] = []

    def func(*values: Any) -> Any:
        try:
            return fast(*values)
        except (TypeError, ValueError, AttributeError, NameError):
            if not slow:
                slow.append(np.vectorize(sp.lambdify(list(args), expr, modules=["mpmath"]), otypes=[complex]))
            return slow[0](*values)

    return func


def _ordered(syms: Any) -> tuple[sp.Symbol, ...]:
    return tuple(sorted(syms, key=str))


def _text(rel: Any) -> str:
    return sp.sstr(rel, full_prec=False)


def _domain_text(p: Parameter) -> str:
    d = p.domain
    if isinstance(d, sp.Interval):
        left, right = "(" if d.left_open else "[", ")" if d.right_open else "]"
        return f"{p} in {left}{_text(d.inf)}, {_text(d.sup)}{right}"
    return f"{p} in {d}"


class ConditionalSampler:
    """Draws points of ``{domains} & relations`` one parameter at a time (see the module docstring).

    Parameters
    ----------
    params : sequence of Parameter
    relations : sequence of sympy Relational
        The assumptions (and, for a region, the region's conjuncts).
    check : sympy Boolean, optional
        An extra condition every returned point satisfies (e.g. a whole region).
    span, margin, bounds
        As for :func:`gvcgames.testing.admissible_parameters`.
    """

    def __init__(
        self,
        params: Sequence[Parameter],
        relations: Sequence[Any],
        *,
        check: Any = sp.true,
        span: float = 10.0,
        margin: float = 1e-2,
        bounds: Mapping[str, tuple[float, float]] | None = None,
    ) -> None:
        if not (math.isfinite(span) and span > 0):
            raise InvalidSpecError(f"span must be a positive finite width, got {span!r}")
        if not (0 <= margin < 0.5):
            raise InvalidSpecError(f"margin must be in [0, 0.5), got {margin!r}")
        bounds = dict(bounds or {})
        params = list(dict.fromkeys(params))
        more = set().union(*(sp.sympify(r).free_symbols for r in relations), sp.sympify(check).free_symbols)
        for s in _ordered(more - set(params)):
            if not isinstance(s, Parameter):
                raise InvalidSpecError(
                    f"the conditions use {s}, which is not a parameter (declare it with gg.parameters)"
                )
            params.append(s)
        for p in list(params):
            for end in (p.lower, p.upper):
                for s in _ordered(sp.sympify(end).free_symbols - set(params)):
                    if isinstance(s, Parameter):
                        params.append(s)
        unknown = sorted(set(bounds) - {p.name for p in params})
        if unknown:
            raise InvalidSpecError(
                f"bounds for {unknown}, which are not parameters; parameters: {[str(p) for p in params]}"
            )
        self.params: tuple[Parameter, ...] = tuple(params)
        self.relations = tuple(sp.sympify(r) for r in relations)
        self.span, self.margin, self.bounds = float(span), float(margin), bounds
        self.vars = {p: _Var(p, bool(p.is_integer)) for p in self.params}
        self._cache = _CACHE
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.clear()
        self.order = self._eliminate()
        self._needs_bounds()
        self._compile_all()
        self.check_expr = sp.And(*self._check_conditions(), sp.sympify(check))
        self._check_args = tuple(p for p in self.params if p in self.check_expr.free_symbols)
        self._check = _compile(self.check_expr, self._check_args) if self._check_args else None

    # --- elimination --------------------------------------------------------------------

    def _normalise(self, rel: Any, sources: tuple[str, ...]) -> list[_Rel] | None:
        """``rel`` as ``g > 0`` / ``g >= 0`` items; ``None`` for an equality (handled apart)."""
        if rel is sp.true:
            return []
        if rel is sp.false:
            raise EmptyAdmissibleSet(f"the condition {sources[0]} is False: the admissible set is empty")
        if isinstance(rel, sp.And):
            return [item for arg in rel.args for item in (self._normalise(arg, sources) or [])]
        if isinstance(rel, sp.Eq):
            return None
        if isinstance(rel, sp.Ne) or not isinstance(rel, sp.core.relational.Relational):
            return []  # measure zero, or not a relation: enforced by the final check only
        strict = isinstance(rel, (sp.StrictGreaterThan, sp.StrictLessThan))
        g = rel.lhs - rel.rhs if isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)) else rel.rhs - rel.lhs
        g = self._clean(g)
        if not g.free_symbols:
            if (g > 0) if strict else (g >= 0):
                return []
            raise EmptyAdmissibleSet(f"the condition {', '.join(sources)} never holds: the admissible set is empty")
        return [_Rel(g, strict, sources)]

    def _clean(self, g: sp.Expr) -> sp.Expr:
        key = ("clean", g)
        if key in self._cache:
            return self._cache[key]
        out = sp.together(g)
        num, den = sp.fraction(out)
        if den.is_positive:
            out = num
        elif den.is_negative:
            out = -num
        if out.is_Mul or (out.is_polynomial() and len(out.free_symbols) <= 6 and sp.count_ops(out) < 200):
            factored = sp.factor_terms(out)
            if factored.is_Mul:
                keep = []
                for f in factored.args:
                    if f.is_positive:
                        continue
                    if f.is_negative:
                        keep.append(sp.Integer(-1))
                        continue
                    keep.append(f)
                out = sp.Mul(*keep)
        out = sp.expand(out) if out.is_polynomial() and sp.count_ops(out) < 400 else out
        self._cache[key] = out
        return out

    def _linear(self, g: sp.Expr, t: sp.Symbol) -> tuple[str, sp.Expr] | None:
        """``("lower", L)`` if ``g > 0 <=> t > L``, ``("upper", U)`` if ``<=> t < U``; else ``None``."""
        key = ("linear", g, t)
        if key in self._cache:
            return self._cache[key]
        out = None
        if t in g.free_symbols:
            try:
                poly = sp.Poly(g, t)
            except sp.PolynomialError:
                poly = None
            if poly is not None and poly.degree() == 1:
                a, b = poly.all_coeffs()
                if not any(t in c.free_symbols for c in (a, b)):
                    if a.is_positive:
                        out = ("lower", -b / a)
                    elif a.is_negative:
                        out = ("upper", -b / a)
        self._cache[key] = out
        return out

    def _eliminate(self) -> list[Parameter]:
        pool: list[_Rel] = []
        equalities: list[tuple[Any, tuple[str, ...]]] = []
        for rel in self.relations:
            items = self._normalise(rel, (_text(rel),))
            if items is None:
                equalities.append((rel, (_text(rel),)))
            else:
                pool += items
        for rel, sources in equalities:
            pool = self._substitute_equality(rel, sources, pool)
        remaining = [p for p in self.params if self.vars[p].fixed is None]
        eliminated: list[Parameter] = []
        seen = {(r.g, r.strict) for r in pool}
        while remaining:
            t = self._pick(remaining, pool)
            remaining.remove(t)
            eliminated.append(t)
            var = self.vars[t]
            mine = [r for r in pool if t in r.g.free_symbols]
            pool = [r for r in pool if t not in r.g.free_symbols]
            for r in mine:
                lin = self._linear(r.g, t)
                if lin is None:
                    var.numeric.append(r)
                else:
                    side, expr = lin
                    (var.lower if side == "lower" else var.upper).append(_Bound(expr, True, r.sources))
            for side, end, is_open in (
                ("lower", t.lower, bool(t.domain.left_open)),
                ("upper", t.upper, bool(t.domain.right_open)),
            ):
                if end not in (sp.oo, -sp.oo):
                    (var.lower if side == "lower" else var.upper).append(_Bound(end, is_open, (_domain_text(t),)))
            if t.name in self.bounds:
                lo, hi = (sp.nsimplify(float(v)) for v in self.bounds[t.name])
                var.lower.append(_Bound(lo, False, (f"bounds[{t.name!r}]",)))
                var.upper.append(_Bound(hi, False, (f"bounds[{t.name!r}]",)))
            for lo_b in var.lower:
                for hi_b in var.upper:
                    derived = self._derive(t, lo_b, hi_b)
                    if derived is None:
                        continue
                    key = (derived.g, derived.strict)
                    if key not in seen and len(seen) < _MAX_RELATIONS:
                        seen.add(key)
                        pool.append(derived)
        return list(reversed(eliminated))

    def _derive(self, t: Parameter, lo: _Bound, hi: _Bound) -> _Rel | None:
        """The relation ``lo < hi`` on the other parameters (``None`` if it always holds)."""
        sources = tuple(dict.fromkeys(lo.sources + hi.sources))
        g = self._clean(hi.expr - lo.expr)
        strict = not self.vars[t].integer
        if not g.free_symbols:
            value = float(g)
            if value > 0 or (value == 0 and not strict):
                return None
            low, high = _text(sp.cancel(lo.expr)), _text(sp.cancel(hi.expr))
            if value == 0:
                raise EmptyAdmissibleSet(
                    f"the admissible set has measure zero: {', '.join(sources)} leave only {t} = {low}"
                )
            raise EmptyAdmissibleSet(
                f"the admissible set is empty: {', '.join(sources)} need {t} > {low} and "
                f"{t} < {high}, impossible ({low} >= {high})"
            )
        if g.is_positive or (not strict and g.is_nonnegative):
            return None
        if g.is_nonpositive and strict:
            raise EmptyAdmissibleSet(
                f"the admissible set is empty: {', '.join(sources)} need {_text(lo.expr)} < {t} < {_text(hi.expr)}, "
                f"but {_text(hi.expr - lo.expr)} is never positive"
            )
        return _Rel(g, strict, sources)

    def _substitute_equality(self, rel: Any, sources: tuple[str, ...], pool: list[_Rel]) -> list[_Rel]:
        g = self._clean(rel.lhs - rel.rhs)
        for t in sorted((s for s in g.free_symbols if s in self.vars and self.vars[s].fixed is None), key=str):
            if any(t in sp.sympify(e).free_symbols for p in self.params for e in (p.lower, p.upper)):
                continue
            lin = self._linear(g, t) or self._linear(-g, t)
            if lin is None:
                continue
            expr = lin[1]
            self.vars[t].fixed = expr
            for other in self.vars.values():
                if other.fixed is not None and other.sym != t:
                    other.fixed = other.fixed.subs(t, expr)
            out = []
            for r in pool:
                out.append(_Rel(self._clean(r.g.subs(t, expr)), r.strict, r.sources) if t in r.g.free_symbols else r)
            for end, op, is_open in ((t.lower, sp.Gt, t.domain.left_open), (t.upper, sp.Lt, t.domain.right_open)):
                if end not in (sp.oo, -sp.oo):
                    cond = op(expr, end) if is_open else (sp.Ge(expr, end) if op is sp.Gt else sp.Le(expr, end))
                    out += self._normalise(cond, (*sources, _domain_text(t))) or []
            return out
        raise InvalidSpecError(
            f"the equality {sources[0]} cannot be solved for one parameter linearly; "
            "give the model one parameter fewer (substitute it) instead"
        )

    def _pick(self, remaining: list[Parameter], pool: list[_Rel]) -> Parameter:
        """The parameter to draw last among ``remaining`` (eliminated first)."""
        depended = set().union(*(sp.sympify(e).free_symbols for p in remaining for e in (p.lower, p.upper)))
        candidates = [p for p in remaining if p not in depended] or list(remaining)

        def score(p: Parameter) -> tuple[int, int, int, str]:
            mine = [r for r in pool if p in r.g.free_symbols]
            solvable = sum(self._linear(r.g, p) is not None for r in mine)
            return (int(self.vars[p].integer), len(mine) - solvable, -solvable, str(p))

        return min(candidates, key=score)

    def _needs_bounds(self) -> None:
        for p in self.order:
            var = self.vars[p]
            if var.fixed is None and not var.lower and not var.upper:
                raise InvalidSpecError(
                    f"parameter {p} ranges over the whole real line; a bounded draw needs bounds: "
                    f"pass bounds={{'{p}': (lo, hi)}} or declare a domain"
                )

    def _compile_all(self) -> None:
        for var in self.vars.values():
            for b in (*var.lower, *var.upper):
                b.args = _ordered(b.expr.free_symbols)
                b.func = _compile(b.expr, b.args) if b.args else None
            var.numeric_funcs = [
                (_ordered(r.g.free_symbols), _compile(r.g, _ordered(r.g.free_symbols))) for r in var.numeric
            ]
            if var.fixed is not None:
                args = _ordered(var.fixed.free_symbols)
                var.fixed_func = (args, _compile(var.fixed, args))

    def _check_conditions(self) -> list[Any]:
        conds: list[Any] = []
        for p in self.params:
            lo, hi = p.lower, p.upper
            if lo != -sp.oo:
                conds.append(sp.Gt(p, lo) if p.domain.left_open else sp.Ge(p, lo))
            if hi != sp.oo:
                conds.append(sp.Lt(p, hi) if p.domain.right_open else sp.Le(p, hi))
        for rel in self.relations:
            if isinstance(rel, sp.Eq):  # floats meet an equality only up to rounding
                lhs, rhs = rel.lhs, rel.rhs
                conds.append(sp.Abs(lhs - rhs) <= 1e-9 * (1 + sp.Abs(lhs) + sp.Abs(rhs)))
            else:
                conds.append(rel)
        return conds

    # --- drawing ------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.order]

    def draw(self, units: np.ndarray) -> tuple[dict[Parameter, np.ndarray], np.ndarray]:
        """Map units in ``[-1, 1]`` (shape ``(n, k)``, columns in :attr:`order`) to points and a mask."""
        units = np.atleast_2d(np.asarray(units, dtype=float))
        n = units.shape[0]
        values: dict[Parameter, np.ndarray] = {}
        ok = np.ones(n, dtype=bool)
        for j, p in enumerate(self.order):
            var = self.vars[p]
            if var.fixed_func is not None:
                continue
            with np.errstate(all="ignore"):
                x, good = self._draw_one(var, values, units[:, j], n, j)
            values[p] = x
            ok &= good
        for p in self.params:
            var = self.vars[p]
            if var.fixed_func is not None:
                args, func = var.fixed_func
                with np.errstate(all="ignore"):
                    values[p] = _as_array(func(*(values[a] for a in args)), n)
        if self._check is not None and ok.any():
            with np.errstate(all="ignore"):
                passed = _as_array(self._check(*(values[a] for a in self._check_args)), n, dtype=bool)
            ok &= passed
        for p in self.params:
            ok &= np.isfinite(values[p])
        return values, ok

    def _end(self, b: _Bound, values: Mapping[Parameter, np.ndarray], n: int) -> np.ndarray:
        if b.func is None:
            return np.full(n, float(b.expr))
        return _as_array(b.func(*(values[a] for a in b.args)), n)

    def _draw_one(
        self, var: _Var, values: Mapping[Parameter, np.ndarray], u: np.ndarray, n: int, j: int
    ) -> tuple[np.ndarray, np.ndarray]:
        lo, lo_pad = np.full(n, -np.inf), np.zeros(n, dtype=bool)
        hi, hi_pad = np.full(n, np.inf), np.zeros(n, dtype=bool)
        for b in var.lower:
            v = self._end(b, values, n)
            tighter = v >= lo
            lo_pad = np.where(v > lo, b.strict, np.where(tighter, lo_pad | b.strict, lo_pad))
            lo = np.fmax(lo, v)
        for b in var.upper:
            v = self._end(b, values, n)
            tighter = v <= hi
            hi_pad = np.where(v < hi, b.strict, np.where(tighter, hi_pad | b.strict, hi_pad))
            hi = np.fmin(hi, v)
        lo_inf, hi_inf = ~np.isfinite(lo), ~np.isfinite(hi)
        lo = np.where(lo_inf & ~hi_inf, hi - self.span, lo)
        hi = np.where(hi_inf & ~lo_inf, lo + self.span, hi)
        lo_pad |= lo_inf
        hi_pad |= hi_inf
        if var.integer:
            return _integers(lo, hi, lo_pad, hi_pad, u, j)
        width = hi - lo
        step = self.margin * np.minimum(1.0, np.abs(width))
        low, high = np.where(lo_pad, lo + step, lo), np.where(hi_pad, hi - step, hi)
        good = np.isfinite(low) & np.isfinite(high) & (high > low)
        low, high = np.where(good, low, 0.0), np.where(good, high, 1.0)
        if var.numeric:
            x, inside = self._numeric_draw(var, values, low, high, u, n)
            return x, good & inside
        anchor = _anchor(low, high, j)
        x = np.where(u >= 0, anchor + u * (high - anchor), anchor + u * (anchor - low))
        x = _readable(x, low, high)
        return np.where(good, x, np.nan), good

    def _numeric_draw(
        self,
        var: _Var,
        values: Mapping[Parameter, np.ndarray],
        low: np.ndarray,
        high: np.ndarray,
        u: np.ndarray,
        n: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        frac = np.linspace(0.0, 1.0, _GRID)
        grid = low[:, None] + (high - low)[:, None] * frac[None, :]
        feasible = np.ones((n, _GRID), dtype=bool)
        for (args, func), rel in zip(var.numeric_funcs, var.numeric, strict=True):
            cols = [grid if a == var.sym else values[a][:, None] for a in args]
            out = np.broadcast_to(np.real(np.asarray(func(*cols), dtype=complex)), (n, _GRID))
            feasible &= (out > 0) if rel.strict else (out >= 0)
        x = np.full(n, np.nan)
        inside = np.zeros(n, dtype=bool)
        for i in range(n):
            cells = np.flatnonzero(feasible[i])
            if cells.size == 0:
                continue
            k = cells.size
            s0 = (k - 1) / 2
            s = s0 + u[i] * ((k - 1 - s0) if u[i] >= 0 else s0)
            j = min(math.floor(s), k - 1)
            point = grid[i, cells[j]]
            if j + 1 < k and cells[j + 1] == cells[j] + 1:
                point += (s - j) * (grid[i, cells[j + 1]] - grid[i, cells[j]])
            x[i], inside[i] = point, True
        return x, inside

    def pilot(self, n: int, seed: int = 0) -> tuple[list[dict[str, float]], dict[str, int]]:
        """Admissible points from ``n`` seeded draws, and why the others were rejected."""
        rng = np.random.default_rng(seed)
        units = rng.uniform(-1.0, 1.0, size=(n, len(self.order)))
        values, ok = self.draw(units)
        points = [self.point(values, int(i)) for i in np.flatnonzero(ok)]
        return points, self._reasons(values, ok)

    def point(self, values: Mapping[Parameter, np.ndarray], i: int = 0) -> dict[str, float]:
        out: dict[str, float] = {}
        for p in self.params:
            v = float(values[p][i])
            out[p.name] = round(v) if self.vars[p].integer else v  # type: ignore[assignment]
        return out

    def _reasons(self, values: Mapping[Parameter, np.ndarray], ok: np.ndarray) -> dict[str, int]:
        """Rejected draws by the first condition that failed (or the empty window)."""
        reasons: dict[str, int] = {}
        bad = ~ok
        if not bad.any():
            return reasons
        n = ok.size
        empty = np.zeros(n, dtype=bool)
        for p in self.order:
            miss = bad & ~empty & ~np.isfinite(values[p])
            if miss.any():
                var = self.vars[p]
                srcs = {s for b in (*var.lower, *var.upper) for s in b.sources} | {
                    s for r in var.numeric for s in r.sources
                }
                key = f"no room for {p} ({'; '.join(sorted(srcs))})"
                reasons[key] = reasons.get(key, 0) + int(miss.sum())
                empty |= miss
        rest = bad & ~empty
        for cond in self._check_conditions():
            if not rest.any():
                break
            args = _ordered(cond.free_symbols)
            with np.errstate(all="ignore"):
                held = _as_array(_compile(cond, args)(*(values[a] for a in args)), n, dtype=bool)
            fail = rest & ~held
            if fail.any():
                reasons[_text(cond)] = reasons.get(_text(cond), 0) + int(fail.sum())
                rest &= held
        if rest.any():
            reasons["the region"] = int(rest.sum())
        return reasons

    def domains(self) -> str:
        """The domains as ``a in (0, 1), ...``."""
        return ", ".join(_domain_text(p) for p in self.params)

    def describe(self) -> str:
        """The draw order and each parameter's conditional window, for messages."""
        parts = []
        for p in self.order:
            var = self.vars[p]
            lows = ", ".join(_text(b.expr) for b in var.lower) or "-oo"
            highs = ", ".join(_text(b.expr) for b in var.upper) or "oo"
            extra = f"; numerically: {', '.join(_text(r.g) + ' > 0' for r in var.numeric)}" if var.numeric else ""
            parts.append(f"{p} in (max({lows}), min({highs})){extra}")
        return "; ".join(parts)


def _as_array(value: Any, n: int, dtype: Any = float) -> np.ndarray:
    arr = np.asarray(value)
    if np.iscomplexobj(arr):
        arr = np.where(np.abs(arr.imag) <= 1e-12 * (1 + np.abs(arr.real)), arr.real, np.nan)
    return np.broadcast_to(arr.astype(dtype), (n,)).copy()


def _anchor(low: np.ndarray, high: np.ndarray, j: int = 0) -> np.ndarray:
    """A simple, generic value in the middle half of each window: the shrink target of the ``j``-th draw.

    The ``j``-th parameter aims at a relative position ``0.5 + 0.25 g_j`` of its window
    (``g_j`` in ``[-1, 1)`` from the golden-ratio sequence, ``g_0 = 0``), rounded to the
    coarsest step of the 1-2-5 series within 2 % of the window: ``5`` for the first parameter
    in ``(0, 10)``, then ``5.6``, ``3.6``, ``6.8``... Distinct parameters thus shrink to
    distinct round numbers, not all to the same one, which would put points on knife edges
    such as ``D m p = Fbar c / 2``.
    """
    width = high - low
    g = 2 * ((j * _GOLDEN) % 1.0) - 1 if j else 0.0
    target = low + width * (0.5 + 0.25 * g)
    with np.errstate(all="ignore"):
        base = 10.0 ** (np.floor(np.log10(np.where(width > 0, width, 1.0))) + 1)
    out = target.copy()
    found = ~(width > 0)
    for f in _STEPS:
        step = base * f
        cand = np.rint(target / step) * step
        take = ~found & (np.abs(cand - target) <= width / 50) & (cand >= low + width / 4) & (cand <= high - width / 4)
        out = np.where(take, cand, out)
        found |= take
    return np.array([float(f"{v:.12g}") for v in out]) if out.size else out


def _readable(x: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """``x`` rounded to the coarsest decimal within 0.1 % of the window (and inside it)."""
    width = high - low
    out = x.copy()
    done = ~(width > 0) | ~np.isfinite(x)
    with np.errstate(all="ignore"):
        top = np.floor(np.log10(np.where(width > 0, width, 1.0)))
    for k in range(-1, 8):
        step = 10.0 ** (top - k)
        cand = np.rint(x / step) * step
        take = ~done & (np.abs(cand - x) <= 1e-3 * width) & (cand >= low) & (cand <= high)
        out = np.where(take, cand, out)
        done |= take
    return np.array([float(f"{v:.12g}") if np.isfinite(v) else v for v in out]) if out.size else out


def _integers(
    lo: np.ndarray, hi: np.ndarray, lo_open: np.ndarray, hi_open: np.ndarray, u: np.ndarray, j: int
) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        low = np.where(lo_open & (np.floor(lo) == lo), lo + 1, np.ceil(lo))
        high = np.where(hi_open & (np.ceil(hi) == hi), hi - 1, np.floor(hi))
    good = np.isfinite(low) & np.isfinite(high) & (high >= low)
    low, high = np.where(good, low, 0.0), np.where(good, high, 0.0)
    anchor = np.rint(_anchor(low, high, j))
    x = np.where(u >= 0, anchor + u * (high - anchor), anchor + u * (anchor - low))
    x = np.clip(np.rint(x), low, high)
    return np.where(good, x, np.nan), good


def game_parameters(game: Any) -> tuple[list[Parameter], list[Any]]:
    """A game's parameters and assumption relations."""
    params = list(getattr(game, "parameters", ()))
    assumptions = getattr(game, "assumptions", None)
    relations = list(getattr(assumptions, "relations", ()) or ())
    return params, relations
