"""Model page: open, edit (parties, flows, clauses, scenarios), save and export the partnership model."""

import streamlit as st

from dsa.canonical import canonical_json
from dsa.drafting.filters import md
from dsa.editing import apply_flows, apply_parties
from dsa.errors import DsaError, ImportProblemsError
from dsa.loading import load_document
from dsa.tabular import export_tables, import_register, json_text, xlsx_bytes
from dsa.ui import auth, cached, forms, state
from dsa.ui.tables import edit_table

st.title("Partnership model")
state.show_flash()
doc = state.doc()
epoch = st.session_state[state.EDITOR_EPOCH]

with st.expander("Open a model", expanded=False):
    example, upload, register, stored = st.tabs(["Bundled examples", "JSON file", "Data-flow register", "Saved"])
    with example:
        choice = st.selectbox("Example", ["herefordshire-phm.json", "minimal.json"], key="open_example")
        if st.button("Open example", key="open_example_button"):
            state.set_doc(load_document(state.ROOT / "examples" / choice), source=f"example {choice}",
                          replaced=True)
            state.flash(f"Opened the example {choice}.")
            st.rerun()
    with upload:
        file = st.file_uploader("Model file (JSON)", type=["json"], key="open_json")
        if file is not None and st.button("Open this file", key="open_json_button"):
            try:
                state.set_doc(load_document(file.getvalue()), source=f"file {file.name}", replaced=True)
                state.flash(f"Opened {file.name}.")
                st.rerun()
            except DsaError as exc:
                st.error(f"{file.name} could not be opened: {exc}")
    with register:
        st.caption("One row per flow; the template is in templates/register-template.xlsx (see docs/register.md).")
        sheet = st.file_uploader("Register (CSV or XLSX)", type=["csv", "xlsx"], key="open_register")
        on_top = st.checkbox("Keep this model's parties and clauses", value=True, key="register_on_top")
        if sheet is not None and st.button("Import register", key="open_register_button"):
            try:
                imported = import_register(sheet.getvalue(), filename=sheet.name, base=doc if on_top else None)
                state.set_doc(imported, source=f"register {sheet.name}", replaced=True)
                state.flash(f"Imported {len(imported.get('flows', []))} flows from {sheet.name}.")
                st.rerun()
            except ImportProblemsError as exc:
                st.error(str(exc))
                st.dataframe([{"row": p.row, "column": p.column, "value": str(p.value), "problem": p.message}
                              for p in exc.problems], hide_index=True)
            except DsaError as exc:
                st.error(str(exc))
    with stored:
        try:
            store = cached.current_store()
            names = auth.readable_models(store)
        except DsaError as exc:
            store, names = None, []
            st.error(f"The store cannot be opened: {exc}")
        if names:
            name = st.selectbox("Saved model", names, key="open_stored")
            versions = [v.number for v in store.history(name)]
            number = st.selectbox("Version", versions[::-1], key="open_stored_version")
            if st.button("Open saved version", key="open_stored_button"):
                state.set_doc(store.load(name, number), source=f"store '{name}' v{number}", store_name=name,
                              base_version=versions[-1] if number == versions[-1] else number, replaced=True)
                state.flash(f"Opened version {number} of '{name}'.")
                st.rerun()
        else:
            st.info("Nothing saved yet.")

party_ids = [p.get("id") for p in doc.get("parties", []) if isinstance(p, dict)]
forms.partnership_form(doc, party_ids)


def table_section(title: str, kind: str, section: str, apply, caption: str | None = None) -> None:
    """An editable table; an edit becomes the new working model at once (its tables restart from it)."""
    st.subheader(title)
    if caption:
        st.caption(caption)
    rows = edit_table(kind, doc.get(section, []), f"{section}_{epoch}", party_ids)
    if rows is not None:
        changed = apply(doc, rows)
        if canonical_json(changed) != state.doc_json():
            state.set_doc(changed)
            st.session_state[state.EDITOR_EPOCH] += 1
            st.rerun()


table_section("Parties", "party", "parties", apply_parties,
              "Edit cells directly; add or remove rows at the bottom. Invalid values are kept and flagged on the "
              "Validation page.")
table_section("Data flows", "flow", "flows", apply_flows)

forms.contacts_form(doc)
forms.flow_form(doc)
forms.clauses_section(doc, party_ids)
forms.scenarios_section(doc)

st.subheader("Save and export")
left, right = st.columns(2)
with left:
    default_name = st.session_state[state.STORE_NAME] or str((doc.get("partnership") or {}).get("name", "model"))
    name = st.text_input("Name in the store", value=default_name, key=f"save_name_{epoch}")
    summary = st.text_input("What changed (recorded in the history)", key="save_summary")
    auth.name_field("save")  # personal mode: the author's name, asked once per session
    if st.button("Save a new version", key="save_button", type="primary"):
        same = name == st.session_state[state.STORE_NAME]
        try:
            info = auth.save(cached.current_store(), name, doc, summary=summary,
                             base=st.session_state[state.BASE_VERSION] if same else None)
            st.session_state[state.STORE_NAME], st.session_state[state.BASE_VERSION] = name, info.number
            state.flash(f"Saved version {info.number} of '{name}'" +
                        (f" as a draft with {info.error_count} error(s)." if info.is_draft else "."))
            st.rerun()
        except DsaError as exc:  # a stale base names who saved in between
            st.error(f"Not saved: {exc}")
with right:
    findings = cached.findings(state.doc_json())
    stem = md(name).replace("\\", "") or "model"
    # Callables: the files are built only when clicked, not on every rerun (an XLSX of 500 flows takes ~0.5 s).
    st.download_button("Download model (JSON)", lambda: json_text(doc).encode("utf-8"), file_name=f"{stem}.json",
                       mime="application/json", key="export_json")
    st.download_button("Download for Excel (XLSX)", lambda: xlsx_bytes(export_tables(doc, findings)),
                       file_name=f"{stem}.xlsx", key="export_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
