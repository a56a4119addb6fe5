"""`dsa assess` as cli.md specifies it: table or JSON, exit codes, refusal of invalid models."""

from __future__ import annotations

import io
import json

from dsa.cli import run


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_json_has_the_documented_shape_for_every_scenario_and_party(examples_dir):
    code, out, err = _run("assess", str(examples_dir / "minimal.json"), "--years", "2000", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["years"] == 2000 and doc["seed"] == 0 and doc["threshold_gbp"] == 100000
    assert list(doc["scenarios"]) == ["baseline", "indemnity"]
    entry = doc["scenarios"]["baseline"]["parties"]["m81001"]
    assert set(entry) >= {"mean", "p50", "p90", "p95", "p99", "max", "p_exceed", "net_mean", "components",
                          "p_any", "p99_5", "p99_9", "tvar99",
                          "net_p_any", "net_p99", "net_p99_5", "net_p99_9", "net_tvar99"}
    assert set(entry["components"]) == {"compensation", "response_costs", "fines"}
    assert set(doc["scenarios"]["baseline"]["partners"]["m81001"]) == {
        "partners", "mean_per_partner", "p99_per_partner", "joint_and_several_p99",
        "p_any", "p99_5_per_partner", "p99_9_per_partner", "tvar99_per_partner", "p_exceed_per_partner"}
    assert doc["partner_threshold_gbp"] == 10000
    assert set(doc["scenarios"]["baseline"]["total"]) == {"mean", "p99"}


def test_the_default_table_shows_parties_scenarios_partners_and_the_statement(examples_dir):
    code, out, _ = _run("assess", str(examples_dir / "herefordshire-phm.json"), "--years", "1000")
    assert code == 0
    assert "Riverside Surgery" in out and "herefordshire" in out
    assert "GP partners' personal exposure" in out
    assert "not legal advice" in out


def test_expected_mode_prints_exact_values(examples_dir):
    code, out, _ = _run("assess", str(examples_dir / "minimal.json"), "--expected", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["expected"] is True and "years" not in doc
    assert doc["scenarios"]["baseline"]["exact"] is True


def test_scenario_and_threshold_options_narrow_the_result(examples_dir):
    code, out, _ = _run("assess", str(examples_dir / "herefordshire-phm.json"), "--scenario", "herefordshire",
                        "--years", "500", "--threshold", "5000", "--json")
    doc = json.loads(out)
    assert code == 0 and list(doc["scenarios"]) == ["baseline", "herefordshire"]
    assert doc["threshold_gbp"] == 5000


def test_a_model_with_errors_is_not_assessed_and_exits_1_with_the_findings(minimal_doc, tmp_path):
    minimal_doc["flows"][0]["to"] = "nobody"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(minimal_doc))
    code, out, _ = _run("assess", str(path), "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["valid"] is False and any(f["rule"] == "REF001" for f in doc["findings"])


def test_an_unknown_scenario_or_bad_years_cannot_run_exit_2(examples_dir):
    code, out, err = _run("assess", str(examples_dir / "minimal.json"), "--scenario", "nope")
    assert code == 2 and out == "" and "unknown scenario" in err
    code, _, err = _run("assess", str(examples_dir / "minimal.json"), "--years", "0")
    assert code == 2 and "--years" in err
