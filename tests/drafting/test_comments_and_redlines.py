"""Findings as Word comments at their clause; IG-error models drafted NOT FOR SIGNATURE; redlines as tracked changes.

Read back from the WordprocessingML itself (python-docx has no API for comments' anchors or revisions), and
converted by LibreOffice, which a lawyer's colleague may use instead of Word.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from dsa.drafting import build_pack
from dsa.drafting.pack import redline_files
from dsa.errors import ModelError
from tests.conftest import _CACHE
from tests.drafting.conftest import assessment_of

MINIMAL = "minimal.json"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def commented_paragraphs(data: bytes) -> dict[str, str]:
    """Comment text → the text of the paragraph its range starts in."""
    comments = etree.fromstring(part(data, "word/comments.xml"))
    texts = {c.get(f"{W}id"): "".join(c.itertext()) for c in comments.iter(f"{W}comment")}
    body = etree.fromstring(part(data, "word/document.xml"))
    out = {}
    for start in body.iter(f"{W}commentRangeStart"):
        cid = start.get(f"{W}id")
        paragraph = start.getparent()
        assert body.find(f".//{W}commentRangeEnd[@{W}id='{cid}']") is not None
        assert body.find(f".//{W}commentReference[@{W}id='{cid}']") is not None
        out[texts[cid]] = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
    assert set(out) == set(texts.values())  # every comment is anchored
    return out


def fines_model() -> dict:
    doc = copy.deepcopy(_CACHE[MINIMAL])
    doc["clauses"][0]["covers"] = ["compensation", "response_costs", "fines"]
    return doc


def test_a_models_ig_warning_is_a_word_comment_anchored_in_the_clause_it_concerns():
    built = build_pack(fines_model(), assessment=assessment_of(MINIMAL))
    anchored = commented_paragraphs(built.docx("risk-sharing-schedule"))
    comment, paragraph = next((c, p) for c, p in anchored.items() if "regulatory fines" in c)
    assert paragraph == "ICB accepts PHM data risk (Herefordshire clause)"
    assert comment.startswith("Warning (information-governance check on the clause 'ICB accepts PHM data risk")
    assert "To fix:" in comment
    # and in the drafting notes, with the document and the numbered clause
    notes = built.notes_markdown()
    assert "| Risk-sharing schedule: Riverside PHM pilot | 3.1 ICB accepts PHM data risk (Herefordshire clause) |" \
        in notes


@soffice
def test_libreoffice_converts_a_commented_draft_and_keeps_the_comment(tmp_path):
    built = build_pack(fines_model(), assessment=assessment_of(MINIMAL))
    (tmp_path / "schedule.docx").write_bytes(built.docx("risk-sharing-schedule"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "odt",
                    "--outdir", str(tmp_path), str(tmp_path / "schedule.docx")], check=True, capture_output=True,
                   timeout=240)
    content = part((tmp_path / "schedule.odt").read_bytes(), "content.xml").decode("utf-8")
    annotations = re.findall(r"<office:annotation\b.*?</office:annotation>", content, re.S)
    assert any("regulatory fines" in a for a in annotations)
    assert "<office:annotation-end" in content  # a range, not a point


def ig_error_model() -> dict:
    doc = copy.deepcopy(_CACHE[MINIMAL])
    del doc["flows"][1]["retention_months"]  # IG019: an error that informs, not one that blocks
    return doc


def test_a_model_with_only_ig_errors_is_drafted_not_for_signature_with_each_error_at_its_clause():
    built = build_pack(ig_error_model(), assessment=assessment_of(MINIMAL))
    assert built.ig_errors == 1
    warning = "NOT FOR SIGNATURE — 1 unresolved information-governance error"
    for draft in built.drafts:
        assert draft.header.startswith(warning), draft.name
        assert warning in draft.markdown.split("\n## ", 1)[0], draft.name
        header = part(built.docx(draft.name), "word/header1.xml").decode("utf-8")
        assert warning in header
    anchored = commented_paragraphs(built.docx("data-sharing-agreement"))
    comment = next(c for c in anchored if "how long the recipient keeps the data" in c)
    assert comment.startswith("Error (information-governance check on the flow 'Referral letters")
    assert anchored[comment] == "Retention and disposal"
    assert "how long the recipient keeps the data" in built.notes_markdown()
    assert f"**{warning}.**" in built.notes_markdown()


def test_a_model_with_a_reference_error_is_still_refused():
    doc = ig_error_model()
    doc["scenarios"][0]["clauses"] = ["no-such-clause"]
    with pytest.raises(ModelError, match="schema or reference"):
        build_pack(doc, assessment=assessment_of(MINIMAL))


# --- redlines ---------------------------------------------------------------------------------------------

def changed_model() -> dict:
    doc = copy.deepcopy(_CACHE[MINIMAL])
    doc["flows"][0]["retention_months"] = 36  # was 24
    doc["clauses"][0]["share"] = 0.8  # was 0.9
    return doc


@pytest.fixture(scope="module")
def redline():
    """Both drafts on one assessment, so the only differences are the model's edits and its version."""
    assessment = assessment_of(MINIMAL)
    old = build_pack(copy.deepcopy(_CACHE[MINIMAL]), assessment=assessment, name="Riverside PHM pilot", number=1)
    new = build_pack(changed_model(), assessment=assessment, name="Riverside PHM pilot", number=2)
    return old, new, redline_files(old, new, author="dsa test")


def revisions(data: bytes) -> list[tuple[str, str]]:
    body = etree.fromstring(part(data, "word/document.xml"))
    out = []
    for kind in ("ins", "del"):
        for el in body.iter(f"{W}{kind}"):
            if el.getparent().tag == f"{W}rPr" or el.getparent().tag == f"{W}trPr":
                continue  # paragraph-mark and row marks carry no text
            assert el.get(f"{W}author") == "dsa test" and el.get(f"{W}date") == "2026-11-01T00:00:00Z"
            text = "".join(t.text or "" for t in el.iter(f"{W}t", f"{W}delText"))
            out.append((kind, text))
    return out


def test_a_redline_tracks_exactly_the_changed_retention_share_and_version(redline):
    old, new, files = redline
    seen = set()
    for name, data in files.items():
        if not name.endswith(".redline.docx"):
            continue
        for kind, text in revisions(data):
            allowed = {"ins": {"36", "80%", "v2", new.version}, "del": {"24", "90%", "v1", old.version}}[kind]
            assert text.strip() in allowed, (name, kind, text)
            seen.add((kind, text.strip()))
    assert {("del", "24"), ("ins", "36"), ("del", "90%"), ("ins", "80%")} <= seen
    retention = revisions(files["data-sharing-agreement.redline.docx"])
    assert ("del", "24") in retention and ("ins", "36") in retention
    assert ("ins", "80%") in revisions(files["risk-sharing-schedule.redline.docx"])


def accept_all(data: bytes) -> list[str]:
    """The paragraphs' text after accepting every tracked change."""
    body = etree.fromstring(part(data, "word/document.xml"))
    for row in list(body.iter(f"{W}tr")):
        if row.find(f"{W}trPr/{W}del") is not None:
            row.getparent().remove(row)
    for paragraph in list(body.iter(f"{W}p")):
        if paragraph.find(f"{W}pPr/{W}rPr/{W}del") is not None:
            paragraph.getparent().remove(paragraph)
    for deleted in list(body.iter(f"{W}del")):
        if deleted.getparent().tag not in (f"{W}rPr", f"{W}trPr"):
            deleted.getparent().remove(deleted)
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def test_accepting_every_change_of_a_redline_gives_the_new_drafts_text(redline):
    _, new, files = redline
    for draft in new.drafts:
        assert accept_all(files[f"{draft.name}.redline.docx"]) == accept_all(new.docx(draft.name)), draft.name


def test_the_markdown_diff_beside_the_redline_shows_the_same_changes(redline):
    _, _, files = redline
    diff = files["risk-sharing-schedule.diff.md"].decode("utf-8")
    assert "-NHS Herefordshire" in diff and "for 90% of" in diff and "for 80% of" in diff
    assert "up to 36 months" not in diff
    assert "kept for up to 36 months" in files["data-subject-summary.diff.md"].decode("utf-8")


def test_a_document_only_the_new_model_has_is_wholly_inserted():
    old_doc = copy.deepcopy(_CACHE[MINIMAL])
    new_doc = copy.deepcopy(old_doc)
    new_doc["flows"][1]["relationship"] = "joint_controllers"
    new_doc["flows"][1]["joint_arrangement"] = {"contact_point": "hw.dataprotection@nhs.net",
                                                "responsibilities": "The ICB handles everything.",
                                                "essence_published": True}
    assessment = assessment_of(MINIMAL)
    old, new = build_pack(old_doc, assessment=assessment), build_pack(new_doc, assessment=assessment)
    files = redline_files(old, new, author="dsa test")
    added = revisions(files["joint-controller-arrangement-1.redline.docx"])
    assert added and all(kind == "ins" for kind, _ in added)


@soffice
def test_libreoffice_opens_a_redline_with_its_changes_tracked(tmp_path, redline):
    _, _, files = redline
    (tmp_path / "schedule.docx").write_bytes(files["risk-sharing-schedule.redline.docx"])
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "odt",
                    "--outdir", str(tmp_path), str(tmp_path / "schedule.docx")], check=True, capture_output=True,
                   timeout=240)
    content = part((tmp_path / "schedule.odt").read_bytes(), "content.xml").decode("utf-8")
    assert "<text:tracked-changes" in content
    assert content.count("<text:insertion") >= 2 and content.count("<text:deletion") >= 2
    assert "dsa test" in content


def test_every_finding_of_a_model_with_many_problems_lands_on_a_clause_its_document_has(herefordshire_doc):
    flows, parties = herefordshire_doc["flows"], herefordshire_doc["parties"]
    del flows[0]["retention_months"], flows[0]["breach_notification_hours"]
    flows[1]["transfer"]["method"] = "unsecured_email"
    del flows[2]["legal_basis"]["article_9"]
    flows[3]["processing_contract"]["terms"] = ["a", "b"]
    del flows[-3]["joint_arrangement"]["contact_point"]
    del flows[-1]["national_data_opt_out"]
    parties[4]["dspt_status"] = "standards_not_met"
    herefordshire_doc["clauses"][0]["covers"] = ["compensation", "fines"]
    del herefordshire_doc["clauses"][0]["approval"]
    del herefordshire_doc["partnership"]["review_date"]
    built = build_pack(herefordshire_doc, assessment=assessment_of("herefordshire-phm.json"))
    assert len(built.findings) >= 10 and built.ig_errors >= 5
    for draft in built.drafts:
        anchors = set(re.findall(r"⟦a:([a-z0-9_-]+)⟧", draft.source))
        for comment in draft.comments:
            assert comment.anchor in anchors, (draft.name, comment.anchor, comment.text)
    documents = {d.name for d in built.drafts}
    assert {p.document for p in built.findings} <= documents
