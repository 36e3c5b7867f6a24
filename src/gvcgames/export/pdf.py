"""Compile LaTeX to PDF with latexmk and pdflatex (a real TeX engine, found on ``PATH``).

The compilation runs in a temporary directory, so only the PDF lands next to the sources;
an error is reported with the first lines of TeX's own messages.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from gvcgames.errors import GvcgamesError

__all__ = ["INSTALL_HINT", "LatexError", "TexNotFoundError", "compile_pdf", "require_tex", "tex_available"]

INSTALL_HINT = (
    "install a TeX engine and latexmk, e.g. on Debian/Ubuntu: "
    "`sudo apt-get install latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra "
    "texlive-fonts-recommended`; on macOS: MacTeX (https://tug.org/mactex/); elsewhere: TeX Live "
    "(https://tug.org/texlive/)"
)
TOOLS = ("latexmk", "pdflatex")


class TexNotFoundError(GvcgamesError, RuntimeError):
    """latexmk or pdflatex is not on ``PATH``."""


class LatexError(GvcgamesError, RuntimeError):
    """TeX stopped with an error while compiling a document."""


def tex_available() -> bool:
    """Whether latexmk and pdflatex are both on ``PATH``.

    Examples
    --------
    >>> isinstance(tex_available(), bool)
    True
    """
    return all(shutil.which(tool) for tool in TOOLS)


def require_tex() -> str:
    """The path of latexmk; raises :class:`TexNotFoundError` (saying how to install) if TeX is missing."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        raise TexNotFoundError(f"{' and '.join(missing)} not found on PATH; {INSTALL_HINT}")
    return str(shutil.which("latexmk"))


def compile_pdf(source: str | Path, output_dir: str | Path | None = None, timeout: float = 300) -> Path:
    """Compile a ``.tex`` file to PDF with ``latexmk -pdf`` and return the PDF's path.

    Parameters
    ----------
    source : path
        The ``.tex`` file.
    output_dir : path, optional
        Where the PDF goes (default: beside the source).
    timeout : float
        Seconds before giving up.

    Raises
    ------
    TexNotFoundError
        latexmk or pdflatex is missing (the message says how to install them).
    LatexError
        TeX reported an error; the message quotes it.
    FileNotFoundError
        The source does not exist.
    """
    latexmk = require_tex()
    src = Path(source).resolve()
    if not src.is_file():
        raise FileNotFoundError(f"no LaTeX file {src}")
    target = Path(output_dir).resolve() if output_dir is not None else src.parent
    with tempfile.TemporaryDirectory(prefix="gvcgames-tex-") as work:
        cmd = [latexmk, "-pdf", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", f"-outdir={work}"]
        try:
            done = subprocess.run(
                [*cmd, src.name], cwd=src.parent, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise LatexError(f"latexmk did not finish {src.name} within {timeout:g} s") from exc
        pdf = Path(work) / (src.stem + ".pdf")
        if done.returncode != 0 or not pdf.exists():
            log = Path(work) / (src.stem + ".log")
            raise LatexError(f"LaTeX failed on {src.name}:\n{_errors(log, done.stdout + done.stderr)}")
        target.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(pdf, target / pdf.name))


def _errors(log: Path, fallback: str) -> str:
    """The error lines of a TeX log (``! ...`` or ``file:line: ...``) with two lines of context."""
    text = log.read_text(errors="replace") if log.exists() else fallback
    lines = text.splitlines()
    picked: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("!") or (".tex:" in line and ": " in line.split(".tex:", 1)[1]):
            picked += lines[i : i + 3]
        if len(picked) > 30:
            break
    return "\n".join(picked) or "\n".join(lines[-20:])
