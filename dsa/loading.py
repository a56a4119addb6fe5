"""Bytes, text, paths or dicts into a model document, within size, depth and encoding limits.

Never raises anything but :class:`dsa.errors.InputError` subclasses for bad input.

A national model is 50 MB of JSON, so a file is first read by orjson with every limit checked by the
parser itself (see :func:`_parse_fast`); anything orjson refuses, or might read differently, is read
again by the standard library's parser, whose hooks say exactly what is wrong and where.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path
from typing import Any, Mapping

import orjson

from .errors import EncodingError, InputError, NotJsonError, TooDeepError, TooLargeError
from .settings import LoadLimits


def _human(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


# Every byte but quotes, brackets and braces, which alone decide the nesting.
_NOT_STRUCTURAL = bytes(b for b in range(256) if b not in b'"[]{}')


def max_nesting(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text, ignoring brackets inside strings."""
    # Drop escaped backslashes, then escaped quotes, so every remaining quote opens or closes a string;
    # then keep only the structural bytes (C loops over the text; NumPy over what is left).
    import numpy as np  # only here: a whole `dsa validate` never needs it

    raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURAL)
    codes = np.frombuffer(raw, dtype=np.uint8)
    if codes.size == 0:
        return 0
    in_string = np.bitwise_xor.accumulate((codes == 0x22).view(np.uint8)).view(bool)
    is_open = (codes == 0x5B) | (codes == 0x7B)
    is_bracket = (is_open | (codes == 0x5D) | (codes == 0x7D)) & ~in_string
    steps = np.where(is_open[is_bracket], 1, -1).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


def _check_depth(value: Any, limit: int) -> None:
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if d > limit:
            raise TooDeepError(f"the model nests deeper than {limit} levels; a partnership model needs far fewer")
        if isinstance(v, Mapping):
            stack.extend((c, d + 1) for c in v.values() if isinstance(c, (Mapping, list)))
        elif isinstance(v, list):
            stack.extend((c, d + 1) for c in v if isinstance(c, (Mapping, list)))


class _NotANumber:
    """Stands in for a ``NaN``/``Infinity`` literal until its place in the document is known."""

    __slots__ = ("literal", "why")

    def __init__(self, literal: str, why: str = "which is not a finite JSON number; give an ordinary number"):
        self.literal = literal
        self.why = why


# Python reads 1e999 as infinity; a float holds magnitudes up to about 1.8e308, so 309 digits is past it.
MAX_INTEGER_DIGITS = 308
_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON escape of a surrogate code point: the only way a lone one gets past the UTF-8 decoder.
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]")


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        return _NotANumber(text)  # type: ignore[return-value]
    return value


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        return _NotANumber(f"{text[:12]}… ({len(text)} characters)",  # type: ignore[return-value]
                           "which is larger than any figure a model can hold; give an ordinary number")
    return int(text)


def _pointer(parts: list) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts) if parts else "/"


def _shown(text: str) -> str:
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text if len(text) <= 40 else text[:39] + "…")


def check_text_and_numbers(value: Any, source: str = "input") -> None:
    """Refuse what is not JSON text: a non-finite or float-overflowing number, or a lone surrogate.

    Raises NotJsonError naming the JSON pointer of the first such value.
    """
    stack: list[tuple[Any, list]] = [(value, [])]
    while stack:
        v, path = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                raise NotJsonError(f"{source} has a lone surrogate code point (not a Unicode character) at "
                                   f"{_pointer(path)} in '{_shown(v)}'; remove it")
        elif isinstance(v, _NotANumber):
            raise NotJsonError(f"{source} has the number {v.literal} at {_pointer(path)}, {v.why}")
        elif isinstance(v, float):
            if not math.isfinite(v):
                raise NotJsonError(f"{source} has the number {v} at {_pointer(path)}, which is not a finite "
                                   "JSON number; give an ordinary number")
        elif isinstance(v, int) and not isinstance(v, bool):
            if abs(v) >= 10 ** MAX_INTEGER_DIGITS:
                raise NotJsonError(f"{source} has an integer of more than {MAX_INTEGER_DIGITS} digits at "
                                   f"{_pointer(path)}; no figure in a model is that large")
        elif isinstance(v, Mapping):
            for k, c in v.items():
                if isinstance(k, str) and _SURROGATE.search(k):
                    raise NotJsonError(f"{source} has a lone surrogate code point (not a Unicode character) in "
                                       f"the name '{_shown(k)}' at {_pointer(path)}; remove it")
                stack.append((c, path + [k]))
        elif isinstance(v, (list, tuple)):
            stack.extend((c, path + [i]) for i, c in enumerate(v))


class _Hooks:
    """The parser's number hooks, noting whether any number was one a model cannot hold."""

    __slots__ = ("odd",)

    def __init__(self):
        self.odd = False

    def constant(self, text: str):
        self.odd = True
        return _NotANumber(text)

    def float(self, text: str):
        value = _parse_float(text)
        if isinstance(value, _NotANumber):
            self.odd = True
        return value

    def int(self, text: str):
        value = _parse_int(text)
        if isinstance(value, _NotANumber):
            self.odd = True
        return value

    def loads(self, text: str):
        return json.loads(text, parse_constant=self.constant, parse_float=self.float, parse_int=self.int)


def _needs_check(raw: bytes, hooks: _Hooks) -> bool:
    """Whether the parsed value may hold a lone surrogate or an odd number.

    The hooks saw every number; a lone surrogate can only arrive as a JSON escape (UTF-8 cannot carry one).
    """
    return hooks.odd or _ESCAPED_SURROGATE.search(raw) is not None


# orjson refuses nesting deeper than this; wrapped in (this - max_depth) arrays, a text is refused by orjson
# exactly when it nests deeper than max_depth (max_nesting's count), with no scan of our own.
_ORJSON_MAX_DEPTH = 1024
# orjson reads an integer beyond 64 bits as a float; the standard parser keeps it exact. Such an integer has
# at least 19 digits, so a run of 19 digits anywhere (mostly in text, rarely) sends the file to that parser.
# Everything but digits, commas and colons is dropped first (a number is always set off by one of those),
# which joins digits of text only: more runs found, never fewer.
_DIGITS_AS_ZERO = bytes(0x30 if 0x30 <= b <= 0x39 else b for b in range(256))
_NOT_NUMERIC = bytes(b for b in range(256) if not 0x30 <= b <= 0x39 and b not in b",:")
_LONG_INTEGER = b"0" * 19
_BOM = b"\xef\xbb\xbf"


def _padding(limits: LoadLimits) -> int:
    return min(max(_ORJSON_MAX_DEPTH - limits.max_depth, 0), _ORJSON_MAX_DEPTH)


def _padded(raw: bytes, pad: int) -> bytearray:
    text = bytearray(b"[" * pad)
    text += raw
    text += b"]" * pad
    return text


def _parse_fast(padded: bytearray, pad: int, check_integers: bool = True) -> Any:
    """The JSON value of a text wrapped in ``pad`` arrays, or None: orjson refused it (it is over the depth
    limit, or not JSON, or holds what a model cannot) or might read it differently from the standard parser
    (``check_integers=False``: not checked for integers orjson reads as floats).

    orjson refuses NaN, Infinity, numbers a float cannot hold, lone surrogates and bytes that are not
    UTF-8, which are all refused here too; None sends the text to :func:`_parse_checked` to say which.
    """
    if check_integers and _LONG_INTEGER in padded.translate(_DIGITS_AS_ZERO, _NOT_NUMERIC):
        return None
    try:
        value = orjson.loads(padded)
    except orjson.JSONDecodeError:
        return None
    for _ in range(pad):  # each wrapping array holds exactly the text's one value, or the text was not one
        if type(value) is not list or len(value) != 1:
            return None
        value = value[0]
    return value


def _parse_checked(raw: bytes, limits: LoadLimits, source: str) -> Any:
    """The standard library's reading of JSON bytes (BOM already removed), refusing with the reason why."""
    # Check depth before parsing: the JSON parser itself recurses, so a pathological file must not reach it.
    if max_nesting(raw) > limits.max_depth:
        raise TooDeepError(
            f"{source} nests deeper than {limits.max_depth} levels; a partnership model needs far fewer")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{source} is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8 JSON") from None
    hooks = _Hooks()
    try:
        value = hooks.loads(text)
    except json.JSONDecodeError as exc:
        raise NotJsonError(f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise TooDeepError(f"{source} nests too deeply to read") from None
    except ValueError as exc:  # e.g. integers with more digits than Python allows
        raise NotJsonError(f"{source} is not valid JSON: {exc}") from None
    if _needs_check(raw, hooks):
        check_text_and_numbers(value, source)
    return value


def _too_large(source, limits: LoadLimits, size: int | None = None) -> TooLargeError:
    said = f" is {_human(size)}," if size is not None else " is"
    return TooLargeError(f"{source}{said} over the {_human(limits.max_bytes)} limit for a model file")


def _object(value: Any, source: str) -> dict:
    if not isinstance(value, dict):
        raise NotJsonError(f"{source} holds a JSON {type(value).__name__ if value is not None else 'null'}, "
                           "not an object; a model file is one JSON object")
    return value


def parse_bytes(raw: bytes, *, limits: LoadLimits = LoadLimits(), source: str = "input") -> dict:
    """Parse UTF-8 JSON bytes whose top-level value is an object."""
    if len(raw) > limits.max_bytes:
        raise _too_large(source, limits, len(raw))
    pad = _padding(limits)
    return ModelText(_padded(raw, pad), pad, len(raw), limits, source).parse()


class ModelText:
    """A model file's bytes as read, inside their padding (see :func:`_parse_fast`): read once, parsed by
    :meth:`parse` (the ``validate`` command parses one text in two processes)."""

    __slots__ = ("padded", "pad", "size", "bom", "limits", "source")

    def __init__(self, padded: bytearray, pad: int, size: int, limits: LoadLimits, source: str):
        self.padded, self.pad, self.size, self.limits, self.source = padded, pad, size, limits, source
        self.bom = padded[pad:pad + 3] == _BOM
        if self.bom:
            padded[pad:pad + 3] = b"   "  # JSON whitespace, where the byte-order mark was

    def parse_fast(self, *, check_integers: bool = True) -> dict | None:
        """The model document as :meth:`parse` reads it when orjson alone can (nearly always), else None: the
        text is not a JSON object orjson accepts, or has an integer orjson would read as a float. A caller whose
        text another process checks for such integers may skip that check (``check_integers=False``: 70 ms
        of a national model's 0.35 s)."""
        value = _parse_fast(self.padded, self.pad, check_integers)
        return value if type(value) is dict else None

    def parse(self) -> dict:
        """The model document (raises InputError, saying why, when the text is not one)."""
        value = _parse_fast(self.padded, self.pad)
        if value is None:  # also JSON's null, which _parse_checked reads again to refuse
            raw = bytes(memoryview(self.padded)[self.pad + (3 if self.bom else 0):self.pad + self.size])
            value = _parse_checked(raw, self.limits, self.source)
        return _object(value, self.source)


def read_model_file(source: str | os.PathLike, *, limits: LoadLimits = LoadLimits()) -> ModelText:
    """A model file's bytes, read straight into their padding (no copy of a 50 MB text).

    Raises:
        InputError: the file is missing, a folder, unreadable or over the size limit.
    """
    path = Path(source)
    pad = _padding(limits)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_large(path, limits, size)
        padded = bytearray(pad + size + pad)
        with path.open("rb") as file:
            read = file.readinto(memoryview(padded)[pad:pad + size]) or 0
            rest = file.read(limits.max_bytes + 1 - read)  # nothing, unless the file grew or is a pipe
        if read != size or rest:
            raw = bytes(memoryview(padded)[pad:pad + read]) + rest
            if len(raw) > limits.max_bytes:
                raise _too_large(path, limits)
            size = len(raw)
            padded = _padded(raw, pad)
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a model file") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}") from None
    padded[:pad] = b"[" * pad
    padded[pad + size:] = b"]" * pad
    return ModelText(padded, pad, size, limits, str(path))


def parse_json_value(text: str, *, limits: LoadLimits = LoadLimits(), source: str = "input") -> Any:
    """Any JSON value from text, within the same limits as a model file (size, depth, finite numbers, no lone
    surrogates): for JSON embedded elsewhere, such as a register's ``extra`` cell. Raises InputError."""
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) > limits.max_bytes:
        raise TooLargeError(f"{source} is {_human(len(raw))}, over the {_human(limits.max_bytes)} limit")
    if max_nesting(raw) > limits.max_depth:
        raise TooDeepError(f"{source} nests deeper than {limits.max_depth} levels; a model needs far fewer")
    try:
        value = json.loads(text, parse_constant=_NotANumber, parse_float=_parse_float, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise NotJsonError(f"{source} is not valid JSON: {exc.msg} at column {exc.colno}") from None
    except (RecursionError, ValueError) as exc:
        raise NotJsonError(f"{source} is not valid JSON: {exc}") from None
    check_text_and_numbers(value, source)
    return value


def load_document(source: str | os.PathLike | bytes | Mapping[str, Any], *,
                  limits: LoadLimits = LoadLimits()) -> dict:
    """A model document from a path, raw bytes, or a dict (copied, and checked for depth).

    Raises:
        InputError: the input cannot be read as a model document (the message says why).
    """
    if isinstance(source, Mapping):
        _check_depth(source, limits.max_depth)
        check_text_and_numbers(source, "the model")
        doc = json.loads(json.dumps(source))  # a plain, independent copy
        return doc
    if isinstance(source, (bytes, bytearray)):
        return parse_bytes(bytes(source), limits=limits)
    return read_model_file(source, limits=limits).parse()
