"""The ``gvcgames`` command: list, solve and derive the catalogue models.

Exit codes: 0 success, 2 bad usage (unknown model, malformed --set, unwritable directory),
1 the solver failed (no equilibrium), 3 the environment lacks a tool (no TeX engine for
``--pdf``) or LaTeX failed to compile.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sympy as sp

from gvcgames.errors import GvcgamesError
from gvcgames.export import catalogue as documents
from gvcgames.export.pdf import LatexError, TexNotFoundError, compile_pdf, require_tex
from gvcgames.models.catalogue import Entry, catalogue
from gvcgames.solve.verify import is_equilibrium


class UsageError(Exception):
    """A command-line mistake; printed without a traceback, exit code 2."""


def _model(name: str):  # type: ignore[no-untyped-def]
    entries = catalogue()
    if name not in entries:
        raise UsageError(f"unknown model {name!r}; valid models: {', '.join(entries)}")
    return entries[name]


def _parse_set(items: Sequence[str]) -> dict[str, sp.Rational]:
    """``NAME=VALUE`` pairs; values are kept exact (``0.3`` -> ``3/10``) for symbolic solving."""
    values: dict[str, sp.Rational] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set expects NAME=VALUE, got {item!r}")
        try:
            number = sp.Rational(text.strip())
        except (TypeError, ValueError):
            raise UsageError(f"--set {item!r}: {text!r} is not a number") from None
        key = name.strip()
        if key in values:
            raise UsageError(f"--set {key} is given twice ({key}={values[key]} and {item!r}); give each parameter once")
        values[key] = number
    return values


def _check_values(model: str, game: Any, values: dict[str, sp.Rational]) -> None:
    """Names, domains and integrality of ``--set`` values, before any solving."""
    known = {p.name for p in game.parameters}
    unknown = sorted(set(values) - known)
    if unknown:
        raise UsageError(f"{model} has no parameters {unknown}; its parameters: {sorted(known)}")
    for param in game.parameters:
        if param.name not in values:
            continue
        value = values[param.name]
        if param.is_integer and not value.is_integer:
            what = "a positive integer (the number of players)" if param == getattr(game, "N", None) else "an integer"
            raise UsageError(f"--set {param.name}={value}: {param.name} must be {what}, got {value}")
        if param.domain.contains(value) is sp.false:
            raise UsageError(f"--set {param.name}={value} is outside its domain {param.domain}")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _cmd_list(args: argparse.Namespace) -> int:
    for entry in catalogue().values():
        print(f"{entry.name:24s} {entry.kind:9s} {entry.summary}")
    return 0


def _cmd_solve(args: argparse.Namespace) -> int:
    game = _model(args.model).build()
    values = _parse_set(args.set or [])
    _check_values(args.model, game, values)
    known = {p.name for p in game.parameters}
    for rel in getattr(getattr(game, "assumptions", None), "relations", ()):
        by_name = {s: values[s.name] for s in rel.free_symbols if s.name in values}
        if by_name and rel.subs(by_name) is sp.false:
            shown = ", ".join(f"{k}={v}" for k, v in sorted((s.name, v) for s, v in by_name.items()))
            raise UsageError(f"--set {shown} violates the model's assumption {sp.sstr(rel)}")
    if values and set(values) != known:
        game = game.subs(values)
    solution = game.solve()
    print(solution.summary(derivation=args.derivation))
    if values and set(values) == known:
        shown = ", ".join(f"{k} = {v}" for k, v in values.items())
        print(f"\nAt {shown}:")
        holding = solution.at(values)
        for eq in holding:
            numbers = _numbers(eq.at(values))
            verdict = "verified" if is_equilibrium(game, eq, values) else "FAILS the deviation check"
            print(f"  {eq.case}: {numbers}  ({verdict} by gg.is_equilibrium)")
        if not holding and hasattr(game, "solve_at"):  # no closed form holds here: solve numerically
            numeric = game.solve_at(values)
            for eq in numeric.equilibria:
                extra = "".join(f", {k} = {float(v):.6g}" for k, v in eq.outcomes.items())
                print(f"  numeric: {_numbers(eq.at(values))}{extra}  (verified by gg.is_equilibrium)")
            if not numeric.equilibria:
                print(f"  numeric: no equilibrium found ({numeric.message})")
    return 0


def _cmd_statics(args: argparse.Namespace) -> int:
    from gvcgames.statics import hypotheses

    entry = _model(args.model)
    game = entry.build()
    solution = game.solve()
    if not solution.equilibria and entry.statics_systems is not None:
        from gvcgames.statics import system_statics

        print(f"== {args.model}: no closed form; the implicit function theorem on the first-order conditions")
        print(hypotheses(system_statics(entry.statics_systems(), samples=args.samples)))
        return 0
    if not solution.equilibria:
        print(f"{args.model}: no closed-form equilibrium ({solution.message}); statics need one")
        return 1
    for eq in solution.equilibria:
        print(f"== {eq.case}  (holds if {sp.sstr(eq.conditions)})")
        print(hypotheses(eq, samples=args.samples))
        print()
    return 0


def _numbers(values: dict) -> str:
    """``{a: 1.0}`` -> ``a = 1``; nested dicts (mixed strategies) -> ``player: {action: prob}``."""
    return ", ".join(f"{k}: {{{_numbers(v)}}}" if isinstance(v, dict) else f"{k} = {v:.6g}" for k, v in values.items())


def _cmd_derive(args: argparse.Namespace) -> int:
    valid = documents.names()
    if args.model == "all":
        names = valid
    elif args.model in valid:
        names = [args.model]
    else:
        raise UsageError(f"unknown model {args.model!r}; valid models: {', '.join(valid)}, or 'all'")
    if args.pdf:
        require_tex()  # fail before the slow part, not after it
    out = Path(args.output)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".gvcgames-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"cannot write to output directory {out}: {exc.strerror or exc}") from None
    for name, text in documents.render_all(names, jobs=args.jobs):
        path = out / f"{name}.tex"
        path.write_text(text)
        print(f"wrote {path}", flush=True)
        if args.pdf:
            print(f"wrote {compile_pdf(path)}", flush=True)
    return 0


def render(entry: Entry) -> str:
    """The LaTeX document of a catalogue model, as ``gvcgames derive`` writes it."""
    return documents.render(entry.name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gvcgames", description="Solve and document the WP2 game catalogue.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="list the catalogue models")
    p.set_defaults(run=_cmd_list)
    p = sub.add_parser("solve", help="solve a model and print its equilibria")
    p.add_argument("model", help="a name from `gvcgames list`")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", help="fix a parameter (repeatable)")
    p.add_argument("--derivation", action="store_true", help="print every derivation step")
    p.set_defaults(run=_cmd_solve)
    p = sub.add_parser("statics", help="comparative statics and testable hypotheses of a model")
    p.add_argument("model", help="a name from `gvcgames list`")
    p.add_argument(
        "--samples", type=_positive_int, default=200, help="random admissible draws behind 'sampled' signs (>= 1)"
    )
    p.set_defaults(run=_cmd_statics)
    p = sub.add_parser(
        "derive",
        help="write LaTeX derivations (and PDFs with --pdf)",
        description="Write each model's LaTeX document (set-up, equilibria by region, derivation, statics and "
        f"hypotheses); 'all' also writes {documents.PROPOSITIONS}.tex, the WP2 propositions with their proofs.",
    )
    p.add_argument("model", help=f"a name from `gvcgames list`, {documents.PROPOSITIONS}, or 'all'")
    p.add_argument("-o", "--output", default="derivations", help="output directory (default: derivations)")
    p.add_argument("--pdf", action="store_true", help="also compile each document with latexmk (pdflatex)")
    p.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=min(2, os.cpu_count() or 1),
        help="processes generating documents in parallel (default: 2, or 1 on one core); the output does not "
        "depend on it",
    )
    p.set_defaults(run=_cmd_derive)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:  # e.g. `gvcgames solve up | head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except UsageError as exc:
        print(f"gvcgames: error: {exc}", file=sys.stderr)
        return 2
    except (TexNotFoundError, LatexError) as exc:
        print(f"gvcgames: error: {exc}", file=sys.stderr)
        return 3
    except GvcgamesError as exc:
        print(f"gvcgames: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
