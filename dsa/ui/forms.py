"""Forms on the Model page: the partnership, a party's contacts, one flow's legal facts, the clauses, the scenarios."""

from __future__ import annotations

import copy

import streamlit as st

from ..editing import column_facts, update_item
from . import state

NONE = "(none)"


def _apply(document: dict, message: str) -> None:
    state.set_doc(document)
    st.session_state[state.EDITOR_EPOCH] += 1  # the tables above must show the change
    state.flash(message)
    st.rerun()


def _choice(label: str, options: list, current, key: str, help_text: str | None = None):
    options = [NONE, *options]
    index = options.index(current) if current in options else 0
    value = st.selectbox(label, options, index=index, key=key, help=help_text)
    return None if value == NONE else value


def partnership_form(doc: dict, party_ids: list[str]) -> None:
    """The partnership's own facts: name, dates, lead party, breach reporting and exit terms."""
    pt = doc.get("partnership") if isinstance(doc.get("partnership"), dict) else {}
    epoch = st.session_state[state.EDITOR_EPOCH]
    with st.expander("Partnership: name, dates, lead party, breach reporting, exit"), \
            st.form(f"partnership_form_{epoch}"):
        name = st.text_input("Name", value=str(pt.get("name", "")), key=f"pt_name_{epoch}")
        description = st.text_area("Background and purpose", value=str(pt.get("description", "")),
                                   key=f"pt_description_{epoch}")
        a, b, c = st.columns(3)
        effective = a.text_input("Effective date (YYYY-MM-DD)", value=str(pt.get("effective_date", "")),
                                 key=f"pt_effective_{epoch}")
        review = b.text_input("Review date (YYYY-MM-DD)", value=str(pt.get("review_date", "")),
                              key=f"pt_review_{epoch}")
        with c:
            lead = _choice("Lead party", party_ids, pt.get("lead_party"), f"pt_lead_{epoch}")
        hours = st.number_input("Hours within which a controller reports a breach to the ICO (at most 72)",
                                min_value=0.0, step=1.0, key=f"pt_hours_{epoch}",
                                value=float(pt["breach_reporting_hours"])
                                if isinstance(pt.get("breach_reporting_hours"), (int, float)) else None)
        exit_terms = st.text_area("Exit terms (data return and deletion)", value=str(pt.get("exit_terms", "")),
                                  key=f"pt_exit_{epoch}")
        if st.form_submit_button("Apply partnership details"):
            updated = copy.deepcopy(doc)
            target = updated.setdefault("partnership", {})
            for key, value in (("name", name.strip()), ("description", description.strip()),
                               ("effective_date", effective.strip()), ("review_date", review.strip()),
                               ("lead_party", lead), ("exit_terms", exit_terms.strip()),
                               ("breach_reporting_hours", None if hours is None else
                                (int(hours) if float(hours).is_integer() else hours))):
                if value in (None, ""):
                    target.pop(key, None)  # a cleared field is removed; the validator says if it was needed
                else:
                    target[key] = value
            _apply(updated, "Updated the partnership details.")


CONTACTS = (("dpo", "Data Protection Officer"), ("siro", "Senior Information Risk Owner (SIRO)"),
            ("caldicott_guardian", "Caldicott Guardian"), ("public", "Contact for the public"))


def contacts_form(doc: dict) -> None:
    """One party's contacts and privacy notice: the facts the drafts otherwise leave as placeholders."""
    parties = [p for p in doc.get("parties", []) if isinstance(p, dict) and p.get("id")]
    if not parties:
        return
    with st.expander("A party's contacts and privacy notice (used by the drafts)"):
        names = {p["id"]: p.get("name", p["id"]) for p in parties}
        party_id = st.selectbox("Party", list(names), format_func=names.get, key="contacts_party")
        party = next(p for p in parties if p["id"] == party_id)
        contacts = party.get("contacts") if isinstance(party.get("contacts"), dict) else {}
        suffix = f"{party_id}_{st.session_state[state.EDITOR_EPOCH]}"
        with st.form(f"contacts_form_{suffix}"):
            values = {key: st.text_input(label, value=str(contacts.get(key, "")), key=f"contact_{key}_{suffix}")
                      for key, label in CONTACTS}
            notice = st.text_input("Privacy notice address", value=str(party.get("privacy_notice_url", "")),
                                   key=f"contact_notice_{suffix}")
            if st.form_submit_button("Apply contacts"):
                changes = {f"contacts.{key}": value.strip() or None for key, value in values.items()}
                changes["privacy_notice_url"] = notice.strip() or None
                _apply(update_item(doc, "parties", party_id, changes), f"Updated the contacts of {names[party_id]}.")


def flow_form(doc: dict) -> None:
    """Change one flow's legal basis, opt-out and transfer facts with select boxes."""
    flows = [f for f in doc.get("flows", []) if isinstance(f, dict) and f.get("id")]
    if not flows:
        return
    st.subheader("One flow's legal facts")
    facts = column_facts("flow")
    ids = [f["id"] for f in flows]
    flow_id = st.selectbox("Flow", ids, key="flow_form_flow",
                           format_func=lambda i: next(f.get("name", i) for f in flows if f["id"] == i))
    flow = next(f for f in flows if f["id"] == flow_id)
    suffix = f"{flow_id}_{st.session_state[state.EDITOR_EPOCH]}"  # fresh widgets for each flow and each model
    lb, tr = flow.get("legal_basis") or {}, flow.get("transfer") or {}
    with st.form(f"flow_form_{flow_id}"):
        a, b, c = st.columns(3)
        with a:
            article_6 = _choice("Article 6 basis", facts["article_6"]["enum"], lb.get("article_6"),
                                f"ff_article_6_{suffix}", facts["article_6"]["description"])
            method = _choice("Transfer method", facts["method"]["enum"], tr.get("method"), f"ff_method_{suffix}",
                             facts["method"]["description"])
        with b:
            article_9 = _choice("Article 9 condition", facts["article_9"]["enum"], lb.get("article_9"),
                                f"ff_article_9_{suffix}", facts["article_9"]["description"])
            encrypted = st.checkbox("Encrypted in transit", value=bool(tr.get("encrypted")),
                                    key=f"ff_encrypted_{suffix}")
        with c:
            common_law = _choice("Common-law basis", facts["common_law"]["enum"], lb.get("common_law"),
                                 f"ff_common_law_{suffix}", facts["common_law"]["description"])
            opt_out = _choice("National data opt-out", facts["national_data_opt_out"]["enum"],
                              flow.get("national_data_opt_out"), f"ff_opt_out_{suffix}",
                              facts["national_data_opt_out"]["description"])
        months = flow.get("retention_months")
        retention = st.number_input("Retention (months)", min_value=0, step=1,
                                    value=months if isinstance(months, int) else None, key=f"ff_retention_{suffix}")
        if st.form_submit_button("Apply to this flow"):
            _apply(update_item(doc, "flows", flow_id, {
                "legal_basis.article_6": article_6, "legal_basis.article_9": article_9,
                "legal_basis.common_law": common_law, "national_data_opt_out": opt_out,
                "transfer.method": method, "transfer.encrypted": encrypted,
                "retention_months": None if retention is None else int(retention)}),
                f"Updated the flow '{flow.get('name', flow_id)}'.")


def clauses_section(doc: dict, party_ids: list[str]) -> None:
    st.subheader("Risk-sharing clauses")
    clauses = [c for c in doc.get("clauses", []) if isinstance(c, dict)]
    if not clauses:
        st.info("No clause yet: every party bears the losses the law allocates to it.")
    for clause in clauses:
        cid = clause.get("id")
        with st.expander(f"{clause.get('name', cid)} ({clause.get('type', '?').replace('_', ' ')})"):
            if clause.get("type") == "indemnity":
                _indemnity_form(doc, clause)
            else:
                st.dataframe(clause.get("members", []), hide_index=True)
                st.caption("Pool members and shares: edit the model file or export and re-import to change them.")
    with st.expander("Add an indemnity"):
        with st.form("add_indemnity"):
            new_id = st.text_input("Id (lower case, e.g. icb-indemnity)", key="add_ind_id")
            name = st.text_input("Name", key="add_ind_name")
            indemnifier = st.selectbox("Indemnifier", party_ids, key="add_ind_indemnifier")
            party_type = st.selectbox("Beneficiaries: every party of type", column_facts("party")["type"]["enum"],
                                      key="add_ind_type")
            share = st.slider("Share of their losses taken over", 0.0, 1.0, 0.9, 0.05, key="add_ind_share")
            if st.form_submit_button("Add indemnity"):
                updated = copy.deepcopy(doc)
                updated.setdefault("clauses", []).append({
                    "id": new_id.strip(), "type": "indemnity", "name": name.strip() or new_id.strip(),
                    "indemnifier": indemnifier, "beneficiaries": {"party_type": party_type}, "share": share})
                _apply(updated, f"Added the indemnity '{name or new_id}'. Add it to a scenario to assess it.")


def _indemnity_form(doc: dict, clause: dict) -> None:
    cid = clause["id"]
    epoch = st.session_state[state.EDITOR_EPOCH]
    with st.form(f"indemnity_{cid}"):
        share = st.number_input("Share of beneficiaries' losses taken over (0–1)", min_value=0.0, max_value=1.0,
                                step=0.05, value=float(clause.get("share", 0.0)), key=f"share_{cid}_{epoch}")
        a, b, c = st.columns(3)
        excess = a.number_input("Excess per incident (£)", min_value=0.0, step=1000.0,
                                value=float(clause.get("excess_gbp", 0.0)), key=f"excess_{cid}_{epoch}")
        per_incident = b.number_input("Cap per incident (£, 0 = none)", min_value=0.0, step=10000.0,
                                      value=float(clause.get("cap_per_incident_gbp") or 0.0), key=f"cap_{cid}_{epoch}")
        annual = c.number_input("Annual cap (£, 0 = none)", min_value=0.0, step=10000.0,
                                value=float(clause.get("cap_annual_gbp") or 0.0), key=f"annual_{cid}_{epoch}")
        if st.form_submit_button("Apply to this clause"):
            _apply(update_item(doc, "clauses", cid, {
                "share": share, "excess_gbp": excess or None,
                "cap_per_incident_gbp": per_incident or None, "cap_annual_gbp": annual or None}),
                f"Updated the clause '{clause.get('name', cid)}'.")


def scenarios_section(doc: dict) -> None:
    st.subheader("Scenarios")
    st.caption("Each scenario applies its clauses in order; the baseline (no clauses) is always assessed too.")
    clause_ids = [c.get("id") for c in doc.get("clauses", []) if isinstance(c, dict)]
    for scenario in [s for s in doc.get("scenarios", []) if isinstance(s, dict)]:
        sid = scenario.get("id")
        with st.form(f"scenario_{sid}"):
            chosen = st.multiselect(f"{scenario.get('name', sid)}: clauses, in order", clause_ids,
                                    default=[c for c in scenario.get("clauses", []) if c in clause_ids],
                                    key=f"scenario_clauses_{sid}")
            if st.form_submit_button("Apply"):
                _apply(update_item(doc, "scenarios", sid, {"clauses": chosen}), f"Updated the scenario '{sid}'.")
    with st.form("add_scenario"):
        new_id = st.text_input("New scenario id", key="add_scenario_id")
        chosen = st.multiselect("Clauses, in order", clause_ids, key="add_scenario_clauses")
        if st.form_submit_button("Add scenario") and new_id.strip():
            updated = copy.deepcopy(doc)
            updated.setdefault("scenarios", []).append({"id": new_id.strip(), "name": new_id.strip(),
                                                         "clauses": chosen})
            _apply(updated, f"Added the scenario '{new_id.strip()}'.")
