"""The hardening invariant (issue #16): whatever `validate` accepts, every command handles.

Documents come from the project's own JSON Schema (tests/fuzz/schema_strategies.py),
made coherent so most pass validation, and from mutations of the bundled examples.
`validate` never raises and never hangs on any of them; for every document whose
only findings (if any) are governance (IG) rules, `assess`, `draft`, `export`
(xlsx and csv) and `save` never raise and exit 0 or 1 — never 2, never a traceback.

`DSA_FUZZ_EXAMPLES=2000 pytest tests/fuzz` is the nightly-style run.
"""

from __future__ import annotations

import io
import json
import os
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import Phase, assume, given, note, settings
from jsonschema import Draft202012Validator

from dsa.cli import run
from dsa.findings import blocking
from dsa.validation import validate
from dsa.validation.schema import SCHEMA_PATH

from .conftest import EXAMPLES
from .documents import coherent_documents, mutated_examples, schema_documents

HANG_SECONDS = 120  # far beyond any command on these small models: past it, the command hangs


@contextmanager
def no_hang(what: str):
    """Fail (rather than wait for ever) when ``what`` runs past HANG_SECONDS."""
    def _hung(*_):
        raise AssertionError(f"{what} did not finish within {HANG_SECONDS} s: it hangs")
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with no_hang(f"dsa {argv[0]}"):
        code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def assert_handled(command: str, code: int, err: str) -> None:
    assert "Traceback" not in err, err
    assert "bug in dsa" not in err, err
    assert code in (0, 1), f"dsa {command} exited {code}: {err}"


def write(doc: dict, folder: Path) -> Path:
    path = folder / "model.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    return path


def check_validate(doc: dict, folder: Path) -> dict:
    code, out, err = cli("validate", str(write(doc, folder)), "--json")
    assert_handled("validate", code, err)
    return json.loads(out)


def test_the_schema_strategies_draw_only_documents_the_schema_accepts():
    checker = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))

    @settings(max_examples=max(20, EXAMPLES // 4), parent=settings.get_profile("fuzz"))
    @given(schema_documents())
    def drawn(doc):
        assert not list(checker.iter_errors(doc))

    drawn()


@settings(max_examples=EXAMPLES, parent=settings.get_profile("fuzz"))
@given(schema_documents())
def test_validate_answers_every_schema_document(doc):
    with tempfile.TemporaryDirectory() as tmp:
        check_validate(doc, Path(tmp))


@settings(max_examples=EXAMPLES, parent=settings.get_profile("fuzz"))
@given(mutated_examples())
def test_validate_answers_every_mutated_example(doc):
    with tempfile.TemporaryDirectory() as tmp:
        check_validate(doc, Path(tmp))


def every_command(doc: dict) -> None:
    """assess, draft, export xlsx and csv, save: each exits 0 or 1 with no traceback."""
    findings = validate(doc)
    assume(not blocking(findings))  # IG findings may remain: the commands run on those too
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        model = str(write(doc, folder))
        steps = {
            "assess": ("assess", model, "--years", "40", "--json"),
            "draft": ("draft", model, "--out", str(folder / "pack"), "--years", "40"),
            "export xlsx": ("export", model, "--format", "xlsx", "--out", str(folder / "m.xlsx")),
            "export csv": ("export", model, "--format", "csv", "--out", str(folder / "csv")),
            "save": ("save", model, "--name", "fuzz", "--author", "fuzz"),
        }
        old = os.environ.get("DSA_DATABASE_URL")
        os.environ["DSA_DATABASE_URL"] = f"sqlite:///{folder / 'store.sqlite3'}"
        try:
            for name, argv in steps.items():
                code, out, err = cli(*argv)
                note(f"{name}: exit {code} {err.strip()}")
                assert_handled(name, code, err)
        finally:
            if old is None:
                os.environ.pop("DSA_DATABASE_URL", None)
            else:
                os.environ["DSA_DATABASE_URL"] = old
        # What was exported comes back as the model (text a cell cannot hold travels in the extra column).
        code, _, err = cli("import", str(folder / "m.xlsx"), "--out", str(folder / "back.json"))
        assert_handled("import", code, err)
        assert json.loads((folder / "back.json").read_text(encoding="utf-8")) == json.loads(
            json.dumps(doc)), "the xlsx export does not import as the same model"


# Each example runs six commands, so shrinking a failure would take many minutes: the failing document is
# reported as drawn (note() records each command's exit code and message).
COMMANDS = settings(max_examples=max(10, EXAMPLES // 4), parent=settings.get_profile("fuzz"),
                    phases=(Phase.explicit, Phase.reuse, Phase.generate))


@COMMANDS
@given(coherent_documents())
def test_every_command_handles_every_schema_document_validate_accepts(doc):
    every_command(doc)


@COMMANDS
@given(mutated_examples())
def test_every_command_handles_every_mutated_example_validate_accepts(doc):
    every_command(doc)


def test_a_model_with_no_flows_is_drafted(minimal_doc, tmp_path):
    minimal_doc["flows"] = []
    for key in ("clauses", "scenarios"):
        minimal_doc.pop(key, None)
    assert not blocking(validate(minimal_doc))
    code, _, err = cli("draft", str(write(minimal_doc, tmp_path)), "--out", str(tmp_path / "pack"), "--years", "20")
    assert_handled("draft", code, err)
