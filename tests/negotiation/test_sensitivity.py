"""Sensitivity: every assumption's range, applied alone, sorted by swing; exact where it can be."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dsa.assumptions import defaults, effective, ranges
from dsa.liability import SimulationConfig, expected_values
from dsa.model import Model, freeze
from dsa.negotiation.exact import ExactMeans
from dsa.negotiation.sensitivity import sensitivity
from tests.liability.conftest import FIXED, build, flow, model_doc, party


def test_every_range_has_a_source_and_brackets_a_value_of_the_right_shape():
    values = defaults()
    assert {r.key for r in ranges()} == set(values)
    for r in ranges():
        assert r.source.strip()
        current = values[r.key] if r.leaf is None else values[r.key][r.leaf]
        if isinstance(current, dict):
            assert set(r.low) == set(r.high) == set(current)
        elif isinstance(current, (int, float)):
            assert r.low <= current <= r.high


def test_ranges_are_not_model_keys_and_overrides_still_merge():
    assert "range" not in defaults()["base_rate"]
    merged = effective(overrides={"base_rate": {"sftp": 0.5}})
    assert merged["base_rate"]["sftp"] == 0.5 and merged["base_rate"]["secure_api"] == 0.01


def test_on_one_flow_the_swing_of_base_rate_on_the_exact_mean_is_the_hand_computed_one():
    doc = model_doc([party("gp"), party("trust", "nhs_trust", "nhs_body")], [flow("f", "gp", "trust")],
                    assumptions=FIXED)
    model = build(doc)
    # rate 0.01 (secure API, recipient Standards Met, weekly); affected 1,000 × 0.1 = 100, harm 1;
    # response £5,000 + £1.50 × 100 = £5,150; compensation 100 × 0.02 × £750 = £1,500; fines off.
    mean = 0.01 * (5_150 + 1_500)
    result = sensitivity(model, ("gp", "trust"), metric="party.mean")
    assert result["method"] == "exact"
    assert result["base"] == pytest.approx(mean)
    row = next(r for r in result["assumptions"] if r["assumption"] == "base_rate")
    assert row["low"] == pytest.approx(mean * 0.5) and row["high"] == pytest.approx(mean * 2)
    assert row["swing"] == pytest.approx(mean * 1.5)


def test_rows_are_sorted_by_swing_and_named_in_words(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    result = sensitivity(model, ("m81003", "m81004", "m81006"), metric="party.mean")
    swings = [r["swing"] for r in result["assumptions"]]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    assert all("_" not in r["name"] for r in result["assumptions"])
    assert any(r["name"] == "Incident rate factor for a recipient at Standards Met" for r in result["assumptions"])


def test_tail_metrics_and_insured_parties_are_simulated_and_say_so(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    result = sensitivity(model, ("m81001",), metric="partner.p99_9", config=SimulationConfig(years=1_000))
    assert result["method"] == "simulated" and result["years"] == 1_000 and result["seed"] == 0


def test_the_fast_exact_means_equal_the_engines_expected_values_at_every_range_end(herefordshire_doc):
    herefordshire_doc["flows"][0]["risk"] = {"claim_rate": 0.05, "annual_incident_rate": 0.1}
    model = Model.from_document(herefordshire_doc)
    fast = ExactMeans(model, "both")
    current = effective(model).values
    for r in ranges():
        for end in ("low", "high"):
            overrides = {r.key: r.override(current, end)}
            reference = expected_values(dataclasses.replace(model, assumptions=freeze(overrides)), ["both"])
            parties = reference["scenarios"]["both"]["parties"]
            expected = np.array([parties[p.id]["mean"] for p in model.parties])
            assert fast.party_means(overrides).sum(axis=1) == pytest.approx(expected, rel=1e-9, abs=1e-9)
