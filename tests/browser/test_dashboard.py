"""What a person does in the browser: open the example, edit, assess, download, stay safe from hostile text."""

from __future__ import annotations

import io
import json

import docx
import pytest

from tests.browser.conftest import click_until, goto_page, screenshot, wait_idle
from tests.conftest import _CACHE

pytestmark = pytest.mark.browser


def test_open_edit_assess_and_download_the_agreement(page, tmp_path):
    wait_idle(page)
    assert page.get_by_text("Herefordshire PHM linked dataset").first.is_visible()
    page.get_by_role("heading", name="Data flows").wait_for()
    page.get_by_role("combobox", name="Flow to edit").wait_for()
    screenshot(page, "1-model")

    # an edit: the ICB's indemnity now covers half of the practices' losses
    page.get_by_text("ICB accepts PHM data risk (Herefordshire clause) (indemnity)").click()
    share = page.get_by_label("Share of beneficiaries' losses taken over (0–1)")
    share.wait_for()  # a clause's form is drawn when it opens
    wait_idle(page)
    share.fill("0.5")
    click_until(page, page.get_by_role("button", name="Apply to this clause"), page.get_by_text("Updated the clause"))
    wait_idle(page)

    goto_page(page, "Validation")
    screenshot(page, "2-validation")
    goto_page(page, "Flow map")
    page.locator(".js-plotly-plot").first.wait_for()
    screenshot(page, "3-flow-map")

    goto_page(page, "Liability")
    page.get_by_role("button", name="Run assessment").click()
    wait_idle(page)
    page.get_by_role("heading", name="Primary care practices: before and after the clauses").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    screenshot(page, "4-liability")
    heading = page.get_by_role("heading", name="Primary care practices: before and after the clauses")
    heading.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # the tables paint after they scroll into view
    screenshot(page, "4b-liability-practices")
    page.get_by_role("heading", name="For one practice").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    screenshot(page, "4c-liability-one-practice")

    goto_page(page, "Negotiate")
    page.get_by_role("button", name="Solve").click()
    wait_idle(page)
    screenshot(page, "5-negotiate")

    goto_page(page, "Agreements")
    page.get_by_role("button", name="Download DOCX").wait_for()
    screenshot(page, "6-agreements")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download DOCX").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    document = docx.Document(io.BytesIO(path.read_bytes()))
    assert path.name == "data-sharing-agreement.docx"
    assert document.paragraphs[0].text == "Data sharing agreement: Herefordshire PHM linked dataset"
    # clause numbers are Word's own heading numbering, not typed text
    assert any(p.style.name == "Heading 1" and p.text == "Parties" and p._p.pPr.numPr is not None
               for p in document.paragraphs)

    goto_page(page, "History")
    screenshot(page, "7-history")


def test_a_hostile_party_name_shows_as_text(page, tmp_path):
    hostile = "<script>alert(1)</script>"
    doc = json.loads(json.dumps(_CACHE["herefordshire-phm.json"]))
    doc["parties"][4]["name"] = hostile  # a GP practice
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    wait_idle(page)
    page.get_by_text("Open a model").click()
    wait_idle(page)
    page.get_by_role("tab", name="JSON file").click()
    wait_idle(page)
    page.locator('input[type="file"]').first.set_input_files(str(path))
    page.get_by_role("button", name="Open this file").click()
    page.get_by_text("Opened hostile.json").wait_for()
    goto_page(page, "Agreements")
    page.get_by_text(hostile).first.wait_for()  # the parties table of the preview shows it as text
    assert page.dialogs == []
    assert page.locator("script", has_text="alert(1)").count() == 0
