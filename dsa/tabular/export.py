"""Export a model as tables: an XLSX workbook, a folder of CSV files, or pretty JSON.

The sheets are those cli.md names — Parties, Flows, Clauses, Findings, and
Results when an assessment is given — plus Scenarios and Partnership, so that
the workbook holds the whole model and ``dsa import`` reads it back unchanged.
Every string cell is neutralised against formula injection when written
(``cells.neutralise``); ``export_tables`` itself returns the plain values, for
callers (the dashboard) that show them as text. The XLSX bytes depend only on
the model: the workbook's created/modified times and the zip entries' times
are fixed, so exporting the same model twice gives the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import zipfile
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..findings import Finding
from ..text import EXCEL_CELL_LIMIT, xml_safe
from ..zipfiles import with_fixed_times
from .cells import neutralise
from .columns import ABSENT, Column, NotRepresentable, get_path, representable
from .register import (CLAUSE_COLUMNS, EXTRA, EXTRA_CHUNK, FLOW_COLUMNS, MODEL_COLUMNS, MODEL_SHEET_HEADER,
                       PARTY_COLUMNS, SCENARIO_COLUMNS, continuation_name)

__all__ = ["export_tables", "write_xlsx", "xlsx_bytes", "write_csv_folder", "csv_text", "json_text",
           "FINDING_COLUMNS", "RESULT_COLUMNS", "SHEET_ORDER"]

FINDING_COLUMNS = ("rule", "severity", "path", "message", "fix")
RESULT_STATS = ("mean", "p50", "p90", "p95", "p99", "max")
RESULT_COLUMNS = ("scenario", "party", "party_name") + RESULT_STATS
SHEET_ORDER = ("Parties", "Flows", "Clauses", "Scenarios", "Partnership", "Findings", "Results")
# Any constant will do: it only has to be the same on every export.
FIXED_TIME = dt.datetime(2000, 1, 1)
_ITEM_SECTIONS = {"Parties": ("parties", PARTY_COLUMNS), "Flows": ("flows", FLOW_COLUMNS),
                  "Clauses": ("clauses", CLAUSE_COLUMNS), "Scenarios": ("scenarios", SCENARIO_COLUMNS)}


def _delete_path(item: dict, path: tuple[str, ...]) -> None:
    """Remove the field at ``path``, and any object that removal leaves empty."""
    trail = [item]
    for part in path[:-1]:
        trail.append(trail[-1][part])
    del trail[-1][path[-1]]
    for depth in range(len(path) - 1, 0, -1):
        if trail[depth]:
            break
        del trail[depth - 1][path[depth - 1]]


def item_row(columns: Iterable[Column], item: Any) -> list[Any]:
    """One item as cells; whatever no column can carry exactly goes into ``extra`` as JSON."""
    rest = json.loads(json.dumps(item))  # a deep copy; much faster than copy.deepcopy for JSON data
    row: list[Any] = []
    for col in columns:
        if col is EXTRA:
            row.append(representable(EXTRA, rest) if rest else None)
            continue
        value = get_path(item, col.path)
        cell = None
        if value is not ABSENT:
            try:
                cell = representable(col, value)
                _delete_path(rest, col.path)
            except NotRepresentable:
                cell = None
        row.append(cell)
    return row


def _chunks(text: str) -> list[str]:
    return [text[i:i + EXTRA_CHUNK] for i in range(0, len(text), EXTRA_CHUNK)]


def _continue_extra(rows: list[list[Any]]) -> list[list[Any]]:
    """An ``extra`` cell longer than an Excel cell holds is split across ``extra_2``, ``extra_3``… columns,
    which import joins again: the text is exported whole, never cut."""
    at = rows[0].index(EXTRA.name)
    longest = max((len(r[at]) for r in rows[1:] if isinstance(r[at], str)), default=0)
    if longest <= EXCEL_CELL_LIMIT:
        return rows
    n = -(-longest // EXTRA_CHUNK)
    out = [rows[0][:at + 1] + [continuation_name(k) for k in range(2, n + 1)] + rows[0][at + 1:]]
    for row in rows[1:]:
        parts = _chunks(row[at]) if isinstance(row[at], str) and len(row[at]) > EXCEL_CELL_LIMIT else [row[at]]
        out.append(row[:at] + parts + [None] * (n - len(parts)) + row[at + 1:])
    return out


def _item_sheet(doc: Mapping[str, Any], key: str, columns: tuple[Column, ...]) -> list[list[Any]]:
    rows: list[list[Any]] = [[c.name for c in columns]]
    items = doc.get(key)
    if _sheetable(items):
        rows.extend(item_row(columns, item) for item in items)
    return _continue_extra(rows)


def _sheetable(items: Any) -> bool:
    """A section goes on its own sheet when it is a non-empty array of objects (else into Partnership extra)."""
    return isinstance(items, list) and bool(items) and all(isinstance(i, dict) for i in items)


def _model_sheet(doc: Mapping[str, Any]) -> list[list[Any]]:
    top = {k: v for k, v in doc.items()
           if not (k in ("parties", "flows", "clauses", "scenarios") and _sheetable(v))}
    # Empty parties/flows come back as [] anyway; only an absent or odd value needs recording.
    for key in ("parties", "flows"):
        if top.get(key) == []:
            del top[key]
    cells = item_row(MODEL_COLUMNS, top)
    rows: list[list[Any]] = [list(MODEL_SHEET_HEADER)]
    for c, v in zip(MODEL_COLUMNS, cells):
        if c is EXTRA and isinstance(v, str) and len(v) > EXCEL_CELL_LIMIT:
            # One row per piece (extra, extra_2, …), as the item sheets use extra_2… columns.
            rows.extend([continuation_name(k + 1) if k else c.name, part] for k, part in enumerate(_chunks(v)))
        else:
            rows.append([c.name, v])
    return rows


def _findings_sheet(findings: Iterable[Finding | Mapping[str, Any]]) -> list[list[Any]]:
    rows: list[list[Any]] = [list(FINDING_COLUMNS)]
    for f in findings:
        d = f.to_dict() if isinstance(f, Finding) else dict(f)
        rows.append([d.get(c) for c in FINDING_COLUMNS])
    return rows


def _results_sheet(doc: Mapping[str, Any], assessment: Mapping[str, Any]) -> list[list[Any]]:
    names = {p.get("id"): p.get("name") for p in doc.get("parties") or () if isinstance(p, dict)}
    rows: list[list[Any]] = [list(RESULT_COLUMNS)]
    for scenario, result in (assessment.get("scenarios") or {}).items():
        for party, stats in (result.get("parties") or {}).items():
            rows.append([scenario, party, names.get(party)] + [stats.get(s) for s in RESULT_STATS])
    return rows


def export_tables(doc: Mapping[str, Any], findings: Iterable[Finding | Mapping[str, Any]],
                  assessment_json: Mapping[str, Any] | None = None) -> dict[str, list[list[Any]]]:
    """Sheet name -> rows (header first), in ``SHEET_ORDER``; Results only with an assessment
    (the ``dsa assess --json`` document, or ``Assessment.to_json()``)."""
    tables: dict[str, list[list[Any]]] = {}
    for sheet in SHEET_ORDER:
        if sheet in _ITEM_SECTIONS:
            key, columns = _ITEM_SECTIONS[sheet]
            tables[sheet] = _item_sheet(doc, key, columns)
        elif sheet == "Partnership":
            tables[sheet] = _model_sheet(doc)
        elif sheet == "Findings":
            tables[sheet] = _findings_sheet(findings)
        elif assessment_json is not None:
            tables[sheet] = _results_sheet(doc, assessment_json)
    return tables


# ------------------------------------------------------------------ writers
def _safe(value: Any) -> Any:
    """A cell any spreadsheet holds. Model cells are exact already (what a cell cannot hold went to ``extra``);
    derived text (findings, results) has characters XML forbids replaced, and is never cut silently."""
    if isinstance(value, float) and not math.isfinite(value):  # Excel cannot hold NaN or infinity
        return None
    if isinstance(value, str):
        value = xml_safe(value)
        if len(value) > EXCEL_CELL_LIMIT - 1:
            cut = f" … [{len(value) - EXCEL_CELL_LIMIT + 100:,} more characters not shown]"
            value = value[:EXCEL_CELL_LIMIT - 100] + cut
    return neutralise(value)


def xlsx_bytes(tables: Mapping[str, list[list[Any]]]) -> bytes:
    """The workbook as bytes: header rows bold and frozen, every string cell neutralised, fixed timestamps.

    Written in openpyxl's streaming (write-only) mode, which is about half again as fast on big models."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, rows in tables.items():
        ws = wb.create_sheet(title=name)
        if rows:
            ws.freeze_panes = "A2"
            for i, header in enumerate(rows[0], start=1):
                width = max((len(str(r[i - 1])) for r in rows[:200] if i - 1 < len(r) and r[i - 1] is not None),
                            default=8)
                ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, len(str(header)) + 2), 60)
            header_cells = []
            for value in rows[0]:
                cell = WriteOnlyCell(ws, value=_safe(value))
                cell.font = bold
                header_cells.append(cell)
            ws.append(header_cells)
        for row in rows[1:]:
            ws.append([_safe(v) for v in row])
    wb.properties.creator = "dsa"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()  # not save_workbook(), which stamps the current time
    return with_fixed_times(raw.getvalue())


def write_xlsx(tables: Mapping[str, list[list[Any]]], path: str | os.PathLike) -> Path:
    """Write the workbook to ``path`` (atomically: a failed write leaves no half-written file)."""
    return _atomic_write(Path(path), xlsx_bytes(tables))


def _csv_cell(value: Any) -> str:
    value = _safe(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return json.dumps(value)
    return str(value)


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """One table as CSV text (every string cell neutralised)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


def write_csv_folder(tables: Mapping[str, list[list[Any]]], folder: str | os.PathLike) -> list[Path]:
    """One UTF-8 CSV per sheet (``parties.csv``, ``flows.csv``, …), with a byte-order mark so Excel reads
    accented names and £ correctly; returns the files written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    return [_atomic_write(folder / f"{name.lower()}.csv", ("\ufeff" + csv_text(rows)).encode("utf-8"))
            for name, rows in tables.items()]


def json_text(doc: Mapping[str, Any]) -> str:
    """The model document, pretty-printed (the JSON export)."""
    return json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _atomic_write(path: Path, data: bytes) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def register_template(doc: Mapping[str, Any]) -> list[list[Any]]:
    """A register (every ``REGISTER_COLUMNS`` column) of ``doc``'s flows, with the party-creation columns
    filled in, so the sheet imports on its own, without a base model (used for templates/)."""
    from .register import PARTY_CREATION_COLUMNS, REGISTER_COLUMNS

    parties = {p.get("id"): p for p in doc.get("parties") or () if isinstance(p, dict)}
    fields = {"name": ("name",), "ods": ("ods_code",), "type": ("type",), "legal_form": ("legal_form",),
              "partners": ("partners",)}
    creation = {c.name: c for c in PARTY_CREATION_COLUMNS}
    rows: list[list[Any]] = [[c.name for c in REGISTER_COLUMNS]]
    for flow in doc.get("flows") or ():
        row = item_row(FLOW_COLUMNS, flow)
        for side in ("from", "to"):
            party = parties.get(flow.get(side), {})
            for suffix, path in fields.items():
                value = get_path(party, path)
                row.append(None if value is ABSENT else representable(creation[f"{side}_{suffix}"], value))
        rows.append(row)
    return rows
