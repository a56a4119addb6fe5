"""Result tables people sort and download: primary care contractors before and after the clauses.

"Practices" here means every primary care contractor (arrangements.md §1): GP,
dental and optometry practices and community pharmacies, whose owners may carry
losses personally; each row says which kind it is.
"""

from __future__ import annotations

from typing import Mapping

from ..labels import PARTY_TYPE
from ..model import PRIMARY_CARE_TYPES, Model, Party


# The columns of ``practice_rows`` that hold words, not pounds (the rest are money, a probability or None).
TEXT_COLUMNS = ("practice", "ods_code", "partners", "scenario", "type")
# Decimal places a probability keeps in a download (1 year in 10,000 still reads); money is whole pounds.
PROBABILITY_DECIMALS = 4
# Tail figures (negotiation.md §1), carried when the assessment has them (a simulation; not --expected).
PARTY_TAIL = ("p99_9", "tvar99")
PARTNER_TAIL = {"p99_9_per_partner": "per_partner_p99_9", "tvar99_per_partner": "per_partner_tvar99",
                "p_exceed_per_partner": "p_exceed_per_partner"}


def is_probability(column: str) -> bool:
    """Whether a ``practice_rows`` column holds a yearly probability (0 to 1), not pounds."""
    return column.startswith(("p_exceed", "p_any")) or "probability" in column or "chance" in column


def rounded_row(row: Mapping) -> dict:
    """A row as a download shows it: money in whole pounds, probabilities to ``PROBABILITY_DECIMALS`` places,
    words and counts as they are."""
    out = {}
    for column, value in row.items():
        if isinstance(value, float) and column not in TEXT_COLUMNS:
            value = round(value, PROBABILITY_DECIMALS) if is_probability(column) else round(value)
        out[column] = value
    return out


def primary_care_contractors(model: Model) -> list[Party]:
    """The model's primary care contractors, in party file order."""
    return [p for p in model.parties if p.type in PRIMARY_CARE_TYPES]


def practice_rows(model: Model, result: Mapping) -> list[dict]:
    """One row per primary care contractor and scenario: its own and per-partner figures, baseline vs
    scenario, change. ``type`` is the contractor's kind in words ("Dental practice").

    ``result`` is ``Assessment.to_json()``. The baseline appears as its own rows (change 0) so a table
    with only the baseline still lists every contractor. When the assessment has the tail figures, each
    row also has ``p99_9_*``, ``tvar99_*``, ``per_partner_p99_9_*``, ``per_partner_tvar99_*`` and
    ``p_exceed_per_partner_*`` (``_before`` and ``_after``).
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
                "practice": party.name, "ods_code": party.ods_code or "",
                "partners": party.partner_count if party.has_personal_exposure else None,
                "scenario": "baseline (legal default)" if sid == "baseline" else names.get(sid, sid),
                "type": PARTY_TYPE[party.type],
                "mean_before": b["mean"], "mean_after": s["mean"], "mean_change": s["mean"] - b["mean"],
                "p99_before": b["p99"], "p99_after": s["p99"], "p99_change": s["p99"] - b["p99"],
                "per_partner_mean_before": bp["mean_per_partner"] if bp else None,
                "per_partner_mean_after": sp["mean_per_partner"] if sp else None,
                "joint_and_several_p99_before": bp["joint_and_several_p99"] if bp else None,
                "joint_and_several_p99_after": sp["joint_and_several_p99"] if sp else None,
                **_tail_columns(b, bp, s, sp),
            })
    return rows


def _has_tail(stats: Mapping) -> bool:
    return all(k in stats for k in PARTY_TAIL)


def _tail_columns(b: Mapping, bp: Mapping | None, s: Mapping, sp: Mapping | None) -> dict:
    """Before/after tail columns; per-partner ones are None for a contractor with no personal exposure."""
    if not (_has_tail(b) and _has_tail(s)):
        return {}
    out = {}
    for key in PARTY_TAIL:
        out[f"{key}_before"], out[f"{key}_after"] = b[key], s[key]
    for key, column in PARTNER_TAIL.items():
        out[f"{column}_before"] = bp.get(key) if bp else None
        out[f"{column}_after"] = sp.get(key) if sp else None
    return out


def practice_exposure(result: Mapping, party_id: str) -> list[dict]:
    """One party's exposure per scenario (baseline first): practice mean and P99, and per partner where
    partners carry personal exposure (None otherwise). ``result`` is ``Assessment.to_json()``; when it has
    the tail figures, each row also has ``p99_9``, ``tvar99`` and the per-partner ``p99_9_per_partner``,
    ``tvar99_per_partner`` and ``p_exceed_per_partner``."""
    rows = []
    for sid, res in result["scenarios"].items():
        stats, partners = res["parties"][party_id], res["partners"].get(party_id) or {}
        rows.append({"scenario_id": sid, "mean": stats["mean"], "p99": stats["p99"],
                     "mean_per_partner": partners.get("mean_per_partner"),
                     "p99_per_partner": partners.get("p99_per_partner"),
                     "joint_and_several_p99": partners.get("joint_and_several_p99"),
                     **({k: stats[k] for k in PARTY_TAIL} | {k: partners.get(k) for k in PARTNER_TAIL}
                        if _has_tail(stats) else {})})
    return rows
