"""Properties the engine must hold on any model (liability-model.md section 8), checked with hypothesis."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsa.liability import SimulationConfig, assess
from dsa.liability.clauses import indemnity_clauses
from dsa.liability.parameters import build_layout, fine_cap
from dsa.liability.simulate import simulate_chunk
from dsa.assumptions import effective

from .conftest import build, flow, model_doc, party

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMS = ["partnership", "sole_trader", "limited_company", "nhs_body"]


@st.composite
def models(draw, *, annual_cap=None, share=None):
    n = draw(st.integers(2, 4))
    forms = [draw(st.sampled_from(FORMS)) for _ in range(n)]
    parties = [party(f"p{i}", "gp_practice" if forms[i] in ("partnership", "sole_trader") else "nhs_trust",
                     forms[i], partners=draw(st.integers(1, 6)),
                     dspt_status=draw(st.sampled_from(["standards_met", "approaching_standards", "not_published"])),
                     annual_turnover_gbp=draw(st.sampled_from([None, 1e6, 1e9])))
               for i in range(n)]
    for p in parties:
        if p["annual_turnover_gbp"] is None:
            del p["annual_turnover_gbp"]
    parties.append(party("icb", "icb", "nhs_body"))
    flows = []
    for k in range(draw(st.integers(1, 5))):
        a, b = draw(st.sampled_from([(i, j) for i in range(n + 1) for j in range(n + 1) if i != j]))
        src, dst = parties[a]["id"], parties[b]["id"]
        rel = draw(st.sampled_from(["independent_controllers", "controller_to_processor", "joint_controllers"]))
        extra = {}
        if rel == "joint_controllers":
            s = draw(st.sampled_from([0.5, 0.25, 0.8]))
            extra["joint_controllers"] = [{"party": src, "share": s}, {"party": dst, "share": 1 - s}]
        flows.append(flow(f"f{k}", src, dst, rel, rate=draw(st.sampled_from([0.2, 1.0, 3.0])),
                          records=draw(st.integers(0, 50_000)),
                          identifiability=draw(st.sampled_from(["identifiable", "pseudonymised", "aggregate"])),
                          special=draw(st.booleans()),
                          purpose=draw(st.sampled_from(["direct_care", "population_health_management"])), **extra))
    indemnity = {"id": "ind", "type": "indemnity", "name": "Indemnity", "indemnifier": "icb",
                 "beneficiaries": {"party_type": "gp_practice"} if any(p["type"] == "gp_practice" for p in parties)
                 else [parties[0]["id"]],
                 "share": share if share is not None else draw(st.sampled_from([0.0, 0.5, 0.9, 1.0])),
                 "covers": draw(st.sampled_from([["compensation", "response_costs"], ["compensation", "fines"]])),
                 "excess_gbp": draw(st.sampled_from([0, 1000])),
                 "condition": {"description": "best practice"}}
    if annual_cap is not None:
        indemnity["cap_annual_gbp"] = annual_cap
    if draw(st.booleans()):
        indemnity["cap_per_incident_gbp"] = 20_000
    pool = {"id": "pool", "type": "risk_pool", "name": "Pool",
            "members": [{"party": "icb", "share": 0.6}, {"party": parties[0]["id"], "share": 0.4}]}
    scenarios = [{"id": "ind", "name": "I", "clauses": ["ind"]}, {"id": "pool", "name": "P", "clauses": ["pool"]},
                 {"id": "both", "name": "B", "clauses": ["pool", "ind"]}]
    return model_doc(parties, flows, [indemnity, pool], scenarios)


CONFIG = SimulationConfig(years=400, seed=11)


@SETTINGS
@given(models())
def test_every_simulated_year_conserves_the_total_loss_in_every_scenario(doc):
    model = build(doc)
    result = assess(model, config=CONFIG)
    total = result.total_losses("baseline")
    for sid in result.scenario_ids:
        by_party = sum(result.yearly_losses(sid, p.id) for p in model.parties)
        assert np.allclose(by_party, total, rtol=1e-6, atol=1e-3)
        assert np.allclose(result.total_losses(sid), total, rtol=1e-9, atol=1e-6)


@SETTINGS
@given(models(), st.sampled_from([0.1, 0.4]), st.sampled_from([0.6, 1.0]))
def test_raising_an_uncapped_indemnity_share_never_raises_a_beneficiarys_loss_in_any_year(doc, low, high):
    losses = {}
    for share in (low, high):
        doc["clauses"][0]["share"] = share
        model = build(doc)
        result = assess(model, scenarios=["ind"], config=CONFIG)
        losses[share] = {b: result.yearly_losses("ind", b) for b in model.beneficiaries(model.clause("ind"))}
    for b in losses[low]:
        assert np.all(losses[high][b] <= losses[low][b] + 1e-6)


@SETTINGS
@given(models(annual_cap=30_000), st.sampled_from([0.1, 0.4]), st.sampled_from([0.6, 1.0]))
def test_with_an_annual_cap_raising_the_share_never_raises_the_beneficiaries_total(doc, low, high):
    totals = {}
    for share in (low, high):
        doc["clauses"][0]["share"] = share
        model = build(doc)
        result = assess(model, scenarios=["ind"], config=CONFIG)
        totals[share] = sum(result.yearly_losses("ind", b) for b in model.beneficiaries(model.clause("ind")))
    assert np.all(totals[high] <= totals[low] + 1e-6)


@SETTINGS
@given(models())
def test_no_fine_exceeds_the_statutory_maximum(doc):
    doc["assumptions"] = {"fine_probability": {"public": 0.5, "other": 0.5}, "fine_median_gbp": 30_000_000}
    model = build(doc)
    layout = build_layout(model, effective(model))
    chunk = simulate_chunk(layout, np.random.default_rng(1), 200, len(indemnity_clauses(model)))
    fined = np.flatnonzero(chunk.fines)  # entries: one per (incident, party)
    caps = fine_cap(layout, chunk.flow[chunk.inc[fined]], chunk.party[fined])
    assert np.all(chunk.fines[fined] <= caps + 1e-6)
    assert np.all(caps >= 17_500_000)


@SETTINGS
@given(models())
def test_the_same_seed_gives_the_same_figures_bit_for_bit(doc):
    model = build(doc)
    assert assess(model, config=CONFIG).to_json() == assess(model, config=CONFIG).to_json()


@SETTINGS
@given(models())
def test_every_scenario_is_assessed_on_the_same_incidents(doc):
    model = build(doc)
    alone = assess(model, scenarios=[], config=CONFIG).to_json()["scenarios"]["baseline"]
    together = assess(model, config=CONFIG).to_json()["scenarios"]["baseline"]
    assert alone == together
    only_ind = assess(model, scenarios=["ind"], config=CONFIG).to_json()["scenarios"]["ind"]
    assert only_ind == assess(model, config=CONFIG).to_json()["scenarios"]["ind"]


def test_a_scenario_whose_clauses_never_apply_equals_the_baseline(three_party_doc):
    three_party_doc["clauses"][0]["applies_to"] = {"purposes": ["research"]}
    result = assess(build(three_party_doc), scenarios=["indemnity"], config=CONFIG).to_json()["scenarios"]
    assert result["indemnity"] == result["baseline"]


def test_a_different_seed_gives_different_draws(three_party_doc):
    model = build(three_party_doc)
    a = assess(model, config=SimulationConfig(years=300, seed=1)).to_json()
    b = assess(model, config=SimulationConfig(years=300, seed=2)).to_json()
    assert a["scenarios"]["baseline"]["total"] != b["scenarios"]["baseline"]["total"]
