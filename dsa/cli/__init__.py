"""The command line: ``python -m dsa COMMAND …`` (contract: shared/spec/cli.md).

``run(argv, stdout, stderr) -> int`` takes its streams as arguments so it is
tested in-process. Exit codes: 0 fine, 1 the model has errors, 2 could not run.
Each command is a module here with ``NAME``, ``HELP``, ``add_arguments(parser)``
and ``run(args, stdout, stderr) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from typing import Sequence, TextIO

from ..errors import DsaError
from . import common

# Modules under dsa.cli, one per command group, in the order `--help` lists them.
COMMAND_MODULES = ("validate", "assess", "compare", "draft", "redline", "tabular", "store", "negotiate", "members")

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN = 0, 1, 2
DEBUG_FLAG = "--debug"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports bad arguments as an exception instead of exiting."""

    def error(self, message: str):  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


def _modules_for(argv: Sequence[str] | None) -> Sequence[str]:
    """The command modules to import: only the named command's when a module is that one command, so a
    whole ``dsa validate`` run does not import the store, the engine and the drafts; else all of them."""
    first = next((a for a in argv or () if not a.startswith("-")), None)
    if first in COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{first}")
        if getattr(module, "COMMANDS", None) is None and getattr(module, "NAME", None) == first:
            return (first,)
    return COMMAND_MODULES


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for ``argv`` (every command when None)."""
    parser = _Parser(prog="dsa", description="Data-sharing agreement and liability risk calculator "
                     "for NHS partnerships. A modelling aid, not legal advice.")
    parser.add_argument(DEBUG_FLAG, action="store_true", help="on an unexpected error, show the Python traceback "
                        "(for reporting a bug in dsa); may be given anywhere on the line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in _modules_for(argv):
        module = importlib.import_module(f"{__name__}.{name}")
        for command in getattr(module, "COMMANDS", (module,)):
            p = sub.add_parser(command.NAME, help=command.HELP, description=command.HELP)
            command.add_arguments(p)
            p.set_defaults(_run=command.run)
    return parser


def run(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run one command; returns the exit code and never lets a traceback reach the user."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = DEBUG_FLAG in argv
    argv = [a for a in argv if a != DEBUG_FLAG]
    parser = build_parser(argv)
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        stderr.write(f"{exc}\n")
        return EXIT_CANNOT_RUN
    except SystemExit as exc:  # --help, which argparse prints and then exits 0
        return int(exc.code or 0)
    try:
        return args._run(args, stdout, stderr)
    except DsaError as exc:
        stderr.write(f"dsa {args.command}: {one_line(exc, 1000)}\n")
        return EXIT_CANNOT_RUN
    except KeyboardInterrupt:
        stderr.write(f"dsa {args.command}: interrupted\n")
        return EXIT_CANNOT_RUN
    except MemoryError:
        stderr.write(f"dsa {args.command}: out of memory\n")
        return EXIT_CANNOT_RUN
    except OSError as exc:
        stderr.write(f"dsa {args.command}: {one_line(exc.strerror or exc)}\n")
        return EXIT_CANNOT_RUN
    except Exception as exc:  # a bug in dsa: say so on one line, exit 2 (never 1, which means "findings")
        if debug:
            traceback.print_exc(file=stderr)
        stderr.write(bug_message(args.command, exc, debug) + "\n")
        return EXIT_CANNOT_RUN


def one_line(text: object, limit: int = 300) -> str:
    """``text`` as one line of at most ``limit`` characters (messages must not spill onto more lines)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def bug_message(command: str, exc: BaseException, debug: bool = False) -> str:
    """The one line shown for an unexpected exception: what failed, and that it is a bug in dsa."""
    what = type(exc).__name__ + (f": {exc}" if str(exc) else "")
    how = "the traceback is above" if debug else f"run the command again with {DEBUG_FLAG} to see the traceback"
    return (f"dsa {command}: failed unexpectedly ({one_line(what, 160)}). This is a bug in dsa, not in your "
            f"model; please report it to the dsa maintainers with the command you ran and, if you can share it, "
            f"the model file ({how}).")


# Commands that only read files and print: once they have printed, their process ends at once rather than
# tearing the interpreter down (freeing a national model's millions of objects one by one took 0.2 s of a
# whole `dsa assess`, for memory the system takes back in one go anyway).
QUICK_EXIT_COMMANDS = ("validate", "assess")


def main() -> None:
    ending_at_once = next((a for a in sys.argv[1:] if not a.startswith("-")), None) in QUICK_EXIT_COMMANDS
    common._ending_at_once = ending_at_once
    code = run()
    if ending_at_once:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader anyway
                pass
        os._exit(code)
    sys.exit(code)
