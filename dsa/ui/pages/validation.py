"""Validation page: every finding in words, where it is ("Flow 3 'x' › DPIA › Date"), and a Fix link to its form."""

import json

import streamlit as st

from dsa.findings import Severity, count, is_blocking
from dsa.ui import cached, fields, guards, state, text

PER_GROUP = 200  # findings drawn per severity; a first import can have thousands (all are in the download)

st.title("Validation")
doc = state.doc()
findings = cached.findings(state.doc_json())


def subject(path: tuple) -> str:
    """The party, flow, clause or scenario a finding is about (the first part of its location)."""
    return fields.location(doc, tuple(path[:2])) if len(path) >= 2 and isinstance(path[1], int) else \
        fields.location(doc, tuple(path[:1]))


if st.session_state.get(guards.FIX_PAGE):
    st.switch_page(st.session_state.pop(guards.FIX_PAGE))

counts = {s: count(findings, s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
a, b, c = st.columns(3)
a.metric("Errors", counts[Severity.ERROR], help="Problems to fix before the agreement is signed. Errors in the "
         "model's structure or references stop the figures and drafts; governance errors are listed in them.")
b.metric("Warnings", counts[Severity.WARNING], help="Risks an IG lead should resolve or accept in writing.")
c.metric("Notes", counts[Severity.INFO])
if not findings:
    st.success("No problem found: the model is complete, its references hold and no governance rule fails.")

subjects = list(dict.fromkeys(subject(f.path) for f in findings))
chosen = st.selectbox("Show findings for", ["Everything", *subjects], key="validation_filter")
titles = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Notes"}
for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
    group = [f for f in findings if f.severity == severity and chosen in ("Everything", subject(f.path))]
    if not group:
        continue
    with st.expander(f"{titles[severity]} ({len(group):,})", expanded=severity != Severity.INFO):
        for k, f in enumerate(group[:PER_GROUP]):
            left, right = st.columns([12, 1], vertical_alignment="center")
            stops = " · stops the figures and drafts until fixed" if is_blocking(f) else ""
            left.markdown(f"**{text.safe(fields.location(doc, f.path))}**  \n{text.safe(text.plain(f.message))}  \n"
                          f"**Fix:** {text.safe(text.plain(f.fix))}")
            left.caption(f"Details: rule {f.rule}, at {f.pointer or '/'}{stops}")
            right.button("Fix", key=f"fix_{severity.value}_{k}", on_click=guards.open_fix, args=(tuple(f.path),),
                         help="Open the form that holds this fact")
        if len(group) > PER_GROUP:
            st.caption(f"The first {PER_GROUP} of {len(group):,} are shown; choose one party or flow above, or "
                       "download them all.")
st.download_button("Download findings (JSON)", key="findings_json", file_name="findings.json",
                   mime="application/json",
                   data=json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False).encode("utf-8"))
