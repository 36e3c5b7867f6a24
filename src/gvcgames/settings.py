"""Package-wide settings, changed by assignment: ``gg.settings.time_budget = 60``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Settings:
    """Mutable defaults read at call time.

    Attributes
    ----------
    time_budget : float
        Seconds allowed to one symbolic operation that can blow up (solve, simplify,
        factor). Past it the operation raises :class:`~gvcgames.errors.SymbolicTimeout`
        internally and the solver reports that the symbolic route gave up.
    max_kkt_cases : int
        Upper bound on the number of corner/interior case combinations enumerated by
        the KKT solver before it refuses (3**n grows fast).
    """

    time_budget: float = 30.0
    max_kkt_cases: int = 729


settings = Settings()
