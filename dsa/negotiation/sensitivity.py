"""Which assumptions an answer rests on: the tornado (negotiation.md §4).

Each assumption's range (dsa/data/assumptions.json) is applied alone, low end then high end, and the
metric recomputed. Means are exact where the scenario's clauses are linear and no targeted party is
insured; otherwise, and for tail metrics, every end is simulated from the same seed.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Sequence


from ..assumptions import Range, effective, ranges
from ..errors import ModelError
from ..labels import DSPT_STATUS, FREQUENCY, IDENTIFIABILITY
from ..liability import SimulationConfig, assess
from ..model import Model, freeze, thaw
from .exact import ExactMeans
from .figures import party_figures

METRICS = ("party.mean", "partner.mean", "party.p99_9", "partner.p99_9")
DEFAULT_YEARS = 20_000

NAMES = {
    "base_rate": "Incident rate of every transfer method",
    "dspt_factor": "Incident rate factor for a recipient at",
    "frequency_factor": "Incident rate factor for transfers made",
    "stage": "Chance an incident happens",
    "fraction_beta": "Share of a flow's records an incident affects",
    "harm": "Harm factor of data that is",
    "response_fixed_gbp": "Fixed cost of responding to an incident",
    "response_per_record_gbp": "Response cost per affected person",
    "claim_rate": "Share of affected people who claim",
    "award_median_gbp": "Typical compensation award",
    "award_sigma": "Spread of compensation awards",
    "special_category_multiplier": "Uplift for health (special category) data",
    "fine_probability": "Chance the regulator fines",
    "fine_median_gbp": "Typical fine",
    "fine_sigma": "Spread of fines",
    "fine_cap_gbp": "Statutory maximum fine",
    "fine_cap_turnover_share": "Statutory maximum fine as a share of turnover",
    "processor_fault_share": "A processor's share of fault",
    "recovery_probability": "Chance a controller recovers its processor's share",
    "condition_probability": "Chance an indemnity's condition is met by a party at",
    "threshold_gbp": "Threshold of a bad year for a party",
    "partner_threshold_gbp": "Threshold of a bad year for one partner",
}
_ENTRY = {"dspt_factor": DSPT_STATUS, "condition_probability": DSPT_STATUS, "frequency_factor": FREQUENCY,
          "harm": IDENTIFIABILITY,
          "stage": {"source": "at the discloser", "transit": "in transit", "recipient": "at the recipient"},
          "fine_probability": {"public": "a public body", "other": "any other organisation"}}


def plain_name(r: Range) -> str:
    """The assumption's name in words, e.g. "Incident rate factor for a recipient at Standards Met"."""
    name = NAMES.get(r.key, r.key.replace("_", " ").capitalize())
    if r.leaf is None:
        return name
    entry = _ENTRY.get(r.key, {}).get(r.leaf, r.leaf.replace("_", " "))
    if r.key == "frequency_factor":
        entry = entry.lower()
    if r.key == "fine_probability":
        return f"{name} {entry}"
    return f"{name} {entry}" if name.endswith((" at", " made", " is", " happens", " are")) else f"{name}: {entry}"


def _combine(metric: str, values: dict[str, float]) -> float:
    if not values:
        return 0.0
    return max(values.values()) if metric.startswith("partner.") else float(sum(values.values()))


def sensitivity(model: Model, parties: Sequence[str], *, metric: str = "party.mean", scenario_id: str = "baseline",
                config: SimulationConfig = SimulationConfig(years=DEFAULT_YEARS),
                progress: Callable[[float], None] | None = None) -> dict:
    """The tornado document: each assumption's low and high ends, the metric at each, sorted by swing."""
    if metric not in METRICS:
        raise ModelError(f"--metric {metric!r} is not one of {', '.join(METRICS)}")
    model.scenario(scenario_id)  # an unknown scenario raises ModelError naming it
    subject, stat = metric.split(".")
    chosen = tuple(p for p in parties if subject == "party" or model.party(p).has_personal_exposure)
    if not chosen:
        raise ModelError(f"--metric {metric}: no chosen party has personal exposure (a partnership or sole trader)")
    current = effective(model).values
    all_ranges = ranges()
    report = progress or (lambda f: None)
    exact_means = ExactMeans(model, scenario_id)
    insured = any((model.party(p).insurance is not None and (model.party(p).insurance.cyber_limit_gbp or 0) > 0)
                  for p in chosen)
    exact = stat == "mean" and exact_means.linear and not insured
    if exact:
        positions = [model.party_position(p) for p in chosen]
        divisors = [model.party(p).partner_count if subject == "partner" else 1 for p in chosen]

        def evaluate(overrides: dict | None) -> float:
            totals = exact_means.party_means(overrides).sum(axis=1)
            return _combine(metric, {p: float(totals[i]) / d for p, i, d in zip(chosen, positions, divisors)})
    else:
        def evaluate(overrides: dict | None) -> float:
            given = {**thaw(model.assumptions), **(overrides or {})}
            varied = dataclasses.replace(model, assumptions=freeze(given))
            result = assess(varied, scenarios=[] if scenario_id == "baseline" else [scenario_id], config=config)
            return _combine(metric, {p: party_figures(result, scenario_id, p, per_partner=subject == "partner")[stat]
                                     for p in chosen})
    base = evaluate(None)
    rows = []
    for k, r in enumerate(all_ranges):
        ends = {}
        for end in ("low", "high"):
            value = r.override(current, end)
            same = value == current[r.key]
            ends[end] = base if same else evaluate({r.key: value})
        rows.append({"assumption": r.key, "entry": r.leaf, "name": plain_name(r),
                     "value": current[r.key] if r.leaf is None else current[r.key][r.leaf],
                     "low_value": r.low, "high_value": r.high, "low": ends["low"], "high": ends["high"],
                     "swing": abs(ends["high"] - ends["low"]), "source": r.source})
        report((k + 1) / len(all_ranges))
    rows.sort(key=lambda row: -row["swing"])  # stable: file order among equal swings
    doc = {"metric": metric, "scenario": scenario_id, "parties": list(chosen),
           "method": "exact" if exact else "simulated", "base": base, "assumptions": rows}
    if not exact:
        doc["years"], doc["seed"] = config.years, config.seed
    return doc
