"""``dsa draft MODEL --out DIR [--format docx|md|both] [--scenario ID]… [--years N] [--seed S] [--date D]``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TextIO

from ..drafting import build_pack
from ..findings import has_errors
from ..liability import SimulationConfig, assess
from ..model import Model
from .assess import _progress
from .common import load_and_validate, simulation_args_ok, write_findings

NAME = "draft"
HELP = "write the agreement pack (Word and Markdown) and the drafting notes for legal review"
FORMATS = {"docx": ("docx",), "md": ("md",), "both": ("docx", "md")}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="the model file (JSON)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write the pack into (created)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="both", help="default: both")
    parser.add_argument("--scenario", action="append", metavar="ID",
                        help="show this scenario in the risk-sharing schedule (repeatable; default: every scenario)")
    parser.add_argument("--years", type=int, default=100_000, metavar="N",
                        help="simulated years behind the exposure table (default 100000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="header date when the partnership has no effective_date (default: today)")


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if not simulation_args_ok(args, NAME, stderr):
        return 2
    if args.date:
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            stderr.write(f"dsa draft: --date {args.date!r} is not a date (YYYY-MM-DD)\n")
            return 2
    doc, findings = load_and_validate(args.model)
    if has_errors(findings):
        stdout.write("The model has errors, so it is not drafted:\n")
        write_findings(stdout, findings)
        return 1
    model = Model.from_document(doc)
    known = {s.id for s in model.scenarios}
    unknown = [s for s in args.scenario or () if s not in known and s != "baseline"]
    if unknown:
        stderr.write(f"dsa draft: unknown scenario {unknown[0]!r}; the model has: "
                     f"{', '.join(sorted(known)) or 'none'}\n")
        return 2
    scenarios = [s for s in args.scenario if s != "baseline"] if args.scenario else None
    progress = _progress if stderr is sys.stderr and sys.stderr.isatty() else None
    result = assess(model, scenarios=scenarios, config=SimulationConfig(years=args.years, seed=args.seed),
                    progress=progress).to_json()
    pack = build_pack(doc, assessment=result, date=args.date, scenarios=scenarios)
    out = Path(args.out)
    written = pack.write(out, FORMATS[args.format])
    stdout.write(f"Wrote {len(written)} files to {out} (model version {pack.version}, dated {pack.date}):\n")
    for path in written:
        stdout.write(f"  {path.name}\n")
    stdout.write(f"{len(pack.notes)} placeholder(s) to complete: see drafting-notes.md\n")
    return 0
