"""Tables a person edits (parties, flows, assumptions) to and from the model document.

The dashboard shows parties and flows as flat rows; these functions turn a
document into rows and edited rows back into a document. Fields the table does
not show are kept from the original item (matched by position, then id), so
editing a row never loses governance facts. Values are copied as entered, even
invalid ones: the validator flags them and nothing a person typed is dropped.
"""

from __future__ import annotations

import copy
import math
from typing import Any, Iterable, Mapping

# (column, path inside the item); list-valued fields are joined with "; " in the table.
PARTY_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id", ("id",)), ("name", ("name",)), ("type", ("type",)), ("ods_code", ("ods_code",)),
    ("legal_form", ("legal_form",)), ("partners", ("partners",)), ("dspt_status", ("dspt_status",)),
    ("annual_turnover_gbp", ("annual_turnover_gbp",)), ("ico_registration", ("ico_registration",)),
)
FLOW_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("id", ("id",)), ("name", ("name",)), ("from", ("from",)), ("to", ("to",)), ("purpose", ("purpose",)),
    ("relationship", ("relationship",)), ("identifiability", ("data", "identifiability")),
    ("special_category", ("data", "special_category")), ("records", ("data", "records")),
    ("categories", ("data", "categories")), ("article_6", ("legal_basis", "article_6")),
    ("article_9", ("legal_basis", "article_9")), ("common_law", ("legal_basis", "common_law")),
    ("national_data_opt_out", ("national_data_opt_out",)), ("method", ("transfer", "method")),
    ("frequency", ("transfer", "frequency")), ("encrypted", ("transfer", "encrypted")),
    ("retention_months", ("retention_months",)),
)
LIST_COLUMNS = {"categories"}
INTEGER_COLUMNS = {"partners", "records", "retention_months"}
BOOLEAN_COLUMNS = {"special_category", "encrypted"}


def _get(item: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(item, Mapping) or key not in item:
            return None
        item = item[key]
    return item


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (isinstance(value, str)
                                                                                  and not value.strip())


def _set(item: dict, path: tuple[str, ...], value: Any) -> None:
    *parents, last = path
    node = item
    for key in parents:
        if not isinstance(node.get(key), dict):
            if _blank(value):
                return
            node[key] = {}
        node = node[key]
    if _blank(value):
        node.pop(last, None)
    else:
        node[last] = value


def _cell(column: str, value: Any) -> Any:
    if column in LIST_COLUMNS:
        return "; ".join(str(v) for v in value) if isinstance(value, list) else value
    return value


def _value(column: str, value: Any) -> Any:
    if _blank(value):
        return None
    if column in LIST_COLUMNS and isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if hasattr(value, "item"):  # numpy scalars from the data editor
        value = value.item()
    if isinstance(value, float) and value.is_integer():  # a table turns 12 into 12.0 when a cell is blank
        return int(value)
    return value


def to_rows(items: Iterable[Mapping[str, Any]], columns) -> list[dict[str, Any]]:
    """One flat row per party or flow, in the table's column order."""
    return [{name: _cell(name, _get(item, path)) for name, path in columns} for item in items]


def from_rows(rows: Iterable[Mapping[str, Any]], originals: list[Mapping[str, Any]], columns) -> list[dict]:
    """Edited rows back into items, keeping every field the table does not show.

    A row keeps the unseen fields of the original with the same id (or, for an
    id renamed in place, the original at the same position with the same name);
    a new row starts empty.
    """
    rows = list(rows)
    by_id = {o.get("id"): o for o in originals if isinstance(o, Mapping)}
    ids = {r.get("id") for r in rows}
    out = []
    for position, row in enumerate(rows):
        original = by_id.get(row.get("id"))
        candidate = originals[position] if position < len(originals) else None
        if original is None and isinstance(candidate, Mapping) and candidate.get("id") not in ids \
                and candidate.get("name") == row.get("name"):  # an id renamed in place, not a new row
            original = candidate
        item = copy.deepcopy(dict(original)) if original is not None else {}
        for name, path in columns:
            _set(item, path, _value(name, row.get(name)))
        out.append(item)
    return out


def apply_parties(document: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> dict:
    doc = copy.deepcopy(dict(document))
    doc["parties"] = from_rows(rows, list(document.get("parties", [])), PARTY_COLUMNS)
    return doc


def apply_flows(document: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> dict:
    doc = copy.deepcopy(dict(document))
    new_flows = from_rows(rows, list(document.get("flows", [])), FLOW_COLUMNS)
    for flow in new_flows:  # a new row needs the objects the schema requires, to be edited further
        flow.setdefault("data", {})
        flow.setdefault("transfer", {})
    doc["flows"] = new_flows
    return doc


def update_item(document: Mapping[str, Any], section: str, item_id: str, changes: Mapping[str, Any]) -> dict:
    """A copy of ``document`` with ``changes`` (dotted paths → values; None removes) made to one item."""
    doc = copy.deepcopy(dict(document))
    for item in doc.get(section, []):
        if item.get("id") == item_id:
            for dotted, value in changes.items():
                _set(item, tuple(dotted.split(".")), value)
            return doc
    raise KeyError(f"no {section[:-1]} with id {item_id!r}")


# ----------------------------------------------------------------------------- assumptions

def assumption_rows(values: Mapping[str, Any], defaults: Mapping[str, Any], sources: Mapping[str, str]
                    ) -> list[dict[str, Any]]:
    """Every numeric leaf of the assumptions as an editable row: ``base_rate.secure_api`` → value."""
    rows = []

    def walk(prefix: str, value: Any, default: Any, source: str):
        if isinstance(value, Mapping):
            for k in value:
                walk(f"{prefix}.{k}", value[k], default.get(k) if isinstance(default, Mapping) else None, source)
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                walk(f"{prefix}.{i}", v, default[i] if isinstance(default, (list, tuple)) else None, source)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            rows.append({"assumption": prefix, "value": float(value),
                         "default": None if default is None else float(default), "source": source})

    for key, value in values.items():
        walk(key, value, defaults.get(key), sources.get(key, ""))
    return rows


def assumption_overrides(rows: Iterable[Mapping[str, Any]], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The model ``assumptions`` object that gives these rows' values (only what differs from the defaults)."""
    values = copy.deepcopy(dict(defaults))
    changed: set[str] = set()
    for row in rows:
        if _blank(row.get("value")) or row.get("default") is not None and float(row["value"]) == row["default"]:
            continue
        *parents, last = row["assumption"].split(".")
        node = values
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = float(row["value"])
        else:
            node[last] = float(row["value"])
        changed.add(parents[0] if parents else last)
    out: dict[str, Any] = {}
    for key in sorted(changed):
        default, value = defaults[key], values[key]
        if isinstance(value, Mapping):
            out[key] = {k: v for k, v in value.items() if v != default.get(k)}
        else:
            out[key] = value
    return out


# ----------------------------------------------------------------------------- schema facts for the editors

def column_facts(kind: str) -> dict[str, dict[str, Any]]:
    """For each table column of ``kind`` ("party" or "flow"): its schema ``description`` and ``enum`` (if any)."""
    from .validation.schema import load_schema  # the schema is the single source of truth for both

    schema = load_schema()
    defs = schema["$defs"]
    columns = PARTY_COLUMNS if kind == "party" else FLOW_COLUMNS
    out = {}
    for name, path in columns:
        node: Mapping[str, Any] = defs[kind]
        for key in path:
            node = node.get("properties", {}).get(key, {})
            if "$ref" in node:
                node = defs[node["$ref"].rsplit("/", 1)[-1]]
        enum = node.get("enum")
        if enum is None and isinstance(node.get("anyOf") or node.get("oneOf"), list):
            enum = [v for sub in (node.get("anyOf") or node.get("oneOf")) for v in sub.get("enum", [])] or None
        out[name] = {"description": node.get("description", ""),
                     "enum": [v for v in enum if v is not None] if enum else None}
    return out
