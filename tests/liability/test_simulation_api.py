"""``simulate`` once, ``Simulation.assess`` many clause variants on the same incidents (the solver's API)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from dsa.errors import ModelError
from dsa.liability import SimulationConfig, assess, simulate
from dsa.model import Model
from dsa.settings import SimulationSettings

CONFIG = SimulationConfig(years=3_000, seed=21, incidents_per_chunk=200)  # several chunks


@pytest.fixture
def model(three_party_doc):
    return Model.from_document(three_party_doc)


def test_a_variant_equal_to_a_model_scenario_gives_exactly_what_assess_gives(model):
    simulation = simulate(model, CONFIG)
    variants = {s.id: model.scenario_clauses(s.id) for s in model.scenarios}
    assert simulation.assess(variants).to_json() == assess(model, config=CONFIG).to_json()


def test_the_baseline_is_always_included_and_variant_names_are_the_scenario_ids(model):
    result = simulate(model, CONFIG).assess({"try": [model.clause("ind")]})
    assert result.scenario_ids == ("baseline", "try")
    assert set(result.to_json()["scenarios"]) == {"baseline", "try"}
    assert result.party_summary("try", "gp")["mean"] < result.party_summary("baseline", "gp")["mean"]


def test_raising_a_replaced_share_never_raises_the_beneficiarys_loss_in_any_year(model):
    simulation = simulate(model, CONFIG)
    ind = model.clause("ind")
    result = simulation.assess({f"s{v}": [dataclasses.replace(ind, share=v)] for v in (0.2, 0.5, 0.9)})
    low, mid, high = (result.yearly_losses(s, "gp") for s in ("s0.2", "s0.5", "s0.9"))
    assert np.all(mid <= low + 1e-6) and np.all(high <= mid + 1e-6)
    assert high.sum() < low.sum()


def test_the_same_variant_assessed_twice_on_one_simulation_gives_the_same_figures(model):
    simulation = simulate(model, CONFIG)
    clause = dataclasses.replace(model.clause("ind"), share=0.4, cap_annual_gbp=20_000.0)
    assert simulation.assess({"a": [clause]}).to_json() == simulation.assess({"a": [clause]}).to_json()


def test_a_clause_the_model_does_not_have_draws_its_own_conditions_reproducibly(model):
    new = dataclasses.replace(model.clause("ind"), id="template-indemnity", share=1.0)
    first = simulate(model, CONFIG).assess({"new": [new]}).to_json()
    again = simulate(model, CONFIG).assess({"new": [new]}).to_json()
    assert first == again
    assert first["scenarios"]["new"]["parties"]["icb"]["mean"] > first["scenarios"]["baseline"]["parties"]["icb"]["mean"]


def test_the_largest_incident_and_year_losses_bound_what_a_cap_can_need(model):
    simulation = simulate(model, CONFIG)
    totals = assess(model, config=CONFIG).total_losses("baseline")
    assert simulation.max_year_loss == pytest.approx(totals.max())
    assert 0 < simulation.max_incident_loss <= simulation.max_year_loss


def test_a_baseline_variant_with_clauses_is_refused(model):
    with pytest.raises(ModelError, match="baseline"):
        simulate(model, CONFIG).assess({"baseline": [model.clause("ind")]})


def test_keeping_more_incidents_than_the_memory_budget_allows_is_refused_with_the_years_that_fit(model):
    with pytest.raises(ModelError, match="years would fit"):
        simulate(model, CONFIG, settings=SimulationSettings(max_kept_bytes=10_000))


def test_a_clause_may_move_money_to_a_party_with_no_clause_role_in_the_model(model):
    stranger = dataclasses.replace(model.clause("ind"), indemnifier="supplier")
    result = simulate(model, CONFIG).assess({"x": [stranger]})
    moved = result.party_summary("baseline", "gp")["mean"] - result.party_summary("x", "gp")["mean"]
    gained = result.party_summary("x", "supplier")["mean"] - result.party_summary("baseline", "supplier")["mean"]
    assert moved > 0 and gained == pytest.approx(moved)



def test_simulate_and_assess_refuse_a_run_over_the_incident_budget_before_simulating(model):
    from dsa.liability import SimulationBudgetError, assess as assess_model

    tight = SimulationSettings(max_expected_incidents=1_000)
    for run in (lambda: simulate(model, CONFIG, settings=tight),
                lambda: assess_model(model, config=CONFIG, settings=tight)):
        with pytest.raises(SimulationBudgetError) as refused:
            run()
        message = str(refused.value)
        assert "\n" not in message
        assert "'care'" in message  # the flow with the highest rate (0.8 a year) comes first
        fit = int(1_000 // (0.8 + 0.6 + 0.5))
        assert f"at most {fit:,} years would fit" in message


def test_a_run_within_the_budget_is_not_refused(model):
    settings = SimulationSettings(max_expected_incidents=int((0.8 + 0.6 + 0.5) * CONFIG.years) + 1)
    assert simulate(model, CONFIG, settings=settings).max_year_loss > 0
