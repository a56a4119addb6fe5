"""Forms on the Model page: the partnership, a party's contacts, one flow's legal facts, the clauses, the scenarios."""

from __future__ import annotations

import copy

import streamlit as st

from .. import labels
from ..editing import update_item
from . import state
from .item_forms import new_id, party_names

NONE = "(none)"


def _apply(document: dict, message: str) -> None:
    state.set_doc(document)
    st.session_state[state.EDITOR_EPOCH] += 1  # the tables above must show the change
    state.flash(message)
    st.rerun()


def _choice(label: str, options: list, current, key: str, help_text: str | None = None, names=None):
    options = [NONE, *options]
    index = options.index(current) if current in options else 0
    value = st.selectbox(label, options, index=index, key=key, help=help_text,
                         format_func=lambda v: v if v == NONE or names is None else names.get(v, str(v)))
    return None if value == NONE else value


def partnership_form(doc: dict, party_ids: list[str]) -> None:
    """The partnership's own facts: name, dates, lead party, breach reporting and exit terms."""
    pt = doc.get("partnership") if isinstance(doc.get("partnership"), dict) else {}
    epoch = st.session_state[state.EDITOR_EPOCH]
    box = st.expander("Partnership: name, dates, lead party, breach reporting, exit", key="partnership_box",
                      on_change="rerun")
    if not box.open:  # drawn only when opened
        return
    with box, st.form(f"partnership_form_{epoch}"):
        name = st.text_input("Name", value=str(pt.get("name", "")), key=f"pt_name_{epoch}")
        description = st.text_area("Background and purpose", value=str(pt.get("description", "")),
                                   key=f"pt_description_{epoch}")
        a, b, c = st.columns(3)
        effective = a.text_input("Effective date (YYYY-MM-DD)", value=str(pt.get("effective_date", "")),
                                 key=f"pt_effective_{epoch}")
        review = b.text_input("Review date (YYYY-MM-DD)", value=str(pt.get("review_date", "")),
                              key=f"pt_review_{epoch}")
        with c:
            lead = _choice("Lead party", party_ids, pt.get("lead_party"), f"pt_lead_{epoch}", names=party_names(doc))
        current = pt.get("breach_reporting_hours") if isinstance(pt.get("breach_reporting_hours"), (int, float)) \
            else None
        hours = st.number_input("Hours within which a controller reports a breach to the ICO (at most 72)",
                                min_value=float(min(0.0, current or 0.0)), step=1.0, key=f"pt_hours_{epoch}",
                                max_value=float(max(72.0, current or 0.0)),  # over 72 is shown and flagged
                                value=None if current is None else float(current))
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


def clauses_section(doc: dict, party_ids: list[str]) -> None:
    st.subheader("Risk-sharing clauses")
    clauses = [c for c in doc.get("clauses", []) if isinstance(c, dict)]
    if not clauses:
        st.info("No clause yet: every party bears the losses the law allocates to it.")
    names = party_names(doc)
    for clause in clauses:
        cid = clause.get("id")
        kind = labels.CLAUSE_TYPE.get(str(clause.get("type")), "clause").lower()
        box = st.expander(f"{clause.get('name', cid)} ({kind})", key=f"clause_box_{cid}", on_change="rerun")
        if not box.open:
            continue
        with box:
            if clause.get("type") == "indemnity":
                _indemnity_form(doc, clause)
            else:
                st.dataframe([{"Member": names.get(m.get("party"), m.get("party")), "Share": f"{m.get('share', 0):.0%}"}
                              for m in clause.get("members", []) if isinstance(m, dict)], hide_index=True)
                st.caption("Pool members and shares: edit the model file or export and re-import to change them.")
    box = st.expander("Add an indemnity", key="add_indemnity_box", on_change="rerun")
    if box.open:
        with box, st.form("add_indemnity"):
            name = st.text_input("Name", key="add_ind_name")
            indemnifier = st.selectbox("Indemnifier", party_ids, key="add_ind_indemnifier",
                                       format_func=lambda i: names.get(i, str(i)))
            party_type = st.selectbox("Beneficiaries: every party of type", list(labels.PARTY_TYPE),
                                      key="add_ind_type", format_func=lambda t: labels.label("type", t))
            share = st.slider("Share of their losses taken over", 0.0, 1.0, 0.9, 0.05, key="add_ind_share")
            if st.form_submit_button("Add indemnity") and name.strip():
                updated = copy.deepcopy(doc)
                taken = {c.get("id") for c in clauses}
                updated.setdefault("clauses", []).append({
                    "id": new_id(name, taken), "type": "indemnity", "name": name.strip(),
                    "indemnifier": indemnifier, "beneficiaries": {"party_type": party_type}, "share": share})
                _apply(updated, f"Added the indemnity '{name.strip()}'. Add it to a scenario to assess it.")


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
    scenarios = [s for s in doc.get("scenarios", []) if isinstance(s, dict)]
    box = st.expander(f"Scenarios ({len(scenarios)}): which clauses apply together", key="scenarios_box",
                      on_change="rerun")
    if not box.open:
        return
    with box:
        _scenarios(doc, scenarios)


def _scenarios(doc: dict, scenarios: list[dict]) -> None:
    st.caption("Each scenario applies its clauses in order; the baseline (no clauses) is always assessed too.")
    clause_names = {c.get("id"): str(c.get("name") or c.get("id")) for c in doc.get("clauses", [])
                    if isinstance(c, dict)}
    clause_ids = list(clause_names)
    for scenario in scenarios:
        sid = scenario.get("id")
        with st.form(f"scenario_{sid}"):
            chosen = st.multiselect(f"{scenario.get('name', sid)}: clauses, in order", clause_ids,
                                    default=[c for c in scenario.get("clauses", []) if c in clause_ids],
                                    key=f"scenario_clauses_{sid}", format_func=lambda c: clause_names.get(c, c))
            if st.form_submit_button("Apply"):
                _apply(update_item(doc, "scenarios", sid, {"clauses": chosen}),
                       f"Updated the scenario '{scenario.get('name', sid)}'.")
    with st.form("add_scenario"):
        name = st.text_input("New scenario's name", key="add_scenario_name")
        chosen = st.multiselect("Clauses, in order", clause_ids, key="add_scenario_clauses",
                                format_func=lambda c: clause_names.get(c, c))
        if st.form_submit_button("Add scenario") and name.strip():
            updated = copy.deepcopy(doc)
            taken = {s.get("id") for s in scenarios} | {"baseline"}
            updated.setdefault("scenarios", []).append({"id": new_id(name, taken), "name": name.strip(),
                                                         "clauses": chosen})
            _apply(updated, f"Added the scenario '{name.strip()}'.")
