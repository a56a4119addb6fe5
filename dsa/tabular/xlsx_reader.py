"""Read the cell values of an XLSX workbook safely and fast, or refuse it with one line.

openpyxl reads a 100,000-row register in minutes and, given a small sheet that
declares a huge dimension, spends minutes before any guard can act; its XML
errors surface as tracebacks. This reader does only what an import needs:

1. every part is read through a size guard (a zip bomb stops at the limit);
2. every part is checked by expat, with no handlers but one that refuses a
   document type declaration — so no entity can be defined, expanded or fetched
   (billion laughs, external entities), and malformed XML is one line naming
   the part, line and column; expat builds no tree, so this costs little;
3. a sheet's declared dimension and its number of rows are checked before a
   single cell is read;
4. the cells are then taken from the (now known well-formed, entity-free) XML
   with regular expressions, which is many times faster than building elements.

Values come back as openpyxl's would with ``values_only=True``: strings, ints,
floats, booleans, ``datetime`` for date-formatted numbers, error strings such
as ``#N/A``; an empty cell is ``None``.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from ..errors import InputError

__all__ = ["read_workbook", "MAX_COLUMNS", "MAX_PART_BYTES"]

#: More columns than any sheet dsa reads or writes (a register has about 60); Excel's own maximum is 16,384.
MAX_COLUMNS = 1_000
#: The most one part of the workbook may hold once unzipped (a 100,000-row register's sheet is about 180 MB).
MAX_PART_BYTES = 1024 * 1024 * 1024

_ROW = re.compile(r"<(?:[\w.-]+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?row>)", re.S)
_CELL = re.compile(r"<(?:[\w.-]+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.S)
_V = re.compile(r"<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?v>)", re.S)
_T = re.compile(r"<(?:[\w.-]+:)?t\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?t>)", re.S)
_PHONETIC = re.compile(r"<(?:[\w.-]+:)?rPh\b.*?</(?:[\w.-]+:)?rPh>", re.S)
_SI = re.compile(r"<(?:[\w.-]+:)?si\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?si>)", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_REF = re.compile(r"^([A-Za-z]{1,3})(\d+)$")
_DIMENSION = re.compile(r"<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_ROW_START = re.compile(r"<(?:[\w.-]+:)?row[\s/>]")


_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#(\d+)|(lt|gt|amp|quot|apos));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _entity(m: re.Match) -> str:
    if m.group(3):
        return _NAMED[m.group(3)]
    code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    return chr(code) if code <= 0x10FFFF else "\ufffd"


def unescape_xml(text: str) -> str:
    """XML's own references only (html.unescape would read &#154; as Windows-1252 's with caron')."""
    return _ENTITY.sub(_entity, text) if "&" in text else text


def _attr(attrs: str, name: str) -> str | None:
    m = re.search(r"(?:^|\s)" + name + r"\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", attrs)
    return None if m is None else unescape_xml(m.group(1) if m.group(1) is not None else m.group(2))


def _text(xml: str | None) -> str:
    """The character data of an element's content: CDATA kept, entities and character references resolved."""
    if not xml:
        return ""
    if "<![CDATA[" in xml:
        parts, pos = [], 0
        for m in _CDATA.finditer(xml):
            parts.append(unescape_xml(xml[pos:m.start()]))
            parts.append(m.group(1))
            pos = m.end()
        parts.append(unescape_xml(xml[pos:]))
        return "".join(parts)
    return unescape_xml(xml) if "&" in xml else xml


def _rich_text(xml: str | None) -> str:
    """The text of an ``<is>`` or ``<si>``: its ``<t>``s joined (rich-text runs), phonetic guides left out."""
    if not xml:
        return ""
    if "rPh" in xml:
        xml = _PHONETIC.sub("", xml)
    return "".join(_text(m.group(1)) for m in _T.finditer(xml))


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


class _Refused(Exception):
    pass


def _refuse_doctype(*_args) -> None:
    raise _Refused()


def check_xml(data: bytes, part: str, source: str) -> None:
    """Well-formed XML with no document type declaration (so no entities), or InputError saying which."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    try:
        parser.Parse(data, True)
    except _Refused:
        raise InputError(f"{source}: {part} declares a document type or entities, which a workbook never "
                         "needs; it was refused unread (a possible XML entity attack)") from None
    except expat.ExpatError as exc:
        raise InputError(f"{source}: {part} is not well-formed XML ({expat.errors.messages.get(exc.code, exc)} "
                         f"at line {exc.lineno}, column {exc.offset}); the file is damaged or not a workbook") \
            from None


@dataclass
class _Package:
    archive: zipfile.ZipFile
    source: str
    max_part_bytes: int

    def names(self) -> set[str]:
        return set(self.archive.namelist())

    def text(self, name: str, required: bool = True, precheck=None) -> str | None:
        """A part as text, after the size guard, ``precheck`` (on the raw bytes) and the XML check."""
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            if required:
                raise InputError(f"{self.source} is not a readable Excel workbook (.xlsx): it has no {name}") \
                    from None
            return None
        limit = self.max_part_bytes
        if info.file_size > limit:
            raise InputError(f"{self.source}: {name} unpacks to {info.file_size / 1e6:,.0f} MB, over the "
                             f"{limit / 1e6:,.0f} MB a register may hold")
        try:
            with self.archive.open(info) as f:
                data = f.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise InputError(f"{self.source}: {name} cannot be unpacked ({exc}); the file is damaged") from None
        if len(data) > limit:
            raise InputError(f"{self.source}: {name} unpacks to more than the {limit / 1e6:,.0f} MB a register "
                             "may hold")
        if precheck is not None:
            precheck(data)
        check_xml(data, name, self.source)
        try:
            return data.decode("utf-8-sig") if not data.startswith((b"\xff\xfe", b"\xfe\xff")) \
                else data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{self.source}: {name} is not UTF-8 XML") from None


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.split("/")[:-1] + target.split("/")
    out: list[str] = []
    for p in parts:
        if p == "..":
            if out:
                out.pop()
        elif p and p != ".":
            out.append(p)
    return "/".join(out)


def _sheets(pkg: _Package) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order."""
    root_rels = pkg.text("_rels/.rels", required=False) or ""
    workbook = "xl/workbook.xml"
    for m in re.finditer(r"<(?:[\w.-]+:)?Relationship\b([^>]*)>", root_rels):
        if (_attr(m.group(1), "Type") or "").endswith("/officeDocument"):
            workbook = _target("", _attr(m.group(1), "Target") or workbook)
    wb = pkg.text(workbook)
    rels_name = "/".join(workbook.split("/")[:-1] + ["_rels", workbook.split("/")[-1] + ".rels"])
    rels = {(_attr(m.group(1), "Id") or ""): _target(workbook, _attr(m.group(1), "Target") or "")
            for m in re.finditer(r"<(?:[\w.-]+:)?Relationship\b([^>]*)>", pkg.text(rels_name) or "")}
    sheets = []
    for m in re.finditer(r"<(?:[\w.-]+:)?sheet\b([^>]*)>", wb):
        attrs = m.group(1)
        rid = next((v for k, v in re.findall(r"(?:^|\s)([\w.-]+:id)\s*=\s*[\"']([^\"']*)[\"']", attrs)), None)
        name = _attr(attrs, "name") or ""
        part = rels.get(rid or "")
        if part and part in pkg.names():
            sheets.append((name, part))
    return sheets


_BUILTIN_DATE_FORMATS = frozenset(list(range(14, 23)) + list(range(27, 37)) + list(range(45, 48))
                                  + list(range(50, 59)))


def _date_styles(pkg: _Package) -> tuple[frozenset[int], bool]:
    """The cell style indexes whose number format is a date, and whether the workbook counts from 1904."""
    from openpyxl.styles.numbers import is_date_format

    styles = pkg.text("xl/styles.xml", required=False) or ""
    custom = {}
    for m in re.finditer(r"<(?:[\w.-]+:)?numFmt\b([^>]*)>", styles):
        try:
            custom[int(_attr(m.group(1), "numFmtId") or "")] = _attr(m.group(1), "formatCode") or ""
        except ValueError:
            continue
    dates = set()
    xfs = re.search(r"<(?:[\w.-]+:)?cellXfs\b[^>]*>(.*?)</(?:[\w.-]+:)?cellXfs>", styles, re.S)
    for i, m in enumerate(re.finditer(r"<(?:[\w.-]+:)?xf\b([^>]*)>", xfs.group(1) if xfs else "")):
        try:
            fmt = int(_attr(m.group(1), "numFmtId") or 0)
        except ValueError:
            continue
        if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and is_date_format(custom[fmt])):
            dates.add(i)
    wb = pkg.text("xl/workbook.xml", required=False) or ""
    pr = re.search(r"<(?:[\w.-]+:)?workbookPr\b([^>]*)>", wb)
    date1904 = bool(pr) and (_attr(pr.group(1), "date1904") or "").lower() in ("1", "true")
    return frozenset(dates), date1904


def _number(text: str):
    text = text.strip()
    if not text:
        return None
    try:
        return int(text) if "." not in text and "e" not in text and "E" not in text else float(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


# The form nearly every writer (Excel, openpyxl, LibreOffice) uses for a cell: r first, then a plain value, an
# inline string, or nothing (``<c …/>`` or ``<c …></c>``, which the lookarounds recognise). A sheet whose every
# cell has this form is read by one findall over its sheetData; any other sheet by the general path.
_FAST_CELL = re.compile(r'<c r="([A-Z]{1,3})(\d+)"([^>]*)>(?:<(?:v|is><t[^>]*)>([^<]*)<|(?<=/>)|(?=</c>))')
_FAST_KIND = re.compile(r'(?:^|\s)(t|s)="([^"]*)"')
_PREFIXED_CELL = re.compile(r"<[\w.-]+:c[\s/>]")
# What a cell's attributes make of its text: the text itself, a shared string, a boolean, a number, a date.
_TEXT, _SHARED, _BOOLEAN, _NUMBER, _DATE = range(5)


def _fast_kind(attrs: str, dates: frozenset[int]) -> int | None:
    """How a cell with these attributes is read; None for a type the fast path leaves to the general one.
    (An empty ``<c …/>`` has the text "", as the general path reads it.)"""
    found = dict(_FAST_KIND.findall(attrs))
    t = found.get("t")
    if t in ("inlineStr", "str", "e"):
        return _TEXT
    if t == "s":
        return _SHARED
    if t == "b":
        return _BOOLEAN
    if t is None or t == "n":
        style = found.get("s", "")
        return _DATE if style.isdigit() and int(style) in dates else _NUMBER
    return None


def _sheet_data(xml: str) -> tuple[int, int]:
    """Where the cells are: the span of the sheetData element (the whole text when it has none)."""
    start = xml.find("<sheetData")
    end = xml.rfind("</sheetData>")
    return (start, end) if 0 <= start < end else (0, len(xml))


def _fast_rows(xml: str, strings: list[str], dates: frozenset[int], epoch, max_rows: int) -> list[list] | None:
    """The rows of a sheet in the common form, or None when any cell is in another form (or out of order)."""
    start, end = _sheet_data(xml)
    if xml.find("<![CDATA[", start, end) >= 0:
        return None
    if xml.find(":c", start, end) >= 0 and _PREFIXED_CELL.search(xml, start, end):
        return None
    cells = _FAST_CELL.findall(xml, start, end)
    # Inside sheetData nothing but a cell starts with "<c": a count that differs means a cell the pattern missed.
    if len(cells) != xml.count("<c", start, end):
        return None
    from openpyxl.utils.datetime import from_excel

    columns: dict[str, int] = {}
    kinds: dict[str, int] = {}
    rows: list[list] = []
    current, values, last = "", [], 0
    for letters, number, attrs, text in cells:  # 3 million cells in a national register: keep this loop lean
        if number != current:
            n = int(number)
            if n <= last or n > max_rows + 1:
                return None  # out of order or beyond the limit: the general path says which
            if len(rows) < n - 1:
                rows.extend([] for _ in range(n - 1 - len(rows)))
            while values and values[-1] is None:
                values.pop()
            values = [None] * len(values)  # rows are about as wide as the one before: cells go into place
            rows.append(values)
            current, last = number, n
        try:
            col = columns[letters]
            how = kinds[attrs]
        except KeyError:
            col = columns[letters] = columns.get(letters, _column_index(letters))
            how = kinds[attrs] = kinds.get(attrs, _fast_kind(attrs, dates))
            if col >= MAX_COLUMNS or how is None:
                return None
        if "&" in text:
            text = unescape_xml(text)
        if how == _TEXT:
            value = text
        elif not text:
            value = None
        elif how == _NUMBER:
            value = int(text) if text.isdigit() and text.isascii() else _number(text)
        elif how == _SHARED:
            try:
                value = strings[int(text)]
            except (ValueError, IndexError):
                return None
        elif how == _DATE:
            value = _number(text)
            if isinstance(value, (int, float)):
                try:
                    value = from_excel(value, epoch)
                except (OverflowError, ValueError):
                    pass
        else:
            value = text.strip() in ("1", "true")
        try:
            values[col] = value  # a cell out of order, or twice, lands where the general path puts it
        except IndexError:
            values.extend([None] * (col - len(values)))
            values.append(value)
    for values in rows:
        while values and values[-1] is None:
            values.pop()
    return rows


def _check_dimension(head: str, name: str, source: str, max_rows: int) -> None:
    """Refuse a sheet whose declared dimension (it comes before the cells) is beyond a register's."""
    head = head[:head.find("<sheetData")] if "<sheetData" in head else head
    dim = _DIMENSION.search(head)
    if dim:
        last = dim.group(1).split(":")[-1].replace("$", "")
        m = _REF.match(last)
        if m and (int(m.group(2)) > max_rows + 1 or _column_index(m.group(1)) >= MAX_COLUMNS):
            raise InputError(f"{source}: sheet {name!r} declares {int(m.group(2)):,} rows and "
                             f"{_column_index(m.group(1)) + 1:,} columns, more than {max_rows:,} rows or "
                             f"{MAX_COLUMNS:,} columns a register may have (one row per flow); refused unread")


def _sheet_rows(xml: str, name: str, source: str, strings: list[str], dates: frozenset[int], date1904: bool,
                max_rows: int) -> list[list]:
    _check_dimension(xml[:65536], name, source, max_rows)
    if "<!--" in xml:
        xml = _COMMENT.sub("", xml)
    start, end = _sheet_data(xml)
    count = xml.count("<row", start, end)  # inside sheetData only rows start so
    if ":row" in xml:  # a prefixed namespace: count every form
        count = sum(1 for _ in _ROW_START.finditer(xml))
    if count > max_rows + 1:
        raise InputError(f"{source}: sheet {name!r} has more than {max_rows:,} rows; a register has one row per "
                         "flow, and even a national model has far fewer")
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    fast = _fast_rows(xml, strings, dates, epoch, max_rows)
    if fast is not None:
        return fast
    rows: list[list] = []
    next_row = 1
    for rm in _ROW.finditer(xml):
        r_attr = _attr(rm.group(1), "r") if rm.group(1) else None
        number = int(r_attr) if r_attr and r_attr.isdigit() else next_row
        if number < next_row or number > max_rows + 1:
            raise InputError(f"{source}: sheet {name!r} has its rows out of order or beyond row {max_rows + 1:,} "
                             f"(row {number:,}); the file is damaged")
        while len(rows) < number - 1:
            rows.append([])
        next_row = number + 1
        values: list = []
        for cm in _CELL.finditer(rm.group(2) or ""):
            attrs, content = cm.group(1), cm.group(2)
            ref = _attr(attrs, "r")
            if ref:
                ref_match = _REF.match(ref)
                if not ref_match:
                    raise InputError(f"{source}: sheet {name!r} row {number:,} has a cell named {ref[:20]!r}, "
                                     "which is not a cell reference; the file is damaged")
                col = _column_index(ref_match.group(1))
            else:
                col = len(values)
            if col >= MAX_COLUMNS:
                raise InputError(f"{source}: sheet {name!r} row {number:,} has a cell beyond column "
                                 f"{MAX_COLUMNS:,}; a register has about 60 columns")
            kind = _attr(attrs, "t") if " t" in attrs or "\tt" in attrs or "\nt" in attrs else None
            if kind == "inlineStr":
                value = _rich_text(content)
            else:
                vm = _V.search(content) if content else None
                raw = _text(vm.group(1)) if vm and vm.group(1) is not None else None
                if raw is None:
                    value = None
                elif kind == "s":
                    try:
                        value = strings[int(raw)]
                    except (ValueError, IndexError):
                        raise InputError(f"{source}: sheet {name!r} cell {ref or col} refers to shared string "
                                         f"{raw[:20]!r}, which the workbook does not have; the file is damaged") \
                            from None
                elif kind in ("str", "e"):
                    value = raw
                elif kind == "b":
                    value = raw.strip() in ("1", "true")
                elif kind == "d":
                    from datetime import datetime
                    try:
                        value = datetime.fromisoformat(raw.strip())
                    except ValueError:
                        value = raw
                else:
                    value = _number(raw)
                    style = _attr(attrs, "s") if " s" in attrs else None
                    if style and dates and isinstance(value, (int, float)) and int(style) in dates:
                        try:
                            value = from_excel(value, epoch)
                        except (OverflowError, ValueError):
                            pass
            if col < len(values):
                values[col] = value
            else:
                values.extend([None] * (col - len(values)))
                values.append(value)
        while values and values[-1] is None:  # formatted but empty cells to the right
            values.pop()
        rows.append(values)
    while rows and not rows[-1]:  # empty rows at the end, as the fast path (which sees only cells) reads them
        rows.pop()
    return rows


def read_workbook(raw: bytes, source: str, *, max_rows: int, max_part_bytes: int = MAX_PART_BYTES
                  ) -> list[tuple[str, list[list]]]:
    """(sheet name, rows) for every worksheet; InputError (one line) for anything unreadable or hostile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{source} is not a readable Excel workbook (.xlsx): {exc}") from None
    with archive:
        pkg = _Package(archive, source, max_part_bytes)
        sheets = _sheets(pkg)
        if not sheets:
            raise InputError(f"{source} is not a readable Excel workbook (.xlsx): it has no worksheet")
        strings_xml = pkg.text("xl/sharedStrings.xml", required=False)
        strings = [_rich_text(m.group(1)) for m in _SI.finditer(_COMMENT.sub("", strings_xml))] \
            if strings_xml else []
        dates, date1904 = _date_styles(pkg)
        return [(name, _sheet_rows(pkg.text(part, precheck=lambda data, name=name: _precheck(
                    data, name, source, max_rows)), name, source, strings, dates, date1904, max_rows))
                for name, part in sheets]


def _precheck(data: bytes, name: str, source: str, max_rows: int) -> None:
    """The declared dimension and a row count on the raw bytes, before the XML is parsed even once, so an
    oversized sheet is refused in the time it takes to unzip it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16: checked on the decoded text instead
    head = data[:65536].decode("utf-8", "replace")
    _check_dimension(head, name, source, max_rows)
    if data.count(b"<row") + data.count(b":row") > 2 * (max_rows + 1):  # <row and <x:row, with margin
        raise InputError(f"{source}: sheet {name!r} has more than {max_rows:,} rows; a register has one row per "
                         "flow, and even a national model has far fewer")
