"""What a person reads on every page: names not ids, labels not enum values, money as people write it, text inert."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from dsa import labels
from dsa.ui import text
from dsa.validation.schema import load_schema
from tests.ui.conftest import go, open_box, open_sections

PAGES = ("model", "validation", "flow_map", "liability", "agreements")


def schema_enum_values() -> set[str]:
    """Every enum value of the schema that reads as programmer vocabulary (has an underscore)."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for value in node.get("enum", []) or []:
                if isinstance(value, str) and "_" in value:
                    found.add(value)
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(load_schema())
    return found


def rendered_text(at) -> list[str]:
    """Every piece of text the page shows: prose, labels, table cells and headers, options, chart labels."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "metric", "expander", "button", "tab"):
        for element in getattr(at, kind, []):
            for attr in ("value", "label"):
                value = getattr(element, attr, None)
                if isinstance(value, str):
                    out.append(value)
    for kind in ("selectbox", "multiselect", "radio"):
        for element in getattr(at, kind, []):
            out.append(element.label)
            out += [str(o) for o in element.options]
    for frame in at.dataframe:
        value = frame.value
        out += [str(c) for c in value.columns]
        out += [str(v) for v in value.astype(str).to_numpy().ravel()]
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec.get("data", []):
            out.append(str(trace.get("name", "")))
            for key in ("y", "labels"):
                out += [str(v) for v in trace.get(key, []) or []]
            for key in ("node", "link"):
                part = trace.get(key) or {}
                out += [str(v) for v in part.get("label", []) + part.get("customdata", [])]
    return out


def broken_model(app):
    """The example with a few IG findings, so the Validation page has something to say."""
    doc = app.session_state["doc"]
    del doc["flows"][0]["dpia"]
    doc["flows"][1]["national_data_opt_out"] = "not_applied"
    doc["flows"][2]["transfer"]["method"] = "unsecured_email"
    del doc["flows"][3]["legal_basis"]["common_law"]  # its fix names every common-law basis
    del doc["flows"][0]["breach_notification_hours"]
    app.session_state["doc"] = doc
    app.run()
    return doc


@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_a_raw_enum_value_or_a_party_id(app, page):
    # IG findings for the pages that list them; the figures and drafts are shown for a model without errors
    doc = broken_model(app) if page in ("model", "validation", "flow_map") else app.session_state["doc"]
    go(app, page)
    if page == "model":  # every section of the first flow's and the first practice's forms, and the clauses
        app.selectbox(key="flow_form_flow").set_value(doc["flows"][0]["id"]).run()
        open_sections(app, "flow", doc["flows"][0]["id"], "basics", "data", "legal", "transfer", "governance")
        app.selectbox(key="party_form_party").set_value(doc["parties"][4]["id"]).run()
        open_sections(app, "party", doc["parties"][4]["id"], "basics", "cover", "contacts")
        for clause in doc["clauses"]:
            open_box(app, f"clause_box_{clause['id']}")
        open_box(app, "partnership_box")
        open_box(app, "add_indemnity_box")
    shown = "\n".join(rendered_text(app))
    assert "Riverside Surgery" in shown  # the scan reaches what the page shows
    enums = sorted(v for v in schema_enum_values() if re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", shown))
    assert enums == [], f"raw enum values on the {page} page: {enums}"
    ids = [p["id"] for p in doc["parties"] if re.fullmatch(r"[a-z]\d+|icb|csu|rlq", p["id"])]
    leaked = sorted(i for i in ids if re.search(rf"(?<![\w/.-]){i}(?![\w-]|\.\w)", shown))
    assert leaked == [], f"party ids on the {page} page: {leaked}"
    assert not re.search(r"[a-z-]+\.md\b", shown), "a specification file is named on screen"


def test_flow_numbers_on_screen_start_at_one(app):
    go(app, "model")
    options = app.selectbox(key="flow_form_flow").options
    assert options[0].startswith("Flow 1 '")
    assert options[26].startswith("Flow 27 '")


def test_money_on_the_liability_page_is_written_as_people_write_it(app, downloads):
    go(app, "liability")
    money = re.compile(r"^(−?£\d{1,3}(,\d{3})*( ± £\d{1,3}(,\d{3})*)?|—)$")
    for frame in app.dataframe:
        for column in frame.value.columns:
            if any(word in column for word in ("Mean", "1 in", "average", "asked for")) and "Chance" not in column:
                cells = [str(v) for v in frame.value[column]]
                assert all(money.match(c) for c in cells), (column, [c for c in cells if not money.match(c)][:3])
    shown = "\n".join(rendered_text(app))
    assert "£-" not in shown and not re.search(r"£[\d,]+\.\d+(?![\d]*[mbk])", shown)
    changes = [str(v) for f in app.dataframe if "Change" in f.value.columns for v in f.value["Change"]]
    assert changes and all(re.match(r"^(saves|adds) £[\d,]+$|^no change$", c) for c in changes)
    csv = pd.read_csv(io.BytesIO(downloads["practice-exposure.csv"]))
    for column in csv.columns:
        if column.startswith(("mean", "p99", "per partner", "joint")):
            values = csv[column].dropna()
            assert (values == values.round()).all(), f"unrounded pounds in the CSV column {column}"
    chances = [c for c in csv.columns if c.startswith("p exceed")]
    assert chances, "the CSV carries the chance a partner's share passes the threshold"
    values = pd.concat([csv[c].dropna() for c in chances])
    assert ((values >= 0) & (values <= 1)).all()
    assert ((values > 0) & (values < 1)).any(), "chances are kept as chances, not rounded to 0 or 1 like pounds"
    assert (values == values.round(4)).all()


def test_money_formatting_rules():
    assert text.money(12345.4) == "£12,345"
    assert text.money(-116) == "−£116"
    assert text.money(None) == "—" and text.money(float("nan")) == "—"
    assert text.change(-116.2) == "saves £116" and text.change(2000) == "adds £2,000" and text.change(0.3) == "no change"
    assert text.one_in(0.001) == "1 year in 1,000" and text.one_in(0.0043) == "1 year in 230"
    assert text.one_in(0) == "never in the simulated years"


def test_finding_messages_use_labels_and_name_no_specification_file():
    message = "Flow 'x' is for 'population_health_management' (see model-format.md)."
    assert text.plain(message) == "Flow 'x' is for 'Population health management'."
    fix = "Set legal_basis.common_law: implied_consent for direct care, or set breach_notification_hours."
    assert text.plain(fix) == ("Set ‘Common law’: Implied consent for direct care, or set ‘Hours within which the "
                               "processor tells the controller of a breach’.")


HOSTILE = "[click](http://evil.example/a) ![pixel](http://evil.example/p.png) <img src=x onerror=alert(1)>"


@pytest.mark.parametrize("page", PAGES)
def test_a_link_and_an_image_in_a_party_name_never_render(app, page):
    doc = app.session_state["doc"]
    doc["parties"][4]["name"] = HOSTILE  # a GP practice, on every page
    doc["partnership"]["name"] = HOSTILE
    app.session_state["doc"] = doc
    app.run()
    app.text_input(key="save_summary").set_value(HOSTILE)
    app.button(key="save_button").click().run()  # the save banner quotes the model's name
    go(app, page)
    if page == "model":
        app.selectbox(key="party_form_party").set_value(doc["parties"][4]["id"]).run()
    if page == "liability":
        app.selectbox(key="practice").set_value(doc["parties"][4]["id"]).run()
    markdown = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
                for e in getattr(app, kind) if isinstance(getattr(e, "value", None), str)]
    markdown += [e.value for e in app.sidebar.markdown]
    for value in markdown:
        assert not re.search(r"(?<!\\)\]\(", value), f"a live link or image from model text on the {page} page: {value[:120]}"
        assert not re.search(r"(?<!\\)<img", value), f"HTML from model text on the {page} page: {value[:120]}"
        if page != "agreements":  # the drafts escape their own text (drafting helper)
            assert "http://evil" not in value, f"a bare address Markdown would link, on the {page} page"
    assert any(text.safe(HOSTILE) in value for value in markdown), "the name is shown, escaped"


def test_every_party_type_choice_shows_labels_not_values(app):
    """The add-an-indemnity form, the Flow map's filter and the Negotiate page's template offer kinds of party."""
    raw = set(labels.PARTY_TYPE)
    go(app, "model")
    open_box(app, "add_indemnity_box")
    model_options = app.selectbox(key="add_ind_type").options
    go(app, "flow_map")
    map_options = app.multiselect(key="map_types").options
    for options in (model_options, map_options):
        assert "Dental practice" in options and "GP practice" in options
        assert not raw & set(options), sorted(raw & set(options))
    go(app, "negotiate")
    app.selectbox(key="negotiate_clause").set_value("__template__").run()
    assert not app.exception, app.exception
    template_options = app.selectbox(key="negotiate_template_type").options
    assert "GP practice" in template_options and not raw & set(template_options)
    purposes = app.multiselect(key="negotiate_template_purposes").options
    assert purposes and not set(labels.PURPOSE) & set(purposes)
