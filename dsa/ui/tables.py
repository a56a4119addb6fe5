"""Editable tables of parties and flows for bulk edits: labels and names in the cells, ids and enum values kept.

The cells hold the model's values (enum values, party ids); ``format_func``
shows each as its label or name, so a person reads "Controller to processor"
and "Riverside Surgery" while the model keeps ``controller_to_processor`` and
``m81001``. Ids are not shown: a new row gets one from its name.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import pandas as pd
import streamlit as st

from ..editing import BOOLEAN_COLUMNS, FLOW_COLUMNS, INTEGER_COLUMNS, PARTY_COLUMNS, to_rows
from . import fields, text
from .item_forms import new_id

NUMBER_COLUMNS = INTEGER_COLUMNS | {"annual_turnover_gbp"}


def _columns(kind: str):
    return PARTY_COLUMNS if kind == "party" else FLOW_COLUMNS


def column_label(kind: str, path: tuple[str, ...]) -> str:
    section = "parties" if kind == "party" else "flows"
    field = next((f for f in fields.FIELDS[section] if f.path == path), None)
    return field.label if field else path[-1].replace("_", " ").capitalize()


def _config(kind: str, party_names: dict[str, str]) -> dict[str, Any]:
    section = "parties" if kind == "party" else "flows"
    config: dict[str, Any] = {}
    for name, path in _columns(kind):
        if name == "id":
            continue
        label = column_label(kind, path)
        help_text = fields.help_text(kind, path)
        field = next((f for f in fields.FIELDS[section] if f.path == path), None)
        if field is not None and field.kind == "choice":
            options = field.options
            config[name] = st.column_config.SelectboxColumn(label, options=list(options), help=help_text,
                                                            format_func=lambda v, o=options: o.get(v, str(v)))
        elif name in ("from", "to"):
            config[name] = st.column_config.SelectboxColumn(label, options=list(party_names), help=help_text,
                                                            format_func=lambda v: party_names.get(v, str(v)))
        elif name in NUMBER_COLUMNS:
            low, high = fields.bounds(kind, path)
            config[name] = st.column_config.NumberColumn(
                label, min_value=low, max_value=high, step=1, help=help_text,
                format="localized")
        elif name in BOOLEAN_COLUMNS:
            config[name] = st.column_config.CheckboxColumn(label, help=help_text)
        else:
            config[name] = st.column_config.TextColumn(label, help=help_text)
    return config


def edit_table(kind: str, items: list, key: str, party_names: dict[str, str]) -> list[dict] | None:
    """Show ``items`` in a data editor (rows can be added and removed); the edited rows, or None if unedited."""
    names = [c for c, _ in _columns(kind)]
    frame = pd.DataFrame(to_rows([i for i in items if isinstance(i, dict)], _columns(kind)),
                         columns=names).astype(object)
    edited = st.data_editor(frame, key=key, num_rows="dynamic", hide_index=True, width="stretch",
                            column_config=_config(kind, party_names), column_order=[n for n in names if n != "id"])
    changes = st.session_state.get(key) or {}
    if not any(changes.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")):
        return None  # converting 500 rows back costs more than the rest of the page
    return edited.astype(object).where(edited.notna(), None).to_dict("records")


def _blank(value) -> bool:
    return value is None or value is False or (isinstance(value, float) and math.isnan(value)) or \
        (isinstance(value, str) and not value.strip())


def settle_new_rows(kind: str, rows: list[dict], taken: Sequence[str]) -> tuple[list[dict], list[str]]:
    """New rows (no id yet): blank ones dropped, complete ones given an id from their name.

    Returns the rows to apply and, for each new row still missing a required fact, a sentence saying what;
    while any is incomplete the page applies nothing, so a half-typed row never blocks other pages.
    """
    section = "parties" if kind == "party" else "flows"
    required = {f.path: f.label for f in fields.FIELDS[section] if f.required and f.kind != "bool"}
    column_of = {path: name for name, path in _columns(kind)}
    used = set(taken)
    kept, problems = [], []
    for number, row in enumerate(rows, start=1):
        if row.get("id") not in (None, ""):
            kept.append(row)
            continue
        if all(_blank(v) for v in row.values()):
            continue
        gaps = [label for path, label in required.items() if path in column_of and _blank(row.get(column_of[path]))]
        if gaps:
            problems.append(f"Row {number} is not added yet: it needs {', '.join(gaps)}.")
            continue
        row = dict(row, id=new_id(str(row.get("name")), used))
        used.add(row["id"])
        kept.append(row)
    return kept, problems


def magnitude_changes(kind: str, items: list, rows: list[dict], doc: dict) -> list[str]:
    """Numbers a grid edit changed a hundredfold or more, in words, so a slipped key is seen."""
    section = "parties" if kind == "party" else "flows"
    by_id = {i.get("id"): (k, i) for k, i in enumerate(items) if isinstance(i, dict)}
    out = []
    for row in rows:
        if row.get("id") not in by_id:
            continue
        k, item = by_id[row["id"]]
        for name, path in _columns(kind):
            if name not in NUMBER_COLUMNS:
                continue
            old, new = _value(item, path), row.get(name)
            if not isinstance(old, (int, float)) or not isinstance(new, (int, float)) or _blank(new) or old == new:
                continue
            if old == 0 or new == 0 or max(abs(new / old), abs(old / new)) >= 100:
                factor = "" if old == 0 or new == 0 else \
                    f" ({abs(new / old):,.0f} times more)" if abs(new) > abs(old) else f" ({abs(old / new):,.0f} times less)"
                show = text.money if name == "annual_turnover_gbp" else (lambda v: f"{v:,.0f}")
                out.append(f"{fields.item_title(doc, section, k)}: {column_label(kind, path)} changed from "
                           f"{show(old)} to {show(new)}{factor}.")
    return out


def _value(item, path):
    for key in path:
        if not isinstance(item, dict):
            return None
        item = item.get(key)
    return item
