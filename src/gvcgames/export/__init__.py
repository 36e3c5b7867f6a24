"""Export: LaTeX documents and fragments. Reads results, never solves."""

from gvcgames.export.latex import document

__all__ = ["document"]
