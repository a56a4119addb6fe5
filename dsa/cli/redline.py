"""``dsa redline NAME V1 V2 --out DIR [--format docx|md|both] [--scenario ID]… [--years N] [--seed S]
[--date D]``: the pack of saved version V2 as Word tracked changes from version V1, with Markdown diffs.

Both versions come from the store (``DSA_DATABASE_URL``, else the embedded SQLite file) and are named by
the one version label ("v2 of 'name' (16f6d6702305)"). Exit 1 when V2 has errors (its drafts are marked
NOT FOR SIGNATURE), 2 when a version cannot be read or drafted.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from ..drafting.pack import redline_files, write_files
from ..findings import blocking, governance_errors
from ..model import Model
from ..validation import validate
from .draft import FORMATS, add_pack_arguments, old_pack, pack_args_ok, report, scenarios_of
from .store import _positive, _store

NAME = "redline"
HELP = "write a saved version's pack as Word tracked changes from an earlier version, with Markdown diffs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help="the saved model's name")
    parser.add_argument("old", metavar="V1", type=_positive, help="the earlier version number")
    parser.add_argument("new", metavar="V2", type=_positive, help="the later version number")
    add_pack_arguments(parser)


def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    if not pack_args_ok(args, stderr):
        return 2
    with _store() as store:
        old_doc = store.load(args.name, args.old)
        new_doc = store.load(args.name, args.new)
        author = store.version_info(args.name, args.new).author  # whoever saved the later version made the changes
    old = old_pack(old_doc, args, stderr, args.name, args.old)
    if isinstance(old, str):
        stderr.write(f"dsa redline: version {args.old} of {args.name!r}: {old}\n")
        return 2
    findings = validate(new_doc)
    if blocking(findings):
        stderr.write(f"dsa redline: version {args.new} of {args.name!r} has schema or reference errors, "
                     "so it cannot be drafted\n")
        return 2
    scenarios, unknown = scenarios_of(Model.from_document(new_doc), args.scenario)
    if unknown:
        stderr.write(f"dsa redline: version {args.new} has no scenario {unknown!r}\n")
        return 2
    from .draft import draft

    new = draft(new_doc, args, scenarios, stderr, args.name, args.new)
    out = Path(args.out)
    files = new.files(FORMATS[args.format])
    files.update(redline_files(old, new, FORMATS[args.format], author=author or "dsa"))
    written = write_files(out, files)
    if governance_errors(findings):
        stdout.write(f"Version {args.new} has {len(governance_errors(findings))} information-governance error(s); "
                     "the drafts are marked NOT FOR SIGNATURE.\n")
    return report(stdout, written, out, new)
