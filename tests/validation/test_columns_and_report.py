"""Rules over columns judge each flow exactly as they would judge it alone; the report keeps the order.

A flow rule reads all flows at once as columns. Its findings for a flow must not depend on the other
flows: checking each flow in a model of its own gives the same findings, message for message.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsa.findings import Finding, Severity, sort_findings
from dsa.validation import RULES, validate
from dsa.validation.report import Batch, Report

from ..conftest import _CACHE

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import icb_model  # noqa: E402

FLOW_RULES = {rule_id for rule_id, r in RULES.items() if r.scope == "flow"}
GOVERNANCE_FACTS = ["legal_basis", "national_data_opt_out", "type1_opt_out", "dpia", "s251", "retention_months",
                    "processing_contract", "joint_arrangement", "breach_notification_hours",
                    "privacy_notice_updated", "appropriate_policy_document", "art89_safeguards"]


def _key(f: Finding) -> tuple:
    return (f.pointer, f.rule, f.severity, f.message, f.fix)


def flow_findings_all_at_once(doc) -> list[tuple]:
    return sorted(_key(f) for f in validate(doc) if f.rule in FLOW_RULES)


def flow_findings_one_by_one(doc) -> list[tuple]:
    out = []
    for i, flow in enumerate(doc["flows"]):
        alone = dict(doc, flows=[flow])
        for f in validate(alone):
            if f.rule in FLOW_RULES and f.path[:2] == ("flows", 0):
                moved = Finding(f.rule, f.severity, ("flows", i, *f.path[2:]), f.message, f.fix)
                out.append(_key(moved))
    return sorted(out)


def test_the_examples_findings_are_the_same_flow_by_flow_as_all_at_once(herefordshire_doc):
    for flow in herefordshire_doc["flows"][::2]:  # every other flow loses its governance facts
        for fact in GOVERNANCE_FACTS:
            flow.pop(fact, None)
    assert flow_findings_all_at_once(herefordshire_doc) == flow_findings_one_by_one(herefordshire_doc)


def test_a_first_import_register_gives_the_same_findings_flow_by_flow_as_all_at_once():
    doc = icb_model("first_import")
    doc["flows"] = doc["flows"][:60]
    found = flow_findings_all_at_once(doc)
    assert len(found) > 300
    assert found == flow_findings_one_by_one(doc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 26), st.sampled_from(GOVERNANCE_FACTS + ["data", "transfer", "name"]),
                          st.sampled_from([None, "x", 0, True, [], {}])), min_size=1, max_size=12))
def test_malformed_and_missing_facts_are_judged_the_same_flow_by_flow_as_all_at_once(edits):
    doc = copy.deepcopy(_CACHE["herefordshire-phm.json"])
    for i, fact, value in edits:
        flow = doc["flows"][i]
        if value is None:
            flow.pop(fact, None)
        else:
            flow[fact] = value
    assert flow_findings_all_at_once(doc) == flow_findings_one_by_one(doc)


def test_the_report_orders_rows_as_sort_findings_does_and_drops_exact_duplicates():
    rows = [(1, ("transfer", "method"), "m1", "f1"), (0, ("to",), "m0", "f0"), (1, ("transfer", "method"), "m1", "f1"),
            (1, ("transfer", "method"), "other", "f1", Severity.WARNING)]
    others = [Finding("REF001", Severity.ERROR, ("partnership", "lead_party"), "lead", "fix"),
              Finding("IG023", Severity.ERROR, ("flows", 10, "breach_notification_hours"), "b", "f"),
              Finding("SCHEMA-type", Severity.ERROR, ("flows",), "flows", "fix"),
              Finding("IG024", Severity.WARNING, ("partnership", "review_date"), "r", "f"),
              Finding("IG024", Severity.WARNING, ("partnership", "review_date"), "r", "f")]
    report = Report([Batch("IG020", Severity.ERROR, rows, [0, 2])], others)
    expected = sort_findings(set(
        [Finding("IG020", Severity.ERROR, ("flows", 2, "transfer", "method"), "m1", "f1"),
         Finding("IG020", Severity.ERROR, ("flows", 0, "to"), "m0", "f0"),
         Finding("IG020", Severity.WARNING, ("flows", 2, "transfer", "method"), "other", "f1")] + others))
    assert sorted(map(_key, report.findings())) == sorted(map(_key, expected))
    assert [(f.pointer, f.rule) for f in report.findings()] == [(f.pointer, f.rule) for f in expected]
    assert [d["path"] for d in report.dicts()] == [f.pointer for f in expected]
    assert report.count(Severity.ERROR) == 5 and report.count(Severity.WARNING) == 2 and len(report) == 7
