"""The loader and the validator never raise on arbitrary input: bad input is a clear error or a finding."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsa.errors import InputError
from dsa.loading import parse_bytes
from dsa.validation import validate

from ..conftest import _CACHE, json_paths

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=40)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes_load_or_raise_input_error_only(raw):
    try:
        doc = parse_bytes(raw)
    except InputError as exc:
        assert str(exc)
        return
    validate(doc)


@SETTINGS
@given(json_values)
def test_arbitrary_json_values_validate_without_raising(value):
    findings = validate(value)
    if not isinstance(value, dict):
        assert findings and findings[0].rule == "SCHEMA-type"


MINIMAL_PATHS = [p for p in json_paths(_CACHE["minimal.json"]) if p]


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(MINIMAL_PATHS), json_values), min_size=1, max_size=4))
def test_mutated_examples_validate_without_raising_and_report_something(mutations):
    doc = copy.deepcopy(_CACHE["minimal.json"])
    for path, value in mutations:
        target = doc
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    findings = validate(doc)
    for f in findings:
        assert f.message and f.fix and f.rule
        json.dumps(f.to_dict())


@SETTINGS
@given(st.sampled_from(MINIMAL_PATHS))
def test_deleting_any_member_of_an_example_never_crashes_a_rule(path):
    doc = copy.deepcopy(_CACHE["minimal.json"])
    target = doc
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    validate(doc)
