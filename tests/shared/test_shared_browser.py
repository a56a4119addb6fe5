"""Shared mode end to end: a real OpenID Connect provider on localhost, the real Streamlit server on
PostgreSQL with an ``[auth]`` secrets file, and Debian's Chromium (deployment.md, "Shared mode").

The provider is ``oidc-provider-mock`` (its authorize page takes a ``sub``; typed as an email it comes back
as the ``email`` claim). Streamlit reads the secrets from the file given by ``--secrets.files``, so nothing
is written into the repository.
"""

from __future__ import annotations

import json
import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from dsa.storage import Store
from tests.browser.conftest import _free_port, browser, streamlit_server, wait_idle  # noqa: F401 (fixture)
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.browser

MODEL = "Herefordshire PHM"
SIGNER_A = "sam.signer@riverside.nhs.net"   # signer for Riverside Surgery (practice A) only
VIEWER = "val.viewer@icb.nhs.net"           # viewer for the ICB
ADMIN = "ada.admin@icb.nhs.net"             # admin for the ICB
PRACTICE_A, PRACTICE_B = "Riverside Surgery", "Cathedral Medical Centre"


@pytest.fixture(scope="module")
def postgres_url():
    """A fresh schema on DSA_TEST_POSTGRES for this module, chosen through the URL's libpq options."""
    url = os.environ.get("DSA_TEST_POSTGRES", "").strip()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI is set but DSA_TEST_POSTGRES is not: shared mode must be tested on PostgreSQL")
        pytest.skip("DSA_TEST_POSTGRES is not set")
    schema = f"shared_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def store(postgres_url):
    """The operator's view of the shared store: the model saved once, two members added from the CLI's API."""
    store = Store.open(postgres_url)
    doc = json.loads((EXAMPLES / "herefordshire-phm.json").read_text(encoding="utf-8"))
    store.save(MODEL, doc, author="operator", summary="agreed draft")
    store.add_member(MODEL, SIGNER_A, "m81001", "signer", actor="operator")
    store.add_member(MODEL, VIEWER, "icb", "viewer", actor="operator")
    store.add_member(MODEL, ADMIN, "icb", "admin", actor="operator")
    yield store
    store.close()


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def server(store, postgres_url, provider, tmp_path_factory):
    port = _free_port()
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{uuid.uuid4().hex}"\n'
        'client_id = "dsa-tests"\n'
        'client_secret = "not-a-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n', encoding="utf-8")
    env = {**os.environ, "DSA_DATABASE_URL": postgres_url}
    with streamlit_server(port, env, tmp_path_factory.mktemp("log") / "streamlit.log", host="localhost",
                          args=("--secrets.files", str(secrets))) as url:
        yield url


@pytest.fixture
def new_page(browser, server):
    """A fresh browser profile (no cookies) per call: each person signs in on their own."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(120_000)  # the whole suite runs on two busy cores
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, server: str, email: str) -> None:
    page.goto(server)
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=sub]").fill(email)  # the provider's authorize page
    page.get_by_role("button", name="Authorize").click()
    page.get_by_role("heading", name="Partnership model").wait_for()
    page.get_by_text(f"Signed in as {email}").wait_for()
    wait_idle(page)


def open_history(page) -> None:
    page.get_by_role("link", name="History").first.click()
    page.get_by_role("heading", name="Saved models").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Open").first.click()
    page.get_by_text("Opened v1 of").wait_for()
    wait_idle(page)


def choose(page, label: str, option: str) -> None:
    box = page.locator('[data-testid="stSelectbox"]:visible').filter(has=page.get_by_text(label, exact=True)).first
    box.click()
    choice = page.get_by_role("option", name=option).first
    for _ in range(3):  # on a busy machine the first click may only focus the box; a second opens its list
        try:
            choice.wait_for(timeout=10_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError
            box.click()
    choice.click()
    wait_idle(page)


def test_nothing_but_the_sign_in_page_is_served_before_sign_in(new_page, server):
    page = new_page()
    for path in ("", "/history", "/liability"):
        page.goto(server + path)
        page.get_by_role("heading", name="Sign in").wait_for()
        wait_idle(page)
        body = page.locator("body").inner_text()
        assert "Sign in" in body
        for secret in ("Partnership model", "Herefordshire", "Riverside", "History", "Liability", "Errors"):
            assert secret not in body, f"{secret!r} shown before sign-in at {path or '/'}"
        assert page.locator('[data-testid="stSidebarNav"]').count() == 0


def test_a_signer_approves_for_their_practice_and_is_refused_for_another(new_page, server, store):
    page = new_page()
    sign_in(page, server, SIGNER_A)
    open_history(page)
    page.get_by_text(f"Your roles: signer for {PRACTICE_A}").wait_for()
    assert page.get_by_label("Signed by").input_value() == SIGNER_A  # pre-filled, not typed

    choose(page, "For", PRACTICE_A)
    page.get_by_role("button", name="Record sign-off").click()
    page.get_by_text(f"Recorded the SIRO approval of v1 of '{MODEL}'").wait_for()
    wait_idle(page)

    choose(page, "For", PRACTICE_B)
    page.get_by_role("button", name="Record sign-off").click()
    page.get_by_text(f"You cannot sign off for {PRACTICE_B}").wait_for()
    refusal = page.get_by_text(f"You cannot sign off for {PRACTICE_B}").inner_text()
    assert f"signer or admin role for {PRACTICE_B}" in refusal and "m81002" not in refusal

    approvals = [(s.party_id, s.role, s.signer) for s in store.history(MODEL)[0].signoffs]
    assert approvals == [("m81001", "SIRO", SIGNER_A)]
    refused = [e for e in store.audit_log(MODEL) if e.action == "refused"]
    assert refused and refused[-1].actor == SIGNER_A and "m81002" in refused[-1].detail
    signed = [e for e in store.audit_log(MODEL) if e.action == "signoff"]
    assert [(e.actor, e.version) for e in signed] == [(SIGNER_A, 1)]


def test_a_viewer_cannot_save_and_the_refusal_is_logged(new_page, server, store):
    page = new_page()
    sign_in(page, server, VIEWER)
    open_history(page)
    page.get_by_role("link", name="Model").first.click()
    page.get_by_role("heading", name="Partnership model").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Save a new version").click()
    page.get_by_text("Not saved: You cannot save").wait_for()
    assert "the editor or admin role" in page.get_by_text("Not saved: You cannot save").inner_text()
    assert len(store.history(MODEL)) == 1
    assert any(e.action == "refused" and e.actor == VIEWER for e in store.audit_log(MODEL))


def test_two_people_are_signed_in_at_once_each_as_themselves(new_page, server):
    first, second = new_page(), new_page()
    sign_in(first, server, SIGNER_A)
    sign_in(second, server, VIEWER)
    first.reload()
    first.get_by_text(f"Signed in as {SIGNER_A}").wait_for()
    assert first.get_by_text(f"Signed in as {VIEWER}").count() == 0


def test_sign_out_returns_to_the_sign_in_page(new_page, server):
    page = new_page()
    sign_in(page, server, VIEWER)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="End session").click()  # the provider's end-session page
    page.get_by_role("heading", name="Sign in").wait_for()
    wait_idle(page)
    assert "Partnership model" not in page.locator("body").inner_text()
    page.goto(server)  # and the session stays ended
    page.get_by_role("heading", name="Sign in").wait_for()


def test_an_admin_manages_members_on_history_and_saves_as_their_email(new_page, server, store):
    page = new_page()
    sign_in(page, server, ADMIN)
    open_history(page)
    page.get_by_role("tab", name="Members").click()
    page.get_by_label("Email (as they sign in)").fill("ed.editor@csu.nhs.uk")
    choose(page, "Party", "Midlands and Lancashire Commissioning Support Unit")
    choose(page, "Role", "editor — saves and restores versions")
    page.get_by_role("button", name="Give this role").click()
    page.get_by_text("ed.editor@csu.nhs.uk is now editor for Midlands and Lancashire Commissioning Support Unit"
                     ).wait_for()
    assert store.roles_of(MODEL, "ed.editor@csu.nhs.uk") == {"csu": "editor"}
    change = [e for e in store.audit_log(MODEL) if e.action == "member_add"][-1]
    assert change.actor == ADMIN and "ed.editor@csu.nhs.uk is editor for csu" in change.detail

    page.get_by_role("link", name="Model").first.click()
    page.get_by_role("heading", name="Partnership model").wait_for()
    wait_idle(page)
    page.get_by_label("What changed (recorded in the history)").fill("checked by the ICB")
    page.get_by_label("What changed (recorded in the history)").press("Tab")
    wait_idle(page)
    page.get_by_role("button", name="Save a new version").click()
    page.get_by_text(f"Saved version 2 of '{MODEL}'").wait_for()
    latest = store.history(MODEL)[-1]
    assert (latest.number, latest.author, latest.summary) == (2, ADMIN, "checked by the ICB")
