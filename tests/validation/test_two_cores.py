"""`dsa validate --json` of a large model on two cores prints exactly what one core prints.

The command shares the work between two child processes only for models over `MIN_BYTES` (the national
ones); these tests lower the threshold so the ICB and example models take the same path, and compare the
bytes printed.
"""

from __future__ import annotations

import copy
import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsa.cli import run
from dsa.cli import validate_on_two_cores as two_cores

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import icb_model  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(two_cores.os, "fork"), reason="two cores need os.fork")

_FIRST_IMPORT = icb_model("first_import")
_GOVERNED = icb_model()


_VALIDATE = two_cores.validate
_TWO_CORE_ANSWERS: list = []  # what each two-core run answered: its error count, or None (checked on one core)


def _recording(*args):
    answer = _VALIDATE(*args)
    _TWO_CORE_ANSWERS.append(answer)
    return answer


def _validate(path: Path, *, cores: int, monkeypatch) -> tuple[int, str, str]:
    monkeypatch.setattr(two_cores, "MIN_BYTES", 0 if cores == 2 else 1 << 62)
    monkeypatch.setattr(two_cores.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    out, err = io.StringIO(), io.StringIO()
    code = run(["validate", str(path), "--json"], out, err)
    return code, out.getvalue(), err.getvalue()


def _same_on_two_cores(doc, tmp_path: Path, monkeypatch, *, split: bool = True) -> tuple[int, str]:
    """Validate ``doc`` on one core and on two; the same bytes, and (``split``) two cores really used."""
    path = tmp_path / "model.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    one = _validate(path, cores=1, monkeypatch=monkeypatch)
    monkeypatch.setattr(two_cores, "validate", _recording)
    _TWO_CORE_ANSWERS.clear()
    two = _validate(path, cores=2, monkeypatch=monkeypatch)
    assert two == one
    assert len(_TWO_CORE_ANSWERS) == 1 and (_TWO_CORE_ANSWERS[0] is not None) == split
    return one[0], one[1]


@pytest.mark.parametrize("doc", [_FIRST_IMPORT, _GOVERNED], ids=["first import", "governed"])
def test_an_icb_register_prints_the_same_bytes_on_two_cores_as_on_one(doc, tmp_path, monkeypatch):
    code, out = _same_on_two_cores(doc, tmp_path, monkeypatch)
    found = json.loads(out)
    assert code == 1 and found["findings"]
    # Both processes' flows are in it, and findings of the item rules before, among and after them.
    flows = {int(f["path"].split("/")[2]) for f in found["findings"] if f["path"].startswith("/flows/")}
    assert min(flows) < len(doc["flows"]) * two_cores.FIRST_SHARE <= max(flows)


def test_the_examples_print_the_same_bytes_on_two_cores(herefordshire_doc, minimal_doc, tmp_path, monkeypatch):
    for doc in (herefordshire_doc, minimal_doc):
        _same_on_two_cores(doc, tmp_path, monkeypatch)


def test_a_model_without_findings_or_flows_prints_the_same_bytes(minimal_doc, tmp_path, monkeypatch):
    minimal_doc["flows"] = []
    _same_on_two_cores(minimal_doc, tmp_path, monkeypatch)


@pytest.mark.parametrize("where", [0.1, 0.9], ids=["first child's flows", "second child's flows"])
def test_a_model_that_breaks_the_schema_is_checked_whole_and_prints_the_same(where, tmp_path, monkeypatch):
    doc = copy.deepcopy(_FIRST_IMPORT)
    doc["flows"][int(len(doc["flows"]) * where)]["purpose"] = "marketing"
    code, out = _same_on_two_cores(doc, tmp_path, monkeypatch, split=False)
    assert any(f["rule"] == "SCHEMA-enum" for f in json.loads(out)["findings"])


@pytest.mark.parametrize("where", [0.1, 0.9], ids=["first child's flows", "second child's flows"])
def test_an_integer_orjson_would_read_as_a_float_sends_the_model_to_one_core(where, tmp_path, monkeypatch):
    # Only the second child checks the text for such integers (the first skips it, 70 ms of a national
    # model's parse): finding one, it gives up, and one core reads the model exactly and checks it.
    doc = copy.deepcopy(_GOVERNED)
    doc["flows"][int(len(doc["flows"]) * where)]["data"]["records"] = 10 ** 20
    code, out = _same_on_two_cores(doc, tmp_path, monkeypatch, split=False)
    assert code == 1 and '"path": "/flows/' in out


@pytest.mark.parametrize("child", ["_first", "_second"])
def test_when_a_child_process_fails_the_command_checks_the_whole_model(child, tmp_path, monkeypatch):
    def failing(*args):
        raise RuntimeError("the child failed")

    monkeypatch.setattr(two_cores, child, failing)
    _same_on_two_cores(_GOVERNED, tmp_path, monkeypatch, split=False)


def test_a_file_that_is_not_json_is_refused_in_one_line_as_on_one_core(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    path.write_bytes(b'{"flows": [' + b"1, " * 1000 + b"}")
    code, out, err = _validate(path, cores=2, monkeypatch=monkeypatch)
    assert (code, out) == (2, "") and "not valid JSON" in err and err.count("\n") == 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(chosen=st.lists(st.integers(0, len(_FIRST_IMPORT["flows"]) - 1), min_size=0, max_size=40),
       model=st.sampled_from([_FIRST_IMPORT, _GOVERNED]))
def test_any_selection_of_flows_prints_the_same_bytes_on_two_cores(chosen, model, tmp_path_factory, monkeypatch):
    doc = dict(model, flows=[model["flows"][i] for i in chosen])
    _same_on_two_cores(doc, tmp_path_factory.mktemp("m"), monkeypatch)


_COMMAND = """
import os, sys
from dsa.cli import validate_on_two_cores as two_cores
two_cores.MIN_BYTES = 0 if sys.argv[2] == "two" else 1 << 62
two_cores.os.sched_getaffinity = lambda pid: {0, 1}
validate = two_cores.validate
def recording(*args):
    answer = validate(*args)
    os.write(2, f"two cores answered {answer}".encode())
    return answer
two_cores.validate = recording
from dsa.cli import main
sys.argv = ["dsa", "validate", sys.argv[1], "--json"]
main()
"""


def test_the_command_copies_the_childrens_findings_to_its_output_as_they_come(tmp_path):
    # A real output (a pipe), not a text stream: the children's texts are copied to it a piece at a time.
    import subprocess

    path = tmp_path / "model.json"
    path.write_text(json.dumps(_GOVERNED), encoding="utf-8")
    runs = {cores: subprocess.run([sys.executable, "-c", _COMMAND, str(path), cores], capture_output=True)
            for cores in ("one", "two")}
    assert runs["two"].stdout == runs["one"].stdout and runs["two"].returncode == runs["one"].returncode
    assert b"two cores answered None" not in runs["two"].stderr and b"two cores answered" in runs["two"].stderr
    assert json.loads(runs["two"].stdout)["warnings"] > 1000
    # Into a file too (the kernel moves the children's texts to a pipe or a file alike).
    with open(tmp_path / "out.json", "wb") as out:
        subprocess.run([sys.executable, "-c", _COMMAND, str(path), "two"], stdout=out, stderr=subprocess.DEVNULL)
    assert (tmp_path / "out.json").read_bytes() == runs["one"].stdout
