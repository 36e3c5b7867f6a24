"""Shared display helpers for result classes: ``str()`` via ``summary()`` and the common summary tail."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gvcgames.results import Derivation

__all__ = ["SummaryDisplay", "finish_summary"]


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
