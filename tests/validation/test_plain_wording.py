"""What a person reads in a finding (its message and its fix) uses plain labels: no field names, enum values,
dotted paths or specification file names. Those stay in the rule id and the pointer (CLI JSON)."""

from __future__ import annotations

import copy
import re

import pytest

from dsa.validation import validate
from tests.validation.test_ig_rules import FAILING, TODAY

RAW = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")            # legal_basis, implied_consent, not_applied …
DOTTED = re.compile(r"\b[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]+\b")  # legal_basis.common_law, dpia.reference …
SPEC = re.compile(r"\b[a-z-]+\.md\b")


def raw_words(text: str) -> list[str]:
    return RAW.findall(text) + DOTTED.findall(text) + SPEC.findall(text)


@pytest.mark.parametrize("rule,case,edit,pointer,severity", FAILING, ids=[f"{r}-{c}" for r, c, *_ in FAILING])
def test_every_rules_message_and_fix_read_in_plain_words(herefordshire_doc, rule, case, edit, pointer, severity):
    doc = copy.deepcopy(herefordshire_doc)
    edit(doc)
    findings = validate(doc, settings=TODAY)
    assert any(f.rule == rule for f in findings)
    for f in findings:
        assert raw_words(f.message) == [], (f.rule, f.message)
        assert raw_words(f.fix) == [], (f.rule, f.fix)


def test_the_common_law_fix_names_the_bases_by_their_labels(herefordshire_doc):
    del herefordshire_doc["flows"][0]["legal_basis"]["common_law"]
    hit = next(f for f in validate(herefordshire_doc, settings=TODAY) if f.rule == "IG009")
    assert hit.pointer == "/flows/0/legal_basis/common_law"
    assert hit.fix.startswith("Set the common-law basis: Implied consent for direct care")
    assert "Section 251 support" in hit.fix


REFERENCE_AND_SCHEMA_CASES = [
    ("a flow to an unknown party", lambda d: d["flows"][0].update(to="nobody")),
    ("a purpose that is not allowed", lambda d: d["flows"][0].update(purpose="marketing")),
    ("a relationship that is not allowed", lambda d: d["flows"][0].update(relationship="partners")),
    ("a missing purpose", lambda d: d["flows"][0].pop("purpose")),
    ("a party without its type", lambda d: d["parties"][0].pop("type")),
    ("a common-law basis that is not allowed", lambda d: d["flows"][0]["legal_basis"].update(common_law="implied")),
    ("joint controllers on a flow that is not joint",
     lambda d: d["flows"][0].update(joint_controllers=[{"party": "icb", "share": 1}])),
    ("beneficiaries by a type no party has",
     lambda d: d["clauses"][0].update(beneficiaries={"party_type": "dental_practice"})),
    ("a transfer method that is not allowed", lambda d: d["flows"][0]["transfer"].update(method="fax")),
]


@pytest.mark.parametrize("case,edit", REFERENCE_AND_SCHEMA_CASES, ids=[c for c, _ in REFERENCE_AND_SCHEMA_CASES])
def test_structure_and_reference_findings_read_in_plain_words(herefordshire_doc, case, edit):
    edit(herefordshire_doc)
    findings = [f for f in validate(herefordshire_doc, settings=TODAY) if not f.rule.startswith("IG")]
    assert findings
    for f in findings:
        assert raw_words(f.message) == [], (f.rule, f.message)
        if f.rule != "SCHEMA-additional":  # an unknown key's fix lists the keys as they must be typed in the file
            assert raw_words(f.fix) == [], (f.rule, f.fix)


def test_a_value_outside_the_list_is_answered_with_the_labels_to_choose_from(herefordshire_doc):
    herefordshire_doc["flows"][0]["legal_basis"]["common_law"] = "implied"
    hit = next(f for f in validate(herefordshire_doc, settings=TODAY) if f.rule == "SCHEMA-enum")
    assert hit.pointer == "/flows/0/legal_basis/common_law"
    assert "(the common-law basis)" in hit.message and '"implied"' in hit.message
    assert hit.fix.startswith("Use one of: Implied consent, Explicit consent, Section 251 support")
