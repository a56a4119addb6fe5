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

from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

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

    # ------------------------------------------------------------------ order

    def _sort(self) -> list[tuple[int, int]]:
        """(batch, row) pairs in output order, exact duplicates dropped."""
        batches = self._batches
        if not batches:
            return []
        paths = [{r[1] for r in b.rows} for b in batches]
        kinds = sorted({(p, b.rule) for b, ps in zip(batches, paths) for p in ps},
                       key=lambda k: (_path_key(k[0]), k[1]))
        rank = {k: n for n, k in enumerate(kinds)}
        width = len(kinds)
        codes = []
        for b, ps in zip(batches, paths):
            ranks = {p: rank[(p, b.rule)] for p in ps}
            index = b.index
            if index is None:
                codes.extend(r[0] * width + ranks[r[1]] for r in b.rows)
            else:
                codes.extend(index[r[0]] * width + ranks[r[1]] for r in b.rows)
        codes_arr = np.fromiter(codes, dtype=np.int64, count=len(codes))
        order = np.argsort(codes_arr, kind="stable")
        sorted_codes = codes_arr[order]
        starts = np.cumsum([0] + [len(b.rows) for b in batches])
        batch_of = np.searchsorted(starts, order, side="right") - 1
        row_of = order - starts[batch_of]
        pairs = list(zip(batch_of.tolist(), row_of.tolist()))
        repeated = np.flatnonzero(sorted_codes[1:] == sorted_codes[:-1]) + 1
        if repeated.size:
            drop = set()
            seen: dict[int, set] = {}
            for k in repeated.tolist():
                code = int(sorted_codes[k])
                group = seen.setdefault(code, {self._what(*pairs[k - 1])})
                what = self._what(*pairs[k])
                if what in group:
                    drop.add(k)
                group.add(what)
            pairs = [p for k, p in enumerate(pairs) if k not in drop]
        return pairs

    def _what(self, b: int, r: int) -> tuple:
        row = self._batches[b].rows[r]
        return (row[4] if len(row) > 4 else self._batches[b].severity, row[2], row[3])

    # ------------------------------------------------------------------ counts

    def count(self, severity: Severity) -> int:
        n = sum(1 for f in self._before if f.severity is severity) + sum(1 for f in self._after
                                                                         if f.severity is severity)
        batches = self._batches
        for b, r in self._order:
            batch = batches[b]
            row = batch.rows[r]
            if (row[4] if len(row) > 4 else batch.severity) is severity:
                n += 1
        return n

    def __len__(self) -> int:
        return len(self._before) + len(self._order) + len(self._after)

    # ------------------------------------------------------------------ views

    def _flow_rows(self) -> Iterator[tuple]:
        """(flow index, path within the flow, rule, severity, message, fix) in order."""
        batches = self._batches
        for b, r in self._order:
            batch = batches[b]
            row = batch.rows[r]
            i = row[0] if batch.index is None else batch.index[row[0]]
            yield i, row[1], batch.rule, row[4] if len(row) > 4 else batch.severity, row[2], row[3]

    def findings(self) -> list[Finding]:
        """Every finding as an object, sorted by path then rule."""
        return [*self._before,
                *(Finding(rule, sev, ("flows", i, *rel), msg, fix) for i, rel, rule, sev, msg, fix in self._flow_rows()),
                *self._after]

    def dicts(self) -> Iterator[dict]:
        """Every finding as its JSON object (cli.md), in order, without making Finding objects."""
        for f in self._before:
            yield f.to_dict()
        pointers: dict[tuple, str] = {}
        for i, rel, rule, severity, message, fix in self._flow_rows():
            tail = pointers.get(rel)
            if tail is None:
                tail = pointers[rel] = to_pointer(rel)
            yield {"rule": rule, "severity": severity.value, "path": f"/flows/{i}{tail}", "message": message,
                   "fix": fix}
        for f in self._after:
            yield f.to_dict()
