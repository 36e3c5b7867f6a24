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
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import sympy as sp
from sympy.core.cache import clear_cache

from gvcgames.export.format import breakable, escape, math_tex, number
from gvcgames.export.latex import (
    PREAMBLE,
    derivation,
    game_setup,
    hypotheses_list,
    hypothesis_tex,
    measure_zero,
    outcome_tex,
    solution_sections,
    statics_result,
    statics_table,
    symbols_of,
)
from gvcgames.models.catalogue import Entry, catalogue
from gvcgames.spec.assumptions import Sign

__all__ = ["PROPOSITIONS", "model_document", "names", "render", "render_all", "statics_sections", "wp2_propositions"]

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
    for k, eq in enumerate(solution.equilibria, 1):
        head = f"\\subsection*{{Equilibrium in $\\mathcal{{R}}_{{{k}}}$ (see \\eqref{{eq:{label}-R{k}}})}}"
        if measure_zero(eq.conditions):
            parts += [
                head,
                "This equilibrium holds only on a boundary of the parameter space (a set of measure zero): "
                "no comparative statics are taken there.",
            ]
            continue
        results = _results(name, k - 1)
        if not results:
            continue
        hyps = hypotheses(list(results))
        parts += [
            head,
            "\\begin{center}\n" + statics_table(results) + "\n\\end{center}",
            hypotheses_list(hyps, region=k),
        ]
    if not parts:
        return ""
    return "\\section*{Comparative statics and testable hypotheses}\n\n" + "\n\n".join(parts)


def _gap_results(name: str) -> list[tuple[int, int, Any, Any, Any]]:
    """Symmetric game ``name``: for each (equilibrium k, cooperative optimum j) whose regions meet, the
    equilibrium restricted to the common region with the free-riding gap as an outcome, the gap's
    sign analysis, and d(gap)/dN (comparative statics on the common region)."""
    from dataclasses import replace

    from gvcgames.spec.assumptions import Assumptions
    from gvcgames.statics import analyse_sign, comparative_statics
    from gvcgames.statics.region import region_context

    solution = _solved(name)
    game = solution.game
    coop = _cooperative(name)
    x = game.action
    out = []
    for k, eq in enumerate(solution.equilibria, 1):
        for j, opt in enumerate(coop.equilibria, 1):
            ctx = Assumptions(game.assumptions.relations)
            region = ctx.clean(sp.And(eq.conditions, opt.conditions))
            if region is sp.false or measure_zero(region):
                continue
            gap = sp.factor(opt.strategies[x] - eq.strategies[x])
            joint = replace(eq, conditions=region, outcomes={**eq.outcomes, GAP: gap})
            sign = analyse_sign(gap, region_context(ctx, region))
            dn = None
            if isinstance(game.N, sp.Symbol) and gap.has(game.N):
                dn = comparative_statics(joint, GAP, game.N, seed=SEED)
            out.append((k, j, joint, sign, dn))
    return out


GAP = "free-riding gap"


@functools.cache
def _cooperative(name: str) -> Any:
    return _solved(name).game.cooperative()


def cooperative_sections(name: str, label: str) -> str:
    """A symmetric model's joint-action optimum, the free-riding gap and its comparative statics in ``N``."""
    solution = _solved(name)
    game = solution.game
    coop = _cooperative(name)
    x = game.action
    symbols = symbols_of(solution)
    parts = [
        "\\section*{Joint action and free riding}",
        "The joint-action (cooperative) optimum chooses the common action that maximises each player's payoff "
        f"when all play the same ${math_tex(x)}$, "
        f"$u({math_tex(x)}, {math_tex(x)}) = {math_tex(coop.game.players[0].payoff)}$; the engine "
        f"({escape(coop.method)}) finds:",
    ]
    rows = []
    for j, opt in enumerate(coop.equilibria, 1):
        region = (
            "\\text{all admissible parameters}" if opt.conditions is sp.true else breakable(math_tex(opt.conditions))
        )
        rows.append(
            f"{math_tex(x)}^{{C}} &= {math_tex(opt.strategies[x])} && \\text{{if }} {region} \\label{{eq:{label}-C{j}}}"
        )
    parts.append("\\begin{align}\n" + " \\\\\n".join(rows) + "\n\\end{align}")
    items = []
    for k, j, joint, sign, dn in _gap_results(name):
        gap = joint.outcomes[GAP]
        where = "" if joint.conditions is sp.true else f" (where ${breakable(math_tex(joint.conditions))}$)"
        claim = _sign_sentence(sign, gap)
        text = (
            f"\\item In $\\mathcal{{R}}_{{{k}}}$ with the optimum \\eqref{{eq:{label}-C{j}}}{where}: the gap is "
            f"${math_tex(x)}^{{C}} - {math_tex(x)}^* = {math_tex(gap)}$, {claim}"
        )
        if dn is not None:
            text += (
                f" Its response to the number of players, "
                f"$\\partial ({math_tex(x)}^{{C}} - {math_tex(x)}^*)/\\partial {math_tex(game.N)} = "
                f"{math_tex(dn.derivative)}$, {_statics_sentence(dn)}"
            )
        items.append(text)
    if items:
        parts.append(
            "The free-riding gap between the joint optimum and the symmetric equilibrium, wherever both are "
            "defined (signs with their certificates, proved on the common region unless stated):\n"
            "\\begin{itemize}\n" + "\n".join(items) + "\n\\end{itemize}"
        )
    parts.append(
        "\\paragraph{Derivation of the joint optimum.}\n" + derivation(coop.derivation, f"{label}-coop", symbols)
    )
    return "\n\n".join(parts)


_SIGN_PHRASE = {
    "> 0": "positive",
    "< 0": "negative",
    "= 0": "zero",
    ">= 0": "nonnegative",
    "<= 0": "nonpositive",
}


def _sign_sentence(analysis: Any, expr: Any) -> str:
    """``is positive (proved).`` or ``... has a sign that depends on parameters ...`` from a sign analysis."""
    sign = analysis.sign
    if sign.value in _SIGN_PHRASE:
        text = f"which is {_SIGN_PHRASE[sign.value]} (proved)"
        strict = getattr(analysis, "conditions", {}) or {}
        if sign.value in (">= 0", "<= 0"):
            cond = strict.get(Sign.POSITIVE if sign.value == ">= 0" else Sign.NEGATIVE)
            if cond not in (None, sp.true, sp.false):
                text += f", and strictly so where ${breakable(math_tex(cond))}$"
        return text + "."
    return "whose sign is not proved on the whole region."


def _statics_sentence(res: Any) -> str:
    cert = str(res.certificate)
    sign = res.sign.value
    if cert == "proved" and sign in _SIGN_PHRASE:
        word = _SIGN_PHRASE[sign]
        text = f"is {word} (proved): free riding " + (
            "widens with the number of players" if sign in ("> 0", ">= 0") else "narrows with the number of players"
        )
        if sign in (">= 0", "<= 0"):
            cond = res.conditions.get(Sign.POSITIVE if sign == ">= 0" else Sign.NEGATIVE)
            if cond not in (None, sp.true, sp.false):
                text += f" (strictly where ${breakable(math_tex(cond))}$)"
        return text + "."
    if cert == "conditional":
        pos = res.conditions.get(Sign.POSITIVE)
        return f"is positive where ${breakable(math_tex(pos))}$ and negative elsewhere in the region (conditional)."
    return f"has a sign that is {escape(cert)}."


def _ro_extras(label: str) -> str:
    """RO: the relocation trigger in closed form, and a numeric optimum with its IFT derivative."""
    from gvcgames.models.relocation_option import option_values, trigger_formula
    from gvcgames.options import relocation_trigger
    from gvcgames.spec.symbols import parameters
    from gvcgames.statics import hypotheses, implicit_statics, system_statics
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
    parts += [
        "\\section*{Comparative statics and hypotheses}",
        "Without a closed form, the signs come from the implicit function theorem on the first-order condition, "
        "$\\partial e^*/\\partial \\theta = -F_\\theta / F_e$ with $F_e < 0$ (proved): a sign proved for every "
        "$e$ in $(0, 1)$ holds at every interior optimum; otherwise the condition was solved numerically at "
        "random admissible parameter points and the sign is reported as sampled (or conditional, when both "
        "signs occur).",
        hypotheses_list(hypotheses(system_statics(catalogue()["ro"].statics_systems(), samples=100))),
    ]
    return "\n\n".join(parts)


EXTRAS: dict[str, Callable[[str], str]] = {"ro": _ro_extras}
NUMERIC = {"ro": "solved numerically in the section \\emph{A numeric optimum} below."}


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
    numeric = NUMERIC.get(entry.name, "")
    parts.append(solution_sections(solution, label, numeric=numeric))
    extra = statics_sections(entry.name, label)
    if extra:
        parts.append(extra)
    if hasattr(game, "cooperative"):
        parts.append(cooperative_sections(entry.name, label))
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
        f"{breakable(math_tex(eq.strategies[u]))}$ \\eqref{{eq:up-R1}}, and\n" + statement + "\n\\end{proposition}",
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
    dR_any = None
    for name in ("m", "c"):
        dR = _result("pr", kp, "Pr(lead firm: relocate)", name)
        theta = dR.wrt
        total = sp.diff(composed, theta)
        chain = du_dR.derivative.subs(R_param, R_star) * dR.derivative
        if sp.simplify(total - chain) != 0:  # pragma: no cover - the chain rule; checked, not assumed
            raise AssertionError(f"chain rule fails for du*/d{name}")
        if dR.certificate != "proved" or not dR.sign.strict:
            continue
        dR_any = dR
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
            f"\\item a higher {desc} (${math_tex(theta)}$) raises upgrading if ${breakable(math_tex(positive))}$ "
            f"and lowers it if ${breakable(math_tex(negative))}$ ({_cert_words(du_dR)} in UP), because it "
            f"{'raises' if dR.sign == Sign.POSITIVE else 'lowers'} the probability of relocation "
            f"({_cert_words(dR)} in PR)."
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
        f"The second factor has the sign of Proposition~\\ref{{prop:pr}} ({_cert_words(dR_any)}); the first is the "
        f"sign of Proposition~\\ref{{prop:up}} ({_cert_words(du_dR)}), positive exactly under the condition stated "
        "there.\n\\end{proof}",
    ]


def _cluster(parts: list[str]) -> None:
    solution = _solved("cl")
    game = solution.game
    nash = next(eq for eq in solution.equilibria if eq.case == "interior")
    k = solution.equilibria.index(nash)
    coop = _cooperative("cl")
    pairs = [r for r in _gap_results("cl") if r[0] == k + 1 and "interior" in coop.equilibria[r[1] - 1].case]
    (_, j, joint, analysis, dn) = pairs[0]
    e = next(iter(nash.strategies))
    e_c = coop.equilibria[j - 1].strategies[e]
    gap = joint.outcomes[GAP]
    statement, proof = _claims("cl", k, [("e", "N")], "p4")
    N = game.N
    proved = analysis.sign.value in _SIGN_PHRASE
    sign_words = _SIGN_WORDS[analysis.sign.value]
    dn_words = ""
    if dn is not None:
        dn_words = (
            f"; the gap responds to the number of MSEs by "
            f"$\\partial ({math_tex(e)}^{{C}} - {math_tex(e)}^{{N}})/\\partial {math_tex(N)} = "
            f"{math_tex(dn.derivative)}$, "
            f"which {_dn_claim(dn)}"
        )
    parts += [
        "\\section{Free riding in clusters}",
        "\\begin{proposition}[CL]\\label{prop:cl}\n"
        f"In the cluster model (Appendix~\\ref{{app:cl}}) with ${math_tex(N)}$ MSEs, the symmetric equilibrium "
        f"prevention is ${math_tex(e)}^{{N}} = {math_tex(nash.strategies[e])}$ and the joint-action optimum is "
        f"${math_tex(e)}^{{C}} = {math_tex(e_c)}$; the free-riding gap\n"
        f"\\[ {math_tex(e)}^{{C}} - {math_tex(e)}^{{N}} = {math_tex(gap)} \\]\n"
        f"is {sign_words} where both are interior{dn_words}; and\n" + statement + "\n\\end{proposition}",
        "\\begin{proof}\nThe symmetric equilibrium is derived with one deviator against $N-1$ identical others "
        "(Appendix~\\ref{app:cl}); the joint optimum maximises each MSE's payoff when all choose the same "
        "prevention. "
        + ("The sign of the gap is proved " if proved else "The sign of the gap could not be proved; it was analysed ")
        + f"on the admissible set cut by both interior regions (${breakable(math_tex(joint.conditions))}$)"
        + (f", and so is the sign of its derivative in ${math_tex(N)}$ ({_cert_words(dn)})" if dn is not None else "")
        + f". Differentiating the equilibrium in ${math_tex(N)}$:\n\n"
        + proof
        + "\n\\end{proof}",
    ]


def _cert_words(res: Any) -> str:
    """How a statics result's sign is known, in words, from its certificate."""
    if res is None:
        return "not computed"
    cert = str(res.certificate)
    return {
        "proved": "proved",
        "proved on box": "proved on a parameter box only",
        "sampled": f"sampled at {getattr(res.evidence, 'samples', '?')} points, not proved",
        "conditional": "conditional",
    }.get(cert, "not determined")


def _dn_claim(res: Any) -> str:
    sign = res.sign.value
    if str(res.certificate) == "proved" and sign in _SIGN_PHRASE:
        return f"is {_SIGN_PHRASE[sign]} ({_cert_words(res)})"
    return f"has a sign that is {_cert_words(res)}"


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


# documents that reuse other documents' solutions: generated in the same process, after them
_DEPENDS = {PROPOSITIONS: ("pr", "up", "cl")}
# rough generation cost (the PR family dominates) for balancing the worker processes
_COST = {"pr": 6.0, "ro": 3.0, "cl": 2.0, "up": 1.0, PROPOSITIONS: 1.0}


def _groups(wanted: Sequence[str], jobs: int) -> list[list[str]]:
    """``wanted`` split into at most ``jobs`` groups, dependencies kept together, balanced by cost."""
    component = {name: {name} for name in wanted}
    for name in wanted:
        for dep in _DEPENDS.get(name, ()):
            if dep in component and component[dep] is not component[name]:
                merged = component[name] | component[dep]
                for member in merged:
                    component[member] = merged
    units: list[list[str]] = []
    for name in wanted:
        if not any(name in unit for unit in units):
            members = component[name]
            # dependencies first, then the documents that reuse them
            units.append(sorted(members, key=lambda n: (n in _DEPENDS, wanted.index(n))))
    bins: list[tuple[float, list[str]]] = [(0.0, []) for _ in range(max(1, min(jobs, len(units))))]
    for unit in sorted(units, key=lambda u: -sum(_COST.get(n, 0.5) for n in u)):
        k = min(range(len(bins)), key=lambda i: bins[i][0])
        cost, names_in = bins[k]
        bins[k] = (cost + sum(_COST.get(n, 0.5) for n in unit), names_in + unit)
    return [b for _, b in bins if b]


def _render_group(group: Sequence[str]) -> dict[str, str]:
    return {name: render(name) for name in group}


def render_all(wanted: Sequence[str], jobs: int = 1) -> Iterator[tuple[str, str]]:
    """``(name, text)`` of each document in ``wanted``, in that order, generated by ``jobs`` processes.

    The text does not depend on ``jobs``: each document is a pure function of the engine's
    output (sympy's cache is cleared before each model is solved), and a document that
    reuses other models' solutions (:data:`PROPOSITIONS`) is generated in the same
    process as they are.
    """
    wanted = list(wanted)
    groups = _groups(wanted, jobs)
    if len(groups) <= 1:
        for name in wanted:
            yield name, render(name)
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process with timer threads
    with ProcessPoolExecutor(max_workers=len(groups), mp_context=context) as pool:
        futures = {name: future for group in groups for future in [pool.submit(_render_group, group)] for name in group}
        for name in wanted:
            yield name, futures[name].result()[name]
