"""Export: LaTeX documents and fragments (and PDF through latexmk). Reads results, never solves."""

from gvcgames.export.latex import ExportError, document, fragment, latex

__all__ = ["ExportError", "document", "fragment", "latex"]
