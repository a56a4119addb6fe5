"""Negotiation: targets, the clause solver, sensitivity to assumptions, and what fixing buys.

Pure core (negotiation.md): no I/O, no streamlit. The CLI (``dsa.cli.negotiate``) and the
Negotiate page call these.
"""

from .solver import Solution, VARY, solve
from .targets import Target, TargetError, parse_target, select_parties

__all__ = ["Solution", "VARY", "solve", "Target", "TargetError", "parse_target", "select_parties"]
