"""Model page: open, edit (parties, flows, clauses, scenarios), save and export the partnership model."""

import streamlit as st

from dsa.canonical import canonical_json
from dsa.editing import apply_flows, apply_parties
from dsa.errors import DsaError, ImportProblemsError
from dsa.loading import load_document
from dsa.ui import auth, cached, forms, item_forms, state, text

BIG_CHANGES = "big_changes"  # numbers a grid edit moved a hundredfold, shown back after the rerun

st.title("Partnership model")
state.show_flash()
doc = state.doc()
epoch = st.session_state[state.EDITOR_EPOCH]

def open_example() -> None:
    """One of the bundled examples: the partnerships, then the same service in each delivery vehicle."""
    folder = state.ROOT / "examples"
    paths = [*sorted(folder.glob("*.json")), *sorted((folder / "vehicles").glob("*.json"))]
    examples = {path.relative_to(folder).as_posix(): load_document(path) for path in paths}
    titles = {name: f"Vehicles — {name.removeprefix('vehicles/').removesuffix('.json')}"
              if name.startswith("vehicles/") else str((d.get("partnership") or {}).get("name") or name)
              for name, d in examples.items()}
    choice = st.selectbox("Example", list(examples), key="open_example", format_func=titles.get)
    if st.button("Open example", key="open_example_button"):
        state.set_doc(examples[choice], source=f"example '{titles[choice]}'", replaced=True)
        state.flash(f"Opened the example '{titles[choice]}'.")
        st.rerun()


def open_json() -> None:
    """A model file (JSON)."""
    file = st.file_uploader("Model file (JSON)", type=["json"], key="open_json")
    if file is not None and st.button("Open this file", key="open_json_button"):
        try:
            state.set_doc(load_document(file.getvalue()), source=f"file {file.name}", replaced=True)
            state.flash(f"Opened {file.name}.")
            st.rerun()
        except DsaError as exc:
            st.error(text.safe(f"{file.name} could not be opened: {exc}"))


def open_register() -> None:
    """A data-flow register (CSV or XLSX), with its template to start from."""
    st.caption("One row per flow, one column per fact. Start from the template: it explains every column.")
    t1, t2 = st.columns(2)
    t1.download_button("Register template (Excel)", (state.ROOT / "templates" / "register-template.xlsx")
                       .read_bytes(), file_name="register-template.xlsx", key="template_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    t2.download_button("Register template (CSV)", (state.ROOT / "templates" / "register-template.csv")
                       .read_bytes(), file_name="register-template.csv", key="template_csv", mime="text/csv")
    sheet = st.file_uploader("Register (CSV or XLSX)", type=["csv", "xlsx"], key="open_register")
    on_top = st.checkbox("Keep this model's parties and clauses", value=True, key="register_on_top")
    if sheet is not None and st.button("Import register", key="open_register_button"):
        from dsa.tabular import import_register  # openpyxl and friends load only when a register is imported

        try:
            imported = import_register(sheet.getvalue(), filename=sheet.name, base=doc if on_top else None)
            state.set_doc(imported, source=f"register {sheet.name}", replaced=True)
            state.flash(f"Imported {len(imported.get('flows', []))} flows from {sheet.name}.")
            st.rerun()
        except ImportProblemsError as exc:
            st.error(text.safe(str(exc)))
            st.dataframe([{"Row": p.row, "Column": p.column, "Value": str(p.value), "Problem": p.message}
                          for p in exc.problems], hide_index=True)
        except DsaError as exc:
            st.error(text.safe(str(exc)))


def open_saved() -> None:
    """A saved version from the store (opened only when this tab is chosen)."""
    try:
        store = cached.current_store()
        names = auth.readable_models(store)
    except DsaError as exc:
        store, names = None, []
        st.error(text.safe(f"The store cannot be opened: {exc}"))
    if names:
        name = st.selectbox("Saved model", names, key="open_stored")
        saved = store.history(name)
        versions = [v.number for v in saved]
        number = st.selectbox("Version", versions[::-1], key="open_stored_version",
                              format_func={v.number: auth.describe_version(v) for v in saved}.get)
        if st.button("Open saved version", key="open_stored_button"):
            state.set_doc(store.load(name, number), source=f"store '{name}' v{number}", store_name=name,
                          base_version=versions[-1] if number == versions[-1] else number, replaced=True)
            state.flash(f"Opened version {number} of '{name}'.")
            st.rerun()
    else:
        st.info("Nothing saved yet.")


opener = st.expander("Open a model", key="open_model", on_change="rerun")
if opener.open:  # drawn only when opened, and only the chosen tab: the first load stays light
    with opener:
        tabs = st.tabs(["Bundled examples", "JSON file", "Data-flow register", "Saved"], key="open_model_tab",
                       on_change="rerun")
        for tab, draw in zip(tabs, (open_example, open_json, open_register, open_saved), strict=True):
            if tab.open:
                with tab:
                    draw()

party_ids = [p.get("id") for p in doc.get("parties", []) if isinstance(p, dict)]
names = item_forms.party_names(doc)
forms.partnership_form(doc, party_ids)

st.subheader("Data flows")
st.caption("Choose a flow by name to see and edit every fact it carries, or add a new one. Fields marked * are "
           "needed before a flow can be added; the others are the governance facts the validator asks for.")
item_forms.editor("flows", doc)

st.subheader("Parties")
item_forms.editor("parties", doc)

forms.clauses_section(doc, party_ids)
forms.scenarios_section(doc)


def table_section(title: str, kind: str, section: str, apply) -> None:
    """An editable table; a complete edit becomes the new working model at once (its tables restart from it)."""
    from dsa.ui.tables import edit_table, magnitude_changes, settle_new_rows  # pandas loads only with the tables

    st.markdown(f"**{title}**")
    items = doc.get(section, [])
    rows = edit_table(kind, items, f"{section}_{epoch}", names)
    if rows is None:
        return
    taken = [i.get("id") for i in items if isinstance(i, dict)]
    rows, waiting = settle_new_rows(kind, rows, taken)
    if waiting:  # nothing is applied until every new row is complete: the model stays usable meanwhile
        for line in waiting:
            st.warning(line)
        return
    changed = apply(doc, rows)
    if canonical_json(changed) != state.doc_json():
        jumps = magnitude_changes(kind, items, rows, doc)
        state.set_doc(changed)
        st.session_state[state.EDITOR_EPOCH] += 1
        if jumps:
            st.session_state[BIG_CHANGES] = jumps
        st.rerun()


for line in st.session_state.pop(BIG_CHANGES, None) or []:
    st.warning(f"Check this change: {text.safe(line)}", icon=":material/warning:")
if st.toggle("Edit many flows or parties at once (tables)", key="show_tables",
             help="Every party and flow in a grid, for bulk edits. Governance facts are in the forms above."):
    st.caption("Edit cells directly; add or remove rows at the bottom. A new row is added once it has the "
               "facts marked * in the forms; invalid values are kept and flagged on the Validation page.")
    table_section("Parties", "party", "parties", apply_parties)
    table_section("Data flows", "flow", "flows", apply_flows)

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
            st.error(text.safe(f"Not saved: {exc}"))
with right:
    findings = cached.findings(state.doc_json())
    stem = text.safe(name).replace("\\", "") or "model"
    # Callables: the files are built only when clicked, not on every rerun (an XLSX of 500 flows takes ~0.5 s).

    def json_bytes() -> bytes:
        from dsa.tabular import json_text  # loaded only when a download is clicked
        return json_text(doc).encode("utf-8")

    def excel_bytes() -> bytes:
        from dsa.tabular import export_tables, xlsx_bytes
        return xlsx_bytes(export_tables(doc, findings))

    st.download_button("Download model (JSON)", json_bytes, file_name=f"{stem}.json",
                       mime="application/json", key="export_json")
    st.download_button("Download for Excel (XLSX)", excel_bytes,
                       file_name=f"{stem}.xlsx", key="export_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
