"""The compiled validator (jsonschema-rs) reports exactly what jsonschema, the reference library, reports.

Both validators' errors go through the same wording, so equal findings — rule id, pointer, message and
fix, each as often — mean the compiled validator found the same errors at the same places. Compared on
a hand-written corpus of invalid models (one or more errors of every keyword the schema uses), on
malformed documents, and on generated mutations of the bundled examples.
"""

from __future__ import annotations

import copy
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from dsa.validation.schema import _explain, load_schema, schema_findings

from ..conftest import _CACHE, json_paths

REFERENCE = Draft202012Validator(load_schema())


def reference_findings(doc) -> Counter:
    return Counter((f.rule, f.pointer, f.message, f.fix) for e in REFERENCE.iter_errors(doc) for f in _explain(e, doc))


def compiled_findings(doc) -> Counter:
    return Counter((f.rule, f.pointer, f.message, f.fix) for f in schema_findings(doc))


def assert_same(doc) -> None:
    assert compiled_findings(doc) == reference_findings(doc)


def edited(name, *edits):
    doc = copy.deepcopy(_CACHE[name])
    for edit in edits:
        edit(doc)
    return doc


def _set(path, value):
    def edit(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return edit


def _del(path):
    def edit(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return edit


H, M = "herefordshire-phm.json", "minimal.json"
INVALID = {
    "an unknown purpose (enum)": edited(M, _set(["flows", 0, "purpose"], "marketing")),
    "a wrong format (const)": edited(M, _set(["format"], "dsa-model/2")),
    "text where true/false belongs (type)": edited(M, _set(["flows", 1, "transfer", "encrypted"], "yes")),
    "a missing member (required)": edited(M, _del(["flows", 1, "transfer"])),
    "a missing nested member": edited(M, _del(["flows", 1, "data", "records"])),
    "an unknown field (additionalProperties)": edited(M, _set(["parties", 0, "surname"], "x")),
    "several unknown fields and an x- annotation": edited(
        M, _set(["flows", 0, "colour"], 1), _set(["flows", 0, "size"], 2), _set(["flows", 0, "x-note"], 3)),
    "a bad id (pattern)": edited(M, _set(["parties", 0, "id"], "Not An Id")),
    "a bad ODS code": edited(M, _set(["parties", 0, "ods_code"], "q"), ),
    "a bad date": edited(M, _set(["partnership", "review_date"], "31/10/2027")),
    "a negative count (minimum)": edited(M, _set(["flows", 0, "data", "records"], -1)),
    "a share above one (maximum)": edited(M, _set(["clauses", 0, "share"], 1.5)),
    "an empty name (minLength)": edited(M, _set(["partnership", "name"], "")),
    "an over-long name (maxLength)": edited(M, _set(["parties", 0, "name"], "x" * 500)),
    "no parties (minItems)": edited(M, _set(["parties"], [])),
    "a repeated beneficiary (uniqueItems)": edited(M, _set(["clauses", 0, "beneficiaries"], ["m81001", "m81001"])),
    "a misspelt beneficiary type (oneOf, fitting branch)": edited(
        M, _set(["clauses", 0, "beneficiaries"], {"party_tpe": "gp_practice"})),
    "beneficiaries as a number (oneOf, no branch fits)": edited(M, _set(["clauses", 0, "beneficiaries"], 7)),
    "joint controllers on a processor flow (not)": edited(
        M, _set(["flows", 0, "joint_controllers"], [{"party": "icb", "share": 1}])),
    "a partnership without partners (if/then required)": edited(M, _del(["parties", 2, "partners"])),
    "a sole trader with three partners (if/then const)": edited(
        M, _set(["parties", 2, "legal_form"], "sole_trader"), _set(["parties", 2, "partners"], 3)),
    "a clause of unknown type (if/else)": edited(M, _set(["clauses", 0, "type"], "guarantee")),
    "a risk pool missing its members": edited(M, _set(["clauses", 0], {"id": "p", "type": "risk_pool", "name": "P"})),
    "flows as an object": edited(M, _set(["flows"], {"a": 1})),
    "a flow as a list": edited(M, _set(["flows", 0], [1, 2])),
    "many errors across a large model": edited(
        H, *[_set(["flows", i, "transfer", "method"], "carrier pigeon") for i in range(0, 27, 3)],
        *[_del(["flows", i, "data"]) for i in range(1, 27, 5)], _set(["parties", 3, "type"], "hospice")),
}
MALFORMED = [None, True, 0, 1.5, "model", [], [1, 2], {}, {"format": "dsa-model/1"},
             {"format": "dsa-model/1", "partnership": {}, "parties": [{}], "flows": [{}]},
             {"format": 3, "partnership": [], "parties": "all", "flows": None, "clauses": [None], "scenarios": [7]},
             {"x-only": True}, {"": {"": []}}]


@pytest.mark.parametrize("case", sorted(INVALID))
def test_both_validators_report_the_same_findings_on_an_invalid_model(case):
    doc = INVALID[case]
    assert reference_findings(doc), "the corpus case must be invalid"
    assert_same(doc)


@pytest.mark.parametrize("doc", MALFORMED, ids=[repr(d)[:40] for d in MALFORMED])
def test_both_validators_report_the_same_findings_on_a_malformed_document(doc):
    assert_same(doc)


@pytest.mark.parametrize("name", [H, M])
def test_both_validators_find_nothing_in_a_bundled_example(name):
    assert compiled_findings(_CACHE[name]) == reference_findings(_CACHE[name]) == Counter()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)


PATHS = {name: [p for p in json_paths(_CACHE[name]) if p] for name in (H, M)}
MUTATIONS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
mutation = st.tuples(st.sampled_from(["set", "delete", "add"]), st.integers(0, 10**6), json_values,
                     st.text(min_size=1, max_size=8))


def _mutate(doc, kind, pick, value, key):
    paths = list(json_paths(doc))[1:]
    path = paths[pick % len(paths)]
    target = doc
    for part in path[:-1]:
        target = target[part]
    if kind == "set":
        target[path[-1]] = value
    elif kind == "delete":
        del target[path[-1]]
    elif isinstance(target[path[-1]], dict):
        target[path[-1]][key] = value


@MUTATIONS
@given(st.sampled_from([H, M]), st.lists(mutation, min_size=1, max_size=5))
def test_both_validators_agree_on_generated_mutations_of_the_examples(name, mutations):
    doc = copy.deepcopy(_CACHE[name])
    for kind, pick, value, key in mutations:
        _mutate(doc, kind, pick, value, key)
    assert_same(doc)


@MUTATIONS
@given(json_values)
def test_both_validators_agree_on_arbitrary_json_values(value):
    assert_same(value)
