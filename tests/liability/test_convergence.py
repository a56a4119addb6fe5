"""Simulated means agree with the exact expected values on light-tailed models.

Fixed severities (no spread in the fraction, award or fine) keep the yearly
loss light-tailed, so its sample standard error is trustworthy; seeds are fixed,
so each test either always passes or always fails (never flaky).
"""

from __future__ import annotations

import numpy as np
import pytest

from dsa.liability import SimulationConfig, assess, expected_values

from .conftest import FIXED, build

YEARS = 20_000
BAND = 5  # standard errors


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("scenario", ["baseline", "indemnity", "pool", "both"])
def test_simulated_means_agree_with_expected_values_within_five_standard_errors(three_party_doc, seed, scenario):
    three_party_doc["assumptions"] = dict(FIXED, fine_probability={"public": 0.02, "other": 0.05},
                                          fine_median_gbp=20_000)
    model = build(three_party_doc)
    simulated = assess(model, config=SimulationConfig(years=YEARS, seed=seed))
    exact = expected_values(model)["scenarios"][scenario]["parties"]
    for party in model.parties:
        yearly = simulated.yearly_losses(scenario, party.id)
        se = yearly.std(ddof=1) / np.sqrt(YEARS)
        assert abs(yearly.mean() - exact[party.id]["mean"]) <= BAND * se + 1e-9, party.id


def test_expected_mode_marks_a_scenario_with_caps_as_simulated(three_party_doc):
    three_party_doc["clauses"][0]["cap_annual_gbp"] = 10_000
    doc = expected_values(build(three_party_doc), config=SimulationConfig(years=500, seed=2))
    assert doc["scenarios"]["indemnity"]["exact"] is False
    assert doc["scenarios"]["baseline"]["exact"] is True
    assert doc["years"] == 500 and doc["seed"] == 2


def test_expected_mode_has_no_net_mean_for_an_insured_party(three_party_doc):
    three_party_doc["parties"][1]["insurance"] = {"cyber_limit_gbp": 100_000, "excess_gbp": 1_000}
    doc = expected_values(build(three_party_doc))
    assert doc["scenarios"]["baseline"]["parties"]["gp"]["net_mean"] is None
    assert doc["scenarios"]["baseline"]["parties"]["icb"]["net_mean"] is not None
