"""Dates a partnership must act on: its review date, processing contracts and s251 approvals.

``due(document, today)`` lists every such date that has passed or falls within
the notice window (default 90 days); ``ics(...)`` gives them as an iCalendar
file (RFC 5545) for the IG lead's calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

NOTICE_DAYS = 90


@dataclass(frozen=True, slots=True)
class DueDate:
    kind: str           # "partnership review", "processing contract", "s251 support"
    what: str           # a sentence naming the item
    date: dt.date
    pointer: str        # where the date is in the model

    def days_left(self, today: dt.date) -> int:
        return (self.date - today).days

    def describe(self, today: dt.date) -> str:
        days = self.days_left(today)
        when = (f"{-days} day(s) overdue" if days < 0 else "due today" if days == 0 else f"due in {days} day(s)")
        return f"{self.what}: {self.date.isoformat()} ({when})"


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def all_dates(document: Mapping[str, Any]) -> list[DueDate]:
    """Every review, contract expiry and s251 expiry the model records, soonest first."""
    out = []
    partnership = document.get("partnership") or {}
    if isinstance(partnership, Mapping) and (d := _date(partnership.get("review_date"))):
        out.append(DueDate("partnership review", f"Review of {partnership.get('name', 'the partnership')}", d,
                           "/partnership/review_date"))
    for i, flow in enumerate(document.get("flows") or []):
        if not isinstance(flow, Mapping):
            continue
        name = flow.get("name") or flow.get("id") or f"flow {i + 1}"
        contract = flow.get("processing_contract")
        if isinstance(contract, Mapping) and (d := _date(contract.get("expires"))):
            ref = f" {contract['reference']}" if contract.get("reference") else ""
            out.append(DueDate("processing contract", f"Processing contract{ref} for '{name}' expires", d,
                               f"/flows/{i}/processing_contract/expires"))
        s251 = flow.get("s251")
        if isinstance(s251, Mapping) and (d := _date(s251.get("expires"))):
            ref = f" {s251['cag_reference']}" if s251.get("cag_reference") else ""
            out.append(DueDate("s251 support", f"Section 251 support{ref} for '{name}' expires", d,
                               f"/flows/{i}/s251/expires"))
    return sorted(out, key=lambda x: (x.date, x.pointer))


def due(document: Mapping[str, Any], today: dt.date, notice_days: int = NOTICE_DAYS) -> list[DueDate]:
    """The dates that have passed or fall within ``notice_days`` of ``today``."""
    return [d for d in all_dates(document) if d.days_left(today) <= notice_days]


def _ics_text(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r", "").replace("\n", "\\n"))


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue after CRLF and a space."""
    out, current = [], ""
    for ch in line:
        if len((current + ch).encode("utf-8")) > 75:
            out.append(current)
            current = " " + ch
        else:
            current += ch
    return out + [current]


def ics(dates: Iterable[DueDate], partnership: str, stamp: dt.date) -> bytes:
    """An iCalendar file with one all-day event per date; the same input gives the same bytes."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//dsa//partnership reviews//EN", "CALSCALE:GREGORIAN"]
    for d in dates:
        uid = f"{d.pointer.strip('/').replace('/', '-')}-{d.date.isoformat()}@dsa"
        lines += ["BEGIN:VEVENT", f"UID:{_ics_text(uid)}", f"DTSTAMP:{stamp.strftime('%Y%m%d')}T000000Z",
                  f"DTSTART;VALUE=DATE:{d.date.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(d.date + dt.timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{_ics_text(d.what)}",
                  f"DESCRIPTION:{_ics_text(f'{d.kind} in the partnership {partnership} ({d.pointer})')}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n").encode("utf-8")
