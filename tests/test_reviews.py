"""Review dates falling due, and the calendar file of them."""

from __future__ import annotations

import datetime as dt

from dsa.reviews import all_dates, due, ics


def test_every_recorded_date_is_listed_soonest_first(minimal_doc):
    dates = all_dates(minimal_doc)
    kinds = {d.kind for d in dates}
    assert {"partnership review", "processing contract", "s251 support"} <= kinds
    assert [d.date for d in dates] == sorted(d.date for d in dates)


def test_only_dates_within_90_days_or_past_are_due(minimal_doc):
    minimal_doc["partnership"]["review_date"] = "2027-03-01"
    today = dt.date(2027, 1, 1)
    assert [d.pointer for d in due(minimal_doc, today)] == ["/partnership/review_date"]
    assert due(minimal_doc, dt.date(2026, 11, 1)) == []
    overdue = due(minimal_doc, dt.date(2027, 4, 1))[0]
    assert overdue.describe(dt.date(2027, 4, 1)).endswith("(31 day(s) overdue)")


def test_bad_dates_are_ignored_not_fatal(minimal_doc):
    minimal_doc["partnership"]["review_date"] = "soon"
    minimal_doc["flows"][0]["processing_contract"] = "not an object"
    assert all(d.pointer != "/partnership/review_date" for d in all_dates(minimal_doc))


def test_the_calendar_file_is_valid_icalendar(minimal_doc):
    minimal_doc["partnership"]["name"] = "A; very, long\\name " + "x" * 80
    minimal_doc["partnership"]["review_date"] = "2027-03-01"
    data = ics(all_dates(minimal_doc), minimal_doc["partnership"]["name"], dt.date(2027, 1, 1))
    text = data.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == len(all_dates(minimal_doc))
    assert "DTSTART;VALUE=DATE:20270301" in text
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert "A\\; very\\, long\\\\name" in text.replace("\r\n ", "")
    assert ics(all_dates(minimal_doc), "p", dt.date(2027, 1, 1)) == ics(all_dates(minimal_doc), "p",
                                                                          dt.date(2027, 1, 1))
