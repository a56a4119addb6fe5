"""diff_documents: items matched by id, changes field by field; format_diff: one readable line each."""

from __future__ import annotations

import copy

from dsa.diffing import Change, diff_documents, format_diff


def test_identical_documents_have_no_changes(herefordshire_doc):
    assert diff_documents(herefordshire_doc, copy.deepcopy(herefordshire_doc)) == []


def test_added_removed_and_changed_items_field_by_field(minimal_doc):
    new = copy.deepcopy(minimal_doc)
    new["flows"][0]["purpose"] = "planning"
    new["flows"][0]["legal_basis"]["article_9"] = "9(2)(g)"
    new["flows"][0]["data"]["categories"].append("mental_health")
    del new["flows"][0]["retention_months"]
    new["flows"][0]["x-note"] = "checked"
    new["parties"].append({"id": "new-practice", "name": "New Practice", "type": "gp_practice",
                           "legal_form": "sole_trader", "partners": 1})
    del new["clauses"][0]
    new["scenarios"] = []
    new["partnership"]["review_date"] = "2028-01-31"
    changes = diff_documents(minimal_doc, new)
    flow = minimal_doc["flows"][0]
    assert Change("changed", "flows", "phm-m81001", "purpose", "population_health_management", "planning") in changes
    assert Change("changed", "flows", "phm-m81001", "legal_basis.article_9", "9(2)(h)", "9(2)(g)") in changes
    assert Change("changed", "flows", "phm-m81001", "data.categories", flow["data"]["categories"],
                  new["flows"][0]["data"]["categories"]) in changes
    assert Change("removed", "flows", "phm-m81001", "retention_months", 24, None) in changes
    assert Change("added", "flows", "phm-m81001", "x-note", None, "checked") in changes
    assert Change("added", "parties", "new-practice", None, None, new["parties"][-1]) in changes
    assert Change("removed", "clauses", "hereford", None, minimal_doc["clauses"][0], None) in changes
    assert Change("removed", "scenarios", "indemnity", None, minimal_doc["scenarios"][0], None) in changes
    assert Change("changed", "partnership", None, "review_date", "2027-10-31", "2028-01-31") in changes
    assert len(changes) == 9
    # Sections come in model order.
    assert [c.section for c in changes] == sorted((c.section for c in changes), key=[
        "partnership", "parties", "flows", "clauses", "scenarios", "assumptions", "model"].index)


def test_items_are_matched_by_id_not_position(herefordshire_doc):
    new = copy.deepcopy(herefordshire_doc)
    new["flows"].insert(0, copy.deepcopy(new["flows"][5]) | {"id": "inserted"})
    changes = diff_documents(herefordshire_doc, new)
    assert [(c.kind, c.item_id) for c in changes if c.field != "order"] == [("added", "inserted")]


def test_reordering_is_reported_once():
    old = {"flows": [{"id": "a"}, {"id": "b"}]}
    new = {"flows": [{"id": "b"}, {"id": "a"}]}
    assert diff_documents(old, new) == [Change("changed", "flows", None, "order", ["a", "b"], ["b", "a"])]


def test_assumptions_and_top_level_annotations():
    old = {"assumptions": {"threshold_gbp": 100000}, "x-source": "a"}
    new = {"assumptions": {"threshold_gbp": 250000}, "x-source": "b", "x-new": 1}
    assert diff_documents(old, new) == [
        Change("changed", "assumptions", None, "threshold_gbp", 100000, 250000),
        Change("changed", "model", None, "x-source", "a", "b"),
        Change("added", "model", None, "x-new", None, 1)]
    assert diff_documents({}, {"assumptions": {"a": 1}}) == [Change("added", "assumptions", None, None, None, {"a": 1})]


def test_one_and_one_point_zero_are_the_same_number_but_true_is_not_one():
    assert diff_documents({"assumptions": {"x": 1}}, {"assumptions": {"x": 1.0}}) == []
    assert len(diff_documents({"assumptions": {"x": 1}}, {"assumptions": {"x": True}})) == 1


def test_items_without_ids_are_compared_by_position():
    old = {"parties": [{"name": "a"}, {"id": "b"}]}
    new = {"parties": [{"name": "z"}, {"id": "b"}]}
    assert diff_documents(old, new) == [Change("changed", "parties", "#0", "name", "a", "z")]


def test_format_diff_reads_like_a_change_list(minimal_doc):
    new = copy.deepcopy(minimal_doc)
    new["flows"][0]["purpose"] = "planning"
    new["parties"].append({"id": "new-practice", "name": "N", "type": "other", "legal_form": "other"})
    del new["clauses"][0]
    del new["flows"][1]["retention_months"]
    new["flows"][1]["dpia"] = {"reference": "D-1"}
    text = format_diff(diff_documents(minimal_doc, new))
    assert text.splitlines() == [
        "+ parties/new-practice",
        '~ flows/phm-m81001 purpose: "population_health_management" -> "planning"',
        "- flows/referral-m81001 retention_months: 96",
        '+ flows/referral-m81001 dpia: {"reference": "D-1"}',
        "- clauses/hereford",
    ]
    assert format_diff([]) == ""
    long = format_diff([Change("changed", "partnership", None, "description", "a" * 500, "b")])
    assert len(long) < 300 and long.startswith("~ partnership description: ")
