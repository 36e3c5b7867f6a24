"""Standalone LaTeX documents of a solved game: set-up, derivation, equilibria."""

from __future__ import annotations

import sympy as sp

from gvcgames.results import Solution, _latex_escape

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2.5cm]{geometry}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
"""


def document(solution: Solution, title: str | None = None) -> str:
    """A compilable LaTeX document with the game, every derivation step and the equilibria.

    Examples
    --------
    >>> import gvcgames as gg
    >>> text = gg.export.document(gg.models.upgrading().solve())
    >>> text.startswith(r"\\documentclass") and r"\\end{document}" in text
    True
    """
    game = solution.game
    name = title or getattr(game, "name", "") or "Game"
    parts = [PREAMBLE, f"\\title{{{_latex_escape(name)}}}", "\\date{}", "\\begin{document}", "\\maketitle"]
    if game is not None and getattr(game, "description", ""):
        parts.append(_latex_escape(game.description))
    parts.append("\\section*{Equilibria}")
    if not solution.converged:
        parts.append(f"\\emph{{Incomplete: {_latex_escape(solution.message)}}}")
    parts.append(solution.to_latex())
    for i, eq in enumerate(solution.equilibria, 1):
        rows = "\n".join(
            f"\\item {_latex_escape(player)}: {_latex_escape(text)}"
            for player, text in getattr(eq, "optimality", {}).items()
        )
        if rows:
            parts.append(f"\\paragraph{{Optimality in equilibrium {i}.}}\n\\begin{{itemize}}\n{rows}\n\\end{{itemize}}")
    parts.append("\\section*{Derivation}")
    parts.append(solution.derivation.to_latex())
    if solution.rejected:
        rows = "\n".join(f"\\item {_latex_escape(c)}: {_latex_escape(r)}" for c, r in solution.rejected)
        parts.append(f"\\section*{{Rejected candidates}}\n\\begin{{itemize}}\n{rows}\n\\end{{itemize}}")
    parts.append("\\end{document}\n")
    return "\n\n".join(parts)


def latex(expr: object) -> str:
    """sympy's LaTeX for an expression (a hook for user-chosen symbol names)."""
    return sp.latex(expr)
