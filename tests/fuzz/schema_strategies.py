"""Hypothesis strategies derived from a JSON Schema (the subset the project's schema uses).

hypothesis-jsonschema 0.23.1 fails against the pinned Hypothesis, so this builds
strategies itself from types, ``enum``/``const``, ``pattern`` (``from_regex`` with
``fullmatch``), numeric bounds (``minimum``/``maximum``/``exclusiveMinimum``),
lengths and item counts, required and optional properties, ``patternProperties``
``^x-`` annotations, ``$ref``, ``oneOf``/``anyOf`` (a branch, kept only when the
whole node accepts it), ``if``/``then``/``else`` at a node (each branch merged
with the node), and ``allOf`` of ``if``/``then`` (the generated object repaired
to meet each ``then`` whose ``if`` it matches: missing required members drawn,
``const`` set, forbidden members removed). Every value it draws is checked
against the schema node by ``jsonschema`` (tests assert that too).
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

from hypothesis import strategies as st
from jsonschema import Draft202012Validator

#: Free text that exercises every output path: control characters, separators, markup, formula triggers.
NASTY_TEXT = st.sampled_from([
    "", " ", "=HYPERLINK(\"http://x\",\"y\")", " =1+1", "\u00a0@SUM(1)", "\u200b-2", "\ufeff+3",
    "line\u2028separator", "para\u2029graph", "next\u0085line", "bell\x07 nul\x00 esc\x1b", "tab\tcr\r\nlf\n",
    "<script>alert(1)</script>", "[link](http://evil) ![img](http://evil/p.png)", "{{ 7*7 }} {% raw %}",
    "**bold** _it_ | pipe | # heading", "- bullet", "> quote", "'quoted", "\ufffe\uffff", "😀 émigré £€",
])
ANNOTATION = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8) | NASTY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6)


class SchemaStrategies:
    """``SchemaStrategies(schema).strategy(node)`` for any node of ``schema`` (default: the root)."""

    def __init__(self, schema: dict, *, max_items: int = 3, max_text: int = 24):
        self.root = schema
        self.max_items = max_items
        self.max_text = max_text
        self._refs: dict[str, st.SearchStrategy] = {}

    # ------------------------------------------------------------------ helpers
    def resolve(self, node: dict) -> dict:
        while isinstance(node, dict) and set(node) & {"$ref"} and len(node) == 1:
            node = self._lookup(node["$ref"])
        return node

    def _lookup(self, ref: str) -> dict:
        node: Any = self.root
        for part in ref.partition("#/")[2].split("/"):
            node = node[part]
        return node

    def validator(self, node: dict) -> Draft202012Validator:
        """A validator for ``node`` that resolves ``#/$defs/…`` against the root's definitions."""
        schema = copy.deepcopy({k: v for k, v in node.items() if k not in ("$id", "$schema")})
        schema["$defs"] = copy.deepcopy(self.root.get("$defs", {}))
        return Draft202012Validator(schema)

    def _merge(self, base: dict, branch: dict) -> dict:
        branch = self.resolve(branch)
        out = {k: v for k, v in base.items() if k not in ("if", "then", "else")}
        for key, value in branch.items():
            if key == "properties":
                out["properties"] = {**out.get("properties", {}), **value}
            elif key == "required":
                out["required"] = sorted(set(out.get("required", [])) | set(value))
            else:
                out[key] = value
        return out

    # ------------------------------------------------------------------ the builder
    def strategy(self, node: dict | None = None) -> st.SearchStrategy:
        node = self.root if node is None else node
        if "$ref" in node:
            ref = node["$ref"]
            if len(node) == 1:
                if ref not in self._refs:
                    self._refs[ref] = st.deferred(lambda: self.strategy(self._lookup(ref)))
                return self._refs[ref]
            return self.strategy(self._merge({k: v for k, v in node.items() if k != "$ref"}, self._lookup(ref)))
        if "const" in node:
            return st.just(node["const"])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        if "if" in node and ("then" in node or "else" in node):
            branches = [self._merge(node, node[k]) for k in ("then", "else") if k in node]
            check = self.validator(node)
            return st.one_of([self.strategy(b) for b in branches]).filter(check.is_valid)
        for key in ("oneOf", "anyOf"):
            if key in node:
                base = {k: v for k, v in node.items() if k != key and k != "description"}
                branches = [self._merge(base, b) if base else self.resolve(b) for b in node[key]]
                check = self.validator(node)
                return st.one_of([self.strategy(b) for b in branches]).filter(check.is_valid)
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            return self._object(node)
        if kind == "array":
            return self._array(node)
        if kind == "string":
            return self._string(node)
        if kind == "integer":
            return self._integer(node)
        if kind == "number":
            return self._number(node)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return ANNOTATION

    def _string(self, node: dict) -> st.SearchStrategy:
        lo, hi = node.get("minLength", 0), min(node.get("maxLength", self.max_text), self.max_text)
        if "pattern" in node:
            strategy = st.from_regex(node["pattern"], fullmatch=True)
            return strategy.filter(lambda s: lo <= len(s) <= node.get("maxLength", 10**9))
        text = st.text(min_size=lo, max_size=max(lo, hi))
        return st.one_of(text, NASTY_TEXT.filter(lambda s: lo <= len(s) <= node.get("maxLength", 10**9)))

    def _integer(self, node: dict) -> st.SearchStrategy:
        lo = node.get("minimum", -10**6)
        hi = node.get("maximum", 10**6)
        if "exclusiveMinimum" in node:
            lo = max(lo, math.floor(node["exclusiveMinimum"]) + 1)
        extremes = st.sampled_from(sorted({lo, hi}))
        return st.one_of(extremes, st.integers(lo, hi))

    def _number(self, node: dict) -> st.SearchStrategy:
        lo = node.get("minimum", node.get("exclusiveMinimum", -1e6))
        hi = node.get("maximum", node.get("exclusiveMaximum", 1e6))
        excl_lo, excl_hi = "exclusiveMinimum" in node, "exclusiveMaximum" in node
        floats = st.floats(lo, hi, exclude_min=excl_lo, exclude_max=excl_hi, allow_nan=False, allow_infinity=False)
        ints = st.integers(math.ceil(lo) + (1 if excl_lo and float(lo).is_integer() else 0),
                           math.floor(hi) - (1 if excl_hi and float(hi).is_integer() else 0))
        edges = [v for v in (lo, hi) if not ((v == lo and excl_lo) or (v == hi and excl_hi))]
        return st.one_of(ints, floats, *( [st.sampled_from(edges)] if edges else []))

    def _array(self, node: dict) -> st.SearchStrategy:
        items = self.strategy(node.get("items", {}))
        lo = node.get("minItems", 0)
        hi = max(lo, min(node.get("maxItems", self.max_items), self.max_items))
        unique = (lambda v: json.dumps(v, sort_keys=True)) if node.get("uniqueItems") else None
        return st.lists(items, min_size=lo, max_size=hi, unique_by=unique)

    def _object(self, node: dict) -> st.SearchStrategy:
        props = node.get("properties", {})
        required = [k for k in node.get("required", []) if k in props]
        optional = {k: self.strategy(v) for k, v in props.items() if k not in required}
        base = st.fixed_dictionaries({k: self.strategy(props[k]) for k in required}, optional=optional)
        if "^x-" in node.get("patternProperties", {}):
            notes = st.dictionaries(st.from_regex(r"x-[a-z]{1,6}", fullmatch=True), ANNOTATION, max_size=1)
            base = st.builds(lambda d, x: {**d, **x}, base, notes)
        rules = [r for r in node.get("allOf", []) if "if" in r]
        if not rules and "not" not in node:
            return base
        check = self.validator(node)

        @st.composite
        def repaired(draw):
            obj = draw(base)
            for r in rules:
                if self.validator(r["if"]).is_valid(obj) and "then" in r:
                    self._apply(draw, obj, self.resolve(r["then"]), props)
            return obj

        return repaired().filter(check.is_valid)

    def _apply(self, draw, obj: dict, then: dict, props: dict) -> None:
        for key in then.get("required", []):
            if key not in obj and key in props:
                obj[key] = draw(self.strategy(props[key]))
        for key, sub in then.get("properties", {}).items():
            if "const" in sub:
                obj[key] = sub["const"]
        forbidden = then.get("not", {}).get("required", [])
        for key in forbidden:
            obj.pop(key, None)
