"""Model documents for the property tests: from the schema, made coherent, and mutated bundled examples."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

from dsa.validation.schema import SCHEMA_PATH
from tests.conftest import json_paths

from .schema_strategies import ANNOTATION, NASTY_TEXT, SchemaStrategies

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# Exact partitions of 1, so shares add up whatever the float arithmetic.
PARTITIONS = {1: [[1.0]], 2: [[0.5, 0.5], [0.25, 0.75], [0.1, 0.9], [1.0, 0.0]], 3: [[0.5, 0.25, 0.25],
              [0.2, 0.3, 0.5]]}


@lru_cache(maxsize=1)
def builder() -> SchemaStrategies:
    # A copy of its own: the validators' compilers rewrite the shared schema's $refs in place.
    return SchemaStrategies(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def schema_documents() -> st.SearchStrategy:
    """Documents the schema accepts, as drawn (references mostly dangle: REF findings expected)."""
    return builder().strategy()


def _id(prefix: str, i: int, original: object) -> str:
    tail = original[:40] if isinstance(original, str) else ""
    return f"{prefix}{i}-{tail}".rstrip("-") if tail else f"{prefix}{i}"


@st.composite
def coherent_documents(draw) -> dict:
    """A schema document whose references are repaired so it has no SCHEMA or REF finding (IG findings remain):
    distinct ids, flows between two different parties, clauses and scenarios naming what exists."""
    doc = draw(schema_documents())
    parties = doc["parties"]
    if len(parties) < 2:
        twin = copy.deepcopy(parties[0])
        parties.append(twin)
    for i, p in enumerate(parties):
        p["id"] = _id("p", i, p.get("id"))
    ids = [p["id"] for p in parties]
    if "lead_party" in doc["partnership"]:
        doc["partnership"]["lead_party"] = draw(st.sampled_from(ids))
    for i, f in enumerate(doc["flows"]):
        f["id"] = _id("f", i, f.get("id"))
        f["from"], f["to"] = draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
        if "joint_controllers" in f:
            a, b = draw(st.sampled_from(PARTITIONS[2]))
            f["joint_controllers"] = [{"party": f["from"], "share": a}, {"party": f["to"], "share": b}]
    flow_ids = [f["id"] for f in doc["flows"]]
    clause_ids = []
    for i, c in enumerate(doc.get("clauses", [])):
        c["id"] = _id("c", i, c.get("id"))
        clause_ids.append(c["id"])
        scope = c.get("applies_to")
        if isinstance(scope, dict) and "flows" in scope:
            scope["flows"] = draw(st.lists(st.sampled_from(flow_ids), unique=True)) if flow_ids else []
        if c["type"] == "indemnity":
            c["indemnifier"] = draw(st.sampled_from(ids))
            others = [p for p in parties if p["id"] != c["indemnifier"]]
            if isinstance(c["beneficiaries"], dict):
                c["beneficiaries"] = {"party_type": draw(st.sampled_from([p["type"] for p in others]))}
            else:
                c["beneficiaries"] = draw(st.lists(st.sampled_from([p["id"] for p in others]), min_size=1,
                                                   unique=True))
        else:
            n = draw(st.integers(1, min(3, len(ids))))
            members = draw(st.lists(st.sampled_from(ids), min_size=n, max_size=n, unique=True))
            shares = draw(st.sampled_from(PARTITIONS[n]))
            c["members"] = [{"party": m, "share": s} for m, s in zip(members, shares)]
    for i, s in enumerate(doc.get("scenarios", [])):
        s["id"] = _id("s", i, s.get("id"))
        s["clauses"] = draw(st.lists(st.sampled_from(clause_ids), unique=True)) if clause_ids else []
    return doc


@lru_cache(maxsize=None)
def _example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


HOSTILE_VALUES = st.one_of(
    st.sampled_from([None, True, False, 0, -1, 1, 0.5, 2, 10**300, -(10**300), 1e308, -1e308, 5e-324, 1e12 + 1,
                     100_000_001, 10**15, "", "x" * 40_000, [], {}, [1, 2], {"x-a": 1}, {"unknown": 1},
                     "2026-02-30", "2024-02-29", "0000-01-01", "icb", "baseline"]),
    NASTY_TEXT, ANNOTATION)


@st.composite
def mutated_examples(draw) -> dict:
    """A bundled example with one to three mutations: a value replaced, a member removed, an item repeated."""
    doc = json.loads(_example(draw(st.sampled_from(["minimal.json", "herefordshire-phm.json"]))))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in json_paths(doc) if p]
        path = draw(st.sampled_from(paths))
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "remove", "repeat"]))
        if action == "replace":
            parent[path[-1]] = draw(HOSTILE_VALUES)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[path[-1]] = draw(HOSTILE_VALUES)
    return doc
