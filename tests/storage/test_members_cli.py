"""``dsa members add|list|remove`` and the store commands' sign-off wording, through dsa.cli.run."""

from __future__ import annotations

import json

from tests.storage.test_store_cli import _run, database, model_file  # noqa: F401 - fixtures


def test_the_operator_adds_lists_and_removes_members(model_file):  # noqa: F811
    _run("save", model_file, "--name", "m")
    code, out, err = _run("members", "add", "m", "--email", "Carol@NHS.net", "--party", "m81001", "--role", "signer")
    assert (code, err) == (0, "") and out == "carol@nhs.net is now signer for m81001 in 'm'\n"
    _run("members", "add", "m", "--email", "alice@nhs.net", "--party", "icb", "--role", "admin", "--actor", "Op")
    code, out, _ = _run("members", "list", "m")
    assert code == 0
    assert out.splitlines() == ["alice@nhs.net  admin for icb  (added by Op)",
                                "carol@nhs.net  signer for m81001  (added by tester)"]
    code, out, _ = _run("members", "list", "m", "--json")
    doc = json.loads(out)
    assert [(m["email"], m["party"], m["role"]) for m in doc["members"]] == [
        ("alice@nhs.net", "icb", "admin"), ("carol@nhs.net", "m81001", "signer")]
    assert _run("members", "remove", "m", "--email", "carol@nhs.net", "--party", "m81001")[0] == 0
    code, out, _ = _run("history", "m", "--json")
    assert code == 0
    code, out, _ = _run("members", "list", "m")
    assert out == "alice@nhs.net  admin for icb  (added by Op)\n"


def test_members_commands_refuse_bad_input_with_one_line_and_exit_2(model_file):  # noqa: F811
    _run("save", model_file, "--name", "m")
    code, out, err = _run("members", "add", "m", "--email", "carol", "--party", "icb", "--role", "signer")
    assert (code, out) == (2, "") and err == "dsa members: 'carol' is not an email address\n"
    code, _, err = _run("members", "add", "m", "--email", "c@nhs.net", "--party", "nobody", "--role", "signer")
    assert code == 2 and "its parties are: icb, csu, m81001" in err
    code, _, err = _run("members", "add", "m", "--email", "c@nhs.net", "--party", "icb", "--role", "owner")
    assert code == 2 and "invalid choice" in err and len(err.splitlines()) == 1
    code, _, err = _run("members", "remove", "m", "--email", "c@nhs.net", "--party", "icb")
    assert code == 2 and "has no role for 'icb'" in err


def test_a_change_of_members_needs_a_name_never_unknown(model_file, monkeypatch):  # noqa: F811
    _run("save", model_file, "--name", "m")
    monkeypatch.delenv("USER")
    monkeypatch.delenv("USERNAME", raising=False)
    code, _, err = _run("members", "add", "m", "--email", "c@nhs.net", "--party", "icb", "--role", "viewer")
    assert code == 2 and "--actor" in err
    code, _, err = _run("save", model_file, "--name", "m")
    assert code == 2 and "--author" in err


def test_history_tells_a_review_from_an_approval(model_file):  # noqa: F811
    _run("save", model_file, "--name", "m")
    code, out, _ = _run("signoff", "m", "--version", "1", "--party", "csu", "--role", "Legal reviewer",
                        "--signer", "Lee Law", "--note", "clause 7")
    assert code == 0 and "a review, not the party's approval" in out
    assert "still to sign off version 1: icb, csu, m81001" in out
    _, out, _ = _run("history", "m")
    assert "reviewed (not an approval): csu by Lee Law (Legal reviewer)" in out and "clause 7" in out
    _, out, _ = _run("history", "m", "--json")
    assert json.loads(out)["versions"][0]["signoffs"][0]["kind"] == "review"
