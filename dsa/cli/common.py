"""What several commands share: reading a model, printing findings, JSON and progress."""

from __future__ import annotations

import ctypes
import json
import math
import os
import sys
import time
from typing import Any, Callable, TextIO

try:
    import fcntl
except ImportError:  # Windows: its pipes keep their size
    fcntl = None  # type: ignore[assignment]

import orjson

from ..findings import Finding, Severity, count
from ..loading import load_document
from ..validation import validate


def prefer_small_pages() -> None:
    """Stop NumPy advising its large arrays onto transparent huge pages, for a command that simulates.

    Where the kernel grants huge pages only on request and cannot readily supply them (the 2-core virtual
    machines the performance targets are measured on: THP "madvise", none available), every first touch of
    a fresh array that asked for them stalls in the kernel: filling 600 MB took 1.2 s, against 0.2 s in
    ordinary pages. A national assessment fills about 0.8 GB of fresh arrays with its worst years. An
    explicit ``NUMPY_MADVISE_HUGEPAGE`` in the environment is left to decide.
    """
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # a NumPy without the switch: nothing to turn off
        return
    _set_madvise_hugepage(False)


# glibc's mallopt parameters, and what a simulating command sets them to (see keep_freed_memory).
_M_TRIM_THRESHOLD, _M_TOP_PAD, _M_MMAP_THRESHOLD = -1, -2, -3
_FREED_MEMORY = {_M_MMAP_THRESHOLD: 64 << 20, _M_TRIM_THRESHOLD: 256 << 20, _M_TOP_PAD: 16 << 20}
_MALLOC_ENV = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


def keep_freed_memory() -> None:
    """Let glibc keep memory a simulating command frees, for its next chunk of years, instead of handing it
    back to the system at once and faulting it in again.

    Each chunk's arrays (about 100 MB on a national model) are freed and made again; by default glibc
    returns such memory eagerly, and the next chunk touches fresh pages: a national assessment took 1.1
    million page faults, 0.74 million with these settings (system time about 2.1 s, then 1.5 s), for about
    0.1 GB more at its peak. Only with glibc (elsewhere nothing is done), and not when the environment
    already sets them (setting any of them by hand also stops glibc adapting its threshold to the program).
    """
    if any(name in os.environ for name in _MALLOC_ENV) or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return
    for parameter, value in _FREED_MEMORY.items():
        mallopt(parameter, value)


# Set by ``dsa.cli.main`` for a command whose process ends at once when it has printed (QUICK_EXIT_COMMANDS).
_ending_at_once = False
_held: list = []


def held_until_exit(*objects: Any) -> None:
    """Keep ``objects`` (a command's model and results) until the process ends, when it ends at once after the
    command: freeing a national assessment's millions of objects one by one as the command returns took 0.15 s,
    for memory the system takes back in one go. Otherwise (tests, the dashboard) nothing is kept."""
    if _ending_at_once:
        _held.extend(objects)


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


def json_bytes(document: Any) -> bytes:
    """``document`` as indented UTF-8 JSON ending in a newline; ValueError for a NaN or an infinity.

    orjson writes a national assessment in a tenth of a second where ``json.dump(indent=2)`` took seconds. What
    orjson refuses and ``json`` takes (integers past 64 bits, keys that are not strings, NumPy's float64) goes
    the ``json`` way, so every document written before is written still.
    """
    try:
        data = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except TypeError:
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
        return (text + "\n").encode("utf-8")
    # orjson writes NaN and infinities as null: where a null appears, look for them (JSON has no such numbers).
    if b"null" in data and _has_non_finite(document):
        raise ValueError("Out of range float values are not JSON compliant")
    return data


def _has_non_finite(document: Any) -> bool:
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, float):
            if not math.isfinite(value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
    return False


def write_json(stream: TextIO, document: Any) -> None:
    """One JSON document (indented, UTF-8, non-ASCII as is) and a newline."""
    write_bytes(stream, json_bytes(document))


# A pipe's buffer where a command writes tens of megabytes through it: at the default 64 KB the reader is woken
# for every 64 KB (40 MB between two processes took 91 ms, with 1 MB 37 ms; measured).
ROOMY_PIPE_BYTES = 1 << 20


def roomy_pipe(fd: Any) -> None:
    """Enlarge the buffer of the pipe ``fd`` (a descriptor, or a stream on one) writes to or reads from, where the
    system allows (Linux, up to its pipe-max-size); anything else (a file, a terminal, a stream on no
    descriptor such as io.StringIO, another system) is left as it is."""
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, ROOMY_PIPE_BYTES)
    except (AttributeError, OSError, ValueError):
        pass


def write_bytes(stream: TextIO, *pieces: bytes) -> None:
    """UTF-8 bytes (one piece or several, in order) to a text stream: to its buffer when it has one (a console,
    a pipe, a file), else as text (an ``io.StringIO``)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(b"".join(pieces).decode("utf-8"))
        return
    stream.flush()  # whatever the text layer holds goes first
    for piece in pieces:
        buffer.write(piece)
    buffer.flush()


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


# Runs shorter than this say nothing while they work.
PROGRESS_AFTER_SECONDS = 2.0


def progress_reporter(stream: TextIO, after: float = PROGRESS_AFTER_SECONDS) -> Callable[[float], None]:
    """The progress callback of every command that simulates: quiet for ``after`` seconds, then on ``stream``
    one updating line on a terminal, a line per quarter otherwise (logs stay readable)."""
    start = time.monotonic()
    state = {"shown": False, "quarter": 0}
    terminal = getattr(stream, "isatty", lambda: False)()

    def report(fraction: float) -> None:
        if not state["shown"] and time.monotonic() - start < after:
            return
        state["shown"] = True
        if terminal:
            stream.write(f"\rsimulating… {fraction:4.0%}")
            if fraction >= 1:
                stream.write("\n")
        elif int(fraction * 4) > state["quarter"] or fraction >= 1:
            state["quarter"] = int(fraction * 4)
            stream.write(f"simulating… {fraction:.0%}\n")
        stream.flush()

    return report
