"""The findings of one validation, kept as rows and turned into :class:`Finding` objects only on demand.

A first import of a national register has 400,000 findings. Making an object of each, hashing them to
drop duplicates and sorting them by a per-finding key costs more than every rule together, so flow
findings stay the rows the rules yield — ``(position, path within the flow, message, fix[, severity])``,
in one batch per rule — and are put in order by one integer each (flow index × kinds + the rank of
(path within the flow, rule)), sorted by one stable sort (each rule's rows are already in flow order, so
the sort merges runs). The few other findings (schema, model, party, clause
and scenario) are :class:`Finding` objects sorted the usual way and put before or after the flows. The
order is exactly :func:`dsa.findings.sort_findings`'s: by path (indexes numerically), then rule; ties
keep the order the rules gave them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from ..findings import BLOCKING_PREFIXES, Finding, Severity, _sort_key_part, to_pointer

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
        self._dropped: set[int] = set()
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
        order = sorted(range(len(codes)), key=codes.__getitem__)  # stable: ties keep the rules' order
        if len(set(codes)) == len(codes):
            return order
        flat = self._flat_rows()
        groups: dict[int, set] = {}
        for k in range(1, len(order)):
            code = codes[order[k]]
            if code != codes[order[k - 1]]:
                continue
            group = groups.setdefault(code, {flat[order[k - 1]][1:]})
            what = flat[order[k]][1:]
            if what in group:
                self._dropped.add(order[k])
            group.add(what)
        dropped = self._dropped
        return [p for p in order if p not in dropped] if dropped else order

    def _flat_rows(self) -> list[tuple]:
        """(batch, severity, message, fix) of every row, batches laid end to end."""
        return [(n, row[4] if len(row) > 4 else b.severity, row[2], row[3])
                for n, b in enumerate(self._batches) for row in b.rows]

    # ------------------------------------------------------------------ counts

    def count(self, severity: Severity) -> int:
        return self._counts().get(severity, 0)

    def count_blocking(self) -> int:
        """Errors that stop the model being read (``dsa.findings.is_blocking``: schema and reference ones)."""
        count = sum(1 for f in (*self._before, *self._after)
                    if f.severity is Severity.ERROR and f.rule.startswith(BLOCKING_PREFIXES))
        dropped, start = self._dropped, 0
        for b in self._batches:
            rows = b.rows
            if b.rule.startswith(BLOCKING_PREFIXES):  # few batches: their rows are looked at one by one
                count += sum(1 for k, row in enumerate(rows, start) if k not in dropped
                             and (row[4] if len(row) > 4 else b.severity) is Severity.ERROR)
            start += len(rows)
        return count

    def _counts(self) -> dict:
        if self._counted is None:
            counts: dict = {}
            for f in (*self._before, *self._after):
                counts[f.severity] = counts.get(f.severity, 0) + 1
            dropped, start = self._dropped, 0
            for b in self._batches:
                rows = b.rows
                if not _own_severities(rows):
                    kept = len(rows) - sum(1 for p in dropped if start <= p < start + len(rows))
                    counts[b.severity] = counts.get(b.severity, 0) + kept
                else:
                    for k, row in enumerate(rows, start):
                        if k not in dropped:
                            sev = row[4] if len(row) > 4 else b.severity
                            counts[sev] = counts.get(sev, 0) + 1
                start += len(rows)
            self._counted = counts
        return self._counted

    @property
    def after_count(self) -> int:
        """How many findings come after the flows' (their paths sort after every /flows/… path)."""
        return len(self._after)

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
        made: list[dict] = []
        prefixes: dict[int, list[str]] = {}  # "/flows/<i>" at each position of an index, made once per index
        # (the batches share one, kept alive by them, so its id stays its own)
        for b in self._batches:
            rule, default, index, rows = b.rule, b.severity.value, b.index, b.rows
            pointers = {rel: to_pointer(rel) for rel in {row[1] for row in rows}}
            if index is None:  # positions are flow indexes (findings of the item rules)
                where = {j: f"/flows/{j}" for j in {row[0] for row in rows}}
            elif id(index) in prefixes:
                where = prefixes[id(index)]
            else:
                where = prefixes[id(index)] = [f"/flows/{i}" for i in index]
            if _own_severities(rows):
                made.extend([{"rule": rule, "severity": row[4].value if len(row) > 4 else default,
                              "path": where[row[0]] + pointers[row[1]], "message": row[2], "fix": row[3]}
                             for row in rows])
            else:
                made.extend([{"rule": rule, "severity": default, "path": where[row[0]] + pointers[row[1]],
                              "message": row[2], "fix": row[3]} for row in rows])
        return [*(f.to_dict() for f in self._before), *[made[k] for k in self._order],
                *(f.to_dict() for f in self._after)]


def _own_severities(rows: list) -> bool:
    """Whether any row carries its own severity (a fifth item)."""
    return max(map(len, rows), default=0) > 4
