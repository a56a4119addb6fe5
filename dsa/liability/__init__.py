"""The liability engine: simulate breach losses, allocate them by role, apply clauses, summarise.

A modelling aid for negotiation, not legal advice. ``simulate`` → ``clauses`` →
``summary``; ``expected`` gives exact means for previews and as the test oracle.
"""

from .assessment import Assessment, SimulationConfig, assess
from .budget import SimulationBudgetError
from .simulation import Simulation, simulate
from .expected import expected_values, flow_expected_losses

DISCLAIMER = ("These figures come from a modelling aid for negotiation, built on illustrative assumptions; "
              "they are not legal advice and not a prediction of any particular incident.")

__all__ = ["Assessment", "SimulationConfig", "assess", "Simulation", "simulate", "SimulationBudgetError", "expected_values", "flow_expected_losses", "DISCLAIMER"]
