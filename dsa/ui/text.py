"""Everything a person reads on the dashboard goes through here: model text escaped, money and odds in words.

``safe`` is the one escaping helper for model text shown as Markdown (names,
descriptions, messages that quote them): Markdown links, images and HTML never
render from what a user typed. ``plain`` turns a finding's message into words
(labels for enum values, no specification file names). The rest format figures
the way a partner writes them.
"""

from __future__ import annotations

import math
import re
from typing import Any, Iterable, Mapping

from ..labels import BY_FIELD
from ..text import money, one_line

__all__ = ["safe", "enum_label", "plain", "money", "change", "one_in", "percent", "names"]

# The characters Markdown gives a meaning to; the same set the drafts escape (dsa.drafting.filters.md), kept
# here so the first page load need not load the drafting package.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")

_QUOTED = re.compile(r"'([a-z0-9_()]+)'")
_SPEC_REFERENCE = re.compile(r"\s*\([^()]*(?:\.md\b|domain brief)[^()]*\)")
_ENUM_LABELS: dict[str, str] = {}
for _field, _table in BY_FIELD.items():
    if _field in ("severity",):
        continue
    for _value, _label in _table.items():
        _ENUM_LABELS.setdefault(_value, _label)


_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(:|\.)")


def safe(value: Any) -> str:
    """Model text made inert for ``st.markdown``: ``[x](http://…)``, ``![x](…)``, ``<b>`` and bare addresses
    (which Markdown would turn into links) show as typed."""
    escaped = _MD_SPECIAL.sub(r"\\\1", one_line(value))
    return _AUTOLINK.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped)


def enum_label(value: str) -> str:
    """The plain label of any enum value of the model (the value itself when it is not one)."""
    return _ENUM_LABELS.get(value, value)


_TOKEN = re.compile(r"(?<![\w/.-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\.[a-z0-9_]+)*|[a-z][a-z0-9_]*\.[a-z0-9_]+)"
                    r"(?![\w/-])")


def _field_words() -> dict[str, str]:
    """Field names and dotted paths a message may use → the form's label."""
    from .fields import FIELDS, GROUPS, SHORT  # fields needs the schema; loaded on first use

    out: dict[str, str] = {}
    for section in FIELDS.values():
        for f in section:
            label = SHORT.get(f.path, f.label)
            out.setdefault(".".join(f.path), label)
            out.setdefault(f.path[-1], label) if "_" in f.path[-1] else None
    for key, label in GROUPS.items():
        out.setdefault(key, label)
    return out


_WORDS: dict[str, str] = {}


def plain(message: str) -> str:
    """A finding's message or fix in words: enum values and field names become labels, spec file names go."""
    if not _WORDS:
        _WORDS.update(_field_words())
    text = _SPEC_REFERENCE.sub("", message)
    text = _QUOTED.sub(lambda m: f"'{_ENUM_LABELS[m.group(1)]}'" if m.group(1) in _ENUM_LABELS else m.group(0),
                       text)

    def word(m: re.Match) -> str:
        token = m.group(1)
        if token in _ENUM_LABELS:
            return _ENUM_LABELS[token]
        if token in _WORDS:
            return f"‘{_WORDS[token]}’"
        return token

    return _TOKEN.sub(word, text)


def change(value: Any) -> str:
    """A change in pounds in words: "saves £116", "adds £2,000", "no change"."""
    if value is None:
        return "—"
    amount = round(float(value))
    if amount == 0:
        return "no change"
    return f"adds £{amount:,}" if amount > 0 else f"saves £{-amount:,}"


def one_in(probability: Any) -> str:
    """A yearly probability as odds a partner reads: 0.004 → "1 year in 250"."""
    if probability is None or not isinstance(probability, (int, float)) or probability <= 0:
        return "never in the simulated years"
    if probability >= 1:
        return "every year"
    n = 1 / probability
    if n < 1.5:
        return f"{probability:.0%} of years"
    return f"1 year in {_round_odds(n):,}"


def _round_odds(n: float) -> int:
    """Two significant figures: 1 in 1,234 reads as 1 in 1,200."""
    digits = max(int(math.floor(math.log10(n))) - 1, 0)
    return int(round(n, -digits))


def percent(probability: Any) -> str:
    if probability is None:
        return "—"
    p = float(probability)
    return f"{p:.1%}" if p >= 0.001 or p == 0 else f"{p:.2%}"


def names(ids: Iterable[str], by_id: Mapping[str, str]) -> str:
    return ", ".join(by_id.get(i, i) for i in ids)
