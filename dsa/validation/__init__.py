"""``validate(doc)``: every finding at once — schema, then referential, then IG rules."""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from ..findings import Finding
from ..settings import ValidationSettings
from . import references as _references  # noqa: F401  (registers REF rules)
from . import ig_rules as _ig_rules  # noqa: F401  (registers IG rules)
from .columns import Flows
from .registry import RULES, Rule, RuleContext
from .report import Batch, Report
from .schema import schema_findings

__all__ = ["validate", "check", "Report", "RULES", "Rule", "RuleContext"]

_SCOPE_KEYS = {"party": "parties", "flow": "flows", "clause": "clauses", "scenario": "scenarios"}
# A malformed part of an invalid document may trip a rule; the schema reports that part.
_MALFORMED = (KeyError, TypeError, AttributeError, ValueError, IndexError)


def _well_formed_parties(doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    parties: dict[str, Mapping[str, Any]] = {}
    items = doc.get("parties")
    for p in items if isinstance(items, list) else ():
        if isinstance(p, dict) and isinstance(p.get("id"), str):
            parties.setdefault(p["id"], p)
    return parties


def _items(doc: Mapping[str, Any], scope: str) -> Iterator[tuple[tuple, Any]]:
    if scope == "model":
        yield (), doc
        return
    key = _SCOPE_KEYS[scope]
    items = doc.get(key)
    for i, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, dict):
            yield (key, i), item


def run_rules(doc: Mapping[str, Any], rules: Iterable[Rule], ctx: RuleContext, *, strict: bool) -> list[Finding]:
    """Findings of the item rules (model, party, clause, scenario) over every well-formed item;
    ``strict`` re-raises a rule's crash."""
    out: list[Finding] = []
    by_scope: dict[str, list[Rule]] = {}
    for r in rules:
        if r.scope != "flow":
            by_scope.setdefault(r.scope, []).append(r)
    for scope, scoped in by_scope.items():
        checks = [r.check for r in scoped]
        for prefix, item in _items(doc, scope):
            for check in checks:
                try:
                    found = list(check(item, ctx))
                except _MALFORMED:
                    if strict:
                        raise
                    continue
                if found:
                    out.extend(f.relative_to(*prefix) for f in found) if prefix else out.extend(found)
    return out


def run_flow_rules(flows: Flows, rules: Iterable[Rule], ctx: RuleContext, *, strict: bool) -> list[Batch]:
    """One batch of rows per flow rule, each rule run once over all flows as columns. Should a malformed
    flow trip a rule, that rule runs again flow by flow, so the flow hides only its own findings (the
    schema reports it)."""
    out: list[Batch] = []
    for r in rules:
        if r.scope != "flow":
            continue
        try:
            rows = list(r.check(flows, ctx))
        except _MALFORMED:
            if strict:
                raise
            rows = []
            for j, (i, item) in enumerate(zip(flows.index, flows.items)):
                try:
                    rows.extend((j, *row[1:]) for row in r.check(Flows([(i, item)]), ctx))
                except _MALFORMED:
                    continue
        out.append(Batch(r.id, r.severity, rows, flows.index))
    return out


def check(doc: Any, *, settings: ValidationSettings | None = None,
          previous: Mapping[str, Any] | None = None) -> Report:
    """Every problem in ``doc`` as a :class:`Report` (rows, made into findings only when asked)."""
    settings = settings or ValidationSettings()
    schema = list(schema_findings(doc))
    if not isinstance(doc, dict):
        return Report([], schema)
    flows = Flows.of(doc)
    ctx = RuleContext(doc=doc, settings=settings, parties=_well_formed_parties(doc), previous=previous, flows=flows)
    # On a schema-valid document a crashing rule is a bug, and must surface in the tests.
    strict = not schema
    batches = run_flow_rules(flows, RULES.values(), ctx, strict=strict)
    return Report(batches, schema + run_rules(doc, RULES.values(), ctx, strict=strict))


def validate(doc: Any, *, settings: ValidationSettings | None = None,
             previous: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every problem in ``doc``, sorted by path then rule; never raises on a JSON value.

    Args:
        doc: the parsed model document (any JSON value; a non-object is one schema finding).
        settings: rule thresholds and the date counted as today.
        previous: the previous saved version, for rules that compare versions (IG029).
    """
    return check(doc, settings=settings, previous=previous).findings()
