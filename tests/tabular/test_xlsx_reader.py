"""The XLSX reader reads what openpyxl reads, and its fast path (one findall over a sheet in the common form)
reads exactly what its general path reads, for sheets in the common form and in every other valid form."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsa.errors import InputError
from dsa.tabular import xlsx_reader
from dsa.tabular.xlsx_reader import read_workbook
from tests.conftest import workbook_bytes

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12).filter(
    lambda t: not t.startswith("="))  # openpyxl would write a formula
_CELL = st.one_of(st.none(), _TEXT, st.integers(-10 ** 12, 10 ** 12), st.booleans(),
                  st.floats(allow_nan=False, allow_infinity=False),
                  st.datetimes(dt.datetime(1901, 1, 1), dt.datetime(2100, 1, 1)).map(
                      lambda d: d.replace(microsecond=0)))


def _read(data: bytes, general: bool = False, fast_paths: list | None = None) -> list[tuple[str, list[list]]]:
    """The workbook's sheets, read on the general path if asked; ``fast_paths`` gets whether each sheet was
    read on the fast one."""
    fast = xlsx_reader._fast_rows

    def spy(*args):
        rows = None if general else fast(*args)
        if fast_paths is not None:
            fast_paths.append(rows is not None)
        return rows

    xlsx_reader._fast_rows = spy
    try:
        return read_workbook(data, "r.xlsx", max_rows=1_000)
    finally:
        xlsx_reader._fast_rows = fast


def _both(data: bytes) -> list[list]:
    """The first sheet's rows, after checking the fast and the general path agree on them."""
    fast, general = _read(data), _read(data, general=True)
    assert fast == general
    assert [[type(v) for v in row] for _, rows in fast for row in rows] \
        == [[type(v) for v in row] for _, rows in general for row in rows]
    return fast[0][1]


def _with_sheet(sheet_xml: str, shared: str | None = None) -> bytes:
    """A workbook whose first sheet (and shared strings, if given) are exactly this XML."""
    src, out = zipfile.ZipFile(io.BytesIO(workbook_bytes([["x"]]))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info, sheet_xml.encode() if info.filename == "xl/worksheets/sheet1.xml"
                             else src.read(info.filename))
        if shared is not None:
            dst.writestr("xl/sharedStrings.xml", shared.encode())
    return out.getvalue()


def _sheet(rows_xml: str) -> str:
    return f'<worksheet xmlns="{NS}"><dimension ref="A1:C9"/><sheetData>{rows_xml}</sheetData></worksheet>'


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELL, max_size=6), min_size=1, max_size=6))
def test_any_grid_reads_as_openpyxl_reads_it_on_both_paths(grid):
    data = workbook_bytes(grid)
    blank = lambda v: None if v == "" else v  # noqa: E731 - an empty text cell is blank to both, "" or None
    expected = [[blank(v) for v in row] for row in openpyxl.load_workbook(io.BytesIO(data)).active.values]
    got = [[blank(v) for v in row] for row in _both(data)]
    fast_paths: list[bool] = []
    _read(data, fast_paths=fast_paths)
    assert fast_paths == [True]  # what openpyxl (and Excel) write is read on the fast path
    # openpyxl pads every row to the sheet's width and keeps empty rows; the reader stops at a row's last value.
    width = max((len(r) for r in got), default=0)
    assert [row + [None] * (width - len(row)) for row in got] == [row[:width] for row in expected][:len(got)]
    assert all(v is None for row in expected[len(got):] for v in row)


def test_sparse_rows_and_cells_read_into_their_places():
    rows = _both(_with_sheet(_sheet(
        f'<row r="1">{_inline("A1", "a")}{_inline("C1", "c")}</row>'
        f'<row r="4"><c r="B4"><v>7</v></c></row>')))
    assert rows == [["a", None, "c"], [], [], [None, 7]]


def test_cells_out_of_order_within_a_row_read_into_their_places():
    assert _both(_with_sheet(_sheet(f'<row r="1">{_inline("B1", "b")}{_inline("A1", "a")}</row>'))) == [["a", "b"]]


def test_rows_out_of_order_are_refused_on_both_paths():
    data = _with_sheet(_sheet(f'<row r="2">{_inline("A2", "x")}</row><row r="1">{_inline("A1", "y")}</row>'))
    for general in (False, True):
        with pytest.raises(InputError, match="out of order"):
            _read(data, general)


def test_empty_self_closed_cells_formulas_and_booleans_read_as_openpyxl_reads_them():
    rows = _both(_with_sheet(_sheet(
        '<row r="1"><c r="A1" s="0"/><c r="B1" t="inlineStr"/><c r="C1"><f>1+1</f><v>2</v></c>'
        '<c r="D1" t="inlineStr"></c><c r="E1"></c><c r="F1" t="inlineStr"><is><t/></is></c></row>'
        '<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v></c><c r="C2" t="e"><v>#N/A</v></c></row>')))
    assert rows == [[None, "", 2, "", None, ""], [True, False, "#N/A"]]


def test_shared_strings_rich_text_and_phonetic_guides():
    shared = (f'<sst xmlns="{NS}"><si><t>plain</t></si><si><r><t>rich </t></r><r><t>text</t></r></si>'
              '<si><t>kanji</t><rPh sb="0" eb="1"><t>reading</t></rPh></si></sst>')
    rows = _both(_with_sheet(_sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                                    '<c r="C1" t="s"><v>2</v></c></row>'), shared))
    assert rows == [["plain", "rich text", "kanji"]]


def test_entities_character_references_comments_and_cdata():
    rows = _both(_with_sheet(_sheet(
        f'<row r="1">{_inline("A1", "Smith &amp; Jones&#10;&#x41;")}<!-- a note --><c r="B1"><v>1.5</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[<b>&amp;</b>]]></t></is></c></row>')))
    assert rows == [["Smith & Jones\nA", 1.5], ["<b>&amp;</b>"]]


def test_a_sheet_with_a_namespace_prefix_reads_alike():
    sheet = (f'<x:worksheet xmlns:x="{NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>a</x:t>'
             '</x:is></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    assert _both(_with_sheet(sheet)) == [["a", 2]]


def test_a_date_styled_number_reads_as_a_date():
    wb = openpyxl.Workbook()
    wb.active.append([dt.datetime(2026, 9, 1), dt.date(2027, 3, 31), 45000])
    buf = io.BytesIO()
    wb.save(buf)
    assert _both(buf.getvalue()) == [[dt.datetime(2026, 9, 1), dt.datetime(2027, 3, 31), 45000]]


def test_numbers_in_every_written_form_read_alike_on_both_paths():
    values = ["42", "0042", " 7 ", "-3", "1.50", "1e3", "2E-2", "²", "١٢", "1,000", ""]
    cells = "".join(f'<c r="{chr(65 + i)}1"><v>{v}</v></c>' for i, v in enumerate(values))
    [row] = _both(_with_sheet(_sheet(f'<row r="1">{cells}</row>')))
    assert row == [42, 42, 7, -3, 1.5, 1000.0, 0.02, "²", 12, "1,000"]  # int() reads Arabic-Indic digits
