"""The Herefordshire pack read back with python-docx, as a lawyer's Word would open it."""

from __future__ import annotations

import re

import pytest

from dsa.drafting.clauses import PC, REQUIRED
from dsa.drafting.filters import money
from dsa.model import Model
from tests.conftest import _CACHE
from tests.drafting.conftest import assessment_of, read_docx

HEREFORD = "herefordshire-phm.json"


def headings(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_the_pack_has_every_document_cli_md_names(herefordshire_pack):
    model = Model.from_document(_CACHE[HEREFORD])
    pairs = {(f.controller, f.processor) for f in model.flows if f.processor}
    names = set(herefordshire_pack.files())
    expected = {"data-sharing-agreement", "joint-controller-arrangement-1", "risk-sharing-schedule",
                "data-subject-summary", *(f"processing-contract-{c}-{p}" for c, p in pairs)}
    assert names == {f"{n}.{ext}" for n in expected for ext in ("docx", "md")} | {"drafting-notes.md"}


def test_one_processing_contract_per_controller_processor_pair(herefordshire_pack):
    contracts = [d for d in herefordshire_pack.drafts if d.doc_type == PC]
    model = Model.from_document(_CACHE[HEREFORD])
    assert len(contracts) == len({(f.controller, f.processor) for f in model.flows if f.processor}) == 16
    for draft in contracts:
        controller, processor = draft.name.removeprefix("processing-contract-").rsplit("-", 1)
        flows = [f for f in model.flows if f.processor == processor and f.controller == controller]
        text = "\n".join(p.text for p in read_docx(herefordshire_pack.docx(draft.name)).paragraphs)
        assert model.party(controller).name in text and model.party(processor).name in text
        assert all(f.name in draft.markdown for f in flows)


def test_word_headings_are_real_and_numbered_by_words_own_numbering(herefordshire_pack):
    """Point 18: the numbers are Word's automatic list numbering on the headings, not typed text."""
    document = read_docx(herefordshire_pack.docx("data-sharing-agreement"))
    assert headings(document, "Title") == ["Data sharing agreement: Herefordshire PHM linked dataset"]
    level1 = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert len(level1) == len(REQUIRED["data-sharing-agreement"])
    assert level1[0].text == "Parties" and level1[-1].text == "Schedules"
    for paragraph in level1:
        num = paragraph._p.pPr.numPr
        assert num is not None and num.ilvl.val == 0 and num.numId.val == 90
    markdown = [ln for ln in herefordshire_pack.draft("data-sharing-agreement").markdown.splitlines()
                if ln.startswith("## ")]
    assert [ln.split(" ", 2)[1] for ln in markdown] == [f"{n}." for n in range(1, len(level1) + 1)]
    level2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [h for h in level2 if h.startswith("Schedule ")] == [
        "Schedule 1: data flows", "Schedule 2: legal bases and opt-outs",
        "Schedule 3: data protection impact assessments and justification", "Schedule 4: DSPT exceptions"]


def test_every_article_28_3_term_is_its_own_clause_in_every_contract(herefordshire_pack):
    for draft in (d for d in herefordshire_pack.drafts if d.doc_type == PC):
        level1 = headings(read_docx(herefordshire_pack.docx(draft.name)), "Heading 1")
        for letter in "abcdefgh":
            assert sum(f"(3)({letter})" in h for h in level1) == 1, (draft.name, letter)


def test_the_header_says_draft_with_date_and_version(herefordshire_pack):
    document = read_docx(herefordshire_pack.docx("risk-sharing-schedule"))
    header = document.sections[0].header.paragraphs[0].text
    assert header == (f"DRAFT — for legal review · 1 November 2026 · "
                      f"'Herefordshire PHM linked dataset' ({herefordshire_pack.version})")
    assert re.fullmatch(r"[0-9a-f]{12}", herefordshire_pack.version)


def test_flows_are_listed_as_word_tables(herefordshire_pack):
    document = read_docx(herefordshire_pack.docx("data-sharing-agreement"))
    flows_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Flow"
                       and t.rows[0].cells[1].text == "From")
    assert len(flows_table.rows) == 1 + len(_CACHE[HEREFORD]["flows"])
    assert [r.cells[0].text for r in flows_table.rows[1:]] == [f["name"] for f in _CACHE[HEREFORD]["flows"]]


def test_exposure_table_figures_are_the_engines(herefordshire_pack):
    result = assessment_of(HEREFORD)["scenarios"]
    model = Model.from_document(_CACHE[HEREFORD])
    document = read_docx(herefordshire_pack.docx("risk-sharing-schedule"))
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "Party"]
    scenario_ids = ["baseline"] + [s.id for s in model.scenarios]
    assert len(tables) == len(scenario_ids)
    for sid, table in zip(scenario_ids, tables):
        for party, row in zip(model.parties, table.rows[1:], strict=True):
            base, stats = result["baseline"]["parties"][party.id], result[sid]["parties"][party.id]
            cells = [c.text for c in row.cells]
            assert cells[0].startswith(party.name)
            assert cells[1:3] == [money(base["mean"]), money(stats["mean"])]
            assert cells[6:] == [money(stats["components"][k]) for k in ("compensation", "response_costs", "fines")]
            assert cells[3:5] == [money(stats["p99_9"]), money(stats["tvar99"])]


def test_gp_partner_exposure_is_tabled_per_practice(herefordshire_pack):
    result = assessment_of(HEREFORD)["scenarios"]["herefordshire"]["partners"]
    document = read_docx(herefordshire_pack.docx("risk-sharing-schedule"))
    tables = [t for t in document.tables if t.rows[0].cells[0].text == "Contractor"]
    table = tables[1]  # baseline first, then the Herefordshire scenario
    model = Model.from_document(_CACHE[HEREFORD])
    rows = {r.cells[0].text: r.cells for r in table.rows[1:]}
    for pid, stats in result.items():
        cells = rows[f"{model.party(pid).name} (GP practice)"]
        assert cells[1].text == str(stats["partners"])
        assert cells[2].text == money(stats["mean_per_partner"])
        assert cells[3].text == money(stats["p99_9_per_partner"]) and cells[4].text == money(stats["tvar99_per_partner"])
        assert cells[6].text == money(stats["joint_and_several_p99"])


def test_the_risk_schedule_states_it_is_not_legal_advice(herefordshire_pack):
    text = " ".join(p.text for p in read_docx(herefordshire_pack.docx("risk-sharing-schedule")).paragraphs)
    assert "a modelling aid. It is not legal advice" in text and "illustrative, not a limit or a promise" in text


@pytest.mark.parametrize("ext", ["docx", "md"])
def test_pack_writes_to_a_folder(tmp_path, herefordshire_pack, ext):
    written = herefordshire_pack.write(tmp_path / "pack", formats=(ext,))
    assert {p.name for p in written} == {n for n in herefordshire_pack.files((ext,))}
    assert not list((tmp_path / "pack").glob("*.tmp"))
