"""Only structural errors block: with information-governance errors alone the figures and drafts are shown
under a banner naming each open error with its fix (deployment.md, "Findings that block")."""

from __future__ import annotations

from tests.ui.conftest import go, table


def _with_an_ig_error(app):
    doc = app.session_state["doc"]
    doc["flows"][0]["transfer"]["method"] = "unsecured_email"  # IG020: not a structural error
    doc["flows"][0]["transfer"]["encrypted"] = False
    app.session_state["doc"] = doc
    return doc["flows"][0]["name"]


def _banner(app) -> list[str]:
    return [w.value for w in app.warning if "information-governance error" in w.value]


def test_the_liability_page_shows_its_figures_under_a_banner_of_open_ig_errors(app):
    flow = _with_an_ig_error(app)
    go(app, "liability")
    assert not app.main.error
    assert _banner(app) and "1 information-governance error(s) are open" in _banner(app)[0]
    texts = " ".join(m.value for m in app.markdown)
    assert f"Flow 1 '{flow}'" in texts and "Fix:" in texts
    practices = table(app, "Practice", "Scenario", "Mean a year, with")
    assert len(practices) > 0 and all(v.startswith("£") for v in practices["Mean a year, with"])


def test_the_negotiate_page_shows_its_figures_under_the_same_banner(app):
    _with_an_ig_error(app)
    go(app, "negotiate")
    assert not app.main.error and not app.exception
    assert _banner(app)
    assert [t.value for t in app.title] == ["Negotiate"] and app.tabs


def test_the_agreements_page_drafts_under_the_same_banner(app, downloads):
    _with_an_ig_error(app)
    go(app, "agreements")
    assert not app.main.error
    assert _banner(app)
    assert "data-sharing-agreement.docx" in downloads


def test_a_fix_button_opens_the_model_page_at_the_flow_it_concerns(app):
    _with_an_ig_error(app)
    go(app, "liability")
    app.button(key="ig_fix_0").click().run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Partnership model"]
    assert app.session_state["flow_form_flow"] == app.session_state["doc"]["flows"][0]["id"]


def test_a_model_with_a_reference_error_is_still_refused(app):
    doc = app.session_state["doc"]
    doc["flows"][0]["to"] = "nobody"  # REF001
    app.session_state["doc"] = doc
    for page in ("liability", "negotiate", "agreements"):
        go(app, page)
        assert any("errors in its structure or references" in e.value for e in app.error)
        assert not _banner(app)
        assert not [d for d in app.dataframe]


def test_a_model_without_errors_shows_no_banner(app):
    go(app, "liability")
    assert not _banner(app)
