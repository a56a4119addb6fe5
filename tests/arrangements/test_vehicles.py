"""The bundled vehicle examples: one neighbourhood service, three vehicles, valid with no errors, and the risk
falling where the roles put it (asserted on the exact expected values)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from dsa.compare import Arrangement, compare
from dsa.findings import Severity
from dsa.liability import SimulationConfig, expected_values
from dsa.model import PRIMARY_CARE_TYPES, Model
from dsa.validation import validate

from .conftest import ROOT, VEHICLE_NAMES, VEHICLES


def _builder():
    spec = importlib.util.spec_from_file_location("build_vehicles", ROOT / "scripts" / "build_vehicles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _means(doc: dict) -> dict[str, float]:
    exact = expected_values(Model.from_document(doc))["scenarios"]["baseline"]
    return {pid: stats["mean"] for pid, stats in exact["parties"].items()}


@pytest.mark.parametrize("name", VEHICLE_NAMES)
def test_each_vehicle_example_validates_with_no_finding_at_all(vehicles, name):
    findings = validate(vehicles[name])
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert [(f.rule, f.pointer) for f in findings] == []


def test_the_shipped_files_are_what_the_builder_writes(vehicles):
    """If this fails, run: python3 scripts/build_vehicles.py"""
    builder = _builder()
    for name in VEHICLE_NAMES:
        assert vehicles[name] == json.loads(json.dumps(builder.build(name)))
        text = (VEHICLES / f"{name}.json").read_text(encoding="utf-8")
        assert text == json.dumps(builder.build(name), indent=2, ensure_ascii=False) + "\n"


def test_the_three_vehicles_share_one_service_the_same_contributors_and_the_same_people(vehicles):
    def contributors(doc):
        return [p for p in doc["parties"] if p["type"] in (*PRIMARY_CARE_TYPES, "local_authority")]

    first = contributors(vehicles[VEHICLE_NAMES[0]])
    kinds = [p["type"] for p in first]
    assert kinds.count("gp_practice") == 6 and kinds.count("dental_practice") == 2
    assert kinds.count("community_pharmacy") == 2 and kinds.count("optometry_practice") == 1
    assert kinds.count("local_authority") == 1
    for name in VEHICLE_NAMES[1:]:
        assert contributors(vehicles[name]) == first
        records = {f["from"]: f["data"]["records"] for f in vehicles[name]["flows"] if f["id"].startswith("in-")}
        assert records == {f["from"]: f["data"]["records"] for f in vehicles[VEHICLE_NAMES[0]]["flows"]
                           if f["id"].startswith("in-")}


def test_every_flow_is_direct_care_on_the_bases_an_ig_lead_writes_for_it(vehicles):
    for doc in vehicles.values():
        for flow in doc["flows"]:
            assert flow["purpose"] == "direct_care"
            assert flow["legal_basis"]["article_6"] == "6(1)(e)" and flow["legal_basis"]["article_9"] == "9(2)(h)"
            assert flow["legal_basis"]["schedule_1_condition"] == "Schedule 1 Part 1 paragraph 2"
            assert flow["legal_basis"]["common_law"] == "implied_consent"
            assert flow["national_data_opt_out"] == "not_applicable"
            assert flow["dpia"]["dpo_advice"]
            if flow["relationship"] == "controller_to_processor":
                assert flow["processing_contract"]["terms"] == list("abcdefgh")
            if flow["relationship"] == "joint_controllers":
                assert sum(s["share"] for s in flow["joint_controllers"]) == 1
                assert flow["joint_arrangement"]["essence_published"] is True


def test_each_vehicle_says_in_its_description_why_the_roles_are_what_they_are(vehicles):
    says = {"primary-care-led": ("lead provider", "sole controller", "processor", "Article 28"),
            "trust-led": ("awards the neighbourhood contract to Vale and Downs", "sole controller", "processor",
                          "Article 28"),
            "joint-venture": ("joint controllers", "Article 26", "no data protection role", "50:50")}
    for name, phrases in says.items():
        text = vehicles[name]["partnership"]["description"]
        for phrase in phrases:
            assert phrase in text, (name, phrase)


def test_the_roles_follow_the_vehicle(vehicles):
    models = {n: Model.from_document(d) for n, d in vehicles.items()}
    pcl, tl, jv = models["primary-care-led"], models["trust-led"], models["joint-venture"]
    assert pcl.partnership.lead_party == "federation" and tl.partnership.lead_party == "trust"
    assert jv.partnership.lead_party == "jv" and jv.party("jv").type == "neighbourhood_provider"
    assert {(f.source, f.recipient) for f in pcl.flows if f.relationship == "controller_to_processor"} == {
        ("federation", "trust")}
    assert {(f.source, f.recipient) for f in tl.flows if f.relationship == "controller_to_processor"} == {
        ("trust", "federation")}
    joint = [f for f in jv.flows if f.relationship == "joint_controllers"]
    assert [{s.party: s.share for s in f.controller_shares} for f in joint] == [{"trust": 0.5, "federation": 0.5}]
    assert not jv.flows_of_party("jv")


def test_the_trust_carries_more_when_it_leads_than_when_primary_care_leads_and_the_federation_the_reverse(vehicles):
    pcl, tl, jv = (_means(vehicles[n]) for n in ("primary-care-led", "trust-led", "joint-venture"))
    assert tl["trust"] > jv["trust"] > pcl["trust"]
    assert pcl["federation"] > jv["federation"] > tl["federation"]
    # Whoever controls the service record carries the largest share of the expected loss.
    assert max(pcl, key=pcl.get) == "federation" and max(tl, key=tl.get) == "trust"
    # The joint-venture company holds the contract but processes no personal data, so it carries nothing.
    assert jv["jv"] == 0.0


def test_a_contractor_sharing_with_the_federation_carries_the_same_whether_primary_care_or_the_jv_leads(vehicles):
    # Under both, primary care contributors send to the federation: their own exposure does not change.
    pcl, jv = _means(vehicles["primary-care-led"]), _means(vehicles["joint-venture"])
    for party in Model.from_document(vehicles["joint-venture"]).parties:
        if party.type in PRIMARY_CARE_TYPES:
            assert jv[party.id] == pytest.approx(pcl[party.id], rel=1e-12), party.name


def test_the_comparison_of_the_three_vehicles_points_the_same_way_as_the_exact_values(vehicles):
    result = compare([Arrangement(n, vehicles[n]) for n in VEHICLE_NAMES],
                     config=SimulationConfig(years=100_000, seed=0))
    rows = {r.key: r for r in result.parties}
    pcl, tl, jv = (cell["mean"] for cell in rows["trust"].cells)
    assert tl > jv > pcl
    assert rows["jv"].cells[:2] == (None, None)
    assert [m.largest_party for m in result.models] == ["federation", "trust", "federation"]


@pytest.mark.parametrize("name", VEHICLE_NAMES)
def test_each_vehicle_example_drafts_its_agreement_pack(vehicles, name):
    from dsa.drafting import build_pack
    from dsa.liability import assess

    doc = vehicles[name]
    assessment = assess(Model.from_document(doc), config=SimulationConfig(years=2_000, seed=0)).to_json()
    pack = build_pack(doc, assessment=assessment, date="2027-01-04")
    assert any(name.startswith("data-sharing-agreement") for name in pack.files(("md",)))


def test_the_readme_shows_the_actual_output_of_comparing_the_vehicles():
    """If this fails, paste the output of `dsa compare examples/vehicles/*.json` into README.md's block."""
    import io

    from dsa.cli import run

    out = io.StringIO()
    assert run(["compare", *sorted(str(p) for p in VEHICLES.glob("*.json"))], out, io.StringIO()) == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<code>dsa compare examples/vehicles/*.json</code> (output)</summary>\n\n```\n", 1)[1]
    assert block.split("```", 1)[0] == out.getvalue()


@pytest.mark.parametrize("name, lead", [("primary-care-led", "federation"), ("trust-led", "trust")])
def test_a_single_lead_vehicle_can_share_the_record_by_contract_moving_loss_from_the_lead_and_keeping_the_total(
        vehicles, name, lead):
    exact = expected_values(Model.from_document(vehicles[name]))["scenarios"]
    base, pooled = exact["baseline"], exact["shared-record"]
    other = "trust" if lead == "federation" else "federation"
    assert pooled["parties"][lead]["mean"] < base["parties"][lead]["mean"]
    assert pooled["parties"][other]["mean"] > base["parties"][other]["mean"]
    assert pooled["total"]["mean"] == pytest.approx(base["total"]["mean"], rel=1e-12)
