"""Result objects: Derivation, Equilibrium, Solution.

Results are read-only records of what a solver did. ``str()`` gives the summary,
``_repr_latex_`` renders in Jupyter, ``to_latex()`` gives a fragment for a paper.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sympy as sp

from gvcgames.errors import InvalidValuesError

if TYPE_CHECKING:
    from gvcgames.spec.games import Game


@dataclass(frozen=True)
class Step:
    """One step of a derivation.

    Attributes
    ----------
    kind : str
        What the step does: ``"game"``, ``"foc"``, ``"soc"``, ``"best_response"``,
        ``"case"``, ``"solve"``, ``"conditions"``, ``"rejected"``, ``"substitute"``,
        ``"compare"``, ``"result"``, ``"note"``.
    title : str
        One line in words.
    math : tuple of sympy objects
        Equations, inequalities or expressions shown by the step.
    note : str
        Extra explanation (e.g. why a candidate was dropped).
    """

    kind: str
    title: str
    math: tuple[Any, ...] = ()
    note: str = ""

    def __str__(self) -> str:
        lines = [f"[{self.kind}] {self.title}"]
        lines += [f"    {_text(m)}" for m in self.math]
        if self.note:
            lines.append(f"    ({self.note})")
        return "\n".join(lines)

    def to_latex(self) -> str:
        """The step as a LaTeX paragraph with an ``align*`` block."""
        body = _latex_escape(self.title)
        if self.math:
            rows = r" \\ ".join(_latex_row(m) for m in self.math)
            body += "\n\\begin{align*}\n" + rows + "\n\\end{align*}"
        if self.note:
            body += "\n" + _latex_escape(self.note)
        return body


@dataclass(frozen=True)
class Derivation:
    """Every step a solver took, in order."""

    steps: tuple[Step, ...] = ()

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, index: int) -> Step:
        return self.steps[index]

    def __add__(self, other: Derivation) -> Derivation:
        return Derivation(self.steps + other.steps)

    def of_kind(self, kind: str) -> list[Step]:
        """The steps of one kind, e.g. ``"foc"``."""
        return [s for s in self.steps if s.kind == kind]

    def __str__(self) -> str:
        return "\n".join(f"{i + 1}. {s}" for i, s in enumerate(self.steps))

    def to_latex(self) -> str:
        """An ``enumerate`` list of the steps."""
        items = "\n".join(f"\\item {s.to_latex()}" for s in self.steps)
        return "\\begin{enumerate}\n" + items + "\n\\end{enumerate}"


class DerivationLog:
    """Mutable builder used by solvers; frozen into a Derivation at the end."""

    def __init__(self) -> None:
        self._steps: list[Step] = []

    def add(self, kind: str, title: str, *math: Any, note: str = "") -> Step:
        step = Step(kind, title, tuple(math), note)
        self._steps.append(step)
        return step

    def extend(self, steps: Sequence[Step]) -> None:
        self._steps.extend(steps)

    def mark(self) -> int:
        return len(self._steps)

    def since(self, mark: int) -> tuple[Step, ...]:
        return tuple(self._steps[mark:])

    def freeze(self) -> Derivation:
        return Derivation(tuple(self._steps))


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium (or equilibrium candidate) with the region where it holds.

    Attributes
    ----------
    strategies : dict
        Action symbol -> equilibrium value (on the equilibrium path) as a sympy expression.
    payoffs : dict
        Player name -> equilibrium payoff.
    conditions : sympy Boolean
        Where in the parameter space this equilibrium holds (``True``: everywhere admissible).
    method : str
        How it was found, e.g. ``"KKT (symbolic)"`` or ``"backward induction (symbolic)"``.
    derivation : Derivation
        The steps that produced it.
    case : str
        Which KKT case (interior / corner) or branch produced it.
    optimality : dict
        Player name -> what is proved about that player's optimality.
    policies : dict
        Action symbol -> strategy as a function of observed history (sequential games);
        equals ``strategies`` in simultaneous games.
    game : Game
        The game solved (for checks such as :func:`gvcgames.is_equilibrium`).
    outcomes : dict
        Derived quantities on the equilibrium path, e.g. ``"Pr(lead firm: relocate)"``.
    """

    strategies: Mapping[sp.Symbol, sp.Expr]
    payoffs: Mapping[str, sp.Expr]
    conditions: sp.Boolean
    method: str
    derivation: Derivation = field(default_factory=Derivation)
    case: str = ""
    optimality: Mapping[str, str] = field(default_factory=dict)
    policies: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    game: Game | None = field(default=None, repr=False, compare=False)
    outcomes: Mapping[str, sp.Expr] = field(default_factory=dict)

    def __getitem__(self, key: sp.Symbol | str) -> sp.Expr:
        if isinstance(key, str):
            for sym, value in self.strategies.items():
                if sym.name == key:
                    return value
            raise KeyError(f"no action named {key!r}; actions: {[s.name for s in self.strategies]}")
        try:
            return self.strategies[key]
        except KeyError:
            raise KeyError(f"{key} is not an action of this game; actions: {list(self.strategies)}") from None

    @property
    def proved(self) -> bool:
        """Whether every player's optimality is proved globally (not only locally)."""
        return all(text.startswith("global") for text in self.optimality.values())

    def holds_at(self, values: Mapping[Any, Any]) -> bool | None:
        """Whether the equilibrium's conditions hold at numeric parameter values (``None``: undecided).

        Raises ``InvalidValuesError`` for a value outside its parameter's domain.
        """
        return truth_at(self.conditions, values, self.game)

    def at(self, values: Mapping[Any, Any]) -> dict[sp.Symbol, float]:
        """Numeric strategies at parameter values (a dict action -> float)."""
        check_domains(values, self.game)
        subs = _by_symbol(values, set().union(*(sp.sympify(v).free_symbols for v in self.strategies.values())))
        out = {}
        for sym, expr in self.strategies.items():
            number = sp.sympify(expr).subs(subs)
            if not number.is_number:
                missing = sorted(str(s) for s in number.free_symbols)
                raise KeyError(f"values for {missing} are needed to evaluate {sym}")
            out[sym] = float(number)
        return out

    def evaluate(self, values: Any, outputs: Any = None, frame: bool = True, *, max_memory: int | None = None) -> Any:
        """Strategies, payoffs (or ``outputs``) over arrays of parameter values, compiled once.

        ``values``: a mapping of arrays (broadcast together), a DataFrame, or what
        :func:`gvcgames.numeric.grid` returns. Points outside the equilibrium's region are
        marked ``in_region = False`` with NaN outputs; ``frame=False`` gives arrays of the
        points' broadcast shape instead of a DataFrame. See :func:`gvcgames.numeric.evaluate`.

        Examples
        --------
        >>> from gvcgames.models import cournot
        >>> from gvcgames.numeric import grid
        >>> eq = cournot().solve().equilibria[0]
        >>> eq.evaluate({"a": [4.0, 7.0], "b": 1.0, "c": 1.0})["q1"].tolist()
        [1.0, 2.0]
        >>> eq.evaluate(grid(a=[4.0, 7.0], b=[1.0, 2.0], c=[1.0]), frame=False)["q1"].shape
        (2, 2, 1)
        """
        from gvcgames.numeric.compile import evaluate

        return evaluate(self, values, outputs, frame, max_memory=max_memory)

    def summary(self) -> str:
        lines = [f"Equilibrium ({self.method}{', ' + self.case if self.case else ''})"]
        lines += [f"  {sym} = {_text(v)}" for sym, v in self.strategies.items()]
        if self.policies and any(self.policies[s] != self.strategies.get(s) for s in self.policies):
            lines.append("  strategies (functions of observed history):")
            lines += [f"    {sym}(history) = {_text(v)}" for sym, v in self.policies.items()]
        lines.append("  payoffs:")
        lines += [f"    {p}: {_text(v)}" for p, v in self.payoffs.items()]
        if self.outcomes:
            lines.append("  outcomes:")
            lines += [f"    {k} = {_text(v)}" for k, v in self.outcomes.items()]
        lines.append(f"  holds if: {_text(self.conditions)}")
        if self.optimality:
            lines.append("  optimality:")
            lines += [f"    {p}: {v}" for p, v in self.optimality.items()]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_latex(self) -> str:
        """Strategies, payoffs and region as an ``align*`` block."""
        rows = [f"{sp.latex(s)}^* &= {sp.latex(v)}" for s, v in self.strategies.items()]
        rows += [f"\\pi_{{\\text{{{_latex_escape(p)}}}}}^* &= {sp.latex(v)}" for p, v in self.payoffs.items()]
        region = "\\text{all admissible parameters}" if self.conditions is sp.true else sp.latex(self.conditions)
        rows.append(f"&\\text{{if }} {region}")
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"

    def _repr_latex_(self) -> str:
        rows = [f"{sp.latex(s)}^* &= {sp.latex(v)}" for s, v in self.strategies.items()]
        region = "\\text{all admissible parameters}" if self.conditions is sp.true else sp.latex(self.conditions)
        rows.append(f"&\\text{{if }} {region}")
        return "$\\begin{aligned}" + r" \\ ".join(rows) + "\\end{aligned}$"


@dataclass(frozen=True)
class BestResponse:
    """A player's best response to the others' actions."""

    player: str
    actions: tuple[sp.Symbol, ...]
    response: Mapping[sp.Symbol, sp.Expr]
    note: str = ""

    def __str__(self) -> str:
        parts = [f"{s} = {_text(v)}" for s, v in self.response.items()]
        return f"BR_{self.player}: " + ", ".join(parts) + (f"  ({self.note})" if self.note else "")


@dataclass(frozen=True)
class Solution:
    """What a solver found: the equilibria and how.

    Attributes
    ----------
    equilibria : list of Equilibrium
        Every equilibrium found, each with the region where it holds.
    method : str
        The solver used.
    converged : bool
        ``False`` if the symbolic route gave up (time budget) or could not finish;
        then ``message`` says why and ``equilibria`` may be incomplete.
    message : str
        What happened, in words.
    derivation : Derivation
        All steps, including rejected candidates.
    best_responses : dict
        Player name -> BestResponse (simultaneous games) or policy (sequential games).
    rejected : list of (str, str)
        Candidate cases that were dropped, with the reason.
    """

    game: Game | None
    equilibria: list[Equilibrium]
    method: str
    converged: bool = True
    message: str = ""
    derivation: Derivation = field(default_factory=Derivation)
    best_responses: Mapping[str, BestResponse] = field(default_factory=dict)
    rejected: list[tuple[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self) -> Iterator[Equilibrium]:
        return iter(self.equilibria)

    def __getitem__(self, index: int) -> Equilibrium:
        return self.equilibria[index]

    def at(self, values: Mapping[Any, Any]) -> list[Equilibrium]:
        """The equilibria whose conditions hold (or cannot be decided) at these values."""
        return [eq for eq in self.equilibria if eq.holds_at(values) is not False]

    def evaluate(self, values: Any, outputs: Any = None, *, max_memory: int | None = None) -> Any:
        """Every equilibrium evaluated over arrays of parameter values, stacked in one DataFrame.

        Column ``equilibrium`` numbers the equilibria from 1; ``in_region`` marks where each
        holds. ``values`` as for :meth:`Equilibrium.evaluate` (a grid included);
        ``max_memory`` applies to each equilibrium's frame.
        """
        import pandas as pd

        frames = [
            eq.evaluate(values, outputs, max_memory=max_memory).assign(equilibrium=i)
            for i, eq in enumerate(self.equilibria, 1)
        ]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def summary(self, derivation: bool = False) -> str:
        """Readable summary; ``derivation=True`` appends every step."""
        name = getattr(self.game, "name", "") or type(self.game).__name__
        head = f"Solution of {name}: {len(self.equilibria)} equilibri{'um' if len(self.equilibria) == 1 else 'a'}"
        lines = [head, f"method: {self.method}; converged: {self.converged}"]
        if self.message:
            lines.append(f"message: {self.message}")
        if self.best_responses:
            lines.append("best responses:")
            lines += [f"  {br}" for br in self.best_responses.values()]
        for i, eq in enumerate(self.equilibria, 1):
            lines.append(f"[{i}] " + eq.summary().replace("\n", "\n    "))
        if self.rejected:
            lines.append("rejected candidates:")
            lines += [f"  {case}: {reason}" for case, reason in self.rejected]
        if derivation:
            lines += ["derivation:", str(self.derivation)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_latex(self) -> str:
        """Equilibria with their regions as a LaTeX fragment."""
        parts = [
            f"\\paragraph{{Equilibrium {i}.}} {_latex_escape(eq.case)}\n{eq.to_latex()}"
            for i, eq in enumerate(self.equilibria, 1)
        ]
        if not self.converged:
            parts.insert(0, f"\\emph{{Incomplete: {_latex_escape(self.message)}}}")
        return "\n\n".join(parts)

    def _repr_latex_(self) -> str:
        blocks = [eq._repr_latex_().strip("$") for eq in self.equilibria]
        return (
            "$\\begin{aligned}" + r" \\[1ex] ".join(blocks) + "\\end{aligned}$" if blocks else "$\\text{no equilibria}$"
        )


def check_domains(values: Mapping[Any, Any], game: Any) -> None:
    """Refuse a value outside its parameter's domain (e.g. a probability of 1.5)."""
    params = {p.name: p for p in getattr(game, "parameters", ())}
    for key, value in values.items():
        sym = params.get(key) if isinstance(key, str) else key
        domain = getattr(sym, "domain", None)
        if domain is None:
            continue
        try:
            number = sp.Float(float(value))
        except (TypeError, ValueError):
            continue  # a symbolic value: nothing to check
        if getattr(sym, "is_integer", False) and not float(value).is_integer():
            raise InvalidValuesError(f"{sym} must be an integer (e.g. a number of players), got {value}")
        if domain.contains(number) is sp.false:
            raise InvalidValuesError(f"{sym} = {float(value):g} is outside its domain {domain}")


def truth_at(condition: sp.Boolean, values: Mapping[Any, Any], game: Any = None) -> bool | None:
    """Whether ``condition`` holds at the values (``None`` if symbols are left).

    Each inequality is decided on its own: one whose sides are not real numbers there
    (e.g. a LambertW off its real branch, where the candidate does not exist) is false.
    """
    check_domains(values, game)
    condition = sp.sympify(condition)
    subs = _by_symbol(values, condition.free_symbols)
    truths = {}
    for atom in condition.atoms(sp.core.relational.Relational):
        try:
            truths[atom] = atom.subs(subs)
        except TypeError:
            truths[atom] = sp.false
    result = condition.xreplace(truths)
    if result in (sp.true, sp.false):
        return bool(result)
    return None


def _by_symbol(values: Mapping[Any, Any], symbols: Any) -> dict[sp.Symbol, Any]:
    """Accept values keyed by symbol or by name."""
    by_name = {s.name: s for s in symbols}
    out = {}
    for key, value in values.items():
        if isinstance(key, str):
            if key in by_name:
                out[by_name[key]] = value
        else:
            out[key] = value
    return out


def _text(obj: Any) -> str:
    if isinstance(obj, sp.Basic):
        return sp.sstr(obj, full_prec=False)  # 2.0, not 2.00000000000000
    return str(obj)


def _real(value: sp.Expr, what: str) -> float:
    """A float from a number that may be written with I but is real (a root from a cubic formula)."""
    z = complex(sp.N(value, 30))
    if abs(z.imag) > 1e-12 * (1 + abs(z.real)):
        raise InvalidValuesError(f"{what} is not real at these values: {z}")
    return z.real


def _latex_row(obj: Any) -> str:
    if isinstance(obj, sp.Equality):
        return f"{sp.latex(obj.lhs)} &= {sp.latex(obj.rhs)}"
    if isinstance(obj, sp.Basic):
        return "& " + sp.latex(obj)
    return f"& \\text{{{_latex_escape(str(obj))}}}"


_LATEX_SPECIAL = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\\": r"\textbackslash{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


def _latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text)


@dataclass(frozen=True)
class FiniteEquilibrium:
    """An equilibrium of a finite game: each player's mixed strategy, with its region.

    ``eq["L"]`` is player L's strategy as ``{action: probability}`` (sympy expressions);
    ``eq.pure_profile`` gives the action labels when every player plays a pure action.
    """

    strategies: Mapping[str, Mapping[str, sp.Expr]]
    payoffs: Mapping[str, sp.Expr]
    conditions: sp.Boolean
    method: str
    derivation: Derivation = field(default_factory=Derivation)
    case: str = ""
    game: Any = field(default=None, repr=False, compare=False)

    def __getitem__(self, player: str) -> Mapping[str, sp.Expr]:
        try:
            return self.strategies[player]
        except KeyError:
            raise KeyError(f"no player {player!r}; players: {list(self.strategies)}") from None

    @property
    def pure_profile(self) -> tuple[str, ...] | None:
        """Action labels if every player plays one action with probability 1, else ``None``."""
        out = []
        for probs in self.strategies.values():
            ones = [a for a, p in probs.items() if p == 1]
            if len(ones) != 1 or any(p != 0 for a, p in probs.items() if a != ones[0]):
                return None
            out.append(ones[0])
        return tuple(out)

    @property
    def proved(self) -> bool:
        return True  # finite-game conditions are exact: no optimality left unproved

    def holds_at(self, values: Mapping[Any, Any]) -> bool | None:
        return truth_at(self.conditions, values, self.game)

    def at(self, values: Mapping[Any, Any]) -> dict[str, dict[str, float]]:
        """Numeric probabilities at parameter values."""
        out = {}
        for player, probs in self.strategies.items():
            syms = set().union(*(sp.sympify(p).free_symbols for p in probs.values()))
            subs = _by_symbol(values, syms)
            out[player] = {a: _real(sp.sympify(p).subs(subs), f"Pr({player}: {a})") for a, p in probs.items()}
        return out

    def summary(self) -> str:
        pure = self.pure_profile
        if pure is not None:
            lines = [f"Pure equilibrium ({', '.join(pure)})"]
        else:
            lines = [f"Mixed equilibrium ({self.case})" if self.case else "Mixed equilibrium"]
            for player, probs in self.strategies.items():
                mix = ", ".join(f"{a}: {_text(p)}" for a, p in probs.items() if p != 0)
                lines.append(f"  {player}: {mix}")
        lines.append("  payoffs: " + ", ".join(f"{p}: {_text(v)}" for p, v in self.payoffs.items()))
        region = "always (every admissible parameter value)" if self.conditions is sp.true else _text(self.conditions)
        lines.append(f"  holds if: {region}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_latex(self) -> str:
        rows = []
        for player, probs in self.strategies.items():
            mix = ",\\ ".join(f"\\Pr(\\text{{{_latex_escape(a)}}}) = {sp.latex(p)}" for a, p in probs.items())
            rows.append(f"\\text{{{_latex_escape(player)}}}: &\\ {mix}")
        region = "\\text{all admissible parameters}" if self.conditions is sp.true else sp.latex(self.conditions)
        rows.append(f"&\\text{{if }} {region}")
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"

    def _repr_latex_(self) -> str:
        return "$\\begin{aligned}" + self.to_latex().split("\n", 1)[1].rsplit("\n", 1)[0] + "\\end{aligned}$"


@dataclass(frozen=True)
class BehaviourEquilibrium:
    """A subgame-perfect equilibrium of a game tree: a behaviour strategy at every information set.

    ``eq.behaviour[label]`` is ``{action: probability}`` at the information set ``label``
    (off the equilibrium path too: that is what makes it subgame perfect); ``eq["L"]`` gives
    player L's information sets. ``eq.outcomes`` holds probabilities on the path, such as
    ``"Pr(L: relocate)"`` (over all of L's nodes) and ``"Pr(Nature: shock)"``.
    """

    behaviour: Mapping[str, Mapping[str, sp.Expr]]
    players_of: Mapping[str, str]
    payoffs: Mapping[str, sp.Expr]
    conditions: sp.Boolean
    method: str
    derivation: Derivation = field(default_factory=Derivation)
    case: str = ""
    game: Any = field(default=None, repr=False, compare=False)
    outcomes: Mapping[str, sp.Expr] = field(default_factory=dict)
    on_path: frozenset[str] = frozenset()

    def __getitem__(self, player: str) -> dict[str, Mapping[str, sp.Expr]]:
        own = {label: probs for label, probs in self.behaviour.items() if self.players_of[label] == player}
        if not own:
            raise KeyError(f"no player {player!r}; players: {sorted(set(self.players_of.values()))}")
        return own

    @property
    def proved(self) -> bool:
        return True  # backward induction compares every action: the conditions are exact

    def holds_at(self, values: Mapping[Any, Any]) -> bool | None:
        return truth_at(self.conditions, values, self.game)

    def at(self, values: Mapping[Any, Any]) -> dict[str, dict[str, float]]:
        """Numeric behaviour probabilities at parameter values."""
        out = {}
        for label, probs in self.behaviour.items():
            syms = set().union(*(sp.sympify(p).free_symbols for p in probs.values()))
            subs = _by_symbol(values, syms)
            out[label] = {a: float(sp.sympify(p).subs(subs)) for a, p in probs.items()}
        return out

    def summary(self) -> str:
        lines = [f"Subgame-perfect equilibrium ({self.case})" if self.case else "Subgame-perfect equilibrium"]
        for label, probs in self.behaviour.items():
            played = [(a, p) for a, p in probs.items() if p != 0]
            mix = played[0][0] if len(played) == 1 else ", ".join(f"{a}: {_text(p)}" for a, p in played)
            lines.append(f"  {label}: {mix}" + ("" if label in self.on_path else "  (off the path)"))
        lines.append("  payoffs: " + ", ".join(f"{p}: {_text(v)}" for p, v in self.payoffs.items()))
        lines += [f"  {name} = {_text(v)}" for name, v in self.outcomes.items()]
        region = "always (every admissible parameter value)" if self.conditions is sp.true else _text(self.conditions)
        lines.append(f"  holds if: {region}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_latex(self) -> str:
        rows = []
        for label, probs in self.behaviour.items():
            played = [(a, p) for a, p in probs.items() if p != 0]
            if len(played) == 1:
                move = f"\\text{{{_latex_escape(played[0][0])}}}"
            else:
                move = ",\\ ".join(f"\\Pr(\\text{{{_latex_escape(a)}}}) = {sp.latex(p)}" for a, p in played)
            rows.append(f"\\text{{{_latex_escape(label)}}}: &\\ {move}")
        region = "\\text{all admissible parameters}" if self.conditions is sp.true else sp.latex(self.conditions)
        rows.append(f"&\\text{{if }} {region}")
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"

    def _repr_latex_(self) -> str:
        return "$\\begin{aligned}" + self.to_latex().split("\n", 1)[1].rsplit("\n", 1)[0] + "\\end{aligned}$"
