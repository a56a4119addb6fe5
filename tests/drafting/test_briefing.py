"""The one-practice briefing an LMC representative takes to a practice meeting."""

from __future__ import annotations

from dsa.drafting.briefing import practice_briefing, role_on
from dsa.drafting.filters import money
from dsa.model import Model
from dsa.validation import validate
from tests.drafting.conftest import assessment_of, read_docx


def test_the_briefing_lists_the_practices_flows_roles_findings_and_exposure(herefordshire_doc):
    herefordshire_doc["flows"][0]["transfer"]["method"] = "unsecured_email"
    result = assessment_of("herefordshire-phm.json")
    markdown, data = practice_briefing(herefordshire_doc, "m81001", result, validate(herefordshire_doc),
                                       "2026-11-24")
    model = Model.from_document(herefordshire_doc)
    for flow in model.flows_of_party("m81001"):
        assert flow.name in markdown and role_on(flow, "m81001") in markdown
    assert "IG020" in markdown
    document = read_docx(data)
    assert document.paragraphs[0].style.name == "Title"
    exposure = next(t for t in document.tables if t.rows[0].cells[0].text == "Scenario")
    baseline = exposure.rows[1].cells
    stats = result["scenarios"]["baseline"]
    assert baseline[1].text == money(stats["parties"]["m81001"]["mean"])
    assert baseline[5].text == money(stats["partners"]["m81001"]["joint_and_several_p99"])


def test_roles_are_described_from_the_practices_side(herefordshire_doc):
    model = Model.from_document(herefordshire_doc)
    phm = model.flow("phm-m81001")
    assert role_on(phm, "m81001").startswith("controller") and role_on(phm, "csu") == "processor"


def test_the_briefing_shows_the_tail_figures_each_explained_in_words(herefordshire_doc):
    result = assessment_of("herefordshire-phm.json")
    markdown, _ = practice_briefing(herefordshire_doc, "m81001", result, validate(herefordshire_doc), "2026-11-24")
    section = markdown.split("## How bad a bad year could be", 1)[1]
    for words in ("**Chance of any loss**: the share of years", "one year in 200 (or in 1,000) is worse than this",
                  "**Worst 1% average**: the average loss in the worst one year in a hundred",
                  "the chance that one partner's share of a year's loss exceeds"):
        assert words in section
    stats = result["scenarios"]["baseline"]["parties"]["m81001"]
    row = next(ln for ln in section.splitlines() if ln.startswith("| Legal default"))
    assert f"| {money(stats['p99_5'])} | {money(stats['p99_9'])} | {money(stats['tvar99'])} |" in row
    partner = result["scenarios"]["baseline"]["partners"]["m81001"]
    assert money(partner["p99_9_per_partner"]) in row and money(partner["tvar99_per_partner"]) in row
