"""History page: versions with author, time, summary and sign-offs; sign off; diff; restore."""

import pandas as pd
import streamlit as st

from dsa.diffing import diff_documents
from dsa.drafting.filters import md
from dsa.errors import DsaError
from dsa.storage import ROLES
from dsa.ui import cached, state

st.title("History")


def show(value) -> str:
    return "" if value is None else str(value)[:200]


state.show_flash()
name = st.session_state[state.STORE_NAME]
if not name:
    st.info("This model has not been saved yet. Save it on the Model page (Save and export) to start its history.")
    st.stop()
store = cached.current_store()
try:
    versions = store.history(name)
except DsaError as exc:
    st.error(str(exc))
    st.stop()
st.caption(f"'{name}' in the store: {len(versions)} version(s). Nothing is ever overwritten.")
st.dataframe(pd.DataFrame([{
    "version": v.number, "saved by": v.author, "when (UTC)": v.created_at.strftime("%Y-%m-%d %H:%M"),
    "summary": v.summary, "draft": "draft (has errors)" if v.is_draft else "", "findings": v.findings_count,
    "sign-offs": "; ".join(f"{s.party_id}: {s.role}, {s.signer}" for s in v.signoffs)} for v in versions[::-1]]),
    hide_index=True, key="history_table")

numbers = [v.number for v in versions][::-1]
latest = numbers[0]
unsigned = store.unsigned_parties(name, latest)
latest_doc = store.load(name, latest)
party_names = {p.get("id"): p.get("name", p.get("id")) for p in latest_doc.get("parties", []) if isinstance(p, dict)}
if unsigned:
    st.warning(f"Version {latest} has no sign-off yet from {len(unsigned)} part(ies): "
               f"{md(', '.join(party_names.get(p, p) for p in unsigned))}.")
else:
    st.success(f"Every party has signed version {latest}.")

sign, compare, restore = st.tabs(["Record a sign-off", "Compare versions", "Restore"])
with sign, st.form("signoff_form"):
    version = st.selectbox("Version", numbers, key="signoff_version")
    party = st.selectbox("Party", list(party_names), format_func=party_names.get, key="signoff_party")
    role = st.selectbox("Role", ROLES, key="signoff_role")
    signer = st.text_input("Name of the person signing", key="signoff_signer")
    note = st.text_input("Note (optional)", key="signoff_note")
    if st.form_submit_button("Record sign-off"):
        try:
            store.signoff(name, version, party_id=party, role=role, signer=signer, note=note)
            state.flash(f"Recorded {role} sign-off of version {version} for {party}.")
            st.rerun()
        except DsaError as exc:
            st.error(str(exc))
with compare:
    a, b = st.columns(2)
    old = a.selectbox("From version", numbers, index=min(1, len(numbers) - 1), key="diff_old")
    new = b.selectbox("To version", numbers, index=0, key="diff_new")
    changes = diff_documents(store.load(name, old), store.load(name, new))
    if changes:
        st.dataframe(pd.DataFrame([{"change": c.kind, "section": c.section, "item": c.item_id or "",
                                    "field": c.field or "", "was": show(c.old), "now": show(c.new)}
                                   for c in changes]), hide_index=True, key="diff_table")
    else:
        st.caption("The two versions have the same content.")
with restore:
    number = st.selectbox("Version to restore", numbers[1:] or numbers, key="restore_version")
    st.caption("Restoring saves that version's content as a new version; the history keeps everything.")
    if st.button("Restore as a new version", key="restore_button"):
        info = store.restore(name, number, author=st.session_state[state.AUTHOR] or "unknown")
        state.set_doc(store.load(name, info.number), source=f"store '{name}' v{info.number}", store_name=name,
                      base_version=info.number, replaced=True)
        state.flash(f"Restored version {number} as version {info.number}.")
        st.rerun()
