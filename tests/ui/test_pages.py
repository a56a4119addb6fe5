"""Each page's logic, driven through Streamlit's AppTest on the real dashboard script."""

from __future__ import annotations

import json
import zipfile
import io

from tests.ui.conftest import epoch, go, open_box, open_sections, read_docx, table


def field(at, noun: str, item_id: str, path: str) -> str:
    """The widget key of one field of the Model page's flow or party form."""
    return f"{noun}_{item_id}_{epoch(at)}_{path}"


def practice_csv(downloads):
    import pandas as pd
    return pd.read_csv(io.BytesIO(downloads["practice-exposure.csv"]))


def metric(at, label: str) -> str:
    return next(m.value for m in at.sidebar.metric if m.label == label)


def test_the_app_opens_on_the_bundled_example_with_no_errors(app):
    assert [t.value for t in app.title] == ["Partnership model"]
    assert "Herefordshire PHM linked dataset" in app.sidebar.markdown[0].value
    assert metric(app, "Errors") == "0"


def test_breaking_a_flow_shows_its_finding_with_the_fix(app):
    app.selectbox(key="flow_form_flow").set_value("phm-m81001").run()
    open_sections(app, "flow", "phm-m81001", "transfer")
    app.selectbox(key=field(app, "flow", "phm-m81001", "transfer.method")).set_value("unsecured_email")
    app.checkbox(key=field(app, "flow", "phm-m81001", "transfer.encrypted")).uncheck()
    app.button(key="apply_flow_button").click().run()
    assert not app.exception
    assert app.session_state["doc"]["flows"][0]["transfer"]["method"] == "unsecured_email"
    assert int(metric(app, "Errors")) >= 1
    go(app, "validation")
    texts = [m.value for m in app.markdown]
    finding = next(t for t in texts if "Flow 1 'Weekly PHM extract — Riverside Surgery' › Transfer › How it is sent" in t)
    assert "**Fix:**" in finding
    assert any("rule IG020" in c.value and "/flows/0/transfer/method" in c.value for c in app.caption)


def test_changing_the_indemnity_share_moves_gp_exposure(app, downloads):
    go(app, "liability")
    before = practice_csv(downloads)
    rows = before[before["scenario"] == "Herefordshire model"]
    go(app, "model")
    open_box(app, "clause_box_hereford")
    share = app.number_input(key=f"share_hereford_{epoch(app)}")
    assert share.value == 0.9
    share.set_value(0.5)
    next(b for b in app.button if b.label == "Apply to this clause").click().run()
    assert app.session_state["doc"]["clauses"][0]["share"] == 0.5
    go(app, "liability")
    after = practice_csv(downloads)
    rows_after = after[after["scenario"] == "Herefordshire model"]
    # less of each practice's loss is taken over, so every practice with losses bears more
    assert (rows_after["mean after"].to_numpy() >= rows["mean after"].to_numpy()).all()
    assert (rows_after["mean after"].to_numpy() > rows["mean after"].to_numpy()).any()
    # the baseline (no clauses) does not move: common random numbers
    assert (rows_after["mean before"].to_numpy() == rows["mean before"].to_numpy()).all()


def test_an_invalid_edit_is_kept_and_flagged_not_thrown_away(app):
    doc = app.session_state["doc"]
    doc["flows"][1]["retention_months"] = -3
    app.session_state["doc"] = doc
    app.run()
    assert app.session_state["doc"]["flows"][1]["retention_months"] == -3
    go(app, "validation")
    assert any("/flows/1/retention_months" in c.value for c in app.caption)
    assert int(app.metric[0].value) >= 1


def test_a_model_with_errors_is_not_assessed_or_drafted(app):
    doc = app.session_state["doc"]
    doc["flows"][0]["to"] = "nobody"
    app.session_state["doc"] = doc
    for page in ("liability", "agreements"):
        go(app, page)
        assert any("has errors" in e.value for e in app.error)


def test_agreements_page_downloads_docx_markdown_and_the_zip(app, downloads):
    go(app, "agreements")
    assert not app.exception
    assert {"data-sharing-agreement.docx", "data-sharing-agreement.md", "drafting-notes.md"} <= set(downloads)
    document = read_docx(downloads["data-sharing-agreement.docx"])
    assert document.paragraphs[0].text.startswith("Data sharing agreement")
    zips = [name for name in downloads if name.endswith(".zip")]
    with zipfile.ZipFile(io.BytesIO(downloads[zips[0]])) as archive:
        names = set(archive.namelist())
    assert "risk-sharing-schedule.docx" in names and "processing-contract-m81001-csu.md" in names
    app.selectbox(key="agreement_document").set_value("risk-sharing-schedule").run()
    assert downloads["risk-sharing-schedule.md"].decode("utf-8").startswith("# Risk-sharing schedule")


def test_liability_page_offers_the_practice_table_and_a_practice_briefing(app, downloads):
    go(app, "liability")
    csv_text = downloads["practice-exposure.csv"].decode("utf-8")
    assert csv_text.splitlines()[0].startswith("practice,")
    app.selectbox(key="practice").set_value("m81002").run()
    briefing = read_docx(downloads["briefing-m81002.docx"])
    assert "Cathedral Medical Centre" in briefing.paragraphs[0].text
    flows = table(app, "Flow", "Other party", "Role")
    assert len(flows) >= 2


def test_changing_an_assumption_reruns_the_assessment(app, downloads):
    go(app, "liability")
    before = practice_csv(downloads)
    shown = table(app, "Assumption", "Value", "Default", "Source")
    assert shown.loc[shown["Assumption"] == "Incidents a year per flow — Secure API", "Value"].iloc[0] == 0.01
    doc = app.session_state["doc"]
    doc["assumptions"] = {"base_rate": {"secure_api": 0.05}}  # what the assumptions editor writes
    app.session_state["doc"] = doc
    app.run()
    after = practice_csv(downloads)
    assert (after["mean before"].to_numpy() > before["mean before"].to_numpy()).any()
    shown = table(app, "Assumption", "Value", "Default", "Source")
    assert shown.loc[shown["Assumption"] == "Incidents a year per flow — Secure API", "Value"].iloc[0] == 0.05


def test_saving_then_history_diff_signoff_and_restore(app):
    app.text_input(key="auth_name_save").set_value("A. Person")  # asked once per session
    app.text_input(key="save_summary").set_value("first cut")
    app.button(key="save_button").click().run()
    assert app.session_state["base_version"] == 1
    doc = app.session_state["doc"]
    doc["partnership"]["review_date"] = "2027-06-30"
    app.session_state["doc"] = doc
    app.text_input(key="save_summary").set_value("earlier review")
    app.button(key="save_button").click().run()
    assert app.session_state["base_version"] == 2
    go(app, "history")
    versions = table(app, "version", "saved by", "summary")
    assert list(versions["summary"]) == ["earlier review", "first cut"]
    diff = table(app, "change", "section", "field")
    assert list(diff["field"]) == ["review date"]
    app.selectbox(key="signoff_party").set_value("icb")
    app.selectbox(key="signoff_role").set_value("SIRO")
    assert app.text_input(key="signoff_signer").value == "A. Person"  # pre-filled with the session's name
    next(b for b in app.button if b.label == "Record sign-off").click().run()
    assert not app.exception
    assert ("NHS Herefordshire and Worcestershire Integrated Care Board: SIRO, A. Person"
            in table(app, "version", "sign-offs")["sign-offs"].iloc[0])
    app.selectbox(key="restore_version").set_value(1)
    app.button(key="restore_button").click().run()
    assert app.session_state["base_version"] == 3
    assert app.session_state["doc"]["partnership"]["review_date"] == "2027-10-31"


def test_a_stale_save_is_refused_naming_who_saved_in_between(app):
    from dsa.ui import cached
    app.text_input(key="auth_name_save").set_value("A. Person")
    app.button(key="save_button").click().run()
    name = app.session_state["store_name"]
    cached.current_store().save(name, app.session_state["doc"], author="Other Person", summary="meanwhile")
    app.text_input(key="save_summary").set_value("mine")
    app.button(key="save_button").click().run()
    assert any("Other Person" in e.value for e in app.error)
    assert app.session_state["base_version"] == 1


def test_flow_map_colours_by_expected_loss(app):
    go(app, "flow_map")
    app.selectbox(key="map_colour").set_value("expected loss").run()
    assert not app.exception
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    labels = chart["data"][0]["link"]["customdata"]
    assert any("a year" in label for label in labels)


def test_reviews_due_appear_in_the_sidebar_with_a_calendar_file(app, downloads):
    doc = app.session_state["doc"]
    doc["partnership"]["review_date"] = "2020-01-01"
    app.session_state["doc"] = doc
    app.run()
    assert any("Reviews due" in w.value and "overdue" in w.value for w in app.sidebar.warning)
    assert downloads["dsa-reviews.ics"].startswith(b"BEGIN:VCALENDAR")


def test_hostile_party_names_show_as_text(app):
    doc = app.session_state["doc"]
    doc["partnership"]["name"] = "<script>alert(1)</script> **x**"
    app.session_state["doc"] = doc
    app.run()
    assert "\\<script\\>alert(1)\\</script\\> \\*\\*x\\*\\*" in app.sidebar.markdown[0].value


def test_validation_page_shows_every_finding_where_it_is_in_words_with_its_fix(app):
    doc = app.session_state["doc"]
    doc["flows"][0]["transfer"]["method"] = "unsecured_email"
    del doc["flows"][1]["retention_months"]
    app.session_state["doc"] = doc
    go(app, "validation")
    texts = [m.value for m in app.markdown]
    retention = next(t for t in texts if t.startswith(f"**Flow 2 '{doc['flows'][1]['name']}' › Retention (months)**"))
    assert "**Fix:**" in retention and "/flows/1" not in retention  # the pointer is only in the details line
    fixes = [b for b in app.button if b.label == "Fix"]
    assert len(fixes) == len([t for t in texts if "**Fix:**" in t]) >= 2


def test_a_register_spreadsheet_is_imported_from_the_model_page(app, minimal_doc):
    from dsa.tabular import export_tables, xlsx_bytes
    from dsa.validation import validate

    data = xlsx_bytes(export_tables(minimal_doc, validate(minimal_doc)))
    open_box(app, "open_model", ("open_model_tab", "Data-flow register"))
    app.file_uploader(key="open_register").set_value(
        ("register.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    app.checkbox(key="register_on_top").uncheck()
    app.button(key="open_register_button").click().run()
    assert not app.exception
    assert [f["id"] for f in app.session_state["doc"]["flows"]] == [f["id"] for f in minimal_doc["flows"]]
    assert any("Imported 2 flows" in s.value for s in app.success)


def test_a_register_with_problems_lists_every_row_and_column(app):
    bad = ("id,name,from,to,purpose,relationship\n"
           "f1,One,icb,csu,not-a-purpose,independent_controllers\n"
           "f2,Two,icb,csu,planning,sideways\n").encode("utf-8")
    open_box(app, "open_model", ("open_model_tab", "Data-flow register"))
    app.file_uploader(key="open_register").set_value(("register.csv", bad, "text/csv")).run()
    app.button(key="open_register_button").click().run()
    problems = table(app, "Row", "Column", "Value", "Problem")
    assert {(2, "purpose"), (3, "relationship")} <= set(zip(problems["Row"], problems["Column"], strict=True))
    assert app.session_state["doc"]["partnership"]["name"] == "Herefordshire PHM linked dataset"  # nothing lost


def test_a_json_file_that_is_not_a_model_is_refused_clearly(app):
    open_box(app, "open_model", ("open_model_tab", "JSON file"))
    app.file_uploader(key="open_json").set_value(("broken.json", b"{not json", "application/json")).run()
    app.button(key="open_json_button").click().run()
    assert any("could not be opened" in e.value for e in app.error)
    assert app.session_state["doc"]["partnership"]["name"] == "Herefordshire PHM linked dataset"


def test_a_findings_fix_link_opens_the_form_holding_that_field(app):
    doc = app.session_state["doc"]
    del doc["flows"][2]["dpia"]
    app.session_state["doc"] = doc
    go(app, "validation")
    label = f"Flow 3 '{doc['flows'][2]['name']}'"
    app.selectbox(key="validation_filter").set_value(label).run()
    fix = next(b for b in app.button if b.label == "Fix")
    fix.click().run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Partnership model"]
    assert app.selectbox(key="flow_form_flow").value == doc["flows"][2]["id"]
    opened = [e.label for e in app.expander if e.proto.expanded]
    assert "DPIA, contracts and approvals" in opened
    assert app.text_input(key=field(app, "flow", doc["flows"][2]["id"], "dpia.reference")).value == ""


def test_choosing_no_scenario_shows_the_baseline_alone_and_a_removed_scenario_is_forgotten(app):
    go(app, "liability")
    app.multiselect(key="liability_scenarios").set_value([])
    next(b for b in app.button if b.label == "Run assessment").click().run()
    assert set(table(app, "Practice", "Scenario")["Scenario"]) == {"baseline (legal default)"}
    app.multiselect(key="liability_scenarios").set_value(["risk-pool"])
    next(b for b in app.button if b.label == "Run assessment").click().run()
    doc = app.session_state["doc"]
    doc["scenarios"] = [s for s in doc["scenarios"] if s["id"] != "risk-pool"]
    app.session_state["doc"] = doc
    app.run()
    assert not app.exception
    assert set(table(app, "Practice", "Scenario")["Scenario"]) == {"baseline (legal default)"}


def test_partnership_details_are_edited_in_a_form(app):
    open_box(app, "partnership_box")
    e = epoch(app)
    app.text_input(key=f"pt_review_{e}").set_value("2027-03-31")
    app.number_input(key=f"pt_hours_{e}").set_value(48)
    app.text_area(key=f"pt_description_{e}").set_value("")
    next(b for b in app.button if b.label == "Apply partnership details").click().run()
    assert not app.exception
    partnership = app.session_state["doc"]["partnership"]
    assert partnership["review_date"] == "2027-03-31" and partnership["breach_reporting_hours"] == 48
    assert "description" not in partnership
    assert partnership["name"] == "Herefordshire PHM linked dataset"


def test_a_partys_contacts_are_edited_and_the_drafts_use_them(app):
    app.selectbox(key="party_form_party").set_value("csu").run()
    open_sections(app, "party", "csu", "contacts")
    app.text_input(key=field(app, "party", "csu", "contacts.caldicott_guardian")).set_value("Dr A. Guardian")
    app.button(key="apply_party_button").click().run()
    assert not app.exception
    csu = next(p for p in app.session_state["doc"]["parties"] if p["id"] == "csu")
    assert csu["contacts"]["caldicott_guardian"] == "Dr A. Guardian"
    assert csu["contacts"]["dpo"]  # untouched fields stay
    go(app, "agreements")  # the drafts no longer ask for that Caldicott Guardian
    notes = app.dataframe[0].value
    assert len(notes) and not notes["to complete"].str.contains("Caldicott Guardian of Midlands").any()


def test_a_finding_on_the_partnership_opens_the_partnership_form(app):
    doc = app.session_state["doc"]
    doc["partnership"]["breach_reporting_hours"] = 96  # over the 72 hours UK GDPR allows
    app.session_state["doc"] = doc
    go(app, "validation")
    label = next(o for o in app.selectbox(key="validation_filter").options if o.startswith("The partnership"))
    app.selectbox(key="validation_filter").set_value(label).run()
    next(b for b in app.button if b.label == "Fix").click().run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Partnership model"]
    assert app.text_input(key=f"pt_review_{epoch(app)}").value == doc["partnership"]["review_date"]


def test_the_delivery_vehicle_examples_are_offered_readably_and_open(app):
    open_box(app, "open_model", ("open_model_tab", "Bundled examples"))
    box = app.selectbox(key="open_example")
    assert "Vehicles — primary-care-led" in box.options and "Vehicles — joint-venture" in box.options
    assert "Herefordshire PHM linked dataset" in box.options
    assert not [o for o in box.options if o.endswith(".json")]
    box.set_value("vehicles/primary-care-led.json").run()
    app.button(key="open_example_button").click().run()
    assert not app.exception, app.exception
    assert app.session_state["doc"]["partnership"]["name"].endswith("primary-care-led")
    assert any("Vehicles — primary-care-led" in s.value for s in app.success)


def test_agreements_page_names_the_saved_version_and_counts_open_governance_errors(app, downloads):
    from dsa.canonical import model_version
    from dsa.findings import governance_errors
    from dsa.validation import validate

    doc = app.session_state["doc"]
    go(app, "agreements")
    caption = next(c.value for c in app.caption if c.value.startswith("Drafts of"))
    assert caption.startswith(f"Drafts of 'Herefordshire PHM linked dataset' ({model_version(doc)})")
    assert "Model version" not in caption
    assert not [w for w in app.warning if "NOT FOR SIGNATURE" in w.value]

    go(app, "model")
    app.text_input(key="auth_name_save").set_value("A. Person")
    app.text_input(key="save_summary").set_value("First version")
    app.button(key="save_button").click().run()
    assert app.session_state["base_version"] == 1
    go(app, "agreements")
    caption = next(c.value for c in app.caption if c.value.startswith("Drafts of"))
    assert caption.startswith(f"Drafts of v1 of 'Herefordshire PHM linked dataset' ({model_version(doc)})")

    del doc["flows"][0]["dpia"]  # an information-governance error: still drafted, not for signature
    app.session_state["doc"] = doc
    go(app, "agreements")
    open_errors = len(governance_errors(validate(doc)))
    assert open_errors >= 1
    assert any("Not ready to sign" in w.value for w in app.warning), "the shared guard's banner is drawn"
    beside = [w.value for w in app.warning if w.value.startswith("NOT FOR SIGNATURE")]
    assert beside and beside[0].startswith(f"NOT FOR SIGNATURE: {open_errors} information-governance error")
    caption = next(c.value for c in app.caption if c.value.startswith("Drafts of"))
    assert caption.startswith(f"Drafts of 'Herefordshire PHM linked dataset' ({model_version(doc)})"), \
        "an edited model is no longer the saved version 1"
