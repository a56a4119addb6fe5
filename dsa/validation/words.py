"""Plain words for the model's fields in what a person reads (a finding's message and fix).

The rule id and the pointer keep the field names for tools (CLI JSON); the message
and the fix name a field the way the forms do and an enum value by its label
(dsa.labels), never as written in the model file.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..labels import label

FIELDS = {
    "legal_basis": "the legal basis", "article_6": "the Article 6 basis", "article_9": "the Article 9 condition",
    "schedule_1_condition": "the Schedule 1 condition", "common_law": "the common-law basis",
    "legal_power": "the legal power", "appropriate_policy_document": "the appropriate policy document",
    "art89_safeguards": "the Article 89 safeguards", "national_data_opt_out": "the national data opt-out",
    "national_data_opt_out_exemption": "the national data opt-out exemption",
    "type1_opt_out": "the Type 1 opt-out handling", "s251": "the s251 support", "cag_reference": "the CAG reference",
    "expires": "the expiry date", "processing_contract": "the processing contract", "terms": "the terms",
    "sub_processors": "the sub-processors", "joint_arrangement": "the joint controller arrangement",
    "contact_point": "the contact point", "essence_published": "whether its essence is published",
    "responsibilities": "the responsibilities", "breach_reporting_hours": "the hours to report a breach to the ICO",
    "breach_notification_hours": "the hours within which the processor tells the controller of a breach",
    "review_date": "the review date", "exit_terms": "the exit terms", "effective_date": "the effective date",
    "compatibility_assessment": "the compatibility assessment", "privacy_notice_url": "the privacy notice address",
    "privacy_notice_updated": "whether the privacy notices cover the flow", "dpia": "the DPIA",
    "dpo_advice": "the DPO's advice", "justification": "the justification", "retention_months": "the retention period",
    "record_type": "the record type", "transfer": "the transfer", "method": "the transfer method",
    "encrypted": "encryption", "international_transfer": "the transfer abroad", "mechanism": "the mechanism",
    "country": "the destination country", "covers": "what it covers", "approval": "the approval",
    "condition": "the condition", "tests": "the objective tests", "cap_per_incident_gbp": "the cap per incident",
    "cap_annual_gbp": "the annual cap", "excess_gbp": "the excess", "joint_controllers": "the joint controllers",
    "from": "the sender", "to": "the recipient", "purpose": "the purpose", "purposes": "the purposes",
    "relationship": "the relationship", "data": "the data", "lead_party": "the lead party",
    "partnership": "the partnership", "parties": "the parties", "flows": "the flows", "clauses": "the clauses",
    "scenarios": "the scenarios", "assumptions": "the assumptions", "indemnifier": "the indemnifier",
    "beneficiaries": "the beneficiaries", "party_type": "the party type", "members": "the members",
    "applies_to": "what it applies to", "dspt_status": "the DSPT status", "ods_code": "the ODS code",
    "legal_form": "the legal form", "partner_count": "the number of partners", "identifiability": "identifiability",
    "special_category": "whether it is special category data", "linked": "whether the data is linked",
    "free_text": "whether it has free text", "document_store": "whether it shares document stores",
    "categories": "the data categories", "records": "the number of people", "frequency": "the frequency",
    "share": "the share", "id": "the id", "name": "the name", "type": "the type",
}


def field(name: Any) -> str:
    """A field in words: 'the common-law basis' (an unknown field: its name with spaces)."""
    return FIELDS.get(str(name), str(name).replace("_", " "))


def value(name: str, raw: Any) -> str:
    """An enum value by its label: value('common_law', 'implied_consent') → 'Implied consent'."""
    return label(name, raw)


def values(name: str, raws: Iterable[Any], last: str = "or") -> str:
    """Labels in a list a person reads: 'Explicit consent, Section 251 support or Legal requirement'."""
    shown = [value(name, r) for r in raws]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" {last} " + shown[-1]


def path(parts: Iterable[Any]) -> str:
    """A place inside an item in words, by its most specific field: ('transfer', 'method') → 'the transfer
    method', ('joint_controllers', 0, 'share') → 'the share of item 1 of the joint controllers'."""
    parts = list(parts)
    named = [p for p in parts if not isinstance(p, int)]
    if not named:
        return f"item {parts[-1] + 1}" if parts else ""
    words = field(named[-1])
    positions = [(i, p) for i, p in enumerate(parts) if isinstance(p, int)]
    if positions:
        i, n = positions[-1]
        owner = [p for p in parts[:i] if not isinstance(p, int)]
        if i == len(parts) - 1:
            return f"item {n + 1} of {field(owner[-1]) if owner else 'the list'}"
        if owner:
            return f"{words} of item {n + 1} of {field(owner[-1])}"
    return words
