"""`dsa assess` of a large model counts its findings in a child process while it builds the model (two
cores), and prints exactly what checking it on one core prints.

The child process is used only for models over `MIN_BYTES` (the national ones); these tests lower the
threshold so the ICB model takes the same path, and compare the bytes printed and the exit code.
"""

from __future__ import annotations

import copy
import io
import json
import sys
from pathlib import Path

import pytest

from dsa.cli import run
from dsa.cli import validate_on_two_cores as two_cores

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import icb_model  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(two_cores.os, "fork"), reason="two cores need os.fork")

_GOVERNED = icb_model()
_FIRST_IMPORT = icb_model("first_import")
_COUNTS = two_cores.Counting.counts


def _assess(path: Path, cores: int, monkeypatch, *extra: str) -> tuple[int, str, str]:
    monkeypatch.setattr(two_cores, "MIN_BYTES", 0 if cores == 2 else 1 << 62)
    monkeypatch.setattr(two_cores.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    out, err = io.StringIO(), io.StringIO()
    code = run(["assess", str(path), "--years", "400", "--seed", "3", *extra], out, err)
    return code, out.getvalue(), err.getvalue()


def _same_on_two_cores(doc, tmp_path: Path, monkeypatch, *extra: str) -> tuple[tuple[int, str, str], list]:
    """Assess ``doc`` on one core and on two: the same exit code and output; and what the child counted
    (None: it stopped early)."""
    path = tmp_path / "model.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    one = _assess(path, 1, monkeypatch, *extra)
    counted: list = []

    def recording(self):
        counted.append(_COUNTS(self))
        return counted[-1]

    monkeypatch.setattr(two_cores.Counting, "counts", recording)
    two = _assess(path, 2, monkeypatch, *extra)
    assert two == one
    return one, counted


@pytest.mark.parametrize("doc", [_GOVERNED, _FIRST_IMPORT], ids=["governed", "first import"])
def test_a_large_register_is_assessed_with_the_same_figures_and_counts_as_on_one_core(doc, tmp_path, monkeypatch):
    (code, out, err), counted = _same_on_two_cores(doc, tmp_path, monkeypatch, "--json")
    found = json.loads(out)["findings"]
    assert counted == [(found["errors"], found["warnings"], 0)]  # the child's counts were the ones printed
    assert found["warnings"] > 0 and code == (1 if found["errors"] else 0)
    assert ("information-governance error" in err) == bool(found["errors"])


def test_the_table_is_the_same_too(tmp_path, monkeypatch):
    (code, out, _), counted = _same_on_two_cores(_GOVERNED, tmp_path, monkeypatch)
    assert len(counted) == 1 and "GP partners' personal exposure" in out


def test_a_reference_error_stops_the_assessment_as_on_one_core(tmp_path, monkeypatch):
    doc = copy.deepcopy(_GOVERNED)
    doc["flows"][len(doc["flows"]) // 2]["to"] = "no-such-party"
    for extra in (("--json",), ()):
        (code, out, _), counted = _same_on_two_cores(doc, tmp_path, monkeypatch, *extra)
        assert code == 1 and "REF001" in out and "simulated" not in out
        assert len(counted) == 1 and counted[0][2] >= 1  # the child found it; one core then reported it


def test_a_model_that_breaks_the_schema_is_checked_on_one_core_and_not_assessed(tmp_path, monkeypatch):
    doc = copy.deepcopy(_FIRST_IMPORT)
    doc["flows"][3]["purpose"] = "marketing"
    (code, out, _), counted = _same_on_two_cores(doc, tmp_path, monkeypatch, "--json")
    assert code == 1 and json.loads(out)["valid"] is False
    assert counted == []  # the schema's verdict came first: the counts were never waited for


@pytest.mark.parametrize("fails", ["before the schema's verdict", "after it"])
def test_when_the_child_process_fails_the_model_is_checked_on_one_core(fails, tmp_path, monkeypatch):
    if fails == "after it":
        monkeypatch.setattr(two_cores.parts, "item_findings", _failing)
        counted_then = [None]  # the counts were waited for, and never came
    else:
        monkeypatch.setattr(two_cores, "is_schema_valid", _failing)
        counted_then = []  # no verdict: the counts were never waited for
    (code, out, _), counted = _same_on_two_cores(_GOVERNED, tmp_path, monkeypatch, "--json")
    assert json.loads(out)["scenarios"]
    assert counted == counted_then


def _failing(*args, **kwargs):
    raise RuntimeError("the child failed")


def test_a_file_that_is_not_json_is_refused_in_one_line(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    path.write_bytes(b'{"flows": [' + b"1, " * 1000 + b"}")
    code, out, err = _assess(path, 2, monkeypatch, "--json")
    assert (code, out) == (2, "") and "not valid JSON" in err and err.count("\n") == 1


def test_a_reports_count_of_blocking_errors_is_that_of_its_findings():
    from dsa.findings import blocking
    from dsa.validation import check

    with_reference_errors = copy.deepcopy(_GOVERNED)
    with_reference_errors["flows"][0]["to"] = "no-such-party"
    with_reference_errors["flows"][1]["to"] = with_reference_errors["flows"][1]["from"]
    broken_schema = copy.deepcopy(_FIRST_IMPORT)
    broken_schema["flows"][2]["purpose"] = "marketing"
    counts = []
    for doc in (_GOVERNED, _FIRST_IMPORT, with_reference_errors, broken_schema):
        report = check(doc)
        counts.append(report.count_blocking())
        assert counts[-1] == len(blocking(report.findings()))
    assert counts[0] == counts[1] == 0 and counts[2] >= 2 and counts[3] >= 1

