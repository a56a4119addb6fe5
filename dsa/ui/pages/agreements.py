"""Agreements page: preview every draft, download each as DOCX or Markdown, or the whole pack as a zip."""

import json

import streamlit as st

from dsa.canonical import model_version
from dsa.errors import DsaError
from dsa.ui import cached, guards, state, text

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


def saved_as() -> tuple[str | None, int | None]:
    """The store name, and the version number when the working model is exactly that saved version (after an
    edit it is a new, unsaved version: named, but given no number)."""
    name, number = st.session_state[state.STORE_NAME], st.session_state[state.BASE_VERSION]
    if not name or number is None:
        return name, None
    try:
        saved = cached.current_store().version_info(name, number).content_hash
    except DsaError:  # the store is unreachable or the version gone: name it without a number
        return name, None
    return name, number if saved[:12] == model_version(state.doc()) else None


with st.spinner("Drafting the pack…"):
    pack = cached.pack(doc_json, json.dumps(cached.assessment_json(result), sort_keys=True), scenarios, None,
                       *saved_as())
st.caption(f"Drafts of {text.safe(pack.label)}, dated {pack.date}; exposure from "
           f"{result['years']:,} simulated years (seed {result['seed']}).")
zip_button, open_errors = st.columns([1, 2], vertical_alignment="center")
zip_button.download_button("Download the whole pack (zip)", pack.zip_bytes(),
                           file_name=f"agreement-pack-{pack.version}.zip", mime="application/zip", key="pack_zip",
                           type="primary")
if pack.ig_errors:  # the banner above lists them; said again where the drafts are taken away
    open_errors.warning(f"NOT FOR SIGNATURE: {pack.ig_errors} information-governance error"
                        f"{'' if pack.ig_errors == 1 else 's'} still open (listed above and on the Validation page).",
                        icon=":material/warning:")

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
