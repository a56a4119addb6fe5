"""``dsa validate --json`` of a large model on two cores, one process each.

The model file is read once; then a child process is forked and both parse the same bytes (a parsed
model cannot be shared between processes more cheaply than it is parsed). The parent runs the flow
rules over the first span of the flows; the child checks the whole model against the schema, runs the
item rules over it and the flow rules over the other flows, sending the parent first the schema's
verdict with the item findings that are not about the child's flows, then its own findings as the JSON
text they have in the document, with their counts. A thread of the parent reads them as they come (the
child never waits on a full pipe); the parent writes the document around that text.

The findings and the bytes printed are exactly those of one process (tests/validation/test_two_cores.py).
When the model does not match the schema, or the child fails, the parent checks the whole model itself;
a problem with the file is the parent's to report, as on one core.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import threading

import orjson

from ..findings import Severity
from ..loading import ModelText
from ..settings import ValidationSettings
from ..validation import parts
from ..validation.columns import Flows
from ..validation.report import Report
from ..validation.schema import is_schema_valid

# The parent's share of the flows: the child also runs the item rules (measured on the national models).
PARENT_SHARE = 0.6
# Below this a second process costs more than it saves (the ICB model is 0.5 MB, the national 25–50 MB).
MIN_BYTES = 8 * 1024 * 1024
_LENGTH = struct.Struct("<Q")
_COUNTS = struct.Struct("<QQ")


def worthwhile(text: ModelText) -> bool:
    """Whether this model is worth a second process on this machine."""
    if text.size < MIN_BYTES or not hasattr(os, "fork"):
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(cores) >= 2


def validate(text: ModelText, settings: ValidationSettings) -> tuple[dict, list | None, int]:
    """(the model, its ``validate --json`` document as pieces to write in order, or None, its error count).

    None: check the model on one core (it does not match the schema, or the child failed).
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never writes anywhere but the pipe
        status = 1
        try:
            os.close(read)
            _child(text, settings, write)
            status = 0
        except BaseException:  # the parent checks the whole model and reports whatever went wrong
            pass
        finally:
            os._exit(status)
    os.close(write)
    messages: queue.SimpleQueue = queue.SimpleQueue()
    reader = threading.Thread(target=_read_messages, args=(read, messages), daemon=True)
    reader.start()
    answer = None
    try:
        answer = _parent(text, settings, messages)
        return answer
    finally:
        if answer is None or answer[1] is None:  # leaving early: an error, an interruption, or one core
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reader.join()  # the child's end is closed: it has sent everything, or it was stopped
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def _parent(text: ModelText, settings: ValidationSettings, messages: queue.SimpleQueue):
    doc = text.parse()
    if not isinstance(doc.get("flows"), list):
        return doc, None, 0
    mine, _ = parts.spans(len(doc["flows"]), PARENT_SHARE)
    try:
        batches = parts.flow_batches(doc, mine, settings=settings)
    except Exception:  # a malformed flow tripped a rule: the schema's findings say why, on one core
        return doc, None, 0
    first = messages.get()
    valid, others = pickle.loads(first) if first is not None else (False, None)
    if not valid:
        return doc, None, 0
    report = Report(batches, others)
    dicts = report.dicts()
    split = len(dicts) - report.after_count
    before, after = items_text(dicts[:split]), items_text(dicts[split:])
    second = messages.get()
    if second is None:
        return doc, None, 0
    errors, warnings = _COUNTS.unpack_from(second)
    errors += report.count(Severity.ERROR)
    warnings += report.count(Severity.WARNING)
    return doc, document_text(errors, warnings, [before, memoryview(second)[_COUNTS.size:], after]), errors


def _child(text: ModelText, settings: ValidationSettings, write: int) -> None:
    doc = text.parse()
    if not isinstance(doc.get("flows"), list) or not is_schema_valid(doc):
        _send(write, pickle.dumps((False, None)))  # the parent checks the whole model
        return
    _, theirs = parts.spans(len(doc["flows"]), PARENT_SHARE)
    flows = Flows.of(doc)
    found, others = parts.within(parts.item_findings(doc, settings=settings, flows=flows), theirs)
    _send(write, pickle.dumps((True, others), protocol=pickle.HIGHEST_PROTOCOL))
    report = Report(parts.flow_batches(doc, theirs, settings=settings, flows=flows), found)
    counts = _COUNTS.pack(report.count(Severity.ERROR), report.count(Severity.WARNING))
    _send(write, counts, items_text(report.dicts()))
    os._exit(0)  # now: freeing the parsed model first would keep the parent waiting for the pipe to close


_FINDINGS_HEAD, _FINDINGS_TAIL = b'{\n  "findings": [\n', b"\n  ]\n}"


def items_text(dicts: list[dict]) -> memoryview:
    """Findings' JSON objects as they stand in the ``validate --json`` document (indented, comma-separated)."""
    if not dicts:
        return memoryview(b"")
    text = orjson.dumps({"findings": dicts}, option=orjson.OPT_INDENT_2)
    return memoryview(text)[len(_FINDINGS_HEAD):len(text) - len(_FINDINGS_TAIL)]


def document_text(errors: int, warnings: int, pieces) -> list:
    """The ``validate --json`` document around findings already written as JSON text, in order, as the
    pieces to write one after the other (a national document is 65–160 MB: not copied into one)."""
    head = orjson.dumps({"valid": errors == 0, "errors": errors, "warnings": warnings, "findings": []},
                        option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    pieces = [p for p in pieces if len(p)]
    if not pieces:
        return [head]
    empty = b"[]\n}\n"
    out = [head[:-len(empty)] + b"[\n"]
    for n, piece in enumerate(pieces):
        out.extend((b",\n", piece) if n else (piece,))
    out.append(b"\n  ]\n}\n")
    return out


def _send(fd: int, *payload) -> None:
    """One message: its length, then its parts (bytes-like)."""
    for part in (_LENGTH.pack(sum(len(p) for p in payload)), *payload):
        view = memoryview(part)
        while view:
            view = view[os.write(fd, view):]


def _receive(pipe) -> bytes | None:
    """One message from the child, or None when it stopped before sending it."""
    head = pipe.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    body = pipe.read(length)
    return body if len(body) == length else None


def _read_messages(fd: int, messages: queue.SimpleQueue) -> None:
    """The child's two messages, as they come (None for one it did not send), then its end of the pipe."""
    with os.fdopen(fd, "rb") as pipe:
        for _ in range(2):
            message = _receive(pipe)
            messages.put(message)
            if message is None:
                messages.put(None)
                return
        pipe.read()
