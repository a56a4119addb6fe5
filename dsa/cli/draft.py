"""``dsa draft MODEL --out DIR [--format docx|md|both] [--scenario ID]… [--years N] [--seed S] [--date D]
[--compare-to OLD.json]``.

A model with schema or reference errors is not drafted (exit 1, findings printed). A model whose only
errors are IG rules is drafted "NOT FOR SIGNATURE" and exits 1 after saying how many remain
(deployment.md, "Findings that block"). ``--compare-to`` also writes each document as Word tracked changes
from the old model's draft, with a Markdown diff beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Sequence, TextIO

from ..drafting import Pack, build_pack
from ..drafting.pack import redline_files, write_files
from ..findings import blocking, governance_errors
from ..liability import SimulationConfig, assess
from ..loading import load_document
from ..model import Model
from ..validation import validate
from .common import load_and_validate, progress_reporter, simulation_args_ok, write_findings

NAME = "draft"
HELP = "write the agreement pack (Word and Markdown) and the drafting notes for legal review"
FORMATS = {"docx": ("docx",), "md": ("md",), "both": ("docx", "md")}


def add_pack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write the pack into (created)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="both", help="default: both")
    parser.add_argument("--scenario", action="append", metavar="ID",
                        help="show this scenario in the risk-sharing schedule (repeatable; default: every scenario)")
    parser.add_argument("--years", type=int, default=100_000, metavar="N",
                        help="simulated years behind the exposure table (default 100000)")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="header date when the partnership has no effective_date (default: today)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="MODEL", help="the model file (JSON)")
    add_pack_arguments(parser)
    parser.add_argument("--compare-to", metavar="OLD.json",
                        help="also write each document as tracked changes from this earlier model's draft")


def pack_args_ok(args: argparse.Namespace, stderr: TextIO) -> bool:
    if not simulation_args_ok(args, NAME, stderr):
        return False
    if args.date:
        try:
            dt.date.fromisoformat(args.date)
        except ValueError:
            stderr.write(f"dsa {args.command if hasattr(args, 'command') else NAME}: --date {args.date!r} "
                         "is not a date (YYYY-MM-DD)\n")
            return False
    return True


def scenarios_of(model: Model, wanted: Sequence[str] | None) -> tuple[list[str] | None, str | None]:
    """The scenarios to show, or the first unknown one named."""
    known = {s.id for s in model.scenarios}
    unknown = [s for s in wanted or () if s not in known and s != "baseline"]
    if unknown:
        return None, unknown[0]
    return ([s for s in wanted if s != "baseline"] if wanted else None), None


def draft(doc: dict, args: argparse.Namespace, scenarios: list[str] | None, stderr: TextIO,
          name: str | None = None, number: int | None = None) -> Pack:
    """Assess ``doc`` for the exposure annex and build its pack."""
    model = Model.from_document(doc)
    result = assess(model, scenarios=scenarios, config=SimulationConfig(years=args.years, seed=args.seed),
                    progress=progress_reporter(stderr)).to_json()
    return build_pack(doc, assessment=result, date=args.date, scenarios=scenarios, name=name, number=number)


def old_pack(doc: dict, args: argparse.Namespace, stderr: TextIO, name: str | None = None,
             number: int | None = None) -> Pack | str:
    """The earlier model's pack, or why it cannot be drafted."""
    if blocking(validate(doc)):
        return "it has schema or reference errors, so it cannot be drafted"
    model = Model.from_document(doc)
    known = {s.id for s in model.scenarios}
    scenarios = [s for s in args.scenario or () if s in known] or None if args.scenario else None
    return draft(doc, args, scenarios, stderr, name, number)


def report(stdout: TextIO, written: list[Path], out: Path, pack: Pack) -> int:
    stdout.write(f"Wrote {len(written)} files to {out} ({pack.label}, dated {pack.date}):\n")
    for path in written:
        stdout.write(f"  {path.name}\n")
    stdout.write(f"{len(pack.notes)} placeholder(s) to complete and {len(pack.findings)} open finding(s): "
                 "see drafting-notes.md\n")
    if pack.ig_errors:
        stdout.write(f"NOT FOR SIGNATURE: {pack.ig_errors} unresolved information-governance error(s) remain; "
                     "each is a comment in the Word documents at the clause it concerns.\n")
        return 1
    return 0


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if not pack_args_ok(args, stderr):
        return 2
    doc, findings = load_and_validate(args.model)
    stop = blocking(findings)
    if stop:
        stdout.write("The model has schema or reference errors, so it is not drafted:\n")
        write_findings(stdout, findings)
        return 1
    scenarios, unknown = scenarios_of(Model.from_document(doc), args.scenario)
    if unknown:
        known = sorted(s.id for s in Model.from_document(doc).scenarios)
        stderr.write(f"dsa draft: unknown scenario {unknown!r}; the model has: {', '.join(known) or 'none'}\n")
        return 2
    old = None
    if args.compare_to:
        old = old_pack(load_document(args.compare_to), args, stderr)
        if isinstance(old, str):
            stderr.write(f"dsa draft: cannot compare to {args.compare_to}: {old}\n")
            return 2
    pack = draft(doc, args, scenarios, stderr)
    out = Path(args.out)
    files = pack.files(FORMATS[args.format])
    if old is not None:
        files.update(redline_files(old, pack, FORMATS[args.format]))
    written = write_files(out, files)
    if governance_errors(findings):
        stdout.write(f"The model has {len(governance_errors(findings))} information-governance error(s); "
                     "the drafts are marked NOT FOR SIGNATURE.\n")
    return report(stdout, written, out, pack)
