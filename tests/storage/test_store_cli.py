"""``dsa save|load|history|diff|restore|signoff`` through dsa.cli.run, on a temporary SQLite store."""

from __future__ import annotations

import copy
import io
import json

import pytest

from dsa.cli import run


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("USER", "tester")


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def model_file(tmp_path, minimal_doc):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(minimal_doc), encoding="utf-8")
    return path


def _write(path, doc):
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_save_prints_the_new_version_number(model_file):
    assert _run("save", model_file, "--name", "m", "--summary", "first") == (0, "1\n", "")
    assert _run("save", model_file, "--name", "m", "--base", "1", "--author", "Alice") == (0, "2\n", "")


def test_a_stale_save_exits_2_naming_who_saved_in_between(model_file):
    _run("save", model_file, "--name", "m")
    _run("save", model_file, "--name", "m", "--base", "1", "--author", "Alice")
    code, out, err = _run("save", model_file, "--name", "m", "--base", "1", "--author", "Bob")
    assert code == 2 and out == ""
    assert err.startswith("dsa save: version 2 was saved by Alice at ") and "base version 1" in err
    assert err.count("\n") == 1


def test_a_model_with_errors_is_saved_as_a_draft_with_a_warning(tmp_path, minimal_doc):
    minimal_doc["flows"][0]["purpose"] = "marketing"
    code, out, err = _run("save", _write(tmp_path / "bad.json", minimal_doc), "--name", "m")
    assert code == 0 and out == "1\n"
    assert err.startswith("warning: version 1 of 'm' was saved as a draft") and "validation error" in err


def test_an_unreadable_model_file_exits_2(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("not json")
    code, _, err = _run("save", path, "--name", "m")
    assert code == 2 and "not valid JSON" in err


def test_load_writes_the_requested_version(model_file, tmp_path, minimal_doc):
    _run("save", model_file, "--name", "m")
    changed = copy.deepcopy(minimal_doc)
    changed["flows"][0]["retention_months"] = 12
    _run("save", _write(tmp_path / "c.json", changed), "--name", "m")
    out_path = tmp_path / "loaded.json"
    code, out, _ = _run("load", "m", "--version", "1", "--out", out_path)
    assert code == 0 and "version 1" in out
    assert json.loads(out_path.read_text(encoding="utf-8")) == minimal_doc
    code, out, _ = _run("load", "m", "--out", "-")
    assert code == 0 and json.loads(out) == changed
    code, _, err = _run("load", "nope", "--out", out_path)
    assert code == 2 and "no model named 'nope'" in err and "saved models: m" in err


def test_history_text_and_json(model_file):
    _run("save", model_file, "--name", "m", "--summary", "first cut", "--author", "Alice")
    _run("save", model_file, "--name", "m", "--summary", "second", "--author", "Bob")
    _run("signoff", "m", "--version", "1", "--party", "icb", "--role", "SIRO", "--signer", "Sam Siro")
    code, out, _ = _run("history", "m")
    assert code == 0
    assert "version 1" in out and "Alice" in out and "first cut" in out and "UTC" in out
    assert "signed off: icb by Sam Siro (SIRO)" in out
    assert "Not yet signed off at version 2: icb, csu, m81001" in out
    code, out, _ = _run("history", "m", "--json")
    doc = json.loads(out)
    assert [v["version"] for v in doc["versions"]] == [1, 2]
    assert doc["versions"][0]["author"] == "Alice" and doc["versions"][0]["signoffs"][0]["signer"] == "Sam Siro"
    assert doc["latest_unsigned_parties"] == ["icb", "csu", "m81001"]


def test_diff_shows_changes_between_versions(model_file, tmp_path, minimal_doc):
    _run("save", model_file, "--name", "m")
    changed = copy.deepcopy(minimal_doc)
    changed["flows"][0]["purpose"] = "planning"
    _run("save", _write(tmp_path / "c.json", changed), "--name", "m")
    code, out, _ = _run("diff", "m", "1", "2")
    assert code == 0
    assert out == '~ flows/phm-m81001 purpose: "population_health_management" -> "planning"\n'
    code, out, _ = _run("diff", "m", "1", "1")
    assert code == 0 and "same content" in out
    code, out, _ = _run("diff", "m", "1", "2", "--json")
    assert json.loads(out)["changes"][0]["field"] == "purpose"
    assert _run("diff", "m", "1", "9")[0] == 2


def test_restore_makes_an_old_version_the_newest(model_file, tmp_path, minimal_doc):
    _run("save", model_file, "--name", "m")
    changed = copy.deepcopy(minimal_doc)
    changed["flows"][0]["retention_months"] = 1
    _run("save", _write(tmp_path / "c.json", changed), "--name", "m")
    code, out, err = _run("restore", "m", "1", "--author", "Carol")
    assert (code, out) == (0, "3\n") and "restored version 1" in err
    code, out, _ = _run("history", "m", "--json")
    latest = json.loads(out)["versions"][-1]
    assert latest["summary"] == "Restored version 1" and latest["author"] == "Carol"
    _, out, _ = _run("load", "m", "--out", "-")
    assert json.loads(out) == minimal_doc


def test_signoff_records_and_reports_who_is_left(model_file):
    _run("save", model_file, "--name", "m")
    code, out, _ = _run("signoff", "m", "--version", "1", "--party", "m81001", "--role", "Caldicott Guardian",
                        "--signer", "Dr Cal", "--note", "practice meeting", "--date", "2026-11-03")
    assert code == 0
    assert "m81001 signed off version 1" in out and "2026-11-03" in out
    assert "still to sign off version 1: icb, csu" in out
    code, _, err = _run("signoff", "m", "--version", "1", "--party", "ghost", "--role", "SIRO", "--signer", "x")
    assert code == 2 and "no party 'ghost'" in err
    code, _, err = _run("signoff", "m", "--version", "1", "--party", "icb", "--role", "Boss", "--signer", "x")
    assert code == 2 and "invalid choice" in err


def test_author_defaults_to_the_login_name(model_file):
    _run("save", model_file, "--name", "m")
    _, out, _ = _run("history", "m", "--json")
    assert json.loads(out)["versions"][0]["author"] == "tester"


def test_a_file_that_is_not_a_database_exits_2_with_one_line(tmp_path, monkeypatch):
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_bytes(b"this is not an SQLite database, just some text " * 100)
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{bad}")
    code, out, err = _run("history", "m")
    assert code == 2 and out == ""
    assert err.startswith("dsa history: cannot open the store at sqlite:///") and err.count("\n") == 1


def test_a_store_from_a_newer_dsa_is_refused_clearly(tmp_path, monkeypatch, model_file):
    import sqlite3

    path = tmp_path / "newer.sqlite3"
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{path}")
    assert _run("save", model_file, "--name", "m")[0] == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    code, _, err = _run("history", "m")
    assert code == 2 and "newer dsa" in err
