"""Importing hand-made registers: every problem with its row and column, leniency where it is safe,
parties created from ODS codes and names."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest

from dsa.errors import ImportProblemsError, InputError
from dsa.tabular import REGISTER_COLUMNS, import_register
from dsa.tabular.columns import schema_enum
from dsa.tabular.register import FLOW_COLUMNS, infer_party_type
from dsa.validation import validate
from dsa.validation.schema import load_schema

BASE_ROW = {
    "id": "f1", "name": "Weekly extract", "from": "m81001", "to": "csu", "purpose": "population_health_management",
    "relationship": "controller_to_processor", "data.identifiability": "pseudonymised",
    "data.special_category": "yes", "data.records": "11800", "transfer.method": "secure_api",
    "transfer.frequency": "weekly", "transfer.encrypted": "yes",
}


def _csv(rows: list[dict], columns: list[str] | None = None) -> bytes:
    columns = columns or list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return buf.getvalue().encode("utf-8")


def _problems(data: bytes, filename="register.csv", **kwargs) -> list[str]:
    with pytest.raises(ImportProblemsError) as err:
        import_register(data, filename=filename, **kwargs)
    assert "nothing was imported" in str(err.value)
    return [str(p) for p in err.value.problems]


def test_a_clean_register_imports_onto_a_base(minimal_doc):
    rows = [dict(BASE_ROW), dict(BASE_ROW, id="f2", to="icb", purpose="Direct care", **{
        "relationship": "independent_controllers", "legal_basis.article_6": "e", "legal_basis.article_9": "h",
        "data.categories": "demographics ; diagnoses;", "dpia.date": "01/09/2026", "retention_months": "96",
        "data.records": "1,300", "data.special_category": "TRUE"})]
    doc = import_register(_csv(rows), filename="r.csv", base=minimal_doc)
    assert doc["parties"] == minimal_doc["parties"] and doc["clauses"] == minimal_doc["clauses"]
    assert doc["partnership"] == minimal_doc["partnership"]
    f1, f2 = doc["flows"]
    assert f1 == {"id": "f1", "name": "Weekly extract", "from": "m81001", "to": "csu",
                  "purpose": "population_health_management", "relationship": "controller_to_processor",
                  "data": {"identifiability": "pseudonymised", "special_category": True, "records": 11800},
                  "transfer": {"method": "secure_api", "frequency": "weekly", "encrypted": True}}
    assert f2["purpose"] == "direct_care"
    assert f2["legal_basis"] == {"article_6": "6(1)(e)", "article_9": "9(2)(h)"}
    assert f2["data"]["categories"] == ["demographics", "diagnoses"]
    assert f2["data"]["records"] == 1300 and f2["data"]["special_category"] is True
    assert f2["dpia"] == {"date": "2026-09-01"} and f2["retention_months"] == 96


def test_every_problem_in_every_row_is_reported_with_row_and_column(minimal_doc):
    rows = [
        dict(BASE_ROW),                                                          # row 2: fine
        dict(BASE_ROW, id="f2", **{"legal_basis.article_6": "f"}),               # row 3: shorthand is fine
        dict(BASE_ROW, id="f3", **{"legal_basis.article_6": "zz"}),              # row 4
        dict(BASE_ROW, id="f4", **{"data.special_category": "maybe"}),           # row 5
        dict(BASE_ROW, id="f5", purpose=""),                                     # row 6
        dict(BASE_ROW, id="f6", **{"dpia.date": "2026-02-30", "data.records": "12.5"}),  # row 7: two problems
        {},                                                                      # row 8: blank, skipped
        dict(BASE_ROW, id="f1", **{"transfer.method": "carrier pigeon"}),        # row 9: duplicate id + enum
        dict(BASE_ROW, id="f9", to="nowhere"),                                   # row 10: unknown party
    ]
    problems = _problems(_csv(rows), base=minimal_doc)
    assert problems[0].startswith("row 4, column legal_basis.article_6: 'zz' is not one of 6(1)(a), 6(1)(b)")
    assert "row 5, column data.special_category: 'maybe' is not yes or no" in problems
    assert "row 6, column purpose: is required and is empty" in problems
    assert "row 7, column dpia.date: '2026-02-30' is not a real date" in problems
    assert "row 7, column data.records: '12.5' is not a whole number" in problems
    assert any(p.startswith("row 9, column transfer.method: 'carrier pigeon' is not one of") for p in problems)
    assert "row 9, column id: id 'f1' is already used in row 2" in problems
    assert any(p.startswith("row 10, column to: party 'nowhere' is not in the Parties sheet") for p in problems)
    assert len(problems) == 8


def test_header_problems_name_the_column():
    data = _csv([dict(BASE_ROW, **{"legal_basis.article6": "e"})])
    data = data.replace(b"purpose,", b"", 1).replace(b"population_health_management,", b"", 1)
    problems = _problems(data)
    assert "row 1, column legal_basis.article6: unknown column 'legal_basis.article6'; did you mean " \
           "legal_basis.article_6?" in problems
    assert "row 1, column purpose: the required column 'purpose' is missing" in problems


def test_problem_objects_carry_row_column_value_and_sheet():
    with pytest.raises(ImportProblemsError) as err:
        import_register(_csv([dict(BASE_ROW, **{"transfer.encrypted": "sometimes"})]), filename="r.csv",
                        base={"parties": [{"id": "m81001"}, {"id": "csu"}]})
    (p,) = err.value.problems
    assert (p.row, p.column, p.value, p.sheet) == (2, "transfer.encrypted", "sometimes", "Flows")
    assert p.to_dict()["message"] == "'sometimes' is not yes or no"


def test_parties_are_created_from_ods_codes_and_names():
    rows = [
        dict(BASE_ROW, **{"from": "", "from_ods": "M81001", "from_name": "Riverside Surgery",
                          "from_legal_form": "partnership", "from_partners": "5",
                          "to": "", "to_ods": "0DF", "to_name": "Midlands CSU"}),
        dict(BASE_ROW, id="f2", **{"from": "m81001", "to": "", "to_ods": "RLQ", "to_name": "Wye Valley NHS Trust"}),
        dict(BASE_ROW, id="f3", **{"from": "m81001", "to": "council", "to_name": "Herefordshire Council",
                                   "to_type": "local_authority"}),
    ]
    doc = import_register(_csv(rows), filename="my-register.csv")
    assert doc["partnership"] == {"name": "my-register"}
    assert doc["parties"] == [
        {"id": "m81001", "name": "Riverside Surgery", "type": "gp_practice", "ods_code": "M81001",
         "legal_form": "partnership", "partners": 5},
        {"id": "0df", "name": "Midlands CSU", "type": "commissioning_support_unit", "ods_code": "0DF",
         "legal_form": "nhs_body"},
        {"id": "rlq", "name": "Wye Valley NHS Trust", "type": "nhs_trust", "ods_code": "RLQ",
         "legal_form": "nhs_body"},
        {"id": "council", "name": "Herefordshire Council", "type": "local_authority",
         "legal_form": "local_authority"},
    ]
    assert [(f["from"], f["to"]) for f in doc["flows"]] == [("m81001", "0df"), ("m81001", "rlq"),
                                                             ("m81001", "council")]
    assert not [f for f in validate(doc) if f.rule.startswith(("SCHEMA", "REF"))]


def test_a_new_party_of_unknown_type_is_a_problem_and_bad_creation_cells_are_reported():
    rows = [dict(BASE_ROW, **{"to": "", "to_name": "Acme Analytics Ltd", "from": "", "from_ods": "M81001",
                              "from_type": "surgery"})]
    problems = _problems(_csv(rows))
    assert any(p.startswith("row 2, column from_type: 'surgery' is not one of") for p in problems)
    assert any(p.startswith("row 2, column to_type: the type of new party 'acme-analytics-ltd' cannot be told")
               for p in problems)


def test_ods_code_shapes():
    assert [infer_party_type(c) for c in ("M81001", "rlq", "RLQ01", "QGH", "0DF", "E06000019", "X1")] == [
        "gp_practice", "nhs_trust", "nhs_trust", "icb", "commissioning_support_unit", None, None]


def test_xlsx_uses_the_flows_sheet_else_the_first_and_reads_typed_cells(minimal_doc):
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active.append(["this sheet is ignored"])
    ws = wb.create_sheet("Flows")
    header = list(BASE_ROW) + ["dpia.date", "retention_months", "breach_notification_hours"]
    ws.append(header)
    ws.append([BASE_ROW[k] for k in BASE_ROW][:-1] + [True, dt.datetime(2026, 9, 1), 24.0, 12.5])
    buf = io.BytesIO()
    wb.save(buf)
    doc = import_register(buf.getvalue(), filename="r.xlsx", base=minimal_doc)
    flow = doc["flows"][0]
    assert flow["transfer"]["encrypted"] is True and flow["dpia"]["date"] == "2026-09-01"
    assert flow["retention_months"] == 24 and flow["breach_notification_hours"] == 12.5
    del wb["Flows"]
    single = wb.active
    single.delete_rows(1)
    single.append(header)
    single.append(["f9"] + [BASE_ROW[k] for k in list(BASE_ROW)[1:]][:-1] + [False, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    assert import_register(buf.getvalue(), filename="r.xlsx", base=minimal_doc)["flows"][0]["id"] == "f9"


def test_extra_may_not_repeat_a_column(minimal_doc):
    rows = [dict(BASE_ROW, extra='{"purpose": "planning", "x-ok": 1}'), dict(BASE_ROW, id="f2", extra="{not json")]
    problems = _problems(_csv(rows), base=minimal_doc)
    assert "row 2, column extra: sets 'purpose', which another column already gives; keep it in one place" in problems
    assert any(p.startswith("row 3, column extra: '{not json' is not valid JSON") for p in problems)


def test_unreadable_files_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="not UTF-8"):
        import_register("naïve,x\n".encode("latin-1"), filename="r.csv")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        import_register(b"PK\x03\x04 broken", filename="r.xlsx")
    with pytest.raises(InputError, match=".csv or .xlsx"):
        import_register(b"{}", filename="r.json")
    with pytest.raises(InputError, match="no such file"):
        import_register(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="no flows.csv"):
        import_register(tmp_path)


def test_a_byte_order_mark_is_tolerated(minimal_doc):
    data = b"\xef\xbb\xbf" + _csv([BASE_ROW])
    assert import_register(data, filename="r.csv", base=minimal_doc)["flows"][0]["id"] == "f1"


def test_register_columns_cover_every_flow_field_of_the_schema():
    """A field added to the schema must get a column (or this test says which)."""
    def leaves(node, prefix=""):
        props = node.get("properties", {})
        for name, sub in props.items():
            path = f"{prefix}{name}"
            if name == "risk":  # the incident rate has a column; severity overrides travel in `extra`
                yield "risk.annual_incident_rate"
            elif name in ("data", "legal_basis", "transfer", "dpia", "s251", "international_transfer",
                          "processing_contract", "joint_arrangement") and "properties" in sub:
                yield from leaves(sub, path + ".")
            else:
                yield path
    schema_leaves = set(leaves(load_schema()["$defs"]["flow"]))
    names = {c.name for c in FLOW_COLUMNS}
    assert schema_leaves <= names, schema_leaves - names
    assert {c.name for c in REGISTER_COLUMNS} >= names
    for col in REGISTER_COLUMNS:
        assert col.description, col.name
    assert "6(1)(ea)" in schema_enum("$defs", "flow", "properties", "legal_basis", "properties", "article_6")


def test_a_register_with_too_many_rows_is_refused(monkeypatch):
    from dsa.tabular import register

    monkeypatch.setattr(register, "MAX_ROWS", 3)
    with pytest.raises(InputError, match="more than 3 rows"):
        import_register(_csv([BASE_ROW] * 5), filename="r.csv")
    wb = openpyxl.Workbook()
    for _ in range(5):
        wb.active.append(["x"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(InputError, match="more than 3 rows"):
        import_register(buf.getvalue(), filename="r.xlsx")


def test_problems_in_the_other_sheets_of_an_exported_workbook_name_their_sheet(minimal_doc):
    from dsa.tabular import export_tables, xlsx_bytes

    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export_tables(minimal_doc, []))))
    parties = wb["Parties"]
    col = [c.value for c in parties[1]].index("legal_form") + 1
    parties.cell(row=3, column=col, value="quango")
    clauses = wb["Clauses"]
    header = [c.value for c in clauses[1]]
    clauses.cell(row=2, column=header.index("beneficiaries.party_type") + 1, value="gp_practice")
    partnership = wb["Partnership"]
    fields = [r[0].value for r in partnership.iter_rows()]
    partnership.cell(row=fields.index("partnership.review_date") + 1, column=2, value="next year")
    buf = io.BytesIO()
    wb.save(buf)
    problems = _problems(buf.getvalue(), filename="edited.xlsx")
    assert any(p.startswith("Parties sheet, row 3, column legal_form: 'quango' is not one of") for p in problems)
    assert "Clauses sheet, row 2, column beneficiaries.party_type: conflicts with column 'beneficiaries'; " \
           "fill only one of them" in problems
    row = fields.index("partnership.review_date") + 1
    assert any(p.startswith(f"Partnership sheet, row {row}, column partnership.review_date: 'next year' is not a date")
               for p in problems)
    assert len(problems) == 3


def test_an_extra_cell_giving_a_party_that_is_not_an_id_is_left_to_validation(minimal_doc):
    data = _csv([{**BASE_ROW, "from": "", "extra": '{"from": ["m81001"]}'}])
    doc = import_register(data, filename="register.csv", base=minimal_doc)
    assert doc["flows"][0]["from"] == ["m81001"]
    assert any(f.rule.startswith("SCHEMA") and f.path[:3] == ("flows", 0, "from") for f in validate(doc))
