"""Where in the pack a validator finding belongs: the document and the clause it concerns.

Each finding becomes a line in the drafting notes and a Word comment anchored on
that clause's heading, so a lawyer meets the problem where the text depends on it.
A finding's path says what it is about (a flow's legal basis, a party's DSPT
status, a clause's cover); the tables below say which clause that is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from ..findings import Finding
from ..labels import SEVERITY
from ..model import Model
from .clauses import DSA, JCA, PC, RSS

# A flow's field → the clause of the data sharing agreement that depends on it.
FLOW_FIELD_CLAUSE = {
    "legal_basis": "lawful_basis", "s251": "lawful_basis", "appropriate_policy_document": "lawful_basis",
    "art89_safeguards": "lawful_basis", "compatibility_assessment": "lawful_basis",
    "national_data_opt_out": "opt_outs", "national_data_opt_out_exemption": "opt_outs", "type1_opt_out": "opt_outs",
    "data": "data_items", "transfer": "security", "retention_months": "retention", "dpia": "assurance",
    "international_transfer": "international", "privacy_notice_updated": "transparency",
    "relationship": "roles", "joint_controllers": "roles", "joint_arrangement": "roles",
    "processing_contract": "roles", "breach_notification_hours": "breaches", "risk": "scope",
}
PARTY_FIELD_CLAUSE = {
    "dspt_status": "security", "contacts": "signoff", "ico_registration": "parties",
    "privacy_notice_url": "transparency", "partner_names": "parties", "address": "parties",
}
PARTNERSHIP_FIELD_CLAUSE = {
    "breach_reporting_hours": "breaches", "review_date": "review", "exit_terms": "termination",
    "lead_party": "rights", "description": "background",
}
# In a processing contract, the Art 28 facts sit in their own clauses.
PC_FIELD_CLAUSE = {"processing_contract": "subject_matter", "breach_notification_hours": "breach_timeline",
                   "international_transfer": "international", "retention_months": "term_g_return_deletion"}
JCA_FIELD_CLAUSE = {"joint_arrangement": "responsibilities", "joint_controllers": "parties"}


@dataclass(frozen=True)
class Placed:
    """One finding at one place in the pack, in words a lawyer reads."""

    document: str      # file stem of the draft
    clause: str        # clause id (a heading's bookmark)
    severity: str
    text: str


def subject(model: Model, path: Sequence) -> str:
    """What a finding is about, in words: "the flow 'X'", "Riverside Surgery", "the clause 'Y'"."""
    if len(path) >= 2 and isinstance(path[1], int):
        items = {"flows": model.flows, "parties": model.parties, "clauses": model.clauses,
                 "scenarios": model.scenarios}.get(path[0])
        if items is not None and path[1] < len(items):
            kind = {"flows": "the flow", "parties": "", "clauses": "the clause", "scenarios": "the scenario"}[path[0]]
            return f"{kind} '{items[path[1]].name}'".strip() if kind else items[path[1]].name
    return "the partnership" if path and path[0] == "partnership" else "the model"


def words(model: Model, finding: Finding) -> str:
    label = SEVERITY[finding.severity.value]
    kind = "information-governance " if finding.rule.startswith("IG") else ""
    fix = f" To fix: {finding.fix}" if finding.fix else ""
    return f"{label} ({kind}check on {subject(model, finding.path)}): {finding.message}{fix}"


def _documents_of_flow(plan, flow_id: str, doc_type: str) -> list[str]:
    return [p.name for p in plan if p.doc_type == doc_type and any(f.id == flow_id for f in p.flows)]


def place(model: Model, plan, finding: Finding) -> list[tuple[str, str]]:
    """(document, clause) pairs where ``finding`` belongs: the agreement's clause, plus the Art 26/28 document."""
    path = finding.path
    head = path[0] if path else ""
    field = path[2] if len(path) > 2 else ""
    if head == "flows" and len(path) >= 2 and isinstance(path[1], int) and path[1] < len(model.flows):
        flow = model.flows[path[1]]
        places = [(DSA, FLOW_FIELD_CLAUSE.get(field, "scope"))]
        if field in PC_FIELD_CLAUSE or field in ("processing_contract",):
            places += [(d, PC_FIELD_CLAUSE.get(field, "subject_matter")) for d in _documents_of_flow(plan, flow.id, PC)]
        if field in JCA_FIELD_CLAUSE:
            places += [(d, JCA_FIELD_CLAUSE[field]) for d in _documents_of_flow(plan, flow.id, JCA)]
        return places
    if head == "parties":
        return [(DSA, PARTY_FIELD_CLAUSE.get(field, "parties"))]
    if head == "partnership":
        return [(DSA, PARTNERSHIP_FIELD_CLAUSE.get(path[1] if len(path) > 1 else "", "background"))]
    if head == "clauses" and len(path) >= 2 and isinstance(path[1], int) and path[1] < len(model.clauses):
        clause = model.clauses[path[1]]
        return [(RSS, "approvals" if field == "approval" else f"c-{clause.id}")]
    if head == "scenarios":
        return [(RSS, "exposure")]
    return [(DSA, "scope")]


def place_all(model: Model, plan, findings: Iterable[Finding]) -> list[Placed]:
    out = []
    for f in findings:
        text = words(model, f)
        for document, clause in place(model, plan, f):
            out.append(Placed(document, clause, f.severity.value, text))
    return out

