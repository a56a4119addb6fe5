"""Bytes, text, paths or dicts into a model document, within size, depth and encoding limits.

Never raises anything but :class:`dsa.errors.InputError` subclasses for bad input.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .errors import EncodingError, InputError, NotJsonError, TooDeepError, TooLargeError
from .settings import LoadLimits


def _human(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n} bytes"


def max_nesting(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in JSON text, ignoring brackets inside strings."""
    # Drop escaped backslashes, then escaped quotes, so every remaining quote opens or closes a string.
    raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
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


def parse_bytes(raw: bytes, *, limits: LoadLimits = LoadLimits(), source: str = "input") -> dict:
    """Parse UTF-8 JSON bytes whose top-level value is an object."""
    if len(raw) > limits.max_bytes:
        raise TooLargeError(
            f"{source} is {_human(len(raw))}, over the {_human(limits.max_bytes)} limit for a model file")
    if raw.startswith(b"\xef\xbb\xbf"):  # a byte-order mark, as Excel and Notepad write
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"{source} is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8 JSON") from None
    # Check depth before parsing: the JSON parser itself recurses, so a pathological file must not reach it.
    if max_nesting(raw) > limits.max_depth:
        raise TooDeepError(
            f"{source} nests deeper than {limits.max_depth} levels; a partnership model needs far fewer")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotJsonError(f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise TooDeepError(f"{source} nests too deeply to read") from None
    except ValueError as exc:  # e.g. integers with more digits than Python allows
        raise NotJsonError(f"{source} is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise NotJsonError(f"{source} holds a JSON {type(value).__name__ if value is not None else 'null'}, "
                           "not an object; a model file is one JSON object")
    return value


def load_document(source: str | os.PathLike | bytes | Mapping[str, Any], *,
                  limits: LoadLimits = LoadLimits()) -> dict:
    """A model document from a path, raw bytes, or a dict (copied, and checked for depth).

    Raises:
        InputError: the input cannot be read as a model document (the message says why).
    """
    if isinstance(source, Mapping):
        doc = json.loads(json.dumps(source))  # a plain, independent copy
        _check_depth(doc, limits.max_depth)
        return doc
    if isinstance(source, (bytes, bytearray)):
        return parse_bytes(bytes(source), limits=limits)
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise TooLargeError(
                f"{path} is {_human(size)}, over the {_human(limits.max_bytes)} limit for a model file")
        raw = path.read_bytes()
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a model file") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read: {exc.strerror or exc}") from None
    return parse_bytes(raw, limits=limits, source=str(path))
