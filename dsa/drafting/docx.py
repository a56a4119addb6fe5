"""The Markdown that dsa renders, as a Word document a lawyer can edit.

Only the subset our templates emit is understood: ``#``/``##``/``###``
headings (Word's Title, Heading 1 and Heading 2, so the navigation pane
works), paragraphs, ``- `` bullets, ``> `` notes, pipe tables, ``**bold**``,
backslash escapes and ``[TO BE COMPLETED: …]`` placeholders (highlighted
yellow). The body is written as WordprocessingML in one pass into a package
python-docx made once: its object API costs seconds on a pack of a hundred
contracts.
Output is byte-for-byte deterministic: fixed properties and zip entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape

from docx import Document
from docx.shared import Pt

from ..text import xml_safe
from ..zipfiles import zip_entries

_TOKEN = re.compile(r"(\\.)|(\*\*)|(\[TO BE COMPLETED: (?:\\.|[^\]\\])*\])")
_UNESCAPE = re.compile(r"\\(.)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_RULE = re.compile(r"\|?\s*:?-{3,}.*")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PAGE_WIDTH_TWIPS = 9026  # A4 with the default margins


def _run(text: str, *, bold: bool = False, highlight: bool = False, small: bool = False) -> str:
    if not text:
        return ""
    # CT_RPr is a sequence: Word rejects a file whose run properties are out of order (b, sz, highlight).
    props = ("<w:b/>" if bold else "") + ('<w:sz w:val="18"/>' if small else "") + \
        ('<w:highlight w:val="yellow"/>' if highlight else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r>'


def _runs(text: str, bold: bool = False, small: bool = False) -> str:
    """Runs for ``text``: escapes made literal, ``**`` toggling bold, placeholders highlighted."""
    out, buffer = [], []
    pos = 0
    for m in _TOKEN.finditer(text):
        buffer.append(text[pos:m.start()])
        pos = m.end()
        if m.group(1):
            buffer.append(m.group(1)[1])
            continue
        out.append(_run("".join(buffer), bold=bold, small=small))
        buffer = []
        if m.group(2):
            bold = not bold
        else:
            out.append(_run(_UNESCAPE.sub(r"\1", m.group(3)), bold=True, highlight=True, small=small))
    buffer.append(text[pos:])
    out.append(_run("".join(buffer), bold=bold, small=small))
    return "".join(out)


def _paragraph(text: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{_runs(text)}</w:p>"


def _cells(line: str) -> list[str]:
    return [c.strip() for c in _CELL_SPLIT.split(line.strip().strip("|"))]


def _table(lines: list[str], style: str) -> str:
    rows = [_cells(ln) for ln in lines if not _RULE.fullmatch(ln.strip())]
    width = max(len(r) for r in rows)
    col = _PAGE_WIDTH_TWIPS // width
    grid = "".join(f'<w:gridCol w:w="{col}"/>' for _ in range(width))
    body = []
    for i, row in enumerate(rows):
        header = '<w:trPr><w:tblHeader/></w:trPr>' if i == 0 else ""  # repeats on each page
        cells = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr>'
                        f'<w:p>{_runs(row[j] if j < len(row) else "", bold=(i == 0), small=True)}</w:p></w:tc>'
                        for j in range(width))
        body.append(f"<w:tr>{header}{cells}</w:tr>")
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="0" w:type="auto"/>'
            f'<w:jc w:val="center"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(body)}</w:tbl>')


def body_xml(markdown: str, styles: dict[str, str]) -> list[str]:
    """WordprocessingML for each block of ``markdown``."""
    blocks: list[str] = []
    # Only \n ends a line: splitlines() would also break at U+2028, U+2029, U+0085 inside a name, turning the
    # rest of a sentence into a bullet or spilling a table row.
    lines = markdown.replace("\r\n", "\n").split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("|"):
            start = i
            while i < len(lines) and lines[i].startswith("|"):
                i += 1
            blocks.append(_table(lines[start:i], styles["Table Grid"]))
            blocks.append("<w:p/>")  # Word needs a paragraph between adjacent tables
        elif m := re.match(r"^(#{1,3}) (.*)$", line):
            blocks.append(_paragraph(m.group(2), styles[("Title", "Heading 1", "Heading 2")[len(m.group(1)) - 1]]))
            i += 1
        elif line.startswith("- "):
            blocks.append(_paragraph(line[2:], styles["List Bullet"]))
            i += 1
        elif line.startswith("> "):
            blocks.append(_paragraph(line[2:], styles["Intense Quote"]))
            i += 1
        else:
            start = i
            i += 1
            while i < len(lines) and lines[i].strip() and not re.match(r"^(#|- |> |\|)", lines[i]):
                i += 1
            blocks.append(_paragraph(" ".join(s.strip() for s in lines[start:i])))
    return blocks


_BODY, _HEADER, _TITLE = "@@DSA-BODY@@", "@@DSA-HEADER@@", "@@DSA-TITLE@@"
_SKELETON_DATE = dt.datetime(2000, 1, 1)


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
    run = document.sections[0].header.paragraphs[0].add_run(_HEADER)
    run.bold = True
    run.font.size = Pt(8)
    document.add_paragraph(_BODY)
    props = document.core_properties
    props.title = _TITLE
    props.author = props.last_modified_by = "dsa (draft for legal review)"
    props.created = props.modified = _SKELETON_DATE
    props.revision = 1
    props.comments = "Generated by dsa, a modelling aid; not legal advice."
    raw = io.BytesIO()
    document.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as package:
        parts = tuple((info.filename, package.read(info.filename)) for info in package.infolist())
    return parts, styles


def _fill_body(xml: str, body: str) -> str:
    at = xml.index(_BODY)
    start, end = xml.rindex("<w:p>", 0, at), xml.index("</w:p>", at) + len("</w:p>")
    return xml[:start] + body + xml[end:]


def markdown_to_docx(markdown: str, *, title: str, header: str, date: str) -> bytes:
    """A .docx of ``markdown`` with ``header`` on every page; identical input gives identical bytes."""
    parts, styles = _skeleton()
    stamp = dt.date.fromisoformat(date).isoformat() + "T00:00:00Z"
    body = "".join(body_xml(markdown, styles))
    def filled(name: str, data: bytes) -> bytes:
        if name == "word/document.xml":
            return _fill_body(data.decode("utf-8"), body).encode("utf-8")
        if _HEADER.encode() in data:
            return data.replace(_HEADER.encode(), escape(_XML_INVALID.sub("", header)).encode("utf-8"))
        if name == "docProps/core.xml":
            text = data.decode("utf-8").replace(_TITLE, escape(_XML_INVALID.sub("", title)[:255]))
            return text.replace(_SKELETON_DATE.isoformat() + "Z", stamp).encode("utf-8")
        return data

    return zip_entries((name, filled(name, data)) for name, data in parts)
