"""Safeguards: DPIA, minimisation, retention, security, DSPT, transfers abroad (IG017–IG022)."""

from __future__ import annotations

from typing import Iterator

from ...findings import Finding, Severity
from ..access import get_bool, get_list, get_num, get_obj, get_str, present
from ..registry import RuleContext, finding, rule
from .common import is_personal, label, party_name

DPIA_PURPOSES = {"risk_stratification", "population_health_management"}

# Minimum retention (months) of record classes in the Records Management Code of Practice 2023 (England),
# for the classes a data-flow register commonly names. Keys are matched case-insensitively, spaces as '_'.
RECORDS_MANAGEMENT_CODE_MINIMUM_MONTHS = {
    "gp_patient_record": 120,          # 10 years after death
    "adult_health_record": 96,         # 8 years after the end of treatment
    "mental_health_record": 240,       # 20 years after the end of treatment
    "maternity_record": 300,           # 25 years after the birth
    "cancer_record": 360,              # 30 years after diagnosis
    "safeguarding_record": 72,         # 6 years (longer where a child is involved)
    "complaint_record": 120,           # 10 years after closure
}

DSPT_BELOW_MET = {"approaching_standards": Severity.WARNING, "standards_not_met": Severity.ERROR,
                  "not_published": Severity.ERROR}


@rule("IG017", Severity.ERROR, "flow", "Large-scale special category data, linkage or profiling purposes cite a "
      "DPIA and DPO advice.", "UK GDPR Art 35(1), (2), (3)(b); ICO list of high-risk processing")
def dpia_is_cited(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    data = get_obj(flow, "data")
    records = get_num(data, "records") or 0
    reasons = []
    if get_bool(data, "special_category") and records > ctx.settings.dpia_scale_records and is_personal(flow):
        reasons.append(f"special category data about {records:,.0f} people "
                       f"(over {ctx.settings.dpia_scale_records:,})")
    if get_bool(data, "linked") and is_personal(flow):
        reasons.append("data linkage or matching")
    if get_str(flow, "purpose") in DPIA_PURPOSES and is_personal(flow):
        reasons.append(f"the purpose '{get_str(flow, 'purpose')}' (profiling)")
    if not reasons:
        return
    why = " and ".join(reasons)
    dpia = get_obj(flow, "dpia")
    if dpia is None:
        yield finding("IG017", ("dpia",), f"{label(flow)} needs a DPIA because of {why}, but none is cited.",
                      "Carry out a DPIA and record its reference, date and the DPO's advice in dpia.")
        return
    for key, what in (("reference", "reference"), ("date", "date"), ("dpo_advice", "DPO's advice (Art 35(2))")):
        if not present(dpia.get(key)):
            yield finding("IG017", ("dpia", key), f"{label(flow)}'s DPIA record has no {what}.",
                          f"Record the DPIA's {what} in dpia.{key}.")


@rule("IG018", Severity.WARNING, "flow", "Each data category is justified; free text and document stores are "
      "flagged.", "UK GDPR Art 5(1)(c); Caldicott principle 3")
def data_is_minimised(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    data = get_obj(flow, "data")
    if data is None or not is_personal(flow):
        return
    if get_list(data, "categories") and not present(data.get("justification")):
        yield finding("IG018", ("data", "justification"),
                      f"{label(flow)} lists data categories but does not say why each is needed.",
                      "Record in data.justification why each category is the minimum necessary.")
    if get_bool(data, "free_text"):
        yield finding("IG018", ("data", "free_text"),
                      f"{label(flow)} shares free text, which can carry far more than the purpose needs.",
                      "Remove free-text fields, or justify them and record the safeguards.")
    if get_bool(data, "document_store"):
        yield finding("IG018", ("data", "document_store"),
                      f"{label(flow)} shares whole document stores (letters, reports), the kind of sharing that "
                      "led practices in Kent and Medway to switch it off.",
                      "Share only the documents the purpose needs, and justify them.")


@rule("IG019", Severity.ERROR, "flow", "Retention is stated and consistent with the Records Management Code.",
      "UK GDPR Art 5(1)(e); Records Management Code of Practice 2023")
def retention_is_stated(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    if not is_personal(flow):
        return
    months = get_num(flow, "retention_months")
    if months is None:
        yield finding("IG019", ("retention_months",),
                      f"{label(flow)} does not say how long the recipient keeps the data.",
                      "Set retention_months, in line with the Records Management Code.")
        return
    record_type = (get_str(get_obj(flow, "data"), "record_type") or "").strip().lower().replace(" ", "_")
    minimum = RECORDS_MANAGEMENT_CODE_MINIMUM_MONTHS.get(record_type)
    if minimum is not None and months < minimum:
        yield finding("IG019", ("retention_months",),
                      f"{label(flow)} keeps a {record_type.replace('_', ' ')} for {months:g} months; the Records "
                      f"Management Code sets at least {minimum} months for that class.",
                      f"Set retention_months to at least {minimum}, or correct data.record_type.")


@rule("IG020", Severity.ERROR, "flow", "Personal data is not sent unencrypted or by unsecured email "
      "(physical media: warning).", "UK GDPR Art 32")
def transfer_is_secure(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    # Pseudonymised data counts: it is personal data and can be re-identified.
    if not is_personal(flow):
        return
    transfer = get_obj(flow, "transfer")
    method = get_str(transfer, "method")
    if method == "unsecured_email":
        yield finding("IG020", ("transfer", "method"),
                      f"{label(flow)} sends personal data by unsecured email.",
                      "Use NHSmail, a secure API or SFTP.")
    elif get_bool(transfer, "encrypted") is False:
        yield finding("IG020", ("transfer", "encrypted"),
                      f"{label(flow)} sends personal data unencrypted.", "Encrypt the data in transit.")
    if method == "physical_media":
        yield finding("IG020", ("transfer", "method"),
                      f"{label(flow)} moves personal data on physical media, which is easily lost.",
                      "Prefer a secure electronic transfer; otherwise use encrypted media and tracked delivery.",
                      severity=Severity.WARNING)


@rule("IG021", Severity.ERROR, "flow", "A recipient of personal NHS data meets the DSPT standards "
      "(approaching: warning).", "Data Security and Protection Toolkit; NHS Standard Contract")
def recipient_meets_dspt_standards(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    recipient = ctx.parties.get(flow.get("to")) if isinstance(flow.get("to"), str) else None
    if not is_personal(flow) or recipient is None:
        return
    status = get_str(recipient, "dspt_status") or "not_published"
    severity = DSPT_BELOW_MET.get(status)
    if severity is not None:
        yield finding("IG021", ("to",),
                      f"{label(flow)} sends personal data to {party_name(ctx, flow.get('to'))}, whose DSPT status "
                      f"is '{status.replace('_', ' ')}', below Standards Met.",
                      "Agree an improvement plan and confirm Standards Met before sharing, or record the status "
                      "if it is out of date.", severity=severity)


@rule("IG022", Severity.ERROR, "flow", "Transfers outside the UK name a Chapter V mechanism.",
      "UK GDPR Arts 44–49")
def international_transfer_has_mechanism(flow: dict, ctx: RuleContext) -> Iterator[Finding]:
    transfer = get_obj(flow, "international_transfer")
    if transfer is None:
        return
    if not present(transfer.get("mechanism")):
        yield finding("IG022", ("international_transfer", "mechanism"),
                      f"{label(flow)} transfers data outside the UK"
                      f"{' to ' + get_str(transfer, 'country') if get_str(transfer, 'country') else ''} without a "
                      "Chapter V mechanism.",
                      "Record the mechanism: UK adequacy regulations, the IDTA or the Addendum, or an Art 49 "
                      "derogation.")
    if not present(transfer.get("country")):
        yield finding("IG022", ("international_transfer", "country"),
                      f"{label(flow)} records a transfer outside the UK without its destination.",
                      "Record the destination country.", severity=Severity.WARNING)
