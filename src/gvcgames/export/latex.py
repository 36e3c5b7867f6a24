r"""LaTeX of every gvcgames result: ``\input``-able fragments and standalone documents.

:func:`fragment` turns one object into LaTeX that can be ``\input`` into a paper (it needs
``amsmath``, ``amssymb`` and ``booktabs``); :func:`document` wraps one object or a list of
them into a compilable ``article``. What is exported, and how:

* a game (:class:`~gvcgames.ContinuousGame`, :class:`~gvcgames.SequentialGame`,
  :class:`~gvcgames.SymmetricGame`, :class:`~gvcgames.NormalFormGame`): players, timing,
  payoffs, parameter domains with their descriptions, and assumptions;
* a :class:`~gvcgames.results.Derivation`: every step, each equation numbered and labelled
  ``eq:<label>-<step>-<row>`` so a paper can ``\eqref`` it;
* a :class:`~gvcgames.results.Solution`: the equilibrium regions :math:`\mathcal R_k` and each
  strategy, payoff and derived outcome as a ``cases`` environment over them;
* one equilibrium, a :class:`~gvcgames.statics.StaticsResult`, a list of them (a sign
  table), a :class:`~gvcgames.statics.Hypotheses` list, a statics ``DataFrame`` from
  :func:`~gvcgames.statics.statics_table`, :class:`~gvcgames.statics.ImplicitStatics`;
* real-options results (:mod:`gvcgames.options`);
* a sympy expression (an ``equation``).

Numbers follow :mod:`gvcgames.export.format`: exact values print exactly, floats with the
fewest digits that identify them, and results holding floats are tagged as numeric. Symbols
print with their ``latex=`` names. Export reads results and never solves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import sympy as sp
from sympy.core.relational import Relational

from gvcgames.errors import GvcgamesError
from gvcgames.export.format import breakable, escape, is_numeric, math_tex, name_tex, number, prose, text_tex
from gvcgames.results import BehaviourEquilibrium, Derivation, FiniteEquilibrium, Solution, Step
from gvcgames.spec.symbols import Action

__all__ = [
    "PREAMBLE",
    "ExportError",
    "condition_lines",
    "document",
    "fragment",
    "latex",
    "outcome_tex",
    "slug",
    "symbols_of",
]

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.5cm]{geometry}
\usepackage{amsmath,amssymb,amsthm}
\usepackage{booktabs}
\allowdisplaybreaks
\emergencystretch=2em
\newtheorem{proposition}{Proposition}
"""


NUMERIC_DIGITS = 10  # values from numerical solves (tolerance ~1e-10): further digits are noise
LINE = 58  # width budget of one display line, in characters of rendered math (see _width); 11pt, 2.5cm margins


class ExportError(GvcgamesError, TypeError):
    """An object that gvcgames cannot export to LaTeX."""


def latex(expr: Any) -> str:
    r"""LaTeX of an expression with user-chosen symbol names and honest floats.

    Examples
    --------
    >>> import gvcgames as gg
    >>> Fbar = gg.parameters("Fbar", positive=True, latex=r"\bar F")
    >>> latex(Fbar + 0.5)
    '\\bar F + 0.5'
    """
    return math_tex(expr)


def slug(text: str) -> str:
    """A label-safe name: lower case letters, digits and dashes.

    Examples
    --------
    >>> slug("PR: prevention vs. relocation")
    'pr-prevention-vs-relocation'
    """
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


# --- front doors --------------------------------------------------------------------------------


def fragment(obj: Any, label: str | None = None) -> str:
    r"""An ``\input``-able LaTeX fragment of a game, result, table or expression.

    Parameters
    ----------
    obj : game, Solution, Equilibrium, Derivation, statics or options result, sympy object, or a list
        What to export (see the module docstring); a list gives the fragments in order.
    label : str, optional
        Prefix of the equation labels (default: from the object's name).

    Returns
    -------
    str
        LaTeX needing ``amsmath``, ``amssymb`` and ``booktabs``.

    Raises
    ------
    ExportError
        For an object of a type gvcgames does not export.

    Examples
    --------
    >>> import gvcgames as gg
    >>> sol = gg.models.cournot().solve()
    >>> text = fragment(sol, label="cournot")
    >>> r"\begin{cases}" in text and r"\label{eq:cournot-q1}" in text
    True
    >>> fragment(object())
    Traceback (most recent call last):
    ...
    gvcgames.export.latex.ExportError: cannot export an object of type 'object' to LaTeX; ...
    """
    for kind, render in _RENDERERS:
        if _is(obj, kind):
            return render(obj, label)
    if isinstance(obj, (list, tuple)) and obj and all(_is(o, "StaticsResult") for o in obj):
        return statics_table(obj)
    if isinstance(obj, (list, tuple)):
        return "\n\n".join(fragment(o, label if len(obj) == 1 else None) for o in obj)
    if callable(getattr(obj, "to_latex", None)):  # other result types (e.g. estimation) render themselves
        return str(obj.to_latex())
    raise ExportError(
        f"cannot export an object of type {type(obj).__name__!r} to LaTeX; supported: games, Solution, "
        "Equilibrium, Derivation, Step, StaticsResult (or a list of them), Hypotheses, statics tables, "
        "ImplicitStatics, options results, sympy expressions, and objects with a to_latex() method"
    )


def document(obj: Any, title: str | None = None, *, label: str | None = None, intro: str = "") -> str:
    r"""A standalone, compilable LaTeX ``article`` around one object or a list of objects.

    A :class:`~gvcgames.results.Solution` gives the game's set-up, the equilibria by region,
    each player's optimality, the derivation and the rejected candidates.

    Parameters
    ----------
    obj : anything :func:`fragment` accepts, or a list of such objects
    title : str, optional
        Default: the game's name.
    label : str, optional
        Prefix of equation labels.
    intro : str
        Plain text put before the first section (escaped).

    Examples
    --------
    >>> import gvcgames as gg
    >>> text = document(gg.models.upgrading().solve())
    >>> text.startswith(r"\documentclass") and r"\end{document}" in text
    True
    """
    items = list(obj) if isinstance(obj, list) else [obj]
    game = next((getattr(o, "game", None) for o in items if getattr(o, "game", None) is not None), None)
    name = title or getattr(game, "name", "") or getattr(items[0], "title", "") or "gvcgames"
    parts = [PREAMBLE, f"\\title{{{escape(name)}}}", "\\date{}", "\\begin{document}", "\\maketitle"]
    if intro:
        parts.append(escape(intro))
    for item in items:
        if isinstance(item, Solution):
            parts.append(solution_sections(item, label))
        else:
            parts.append(fragment(item, label))
    parts.append("\\end{document}\n")
    return "\n\n".join(parts)


def solution_sections(solution: Solution, label: str | None = None, numeric: str = "") -> str:
    """Set-up, equilibria, optimality, derivation and rejected candidates of a solution (``section*``).

    ``numeric`` says where the cases without a closed form are solved numerically (default:
    the reader is told to solve them numerically).
    """
    game = solution.game
    label = label or slug(getattr(game, "name", "") or "game")
    symbols = symbols_of(solution)
    parts = []
    if game is not None:
        if getattr(game, "description", ""):
            parts.append(escape(game.description) + ".")
        parts += ["\\section*{The game}", game_setup(game, label)]
    parts += ["\\section*{Equilibria}", equilibria(solution, label)]
    notes = [
        f"\\item[$\\mathcal{{R}}_{{{i}}}$] {escape(p)}: {prose(t, symbols)}"
        for i, eq in enumerate(solution.equilibria, 1)
        for p, t in getattr(eq, "optimality", {}).items()
    ]
    if notes:
        parts.append("\\paragraph{Optimality.}\n\\begin{description}\n" + "\n".join(notes) + "\n\\end{description}")
    parts += ["\\section*{Derivation}", derivation(solution.derivation, label, symbols)]
    open_cases = [(c, r) for c, r in solution.rejected if _no_closed_form(r)]
    rejected = [(c, r) for c, r in solution.rejected if not _no_closed_form(r)]
    if open_cases:
        rows = "\n".join(
            f"\\item {prose(c, symbols)}: no closed form ({prose(_why_open(r), symbols)}); "
            + (numeric or "it has to be solved numerically (e.g. with \\texttt{game.solve\\_at}).")
            for c, r in open_cases
        )
        parts.append(f"\\section*{{Cases without a closed form}}\n\\begin{{itemize}}\n{rows}\n\\end{{itemize}}")
    if rejected:
        rows = "\n".join(f"\\item {prose(c, symbols)}: {prose(r, symbols)}" for c, r in rejected)
        parts.append(f"\\section*{{Rejected candidates}}\n\\begin{{itemize}}\n{rows}\n\\end{{itemize}}")
    return "\n\n".join(parts)


_OPEN = ("sympy cannot solve", "symbolic solve gave up", "the symbolic route gave up")


def _no_closed_form(reason: str) -> bool:
    """A case dropped because sympy found no closed form (not because it fails): it is open, not rejected."""
    return reason.startswith(_OPEN)


def _why_open(reason: str) -> str:
    found = re.search(r"could not solve (.+)$", reason)
    return f"sympy cannot solve {found.group(1)} = 0" if found else reason


def symbols_of(obj: Any) -> list[sp.Symbol]:
    """The symbols that may appear as code in an object's words: parameters, actions, derivation symbols, outcomes."""
    found: dict[str, sp.Symbol] = {}

    def add(sym: Any) -> None:
        if isinstance(sym, sp.Symbol) and sym.name not in found:
            found[sym.name] = sym

    game = getattr(obj, "game", None) if not _is(obj, "Game") else obj
    for source in (game, obj):
        for sym in (*getattr(source, "parameters", ()), *getattr(source, "actions", ())):
            add(sym)
    for name in ("action", "others", "N"):
        add(getattr(game, name, None))
    private = getattr(getattr(game, "choice", None), "private_type", None)
    if private is not None:
        add(private[0])
    deriv = getattr(obj, "derivation", obj if isinstance(obj, Derivation) else None)
    for st in getattr(deriv, "steps", ()):
        for m in st.math:
            for sym in getattr(m, "free_symbols", ()):
                add(sym)
    for eq in getattr(obj, "equilibria", ()):
        for sym, value in getattr(eq, "strategies", {}).items():
            add(sym)
            for inner in getattr(value, "free_symbols", ()):
                add(inner)
        for inner in getattr(getattr(eq, "conditions", None), "free_symbols", ()):
            add(inner)
        for name in getattr(eq, "outcomes", {}):
            add(sp.Symbol(name))
    return list(found.values())


# --- games ----------------------------------------------------------------------------------------


def game_setup(game: Any, label: str | None = None) -> str:
    """Players, timing, payoffs, parameter domains and assumptions of a game."""
    kind = type(game).__name__
    if kind == "NormalFormGame":
        body = _normal_form(game)
    elif kind == "SymmetricGame":
        body = _symmetric(game)
    elif kind == "SequentialGame":
        body = _sequential(game)
    elif kind == "ExtensiveFormGame":
        body = "\\paragraph{Players and timing.}\n" + _tree_items(game.tree)
    elif hasattr(game, "players") and hasattr(game, "actions"):
        body = _simultaneous(game)
    else:
        raise ExportError(f"cannot export the set-up of a {kind!r}: it is not a gvcgames game")
    return body + "\n\n" + _parameters(game)


def _payoff_name(player: str) -> str:
    return f"\\pi_{{{text_tex(player)}}}"


def _choice_rows(players: Iterable[Any]) -> list[str]:
    rows = []
    for p in players:
        acts = ", ".join(f"{math_tex(a)} \\in {math_tex(a.domain)}" for a in p.actions)
        rows.append(f"{text_tex(p.name)}&: \\text{{ chooses }} {acts}")
    return rows


def _align(rows: Sequence[str], numbered: bool = False) -> str:
    env = "align" if numbered else "align*"
    return f"\\begin{{{env}}}\n" + " \\\\\n".join(rows) + f"\n\\end{{{env}}}"


def _simultaneous(game: Any) -> str:
    n = len(game.players)
    timing = "The player chooses" if n == 1 else f"The {n} players choose simultaneously"
    rows = _choice_rows(game.players)
    rows += [f"{_payoff_name(p.name)} &= {math_tex(p.payoff)}" for p in game.players]
    return f"\\paragraph{{Players and timing.}} {timing}.\n{_align(rows)}"


def _sequential(game: Any) -> str:
    items = []
    for i, stage in enumerate(game.stages, 1):
        acts = ", ".join(f"${math_tex(a)} \\in {math_tex(a.domain)}$" for a in stage.actions)
        items.append(f"\\item Stage {i}: {escape(stage.name)} chooses {acts}, observing all earlier choices.")
    choice = getattr(game, "choice", None)
    if choice is not None and not hasattr(choice, "outcomes"):  # a game tree ends the game
        items.append(
            f"\\item Stage {len(game.stages) + 1}: the game tree below, whose payoffs and probabilities "
            "may depend on the earlier choices."
        )
        text = "\\paragraph{Players and timing.}\n\\begin{enumerate}\n" + "\n".join(items) + "\n\\end{enumerate}"
        return text + "\n" + _tree_items(choice)
    if choice is not None:
        seen = ""
        if choice.private_type is not None:
            sym, dist = choice.private_type
            params = ", ".join(math_tex(p) for p in dist.params)
            seen = f" privately drawing ${math_tex(sym)} \\sim \\text{{{escape(dist.name)}}}({params})$,"
        options = ", ".join(escape(a) for a in choice.outcomes)
        items.append(f"\\item Stage {len(game.stages) + 1}: {escape(choice.player)},{seen} chooses one of {options}.")
    rows = []
    for p in game.players:
        if p.payoff is not None:
            rows.append(f"{_payoff_name(p.name)} &= {math_tex(p.payoff)}")
    if choice is not None:
        for action, pays in choice.outcomes.items():
            for player, value in pays.items():
                rows.append(f"{_payoff_name(player)}({text_tex(action)}) &= {math_tex(value)}")
    text = "\\paragraph{Players and timing.}\n\\begin{enumerate}\n" + "\n".join(items) + "\n\\end{enumerate}"
    return text + ("\n\\paragraph{Payoffs.}\n" + _align(rows) if rows else "")


def _tree_items(tree: Any) -> str:
    """A game tree node by node, in the order of play (each node named by the moves that lead to it)."""
    from gvcgames.spec.tree import Chance, Leaf, describe

    items = []
    for path, node in tree.nodes():
        where = escape(describe(path))
        if isinstance(node, Leaf):
            pays = ",\\ ".join(f"{_payoff_name(p)} = {math_tex(v)}" for p, v in node.payoffs.items())
            items.append(f"\\item {where[:1].upper() + where[1:]}: the game ends with ${pays}$.")
        elif isinstance(node, Chance):
            draws = ", ".join(f"{escape(k)} with probability ${math_tex(p)}$" for k, p in node.probabilities.items())
            items.append(f"\\item {where[:1].upper() + where[1:]}: {escape(node.name)} draws {draws}.")
        else:
            info = tree.infoset_of(path)
            unseen = (
                f" without observing which node of the information set ``{escape(info.label)}'' it is at"
                if len(info.paths) > 1
                else ""
            )
            options = " or ".join(escape(a) for a in node.actions)
            items.append(f"\\item {where[:1].upper() + where[1:]}: {escape(node.player)} chooses {options}{unseen}.")
    return "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}"


def _symmetric(game: Any) -> str:
    a, o = game.action, game.others
    n = math_tex(game.N)
    rows = [
        f"\\text{{each player}}&: \\text{{ chooses }} {math_tex(a)} \\in {math_tex(a.domain)}",
        f"u({math_tex(a)}, {math_tex(o)}) &= {math_tex(game.payoff)}",
    ]
    return (
        f"\\paragraph{{Players and timing.}} ${n}$ identical players choose simultaneously; "
        f"a player's payoff $u$ depends on its own action ${math_tex(a)}$ and on the action ${math_tex(o)}$ "
        f"played by each of the other ${math_tex(game.N - 1)}$ players (a symmetric equilibrium has "
        f"${math_tex(o)} = {math_tex(a)}$).\n{_align(rows)}"
    )


def _normal_form(game: Any) -> str:
    players = ", ".join(escape(p) for p in game.players)
    head = f"\\paragraph{{Players and timing.}} {players} choose simultaneously among finitely many actions."
    if len(game.players) == 2:
        rows, cols = game.actions
        lines = [" & ".join(["", *(f"\\text{{{escape(c)}}}" for c in cols)])]
        for i, r in enumerate(rows):
            cells = [
                f"{math_tex(game.table[(i, j)][0])},\\ {math_tex(game.table[(i, j)][1])}" for j in range(len(cols))
            ]
            lines.append(" & ".join([text_tex(r), *cells]))
        matrix = "\\begin{array}{r|" + "c" * len(cols) + "}\n" + " \\\\\n".join(lines) + "\n\\end{array}"
        note = f"Rows: {escape(game.players[0])}; columns: {escape(game.players[1])}; payoffs in that order."
        return f"{head}\n\\[\n{matrix}\n\\]\n{note}"
    rows = []
    for profile, values in game.table.items():
        names = ", ".join(escape(game.actions[k][i]) for k, i in enumerate(profile))
        rows.append(f"\\text{{({names})}} &: " + ",\\ ".join(math_tex(v) for v in values))
    return f"{head}\n{_align(rows)}"


def _parameters(game: Any) -> str:
    rows = []
    for s in game.parameters:
        words = f" && {text_tex(s.description)}" if getattr(s, "description", "") else ""
        integer = r" \cap \mathbb{Z}" if s.is_integer else ""
        rows.append(f"{math_tex(s)} &\\in {math_tex(s.domain)}{integer}{words}")
    text = "\\paragraph{Parameters.}\n" + (_align(rows) if rows else "None.")
    relations = getattr(getattr(game, "assumptions", None), "relations", ())
    if relations:
        text += "\n\\paragraph{Assumptions.}\n" + _align([f"& {math_tex(r)}" for r in relations])
    return text


# --- conditions and long expressions over display lines -----------------------------------------


def _width(tex: str) -> float:
    """Rough width of LaTeX math in characters: fractions count their wider part, scripts 70 %."""
    t = re.sub(r"\\(left|right|bigl|bigr|Bigl|Bigr)\b", "", tex)
    t = re.sub(r"\\(text|mathrm|operatorname|mathcal|mathbb)\{([^{}]*)\}", r"\2", t)
    t = t.replace(r"\quad", "  ").replace(r"\qquad", "    ").replace(r"\nonumber", "")
    frac = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
    while True:
        new = frac.sub(lambda m: max(m.group(1), m.group(2), key=len), t)
        if new == t:
            break
        t = new
    t = re.sub(r"[_^]\{([^{}]*)\}", lambda m: "~" * int(0.7 * len(m.group(1)) + 0.5), t)
    t = re.sub(r"\\[A-Za-z]+", "x", t)
    t = t.replace("{", "").replace("}", "").replace("&", "")
    binary = len(re.findall(r"(?<![\^_])[-+=<>]|\\(wedge|vee|geq|leq|neq|iff|cdot)", tex))
    return len(t.replace(" ", "")) + 1.2 * binary


def _bool_tex(cond: Any) -> str:
    """A condition on one line, with a disjunction inside a conjunction (and vice versa) in parentheses."""
    if isinstance(cond, (sp.And, sp.Or)):
        op = r" \wedge " if isinstance(cond, sp.And) else r" \vee "
        return op.join(_wrap(a) for a in _ordered(cond))
    if isinstance(cond, sp.Not):
        return r"\neg " + _wrap(cond.args[0], always=not isinstance(cond.args[0], sp.Symbol))
    return math_tex(cond)


def _wrap(cond: Any, always: bool = False) -> str:
    inner = _bool_tex(cond)
    return f"\\left({inner}\\right)" if always or isinstance(cond, (sp.And, sp.Or)) else inner


def _ordered(cond: Any) -> list[Any]:
    return sorted(cond.args, key=sp.default_sort_key)


def condition_lines(cond: Any, width: float = LINE) -> list[str]:
    r"""A condition as display lines: one conjunct (or disjunct) per line once it is too wide for one.

    A conjunction broken over lines starts each line after the first with ``\wedge``; a
    disjunction inside it is parenthesised (``\bigl( ... \bigr)`` when it spans lines), so
    the lines read with the usual precedence. A single long inequality is broken after its
    relation and between terms.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b, c = sp.symbols("a b c", positive=True)
    >>> condition_lines(sp.And(a > b, sp.Or(b > c, c > 1)), width=16)
    ['\\left(b > c \\vee c > 1\\right)', '\\wedge a > b']
    >>> condition_lines(sp.And(a > b, sp.Or(b > c, c > 1)), width=14)
    ['\\bigl(b > c', '\\quad \\vee c > 1\\bigr)', '\\wedge a > b']
    """
    flat = _bool_tex(cond)
    many = isinstance(cond, (sp.And, sp.Or)) and len(cond.args) > 2 and _width(flat) > width / 2
    if _width(flat) <= width and not many:
        return [flat]
    if isinstance(cond, (sp.And, sp.Or)):
        op = r"\wedge" if isinstance(cond, sp.And) else r"\vee"
        out: list[str] = []
        for i, child in enumerate(_ordered(cond)):
            sub = condition_lines(child, width - 4)
            if isinstance(child, (sp.And, sp.Or)):
                sub = _parenthesised(sub)
            out.append(f"{op} {sub[0]}" if i else sub[0])
            out += [r"\quad " + line for line in sub[1:]]
        return out
    if isinstance(cond, sp.Not):
        sub = condition_lines(cond.args[0], width - 4)
        return _parenthesised(sub, r"\neg ")
    if isinstance(cond, Relational):
        return _relational_lines(cond, width)
    return [flat]


def _parenthesised(lines: list[str], prefix: str = "") -> list[str]:
    if len(lines) == 1:
        return [f"{prefix}\\left({lines[0]}\\right)"]
    return [f"{prefix}\\bigl({lines[0]}", *lines[1:-1], f"{lines[-1]}\\bigr)"]


_REL_TEX = {"<": "<", ">": ">", "<=": r"\leq", ">=": r"\geq", "==": "=", "!=": r"\neq"}


def _relational_lines(rel: Relational, width: float) -> list[str]:
    if not isinstance(rel.lhs, sp.Add) and not isinstance(rel.rhs, sp.Add):
        return [math_tex(rel)]  # nothing to break between: one line
    op = _REL_TEX.get(rel.rel_op, rel.rel_op)
    lhs, rhs = expression_lines(rel.lhs, width), expression_lines(rel.rhs, width - 4)
    return [*lhs[:-1], f"{lhs[-1]} {op}", *(r"\qquad " + line for line in rhs)]


def expression_lines(expr: Any, width: float = LINE) -> list[str]:
    """A long sum over several lines, broken between its terms (each continuation line starts with + or -)."""
    tex = math_tex(expr)
    if _width(tex) <= width or not isinstance(expr, sp.Add):
        return [tex]
    lines: list[str] = []
    current = ""
    for k, term in enumerate(expr.as_ordered_terms()):
        negative = term.could_extract_minus_sign()
        body = math_tex(-term if negative else term)
        if isinstance(-term if negative else term, sp.Add):
            body = f"\\left({body}\\right)"
        piece = (("- " if negative else "") + body) if k == 0 else (("- " if negative else "+ ") + body)
        if current and _width(current + " " + piece) > width:
            lines.append(current)
            current = piece
        else:
            current = f"{current} {piece}".strip()
    lines.append(current)
    return lines


# --- derivations ---------------------------------------------------------------------------------


def _rows(obj: Any) -> list[str]:
    """Display rows (each with one ``&``) of an equation, condition, expression or words."""
    if isinstance(obj, sp.Equality):
        lhs = math_tex(obj.lhs)
        rhs = expression_lines(obj.rhs, LINE - _width(lhs))
        return [f"{lhs} &= {rhs[0]}", *(f"&\\quad {line}" for line in rhs[1:])]
    if isinstance(obj, (sp.And, sp.Or, sp.Not, Relational)):
        return [f"& {line}" for line in condition_lines(obj)]
    if isinstance(obj, sp.Basic):
        return [f"& {line}" for line in expression_lines(obj)] if isinstance(obj, sp.Expr) else [f"& {math_tex(obj)}"]
    return [f"& {text_tex(str(obj))}"]


def _row(obj: Any) -> str:
    return " \\\\\n".join(_rows(obj))


def _trivial(obj: Any) -> bool:
    """A row that says nothing: ``True``, or an equation ``x = x`` (a value substituted for itself)."""
    if obj is sp.true or obj is True:
        return True
    return isinstance(obj, sp.Equality) and (obj.lhs == obj.rhs or math_tex(obj.lhs) == math_tex(obj.rhs))


def _numbered(rows: list[list[str]], label: str) -> str:
    """An ``align`` with one number per object (on its last line), labelled ``eq:<label>-<row>``."""
    lines = []
    for j, block in enumerate(rows, 1):
        lines += [line + " \\nonumber" for line in block[:-1]]
        lines.append(block[-1] + f" \\label{{eq:{label}-{j}}}")
    return _align(lines, numbered=True)


def step(item: Step, label: str, index: int, symbols: Iterable[Any] = ()) -> str:
    """One derivation step: its title, numbered equations labelled ``eq:<label>-<index>-<row>``, its note."""
    symbols = list(symbols) or _step_symbols(item)
    body = prose(item.title, symbols)
    shown = [m for m in item.math if not _trivial(m)]
    if item.math and not shown:
        body += ": none, they hold at every admissible parameter value" if item.kind == "conditions" else ""
    if shown:
        body += "\n" + _numbered([_rows(m) for m in shown], f"{label}-{index}")
    if item.note:
        body += "\n\n" + prose(item.note, symbols)
    return body


def _step_symbols(item: Step) -> list[sp.Symbol]:
    return [s for m in item.math for s in getattr(m, "free_symbols", ()) if isinstance(s, sp.Symbol)]


def derivation(deriv: Derivation, label: str | None = None, symbols: Iterable[Any] = ()) -> str:
    """Every step, in order, as an ``enumerate`` with numbered, labelled equations."""
    label = slug(label or "derivation")
    if not len(deriv):
        return "No derivation steps were recorded."
    symbols = list(symbols) or symbols_of(deriv)
    items = "\n".join(f"\\item {step(s, label, i, symbols)}" for i, s in enumerate(deriv, 1))
    return "\\begin{enumerate}\n" + items + "\n\\end{enumerate}"


# --- equilibria -----------------------------------------------------------------------------------


def region_tex(condition: Any) -> str:
    """A region's condition, with conjuncts on separate lines (for ``align``)."""
    if condition is sp.true:
        return r"&\text{all admissible parameters}"
    return _row(condition)


def measure_zero(condition: Any) -> bool:
    """Whether a region lies on a boundary: every conjunction of its normal form holds an equation."""
    from gvcgames.spec.assumptions import disjuncts

    if condition in (sp.true, sp.false):
        return False
    terms = disjuncts(condition)
    return bool(terms) and all(any(isinstance(a, sp.Eq) for a in t) for t in terms)


def _cases(values: Sequence[tuple[Any, int]]) -> str:
    rows = []
    for v, k in values:
        lines = expression_lines(v, LINE - 22)
        value = (
            lines[0] if len(lines) == 1 else "\\begin{aligned}[t]&" + " \\\\\n&\\quad ".join(lines) + "\\end{aligned}"
        )
        rows.append(f"{value} & \\text{{in }} \\mathcal{{R}}_{{{k}}}")
    return "\\begin{cases}\n" + " \\\\\n".join(rows) + "\n\\end{cases}"


def _region_block(eqs: Sequence[Any], label: str, symbols: Sequence[Any] = ()) -> str:
    blocks = []
    for k, eq in enumerate(eqs, 1):
        head = f"\\mathcal{{R}}_{{{k}}}: \\quad "
        case = getattr(eq, "case", "")
        words = _case_words(case, symbols) if case else ""
        boundary = measure_zero(eq.conditions)
        if boundary:
            words = (words + "; " if words else "") + "\\text{holds only on a boundary (measure zero)}"
        if eq.conditions is sp.true:
            lines = [r"\text{all admissible parameters}"]
        else:
            lines = condition_lines(eq.conditions, LINE - 6)
        if words and len(lines) == 1 and _width(lines[0]) + _width(words) <= LINE - 4:
            # \qquad, not an alignment column: a column would start after the widest line of every region
            block = [f"{head}& {lines[0]} \\qquad {words}"]
        elif words:
            block = [f"{head}& {words}", *(f"& {line}" for line in lines)]
        else:
            block = [f"{head}& {lines[0]}", *(f"& {line}" for line in lines[1:])]
        blocks.append(block)
    lines = []
    for k, block in enumerate(blocks, 1):
        lines += [line + " \\nonumber" for line in block[:-1]]
        lines.append(block[-1] + f" \\label{{eq:{label}-R{k}}}")
    return _align(lines, numbered=True)


def _case_words(case: str, symbols: Sequence[Any]) -> str:
    """A case label (``e = 0; then Pr(lead firm: relocate) = 0``) for a display: ``\\text{}`` with inline math."""
    text = prose(case, symbols)
    return f"\\text{{{text}}}"


def equilibria(solution: Solution, label: str | None = None) -> str:
    r"""The equilibria of a solution: regions :math:`\mathcal R_k`, then every quantity in ``cases``."""
    label = slug(label or getattr(solution.game, "name", "") or "solution")
    symbols = symbols_of(solution)
    eqs = list(solution.equilibria)
    parts = []
    if not solution.converged and _no_closed_form(solution.message):
        found = re.search(r"case (.+?): could not solve", solution.message)
        case = f" of case {found.group(1)}" if found else ""
        parts.append(
            f"\\emph{{No closed form: sympy cannot solve the first-order conditions{prose(case, symbols)} "
            "(see the derivation).}"
        )
    elif not solution.converged:
        parts.append(f"\\emph{{Incomplete: {prose(solution.message, symbols)}}}")
    if not eqs:
        parts.append("No equilibrium in closed form.")
        return "\n\n".join(parts)
    unique = getattr(solution, "uniqueness", None) is sp.true
    if len(eqs) == 1:
        where = "in the region" if eqs[0].conditions is not sp.true else "at every admissible parameter value"
        parts.append(f"The engine ({escape(solution.method)}) finds one equilibrium, holding {where}:")
    elif unique:
        parts.append(
            f"The engine ({escape(solution.method)}) finds {len(eqs)} equilibria, one in each of the following "
            "regions of the admissible parameters; the regions are disjoint (at most one symmetric equilibrium at "
            "each point, see below):"
        )
    else:
        parts.append(
            f"The engine ({escape(solution.method)}) finds {len(eqs)} equilibria, each holding in its region of the "
            "admissible parameters (regions may overlap where equilibria coexist):"
        )
    parts.append(_region_block(eqs, label, symbols))
    rows = []
    for name, tex, values in _quantities(eqs):
        rows.append(f"{tex} &= {_cases(values)} \\label{{eq:{label}-{slug(name)}}}")
    parts.append(_align(rows, numbered=True))
    statements = _symmetric_statements(solution, symbols)
    if statements:
        parts.append(statements)
    return "\n\n".join(parts)


def _symmetric_statements(solution: Any, symbols: Sequence[Any]) -> str:
    """Existence and uniqueness of a symmetric solution, with what was proved."""
    existence = getattr(solution, "existence", "")
    if not existence:
        return ""
    uniqueness = solution.uniqueness
    if uniqueness is sp.true:
        unique = (
            "the first-order condition on the symmetric profile, $g$, is strictly decreasing (proved), so there "
            "is at most one symmetric equilibrium at each admissible point"
        )
    elif uniqueness is sp.false:
        unique = "not proved ($g$ is not shown to be strictly decreasing)"
    else:
        unique = (
            f"$g$ is strictly decreasing, hence there is at most one symmetric equilibrium, where "
            f"${breakable(_bool_tex(uniqueness))}$ (a sufficient condition)"
        )
    items = [
        f"\\item[Existence.] {prose(existence[:1].upper() + existence[1:], symbols)}.",
        f"\\item[Uniqueness.] {unique[:1].upper() + unique[1:]}.",
    ]
    if uniqueness is sp.true and getattr(solution, "existence_proved", False):
        items.append(
            "\\item[Hence] exactly one symmetric equilibrium at every admissible point: the regions above "
            "partition the admissible parameters."
        )
    return "\\begin{description}\n" + "\n".join(items) + "\n\\end{description}"


def _quantities(eqs: Sequence[Any]) -> list[tuple[str, str, list[tuple[Any, int]]]]:
    """(name, LaTeX, [(value, region index)]) for strategies, payoffs and derived outcomes."""
    table: dict[str, tuple[str, list[tuple[Any, int]]]] = {}

    def put(name: str, tex: str, value: Any, k: int) -> None:
        table.setdefault(name, (tex, []))[1].append((value, k))

    for k, eq in enumerate(eqs, 1):
        if isinstance(eq, FiniteEquilibrium):
            for player, probs in eq.strategies.items():
                for action, p in probs.items():
                    put(f"{player}-{action}", f"\\sigma_{{{text_tex(player)}}}({text_tex(action)})", p, k)
        elif isinstance(eq, BehaviourEquilibrium):  # behaviour at every information set, off the path too
            for infoset, probs in eq.behaviour.items():
                for action, p in probs.items():
                    put(f"{infoset}-{action}", f"\\sigma_{{{text_tex(infoset)}}}({text_tex(action)})", p, k)
        else:
            for sym, value in eq.strategies.items():
                put(sym.name, f"{math_tex(sym)}^*", value, k)
        for player, value in eq.payoffs.items():
            put(f"payoff-{player}", f"{_payoff_name(player)}^*", value, k)
        for name, value in getattr(eq, "outcomes", {}).items():
            put(name, f"{name_tex(name)}^*", value, k)
    return [(name, tex, values) for name, (tex, values) in table.items()]


def equilibrium(eq: Any, label: str | None = None) -> str:
    """One equilibrium: strategies, payoffs, derived outcomes and its region."""
    return equilibria(Solution(eq.game, [eq], eq.method), label or "equilibrium")


# --- statics -------------------------------------------------------------------------------------


def outcome_tex(outcome: Any) -> str:
    r"""LaTeX name of a statics outcome; a derived outcome named in words is set as words.

    Examples
    --------
    >>> import sympy as sp
    >>> from gvcgames.statics import Outcome
    >>> outcome_tex(Outcome("Pr(lead firm: relocate)", sp.Symbol("e") / 2))
    '\\Pr(\\text{lead firm: relocate})^*'
    """
    tex = str(outcome.tex)
    if not outcome.latex and outcome.kind == "derived" and not re.fullmatch(r"[A-Za-z]\w*", outcome.name):
        return f"{name_tex(outcome.name)}^*"
    return tex


def _label_of(res: Any) -> str:
    return f"\\frac{{\\partial {outcome_tex(res.outcome)}}}{{\\partial {math_tex(res.wrt)}}}"


def hypothesis_tex(h: Any) -> str:
    """A hypothesis sentence in LaTeX, with outcomes named in words set as words and breakable inline math."""
    text = str(h.latex).replace(f"${h.result.outcome.tex}$", f"${outcome_tex(h.result.outcome)}$")
    return re.sub(r"\$([^$]+)\$", lambda m: f"${breakable(m.group(1))}$", text)


_RELATION = {"> 0": "> 0", "< 0": "< 0", "= 0": "= 0", ">= 0": r"\geq 0", "<= 0": r"\leq 0", "?": ""}
_CELL = {"+": "+", "-": "-", "0": "0", ">=0": r"\geq 0", "<=0": r"\leq 0", "+/-": r"\pm", "?": "?"}


def statics_result(res: Any, label: str | None = None) -> str:
    """One comparative static: derivative, sign, certificate, and the condition of each sign."""
    from gvcgames.statics.certificates import Certificate

    sign = _RELATION[res.sign.value] if res.certificate not in ("conditional", "unknown") else ""
    tag = f" \\label{{eq:{slug(label)}}}" if label else ""
    lab = _label_of(res)
    rows = [f"{lab} &= {math_tex(res.derivative)} {sign}{tag}"]
    if res.equilibrium_derivative is not None:
        names = {a: f"{math_tex(a)}^*" for a in res.equilibrium_derivative.free_symbols if isinstance(a, Action)}
        rows.append(f"&= {math_tex(res.equilibrium_derivative, symbol_names=names)} \\nonumber")
    for s, word in ((res.sign.POSITIVE, "> 0"), (res.sign.NEGATIVE, "< 0")):
        cond = res.conditions.get(s)
        if res.certificate == Certificate.CONDITIONAL and cond not in (None, sp.true, sp.false):
            rows.append(f"{lab} &{word} \\iff {math_tex(cond)} \\nonumber")
    text = _align(rows, numbered=bool(label)) if label else _align(rows)
    return text + "\n" + _certificate_sentence(res)


def _certificate_sentence(res: Any) -> str:
    ev = res.evidence
    cert = str(res.certificate)
    if cert == "proved":
        where = "every admissible point" if res.region is sp.true else "every admissible point of the region"
        return f"Certificate: \\emph{{proved}} (symbolic sign proof at {where})."
    if cert == "proved on box":
        return f"Certificate: \\emph{{proved on a box}} (interval arithmetic on {escape(ev.box_text())})."
    if cert == "sampled":
        return (
            f"Certificate: \\emph{{sampled, not proved}}: the sign held at all {ev.samples} random admissible points "
            f"(seed {ev.seed})."
        )
    if cert == "conditional":
        return "Certificate: \\emph{conditional}: both signs occur in the region, each under the condition shown."
    return f"Certificate: \\emph{{unknown}}. {escape(res.message)}"


def statics_table(results: Sequence[Any]) -> str:
    """A booktabs sign table: outcomes in rows, parameters in columns, weak certificates marked."""
    rows = list(dict.fromkeys(r.outcome.name for r in results))
    cols = list(dict.fromkeys(r.wrt for r in results))
    lookup = {(r.outcome.name, r.wrt): r for r in results}
    tex_of = {r.outcome.name: outcome_tex(r.outcome) for r in results}
    lines = [
        "\\begin{tabular}{l" + "c" * len(cols) + "}",
        "\\toprule",
        " & ".join(["", *(f"${math_tex(c)}$" for c in cols)]) + " \\\\",
        "\\midrule",
    ]
    marked = False
    for o in rows:
        cells = [f"${tex_of[o]}$"]
        for c in cols:
            r = lookup.get((o, c))
            if r is None:
                cells.append("")
                continue
            mark = {"proved on box": "^{b}", "sampled": "^{s}"}.get(str(r.certificate), "")
            marked = marked or bool(mark)
            cells.append(f"${_CELL[r.sign_label]}{mark}$")
        lines.append(" & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    note = (
        "\n\n{\\footnotesize Signs are proved on the equilibrium region unless marked: $^{b}$ proved on a box only; "
        "$^{s}$ sampled, not proved. $\\pm$: the sign depends on parameters (conditions below).}"
    )
    return "\n".join(lines) + (note if marked or any(r.sign_label == "+/-" for r in results) else "")


def hypotheses_list(hyps: Any, label: str | None = None, region: int | str | None = None) -> str:
    r"""Hypotheses as a list of sentences with their certificates; a region shared by all is stated once.

    ``region`` is the index ``k`` of the equilibrium's region :math:`\mathcal R_k` in its
    solution, when known (it is then named); otherwise the region is described in words.
    """
    if not len(hyps):
        return "No testable hypotheses."
    regions = {h.result.region for h in hyps}
    shared = regions.pop() if len(regions) == 1 else None
    head = ""
    if shared is not None and shared is not sp.true:
        head = (
            f"In the equilibrium region $\\mathcal{{R}}_{{{region}}}$:\n"
            if region is not None
            else "In the region where this equilibrium holds:\n"
        )
    items = []
    for h in hyps:
        sentence = hypothesis_tex(h)
        if head:
            sentence = re.sub(r"^In the equilibrium region \$.*?\$, a", "A", sentence, count=1, flags=re.S)
        items.append(f"\\item[{escape(h.label)}.] {sentence} \\emph{{({escape(str(h.certificate))})}}")
    return head + "\\begin{description}\n" + "\n".join(items) + "\n\\end{description}"


def _frame(frame: Any, label: str | None) -> str:
    results = frame.attrs.get("results")
    if not results:
        raise ExportError("only statics tables from gvcgames.statics.statics_table (with attrs['results']) export")
    return statics_table(list(results.values()))


def _implicit(res: Any, label: str | None) -> str:
    rows = []
    for i, x in enumerate(res.variables):
        for j, t in enumerate(res.parameters):
            lhs = f"\\frac{{\\partial {math_tex(x)}}}{{\\partial {math_tex(t)}}}"
            if res.derivatives is not None and sp.count_ops(res.derivatives[i, j]) < 200:
                rows.append(f"{lhs} &= {math_tex(res.derivatives[i, j])}")
            if res.values is not None:
                value = number(float(res.values[i, j]), NUMERIC_DIGITS)
                rows.append(f"{lhs} &{_eq(value)} \\quad\\text{{(numeric)}}")
    eqs = ", ".join(f"${math_tex(sp.Eq(f, 0))}$" for f in res.equations if sp.count_ops(f) < 200)
    head = f"By the implicit function theorem applied to {eqs or 'the first-order conditions'}:"
    text = head + "\n" + _align(rows or ["&\\text{no derivative computed}"])
    if res.point is not None:
        at = ", ".join(f"${math_tex(s)} {_eq(number(float(v), NUMERIC_DIGITS))}$" for s, v in res.point.items())
        text += f"\nEvaluated at {at} (residual ${number(float(res.residual), digits=2)}$)."
    return text


# --- options ---------------------------------------------------------------------------------------


def _numeric_tag(value: Any) -> str:
    return r" \quad\text{(numeric)}" if isinstance(value, float) or is_numeric(value) else ""


def _stopping(res: Any, label: str | None) -> str:
    label = slug(label or res.title)
    x = math_tex(res.state)
    rows = []
    if res.formula is not None:
        rows.append(f"{x}^* &= {math_tex(res.formula)}")
    if res.has_trigger:
        rows.append(f"{x}^* &{_eq(_value(res.trigger))}{_numeric_tag(res.trigger)}")
    else:
        what = {
            "at once": "none: stopping at once is optimal",
            "unsupported": "no single trigger in this direction",
        }.get(getattr(res, "policy", "never"), "none: stopping never pays")
        rows.append(f"{x}^* &= \\text{{{what}}}")
    rows.append(f"\\beta &{_eq(_value(res.beta))}{_numeric_tag(res.beta)}")
    if res.conditions is not sp.true:
        rows.append(f"&\\text{{if }} {math_tex(res.conditions)}")
    head = f"\\paragraph{{{escape(res.title)}.}} Method: {escape(res.method)}."
    return head + "\n" + derivation(res.derivation, label) + "\n" + _align(rows)


def _band(res: Any, label: str | None) -> str:
    label = slug(label or res.title)
    up, down = res.names
    lower = number(res.lower, NUMERIC_DIGITS) if res.switches_back else "0"
    rows = [
        f"x_H &{_eq(number(res.upper, NUMERIC_DIGITS))} && {text_tex(up)}",
        f"x_L &{_eq(lower)} && {text_tex(down)}",
        f"\\beta_1 &{_eq(number(res.beta1, NUMERIC_DIGITS))}, \\quad \\beta_2 {_eq(number(res.beta2, NUMERIC_DIGITS))}",
    ]
    head = (
        f"\\paragraph{{{escape(res.title)}.}} Method: {escape(res.method)}; all values numeric "
        f"(largest residual of the four conditions ${number(res.residual, digits=2)}$)."
    )
    return head + "\n" + derivation(res.derivation, label) + "\n" + _align(rows)


def _eq(value: str) -> str:
    """``= v``, or ``\\approx v`` when the number was rounded."""
    return value if value.startswith("\\approx") else f"= {value}"


def _value(value: Any) -> str:
    return _eq(number(value, NUMERIC_DIGITS)).removeprefix("= ") if isinstance(value, float) else math_tex(value)


def _generic_option(res: Any, label: str | None) -> str:
    return str(res.to_latex())


# --- dispatch --------------------------------------------------------------------------------------


def _is(obj: Any, kind: str) -> bool:
    return any(cls.__name__ == kind for cls in type(obj).__mro__)


def _solution(sol: Solution, label: str | None) -> str:
    return equilibria(sol, label)


def _expr(expr: Any, label: str | None) -> str:
    tag = f"\\label{{eq:{slug(label)}}}\n" if label else ""
    env = "equation" if label else "equation*"
    return f"\\begin{{{env}}}\n{tag}{math_tex(expr, tag_numeric=True)}\n\\end{{{env}}}"


def _hypothesis(h: Any, label: str | None) -> str:
    return f"\\textbf{{{escape(h.label)}.}} {hypothesis_tex(h)} \\emph{{({escape(str(h.certificate))})}}"


_RENDERERS: list[tuple[str, Any]] = [
    ("Solution", _solution),
    ("Equilibrium", lambda o, lab: equilibrium(o, lab)),
    ("FiniteEquilibrium", lambda o, lab: equilibrium(o, lab)),
    ("BehaviourEquilibrium", lambda o, lab: equilibrium(o, lab)),
    ("ExtensiveFormGame", lambda o, lab: game_setup(o, lab)),
    ("Derivation", lambda o, lab: derivation(o, lab)),
    ("Step", lambda o, lab: step(o, slug(lab or "step"), 1)),
    ("ContinuousGame", lambda o, lab: game_setup(o, lab)),
    ("SequentialGame", lambda o, lab: game_setup(o, lab)),
    ("SymmetricGame", lambda o, lab: game_setup(o, lab)),
    ("NormalFormGame", lambda o, lab: game_setup(o, lab)),
    ("Game", lambda o, lab: game_setup(o, lab)),
    ("StaticsResult", statics_result),
    ("Hypotheses", hypotheses_list),
    ("Hypothesis", _hypothesis),
    ("DataFrame", _frame),
    ("ImplicitStatics", _implicit),
    ("StoppingResult", _stopping),
    ("HysteresisBand", _band),
    ("FirstPassage", _generic_option),
    ("PreemptionResult", _generic_option),
    ("Basic", _expr),
]
