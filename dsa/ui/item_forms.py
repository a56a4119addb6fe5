"""Forms for one flow or one party, adding or editing: every fact of the catalogue in ``fields``, in plain words.

Widgets live outside ``st.form`` so that a field that applies only sometimes
(Article 9 only for special category data, the processing contract only for a
processor) appears the moment the answer that calls for it is given. Nothing
reaches the model until the person presses the form's button.
"""

from __future__ import annotations

import copy
import re
from typing import Any, Mapping

import streamlit as st

from ..editing import update_item
from ..findings import Severity, blocking
from ..validation import validate
from . import cached, fields, state, text
from .fields import Field

FIX = "fix_section"            # (model section, form section) a Fix link asks to open
SELECT_NEXT = "select_next"    # (select box key, item id) to choose when the page is next drawn
NOT_RECORDED = "Not recorded"
KIND_NAMES = {"flows": "flow", "parties": "party"}
SCHEMA_KIND = {"flows": "flow", "parties": "party"}


def _get(item: Mapping, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(item, Mapping) or key not in item:
            return None
        item = item[key]
    return item


def _put(item: dict, path: tuple[str, ...], value: Any) -> None:
    *parents, last = path
    node = item
    for key in parents:
        if not isinstance(node.get(key), dict):
            if value is None:
                return
            node[key] = {}
        node = node[key]
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def party_names(doc: Mapping) -> dict[str, str]:
    return {p["id"]: str(p.get("name") or p["id"]) for p in doc.get("parties", [])
            if isinstance(p, Mapping) and isinstance(p.get("id"), str)}


def _initial(field: Field, value: Any) -> Any:
    if field.kind in ("text", "long", "date"):
        return "" if value is None else str(value)
    if field.kind == "list":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else ("" if value is None else str(value))
    if field.kind == "terms":
        return [v for v in value if v in field.options] if isinstance(value, list) else []
    if field.kind == "bool":
        if field.required:
            return bool(value)
        return NOT_RECORDED if value is None else ("Yes" if value else "No")
    if field.kind in ("int", "number", "money"):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    return value


def _widget(section: str, field: Field, key: str, doc: Mapping) -> Any:
    """Draw one field's widget (its value already in session state) and return the model value it holds."""
    kind = SCHEMA_KIND[section]
    help_text = fields.help_text(kind, field.path)
    label = field.label + (" *" if field.required else "")
    if field.kind == "text":
        return st.text_input(label, key=key, help=help_text).strip() or None
    if field.kind == "date":
        value = st.text_input(label, key=key, help=help_text, placeholder="YYYY-MM-DD").strip()
        return value or None
    if field.kind == "long":
        return st.text_area(label, key=key, help=help_text, height=80).strip() or None
    if field.kind == "list":
        raw = st.text_area(label, key=key, help=help_text, height=80)
        items = [line.strip() for line in re.split(r"[\n;]", raw) if line.strip()]
        return items or None
    if field.kind == "terms":
        chosen = st.multiselect(label, list(field.options), key=key, help=help_text, format_func=field.options.get)
        return sorted(chosen) or None
    if field.kind == "bool":
        if field.required:
            return st.checkbox(label, key=key, help=help_text)
        value = st.selectbox(label, [NOT_RECORDED, "Yes", "No"], key=key, help=help_text)
        return None if value == NOT_RECORDED else value == "Yes"
    if field.kind == "choice":
        options = [None, *field.options]
        if st.session_state.get(key) not in options:  # a value outside the list is kept, shown as it is
            options.append(st.session_state.get(key))
        return st.selectbox(label, options, key=key, help=help_text,
                            format_func=lambda v: "Choose…" if v is None and field.required else
                            NOT_RECORDED if v is None else field.options.get(v, str(v)))
    if field.kind == "party":
        names = party_names(doc)
        options = [None, *names]
        if st.session_state.get(key) not in options:
            options.append(st.session_state.get(key))
        return st.selectbox(label, options, key=key, help=help_text,
                            format_func=lambda v: "Choose a party…" if v is None else names.get(v, str(v)))
    low, high = fields.bounds(kind, field.path)
    current = st.session_state.get(key)
    if isinstance(current, (int, float)):  # a value already out of bounds is shown (and flagged), never a crash
        low = None if low is None else min(low, current)
        high = None if high is None else max(high, current)
    if field.kind == "int" and not (isinstance(current, float) and not current.is_integer()):
        if isinstance(current, float):
            st.session_state[key] = current = int(current)
        value = st.number_input(label, key=key, help=help_text, step=1, format="%d",
                                min_value=None if low is None else int(low),
                                max_value=None if high is None else int(high))
        return None if value is None else int(value)
    value = st.number_input(label, key=key, help=help_text, format="%.0f" if field.kind == "money" else "%g",
                            step=1000.0 if field.kind == "money" else 1.0,
                            min_value=None if low is None else float(low),
                            max_value=None if high is None else float(high))
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def render(section: str, item: Mapping, doc: Mapping, prefix: str, open_section: str | None = None
           ) -> tuple[dict, dict[tuple, Any]]:
    """Every applicable field of ``item`` in one expander per form section.

    Returns the item as the widgets now describe it, and the shown fields' values (path → value, None =
    not recorded).
    """
    live = copy.deepcopy(dict(item))
    values: dict[tuple, Any] = {}
    for name, title in fields.SECTIONS[section].items():
        group = [f for f in fields.FIELDS[section] if f.section == name]
        key = f"{prefix}__section_{name}"  # a stable key: the section stays open or closed across reruns
        if key not in st.session_state or (open_section and name == open_section):
            first = "basics" if section == "flows" else None  # a party's sections start closed: lighter page
            st.session_state[key] = open_section is None or name == (open_section or first)
        section_box = st.expander(title, key=key, on_change="rerun")
        if not section_box.open:  # a closed section is not drawn: the page stays light; its facts stay as they are
            continue
        with section_box:
            for f in group:
                if f.applies is not None and not f.applies(live, doc):
                    continue
                key = f"{prefix}_{f.key}"
                if key not in st.session_state:
                    st.session_state[key] = _initial(f, _get(item, f.path))
                value = _widget(section, f, key, doc)
                values[f.path] = value
                _put(live, f.path, value)
    return live, values


def missing(section: str, item: Mapping, doc: Mapping) -> list[str]:
    """The labels of required facts ``item`` does not have yet."""
    out = [f.label for f in fields.FIELDS[section] if f.required and f.kind != "bool"
           and _get(item, f.path) in (None, "", [])]
    if section == "flows" and item.get("from") and item.get("from") == item.get("to"):
        out.append("a recipient other than the party sharing")
    if section == "parties" and item.get("legal_form") == "partnership" and not item.get("partners"):
        out.append("Number of partners")
    return out


def new_id(name: str, taken: set[str]) -> str:
    """An id the schema accepts, made from the name and not used yet (people never type ids)."""
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:56] or "item"
    if not base[0].isalnum():
        base = "x" + base
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def findings_list(doc: Mapping, section: str, index: int) -> None:
    """The findings on one item, with their location inside it in words."""
    found = [f for f in cached.findings(state.doc_json()) if len(f.path) >= 2 and f.path[0] == section
             and f.path[1] == index]
    if not found:
        st.success(f"No finding on this {KIND_NAMES[section]}.")
        return
    icons = {Severity.ERROR: ":red[Error]", Severity.WARNING: ":orange[Warning]", Severity.INFO: "Note"}
    lines = []
    for f in found:
        where = fields.location(doc, f.path).split(" › ", 1)
        lines.append(f"- {icons[f.severity]} · {text.safe(where[1] if len(where) > 1 else where[0])}: "
                     f"{text.safe(text.plain(f.message))} **Fix:** {text.safe(text.plain(f.fix))}")
    st.markdown("\n".join(lines))


def _apply(document: dict, message: str, select: tuple[str, str] | None = None) -> None:
    state.set_doc(document)
    st.session_state[state.EDITOR_EPOCH] += 1
    if select:
        st.session_state[SELECT_NEXT] = select  # the select box is drawn already: choose it on the next run
    state.flash(message)
    st.rerun()


def editor(section: str, doc: dict) -> None:
    """Choose a flow (or party) by name and edit every fact it can carry, or add a new one."""
    noun = KIND_NAMES[section]
    items = [i for i in doc.get(section, []) if isinstance(i, dict)]
    ids = [i.get("id") for i in items if isinstance(i.get("id"), str)]
    select_key = f"{noun}_form_{noun}"
    add = f"+ Add a {'data flow' if noun == 'flow' else 'party'}"
    options = [*ids, add]
    pending = st.session_state.get(SELECT_NEXT)
    if pending and pending[0] == select_key:
        st.session_state[select_key] = st.session_state.pop(SELECT_NEXT)[1]
    if st.session_state.get(select_key) not in options:
        st.session_state[select_key] = ids[0] if ids else add
    position = {i: k for k, i in enumerate(item.get("id") for item in doc.get(section, []) if isinstance(item, dict))}
    chosen = st.selectbox(f"{noun.capitalize()} to edit", options, key=select_key,
                          format_func=lambda i: i if i == add else fields.item_title(doc, section, position[i]))
    epoch = st.session_state[state.EDITOR_EPOCH]
    fix = st.session_state.pop(FIX, None)
    open_section = fix[1] if fix and fix[0] == section else ""
    if chosen == add:
        draft_key = f"{noun}_draft_{epoch}"
        live, _ = render(section, {}, doc, draft_key, None)
        if st.button(f"Add this {noun}", key=f"add_{noun}_button", type="primary"):
            _add(section, doc, live)
        return
    index = position[chosen]
    item = doc[section][index]
    live, values = render(section, item, doc, f"{noun}_{chosen}_{epoch}", open_section)
    if st.button(f"Apply to this {noun}", key=f"apply_{noun}_button", type="primary"):
        changes = {".".join(path): value for path, value in values.items()}
        _apply(update_item(doc, section, chosen, changes),
               f"Updated {fields.item_title({section: [live]}, section, 0).split(' ', 2)[-1]} "
               f"({noun} {index + 1}). Its findings are listed below the form.")
    st.markdown(f"**Findings on this {noun}**")
    findings_list(doc, section, index)


def _add(section: str, doc: dict, item: dict) -> None:
    noun = KIND_NAMES[section]
    gaps = missing(section, item, doc)
    if gaps:
        st.error(f"Not added yet: the {noun} needs " + text.safe(", ".join(gaps)) + ".")
        return
    taken = {i.get("id") for i in doc.get(section, []) if isinstance(i, dict)}
    item = {"id": new_id(str(item.get("name", noun)), taken), **item}
    if section == "flows":
        item.setdefault("data", {}).setdefault("special_category", False)
        item.setdefault("transfer", {}).setdefault("encrypted", False)
    updated = copy.deepcopy(doc)
    updated.setdefault(section, []).append(item)
    index = len(updated[section]) - 1
    stops = [f for f in blocking(validate(updated)) if len(f.path) >= 2 and f.path[:2] == (section, index)]
    if stops:
        st.error("Not added yet: " + " ".join(text.safe(text.plain(f.message)) for f in stops))
        return
    _apply(updated, f"Added {fields.item_title(updated, section, index)}. Its findings are listed below the form: "
                    "fill in what they ask for and apply.", select=(f"{noun}_form_{noun}", item["id"]))
