"""`dsa compare` as arrangements.md §2 specifies it: files and saved versions, text and JSON, exit codes."""

from __future__ import annotations

import io
import json

import pytest

from dsa.canonical import model_version, version_label
from dsa.cli import run

from .conftest import VEHICLES, care_flow, model_doc

YEARS = ("--years", "3000")


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in argv], out, err)
    return code, out.getvalue(), err.getvalue()


def _write(path, doc):
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.fixture
def files():
    return [VEHICLES / f"{n}.json" for n in ("primary-care-led", "trust-led", "joint-venture")]


def test_json_lists_each_model_and_each_partys_figures_keyed_by_model_label(files):
    code, out, err = _run("compare", *files, *YEARS, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [m["label"] for m in doc["models"]] == ["primary-care-led.json", "trust-led.json", "joint-venture.json"]
    for m, path in zip(doc["models"], files):
        assert m["scenario"] == "baseline"
        assert m["version"] == model_version(json.loads(path.read_text(encoding="utf-8")))
        assert m["total"]["mean"] > 0 and 0 < m["largest_share"]["share"] <= 1
    trust = doc["parties"]["trust"]
    assert set(trust) == {"primary-care-led.json", "trust-led.json", "joint-venture.json"}
    assert set(trust["trust-led.json"]) >= {"mean", "p99_9", "tvar99"}
    # The joint-venture company exists only in the joint venture: absent elsewhere, not zero.
    assert set(doc["parties"]["jv"]) == {"joint-venture.json"}
    # A dental partnership's partners are personally exposed, so per-partner figures are compared.
    assert set(doc["parties"]["v018224"]["trust-led.json"]) >= {"partners", "mean_per_partner", "p99_9_per_partner"}
    assert doc["years"] == 3000 and doc["seed"] == 0


def test_the_text_shows_names_pounds_dashes_for_absent_parties_and_who_carries_most(files):
    code, out, err = _run("compare", *files, *YEARS)
    assert code == 0, err
    assert "Vale Neighbourhood Health Partnership Ltd" in out  # names, not ids
    jv_line = next(line for line in out.splitlines() if line.startswith("Vale Neighbourhood Health Partnership"))
    assert jv_line.split()[-3:-1] == ["—", "—"]
    assert "£" in out and "£-" not in out
    assert "Market Street Dental Partnership (3)" in out
    assert "the largest share" in out and "not legal advice" in out
    assert "v018224" not in out


def test_a_scenario_can_be_named_for_one_model(examples_dir, tmp_path):
    here = examples_dir / "herefordshire-phm.json"
    copy = _write(tmp_path / "copy.json", json.loads(here.read_text(encoding="utf-8")))
    code, out, err = _run("compare", here, copy, "--scenario", f"{copy}=herefordshire", *YEARS, "--json")
    assert code == 0, err
    models = json.loads(out)["models"]
    assert [m["scenario"] for m in models] == ["baseline", "herefordshire"]


def test_two_files_with_the_same_name_are_told_apart_by_their_paths(files, tmp_path):
    (tmp_path / "a").mkdir()
    other = _write(tmp_path / "a" / "trust-led.json", json.loads(files[1].read_text(encoding="utf-8")))
    code, out, err = _run("compare", files[1], other, *YEARS, "--json")
    assert code == 0, err
    labels = [m["label"] for m in json.loads(out)["models"]]
    assert labels == [str(files[1]), str(other)]


def test_the_same_file_twice_gives_two_identical_columns(files):
    code, out, err = _run("compare", files[0], files[0], *YEARS, "--json")
    assert code == 0, err
    doc = json.loads(out)
    a, b = (m["label"] for m in doc["models"])
    assert (a, b) == ("primary-care-led.json", "primary-care-led.json (2)")
    for stats in doc["parties"].values():
        assert stats[a] == stats[b]


def test_saved_versions_are_compared_under_their_version_labels(files, tmp_path, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    for path in files[:2]:
        assert _run("save", path, "--name", "Vale INT", "--author", "tester")[0] == 0
    code, out, err = _run("compare", "--saved", "Vale INT:1", "Vale INT:2", *YEARS, "--json")
    assert code == 0, err
    labels = [m["label"] for m in json.loads(out)["models"]]
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in files[:2]]
    assert labels == [version_label("Vale INT", n, model_version(d)) for n, d in ((1, docs[0]), (2, docs[1]))]


def test_files_and_saved_versions_mix(files, tmp_path, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    assert _run("save", files[2], "--name", "JV", "--author", "tester")[0] == 0
    code, out, err = _run("compare", files[0], "--saved", "JV:1", *YEARS)
    assert code == 0, err
    assert "v1 of 'JV'" in out


# ------------------------------------------------------------------ exit codes


def test_exit_2_when_a_file_cannot_be_read(files, tmp_path):
    code, out, err = _run("compare", files[0], tmp_path / "missing.json")
    assert code == 2 and out == "" and "missing.json" in err and "Traceback" not in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, _, err = _run("compare", files[0], broken)
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_exit_2_when_a_saved_version_does_not_exist(files, tmp_path, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    code, _, err = _run("compare", files[0], "--saved", "Nothing:1")
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("argv, says", [
    (["--saved", "no-version"], "NAME:VERSION"),
    (["--scenario", "other.json=x"], "not one of the compared models"),
    (["--scenario", "nonsense"], "MODEL=ID"),
    (["--years", "0"], "--years"),
])
def test_exit_2_for_bad_arguments_with_one_line_saying_which(files, argv, says):
    code, out, err = _run("compare", *files[:2], *argv)
    assert code == 2 and out == "" and says in err and err.count("\n") == 1


def test_exit_2_for_fewer_than_two_models(files):
    code, _, err = _run("compare", files[0])
    assert code == 2 and "at least two" in err


def test_exit_2_for_an_unknown_scenario_naming_the_model(files):
    code, _, err = _run("compare", *files[:2], "--scenario", f"{files[1]}=nope", *YEARS)
    assert code == 2 and "trust-led.json has no scenario 'nope'" in err


def test_exit_1_naming_a_model_with_blocking_errors_and_nothing_compared(files, tmp_path):
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    doc["flows"][0]["to"] = "nobody"  # a reference error blocks assessing
    bad = _write(tmp_path / "bad.json", doc)
    code, out, err = _run("compare", files[1], bad, *YEARS)
    assert code == 1 and "bad.json" in err and "bad.json has errors" in out and "REF" in out
    code, out, _ = _run("compare", files[1], bad, *YEARS, "--json")
    assert code == 1 and list(json.loads(out)["blocked"]) == ["bad.json"]


def test_a_model_with_only_governance_errors_is_compared_and_exits_1_saying_so(files, tmp_path):
    doc = json.loads(files[0].read_text(encoding="utf-8"))
    del doc["flows"][0]["legal_basis"]["article_6"]  # IG002: informs, does not block
    ig = _write(tmp_path / "ig.json", doc)
    code, out, _ = _run("compare", files[1], ig, *YEARS)
    assert code == 1 and "Who carries the most" in out and "ig.json still has 1 information-governance error" in out
    code, out, _ = _run("compare", files[1], ig, *YEARS, "--json")
    assert code == 1 and json.loads(out)["findings"]["ig.json"]["errors"] == 1


def test_the_command_is_listed_in_help():
    from dsa.cli import build_parser

    assert "compare" in build_parser().format_help()


def test_parties_matched_by_ods_code_across_files_share_one_row(tmp_path):
    trust = {"id": "trust", "name": "Vale Trust", "type": "nhs_trust", "ods_code": "RYV", "legal_form": "nhs_body",
             "dspt_status": "standards_met"}
    practice = {"id": "c84101", "name": "Millbrook Surgery", "type": "gp_practice", "ods_code": "C84101",
                "legal_form": "partnership", "partners": 4, "dspt_status": "standards_met"}
    a = _write(tmp_path / "a.json", model_doc([trust, practice], [care_flow("f", "c84101", "trust")]))
    renamed = {**trust, "id": "ryv"}
    b = _write(tmp_path / "b.json", model_doc([renamed, practice], [care_flow("f", "c84101", "ryv")]))
    code, out, err = _run("compare", a, b, *YEARS, "--json")
    assert code == 0, err
    parties = json.loads(out)["parties"]
    assert set(parties) == {"trust", "c84101"}
    assert parties["trust"]["b.json"]["party"] == "ryv"


def test_one_file_is_compared_with_itself_under_a_scenario_each_scenario_taking_the_next_occurrence(files):
    code, out, err = _run("compare", files[0], files[0], "--scenario", f"{files[0]}=shared-record", *YEARS, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [m["scenario"] for m in doc["models"]] == ["shared-record", "baseline"]
    a, b = (m["label"] for m in doc["models"])
    # Pooling the record's losses moves some of them from the federation to the trust.
    assert doc["parties"]["trust"][a]["mean"] > doc["parties"]["trust"][b]["mean"]
    code, _, err = _run("compare", files[0], files[1], "--scenario", f"{files[0]}=shared-record",
                        "--scenario", f"{files[0]}=baseline", *YEARS)
    assert code == 2 and "fewer times" in err
