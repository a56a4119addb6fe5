"""A register's items are built a column at a time (each distinct cell value read once); rows with problems,
``extra`` cells or empty required cells go through the row-by-row reader. Whatever the cells, the model —
down to the order of its keys — or the list of problems is exactly what the row-by-row reader gives."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dsa.errors import ImportProblemsError
from dsa.tabular import import_register, register

BASE = json.loads((Path(__file__).resolve().parents[2] / "examples" / "minimal.json").read_text(encoding="utf-8"))

# For each column, good values, near misses the reader accepts, and values that are problems; typed values
# (numbers, booleans, dates) as an XLSX cell holds them; "" is an empty cell.
POOLS: dict[str, list] = {
    "id": ["f1", "f2", " f3 ", "", "'=f4", "f1"],
    "name": ["Extract", "  ", "'=cmd", "'@x", "Smith & Jones", 7],
    "from": ["m81001", "", "csu", "m81001"],
    "to": ["csu", "", "m81001"],
    "purpose": ["direct_care", "population_health_management", "Direct care", "nonsense", ""],
    "relationship": ["controller_to_processor", "independent_controllers", "joint_controllers", "bogus", ""],
    "joint_controllers": ["", "csu: 0.5; m81001: 0.5", "csu 0.5"],
    "data.identifiability": ["pseudonymised", "identifiable", "x", ""],
    "data.special_category": ["yes", "no", "maybe", "TRUE", True, 1, ""],
    "data.records": ["100", "1,000", "1.5", "abc", "", 100, 100.0, 2.5, True, "1e400"],
    "data.categories": ["demographics; diagnoses", "a;b", ";", ""],
    "transfer.method": ["secure_api", "nhs_mail", "pigeon", ""],
    "transfer.frequency": ["weekly", "daily", ""],
    "transfer.encrypted": ["yes", "no", "", False],
    "dpia.date": ["2026-01-01", "01/02/2026", "31/02/2026", "soon", "", dt.datetime(2026, 9, 1)],
    "retention_months": ["24", "2.5", "", 24, 24.0],
    "risk.annual_incident_rate": ["0.1", "-1", "x", "", 0.25],
    "legal_basis.article_9": ["none", "9(2)(h)", "h", "zz", ""],
    "processing_contract.terms": ["a; b", "z", ""],
    "extra": ["", "", '{"x-a": 1}', "[1]", '{"name": "clash"}', "not json", '{"data": {"linked": true}}',
              '{"from": ["a"]}'],
    "from_name": ["", "Riverside Surgery", "Smith-Jones Surgery", "Smith & Jones Surgery"],
    "from_ods": ["", "M81002", "RXX", 81002],
    "from_type": ["", "gp_practice", "spaceship"],
    "from_partners": ["", "3", "three"],
}


# Valid values of the required columns, for registers that import (ids are made unique per row).
VALID = {"id": ["f"], "name": ["Extract", 7], "from": ["m81001", "csu"], "to": ["csu", "icb"],
         "purpose": ["direct_care", "Direct care"], "relationship": ["controller_to_processor"],
         "data.identifiability": ["pseudonymised", "identifiable"], "data.special_category": ["yes", True, "no"],
         "data.records": ["100", 100, 100.0, "1,000"], "transfer.method": ["secure_api", "nhs_mail"],
         "transfer.frequency": ["weekly", "daily"], "transfer.encrypted": ["yes", False]}


@st.composite
def registers(draw, importable: bool = False):
    """(columns, rows, "csv" or "xlsx"): any columns and cells, or (importable) the required columns with
    valid cells and any others."""
    others = [c for c in POOLS if not importable or c not in VALID]
    columns = draw(st.lists(st.sampled_from(others), min_size=0 if importable else 1, max_size=len(others),
                            unique=True))
    if importable:
        columns = draw(st.permutations(list(VALID) + columns))
    pools = {c: VALID[c] if importable and c in VALID else POOLS[c] for c in columns}
    rows = [list(r) for r in draw(st.lists(st.tuples(*[st.sampled_from(pools[c]) for c in columns]),
                                           min_size=1, max_size=8))]
    if importable:
        for i, row in enumerate(rows):
            row[columns.index("id")] = f"f{i}"
    return columns, rows, draw(st.sampled_from(["csv", "xlsx"]))


def _file(columns: list[str], rows: list[list], fmt: str) -> tuple[bytes, str]:
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerows([columns] + [["" if v is None else v for v in r] for r in rows])
        return buf.getvalue().encode("utf-8"), "register.csv"
    wb = openpyxl.Workbook()
    wb.active.append(columns)
    for row in rows:
        wb.active.append([None if v == "" else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), "register.xlsx"


def _outcome(data: bytes, filename: str) -> tuple[str, object]:
    try:
        doc = import_register(data, filename=filename, base=BASE)
    except ImportProblemsError as exc:
        return "problems", [p.to_dict() for p in exc.problems]
    return "model", json.dumps(doc)  # the text, so the order of every object's keys counts too


def _row_by_row(data: bytes, filename: str) -> tuple[str, object]:
    columnwise = register._columnwise
    register._columnwise = lambda *args: None
    try:
        return _outcome(data, filename)
    finally:
        register._columnwise = columnwise


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_a_register_reads_the_same_a_column_at_a_time_as_row_by_row(case):
    data, filename = _file(*case)
    assert _outcome(data, filename) == _row_by_row(data, filename)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(importable=True))
def test_a_register_that_imports_gives_the_same_model_a_column_at_a_time_as_row_by_row(case):
    data, filename = _file(*case)
    outcome = _outcome(data, filename)
    event(outcome[0])
    assert outcome == _row_by_row(data, filename)


def test_a_clean_register_is_built_a_column_at_a_time():
    data, filename = _file(["id", "name", "from", "to", "purpose", "relationship", "data.identifiability",
                            "data.special_category", "data.records", "transfer.method", "transfer.frequency",
                            "transfer.encrypted"],
                           [["f1", "Extract", "m81001", "csu", "direct_care", "controller_to_processor",
                             "pseudonymised", "yes", "100", "secure_api", "weekly", "yes"]], "csv")
    calls = []
    columnwise = register._columnwise

    def spy(*args):
        built = columnwise(*args)
        calls.append(built)
        return built

    register._columnwise = spy
    try:
        kind, _ = _outcome(data, filename)
    finally:
        register._columnwise = columnwise
    assert kind == "model" and calls and all(row is not None for row in calls[-1])


def test_rows_that_share_a_list_value_do_not_share_the_list():
    data, filename = _file(["id", "name", "from", "to", "purpose", "relationship", "data.identifiability",
                            "data.special_category", "data.records", "data.categories", "transfer.method",
                            "transfer.frequency", "transfer.encrypted"],
                           [[f"f{i}", "Extract", "m81001", "csu", "direct_care", "controller_to_processor",
                             "pseudonymised", "yes", "100", "demographics; diagnoses", "secure_api", "weekly", "yes"]
                            for i in range(2)], "csv")
    doc = import_register(data, filename=filename, base=BASE)
    first, second = (f["data"]["categories"] for f in doc["flows"])
    assert first == second and first is not second
