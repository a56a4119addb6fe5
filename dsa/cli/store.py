"""The store's commands: ``save``, ``load``, ``history``, ``diff``, ``restore``, ``signoff`` (cli.md, "store").

The database is ``DSA_DATABASE_URL``, else the embedded SQLite file in the
user's data directory. ``save`` prints only the new version number on stdout,
so scripts can capture it. A model with validation errors is still saved — as
a draft, with its findings — because nothing a user uploads may be lost; the
command then exits 0 and prints a warning line on stderr saying it is a draft
(the save itself succeeded; ``dsa validate`` reports the errors). A save whose
``--base`` is no longer the latest exits 2, naming who saved in between.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

from ..errors import StorageError
from ..loading import load_document
from .common import write_json


def default_author() -> str:
    """Who is saving when ``--author`` is not given: the login name. Never "unknown": a save or a change of
    members must name a person (deployment.md), so without a login name the command asks for one."""
    name = (os.environ.get("USER") or os.environ.get("USERNAME") or "").strip()
    if not name:
        raise StorageError("cannot tell who you are (no login name): give your name with --author (or --actor)")
    return name


@contextmanager
def _store() -> Iterator["Store"]:  # noqa: F821 - imported lazily: the store pulls in SQLAlchemy and Alembic
    from ..storage import Store

    store = Store.open()
    try:
        yield store
    finally:
        store.close()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a version number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("version numbers start at 1")
    return value


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _when(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


class SaveCommand:
    NAME = "save"
    HELP = "save a model file as a new version in the store (prints the version number)"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("model", metavar="MODEL.json", help="the model file to save")
        parser.add_argument("--name", required=True, help="the model's name in the store")
        parser.add_argument("--summary", default="", metavar="TEXT", help="what changed, for the history")
        parser.add_argument("--author", default=None, metavar="NAME", help="who is saving (default: your login)")
        parser.add_argument("--base", type=_positive, metavar="N", help="the version your edit started from; the "
                            "save is refused if someone has saved since")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        doc = load_document(args.model)
        with _store() as store:
            info = store.save(args.name, doc, author=args.author or default_author(), summary=args.summary,
                              base=args.base)
        stdout.write(f"{info.number}\n")
        if info.is_draft:
            stderr.write(f"warning: version {info.number} of {args.name!r} was saved as a draft: the model has "
                         f"{info.error_count} validation error(s); run 'dsa validate {args.model}' to see them\n")
        return 0


class LoadCommand:
    NAME = "load"
    HELP = "write a saved version (default: the latest) to a model file"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("name", metavar="NAME", help="the model's name in the store")
        parser.add_argument("--version", type=_positive, metavar="N", help="which version (default: the latest)")
        parser.add_argument("--out", required=True, metavar="FILE", help="the file to write ('-' for stdout)")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        with _store() as store:
            info = store.version_info(args.name, args.version)
            doc = store.load(args.name, info.number)
        if args.out == "-":
            write_json(stdout, doc)
            return 0
        from ..tabular import json_text

        out = Path(args.out)
        tmp = out.with_name(f".{out.name}.tmp")
        try:
            tmp.write_text(json_text(doc), encoding="utf-8")
            os.replace(tmp, out)
        finally:
            if tmp.exists():
                tmp.unlink()
        draft = " (a draft with validation errors)" if info.is_draft else ""
        stdout.write(f"wrote version {info.number} of {args.name!r}{draft} to {out}\n")
        return 0


class HistoryCommand:
    NAME = "history"
    HELP = "list a model's versions: who saved them, when, why, and who signed them off"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("name", metavar="NAME", help="the model's name in the store")
        parser.add_argument("--json", action="store_true", help="print one JSON document")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        with _store() as store:
            versions = store.history(args.name)
            unsigned = store.unsigned_parties(args.name) if versions else []
        if args.json:
            write_json(stdout, {"model": args.name, "versions": [v.to_dict() for v in versions],
                                "latest_unsigned_parties": unsigned})
            return 0
        for v in versions:
            draft = f"  [draft: {v.error_count} error(s)]" if v.is_draft else ""
            stdout.write(f"version {v.number}  {_when(v.created_at)}  {v.author}  {v.content_hash[:12]}{draft}\n")
            if v.summary:
                stdout.write(f"    {v.summary}\n")
            for s in v.signoffs:
                note = f" — {s.note}" if s.note else ""
                what = "signed off" if s.is_approval else "reviewed (not an approval)"
                stdout.write(f"    {what}: {s.party_id} by {s.signer} ({s.role}) on {s.signed_on.isoformat()}"
                             f"{note}\n")
        if versions:
            latest = versions[-1].number
            stdout.write(f"Not yet signed off at version {latest}: {', '.join(unsigned)}\n" if unsigned else
                         f"Every party has signed off version {latest}.\n")
        return 0


class DiffCommand:
    NAME = "diff"
    HELP = "show what changed between two saved versions"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("name", metavar="NAME", help="the model's name in the store")
        parser.add_argument("a", type=_positive, metavar="A", help="the older version")
        parser.add_argument("b", type=_positive, metavar="B", help="the newer version")
        parser.add_argument("--json", action="store_true", help="print the changes as one JSON document")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        from ..diffing import diff_documents, format_diff

        with _store() as store:
            old, new = store.load(args.name, args.a), store.load(args.name, args.b)
        changes = diff_documents(old, new)
        if args.json:
            write_json(stdout, {"model": args.name, "from": args.a, "to": args.b,
                                "changes": [c.to_dict() for c in changes]})
        elif changes:
            stdout.write(format_diff(changes) + "\n")
        else:
            stdout.write(f"versions {args.a} and {args.b} of {args.name!r} have the same content\n")
        return 0


class RestoreCommand:
    NAME = "restore"
    HELP = "save an old version's content again as the newest version (nothing is overwritten)"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("name", metavar="NAME", help="the model's name in the store")
        parser.add_argument("number", type=_positive, metavar="N", help="the version to restore")
        parser.add_argument("--author", default=None, metavar="NAME", help="who is restoring (default: your login)")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        with _store() as store:
            info = store.restore(args.name, args.number, author=args.author or default_author())
        stdout.write(f"{info.number}\n")
        stderr.write(f"restored version {args.number} of {args.name!r} as version {info.number}\n")
        return 0


class SignoffCommand:
    NAME = "signoff"
    HELP = "record that a party has signed off a saved version"

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        from ..storage.store import ROLES

        parser.add_argument("name", metavar="NAME", help="the model's name in the store")
        parser.add_argument("--version", type=_positive, required=True, metavar="N", help="the version signed off")
        parser.add_argument("--party", required=True, metavar="ID", help="the party id signing off")
        parser.add_argument("--role", required=True, choices=ROLES, metavar="ROLE",
                            help="the signer's role: " + ", ".join(f"'{r}'" for r in ROLES)
                            + " ('Legal reviewer' and 'Other' record a review, not the party's approval)")
        parser.add_argument("--signer", required=True, metavar="NAME", help="the person who signed")
        parser.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="when they signed (default: today)")
        parser.add_argument("--note", default="", metavar="TEXT", help="e.g. the meeting or minute reference")

    @staticmethod
    def run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
        with _store() as store:
            so = store.signoff(args.name, args.version, party_id=args.party, role=args.role, signer=args.signer,
                               signed_on=args.date, note=args.note)
            unsigned = store.unsigned_parties(args.name, args.version)
        what = "signed off" if so.is_approval else "reviewed (a review, not the party's approval)"
        stdout.write(f"recorded: {so.party_id} {what} version {so.version} of {args.name!r} "
                     f"({so.signer}, {so.role}, {so.signed_on.isoformat()})\n")
        stdout.write(f"still to sign off version {so.version}: {', '.join(unsigned)}\n" if unsigned else
                     f"every party has now signed off version {so.version}\n")
        return 0


COMMANDS = (SaveCommand, LoadCommand, HistoryCommand, DiffCommand, RestoreCommand, SignoffCommand)
