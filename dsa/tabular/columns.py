"""The columns of every sheet, and how one value becomes one cell and back.

One definition serves export and import, so what ``export`` writes is exactly
what ``import`` reads. Enumerated values come from the JSON Schema
(``schemas/dsa-model.schema.json``), the single source of truth, so a new
enum value there is accepted here without a code change.

How values are written (and read back):

- nested fields are flattened to dotted column names (``data.categories``,
  ``legal_basis.article_6``);
- lists are joined with ``; `` (``demographics; diagnoses``); ``joint_controllers``
  and risk-pool ``members`` are written ``party: share; party: share``;
- booleans are ``yes``/``no`` (``true``/``false``, ``y``/``n``, ``1``/``0`` and
  Excel's TRUE/FALSE are read too); dates are ``YYYY-MM-DD`` (``DD/MM/YYYY``
  and Excel date cells are read too); numbers are numbers;
- an empty cell means "not recorded" (the field is left out); ``none`` in
  ``legal_basis.article_9`` is an explicit "no Article 9 condition" (JSON null);
- anything a column cannot carry exactly — ``x-`` annotations, extra ``risk``
  overrides, a list item containing ``;``, a value of the wrong type in a
  draft model — goes, as JSON, into the row's ``extra`` column, so a model
  survives export and import unchanged.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from ..errors import InputError
from ..loading import parse_json_value
from ..settings import LoadLimits

_CELL_LIMITS = LoadLimits(max_depth=LoadLimits().max_depth - 2)
from ..text import EXCEL_CELL_LIMIT, writable, xml_escape_json
from ..validation.schema import load_schema
from .cells import unescape

__all__ = ["Column", "CellProblem", "ABSENT", "Unreadable", "DecodedColumn", "encode", "decode", "decode_column",
           "representable", "same_value"]


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


#: What an empty cell decodes to: the field is not recorded.
ABSENT = _Absent()

KINDS = ("text", "integer", "number", "boolean", "enum", "date", "list", "enum_list", "shares", "json")


class CellProblem(ValueError):
    """A cell that cannot be read as its column's type; the message is for the user."""


class NotRepresentable(ValueError):
    """A value that a column cannot carry exactly (it goes into ``extra`` instead)."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its dotted name (also the path of the field it holds), type, and meaning."""

    name: str
    kind: str
    required: bool = False
    description: str = ""
    choices: tuple = ()
    nullable: bool = False
    #: The field's path in the item (``data.records`` -> ``("data", "records")``), computed once.
    path: tuple = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", tuple(self.name.split(".")))

    def as_row(self) -> tuple[str, bool, str]:
        return (self.name, self.required, self.description)


# --------------------------------------------------------------------- schema enums
def _schema_node(*path: str) -> dict:
    node: Any = load_schema()
    for part in path:
        node = node[part]
    return node


def schema_enum(*path: str) -> tuple:
    """The enum at a schema path (through ``$defs``/``properties``/``items``), without null."""
    node = _schema_node(*path)
    if "items" in node and "enum" not in node:
        node = node["items"]
    if "enum" not in node and "const" in node:
        return (node["const"],)
    return tuple(v for v in node["enum"] if v is not None)


def _props(*fields: str) -> list[str]:
    return [step for f in fields for step in ("properties", f)]


def _flow(*fields: str) -> tuple:
    """The enum of a flow field, e.g. ``_flow("data", "identifiability")``."""
    return schema_enum("$defs", "flow", *_props(*fields))


def _party(*fields: str) -> tuple:
    return schema_enum("$defs", "party", *_props(*fields))


def _indemnity(*fields: str) -> tuple:
    return schema_enum("$defs", "indemnity", *_props(*fields))


# --------------------------------------------------------------------- decoding
_INT = re.compile(r"^[+-]?\d+$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = {"yes", "y", "true", "1"}
_FALSE = {"no", "n", "false", "0"}


def _show(raw: Any) -> str:
    text = raw if isinstance(raw, str) else str(raw)
    return repr(text if len(text) <= 60 else text[:59] + "…")


def _as_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (dt.datetime, dt.date)):
        return raw.date().isoformat() if isinstance(raw, dt.datetime) else raw.isoformat()
    return str(raw)


def _number(raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise CellProblem(f"{_show(raw)} is not a number")
    if isinstance(raw, (int, float)):
        value = raw
    else:
        text = str(raw).strip().replace(",", "").replace("£", "").replace(" ", "")
        try:
            value = int(text) if _INT.match(text) else float(text)
        except ValueError:
            raise CellProblem(f"{_show(raw)} is not a number") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise CellProblem(f"{_show(raw)} is not a finite number")
    return value


def _enum(raw: Any, choices: tuple, nullable: bool) -> Any:
    text = _as_text(raw).strip()
    if text in choices:
        return text
    if nullable and text.lower() in ("none", "null"):
        return None
    norm = re.sub(r"[\s\-]+", "_", text.lower())
    for choice in choices:
        if isinstance(choice, str) and choice.lower() == norm:
            return choice
    # Legal-basis shorthand: "e" or "(e)" for 6(1)(e), "h" for 9(2)(h).
    letter = norm.strip("()").removeprefix("article_")
    hits = [c for c in choices if isinstance(c, str) and (c.endswith(f"({letter})") or c == f"article_{letter}")]
    if len(hits) == 1:
        return hits[0]
    allowed = ", ".join(str(c) for c in choices) + (", none" if nullable else "")
    close = difflib.get_close_matches(norm, [str(c) for c in choices], n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise CellProblem(f"{_show(raw)} is not one of {allowed}{hint}")


def _date(raw: Any) -> str:
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    text = _as_text(raw).strip()
    m = _UK_DATE.match(text)
    try:
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        if _ISO_DATE.match(text):
            dt.date.fromisoformat(text)
            return text
    except ValueError:
        raise CellProblem(f"{_show(raw)} is not a real date") from None
    raise CellProblem(f"{_show(raw)} is not a date; write it as YYYY-MM-DD (e.g. 2026-11-01)")


def _items(raw: Any) -> list[str]:
    return [part.strip() for part in _as_text(raw).split(";") if part.strip()]


def decode(column: Column, raw: Any) -> Any:
    """The JSON value of a cell (``ABSENT`` when blank); CellProblem when it cannot be read."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ABSENT
    kind = column.kind
    if kind == "text":
        return _as_text(raw).strip()
    if kind == "integer":
        value = _number(raw)
        if isinstance(value, float):
            if not value.is_integer():
                raise CellProblem(f"{_show(raw)} is not a whole number")
            value = int(value)
        return value
    if kind == "number":
        value = _number(raw)
        return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53 \
            and not isinstance(raw, str) else value
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        text = _as_text(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise CellProblem(f"{_show(raw)} is not yes or no")
    if kind == "enum":
        return _enum(raw, column.choices, column.nullable)
    if kind == "date":
        return _date(raw)
    if kind == "list":
        return _items(raw)
    if kind == "enum_list":
        return [_enum(item, column.choices, False) for item in _items(raw)]
    if kind == "shares":
        out = []
        for item in _items(raw):
            party, sep, share = item.partition(":")
            if not sep or not party.strip():
                raise CellProblem(f"{_show(item)} is not 'party: share' (e.g. icb: 0.5; m81001: 0.5)")
            try:
                value = _number(share)
            except CellProblem:
                raise CellProblem(f"the share in {_show(item)} is not a number") from None
            out.append({"party": party.strip(), "share": value})
        return out
    if kind == "json":
        try:  # the same limits as a model file: size, depth, finite numbers, no lone surrogates
            # An item sits two levels into the model, so its extra may nest two levels less than a model file.
            value = parse_json_value(_as_text(raw), source="the cell", limits=_CELL_LIMITS)
        except InputError as exc:
            raise CellProblem(str(exc).replace("the cell ", f"{_show(raw)} ", 1)) from None
        if column.name.endswith("extra") and not isinstance(value, dict):
            raise CellProblem(f"{_show(raw)} is not a JSON object ({{\"field\": value}})")
        return value
    raise AssertionError(f"unknown column kind {kind!r}")


_BOOLEANS = {**{t: True for t in _TRUE}, **{f: False for f in _FALSE}}


def fast_decode(column: Column, raw: Any) -> Any:
    """``decode`` with the common cells (plain text, a listed choice, yes/no, a whole number) read directly:
    a 100,000-row register has millions of them."""
    kind = column.kind
    t = type(raw)
    if t is str:
        if kind == "text":
            text = raw.strip()
            return text if text else ABSENT
        if kind == "enum" and raw in column.choices:
            return raw
        if kind == "boolean":
            value = _BOOLEANS.get(raw.strip().lower())
            if value is not None:
                return value
    elif t is int and (kind == "integer" or kind == "number"):
        return raw
    return decode(column, raw)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A cell ``decode_column`` could not read: its value (export's apostrophe taken off) and the problem."""

    raw: Any
    message: str


def _decoder(column: Column):
    def one(raw: Any) -> Any:
        if raw is None:
            return ABSENT
        if type(raw) is str:
            if not raw or raw.isspace():
                return ABSENT
            if raw[0] == "'":
                raw = unescape(raw)
        try:
            return fast_decode(column, raw)
        except CellProblem as exc:
            return Unreadable(raw, str(exc))
    return one


@dataclass(slots=True)
class DecodedColumn:
    """One column's cells read: a value per row (``ABSENT`` or ``Unreadable`` where so), the rows whose cell
    is unreadable, whether any cell is blank, and whether every one is."""

    values: list
    unreadable: list[int]
    blanks: bool
    empty: bool


def decode_column(column: Column, raws: Sequence[Any]) -> DecodedColumn:
    """Every cell of one column read at once, each as ``unescape`` then ``fast_decode`` would read it.

    Each distinct value is read once: a register repeats its choices, yes/no, dates and lists down
    thousands of rows. Only when the column holds one type of value, as equal values of different types
    (``1``, ``1.0``, ``True``) can read differently."""
    one = _decoder(column)
    kind = column.kind
    if kind == "text":  # mostly distinct (ids, names): read each cell, at the cost of a strip
        values = [ABSENT if raw is None else (raw.strip() or ABSENT) if type(raw) is str and raw[:1] != "'"
                  else one(raw) for raw in raws]
        blanks = ABSENT in values
        return DecodedColumn(values, [], blanks, blanks and values.count(ABSENT) == len(values))
    distinct = set(raws)
    types = set(map(type, distinct)) - {type(None)}
    if types - {str}:  # numbers: equal values of other types may have been merged above, so look at every cell
        types = set(map(type, raws)) - {type(None)}
    if kind in ("shares", "json") or len(types) > 1:
        values = [one(raw) for raw in raws]
        read = values
    else:
        memo = {raw: one(raw) for raw in distinct}
        values = list(map(memo.__getitem__, raws))
        if kind in ("list", "enum_list"):
            values = [v[:] if type(v) is list else v for v in values]  # no two items share one list
        read = memo.values()
    unreadable = [i for i, v in enumerate(values) if type(v) is Unreadable] \
        if any(type(v) is Unreadable for v in read) else []
    return DecodedColumn(values, unreadable, any(v is ABSENT for v in read), all(v is ABSENT for v in read))


# --------------------------------------------------------------------- encoding
def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _format_number(v: int | float) -> str:
    return json.dumps(v)


def encode(column: Column, value: Any) -> Any:
    """The cell for ``value`` (str, int or float); NotRepresentable when the column cannot carry it."""
    kind = column.kind
    if kind == "text" and isinstance(value, str):
        return value
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2 ** 53:
        return value
    if kind == "number" and _is_number(value) and (not isinstance(value, int) or abs(value) < 2 ** 53):
        return value
    if kind == "boolean" and isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "enum":
        if value is None and column.nullable:
            return "none"
        if isinstance(value, str) and value in column.choices:
            return value
    if kind == "date" and isinstance(value, str):
        return value
    if kind in ("list", "enum_list") and isinstance(value, list) and value \
            and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if kind == "shares" and isinstance(value, list) and value and all(
            isinstance(v, dict) and set(v) == {"party", "share"} and isinstance(v["party"], str)
            and _is_number(v["share"]) for v in value):
        return "; ".join(f"{v['party']}: {_format_number(v['share'])}" for v in value)
    if kind == "json":
        # Characters XML cannot hold are written as JSON escapes, so the cell holds the exact text.
        return xml_escape_json(json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False))
    raise NotRepresentable(column.name)


def same_value(a: Any, b: Any) -> bool:
    """JSON equality where 1 == 1.0 but True is not 1 (Excel stores every number as a float)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if _is_number(a) and _is_number(b):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def _cell_text_ok(text: str) -> bool:
    """Whether a text cell holds ``text`` exactly: within Excel's limit, no character XML cannot hold, and no
    carriage return (an XML reader turns it into a line feed). Anything else travels JSON-escaped in ``extra``."""
    return len(text) <= EXCEL_CELL_LIMIT and "\r" not in text and writable(text)


def representable(column: Column, value: Any) -> Any:
    """The cell for ``value`` if reading it back (from XLSX or CSV) gives ``value`` again, else raise."""
    kind = column.kind
    # Fast paths for the common cases, whose round trip is exact by construction (see decode).
    if kind == "text" and type(value) is str and value and value == value.strip():
        if not _cell_text_ok(value):
            raise NotRepresentable(column.name)
        return value
    if kind == "enum" and type(value) is str and value in column.choices:
        return value
    if kind in ("integer", "number") and type(value) is int and abs(value) < 2 ** 53:
        return value
    if kind == "number" and type(value) is float and math.isfinite(value):
        if float(f"{value:.15g}") != value:  # Excel keeps 15 significant digits; the exact value goes in extra
            raise NotRepresentable(column.name)
        return value
    if kind == "boolean" and type(value) is bool:
        return "yes" if value else "no"
    cell = encode(column, value)
    if isinstance(cell, str) and kind != "json" and not _cell_text_ok(cell):
        raise NotRepresentable(column.name)
    for raw in (cell, cell if isinstance(cell, str) else _format_number(cell)):
        try:
            back = decode(column, raw)
        except CellProblem:
            raise NotRepresentable(column.name) from None
        if back is ABSENT or not same_value(back, value):
            raise NotRepresentable(column.name)
    return cell


def suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def get_path(item: Any, path: tuple[str, ...]) -> Any:
    """The value at a dotted path of nested objects, or ``ABSENT``."""
    for part in path:
        if not isinstance(item, dict) or part not in item:
            return ABSENT
        item = item[part]
    return item
