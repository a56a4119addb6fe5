"""`dsa solve`, `dsa sensitivity` and `dsa remediation` as negotiation.md and cli.md specify them."""

from __future__ import annotations

import io
import json

import pytest

from dsa.cli import run
from dsa.validation import validate

PHM_ONLY = "m81009,m81010,m81012,m81013,m81014,m81015,m81016"


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _write(tmp_path, doc, name="model.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_solve_json_has_the_documented_keys(examples_dir):
    code, out, err = _run("solve", examples_dir / "herefordshire-phm.json", "--clause", "hereford", "--vary", "share",
                          "--target", "partner.p99_9 <= 5000", "--for", PHM_ONLY, "--years", "20000", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) >= {"clause", "vary", "targets", "feasible", "value", "achieved", "binding", "frontier",
                        "reasons", "years", "seed"}
    assert doc["targets"] == ["partner.p99_9 <= 5000"] and doc["feasible"] and 0 <= doc["value"] <= 1
    assert len(doc["frontier"]) == 11 and set(doc["frontier"][0]) == {"value", "targets", "giver"}
    assert set(doc["frontier"][0]["giver"]["icb"]) == {"mean", "p99_9", "tvar99"}
    assert set(doc["binding"]) == {"target", "party"}


def test_solve_text_gives_the_answer_in_a_sentence_and_the_frontier(examples_dir):
    code, out, _ = _run("solve", examples_dir / "herefordshire-phm.json", "--clause", "hereford", "--vary", "share",
                        "--target", "partner.p99_9 <= 25000", "--years", "5000")
    assert code == 0
    assert "No partner loses more than £25,000 in a 1-in-1,000 year" in out
    assert "Frontier" in out and "not legal advice" in out


@pytest.mark.parametrize("target", ["partner.p99_9 < 25000", "partner.p98 <= 1", "nobody.mean <= 3"])
def test_a_bad_target_is_exit_2_with_one_line_naming_it(examples_dir, target):
    code, out, err = _run("solve", examples_dir / "herefordshire-phm.json", "--clause", "hereford", "--vary", "share",
                          "--target", target)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and repr(target) in err and "Traceback" not in err


def test_an_unknown_party_clause_or_file_is_exit_2(examples_dir, tmp_path):
    base = ["solve", examples_dir / "herefordshire-phm.json", "--vary", "share", "--target", "party.mean <= 1"]
    code, _, err = _run(*base, "--clause", "hereford", "--for", "m81001,ghost")
    assert code == 2 and "ghost" in err
    code, _, err = _run(*base, "--clause", "ghost-clause")
    assert code == 2 and "ghost-clause" in err
    code, _, err = _run("remediation", tmp_path / "missing.json")
    assert code == 2 and err.count("\n") == 1


def test_a_model_with_blocking_errors_is_exit_1_with_the_validate_document(herefordshire_doc, tmp_path):
    herefordshire_doc["flows"][0]["to"] = "nowhere"
    path = _write(tmp_path, herefordshire_doc)
    for argv in (["remediation", path, "--json"], ["sensitivity", path, "--json"],
                 ["solve", path, "--clause", "hereford", "--vary", "share", "--target", "party.mean <= 1", "--json"]):
        code, out, _ = _run(*argv)
        assert code == 1
        assert json.loads(out)["valid"] is False


def test_a_model_with_only_ig_errors_still_runs_and_exits_1(herefordshire_doc, tmp_path):
    del herefordshire_doc["flows"][16]["legal_basis"]["common_law"]
    path = _write(tmp_path, herefordshire_doc)
    code, out, _ = _run("remediation", path, "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["findings"]["errors"] >= 1 and doc["not_priced"]
    code, out, _ = _run("remediation", path)
    assert code == 1 and "not priced by the model" in out


def test_sensitivity_json_is_sorted_by_swing_and_says_how_it_was_computed(examples_dir):
    code, out, _ = _run("sensitivity", examples_dir / "herefordshire-phm.json", "--for", "m81003,m81004", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["method"] == "exact"
    swings = [r["swing"] for r in doc["assumptions"]]
    assert swings == sorted(swings, reverse=True)
    assert all(r["source"] for r in doc["assumptions"])
    code, out, _ = _run("sensitivity", examples_dir / "herefordshire-phm.json", "--for", "m81003",
                        "--metric", "partner.p99_9", "--years", "500")
    assert code == 0 and "simulated, 500 years" in out


def test_write_gives_a_model_with_the_solved_scenario_that_validates_and_drafts(examples_dir, tmp_path):
    out_model = tmp_path / "solved.json"
    code, out, err = _run("solve", examples_dir / "herefordshire-phm.json", "--clause", "hereford", "--vary", "share",
                          "--target", "partner.p99_9 <= 5000", "--for", PHM_ONLY, "--years", "20000",
                          "--write", out_model, "--json")
    assert code == 0, err
    value = json.loads(out)["value"]
    doc = json.loads(out_model.read_text(encoding="utf-8"))
    assert not [f for f in validate(doc) if f.severity.value == "error"]
    scenario = next(s for s in doc["scenarios"] if s["id"] == "solved-hereford")
    assert scenario["name"] == "Solved: ICB accepts PHM data risk (Herefordshire clause)"
    assert scenario["clauses"] == ["hereford"]
    assert next(c for c in doc["clauses"] if c["id"] == "hereford")["share"] == value
    code, out, err = _run("draft", out_model, "--out", tmp_path / "pack", "--years", "1000", "--format", "md",
                          "--scenario", "solved-hereford")
    assert code == 0, err
    schedule = (tmp_path / "pack" / "risk-sharing-schedule.md").read_text(encoding="utf-8")
    assert "Solved: ICB accepts PHM data risk" in schedule
