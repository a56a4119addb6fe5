"""Plain-English labels for every enum value a person reads (pages, documents, spreadsheets' help).

Ids and enum values belong in the CLI's JSON and in details lines; everything a
person reads shows these labels instead (developers' brief, "Users are not programmers").
"""

from __future__ import annotations

from typing import Mapping

PARTY_TYPE = {
    "gp_practice": "GP practice", "nhs_trust": "NHS trust", "icb": "Integrated care board",
    "local_authority": "Local authority", "vcse": "Voluntary or community organisation",
    "commissioning_support_unit": "Commissioning support unit", "supplier": "Supplier", "other": "Other",
    "dental_practice": "Dental practice", "optometry_practice": "Optometry practice",
    "community_pharmacy": "Community pharmacy", "gp_federation": "GP federation",
    "neighbourhood_provider": "Neighbourhood provider",
}
PARTY_TYPE_PLURAL = {
    "gp_practice": "GP practices", "dental_practice": "dental practices",
    "optometry_practice": "optometry practices", "community_pharmacy": "community pharmacies",
}
LEGAL_FORM = {
    "partnership": "Partnership", "sole_trader": "Sole trader", "limited_company": "Limited company",
    "nhs_body": "NHS body", "local_authority": "Local authority", "charity": "Charity",
    "community_interest_company": "Community interest company", "other": "Other",
}
DSPT_STATUS = {
    "standards_exceeded": "Standards Exceeded", "standards_met": "Standards Met",
    "approaching_standards": "Approaching Standards", "standards_not_met": "Standards Not Met",
    "not_published": "Not published",
}
PURPOSE = {
    "direct_care": "Direct care", "population_health_management": "Population health management",
    "risk_stratification": "Risk stratification", "planning": "Planning", "commissioning": "Commissioning",
    "invoice_validation": "Invoice validation", "research": "Research", "public_health": "Public health",
    "safeguarding": "Safeguarding", "other": "Other",
}
RELATIONSHIP = {
    "independent_controllers": "Independent controllers", "joint_controllers": "Joint controllers",
    "controller_to_processor": "Controller to processor",
}
IDENTIFIABILITY = {
    "identifiable": "Identifiable", "pseudonymised": "Pseudonymised", "anonymised": "Anonymised",
    "aggregate": "Aggregate",
}
TRANSFER_METHOD = {
    "secure_api": "Secure API", "nhs_mail": "NHSmail", "sftp": "Secure file transfer (SFTP)",
    "direct_system_access": "Direct system access", "physical_media": "Physical media",
    "unsecured_email": "Unsecured email", "other": "Other",
}
FREQUENCY = {
    "one_off": "One-off", "real_time": "Real time", "daily": "Daily", "weekly": "Weekly", "monthly": "Monthly",
    "quarterly": "Quarterly", "annually": "Annually",
}
COMMON_LAW = {
    "implied_consent": "Implied consent", "explicit_consent": "Explicit consent",
    "s251": "Section 251 support", "legal_requirement": "Legal requirement",
    "overriding_public_interest": "Overriding public interest", "not_confidential": "Not confidential",
}
OPT_OUT = {"applied": "Applied", "not_applied": "Not applied", "not_applicable": "Not applicable"}
COMPONENT = {"compensation": "Compensation", "response_costs": "Response costs", "fines": "Fines"}
CLAUSE_TYPE = {"indemnity": "Indemnity", "risk_pool": "Risk pool"}
DRAFTING_ALTERNATIVE = {
    "capped": "Capped", "uncapped": "Uncapped", "fault_based": "Fault-based", "no_fault": "No-fault",
    "defence_costs_only": "Defence costs only",
}
SEVERITY = {"error": "Error", "warning": "Warning", "info": "Information"}

# Which label table a model field's values use, by the field's name.
BY_FIELD: Mapping[str, Mapping[str, str]] = {
    "type": PARTY_TYPE, "party_type": PARTY_TYPE, "legal_form": LEGAL_FORM, "dspt_status": DSPT_STATUS,
    "purpose": PURPOSE, "purposes": PURPOSE, "relationship": RELATIONSHIP, "identifiability": IDENTIFIABILITY,
    "method": TRANSFER_METHOD, "frequency": FREQUENCY, "common_law": COMMON_LAW,
    "national_data_opt_out": OPT_OUT, "type1_opt_out": OPT_OUT, "covers": COMPONENT,
    "alternative": DRAFTING_ALTERNATIVE, "severity": SEVERITY,
}


def label(field: str, value) -> str:
    """The plain label of an enum value; an unknown value is shown as it is (never dropped)."""
    if value is None:
        return "—"
    table = BY_FIELD.get(field, {})
    return table.get(str(value), str(value).replace("_", " ").capitalize() if field in BY_FIELD else str(value))
