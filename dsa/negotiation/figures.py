"""A party's yearly-loss figures from an assessment: means, percentiles, tail means, exceedance.

Figures are of the net loss (after insurance), zeros counted, per party or per partner
(negotiation.md §1–§2). Computed from the assessment's sparse per-party losses, so any
assessment (a full one or a solver candidate's) gives the same figures the same way.
"""

from __future__ import annotations

import numpy as np

from ..liability.summary import sparse_percentile, sparse_tvar99

PERCENTILE_OF = {"p99": 99.0, "p99_5": 99.5, "p99_9": 99.9}


def yearly_figures(top_sorted: np.ndarray, years: int, *, mean: float, exceed: int,
                   nonzero: int | None = None) -> dict[str, float]:
    """mean, p99, p99_5, p99_9, tvar99 and p_exceed of ``years`` yearly losses, zeros counted.

    ``top_sorted``: the largest nonzero losses, ascending (all of them when ``nonzero`` is None); ``exceed``:
    how many years are over the threshold."""
    values = np.asarray(top_sorted, dtype=np.float64)
    n = values.size if nonzero is None else nonzero
    out = {"mean": float(mean)}
    for name, q in PERCENTILE_OF.items():
        out[name] = sparse_percentile(values, years, q, n)
    out["tvar99"] = sparse_tvar99(values, years, n)
    out["p_exceed"] = float(exceed / years) if years else 0.0
    return out


def party_figures(assessment, scenario_id: str, party_id: str, *, per_partner: bool) -> dict[str, float]:
    """One party's (or one of its partners') net figures under a scenario of ``assessment``.

    ``p_exceed`` is the engine's count: per partner, of one partner's net share over the partner threshold;
    per party, of the year's loss over ``threshold_gbp`` (before insurance, as ``assess`` reports it)."""
    model = assessment.model
    p = model.party_position(party_id)
    losses = assessment.losses[scenario_id]
    divisor = float(model.party(party_id).partner_count) if per_partner else 1.0
    exceed = losses.partner_exceed[p] if per_partner else losses.exceed[p]
    return yearly_figures(losses.sorted_net(p) / divisor, losses.years, mean=float(losses.net_sum[p]) / losses.years
                          / divisor, exceed=int(exceed), nonzero=int(losses.net_nonzero[p]))


def thresholds(assumptions) -> dict[str, float]:
    """The threshold of ``p_exceed`` per subject: the partner threshold for partners, else threshold_gbp."""
    values = assumptions.values
    return {"party": float(values["threshold_gbp"]),
            "partner": float(values.get("partner_threshold_gbp", 10_000))}
