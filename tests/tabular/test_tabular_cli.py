"""``dsa import`` and ``dsa export`` through dsa.cli.run."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl

from dsa.canonical import canonical_json
from dsa.cli import run

ROOT = Path(__file__).resolve().parents[2]


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _model(tmp_path, doc, name="model.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_export_xlsx_then_import_gives_the_model_back(tmp_path, herefordshire_doc):
    model = _model(tmp_path, herefordshire_doc)
    code, out, err = _run("export", model, "--format", "xlsx", "--out", tmp_path / "m.xlsx")
    assert (code, err) == (0, "") and "m.xlsx" in out
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx", read_only=True)
    assert wb.sheetnames[:4] == ["Parties", "Flows", "Clauses", "Scenarios"] and "Findings" in wb.sheetnames
    code, out, _ = _run("import", tmp_path / "m.xlsx", "--out", tmp_path / "back.json")
    assert code == 0 and "Imported 27 flow(s)" in out and "0 error(s)" in out
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert canonical_json(back) == canonical_json(herefordshire_doc)


def test_export_csv_writes_a_folder_and_flows_csv_imports_with_a_base(tmp_path, minimal_doc):
    model = _model(tmp_path, minimal_doc)
    code, out, _ = _run("export", model, "--format", "csv", "--out", tmp_path / "csv")
    assert code == 0
    names = {p.name for p in (tmp_path / "csv").iterdir()}
    assert {"parties.csv", "flows.csv", "clauses.csv", "findings.csv"} <= names
    code, out, _ = _run("import", tmp_path / "csv" / "flows.csv", "--base", model, "--out", tmp_path / "b.json")
    assert code == 0
    assert canonical_json(json.loads((tmp_path / "b.json").read_text())) == canonical_json(minimal_doc)


def test_export_json_is_the_model_pretty_printed(tmp_path, minimal_doc):
    model = _model(tmp_path, minimal_doc)
    assert _run("export", model, "--format", "json", "--out", tmp_path / "o.json")[0] == 0
    text = (tmp_path / "o.json").read_text(encoding="utf-8")
    assert json.loads(text) == minimal_doc and "\n  " in text


def test_export_with_assess_adds_results(tmp_path, minimal_doc):
    model = _model(tmp_path, minimal_doc)
    code, _, _ = _run("export", model, "--format", "xlsx", "--out", tmp_path / "r.xlsx", "--assess",
                      "--years", "2000", "--seed", "3")
    assert code == 0
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)["Results"].iter_rows(values_only=True))
    assert rows[0][:3] == ("scenario", "party", "party_name")
    assert {r[0] for r in rows[1:]} == {"baseline", "indemnity"}
    code, _, _ = _run("export", model, "--format", "csv", "--out", tmp_path / "c", "--assess", "--years", "500")
    assert code == 0 and (tmp_path / "c" / "results.csv").is_file()


def test_exporting_a_model_with_errors_still_writes_it_and_exits_1(tmp_path, minimal_doc):
    minimal_doc["flows"][0]["purpose"] = "marketing"
    model = _model(tmp_path, minimal_doc)
    code, out, err = _run("export", model, "--format", "xlsx", "--out", tmp_path / "e.xlsx", "--assess")
    assert code == 1 and (tmp_path / "e.xlsx").is_file()
    assert "not assessed" in err and "validation errors" in out
    wb = openpyxl.load_workbook(tmp_path / "e.xlsx", read_only=True)
    assert "Results" not in wb.sheetnames


def test_import_of_a_register_with_problems_prints_each_and_exits_1(tmp_path, minimal_doc):
    model = _model(tmp_path, minimal_doc)
    register = tmp_path / "bad.csv"
    register.write_text(
        "id,name,from,to,purpose,relationship,data.identifiability,data.special_category,data.records,"
        "transfer.method,transfer.frequency,transfer.encrypted,legal_basis.article_6\n"
        "f1,A,m81001,csu,planning,controller_to_processor,pseudonymised,yes,10,sftp,daily,yes,zz\n"
        "f2,B,m81001,csu,planning,controller_to_processor,pseudonymised,perhaps,10,sftp,daily,yes,e\n",
        encoding="utf-8")
    out_path = tmp_path / "out.json"
    code, out, _ = _run("import", register, "--base", model, "--out", out_path)
    assert code == 1 and not out_path.exists()
    lines = out.splitlines()
    assert lines[0].startswith("row 2, column legal_basis.article_6: 'zz' is not one of 6(1)(a)")
    assert lines[1] == "row 3, column data.special_category: 'perhaps' is not yes or no"
    assert "2 problems found; nothing was imported" in lines[2]


def test_import_reports_the_findings_of_the_imported_model(tmp_path):
    code, out, _ = _run("import", ROOT / "templates" / "register-template.xlsx", "--out", tmp_path / "t.json")
    # The template alone has no partnership details, so validation has things to say; the model is written.
    from dsa.findings import has_errors
    from dsa.validation import validate

    assert (tmp_path / "t.json").is_file() and "Imported 2 flow(s) and 3 parties" in out
    findings = validate(json.loads((tmp_path / "t.json").read_text(encoding="utf-8")))
    assert code == (1 if has_errors(findings) else 0)
    assert f"{len(findings)} " not in out or "error(s)" in out
    for f in findings:
        assert f.pointer in out


def test_unreadable_inputs_exit_2(tmp_path, minimal_doc):
    code, _, err = _run("import", tmp_path / "missing.xlsx", "--out", tmp_path / "x.json")
    assert code == 2 and "no such file" in err
    code, _, err = _run("export", tmp_path / "missing.json", "--format", "xlsx", "--out", tmp_path / "x.xlsx")
    assert code == 2
    code, _, err = _run("export", _model(tmp_path, minimal_doc), "--format", "pdf", "--out", tmp_path / "x")
    assert code == 2 and "invalid choice" in err
