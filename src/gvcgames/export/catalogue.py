r"""The documents in ``derivations/``: one per catalogue model, and the WP2 propositions.

Each model's document holds its set-up, equilibria by region, derivation, and, for every
equilibrium in closed form, its comparative-statics sign table and testable hypotheses
(:func:`gvcgames.statics.hypotheses`, seeded so the text is reproducible). RO, which has no
closed form, gets its relocation trigger (:func:`gvcgames.options.relocation_trigger`) and a
numeric optimum with the implicit-function-theorem derivative at a stated point.

:func:`wp2_propositions` states the WP2 propositions (the two-way loop prevention ->
relocation -> upgrading, and free riding in clusters). The words between them are written
here; every formula, sign, condition and certificate comes from the engine's solutions and
statics at the time the document is generated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import sympy as sp
from sympy.core.cache import clear_cache

from gvcgames.export.format import escape, math_tex, number
from gvcgames.export.latex import (
    PREAMBLE,
    derivation,
    game_setup,
    hypotheses_list,
    hypothesis_tex,
    outcome_tex,
    solution_sections,
    statics_result,
    statics_table,
)
from gvcgames.models.catalogue import Entry, catalogue

__all__ = ["PROPOSITIONS", "model_document", "names", "render", "statics_sections", "wp2_propositions"]

PROPOSITIONS = "wp2-propositions"
SEED = 0  # statics sampling seed: the documents must be reproducible byte for byte
DIGITS = 6  # numeric illustrations: rounded (and marked) so the files do not depend on the platform's last bits


@functools.cache
def _solved(name: str) -> Any:
    # Symbols equal by name and domain (UP's ``a`` and Cournot's ``a``) are interchangeable in sympy's
    # cache although their descriptions differ; a fresh cache keeps each model's own labels in its document.
    clear_cache()
    game: Any = catalogue()[name].build()
    return game.solve()


@functools.cache
def _results(name: str, index: int) -> tuple[Any, ...]:
    from gvcgames.statics import statics_results

    return tuple(statics_results(_solved(name).equilibria[index], seed=SEED))


def statics_sections(name: str, label: str) -> str:
    """Sign table and hypotheses of every closed-form equilibrium of catalogue model ``name``."""
    from gvcgames.statics import hypotheses

    solution = _solved(name)
    parts = []
    for k, _eq in enumerate(solution.equilibria, 1):
        results = _results(name, k - 1)
        if not results:
            continue
        hyps = hypotheses(list(results))
        parts += [
            f"\\subsection*{{Equilibrium in $\\mathcal{{R}}_{{{k}}}$ (see \\eqref{{eq:{label}-R{k}}})}}",
            "\\begin{center}\n" + statics_table(results) + "\n\\end{center}",
            hypotheses_list(hyps),
        ]
    if not parts:
        return ""
    return "\\section*{Comparative statics and testable hypotheses}\n\n" + "\n\n".join(parts)


def _ro_extras(label: str) -> str:
    """RO: the relocation trigger in closed form, and a numeric optimum with its IFT derivative."""
    from gvcgames.models.relocation_option import option_values, trigger_formula
    from gvcgames.options import relocation_trigger
    from gvcgames.spec.symbols import parameters
    from gvcgames.statics import implicit_statics
    from gvcgames.statics.implicit import first_order_conditions

    r, sigma, I, delta = parameters("r sigma I delta", positive=True)  # noqa: E741
    mu = parameters("mu", domain="(-1, 1)")
    trigger = relocation_trigger(r=r, mu=mu, sigma=sigma, I=I, premium=delta)
    parts = [
        "\\section*{The lead firm's relocation option}",
        f"\\paragraph{{{escape(trigger.title)}.}} Method: {escape(trigger.method)}.",
        derivation(trigger.derivation, f"{label}-option"),
    ]
    rows = [f"x^* &= {math_tex(trigger.formula)}"] if trigger.formula is not None else []
    rows += [f"x^* &= {math_tex(trigger.trigger)}", f"\\beta &= {math_tex(trigger.beta)}"]
    parts.append("\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}")

    game: Any = catalogue()["ro"].build()
    primitives = {"r": 0.05, "mu": 0.01, "sigma": 0.2, "I": 10.0, "delta": 0.1}
    fixed = {"m": 1.0, "c": 2.0, "r": 0.05, "x0": 0.5}
    values = {**fixed, **option_values(**primitives)}
    (foc,), (e,) = first_order_conditions(game)
    numeric = game.solve_at(values)
    e_star = float(numeric.equilibria[0][e])
    x_star, beta = trigger_formula()
    foc_primitive = foc.subs({game.symbol("beta"): beta, game.symbol("x_star"): x_star})
    sig = next(s for s in beta.free_symbols if s.name == "sigma")
    ift: Any = implicit_statics(foc_primitive, e, sig, at={**fixed, **primitives, "e": e_star}, symbolic=False)
    at = ", ".join(f"${math_tex(sp.Symbol(k))} = {number(v)}$" for k, v in {**fixed, **primitives}.items())
    parts += [
        "\\section*{A numeric optimum}",
        f"The MSE's first-order condition has no closed form. At {at} "
        f"(so $\\beta {number(values['beta'], DIGITS)}$ and $x^* {number(values['x_star'], DIGITS)}$), "
        f"scipy ({escape(numeric.method)}) finds the optimum and the implicit function theorem, "
        "applied to the first-order condition with $\\beta$ and $x^*$ written in the primitives, gives "
        "its response to volatility (numeric values, rounded as marked):",
        "\\begin{align*}\n"
        f"e^* &{number(e_star, DIGITS)} \\\\\n"
        f"\\frac{{\\partial e^*}}{{\\partial \\sigma}} &{number(float(ift.values[0][0]), DIGITS)}"
        "\n\\end{align*}",
    ]
    return "\n\n".join(parts)


EXTRAS: dict[str, Callable[[str], str]] = {"ro": _ro_extras}


def model_document(entry: Entry) -> str:
    """The standalone document of one catalogue model, as ``gvcgames derive`` writes it."""
    solution = _solved(entry.name)
    game = solution.game if solution.game is not None else entry.build()
    label = entry.name
    parts = [
        PREAMBLE,
        f"\\title{{{escape(getattr(game, 'name', '') or entry.summary)}}}",
        "\\date{}",
        "\\begin{document}",
        "\\maketitle",
    ]
    if solution.game is None:  # a solver that does not attach its game: state the set-up here
        parts += ["\\section*{The game}", game_setup(game, label)]
    parts.append(solution_sections(solution, label))
    extra = statics_sections(entry.name, label)
    if extra:
        parts.append(extra)
    if entry.name in EXTRAS:
        parts.append(EXTRAS[entry.name](label))
    parts.append("\\end{document}\n")
    return "\n\n".join(parts)


def render(name: str) -> str:
    """The text of ``derivations/<name>.tex``: a catalogue model or :data:`PROPOSITIONS`."""
    if name == PROPOSITIONS:
        return wp2_propositions()
    return model_document(catalogue()[name])


# --- the WP2 propositions --------------------------------------------------------------------------


def _pick(name: str, predicate: Callable[[Any], bool]) -> tuple[int, Any]:
    for k, eq in enumerate(_solved(name).equilibria):
        if predicate(eq):
            return k, eq
    raise LookupError(f"catalogue model {name!r} has no equilibrium of the required kind")  # pragma: no cover


def _result(name: str, index: int, outcome: str, wrt: str) -> Any:
    for res in _results(name, index):
        if res.outcome.name == outcome and res.wrt.name == wrt:
            return res
    raise LookupError(f"no statics result d{outcome}/d{wrt} in {name!r}")  # pragma: no cover


def _steps(name: str, eq: Any, kinds: Sequence[str]) -> list[int]:
    """Indices (1-based) of derivation steps of these kinds; ``solve`` steps only where they give ``eq``."""
    found = []
    for i, step in enumerate(_solved(name).derivation, 1):
        if step.kind not in kinds:
            continue
        if step.kind == "solve":
            eqs = [m for m in step.math if isinstance(m, sp.Equality)]
            if not any(m.lhs in eq.strategies and sp.simplify(m.rhs - eq.strategies[m.lhs]) == 0 for m in eqs):
                continue
        found.append(i)
    return found


def _refs(label: str, indices: Sequence[int]) -> str:
    return ", ".join(f"\\eqref{{eq:{label}-{i}-1}}" for i in indices) or "(none recorded)"


def _claims(name: str, index: int, pairs: Sequence[tuple[str, str]], label: str) -> tuple[str, str]:
    """(statement items, proof blocks) for the statics results of these (outcome, parameter) pairs."""
    from gvcgames.statics import Hypothesis

    items, proofs = [], []
    for n, (outcome, wrt) in enumerate(pairs, 1):
        res = _result(name, index, outcome, wrt)
        sentence = hypothesis_tex(Hypothesis.from_result(res, ""))
        if res.region is not sp.true:
            sentence = sentence.split("$, ", 1)[1]
            sentence = sentence[:1].upper() + sentence[1:]
        items.append(f"\\item {sentence}")
        proofs.append(statics_result(res, f"{label}-claim-{n}"))
    return "\\begin{enumerate}\n" + "\n".join(items) + "\n\\end{enumerate}", "\n\n".join(proofs)


def _prevention(parts: list[str]) -> tuple[int, Any]:
    k, eq = _pick("pr", lambda q: q.case.startswith("e interior"))
    e = next(iter(eq.strategies))
    R = eq.outcomes["Pr(lead firm: relocate)"]
    statement, proof = _claims(
        "pr",
        k,
        [
            ("e", "p"),
            ("e", "c"),
            ("Pr(lead firm: relocate)", "m"),
            ("Pr(lead firm: relocate)", "c"),
            ("Pr(lead firm: relocate)", "p"),
        ],
        "p1",
    )
    parts += [
        "\\section{Prevention deters relocation}",
        "\\begin{proposition}[PR]\\label{prop:pr}\n"
        f"In the region $\\mathcal{{R}}_{{{k + 1}}}$ of model PR (equation~\\eqref{{eq:pr-R{k + 1}}} in "
        "Appendix~\\ref{app:pr}), where prevention is interior and relocation is uncertain, the MSE's prevention "
        "and the lead firm's probability of relocating are\n"
        "\\begin{align*}\n"
        f"{math_tex(e)}^* &= {math_tex(eq.strategies[e])}, & R^* &= {math_tex(sp.factor(R.subs(e, eq.strategies[e])))}."
        "\n\\end{align*}\n" + statement + "\n\\end{proposition}",
        "\\begin{proof}\nBy backward induction (Appendix~\\ref{app:pr}): the lead firm relocates iff its private "
        f"cost is low enough, {_refs('pr', _steps('pr', eq, ('best_response',)))}; the MSE's payoff is concave, "
        f"{_refs('pr', _steps('pr', eq, ('soc',)))}; the interior solution is "
        f"{_refs('pr', _steps('pr', eq, ('solve',)))}, with the region's conditions "
        f"\\eqref{{eq:pr-R{k + 1}}}. Differentiating the equilibrium values inside the region gives each claim, "
        "with the certificate of its sign:\n\n" + proof + "\n\\end{proof}",
    ]
    return k, eq


def _upgrading(parts: list[str]) -> tuple[int, Any]:
    k, eq = 0, _solved("up").equilibria[0]
    u = next(iter(eq.strategies))
    statement, proof = _claims("up", k, [("u", "R"), ("u", "beta"), ("u", "k")], "p2")
    parts += [
        "\\section{The threat of relocation shapes upgrading}",
        "\\begin{proposition}[UP]\\label{prop:up}\n"
        f"In model UP (Appendix~\\ref{{app:up}}) the MSE's upgrading is ${math_tex(u)}^* = "
        f"{math_tex(eq.strategies[u])}$ \\eqref{{eq:up-R1}}, and\n" + statement + "\n\\end{proposition}",
        "\\begin{proof}\nThe MSE's payoff is concave, "
        f"{_refs('up', _steps('up', eq, ('soc',)))}; its first-order condition "
        f"{_refs('up', _steps('up', eq, ('foc',)))} gives the solution "
        f"{_refs('up', _steps('up', eq, ('solve',)))}. Differentiating:\n\n" + proof + "\n\\end{proof}",
    ]
    return k, eq


def _loop(parts: list[str], pr: tuple[int, Any], up: tuple[int, Any]) -> None:
    from gvcgames.spec.assumptions import Sign

    (kp, eq_pr), (ku, eq_up) = pr, up
    e = next(iter(eq_pr.strategies))
    u = next(iter(eq_up.strategies))
    R_param = eq_up.game.symbol("R")
    R_star = eq_pr.outcomes["Pr(lead firm: relocate)"].subs(e, eq_pr.strategies[e])
    composed = eq_up.strategies[u].subs(R_param, R_star)
    du_dR = _result("up", ku, "u", "R")
    rows, items = [], []
    for name in ("m", "c"):
        dR = _result("pr", kp, "Pr(lead firm: relocate)", name)
        theta = dR.wrt
        total = sp.diff(composed, theta)
        chain = du_dR.derivative.subs(R_param, R_star) * dR.derivative
        if sp.simplify(total - chain) != 0:  # pragma: no cover - the chain rule; checked, not assumed
            raise AssertionError(f"chain rule fails for du*/d{name}")
        if dR.certificate != "proved" or not dR.sign.strict:
            continue
        positive = du_dR.conditions[Sign.POSITIVE if dR.sign == Sign.POSITIVE else Sign.NEGATIVE]
        negative = du_dR.conditions[Sign.NEGATIVE if dR.sign == Sign.POSITIVE else Sign.POSITIVE]
        lhs = f"\\frac{{d {math_tex(u)}^*}}{{d {math_tex(theta)}}}"
        factors = [f"\\frac{{\\partial {outcome_tex(r.outcome)}}}{{\\partial {math_tex(r.wrt)}}}" for r in (du_dR, dR)]
        rows.append(
            f"{lhs} &= {factors[0]}\\,{factors[1]} = "
            f"\\left({math_tex(du_dR.derivative)}\\right) \\left({math_tex(dR.derivative)}\\right)"
        )
        desc = escape(theta.description or theta.name)
        items.append(
            f"\\item a higher {desc} (${math_tex(theta)}$) raises upgrading if ${math_tex(positive)}$ and lowers it "
            f"if ${math_tex(negative)}$, because it {'raises' if dR.sign == Sign.POSITIVE else 'lowers'} "
            f"the probability of relocation (proved)."
        )
    parts += [
        "\\section{The loop closes: prevention, relocation, upgrading}",
        "\\begin{proposition}[PR $\\to$ UP]\\label{prop:loop}\n"
        "Let the relocation probability in UP be the lead firm's equilibrium probability of relocating in PR, "
        f"$R = R^*$, in region $\\mathcal{{R}}_{{{kp + 1}}}$ of PR. Then, for the MSE's upgrading\n"
        f"\\[ {math_tex(u)}^* = {math_tex(eq_up.strategies[u].subs(R_param, sp.Symbol('R^*')))} \\]\n"
        "with $R^*$ as in Proposition~\\ref{prop:pr},\n"
        "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}\n"
        "The MSE's own conditions (margin, prevention cost) thus reach its upgrading through the lead firm's "
        "relocation decision.\n\\end{proposition}",
        "\\begin{proof}\nBy the chain rule (checked symbolically for the composed expression), with the factors "
        "from Propositions~\\ref{prop:pr} and~\\ref{prop:up}:\n"
        "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n"
        "The second factor has the proved sign of Proposition~\\ref{prop:pr}; the first is the conditional "
        "sign of Proposition~\\ref{prop:up}, positive exactly under the condition stated there.\n\\end{proof}",
    ]


def _cluster(parts: list[str]) -> None:
    from gvcgames.spec.assumptions import Assumptions

    game: Any = catalogue()["cl"].build()
    nash = next(eq for eq in _solved("cl").equilibria if eq.case == "interior")
    coop = next(eq for eq in game.cooperative().equilibria if "interior" in eq.case)
    e = next(iter(nash.strategies))
    e_c = next(iter(coop.strategies.values()))
    gap = sp.factor(e_c - nash.strategies[e])
    relations = tuple(r for r in (nash.conditions, coop.conditions) if isinstance(r, sp.core.relational.Relational))
    sign = Assumptions(relations + game.assumptions.relations).sign(gap)
    k = _solved("cl").equilibria.index(nash)
    statement, proof = _claims("cl", k, [("e", "N")], "p4")
    N = game.N
    parts += [
        "\\section{Free riding in clusters}",
        "\\begin{proposition}[CL]\\label{prop:cl}\n"
        f"In the cluster model (Appendix~\\ref{{app:cl}}) with ${math_tex(N)}$ MSEs, the symmetric equilibrium "
        f"prevention is ${math_tex(e)}^{{N}} = {math_tex(nash.strategies[e])}$ and the joint-action optimum is "
        f"${math_tex(e)}^{{C}} = {math_tex(e_c)}$; the free-riding gap\n"
        f"\\[ {math_tex(e)}^{{C}} - {math_tex(e)}^{{N}} = {math_tex(gap)} \\]\n"
        f"is {_SIGN_WORDS[sign.value]} where both are interior, and\n" + statement + "\n\\end{proposition}",
        "\\begin{proof}\nThe symmetric equilibrium is derived with one deviator against $N-1$ identical others "
        "(Appendix~\\ref{app:cl}); the joint optimum maximises the sum of payoffs. The sign of the gap is proved "
        f"on the admissible set cut by both interior regions (${math_tex(nash.conditions)}$ and "
        f"${math_tex(coop.conditions)}$). Differentiating the equilibrium in ${math_tex(N)}$:\n\n"
        + proof
        + "\n\\end{proof}",
    ]


_SIGN_WORDS = {
    "> 0": "positive",
    "< 0": "negative",
    "= 0": "zero",
    ">= 0": "nonnegative",
    "<= 0": "nonpositive",
    "?": "of undetermined sign",
}


def wp2_propositions() -> str:
    """The combined WP2 document: propositions with proofs assembled from the engine's output."""
    parts = [
        PREAMBLE,
        "\\title{WP2 propositions: MSE prevention, lead-firm relocation and upgrading}",
        "\\date{}",
        "\\begin{document}",
        "\\maketitle",
        "This document is generated by \\texttt{gvcgames derive all}. The words linking the results are "
        "written by hand; every formula, region, sign and certificate is produced by the engine from the "
        "catalogue models PR, UP and CL, whose full derivations are reproduced in the appendices so that the "
        "proofs can refer to their numbered steps. Each sign carries its certificate: \\emph{proved} "
        "means a symbolic proof on the whole equilibrium region.",
    ]
    pr = _prevention(parts)
    up = _upgrading(parts)
    _loop(parts, pr, up)
    _cluster(parts)
    parts.append("\\appendix")
    for name in ("pr", "up", "cl"):
        solution = _solved(name)
        parts += [
            f"\\section{{{escape(solution.game.name)}}}\\label{{app:{name}}}",
            solution_sections(solution, name).replace("\\section*{", "\\subsection*{"),
        ]
    parts.append("\\end{document}\n")
    return "\n\n".join(parts)


def names() -> list[str]:
    """Every document ``gvcgames derive all`` writes (without ``.tex``)."""
    return [*catalogue(), PROPOSITIONS]
