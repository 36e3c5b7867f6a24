"""Solvers: symbolic KKT enumeration, backward induction, and numeric verification."""

from gvcgames.solve.continuous import best_responses, solve_continuous
from gvcgames.solve.sequential import solve_sequential
from gvcgames.solve.verify import EquilibriumCheck, is_equilibrium

__all__ = ["EquilibriumCheck", "best_responses", "is_equilibrium", "solve_continuous", "solve_sequential"]
