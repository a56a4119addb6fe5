"""Schema findings in plain English at the right path, and the referential rules (REF…)."""

from __future__ import annotations

import pytest

from dsa.findings import Severity
from dsa.validation import validate
from dsa.validation.schema import load_schema


def rules_at(doc):
    return {(f.rule, f.pointer) for f in validate(doc)}


def test_a_missing_member_is_reported_at_the_path_it_should_have(minimal_doc):
    del minimal_doc["flows"][1]["transfer"]
    found = [f for f in validate(minimal_doc) if f.rule == "SCHEMA-required"]
    assert [f.pointer for f in found] == ["/flows/1/transfer"]
    assert "how the data moves" in found[0].message
    assert "Referral letters" in found[0].message


def test_every_schema_error_is_reported_not_only_the_first(minimal_doc):
    minimal_doc["flows"][0]["purpose"] = "marketing"
    minimal_doc["flows"][1]["transfer"]["encrypted"] = "yes"
    minimal_doc["parties"][0]["surname"] = "x"
    found = rules_at(minimal_doc)
    assert ("SCHEMA-enum", "/flows/0/purpose") in found
    assert ("SCHEMA-type", "/flows/1/transfer/encrypted") in found
    assert ("SCHEMA-additional", "/parties/0/surname") in found


def test_an_enum_finding_lists_the_allowed_values(minimal_doc):
    minimal_doc["flows"][0]["purpose"] = "marketing"
    f = next(f for f in validate(minimal_doc) if f.rule == "SCHEMA-enum")
    assert "Direct care" in f.fix and "Population health management" in f.fix and "marketing" in f.message


def test_x_annotations_are_kept_and_never_reported(minimal_doc):
    minimal_doc["x-owner"] = {"team": "IG"}
    minimal_doc["flows"][0]["x-register-row"] = 12
    assert validate(minimal_doc) == []


def test_a_partnership_needs_its_partner_count_and_a_sole_trader_has_one(minimal_doc):
    gp = next(p for p in minimal_doc["parties"] if p["id"] == "m81001")
    del gp["partners"]
    assert ("SCHEMA-required", "/parties/2/partners") in rules_at(minimal_doc)
    gp.update(legal_form="sole_trader", partners=3)
    assert any(f.rule.startswith("SCHEMA") and f.pointer == "/parties/2/partners" for f in validate(minimal_doc))


def test_joint_controllers_are_only_allowed_on_joint_controller_flows(minimal_doc):
    minimal_doc["flows"][1]["joint_controllers"] = [{"party": "m81001", "share": 1.0}]
    assert ("SCHEMA-not", "/flows/1/joint_controllers") in rules_at(minimal_doc)


def test_a_misspelt_beneficiary_type_is_explained_inside_the_object(minimal_doc):
    minimal_doc["clauses"][0]["beneficiaries"] = {"party_tpe": "gp_practice"}
    found = rules_at(minimal_doc)
    assert ("SCHEMA-additional", "/clauses/0/beneficiaries/party_tpe") in found
    assert ("SCHEMA-required", "/clauses/0/beneficiaries/party_type") in found


def test_a_document_that_is_not_an_object_is_one_finding():
    found = validate([1, 2])
    assert [(f.rule, f.pointer, f.severity) for f in found] == [("SCHEMA-type", "", Severity.ERROR)]


def test_every_schema_property_has_a_description():
    missing = []

    def walk(node, path):
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if isinstance(prop, dict) and "description" not in prop and "$ref" not in prop:
                    missing.append(f"{path}/{name}")
            for key, value in node.items():
                if key not in ("if", "then", "else", "not", "allOf"):  # conditions restate, not define
                    walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")

    walk(load_schema(), "")
    assert missing == []


REF_CASES = [
    ("REF001", lambda d: d["flows"][0].update(to="nobody"), "/flows/0/to"),
    ("REF001", lambda d: d["clauses"][0].update(indemnifier="ghost"), "/clauses/0/indemnifier"),
    ("REF001", lambda d: d["partnership"].update(lead_party="ghost"), "/partnership/lead_party"),
    ("REF002", lambda d: d["flows"][0].update(to=d["flows"][0]["from"]), "/flows/0/to"),
    ("REF003", lambda d: d["parties"].append(dict(d["parties"][0])), "/parties/3/id"),
    ("REF004", lambda d: d["flows"][0].update(relationship="joint_controllers", joint_controllers=[
        {"party": "m81001", "share": 0.5}, {"party": "csu", "share": 0.4}]), "/flows/0/joint_controllers"),
    ("REF005", lambda d: d["clauses"].append({"id": "pool", "type": "risk_pool", "name": "P", "members": [
        {"party": "icb", "share": 0.7}, {"party": "csu", "share": 0.2}]}), "/clauses/1/members"),
    ("REF006", lambda d: d["scenarios"][0]["clauses"].append("missing"), "/scenarios/0/clauses/1"),
    ("REF007", lambda d: d["scenarios"].append({"id": "baseline", "name": "B", "clauses": []}), "/scenarios/1/id"),
    ("REF008", lambda d: d["clauses"][0].update(beneficiaries={"party_type": "vcse"}),
     "/clauses/0/beneficiaries/party_type"),
    ("REF009", lambda d: d["clauses"][0]["applies_to"].update(flows=["nope"]), "/clauses/0/applies_to/flows/0"),
    ("REF010", lambda d: d["clauses"][0].update(beneficiaries=["m81001", "icb"]), "/clauses/0/beneficiaries/1"),
    ("REF011", lambda d: d["flows"][0].update(relationship="joint_controllers", joint_controllers=[
        {"party": "m81001", "share": 1.0}]), "/flows/0/joint_controllers"),
    ("REF012", lambda d: d["clauses"].append({"id": "pool", "type": "risk_pool", "name": "P", "members": [
        {"party": "icb", "share": 0.5}, {"party": "icb", "share": 0.5}]}), "/clauses/1/members"),
]


@pytest.mark.parametrize("rule,edit,pointer", REF_CASES, ids=[f"{r}-{p}" for r, _, p in REF_CASES])
def test_referential_rule_reports_at_its_path(minimal_doc, rule, edit, pointer):
    assert not any(f.rule == rule for f in validate(minimal_doc))
    edit(minimal_doc)
    assert (rule, pointer) in rules_at(minimal_doc)


def test_shares_within_a_billionth_of_one_are_accepted(minimal_doc):
    minimal_doc["clauses"].append({"id": "pool", "type": "risk_pool", "name": "P", "members": [
        {"party": "icb", "share": 0.1}, {"party": "csu", "share": 0.2}, {"party": "m81001", "share": 0.7}]})
    assert not any(f.rule == "REF005" for f in validate(minimal_doc))  # 0.1 + 0.2 + 0.7 != 1.0 in binary


def test_rules_still_run_on_the_readable_parts_of_an_invalid_model(minimal_doc):
    minimal_doc["flows"][0]["purpose"] = "marketing"          # a schema error on flow 0
    minimal_doc["flows"][1]["transfer"]["method"] = "unsecured_email"  # an IG error on flow 1
    found = rules_at(minimal_doc)
    assert ("SCHEMA-enum", "/flows/0/purpose") in found
    assert ("IG020", "/flows/1/transfer/method") in found


def test_findings_are_sorted_by_path_then_rule(herefordshire_doc):
    for f in herefordshire_doc["flows"]:
        f["transfer"]["encrypted"] = False
        f.pop("retention_months", None)
    found = validate(herefordshire_doc)
    assert found == sorted(found, key=lambda f: f.sort_key())
    flow_indexes = [f.path[1] for f in found if f.path[:1] == ("flows",)]
    assert flow_indexes == sorted(flow_indexes)  # numeric, so flow 2 comes before flow 10
