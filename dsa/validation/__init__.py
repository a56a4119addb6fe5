"""``validate(doc)``: every finding at once — schema, then referential, then IG rules."""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from ..findings import Finding, sort_findings
from ..settings import ValidationSettings
from . import references as _references  # noqa: F401  (registers REF rules)
from . import ig_rules as _ig_rules  # noqa: F401  (registers IG rules)
from .registry import RULES, Rule, RuleContext
from .schema import schema_findings

__all__ = ["validate", "RULES", "Rule", "RuleContext"]

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
    """Findings of ``rules`` over every well-formed item; ``strict`` re-raises a rule's crash."""
    out: list[Finding] = []
    by_scope: dict[str, list[Rule]] = {}
    for r in rules:
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
                    out.extend(f.relative_to(*prefix) for f in found)
    return out


def validate(doc: Any, *, settings: ValidationSettings | None = None,
             previous: Mapping[str, Any] | None = None) -> list[Finding]:
    """Every problem in ``doc``, sorted by path then rule; never raises on a JSON value.

    Args:
        doc: the parsed model document (any JSON value; a non-object is one schema finding).
        settings: rule thresholds and the date counted as today.
        previous: the previous saved version, for rules that compare versions (IG029).
    """
    settings = settings or ValidationSettings()
    findings = list(schema_findings(doc))
    if not isinstance(doc, dict):
        return sort_findings(findings)
    ctx = RuleContext(doc=doc, settings=settings, parties=_well_formed_parties(doc), previous=previous)
    # On a schema-valid document a crashing rule is a bug, and must surface in the tests.
    findings.extend(run_rules(doc, RULES.values(), ctx, strict=not findings))
    return sort_findings(set(findings))
