"""``dsa validate --json`` of a large model on two cores, one process each.

The model file is read once; then two child processes are forked and each parses the same bytes (a
parsed model cannot be shared between processes more cheaply than it is parsed; only the second checks
the text for integers orjson would read as floats, and gives up if it finds one). The first runs the flow
rules over the first span of the flows; the second checks the whole model against the schema, runs the
item rules over it and the flow rules over the other flows, and sends the first the schema's verdict with
the item findings the first's part of the document needs (those about its flows, and those outside the
flows). Each tells the command's process how many findings it has and how long their JSON text is, then
sends that text; the command writes the document's head and moves the texts to its output in order as
they arrive. The children exit without freeing their models; the command, which parsed nothing, has
nothing large to free either.

The findings and the bytes printed are exactly those of one process (tests/validation/test_two_cores.py).
When the model does not match the schema, or a child fails (the file is not JSON, for one), the command
checks the whole model itself on one core, which also reports a problem with the file as one core does.

``dsa assess`` needs only the findings' counts, and the model: it parses the model once, and
:class:`Counting` forks one child that checks its copy of the document (first saying whether it matches the
schema, then sending the counts) while the command builds the model and loads the simulation's kernels.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
from functools import partial

import orjson

from ..findings import Severity
from ..loading import ModelText
from ..settings import ValidationSettings
from ..validation import parts
from ..validation.columns import Flows
from ..validation.report import Report
from ..validation.schema import is_schema_valid
from .common import roomy_pipe, write_bytes

# The first child's share of the flows: the second also checks the schema and runs the item rules
# (measured on the national models).
FIRST_SHARE = 0.74
# Below this a second process costs more than it saves (the ICB model is 0.5 MB, the national 25–50 MB).
MIN_BYTES = 8 * 1024 * 1024
_LENGTH = struct.Struct("<Q")
# What each child says before its text: errors, warnings, and the sizes of its text's pieces.
_FIRST_SAYS, _SECOND_SAYS = struct.Struct("<QQQQ"), struct.Struct("<QQQ")
_COPY_BYTES = 1 << 20  # the command copies the children's text to its output a pipe's buffer at a time
_TALLY = struct.Struct("<QQQ")  # counting: errors, warnings, and the errors that stop the model being read
_MATCHES, _DOES_NOT_MATCH = b"\x01", b"\x00"  # counting: the second child's schema verdict


def worthwhile(text: ModelText) -> bool:
    """Whether this model is worth a second process on this machine."""
    if text.size < MIN_BYTES or not hasattr(os, "fork"):
        return False
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)
    return len(cores) >= 2


def validate(text: ModelText, settings: ValidationSettings, stdout) -> int | None:
    """Write the ``validate --json`` document to ``stdout`` and return its error count; or None, having written
    nothing: check the model on one core (it does not match the schema, or a child failed).

    Each child first says how many findings and how much text it has, then sends the text; the document's
    head (which needs both counts) is written, then each child's text is copied to ``stdout`` as it arrives,
    in the document's order, while the children are still sending it."""
    children = _Children(text, settings, _first, _second)
    try:
        first, second = _receive(children.first), _receive(children.second)
        if first is None or second is None:
            return None
        errors, warnings, before, after = _FIRST_SAYS.unpack(first)
        more_errors, more_warnings, theirs = _SECOND_SAYS.unpack(second)
        errors, warnings = errors + more_errors, warnings + more_warnings
        pieces = [(children.first, before), (children.second, theirs), (children.first, after)]
        _write_document(stdout, errors, warnings, [(pipe, size) for pipe, size in pieces if size])
        children.finished = True
        return errors
    finally:
        children.close()


def _write_document(stdout, errors: int, warnings: int, pieces: list) -> None:
    """The document around the children's texts (``pieces``: (pipe, size) in order), copied as they come."""
    head, separator, tail = document_frame(errors, warnings, bool(pieces))
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:  # a text stream (io.StringIO): the whole, at the end
        texts = [_read_exactly(pipe, size) for pipe, size in pieces]
        write_bytes(stdout, head, *(part for n, t in enumerate(texts) for part in ((separator, t) if n else (t,))),
                    tail)
        return
    stdout.flush()
    buffer.write(head)
    for n, (pipe, size) in enumerate(pieces):
        if n:
            buffer.write(separator)
        buffer.flush()  # what is written goes out before what is spliced after it
        _copy(pipe, size, buffer)
    buffer.write(tail)
    buffer.flush()


def _copy(pipe, size: int, buffer) -> None:
    """``size`` bytes from a child's pipe to the output: moved by the kernel (``os.splice``: no copy through this
    process) where it can, else read and written a pipe's buffer at a time."""
    try:
        out = buffer.fileno()
        while size and (moved := os.splice(pipe.fileno(), out, min(size, _COPY_BYTES))):
            size -= moved
    except (AttributeError, OSError, ValueError):  # no splice here (not Linux, or not to this output)
        while size and (chunk := pipe.read(min(size, _COPY_BYTES))):
            buffer.write(chunk)
            size -= len(chunk)
    if size:
        raise ChildProcessError("a child process stopped while sending its findings")


def _read_exactly(pipe, size: int) -> bytes:
    data = _read_up_to(pipe, size)
    if len(data) != size:
        raise ChildProcessError("a child process stopped while sending its findings")
    return data


class Counting:
    """The counts of a large model's findings from one child process, while the command builds the model
    from the same parsed document and loads what its simulation needs: two processes, one per core.
    ``with Counting(text, settings, doc) as counting: … counting.schema_valid() … counting.counts()``.

    ``doc``: the document the command parsed (and will take for its model); the child, forked after it was
    parsed, checks its own copy of it, so the document is parsed once.
    """

    def __init__(self, text: ModelText, settings: ValidationSettings, doc: dict):
        self._children = _Children(text, settings, partial(_count, doc=doc))

    def schema_valid(self) -> bool:
        """Whether the model matches the schema (False also when the child stopped before saying)."""
        return _receive(self._children.first) == _MATCHES

    def counts(self) -> tuple[int, int, int] | None:
        """(errors, warnings, errors that stop the model being read), or None when the child stopped early.
        Call after :meth:`schema_valid` answered True."""
        message = _receive(self._children.first)
        if message is None:
            return None
        self._children.finished = True
        return _TALLY.unpack(message)

    def close(self) -> None:
        self._children.close()

    def __enter__(self) -> "Counting":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Children:
    """The child processes at work on ``text`` (two, or one when there is no ``second_work``), and the ends of
    their pipes the command reads. The first reads what the second sends it; one alone gets only its out."""

    def __init__(self, text: ModelText, settings: ValidationSettings, first_work, second_work=None):
        to_first, from_first = os.pipe(), os.pipe()
        from_second = os.pipe() if second_work is not None else None
        ends = [*to_first, *from_first, *(from_second or ())]
        for fd in (from_first[0], *(from_second[:1] if from_second else ())):
            roomy_pipe(fd)  # the children's findings come through them: tens of megabytes
        # Unbuffered: nothing of a child's text is read ahead with its counts, so the text can be spliced on.
        self.first = os.fdopen(from_first[0], "rb", buffering=0)
        self.second = os.fdopen(from_second[0], "rb", buffering=0) if from_second else None
        self.pids: list[int] = []
        self.finished = False  # every answer received: the children end by themselves
        try:
            if second_work is None:
                self.pids.append(_fork(first_work, text, settings, (from_first[1],), ends))
            else:
                self.pids.append(_fork(first_work, text, settings, (to_first[0], from_first[1]), ends))
                self.pids.append(_fork(second_work, text, settings, (to_first[1], from_second[1]), ends))
        except BaseException:
            self.close()
            raise
        finally:
            for fd in (*to_first, from_first[1], *(from_second[1:] if from_second else ())):
                os.close(fd)

    def close(self) -> None:
        self.first.close()
        if self.second is not None:
            self.second.close()
        for pid in self.pids:
            if not self.finished:  # leaving early: an error, an interruption, or nothing more wanted from it
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def _fork(work, text: ModelText, settings: ValidationSettings, fds: tuple[int, ...], ends: list[int]) -> int:
    """A child process doing ``work(text, settings, *fds)``, with no other of the pipes' ``ends`` open."""
    pid = os.fork()
    if pid:
        return pid
    status = 1
    try:  # the child: never returns, never writes anywhere but its pipes
        for fd in ends:
            if fd not in fds:
                os.close(fd)
        work(text, settings, *fds)
        status = 0
    except BaseException:  # the command checks the whole model and reports whatever went wrong
        pass
    finally:
        os._exit(status)


def _first(text: ModelText, settings: ValidationSettings, from_second: int, out: int) -> None:
    # The second child's parse checks the text for integers orjson reads as floats, and gives up if it has one.
    doc = text.parse_fast(check_integers=False)
    if doc is None:
        return  # its pipe closes empty: the command checks the whole model
    mine, _ = parts.spans(len(doc["flows"]), FIRST_SHARE)
    batches = parts.flow_batches(doc, mine, settings=settings)
    with os.fdopen(from_second, "rb") as pipe:
        message = _receive(pipe)
    valid, others = pickle.loads(message) if message is not None else (False, None)
    if not valid:
        return  # its pipe closes empty: the command checks the whole model
    report = Report(batches, others)
    dicts = report.dicts()
    split = len(dicts) - report.after_count
    before, after = items_text(dicts[:split]), items_text(dicts[split:])  # its flows are in ``before``
    _send(out, _FIRST_SAYS.pack(report.count(Severity.ERROR), report.count(Severity.WARNING), len(before),
                                len(after)))
    _write_all(out, before, after)
    os._exit(0)  # now: freeing the parsed model first would keep the command waiting for the pipe to close


def _second(text: ModelText, settings: ValidationSettings, to_first: int, out: int) -> None:
    doc = text.parse_fast()
    if doc is None or not isinstance(doc.get("flows"), list) or not is_schema_valid(doc):
        _send(to_first, pickle.dumps((False, None)))
        return
    _, theirs = parts.spans(len(doc["flows"]), FIRST_SHARE)
    flows = Flows.of(doc)
    found, others = parts.within(parts.item_findings(doc, settings=settings, flows=flows), theirs)
    _send(to_first, pickle.dumps((True, others), protocol=pickle.HIGHEST_PROTOCOL))
    os.close(to_first)
    report = Report(parts.flow_batches(doc, theirs, settings=settings, flows=flows), found)
    mine = items_text(report.dicts())
    _send(out, _SECOND_SAYS.pack(report.count(Severity.ERROR), report.count(Severity.WARNING), len(mine)))
    _write_all(out, mine)
    os._exit(0)


def _count(text: ModelText, settings: ValidationSettings, out: int, *, doc: dict) -> None:
    """:class:`Counting`'s child: the schema's verdict first, then the counts of every finding."""
    if not isinstance(doc.get("flows"), list) or not is_schema_valid(doc):
        _send(out, _DOES_NOT_MATCH)
        return
    _send(out, _MATCHES)
    flows = Flows.of(doc)
    report = Report(parts.flow_batches(doc, range(len(doc["flows"])), settings=settings, flows=flows),
                    parts.item_findings(doc, settings=settings, flows=flows))
    _send(out, _TALLY.pack(report.count(Severity.ERROR), report.count(Severity.WARNING), report.count_blocking()))
    os._exit(0)  # without freeing its copy of the document


_FINDINGS_HEAD, _FINDINGS_TAIL = b'{\n  "findings": [\n', b"\n  ]\n}"


def items_text(dicts: list[dict]) -> memoryview:
    """Findings' JSON objects as they stand in the ``validate --json`` document (indented, comma-separated)."""
    if not dicts:
        return memoryview(b"")
    text = orjson.dumps({"findings": dicts}, option=orjson.OPT_INDENT_2)
    return memoryview(text)[len(_FINDINGS_HEAD):len(text) - len(_FINDINGS_TAIL)]


def document_frame(errors: int, warnings: int, findings: bool) -> tuple[bytes, bytes, bytes]:
    """The ``validate --json`` document around findings written as JSON text: what goes before them, between
    two pieces of them, and after (a national document is 65–160 MB: it is written piece by piece)."""
    head = orjson.dumps({"valid": errors == 0, "errors": errors, "warnings": warnings, "findings": []},
                        option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    if not findings:
        return head, b"", b""
    empty = b"[]\n}\n"
    return head[:-len(empty)] + b"[\n", b",\n", b"\n  ]\n}\n"


def _send(fd: int, *payload) -> None:
    """One message: its length, then its parts (bytes-like)."""
    _write_all(fd, _LENGTH.pack(sum(len(p) for p in payload)), *payload)


def _write_all(fd: int, *parts) -> None:
    for part in parts:
        view = memoryview(part)
        while view:
            view = view[os.write(fd, view):]


def _receive(pipe) -> bytes | None:
    """One message from the child, or None when it stopped before sending it."""
    head = _read_up_to(pipe, _LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    body = _read_up_to(pipe, length)
    return body if len(body) == length else None


def _read_up_to(pipe, size: int) -> bytes:
    """``size`` bytes, fewer only at the end (an unbuffered pipe's read returns what has arrived)."""
    data = pipe.read(size)
    if len(data) in (0, size):
        return data
    parts = [data]
    got = len(data)
    while got < size:
        more = pipe.read(size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)
