"""Agreements page: preview every draft, download each as DOCX or Markdown, or the whole pack as a zip."""

import json

import streamlit as st

from dsa.ui import cached, guards, state

st.title("Agreements")
st.caption("Drafts for legal review: every required clause is present; facts the model lacks are highlighted as "
           "[TO BE COMPLETED: …] and listed in the drafting notes.")
model = guards.valid_model("drafted")
doc_json = state.doc_json()
names = {s.id: s.name for s in model.scenarios}
all_ids = [s.id for s in model.scenarios]
chosen = st.multiselect("Scenarios in the risk-sharing schedule's exposure table", all_ids,
                        default=guards.kept_scenarios(state.SCHEDULE_SCENARIOS, model),
                        format_func=lambda s: names.get(s, s), key="schedule_scenarios_widget")
st.session_state[state.SCHEDULE_SCENARIOS] = chosen
scenarios = tuple(chosen)
result = cached.assessment(doc_json, scenarios, st.session_state[state.YEARS], st.session_state[state.SEED],
                           float(st.session_state[state.THRESHOLD]))
with st.spinner("Drafting the pack…"):
    pack = cached.pack(doc_json, json.dumps(cached.assessment_json(result), sort_keys=True), scenarios, None)
st.caption(f"Model version {pack.version}, dated {pack.date}; exposure from {result['years']:,} simulated years "
           f"(seed {result['seed']}).")
st.download_button("Download the whole pack (zip)", pack.zip_bytes(), file_name=f"agreement-pack-{pack.version}.zip",
                   mime="application/zip", key="pack_zip", type="primary")

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
name = st.selectbox("Document", [d.name for d in pack.drafts], key="agreement_document",
                    format_func=lambda n: pack.draft(n).title)
draft = pack.draft(name)
a, b = st.columns(2)
a.download_button("Download DOCX", pack.docx(name), file_name=f"{name}.docx", mime=DOCX, key="draft_docx")
b.download_button("Download Markdown", draft.markdown.encode("utf-8"), file_name=f"{name}.md", mime="text/markdown",
                  key="draft_md")
with st.container(border=True, height=600):
    st.markdown(draft.markdown)  # already escaped by the drafting context: user text cannot become HTML

st.subheader(f"Drafting notes ({len(pack.notes)})")
if pack.notes:
    st.dataframe([{"document": n["document"], "clause": n["clause"], "to complete": n["what"]} for n in pack.notes],
                 hide_index=True, key="drafting_notes")
else:
    st.success("Every fact the drafts need is in the model.")
st.download_button("Download drafting notes", pack.notes_markdown().encode("utf-8"), file_name="drafting-notes.md",
                   mime="text/markdown", key="notes_md")
