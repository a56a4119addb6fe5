"""Import a data-flow register (CSV or XLSX, one row per flow) into a model document.

Many ICBs already keep their flows in a spreadsheet (an "information asset
and data flow register"). ``import_register`` turns one into a model: the
Flows sheet (or the only sheet, or a CSV file) gives the flows; Parties,
Clauses, Scenarios and Partnership sheets, when present (as in a workbook
written by ``dsa export``), give the rest; otherwise those come from
``base``, an existing model. Parties that neither knows can be created from
the ``from_name``/``from_ods``/``from_type``… columns.

Every problem in every row is collected, with its spreadsheet row number
(header = row 1) and column, and reported at once as ImportProblemsError;
nothing is partly imported. A register that imports cleanly may still have
validation findings (a missing DPIA, say); those are for ``validate``.

The columns are documented in ``REGISTER_COLUMNS`` and docs/register.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import deque
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_not
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..collector import collector_paused
from ..errors import ImportProblemsError, InputError
from ..settings import LoadLimits
from .cells import unescape
from .xlsx_reader import read_workbook
from .columns import (ABSENT, CellProblem, Column, _flow, _indemnity, _party, decode, decode_column,
                      DecodedColumn, fast_decode, get_path, schema_enum, suggest)

__all__ = ["ImportProblem", "import_register", "REGISTER_COLUMNS", "FLOW_COLUMNS", "PARTY_CREATION_COLUMNS",
           "PARTY_COLUMNS", "CLAUSE_COLUMNS", "SCENARIO_COLUMNS", "MODEL_COLUMNS", "EXTRA", "SHEETS",
           "infer_party_type"]

FORMAT = "dsa-model/1"
_PURPOSES = _flow("purpose")
_PARTY_TYPES = _party("type")
_LEGAL_FORMS = _party("legal_form")
_OPT_OUT = _flow("national_data_opt_out")

EXTRA = Column("extra", "json", False,
               "Anything the other columns cannot hold, as a JSON object merged into the row's item: `x-` "
               "annotations, extra `risk` overrides, a list item containing `;`. Written by export so a model "
               "round-trips exactly; normally left empty.")

#: The flow fields of model-format.md, one column each (the Flows sheet / register).
FLOW_COLUMNS: tuple[Column, ...] = (
    Column("id", "text", True, "Stable flow id: lower-case letters, digits, `-` and `_` (e.g. `phm-m81001`)."),
    Column("name", "text", True, "What the flow is, in a few words."),
    Column("from", "text", True, "Id of the party that discloses the data (the discloser). May be left empty when "
           "`from_ods` or `from_name` identifies a new party."),
    Column("to", "text", True, "Id of the party that receives the data. May be left empty when `to_ods` or "
           "`to_name` identifies a new party."),
    Column("purpose", "enum", True, "Why the data flows.", _PURPOSES),
    Column("relationship", "enum", True, "The UK GDPR roles on this flow.", _flow("relationship")),
    Column("joint_controllers", "shares", False, "Only for joint controllers: each controller's share of "
           "responsibility, `party: share; party: share`, summing to 1 (default: `from` and `to` at 0.5)."),
    Column("data.identifiability", "enum", True, "How identifiable the data is.", _flow("data", "identifiability")),
    Column("data.special_category", "boolean", True, "Health or other special category data (yes/no)."),
    Column("data.categories", "list", False, "Kinds of data, `; `-separated (e.g. `demographics; diagnoses`)."),
    Column("data.records", "integer", True, "Number of data subjects (people) whose data flows."),
    Column("data.subject_categories", "list", False, "Whose data, `; `-separated (e.g. `patients; carers`)."),
    Column("data.criminal_offence", "boolean", False, "Criminal offence data (yes/no)."),
    Column("data.linked", "boolean", False, "The data is linked or matched with other data (yes/no)."),
    Column("data.document_store", "boolean", False, "The flow feeds a document store (yes/no)."),
    Column("data.free_text", "boolean", False, "Free text (e.g. consultation notes) is included (yes/no)."),
    Column("data.justification", "text", False, "Why this much data is needed (data minimisation)."),
    Column("data.record_type", "text", False, "Records Management Code class, for retention."),
    Column("legal_basis.article_6", "enum", False, "UK GDPR Article 6 basis; the letter alone (`e`) is read "
           "too.", _flow("legal_basis", "article_6")),
    Column("legal_basis.article_9", "enum", False, "UK GDPR Article 9 condition for special category data, or "
           "`none`.", _flow("legal_basis", "article_9"), nullable=True),
    Column("legal_basis.schedule_1_condition", "text", False,
           "DPA 2018 Schedule 1 condition, naming Part and paragraph."),
    Column("legal_basis.legal_power", "text", False, "The statute that lets a public body share."),
    Column("legal_basis.common_law", "enum", False, "How the common law duty of confidentiality is met.",
           _flow("legal_basis", "common_law")),
    Column("national_data_opt_out", "enum", False, "Whether the National Data Opt-out is applied.", _OPT_OUT),
    Column("national_data_opt_out_exemption", "text", False, "Why the National Data Opt-out is not applied."),
    Column("type1_opt_out", "enum", False, "Whether Type 1 opt-outs are applied.", _flow("type1_opt_out")),
    Column("transfer.method", "enum", True, "How the data is sent.", _flow("transfer", "method")),
    Column("transfer.frequency", "enum", True, "How often.", _flow("transfer", "frequency")),
    Column("transfer.encrypted", "boolean", True, "Encrypted in transit (yes/no)."),
    Column("retention_months", "integer", False, "How long the recipient keeps the data, in months."),
    Column("risk.annual_incident_rate", "number", False, "Override of the loss model's expected incidents a year "
           "on this flow."),
    Column("dpia.reference", "text", False, "Data protection impact assessment reference."),
    Column("dpia.date", "date", False, "Date of the DPIA (YYYY-MM-DD)."),
    Column("dpia.dpo_advice", "text", False, "The DPO's advice on the DPIA, or where it is recorded."),
    Column("s251.cag_reference", "text", False, "Confidentiality Advisory Group reference for s251 support."),
    Column("s251.expires", "date", False, "When the s251 support expires (YYYY-MM-DD)."),
    Column("appropriate_policy_document", "boolean", False, "An appropriate policy document is in place (yes/no)."),
    Column("art89_safeguards", "text", False, "Article 89 safeguards, for research under 9(2)(j)."),
    Column("international_transfer.country", "text", False, "Country outside the UK the data goes to."),
    Column("international_transfer.mechanism", "text", False, "The transfer mechanism (adequacy, IDTA, …)."),
    Column("processing_contract.reference", "text", False, "Article 28 processing contract reference."),
    Column("processing_contract.date", "date", False, "Date the contract was signed (YYYY-MM-DD)."),
    Column("processing_contract.expires", "date", False, "When the contract expires (YYYY-MM-DD)."),
    Column("processing_contract.terms", "enum_list", False, "The Article 28(3) terms (a–h) it covers, `; `-"
           "separated.", _flow("processing_contract", "terms")),
    Column("processing_contract.sub_processors", "list", False, "Authorised sub-processors, `; `-separated."),
    Column("joint_arrangement.reference", "text", False, "Article 26 joint controller arrangement reference."),
    Column("joint_arrangement.contact_point", "text", False, "Contact point for data subjects."),
    Column("joint_arrangement.responsibilities", "text", False, "Who does what under the arrangement."),
    Column("joint_arrangement.essence_published", "boolean", False, "The essence of the arrangement is "
           "published (yes/no)."),
    Column("breach_notification_hours", "number", False, "Hours within which a processor tells the controller "
           "of a breach."),
    Column("privacy_notice_updated", "boolean", False, "Privacy notices cover this flow (yes/no)."),
    Column("compatibility_assessment", "text", False, "Compatibility assessment, when a purpose was added to an "
           "existing flow."),
    EXTRA,
)

#: Optional columns that create a party the model does not have yet (ignored when the party exists).
PARTY_CREATION_COLUMNS: tuple[Column, ...] = tuple(
    col for side, role in (("from", "discloser"), ("to", "recipient")) for col in (
        Column(f"{side}_name", "text", False, f"Legal name of the {role}, to create it if it is not a known party."),
        Column(f"{side}_ods", "text", False, f"NHS ODS code of the {role}; gives its id (lower case) when "
               f"`{side}` is empty, and its type when `{side}_type` is empty."),
        Column(f"{side}_type", "enum", False, f"Type of a new {role} (default: from the ODS code).", _PARTY_TYPES),
        Column(f"{side}_legal_form", "enum", False, f"Legal form of a new {role} (default: `nhs_body` for NHS "
               "bodies, `local_authority` for councils; otherwise required by validation).", _LEGAL_FORMS),
        Column(f"{side}_partners", "integer", False, f"Number of partners, when a new {role} is a partnership."),
    ))

#: Every register column: (name, required, description) via ``Column.as_row()``.
REGISTER_COLUMNS: tuple[Column, ...] = FLOW_COLUMNS + PARTY_CREATION_COLUMNS

PARTY_COLUMNS: tuple[Column, ...] = (
    Column("id", "text", True, "Stable party id used by flows and clauses."),
    Column("name", "text", True, "Legal name."),
    Column("type", "enum", True, "Kind of organisation.", _PARTY_TYPES),
    Column("ods_code", "text", False, "NHS ODS code."),
    Column("legal_form", "enum", True, "Legal form: decides personal exposure.", _LEGAL_FORMS),
    Column("partners", "integer", False, "Number of partners (partnerships; 1 for a sole trader)."),
    Column("dspt_status", "enum", False, "Data Security and Protection Toolkit status.", _party("dspt_status")),
    Column("annual_turnover_gbp", "number", False, "Annual turnover in pounds (for the fine maximum)."),
    Column("insurance.cyber_limit_gbp", "number", False, "Cyber insurance limit in pounds."),
    Column("insurance.excess_gbp", "number", False, "Cyber insurance excess in pounds."),
    Column("ico_registration", "text", False, "ICO registration number."),
    Column("contacts.dpo", "text", False, "Data Protection Officer."),
    Column("contacts.siro", "text", False, "Senior Information Risk Owner."),
    Column("contacts.caldicott_guardian", "text", False, "Caldicott Guardian."),
    Column("contacts.public", "text", False, "Public contact for data protection queries."),
    Column("privacy_notice_url", "text", False, "Where the privacy notice is published."),
    EXTRA,
)

CLAUSE_COLUMNS: tuple[Column, ...] = (
    Column("id", "text", True, "Stable clause id used by scenarios."),
    Column("type", "enum", True, "`indemnity` or `risk_pool`.", schema_enum("$defs", "clause", "properties", "type")),
    Column("name", "text", True, "What the clause does."),
    Column("indemnifier", "text", False, "Indemnity: the party that takes over the losses."),
    Column("beneficiaries", "list", False, "Indemnity: the party ids it protects, `; `-separated."),
    Column("beneficiaries.party_type", "enum", False, "Indemnity: protect every party of this type instead.",
           _PARTY_TYPES),
    Column("members", "shares", False, "Risk pool: `party: share; …`, shares summing to 1."),
    Column("applies_to.purposes", "enum_list", False, "Only flows with these purposes (default: all).", _PURPOSES),
    Column("applies_to.flows", "list", False, "Only these flow ids (default: all)."),
    Column("covers", "enum_list", False, "Loss components covered (default: compensation; response_costs).",
           _indemnity("covers")),
    Column("share", "number", False, "Indemnity: the share of the beneficiaries' losses taken over (0–1)."),
    Column("condition.description", "text", False, "Indemnity: the condition the beneficiary must meet."),
    Column("condition.probability", "number", False, "Chance the condition is met (default: from DSPT status)."),
    Column("condition.tests", "list", False, "The objective tests of the condition, `; `-separated."),
    Column("excess_gbp", "number", False, "Indemnity: excess per incident, in pounds."),
    Column("cap_per_incident_gbp", "number", False, "Indemnity: cap per incident, in pounds."),
    Column("cap_annual_gbp", "number", False, "Indemnity: cap per year across beneficiaries, in pounds."),
    Column("approval.body", "text", False, "Who approved the indemnity (e.g. ICB board)."),
    Column("approval.reference", "text", False, "Approval reference (e.g. board minute)."),
    Column("approval.date", "date", False, "Approval date (YYYY-MM-DD)."),
    EXTRA,
)

SCENARIO_COLUMNS: tuple[Column, ...] = (
    Column("id", "text", True, "Stable scenario id (not `baseline`)."),
    Column("name", "text", True, "Scenario name."),
    Column("clauses", "list", False, "Clause ids applied in order, `; `-separated."),
    Column("description", "text", False, "What the scenario tests."),
    EXTRA,
)

#: The Partnership sheet: one row per field (``field``, ``value``), covering the model's top level.
MODEL_COLUMNS: tuple[Column, ...] = (
    Column("format", "text", True, f"Always `{FORMAT}`."),
    Column("partnership.name", "text", True, "Name of the partnership."),
    Column("partnership.description", "text", False, "What the partnership is for."),
    Column("partnership.effective_date", "date", False, "When the agreement takes effect (YYYY-MM-DD)."),
    Column("partnership.review_date", "date", False, "When it is next reviewed (YYYY-MM-DD)."),
    Column("partnership.lead_party", "text", False, "Id of the lead party (usually the ICB)."),
    Column("partnership.breach_reporting_hours", "number", False, "Hours to report a breach to the ICO (≤ 72)."),
    Column("partnership.exit_terms", "text", False, "Data return and deletion on termination."),
    Column("partnership.version_note", "text", False, "A note about this version."),
    Column("assumptions", "json", False, "Overrides of the loss-model defaults, as a JSON object."),
    EXTRA,
)

#: An ``extra`` cell longer than Excel allows continues in ``extra_2``, ``extra_3``… (pieces of this size).
EXTRA_CHUNK = 32_000
_CONTINUATION = re.compile(r"^extra_([2-9]|[1-9]\d{1,3})$")


def continuation_name(n: int) -> str:
    """The column (or Partnership field) holding piece ``n`` (from 2) of a long ``extra`` cell."""
    return f"{EXTRA.name}_{n}"


#: Sheet name -> (columns, the model section it fills). Findings and Results are export-only.
SHEETS: dict[str, tuple[tuple[Column, ...], str]] = {
    "Parties": (PARTY_COLUMNS, "parties"),
    "Flows": (FLOW_COLUMNS, "flows"),
    "Clauses": (CLAUSE_COLUMNS, "clauses"),
    "Scenarios": (SCENARIO_COLUMNS, "scenarios"),
    "Partnership": (MODEL_COLUMNS, ""),
}
MODEL_SHEET_HEADER = ["field", "value"]
#: A guard against a small, hostile workbook that expands to millions of rows (a national model has 50,000 flows).
MAX_ROWS = 500_000


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One problem in a register: spreadsheet row (header = 1), column, the value found, and what is wrong."""

    row: int
    column: str
    value: Any
    message: str
    sheet: str = "Flows"

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}"
        if self.sheet != "Flows":
            where = f"{self.sheet} sheet, {where}"
        return f"{where}: {self.message}"

    def to_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "value": self.value if isinstance(self.value, (str, int, float, bool, type(None))) else str(self.value),
                "message": self.message}


# ------------------------------------------------------------------ reading files
@dataclass
class _Sheet:
    name: str
    rows: list[list[Any]]  # the header first


def _read_csv(raw: bytes, source: str) -> list[list[Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text (byte {exc.start} cannot be read); in Excel use "
                         "'Save As' > 'CSV UTF-8 (Comma delimited)'") from None
    try:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), strict=True):
            if len(rows) >= MAX_ROWS:
                raise InputError(f"{source} has more than {MAX_ROWS:,} rows; a register has one row per flow")
            rows.append(row)
        return rows
    except csv.Error as exc:
        raise InputError(f"{source} is not a readable CSV file: {exc}") from None


def _read_xlsx(raw: bytes, source: str) -> list[_Sheet]:
    # Safe and fast: part sizes, XML entities, declared dimension and row count are checked before any cell.
    return [_Sheet(name, rows) for name, rows in read_workbook(raw, source, max_rows=MAX_ROWS)]


def _read_source(source: str | os.PathLike | bytes, filename: str, limits: LoadLimits) -> list[_Sheet]:
    """The sheets of a register: an XLSX workbook, one CSV file (the flows), or a folder of CSV files."""
    if not isinstance(source, (bytes, bytearray)) and Path(source).is_dir():
        folder = Path(source)
        sheets = []
        for name in SHEETS:
            path = folder / f"{name.lower()}.csv"
            if path.is_file():
                sheets.append(_Sheet(name, _read_csv(_read_bytes(path, limits), str(path))))
        if not any(s.name == "Flows" for s in sheets):
            raise InputError(f"{folder} has no flows.csv; a register folder needs at least that file")
        return sheets
    raw = bytes(source) if isinstance(source, (bytes, bytearray)) else _read_bytes(Path(source), limits)
    if len(raw) > limits.max_bytes:
        raise InputError(f"{filename} is over the {limits.max_bytes // (1024 * 1024)} MB limit for a register")
    suffix = Path(filename).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(raw, filename)
    if suffix in (".csv", ".txt"):
        return [_Sheet("Flows", _read_csv(raw, filename))]
    if raw[:2] == b"PK":
        return _read_xlsx(raw, filename)
    raise InputError(f"{filename}: a register must be a .csv or .xlsx file")


def _read_bytes(path: Path, limits: LoadLimits) -> bytes:
    try:
        if path.stat().st_size > limits.max_bytes:
            raise InputError(f"{path} is over the {limits.max_bytes // (1024 * 1024)} MB limit for a register")
        return path.read_bytes()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}") from None


# ------------------------------------------------------------------ rows into items
class _Collector:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []

    def add(self, sheet: str, row: int, column: str, value: Any, message: str) -> None:
        self.problems.append(ImportProblem(row, column, value, message, sheet))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _set_path(item: dict, path: tuple[str, ...], value: Any) -> str | None:
    """Put ``value`` at ``path``; the dotted path that is already taken, if any."""
    node = item
    for i, part in enumerate(path[:-1]):
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            return ".".join(path[: i + 1])
        node = child
    if path[-1] in node:
        return ".".join(path)
    node[path[-1]] = value
    return None


def _merge(target: dict, extra: Mapping, prefix: str = "") -> list[str]:
    """Deep-merge ``extra`` into ``target``; the dotted paths both set (the columns win nothing: a clash is a
    problem for the user to resolve)."""
    clashes = []
    for key, value in extra.items():
        path = f"{prefix}{key}"
        if key not in target:
            target[key] = value
        elif isinstance(target[key], dict) and isinstance(value, Mapping):
            clashes.extend(_merge(target[key], value, path + "."))
        else:
            clashes.append(path)
    return clashes


def _header(sheet: _Sheet, allowed: tuple[Column, ...], required: Iterable[str], out: _Collector
            ) -> dict[str, int] | None:
    """Column name -> index, with problems for unknown, duplicate and missing columns."""
    if not sheet.rows:
        out.add(sheet.name, 1, "", None, "the sheet is empty; the first row must name the columns")
        return None
    known = {c.name for c in allowed}
    index: dict[str, int] = {}
    for i, cell in enumerate(sheet.rows[0]):
        if _blank(cell):
            continue
        name = unescape(str(cell)).strip()
        if EXTRA in allowed and _CONTINUATION.match(name) and name not in index:
            index[name] = i
        elif name not in known:
            out.add(sheet.name, 1, name, name, f"unknown column {name!r}{suggest(name, known)}")
        elif name in index:
            out.add(sheet.name, 1, name, name, f"column {name!r} appears twice")
        else:
            index[name] = i
    for name in required:
        if name not in index:
            out.add(sheet.name, 1, name, None, f"the required column {name!r} is missing")
    return index


def _cells(row: list[Any], index: Mapping[str, int]) -> dict[str, Any]:
    """Column name -> the cell's value (export's apostrophe taken off); blank cells left out."""
    out = {}
    n = len(row)
    for name, i in index.items():
        if i < n:
            value = row[i]
            if value is None:
                continue
            if type(value) is str:
                if not value or value.isspace():
                    continue
                if value[0] == "'":
                    value = unescape(value)
            out[name] = value
    if continuation_name(2) in out:
        _join_extra(out)
    return out


def _join_extra(cells: dict[str, Any]) -> None:
    """``extra`` with its ``extra_2``, ``extra_3``… pieces appended in order (export splits a long cell)."""
    pieces = sorted((int(_CONTINUATION.match(n).group(1)), n) for n in list(cells) if _CONTINUATION.match(n))
    text = "" if _blank(cells.get(EXTRA.name)) else str(cells.get(EXTRA.name))
    for _, name in pieces:
        piece = cells.pop(name)
        text += "" if piece is None else str(piece)
    cells[EXTRA.name] = text or None


def _item(columns: Iterable[Column], cells: Mapping[str, Any], sheet: str, row: int, out: _Collector,
          optional: frozenset[str] = frozenset()) -> dict:
    """One model item from one row's cells (problems collected, never raised)."""
    item: dict = {}
    extra = None
    before = len(out.problems)
    for col in columns:
        raw = cells.get(col.name)
        if raw is None:
            continue
        try:
            value = fast_decode(col, raw)
        except CellProblem as exc:
            out.add(sheet, row, col.name, raw, str(exc))
            continue
        if value is ABSENT:
            continue
        if col is EXTRA:
            extra = value
            continue
        path = col.path
        if len(path) == 1:
            if path[0] not in item:
                item[path[0]] = value
                continue
        elif len(path) == 2:
            node = item.get(path[0])
            if node is None:
                item[path[0]] = {path[1]: value}
                continue
            if type(node) is dict and path[1] not in node:
                node[path[1]] = value
                continue
        clash = _set_path(item, path, value)
        if clash is not None:
            out.add(sheet, row, col.name, raw, f"conflicts with column {clash!r}; fill only one of them")
    if extra is not None:
        for clash in _merge(item, extra):
            out.add(sheet, row, EXTRA.name, cells.get(EXTRA.name),
                    f"sets {clash!r}, which another column already gives; keep it in one place")
    reported = {p.column for p in out.problems[before:]} if len(out.problems) > before else ()
    for col in columns:
        # Required means present in the item: ``extra`` may carry a value the column cannot hold exactly.
        if col.required and col.name not in optional and col.name not in reported \
                and (col.name not in cells or extra is not None) and get_path(item, col.path) is ABSENT:
            out.add(sheet, row, col.name, cells.get(col.name), "is required and is empty")
    return item


def _rows(sheet: _Sheet) -> Iterator[tuple[int, list[Any]]]:
    for i, row in enumerate(sheet.rows[1:], start=2):
        if row:
            first = row[0]  # nearly always the id: filled, so the row is not blank
            if (type(first) is str and first and not first.isspace()) or not all(_blank(c) for c in row):
                yield i, row


def _unnamed_cells(sheet: _Sheet, index: Mapping[str, int], out: _Collector) -> None:
    """A value under no column name would be dropped without a word: each one is a problem instead."""
    from openpyxl.utils import get_column_letter

    named = set(index.values())
    width = max(named, default=-1) + 1
    gaps = [i for i in range(width) if i not in named]
    for rowno, row in _rows(sheet):
        if len(row) <= width and not gaps:
            continue
        for i in [g for g in gaps if g < len(row)] + list(range(width, len(row))):
            if not _blank(row[i]):
                out.add(sheet.name, rowno, get_column_letter(i + 1), row[i],
                        "has a value but no column name in the first row, so it would be lost; name the column "
                        "or clear the cell")


def _read_items(sheet: _Sheet, columns: tuple[Column, ...], out: _Collector,
                extra_columns: tuple[Column, ...] = ()) -> list[tuple[int, dict, dict]]:
    """(row number, item, raw cells) for every non-blank row of a sheet."""
    allowed = columns + extra_columns
    index = _header(sheet, allowed, [c.name for c in columns if c.required and c.name not in ("from", "to")], out)
    if index is None:
        return []
    _unnamed_cells(sheet, index, out)
    present = tuple(c for c in columns if c.name in index)
    if EXTRA in columns and EXTRA not in present and continuation_name(2) in index:
        present += (EXTRA,)
    missing_required = tuple(c for c in columns if c.required and c.name not in index)
    sides = tuple(side for side in ("from", "to") if f"{side}_ods" in index or f"{side}_name" in index)
    checked = tuple(c for c in extra_columns if c.name in index)
    body = list(_rows(sheet))
    built = _columnwise(body, index, present + missing_required, sides, checked)
    items = []
    for k, (rowno, row) in enumerate(body):
        if built is not None and built[k] is not None:
            item, cells = built[k]
            items.append((rowno, item, cells))
            continue
        cells = _cells(row, index)
        optional = frozenset(side for side in sides if f"{side}_ods" in cells or f"{side}_name" in cells)
        item = _item(present + missing_required, cells, sheet.name, rowno, out, optional)
        for col in checked:  # checked here; used by _resolve_parties
            if col.name in cells:
                try:
                    decode(col, cells[col.name])
                except CellProblem as exc:
                    out.add(sheet.name, rowno, col.name, cells.get(col.name), str(exc))
        items.append((rowno, item, cells))
    _check_unique_ids(sheet.name, items, out)
    return items


def _columnwise(body: list[tuple[int, list[Any]]], index: Mapping[str, int], columns: tuple[Column, ...],
                sides: tuple[str, ...], checked: tuple[Column, ...]) -> list[tuple[dict, dict] | None] | None:
    """Each row's (item, cells) built a column at a time, as ``_item`` would build them: every column's cells
    decoded together (``decode_column`` reads each distinct value once), then placed into every row's item.

    A row with a problem, an ``extra`` cell or an empty required cell is None: ``_item`` reads it, so its
    problems are reported as and where they always were. None for the whole sheet when its columns could
    clash (a field inside another column's field) or ``extra`` continues across columns."""
    if not body or any(_CONTINUATION.match(name) for name in index):
        return None
    layout = [c for c in columns if c.name in index and c is not EXTRA]
    paths = [c.path for c in layout]
    if any(len(p) > 2 for p in paths) or any(len(a) < len(b) and b[:len(a)] == a for a in paths for b in paths):
        return None
    groups: dict[str, list[Column]] = {}
    for i, col in enumerate(layout):
        if col.path[0] in groups and groups[col.path[0]][-1] is not layout[i - 1]:
            return None  # a group's columns apart: _item's key order would depend on each row's cells
        groups.setdefault(col.path[0], []).append(col)
    n = len(body)
    width = max(index.values()) + 1
    rows = [row if len(row) >= width else row + [None] * (width - len(row)) for _, row in body]
    raws = list(zip(*rows))
    del rows
    slow = bytearray(n)
    decoded = {}
    for col in layout + list(checked):
        decoded[col.name] = column = decode_column(col, raws[index[col.name]])
        for i in column.unreadable:
            slow[i] = 1
    if EXTRA.name in index and not all(_blank(raw) for raw in set(raws[index[EXTRA.name]])):
        for i, raw in enumerate(raws[index[EXTRA.name]]):
            if not _blank(raw):
                slow[i] = 1
    for col in columns:
        if col.required and (col.name not in decoded or decoded[col.name].blanks):
            values = decoded[col.name].values if col.name in decoded else [ABSENT] * n
            instead = [decoded[f"{col.name}_{how}"].values for how in ("ods", "name")
                       if col.name in sides and f"{col.name}_{how}" in decoded]
            for i, value in enumerate(values):
                if value is ABSENT and all(other[i] is ABSENT for other in instead):
                    slow[i] = 1
    items: list[dict] = [{} for _ in range(n)]
    for key, group in groups.items():
        if all(decoded[col.name].empty for col in group):
            continue
        if len(group[0].path) == 1:
            _place(items, key, decoded[group[0].name])
            continue
        nodes: list[dict] = [{} for _ in range(n)]
        for col in group:
            if not decoded[col.name].empty:
                _place(nodes, col.path[1], decoded[col.name])
        deque(map(dict.__setitem__, compress(items, nodes), repeat(key), compress(nodes, nodes)), maxlen=0)
    cells: list[dict] = [{} for _ in range(n)]
    for col in checked:  # the raw cells _resolve_parties reads
        for row_cells, raw in zip(cells, raws[index[col.name]]):
            if not _blank(raw):
                row_cells[col.name] = unescape(raw)
    return [None if slow[i] else (items[i], cells[i]) for i in range(n)]


def _place(items: list[dict], key: str, column: DecodedColumn) -> None:
    """``item[key] = value`` down a column, leaving out blank cells."""
    values = column.values
    if column.blanks:
        filled = list(map(is_not, values, repeat(ABSENT)))
        items, values = compress(items, filled), compress(values, filled)
    deque(map(dict.__setitem__, items, repeat(key), values), maxlen=0)  # at C speed


def _check_unique_ids(sheet: str, items: list[tuple[int, dict, dict]], out: _Collector) -> None:
    seen: dict[str, int] = {}
    for rowno, item, _ in items:
        key = item.get("id")
        if isinstance(key, str):
            if key in seen:
                out.add(sheet, rowno, "id", key, f"id {key!r} is already used in row {seen[key]}")
            else:
                seen[key] = rowno


def _read_model_sheet(sheet: _Sheet, out: _Collector) -> tuple[dict, dict[str, int]]:
    """The Partnership sheet: rows of (field, value) for the model's top level; also each field's row."""
    if not sheet.rows:
        out.add(sheet.name, 1, "", None, "the sheet is empty; the first row must be: field, value")
        return {}, {}
    head = [unescape(str(c)).strip().lower() if not _blank(c) else "" for c in sheet.rows[0]]
    if head[:2] != MODEL_SHEET_HEADER:
        out.add(sheet.name, 1, "field", head[:2], "the first row must be: field, value")
        return {}, {}
    _unnamed_cells(sheet, {"field": 0, "value": 1}, out)
    known = {c.name: c for c in MODEL_COLUMNS}
    cells: dict[str, Any] = {}
    rows: dict[str, int] = {}
    for rowno, row in _rows(sheet):
        name = unescape(str(row[0])).strip() if row and not _blank(row[0]) else ""
        value = unescape(row[1]) if len(row) > 1 else None
        if _CONTINUATION.match(name) and name not in cells:
            cells[name], rows[name] = value, rowno
        elif name not in known:
            out.add(sheet.name, rowno, name, name, f"unknown field {name!r}{suggest(name, known)}")
        elif name in cells:
            out.add(sheet.name, rowno, name, value, f"field {name!r} appears twice (first in row {rows[name]})")
        else:
            cells[name], rows[name] = value, rowno
    _join_extra(cells)
    before = len(out.problems)
    item = _item(MODEL_COLUMNS, cells, sheet.name, 0, out)
    # Point each problem at the row its field is on (a vertical sheet has one row per field).
    for i in range(before, len(out.problems)):
        p = out.problems[i]
        out.problems[i] = ImportProblem(rows.get(p.column, 1), p.column, p.value, p.message, p.sheet)
    return item, rows


# ------------------------------------------------------------------ parties named only in the register
_ODS_TYPES = (
    (re.compile(r"^[A-Z]\d{5}$"), "gp_practice"),               # e.g. M81001
    (re.compile(r"^R[A-Z0-9]{2}([A-Z0-9]{2})?$"), "nhs_trust"),  # e.g. RLQ, or a site RLQ01
    (re.compile(r"^Q[A-Z0-9]{2}$"), "icb"),                      # e.g. QGH
    (re.compile(r"^0[A-Z0-9]{2}$"), "commissioning_support_unit"),  # e.g. 0DF
)
_LEGAL_FORM_BY_TYPE = {"nhs_trust": "nhs_body", "icb": "nhs_body", "commissioning_support_unit": "nhs_body",
                       "local_authority": "local_authority"}


def infer_party_type(ods_code: str) -> str | None:
    """The organisation type an ODS code's shape implies (GP practice, trust, ICB, CSU), if it implies one."""
    code = ods_code.strip().upper()
    for pattern, kind in _ODS_TYPES:
        if pattern.match(code):
            return kind
    return None


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return slug[:64].rstrip("-_")


def _resolve_parties(flows: list[tuple[int, dict, dict]], parties: list[dict], out: _Collector) -> None:
    """Fill empty ``from``/``to`` from ODS codes or names, and create parties the model lacks."""
    known = {p.get("id"): p for p in parties if isinstance(p, dict)}
    # The party each derived id was first made from: (what it was made from, its row and column).
    derived: dict[str, tuple[str, int, str, str]] = {}
    for rowno, flow, cells in flows:
        for side, name_key, ods_key in (("from", "from_name", "from_ods"), ("to", "to_name", "to_ods")):
            name, ods = cells.get(name_key), cells.get(ods_key)
            pid = flow.get(side)
            if pid is not None and not isinstance(pid, str):
                continue  # not an id (an ``extra`` cell gave a list, say): validation reports it
            if name is None and ods is None and pid in known:
                continue  # the common case: a known party named by its id
            name = None if _blank(name) else str(name).strip()
            ods = None if _blank(ods) else _as_ods(ods)
            if pid is None:
                if ods is None and name is None:
                    continue  # already reported: the column is required
                pid = _slug(ods or name)
                column = f"{side}_ods" if ods else f"{side}_name"
                if not pid:
                    out.add("Flows", rowno, f"{side}_name", name, "cannot make a party id from this name; fill "
                            f"the {side!r} column")
                    continue
                source = ods if ods else " ".join(name.split()).casefold()
                first = derived.get(pid)
                if first is None:
                    existing = known.get(pid)
                    if existing is not None and not _same_party(existing, name, ods):
                        out.add("Flows", rowno, column, ods or name,
                                f"gives the party id {pid!r}, which is already the party named "
                                f"{existing.get('name')!r}; fill the {side!r} column with the id you mean")
                        continue
                    derived[pid] = (source, rowno, column, ods or name)
                elif first[0] != source:
                    # Two different names (or codes) that reduce to one id would merge two organisations.
                    out.add("Flows", rowno, column, ods or name,
                            f"gives the party id {pid!r}, as the different {cells_name(first)} in row {first[1]} "
                            f"does; the two would be merged into one party. Fill the {side!r} column with a "
                            "distinct id for each")
                    continue
                flow[side] = pid
            if pid in known:
                continue
            if ods is None and name is None:
                out.add("Flows", rowno, side, pid, f"party {pid!r} is not in the Parties sheet or the base model; "
                        f"add it there, or fill {side}_name and {side}_ods to create it")
                continue
            party: dict[str, Any] = {"id": pid, "name": name or ods}
            ptype = _optional(cells, f"{side}_type") or (infer_party_type(ods) if ods else None)
            if ptype is None:
                out.add("Flows", rowno, f"{side}_type", None, f"the type of new party {pid!r} cannot be told from "
                        f"its ODS code; fill {side}_type (one of {', '.join(_PARTY_TYPES)})")
                continue
            party["type"] = ptype
            if ods:
                party["ods_code"] = ods
            legal_form = _optional(cells, f"{side}_legal_form") or _LEGAL_FORM_BY_TYPE.get(ptype)
            if legal_form:
                party["legal_form"] = legal_form
            partners = _optional(cells, f"{side}_partners")
            if partners is not None:
                party["partners"] = partners
            known[pid] = party
            parties.append(party)


def cells_name(first: tuple[str, int, str]) -> str:
    what = "ODS code" if first[2].endswith("_ods") else "name"
    return f"{what} {first[3]!r}" if len(first) > 3 else what


def _same_party(party: Mapping[str, Any], name: str | None, ods: str | None) -> bool:
    """Whether a row's name or ODS code names this existing party (not merely reduces to its id)."""
    if ods is not None:
        return str(party.get("ods_code") or "").upper() == ods or str(party.get("id")) == ods.lower()
    fold = " ".join(str(party.get("name") or "").split()).casefold()
    return fold == " ".join((name or "").split()).casefold() or str(party.get("id")) == name


def _as_ods(raw: Any) -> str:
    return (str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)).strip().upper()


_CREATION = {c.name: c for c in PARTY_CREATION_COLUMNS}


def _optional(cells: Mapping[str, Any], name: str) -> Any:
    # Cell problems in these columns were reported when the row was read; here a bad value is just absent.
    try:
        value = decode(_CREATION[name], cells.get(name))
    except CellProblem:
        return None
    return None if value is ABSENT else value


# ------------------------------------------------------------------ the entry point
def import_register(source: str | os.PathLike | bytes, *, filename: str | None = None,
                    base: Mapping[str, Any] | None = None, limits: LoadLimits = LoadLimits()) -> dict:
    """A model document from a register (CSV, XLSX, or a folder of CSV files as ``export`` writes).

    Args:
        source: a path, or the file's bytes (then ``filename`` tells CSV from XLSX).
        filename: the name shown in messages and used for the file type (default: the path's name).
        base: an existing model whose partnership, parties, clauses and scenarios are used where the
            register has no sheet for them.

    Raises:
        ImportProblemsError: the register has problems; ``problems`` lists every one (nothing is imported).
        InputError: the file cannot be read at all.
    """
    if filename is None:
        if isinstance(source, (bytes, bytearray)):
            raise InputError("import_register needs a filename with the bytes of a register, to tell CSV from XLSX")
        filename = Path(source).name
    with collector_paused():  # a 100,000-row register is millions of cells and items, none in a cycle
        return _import(source, filename, base, limits)


def _import(source: str | os.PathLike | bytes, filename: str, base: Mapping[str, Any] | None,
            limits: LoadLimits) -> dict:
    sheets = _read_source(source, filename, limits)
    by_name = {s.name: s for s in sheets}
    flows_sheet = by_name.get("Flows") or sheets[0]
    if flows_sheet.name != "Flows":
        flows_sheet = _Sheet("Flows", flows_sheet.rows)  # a single-sheet register: its sheet is the flows
    out = _Collector()
    base = dict(base or {})
    extra_row = 1
    if "Partnership" in by_name:
        top, rows = _read_model_sheet(by_name["Partnership"], out)
        extra_row = rows.get(EXTRA.name, 1)
    else:
        top = {k: v for k, v in base.items() if k not in ("parties", "flows", "clauses", "scenarios")}
        top = json.loads(json.dumps(top))
        top.setdefault("format", FORMAT)
        top.setdefault("partnership", {"name": Path(filename).stem or "Imported register"})
    extra_top = top.pop(EXTRA.name, None)

    sections: dict[str, list] = {}
    for name in ("Parties", "Clauses", "Scenarios"):
        columns, key = SHEETS[name]
        if name in by_name:
            items = _read_items(by_name[name], columns, out)
            if items:
                sections[key] = [item for _, item, _ in items]
        elif isinstance(base.get(key), list):
            sections[key] = json.loads(json.dumps(base[key]))
    flows = _read_items(flows_sheet, FLOW_COLUMNS, out, PARTY_CREATION_COLUMNS)
    parties = sections.get("parties", [])
    _resolve_parties(flows, parties, out)
    if parties:
        sections["parties"] = parties
    if flows:
        sections["flows"] = [item for _, item, _ in flows]

    doc: dict[str, Any] = dict(top)
    doc.update(sections)
    if isinstance(extra_top, dict):
        for clash in _merge(doc, extra_top):
            out.add("Partnership", extra_row, EXTRA.name, None,
                    f"sets {clash!r}, which another field or sheet already gives; keep it in one place")
    if out.problems:
        n = len(out.problems)
        raise ImportProblemsError(f"{filename}: {n} problem{'s' if n != 1 else ''} found; nothing was imported "
                                  "(each is listed with its row and column)", out.problems)
    # A model always has these two, even when a sheet is empty.
    doc.setdefault("parties", [])
    doc.setdefault("flows", [])
    return _ordered(doc)


_ORDER = ("format", "partnership", "parties", "flows", "clauses", "scenarios", "assumptions")


def _ordered(doc: dict) -> dict:
    """Top-level members in model-format.md order, then annotations, as a hand-written model would be."""
    out = {k: doc[k] for k in _ORDER if k in doc}
    out.update((k, v) for k, v in doc.items() if k not in out)
    return out
