r"""Honest LaTeX for numbers, expressions and words.

Rules
-----
* Exact numbers (integers, rationals, symbolic constants) print exactly, as sympy prints them.
* A binary float prints with the fewest digits that give back the same float (Python's
  ``repr``): ``0.1`` stays ``0.1``, never ``0.100000000000000``; a float rounded to fewer
  digits on request is marked with ``\approx`` so nobody mistakes it for the exact value.
* An expression that holds a float is *numeric*: :func:`is_numeric` says so and
  :func:`math_tex` can append a ``\text{(numeric)}`` tag.
* Symbols print with their user-chosen LaTeX names (``latex=`` in :func:`gvcgames.parameters`).
* Magnitudes of ``10^15`` and more, or below ``10^-4``, print in scientific notation
  (``1 \times 10^{15}``), with the same shortest round-trip digits.
* Words that carry code (a solver's step title such as ``Case: e = (D*p - Delta)/(D*p)``)
  are set by :func:`prose`: the code becomes inline math with the symbols' LaTeX names.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Iterable
from typing import Any

import sympy as sp
from sympy.parsing.sympy_parser import parse_expr, standard_transformations
from sympy.printing.latex import LatexPrinter

__all__ = ["breakable", "escape", "is_numeric", "math_tex", "name_tex", "number", "prose", "text_tex"]

_SPECIAL = {
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
    "<": r"\textless{}",  # in text, OT1 fonts print < and > as inverted punctuation
    ">": r"\textgreater{}",
}


def escape(text: str) -> str:
    r"""Plain text made safe for LaTeX text mode.

    Examples
    --------
    >>> print(escape("x_star & 50%"))
    x\_star \& 50\%
    """
    return "".join(_SPECIAL.get(ch, ch) for ch in str(text))


def number(value: Any, digits: int | None = None) -> str:
    r"""A number in LaTeX without spurious digits.

    Parameters
    ----------
    value : int, float, sympy number
    digits : int, optional
        Round floats to this many significant digits; the result is then marked ``\approx``
        unless rounding changed nothing.

    Examples
    --------
    >>> number(0.1), number(2.0), number(1 / 3), number(1 / 3, digits=4)
    ('0.1', '2', '0.3333333333333333', '\\approx 0.3333')
    >>> import sympy as sp
    >>> number(sp.Rational(1, 3)), number(sp.Float(0.3))
    ('\\frac{1}{3}', '0.3')
    """
    if isinstance(value, bool):
        return r"\text{true}" if value else r"\text{false}"
    if isinstance(value, sp.Float):
        value = float(value)
    if isinstance(value, float):
        if math.isnan(value):
            return r"\text{undefined}"
        if math.isinf(value):
            return r"\infty" if value > 0 else r"-\infty"
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        shortest = repr(value)
        if "e" not in shortest and abs(value) >= 1e15:
            shortest = _scientific(shortest)
        if digits is not None:
            rounded = f"{value:.{digits}g}"
            if float(rounded) != value:
                return r"\approx " + _sci(rounded)
        return _sci(shortest)
    if isinstance(value, int):
        return str(value)
    return math_tex(sp.sympify(value))


def _scientific(text: str) -> str:
    """``'1000000000000000.0'`` -> ``'1e+15'``: the same digits, in mantissa-exponent form."""
    return f"{decimal.Decimal(text).normalize():e}"


def _sci(text: str) -> str:
    """``1e-05`` -> ``1 \\times 10^{-5}``."""
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


class _Printer(LatexPrinter):
    """sympy's LaTeX printer with honest floats (shortest round-trip digits)."""

    def _print_Float(self, expr: sp.Float) -> str:
        return number(float(expr))

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        # solvers name payoffs ``pi_<player>``; player names are words, not subscripts of letters
        if not hasattr(expr, "domain") and expr.name not in self._settings.get("symbol_names", {}):
            if expr.name.startswith("pi_"):
                return f"\\pi_{{{text_tex(expr.name[3:].strip('{}'))}}}"
            if re.search(r"[\s:()]", expr.name):  # a name in words, e.g. ``tau_{lead firm}``
                return name_tex(expr.name)
        return str(super()._print_Symbol(expr, style))


def is_numeric(expr: Any) -> bool:
    """Whether an expression holds a float (so it is a numerical, not an exact, result).

    Examples
    --------
    >>> import sympy as sp
    >>> is_numeric(sp.Symbol("x") + sp.Float(0.5)), is_numeric(sp.Rational(1, 2)), is_numeric(0.5)
    (True, False, True)
    """
    if isinstance(expr, float):
        return True
    return isinstance(expr, sp.Basic) and bool(expr.atoms(sp.Float))


def math_tex(expr: Any, tag_numeric: bool = False, **settings: Any) -> str:
    r"""LaTeX (math mode) of a sympy object, number or string.

    Parameters
    ----------
    expr : sympy object, number or str
        A string is set in ``\text{...}``.
    tag_numeric : bool
        Append ``\quad\text{(numeric)}`` when the expression holds a float.
    **settings
        Passed to sympy's printer (e.g. ``symbol_names``).

    Examples
    --------
    >>> import gvcgames as gg
    >>> Fbar = gg.parameters("Fbar", positive=True, latex=r"\bar F")
    >>> math_tex(Fbar / 2)
    '\\frac{\\bar F}{2}'
    >>> math_tex(0.25 * Fbar, tag_numeric=True)
    '0.25 \\bar F \\quad\\text{(numeric)}'
    """
    if isinstance(expr, str):
        return text_tex(expr)
    if isinstance(expr, (float, int)) and not isinstance(expr, bool):
        return number(expr) + (r" \quad\text{(numeric)}" if tag_numeric and isinstance(expr, float) else "")
    body = _Printer(settings).doprint(expr)
    if tag_numeric and is_numeric(expr):
        body += r" \quad\text{(numeric)}"
    return body


def text_tex(text: str) -> str:
    r"""Words inside math mode: ``\text{...}`` with special characters escaped.

    Examples
    --------
    >>> text_tex("lead firm")
    '\\text{lead firm}'
    """
    return f"\\text{{{escape(text)}}}"


def name_tex(name: str) -> str:
    r"""LaTeX of a quantity named in words: ``Pr(lead firm: relocate)``, ``tau_{lead firm}``.

    Examples
    --------
    >>> name_tex("Pr(lead firm: relocate)")
    '\\Pr(\\text{lead firm: relocate})'
    >>> name_tex("tau_{lead firm}")
    '\\tau_{\\text{lead firm}}'
    >>> name_tex("free-riding gap")
    '\\text{free-riding gap}'
    """
    found = re.fullmatch(r"Pr\((.+)\)", name)
    if found:
        return f"\\Pr({text_tex(found.group(1))})"
    found = re.fullmatch(r"([A-Za-z]+)_\{(.+)\}", name)
    if found:
        return f"{sp.latex(sp.Symbol(found.group(1)))}_{{{text_tex(found.group(2))}}}"
    if re.fullmatch(r"[A-Za-z]\w*", name):
        return sp.latex(sp.Symbol(name))
    return text_tex(name)


def breakable(tex: str) -> str:
    r"""Inline math that TeX may break across lines: ``\left( ... \right)`` (an unbreakable group) -> ``( ... )``.

    Examples
    --------
    >>> breakable(r"\left(a + b\right) c")
    '(a + b) c'
    """
    return tex.replace(r"\left(", "(").replace(r"\right)", ")").replace(r"\left[", "[").replace(r"\right]", "]")


# --- words with code in them --------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<id>[A-Za-z_][A-Za-z0-9_]*)|(?P<num>\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"|(?P<op>\*\*|<=|>=|==|!=|[-+*/<>=~])|(?P<open>\()|(?P<close>\))|(?P<comma>,)|(?P<space>[ \t]+)|(?P<other>.)",
    re.S,
)
_RELATIONS = {"<=": r"\leq", ">=": r"\geq", "==": "=", "!=": r"\neq", "<": "<", ">": ">", "=": "=", "~": r"\sim"}
# a lone word that is also a symbol's name is left as a word: "a best response", not "$a$ best response"
_WORDS = frozenset(["a", "A", "I", "an", "as", "at", "be", "by", "if", "in", "is", "it", "no", "of", "on", "or"])
_WORDS |= {"to", "and", "for", "iff", "not", "the"}
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def prose(text: str, symbols: Iterable[Any] = ()) -> str:
    r"""Words with sympy code in them, as LaTeX text: each run of code becomes inline math.

    A run is a stretch of known symbols, numbers, operators and brackets (a function name
    directly followed by ``(`` included); it is set in math when it holds a symbol (or a
    relation) and sympy parses it; anything else is escaped text. Relations print as
    ``\leq``, ``\geq``, ``\sim``; symbols with their LaTeX names.

    Parameters
    ----------
    text : str
    symbols : iterable of sympy Symbols
        The names that count as code (typically the game's parameters and actions, and the
        symbols of the derivation's equations). A symbol whose name is not an identifier
        (``Pr(lead firm: relocate)``, ``x^*``) is recognised verbatim.

    Examples
    --------
    >>> import gvcgames as gg
    >>> D, p, Delta, Fbar = gg.parameters("D p Delta Fbar", positive=True)
    >>> e = gg.actions("e", domain="[0, 1]")
    >>> print(prose("Case: e = (D*p - Delta - Fbar)/(D*p)", [D, p, Delta, Fbar, e]))
    Case: $e = \frac{D p - \Delta - \bar{F}}{D p}$
    >>> print(prose("its conditions are never satisfied: 0 > 0; a best response", [e]))
    its conditions are never satisfied: $0 > 0$; a best response
    """
    table: dict[str, Any] = {}
    for sym in symbols:
        if isinstance(sym, sp.Symbol):
            table.setdefault(sym.name, sym)
    placeholders: dict[str, Any] = {}
    for name in sorted((n for n in table if not _PLAIN.fullmatch(n)), key=len, reverse=True):
        if name in text:
            key = f"QzQ{len(placeholders)}QzQ"
            placeholders[key] = table[name]
            text = text.replace(name, key)
    known = {n: s for n, s in table.items() if _PLAIN.fullmatch(n)} | placeholders
    text = re.sub(r"(^|[\s(\[])'(?=\S)", r"\1`", text)  # opening quotes
    tokens = [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(text)]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        j = _run_end(tokens, i, known)
        if j == i:
            out.append(_text_piece(tokens[i][1], placeholders))
            i += 1
            continue
        if j == i + 1 and tokens[i][0] == "id" and "." in (tokens[i - 1][1] if i else "", _value(tokens, j)):
            out.append(escape(tokens[i][1]))  # "i.e.", "e.g.": a word, not a symbol
            i = j
            continue
        lead, run, trail = _trim(tokens[i:j])
        out.append("".join(_text_piece(t, placeholders) for _, t in lead))
        tex = _run_tex(run, known) if run else None
        if tex is None:
            out.append("".join(_text_piece(t, placeholders) for _, t in run))
        else:
            out.append(f"${tex}$")
        out.append("".join(_text_piece(t, placeholders) for _, t in trail))
        i = j
    return "".join(out)


def _value(tokens: list[tuple[str, str]], i: int) -> str:
    return tokens[i][1] if i < len(tokens) else ""


def _starts_call(tokens: list[tuple[str, str]], i: int) -> bool:
    return i + 1 < len(tokens) and tokens[i + 1][0] == "open"


def _run_end(tokens: list[tuple[str, str]], i: int, known: dict[str, Any]) -> int:
    """End (exclusive) of the longest code-like stretch from ``i`` (``i`` if none starts there)."""
    j, depth = i, 0
    while j < len(tokens):
        kind, value = tokens[j]
        if kind == "id" and not (value in known or _starts_call(tokens, j)):
            break
        if kind == "other" or (kind == "comma" and depth == 0):
            break
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        j += 1
    return j


def _trim(run: list[tuple[str, str]]) -> tuple[list, list, list]:
    """Split off leading/trailing spaces, dangling operators and unmatched or enclosing brackets."""
    lead: list[tuple[str, str]] = []
    trail: list[tuple[str, str]] = []
    changed = True
    while changed and run:
        changed = False
        if run[0][0] in ("space", "close") or (run[0][0] == "op" and run[0][1] not in ("-", *_RELATIONS)):
            lead.append(run.pop(0))
            changed = True
        elif run[-1][0] in ("space", "open", "op") or (run[-1][0] == "close" and _depth(run) < 0):
            trail.insert(0, run.pop())
            changed = True
        elif run and run[0][0] == "open" and _depth(run) > 0:
            lead.append(run.pop(0))
            changed = True
        elif len(run) > 2 and run[0][0] == "open" and run[-1][0] == "close" and _encloses(run):
            lead.append(run.pop(0))
            trail.insert(0, run.pop())
            changed = True
    return lead, run, trail


def _depth(run: list[tuple[str, str]]) -> int:
    depth = 0
    for kind, _ in run:
        depth += {"open": 1, "close": -1}.get(kind, 0)
        if depth < 0:
            return -1
    return depth


def _encloses(run: list[tuple[str, str]]) -> bool:
    """Whether the first bracket of ``run`` closes at its last token."""
    depth = 0
    for k, (kind, _) in enumerate(run):
        depth += {"open": 1, "close": -1}.get(kind, 0)
        if depth == 0:
            return k == len(run) - 1
    return False


def _run_tex(run: list[tuple[str, str]], known: dict[str, Any]) -> str | None:
    ids = [v for k, v in run if k == "id" and v in known]
    relation = any(k == "op" and v in _RELATIONS for k, v in run)
    operator = any(k == "op" for k, _ in run)
    if not ids and not relation:
        return None  # numbers and words alone stay text
    if not operator and len(run) == 1 and run[0][1] in _WORDS:
        return None
    sides: list[list[str]] = [[]]
    rels: list[str] = []
    depth = 0
    for kind, value in run:
        depth += {"open": 1, "close": -1}.get(kind, 0)
        if kind == "op" and value in _RELATIONS and depth == 0:
            rels.append(_RELATIONS[value])
            sides.append([])
        else:
            sides[-1].append(value)
    names = dict(known)
    for k, (kind, value) in enumerate(run[:-1]):
        if kind == "id" and run[k + 1][0] == "open":
            names[value] = sp.Function(getattr(known.get(value), "name", value))  # F(x^*): a function
    parts = []
    for side in sides:
        code = "".join(side).strip()
        if not code:
            parts.append("")
            continue
        try:
            expr = parse_expr(code, local_dict=names, transformations=standard_transformations, evaluate=False)
        except Exception:  # any parse failure leaves the words as they are
            return None
        if not isinstance(expr, sp.Basic):
            return None
        parts.append(breakable(math_tex(expr)))
    tex = parts[0]
    for rel, part in zip(rels, parts[1:], strict=True):
        tex = f"{tex} {rel} {part}".strip()
    return tex


def _text_piece(text: str, placeholders: dict[str, Any]) -> str:
    for key, sym in placeholders.items():
        if key in text:
            return text.replace(key, f"${math_tex(sym)}$")
    return escape(text)
