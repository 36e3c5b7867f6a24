r"""Optimal stopping of a diffusion at a single trigger (perpetual real options).

Definition
----------
The state :math:`x` follows a diffusion (:class:`~gvcgames.options.process.GBM` or
:class:`~gvcgames.options.process.ABM`). At a stopping time :math:`\tau` of its choice the
holder receives the payoff :math:`g(x_\tau)` (e.g. :math:`V - I`); the option is worth

.. math:: F(x) = \sup_\tau E_x\left[e^{-r\tau} g(x_\tau)\right].

With a single upper trigger :math:`x^*` (``direction="up"``; ``"down"`` mirrors it), in the
continuation region :math:`F` solves the Bellman equation :math:`\mathcal{L}F - rF = 0`,
whose bounded solution is :math:`F = A\,x^{\beta}` (:math:`A e^{\beta x}` for ABM) with
:math:`\beta` the root of the characteristic equation on the right side (positive for
``"up"``). :math:`A` and :math:`x^*` follow from

* **value matching** :math:`F(x^*) = g(x^*)`, and
* **smooth pasting** :math:`F'(x^*) = g'(x^*)`.

Eliminating :math:`A` gives one equation in :math:`x^*`, solved with sympy (closed form,
e.g. :math:`x^* = \frac{\beta}{\beta - 1} I` for :math:`g = x - I` under GBM), or by scipy
when sympy finds none. The optimal trigger maximises :math:`g(x)/x^{\beta}`, which selects
among several solutions.

Requirements, checked the gvcgames way (error only when provably violated): ``r > 0``;
the discount rate must outgrow the payoff, :math:`Q(k) < 0` with :math:`k` the payoff's
growth exponent at the far boundary (:math:`r > \mu` for a payoff linear in a GBM),
else the option value is infinite (:class:`InfiniteOptionValueError`). A payoff that is
never positive gives an explicit result with ``has_trigger=False``.

Derivation step kinds used here: ``"model"``, ``"ode"``, ``"characteristic"``,
``"roots"``, ``"conditions"``, ``"value_matching"``, ``"smooth_pasting"``, ``"solve"``,
``"numeric"``, ``"substitute"``, ``"check"``, ``"result"``.

References
----------
Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press, ch. 4 (value matching, smooth pasting) and ch. 5.

Dixit, A. K. (1993). *The Art of Smooth Pasting*. Harwood Academic Publishers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from gvcgames.budget import time_budget
from gvcgames.display import SummaryDisplay, finish_summary
from gvcgames.errors import GvcgamesError, InvalidSpecError, SymbolicTimeout
from gvcgames.options import _policy, _scan
from gvcgames.options._display import escape, fmt, tex
from gvcgames.options._inputs import as_input, combine, out, require, show
from gvcgames.options.errors import InfiniteOptionValueError, TriggerNotFoundError
from gvcgames.options.first_passage import FirstPassage, expected_discount_factor
from gvcgames.options.hazard import PoissonHazard, as_hazard
from gvcgames.options.process import GBM, _Diffusion
from gvcgames.options.verification import coefficient, verify_trigger
from gvcgames.results import Derivation, DerivationLog

BETA = sp.Symbol("beta")


@dataclass(frozen=True)
class StoppingResult(SummaryDisplay):
    """The solution of a single-trigger optimal stopping problem.

    Attributes
    ----------
    trigger : float or sympy expression
        The trigger :math:`x^*` (``inf``/``0``/``-inf``: the unreachable boundary, when
        ``has_trigger`` is ``False``).
    beta : float or sympy expression
        The root of the characteristic equation used in :math:`F = A x^\\beta`.
    coefficient : float or sympy expression
        :math:`A` (``inf`` if it overflows a float, as with a large ``beta``; the value
        functions use the overflow-free form :math:`g(x^*)(x/x^*)^\beta`).
    formula : sympy expression or None
        The trigger in terms of the symbol ``beta`` and the inputs, when sympy found it
        (e.g. ``I*beta/(beta - 1)``).
    breakeven : float, sympy expression or None
        The zero of the payoff in the stopping direction (the Marshallian/NPV rule).
    has_trigger : bool
        ``False`` when stopping never pays (the option is worthless and never exercised),
        and when no single trigger in ``direction`` is optimal (``policy == "unsupported"``).
    policy : {"trigger", "at once", "never", "unsupported"}
        ``"trigger"``: stop when the state first reaches ``trigger``; ``"at once"``: stopping
        at once is optimal in every state (verified: the payoff is positive everywhere and
        :math:`(\\mathcal{L} - r) g \\le 0`); ``"never"``: stopping never pays; ``"unsupported"``:
        no single trigger in ``direction`` is optimal (``converged`` is ``False``, the values
        raise :class:`TriggerNotFoundError`, ``message`` states the optimal policy when the
        opposite direction has one, kept in ``alternative``).
    alternative : StoppingResult or None
        With ``policy == "unsupported"``: the solution in the opposite direction, if it has
        a trigger (e.g. a payoff that falls in the state is stopped when the state *falls*).
    conditions : sympy Boolean
        Requirements on symbolic inputs that could not be decided (``True`` for numbers).
    payoff, state, process, r, hazard, direction
        The problem solved.
    method, converged, message, derivation
        As in every gvcgames result.
    """

    trigger: Any
    beta: Any
    coefficient: Any
    formula: Any
    breakeven: Any
    has_trigger: bool
    conditions: sp.Boolean
    payoff: sp.Expr
    state: sp.Symbol
    process: _Diffusion
    r: Any
    hazard: PoissonHazard
    direction: str
    method: str
    converged: bool = True
    message: str = ""
    derivation: Derivation = field(default_factory=Derivation)
    title: str = "Optimal stopping"
    policy: str = "trigger"
    alternative: Any = None

    # --- values ----------------------------------------------------------------------------
    @property
    def numeric(self) -> bool:
        """Whether the result holds numbers (floats) rather than expressions."""
        return isinstance(self.trigger, float) or (self.trigger is None and isinstance(self.beta, float))

    @property
    def value_function(self) -> sp.Expr:
        """:math:`F(x) = A x^{\\beta}` (or :math:`A e^{\\beta x}`) in the continuation region."""
        if not self.has_trigger:
            return sp.Integer(0)
        at_trigger = self.payoff.subs(self.state, self.trigger)
        return at_trigger * self.process.scaled_trial(self.state, self.beta, self.trigger)

    @property
    def markup(self) -> Any:
        """``trigger / breakeven`` (``beta/(beta - 1)`` in Dixit-Pindyck), if both exist.

        A float for numbers; for symbols an expression in the symbol ``beta`` when the
        closed form is known.
        """
        if self.breakeven is None or not self.has_trigger:
            return None
        if self.numeric:
            return self.trigger / self.breakeven if self.breakeven != 0 else None
        if self.formula is not None:
            return sp.simplify(self.formula / self.breakeven)
        return sp.together(self.trigger / self.breakeven)

    def option_value(self, x: Any) -> Any:
        """The value of holding the option at state ``x``: :math:`F(x)`, or :math:`g(x)` once stopped.

        Examples
        --------
        >>> from gvcgames.options import investment_trigger
        >>> res = investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
        >>> round(res.option_value(1.0), 10), round(res.option_value(3.0), 10)
        (0.25, 2.0)
        """
        self._require_policy()
        if not self.has_trigger:
            return 0.0 if self.numeric else sp.Integer(0)
        value = sp.sympify(x)
        cont = self.value_function.subs(self.state, value)
        stop = self.payoff.subs(self.state, value)
        if value.free_symbols or not self.numeric:
            cond = self.state < self.trigger if self.direction == "up" else self.state > self.trigger
            return sp.Piecewise((cont, cond.subs(self.state, value)), (stop, True))
        inside = bool(value < self.trigger) if self.direction == "up" else bool(value > self.trigger)
        return out(cont if inside else stop)

    def discount_factor(self, x0: Any) -> Any:
        """:math:`E[e^{-rT}]` until the state first reaches the trigger from ``x0``."""
        return self.first_passage(x0).value

    def first_passage(self, x0: Any) -> FirstPassage:
        """The first passage from ``x0`` to the trigger (discount factor, probability, time)."""
        self._require_policy()
        trigger = self.trigger if self.has_trigger else (math.inf if self.direction == "up" else -math.inf)
        return expected_discount_factor(x0, trigger, self.process, self.r, hazard=self.hazard, direction=self.direction)

    def _require_policy(self) -> None:
        if self.policy == "unsupported":
            raise TriggerNotFoundError(
                f"this result has no single-trigger policy to evaluate: {self.message}"
                + ("; use .alternative" if self.alternative is not None else "")
            )

    # --- display ---------------------------------------------------------------------------
    def summary(self, derivation: bool = False) -> str:
        """Readable summary; ``derivation=True`` appends every step."""
        x = self.state.name
        if self.has_trigger:
            head = f"{self.title}: {x}* = {fmt(self.trigger)}"
        elif self.policy == "unsupported":
            head = f"{self.title}: no single trigger when {x} {'rises' if self.direction == 'up' else 'falls'}"
        else:
            head = f"{self.title}: no finite trigger"
        lines = [head]
        lines.append(f"  method: {self.method}; converged: {self.converged}")
        lines.append(f"  state: {self.process}; payoff g({x}) = {fmt(self.payoff)}; discount rate r = {fmt(self.r)}")
        if self.hazard.active:
            lines.append(f"  hazard: {self.hazard.describe()}")
        lines.append(f"  beta = {fmt(self.beta)}")
        if self.formula is not None:
            lines.append(f"  {x}* = {fmt(self.formula)}")
        if self.has_trigger and self.policy == "trigger":
            lines.append(
                f"  option value F({x}) = A*{fmt(self.process.trial(sp.Symbol(x), BETA))}, A = {fmt(self.coefficient)}"
            )
        if self.breakeven is not None:
            markup = self.markup
            tail = f"; markup {fmt(markup)}" if markup is not None else ""
            lines.append(f"  break-even (NPV = 0) at {x} = {fmt(self.breakeven)}{tail}")
        if self.conditions is not sp.true:
            lines.append(f"  holds if: {fmt(self.conditions)}")
        return finish_summary(lines, self.message, self.derivation if derivation else None)

    def to_latex(self) -> str:
        """The derivation and the result as a LaTeX fragment."""
        return self.derivation.to_latex() + "\n" + self._result_latex()

    def _result_latex(self) -> str:
        x = sp.latex(self.state)
        rows = []
        if self.formula is not None:
            rows.append(f"{x}^* &= {sp.latex(self.formula)}")
        if self.has_trigger:
            rows.append(f"{x}^* &= {tex(self.trigger)}")
        elif self.policy == "unsupported":
            rows.append(f"{x}^* &= \\text{{none: no single trigger in this direction}}")
        else:
            rows.append(f"{x}^* &= \\text{{none (never stop)}}")
        rows.append(f"\\beta &= {tex(self.beta)}")
        if self.conditions is not sp.true:
            rows.append(f"&\\text{{if }} {sp.latex(self.conditions)}")
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"

    def _repr_latex_(self) -> str:
        x = sp.latex(self.state)
        if not self.has_trigger:
            what = "no single trigger" if self.policy == "unsupported" else "no finite trigger"
            return f"$\\text{{{escape(self.title)}: {what}}}$"
        formula = f"{sp.latex(self.formula)} = " if self.formula is not None and self.numeric else ""
        return f"${x}^* = {formula}{tex(self.trigger)},\\quad \\beta = {tex(self.beta)}$"


def optimal_stopping(
    payoff: Any,
    state: sp.Symbol,
    process: _Diffusion,
    r: Any,
    *,
    direction: str = "up",
    hazard: Any = None,
    title: str = "Optimal stopping",
) -> StoppingResult:
    """Solve a perpetual optimal stopping problem with a single trigger.

    Parameters
    ----------
    payoff : sympy expression
        The stopping payoff :math:`g(x)` in the symbol ``state`` (and any parameters).
    state : sympy Symbol
        The state variable.
    process : GBM or ABM
        The state's law of motion.
    r : float or sympy expression
        Discount rate, positive.
    direction : {"up", "down"}
        ``"up"``: stop when the state first rises to the trigger (invest, relocate);
        ``"down"``: when it falls to it (abandon, exit).
    hazard : float or PoissonHazard, optional
        A Poisson hazard; a number is the rate of an event that destroys the option.
    title : str
        Name used in the summary.

    Returns
    -------
    StoppingResult
        ``.trigger``, ``.beta``, ``.coefficient``, the derivation with the value-matching and
        smooth-pasting equations, and ``has_trigger=False`` when stopping never pays.

    Raises
    ------
    InvalidValuesError
        ``r <= 0`` (numbers); InvalidSpecError for provably invalid symbolic inputs.
    InfiniteOptionValueError
        The discount rate does not outgrow the payoff (e.g. ``r <= mu``): waiting always
        pays more, there is no finite trigger.
    TriggerNotFoundError
        No single-trigger policy solves the conditions (numbers only).

    Examples
    --------
    A firm may pay ``K`` to receive a perpetual flow ``x`` that follows a GBM:

    >>> import sympy as sp
    >>> from gvcgames.options import GBM, optimal_stopping
    >>> x = sp.Symbol("x", positive=True)
    >>> res = optimal_stopping(x / (0.05 - 0.01) - 10, x, GBM(0.01, 0.2), r=0.05)
    >>> round(res.trigger, 4), round(res.beta, 4), round(res.breakeven, 4)
    (0.8702, 1.8508, 0.4)

    References
    ----------
    Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*, ch. 4-5.
    """
    if direction not in ("up", "down"):
        raise InvalidSpecError(f"direction must be 'up' (stop when the state rises) or 'down', got {direction!r}")
    if not isinstance(process, _Diffusion):
        raise InvalidSpecError(f"process must be GBM(...) or ABM(...), got {process!r}")
    if not isinstance(state, sp.Symbol):
        raise InvalidSpecError(f"state must be a sympy Symbol, got {state!r}")
    g = as_input("payoff", payoff)
    if state not in g.free_symbols:
        raise InvalidSpecError(
            f"the stopping payoff {g} does not depend on the state {state}; a constant payoff is taken at once "
            "(if positive) or never"
        )
    r_ = as_input("r", r)
    hz = as_hazard(hazard)
    params = (g.free_symbols - {state}) | r_.free_symbols | process.mu.free_symbols | process.sigma.free_symbols
    params |= hz.rate.free_symbols | hz.jump.free_symbols
    return _solve(g, state, process, r_, hz, direction, not params, title)


@dataclass
class _Problem:
    """Everything the solving kernels share (mutable: the log and the conditions grow)."""

    g: sp.Expr
    x: sp.Symbol
    process: _Diffusion
    r: sp.Expr
    hazard: PoissonHazard
    direction: str
    numeric: bool
    title: str
    log: DerivationLog = field(default_factory=DerivationLog)
    conditions: list[sp.Boolean] = field(default_factory=list)
    beta: Any = 0
    breakeven: Any = None
    xs: Any = None
    bsym: sp.Symbol = BETA
    a_expr: Any = 0
    beta_bound: Any = 0
    retry: bool = True

    @property
    def up(self) -> bool:
        return self.direction == "up"

    def result(self, **fields: Any) -> StoppingResult:
        base: dict[str, Any] = {
            "formula": None,
            "breakeven": self.breakeven if not self.numeric or self.breakeven is None else out(self.breakeven),
            "has_trigger": True,
            "conditions": combine(self.conditions),
            "payoff": self.g,
            "state": self.x,
            "process": self.process,
            "r": out(self.r),
            "hazard": self.hazard,
            "direction": self.direction,
            "derivation": self.log.freeze(),
            "title": self.title,
        }
        base.update(fields)
        return StoppingResult(**base)


def _solve(
    g: sp.Expr,
    x: sp.Symbol,
    process: _Diffusion,
    r: sp.Expr,
    hazard: PoissonHazard,
    direction: str,
    numeric: bool,
    title: str,
    retry: bool = True,
) -> StoppingResult:
    p = _Problem(g, x, process, r, hazard, direction, numeric, title, retry=retry)
    log, up = p.log, p.up
    p.conditions.append(require(r > 0, f"the discount rate r must be positive, got r = {show(r)}", numeric=numeric))
    gfun = sp.Function("g")
    log.add(
        "model",
        f"The state {x} follows a {process.name}; stopping when it first "
        f"{'rises' if up else 'falls'} to a trigger pays g({x})",
        process.sde(x),
        sp.Eq(gfun(x), g),
        note=hazard.describe() if hazard.active else "",
    )
    F = sp.Function("F")
    log.add("ode", "In the continuation region the option value F solves", process.bellman(F(x), x, r, hazard))
    b = sp.Symbol("b")
    q = process.characteristic(b, r, hazard)
    log.add(
        "characteristic",
        f"The trial solution F = {process.trial(x, b)} gives the characteristic equation Q(b) = 0",
        sp.Eq(q, 0),
    )
    beta1, beta2 = process.roots(r, hazard)
    if not up and beta2 is None:
        raise InvalidSpecError("a state-scaling hazard (jump in (-1, 0)) supports upper triggers only")
    p.beta = beta1 if up else beta2
    roots = [sp.Eq(sp.Symbol("beta_1"), beta1)] + ([sp.Eq(sp.Symbol("beta_2"), beta2)] if beta2 is not None else [])
    log.add(
        "roots",
        "Q(0) < 0 and Q is convex: one positive root beta_1 and one negative root beta_2; "
        f"F must stay bounded {'below' if up else 'above'} the trigger, so beta = beta_{'1' if up else '2'}",
        *roots,
    )
    p.breakeven = _scan.breakeven(g, x, process, up, numeric)

    if numeric and not _scan.pays_somewhere(p):
        log.add("result", f"g({x}) <= 0 everywhere: stopping never pays, the option is worthless", sp.Eq(gfun(x), g))
        return _never(p)

    k = process.growth(g, x, direction) if _may_pay_far(p) else None
    p.beta_bound = _policy.beta_bound(p, k)
    if k is not None:
        qk = sp.simplify(q.subs(b, k))
        boundary = "oo" if up else ("0" if isinstance(process, GBM) else "-oo")
        mu_note = f"r = {show(r)}, mu = {show(process.mu)}" + (
            f", hazard rate = {show(hazard.rate)}" if hazard.active else ""
        )
        p.conditions.append(
            require(
                qk < 0,
                f"the option value is infinite: the discount rate does not outgrow the payoff "
                f"(g grows with exponent {show(k)} as {x} -> {boundary} and Q({show(k)}) = {show(qk)} >= 0; "
                f"for a payoff linear in a GBM this is r <= mu; here {mu_note}); waiting always pays more, "
                "so there is no finite trigger",
                numeric=numeric,
                error=InfiniteOptionValueError,
            )
        )
        log.add(
            "conditions",
            f"F is finite iff beta lies beyond the payoff's growth exponent k = {k}, i.e. Q(k) < 0",
            sp.Eq(sp.Symbol(f"Q({k})"), qk),
        )

    A = sp.Symbol("A")
    p.xs = sp.Symbol(f"{x.name}^*", positive=True) if isinstance(process, GBM) else sp.Symbol(f"{x.name}^*", real=True)
    p.bsym = sp.Symbol("beta", positive=True) if up else sp.Symbol("beta", negative=True)
    xs = p.xs
    trial = process.trial(x, p.bsym)
    vm = sp.Eq(A * trial.subs(x, xs), g.subs(x, xs))
    sp_eq = sp.Eq(A * sp.diff(trial, x).subs(x, xs), sp.diff(g, x).subs(x, xs))
    star = f"{x.name}*"  # plain text: step titles are set in LaTeX text mode
    log.add("value_matching", f"Value matching at the trigger {star}: F({star}) = g({star})", vm)
    log.add("smooth_pasting", f"Smooth pasting at the trigger {star}: F'({star}) = g'({star})", sp_eq)
    p.a_expr = g.subs(x, xs) / trial.subs(x, xs)
    ratio = sp.simplify(sp.diff(trial, x) / trial).subs(x, xs)
    reduced = sp.Eq(sp.expand(g.subs(x, xs) * ratio), sp.diff(g, x).subs(x, xs))
    log.add(
        "solve",
        "Value matching gives A; smooth pasting then leaves one equation in the trigger",
        sp.Eq(A, p.a_expr),
        reduced,
    )
    solutions: list[sp.Expr] = []
    if not (numeric and _scan.transcendental(reduced.lhs - reduced.rhs, xs)):
        try:
            with time_budget(None, "solving the smooth-pasting condition"):
                solutions = list(sp.solve(reduced, xs))
        except (SymbolicTimeout, NotImplementedError):
            solutions = []
    return _numeric(p, solutions) if numeric else _symbolic(p, solutions)


def _symbolic(p: _Problem, solutions: list[sp.Expr]) -> StoppingResult:
    if not solutions:
        raise InvalidSpecError(
            f"sympy found no closed-form trigger for the payoff {p.g}; give numbers for every parameter to solve "
            "value matching and smooth pasting with scipy"
        )
    kept = []
    for sol in solutions:
        # The trigger must pay (g > 0 there) and lie in the state space; decided with beta's
        # value and range, not with the bare symbol beta.
        pays = _policy.positive(p, p.g.subs(p.x, sol))
        inside = _policy.positive(p, sol) if isinstance(p.process, GBM) else sp.true
        holds = sp.And(pays, inside)
        if holds is not sp.false:
            kept.append((sol, holds))
        else:
            p.log.add(
                "rejected",
                "A solution of smooth pasting that does not pay or lies outside the state space",
                sp.Eq(p.xs, sol),
            )
    if not kept:
        if _policy.never_pays(p):
            p.log.add("result", f"g({p.x}) <= 0 in every state: stopping never pays, the option is worthless")
            return _never(p)
        return _policy.no_single_trigger(p, _resolver(p), None, p.beta)
    formula, pays = kept[0]
    message = "" if len(kept) == 1 else f"{len(kept)} solutions of smooth pasting; the first is shown: {kept}"
    p.conditions.append(pays)
    p.log.add("result", "Closed-form trigger", sp.Eq(p.xs, formula), sp.Eq(p.bsym, p.beta))
    return p.result(
        trigger=sp.together(formula.subs(p.bsym, p.beta)),
        beta=p.beta,
        coefficient=sp.together(p.a_expr.subs(p.xs, formula).subs(p.bsym, p.beta)),
        formula=formula,
        method="closed form (sympy: value matching + smooth pasting)",
        message=message,
    )


def _numeric(p: _Problem, solutions: list[sp.Expr]) -> StoppingResult:
    x, g, process = p.x, p.g, p.process
    beta_f = float(sp.N(p.beta))
    h = sp.lambdify(x, g / process.trial(x, beta_f), "math")
    gf = sp.lambdify(x, g, "math")
    lower = 0.0 if isinstance(process, GBM) else -math.inf

    def valid(value: complex) -> bool:
        if abs(value.imag) > 1e-10 * max(1.0, abs(value.real)):
            return False
        v = value.real
        if not (v > lower and math.isfinite(v)):
            return False
        hv = float(h(v))
        return float(gf(v)) > 0 and math.isfinite(hv) and hv > 0

    candidates = []
    for sol in solutions:
        try:
            value = complex(sp.N(sol.subs(p.bsym, beta_f)))
        except TypeError:
            continue
        if valid(value):
            candidates.append((float(h(value.real)), value.real, sol))
    formula = None
    if candidates:
        _, trigger, formula = max(candidates, key=lambda c: c[0])
        method = "closed form (sympy: value matching + smooth pasting)"
        p.log.add("result", "Closed-form trigger", sp.Eq(p.xs, formula), sp.Eq(p.bsym, p.beta))
    else:
        method = "numeric (scipy: smooth pasting after eliminating A by value matching)"
        found = _scan.scan(p, beta_f)
        if found is None:
            p.log.add("numeric", f"g({x})/trial({x}) is largest at the near end of the searched range")
            return _policy.no_single_trigger(p, _resolver(p), _scan.search_grid(p, beta_f), beta_f)
        trigger = found
        p.log.add("numeric", "scipy brentq on the smooth-pasting condition", sp.Eq(p.xs, trigger))
    coef = coefficient(float(gf(trigger)), trigger, beta_f, process)
    converged, message = _check(p, beta_f, trigger)
    return p.result(
        trigger=float(trigger),
        beta=beta_f,
        coefficient=coef,
        formula=formula,
        method=method,
        converged=converged,
        message=message,
    )


def _resolver(p: _Problem) -> Any:
    """Solve the same problem in the other direction (once; ``None`` if that fails too)."""

    def resolve(direction: str) -> StoppingResult | None:
        if not p.retry:
            return None
        try:
            return _solve(p.g, p.x, p.process, p.r, p.hazard, direction, p.numeric, p.title, retry=False)
        except GvcgamesError:
            return None

    return resolve


def _may_pay_far(p: _Problem) -> bool:
    """Whether the payoff may be positive towards the far boundary (else its growth there is irrelevant)."""
    far = sp.oo if p.up else (0 if isinstance(p.process, GBM) else -sp.oo)
    try:
        with time_budget(None, "limit of the payoff at the far boundary"):
            limit = sp.limit(p.g, p.x, far, "-" if far == sp.oo else "+")
    except (SymbolicTimeout, NotImplementedError, ValueError, TypeError):  # pragma: no cover - sympy gave up
        return True
    return not (isinstance(limit, sp.Expr) and limit.is_extended_nonpositive)


def _check(p: _Problem, beta: float, trigger: float) -> tuple[bool, str]:
    ok, message, title = verify_trigger(p.g, p.x, p.process, p.r, p.hazard, p.direction, beta, trigger)
    p.log.add("check", title)
    return ok, message


def _never(p: _Problem) -> StoppingResult:
    boundary = math.inf if p.up else (0.0 if isinstance(p.process, GBM) else -math.inf)
    return p.result(
        trigger=boundary,
        beta=out(p.beta) if p.numeric else p.beta,
        coefficient=0.0,
        has_trigger=False,
        conditions=sp.true,
        policy="never",
        method="payoff check",
        message=f"no finite trigger: the stopping payoff g({p.x}) = {p.g} is never positive, so stopping never "
        "pays and the option is worth 0",
    )
