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


def _write(tmp_path, doc, name="model.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return str(path)


def _with_ig_errors_only(doc):
    for f in doc["flows"]:
        f["legal_basis"].pop("article_9", None)  # IG004: special category data without an Article 9 condition
    return doc


def test_a_model_with_only_ig_errors_is_assessed_and_exits_1_saying_how_many_remain(minimal_doc, tmp_path):
    path = _write(tmp_path, _with_ig_errors_only(minimal_doc))
    code, out, err = _run("assess", path, "--years", "500", "--json")
    assert code == 1
    doc = json.loads(out)
    assert list(doc["scenarios"]) == ["baseline", "indemnity"]
    assert doc["findings"]["errors"] >= 1 and "warnings" in doc["findings"]
    assert f"{doc['findings']['errors']} information-governance error" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_the_table_of_a_model_with_only_ig_errors_is_written_before_the_count(minimal_doc, tmp_path):
    path = _write(tmp_path, _with_ig_errors_only(minimal_doc))
    code, out, err = _run("assess", path, "--years", "300")
    assert code == 1
    assert "Riverside Surgery" in out and "not legal advice" in out
    assert "information-governance error" in err


def test_a_clean_model_reports_no_errors_in_its_json_findings(examples_dir):
    code, out, _ = _run("assess", str(examples_dir / "minimal.json"), "--years", "300", "--json")
    assert code == 0
    assert json.loads(out)["findings"] == {"errors": 0, "warnings": json.loads(out)["findings"]["warnings"]}


def test_a_model_with_a_reference_error_and_ig_errors_is_still_refused(minimal_doc, tmp_path):
    doc = _with_ig_errors_only(minimal_doc)
    doc["flows"][0]["to"] = "nobody"
    code, out, _ = _run("assess", _write(tmp_path, doc), "--json")
    assert code == 1
    assert "scenarios" not in json.loads(out)


def test_a_rate_over_the_simulation_budget_is_refused_at_once_naming_the_flow_and_the_years_that_fit(
        minimal_doc, tmp_path):
    # The schema's largest rate on both flows: 2,000 incidents a year, 400 million in 200,000 years.
    for flow in minimal_doc["flows"]:
        flow["risk"] = {"annual_incident_rate": 1_000}
    code, out, err = _run("assess", _write(tmp_path, minimal_doc), "--years", "200000", "--json")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert minimal_doc["flows"][1]["name"] in err
    assert "years would fit" in err


def test_progress_is_quiet_for_short_runs_and_one_line_per_quarter_off_a_terminal():
    from dsa.cli.common import progress_reporter

    quiet = io.StringIO()
    report = progress_reporter(quiet, after=3600)
    for k in range(1, 5):
        report(k / 4)
    assert quiet.getvalue() == ""
    shown = io.StringIO()
    report = progress_reporter(shown, after=0)
    for k in range(1, 9):
        report(k / 8)
    assert shown.getvalue().splitlines() == ["simulating… 25%", "simulating… 50%", "simulating… 75%",
                                             "simulating… 100%"]


def test_an_unreachable_cluster_cannot_run_exit_2_with_one_line(examples_dir, monkeypatch):
    monkeypatch.setenv("DSA_DASK_SCHEDULER", "tcp://127.0.0.1:9")
    code, out, err = _run("assess", str(examples_dir / "minimal.json"), "--years", "100", "--json")
    assert code == 2 and out == ""
    assert "Dask scheduler" in err and err.count("\n") == 1


def test_progress_on_a_terminal_is_one_updating_line_ended_when_done():
    from dsa.cli.common import progress_reporter

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    shown = Terminal()
    report = progress_reporter(shown, after=0)
    for k in range(1, 5):
        report(k / 4)
    assert shown.getvalue() == "\rsimulating…  25%\rsimulating…  50%\rsimulating…  75%\rsimulating… 100%\n"


def test_the_json_printed_is_the_assessments_own_document_number_for_number(examples_dir):
    from dsa.liability import SimulationConfig, assess
    from dsa.loading import load_document
    from dsa.model import Model

    path = examples_dir / "herefordshire-phm.json"
    code, out, _ = _run("assess", str(path), "--years", "3000", "--seed", "4", "--json")
    printed = json.loads(out)
    del printed["findings"]
    model = Model.from_document(load_document(str(path)))
    assert printed == assess(model, config=SimulationConfig(years=3000, seed=4)).to_json()


def test_json_goes_to_a_consoles_bytes_after_any_text_already_written_and_to_a_string_stream_as_text():
    from dsa.cli.common import write_json

    document = {"name": "Ysbyty Gwynedd — Bangor", "figures": [0.1, 1e16, 2.5e-7, 12345.0], "none": None}
    console = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    console.write("before\n")
    write_json(console, document)
    text = io.StringIO()
    write_json(text, document)
    console.flush()
    written = console.buffer.getvalue().decode("utf-8")
    assert written == "before\n" + text.getvalue()
    assert text.getvalue().endswith("}\n") and "Ysbyty Gwynedd — Bangor" in text.getvalue()
    assert json.loads(text.getvalue()) == document


def test_json_refuses_nan_and_infinity_wherever_they_are_as_the_standard_library_does():
    import pytest

    from dsa.cli.common import json_bytes

    for bad in ({"a": float("nan")}, {"a": [1.0, {"b": float("-inf")}]}, [float("inf")]):
        with pytest.raises(ValueError):
            json.dumps(bad, allow_nan=False)
        with pytest.raises(ValueError):
            json_bytes(bad)
    assert json.loads(json_bytes({"word": "null", "value": None})) == {"word": "null", "value": None}


def test_what_orjson_refuses_is_written_as_the_standard_library_writes_it():
    import numpy as np

    from dsa.cli.common import json_bytes

    for document in ({"seed": 2**70}, {1: "one"}, {"mean": np.float64(2.5)}, {"é": ["ü", 3]}):
        expected = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        assert json_bytes(document).decode("utf-8") == expected


def test_the_cycle_collector_is_paused_while_a_model_is_built_and_left_as_it_was():
    import gc

    from dsa.collector import long_lived_objects

    assert gc.isenabled()
    with long_lived_objects() as built:
        assert not gc.isenabled()
        built()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with long_lived_objects() as built:
            built()
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_simulating_command_lets_glibc_keep_freed_memory_unless_the_environment_says(monkeypatch):
    from dsa.cli import common

    calls = []

    class Libc:
        def mallopt(self, parameter, value):
            calls.append((parameter, value))
            return 1

    monkeypatch.setattr(common.ctypes, "CDLL", lambda name: Libc())
    monkeypatch.setattr(common.sys, "platform", "linux")
    for name in common._MALLOC_ENV:
        monkeypatch.delenv(name, raising=False)
    common.keep_freed_memory()
    assert dict(calls) == common._FREED_MEMORY  # M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD
    calls.clear()
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "131072")  # the user's own choice is left alone
    common.keep_freed_memory()
    assert calls == []


def test_the_model_and_results_are_held_to_the_end_only_when_the_process_then_ends_at_once(examples_dir,
                                                                                           monkeypatch):
    # `dsa assess` as a command ends its process at once after printing (dsa.cli.main), so what it made is
    # left for the exit to take back; run in a process that goes on (tests, the dashboard), nothing is kept.
    from dsa.cli import common
    from dsa.model import Model

    monkeypatch.setattr(common, "_held", [])
    model = str(examples_dir / "herefordshire-phm.json")
    assert _run("assess", model, "--years", "200", "--json")[0] == 0
    assert common._held == []
    monkeypatch.setattr(common, "_ending_at_once", True)
    assert _run("assess", model, "--years", "200", "--json")[0] == 0
    assert [type(x) for x in common._held] == [Model, dict]
