"""The IG lead's task in the browser, with forms only: add a PHM flow, record what the validator asks, save it."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import (choose, click_until, goto_page, open_section, pick, screenshot, tick, type_into,
                                    wait_idle)

pytestmark = pytest.mark.browser

FLOW = "Monthly PHM extract — Cathedral Medical Centre"


def sidebar_errors(page) -> str:
    metric = page.locator('[data-testid="stSidebar"] [data-testid="stMetric"]').filter(has_text="Errors").first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_an_ig_lead_adds_a_governed_phm_flow_and_saves_it_without_a_spreadsheet(page):
    wait_idle(page)
    choose(page, "Flow to edit", "+ Add a data flow")
    type_into(page, "Name of the flow *", FLOW)
    choose(page, "Shared by *", "Cathedral Medical Centre")
    choose(page, "Shared with *", "Midlands and Lancashire Commissioning Support Unit")
    choose(page, "Purpose *", "Population health management")
    choose(page, "Roles under UK GDPR *", "Controller to processor")
    choose(page, "How identifiable the data is *", "Pseudonymised")
    tick(page, "Special category (health) data *")
    type_into(page, "Number of people whose records are shared *", "9400")
    choose(page, "How it is sent *", "Secure API")
    choose(page, "How often *", "Monthly")
    tick(page, "Encrypted in transit *")
    page.get_by_role("button", name="Add this flow").click()
    page.get_by_text("Added Flow 28").wait_for()
    wait_idle(page)
    assert sidebar_errors(page) != "0"  # the validator now asks for the governance facts
    screenshot(page, "ig-lead-1-added")

    open_section(page, "Legal basis and opt-outs")
    choose(page, "Article 6 lawful basis", "public task (Art 6(1)(e))")
    choose(page, "Article 9 condition", "health and social care (Art 9(2)(h))")
    type_into(page, "Schedule 1 condition (Part and paragraph)", "Schedule 1 Part 1 paragraph 2")
    choose(page, "Common-law duty of confidentiality", "Section 251 support")
    choose(page, "National data opt-out", "Applied")
    choose(page, "Type 1 opt-out (GP data)", "Applied")
    type_into(page, "Section 251: CAG reference", "22/CAG/0001")
    type_into(page, "Section 251 support expires", "2028-03-31")
    open_section(page, "Transfer, retention and breaches")
    type_into(page, "Retention (months)", "24")
    type_into(page, "Hours within which the processor tells the controller of a breach", "24")
    open_section(page, "DPIA, contracts and approvals")
    choose(page, "The controllers' privacy notices cover this flow", "Yes")
    type_into(page, "DPIA reference", "DPIA-PHM-02")
    type_into(page, "DPIA date", "2026-09-15")
    type_into(page, "DPO's advice on the DPIA (or where it is recorded)", "Approved (IG group minute 2026/52)")
    type_into(page, "Processing contract (Article 28) reference", "PC-2026-09")
    type_into(page, "Processing contract signed on", "2026-10-01")
    type_into(page, "Processing contract expires", "2029-09-30")
    pick(page, "Article 28(3) terms the contract covers",
         ["(a) only on documented instructions", "(b) confidentiality of staff", "(c) security (Article 32)",
          "(d) sub-processors only with authority", "(e) help with data subjects' rights",
          "(f) help with security, breaches and DPIAs", "(g) deletion or return at the end",
          "(h) information and audits"])
    click_until(page, page.get_by_role("button", name="Apply to this flow"), page.get_by_text("Updated").first)
    wait_idle(page)
    page.get_by_text("No finding on this flow.").wait_for()
    assert sidebar_errors(page) == "0"
    screenshot(page, "ig-lead-2-governed")

    save_name = page.get_by_label("Name in the store", exact=True)
    save_name.fill("Herefordshire PHM with Cathedral")
    save_name.press("Tab")
    type_into(page, "What changed (recorded in the history)", "Cathedral's monthly PHM extract added")
    name_field = "Your name (asked once per session; recorded in the history)"
    type_into(page, name_field, "Sam Jones, IG lead")
    page.get_by_label(name_field, exact=True).wait_for(state="detached")  # asked once: kept for the session
    page.get_by_role("button", name="Save a new version").click()
    outcome = page.get_by_text("Saved version 1").or_(page.get_by_text(re.compile("^Not saved:"))).first
    outcome.wait_for()
    assert outcome.inner_text().startswith("Saved version 1"), outcome.inner_text()
    goto_page(page, "History")
    page.get_by_text("Herefordshire PHM with Cathedral").first.wait_for()  # the versions table is a canvas
    page.get_by_text("1 version(s)").first.wait_for()
    screenshot(page, "ig-lead-3-history")
