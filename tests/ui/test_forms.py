"""The Model page's forms: every fact of a flow and a party can be entered; adding is refused until complete."""

from __future__ import annotations

import pytest

from dsa.ui import fields
from dsa.ui.tables import magnitude_changes, settle_new_rows
from dsa.validation.schema import load_schema
from tests.ui.conftest import epoch, open_box, open_sections

# Schema properties deliberately not in the forms, and why.
NOT_IN_FORMS = {
    "flow": {("id",): "made from the name", ("risk",): "loss-model overrides belong with the assumptions",
             ("joint_controllers",): "shares default to half each; set otherwise in the model file"},
    "party": {("id",): "made from the name"},
}


def leaves(kind: str) -> set[tuple[str, ...]]:
    defs = load_schema()["$defs"]
    out = set()

    def walk(node, path):
        props = node.get("properties")
        if node.get("type") == "object" and props:
            for key, child in props.items():
                if "$ref" in child:
                    child = defs[child["$ref"].rsplit("/", 1)[-1]]
                walk(child, path + (key,))
        else:
            out.add(path)

    walk(defs[kind], ())
    return out


@pytest.mark.parametrize("kind,section", [("flow", "flows"), ("party", "parties")])
def test_every_fact_the_schema_allows_has_a_form_field(kind, section):
    in_forms = {f.path for f in fields.FIELDS[section]}
    missing = {p for p in leaves(kind) - in_forms if p[:1] not in {k[:1] for k in NOT_IN_FORMS[kind]}}
    assert missing == set(), f"facts only reachable through a spreadsheet: {sorted(missing)}"


def test_number_inputs_take_their_bounds_from_the_schema():
    low, high = fields.bounds("flow", ("data", "records"))
    assert low == 0
    node = fields.schema_node("flow", ("data", "records"))
    assert high == node.get("maximum")


def key(at, prefix: str, path: str) -> str:
    return f"{prefix}_{path}"


def draft(at, noun: str) -> str:
    return f"{noun}_draft_{epoch(at)}"


def test_a_flow_is_added_from_a_form_by_party_name_and_shows_its_findings(app):
    app.selectbox(key="flow_form_flow").set_value("+ Add a data flow").run()
    d = draft(app, "flow")
    names = app.selectbox(key=f"{d}_from").options
    assert "Riverside Surgery" in names and "m81001" not in names
    app.text_input(key=f"{d}_name").set_value("Monthly PHM extract — Riverside")
    app.selectbox(key=f"{d}_from").set_value("m81001")
    app.selectbox(key=f"{d}_to").set_value("csu")
    app.selectbox(key=f"{d}_purpose").set_value("population_health_management")
    app.selectbox(key=f"{d}_relationship").set_value("controller_to_processor")
    app.selectbox(key=f"{d}_data.identifiability").set_value("pseudonymised").run()
    labels = [s.label for s in app.selectbox]
    assert "Article 9 condition" not in labels  # offered only for special category data
    assert "Type 1 opt-out (GP data)" in labels  # from a GP practice
    assert "Processing contract (Article 28) reference" in [t.label for t in app.text_input]
    app.button(key="add_flow_button").click().run()
    assert any("needs" in e.value and "Number of people" in e.value for e in app.error)  # not complete: not added
    assert len(app.session_state["doc"]["flows"]) == 27
    app.checkbox(key=f"{d}_data.special_category").check().run()
    assert "Article 9 condition" in [s.label for s in app.selectbox]
    app.number_input(key=f"{d}_data.records").set_value(4200)
    app.selectbox(key=f"{d}_transfer.method").set_value("secure_api")
    app.selectbox(key=f"{d}_transfer.frequency").set_value("monthly")
    app.checkbox(key=f"{d}_transfer.encrypted").check()
    app.button(key="add_flow_button").click().run()
    assert not app.exception
    flows = app.session_state["doc"]["flows"]
    assert len(flows) == 28
    added = flows[-1]
    assert added["id"] == "monthly-phm-extract-riverside" and added["from"] == "m81001"
    assert added["data"] == {"identifiability": "pseudonymised", "special_category": True, "records": 4200}
    assert app.selectbox(key="flow_form_flow").value == added["id"]
    shown = "\n".join(m.value for m in app.markdown)
    assert "Article 9" in shown and "Fix:" in shown  # its findings, below the form


def test_every_governance_fact_is_entered_and_the_finding_goes(app):
    doc = app.session_state["doc"]
    fid = doc["flows"][0]["id"]
    for gone in ("dpia", "processing_contract", "s251", "breach_notification_hours"):
        del doc["flows"][0][gone]
    app.session_state["doc"] = doc
    app.run()
    app.selectbox(key="flow_form_flow").set_value(fid).run()
    open_sections(app, "flow", fid, "legal", "transfer", "governance")
    p = f"flow_{fid}_{epoch(app)}"
    app.text_input(key=f"{p}_dpia.reference").set_value("DPIA-9")
    app.text_input(key=f"{p}_dpia.date").set_value("2026-09-01")
    app.text_area(key=f"{p}_dpia.dpo_advice").set_value("Approved")
    app.text_input(key=f"{p}_processing_contract.reference").set_value("PC-9")
    app.text_input(key=f"{p}_processing_contract.date").set_value("2026-10-01")
    app.text_input(key=f"{p}_processing_contract.expires").set_value("2029-09-30")
    app.multiselect(key=f"{p}_processing_contract.terms").set_value(list("abcdefgh"))
    app.text_area(key=f"{p}_processing_contract.sub_processors").set_value("Acme Ltd\nBeta Ltd")
    app.text_input(key=f"{p}_s251.cag_reference").set_value("22/CAG/0001")
    app.text_input(key=f"{p}_s251.expires").set_value("2028-03-31")
    app.number_input(key=f"{p}_breach_notification_hours").set_value(24)
    app.button(key="apply_flow_button").click().run()
    assert not app.exception
    flow = app.session_state["doc"]["flows"][0]
    assert flow["processing_contract"] == {"reference": "PC-9", "date": "2026-10-01", "expires": "2029-09-30",
                                           "terms": list("abcdefgh"), "sub_processors": ["Acme Ltd", "Beta Ltd"]}
    assert flow["dpia"]["dpo_advice"] == "Approved" and flow["breach_notification_hours"] == 24
    assert flow["s251"] == {"cag_reference": "22/CAG/0001", "expires": "2028-03-31"}
    assert app.sidebar.metric[0].value == "0"


def test_a_party_is_added_with_its_partners_names_and_address(app):
    app.selectbox(key="party_form_party").set_value("+ Add a party").run()
    d = draft(app, "party")
    app.text_input(key=f"{d}_name").set_value("Bridge Street Dental")
    app.selectbox(key=f"{d}_type").set_value("dental_practice")
    app.selectbox(key=f"{d}_legal_form").set_value("partnership").run()
    app.number_input(key=f"{d}_partners").set_value(2)
    app.text_area(key=f"{d}_partner_names").set_value("Dr A. Molar\nDr B. Incisor")
    app.text_area(key=f"{d}_address").set_value("1 Bridge Street, Hereford")
    app.number_input(key=f"{d}_insurance.excess_gbp").set_value(2500)
    app.button(key="add_party_button").click().run()
    assert not app.exception
    party = app.session_state["doc"]["parties"][-1]
    assert party == {"id": "bridge-street-dental", "name": "Bridge Street Dental", "type": "dental_practice",
                     "legal_form": "partnership", "partners": 2, "partner_names": ["Dr A. Molar", "Dr B. Incisor"],
                     "address": "1 Bridge Street, Hereford", "insurance": {"excess_gbp": 2500}}


def test_the_register_template_downloads_from_the_model_page(app, downloads):
    open_box(app, "open_model", ("open_model_tab", "Data-flow register"))
    assert downloads["register-template.xlsx"][:2] == b"PK"
    assert downloads["register-template.csv"].decode("utf-8").startswith(("id,", "\ufeffid,", "name", "\ufeffname"))


def test_a_blank_new_grid_row_is_dropped_and_an_incomplete_one_waits():
    rows = [{"id": "a", "name": "A"}, {"id": None, "name": None, "from": None},
            {"id": None, "name": "Half typed", "from": "icb"}]
    kept, waiting = settle_new_rows("flow", rows, ["a"])
    assert kept == [{"id": "a", "name": "A"}]
    assert len(waiting) == 1 and waiting[0].startswith("Row 3 is not added yet") and "Shared with" in waiting[0]


def test_a_complete_new_grid_row_gets_an_id_from_its_name():
    row = {"id": None, "name": "Riverside Surgery", "type": "gp_practice", "legal_form": "nhs_body"}
    kept, waiting = settle_new_rows("party", [row], ["riverside-surgery"])
    assert waiting == [] and kept[0]["id"] == "riverside-surgery-2"


def test_a_hundredfold_change_in_a_grid_is_shown_back(herefordshire_doc):
    items = herefordshire_doc["flows"]
    rows = [{"id": f["id"], "records": f["data"]["records"]} for f in items]
    rows[0]["records"] = items[0]["data"]["records"] * 1000
    rows[1]["records"] = items[1]["data"]["records"] + 1
    said = magnitude_changes("flow", items, rows, herefordshire_doc)
    assert said == [f"Flow 1 '{items[0]['name']}': Number of people whose records are shared changed from "
                    f"{items[0]['data']['records']:,} to {items[0]['data']['records'] * 1000:,} (1,000 times more)."]


def test_a_number_already_beyond_the_schemas_bounds_is_shown_in_its_form_not_a_crash(app):
    doc = app.session_state["doc"]
    doc["flows"][0]["retention_months"] = -3
    app.session_state["doc"] = doc
    app.run()
    app.selectbox(key="flow_form_flow").set_value(doc["flows"][0]["id"]).run()
    open_sections(app, "flow", doc["flows"][0]["id"], "transfer")
    assert app.number_input(key=f"flow_{doc['flows'][0]['id']}_{epoch(app)}_retention_months").value == -3
