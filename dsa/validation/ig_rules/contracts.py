"""Roles and the documents they need: Art 26 arrangements, Art 28 contracts, breach timelines
(IG001, IG015, IG016, IG023)."""

from __future__ import annotations

from typing import Iterator

from ...findings import Finding, Severity
from ...labels import label as plain
from ..access import get_bool, get_list, get_num, get_obj, get_str, present
from ..columns import Flows
from ..registry import Row, RuleContext, finding, rule
from .common import parse_date, party_name

ART_28_TERMS = {
    "a": "act only on documented instructions",
    "b": "confidentiality of authorised people",
    "c": "Art 32 security measures",
    "d": "sub-processors only with authorisation, on the same terms",
    "e": "help with data subjects' rights",
    "f": "help with Arts 32–36 (security, breaches, DPIA)",
    "g": "delete or return the data at the end",
    "h": "information and audits",
}


@rule("IG001", Severity.ERROR, "model", "One UK GDPR relationship per flow, with consistent party roles.",
      "UK GDPR Arts 4(7)–(8), 26, 28(10)")
def party_roles_are_consistent(doc: dict, ctx: RuleContext) -> Iterator[Finding]:
    flows = ctx.flows if ctx.flows is not None else Flows.of(doc)
    seen: dict[tuple, tuple[int, str]] = {}
    rels, sources, purposes = flows.relationship, flows.source_id, flows.purpose
    keys = list(zip(sources, flows.target_id, purposes))
    if len(set(zip(keys, rels))) == len(set(keys)):  # no parties and purpose with two relationships
        processors: dict[tuple, str] = {  # (processor, purpose) -> controller
            (dst, purpose): src for (src, dst, purpose), rel in zip(keys, rels)
            if rel == "controller_to_processor" and src is not None and dst is not None and purpose is not None}
        columns_to_check: list = []
    else:
        processors = {}
        columns_to_check = list(zip(flows.index, rels, sources, flows.target_id, purposes))
    for j, (i, rel, src, dst, purpose) in enumerate(columns_to_check):
        if rel is None or src is None or dst is None or purpose is None:
            continue
        key = (src, dst, purpose)
        if key in seen and seen[key][1] != rel:
            first = seen[key][0]
            yield finding("IG001", ("flows", i, "relationship"),
                          f"{flows.label[j]} treats {party_name(ctx, src)} and {party_name(ctx, dst)} as "
                          f"{plain('relationship', rel).lower()} for '{plain('purpose', purpose)}', but flow "
                          f"{first + 1} gives the same parties and purpose the relationship "
                          f"'{plain('relationship', seen[key][1])}'.",
                          "Decide the parties' roles for this purpose once and use the same relationship on "
                          "every flow between them.")
        seen.setdefault(key, (i, rel))
        if rel == "controller_to_processor":
            processors[(dst, purpose)] = src
    if not processors:
        return
    processor_ids = {p for p, _ in processors}
    for j in [j for j, src in enumerate(sources) if src in processor_ids]:
        i, rel, src, purpose = flows.index[j], rels[j], sources[j], purposes[j]
        if rel in ("independent_controllers", "joint_controllers") and (src, purpose) in processors:
            yield finding("IG001", ("flows", i, "relationship"),
                          f"{flows.label[j]}: {party_name(ctx, src)} is a processor for "
                          f"'{plain('purpose', purpose)}' (for "
                          f"{party_name(ctx, processors[(src, purpose)])}) but discloses the data onward as a "
                          "controller; a processor that decides purposes becomes a controller (Art 28(10)).",
                          "Model the onward flow as the controller's (controller to processor from the controller, "
                          "or a sub-processor), or record the processor as a controller for it.")


@rule("IG015", Severity.ERROR, "flow", "Controller–processor flows have an Art 28 contract covering (a)–(h), "
      "with sub-processors authorised.", "UK GDPR Art 28(2)–(4), (9)")
def processing_contract_is_complete(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    contracts = flows.objs("processing_contract")
    missing_of: dict = {}  # the terms a list of terms lacks: a register repeats the same few lists
    expiry_of: dict = {}  # expiry dates read once each
    today = ctx.settings.today
    for j in [j for j, rel in enumerate(flows.relationship) if rel == "controller_to_processor"]:
        label = flows.label[j]
        contract = contracts[j]
        if contract is None:
            yield j, ("processing_contract",), \
                f"{label} is controller to processor but records no Article 28 processing contract.", \
                "Record the processing contract (reference, date, expiry, terms a–h, sub-processors); dsa can " \
                "draft one."
            continue
        for key, what in (("reference", "reference"), ("date", "date")):
            if not present(contract.get(key)):
                yield j, ("processing_contract", key), f"{label}'s processing contract has no {what}.", \
                    f"Record the contract's {what}."
        terms = get_list(contract, "terms")
        try:
            missing = missing_of[tuple(terms or ())]
        except KeyError:
            missing = missing_of[tuple(terms or ())] = [t for t in ART_28_TERMS if t not in (terms or [])]
        except TypeError:  # a term that is not text (the schema reports it)
            missing = [t for t in ART_28_TERMS if t not in (terms or [])]
        if missing:
            listed = "; ".join(f"({t}) {ART_28_TERMS[t]}" for t in missing)
            yield j, ("processing_contract", "terms"), \
                f"{label}'s processing contract does not cover Art 28(3) {listed}.", \
                "Add the missing terms to the contract and list them among the processing contract's terms."
        if get_list(contract, "sub_processors") and "d" not in (terms or []):
            yield j, ("processing_contract", "sub_processors"), \
                f"{label} uses sub-processors, but the contract does not include the Art 28(3)(d) " \
                "term that authorises them and binds them to the same obligations.", \
                "Add term (d) to the contract."
        text = get_str(contract, "expires")
        expires = expiry_of[text] if text in expiry_of else expiry_of.setdefault(text, parse_date(text))
        if expires is not None and expires < today:
            yield j, ("processing_contract", "expires"), \
                f"{label}'s processing contract expired on {expires.isoformat()}.", \
                "Renew the contract and record the new dates."


@rule("IG016", Severity.ERROR, "flow", "Joint controllers have an Art 26 arrangement: responsibilities, contact "
      "point, published essence.", "UK GDPR Art 26")
def joint_arrangement_is_complete(flows: Flows, ctx: RuleContext) -> Iterator[Row]:
    arrangements = flows.objs("joint_arrangement")
    needs = {"reference": "a reference", "contact_point": "a contact point for data subjects",
             "responsibilities": "how responsibilities (privacy information, rights) are allocated"}
    for j in [j for j, rel in enumerate(flows.relationship) if rel == "joint_controllers"]:
        label = flows.label[j]
        arrangement = arrangements[j]
        if arrangement is None:
            yield j, ("joint_arrangement",), \
                f"{label} is a joint-controller flow but records no Article 26 arrangement.", \
                "Record the arrangement (reference, contact point, responsibilities, essence published); " \
                "dsa can draft one."
            continue
        for key, what in needs.items():
            if not present(arrangement.get(key)):
                yield j, ("joint_arrangement", key), \
                    f"{label}'s joint controller arrangement records no {what}.", \
                    f"Record {what} in the joint controller arrangement."
        if get_bool(arrangement, "essence_published") is not True:
            yield j, ("joint_arrangement", "essence_published"), \
                f"{label}: the essence of the joint arrangement is not recorded as available to data " \
                "subjects, which Art 26(2) requires.", \
                "Publish the essence (e.g. in the privacy notice) and record that it is published."


@rule("IG023", Severity.ERROR, "model", "Processors notify controllers of a breach promptly (e.g. ≤24h); "
      "controllers report to the ICO within 72h.", "UK GDPR Art 33(1)–(2)")
def breach_timelines_are_set(doc: dict, ctx: RuleContext) -> Iterator[Finding]:
    s = ctx.settings
    partnership = get_obj(doc, "partnership")
    if partnership is not None:
        hours = get_num(partnership, "breach_reporting_hours")
        if hours is None:
            yield finding("IG023", ("partnership", "breach_reporting_hours"),
                          "The partnership records no deadline for reporting a breach to the ICO.",
                          f"Set the hours to report a breach to the ICO (at most {s.controller_report_hours:g}).")
        elif hours > s.controller_report_hours:
            yield finding("IG023", ("partnership", "breach_reporting_hours"),
                          f"The partnership allows {hours:g} hours to report a breach to the ICO; the law allows "
                          f"{s.controller_report_hours:g}.",
                          f"Set the hours to report a breach to the ICO to {s.controller_report_hours:g} or fewer.")
    flows = ctx.flows if ctx.flows is not None else Flows.of(doc)
    all_hours = flows.nums("breach_notification_hours")
    for j, (i, rel) in enumerate(zip(flows.index, flows.relationship)):
        if rel != "controller_to_processor":
            continue
        hours = all_hours[j]
        if hours is None:
            yield finding("IG023", ("flows", i, "breach_notification_hours"),
                          f"{flows.label[j]} sets no deadline for the processor to tell the controller of a breach.",
                          f"Set the hours within which the processor tells the controller of a breach "
                          f"({s.processor_notice_hours:g} or fewer).")
        elif hours > s.processor_notice_hours:
            yield finding("IG023", ("flows", i, "breach_notification_hours"),
                          f"{flows.label[j]} gives the processor {hours:g} hours to report a breach; the controller "
                          f"needs it within {s.processor_notice_hours:g} to meet the ICO's 72 hours.",
                          f"Set the hours within which the processor tells the controller of a breach to "
                          f"{s.processor_notice_hours:g} or fewer.")
