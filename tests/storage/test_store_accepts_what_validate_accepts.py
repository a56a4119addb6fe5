"""The store refuses nothing that validate accepted (issue #16), on SQLite and PostgreSQL: awkward but valid
text and numbers save, as a version (no findings) or a draft (findings), and load back exactly."""

from __future__ import annotations

import copy
import itertools
import json

from hypothesis import HealthCheck, given, settings

from dsa.findings import has_errors
from dsa.validation import validate
from tests.fuzz.conftest import EXAMPLES
from tests.fuzz.documents import coherent_documents

_names = itertools.count()


def _awkward(doc: dict) -> dict:
    doc = copy.deepcopy(doc)
    doc["partnership"]["description"] = "nul\x00 bell\x07 esc\x1b \u2028 \u2029 \u0085 \ufffe\uffff 😀 עברית " * 2_000
    doc["partnership"]["exit_terms"] = "'=cmd|' /C calc'!A0"
    doc["parties"][0]["x-big"] = int("9" * 300)
    doc["parties"][0]["x-tiny"] = 5e-324
    doc["parties"][0]["annual_turnover_gbp"] = 1_000_000_000_000
    doc["flows"][0]["data"]["records"] = 100_000_000
    doc["flows"][0]["risk"] = {"annual_incident_rate": 1_000, "x-why": {"nested": [None, True, -0.0]}}
    return doc


def _saves_and_loads_back(store, doc: dict) -> None:
    name = f"model {next(_names)}"
    findings = validate(doc)
    info = store.save(name, doc, author="tester", allow_draft=has_errors(findings))
    assert store.load(name, info.number) == json.loads(json.dumps(doc))


def test_awkward_text_and_numbers_at_every_bound_save_and_load_back(store, herefordshire_doc, minimal_doc):
    for doc in (_awkward(herefordshire_doc), _awkward(minimal_doc)):
        assert not [f for f in validate(doc) if f.rule.startswith(("SCHEMA", "REF"))]
        _saves_and_loads_back(store, doc)


@settings(max_examples=max(5, EXAMPLES // 8), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(doc=coherent_documents())
def test_every_generated_document_validate_accepts_saves(store, doc):
    if not [f for f in validate(doc) if f.rule.startswith(("SCHEMA", "REF"))]:
        _saves_and_loads_back(store, doc)
