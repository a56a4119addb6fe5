"""The Markdown that dsa renders, as a Word document a lawyer can edit — or a redline between two.

Only the subset our templates emit is understood: ``#``/``##``/``###``
headings (Word's Title, Heading 1 and Heading 2, so the navigation pane
works; numbered headings get Word's own automatic numbering), paragraphs,
``- `` bullets, ``> `` notes, pipe tables, ``**bold**``, backslash escapes and
``[TO BE COMPLETED: …]`` placeholders (highlighted yellow). Three private
tokens come from ``render``: ``⟦a:ID⟧`` after a heading (a bookmark, where
comments anchor), ``⟦r:ID:LABEL⟧`` (a cross-reference: a REF field to that
bookmark showing LABEL) and a line ``⟦landscape⟧``/``⟦portrait⟧`` (a section
break, for wide schedules). The body is written as WordprocessingML in one
pass into a package python-docx made once: its object API costs seconds on a
pack of a hundred contracts. Output is byte-for-byte deterministic.

``redline_docx(old, new, …)`` writes the new text with every difference from
the old as a tracked change (``w:ins``/``w:del``) that Word and LibreOffice
accept or reject: paragraphs and table rows are aligned, then words inside a
changed paragraph or cell.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.shared import Mm, Pt

from ..text import xml_safe
from ..zipfiles import zip_entries

_TOKEN = re.compile(r"(\\.)|(\*\*)|(\[TO BE COMPLETED: (?:\\.|[^\]\\])*\])|(⟦r:([a-z0-9_-]+):([^⟧]*)⟧)")
_ANCHOR = re.compile(r"\s*⟦a:([a-z0-9_-]+)⟧\s*$")
_UNESCAPE = re.compile(r"\\(.)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_RULE = re.compile(r"\|?\s*:?-{3,}.*")
_NUMBERED = re.compile(r"^(\d+)(?:\.(\d+))?\.? (.*)$")
_WORDS = re.compile(r"\s+|[\w£.,%'’-]+|.", re.UNICODE)
_A4 = (11906, 16838)
_MARGIN = 1440
_NUM_ID = 90  # our heading numbering, clear of the ids python-docx's template uses
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def bookmark(anchor: str) -> str:
    """A Word bookmark name for a clause id: hidden (leading underscore) and within Word's 40 characters."""
    name = f"_Ref_{anchor}".replace("-", "_")
    return name if len(name) <= 40 else "_Ref_" + hashlib.sha1(anchor.encode()).hexdigest()[:16]


def _clean(text: str) -> str:
    return escape(xml_safe(text))


# --- inline: text → segments --------------------------------------------------------------------------

@dataclass(frozen=True)
class Seg:
    """A piece of a paragraph with one look: plain text, or a cross-reference (``ref`` is its bookmark)."""

    text: str
    bold: bool = False
    highlight: bool = False
    ref: str = ""


def segments(text: str, bold: bool = False) -> list[Seg]:
    out, buffer = [], []
    pos = 0

    def flush():
        if buffer:
            joined = "".join(buffer)
            if joined:
                out.append(Seg(joined, bold))
            buffer.clear()

    for m in _TOKEN.finditer(text):
        buffer.append(text[pos:m.start()])
        pos = m.end()
        if m.group(1):
            buffer.append(m.group(1)[1])
            continue
        flush()
        if m.group(2):
            bold = not bold
        elif m.group(3):
            out.append(Seg(_UNESCAPE.sub(r"\1", m.group(3)), True, True))
        else:
            out.append(Seg(m.group(6), bold, False, m.group(5)))
    buffer.append(text[pos:])
    flush()
    return out


def plain_text(text: str) -> str:
    """What a reader sees of one line of source Markdown."""
    return "".join(s.text for s in segments(text))


@dataclass
class Ids:
    """Revision and comment ids must be unique in a document."""

    next: int = 1
    author: str = "dsa"
    date: str = "2000-01-01T00:00:00Z"

    def take(self) -> int:
        self.next += 1
        return self.next - 1

    def attrs(self) -> str:
        return f'w:id="{self.take()}" w:author={quoteattr(self.author)} w:date="{self.date}"'


def _rpr(seg: Seg, small: bool, extra: str = "") -> str:
    # CT_RPr is a sequence: Word rejects run properties out of order (b, sz, highlight).
    props = ("<w:b/>" if seg.bold else "") + ('<w:sz w:val="18"/>' if small else "") + \
        ('<w:highlight w:val="yellow"/>' if seg.highlight else "") + extra
    return f"<w:rPr>{props}</w:rPr>" if props else ""


def _run(seg: Seg, small: bool, deleted: bool = False) -> str:
    tag = "w:delText" if deleted else "w:t"
    run = f'<w:r>{_rpr(seg, small)}<{tag} xml:space="preserve">{_clean(seg.text)}</{tag}></w:r>'
    if seg.ref and not deleted:
        return f'<w:fldSimple w:instr=" REF {bookmark(seg.ref)} \\r \\h ">{run}</w:fldSimple>'
    return run


def runs_xml(segs: Sequence[Seg], small: bool = False, mark: str = "", ids: Ids | None = None) -> str:
    """Runs for ``segs``; ``mark`` "ins" or "del" wraps them as one tracked change."""
    body = "".join(_run(s, small, mark == "del") for s in segs if s.text)
    if mark and body:
        return f"<w:{mark} {ids.attrs()}>{body}</w:{mark}>"
    return body


def _tokens(segs: Sequence[Seg]) -> list[Seg]:
    out = []
    for s in segs:
        if s.ref or s.highlight:
            out.append(s)
        else:
            out += [Seg(t, s.bold) for t in _WORDS.findall(s.text)]
    return out


def _merge(segs: Iterable[Seg]) -> list[Seg]:
    out: list[Seg] = []
    for s in segs:
        if out and not s.ref and not out[-1].ref and (out[-1].bold, out[-1].highlight) == (s.bold, s.highlight):
            out[-1] = Seg(out[-1].text + s.text, s.bold, s.highlight)
        else:
            out.append(s)
    return out


def diff_runs(old: Sequence[Seg], new: Sequence[Seg], small: bool, ids: Ids) -> str:
    """The new text's runs with the words that changed from ``old`` as tracked deletions and insertions."""
    a, b = _tokens(old), _tokens(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(runs_xml(_merge(b[j1:j2]), small))
            continue
        if i2 > i1:
            out.append(runs_xml(_merge(a[i1:i2]), small, "del", ids))
        if j2 > j1:
            out.append(runs_xml(_merge(b[j1:j2]), small, "ins", ids))
    return "".join(out)


# --- blocks -------------------------------------------------------------------------------------------

@dataclass
class Block:
    kind: str                      # "p", "table" or "section" (a break to ``orient``)
    style: str = ""                # "Title", "Heading 1", "Heading 2", "List Bullet", "Intense Quote", ""
    text: str = ""
    level: int = 0                 # heading numbering level (1 or 2), 0 when unnumbered
    anchor: str = ""
    rows: list[list[str]] = field(default_factory=list)
    orient: str = ""

    def key(self) -> tuple:
        if self.kind == "table":
            return ("table", len(self.rows[0]) if self.rows else 0, tuple(self.rows[0]) if self.rows else ())
        return (self.kind, self.style, self.text, self.orient)


def blocks(markdown: str) -> list[Block]:
    out: list[Block] = []
    # Only \n ends a line: splitlines() would also break at U+2028, U+2029, U+0085 inside a name, turning the
    # rest of a sentence into a bullet or spilling a table row.
    lines = markdown.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.strip() in ("⟦landscape⟧", "⟦portrait⟧"):
            out.append(Block("section", orient=line.strip()[1:-1]))
            i += 1
        elif line.startswith("|"):
            start = i
            while i < len(lines) and lines[i].startswith("|"):
                i += 1
            rows = [[c.strip() for c in _CELL_SPLIT.split(ln.strip().strip("|"))]
                    for ln in lines[start:i] if not _RULE.fullmatch(ln.strip())]
            out.append(Block("table", rows=rows))
        elif m := re.match(r"^(#{1,3}) (.*)$", line):
            text, anchor = m.group(2), ""
            if a := _ANCHOR.search(text):
                text, anchor = text[:a.start()], a.group(1)
            depth = len(m.group(1))
            level = 0
            if depth > 1 and (n := _NUMBERED.match(text)) and (n.group(2) is not None) == (depth == 3):
                text, level = n.group(3), depth - 1
            out.append(Block("p", ("Title", "Heading 1", "Heading 2")[depth - 1], text, level, anchor))
            i += 1
        elif line.startswith("- "):
            out.append(Block("p", "List Bullet", line[2:]))
            i += 1
        elif line.startswith("> "):
            out.append(Block("p", "Intense Quote", line[2:]))
            i += 1
        else:
            start = i
            i += 1
            while i < len(lines) and lines[i].strip() and not re.match(r"^(#|- |> |\||⟦)", lines[i]):
                i += 1
            out.append(Block("p", "", " ".join(s.strip() for s in lines[start:i])))
    return out


# --- writing ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Comment:
    """A Word comment on the heading of clause ``anchor`` (a clause id)."""

    anchor: str
    text: str
    author: str = "dsa validator"


class Writer:
    """Writes blocks as WordprocessingML, keeping section orientation, bookmarks and comments."""

    def __init__(self, styles: dict[str, str], sect_inner: str, comments: Sequence[Comment] = (),
                 ids: Ids | None = None):
        self.styles, self.sect_inner = styles, sect_inner
        self.ids = ids or Ids()
        self.orient = "portrait"
        self.by_anchor: dict[str, list[tuple[int, Comment]]] = {}
        self.comments: list[tuple[int, Comment]] = []
        self.bookmarks: set[str] = set()
        for c in comments:
            entry = (self.ids.take(), c)
            self.comments.append(entry)
            self.by_anchor.setdefault(c.anchor, []).append(entry)
        self.unplaced = dict(self.by_anchor)

    def table_width(self) -> int:
        return (_A4[1] if self.orient == "landscape" else _A4[0]) - 2 * _MARGIN

    def sect_pr(self, orient: str) -> str:
        w, h = _A4 if orient == "portrait" else _A4[::-1]
        size = f'<w:pgSz w:w="{w}" w:h="{h}"' + (' w:orient="landscape"/>' if orient == "landscape" else "/>")
        return "<w:sectPr>" + re.sub(r"<w:pgSz[^>]*/>", size, self.sect_inner) + "</w:sectPr>"

    def ppr(self, b: Block, mark: str = "") -> str:
        style = self.styles.get(b.style) if b.style else None
        inner = (f'<w:pStyle w:val="{style}"/>' if style else "")
        if b.level:
            inner += f'<w:numPr><w:ilvl w:val="{b.level - 1}"/><w:numId w:val="{_NUM_ID}"/></w:numPr>'
        if mark:
            inner += f"<w:rPr><w:{mark} {self.ids.attrs()}/></w:rPr>"
        return f"<w:pPr>{inner}</w:pPr>" if inner else ""

    def paragraph(self, b: Block, body: str, mark: str = "") -> str:
        start = end = ""
        if b.anchor and b.anchor not in self.bookmarks:
            self.bookmarks.add(b.anchor)
            bid = self.ids.take()
            start += f'<w:bookmarkStart w:id="{bid}" w:name="{bookmark(b.anchor)}"/>'
            end += f'<w:bookmarkEnd w:id="{bid}"/>'
            for cid, _ in self.unplaced.pop(b.anchor, ()):
                start += f'<w:commentRangeStart w:id="{cid}"/>'
                end += f'<w:commentRangeEnd w:id="{cid}"/><w:r><w:commentReference w:id="{cid}"/></w:r>'
        return f"<w:p>{self.ppr(b, mark)}{start}{body}{end}</w:p>"

    def section(self, b: Block) -> str:
        if b.orient == self.orient:
            return ""
        xml = f"<w:p><w:pPr>{self.sect_pr(self.orient)}</w:pPr></w:p>"
        self.orient = b.orient
        return xml

    def table(self, rows: list[list[str]], marks: Sequence[str] | None = None,
              cell_xml=None) -> str:
        width = max(len(r) for r in rows)
        col = self.table_width() // width
        grid = "".join(f'<w:gridCol w:w="{col}"/>' for _ in range(width))
        body = []
        for i, row in enumerate(rows):
            mark = marks[i] if marks else ""
            trpr = ("<w:tblHeader/>" if i == 0 else "") + (f"<w:{mark} {self.ids.attrs()}/>" if mark else "")
            cells = []
            for j in range(width):
                if cell_xml is not None and cell_xml[i] is not None:
                    runs = cell_xml[i][j]
                else:
                    runs = runs_xml(segments(row[j] if j < len(row) else "", bold=(i == 0)), True, mark, self.ids)
                cells.append(f'<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr><w:p>{runs}</w:p></w:tc>')
            body.append(f"<w:tr>{f'<w:trPr>{trpr}</w:trPr>' if trpr else ''}{''.join(cells)}</w:tr>")
        return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles["Table Grid"]}"/><w:tblW w:w="0" w:type="auto"/>'
                f'<w:jc w:val="center"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(body)}</w:tbl><w:p/>')

    def block(self, b: Block, mark: str = "") -> str:
        if b.kind == "section":
            return self.section(b)
        if b.kind == "table":
            return self.table(b.rows, [mark] * len(b.rows) if mark else None)
        return self.paragraph(b, runs_xml(segments(b.text), False, mark, self.ids), mark)

    def changed(self, old: Block, new: Block) -> str:
        """``new`` in place of ``old``, same kind: the differing words (or table rows) tracked."""
        if new.kind == "p":
            return self.paragraph(new, diff_runs(segments(old.text), segments(new.text), False, self.ids))
        if new.kind == "table":
            return self._table_diff(old.rows, new.rows)
        return self.block(new)

    def _table_diff(self, old: list[list[str]], new: list[list[str]]) -> str:
        rows, marks, cells = [], [], []
        matcher = difflib.SequenceMatcher(None, ["|".join(r) for r in old], ["|".join(r) for r in new],
                                          autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                rows += new[j1:j2]
                marks += [""] * (j2 - j1)
                cells += [None] * (j2 - j1)
                continue
            paired = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(paired):
                o, n = old[i1 + k], new[j1 + k]
                rows.append(n)
                marks.append("")
                cells.append([diff_runs(segments(o[c] if c < len(o) else ""),
                                        segments(n[c] if c < len(n) else ""), True, self.ids)
                              for c in range(max(len(o), len(n)))])
            for o in old[i1 + paired:i2]:
                rows.append(o)
                marks.append("del")
                cells.append(None)
            for n in new[j1 + paired:j2]:
                rows.append(n)
                marks.append("ins")
                cells.append(None)
        return self.table(rows, marks, cells)

    def comments_xml(self) -> str:
        parts = []
        for cid, c in self.comments:
            parts.append(f'<w:comment w:id="{cid}" w:author={quoteattr(c.author)} w:date="{self.ids.date}" '
                         f'w:initials="dsa"><w:p>{runs_xml([Seg(c.text)])}</w:p></w:comment>')
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {_W}>{"".join(parts)}</w:comments>'


def body_xml(markdown: str, styles: dict[str, str]) -> list[str]:
    """WordprocessingML for each block of ``markdown`` (portrait A4, no comments)."""
    parts, _ = _skeleton()
    writer = Writer(styles, _sect_inner(parts))
    return [writer.block(b) for b in blocks(markdown)]


def _redline_body(writer: Writer, old: list[Block], new: list[Block]) -> str:
    out = []
    matcher = difflib.SequenceMatcher(None, [b.key() for b in old], [b.key() for b in new], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for k in range(j2 - j1):
                o, n = old[i1 + k], new[j1 + k]
                out.append(writer.changed(o, n) if n.kind == "table" and o.rows != n.rows else writer.block(n))
            continue
        olds, news = old[i1:i2], new[j1:j2]
        # pair blocks of the same kind and style in order; the rest are whole deletions and insertions
        k = 0
        while k < min(len(olds), len(news)) and (olds[k].kind, olds[k].style) == (news[k].kind, news[k].style) \
                and (olds[k].kind != "table" or len(olds[k].rows[0]) == len(news[k].rows[0])):
            out.append(writer.changed(olds[k], news[k]))
            k += 1
        out += [writer.block(b, "del") for b in olds[k:] if b.kind != "section"]
        out += [writer.block(b, "ins") for b in news[k:]]
    return "".join(out)


# --- the package --------------------------------------------------------------------------------------

_BODY, _HEADER, _FOOTER, _TITLE = "@@DSA-BODY@@", "@@DSA-HEADER@@", "@@DSA-FOOTER@@", "@@DSA-TITLE@@"
_SKELETON_DATE = dt.datetime(2000, 1, 1)
_COMMENTS_REL = ('<Relationship Id="rIdDsaComments" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" '
                 'Target="comments.xml"/>')
_COMMENTS_TYPE = ('<Override PartName="/word/comments.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>')
_ABSTRACT = (f'<w:abstractNum w:abstractNumId="{_NUM_ID}"><w:multiLevelType w:val="multilevel"/>'
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
             '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/>'
             '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="709" w:hanging="709"/></w:pPr></w:lvl>'
             '</w:abstractNum>')
_NUM = f'<w:num w:numId="{_NUM_ID}"><w:abstractNumId w:val="{_NUM_ID}"/></w:num>'
_PAGE_FOOTER = ('<w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve">Page </w:t></w:r>'
                '<w:fldSimple w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
                '<w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t xml:space="preserve"> of </w:t></w:r>'
                '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>1</w:t></w:r>'
                '</w:fldSimple>')


@lru_cache(maxsize=1)
def _skeleton() -> tuple[tuple[tuple[str, bytes], ...], dict[str, str]]:
    """A python-docx package with markers where each document's parts go, made once.

    Building every document through python-docx costs ~50 ms each in template
    parsing and double compression; the pack for an ICB has a hundred of them.
    """
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    styles = {name: document.styles[name].style_id for name in
              ("Title", "Heading 1", "Heading 2", "List Bullet", "Intense Quote", "Table Grid")}
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = 914400  # 1 inch
    run = section.header.paragraphs[0].add_run(_HEADER)
    run.bold = True
    run.font.size = Pt(8)
    section.footer.paragraphs[0].add_run(_FOOTER)
    document.add_paragraph(_BODY)
    props = document.core_properties
    props.title = _TITLE
    props.author = props.last_modified_by = "dsa (draft for legal review)"
    props.created = props.modified = _SKELETON_DATE
    props.revision = 1
    props.comments = "Generated by dsa, a modelling aid; not legal advice."
    raw = io.BytesIO()
    document.save(raw)
    parts = []
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as package:
        for info in package.infolist():
            data = package.read(info.filename)
            if info.filename == "word/numbering.xml":
                text = data.decode("utf-8")
                at = text.index("<w:num ")
                text = text[:at] + _ABSTRACT + text[at:]
                data = text.replace("</w:numbering>", _NUM + "</w:numbering>").encode("utf-8")
            elif info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", _COMMENTS_REL.encode() + b"</Relationships>")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", _COMMENTS_TYPE.encode() + b"</Types>")
            parts.append((info.filename, data))
    parts.append(("word/comments.xml", b""))
    return tuple(parts), styles


def _sect_inner(parts) -> str:
    xml = dict(parts)["word/document.xml"].decode("utf-8")
    start = xml.rindex("<w:sectPr")
    inner_start = xml.index(">", start) + 1
    return xml[inner_start:xml.rindex("</w:sectPr>")]


def _fill_body(xml: str, body: str, final_sect: str) -> str:
    at = xml.index(_BODY)
    start, end = xml.rindex("<w:p>", 0, at), xml.index("</w:p>", at) + len("</w:p>")
    sect_start = xml.rindex("<w:sectPr")
    sect_end = xml.rindex("</w:sectPr>") + len("</w:sectPr>")
    return xml[:start] + body + xml[end:sect_start] + final_sect + xml[sect_end:]


def _replace_run(xml: str, marker: str, runs: str) -> str:
    at = xml.index(marker)
    start, end = xml.rindex("<w:r>", 0, at), xml.index("</w:r>", at) + len("</w:r>")
    return xml[:start] + runs + xml[end:]


def _package(writer: Writer, body: str, *, title: str, header: str, date: str) -> bytes:
    parts, _ = _skeleton()
    stamp = dt.date.fromisoformat(date).isoformat() + "T00:00:00Z"

    def filled(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            return _fill_body(data.decode("utf-8"), body, writer.sect_pr(writer.orient)).encode("utf-8")
        if name == "word/comments.xml":
            return writer.comments_xml().encode("utf-8")
        if _HEADER.encode() in data:
            return data.replace(_HEADER.encode(), _clean(header).encode("utf-8"))
        if _FOOTER.encode() in data:
            return _replace_run(data.decode("utf-8"), _FOOTER, _PAGE_FOOTER).encode("utf-8")
        if name == "docProps/core.xml":
            text = data.decode("utf-8").replace(_TITLE, _clean(title[:255]))
            return text.replace(_SKELETON_DATE.isoformat() + "Z", stamp).encode("utf-8")
        return data

    return zip_entries((name, filled(name, data)) for name, data in parts)


def _writer(date: str, comments: Sequence[Comment], author: str = "dsa") -> Writer:
    parts, styles = _skeleton()
    return Writer(styles, _sect_inner(parts), comments,
                  Ids(author=author, date=dt.date.fromisoformat(date).isoformat() + "T00:00:00Z"))


def _unplaced_comments(writer: Writer) -> str:
    """Comments whose clause is not in the text anchor on a closing paragraph, so none is lost."""
    if not writer.unplaced:
        return ""
    anchor = "_unplaced"
    writer.unplaced = {anchor: [e for v in writer.unplaced.values() for e in v]}
    return writer.paragraph(Block("p", "", "Drafting comments", anchor=anchor), runs_xml([Seg("Drafting comments")]))


def markdown_to_docx(markdown: str, *, title: str, header: str, date: str,
                     comments: Sequence[Comment] = ()) -> bytes:
    """A .docx of ``markdown`` with ``header`` on every page; identical input gives identical bytes."""
    writer = _writer(date, comments)
    body = "".join(writer.block(b) for b in blocks(markdown))
    body += _unplaced_comments(writer)
    return _package(writer, body, title=title, header=header, date=date)


def redline_docx(old_markdown: str, new_markdown: str, *, title: str, header: str, date: str,
                 author: str = "dsa", comments: Sequence[Comment] = ()) -> bytes:
    """The new document with every change from the old one as a tracked change by ``author`` on ``date``."""
    writer = _writer(date, comments, author)
    body = _redline_body(writer, blocks(old_markdown), blocks(new_markdown))
    body += _unplaced_comments(writer)
    return _package(writer, body, title=title, header=header, date=date)


__all__ = ["Comment", "markdown_to_docx", "redline_docx", "blocks", "segments", "plain_text", "body_xml"]
