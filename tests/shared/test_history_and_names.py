"""The History page and the personal-mode name, through AppTest on the real dashboard script."""

from __future__ import annotations

import json

from dsa.canonical import version_label
from tests.conftest import EXAMPLES
from tests.ui.conftest import go, open_box, table

ICB = "NHS Herefordshire and Worcestershire Integrated Care Board"


def _saved(store, name="Hereford", versions=2):
    doc = json.loads((EXAMPLES / "herefordshire-phm.json").read_text(encoding="utf-8"))
    infos = []
    for i in range(versions):
        doc["partnership"]["review_date"] = f"202{7 + i}-06-30"
        infos.append(store.save(name, doc, author=f"Author {i + 1}", summary=f"change {i + 1}"))
    return infos


def _store():
    from dsa.ui import cached
    return cached.current_store()


def test_saving_needs_a_name_asked_once_per_session_never_unknown(app):
    app.session_state["author"] = ""
    app.run()
    app.button(key="save_button").click().run()
    assert any("Type your name first" in e.value for e in app.error)
    assert app.session_state["base_version"] is None
    app.text_input(key="auth_name_save").set_value("Sam Jones").run()
    app.button(key="save_button").click().run()
    assert app.session_state["base_version"] == 1
    assert not any(t.key == "auth_name_save" for t in app.text_input)  # asked once: the session keeps it
    app.button(key="save_button").click().run()
    assert [v.author for v in _store().history(app.session_state["store_name"])] == ["Sam Jones", "Sam Jones"]


def test_a_name_typed_by_a_form_survives_a_click_that_carries_the_sidebars_old_empty_value(app):
    """A click sent before the browser heard of the name carries the sidebar field's old value: still saved."""
    app.session_state["author"] = ""
    app.run()
    app.text_input(key="auth_name_save").set_value("Sam Jones").run()
    assert app.text_input(key="author_field").value == "Sam Jones"  # the sidebar shows the name typed
    app.text_input(key="author_field").set_value("")  # the browser's stale value, sent with the click
    app.button(key="save_button").click().run()
    assert [v.author for v in _store().history(app.session_state["store_name"])] == ["Sam Jones"]
    assert app.text_input(key="author_field").value == "Sam Jones"
    app.text_input(key="author_field").set_value("Alex Smith").run()  # the sidebar still changes the name
    app.button(key="save_button").click().run()
    assert [v.author for v in _store().history(app.session_state["store_name"])] == ["Sam Jones", "Alex Smith"]


def test_history_lists_saved_models_with_open_and_an_opened_model_knows_it_is_saved(app):
    first, latest = _saved(_store())
    _saved(_store(), "Other partnership", 1)
    go(app, "history")
    assert "Saved models" in [s.value for s in app.subheader]
    captions = " ".join(c.value for c in app.caption)
    assert version_label("Hereford", 2, latest.content_hash[:12]) in captions
    assert "Author 2" in captions
    app.button(key="history_open_0").click().run()  # models are listed alphabetically: Hereford first
    assert not app.exception
    assert (app.session_state["store_name"], app.session_state["base_version"]) == ("Hereford", 2)
    assert app.session_state["doc"]["partnership"]["review_date"] == "2028-06-30"
    versions = table(app, "version", "when (UTC)", "saved by", "summary")
    assert list(versions["version"]) == [version_label("Hereford", n, i.content_hash[:12])
                                         for n, i in ((2, latest), (1, first))]
    assert list(versions["saved by"]) == ["Author 2", "Author 1"]
    assert list(versions["summary"]) == ["change 2", "change 1"]
    assert any("saved as 'Hereford' v2" in c.value for c in app.sidebar.caption)


def test_signoff_offers_roles_as_approvals_or_reviews_for_parties_by_name_with_notes(app):
    _saved(_store(), versions=1)
    app.session_state["author"] = "Pat Person"
    go(app, "history")
    app.button(key="history_open_0").click().run()
    party = app.selectbox(key="signoff_party")
    assert party.format_func("icb") == ICB and ICB in party.options and "icb" not in party.options
    role = app.selectbox(key="signoff_role")
    assert role.options == ["SIRO (approval)", "Caldicott Guardian (approval)", "DPO (approval)",
                            "Legal reviewer (review — not the party's approval)",
                            "Other (review — not the party's approval)"]
    assert app.text_input(key="signoff_signer").value == "Pat Person"  # pre-filled with the session's name
    role.set_value("Legal reviewer")
    app.text_input(key="signoff_note").set_value("clause 7 agreed at the LMC meeting")
    next(b for b in app.button if b.label == "Record sign-off").click().run()
    assert not app.exception
    assert any("Recorded the Legal reviewer review of v1 of 'Hereford'" in s.value for s in app.success)
    signoffs = table(app, "version", "sign-offs")["sign-offs"].iloc[0]
    assert signoffs.startswith(f"{ICB}: Legal reviewer (review), Pat Person")
    assert any("clause 7 agreed at the LMC meeting" in m.value for m in app.markdown)  # notes shown
    # a review is not the party's approval: the ICB is still listed as not having approved
    assert any(ICB in w.value and "no approval yet" in w.value for w in app.warning)


def test_history_shows_names_and_labels_never_party_ids(app):
    _saved(_store(), versions=2)
    go(app, "history")
    app.button(key="history_open_0").click().run()
    shown = " ".join([m.value for m in app.markdown] + [w.value for w in app.warning] + [c.value for c in app.caption]
                     + [str(v) for f in app.dataframe for v in f.value.to_numpy().ravel()])
    ids = [p["id"] for p in app.session_state["doc"]["parties"]]
    assert not [pid for pid in ids if f" {pid}" in shown or f"{pid}:" in shown or f"{pid}," in shown]
    diff = table(app, "change", "section", "item", "field")
    assert list(diff["field"]) == ["review date"] and list(diff["section"]) == ["Partnership"]


def test_shared_mode_refuses_to_run_on_sqlite_with_one_clear_line(app):
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "client_id": "dsa", "client_secret": "s",
                           "server_metadata_url": "http://localhost:1/.well-known/openid-configuration"}
    app.run()
    assert [e.value for e in app.error] == [
        "Shared mode needs a PostgreSQL store: set DSA_DATABASE_URL to postgresql+psycopg://… "
        "(the SQLite file is for one person on one machine)."]
    assert not app.title and not app.sidebar.markdown  # nothing of the model is drawn


def test_shared_mode_shows_only_the_sign_in_page_before_sign_in(app, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", "postgresql+psycopg://dsa@127.0.0.1:1/not_opened_before_sign_in")
    app.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                           "client_id": "dsa", "client_secret": "s",
                           "server_metadata_url": "http://localhost:1/.well-known/openid-configuration"}
    app.run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Sign in"]
    assert [b.label for b in app.button] == ["Sign in"]
    assert not app.sidebar.markdown and not app.dataframe and not app.error


def test_signing_off_without_a_name_asks_for_it_first(app):
    _saved(_store(), versions=1)
    app.session_state["author"] = ""
    go(app, "history")
    app.button(key="history_open_0").click().run()
    app.text_input(key="signoff_signer").set_value("Sam Siro")
    next(b for b in app.button if b.label == "Record sign-off").click().run()
    assert any("Type your name first" in e.value for e in app.error)
    assert _store().history("Hereford")[0].signoffs == ()
    app.text_input(key="auth_name_signoff").set_value("Alice Recorder").run()
    next(b for b in app.button if b.label == "Record sign-off").click().run()
    assert [s.signer for s in _store().history("Hereford")[0].signoffs] == ["Sam Siro"]
    assert _store().audit_log("Hereford")[-1].actor == "Alice Recorder"


def test_the_audit_log_tab_reads_in_words_with_party_names(app):
    store = _store()
    _saved(store, versions=1)
    store.signoff("Hereford", 1, party_id="m81001", role="SIRO", signer="Dr Riv", note="practice meeting")
    go(app, "history")
    app.button(key="history_open_0").click().run()
    log = table(app, "when (UTC)", "who", "what", "version", "detail")
    assert list(log["what"]) == ["approved", "saved"]
    assert log["detail"].iloc[0].startswith("Riverside Surgery as SIRO on ")
    assert log["version"].iloc[0].startswith("v1 of 'Hereford' (")


def test_the_model_pages_saved_versions_are_offered_by_label_date_author_and_summary(app):
    _, latest = _saved(_store(), versions=2)
    open_box(app, "open_model", ("open_model_tab", "Saved"))
    box = app.selectbox(key="open_stored_version")
    shown = box.format_func(2)
    assert shown.startswith(version_label("Hereford", 2, latest.content_hash[:12]) + " — ")
    assert shown.endswith("Author 2: change 2")
