"""Spreadsheet cells that are safe to open in Excel (no formula injection).

A spreadsheet program treats text beginning with ``=``, ``+``, ``-`` or ``@``
(and, in some, tab or carriage return) as a formula, so a party named
``=HYPERLINK("http://evil","click")`` would run when an IG lead opens the
export (OWASP "CSV injection"). Every string cell we write that starts with
one of those characters gets a leading apostrophe, which spreadsheet
programs show as text; ``unescape`` takes it off again on import. Numbers are
written as numbers, never prefixed.

The scheme is exactly reversible: a value that already starts with an
apostrophe followed by a dangerous character (``'=x``) gets one more
apostrophe, so ``unescape(neutralise(v)) == v`` for every string.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DANGEROUS", "neutralise", "unescape", "needs_prefix"]

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def needs_prefix(value: str) -> bool:
    """True when ``value`` would be read as a formula (or is an apostrophe away from one)."""
    i = 0
    while i < len(value) and value[i] == "'":
        i += 1
    return i < len(value) and value[i] in DANGEROUS


def neutralise(value: Any) -> Any:
    """The cell value to write: dangerous strings get a leading apostrophe; anything else unchanged."""
    if isinstance(value, str) and needs_prefix(value):
        return "'" + value
    return value


def unescape(value: Any) -> Any:
    """The value an exported cell stood for: one leading apostrophe stripped from a neutralised string."""
    if isinstance(value, str) and value.startswith("'") and needs_prefix(value[1:]):
        return value[1:]
    return value
