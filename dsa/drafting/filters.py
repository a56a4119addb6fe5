"""Jinja filters shared by every template. Each docstring shows how a template uses it.

User text reaches templates only through these filters or as plain values:
templates are data-free source, so Jinja never evaluates what a user typed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Iterable

from ..errors import DraftingError
from ..text import money as pounds, one_line

__all__ = ["FILTERS", "md", "money", "long_date", "prose_list", "basis_words", "purpose_words", "cell"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f⟦⟧]")  # ⟦⟧: render's private tokens
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")

PURPOSES = {
    "direct_care": "direct care of individuals", "population_health_management": "population health management",
    "risk_stratification": "risk stratification for case finding", "planning": "planning of services",
    "commissioning": "commissioning of services", "invoice_validation": "invoice validation",
    "research": "research", "public_health": "public health", "safeguarding": "safeguarding", "other": "other purposes",
}
ARTICLE_6 = {
    "6(1)(a)": "consent (UK GDPR Art 6(1)(a))", "6(1)(b)": "contract (Art 6(1)(b))",
    "6(1)(c)": "legal obligation (Art 6(1)(c))", "6(1)(d)": "vital interests (Art 6(1)(d))",
    "6(1)(e)": "public task (Art 6(1)(e))", "6(1)(ea)": "recognised legitimate interest (Art 6(1)(ea))",
    "6(1)(f)": "legitimate interests (Art 6(1)(f))",
}
ARTICLE_9 = {
    "9(2)(a)": "explicit consent (Art 9(2)(a))", "9(2)(b)": "employment and social protection (Art 9(2)(b))",
    "9(2)(c)": "vital interests (Art 9(2)(c))", "9(2)(d)": "not-for-profit bodies (Art 9(2)(d))",
    "9(2)(e)": "made public by the data subject (Art 9(2)(e))", "9(2)(f)": "legal claims (Art 9(2)(f))",
    "9(2)(g)": "substantial public interest (Art 9(2)(g))", "9(2)(h)": "health and social care (Art 9(2)(h))",
    "9(2)(i)": "public health (Art 9(2)(i))", "9(2)(j)": "archiving, research and statistics (Art 9(2)(j))",
}
COMMON_LAW = {
    "implied_consent": "implied consent for individual care", "explicit_consent": "explicit consent",
    "s251": "support under s.251 NHS Act 2006 (COPI Regulations 2002)", "legal_requirement": "a legal requirement",
    "overriding_public_interest": "overriding public interest", "not_confidential": "not confidential (anonymised)",
}


def md(value: Any) -> str:
    """Escape user text for Markdown: ``{{ party.name | md }}``. One line: control characters are removed,
    line breaks and Unicode line/paragraph separators become spaces (dsa.text.one_line)."""
    text = one_line(_CONTROL.sub("", "" if value is None else str(value)))
    return _MD_SPECIAL.sub(r"\\\1", text)


def cell(value: Any) -> str:
    """Like ``md`` for a table cell: ``| {{ flow.name | cell }} |``."""
    return md(value)


def money(value: Any) -> str:
    """Pounds with thousands separators: ``{{ 1234.5 | money }}`` → ``£1,235``."""
    if value is None:
        return "not available"
    return pounds(_finite(value))


def long_date(value: Any) -> str:
    """An ISO date in words: ``{{ '2026-11-01' | long_date }}`` → ``1 November 2026``."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return md(value)
    return f"{day.day} {day.strftime('%B %Y')}"


def prose_list(items: Iterable[Any], conjunction: str = "and") -> str:
    """Items in prose: ``{{ ['a', 'b', 'c'] | prose_list }}`` → ``a, b and c`` (items are not escaped)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def basis_words(code: Any, table: str = "article_6") -> str:
    """A legal-basis code in words: ``{{ '6(1)(e)' | basis_words }}`` → ``public task (Art 6(1)(e))``."""
    words = {"article_6": ARTICLE_6, "article_9": ARTICLE_9, "common_law": COMMON_LAW}[table]
    return words.get(code, md(code)) if code else "none"


def purpose_words(code: Any) -> str:
    """A purpose code in words: ``{{ 'direct_care' | purpose_words }}`` → ``direct care of individuals``."""
    return PURPOSES.get(code, md(code))


def pct(value: Any) -> str:
    """A share as a percentage: ``{{ 0.9 | pct }}`` → ``90%``."""
    return f"{_finite(value) * 100:.0f}%"


def _finite(value: Any) -> float:
    """A figure for a legal document; never "£inf" or "nan%" (a figure that is not finite stops the draft)."""
    amount = float(value)
    if not math.isfinite(amount):
        raise DraftingError(f"a figure for the agreement is not a finite number ({amount}); the model's figures "
                            "are out of range, so nothing was drafted")
    return amount


FILTERS = {"md": md, "cell": cell, "money": money, "long_date": long_date, "prose_list": prose_list,
           "basis_words": basis_words, "purpose_words": purpose_words, "pct": pct}
