"""Shared display helpers for result classes: ``str()`` via ``summary()`` and the common summary tail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy as sp

if TYPE_CHECKING:
    from gvcgames.results import Derivation

__all__ = ["SummaryDisplay", "finish_summary", "short"]


class SummaryDisplay:
    """Mixin: ``str(result)`` is ``result.summary()``.

    The class must define ``summary()`` callable without arguments.
    """

    __slots__ = ()

    def __str__(self) -> str:
        return self.summary()  # type: ignore[attr-defined]


def finish_summary(
    lines: list[str], message: str = "", derivation: Derivation | None = None, *, indent: str = "  "
) -> str:
    """Append the common tail of a summary and join its lines.

    Appends ``{indent}message: {message}`` if ``message`` is non-empty, then ``derivation:`` and the
    derivation's steps if ``derivation`` is given (pass ``None`` to leave it out), and joins with newlines.
    ``lines`` is extended in place.
    """
    if message:
        lines.append(f"{indent}message: {message}")
    if derivation is not None:
        lines += ["derivation:", str(derivation)]
    return "\n".join(lines)


def short(expr: Any, limit: int = 240) -> str:
    """``sstr(expr)``, or a placeholder naming its size when the text is longer than ``limit``.

    A summary must stay readable when an expression runs to pages; the full expression stays
    on the result object.

    Examples
    --------
    >>> import sympy as sp
    >>> short(sp.Symbol("x") ** 2)
    'x**2'
    >>> short(sum(sp.Symbol(f"x{i}") ** i for i in range(100)), limit=50)
    '<expression in x1, x10, x11, ... (99 symbols), 197 operations: too long to print>'
    """
    text = sp.sstr(expr)
    if len(text) <= limit:
        return text
    symbols = sorted(map(str, getattr(expr, "free_symbols", ())))
    shown = ", ".join(symbols[:3]) + (f", ... ({len(symbols)} symbols)" if len(symbols) > 3 else "")
    return f"<expression in {shown}, {sp.count_ops(expr)} operations: too long to print>"
