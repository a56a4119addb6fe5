"""One validation in parts, so that a large model's can run on two cores (``dsa validate`` does that).

A document's findings are its flow rules' findings, flow by flow, plus the item rules' (model, party,
clause and scenario rules, some of which compare flows with each other). Flow rules judge each flow alone
(tests/validation: the same findings flow by flow as all at once), so the flows can be cut into spans and
each span checked on its own; the item rules run once over the whole document and their findings are
handed to the span whose flows they concern.

Only for a document that matches the schema (rules run strict: a crash is a bug). Otherwise the whole
document is checked by :func:`dsa.validation.check`, whose findings say what is wrong with it.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..findings import Finding
from ..settings import ValidationSettings
from .columns import Flows
from .registry import RULES, RuleContext
from .report import Batch


def spans(count: int, first_share: float) -> tuple[range, range]:
    """The flows cut in two: the first ``first_share`` of them, and the rest."""
    cut = min(count, max(0, round(count * first_share)))
    return range(0, cut), range(cut, count)


def _context(doc: Mapping[str, Any], settings: ValidationSettings, flows: Flows) -> RuleContext:
    from . import _well_formed_parties  # the package imports this module's callers, not the reverse

    return RuleContext(doc=doc, settings=settings, parties=_well_formed_parties(doc), flows=flows)


def flow_batches(doc: Mapping[str, Any], span: range, *, settings: ValidationSettings,
                 flows: Flows | None = None) -> list[Batch]:
    """Every flow rule's rows for the flows in ``span`` of a document that matches the schema; ``flows``,
    the document's flows as columns, lends the columns it has already read."""
    from . import run_flow_rules

    if flows is not None and isinstance(flows.index, range) and len(flows) == len(doc["flows"]):
        part = flows.part(span)  # positions are the flows' indexes
    else:
        items = doc["flows"]
        part = Flows([(i, items[i]) for i in span])
    return run_flow_rules(part, RULES.values(), _context(doc, settings, part), strict=True)


def item_findings(doc: Mapping[str, Any], *, settings: ValidationSettings,
                  flows: Flows | None = None) -> list[Finding]:
    """The item rules' findings over the whole of a document that matches the schema (``flows``: its
    flows as columns, which keeps the columns the rules read)."""
    from . import run_rules

    return run_rules(doc, RULES.values(), _context(doc, settings, flows or Flows.of(doc)), strict=True)


def flow_index(finding: Finding) -> int | None:
    """The index of the flow a finding is about, or None for a finding outside the flows."""
    path = finding.path
    if len(path) >= 2 and path[0] == "flows" and type(path[1]) is int:
        return path[1]
    return None


def within(findings: Iterable[Finding], span: range) -> tuple[list[Finding], list[Finding]]:
    """``findings`` about the flows in ``span``, and the others."""
    inside: list[Finding] = []
    outside: list[Finding] = []
    for f in findings:
        i = flow_index(f)
        (inside if i is not None and i in span else outside).append(f)
    return inside, outside
