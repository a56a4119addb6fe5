"""What a drafter must never do: drop a required clause, leave a silent blank, or run user text."""

from __future__ import annotations

import re
import shutil

import pytest

from dsa.drafting import build_pack
from dsa.drafting.clauses import REQUIRED
from dsa.drafting.render import TEMPLATES_DIR
from dsa.errors import DraftingError, ModelError
from tests.drafting.conftest import assessment_of, read_docx

MINIMAL = "minimal.json"


def copy_templates(tmp_path):
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, target)
    return target


def drop_clause(template_path, clause_id: str) -> None:
    text = template_path.read_text(encoding="utf-8")
    cut = re.sub(rf"<!-- clause: {clause_id} -->\n## [^\n]*\n.*?(?=<!-- clause: )", "", text, flags=re.S)
    assert cut != text
    template_path.write_text(cut, encoding="utf-8")


@pytest.mark.parametrize("doc_type,clause_id", [("processing-contract", "term_g_return_deletion"),
                                                ("data-sharing-agreement", "breaches"),
                                                ("risk-sharing-schedule", "exclusions"),
                                                ("data-subject-summary", "choices")])
def test_a_template_missing_a_required_clause_fails_the_pack(tmp_path, minimal_doc, doc_type, clause_id):
    templates = copy_templates(tmp_path)
    drop_clause(templates / f"{doc_type}.md.j2", clause_id)
    with pytest.raises(DraftingError, match=rf"required clause '{clause_id}'.*missing"):
        build_pack(minimal_doc, assessment=assessment_of(MINIMAL), templates=templates)


def test_a_required_clause_with_no_text_fails_the_pack(tmp_path, minimal_doc):
    templates = copy_templates(tmp_path)
    path = templates / "data-sharing-agreement.md.j2"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(<!-- clause: foi -->\n## [^\n]*\n).*?(?=<!-- clause: )", r"\1\n", text, flags=re.S),
                    encoding="utf-8")
    with pytest.raises(DraftingError, match="'foi'.*empty"):
        build_pack(minimal_doc, assessment=assessment_of(MINIMAL), templates=templates)


def test_a_fact_missing_from_the_context_is_an_error_not_a_blank(tmp_path, minimal_doc):
    templates = copy_templates(tmp_path)
    path = templates / "data-subject-summary.md.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("{{ partnership.lead }}", "{{ partnership.leader }}"),
                    encoding="utf-8")
    with pytest.raises(DraftingError, match="leader"):
        build_pack(minimal_doc, assessment=assessment_of(MINIMAL), templates=templates)


def test_a_missing_template_is_named(tmp_path, minimal_doc):
    templates = copy_templates(tmp_path)
    (templates / "risk-sharing-schedule.md.j2").unlink()
    with pytest.raises(DraftingError, match="risk-sharing-schedule"):
        build_pack(minimal_doc, assessment=assessment_of(MINIMAL), templates=templates)


def test_every_required_clause_is_in_every_bundled_template():
    for doc_type, clauses in REQUIRED.items():
        text = (TEMPLATES_DIR / f"{doc_type}.md.j2").read_text(encoding="utf-8")
        for clause_id, _source in clauses:
            assert text.count(f"<!-- clause: {clause_id} -->") == 1, (doc_type, clause_id)


def test_a_model_with_reference_errors_is_not_drafted(minimal_doc):
    minimal_doc["flows"][0]["to"] = "nobody"
    with pytest.raises(ModelError, match="schema or reference error"):
        build_pack(minimal_doc, assessment=assessment_of(MINIMAL))


def test_missing_facts_become_visible_placeholders_listed_in_the_notes(minimal_doc):
    icb = minimal_doc["parties"][0]
    del icb["ico_registration"], icb["contacts"]["dpo"]
    csu = minimal_doc["parties"][1]
    del csu["privacy_notice_url"]
    pack = build_pack(minimal_doc, assessment=assessment_of(MINIMAL))
    wanted = {("data-sharing-agreement", "parties", f"ICO registration number of {icb['name']}"),
              ("data-sharing-agreement", "signoff", f"Data Protection Officer of {icb['name']}"),
              ("data-sharing-agreement", "transparency", f"privacy notice address of {csu['name']}"),
              ("data-sharing-agreement", "background", "background and purpose of the partnership")}
    listed = {(n["document"], n["clause"], n["what"]) for n in pack.notes}
    assert wanted <= listed
    notes_md = pack.notes_markdown()
    for document, clause, what in wanted:
        placeholder = f"[TO BE COMPLETED: {what}]"
        assert placeholder in pack.draft(document).markdown
        assert f" | {what} |" in notes_md and pack._clause_title(document, clause) in notes_md
        runs = [r for p in read_docx(pack.docx(document)).paragraphs for r in p.runs if r.text == placeholder]
        runs += [r for t in read_docx(pack.docx(document)).tables for row in t.rows for c in row.cells
                 for p in c.paragraphs for r in p.runs if r.text == placeholder]
        assert runs and all(r.font.highlight_color is not None for r in runs), placeholder
    # every note points at a placeholder that is really in its document
    for n in pack.notes:
        assert n["what"].split(" of ")[0] in pack.draft(n["document"]).markdown


HOSTILE = "{{ 7*7 }} {% raw %}<script>alert(1)</script> & Co | **bold** [TO BE COMPLETED: fake] end"


def test_hostile_model_text_is_rendered_literally_and_safely(minimal_doc):
    minimal_doc["parties"][2]["name"] = HOSTILE
    minimal_doc["flows"][0]["name"] = "Extract {{ config }} <b>&amp;</b>"
    # Names cannot hold control characters (validation refuses them); free text can, and drafts drop them.
    minimal_doc["partnership"]["description"] = "Shared care\x07 records"
    pack = build_pack(minimal_doc, assessment=assessment_of(MINIMAL))
    literal = HOSTILE
    for draft in pack.drafts:
        document = read_docx(pack.docx(draft.name))
        texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows
                                                         for c in r.cells]
        body = "\n".join(texts)
        assert "49" not in body.replace("2049", "")
        assert "\x07" not in body
        assert literal in body, draft.name
        # the fake placeholder is text, not a highlighted placeholder
        highlighted = [r.text for p in document.paragraphs for r in p.runs if r.font.highlight_color]
        assert "[TO BE COMPLETED: fake]" not in highlighted
    dsa_text = "\n".join(c.text for t in read_docx(pack.docx("data-sharing-agreement")).tables
                         for r in t.rows for c in r.cells)
    assert "Extract {{ config }} <b>&amp;</b>" in dsa_text
    # a "|" in a name stays inside its table cell
    parties_table = read_docx(pack.docx("data-sharing-agreement")).tables[0]
    assert all(len(r.cells) == 4 for r in parties_table.rows)


def test_a_model_without_clauses_gets_a_schedule_showing_the_legal_default(minimal_doc):
    del minimal_doc["clauses"], minimal_doc["scenarios"]
    pack = build_pack(minimal_doc, assessment=assessment_of(MINIMAL) | {"scenarios": {
        "baseline": assessment_of(MINIMAL)["scenarios"]["baseline"]}})
    schedule = pack.draft("risk-sharing-schedule").markdown
    assert "have not agreed any risk-sharing clause" in schedule
    assert "Legal default (no clauses)" in schedule


def test_every_template_uses_only_what_its_context_builder_provides():
    from jinja2 import meta

    from dsa.drafting.clauses import RSS
    from dsa.drafting.context import Notes, base_context
    from dsa.drafting.documents import BUILDERS, plan
    from dsa.drafting.risk import rss_context
    from dsa.drafting.render import environment
    from dsa.model import Model
    from tests.conftest import _CACHE

    doc = _CACHE["herefordshire-phm.json"]
    model = Model.from_document(doc)
    env = environment()
    seen = set()
    for item in plan(model):
        if item.doc_type in seen:
            continue
        seen.add(item.doc_type)
        notes = Notes()
        base = base_context(model, notes, item.name, "2026-11-01", "0" * 12, item.title)
        context = (rss_context(model, item, notes, base, assessment_of("herefordshire-phm.json"))
                   if item.doc_type == RSS else BUILDERS[item.doc_type](model, item, notes, base))
        source = env.loader.get_source(env, f"{item.doc_type}.md.j2")[0]
        assert meta.find_undeclared_variables(env.parse(source)) <= set(context), item.doc_type
    assert seen == set(REQUIRED)
