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

from gvcgames.errors import GvcgamesError
from gvcgames.export.format import escape, is_numeric, math_tex, number, text_tex
from gvcgames.results import Derivation, FiniteEquilibrium, Solution, Step
from gvcgames.spec.symbols import Action

__all__ = ["PREAMBLE", "ExportError", "document", "fragment", "latex", "outcome_tex", "slug"]

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.5cm]{geometry}
\usepackage{amsmath,amssymb,amsthm}
\usepackage{booktabs}
\allowdisplaybreaks
\newtheorem{proposition}{Proposition}
"""


NUMERIC_DIGITS = 10  # values from numerical solves (tolerance ~1e-10): further digits are noise


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


def solution_sections(solution: Solution, label: str | None = None) -> str:
    """Set-up, equilibria, optimality, derivation and rejected candidates of a solution (``section*``)."""
    game = solution.game
    label = label or slug(getattr(game, "name", "") or "game")
    parts = []
    if game is not None:
        if getattr(game, "description", ""):
            parts.append(escape(game.description) + ".")
        parts += ["\\section*{The game}", game_setup(game, label)]
    parts += ["\\section*{Equilibria}", equilibria(solution, label)]
    notes = [
        f"\\item[$\\mathcal{{R}}_{{{i}}}$] {escape(p)}: {escape(t)}"
        for i, eq in enumerate(solution.equilibria, 1)
        for p, t in getattr(eq, "optimality", {}).items()
    ]
    if notes:
        parts.append("\\paragraph{Optimality.}\n\\begin{description}\n" + "\n".join(notes) + "\n\\end{description}")
    parts += ["\\section*{Derivation}", derivation(solution.derivation, label)]
    if solution.rejected:
        rows = "\n".join(f"\\item {escape(c)}: {escape(r)}" for c, r in solution.rejected)
        parts.append(f"\\section*{{Rejected candidates}}\n\\begin{{itemize}}\n{rows}\n\\end{{itemize}}")
    return "\n\n".join(parts)


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


def _symmetric(game: Any) -> str:
    a, o = game.action, game.others
    rows = [
        f"\\text{{each player}}&: \\text{{ chooses }} {math_tex(a)} \\in {math_tex(a.domain)}",
        f"u({math_tex(a)}, {math_tex(o)}) &= {math_tex(game.payoff)}",
    ]
    return (
        f"\\paragraph{{Players and timing.}} ${math_tex(game.N)}$ identical players choose simultaneously; "
        f"a player's payoff depends on its own action ${math_tex(a)}$ and the common action ${math_tex(o)}$ "
        f"of the others.\n{_align(rows)}"
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


# --- derivations ---------------------------------------------------------------------------------


def _row(obj: Any) -> str:
    if isinstance(obj, sp.Equality):
        return f"{math_tex(obj.lhs)} &= {math_tex(obj.rhs)}"
    if isinstance(obj, sp.And) and len(obj.args) > 1:
        args = sorted(obj.args, key=sp.default_sort_key)
        return " \\\\\n&\\wedge ".join(["& " + math_tex(args[0]), *(math_tex(a) for a in args[1:])])
    if isinstance(obj, sp.Basic):
        return "& " + math_tex(obj)
    return f"& {text_tex(str(obj))}"


def step(item: Step, label: str, index: int) -> str:
    """One derivation step: its title, numbered equations labelled ``eq:<label>-<index>-<row>``, its note."""
    body = escape(item.title)
    if item.math:
        rows = []
        for j, obj in enumerate(item.math, 1):
            row = _row(obj)
            # an And split over lines gets one number, on its last line
            rows.append(row + f" \\label{{eq:{label}-{index}-{j}}}")
        body += "\n" + _align(rows, numbered=True).replace("\\\\\n&\\wedge", "\\nonumber \\\\\n&\\wedge")
    if item.note:
        body += "\n\n" + escape(item.note)
    return body


def derivation(deriv: Derivation, label: str | None = None) -> str:
    """Every step, in order, as an ``enumerate`` with numbered, labelled equations."""
    label = slug(label or "derivation")
    if not len(deriv):
        return "No derivation steps were recorded."
    items = "\n".join(f"\\item {step(s, label, i)}" for i, s in enumerate(deriv, 1))
    return "\\begin{enumerate}\n" + items + "\n\\end{enumerate}"


# --- equilibria -----------------------------------------------------------------------------------


def region_tex(condition: Any) -> str:
    """A region's condition, with conjuncts on separate lines (for ``align``)."""
    if condition is sp.true:
        return r"&\text{all admissible parameters}"
    return _row(condition)


def _cases(values: Sequence[tuple[Any, int]]) -> str:
    rows = [f"{math_tex(v)} & \\text{{in }} \\mathcal{{R}}_{{{k}}}" for v, k in values]
    return "\\begin{cases}\n" + " \\\\\n".join(rows) + "\n\\end{cases}"


def _region_block(eqs: Sequence[Any], label: str) -> str:
    rows = []
    for k, eq in enumerate(eqs, 1):
        case = f" && {text_tex(eq.case)}" if getattr(eq, "case", "") and len(eq.case) < 60 else ""
        body = region_tex(eq.conditions)
        first, _, rest = body.partition("\\\\\n")
        first = f"\\mathcal{{R}}_{{{k}}}: \\quad {first}{case}"
        rows.append(f"{first}\\\\\n{rest}" if rest else first)
        rows[-1] += f" \\label{{eq:{label}-R{k}}}"
    text = _align(rows, numbered=True).replace("\\\\\n&\\wedge", "\\nonumber \\\\\n&\\wedge")
    return text


def equilibria(solution: Solution, label: str | None = None) -> str:
    r"""The equilibria of a solution: regions :math:`\mathcal R_k`, then every quantity in ``cases``."""
    label = slug(label or getattr(solution.game, "name", "") or "solution")
    eqs = list(solution.equilibria)
    parts = []
    if not solution.converged:
        parts.append(f"\\emph{{Incomplete: {escape(solution.message)}}}")
    if not eqs:
        parts.append("No equilibrium in closed form.")
        return "\n\n".join(parts)
    count = f"{len(eqs)} equilibri{'um' if len(eqs) == 1 else 'a'}"
    parts.append(
        f"The engine ({escape(solution.method)}) finds {count}, each holding in a region of the admissible "
        "parameters (regions may overlap where equilibria coexist):"
    )
    parts.append(_region_block(eqs, label))
    rows = []
    for name, tex, values in _quantities(eqs):
        rows.append(f"{tex} &= {_cases(values)} \\label{{eq:{label}-{slug(name)}}}")
    parts.append(_align(rows, numbered=True))
    return "\n\n".join(parts)


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
        else:
            for sym, value in eq.strategies.items():
                put(sym.name, f"{math_tex(sym)}^*", value, k)
        for player, value in eq.payoffs.items():
            put(f"payoff-{player}", f"{_payoff_name(player)}^*", value, k)
        for name, value in getattr(eq, "outcomes", {}).items():
            put(name, f"{text_tex(name)}^*", value, k)
    return [(name, tex, values) for name, (tex, values) in table.items()]


def equilibrium(eq: Any, label: str | None = None) -> str:
    """One equilibrium: strategies, payoffs, derived outcomes and its region."""
    return equilibria(Solution(eq.game, [eq], eq.method), label or "equilibrium")


# --- statics -------------------------------------------------------------------------------------


def outcome_tex(outcome: Any) -> str:
    r"""LaTeX name of a statics outcome; a derived outcome named in words is set as text.

    Examples
    --------
    >>> import sympy as sp
    >>> from gvcgames.statics import Outcome
    >>> outcome_tex(Outcome("Pr(lead firm: relocate)", sp.Symbol("e") / 2))
    '\\text{Pr(lead firm: relocate)}^*'
    """
    tex = str(outcome.tex)
    if not outcome.latex and outcome.kind == "derived" and not re.fullmatch(r"[A-Za-z]\w*", outcome.name):
        return f"{text_tex(outcome.name)}^*"
    return tex


def _label_of(res: Any) -> str:
    return f"\\frac{{\\partial {outcome_tex(res.outcome)}}}{{\\partial {math_tex(res.wrt)}}}"


def hypothesis_tex(h: Any) -> str:
    """A hypothesis sentence in LaTeX, with outcomes named in words set as text."""
    return str(h.latex).replace(f"${h.result.outcome.tex}$", f"${outcome_tex(h.result.outcome)}$")


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


def hypotheses_list(hyps: Any, label: str | None = None) -> str:
    """Hypotheses as a list of sentences with their certificates; a region shared by all is stated once."""
    if not len(hyps):
        return "No testable hypotheses."
    regions = {h.result.region for h in hyps}
    shared = regions.pop() if len(regions) == 1 else None
    head = ""
    if shared is not None and shared is not sp.true:
        head = "In the equilibrium region $\\mathcal{R}$ of this equilibrium:\n"
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
        text += f"\nEvaluated at {at} (residual {number(float(res.residual), digits=2)})."
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
        rows.append(f"{x}^* &= \\text{{none: stopping never pays}}")
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
        f"(largest residual of the four conditions {number(res.residual, digits=2)})."
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
