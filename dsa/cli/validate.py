"""``dsa validate MODEL [--json]``."""

from __future__ import annotations

import argparse
from typing import TextIO

from ..findings import has_errors
from .common import load_and_validate, validation_document, write_findings, write_json

NAME = "validate"
HELP = "check a model against the schema, references and information-governance rules"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="the model file (JSON)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    _, findings = load_and_validate(args.model)
    if args.json:
        write_json(stdout, validation_document(findings))
    else:
        write_findings(stdout, findings)
    return 1 if has_errors(findings) else 0
