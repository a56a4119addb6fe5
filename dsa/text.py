"""Text that every output can hold: the one place that decides what a document or a cell may contain.

A model's free text may hold anything JSON holds (validation refuses control
characters only in names). XML — so Word and Excel files — cannot hold most C0
control characters or U+FFFE/U+FFFF, and a Unicode line or paragraph separator
(U+2028, U+2029, U+0085) is a line break to Word and to Python's
``str.splitlines``, so in a one-line context (a name in a sentence, a table
cell) it would start a new paragraph, a bullet or a table row. Every output
path (Markdown, DOCX, XLSX, CSV) passes text through these functions; the
model itself is never changed, and an export that must round-trip carries the
exact text in its JSON ``extra`` column instead (``dsa.tabular``).
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterator

__all__ = ["EXCEL_CELL_LIMIT", "REPLACEMENT", "money", "xml_safe", "one_line", "paragraphs", "writable", "xml_escape_json",
           "unwritable_fields"]

#: The most characters one Excel cell holds.
EXCEL_CELL_LIMIT = 32_767
#: What stands in for a character no XML file can hold (shown, so the reader sees something was there).
REPLACEMENT = "\ufffd"

# XML 1.0 Char excludes C0 controls other than tab, LF and CR, the surrogates and U+FFFE/U+FFFF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Every character str.splitlines() (and Word) treats as a line or paragraph break, plus tab.
_BREAKS = re.compile("\r\n|[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_SEPARATORS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def xml_safe(value: Any) -> str:
    """``value`` as text an XML file can hold: each forbidden character becomes U+FFFD."""
    text = "" if value is None else str(value)
    return _XML_FORBIDDEN.sub(REPLACEMENT, text)


def one_line(value: Any) -> str:
    """``value`` as one line (a name in a sentence, a table cell): line breaks and separators become spaces."""
    return _BREAKS.sub(" ", xml_safe(value))


def paragraphs(value: Any) -> str:
    """``value`` as multi-line text whose only line break is ``\\n`` (separators become ``\\n``)."""
    return _SEPARATORS.sub("\n", xml_safe(value))


def xml_escape_json(text: str) -> str:
    """JSON text with every character XML cannot hold written as a ``\\uXXXX`` escape (same JSON value)."""
    return _XML_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def writable(value: str) -> bool:
    """Whether ``value`` goes into an XML file (a cell, a Word run) exactly as it is."""
    return _XML_FORBIDDEN.search(value) is None


def unwritable_fields(doc: Any, prefix: str = "") -> Iterator[str]:
    """JSON pointers of the strings in ``doc`` that no XML file can hold exactly (they are neutralised)."""
    stack = [(doc, prefix)]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if not writable(value) or _SEPARATORS.search(value):
                yield path or "/"
        elif isinstance(value, dict):
            stack.extend((v, f"{path}/{str(k).replace('~', '~0').replace('/', '~1')}")
                         for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend((v, f"{path}/{i}") for i, v in reversed(list(enumerate(value))))


_SECTIONS = {"parties": "party", "flows": "flow", "clauses": "clause", "scenarios": "scenario"}


def describe_field(doc: Any, pointer: str) -> str:
    """A JSON pointer in words a reader follows: ``/flows/2/data/justification`` → 'flow "Weekly extract",
    data justification'."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("/").split("/") if p]
    where, rest = "the model", parts
    if len(parts) >= 2 and parts[0] in _SECTIONS and parts[1].isdigit() and isinstance(doc, dict):
        items = doc.get(parts[0])
        item = items[int(parts[1])] if isinstance(items, list) and int(parts[1]) < len(items) else None
        label = item.get("name") if isinstance(item, dict) and isinstance(item.get("name"), str) else None
        where = f'{_SECTIONS[parts[0]]} "{one_line(label)}"' if label else f"{_SECTIONS[parts[0]]} {int(parts[1]) + 1}"
        rest = parts[2:]
    elif parts and parts[0] == "partnership":
        where, rest = "the partnership", parts[1:]
    words = " ".join(p.replace("_", " ") if not p.isdigit() else f"item {int(p) + 1}" for p in rest)
    return f"{where}, {words}" if words else where


def neutralised_notes(doc: Any) -> list[str]:
    """One sentence per piece of model text that a document shows changed (for a pack's drafting notes)."""
    return [f"The text of {describe_field(doc, p)} holds characters a document cannot show (control characters "
            "or line separators); the drafts show them as spaces or \ufffd. Correct the text in the model."
            for p in unwritable_fields(doc)]


def money(value: Any, missing: str = "—") -> str:
    """Pounds as people write them: £12,345; −£116 for a negative amount; ``missing`` when there is no figure."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return missing
    amount = round(float(value))
    return f"−£{-amount:,}" if amount < 0 else f"£{amount:,}"
