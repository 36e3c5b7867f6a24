"""Comparative statics, sign certificates, monotone comparative statics and testable hypotheses.

One concept per module:

* :mod:`~gvcgames.statics.outcomes` -- what is differentiated (strategies, payoffs, derived
  quantities);
* :mod:`~gvcgames.statics.comparative` -- :func:`comparative_statics` and the statics table;
* :mod:`~gvcgames.statics.result` -- :class:`StaticsResult` and its display;
* :mod:`~gvcgames.statics.certificates` -- certificates and exact sign conditions;
* :mod:`~gvcgames.statics.region` -- the admissible set of an equilibrium for sign proofs;
* :mod:`~gvcgames.statics.sampling` -- random admissible parameter points (numpy);
* :mod:`~gvcgames.statics.intervals` -- interval arithmetic and branch and bound;
* :mod:`~gvcgames.statics.implicit` -- the implicit function theorem for FOC systems;
* :mod:`~gvcgames.statics.implicit_signs` -- certified signs of implicit statics (no closed form);
* :mod:`~gvcgames.statics.monotone` -- increasing differences, single crossing, region shifts;
* :mod:`~gvcgames.statics.hypotheses` -- :class:`Hypothesis` objects and their tables.
"""

from gvcgames.statics.certificates import Certificate, Evidence, SignAnalysis, analyse_sign
from gvcgames.statics.comparative import StaticsResult, comparative_statics, statics_results, statics_table
from gvcgames.statics.errors import EmptyBoxError, NotAParameterError, OutcomeError, SingularJacobianError
from gvcgames.statics.hypotheses import Hypotheses, Hypothesis, hypotheses
from gvcgames.statics.implicit import ImplicitStatics, first_order_conditions, implicit_statics
from gvcgames.statics.implicit_signs import implicit_statics_results, system_statics
from gvcgames.statics.intervals import BoxProof, prove_sign_on_box
from gvcgames.statics.monotone import (
    MonotoneResult,
    increasing_differences,
    regime_shifts,
    region_shift,
    single_crossing,
)
from gvcgames.statics.outcomes import Outcome, payoff_of
from gvcgames.statics.sampling import ParameterSample, sample_admissible

__all__ = [
    "BoxProof",
    "Certificate",
    "EmptyBoxError",
    "Evidence",
    "Hypotheses",
    "Hypothesis",
    "ImplicitStatics",
    "MonotoneResult",
    "NotAParameterError",
    "Outcome",
    "OutcomeError",
    "ParameterSample",
    "SignAnalysis",
    "SingularJacobianError",
    "StaticsResult",
    "analyse_sign",
    "comparative_statics",
    "first_order_conditions",
    "hypotheses",
    "implicit_statics",
    "implicit_statics_results",
    "increasing_differences",
    "payoff_of",
    "prove_sign_on_box",
    "regime_shifts",
    "region_shift",
    "sample_admissible",
    "single_crossing",
    "statics_results",
    "statics_table",
    "system_statics",
]
