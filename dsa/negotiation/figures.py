"""A party's yearly-loss figures from an assessment: means, percentiles, tail means, exceedance.

Figures are of the net loss (after insurance), zeros counted, per party or per partner
(negotiation.md §1–§2). Computed from the assessment's sparse per-party losses, so any
assessment (a full one or a solver candidate's) gives the same figures the same way.
"""

from __future__ import annotations

import numpy as np

from ..liability.summary import sparse_percentile, sparse_tvar99
from .targets import Target

PERCENTILE_OF = {"p99": 99.0, "p99_5": 99.5, "p99_9": 99.9}


def yearly_figures(nonzero: np.ndarray, years: int, mean: float, threshold_gbp: float) -> dict[str, float]:
    """mean, p99, p99_5, p99_9, tvar99 and p_exceed of ``years`` yearly losses given by their nonzeros."""
    values = np.sort(np.asarray(nonzero, dtype=np.float64))
    out = {"mean": float(mean)}
    for name, q in PERCENTILE_OF.items():
        out[name] = sparse_percentile(values, years, q)
    out["tvar99"] = sparse_tvar99(values[values != 0], years)
    out["p_exceed"] = float(np.count_nonzero(values > threshold_gbp) / years) if years else 0.0
    return out


def party_figures(assessment, scenario_id: str, party_id: str, *, per_partner: bool,
                  threshold_gbp: float) -> dict[str, float]:
    """One party's (or one of its partners') net figures under a scenario of ``assessment``."""
    model = assessment.model
    p = model.party_position(party_id)
    losses = assessment.losses[scenario_id]
    divisor = float(model.party(party_id).partner_count) if per_partner else 1.0
    values = losses.party_values(p, net=True) / divisor
    return yearly_figures(values, losses.years, float(losses.net_sum[p]) / losses.years / divisor, threshold_gbp)


def thresholds(assumptions) -> dict[str, float]:
    """The threshold of ``p_exceed`` per subject: the partner threshold for partners, else threshold_gbp."""
    values = assumptions.values
    return {"party": float(values["threshold_gbp"]),
            "partner": float(values.get("partner_threshold_gbp", 10_000))}


def worst(assessment, scenario_id: str, target: Target, parties: tuple[str, ...],
          limits: dict[str, float]) -> tuple[float, str | None]:
    """The worst figure of ``target``'s metric over ``parties`` and whose it is."""
    best: tuple[float, str | None] = (-math.inf, None)
    for pid in parties:
        figure = party_figures(assessment, scenario_id, pid, per_partner=target.subject == "partner",
                               threshold_gbp=limits[target.subject])[target.metric]
        if figure > best[0]:
            best = (figure, pid)
    return best if best[1] is not None else (0.0, None)
