"""``dsa draft`` as cli.md specifies it."""

from __future__ import annotations

import io
import json
import zipfile

from dsa.cli import run
from tests.drafting.conftest import read_docx


def draft(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(["draft", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_draft_writes_the_whole_pack(tmp_path, examples_dir):
    code, out, err = draft(str(examples_dir / "minimal.json"), "--out", str(tmp_path / "pack"), "--years", "500")
    assert code == 0, err
    names = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert names == sorted(["data-sharing-agreement.docx", "data-sharing-agreement.md",
                            "processing-contract-m81001-csu.docx", "processing-contract-m81001-csu.md",
                            "risk-sharing-schedule.docx", "risk-sharing-schedule.md",
                            "data-subject-summary.docx", "data-subject-summary.md", "drafting-notes.md"])
    assert "placeholder(s) to complete" in out
    document = read_docx((tmp_path / "pack" / "data-sharing-agreement.docx").read_bytes())
    assert document.paragraphs[0].style.name == "Title"


def test_format_md_writes_markdown_only(tmp_path, examples_dir):
    code, _, _ = draft(str(examples_dir / "minimal.json"), "--out", str(tmp_path), "--format", "md",
                       "--years", "500")
    assert code == 0
    assert not list(tmp_path.glob("*.docx")) and len(list(tmp_path.glob("*.md"))) == 5


def test_date_is_used_only_when_the_partnership_has_no_effective_date(tmp_path, minimal_doc):
    del minimal_doc["partnership"]["effective_date"]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(minimal_doc), encoding="utf-8")
    code, _, err = draft(str(path), "--out", str(tmp_path / "p"), "--format", "md", "--date", "2027-01-15",
                         "--years", "500")
    assert code == 0, err
    assert "15 January 2027" in (tmp_path / "p" / "risk-sharing-schedule.md").read_text(encoding="utf-8")


def test_scenario_narrows_the_exposure_table(tmp_path, examples_dir):
    code, _, _ = draft(str(examples_dir / "herefordshire-phm.json"), "--out", str(tmp_path), "--format", "md",
                       "--scenario", "risk-pool", "--years", "500")
    assert code == 0
    schedule = (tmp_path / "risk-sharing-schedule.md").read_text(encoding="utf-8")
    assert "Scenario: System risk pool" in schedule and "Scenario: Herefordshire model" not in schedule


def test_a_model_with_reference_errors_is_refused_with_its_findings(tmp_path, minimal_doc):
    minimal_doc["flows"][0]["from"] = "ghost"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(minimal_doc), encoding="utf-8")
    code, out, _ = draft(str(path), "--out", str(tmp_path / "p"))
    assert code == 1
    assert "not drafted" in out and "REF" in out
    assert not (tmp_path / "p").exists()


def test_bad_arguments_exit_2(tmp_path, examples_dir):
    assert draft(str(examples_dir / "minimal.json"), "--out", str(tmp_path), "--scenario", "nope")[0] == 2
    assert draft(str(examples_dir / "minimal.json"), "--out", str(tmp_path), "--date", "tomorrow")[0] == 2
    assert draft(str(examples_dir / "minimal.json"))[0] == 2  # --out is required
    assert draft(str(tmp_path / "missing.json"), "--out", str(tmp_path))[0] == 2


def test_a_model_with_only_ig_errors_is_drafted_not_for_signature_and_exits_1(tmp_path, minimal_doc):
    del minimal_doc["flows"][1]["retention_months"]  # IG019
    path = tmp_path / "ig.json"
    path.write_text(json.dumps(minimal_doc), encoding="utf-8")
    code, out, err = draft(str(path), "--out", str(tmp_path / "p"), "--years", "500")
    assert code == 1, err
    assert "1 information-governance error(s)" in out and "NOT FOR SIGNATURE" in out
    schedule = (tmp_path / "p" / "risk-sharing-schedule.md").read_text(encoding="utf-8")
    assert "NOT FOR SIGNATURE — 1 unresolved information-governance error" in schedule
    document = read_docx((tmp_path / "p" / "data-sharing-agreement.docx").read_bytes())
    assert document.sections[0].header.paragraphs[0].text.startswith("NOT FOR SIGNATURE — 1 unresolved")


def test_compare_to_writes_a_redline_and_a_markdown_diff_beside_each_document(tmp_path, minimal_doc, examples_dir):
    minimal_doc["flows"][0]["retention_months"] = 36
    path = tmp_path / "new.json"
    path.write_text(json.dumps(minimal_doc), encoding="utf-8")
    code, out, err = draft(str(path), "--out", str(tmp_path / "p"), "--years", "500",
                           "--compare-to", str(examples_dir / "minimal.json"))
    assert code == 0, err
    names = {p.name for p in (tmp_path / "p").iterdir()}
    for stem in ("data-sharing-agreement", "processing-contract-m81001-csu", "risk-sharing-schedule",
                 "data-subject-summary"):
        assert {f"{stem}.redline.docx", f"{stem}.diff.md"} <= names
    diff = (tmp_path / "p" / "data-sharing-agreement.diff.md").read_text(encoding="utf-8")
    assert "| 24 months |" in diff and "| 36 months |" in diff


def test_compare_to_an_unreadable_model_exits_2(tmp_path, examples_dir):
    (tmp_path / "old.json").write_text("{not json", encoding="utf-8")
    code, _, err = draft(str(examples_dir / "minimal.json"), "--out", str(tmp_path / "p"), "--years", "500",
                         "--compare-to", str(tmp_path / "old.json"))
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_redline_compares_two_saved_versions(tmp_path, minimal_doc, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    first = tmp_path / "v1.json"
    first.write_text(json.dumps(minimal_doc), encoding="utf-8")
    minimal_doc["clauses"][0]["share"] = 0.8
    second = tmp_path / "v2.json"
    second.write_text(json.dumps(minimal_doc), encoding="utf-8")
    for path in (first, second):
        assert run(["save", str(path), "--name", "Riverside", "--author", "Test"], stdout=io.StringIO(),
                   stderr=io.StringIO()) == 0
    out, err = io.StringIO(), io.StringIO()
    code = run(["redline", "Riverside", "1", "2", "--out", str(tmp_path / "r"), "--years", "500"],
               stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    diff = (tmp_path / "r" / "risk-sharing-schedule.diff.md").read_text(encoding="utf-8")
    assert "From v1 of 'Riverside'" in diff and "to v2 of 'Riverside'" in diff
    assert "for 80% of" in diff
    assert "v2 of 'Riverside'" in (tmp_path / "r" / "risk-sharing-schedule.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "r" / "risk-sharing-schedule.redline.docx") as docx:
        assert 'w:author="Test"' in docx.read("word/document.xml").decode("utf-8")  # who saved v2


def test_redline_of_a_missing_version_exits_2(tmp_path, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    out, err = io.StringIO(), io.StringIO()
    assert run(["redline", "Nothing", "1", "2", "--out", str(tmp_path / "r")], stdout=out, stderr=err) == 2
    assert len(err.getvalue().strip().splitlines()) == 1
