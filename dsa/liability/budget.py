"""The simulation budget: refuse at once a run whose expected incidents would take minutes (issue 16).

A rate typed a thousand times too high passes every schema bound that a real
rate needs, yet would keep ``assess``, ``draft`` or the dashboard busy for
minutes. The expected number of incidents (rates × years) is known before any
year is simulated, so the refusal is immediate and says what drives it.
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from ..model import Model
from ..settings import SimulationSettings
from .parameters import Layout

# Flows named in the message: enough to find the culprit, few enough for one line.
NAMED_FLOWS = 3


class SimulationBudgetError(ModelError):
    """The simulation would draw more incidents than the budget allows."""


def expected_incidents(layout: Layout, years: int) -> float:
    return float(layout.flows.rate.sum()) * years


def check_budget(model: Model, layout: Layout, years: int,
                 settings: SimulationSettings = SimulationSettings()) -> None:
    """Raise ``SimulationBudgetError`` when ``years`` years would exceed the expected-incident budget."""
    per_year = float(layout.flows.rate.sum())
    if not np.isfinite(per_year) or per_year * years > settings.max_expected_incidents:
        fit = int(settings.max_expected_incidents // per_year) if np.isfinite(per_year) and per_year > 0 else 0
        top = np.argsort(-layout.flows.rate, kind="stable")[:NAMED_FLOWS]
        named = ", ".join(f"'{model.flows[i].name}' ({layout.flows.rate[i]:,.3g} a year)" for i in top)
        raise SimulationBudgetError(
            f"{years:,} years of this model would mean about {per_year * years:,.0f} incidents, over the limit "
            f"of {settings.max_expected_incidents:,}; driven by {named}; at most {fit:,} years would fit")
