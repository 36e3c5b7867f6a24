"""Certified signs of implicit comparative statics, for equilibria without a closed form.

For a first-order system ``F(x, theta) = 0`` the implicit function theorem gives
``dx/dtheta = -(D_x F)^{-1} D_theta F`` as an expression ``d(x, theta)`` (see
:mod:`gvcgames.statics.implicit`). Its sign at the equilibrium is certified, strongest
first:

* ``proved``: the sign of ``d(x, theta)`` is proved for *every* ``x`` in its domain and
  every admissible ``theta``, so it holds at every interior solution, whatever it is;
* ``sampled``: at ``N`` random admissible parameter points the system was solved
  numerically (scipy) and ``d`` had that sign at every solution found;
* ``conditional``: both signs occurred at solutions (the witnesses are reported);
* ``unknown``: no proof, and no solution was found at the draws.

Each result is a :class:`~gvcgames.statics.StaticsResult`, so :func:`gvcgames.hypotheses`
turns a list of them into the model's testable predictions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from gvcgames.errors import InvalidSpecError, InvalidValuesError
from gvcgames.spec.assumptions import Assumptions, Sign
from gvcgames.spec.symbols import Action, Parameter
from gvcgames.statics.certificates import Certificate, Evidence
from gvcgames.statics.implicit import _solve_point, implicit_statics
from gvcgames.statics.outcomes import Outcome
from gvcgames.statics.result import StaticsResult
from gvcgames.statics.sampling import sample_admissible

METHOD = "implicit function theorem on the first-order conditions (no closed form)"


def implicit_statics_results(
    F: Any,
    x: Any,
    theta: Any = None,
    *,
    assumptions: Assumptions | Iterable[Any] | None = None,
    descriptions: Mapping[Any, str] | None = None,
    samples: int = 100,
    seed: int | None = 0,
    x0: Mapping[Any, float] | Sequence[float] | None = None,
    time_budget_s: float | None = None,
) -> list[StaticsResult]:
    """Certified signs of every ``dx_i/dtheta_j`` of a first-order system without a closed form.

    Parameters
    ----------
    F, x : as for :func:`gvcgames.implicit_statics`
        The equations ``F_i = 0`` and the endogenous variables (actions).
    theta : symbol or sequence, optional
        The parameters (default: every parameter in ``F``, by name).
    assumptions : Assumptions or iterable of relations, optional
        Restrictions on the parameters beyond their domains (used for proofs and draws).
    descriptions : mapping, optional
        Words for variables and parameters (``{e: "the MSE's risk prevention"}``, keys: symbols or
        names) used in hypotheses, where the symbols carry none.
    samples : int
        Random admissible parameter points at which the system is solved when no proof is found.
    seed : int or None
        Seed of the draws.
    x0 : mapping or sequence, optional
        Start of the numeric solves.
    time_budget_s : float, optional
        Seconds for the symbolic inverse (default ``gg.settings.time_budget``). When it runs
        out, the derivative is evaluated numerically at the draws (no proof is attempted).

    Returns
    -------
    list of StaticsResult

    Examples
    --------
    >>> import gvcgames as gg
    >>> import sympy as sp
    >>> a, c = gg.parameters("a c", positive=True)
    >>> e = gg.actions("e", nonnegative=True)
    >>> [(r.label, r.sign_label, str(r.certificate)) for r in implicit_statics_results(a * sp.exp(-e) - c * e, e)]
    [('de*/da', '+', 'proved'), ('de*/dc', '-', 'proved')]
    """
    ctx = assumptions if isinstance(assumptions, Assumptions) else Assumptions(tuple(assumptions or ()))
    equations = tuple(sp.sympify(f) for f in (F if isinstance(F, (list, tuple)) else [F]))
    variables = tuple(x) if isinstance(x, (list, tuple)) else (x,)
    everything = sorted(
        {s for f in equations for s in f.free_symbols if isinstance(s, Parameter)} | set(ctx.symbols), key=str
    )
    if theta is None:
        params = tuple(p for p in everything if isinstance(p, Parameter))
    else:
        params = tuple(theta) if isinstance(theta, (list, tuple)) else (theta,)
    if not params:
        raise InvalidSpecError("the system has no parameters to differentiate with respect to")
    ift = implicit_statics(equations, variables, params, time_budget_s=time_budget_s)
    words = {(k if isinstance(k, str) else k.name): v for k, v in (descriptions or {}).items()}
    # The theorem speaks of interior solutions: each variable ranges over the open interior of its domain.
    interior = {v: Action(f"{v.name}_interior", _open(v)) for v in variables}
    results = []
    draws = _Draws(equations, variables, everything, ctx, samples, seed, x0)
    numeric = _numeric_rates(ift)
    for i, v in enumerate(variables):
        outcome = Outcome(v.name, v, "strategy", words.get(v.name, getattr(v, "description", "") or v.name))
        for j, t in enumerate(params):
            if ift.derivatives is not None:
                derivative = ift.derivative(v, t)
                proved = ctx.sign(derivative.xreplace(interior))
            elif len(variables) == 1:  # one equation: -F_t / F_x needs no inverse
                derivative = -ift.parameter_jacobian[0, j] / ift.jacobian[0, 0]
                proved = Sign.UNKNOWN
            else:
                derivative, proved = sp.Symbol(f"d{v.name}/d{t.name}"), Sign.UNKNOWN
            wrt = _described(t, words.get(t.name, ""))
            common = {"outcome": outcome, "wrt": wrt, "value": v, "derivative": derivative, "region": sp.true}
            if proved != Sign.UNKNOWN:
                results.append(
                    StaticsResult(
                        sign=proved,
                        certificate=Certificate.PROVED,
                        conditions={},
                        method=METHOD,
                        message=f"the sign holds for every {v} in {_open(v)}, hence at every interior solution",
                        **common,
                    )
                )
                continue
            results.append(draws.certify(lambda point, i=i, j=j: numeric(point)[i, j], common, seed))
    return results


def system_statics(systems: Iterable[tuple[Any, Iterable[str] | None]], **kwargs: Any) -> list[StaticsResult]:
    """:func:`implicit_statics_results` of several first-order systems, each for the parameters it names.

    ``systems`` holds ``(system, names)`` pairs: ``system`` has ``equations``, ``variables``,
    ``parameters`` and ``assumptions`` (e.g. :func:`gvcgames.models.relocation_option.foc_system`);
    ``names`` picks its parameters (``None``: all).
    """
    out: list[StaticsResult] = []
    for system, names in systems:
        theta = [p for p in system.parameters if names is None or p.name in set(names)]
        words = {**getattr(system, "descriptions", {}), **kwargs.pop("descriptions", {})}
        out += implicit_statics_results(
            system.equations, system.variables, theta, assumptions=system.assumptions, descriptions=words, **kwargs
        )
    return out


def _numeric_rates(ift: Any) -> Any:
    """``point -> -(D_x F)^{-1} D_theta F`` as a numpy matrix, compiled once."""
    args = sorted(set().union(*(f.free_symbols for f in ift.equations)) | set(ift.parameters), key=str)
    jac = sp.lambdify(args, ift.jacobian, "numpy")
    par = sp.lambdify(args, ift.parameter_jacobian, "numpy")

    def rates(point: Mapping[sp.Symbol, float]) -> np.ndarray:
        x = [point[a] for a in args]
        with np.errstate(all="ignore"):
            return -np.linalg.solve(np.asarray(jac(*x), dtype=float), np.asarray(par(*x), dtype=float))

    return rates


def _described(sym: Any, words: str) -> Any:
    """``sym`` itself, or an equal parameter carrying ``words`` when it has no description of its own."""
    if getattr(sym, "description", "") or not words or not isinstance(sym, Parameter):
        return sym
    return Parameter(sym.name, sym.domain, words, sym.latex_name, bool(sym.is_integer))


def _safe(value: Any, point: Mapping[sp.Symbol, float]) -> float:
    try:
        return float(value(point))
    except (np.linalg.LinAlgError, ValueError, ZeroDivisionError, OverflowError):
        return float("nan")


def _open(v: sp.Symbol) -> sp.Interval:
    domain = getattr(v, "domain", sp.Reals)
    return sp.Interval.open(domain.inf, domain.sup) if isinstance(domain, sp.Interval) else sp.Reals


class _Draws:
    """Admissible parameter points with the system solved at each (computed once, on first use)."""

    def __init__(self, equations: Any, variables: Any, params: Any, ctx: Assumptions, n: int, seed: Any, x0: Any):
        self.equations, self.variables, self.params = equations, variables, params
        self.ctx, self.n, self.seed, self.x0 = ctx, n, seed, x0
        self._points: list[dict[sp.Symbol, float]] | None = None
        self.rejected = self.failed = 0

    @property
    def points(self) -> list[dict[sp.Symbol, float]]:
        if self._points is None:
            sample = sample_admissible(list(self.params), self.n, assumptions=self.ctx, seed=self.seed)
            self.rejected = sample.rejected
            self._points = []
            for i in range(sample.n):
                at = sample.point(i)
                try:
                    point, residual = _solve_point(self.equations, self.variables, at, self.x0, 1e-10)
                except InvalidValuesError:
                    self.failed += 1
                    continue
                if residual <= 1e-8:
                    self._points.append(point)
                else:
                    self.failed += 1
        return self._points

    def certify(self, value: Any, common: dict[str, Any], seed: Any) -> StaticsResult:
        """The certificate from the derivative's ``value(point)`` at every solved draw."""
        values = np.array([_safe(value, p) for p in self.points], dtype=float)
        finite = np.isfinite(values)
        signs = {"+": int((values[finite] > 0).sum()), "-": int((values[finite] < 0).sum())}
        signs["0"] = int(finite.sum()) - signs["+"] - signs["-"]
        witnesses = {}
        for sign, mask in ((Sign.POSITIVE, values > 0), (Sign.NEGATIVE, values < 0)):
            hits = np.flatnonzero(finite & mask)
            if hits.size:
                witnesses[sign] = {s: v for s, v in self.points[int(hits[0])].items() if isinstance(s, Parameter)}
        evidence = Evidence(
            samples=int(finite.sum()),
            rejected=self.rejected,
            undefined=int((~finite).sum()) + self.failed,
            counts=signs,
            seed=seed,
            witnesses=witnesses if len(witnesses) == 2 else {},
        )
        solved = f"the system solved numerically at {evidence.samples} admissible draws" + (
            f"; no interior solution found at {self.failed}" if self.failed else ""
        )
        if len(witnesses) == 2:
            return StaticsResult(
                sign=Sign.UNKNOWN,
                certificate=Certificate.CONDITIONAL,
                conditions={},
                method=METHOD,
                evidence=evidence,
                message=f"both signs occur at solutions ({solved}; see the witnesses)",
                **common,
            )
        if not evidence.samples:
            return StaticsResult(
                sign=Sign.UNKNOWN,
                certificate=Certificate.UNKNOWN,
                conditions={},
                method=METHOD,
                evidence=evidence,
                message=f"no proof, and no solution at {self.n} draws ({self.failed} solves failed)",
                **common,
            )
        strict = Sign.POSITIVE if signs["+"] else (Sign.NEGATIVE if signs["-"] else Sign.ZERO)
        sign = (
            strict
            if not signs["0"] or strict == Sign.ZERO
            else {Sign.POSITIVE: Sign.NONNEGATIVE}.get(strict, Sign.NONPOSITIVE)
        )
        return StaticsResult(
            sign=sign,
            certificate=Certificate.SAMPLED,
            conditions={},
            method=METHOD,
            evidence=evidence,
            message=f"not proved: the sign held at every solution found ({solved})",
            **common,
        )
