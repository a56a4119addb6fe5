"""The command-line shell: exit codes and messages shared by every command (cli.md)."""

from __future__ import annotations

import io
import subprocess
import sys

from dsa.cli import run


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_no_command_is_a_usage_error_with_exit_2():
    code, out, err = _run()
    assert code == 2
    assert out == ""
    assert "dsa" in err and "\n" == err[-1] and err.count("\n") == 1


def test_an_unknown_command_is_a_usage_error_with_exit_2():
    code, out, err = _run("frobnicate")
    assert code == 2
    assert "invalid choice" in err
    assert "Traceback" not in err


def test_an_unknown_option_is_a_usage_error_with_exit_2():
    code, _, err = _run("validate", "x.json", "--no-such-option")
    assert code == 2
    assert "unrecognized arguments" in err


def test_help_exits_0():
    assert _run("--help")[0] == 0


def test_a_missing_model_file_is_one_line_on_stderr_and_exit_2(tmp_path):
    code, out, err = _run("validate", str(tmp_path / "absent.json"))
    assert code == 2
    assert out == ""
    assert err.startswith("dsa validate: ") and err.count("\n") == 1
    assert "no such file" in err


def test_a_folder_given_as_model_is_refused_clearly(tmp_path):
    code, _, err = _run("validate", str(tmp_path))
    assert code == 2
    assert "folder" in err


def test_the_module_entry_point_runs_and_never_prints_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\xff\xfe not utf-8")
    proc = subprocess.run([sys.executable, "-m", "dsa", "validate", str(bad)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "UTF-8" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
