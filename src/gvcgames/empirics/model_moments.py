"""Model moments: a map from parameters ``theta`` to predicted moments ``m(theta)``.

Three kinds, one interface (``names``, ``parameters``, ``bounds``, ``__call__(theta)``):

* :class:`ClosedFormMoments` -- sympy expressions (e.g. PR's relocation share ``R*(theta)`` from a
  solved equilibrium, :meth:`ClosedFormMoments.from_equilibrium`), lambdified once with numpy;
* :class:`SimulatedMoments` -- the same expressions averaged over simulated heterogeneous firms
  whose parameters are drawn around ``theta``; the standard draws are made once from a seed
  (common random numbers), so ``m(theta)`` is a smooth, deterministic function of ``theta``
  (McFadden 1989; Pakes and Pollard 1989);
* :class:`FunctionMoments` -- any Python callable, for models solved numerically.

Simulation noise. A simulated moment ``m_S(theta) = (1/S) sum_i f_i(theta)`` is an average over
``S`` simulated firms, so it differs from the model's population moment by noise of covariance
``Sigma_sim(theta) = Cov(f_i(theta)) / S`` (McFadden 1989; Pakes and Pollard 1989; Gourieroux and
Monfort 1996, ch. 2). :meth:`ModelMoments.simulation_cov` returns that matrix: the sample
covariance of the firms' contributions over ``S`` for :class:`SimulatedMoments`, with exact zeros
for moments that do not vary across firms (e.g. a moment that equals a parameter), and zero for
closed-form moments. The estimators add it to the data covariance.

Bounds. The default bounds are the parameter domains; an open end is pulled inside by ``1e-6``
times the domain's width, or by ``1e-6`` absolutely when the width is infinite: a positive
parameter's default lower bound is ``1e-6``. Give ``bounds=`` when a parameter's scale is that
small (or the estimate is reported at its bound).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sympy as sp

from gvcgames.empirics.errors import MomentError

Bounds = dict[str, tuple[float, float]]
# open domain ends are kept this far inside, relative to the width (or absolutely for infinite ones)
_OPEN_GAP = 1e-6


class ModelMoments:
    """Base class: predicted moments as a function of the estimated parameters.

    Subclasses set ``names`` (moment names), ``parameters`` (estimated parameter names, in the
    order of ``theta``), ``bounds`` (name -> (low, high)) and implement :meth:`_moments`.
    ``n_sim`` is the number of simulated firms for simulated moments and ``None`` otherwise;
    simulated models implement :meth:`simulation_cov`.
    """

    names: tuple[str, ...]
    parameters: tuple[str, ...]
    bounds: Bounds
    n_sim: int | None = None

    def __call__(self, theta: Sequence[float] | np.ndarray) -> np.ndarray:
        theta = np.asarray(theta, dtype=float).reshape(-1)
        if theta.size != len(self.parameters):
            raise MomentError(f"theta has {theta.size} entries; the model estimates {list(self.parameters)}")
        out = np.asarray(self._moments(theta), dtype=float).reshape(-1)
        if out.size != len(self.names):
            raise MomentError(
                f"the model returned {out.size} moment(s) but declares {len(self.names)}: {list(self.names)}; "
                "its function must return one value per moment name, in that order"
            )
        return out

    def _moments(self, theta: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @property
    def simulated(self) -> bool:
        """Whether the moments are simulated (SMM)."""
        return self.n_sim is not None

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        """The estimated parameters as sympy symbols (user LaTeX names kept), for display."""
        return tuple(sp.Symbol(p) for p in self.parameters)

    def simulation_cov(self, theta: Sequence[float] | np.ndarray) -> np.ndarray:
        """Covariance of the simulation noise of the moments at ``theta`` (zero for closed forms).

        See the module docstring; :class:`SimulatedMoments` estimates it from the simulated firms.
        """
        return np.zeros((len(self.names), len(self.names)))

    def holds_at(self, theta: Sequence[float] | np.ndarray) -> bool | None:
        """Whether the model's equilibrium region holds at ``theta`` (``None``: not known)."""
        return None

    def outside_region(self, theta: Sequence[float] | np.ndarray) -> int | None:
        """Number of simulated firms outside the equilibrium region at ``theta`` (``None``: not known)."""
        return None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(moments={list(self.names)}, parameters={list(self.parameters)})"


class ClosedFormMoments(ModelMoments):
    """Moments given in closed form by sympy expressions in the model's parameters.

    Parameters
    ----------
    moments : mapping name -> sympy expression
    estimate : sequence of symbols or names
        The parameters to estimate, in order.
    fixed : mapping symbol or name -> float
        Values of every other parameter in the expressions (calibrated, normalised).
    bounds : mapping name -> (low, high), optional
        Defaults to the parameter domains, open ends pulled inside by ``1e-6`` times the width (or
        ``1e-6`` absolutely for an infinite width: a positive parameter's default lower bound is
        ``1e-6``; give bounds when its scale is that small).
    region : sympy Boolean, optional
        The equilibrium region, reported by :meth:`holds_at`.

    Raises
    ------
    MomentError
        An expression uses a symbol that is neither estimated nor fixed, or a name is duplicated.

    Examples
    --------
    >>> import gvcgames as gg
    >>> a, b = gg.parameters("a b", positive=True)
    >>> mm = ClosedFormMoments({"mean": a / b, "var": a / b**2}, estimate=[a, b])
    >>> mm([2.0, 4.0]).tolist()
    [0.5, 0.125]
    >>> mm.bounds["a"][0] > 0
    True
    """

    def __init__(
        self,
        moments: Mapping[str, Any],
        estimate: Sequence[Any],
        fixed: Mapping[Any, float] | None = None,
        *,
        bounds: Mapping[str, tuple[float, float]] | None = None,
        region: Any = None,
    ) -> None:
        if not moments:
            raise MomentError("a model needs at least one moment expression")
        exprs = {str(k): sp.sympify(v) for k, v in moments.items()}
        symbols = set().union(*(e.free_symbols for e in exprs.values()))
        by_name = {s.name: s for s in symbols}
        self._estimate = [_symbol(p, by_name) for p in estimate]
        if not self._estimate:
            raise MomentError("estimate names no parameter")
        names = [s.name for s in self._estimate]
        if len(set(names)) != len(names):
            raise MomentError(f"a parameter is listed twice in estimate: {names}")
        self._fixed = {_symbol(k, by_name): float(v) for k, v in (fixed or {}).items()}
        both = sorted(s.name for s in set(self._estimate) & set(self._fixed))
        if both:
            raise MomentError(f"parameter(s) {both} are both estimated and fixed")
        free = sorted(s.name for s in symbols - set(self._estimate) - set(self._fixed))
        if free:
            raise MomentError(
                f"the moment expressions use parameter(s) {free} that are neither estimated nor fixed; "
                "give them values in fixed= or add them to estimate="
            )
        self.names = tuple(exprs)
        self.parameters = tuple(names)
        self.expressions = {k: v.subs(self._fixed) for k, v in exprs.items()}
        self.bounds = _default_bounds(self._estimate, bounds)
        # lambdify once: the optimiser calls this thousands of times
        self._fun = sp.lambdify(self._estimate, list(self.expressions.values()), "numpy")
        self._region = None if region is None else sp.sympify(region).subs(self._fixed)
        self._region_fun = None
        if self._region is not None and self._region not in (sp.true, sp.false):
            self._region_fun = sp.lambdify(self._estimate, self._region, "numpy")

    @classmethod
    def from_equilibrium(
        cls,
        equilibrium: Any,
        moments: Mapping[str, Any],
        estimate: Sequence[Any],
        fixed: Mapping[Any, float] | None = None,
        *,
        bounds: Mapping[str, tuple[float, float]] | None = None,
    ) -> ClosedFormMoments:
        """Moments from a solved equilibrium.

        Parameters
        ----------
        equilibrium : Equilibrium
        moments : mapping moment name -> outcome
            An outcome is a key of ``equilibrium.outcomes`` (``"Pr(lead firm: relocate)"``), an
            action name (its equilibrium strategy), ``"payoff:<player>"``, a parameter name (the
            parameter itself, e.g. the disruption probability) or a sympy expression in parameters.

        Examples
        --------
        >>> import gvcgames as gg
        >>> eq = gg.models.hold_up().solve().equilibria[0]
        >>> mm = ClosedFormMoments.from_equilibrium(eq, {"x": "x"}, estimate=["w"], fixed={"beta": 0.5, "theta_S": 1})
        >>> mm.parameters
        ('w',)
        """
        exprs = {name: _outcome_expr(equilibrium, target, name) for name, target in moments.items()}
        return cls(exprs, estimate, fixed, bounds=bounds, region=getattr(equilibrium, "conditions", None))

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(self._estimate)

    def _moments(self, theta: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.array([np.asarray(v, dtype=float) for v in self._fun(*theta)], dtype=float)

    def holds_at(self, theta: Sequence[float] | np.ndarray) -> bool | None:
        if self._region is None:
            return None
        if self._region_fun is None:
            return bool(self._region)
        return bool(self._region_fun(*np.asarray(theta, dtype=float)))


@dataclass(frozen=True)
class Heterogeneity:
    """How a parameter varies across firms around its value ``x``.

    ``kind="lognormal"``: ``x_i = x exp(s z_i - s^2/2)`` (mean ``x``); ``kind="normal"``:
    ``x_i = x + s z_i``; ``kind="uniform"``: ``x_i = x (1 + s (2 u_i - 1))``. ``scale`` is a number
    or the name of an estimated or fixed parameter (so the dispersion can be estimated).
    """

    kind: str
    scale: float | str

    def __post_init__(self) -> None:
        if self.kind not in ("lognormal", "normal", "uniform"):
            raise MomentError(f"unknown heterogeneity {self.kind!r}; valid: 'lognormal', 'normal', 'uniform'")


def lognormal(scale: float | str) -> Heterogeneity:
    """Log-normal dispersion with log-sd ``scale`` around the parameter (mean preserving)."""
    return Heterogeneity("lognormal", scale)


def normal(scale: float | str) -> Heterogeneity:
    """Normal dispersion with sd ``scale`` around the parameter."""
    return Heterogeneity("normal", scale)


def uniform(scale: float | str) -> Heterogeneity:
    """Uniform dispersion on ``x (1 +- scale)``."""
    return Heterogeneity("uniform", scale)


class SimulatedMoments(ModelMoments):
    """Moments as averages of firm-level outcomes over simulated heterogeneous firms.

    Parameters
    ----------
    moments : mapping name -> sympy expression
        Firm-level outcome (e.g. a firm's relocation probability ``R*(theta_i)``).
    estimate, fixed, bounds
        As for :class:`ClosedFormMoments`; a heterogeneity scale given by name must be one of them.
    heterogeneity : mapping parameter -> Heterogeneity
        Which parameters vary across firms, and how.
    n_sim : int
        Number of simulated firms.
    seed : int
        Seed of the standard draws, made once (common random numbers).
    clip : mapping name -> (low, high), optional
        Clip each firm's outcome (e.g. probabilities to ``(0, 1)``) before averaging.
    region : sympy Boolean, optional
        The equilibrium region in the parameters (e.g. ``equilibrium.conditions``), evaluated
        firm by firm: :meth:`outside_region` counts the simulated firms outside it (their
        outcome formula is then not the equilibrium's), and :meth:`holds_at` is true only when
        every firm is inside.

    Notes
    -----
    :meth:`simulation_cov` is the sample covariance of the firms' (clipped) outcomes divided by
    ``n_sim``: the variance of the *simulated* variable, not of the data's (a data share of 0/1
    relocations has a much larger variance than the firms' relocation probabilities averaged
    here). Moments that do not vary across firms get exactly zero simulation variance.

    Examples
    --------
    >>> import gvcgames as gg
    >>> a, s = gg.parameters("a s", positive=True)
    >>> mm = SimulatedMoments({"mean": a}, estimate=[a], fixed={s: 0.3}, heterogeneity={a: lognormal("s")},
    ...                       n_sim=20000, seed=0)
    >>> bool(abs(mm([2.0])[0] - 2.0) < 0.02), mm.simulated
    (True, True)
    """

    def __init__(
        self,
        moments: Mapping[str, Any],
        estimate: Sequence[Any],
        fixed: Mapping[Any, float] | None = None,
        *,
        heterogeneity: Mapping[Any, Heterogeneity],
        n_sim: int = 2000,
        seed: int = 0,
        clip: Mapping[str, tuple[float, float]] | None = None,
        bounds: Mapping[str, tuple[float, float]] | None = None,
        region: Any = None,
    ) -> None:
        base = ClosedFormMoments(moments, estimate, fixed, bounds=bounds)
        if n_sim < 2:
            raise MomentError(f"n_sim must be at least 2; got {n_sim}")
        self.names, self.parameters, self.bounds = base.names, base.parameters, base.bounds
        self.n_sim = int(n_sim)
        self._estimate, self._fixed = base._estimate, base._fixed
        known = {s.name: s for s in [*self._estimate, *self._fixed]}
        self._het: list[tuple[sp.Symbol, Heterogeneity]] = []
        for sym, het in heterogeneity.items():
            name = sym if isinstance(sym, str) else sym.name
            if name not in known:
                raise MomentError(f"heterogeneous parameter {name!r} is neither estimated nor fixed")
            if isinstance(het.scale, str) and het.scale not in known:
                raise MomentError(f"heterogeneity scale {het.scale!r} of {name} is neither estimated nor fixed")
            self._het.append((known[name], het))
        self.clip = dict(clip or {})
        unknown = [k for k in self.clip if k not in self.names]
        if unknown:
            raise MomentError(f"clip names unknown moment(s) {unknown}; moments: {list(self.names)}")
        # the raw expressions (fixed values substituted later, per firm) over all parameters
        self._all = [*self._estimate, *self._fixed]
        exprs = [sp.sympify(v) for v in moments.values()]
        self._fun = sp.lambdify(self._all, exprs, "numpy")
        self._region = None if region is None else sp.sympify(region)
        self._region_fun = None
        if self._region is not None and self._region not in (sp.true, sp.false):
            extra = sorted(s.name for s in self._region.free_symbols - set(self._all))
            if extra:
                raise MomentError(
                    f"the region uses parameter(s) {extra} that are neither estimated nor fixed; "
                    f"known: {[s.name for s in self._all]}"
                )
            self._region_fun = sp.lambdify(self._all, self._region, "numpy")
        self.seed = seed
        self._draw(seed)

    def _draw(self, seed: int) -> None:
        rng = np.random.default_rng(seed)
        shape = (int(self.n_sim or 1), len(self._het))
        self._draws = rng.standard_normal(shape)
        self._uniform = rng.random(shape)

    def reseed(self, seed: int) -> SimulatedMoments:
        """The same model with new standard draws from ``seed`` (a new simulation, same expressions).

        Examples
        --------
        >>> import gvcgames as gg
        >>> a = gg.parameters("a", positive=True)
        >>> mm = SimulatedMoments({"m": a}, [a], heterogeneity={a: lognormal(0.5)}, n_sim=100, seed=0)
        >>> bool(mm.reseed(1)([1.0])[0] != mm([1.0])[0]), bool(mm.reseed(0)([1.0])[0] == mm([1.0])[0])
        (True, True)
        """
        new = copy.copy(self)
        new.seed = seed
        new._draw(seed)
        return new

    @property
    def symbols(self) -> tuple[sp.Symbol, ...]:
        return tuple(self._estimate)

    def firm_parameters(self, theta: Sequence[float] | np.ndarray) -> dict[str, np.ndarray | float]:
        """Every parameter's value per simulated firm (arrays for heterogeneous ones)."""
        theta = np.asarray(theta, dtype=float).reshape(-1)
        values: dict[str, Any] = {s.name: float(t) for s, t in zip(self._estimate, theta, strict=True)}
        values.update({s.name: v for s, v in self._fixed.items()})
        out = dict(values)
        for j, (sym, het) in enumerate(self._het):
            x = values[sym.name]
            s = values[het.scale] if isinstance(het.scale, str) else float(het.scale)
            if het.kind == "lognormal":
                out[sym.name] = x * np.exp(s * self._draws[:, j] - s**2 / 2)
            elif het.kind == "normal":
                out[sym.name] = x + s * self._draws[:, j]
            else:
                out[sym.name] = x * (1 + s * (2 * self._uniform[:, j] - 1))
        return out

    def simulate(self, theta: Sequence[float] | np.ndarray) -> pd.DataFrame:
        """Firm-level outcomes (one row per simulated firm, one column per moment)."""
        return pd.DataFrame(self._outcomes(theta), columns=list(self.names))

    def _outcomes(self, theta: Sequence[float] | np.ndarray) -> np.ndarray:
        """``(n_sim, k)`` array of the firms' (clipped) outcomes: the kernel behind every moment."""
        params = self.firm_parameters(theta)
        n = int(self.n_sim or 1)
        with np.errstate(all="ignore"):
            raw = self._fun(*[params[s.name] for s in self._all])
        out = np.empty((n, len(self.names)))
        for j, (name, col) in enumerate(zip(self.names, raw, strict=True)):
            out[:, j] = np.broadcast_to(np.asarray(col, dtype=float), (n,))
            if name in self.clip:
                np.clip(out[:, j], *self.clip[name], out=out[:, j])
        return out

    def _moments(self, theta: np.ndarray) -> np.ndarray:
        return self._outcomes(theta).mean(axis=0)

    def simulation_cov(self, theta: Sequence[float] | np.ndarray) -> np.ndarray:
        """``Cov(f_i(theta)) / n_sim``: the covariance of the simulated moments' noise.

        Examples
        --------
        >>> import gvcgames as gg
        >>> a, b = gg.parameters("a b", positive=True)
        >>> mm = SimulatedMoments({"m": a, "b": b}, [a, b], heterogeneity={a: lognormal(0.5)}, n_sim=400)
        >>> cov = mm.simulation_cov([1.0, 2.0])
        >>> bool(cov[0, 0] > 0), float(cov[1, 1]), float(cov[0, 1])
        (True, 0.0, 0.0)
        """
        firms = self._outcomes(theta)
        n = firms.shape[0]
        cov = np.atleast_2d(np.cov(firms, rowvar=False, ddof=1)) / n
        constant = np.ptp(firms, axis=0) == 0  # exactly zero, not rounding noise, for constant moments
        cov[constant, :] = 0.0
        cov[:, constant] = 0.0
        return (cov + cov.T) / 2

    def _region_values(self, theta: Sequence[float] | np.ndarray) -> np.ndarray | None:
        if self._region is None:
            return None
        if self._region_fun is None:
            return np.full(int(self.n_sim or 1), bool(self._region))
        params = self.firm_parameters(theta)
        n = int(self.n_sim or 1)
        args = [np.broadcast_to(np.asarray(params[s.name], dtype=float), (n,)) for s in self._all]
        with np.errstate(all="ignore"):
            return np.broadcast_to(np.asarray(self._region_fun(*args), dtype=bool), (n,))

    def outside_region(self, theta: Sequence[float] | np.ndarray) -> int | None:
        """How many simulated firms lie outside the equilibrium region at ``theta`` (``None``: no region)."""
        inside = self._region_values(theta)
        return None if inside is None else int(np.sum(~inside))

    def holds_at(self, theta: Sequence[float] | np.ndarray) -> bool | None:
        """Whether every simulated firm lies in the equilibrium region (``None``: no region given)."""
        outside = self.outside_region(theta)
        return None if outside is None else outside == 0


class FunctionMoments(ModelMoments):
    """Moments computed by a Python function ``fun(theta) -> array`` (e.g. a numerically solved model).

    Parameters
    ----------
    fun : callable(theta) -> array of length ``len(names)``
    names, parameters : sequence of str
    bounds : mapping name -> (low, high), optional
        Default: unbounded.
    n_sim : int, optional
        Number of simulated units, for a simulated model (then ``simulation_cov`` is required).
    simulation_cov : callable(theta) -> (k, k) array, optional
        Covariance of the simulation noise of the moments at ``theta`` (e.g. the covariance of
        the per-unit simulated contributions divided by ``n_sim``; zero rows for deterministic
        moments).

    Examples
    --------
    >>> mm = FunctionMoments(lambda t: [t[0], t[0] * t[1]], names=["a", "ab"], parameters=["a", "b"])
    >>> mm([2.0, 3.0]).tolist()
    [2.0, 6.0]
    """

    def __init__(
        self,
        fun: Callable[[np.ndarray], Sequence[float] | np.ndarray],
        names: Sequence[str],
        parameters: Sequence[str],
        *,
        bounds: Mapping[str, tuple[float, float]] | None = None,
        n_sim: int | None = None,
        simulation_cov: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        self._fun = fun
        self.names = tuple(str(n) for n in names)
        self.parameters = tuple(str(p) for p in parameters)
        if len(set(self.names)) != len(self.names) or len(set(self.parameters)) != len(self.parameters):
            raise MomentError("moment and parameter names must be unique")
        self.bounds = {p: (-np.inf, np.inf) for p in self.parameters}
        unknown = [k for k in (bounds or {}) if k not in self.parameters]
        if unknown:
            raise MomentError(
                f"bounds given for {unknown}, which are not estimated; estimated: {list(self.parameters)}"
            )
        self.bounds.update({k: (float(lo), float(hi)) for k, (lo, hi) in (bounds or {}).items()})
        self.n_sim = n_sim
        self._simulation_cov = simulation_cov

    def _moments(self, theta: np.ndarray) -> np.ndarray:
        return np.asarray(self._fun(theta), dtype=float)

    def simulation_cov(self, theta: Sequence[float] | np.ndarray) -> np.ndarray:
        k = len(self.names)
        if self._simulation_cov is None:
            if self.simulated:
                raise MomentError(
                    f"a simulated FunctionMoments (n_sim={self.n_sim}) needs simulation_cov=: a function of theta "
                    "giving the covariance of the simulated moments' noise (e.g. the covariance of the per-unit "
                    "contributions divided by n_sim, zero for deterministic moments)"
                )
            return np.zeros((k, k))
        cov = np.atleast_2d(np.asarray(self._simulation_cov(np.asarray(theta, dtype=float)), dtype=float))
        if cov.shape != (k, k):
            raise MomentError(
                f"simulation_cov must return a {k} x {k} matrix for moments {list(self.names)}; got {cov.shape}"
            )
        return cov


def _symbol(item: Any, by_name: Mapping[str, sp.Symbol]) -> sp.Symbol:
    if isinstance(item, sp.Symbol):
        return item
    name = str(item)
    if name in by_name:
        return by_name[name]
    # a parameter absent from the expressions: still a valid (if unidentified) parameter
    return sp.Symbol(name)


def _default_bounds(symbols: Sequence[sp.Symbol], given: Mapping[str, tuple[float, float]] | None) -> Bounds:
    out: Bounds = {}
    for sym in symbols:
        domain = getattr(sym, "domain", None)
        lo, hi = -np.inf, np.inf
        if isinstance(domain, sp.Interval):
            lo, hi = float(domain.inf), float(domain.sup)
            width = hi - lo if np.isfinite(hi - lo) else 1.0
            if domain.left_open and np.isfinite(lo):
                lo += _OPEN_GAP * width
            if domain.right_open and np.isfinite(hi):
                hi -= _OPEN_GAP * width
        out[sym.name] = (lo, hi)
    for name, (lo, hi) in (given or {}).items():
        if name not in out:
            raise MomentError(f"bounds given for {name!r}, which is not estimated; estimated: {list(out)}")
        out[name] = (float(lo), float(hi))
    return out


def _outcome_expr(equilibrium: Any, target: Any, moment: str) -> sp.Expr:
    if not isinstance(target, str):
        return sp.sympify(target)
    outcomes = getattr(equilibrium, "outcomes", {}) or {}
    if target in outcomes:
        return sp.sympify(outcomes[target])
    strategies = {getattr(k, "name", str(k)): v for k, v in getattr(equilibrium, "strategies", {}).items()}
    if target in strategies:
        return sp.sympify(strategies[target])
    if target.startswith("payoff:") and target[7:] in getattr(equilibrium, "payoffs", {}):
        return sp.sympify(equilibrium.payoffs[target[7:]])
    params = {getattr(p, "name", str(p)): p for p in getattr(getattr(equilibrium, "game", None), "parameters", ())}
    if target in params:
        return params[target]
    valid = [*outcomes, *strategies, *(f"payoff:{p}" for p in getattr(equilibrium, "payoffs", {})), *params]
    raise MomentError(f"moment {moment!r}: the model does not produce {target!r}; valid outcomes: {valid}")


__all__ = [
    "ClosedFormMoments",
    "FunctionMoments",
    "Heterogeneity",
    "ModelMoments",
    "SimulatedMoments",
    "lognormal",
    "normal",
    "uniform",
]
