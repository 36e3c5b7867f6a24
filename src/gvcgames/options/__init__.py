r"""Real options: investment and relocation timing under uncertainty.

Optimal stopping of a diffusion, written the way papers write it: the Bellman equation,
the characteristic equation and its roots (derived with sympy), value matching and smooth
pasting as sympy equations (kept as steps of the result's ``derivation``), the trigger in
closed form where one exists and with scipy where none does.

=====================================  ==========================================================
:func:`investment_trigger`             Dixit-Pindyck basic model: :math:`V^* = \beta/(\beta-1)\,I`
:func:`relocation_trigger`             WP2 RO: when a lead firm relocates (with MSE prevention)
:func:`optimal_stopping`               any payoff :math:`g(x)`, GBM or ABM, upper or lower trigger
:func:`expected_discount_factor`       :math:`E[e^{-rT}] = (x_0/x^*)^\beta`, hitting probability, time
:func:`entry_exit_thresholds`          Dixit (1989) entry/exit hysteresis band (numeric)
:func:`relocation_band`                relocate and come back, sunk costs both ways (numeric)
:func:`switching_band`                 the general two-regime switching problem behind both
:func:`preemption_duopoly`             leader/follower investment: :math:`Y_F` closed, :math:`Y_P` numeric
:class:`GBM`, :class:`ABM`             the state processes; :class:`PoissonHazard` disruptions
=====================================  ==========================================================

Every function returns a frozen result object with ``method``, ``converged``, ``message``, a
``derivation``, ``summary()``/``str()``, ``to_latex()`` and ``_repr_latex_`` (DESIGN.md
conventions 4-5). Numbers in, floats out; closed-form functions also take sympy symbols
(e.g. from ``gg.parameters``) and return expressions, with undecided requirements in
``.conditions``. Bad input raises :class:`~gvcgames.errors.InvalidValuesError`
(numbers), :class:`~gvcgames.errors.InvalidSpecError` (provably bad symbols) or
:class:`InfiniteOptionValueError` (the discount rate does not exceed the growth rate, so
waiting always pays more); a payoff that never pays gives ``has_trigger=False``
(``policy="never"``); where no single trigger in the requested direction is optimal (e.g. a
payoff that falls as the state rises) the result says so (``policy="unsupported"``,
``converged=False``, the opposite direction's solution in ``.alternative``) and its values
raise instead of being wrong. Nothing returns NaN.

A Poisson hazard (``hazard=``) is modelled for single triggers only; the bands and the
preemption duopoly raise :class:`~gvcgames.errors.InvalidSpecError` if given one.

Examples
--------
>>> from gvcgames import options
>>> res = options.investment_trigger(r=0.04, delta=0.04, sigma=0.2, I=1.0)
>>> round(res.beta, 12), round(res.trigger, 12)
(2.0, 2.0)
>>> band = options.entry_exit_thresholds(r=0.04, mu=0.0, sigma=0.2, C=1.0, I=10.0, E=5.0)
>>> band.exit < band.entry
True

References
----------
Dixit, A. K. and Pindyck, R. S. (1994). *Investment under Uncertainty*. Princeton
University Press.
"""

from gvcgames.options.errors import InfiniteOptionValueError, TriggerNotFoundError
from gvcgames.options.first_passage import FirstPassage, expected_discount_factor
from gvcgames.options.hazard import PoissonHazard
from gvcgames.options.investment import investment_trigger, relocation_trigger
from gvcgames.options.preemption import PreemptionResult, preemption_duopoly
from gvcgames.options.process import ABM, GBM
from gvcgames.options.stopping import StoppingResult, optimal_stopping
from gvcgames.options.switching import (
    EntryExitBand,
    HysteresisBand,
    RelocationBand,
    entry_exit_thresholds,
    relocation_band,
    switching_band,
)

__all__ = [
    "ABM",
    "GBM",
    "EntryExitBand",
    "FirstPassage",
    "HysteresisBand",
    "InfiniteOptionValueError",
    "PoissonHazard",
    "PreemptionResult",
    "RelocationBand",
    "StoppingResult",
    "TriggerNotFoundError",
    "entry_exit_thresholds",
    "expected_discount_factor",
    "investment_trigger",
    "optimal_stopping",
    "preemption_duopoly",
    "relocation_band",
    "relocation_trigger",
    "switching_band",
]
