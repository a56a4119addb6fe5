"""One small hand-written input per class of issue #16, through the command line: the exit code cli.md
gives, one line of message where the command cannot run, and never a traceback."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dsa.cli import run
from dsa.drafting.filters import money, pct
from dsa.errors import DraftingError
from tests.conftest import workbook_bytes

ROOT = Path(__file__).resolve().parents[2]


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def refused(*argv: str) -> str:
    """The command could not run: exit 2 and exactly one line on stderr, which is returned."""
    code, _, err = cli(*argv)
    assert code == 2, err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    return err


def write(path: Path, doc: dict | str | bytes) -> Path:
    if isinstance(doc, dict):
        doc = json.dumps(doc, ensure_ascii=False)
    path.write_bytes(doc if isinstance(doc, bytes) else doc.encode("utf-8"))
    return path


def findings(path: Path) -> list[dict]:
    code, out, _ = cli("validate", path, "--json")
    assert code == 1
    return json.loads(out)["findings"]


# ------------------------------------------------------------------ numbers beyond what the model means
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_number_that_is_not_finite_json_is_refused_at_load_with_its_pointer(tmp_path, literal):
    text = (ROOT / "examples" / "minimal.json").read_text(encoding="utf-8")
    text = re.sub(r'"records": \d+', f'"records": {literal}', text, count=1)
    message = refused("validate", write(tmp_path / "m.json", text))
    assert "/flows/0/data/records" in message and "not a finite JSON number" in message


def test_an_integer_of_three_hundred_digits_is_a_validation_finding_and_assess_does_not_run(tmp_path, minimal_doc,
                                                                                          monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    minimal_doc["flows"][0]["data"]["records"] = int("9" * 300)
    path = write(tmp_path / "m.json", minimal_doc)
    assert [f["rule"] for f in findings(path)] == ["SCHEMA-maximum"]
    assert cli("assess", path, "--years", "10")[0] == 1
    assert cli("save", path, "--name", "n", "--author", "tester")[0] in (0, 1)  # saved as a draft with its findings, never a crash


def test_money_of_1e308_is_a_validation_finding(tmp_path, minimal_doc):
    minimal_doc["parties"][0]["annual_turnover_gbp"] = 1e308
    assert any(f["rule"] == "SCHEMA-maximum" and f["path"].endswith("annual_turnover_gbp")
               for f in findings(write(tmp_path / "m.json", minimal_doc)))


# ------------------------------------------------------------------ assumptions and per-flow risk
@pytest.mark.parametrize("where,value", [
    ("assumptions", {"claim_rate": [0.1]}), ("assumptions", {"base_rate": {"carrier_pigeon": 1}}),
    ("assumptions", {"claim_rte": 0.1}), ("risk", {"annual_incident_rate": "high"}),
    ("risk", {"fine_probability": {"public": 2}}), ("risk", {"base_rate": {"sftp": 1}}),
])
def test_assumptions_and_risk_of_the_wrong_type_or_unknown_keys_are_findings_not_crashes(tmp_path, minimal_doc,
                                                                                         where, value):
    if where == "risk":
        minimal_doc["flows"][0]["risk"] = value
    else:
        minimal_doc["assumptions"] = value
    path = write(tmp_path / "m.json", minimal_doc)
    assert any(f["rule"].startswith("SCHEMA") for f in findings(path))
    assert cli("assess", path, "--years", "10")[0] == 1


def test_annotations_inside_an_assumption_table_are_kept_and_ignored(tmp_path, minimal_doc):
    minimal_doc["assumptions"] = {"base_rate": {"sftp": 0.02, "x-source": "our incident log"}}
    assert cli("assess", write(tmp_path / "m.json", minimal_doc), "--years", "10")[0] == 0


def test_an_incident_rate_beyond_the_bound_is_a_finding(tmp_path, minimal_doc):
    minimal_doc["flows"][0]["risk"] = {"annual_incident_rate": 1e6}
    assert any(f["rule"] == "SCHEMA-maximum" for f in findings(write(tmp_path / "m.json", minimal_doc)))


# ------------------------------------------------------------------ text
def test_a_lone_surrogate_is_refused_at_load_escaped_or_raw(tmp_path, minimal_doc):
    text = json.dumps(minimal_doc).replace('"Riverside Surgery"', '"Riverside \\ud800Surgery"')
    assert "lone surrogate" in refused("draft", write(tmp_path / "m.json", text), "--out", tmp_path / "p")
    raw = json.dumps(minimal_doc).encode().replace(b"Riverside", b"River\xed\xa0\x80side")
    assert "not UTF-8" in refused("export", write(tmp_path / "r.json", raw), "--format", "csv",
                                  "--out", tmp_path / "c")


@pytest.mark.parametrize("name", ["Riverside\x07Surgery", "Riverside\u2028- Surgery", "Riverside\u2029Surgery",
                                  "Riverside\u0085Surgery", "Riverside Surgery\n"])
def test_a_name_with_a_control_character_or_line_separator_is_a_plain_finding(tmp_path, minimal_doc, name):
    minimal_doc["parties"][1]["name"] = name
    found = [f for f in findings(write(tmp_path / "m.json", minimal_doc)) if f["rule"] == "SCHEMA-pattern"]
    assert found and "one line of text without control characters or line breaks" in found[0]["message"]


def test_free_text_with_separators_never_makes_a_bullet_or_a_new_row_in_the_word_agreement(tmp_path, minimal_doc):
    minimal_doc["partnership"]["description"] = "Shared care\u2028- not a bullet\u2029| not | a row |\x07"
    minimal_doc["parties"][0]["address"] = "1 High St\u2028Hereford"
    path = write(tmp_path / "m.json", minimal_doc)
    code, _, _ = cli("draft", path, "--out", tmp_path / "pack", "--years", "20")
    assert code in (0, 1)
    with zipfile.ZipFile(tmp_path / "pack" / "data-sharing-agreement.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    paragraph = next(p for p in re.findall(r"<w:p>.*?</w:p>", body) if "Shared care" in p)
    assert "not a bullet" in paragraph and "a row" in paragraph and "pStyle" not in paragraph
    assert "\u2028" not in body and "\x07" not in body
    notes = (tmp_path / "pack" / "drafting-notes.md").read_text(encoding="utf-8")
    assert "the partnership, description" in notes  # the neutralised text is said, not silently changed


def test_text_longer_than_an_excel_cell_is_exported_whole_and_imports_back(tmp_path, minimal_doc):
    minimal_doc["partnership"]["description"] = "Long. " * 12_000  # 72,000 characters
    minimal_doc["flows"][0]["data"]["justification"] = "=why " + "x" * 40_000
    minimal_doc["parties"][0]["x-note"] = "bell\x07 and \ufffe"
    path = write(tmp_path / "m.json", minimal_doc)
    for fmt, out in (("xlsx", tmp_path / "m.xlsx"), ("csv", tmp_path / "csv")):
        assert cli("export", path, "--format", fmt, "--out", out)[0] in (0, 1)
        assert cli("import", out, "--out", tmp_path / f"{fmt}.json")[0] in (0, 1)
        assert json.loads((tmp_path / f"{fmt}.json").read_text(encoding="utf-8")) == minimal_doc
    sheets = openpyxl.load_workbook(tmp_path / "m.xlsx", read_only=True)
    assert all(len(str(c)) <= 32_767 for ws in sheets.worksheets for row in ws.iter_rows(values_only=True)
               for c in row if c is not None)


def test_no_document_is_drafted_with_a_figure_that_is_not_finite():
    for bad in (float("inf"), float("nan"), float("-inf")):
        with pytest.raises(DraftingError, match="not a finite number"):
            money(bad)
        with pytest.raises(DraftingError):
            pct(bad)


def test_a_model_at_every_upper_bound_drafts_without_inf_or_nan(tmp_path, minimal_doc):
    for p in minimal_doc["parties"]:
        p["annual_turnover_gbp"] = 1_000_000_000_000
    for f in minimal_doc["flows"]:
        f["data"]["records"] = 100_000_000
        f["risk"] = {"annual_incident_rate": 50, "award_median_gbp": 1_000_000_000_000, "award_sigma": 5,
                     "special_category_multiplier": 100, "harm": {"identifiable": 10, "pseudonymised": 10}}
    path = write(tmp_path / "m.json", minimal_doc)
    code, _, err = cli("draft", path, "--out", tmp_path / "pack", "--years", "20")
    assert code in (0, 1), err
    text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "pack").glob("*.md"))
    assert not re.search(r"£-?(inf|nan)|\bnan%|\binf%", text)


# ------------------------------------------------------------------ register import
def _with_sheet(xlsx: bytes, edit) -> bytes:
    src, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, edit(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                  b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


@pytest.mark.parametrize("edit,words", [
    (lambda data: data[: len(data) // 2], "not well-formed XML"),
    (lambda data: BILLION_LAUGHS, "declares a document type or entities"),
    (lambda data: EXTERNAL, "declares a document type or entities"),
    (lambda data: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', data), "declares"),
    (lambda data: data.replace(b"</sheetData>", b"".join(b'<row r="%d"/>' % i for i in range(3, 600_010))
                               + b"</sheetData>"), "more than 500,000 rows"),
])
def test_a_malformed_hostile_or_oversized_sheet_is_one_line_and_exit_2(tmp_path, edit, words):
    xlsx = _with_sheet(workbook_bytes([["id", "name"], ["f1", "x"]]), edit)
    message = refused("import", write(tmp_path / "r.xlsx", xlsx), "--out", tmp_path / "m.json")
    assert words in message
    assert not (tmp_path / "m.json").exists()


def test_a_file_that_is_not_a_workbook_is_one_line(tmp_path):
    assert "not a readable Excel workbook" in refused("import", write(tmp_path / "r.xlsx", b"PK\x03\x04junk"),
                                                      "--out", tmp_path / "m.json")


REGISTER = ["id", "name", "from", "to", "from_name", "from_type", "from_legal_form", "from_partners", "purpose",
            "relationship", "data.identifiability", "data.special_category", "data.records", "transfer.method",
            "transfer.frequency", "transfer.encrypted", "extra"]


def _register_row(fid: str, practice: str, extra: str = "") -> list[str]:
    return [fid, "Extract", "", "csu", practice, "gp_practice", "partnership", "3", "direct_care",
            "independent_controllers", "identifiable", "yes", "100", "nhs_mail", "daily", "yes", extra]


def _import_csv(tmp_path: Path, minimal_doc: dict, rows: list[list[str]]) -> tuple[int, str]:
    buf = io.StringIO()
    csv.writer(buf).writerows([REGISTER] + rows)
    write(tmp_path / "base.json", minimal_doc)
    code, out, err = cli("import", write(tmp_path / "r.csv", buf.getvalue()), "--out", tmp_path / "m.json",
                         "--base", tmp_path / "base.json")
    return code, out


def test_two_practices_whose_names_give_the_same_id_are_an_error_naming_both_rows(tmp_path, minimal_doc):
    code, out = _import_csv(tmp_path, minimal_doc, [_register_row("f1", "Smith & Jones Surgery"),
                                                    _register_row("f2", "Smith-Jones Surgery")])
    assert code == 1 and not (tmp_path / "m.json").exists()
    assert "row 3, column from_name" in out and "'Smith & Jones Surgery' in row 2" in out and "merged" in out


def test_the_same_practice_named_twice_is_one_party(tmp_path, minimal_doc):
    code, _ = _import_csv(tmp_path, minimal_doc, [_register_row("f1", "Smith & Jones Surgery"),
                                                  _register_row("f2", "Smith &  Jones Surgery")])
    assert code in (0, 1)
    doc = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in doc["parties"]].count("smith-jones-surgery") == 1


def test_a_value_to_the_right_of_the_header_is_reported(tmp_path, minimal_doc):
    code, out = _import_csv(tmp_path, minimal_doc, [_register_row("f1", "Riverside") + ["stray"]])
    assert code == 1 and "row 2, column R: has a value but no column name" in out


@pytest.mark.parametrize("extra,words", [('{"x-a": NaN}', "not a finite JSON number"),
                                         ('{"x-a": ' + "[" * 80 + "]" * 80 + "}", "nests deeper"),
                                         ('{"x-a": "\\udc00"}', "lone surrogate")])
def test_an_extra_cell_goes_through_the_loader_limits(tmp_path, minimal_doc, extra, words):
    code, out = _import_csv(tmp_path, minimal_doc, [_register_row("f1", "Riverside", extra)])
    assert code == 1 and "row 2, column extra" in out and words in out


# ------------------------------------------------------------------ export
@pytest.mark.parametrize("prefix", [" ", "\u00a0", "\u200b", "\ufeff", "\t", "\u3000 "])
def test_a_formula_trigger_after_invisible_leading_characters_is_neutralised_and_imports_back(tmp_path,
                                                                                            minimal_doc, prefix):
    minimal_doc["flows"][0]["data"]["justification"] = prefix + '=HYPERLINK("http://evil","x")'
    path = write(tmp_path / "m.json", minimal_doc)
    assert cli("export", path, "--format", "xlsx", "--out", tmp_path / "m.xlsx")[0] in (0, 1)
    cells = [c for ws in openpyxl.load_workbook(tmp_path / "m.xlsx").worksheets for row in ws.iter_rows(
        values_only=True) for c in row if isinstance(c, str) and "HYPERLINK" in c]
    assert cells and all(c.startswith("'") or c.startswith("{") for c in cells)
    cli("import", tmp_path / "m.xlsx", "--out", tmp_path / "back.json")
    assert json.loads((tmp_path / "back.json").read_text(encoding="utf-8")) == minimal_doc


# ------------------------------------------------------------------ exit codes
def test_an_unexpected_exception_exits_2_with_one_line_and_debug_shows_the_traceback(tmp_path, monkeypatch):
    import dsa.cli.validate as command

    def broken(_doc):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(command, "check", broken)
    model = ROOT / "examples" / "minimal.json"
    message = refused("validate", model)
    assert "bug in dsa" in message and "ZeroDivisionError" in message and "--debug" in message
    out, err = io.StringIO(), io.StringIO()
    assert run(["--debug", "validate", str(model)], out, err) == 2
    assert "Traceback" in err.getvalue() and err.getvalue().rstrip().splitlines()[-1].startswith("dsa validate")
