"""Cases small enough to work out by hand (fixed severities, known rates): the engine must agree exactly."""

from __future__ import annotations

import numpy as np
import pytest

from dsa.liability import SimulationConfig, assess, expected_values

from .conftest import FIXED, build, flow, model_doc, party

# With records 1,000, fraction 0.1 and identifiable data: 100 people affected.
RESPONSE = 5000 + 1.5 * 100            # £5,150 per incident
COMPENSATION = 100 * 0.02 * 750        # £1,500 per incident (not special category)
INCIDENT = RESPONSE + COMPENSATION


def means(doc, scenario="baseline"):
    return {p: v["mean"] for p, v in expected_values(build(doc))["scenarios"][scenario]["parties"].items()}


def test_independent_controllers_split_by_stage_source_and_transit_to_discloser_recipient_to_recipient():
    doc = model_doc([party("a"), party("b")], [flow("f", "a", "b", rate=0.5)], assumptions=FIXED)
    m = means(doc)
    assert m["a"] == pytest.approx(0.5 * 0.40 * INCIDENT)
    assert m["b"] == pytest.approx(0.5 * 0.60 * INCIDENT)


def test_processor_incident_controller_recovers_fault_share_with_recovery_probability():
    assumptions = dict(FIXED, stage={"source": 0, "transit": 0, "recipient": 1})
    doc = model_doc([party("gp"), party("sup", "supplier", "limited_company")],
                    [flow("f", "gp", "sup", "controller_to_processor", rate=1.0)], assumptions=assumptions)
    m = means(doc)
    recovered = 0.5 * 0.8  # processor_fault_share × recovery_probability
    assert m["gp"] == pytest.approx(INCIDENT * (1 - recovered))
    assert m["sup"] == pytest.approx(INCIDENT * recovered)


def test_processor_fine_falls_on_processor_with_fault_share_else_on_controller():
    assumptions = dict(FIXED, stage={"source": 0, "transit": 0, "recipient": 1},
                       fine_probability={"public": 0.0, "other": 1.0}, fine_median_gbp=10_000,
                       recovery_probability=0.0)
    doc = model_doc([party("gp"), party("sup", "supplier", "limited_company")],
                    [flow("f", "gp", "sup", "controller_to_processor", rate=1.0)], assumptions=assumptions)
    parties = expected_values(build(doc))["scenarios"]["baseline"]["parties"]
    assert parties["sup"]["components"]["fines"] == pytest.approx(5_000)
    assert parties["gp"]["components"]["fines"] == pytest.approx(5_000)
    assert parties["gp"]["components"]["compensation"] == pytest.approx(COMPENSATION)


def test_joint_controllers_split_losses_by_their_shares():
    doc = model_doc([party("a", "icb", "nhs_body"), party("b", "nhs_trust", "nhs_body")],
                    [flow("f", "a", "b", "joint_controllers", rate=2.0,
                          joint_controllers=[{"party": "a", "share": 0.7}, {"party": "b", "share": 0.3}])],
                    assumptions=FIXED)
    parties = expected_values(build(doc))["scenarios"]["baseline"]["parties"]
    assert parties["a"]["mean"] == pytest.approx(2.0 * 0.7 * INCIDENT)
    assert parties["b"]["mean"] == pytest.approx(2.0 * 0.3 * INCIDENT)
    # Art 82(4): the worst case for a is paying b's share of compensation too.
    assert parties["a"]["joint_worst_case_mean"] == pytest.approx(2.0 * (0.7 * INCIDENT + 0.3 * COMPENSATION))


def test_fines_are_capped_at_the_statutory_maximum_in_expectation():
    assumptions = dict(FIXED, fine_probability={"public": 1.0, "other": 1.0}, fine_median_gbp=50_000_000)
    doc = model_doc([party("a", "icb", "nhs_body", annual_turnover_gbp=100_000_000), party("b")],
                    [flow("f", "b", "a", rate=1.0, **{"risk": {"annual_incident_rate": 1.0,
                                                               "stage": {"source": 0, "transit": 0,
                                                                         "recipient": 1}}})],
                    assumptions=assumptions)
    fines = expected_values(build(doc))["scenarios"]["baseline"]["parties"]["a"]["components"]["fines"]
    assert fines == pytest.approx(17_500_000)  # max(£17.5m, 4% of £100m)


def _single_flow_with(clause, *, rate=3.0):
    assumptions = dict(FIXED, stage={"source": 1, "transit": 0, "recipient": 0})
    doc = model_doc([party("icb", "icb", "nhs_body"), party("gp"), party("tr", "nhs_trust", "nhs_body")],
                    [flow("f", "gp", "tr", rate=rate)], [clause],
                    [{"id": "s", "name": "S", "clauses": [clause["id"]]}], assumptions)
    return build(doc)


def test_indemnity_with_excess_and_per_incident_cap_moves_exactly_the_capped_amount_each_incident():
    clause = {"id": "c", "type": "indemnity", "name": "C", "indemnifier": "icb", "beneficiaries": ["gp"],
              "share": 0.9, "excess_gbp": 1_000, "cap_per_incident_gbp": 5_000}
    model = _single_flow_with(clause)
    result = assess(model, config=SimulationConfig(years=2_000, seed=3))
    counts = result.total_losses("baseline") / INCIDENT
    assert np.allclose(counts, np.round(counts))
    moved = min(0.9 * (INCIDENT - 1_000), 5_000)  # = 5,000: the cap binds
    assert np.allclose(result.yearly_losses("s", "gp"), counts * (INCIDENT - moved))
    assert np.allclose(result.yearly_losses("s", "icb"), counts * moved)


def test_annual_cap_limits_what_the_clause_transfers_in_a_year():
    clause = {"id": "c", "type": "indemnity", "name": "C", "indemnifier": "icb", "beneficiaries": ["gp"],
              "share": 1.0, "cap_annual_gbp": 10_000}
    model = _single_flow_with(clause)
    result = assess(model, config=SimulationConfig(years=2_000, seed=4))
    counts = np.round(result.total_losses("baseline") / INCIDENT)
    transferred = np.minimum(counts * INCIDENT, 10_000)
    assert np.allclose(result.yearly_losses("s", "icb"), transferred)
    assert np.allclose(result.yearly_losses("s", "gp"), counts * INCIDENT - transferred)
    assert (counts >= 2).any(), "some years must have several incidents for the cap to matter"


def test_conditional_indemnity_applies_in_proportion_to_the_condition_probability():
    clause = {"id": "c", "type": "indemnity", "name": "C", "indemnifier": "icb", "beneficiaries": ["gp"],
              "share": 1.0, "condition": {"description": "best practice", "probability": 0.25}}
    model = _single_flow_with(clause)
    expected = expected_values(model)["scenarios"]["s"]["parties"]
    assert expected["icb"]["mean"] == pytest.approx(3.0 * INCIDENT * 0.25)
    assert expected["gp"]["mean"] == pytest.approx(3.0 * INCIDENT * 0.75)


def test_insurance_pays_compensation_and_response_costs_above_the_excess_up_to_the_limit():
    assumptions = dict(FIXED, stage={"source": 1, "transit": 0, "recipient": 0})
    doc = model_doc([party("gp", insurance={"cyber_limit_gbp": 8_000, "excess_gbp": 2_000}), party("tr")],
                    [flow("f", "gp", "tr", rate=2.0)], assumptions=assumptions)
    result = assess(build(doc), config=SimulationConfig(years=3_000, seed=5))
    gross = result.yearly_losses("baseline", "gp")
    net = result.yearly_losses("baseline", "gp", net=True)
    assert np.allclose(net, gross - np.minimum(np.maximum(gross - 2_000, 0), 8_000))
    summary = result.to_json()["scenarios"]["baseline"]
    assert summary["parties"]["gp"]["net_mean"] == pytest.approx(net.mean())


def test_partners_share_the_net_loss_and_the_joint_and_several_case_is_the_whole_of_it():
    assumptions = dict(FIXED, stage={"source": 1, "transit": 0, "recipient": 0})
    doc = model_doc([party("gp", partners=4), party("solo", form="sole_trader"), party("tr", "nhs_trust", "nhs_body")],
                    [flow("f", "gp", "tr", rate=2.0), flow("g", "solo", "tr", rate=1.0)], assumptions=assumptions)
    result = assess(build(doc), config=SimulationConfig(years=5_000, seed=6))
    partners = result.to_json()["scenarios"]["baseline"]["partners"]
    gross = result.yearly_losses("baseline", "gp")
    assert partners["gp"]["partners"] == 4
    assert partners["gp"]["mean_per_partner"] == pytest.approx(gross.mean() / 4)
    assert partners["gp"]["joint_and_several_p99"] == pytest.approx(np.percentile(gross, 99))
    assert partners["gp"]["p99_per_partner"] == pytest.approx(np.percentile(gross, 99) / 4)
    assert partners["solo"]["partners"] == 1
    assert "tr" not in partners
