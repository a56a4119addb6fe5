"""Plain values for each template; the only place that decides placeholders and drafting notes.

Where the model lacks a fact the law needs, the value is a visible
``[TO BE COMPLETED: …]`` and a drafting note names the document and clause.
Text from the model is escaped here (``filters.md``) so templates never see raw
user text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Flow, Model, Party
from .filters import (ARTICLE_6, ARTICLE_9, COMMON_LAW, long_date, md, prose_list,
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


BELOW_STANDARDS_MET = ("approaching_standards", "standards_not_met", "not_published")
DSPT_WORDS = {"standards_exceeded": "Standards Exceeded", "standards_met": "Standards Met",
              "approaching_standards": "Approaching Standards", "standards_not_met": "Standards Not Met",
              "not_published": "not published"}
# Who signs for each legal form, and on what authority (domain brief 4.6; Companies Act 2006 s.44).
SIGNATORY = {
    "partnership": ("a partner with authority to bind the partnership, for all the partners", "Partner"),
    "sole_trader": ("the practitioner personally", "Sole practitioner"),
    "limited_company": ("two directors, or a director and the company secretary, or one director in the "
                        "presence of a witness who attests the signature (Companies Act 2006, section 44)",
                        "Director"),
    "community_interest_company": ("two directors, or a director and the company secretary, or one director in "
                                   "the presence of a witness who attests the signature (Companies Act 2006, "
                                   "section 44)", "Director"),
    "nhs_body": ("an officer authorised under its scheme of delegation and standing financial instructions",
                 "Authorised officer"),
    "local_authority": ("an officer authorised under its constitution and scheme of delegation", "Authorised officer"),
    "charity": ("an authorised signatory on behalf of its trustees", "Trustee or authorised signatory"),
    "other": ("an authorised signatory", "Authorised signatory"),
}
STATUTE = {"icb": "an integrated care board established under the National Health Service Act 2006",
           "nhs_trust": "an NHS trust established under the National Health Service Act 2006",
           "commissioning_support_unit": "a commissioning support unit hosted by NHS England",
           "local_authority": "a local authority"}


def legal_name(p: Party, notes: Notes, document: str) -> str:
    """The party as a lawyer names it: the partners of a partnership, the company number of a company."""
    name = md(p.name)
    if p.legal_form == "partnership":
        count = f"{p.partners} " if p.partners else ""
        partners = (prose_list([md(n) for n in p.partner_names]) if p.partner_names else
                    notes.todo(document, "parties", f"names of the {count}partners of {p.name}"))
        return f"{partners}, practising in partnership as {name}"
    if p.legal_form == "sole_trader":
        who = md(p.partner_names[0]) if p.partner_names else notes.todo(
            document, "parties", f"name of the practitioner who is {p.name}")
        return f"{who}, trading as {name}"
    if p.legal_form in ("limited_company", "community_interest_company"):
        kind = "community interest company" if p.legal_form == "community_interest_company" else "company"
        return (f"{name}, a {kind} registered in England and Wales with company number "
                f"{notes.todo(document, 'parties', f'company number of {p.name}')}")
    if p.legal_form == "nhs_body":
        return f"{name}, {STATUTE.get(p.type, 'an NHS body')}"
    if p.legal_form == "local_authority":
        return f"{name}, a local authority"
    if p.legal_form == "charity":
        return f"{name}, a charity"
    return name


def party_rows(model: Model, parties: list[Party], notes: Notes, document: str) -> list[dict]:
    rows = []
    for p in parties:
        contacts = p.contacts
        authority, position = SIGNATORY.get(p.legal_form, SIGNATORY["other"])
        nhs_coded = p.type not in ("local_authority", "vcse", "supplier", "other")
        rows.append({
            "id": p.id, "label": party_label(p), "name": md(p.name), "type": TYPE_WORDS.get(p.type, "organisation"),
            "legal_form": p.legal_form, "legal_name": legal_name(p, notes, document),
            "ods": md(p.ods_code) if p.ods_code else (
                notes.todo(document, "parties", f"ODS code of {p.name}") if nhs_coded else "not applicable"),
            "ico": notes.value(p.ico_registration, document, "parties", f"ICO registration number of {p.name}"),
            "address": notes.value(p.address, document, "parties", f"address for notices of {p.name}"),
            "dpo": notes.value(contacts.get("dpo"), document, "signoff", f"Data Protection Officer of {p.name}"),
            "siro": notes.value(contacts.get("siro"), document, "signoff", f"SIRO of {p.name}"),
            "caldicott": notes.value(contacts.get("caldicott_guardian"), document, "signoff",
                                     f"Caldicott Guardian of {p.name}"),
            "privacy_notice": notes.value(p.privacy_notice_url, document, "transparency",
                                          f"privacy notice address of {p.name}"),
            "dspt": DSPT_WORDS[p.effective_dspt_status],
            "below_standard": p.effective_dspt_status in BELOW_STANDARDS_MET,
            "signatory": authority, "position": position,
            "partner_signer": (md(p.partner_names[0]) if p.legal_form == "sole_trader" and p.partner_names else ""),
        })
    return rows


def _needs_schedule_1(code: str | None) -> bool:
    return code in ("9(2)(b)", "9(2)(g)", "9(2)(h)", "9(2)(i)", "9(2)(j)")


def flow_row(model: Model, f: Flow, notes: Notes, document: str) -> dict:
    lb = f.legal_basis
    names = model.parties_by_id
    contract = f.governance("processing_contract") or {}
    s251 = f.governance("s251") or {}
    public = any(names[pid].is_public_body for pid in (f.source, f.recipient))
    dpia = (f.governance("dpia") or {}).get("reference")
    return {
        "id": md(f.id), "name": md(f.name), "from": md(names[f.source].name), "to": md(names[f.recipient].name),
        "purpose": purpose_words(f.purpose), "purpose_code": f.purpose,
        "relationship": RELATIONSHIP_WORDS[f.relationship],
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
        "schedule_1": (md(lb.schedule_1_condition) if lb and lb.schedule_1_condition else
                       notes.todo(document, "lawful_basis", f"DPA 2018 Schedule 1 condition of '{f.name}'")
                       if lb and _needs_schedule_1(lb.article_9) else "not applicable"),
        "legal_power": (md(lb.legal_power) if lb and lb.legal_power else
                        notes.todo(document, "lawful_basis", f"legal power a public body relies on for '{f.name}'")
                        if public else "not applicable (no public body)"),
        "common_law": COMMON_LAW.get(lb.common_law) if lb and lb.common_law else
        (notes.todo(document, "lawful_basis", f"common-law basis of '{f.name}'") if f.data.is_personal
         else "not confidential"),
        "s251": ((notes.value(s251.get("cag_reference"), document, "lawful_basis",
                              f"CAG reference of the s.251 support for '{f.name}'") + ", expires " +
                  notes.value(s251.get("expires"), document, "lawful_basis",
                              f"expiry of the s.251 support for '{f.name}'", long_date))
                 if lb and lb.common_law == "s251" else "not relied on"),
        "ndoo": OPT_OUT_WORDS.get(f.national_data_opt_out or "", None) or
        notes.todo(document, "opt_outs", f"national data opt-out position of '{f.name}'"),
        "ndoo_exemption": md(f.governance("national_data_opt_out_exemption") or ""),
        "type1": OPT_OUT_WORDS.get(f.governance("type1_opt_out") or "", None) or (
            "not applicable (not GP data leaving the practice for other purposes)"
            if not (names[f.source].type == "gp_practice" and f.purpose != "direct_care") else
            notes.todo(document, "opt_outs", f"Type 1 opt-out position of '{f.name}'")),
        "method": METHOD_WORDS[f.transfer.method], "frequency": f.transfer.frequency.replace("_", " "),
        "encrypted": "encrypted" if f.transfer.encrypted else "NOT encrypted",
        "retention": f"{f.retention_months} months" if f.retention_months is not None else
        notes.todo(document, "retention", f"retention period of '{f.name}'"),
        "retention_months": f.retention_months,
        "dpia": md(dpia) if dpia else notes.todo(document, "assurance",
                                                  f"DPIA reference for '{f.name}', or why none is needed"),
        "contract": md(contract.get("reference") or ""),
        "international": f.governance("international_transfer"),
    }


def notify_hours(model: Model, notes: Notes, document: str, clause: str = "breaches") -> str:
    """The one period within which a party tells the others of a breach: the model's, everywhere."""
    hours = [f.governance("breach_notification_hours") for f in model.flows
             if f.governance("breach_notification_hours") is not None]
    if hours:
        return f"{float(min(hours)):g}"
    return notes.todo(document, clause, "hours within which a Party tells the others of a personal data breach")


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
        "notify_hours": notify_hours(model, notes, document),
        "exit_terms": notes.value(pt.exit_terms, document, "termination", "data return and deletion on exit"),
        "version": md(version), "date": long_date(date),
    }


def base_context(model: Model, notes: Notes, document: str, date: str, version: str, title: str,
                 warning: str = "") -> dict:
    return {"title": title, "partnership": _partnership(model, notes, document, date, version),
            "warning": warning,
            "disclaimer": ("This draft was generated by dsa, a modelling aid. It is not legal advice and must be "
                           "reviewed by the parties' lawyers before it is relied on.")}
