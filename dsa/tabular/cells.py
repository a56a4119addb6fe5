"""Spreadsheet cells that are safe to open in Excel (no formula injection).

A spreadsheet program treats text beginning with ``=``, ``+``, ``-`` or ``@``
(and, in some, tab or carriage return) as a formula, so a party named
``=HYPERLINK("http://evil","click")`` would run when an IG lead opens the
export (OWASP "CSV injection"). Every string cell we write that starts with
one of those characters gets a leading apostrophe, which spreadsheet
programs show as text; ``unescape`` takes it off again on import. Numbers are
written as numbers, never prefixed.

A trigger hidden behind leading whitespace, a no-break or zero-width space
or a byte-order mark counts too: some spreadsheet programs skip those.

The scheme is exactly reversible: a value that already starts with an
apostrophe followed by a dangerous character (``'=x``) gets one more
apostrophe, so ``unescape(neutralise(v)) == v`` for every string.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DANGEROUS", "neutralise", "unescape", "needs_prefix"]

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet may skip or show as nothing before a formula trigger: ordinary and Unicode spaces,
# line breaks, the no-break and zero-width spaces, joiners, the word joiner and a byte-order mark.
_INVISIBLE = frozenset(" \n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005"
                       "\u2006\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060"
                       "\u3000\ufeff")


def needs_prefix(value: str) -> bool:
    """True when ``value`` would be read as a formula — a trigger after any apostrophes and invisible
    leading characters (so an apostrophe away from one counts too, which keeps ``unescape`` exact)."""
    for ch in value:
        if ch in DANGEROUS:
            return True
        if ch != "'" and ch not in _INVISIBLE:
            return False
    return False


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
