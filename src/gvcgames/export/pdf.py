"""Compile LaTeX to PDF with latexmk and pdflatex (a real TeX engine, found on ``PATH``).

The compilation runs in a temporary directory, so only the PDF lands next to the sources;
an error is reported with the first lines of TeX's own messages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from gvcgames.errors import GvcgamesError

__all__ = [
    "INSTALL_HINT",
    "TEX_PACKAGES",
    "LatexError",
    "TexNotFoundError",
    "compile_pdf",
    "overfull_boxes",
    "require_tex",
    "tex_available",
]

# exactly what the documents need (article, amsmath/amsthm, geometry, booktabs, Type 1 fonts), as .ci/run installs
TEX_PACKAGES = "latexmk texlive-latex-base texlive-latex-recommended texlive-fonts-recommended"
INSTALL_HINT = (
    f"install a TeX engine and latexmk, e.g. on Debian/Ubuntu: `sudo apt-get install {TEX_PACKAGES}`; "
    "on macOS: MacTeX (https://tug.org/mactex/); elsewhere: TeX Live (https://tug.org/texlive/)"
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


def compile_pdf(
    source: str | Path, output_dir: str | Path | None = None, timeout: float = 300, keep_log: bool = False
) -> Path:
    """Compile a ``.tex`` file to PDF with ``latexmk -pdf`` and return the PDF's path.

    Parameters
    ----------
    source : path
        The ``.tex`` file.
    output_dir : path, optional
        Where the PDF goes (default: beside the source).
    timeout : float
        Seconds before giving up.
    keep_log : bool
        Also copy TeX's ``.log`` beside the PDF (e.g. for :func:`overfull_boxes`).

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
        if keep_log:
            shutil.copy2(Path(work) / (src.stem + ".log"), target / (src.stem + ".log"))
        return Path(shutil.copy2(pdf, target / pdf.name))


_OVERFULL = re.compile(r"^Overfull \\hbox \((?P<width>[0-9.]+)pt too wide\) (?P<where>.*)$", re.M)


def overfull_boxes(log_text: str, wider_than: float = 0.0) -> list[tuple[float, str]]:
    r"""The overfull ``\hbox`` warnings of a TeX log wider than ``wider_than`` points, as ``(width, where)``.

    Parameters
    ----------
    log_text : str
        The text of a ``.log`` file (see ``compile_pdf(..., keep_log=True)``).
    wider_than : float
        Points; narrower boxes are left out.

    Examples
    --------
    >>> log = "Overfull \\hbox (281.4pt too wide) detected at line 65\nOverfull \\hbox (3.6pt too wide) in paragraph"
    >>> overfull_boxes(log, wider_than=20)
    [(281.4, 'detected at line 65')]
    """
    found = ((float(m.group("width")), m.group("where")) for m in _OVERFULL.finditer(log_text))
    return [(width, where) for width, where in found if width > wider_than]


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
