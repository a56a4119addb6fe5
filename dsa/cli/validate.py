"""``dsa validate MODEL [--json]``."""

from __future__ import annotations

import argparse
from typing import TextIO

import orjson

from ..collector import collector_paused
from ..findings import Severity
from ..loading import read_model_file
from ..settings import ValidationSettings
from ..validation import Report, check
from . import validate_on_two_cores as two_cores
from .common import roomy_pipe, write_bytes, write_findings

NAME = "validate"
HELP = "check a model against the schema, references and information-governance rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="the model file (JSON)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def json_bytes(report: Report) -> bytes:
    """The ``validate --json`` document (cli.md), encoded by orjson straight from the report's rows."""
    errors = report.count(Severity.ERROR)
    document = {"valid": errors == 0, "errors": errors, "warnings": report.count(Severity.WARNING),
                "findings": report.dicts()}
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    with collector_paused():  # a national model is millions of objects, none in a cycle
        text = read_model_file(args.model)
        if args.json and two_cores.worthwhile(text):
            roomy_pipe(stdout)  # a large model's document is tens of megabytes
            errors = two_cores.validate(text, ValidationSettings(), stdout)
            if errors is not None:
                return 1 if errors else 0
        report = check(text.parse())
        if args.json:
            write_bytes(stdout, json_bytes(report))
        else:
            write_findings(stdout, report.findings())
        return 1 if report.count(Severity.ERROR) else 0
