"""The register template, import and export know every party type the schema knows."""

from __future__ import annotations

import csv
import io

import openpyxl

from dsa.model import PARTY_TYPES
from dsa.tabular import export_tables, import_register, xlsx_bytes
from dsa.tabular.register import PARTY_COLUMNS

from .conftest import ROOT, vehicle


def _dropdown_values(ws, column_name: str) -> list[str]:
    header = [c.value for c in ws[1]]
    letter = openpyxl.utils.get_column_letter(header.index(column_name) + 1)
    for dv in ws.data_validations.dataValidation:
        if any(str(r).startswith(f"{letter}2") for r in dv.sqref.ranges):
            return dv.formula1.strip('"').split(",")
    raise AssertionError(f"no drop-down on {column_name}")


def test_the_register_templates_party_type_drop_downs_offer_every_party_type():
    ws = openpyxl.load_workbook(ROOT / "templates" / "register-template.xlsx")["Flows"]
    for column in ("from_type", "to_type"):
        assert _dropdown_values(ws, column) == list(PARTY_TYPES)


def test_the_parties_sheet_accepts_every_party_type():
    assert next(c for c in PARTY_COLUMNS if c.name == "type").choices == PARTY_TYPES


def test_a_register_row_can_create_a_dental_practice_and_a_sole_trader_pharmacy():
    rows = [["id", "name", "from", "from_name", "from_type", "from_legal_form", "from_partners", "to", "to_name",
             "to_ods", "purpose", "relationship", "data.identifiability", "data.special_category", "data.records",
             "transfer.method", "transfer.frequency", "transfer.encrypted"],
            ["f1", "Oral health", "", "Market Street Dental", "dental_practice", "partnership", "3", "", "Vale Trust",
             "RYV", "direct_care", "independent_controllers", "identifiable", "yes", "140", "secure_api", "weekly",
             "yes"],
            ["f2", "Medicines", "", "Hollins Lane Pharmacy", "community_pharmacy", "sole_trader", "1", "ryv",
             "", "", "direct_care", "independent_controllers", "identifiable", "yes", "260", "secure_api",
             "daily", "yes"]]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    doc = import_register(buf.getvalue().encode("utf-8"), filename="register.csv")
    by_name = {p["name"]: p for p in doc["parties"]}
    assert by_name["Market Street Dental"]["type"] == "dental_practice"
    assert by_name["Market Street Dental"]["partners"] == 3
    assert by_name["Hollins Lane Pharmacy"]["type"] == "community_pharmacy"
    assert by_name["Hollins Lane Pharmacy"]["legal_form"] == "sole_trader"


def test_a_vehicle_model_goes_out_to_a_workbook_and_comes_back_unchanged():
    doc = vehicle("joint-venture")
    back = import_register(xlsx_bytes(export_tables(doc, [])), filename="jv.xlsx")
    assert back == doc
