"""`dsa validate` as cli.md specifies it."""

from __future__ import annotations

import io
import json

from dsa.cli import run


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_the_bundled_examples_validate_with_exit_0(examples_dir):
    for name in ("herefordshire-phm.json", "minimal.json"):
        code, out, _ = _run("validate", str(examples_dir / name))
        assert code == 0, out
        assert "0 error(s)" in out


def test_a_broken_model_exits_1_listing_every_problem_by_path(minimal_doc, tmp_path):
    minimal_doc["flows"][0]["purpose"] = "marketing"
    minimal_doc["flows"][1]["transfer"]["method"] = "unsecured_email"
    del minimal_doc["flows"][1]["retention_months"]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(minimal_doc))
    code, out, _ = _run("validate", str(path))
    assert code == 1
    for pointer in ("/flows/0/purpose", "/flows/1/transfer/method", "/flows/1/retention_months"):
        assert pointer in out


def test_json_output_has_exactly_the_documented_shape(minimal_doc, tmp_path):
    minimal_doc["flows"][1]["transfer"]["method"] = "physical_media"
    path = tmp_path / "m.json"
    path.write_text(json.dumps(minimal_doc))
    code, out, err = _run("validate", str(path), "--json")
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert set(doc) == {"valid", "errors", "warnings", "findings"}
    assert doc["valid"] is True and doc["errors"] == 0 and doc["warnings"] == 1
    assert set(doc["findings"][0]) == {"rule", "severity", "path", "message", "fix"}


def test_malformed_input_exits_2_with_one_line_and_nothing_on_stdout(tmp_path):
    cases = {"notjson.json": b"{nope", "array.json": b"[1]", "latin1.json": '{"a": "é"}'.encode("latin-1"),
             "deep.json": b"[" * 10_000 + b"]" * 10_000}
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        code, out, err = _run("validate", str(path), "--json")
        assert code == 2, name
        assert out == "", name
        assert err.count("\n") == 1 and "Traceback" not in err, name


def test_json_output_lists_exactly_the_findings_validate_returns_in_order(tmp_path):
    import sys
    from pathlib import Path

    from dsa.cli.common import validation_document
    from dsa.validation import validate

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from generate import icb_model

    doc = icb_model("first_import")
    doc["flows"][3]["transfer"]["method"] = "carrier pigeon"  # a schema error among the IG findings
    path = tmp_path / "register.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = _run("validate", str(path), "--json")
    assert code == 1 and err == ""
    assert json.loads(out) == validation_document(validate(doc))
