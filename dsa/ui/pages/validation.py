"""Validation page: every finding, grouped by severity, with the party or flow it concerns and the fix."""

import json

import streamlit as st

from dsa.drafting.filters import md
from dsa.findings import Severity, count
from dsa.ui import cached, state

st.title("Validation")
doc = state.doc()
findings = cached.findings(state.doc_json())


def concerns(path: tuple) -> str:
    """The party, flow, clause or scenario a finding is about, by name."""
    if len(path) >= 2 and path[0] in ("parties", "flows", "clauses", "scenarios") and isinstance(path[1], int):
        items = doc.get(path[0]) or []
        item = items[path[1]] if path[1] < len(items) and isinstance(items[path[1]], dict) else {}
        kind = {"parties": "party", "flows": "flow", "clauses": "clause", "scenarios": "scenario"}[path[0]]
        return f"{kind} '{item.get('name') or item.get('id') or path[1] + 1}'"
    return "the partnership" if path and path[0] == "partnership" else "the model"


counts = {s: count(findings, s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
a, b, c = st.columns(3)
a.metric("Errors", counts[Severity.ERROR], help="Must be fixed before the model is assessed or drafted.")
b.metric("Warnings", counts[Severity.WARNING], help="Risks an IG lead should resolve or accept in writing.")
c.metric("Notes", counts[Severity.INFO])
if not findings:
    st.success("No problem found: the model meets the schema, its references hold and no IG rule fails.")

if findings:
    st.dataframe([{"severity": f.severity.value, "rule": f.rule, "concerns": concerns(f.path), "path": f.pointer or "/",
                   "message": f.message, "fix": f.fix} for f in findings], hide_index=True, key="findings_table",
                 width="stretch")

subjects = sorted({concerns(f.path) for f in findings})
chosen = st.selectbox("Show findings for", ["everything", *subjects], key="validation_filter")
flow_of = {concerns(f.path): f.path[1] for f in findings if len(f.path) >= 2 and f.path[0] == "flows"
           and isinstance(f.path[1], int) and isinstance(doc["flows"][f.path[1]], dict)
           and doc["flows"][f.path[1]].get("id")}
if chosen in flow_of and st.button("Edit this flow on the Model page", key="validation_edit_flow"):
    st.session_state["flow_form_flow"] = doc["flows"][flow_of[chosen]]["id"]  # the Model page's flow form
    st.switch_page("dsa/ui/pages/model.py")
labels = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Notes"}
for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
    group = [f for f in findings if f.severity == severity and chosen in ("everything", concerns(f.path))]
    if not group:
        continue
    with st.expander(f"{labels[severity]} ({len(group)})", expanded=severity != Severity.INFO):
        for f in group:
            st.markdown(f"**{f.rule}** · {md(concerns(f.path))} · `{f.pointer or '/'}`  \n"
                        f"{md(f.message)}  \n**Fix:** {md(f.fix)}")
            st.divider()
st.download_button("Download findings (JSON)", key="findings_json", file_name="findings.json",
                   mime="application/json",
                   data=json.dumps([f.to_dict() for f in findings], indent=2, ensure_ascii=False).encode("utf-8"))
