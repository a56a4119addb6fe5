"""What changed between two versions of a model, item by item and field by field.

Parties, flows, clauses and scenarios are arrays of objects with an ``id``
(model-format.md), so items are matched by ``id``, not by position: inserting
a flow at the top shows as one added flow, not every flow changed. Within a
matched item the comparison recurses through objects and reports each leaf
field that differs by its dotted path (``legal_basis.article_9``); an array
value (``data.categories``) is compared as a whole, because its elements have
no identity of their own. ``partnership`` and ``assumptions`` are single
objects and are compared the same way; any other top-level member (``format``,
``x-…`` annotations) is reported under the section ``model``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Literal, Mapping

__all__ = ["Change", "diff_documents", "format_diff", "SECTIONS"]

Kind = Literal["added", "removed", "changed"]

KEYED_SECTIONS = ("parties", "flows", "clauses", "scenarios")
OBJECT_SECTIONS = ("partnership", "assumptions")
#: Sections in the order a diff lists them.
SECTIONS = ("partnership", "parties", "flows", "clauses", "scenarios", "assumptions", "model")

_MISSING = object()


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. ``item_id`` is None for the single-object sections; ``field`` is None when a
    whole item was added or removed (``old``/``new`` then hold the item)."""

    kind: Kind
    section: str
    item_id: str | None
    field: str | None
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "section": self.section, "item": self.item_id, "field": self.field,
                "old": self.old, "new": self.new}


def _fields(old: Any, new: Any, prefix: str) -> Iterable[tuple[Kind, str, Any, Any]]:
    """Leaf differences between two values, as (kind, dotted path, old, new)."""
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in list(old) + [k for k in new if k not in old]:
            path = f"{prefix}.{key}" if prefix else str(key)
            a, b = old.get(key, _MISSING), new.get(key, _MISSING)
            if a is _MISSING:
                yield "added", path, None, b
            elif b is _MISSING:
                yield "removed", path, a, None
            else:
                yield from _fields(a, b, path)
    elif not _same(old, new):
        yield "changed", prefix, old, new


def _same(a: Any, b: Any) -> bool:
    # 1 and 1.0 are the same number to a user, but True is not 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return type(a) is type(b) and a == b or (
        isinstance(a, (int, float)) and isinstance(b, (int, float)) and a == b)


def _keyed(items: Any) -> dict[str, Any]:
    """Items by id; an item without a usable or unique id is keyed by its position (``#3``)."""
    out: dict[str, Any] = {}
    for i, item in enumerate(items if isinstance(items, list) else ()):
        key = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(key, str) or key in out:
            key = f"#{i}"
        out[key] = item
    return out


def diff_documents(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """Every difference from ``old`` to ``new``, section by section in model order."""
    changes: list[Change] = []
    for section in SECTIONS:
        if section in KEYED_SECTIONS:
            a, b = _keyed(old.get(section)), _keyed(new.get(section))
            for key, item in a.items():
                if key not in b:
                    changes.append(Change("removed", section, key, None, item, None))
                else:
                    for kind, path, x, y in _fields(item, b[key], ""):
                        changes.append(Change(kind, section, key, path or None, x, y))
            changes.extend(Change("added", section, key, None, None, item) for key, item in b.items() if key not in a)
            common_a = [k for k in a if k in b]
            common_b = [k for k in b if k in a]
            if common_a != common_b:
                changes.append(Change("changed", section, None, "order", common_a, common_b))
        elif section in OBJECT_SECTIONS:
            a, b = old.get(section, _MISSING), new.get(section, _MISSING)
            if a is _MISSING and b is _MISSING:
                continue
            if a is _MISSING or b is _MISSING or not (isinstance(a, Mapping) and isinstance(b, Mapping)):
                if a is _MISSING:
                    changes.append(Change("added", section, None, None, None, b))
                elif b is _MISSING:
                    changes.append(Change("removed", section, None, None, a, None))
                elif not _same(a, b):
                    changes.append(Change("changed", section, None, None, a, b))
                continue
            changes.extend(Change(kind, section, None, path, x, y) for kind, path, x, y in _fields(a, b, ""))
        else:
            rest_a = {k: v for k, v in old.items() if k not in SECTIONS}
            rest_b = {k: v for k, v in new.items() if k not in SECTIONS}
            changes.extend(Change(kind, "model", None, path, x, y) for kind, path, x, y in _fields(rest_a, rest_b, ""))
    return changes


def _show(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_diff(changes: Iterable[Change]) -> str:
    """One readable line per change, e.g. ``~ flows/f1 purpose: "direct_care" -> "planning"``."""
    lines = []
    for c in changes:
        where = c.section if c.item_id is None else f"{c.section}/{c.item_id}"
        mark = {"added": "+", "removed": "-", "changed": "~"}[c.kind]
        if c.field is None:
            if c.kind == "changed":
                lines.append(f"~ {where}: {_show(c.old)} -> {_show(c.new)}")
            elif c.item_id is not None:
                lines.append(f"{mark} {where}")
            else:
                lines.append(f"{mark} {where}: {_show(c.new if c.kind == 'added' else c.old)}")
        elif c.kind == "changed":
            lines.append(f"~ {where} {c.field}: {_show(c.old)} -> {_show(c.new)}")
        else:
            lines.append(f"{mark} {where} {c.field}: {_show(c.new if c.kind == 'added' else c.old)}")
    return "\n".join(lines)
