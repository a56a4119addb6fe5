"""Plain names for the loss model's assumption keys (``base_rate.secure_api`` → "Incidents a year per flow — Secure API")."""

from __future__ import annotations

from .. import labels

NAMES = {
    "base_rate": "Incidents a year per flow", "dspt_factor": "Incident rate multiplier for DSPT status",
    "frequency_factor": "Incident rate multiplier for how often data is sent",
    "stage": "Share of incidents happening at", "fraction_beta": "Share of records affected (Beta shape)",
    "harm": "Harm multiplier for how identifiable the data is", "response_fixed_gbp": "Response cost per incident (£)",
    "response_per_record_gbp": "Response cost per record affected (£)",
    "claim_rate": "Share of affected people who claim compensation", "award_median_gbp": "Median compensation award (£)",
    "award_sigma": "Spread of compensation awards (log-normal sigma)",
    "special_category_multiplier": "Award multiplier for special category data",
    "fine_probability": "Chance an incident leads to an ICO fine", "fine_median_gbp": "Median ICO fine (£)",
    "fine_sigma": "Spread of fines (log-normal sigma)", "fine_cap_gbp": "Statutory maximum fine (£)",
    "fine_cap_turnover_share": "Statutory maximum fine as a share of turnover",
    "processor_fault_share": "Share of a processor-side loss the processor bears",
    "recovery_probability": "Chance a controller recovers a processor's share",
    "condition_probability": "Chance a beneficiary met an indemnity's condition, by DSPT status",
    "threshold_gbp": "Default threshold for a bad year (£)",
    "partner_threshold_gbp": "Threshold for a partner's bad year (£)",
}
PARTS = {"recipient": "the recipient", "source": "the sender", "transit": "in transit", "public": "public bodies",
         "other": "other bodies", "0": "alpha", "1": "beta"}


def assumption_name(key: str) -> str:
    """The plain name of an assumption row's key; a key not listed is shown in words, never dropped."""
    head, _, rest = key.partition(".")
    name = NAMES.get(head, head.replace("_", " ").capitalize())
    if not rest:
        return name
    part = labels.TRANSFER_METHOD.get(rest) or labels.DSPT_STATUS.get(rest) or labels.FREQUENCY.get(rest) \
        or labels.IDENTIFIABILITY.get(rest) or PARTS.get(rest, rest.replace("_", " "))
    if head == "base_rate" and rest == "other":
        part = labels.TRANSFER_METHOD["other"] + " method"
    return f"{name} — {part}"
