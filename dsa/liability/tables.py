"""Result tables people sort and download: primary care contractors before and after the clauses.

"Practices" here means every primary care contractor (arrangements.md §1): GP,
dental and optometry practices and community pharmacies, whose owners may carry
losses personally; each row says which kind it is.
"""

from __future__ import annotations

from typing import Mapping

from ..labels import PARTY_TYPE
from ..model import PRIMARY_CARE_TYPES, Model, Party


# The columns of ``practice_rows`` that hold words, not pounds (the rest are money or None).
TEXT_COLUMNS = ("practice", "type", "ods_code", "partners", "scenario")


def primary_care_contractors(model: Model) -> list[Party]:
    """The model's primary care contractors, in party file order."""
    return [p for p in model.parties if p.type in PRIMARY_CARE_TYPES]


def practice_rows(model: Model, result: Mapping) -> list[dict]:
    """One row per primary care contractor and scenario: its own and per-partner figures, baseline vs
    scenario, change. ``type`` is the contractor's kind in words ("Dental practice").

    ``result`` is ``Assessment.to_json()``. The baseline appears as its own rows (change 0) so a table
    with only the baseline still lists every contractor.
    """
    scenarios = result["scenarios"]
    base = scenarios["baseline"]
    names = {s.id: s.name for s in model.scenarios}
    rows = []
    for party in primary_care_contractors(model):
        b = base["parties"][party.id]
        bp = base["partners"].get(party.id)
        for sid, res in scenarios.items():
            s = res["parties"][party.id]
            sp = res["partners"].get(party.id)
            rows.append({
                "practice": party.name, "type": PARTY_TYPE[party.type], "ods_code": party.ods_code or "",
                "partners": party.partner_count if party.has_personal_exposure else None,
                "scenario": "baseline (legal default)" if sid == "baseline" else names.get(sid, sid),
                "mean_before": b["mean"], "mean_after": s["mean"], "mean_change": s["mean"] - b["mean"],
                "p99_before": b["p99"], "p99_after": s["p99"], "p99_change": s["p99"] - b["p99"],
                "per_partner_mean_before": bp["mean_per_partner"] if bp else None,
                "per_partner_mean_after": sp["mean_per_partner"] if sp else None,
                "joint_and_several_p99_before": bp["joint_and_several_p99"] if bp else None,
                "joint_and_several_p99_after": sp["joint_and_several_p99"] if sp else None,
            })
    return rows


def practice_exposure(result: Mapping, party_id: str) -> list[dict]:
    """One party's exposure per scenario (baseline first): practice mean and P99, and per partner where
    partners carry personal exposure (None otherwise). ``result`` is ``Assessment.to_json()``."""
    rows = []
    for sid, res in result["scenarios"].items():
        stats, partners = res["parties"][party_id], res["partners"].get(party_id) or {}
        rows.append({"scenario_id": sid, "mean": stats["mean"], "p99": stats["p99"],
                     "mean_per_partner": partners.get("mean_per_partner"),
                     "p99_per_partner": partners.get("p99_per_partner"),
                     "joint_and_several_p99": partners.get("joint_and_several_p99")})
    return rows
