"""The findings of one validation, kept as rows and turned into :class:`Finding` objects only on demand.

A first import of a national register has 400,000 findings. Making an object of each, hashing them to
drop duplicates and sorting them by a per-finding key costs more than every rule together, so findings
stay plain tuples: flow findings as ``(flow index, path within the flow, rule, severity, message, fix)``,
sorted by one integer each, and the few others (schema, model, party, clause and scenario findings) as
:class:`Finding` objects sorted the usual way and put before or after the flows. The order is exactly
:func:`dsa.findings.sort_findings`'s: by path (indexes numerically), then rule.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Iterable, Iterator

from ..findings import Finding, Severity, _sort_key_part, escape_token, to_pointer

FlowRow = tuple  # (flow index, relative path, rule, severity, message, fix)
_FLOWS_START = ((1, 0, "flows"), (0, -1, ""))  # sorts after every path before /flows/0, before /flows/0


def _flow_part(f: Finding) -> bool:
    p = f.path
    return len(p) >= 2 and p[0] == "flows" and isinstance(p[1], int) and not isinstance(p[1], bool)


class Report:
    """Every finding of one document, in output order; counts and JSON rows without making objects."""

    def __init__(self, flow_rows: list[FlowRow], others: Iterable[Finding]):
        others = list(dict.fromkeys(others))  # the same finding from two places is one finding
        flow_rows = flow_rows + [(f.path[1], f.path[2:], f.rule, f.severity, f.message, f.fix)
                                 for f in others if _flow_part(f)]
        rest = sorted((f for f in others if not _flow_part(f)), key=Finding.sort_key)
        self._before = [f for f in rest if f.sort_key()[0] < _FLOWS_START]
        self._after = rest[len(self._before):]
        self._flows = _sorted_unique(flow_rows)

    # ------------------------------------------------------------------ counts

    def count(self, severity: Severity) -> int:
        return (sum(1 for r in self._flows if r[3] is severity)
                + sum(1 for f in self._before if f.severity is severity)
                + sum(1 for f in self._after if f.severity is severity))

    def __len__(self) -> int:
        return len(self._before) + len(self._flows) + len(self._after)

    # ------------------------------------------------------------------ views

    def findings(self) -> list[Finding]:
        """Every finding as an object, sorted by path then rule."""
        return [*self._before, *(Finding(r[2], r[3], ("flows", r[0], *r[1]), r[4], r[5]) for r in self._flows),
                *self._after]

    def dicts(self) -> Iterator[dict]:
        """Every finding as its JSON object (cli.md), in order, without making Finding objects."""
        for f in self._before:
            yield f.to_dict()
        pointers: dict[tuple, str] = {}
        for i, rel, rule, severity, message, fix in self._flows:
            tail = pointers.get(rel)
            if tail is None:
                tail = pointers[rel] = to_pointer(rel)
            yield {"rule": rule, "severity": severity.value, "path": f"/flows/{i}{tail}", "message": message,
                   "fix": fix}
        for f in self._after:
            yield f.to_dict()


def _sorted_unique(rows: list[FlowRow]) -> list[FlowRow]:
    """Flow rows by (flow index, path within the flow, rule), ties in the order the rules gave them,
    exact duplicates dropped."""
    if not rows:
        return rows
    kinds = {(r[1], r[2]) for r in rows}
    ranked = sorted(kinds, key=lambda k: (tuple(_sort_key_part(p) for p in k[0]), k[1]))
    rank = {k: n for n, k in enumerate(ranked)}
    width = len(ranked)
    keyed = sorted(((r[0] * width + rank[(r[1], r[2])], r) for r in rows), key=itemgetter(0))
    out: list[FlowRow] = []
    last_code, seen = None, None
    for code, row in keyed:
        if code != last_code:
            last_code, seen = code, {row[3:]}
            out.append(row)
        elif row[3:] not in seen:
            seen.add(row[3:])
            out.append(row)
    return out


__all__ = ["Report", "escape_token"]
