"""Export then import gives the model back exactly (canonical JSON), for XLSX, a CSV folder and flows.csv."""

from __future__ import annotations

import copy
import io

import openpyxl
import pytest

from dsa.canonical import canonical_json
from dsa.tabular import export_tables, import_register, write_csv_folder, write_xlsx, xlsx_bytes
from dsa.tabular.export import SHEET_ORDER, json_text
from dsa.validation import validate

EXAMPLES = ("herefordshire_doc", "minimal_doc")


@pytest.mark.parametrize("example", EXAMPLES)
def test_xlsx_export_imports_back_identically(example, request, tmp_path):
    doc = request.getfixturevalue(example)
    path = write_xlsx(export_tables(doc, validate(doc)), tmp_path / "model.xlsx")
    assert canonical_json(import_register(path)) == canonical_json(doc)
    assert canonical_json(import_register(path.read_bytes(), filename="model.xlsx")) == canonical_json(doc)


@pytest.mark.parametrize("example", EXAMPLES)
def test_csv_export_imports_back_identically(example, request, tmp_path):
    doc = request.getfixturevalue(example)
    written = write_csv_folder(export_tables(doc, validate(doc)), tmp_path / "csv")
    assert {p.name for p in written} >= {"parties.csv", "flows.csv", "clauses.csv", "findings.csv"}
    # flows.csv alone, with the model as the base, reproduces the flows (and so the model).
    from_flows = import_register(tmp_path / "csv" / "flows.csv", base=doc)
    assert canonical_json(from_flows["flows"]) == canonical_json(doc["flows"])
    assert canonical_json(from_flows) == canonical_json(doc)
    # The whole folder needs no base.
    assert canonical_json(import_register(tmp_path / "csv")) == canonical_json(doc)


def test_the_workbook_has_the_documented_sheets_and_a_findings_sheet(minimal_doc):
    minimal_doc["flows"][0]["purpose"] = "marketing"
    findings = validate(minimal_doc)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export_tables(minimal_doc, findings))), read_only=True)
    assert wb.sheetnames == [s for s in SHEET_ORDER if s != "Results"]
    rows = list(wb["Findings"].iter_rows(values_only=True))
    assert rows[0] == ("rule", "severity", "path", "message", "fix")
    assert ("/flows/0/purpose", "error") in {(r[2], r[1]) for r in rows[1:]}
    assert len(rows) == len(findings) + 1


def test_export_is_byte_stable(herefordshire_doc, tmp_path):
    findings = validate(herefordshire_doc)
    first = xlsx_bytes(export_tables(herefordshire_doc, findings))
    assert xlsx_bytes(export_tables(copy.deepcopy(herefordshire_doc), findings)) == first
    a = write_csv_folder(export_tables(herefordshire_doc, findings), tmp_path / "a")
    b = write_csv_folder(export_tables(herefordshire_doc, findings), tmp_path / "b")
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]


def test_numbers_stay_numbers_and_booleans_read_yes_no(minimal_doc):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export_tables(minimal_doc, []))), read_only=True)
    rows = list(wb["Flows"].iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1]))
    assert row["data.records"] == 11800 and isinstance(row["data.records"], int)
    assert row["data.special_category"] == "yes"
    assert row["data.categories"] == "demographics; diagnoses; medications; test_results"
    parties = list(wb["Parties"].iter_rows(values_only=True))
    assert dict(zip(parties[0], parties[1]))["annual_turnover_gbp"] == 1900000000


def test_values_no_column_can_hold_travel_in_extra_and_come_back(minimal_doc, tmp_path):
    flow = minimal_doc["flows"][0]
    flow["x-owner"] = {"team": "IG", "tags": ["a", "b"]}
    flow["risk"] = {"annual_incident_rate": 0.02, "severity_multiplier": 1.5}
    flow["data"]["categories"].append("tests; and results")  # a list item with the separator in it
    flow["legal_basis"]["article_9"] = None
    flow["processing_contract"]["sub_processors"] = []
    flow["dpia"] = {}
    flow["name"] = "  padded  "
    minimal_doc["parties"][0]["x-note"] = "lead"
    minimal_doc["partnership"]["x-programme"] = "PHM"
    minimal_doc["assumptions"] = {"threshold_gbp": 250000}
    minimal_doc["x-source"] = "test"
    for fmt in ("xlsx", "csv"):
        tables = export_tables(minimal_doc, validate(minimal_doc))
        if fmt == "xlsx":
            back = import_register(write_xlsx(tables, tmp_path / "m.xlsx"))
        else:
            write_csv_folder(tables, tmp_path / "csv")
            back = import_register(tmp_path / "csv")
        assert canonical_json(back) == canonical_json(minimal_doc), fmt
    flows = export_tables(minimal_doc, [])["Flows"]
    row = dict(zip(flows[0], flows[1]))
    assert row["legal_basis.article_9"] == "none"
    assert row["risk.annual_incident_rate"] == 0.02
    assert row["data.categories"] is None and "tests; and results" in row["extra"]


def test_a_model_without_clauses_or_scenarios_round_trips(minimal_doc, tmp_path):
    del minimal_doc["clauses"], minimal_doc["scenarios"]
    back = import_register(write_xlsx(export_tables(minimal_doc, []), tmp_path / "m.xlsx"))
    assert canonical_json(back) == canonical_json(minimal_doc)
    minimal_doc["clauses"] = []
    back = import_register(write_xlsx(export_tables(minimal_doc, []), tmp_path / "m.xlsx"))
    assert canonical_json(back) == canonical_json(minimal_doc)


def test_results_sheet_has_a_row_per_party_per_scenario(minimal_doc):
    from dsa.liability import SimulationConfig, assess
    from dsa.model import Model

    assessment = assess(Model.from_document(minimal_doc), config=SimulationConfig(years=2000, seed=1)).to_json()
    tables = export_tables(minimal_doc, [], assessment)
    rows = tables["Results"]
    assert rows[0] == ["scenario", "party", "party_name", "mean", "p50", "p90", "p95", "p99", "max"]
    assert len(rows) - 1 == len(assessment["scenarios"]) * len(minimal_doc["parties"])
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    got = by_key[("baseline", "m81001")]
    want = assessment["scenarios"]["baseline"]["parties"]["m81001"]
    assert got[2] == "Riverside Surgery"
    assert got[3:] == [want[k] for k in ("mean", "p50", "p90", "p95", "p99", "max")]
    # The Results sheet is export-only: importing the workbook ignores it.
    back = import_register(xlsx_bytes(tables), filename="m.xlsx")
    assert canonical_json(back) == canonical_json(minimal_doc)


def test_json_export_is_the_model_pretty_printed(minimal_doc):
    import json

    text = json_text(minimal_doc)
    assert json.loads(text) == minimal_doc and text.startswith("{\n  \"format\"") and text.endswith("}\n")


def test_one_step_export_helpers(minimal_doc, tmp_path):
    import json

    from dsa.tabular import export_csv, export_json, export_xlsx

    minimal_doc["flows"][0]["purpose"] = "marketing"
    xlsx = export_xlsx(minimal_doc, tmp_path / "m.xlsx")
    findings = list(openpyxl.load_workbook(xlsx, read_only=True)["Findings"].iter_rows(values_only=True))
    assert any(r[2] == "/flows/0/purpose" for r in findings[1:])  # validated when no findings are given
    files = export_csv(minimal_doc, tmp_path / "c", findings=[])
    assert (tmp_path / "c" / "findings.csv") in files
    assert (tmp_path / "c" / "findings.csv").read_text(encoding="utf-8-sig").strip() == "rule,severity,path,message,fix"
    assert json.loads(export_json(minimal_doc, tmp_path / "m.json").read_text(encoding="utf-8")) == minimal_doc
    assert canonical_json(import_register(xlsx)) == canonical_json(minimal_doc)
