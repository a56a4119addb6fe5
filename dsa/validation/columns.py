"""The model's flows as columns: one list per field across all flows, read once, defensively.

Flow rules run over these columns instead of flow by flow, so a national register (50,000 flows)
costs one list comprehension per field a rule reads. Position ``j`` in every column is the ``j``-th
flow that is an object; ``index[j]`` is its place in the document's ``flows``. Values that are not of
the expected JSON type read as None, exactly as :mod:`dsa.validation.access` reads them, so a
malformed flow is judged the same way whichever way it is checked.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Mapping


# Safeguarding shares are for the individual's care and protection (HSCA 2012 s.251B, Children Act 2004,
# Care Act 2014), so the rules treat them as care, not secondary use.
CARE_PURPOSES = frozenset({"direct_care", "safeguarding"})
# Identifiable or pseudonymised: personal data, and confidential patient information.
PERSONAL = frozenset({"identifiable", "pseudonymised"})


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _obj(v: Any) -> dict | None:
    return v if isinstance(v, dict) else None


def _bool(v: Any) -> bool | None:
    return v if isinstance(v, bool) else None


def _num(v: Any) -> float | None:
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _list(v: Any) -> list | None:
    return v if isinstance(v, list) else None


class Flows:
    """Column views of the well-formed (object) flows of one document; each column is computed once."""

    def __init__(self, items: list[tuple[int, dict]]):
        self.index = [i for i, _ in items]
        self.items = [f for _, f in items]
        self._made: dict[tuple[str, str], list] = {}  # the columns read by key, each made once

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> "Flows":
        flows = doc.get("flows")
        if not isinstance(flows, list):
            return cls([])
        if all(isinstance(f, dict) for f in flows):  # the usual case: positions are the flows' indexes
            made = cls([])
            made.index, made.items = range(len(flows)), list(flows)
            return made
        return cls([(i, f) for i, f in enumerate(flows) if isinstance(f, dict)])

    def __len__(self) -> int:
        return len(self.items)

    def part(self, positions: range) -> "Flows":
        """The flows at ``positions``, with every column already read sliced rather than read again."""
        start, stop = positions.start, positions.stop
        made = Flows([])
        made.index, made.items = self.index[start:stop], self.items[start:stop]
        count = len(self.items)
        for name, column in vars(self).items():  # the cached properties' columns
            if name not in ("index", "items", "_made") and isinstance(column, list) and len(column) == count:
                setattr(made, name, column[start:stop])
        made._made = {key: column[start:stop] for key, column in self._made.items()}
        return made

    # ------------------------------------------------------------------ helpers

    def _field(self, key: str) -> list:
        return [f.get(key) for f in self.items]

    @staticmethod
    def _sub(objects: list, key: str) -> list:
        return [o.get(key) if o is not None else None for o in objects]

    # Typed reads, written out (no call per value): a national register reads each column 50,000 times.
    def _field_str(self, key: str) -> list:
        return [v if isinstance(v := f.get(key), str) else None for f in self.items]

    def _field_obj(self, key: str) -> list:
        return [v if isinstance(v := f.get(key), dict) else None for f in self.items]

    @staticmethod
    def _sub_str(objects: list, key: str) -> list:
        return [(v if isinstance(v := o.get(key), str) else None) if o is not None else None for o in objects]

    @staticmethod
    def _sub_bool(objects: list, key: str) -> list:
        return [(v if isinstance(v := o.get(key), bool) else None) if o is not None else None for o in objects]

    # ------------------------------------------------------------------ the flow itself

    @cached_property
    def id(self) -> list:
        return self._field("id")

    @cached_property
    def source(self) -> list:
        """``from`` as given (any JSON value)."""
        return self._field("from")

    @cached_property
    def target(self) -> list:
        """``to`` as given (any JSON value)."""
        return self._field("to")

    @cached_property
    def source_id(self) -> list:
        return [v if isinstance(v, str) else None for v in self.source]

    @cached_property
    def target_id(self) -> list:
        return [v if isinstance(v, str) else None for v in self.target]

    @cached_property
    def label(self) -> list[str]:
        """'Flow 'name'' as people call it (its name, else its id, else just 'Flow')."""
        out = []
        for f in self.items:
            name = f.get("name")
            if not isinstance(name, str) or not name:
                name = f.get("id")
                if not isinstance(name, str) or not name:
                    out.append("Flow")
                    continue
            out.append(f"Flow '{name}'")
        return out

    @cached_property
    def purpose(self) -> list:
        return self._field_str("purpose")

    @cached_property
    def relationship(self) -> list:
        return self._field_str("relationship")

    @cached_property
    def joint_controllers(self) -> list:
        return [v if isinstance(v := f.get("joint_controllers"), list) else None for f in self.items]

    # ------------------------------------------------------------------ data

    @cached_property
    def data(self) -> list:
        return self._field_obj("data")

    @cached_property
    def identifiability(self) -> list:
        return self._sub_str(self.data, "identifiability")

    @cached_property
    def personal(self) -> list[bool]:
        """Identifiable or pseudonymised: personal data, and confidential patient information."""
        return [v in PERSONAL for v in self.identifiability]

    @cached_property
    def care(self) -> list[bool]:
        return [v in CARE_PURPOSES for v in self.purpose]

    def data_bool(self, key: str) -> list:
        return self._once("data_bool", key, lambda k: self._sub_bool(self.data, k))

    @cached_property
    def records(self) -> list:
        return [_num(o.get("records")) if o is not None else None for o in self.data]

    @cached_property
    def categories(self) -> list:
        return [(v if isinstance(v := o.get("categories"), list) else None) if o is not None else None
                for o in self.data]

    @cached_property
    def record_type(self) -> list:
        return self._sub_str(self.data, "record_type")

    # ------------------------------------------------------------------ legal basis

    @cached_property
    def legal_basis(self) -> list:
        return self._field_obj("legal_basis")

    def basis_str(self, key: str) -> list:
        return self._once("basis_str", key, lambda k: self._sub_str(self.legal_basis, k))

    @cached_property
    def article_6(self) -> list:
        return self.basis_str("article_6")

    @cached_property
    def article_9(self) -> list:
        return self.basis_str("article_9")

    @cached_property
    def common_law(self) -> list:
        return self.basis_str("common_law")

    @cached_property
    def legal_power(self) -> list:
        return self.basis_str("legal_power")

    # ------------------------------------------------------------------ other facts

    def _once(self, kind: str, key: str, make) -> list:
        column = self._made.get((kind, key))
        if column is None:
            column = self._made[(kind, key)] = make(key)
        return column

    def raw(self, key: str) -> list:
        """A top-level field as given (any JSON value, None when absent)."""
        return self._once("raw", key, self._field)

    def strs(self, key: str) -> list:
        return self._once("str", key, self._field_str)

    def objs(self, key: str) -> list:
        return self._once("obj", key, self._field_obj)

    def nums(self, key: str) -> list:
        return self._once("num", key, lambda k: [_num(v) for v in self._field(k)])

    def bools(self, key: str) -> list:
        return self._once("bool", key, lambda k: [_bool(v) for v in self._field(k)])

    @cached_property
    def transfer(self) -> list:
        return self._field_obj("transfer")

    sub = _sub
    sub_str = _sub_str
    sub_bool = _sub_bool


def as_str(v: Any) -> str | None:
    return _str(v)


def as_obj(v: Any) -> dict | None:
    return _obj(v)


def as_bool(v: Any) -> bool | None:
    return _bool(v)


def as_num(v: Any) -> float | None:
    return _num(v)


def as_list(v: Any) -> list | None:
    return _list(v)
