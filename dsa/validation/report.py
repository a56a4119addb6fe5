"""The findings of one validation, kept as rows and turned into :class:`Finding` objects only on demand.

A first import of a national register has 400,000 findings. Making an object of each, hashing them to
drop duplicates and sorting them by a per-finding key costs more than every rule together, so flow
findings stay the rows the rules yield — ``(position, path within the flow, message, fix[, severity])``,
in one batch per rule — and are put in order by one integer each (flow index × kinds + the rank of
(path within the flow, rule)), sorted by NumPy. The few other findings (schema, model, party, clause
and scenario) are :class:`Finding` objects sorted the usual way and put before or after the flows. The
order is exactly :func:`dsa.findings.sort_findings`'s: by path (indexes numerically), then rule; ties
keep the order the rules gave them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

from ..findings import Finding, Severity, _sort_key_part, to_pointer

_FLOWS_START = ((1, 0, "flows"), (0, -1, ""))  # after every path that sorts before /flows/0


@dataclass(frozen=True, slots=True)
class Batch:
    """One rule's flow findings: rows ``(position, path within the flow, message, fix[, severity])``;
    ``index[position]`` is the flow's index in the document (None: the position is the index)."""

    rule: str
    severity: Severity
    rows: list
    index: Sequence[int] | None = None


def _flow_part(f: Finding) -> bool:
    p = f.path
    return len(p) >= 2 and p[0] == "flows" and isinstance(p[1], int) and not isinstance(p[1], bool)


def _path_key(path: tuple) -> tuple:
    return tuple(_sort_key_part(p) for p in path)


class Report:
    """Every finding of one document, in output order; counts and JSON objects without making Findings."""

    def __init__(self, batches: list[Batch], others: Iterable[Finding]):
        others = list(dict.fromkeys(others))  # the same finding from two places is one finding
        by_rule: dict[str, list] = {}
        for f in others:
            if _flow_part(f):
                by_rule.setdefault(f.rule, []).append((f.path[1], f.path[2:], f.message, f.fix, f.severity))
        self._batches = [b for b in batches if b.rows] + [
            Batch(rule, Severity.ERROR, rows) for rule, rows in by_rule.items()]
        rest = sorted((f for f in others if not _flow_part(f)), key=Finding.sort_key)
        self._before = [f for f in rest if f.sort_key()[0] < _FLOWS_START]
        self._after = rest[len(self._before):]
        self._order = self._sort()
        self._counted: dict | None = None

    # ------------------------------------------------------------------ order

    def _sort(self) -> list[int]:
        """Positions in the batches laid end to end, in output order, exact duplicates dropped."""
        batches = self._batches
        if not batches:
            return []
        paths = [{r[1] for r in b.rows} for b in batches]
        kinds = sorted({(p, b.rule) for b, ps in zip(batches, paths) for p in ps},
                       key=lambda k: (_path_key(k[0]), k[1]))
        rank = {k: n for n, k in enumerate(kinds)}
        width = len(kinds)
        codes: list[int] = []
        for b, ps in zip(batches, paths):
            ranks = {p: rank[(p, b.rule)] for p in ps}
            index = b.index
            if index is None:
                codes.extend([r[0] * width + ranks[r[1]] for r in b.rows])
            else:
                codes.extend([index[r[0]] * width + ranks[r[1]] for r in b.rows])
        codes_arr = np.fromiter(codes, dtype=np.int64, count=len(codes))
        order_arr = np.argsort(codes_arr, kind="stable")
        sorted_codes = codes_arr[order_arr]
        order = order_arr.tolist()
        repeated = np.flatnonzero(sorted_codes[1:] == sorted_codes[:-1]) + 1
        if repeated.size:
            flat = self._flat_rows()
            drop = set()
            groups: dict[int, set] = {}
            for k in repeated.tolist():
                group = groups.setdefault(int(sorted_codes[k]), {flat[order[k - 1]][1:]})
                what = flat[order[k]][1:]
                if what in group:
                    drop.add(k)
                group.add(what)
            order = [p for k, p in enumerate(order) if k not in drop]
        return order

    def _flat_rows(self) -> list[tuple]:
        """(batch, severity, message, fix) of every row, batches laid end to end."""
        return [(n, row[4] if len(row) > 4 else b.severity, row[2], row[3])
                for n, b in enumerate(self._batches) for row in b.rows]

    # ------------------------------------------------------------------ counts

    def count(self, severity: Severity) -> int:
        return self._counts().get(severity, 0)

    def _counts(self) -> dict:
        if self._counted is None:
            counts: dict = {}
            for f in (*self._before, *self._after):
                counts[f.severity] = counts.get(f.severity, 0) + 1
            severities = [row[4] if len(row) > 4 else b.severity for b in self._batches for row in b.rows]
            for sev, n in Counter([severities[k] for k in self._order]).items():
                counts[sev] = counts.get(sev, 0) + n
            self._counted = counts
        return self._counted

    def __len__(self) -> int:
        return len(self._before) + len(self._order) + len(self._after)

    # ------------------------------------------------------------------ views

    def findings(self) -> list[Finding]:
        """Every finding as an object, sorted by path then rule."""
        made = [Finding(b.rule, row[4] if len(row) > 4 else b.severity,
                        ("flows", row[0] if b.index is None else b.index[row[0]], *row[1]), row[2], row[3])
                for b in self._batches for row in b.rows]
        return [*self._before, *[made[k] for k in self._order], *self._after]

    def dicts(self) -> list[dict]:
        """Every finding as its JSON object (cli.md), in order, without making Finding objects."""
        pointers = {rel: to_pointer(rel) for b in self._batches for rel in {row[1] for row in b.rows}}
        made: list[dict] = []
        for b in self._batches:
            rule, default, index = b.rule, b.severity.value, b.index
            if index is None:
                index = _Identity()
            made.extend([{"rule": rule, "severity": row[4].value if len(row) > 4 else default,
                          "path": f"/flows/{index[row[0]]}{pointers[row[1]]}", "message": row[2], "fix": row[3]}
                         for row in b.rows])
        return [*(f.to_dict() for f in self._before), *[made[k] for k in self._order],
                *(f.to_dict() for f in self._after)]


class _Identity:
    """An index that maps each position to itself."""

    def __getitem__(self, k: int) -> int:
        return k
