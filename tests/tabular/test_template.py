"""The shipped register template and docs/register.md are current, and the template imports on its own."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import openpyxl

from dsa.tabular import REGISTER_COLUMNS, import_register
from dsa.tabular.register import CLAUSE_COLUMNS, MODEL_COLUMNS, PARTY_COLUMNS, SCENARIO_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location("build_register_template",
                                                  ROOT / "scripts" / "build_register_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_files_match_the_builder():
    """If this fails, run: python3 scripts/build_register_template.py"""
    builder = _builder()
    assert (ROOT / "templates" / "register-template.csv").read_bytes() == builder.csv_bytes()
    assert (ROOT / "templates" / "register-template.xlsx").read_bytes() == builder.xlsx_bytes()
    assert (ROOT / "docs" / "register.md").read_text(encoding="utf-8") == builder.doc_text()


def test_the_template_has_every_column_and_two_example_rows():
    wb = openpyxl.load_workbook(ROOT / "templates" / "register-template.xlsx", read_only=True)
    assert wb.sheetnames[0] == "Flows"
    rows = list(wb["Flows"].iter_rows(values_only=True))
    assert list(rows[0]) == [c.name for c in REGISTER_COLUMNS]
    assert len(rows) == 3
    explained = [r[0] for r in list(wb["Columns"].iter_rows(values_only=True))[1:]]
    assert explained == [c.name for c in REGISTER_COLUMNS]


def test_the_template_imports_without_a_base_to_the_minimal_examples_flows(minimal_doc):
    for name in ("register-template.csv", "register-template.xlsx"):
        doc = import_register(ROOT / "templates" / name)
        assert doc["flows"] == minimal_doc["flows"], name
        by_id = {p["id"]: p for p in minimal_doc["parties"]}
        for party in doc["parties"]:
            for key in ("name", "type", "legal_form"):
                assert party[key] == by_id[party["id"]][key]


def test_the_docs_describe_every_column():
    text = (ROOT / "docs" / "register.md").read_text(encoding="utf-8")
    for col in REGISTER_COLUMNS + PARTY_COLUMNS + CLAUSE_COLUMNS + SCENARIO_COLUMNS + MODEL_COLUMNS:
        assert f"| `{col.name}` |" in text, col.name
    assert json.loads(json.dumps(text))  # plain text, no stray bytes
