"""Tail figures (negotiation.md §1): P(any loss), 1-in-200 and 1-in-1,000 years, TVaR99 — zeros counted."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dsa.liability import SimulationConfig, assess
from dsa.liability.summary import sparse_percentile, sparse_tvar99, tail_stats

from .conftest import FIXED, build, flow, model_doc, party
from .test_hand_computed import INCIDENT


def test_tail_figures_of_two_bad_years_in_a_thousand_count_the_998_empty_years():
    # Sparse path: 1,000 years, losses only in two of them.
    values = np.array([5_150.0, 10_300.0])
    tail = tail_stats(values, 1_000)
    assert tail["p_any"] == 0.002
    # Percentile 99.9 of 1,000 years sits at position 0.999 × 999 = 998.001: between the first loss (5,150,
    # position 998) and the second (10,300, position 999).
    assert tail["p99_9"] == pytest.approx(5_150 + 0.001 * 5_150)
    # Position 0.995 × 999 = 994.005: among the zeros.
    assert tail["p99_5"] == 0.0
    # TVaR99 averages the worst 10 years: two losses and eight zeros.
    assert tail["tvar99"] == pytest.approx((5_150 + 10_300) / 10)


def test_tvar99_rounds_the_number_of_worst_years_up():
    assert sparse_tvar99(np.array([100.0]), 150) == pytest.approx(100 / 2)  # ceil(150 / 100) = 2 years
    assert sparse_tvar99(np.array([1.0, 2.0, 3.0]), 100) == 3.0             # the worst single year


def test_sparse_percentile_equals_numpy_on_the_dense_years():
    rng = np.random.default_rng(1)
    dense = np.where(rng.random(2_345) < 0.03, rng.lognormal(8, 1, 2_345), 0.0)
    nonzero = np.sort(dense[dense > 0])
    for q in (50, 90, 99, 99.5, 99.9):
        assert sparse_percentile(nonzero, dense.size, q) == pytest.approx(np.percentile(dense, q))


def _fixed_model(rate, **gp):
    assumptions = dict(FIXED, stage={"source": 1, "transit": 0, "recipient": 0})
    doc = model_doc([party("gp", partners=4, **gp), party("tr", "nhs_trust", "nhs_body")],
                    [flow("f", "gp", "tr", rate=rate)], assumptions=assumptions)
    return build(doc)


@pytest.mark.parametrize("rate", [0.004, 0.8])  # sparse (most years empty) and busy
def test_engine_tail_figures_equal_those_of_the_dense_yearly_losses(rate):
    years = 4_000
    result = assess(_fixed_model(rate), config=SimulationConfig(years=years, seed=7))
    gross = result.yearly_losses("baseline", "gp")
    counts = gross / INCIDENT
    assert np.allclose(counts, np.round(counts))  # fixed severities: every year a whole number of incidents
    stats = result.to_json()["scenarios"]["baseline"]["parties"]["gp"]
    worst = np.sort(gross)[-math.ceil(years / 100):]
    assert stats["p_any"] == np.count_nonzero(gross) / years
    assert stats["p99_5"] == pytest.approx(np.percentile(gross, 99.5))
    assert stats["p99_9"] == pytest.approx(np.percentile(gross, 99.9))
    assert stats["tvar99"] == pytest.approx(worst.mean())
    # No insurance: the net figures are the gross ones.
    for key in ("p_any", "p99_5", "p99_9", "tvar99"):
        assert stats[f"net_{key}"] == pytest.approx(stats[key])


def test_insured_partner_figures_are_those_of_net_divided_by_partners():
    years = 3_000
    model = _fixed_model(3.0, insurance={"cyber_limit_gbp": 8_000, "excess_gbp": 2_000})
    result = assess(model, config=SimulationConfig(years=years, seed=8))
    doc = result.to_json()
    net = result.yearly_losses("baseline", "gp", net=True)
    gross = result.yearly_losses("baseline", "gp")
    stats = doc["scenarios"]["baseline"]["parties"]["gp"]
    assert stats["net_p99_9"] == pytest.approx(np.percentile(net, 99.9))
    assert stats["net_tvar99"] == pytest.approx(np.sort(net)[-30:].mean())
    assert stats["net_p99"] == pytest.approx(np.percentile(net, 99))
    assert stats["p99_9"] == pytest.approx(np.percentile(gross, 99.9))
    assert stats["net_p99_9"] < stats["p99_9"]  # the insurance pays part of the worst years
    partner = doc["scenarios"]["baseline"]["partners"]["gp"]
    share = net / 4
    assert partner["p_any"] == stats["net_p_any"] == np.count_nonzero(net) / years
    assert partner["p99_5_per_partner"] == pytest.approx(np.percentile(share, 99.5))
    assert partner["p99_9_per_partner"] == pytest.approx(np.percentile(share, 99.9))
    assert partner["tvar99_per_partner"] == pytest.approx(np.sort(share)[-30:].mean())
    assert doc["partner_threshold_gbp"] == 10_000
    assert partner["p_exceed_per_partner"] == np.count_nonzero(share > 10_000) / years
    assert 0 < partner["p_exceed_per_partner"] < 1


def test_the_partner_threshold_is_an_assumption_a_model_can_override():
    assumptions = dict(FIXED, stage={"source": 1, "transit": 0, "recipient": 0}, partner_threshold_gbp=1_000)
    doc = model_doc([party("gp", partners=2), party("tr", "nhs_trust", "nhs_body")],
                    [flow("f", "gp", "tr", rate=1.0)], assumptions=assumptions)
    result = assess(build(doc), config=SimulationConfig(years=2_000, seed=9))
    share = result.yearly_losses("baseline", "gp", net=True) / 2
    partner = result.to_json()["scenarios"]["baseline"]["partners"]["gp"]
    assert partner["p_exceed_per_partner"] == np.count_nonzero(share > 1_000) / 2_000
