"""The Markdown that dsa renders, as a Word document a lawyer can edit.

Only the subset our templates emit is understood: ``#``/``##``/``###``
headings (Word's Title, Heading 1 and Heading 2, so the navigation pane
works), paragraphs, ``- `` bullets, ``> `` notes, pipe tables, ``**bold**``,
backslash escapes and ``[TO BE COMPLETED: …]`` placeholders (highlighted
yellow). The body is written as WordprocessingML in one pass and parsed once:
python-docx's object API costs seconds on a pack of a hundred contracts.
Output is byte-for-byte deterministic: fixed properties and zip entry times.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

PLACEHOLDER = re.compile(r"\[TO BE COMPLETED: (?:\\.|[^\]\\])*\]")
_TOKEN = re.compile(r"(\\.)|(\*\*)|(\[TO BE COMPLETED: (?:\\.|[^\]\\])*\])")
_UNESCAPE = re.compile(r"\\(.)")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_RULE = re.compile(r"\|?\s*:?-{3,}.*")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_PAGE_WIDTH_TWIPS = 9026  # A4 with the default margins


def _run(text: str, *, bold: bool = False, highlight: bool = False, small: bool = False) -> str:
    if not text:
        return ""
    props = ("<w:b/>" if bold else "") + ('<w:highlight w:val="yellow"/>' if highlight else "") + \
        ('<w:sz w:val="18"/>' if small else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(_XML_INVALID.sub("", text))}</w:t></w:r>'


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
    lines = markdown.splitlines()
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


def markdown_to_docx(markdown: str, *, title: str, header: str, date: str) -> bytes:
    """A .docx of ``markdown`` with ``header`` on every page; identical input gives identical bytes."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    styles = {name: document.styles[name].style_id for name in
              ("Title", "Heading 1", "Heading 2", "List Bullet", "Intense Quote", "Table Grid")}
    head = document.sections[0].header.paragraphs[0]
    run = head.add_run(header)
    run.bold = True
    run.font.size = Pt(8)
    body = document.element.body
    sect = body[-1]  # the section properties stay last
    wrapper = parse_xml(f"<w:body {nsdecls('w')}>{''.join(body_xml(markdown, styles))}</w:body>")
    for block in list(wrapper):
        sect.addprevious(block)
    _properties(document, title, date)
    raw = io.BytesIO()
    document.save(raw)
    return _fixed_zip(raw.getvalue())


def _properties(document, title: str, date: str) -> None:
    when = dt.datetime.combine(dt.date.fromisoformat(date), dt.time(0, 0))
    props = document.core_properties
    props.title = title[:255]
    props.author = props.last_modified_by = "dsa (draft for legal review)"
    props.created = props.modified = when
    props.revision = 1
    props.comments = "Generated by dsa, a modelling aid; not legal advice."


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry times so the same model gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
