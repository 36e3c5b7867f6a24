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
"""

from __future__ import annotations

import math
from typing import Any

import sympy as sp
from sympy.printing.latex import LatexPrinter

__all__ = ["escape", "is_numeric", "math_tex", "number", "text_tex"]

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
        if digits is not None:
            rounded = f"{value:.{digits}g}"
            if float(rounded) != value:
                return r"\approx " + _sci(rounded)
        return _sci(shortest)
    if isinstance(value, int):
        return str(value)
    return math_tex(sp.sympify(value))


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
        if (
            not hasattr(expr, "domain")
            and expr.name.startswith("pi_")
            and expr.name not in self._settings.get("symbol_names", {})
        ):
            return f"\\pi_{{{text_tex(expr.name[3:].strip('{}'))}}}"
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
