"""The dashboard's editable tables: nothing a table does not show is lost, and nothing typed is dropped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dsa.assumptions import defaults, sources
from dsa.canonical import canonical_json
from dsa.editing import (FLOW_COLUMNS, PARTY_COLUMNS, apply_flows, apply_parties, assumption_overrides,
                         assumption_rows, column_facts, to_rows, update_item)


def test_unchanged_tables_give_back_the_same_model(herefordshire_doc):
    flows = to_rows(herefordshire_doc["flows"], FLOW_COLUMNS)
    parties = to_rows(herefordshire_doc["parties"], PARTY_COLUMNS)
    same = apply_parties(apply_flows(herefordshire_doc, flows), parties)
    assert canonical_json(same) == canonical_json(herefordshire_doc)


def test_editing_a_cell_keeps_the_fields_the_table_does_not_show(herefordshire_doc):
    rows = to_rows(herefordshire_doc["flows"], FLOW_COLUMNS)
    rows[0]["method"] = "sftp"
    rows[0]["categories"] = "demographics; diagnoses"
    edited = apply_flows(herefordshire_doc, rows)["flows"][0]
    assert edited["transfer"]["method"] == "sftp"
    assert edited["data"]["categories"] == ["demographics", "diagnoses"]
    assert edited["dpia"] == herefordshire_doc["flows"][0]["dpia"]  # not in the table, still there
    assert edited["processing_contract"] == herefordshire_doc["flows"][0]["processing_contract"]


def test_renaming_an_id_keeps_the_rows_other_facts(minimal_doc):
    rows = to_rows(minimal_doc["flows"], FLOW_COLUMNS)
    rows[0]["id"] = "phm-renamed"
    edited = apply_flows(minimal_doc, rows)["flows"][0]
    assert edited["id"] == "phm-renamed" and edited["dpia"] == minimal_doc["flows"][0]["dpia"]


def test_invalid_values_are_kept_for_the_validator_to_flag(minimal_doc):
    rows = to_rows(minimal_doc["parties"], PARTY_COLUMNS)
    rows[2]["partners"] = -4.0
    rows[2]["type"] = "not-a-type"
    party = apply_parties(minimal_doc, rows)["parties"][2]
    assert party["partners"] == -4 and party["type"] == "not-a-type"


def test_a_new_row_becomes_a_new_flow_and_a_removed_row_is_removed(minimal_doc):
    rows = to_rows(minimal_doc["flows"], FLOW_COLUMNS)
    del rows[1]
    rows.append({"id": "new-flow", "name": "New", "from": "icb", "to": "csu", "records": 10.0})
    flows = apply_flows(minimal_doc, rows)["flows"]
    assert [f["id"] for f in flows] == ["phm-m81001", "new-flow"]
    assert flows[1]["data"] == {"records": 10} and flows[1]["transfer"] == {}


def test_blank_cells_remove_the_field(minimal_doc):
    rows = to_rows(minimal_doc["flows"], FLOW_COLUMNS)
    rows[0]["retention_months"] = float("nan")
    assert "retention_months" not in apply_flows(minimal_doc, rows)["flows"][0]


def test_update_item_changes_dotted_paths_and_removes_none(minimal_doc):
    doc = update_item(minimal_doc, "flows", "phm-m81001", {"transfer.method": "sftp", "retention_months": None})
    assert doc["flows"][0]["transfer"]["method"] == "sftp" and "retention_months" not in doc["flows"][0]
    assert minimal_doc["flows"][0]["transfer"]["method"] != "sftp"  # the original is untouched


def test_every_table_column_has_schema_help_and_enums_become_choices():
    for kind in ("party", "flow"):
        facts = column_facts(kind)
        assert all(f["description"] for f in facts.values()), kind
    assert "unsecured_email" in column_facts("flow")["method"]["enum"]


@settings(max_examples=40, deadline=None)
@given(st.floats(min_value=0.0001, max_value=5, allow_nan=False), st.sampled_from(range(48)))
def test_assumption_rows_round_trip_to_overrides(value, index):
    rows = assumption_rows(defaults(), defaults(), sources())
    assert assumption_overrides(rows, defaults()) == {}
    rows[index]["value"] = value
    overrides = assumption_overrides(rows, defaults())
    if value == rows[index]["default"]:
        assert overrides == {}
    else:
        key, *rest = rows[index]["assumption"].split(".")
        node = overrides[key]
        for part in rest:
            node = node[int(part)] if isinstance(node, list) else node[part]
        assert node == value
