"""The clause solver: least generous value meeting every target, on the same simulated incidents."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from dsa.liability import SimulationConfig, assess
from dsa.model import Model
from dsa.negotiation import parse_target, solve
from dsa.negotiation.figures import party_figures
from dsa.negotiation.solver import VARY
from dsa.negotiation.targets import TargetError
from tests.liability.conftest import FIXED, build, flow, model_doc, party

PHM_ONLY = ("m81009", "m81010", "m81012", "m81013", "m81014", "m81015", "m81016")
CONFIG = SimulationConfig(years=20_000, seed=3)


def _worst(doc: dict, clause_id: str, vary: str, value: float, target, parties) -> float:
    """The target's worst figure with the clause set to ``value``, from a full assessment (same seed)."""
    changed = copy.deepcopy(doc)
    next(c for c in changed["clauses"] if c["id"] == clause_id)[vary] = value
    model = Model.from_document(changed)
    result = assess(model, scenarios=["herefordshire"], config=CONFIG)
    return max(party_figures(result, "herefordshire", p, per_partner=target.subject == "partner")[target.metric]
               for p in parties)


@pytest.mark.parametrize("vary,target", [("share", "partner.p99_9 <= 5000"),
                                         ("cap_per_incident_gbp", "partner.p99_9 <= 5000"),
                                         ("excess_gbp", "partner.p99_9 <= 5000"), ("cap_annual_gbp", "partner.tvar99 <= 3500")])
def test_the_answer_meets_every_target_and_one_step_less_generous_fails(herefordshire_doc, vary, target):
    model = Model.from_document(herefordshire_doc)
    t = parse_target(target)
    s = solve(model, "hereford", vary, [t], PHM_ONLY, config=CONFIG)
    assert s.feasible
    resolution, up = VARY[vary]
    less = s.value - resolution if up else s.value + resolution
    assert s.achieved[t.text] <= t.value
    assert _worst(herefordshire_doc, "hereford", vary, s.value, t, PHM_ONLY) == pytest.approx(s.achieved[t.text])
    assert _worst(herefordshire_doc, "hereford", vary, less, t, PHM_ONLY) > t.value
    assert s.binding["target"] == t.text and s.binding["party"] in PHM_ONLY


def test_a_share_answer_is_within_zero_and_one_and_the_frontier_is_monotone(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    targets = [parse_target("partner.p99_9 <= 5000"), parse_target("partner.mean <= 30")]
    s = solve(model, "hereford", "share", targets, PHM_ONLY, config=CONFIG)
    assert 0 <= s.value <= 1
    assert [row["value"] for row in s.frontier] == pytest.approx([k / 10 for k in range(11)])
    for t in targets:
        worst = [row["targets"][t.text] for row in s.frontier]
        assert all(a >= b - 1e-6 for a, b in zip(worst, worst[1:]))  # more share, never worse for them
    cost = [row["giver"]["icb"]["mean"] for row in s.frontier]
    assert all(a <= b + 1e-6 for a, b in zip(cost, cost[1:]))  # and never cheaper for the ICB


def test_a_target_already_met_needs_nothing(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    s = solve(model, "hereford", "share", [parse_target("partner.p99_9 <= 1000000")], PHM_ONLY, config=CONFIG)
    assert s.feasible and s.value == 0


@pytest.fixture
def fined_doc():
    """A sole trader whose losses include fines, and an ICB indemnity that covers everything else."""
    assumptions = {**FIXED, "fine_probability": {"public": 0.0, "other": 1.0}}
    doc = model_doc([party("icb", "icb", "nhs_body"), party("gp", form="sole_trader"), party("gp2", partners=2)],
                    [flow("f1", "gp", "icb", rate=0.5), flow("f2", "gp2", "icb", rate=0.5)],
                    clauses=[{"id": "ind", "type": "indemnity", "name": "ICB indemnity", "indemnifier": "icb",
                              "beneficiaries": ["gp"], "share": 0.5, "covers": ["compensation", "response_costs"]}],
                    scenarios=[{"id": "s", "name": "S", "clauses": ["ind"]}], assumptions=assumptions)
    return doc


def test_a_target_below_what_fines_alone_produce_is_infeasible_and_names_fines(fined_doc):
    model = build(fined_doc)
    s = solve(model, "ind", "share", [parse_target("partner.p99_9 <= 1000")], ("gp",),
              config=SimulationConfig(years=5_000))
    assert not s.feasible and s.value is None
    assert s.achieved["partner.p99_9 <= 1000"] > 1000  # the best reachable figure, at share 1
    fines = [r for r in s.reasons if r["reason"] == "not_covered"]
    assert fines and "fines" in fines[0]["components"] and "fines" in fines[0]["text"]
    assert s.to_json()["feasible"] is False


def test_a_target_on_a_party_outside_the_beneficiaries_says_so(fined_doc):
    model = build(fined_doc)
    s = solve(model, "ind", "share", [parse_target("partner.mean <= 1")], ("gp", "gp2"),
              config=SimulationConfig(years=5_000))
    assert not s.feasible
    said = [r for r in s.reasons if r["reason"] == "not_beneficiary"]
    assert [r["party"] for r in said] == ["gp2"] and "not a beneficiary" in said[0]["text"]


def test_the_giver_cannot_be_a_target_and_a_pool_cannot_be_solved(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    with pytest.raises(TargetError, match="gives this indemnity"):
        solve(model, "hereford", "share", [parse_target("party.mean <= 1")], ("icb",), config=CONFIG)
    with pytest.raises(Exception, match="risk pool"):
        solve(model, "system-pool", "share", [parse_target("party.mean <= 1")], ("m81001",), config=CONFIG)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rate=st.floats(0.05, 2.0), records=st.integers(100, 20_000), limit=st.integers(0, 20_000),
       partners=st.integers(1, 6), metric=st.sampled_from(["p99", "p99_9", "tvar99", "mean"]))
def test_on_any_small_model_the_share_found_is_the_boundary(rate, records, limit, partners, metric):
    doc = model_doc([party("icb", "icb", "nhs_body"), party("gp", partners=partners)],
                    [flow("f", "gp", "icb", rate=rate, records=records)],
                    clauses=[{"id": "ind", "type": "indemnity", "name": "ICB indemnity", "indemnifier": "icb",
                              "beneficiaries": ["gp"], "share": 0.5}],
                    scenarios=[{"id": "s", "name": "S", "clauses": ["ind"]}], assumptions=FIXED)
    model = build(doc)
    t = parse_target(f"partner.{metric} <= {limit}")
    config = SimulationConfig(years=2_000, seed=1)
    s = solve(model, "ind", "share", [t], ("gp",), config=config)

    def worst(share: float) -> float:
        changed = copy.deepcopy(doc)
        changed["clauses"][0]["share"] = share
        result = assess(Model.from_document(changed), scenarios=["s"], config=config)
        return party_figures(result, "s", "gp", per_partner=True)[metric]

    if s.feasible:
        assert 0 <= s.value <= 1 and worst(s.value) <= limit + 1e-6
        if s.value > 0:
            assert worst(round(s.value - 0.01, 2)) > limit
    else:
        assert worst(1.0) > limit
