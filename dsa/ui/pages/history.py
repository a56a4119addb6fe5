"""History page: the saved models (Open), the open model's versions, sign-offs, comparison, restore, members.

Versions are named as everywhere else ("v2 of 'name' (16f6d6702305)"); parties by name, roles as people say
them. In shared mode each action goes through ``auth``, which records the signed-in email and lets the store
refuse (and log) what the person's role does not allow.
"""

import re

import pandas as pd
import streamlit as st

from dsa.canonical import version_label
from dsa.diffing import diff_documents
from dsa.errors import DsaError
from dsa.labels import label
from dsa.storage import APPROVAL_ROLES, MEMBER_ROLES, REVIEW_ROLES, ROLES
from dsa.ui import auth, cached, state
from dsa.ui.text import safe as md  # the one escaping helper for model text

st.title("History")
state.show_flash()

ACTIONS = {"save": "saved", "save_draft": "saved a draft", "signoff": "approved", "review": "reviewed",
           "refused": "refused", "member_add": "gave a role", "member_remove": "took away a role"}
ROLE_HELP = {"viewer": "reads", "editor": "saves and restores versions", "signer": "signs off for their party",
             "admin": "manages members, and everything else"}


def show(value) -> str:
    return "" if value is None else str(value)[:200]


def when(t) -> str:
    return t.strftime("%d %b %Y %H:%M UTC")


def role_words(role: str) -> str:
    return f"{role} (approval)" if role in APPROVAL_ROLES else f"{role} (review — not the party's approval)"


def open_model(store, name: str) -> None:
    info = store.version_info(name)
    state.set_doc(store.load(name, info.number), source=f"store '{name}' v{info.number}", store_name=name,
                  base_version=info.number, replaced=True)
    state.flash(md(f"Opened {version_label(name, info.number, info.content_hash[:12])}."))


try:
    store = cached.current_store()
    names = auth.readable_models(store)
except DsaError as exc:
    st.error(md(f"The store cannot be opened: {exc}"))
    st.stop()

# ------------------------------------------------------------------ the saved models, each with Open
st.subheader("Saved models")
if not names:
    st.info("Nothing saved yet that you can open." if auth.shared_mode() else
            "Nothing saved yet. Save the model on the Model page (Save and export) to start its history.")
for i, model_name in enumerate(names):
    latest = store.version_info(model_name)
    row = st.columns([3, 5, 1], vertical_alignment="center")
    row[0].markdown(f"**{md(model_name)}**")
    label_latest = version_label(model_name, latest.number, latest.content_hash[:12])
    row[1].caption(f"{latest.number} version(s); latest {md(label_latest)}, saved by {md(latest.author)} "
                   f"on {when(latest.created_at)}")
    row[2].button("Open", key=f"history_open_{i}", on_click=open_model, args=(store, model_name),
                  disabled=model_name == st.session_state[state.STORE_NAME])

name = st.session_state[state.STORE_NAME]
if not name or name not in names:
    st.info("The working model has not been saved yet: open a saved model above, or save this one on the Model page.")
    st.stop()

versions = store.history(name)
latest = versions[-1]
latest_doc = store.load(name, latest.number)
party_names = {p.get("id"): p.get("name") or p.get("id") for p in latest_doc.get("parties", []) if isinstance(p, dict)}


def party(pid: str) -> str:
    return party_names.get(pid, pid)


def signoff_words(s) -> str:
    kind = "" if s.is_approval else " (review)"
    return f"{party(s.party_id)}: {s.role}{kind}, {s.signer}, {s.signed_on.strftime('%d %b %Y')}" + (
        f" — {s.note}" if s.note else "")


st.subheader(f"'{md(name)}'")
working = st.session_state[state.BASE_VERSION]
st.caption(f"You are working on {md(version_label(name, working, store.version_info(name, working).content_hash[:12]))}"
           if working else "")
labels = {v.number: version_label(name, v.number, v.content_hash[:12]) for v in versions}
st.dataframe(pd.DataFrame([{
    "version": labels[v.number], "when (UTC)": when(v.created_at), "saved by": v.author, "summary": v.summary,
    "status": f"draft: {v.error_count} error(s)" if v.is_draft else "no errors",
    "sign-offs": "; ".join(signoff_words(s) for s in v.signoffs)} for v in versions[::-1]]),
    hide_index=True, key="history_table")
notes = [(v, s) for v in versions[::-1] for s in v.signoffs if s.note]
if notes:
    with st.expander(f"Sign-off notes ({len(notes)})"):
        for v, s in notes:
            st.markdown(f"- **{md(labels[v.number])}**, {md(party(s.party_id))}, {md(s.role)} ({md(s.signer)}): "
                        f"{md(s.note)}")

unsigned = store.unsigned_parties(name, latest.number)
if unsigned:
    st.warning(f"{md(labels[latest.number])} has no approval yet from {len(unsigned)} part(ies): "
               f"{md(', '.join(party(p) for p in unsigned))}.")
else:
    st.success(f"Every party has approved {md(labels[latest.number])}.")

my_roles = auth.roles(store, name)  # None in personal mode
if my_roles is not None:
    st.caption("Your roles: " + (", ".join(f"{r} for {party(p)}" for p, r in sorted(my_roles.items()))
                                 or "none (ask an admin of this model)"))
numbers = [v.number for v in versions][::-1]
tabs = ["Record a sign-off", "Compare versions", "Restore", "Audit log"]
is_admin = my_roles is not None and "admin" in my_roles.values()
if is_admin:
    tabs.append("Members")
sign, compare, restore, audit, *members = st.tabs(tabs)

with sign:
    auth.name_field("signoff")  # personal mode: who is recording it, asked once per session
    who = auth.current()
    if who is not None and not auth.shared_mode() and not st.session_state.get("signoff_signer"):
        st.session_state["signoff_signer"] = who.who  # pre-filled; the signer may be someone else at a meeting
    with st.form("signoff_form"):
        version = st.selectbox("Version", numbers, key="signoff_version", format_func=labels.get)
        pid = st.selectbox("For", list(party_names), format_func=party, key="signoff_party")
        role = st.selectbox("Role", ROLES, key="signoff_role", format_func=role_words,
                            help=f"{', '.join(APPROVAL_ROLES)} sign-offs are the party's approval and need a version "
                                 f"without errors; {' and '.join(REVIEW_ROLES)} are recorded as reviews.")
        if auth.shared_mode():
            signer = st.text_input("Signed by", value=who.email if who else "", disabled=True, key="signoff_signer")
        else:
            signer = st.text_input("Name of the person signing", key="signoff_signer")
        note = st.text_input("Note (optional), e.g. the meeting or minute reference", key="signoff_note")
        if st.form_submit_button("Record sign-off"):
            try:
                so = auth.signoff(store, name, version, party_id=pid, role=role, note=note, signer=signer,
                                  names=party_names)
                what = "approval" if so.is_approval else "review"
                state.flash(md(f"Recorded the {role} {what} of {labels[version]} for {party(pid)}."))
                st.rerun()
            except DsaError as exc:
                st.error(md(f"Not recorded: {exc}"))

with compare:
    a, b = st.columns(2)
    old = a.selectbox("From version", numbers, index=min(1, len(numbers) - 1), key="diff_old", format_func=labels.get)
    new = b.selectbox("To version", numbers, index=0, key="diff_new", format_func=labels.get)
    old_doc, new_doc = store.load(name, old), store.load(name, new)
    item_names = {(sec, it.get("id")): it.get("name") or it.get("id") for d in (old_doc, new_doc)
                  for sec in ("parties", "flows", "clauses", "scenarios") for it in d.get(sec) or []
                  if isinstance(it, dict)}
    changes = diff_documents(old_doc, new_doc)
    if changes:
        st.dataframe(pd.DataFrame([{
            "change": c.kind, "section": c.section.capitalize(),
            "item": item_names.get((c.section, c.item_id), c.item_id or ""),
            "field": (c.field or "").replace("_", " ").replace(".", " › "),
            "was": show(label(c.field.rsplit(".", 1)[-1], c.old) if c.field and c.old is not None else c.old),
            "now": show(label(c.field.rsplit(".", 1)[-1], c.new) if c.field and c.new is not None else c.new)}
            for c in changes]), hide_index=True, key="diff_table")
    else:
        st.caption("The two versions have the same content.")

with restore:
    number = st.selectbox("Version to restore", numbers[1:] or numbers, key="restore_version", format_func=labels.get)
    st.caption("Restoring saves that version's content as a new version; the history keeps everything.")
    auth.name_field("restore")
    if st.button("Restore as a new version", key="restore_button"):
        try:
            info = auth.restore(store, name, number, names=party_names)
            state.set_doc(store.load(name, info.number), source=f"store '{name}' v{info.number}", store_name=name,
                          base_version=info.number, replaced=True)
            state.flash(md(f"Restored {labels[number]} as version {info.number}."))
            st.rerun()
        except DsaError as exc:
            st.error(md(f"Not restored: {exc}"))

with audit:
    entries = store.audit_log(name)[::-1]
    # The log's details are written with party ids (they are the record); people read them with names.
    ids = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(party_names, key=len, reverse=True)) + r")\b") \
        if party_names else None
    st.dataframe(pd.DataFrame([{
        "when (UTC)": when(e.at), "who": e.actor, "what": ACTIONS.get(e.action, e.action.replace("_", " ")),
        "version": labels.get(e.version, "") if e.version else "",
        "detail": ids.sub(lambda m: party(m.group(1)), e.detail) if ids else e.detail} for e in entries]),
        hide_index=True, key="audit_table")

if members:
    with members[0]:
        rows = store.members(name)
        st.dataframe(pd.DataFrame([{"email": m.email, "party": party(m.party_id), "role": m.role,
                                    "added by": m.added_by} for m in rows]), hide_index=True, key="members_table")
        with st.form("member_add_form"):
            email = st.text_input("Email (as they sign in)", key="member_email")
            mparty = st.selectbox("Party", list(party_names), format_func=party, key="member_party")
            mrole = st.selectbox("Role", MEMBER_ROLES, key="member_role",
                                 format_func=lambda r: f"{r} — {ROLE_HELP[r]}")
            if st.form_submit_button("Give this role"):
                try:
                    m = store.add_member(name, email, mparty, mrole, actor=auth.require().who,
                                         member=auth.require().email)
                    state.flash(md(f"{m.email} is now {m.role} for {party(m.party_id)}."))
                    st.rerun()
                except DsaError as exc:
                    st.error(md(f"Not changed: {exc}"))
        if rows:
            choice = st.selectbox("Take away a role", range(len(rows)), key="member_remove",
                                  format_func=lambda i: f"{rows[i].email}: {rows[i].role} for "
                                                        f"{party(rows[i].party_id)}")
            if st.button("Take away this role", key="member_remove_button"):
                try:
                    store.remove_member(name, rows[choice].email, rows[choice].party_id, actor=auth.require().who,
                                        member=auth.require().email)
                    state.flash(md(f"{rows[choice].email} no longer has a role for {party(rows[choice].party_id)}."))
                    st.rerun()
                except DsaError as exc:
                    st.error(md(f"Not changed: {exc}"))
