"""Invariants of the Word redline, for any two documents: accept every change and you have the new one,
reject every change and you have the old one."""

from __future__ import annotations

import io
import zipfile

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from dsa.drafting.docx import markdown_to_docx, redline_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
words = st.sampled_from(["the", "Party", "£5,000", "90%", "24", "months", "**bold**", "clause", "data", "—", "(a)"])
sentence = st.lists(words, min_size=1, max_size=8).map(" ".join)
row = st.lists(st.sampled_from(["a", "b", "24 months", "£1", "x y"]), min_size=3, max_size=3)
block = st.one_of(
    sentence,
    sentence.map(lambda s: f"- {s}"),
    sentence.map(lambda s: f"## {s}"),
    st.lists(row, min_size=1, max_size=4).map(
        lambda rows: "\n".join(["| A | B | C |", "|---|---|---|"] + [f"| {' | '.join(r)} |" for r in rows])),
)
documents = st.lists(block, min_size=0, max_size=7).map("\n\n".join)


def _body(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _texts(body) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText")) for p in body.iter(f"{W}p")]


def _resolve(data: bytes, keep: str) -> list[str]:
    """Paragraph texts after accepting (keep="ins") or rejecting (keep="del") every change."""
    drop = "del" if keep == "ins" else "ins"
    body = _body(data)
    for tr in list(body.iter(f"{W}tr")):
        if tr.find(f"{W}trPr/{W}{drop}") is not None:
            tr.getparent().remove(tr)
    for p in list(body.iter(f"{W}p")):
        if p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None:
            p.getparent().remove(p)
    for el in list(body.iter(f"{W}{drop}")):
        if el.getparent().tag not in (f"{W}rPr", f"{W}trPr"):
            el.getparent().remove(el)
    for tbl in list(body.iter(f"{W}tbl")):  # a table left with no row is no table
        if tbl.find(f"{W}tr") is None:
            following = tbl.getnext()
            tbl.getparent().remove(tbl)
            if following is not None and following.tag == f"{W}p" and len(following) == 0:
                following.getparent().remove(following)
    return _texts(body)


def _plain(markdown: str) -> list[str]:
    return _texts(_body(markdown_to_docx(markdown, title="t", header="h", date="2026-11-01")))


@settings(max_examples=60, deadline=None)
@given(documents, documents)
def test_accepting_every_change_gives_the_new_text_and_rejecting_gives_the_old(old, new):
    data = redline_docx(old, new, title="t", header="h", date="2026-11-01")
    assert _resolve(data, "ins") == _plain(new)
    assert _resolve(data, "del") == _plain(old)


@settings(max_examples=30, deadline=None)
@given(documents)
def test_a_document_redlined_against_itself_has_no_tracked_change(doc):
    body = _body(redline_docx(doc, doc, title="t", header="h", date="2026-11-01"))
    assert body.find(f".//{W}ins") is None and body.find(f".//{W}del") is None
