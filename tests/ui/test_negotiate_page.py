"""The Negotiate page's three tabs, driven through AppTest on the real dashboard script."""

from __future__ import annotations

import re

from tests.ui.conftest import go, table
from tests.ui.test_plain_language import rendered_text, schema_enum_values

PHM_ONLY = ["m81009", "m81010", "m81012", "m81013", "m81014", "m81015", "m81016"]


def _solve_for_phm_practices(app, limit=5_000):
    go(app, "negotiate")
    app.number_input(key="negotiate_limit_0").set_value(limit)
    app.radio(key="negotiate_who").set_value("Chosen parties").run()
    app.multiselect(key="negotiate_parties").set_value(PHM_ONLY)
    app.select_slider(key="negotiate_years").set_value(20_000)
    app.button(key="negotiate_solve").click().run()
    assert not app.exception, app.exception
    return app


def test_targets_tab_gives_the_answer_in_a_sentence_with_its_frontier(app):
    _solve_for_phm_practices(app)
    assert "Negotiate" in [t.value for t in app.title]
    markdown = " ".join(m.value for m in app.markdown)
    assert "No partner loses more than £5,000 in a 1-in-1,000 year" in markdown
    sentence = app.success[0].value
    assert sentence.startswith("NHS Herefordshire and Worcestershire Integrated Care Board must indemnify at least ")
    assert "a year on average to what" in sentence and "£" in sentence
    assert "Binding:" in markdown
    frontier = table(app, "Share of each covered loss")
    assert list(frontier["Share of each covered loss"]) == [f"{k * 10}%" for k in range(11)]
    assert "negotiate_frontier" in [c.key for c in app.get("plotly_chart")] or app.get("plotly_chart")


def test_an_unreachable_target_gives_the_reasons_in_words(app):
    go(app, "negotiate")
    app.select_slider(key="negotiate_years").set_value(20_000)
    app.button(key="negotiate_solve").click().run()
    assert not app.exception
    warning = app.warning[0].value
    assert warning.startswith("No share of “ICB accepts PHM data risk (Herefordshire clause)” achieves this")
    markdown = " ".join(m.value for m in app.markdown)
    assert "outside the clause's scope" in markdown and "fines" in markdown
    assert not [b for b in app.button if b.label == "Add as a scenario"]


def test_add_as_a_scenario_puts_the_solved_clause_in_the_model_and_the_liability_page_shows_it(app):
    _solve_for_phm_practices(app)
    next(b for b in app.button if b.label == "Add as a scenario").click().run()
    assert not app.exception
    doc = app.session_state["doc"]
    scenario = next(s for s in doc["scenarios"] if s["id"] == "solved-hereford")
    assert scenario["name"] == "Solved: ICB accepts PHM data risk (Herefordshire clause)"
    share = next(c for c in doc["clauses"] if c["id"] == "hereford")["share"]
    assert 0 <= share <= 1
    go(app, "liability")
    practices = table(app, "Practice", "Scenario")
    assert "Solved: ICB accepts PHM data risk (Herefordshire clause)" in set(practices["Scenario"])


def test_a_template_indemnity_can_be_solved_without_changing_the_model_until_added(app):
    go(app, "negotiate")
    app.selectbox(key="negotiate_clause").set_value("__template__").run()
    app.number_input(key="negotiate_limit_0").set_value(5_000)
    app.radio(key="negotiate_who").set_value("Chosen parties").run()
    app.multiselect(key="negotiate_parties").set_value(PHM_ONLY)
    app.select_slider(key="negotiate_years").set_value(20_000)
    app.button(key="negotiate_solve").click().run()
    assert not app.exception
    assert app.success and "must indemnify at least" in app.success[0].value
    assert "negotiated-indemnity" not in [c["id"] for c in app.session_state["doc"]["clauses"]]


def test_sensitivity_tab_shows_the_tornado_with_plain_names_and_sources(app):
    go(app, "negotiate")
    app.button(key="sensitivity_run").click().run()
    assert not app.exception
    frame = table(app, "assumption", "low end", "high end", "swing", "source of the range")
    assert "Incident rate of every transfer method" in set(frame["assumption"])
    assert all(s for s in frame["source of the range"])
    assert not any("_" in name for name in frame["assumption"])
    assert any("Simulated" in m.value or "Exact" in m.value for m in app.markdown)


def test_what_fixing_buys_ranks_fixes_and_links_to_the_model_page(app):
    doc = app.session_state["doc"]
    doc["flows"][0]["transfer"].update(method="unsecured_email", encrypted=False)
    app.session_state["doc"] = doc
    go(app, "negotiate")
    frame = table(app, "fix", "all parties, a year", "who gains or pays")
    assert frame["fix"][0] == "“Weekly PHM extract — Riverside Surgery” is sent by Secure API instead of Unsecured email"
    assert frame["all parties, a year"][0].startswith("saves £")
    app.selectbox(key="fixes_pick").set_value(0)
    app.button(key="fixes_edit").click().run()
    assert not app.exception
    assert app.session_state["flow_form_flow"] == "phm-m81001"
    assert "Partnership model" in [t.value for t in app.title]


def test_the_page_shows_names_and_labels_never_ids_or_enum_values(app):
    _solve_for_phm_practices(app)
    app.button(key="sensitivity_run").click().run()
    assert not app.exception
    shown = "\n".join(rendered_text(app))
    assert "Riverside Surgery" in shown or "Pendragon" in shown  # the scan reaches what the page shows
    enums = sorted(v for v in schema_enum_values() if re.search(rf"(?<![\w-]){re.escape(v)}(?![\w-])", shown))
    assert enums == []
    ids = [p["id"] for p in app.session_state["doc"]["parties"]]
    assert not [i for i in ids if re.search(rf"(?<![\w/-]){re.escape(i)}(?![\w-])", shown)]
