"""``dsa import REGISTER --out MODEL.json [--base MODEL.json]`` and
``dsa export MODEL --format csv|xlsx|json --out PATH [--assess] [--years N] [--seed S]``.

Exit codes follow cli.md: 0 fine; 1 the register has problems (each printed
as ``row 7, column legal_basis.article_6: …``), or the model has validation
errors; 2 the command could not run. An imported model with validation errors
is still written, so the user can fix it in the JSON or the spreadsheet.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from ..errors import ImportProblemsError
from ..findings import has_errors
from ..loading import load_document
from ..validation import validate
from .common import load_and_validate, simulation_args_ok, write_findings

EXPORT_FORMATS = ("csv", "xlsx", "json")


class ImportCommand:
    NAME = "import"
    HELP = "turn a data-flow register (CSV or XLSX, one row per flow) into a model file"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("register", metavar="REGISTER", help="the register: .csv, .xlsx, or a folder of CSV "
                            "files written by dsa export")
        parser.add_argument("--out", required=True, metavar="MODEL.json", help="the model file to write")
        parser.add_argument("--base", metavar="MODEL.json", help="take partnership, parties, clauses and "
                            "scenarios from this model where the register has no sheet for them")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        from ..tabular import import_register, json_text

        base = load_document(args.base) if args.base else None
        try:
            doc = import_register(args.register, base=base)
        except ImportProblemsError as exc:
            for problem in exc.problems:
                stdout.write(f"{problem}\n")
            stdout.write(f"{exc}\n")
            return 1
        out = Path(args.out)
        _write_text(out, json_text(doc))
        findings = validate(doc)
        stdout.write(f"Imported {len(doc['flows'])} flow(s) and {len(doc['parties'])} part"
                     f"{'y' if len(doc['parties']) == 1 else 'ies'} into {out}\n")
        write_findings(stdout, findings)
        return 1 if has_errors(findings) else 0


class ExportCommand:
    NAME = "export"
    HELP = "write a model as an Excel workbook, CSV files or JSON, safe to open in Excel"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("model", metavar="MODEL", help="the model file (JSON)")
        parser.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="xlsx: one workbook; csv: a "
                            "folder of CSV files; json: the model, pretty-printed")
        parser.add_argument("--out", required=True, metavar="PATH", help="the file (xlsx, json) or folder (csv)")
        parser.add_argument("--assess", action="store_true", help="add a Results sheet: each party's simulated "
                            "annual loss per scenario")
        parser.add_argument("--years", type=int, default=100_000, metavar="N",
                            help="simulated years for --assess (default 100000)")
        parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed for --assess (default 0)")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        from ..tabular import export_tables, json_text, write_csv_folder, write_xlsx

        if not simulation_args_ok(args, "export", stderr):
            return 2
        doc, findings = load_and_validate(args.model)
        errors = has_errors(findings)
        out = Path(args.out)
        if args.format == "json":
            _write_text(out, json_text(doc))
            written = [out]
        else:
            assessment = None
            if args.assess and errors:
                stderr.write("dsa export: the model has errors, so it is not assessed (no Results sheet)\n")
            elif args.assess:
                from ..liability import SimulationConfig, assess
                from ..model import Model

                assessment = assess(Model.from_document(doc),
                                    config=SimulationConfig(years=args.years, seed=args.seed)).to_json()
            tables = export_tables(doc, findings, assessment)
            written = write_csv_folder(tables, out) if args.format == "csv" else [write_xlsx(tables, out)]
        for path in written:
            stdout.write(f"wrote {path}\n")
        if errors:
            stdout.write("The model has validation errors (see the Findings sheet, or run dsa validate).\n")
        return 1 if errors else 0


def _write_text(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted write never leaves half a model."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


COMMANDS = (ImportCommand, ExportCommand)
