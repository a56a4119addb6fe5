"""The practices table as downloaded: money in whole pounds, chances kept as chances."""

from __future__ import annotations

from dsa.liability.tables import is_probability, rounded_row


def test_a_download_keeps_a_chance_to_four_places_and_rounds_pounds_to_whole_pounds():
    row = {"practice": "Riverside Surgery", "partners": 4, "mean_after": 1234.56, "p99_after": 99.5,
           "p_exceed_per_partner_before": 0.01234, "p_exceed_per_partner_after": 0.00049,
           "per_partner_mean_after": None}
    assert rounded_row(row) == {"practice": "Riverside Surgery", "partners": 4, "mean_after": 1235,
                                "p99_after": 100, "p_exceed_per_partner_before": 0.0123,
                                "p_exceed_per_partner_after": 0.0005, "per_partner_mean_after": None}


def test_probability_columns_are_told_from_money_columns():
    assert is_probability("p_exceed_per_partner_after") and is_probability("p_any_breach")
    assert not is_probability("p99_after") and not is_probability("p99_9_before")
    assert not is_probability("per_partner_p99_9_after") and not is_probability("mean_change")
