"""The rule registry: every referential and IG rule, by stable id, in one table.

A rule is a small generator named after what it checks, registered with its id,
severity, legal source and title; its findings carry the message and the fix.

- Flow rules (scope ``flow``) run once over all flows as columns
  (:class:`dsa.validation.columns.Flows`) and yield rows
  ``(j, path, message, fix[, severity])``: ``j`` is the flow's position in the
  columns, ``path`` is relative to the flow; the driver adds ``/flows/<i>``.
  A national register is 50,000 flows: one pass per column, not per flow.
- Other rules receive one item of the document (a party, a clause, a scenario,
  or the whole document for model-wide rules) as the raw JSON value and yield
  findings whose paths are relative to that item.

Rules must be defensive: the document may be schema-invalid, so read it through
:mod:`dsa.validation.access` (or the typed columns) and yield nothing for parts
that are not well-formed enough to judge (the schema reports those).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping

from ..findings import Finding, PathPart, Severity
from ..settings import ValidationSettings

SCOPES = ("model", "party", "flow", "clause", "scenario")


@dataclass(frozen=True)
class RuleContext:
    """What every rule may consult besides the item it checks."""

    doc: Mapping[str, Any]
    settings: ValidationSettings
    parties: Mapping[str, Mapping[str, Any]]  # well-formed parties by id (first of duplicates)
    previous: Mapping[str, Any] | None = None  # the previous saved version, where the store has one
    flows: Any = None  # the document's flows as columns (dsa.validation.columns.Flows), read once


Check = Callable[[Any, RuleContext], Iterator[Finding]]
# A flow rule's finding: (position in the columns, path relative to the flow, message, fix[, severity]).
Row = tuple


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity          # the usual severity; a rule may yield others (IG021 is W or E)
    scope: str                  # one of SCOPES
    title: str                  # one line: what the rule requires
    source: str                 # one line: the legal source
    check: Check = field(repr=False)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, scope: str, title: str, source: str) -> Callable[[Check], Check]:
    """Register ``check`` under ``rule_id``; ids are unique and stable."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def register(check: Check) -> Check:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, scope, title, source, check)
        return check

    return register


def finding(rule_id: str, path: tuple[PathPart, ...] | list[PathPart], message: str, fix: str,
            severity: Severity | None = None) -> Finding:
    """A finding of a registered rule, at its usual severity unless one is given."""
    sev = severity if severity is not None else RULES[rule_id].severity
    return Finding(rule_id, sev, tuple(path), message, fix)
