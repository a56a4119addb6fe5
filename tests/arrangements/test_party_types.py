"""The whole primary care offer: dental, optometry and pharmacy contractors, federations and neighbourhood
providers are parties like any other, and legal form alone decides who is personally exposed."""

from __future__ import annotations

import json

import pytest

from dsa.findings import Severity
from dsa.labels import PARTY_TYPE
from dsa.liability import SimulationConfig, assess, expected_values
from dsa.liability.tables import practice_rows, primary_care_contractors
from dsa.model import PARTY_TYPES, PRIMARY_CARE_TYPES, Model
from dsa.validation import validate

from .conftest import DATA, ROOT, TRUST, care_flow, contractor, model_doc

NEW_TYPES = ("dental_practice", "optometry_practice", "community_pharmacy", "gp_federation", "neighbourhood_provider")


def rules(findings, prefix=""):
    return {f.rule for f in findings if f.rule.startswith(prefix)}


# ------------------------------------------------------------------ schema


@pytest.mark.parametrize("kind", NEW_TYPES)
def test_each_new_party_type_is_a_valid_type_with_no_schema_or_reference_finding(kind):
    doc = model_doc([TRUST, contractor("p1", kind, "limited_company")], [care_flow("f1", "p1", "trust")])
    findings = validate(doc)
    assert not rules(findings, "SCHEMA") and not rules(findings, "REF")
    assert Model.from_document(doc).party("p1").type == kind


def test_a_party_type_outside_the_list_is_a_schema_error():
    doc = model_doc([TRUST, contractor("p1", "dentist", "limited_company")], [care_flow("f1", "p1", "trust")])
    assert rules(validate(doc), "SCHEMA")


def test_every_party_type_has_a_plain_label_and_the_primary_care_types_are_party_types():
    assert set(PARTY_TYPE) == set(PARTY_TYPES)
    assert set(PRIMARY_CARE_TYPES) <= set(PARTY_TYPES)
    assert set(NEW_TYPES) <= set(PARTY_TYPES)


def test_a_model_file_written_before_the_new_types_still_validates_with_no_errors():
    doc = json.loads((DATA / "herefordshire-written-before.json").read_text(encoding="utf-8"))
    findings = validate(doc)
    assert [f for f in findings if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize("name", ["herefordshire-phm.json", "minimal.json"])
def test_the_bundled_examples_still_validate_with_no_errors(name):
    doc = json.loads((ROOT / "examples" / name).read_text(encoding="utf-8"))
    assert [f.rule for f in validate(doc) if f.severity is Severity.ERROR] == []


# ------------------------------------------------------------------ personal exposure


def _exposure_doc():
    parties = [TRUST,
               contractor("dental", "dental_practice", "partnership", partners=3),
               contractor("chemist", "community_pharmacy", "sole_trader", partners=1),
               contractor("chain", "community_pharmacy", "limited_company"),
               contractor("optom", "optometry_practice", "partnership", partners=2),
               contractor("fed", "gp_federation", "community_interest_company")]
    flows = [care_flow(f"f-{p['id']}", p["id"], "trust") for p in parties[1:]]
    # The trust sends back to each, so every party bears recipient-stage losses too.
    flows += [care_flow(f"b-{p['id']}", "trust", p["id"]) for p in parties[1:]]
    return model_doc(parties, flows)


def test_a_dental_partnerships_partners_are_personally_exposed_each_carrying_a_third_of_its_net_loss():
    model = Model.from_document(_exposure_doc())
    exact = expected_values(model)["scenarios"]["baseline"]
    net = exact["parties"]["dental"]["net_mean"]
    assert net > 0
    assert exact["partners"]["dental"]["mean_per_partner"] == pytest.approx(net / 3, rel=1e-12)
    assert model.party("dental").has_personal_exposure


def test_a_sole_trader_pharmacists_exposure_is_all_of_the_net_loss():
    model = Model.from_document(_exposure_doc())
    exact = expected_values(model)["scenarios"]["baseline"]
    assert exact["partners"]["chemist"]["mean_per_partner"] == pytest.approx(
        exact["parties"]["chemist"]["net_mean"], rel=1e-12)
    simulated = assess(model, config=SimulationConfig(years=20_000, seed=3)).to_json()["scenarios"]["baseline"]
    entry = simulated["partners"]["chemist"]
    assert entry["partners"] == 1
    assert entry["mean_per_partner"] == simulated["parties"]["chemist"]["net_mean"]
    assert entry["p99_per_partner"] == entry["joint_and_several_p99"]


def test_limited_companies_and_a_federation_cic_carry_no_personal_exposure_whatever_their_type():
    model = Model.from_document(_exposure_doc())
    exact = expected_values(model)["scenarios"]["baseline"]
    assert set(exact["partners"]) == {"dental", "chemist", "optom"}
    assert exact["parties"]["chain"]["mean"] > 0 and exact["parties"]["fed"]["mean"] > 0


def test_the_exposure_table_lists_every_primary_care_contractor_labelled_by_type_and_no_one_else():
    model = Model.from_document(_exposure_doc())
    result = assess(model, config=SimulationConfig(years=2_000, seed=1)).to_json()
    rows = practice_rows(model, result)
    assert [(r["practice"], r["type"]) for r in rows] == [
        (model.party(pid).name, label) for pid, label in
        (("dental", "Dental practice"), ("chemist", "Community pharmacy"), ("chain", "Community pharmacy"),
         ("optom", "Optometry practice"))]
    assert [r["partners"] for r in rows] == [3, 1, None, 2]
    assert [p.id for p in primary_care_contractors(model)] == ["dental", "chemist", "chain", "optom"]


# ------------------------------------------------------------------ IG rules (val's semantics, asserted here)


def _secondary_use(src: str, **extra) -> dict:
    """Pseudonymised data leaving the contractor for planning under s251: not individual care."""
    flow = care_flow(f"plan-{src}", src, "trust", purpose="planning",
                     legal_basis={"article_6": "6(1)(e)", "article_9": "9(2)(h)",
                                  "schedule_1_condition": "Schedule 1 Part 1 paragraph 2", "common_law": "s251"},
                     s251={"cag_reference": "26/CAG/0101", "expires": "2028-12-31"})
    flow["data"]["identifiability"] = "pseudonymised"
    flow.pop("national_data_opt_out")
    flow.update(extra)
    return flow


def test_type1_opt_out_rules_do_not_fire_for_a_pharmacys_data_leaving_for_planning():
    doc = model_doc([TRUST, contractor("chemist", "community_pharmacy", "sole_trader", partners=1)],
                    [_secondary_use("chemist", national_data_opt_out="applied")])
    assert "IG013" not in rules(validate(doc))


@pytest.mark.parametrize("kind", ["dental_practice", "optometry_practice", "community_pharmacy"])
def test_type1_opt_out_rules_stay_with_gp_data_and_never_reach_other_primary_care(kind):
    gp = model_doc([TRUST, contractor("gp", "gp_practice", "partnership", partners=4)],
                   [_secondary_use("gp", national_data_opt_out="applied")])
    other = model_doc([TRUST, contractor("c", kind, "partnership", partners=2)],
                      [_secondary_use("c", national_data_opt_out="applied")])
    assert "IG013" in rules(validate(gp))
    assert "IG013" not in rules(validate(other))


@pytest.mark.parametrize("kind", ["gp_practice", "dental_practice", "optometry_practice", "community_pharmacy",
                                  "gp_federation", "neighbourhood_provider"])
def test_the_national_data_opt_out_must_be_stated_for_every_health_organisations_non_care_use(kind):
    doc = model_doc([TRUST, contractor("c", kind, "partnership", partners=2)], [_secondary_use("c")])
    assert "IG011" in rules(validate(doc))


def test_the_national_data_opt_out_must_be_stated_for_adult_social_care_data_from_a_council():
    council = {"id": "council", "name": "Vale County Council", "type": "local_authority",
               "legal_form": "local_authority", "dspt_status": "standards_met"}
    doc = model_doc([TRUST, council], [_secondary_use("council")])
    assert "IG011" in rules(validate(doc))


@pytest.mark.parametrize("kind", ["dental_practice", "optometry_practice", "community_pharmacy"])
def test_direct_care_sharing_by_any_primary_care_contractor_needs_no_opt_out_and_has_no_ig_error(kind):
    doc = model_doc([TRUST, contractor("c", kind, "partnership", partners=2)], [care_flow("f", "c", "trust")])
    assert [f.rule for f in validate(doc) if f.severity is Severity.ERROR] == []


def test_the_exposure_table_carries_the_tail_figures_per_contractor_and_per_partner_when_simulated():
    model = Model.from_document(_exposure_doc())
    result = assess(model, config=SimulationConfig(years=2_000, seed=1)).to_json()
    base = result["scenarios"]["baseline"]
    rows = {r["practice"]: r for r in practice_rows(model, result)}
    dental, chain = rows[model.party("dental").name], rows[model.party("chain").name]
    assert dental["p99_9_after"] == base["parties"]["dental"]["p99_9"]
    assert dental["tvar99_after"] == base["parties"]["dental"]["tvar99"]
    assert dental["per_partner_p99_9_after"] == base["partners"]["dental"]["p99_9_per_partner"]
    assert dental["per_partner_tvar99_after"] == base["partners"]["dental"]["tvar99_per_partner"]
    assert chain["p99_9_after"] == base["parties"]["chain"]["p99_9"] and chain["per_partner_p99_9_after"] is None


def test_one_contractors_exposure_rows_carry_its_tail_figures_and_its_partners():
    from dsa.liability.tables import practice_exposure

    model = Model.from_document(_exposure_doc())
    simulated = assess(model, config=SimulationConfig(years=2_000, seed=1)).to_json()
    row = practice_exposure(simulated, "chemist")[0]
    assert row["p99_9"] == simulated["scenarios"]["baseline"]["parties"]["chemist"]["p99_9"]
    assert row["p99_9_per_partner"] == simulated["scenarios"]["baseline"]["partners"]["chemist"]["p99_9_per_partner"]
    assert row["tvar99_per_partner"] == row["tvar99"]  # a sole trader carries all of it


def test_the_schema_and_the_dashboards_party_type_choices_list_exactly_the_models_party_types():
    from dsa.editing import column_facts
    from dsa.validation.schema import load_schema

    assert tuple(load_schema()["$defs"]["party"]["properties"]["type"]["enum"]) == PARTY_TYPES
    assert tuple(column_facts("party")["type"]["enum"]) == PARTY_TYPES


@pytest.mark.parametrize("kind", ["dental_practice", "optometry_practice", "community_pharmacy"])
def test_an_nhs_dental_optometry_or_pharmacy_contractor_cannot_rely_on_legitimate_interests_for_nhs_care(kind):
    flow = care_flow("f", "c", "trust")
    flow["legal_basis"]["article_6"] = "6(1)(f)"
    trust = {**TRUST, "legal_form": "limited_company", "type": "supplier"}  # so only the contractor is public
    doc = model_doc([trust, contractor("c", kind, "partnership", partners=2)], [flow])
    assert "IG003" in rules(validate(doc))
