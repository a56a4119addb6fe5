"""Plain values for each template; the only place that decides placeholders and drafting notes.

Where the model lacks a fact the law needs, the value is a visible
``[TO BE COMPLETED: …]`` and a drafting note names the document and clause.
Text from the model is escaped here (``filters.md``) so templates never see raw
user text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Flow, Indemnity, Model, Party, RiskPool
from .filters import (ARTICLE_6, ARTICLE_9, COMMON_LAW, long_date, md, money, pct, prose_list,
                      purpose_words)

RELATIONSHIP_WORDS = {"independent_controllers": "independent controllers",
                      "joint_controllers": "joint controllers", "controller_to_processor": "controller to processor"}
METHOD_WORDS = {"secure_api": "secure API", "nhs_mail": "NHSmail", "sftp": "SFTP",
                "direct_system_access": "direct system access", "physical_media": "physical media",
                "unsecured_email": "unsecured email", "other": "other method"}
OPT_OUT_WORDS = {"applied": "applied", "not_applied": "not applied", "not_applicable": "not applicable"}
ART_28 = {
    "a": "act only on the Controller's documented instructions", "b": "bind authorised people to confidentiality",
    "c": "take all Article 32 security measures", "d": "engage sub-processors only with authorisation",
    "e": "assist with data subjects' rights", "f": "assist with Articles 32 to 36",
    "g": "delete or return all personal data at the end", "h": "provide information and allow audits",
}
TYPE_WORDS = {"gp_practice": "GP practice", "nhs_trust": "NHS trust", "icb": "integrated care board",
              "local_authority": "local authority", "vcse": "voluntary sector organisation",
              "commissioning_support_unit": "commissioning support unit", "supplier": "supplier", "other": "organisation",
              # The party types added for the second release (a KeyError drafting for them before).
              "dental_practice": "dental practice", "optometry_practice": "optometry practice",
              "community_pharmacy": "community pharmacy", "gp_federation": "GP federation",
              "neighbourhood_provider": "neighbourhood provider"}


@dataclass
class Notes:
    """Every placeholder left in the pack, with where it is."""

    items: list[dict] = field(default_factory=list)

    def todo(self, document: str, clause: str, what: str) -> str:
        self.items.append({"document": document, "clause": clause, "what": what})
        return f"[TO BE COMPLETED: {md(what)}]"

    def value(self, value: Any, document: str, clause: str, what: str, render=md) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.todo(document, clause, what)
        return render(value)


def party_label(p: Party) -> str:
    ods = f" (ODS {p.ods_code})" if p.ods_code else ""
    return md(p.name) + ods


def party_rows(model: Model, parties: list[Party], notes: Notes, document: str) -> list[dict]:
    rows = []
    for p in parties:
        contacts = p.contacts
        rows.append({
            "id": p.id, "label": party_label(p), "name": md(p.name), "type": TYPE_WORDS[p.type],
            "ods": md(p.ods_code or "—"),
            "ico": notes.value(p.ico_registration, document, "parties", f"ICO registration number of {p.name}"),
            "dpo": notes.value(contacts.get("dpo"), document, "signoff", f"Data Protection Officer of {p.name}"),
            "siro": notes.value(contacts.get("siro"), document, "signoff", f"SIRO of {p.name}"),
            "caldicott": notes.value(contacts.get("caldicott_guardian"), document, "signoff",
                                     f"Caldicott Guardian of {p.name}"),
            "privacy_notice": notes.value(p.privacy_notice_url, document, "transparency",
                                          f"privacy notice address of {p.name}"),
            "dspt": (p.dspt_status or "not_published").replace("_", " "),
        })
    return rows


def flow_row(model: Model, f: Flow, notes: Notes, document: str) -> dict:
    lb = f.legal_basis
    names = model.parties_by_id
    contract = f.governance("processing_contract") or {}
    return {
        "id": md(f.id), "name": md(f.name), "from": md(names[f.source].name), "to": md(names[f.recipient].name),
        "purpose": purpose_words(f.purpose), "relationship": RELATIONSHIP_WORDS[f.relationship],
        "identifiability": f.data.identifiability, "special": "yes" if f.data.special_category else "no",
        "categories": prose_list([md(c.replace("_", " ")) for c in f.data.categories]) or "not listed",
        "records": f"{f.data.records:,}",
        "justification": notes.value(f.data.extra.get("justification"), document, "data_items",
                                     f"why each data item of '{f.name}' is needed"),
        "article_6": ARTICLE_6.get(lb.article_6) if lb and lb.article_6 else
        notes.todo(document, "lawful_basis", f"Article 6 basis of '{f.name}'"),
        "article_9": (ARTICLE_9.get(lb.article_9) if lb and lb.article_9 else
                      (notes.todo(document, "lawful_basis", f"Article 9 condition of '{f.name}'")
                       if f.data.special_category and f.data.is_personal else "not applicable")),
        "schedule_1": md(lb.schedule_1_condition) if lb and lb.schedule_1_condition else "—",
        "legal_power": md(lb.legal_power) if lb and lb.legal_power else "—",
        "common_law": COMMON_LAW.get(lb.common_law) if lb and lb.common_law else
        (notes.todo(document, "lawful_basis", f"common-law basis of '{f.name}'") if f.data.is_personal
         else "not confidential"),
        "ndoo": OPT_OUT_WORDS.get(f.national_data_opt_out or "", None) or
        notes.todo(document, "opt_outs", f"national data opt-out position of '{f.name}'"),
        "ndoo_exemption": md(f.governance("national_data_opt_out_exemption") or ""),
        "type1": OPT_OUT_WORDS.get(f.governance("type1_opt_out") or "", "not stated"),
        "method": METHOD_WORDS[f.transfer.method], "frequency": f.transfer.frequency.replace("_", " "),
        "encrypted": "encrypted" if f.transfer.encrypted else "NOT encrypted",
        "retention": f"{f.retention_months} months" if f.retention_months is not None else
        notes.todo(document, "retention", f"retention period of '{f.name}'"),
        "dpia": md((f.governance("dpia") or {}).get("reference") or "—"),
        "contract": md(contract.get("reference") or "—"),
        "international": f.governance("international_transfer"),
    }


def _partnership(model: Model, notes: Notes, document: str, date: str, version: str) -> dict:
    pt = model.partnership
    lead = model.party(pt.lead_party).name if pt.lead_party else None
    return {
        "name": md(pt.name), "description": notes.value(pt.description, document, "background",
                                                         "background and purpose of the partnership"),
        "effective_date": long_date(date), "review_date": notes.value(pt.review_date, document, "review",
                                                                      "review date", long_date),
        "lead": notes.value(lead, document, "rights", "lead party (single point of contact)"),
        "breach_hours": notes.value(pt.breach_reporting_hours, document, "breaches",
                                    "hours within which a controller reports a breach to the ICO (at most 72)",
                                    lambda h: f"{float(h):g}"),
        "exit_terms": notes.value(pt.exit_terms, document, "termination", "data return and deletion on exit"),
        "version": version, "date": long_date(date),
    }


def base_context(model: Model, notes: Notes, document: str, date: str, version: str, title: str) -> dict:
    return {"title": title, "partnership": _partnership(model, notes, document, date, version),
            "disclaimer": ("This draft was generated by dsa, a modelling aid. It is not legal advice and must be "
                           "reviewed by the parties' lawyers before it is relied on.")}


def clause_words(model: Model, clause: Indemnity | RiskPool) -> dict:
    """A clause in plain English for the risk-sharing schedule."""
    scope = clause.applies_to
    flows = ("all flows" if scope.purposes is None and scope.flows is None else
             " and ".join(filter(None, [
                 f"flows for {prose_list([purpose_words(p) for p in scope.purposes])}" if scope.purposes else "",
                 f"the flows {prose_list([md(f) for f in scope.flows])}" if scope.flows else ""])))
    covers = prose_list([c.replace("_", " ") for c in clause.covers])
    if isinstance(clause, RiskPool):
        members = prose_list([f"{md(model.party(m.party).name)} ({pct(m.share)})" for m in clause.members])
        return {"id": md(clause.id), "name": md(clause.name), "kind": "risk pool", "fines": "fines" in clause.covers,
                "text": f"The members {members} pool the {covers} they bear on {flows} and share them in those "
                        "proportions.", "condition": None, "tests": [], "limits": "none"}
    beneficiaries = ([md(model.party(b).name) for b in clause.beneficiary_ids] if clause.beneficiary_ids
                     else [f"every {TYPE_WORDS[clause.beneficiary_type]} in the partnership"])
    limits = [f"an excess of {money(clause.excess_gbp)} per beneficiary per incident" if clause.excess_gbp else "",
              f"a cap of {money(clause.cap_per_incident_gbp)} per beneficiary per incident"
              if clause.cap_per_incident_gbp is not None else "",
              f"an annual cap of {money(clause.cap_annual_gbp)} across all beneficiaries"
              if clause.cap_annual_gbp is not None else ""]
    cond = clause.condition
    return {"id": md(clause.id), "name": md(clause.name), "kind": "indemnity", "fines": "fines" in clause.covers,
            "text": f"{md(model.party(clause.indemnifier).name)} indemnifies {prose_list(beneficiaries)} for "
                    f"{pct(clause.share)} of the {covers} they bear on {flows}.",
            "condition": md(cond.description or "a condition") if cond else None,
            "tests": [md(t) for t in (cond.tests if cond else ())],
            "limits": prose_list([x for x in limits if x]) or "no excess or caps"}
