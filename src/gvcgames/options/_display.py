"""Private helpers for summaries and LaTeX of option results."""

from __future__ import annotations

import math
from typing import Any

import sympy as sp


def fmt(value: Any) -> str:
    """A number as ``0.123457`` (6 significant digits), ``inf``; an expression with sstr."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.6g}"
    expr = sp.sympify(value)
    if not expr.free_symbols and expr.is_number:
        return fmt(float(sp.N(expr)))
    return sp.sstr(expr)


def tex(value: Any) -> str:
    """A number or expression in LaTeX; numbers with 6 significant digits."""
    if value is None:
        return r"\text{--}"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isinf(value):
            return r"\infty" if value > 0 else r"-\infty"
        return f"{value:.6g}"
    expr = sp.sympify(value)
    if not expr.free_symbols and expr.is_number:
        return tex(float(sp.N(expr)))
    return sp.latex(expr)


_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}


def escape(text: str) -> str:
    """Plain text made safe for LaTeX text mode (also inside ``\\text{...}`` in math)."""
    return "".join(_SPECIAL.get(ch, ch) for ch in str(text))
