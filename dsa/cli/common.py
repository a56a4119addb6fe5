"""What several commands share: reading a model, printing findings and JSON."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..findings import Finding, Severity, count
from ..loading import load_document
from ..validation import validate


def load_and_validate(path: str) -> tuple[dict, list[Finding]]:
    """The document at ``path`` and its findings; InputError when it cannot be read."""
    doc = load_document(path)
    return doc, validate(doc)


def validation_document(findings: list[Finding]) -> dict:
    """The ``validate --json`` document (cli.md)."""
    errors = count(findings, Severity.ERROR)
    return {
        "valid": errors == 0,
        "errors": errors,
        "warnings": count(findings, Severity.WARNING),
        "findings": [f.to_dict() for f in findings],
    }


def write_json(stream: TextIO, document: Any) -> None:
    json.dump(document, stream, indent=2, ensure_ascii=False, allow_nan=False)
    stream.write("\n")


def write_findings(stream: TextIO, findings: list[Finding]) -> None:
    """Findings as readable text, one block each, then a count line."""
    for f in findings:
        stream.write(f"{f.severity.value.upper():7} {f.rule:9} {f.pointer or '/'}\n")
        stream.write(f"        {f.message}\n")
        stream.write(f"        Fix: {f.fix}\n")
    errors, warnings, infos = (count(findings, s) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
    stream.write(f"{errors} error(s), {warnings} warning(s), {infos} note(s)\n")


def simulation_args_ok(args, command: str, stderr: TextIO) -> bool:
    """``--years`` and ``--seed`` in range; otherwise says which is not (the caller exits 2)."""
    if args.years < 1:
        stderr.write(f"dsa {command}: --years must be at least 1\n")
        return False
    if args.seed < 0:
        stderr.write(f"dsa {command}: --seed must be 0 or more\n")
        return False
    return True
