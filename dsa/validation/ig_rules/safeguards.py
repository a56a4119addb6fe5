"""Safeguards: DPIA, minimisation, retention, security, DSPT, transfers abroad (IG017–IG022)."""

from __future__ import annotations

from itertools import compress
from typing import Iterator

from ...findings import Severity
from ...labels import label as plain
from ..access import get_str, present
from ..columns import Flows
from ..registry import Row, RuleContext, rule
from .common import party_name

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

_WATCHED_METHODS = {"unsecured_email", "physical_media"}

DSPT_BELOW_MET = {"approaching_standards": Severity.WARNING, "standards_not_met": Severity.ERROR,
                  "not_published": Severity.ERROR}


@rule("IG017", Severity.ERROR, "flow", "Large-scale special category data, linkage or profiling purposes cite a "
      "DPIA and DPO advice.", "UK GDPR Art 35(1), (2), (3)(b); ICO list of high-risk processing")
def dpia_is_cited(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    scale = ctx.settings.dpia_scale_records
    special, linked, dpias = flows.data_bool("special_category"), flows.data_bool("linked"), flows.objs("dpia")
    needs = [personal and ((sp is True and (records or 0) > scale) or lk is True or purpose in DPIA_PURPOSES)
             for personal, sp, records, lk, purpose in zip(flows.personal, special, flows.records, linked,
                                                             flows.purpose)]
    for j in compress(range(len(needs)), needs):
        dpia = dpias[j]
        if dpia is not None and present(dpia.get("reference")) and present(dpia.get("date")) \
                and present(dpia.get("dpo_advice")):
            continue
        records, purpose = flows.records[j] or 0, flows.purpose[j]
        reasons = []
        if special[j] and records > scale:
            reasons.append(f"special category data about {records:,.0f} people (over {scale:,})")
        if linked[j]:
            reasons.append("data linkage or matching")
        if purpose in DPIA_PURPOSES:
            reasons.append(f"the purpose '{plain('purpose', purpose)}' (profiling)")
        label = flows.label[j]
        if dpia is None:
            yield j, ("dpia",), f"{label} needs a DPIA because of {' and '.join(reasons)}, but none is cited.", \
                "Carry out a DPIA and record its reference, its date and the DPO's advice."
            continue
        for key, what in (("reference", "reference"), ("date", "date"),
                          ("dpo_advice", "DPO's advice (Art 35(2))")):
            if not present(dpia.get(key)):
                yield j, ("dpia", key), f"{label}'s DPIA record has no {what}.", \
                    f"Record the DPIA's {what}."


@rule("IG018", Severity.WARNING, "flow", "Each data category is justified; free text and document stores are "
      "flagged.", "UK GDPR Art 5(1)(c); Caldicott principle 3")
def data_is_minimised(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    free_text, document_store = flows.data_bool("free_text"), flows.data_bool("document_store")
    categories_of = flows.categories
    for j in [j for j, (personal, data) in enumerate(zip(flows.personal, flows.data)) if personal and data is not None]:
        data, categories = flows.data[j], categories_of[j]
        label = flows.label[j]
        if categories and not present(data.get("justification")):
            yield j, ("data", "justification"), f"{label} lists data categories but does not say why each is needed.", \
                "Record, as the data's justification, why each category is the minimum necessary."
        if free_text[j]:
            yield j, ("data", "free_text"), \
                f"{label} shares free text, which can carry far more than the purpose needs.", \
                "Remove free-text fields, or justify them and record the safeguards."
        if document_store[j]:
            yield j, ("data", "document_store"), \
                f"{label} shares whole document stores (letters, reports), the kind of sharing that " \
                "led practices in Kent and Medway to switch it off.", \
                "Share only the documents the purpose needs, and justify them."


@rule("IG019", Severity.ERROR, "flow", "Retention is stated and consistent with the Records Management Code.",
      "UK GDPR Art 5(1)(e); Records Management Code of Practice 2023")
def retention_is_stated(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    record_types = flows.record_type
    minimum_of: dict = {}  # each record type's minimum, read once per wording
    all_months = flows.nums("retention_months")
    for j in [j for j, personal in enumerate(flows.personal) if personal]:
        months = all_months[j]
        if months is None:
            yield j, ("retention_months",), f"{flows.label[j]} does not say how long the recipient keeps the data.", \
                "Set the retention period in months, in line with the Records Management Code."
            continue
        given = record_types[j]
        if given not in minimum_of:
            named = (given or "").strip().lower().replace(" ", "_")
            minimum_of[given] = (named, RECORDS_MANAGEMENT_CODE_MINIMUM_MONTHS.get(named))
        record_type, minimum = minimum_of[given]
        if minimum is not None and months < minimum:
            yield j, ("retention_months",), \
                f"{flows.label[j]} keeps a {record_type.replace('_', ' ')} for {months:g} months; the Records " \
                f"Management Code sets at least {minimum} months for that class.", \
                f"Set the retention period to at least {minimum} months, or correct the record type."


@rule("IG020", Severity.ERROR, "flow", "Personal data is not sent unencrypted or by unsecured email "
      "(physical media: warning).", "UK GDPR Art 32")
def transfer_is_secure(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    # Pseudonymised data counts: it is personal data and can be re-identified.
    methods = flows.sub_str(flows.transfer, "method")
    encrypted = flows.sub_bool(flows.transfer, "encrypted")
    for j in [j for j, (personal, method, encrypts) in enumerate(zip(flows.personal, methods, encrypted))
              if personal and (method in _WATCHED_METHODS or encrypts is False)]:
        method = methods[j]
        if method == "unsecured_email":
            yield j, ("transfer", "method"), f"{flows.label[j]} sends personal data by unsecured email.", \
                "Use NHSmail, a secure API or SFTP."
        elif encrypted[j] is False:
            yield j, ("transfer", "encrypted"), f"{flows.label[j]} sends personal data unencrypted.", \
                "Encrypt the data in transit."
        if method == "physical_media":
            yield j, ("transfer", "method"), \
                f"{flows.label[j]} moves personal data on physical media, which is easily lost.", \
                "Prefer a secure electronic transfer; otherwise use encrypted media and tracked delivery.", \
                Severity.WARNING


@rule("IG021", Severity.ERROR, "flow", "A recipient of personal NHS data meets the DSPT standards "
      "(approaching: warning).", "Data Security and Protection Toolkit; NHS Standard Contract")
def recipient_meets_dspt_standards(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    parties = ctx.parties
    below = {}  # recipient id -> (severity, status), or None when it meets the standards
    for dst in set(flows.target_id) - {None}:
        recipient = parties.get(dst)
        status = (get_str(recipient, "dspt_status") or "not_published") if recipient is not None else None
        severity = DSPT_BELOW_MET.get(status) if status else None
        below[dst] = (severity, status) if severity is not None else None
    for j in [j for j, (personal, dst) in enumerate(zip(flows.personal, flows.target_id))
              if personal and dst is not None and below[dst] is not None]:
        dst = flows.target_id[j]
        severity, status = below[dst]
        yield j, ("to",), \
            f"{flows.label[j]} sends personal data to {party_name(ctx, dst)}, whose DSPT status " \
            f"is '{plain('dspt_status', status)}', below Standards Met.", \
            "Agree an improvement plan and confirm Standards Met before sharing, or record the status " \
            "if it is out of date.", severity


@rule("IG022", Severity.ERROR, "flow", "Transfers outside the UK name a Chapter V mechanism.",
      "UK GDPR Arts 44–49")
def international_transfer_has_mechanism(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    for j, transfer in enumerate(flows.objs("international_transfer")):
        if transfer is None:
            continue
        label = flows.label[j]
        if not present(transfer.get("mechanism")):
            country = get_str(transfer, "country")
            yield j, ("international_transfer", "mechanism"), \
                f"{label} transfers data outside the UK{' to ' + country if country else ''} without a " \
                "Chapter V mechanism.", \
                "Record the mechanism: UK adequacy regulations, the IDTA or the Addendum, or an Art 49 " \
                "derogation."
        if not present(transfer.get("country")):
            yield j, ("international_transfer", "country"), \
                f"{label} records a transfer outside the UK without its destination.", \
                "Record the destination country.", Severity.WARNING
