"""The typed model: lookups the engine and drafts need, and an exact round trip back to the document."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from dsa.errors import ModelError
from dsa.model import Model

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))


def test_both_examples_round_trip_exactly(herefordshire_doc, minimal_doc):
    for doc in (herefordshire_doc, minimal_doc):
        assert Model.from_document(doc).to_document() == doc


def test_a_generated_icb_model_round_trips_exactly():
    from generate import icb_model
    doc = icb_model()
    assert Model.from_document(doc).to_document() == doc


def test_items_round_trip_one_by_one_including_x_annotations(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    assert [f.to_document() for f in model.flows] == herefordshire_doc["flows"]
    assert model.flow("safeguarding-council").extra["x-register-ref"] == "HC-SG-004"


def test_beneficiaries_by_party_type_resolve_in_party_file_order(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    hereford = model.clause("hereford")
    expected = [p["id"] for p in herefordshire_doc["parties"] if p["type"] == "gp_practice"]
    assert list(model.beneficiaries(hereford)) == expected


def test_joint_controllers_default_to_the_two_parties_at_half_each(minimal_doc):
    minimal_doc["flows"][1]["relationship"] = "joint_controllers"
    flow = Model.from_document(minimal_doc).flows[1]
    assert [(s.party, s.share) for s in flow.controller_shares] == [("m81001", 0.5), ("icb", 0.5)]


def test_lookups_and_personal_exposure(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    assert model.party("m81008").partner_count == 1          # sole trader
    assert model.party("m81001").has_personal_exposure
    assert not model.party("m81011").has_personal_exposure   # limited company
    assert {f.id for f in model.flows_for_purpose("safeguarding")} == {"safeguarding-council"}
    assert model.scenario("baseline").clauses == ()
    with pytest.raises(ModelError):
        model.party("nobody")


def test_an_unreadable_document_is_a_model_error_not_a_crash():
    with pytest.raises(ModelError, match="validate"):
        Model.from_document({"format": "dsa-model/1", "parties": [{"id": "x"}]})


def test_the_views_are_read_only(minimal_doc):
    model = Model.from_document(minimal_doc)
    with pytest.raises(Exception):
        model.parties[0].name = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        model.flows[0].extra["dpia"]["reference"] = "changed"  # type: ignore[index]


def test_a_model_that_takes_its_document_is_the_model_built_from_a_copy_and_as_read_only(herefordshire_doc):
    import copy
    given = copy.deepcopy(herefordshire_doc)
    taken = Model.from_document(given, take=True)
    assert taken == Model.from_document(herefordshire_doc)
    assert taken.to_document() == herefordshire_doc
    assert [f.to_document() for f in taken.flows] == herefordshire_doc["flows"]
    with pytest.raises(TypeError):
        taken.flows[0].extra["dpia"]["reference"] = "changed"  # type: ignore[index]
    with pytest.raises(AttributeError):
        taken.parties[0].contacts.clear()  # type: ignore[attr-defined]


def test_building_a_model_leaves_the_cycle_collector_as_it_was_even_when_the_document_is_unreadable(minimal_doc):
    import gc
    assert gc.isenabled()
    Model.from_document(minimal_doc)
    with pytest.raises(ModelError):
        Model.from_document({"parties": []})
    assert gc.isenabled()
    gc.disable()
    try:
        Model.from_document(minimal_doc)
        assert not gc.isenabled()
    finally:
        gc.enable()
