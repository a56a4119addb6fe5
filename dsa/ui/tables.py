"""Editable tables of parties and flows: schema enums as select boxes, schema descriptions as help."""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd
import streamlit as st

from ..editing import BOOLEAN_COLUMNS, FLOW_COLUMNS, INTEGER_COLUMNS, PARTY_COLUMNS, column_facts, to_rows


def _config(kind: str, party_ids: Sequence[str]) -> dict[str, Any]:
    facts = column_facts(kind)
    config: dict[str, Any] = {}
    for name, _ in (PARTY_COLUMNS if kind == "party" else FLOW_COLUMNS):
        help_text = facts[name]["description"] or None
        if facts[name]["enum"]:
            config[name] = st.column_config.SelectboxColumn(name, options=facts[name]["enum"], help=help_text)
        elif name in ("from", "to"):
            config[name] = st.column_config.SelectboxColumn(name, options=list(party_ids), help=help_text)
        elif name in INTEGER_COLUMNS:
            config[name] = st.column_config.NumberColumn(name, min_value=None, step=1, format="%d", help=help_text)
        elif name in BOOLEAN_COLUMNS:
            config[name] = st.column_config.CheckboxColumn(name, help=help_text)
        elif name == "annual_turnover_gbp":
            config[name] = st.column_config.NumberColumn(name, format="£%d", help=help_text)
        else:
            config[name] = st.column_config.TextColumn(name, help=help_text)
    return config


def edit_table(kind: str, items: list, key: str, party_ids: Sequence[str]) -> list[dict] | None:
    """Show ``items`` in a data editor (rows can be added and removed); the edited rows, or None if unedited."""
    columns = PARTY_COLUMNS if kind == "party" else FLOW_COLUMNS
    names = [c for c, _ in columns]
    frame = pd.DataFrame(to_rows([i for i in items if isinstance(i, dict)], columns), columns=names).astype(object)
    edited = st.data_editor(frame, key=key, num_rows="dynamic", hide_index=True, width="stretch",
                            column_config=_config(kind, party_ids))
    changes = st.session_state.get(key) or {}
    if not any(changes.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")):
        return None  # converting 500 rows back costs more than the rest of the page
    return edited.astype(object).where(edited.notna(), None).to_dict("records")
