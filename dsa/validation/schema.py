"""The JSON Schema check: every schema error as a plain-English finding.

``schemas/dsa-model.schema.json`` is the single source of truth for the file's
shape. One compiled validator (jsonschema-rs, written in Rust) answers "is it
valid?" and collects every error; each error is read through :class:`SchemaError`,
which gives it the shape of a ``jsonschema`` error (keyword, its value in the
schema, the schema object, the instance, the path), so the wording below serves
both. ``jsonschema`` — the design's reference library — stays in the tests: a
differential test checks that both report the same findings, pointer for pointer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ..findings import Finding, Severity
from . import words

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "dsa-model.schema.json"


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator():
    # Imported here: of the two processes `dsa validate` may use, only one checks the schema.
    import jsonschema_rs

    # `format` is annotation-only in 2020-12 (dates are also pinned by pattern), as in jsonschema by default.
    return jsonschema_rs.Draft202012Validator(load_schema(), validate_formats=False)


def is_schema_valid(doc: Any) -> bool:
    try:
        return _validator().is_valid(doc)
    except (RecursionError, ValueError, TypeError, OverflowError):  # not a JSON value: let the findings say so
        return False


def schema_findings(doc: Any) -> list[Finding]:
    """Every schema problem in ``doc`` (empty when it matches the schema)."""
    if is_schema_valid(doc):
        return []
    findings: list[Finding] = []
    try:
        errors = list(_validator().iter_errors(doc))
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:  # a Python value JSON cannot hold
        return [Finding("SCHEMA-type", Severity.ERROR, (), f"The model holds a value that JSON cannot hold ({exc}).",
                        "Give the model as JSON: objects with text keys, lists, text, numbers, true/false, null.")]
    for error in errors:
        findings.extend(_explain(SchemaError.of(error, doc), doc))
    return findings


def _resolve(path) -> Any:
    node: Any = load_schema()
    for part in path:
        node = node[part]
    return node


def _at(doc: Any, path: list) -> Any:
    for part in path:
        doc = doc[part]
    return doc


class SchemaError:
    """A jsonschema-rs error with the attributes of a ``jsonschema.ValidationError`` that the wording reads."""

    __slots__ = ("validator", "validator_value", "schema", "instance", "absolute_path", "schema_path",
                 "message", "context")

    @classmethod
    def of(cls, error, doc: Any, relative_to: int = 0) -> "SchemaError":
        self = cls()
        kind = error.kind
        self.validator = kind.name
        location = list(error.schema_path)
        self.schema_path = location[relative_to:]
        self.schema = _resolve(location[:-1])
        self.validator_value = self.schema.get(location[-1]) if isinstance(self.schema, dict) else None
        self.absolute_path = list(error.instance_path)
        self.instance = _at(doc, self.absolute_path)  # the value as given (the Rust copy turns NaN into null)
        self.context = []
        if self.validator in ("oneOf", "anyOf"):
            # Each branch's errors, with schema paths relative to the keyword (the branch index first).
            for branch in getattr(kind, "context", None) or ():
                self.context.extend(SchemaError.of(sub, doc, len(location)) for sub in branch)
        self.message = _message(self, kind)
        return self


def _message(error: SchemaError, kind) -> str:
    """The message jsonschema would give, for the keywords whose wording below shows it."""
    inst, v = error.instance, error.validator_value
    if error.validator == "required":
        return f"{kind.property!r} is a required property"
    if error.validator in ("oneOf", "anyOf"):
        if not error.context:  # oneOf with more than one branch valid
            return f"{inst!r} is valid under more than one of the given schemas"
        return f"{inst!r} is not valid under any of the given schemas"
    if error.validator == "not":
        return f"{inst!r} should not be valid under {v!r}"
    return f"{inst!r} does not match {error.validator} {v!r}"


# ----------------------------------------------------------------------------- wording


def _describe_location(path: tuple, doc: Any) -> str:
    """'Flow "Weekly PHM extract"', 'Party "icb"', or 'The model' — what a person calls the place."""
    labels = {"parties": "Party", "flows": "Flow", "clauses": "Clause", "scenarios": "Scenario"}
    if len(path) >= 2 and path[0] in labels and isinstance(path[1], int):
        item = doc.get(path[0])[path[1]] if isinstance(doc, dict) else None
        name = None
        if isinstance(item, dict):
            name = item.get("name") if isinstance(item.get("name"), str) else item.get("id")
        label = f'{labels[path[0]]} {path[1] + 1}' + (f' "{name}"' if isinstance(name, str) else "")
        rest = path[2:]
        return label + (f" ({words.path(rest)})" if rest else "")
    if not path:
        return "The model"
    where = words.path(path)
    return where[:1].upper() + where[1:]


@lru_cache(maxsize=1)
def _descriptions() -> dict[str, str]:
    """Property name -> its description, first occurrence in the schema (for subschemas without one)."""
    found: dict[str, str] = {}
    stack = [load_schema()]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if isinstance(prop, dict) and prop.get("description"):
                    found.setdefault(name, prop["description"])
            stack.extend(v for v in node.values() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _property_description(schema: dict, name: str) -> str:
    props = schema.get("properties", {}) if isinstance(schema, dict) else {}
    prop = props.get(name, {})
    desc = prop.get("description", "") if isinstance(prop, dict) else ""
    return (desc or _descriptions().get(name, "")).rstrip(".")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _matching_branch_errors(error) -> list:
    """For oneOf/anyOf: the errors of the branches whose type fits the value (the ones the user meant)."""
    by_branch: dict[int, list] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.schema_path[0] if sub.schema_path else 0, []).append(sub)
    fitting = [errs for errs in by_branch.values()
               if not any(e.validator == "type" and len(e.absolute_path) == len(error.absolute_path) for e in errs)]
    return fitting[0] if len(fitting) == 1 else []


def _explain(error, doc: Any) -> Iterator[Finding]:
    """Findings for one error (a jsonschema error, or a :class:`SchemaError` shaped like one)."""
    if error.validator in ("oneOf", "anyOf"):
        inner = _matching_branch_errors(error)
        if inner:
            for sub in inner:
                yield from _explain(sub, doc)
            return
    path = tuple(error.absolute_path)
    where = _describe_location(path, doc)
    kw = error.validator
    v = error.validator_value
    inst = error.instance

    if kw == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(v)
        desc = _property_description(error.schema, missing)
        yield Finding("SCHEMA-required", Severity.ERROR, path + (missing,),
                      f"{where} is missing {words.field(missing)}" + (f": {desc[0].lower() + desc[1:]}." if desc else "."),
                      f"Add {words.field(missing)}.")
    elif kw == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = [k for k in (inst if isinstance(inst, dict) else {})
                  if k not in allowed and not k.startswith("x-")]
        for key in extras:
            yield Finding("SCHEMA-additional", Severity.ERROR, path + (key,),
                          f"{where} has an unknown field '{key}'.",
                          f"Remove it, correct its spelling (allowed: {', '.join(allowed)}), or rename it "
                          "'x-…' to keep it as your own annotation.")
    elif kw in ("enum", "const"):
        allowed = v if kw == "enum" else [v]
        named = next((p for p in reversed(path) if isinstance(p, str)), "")
        shown = ", ".join("nothing" if a is None else words.value(named, a) for a in allowed)
        yield Finding(f"SCHEMA-{kw}", Severity.ERROR, path,
                      f"{where} is {_short(inst)}, which is not an allowed value.",
                      f"Use one of: {shown}.")
    elif kw == "type":
        expected = v if isinstance(v, str) else " or ".join(v)
        kinds = {"object": "a group of fields", "array": "a list", "string": "text", "number": "a number",
                 "integer": "a whole number", "boolean": "true or false", "null": "null"}
        yield Finding("SCHEMA-type", Severity.ERROR, path,
                      f"{where} should be {kinds.get(expected, expected)}, but is {_short(inst)}.",
                      f"Give {kinds.get(expected, expected)}.")
    elif kw == "pattern":
        hint = "lower-case letters, digits, '-' and '_', starting with a letter or digit" if "a-z0-9" in v else v
        if "\\d{4}" in v or "[0-9]{4}" in v:
            hint = "a real date written YYYY-MM-DD"
        elif "\\x00" in v:
            hint = "one line of text without control characters or line breaks"
        elif "A-Z0-9" in v:
            hint = "3 to 9 capital letters or digits (an NHS ODS code)"
        yield Finding("SCHEMA-pattern", Severity.ERROR, path,
                      f"{where} is {_short(inst)}, which is not in the expected form ({hint}).",
                      f"Write it as {hint}.")
    elif kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = {"minimum": "at least", "maximum": "at most",
                 "exclusiveMinimum": "more than", "exclusiveMaximum": "less than"}[kw]
        yield Finding(f"SCHEMA-{kw}", Severity.ERROR, path,
                      f"{where} is {_short(inst)}; it must be {bound} {v}.", f"Give a value {bound} {v}.")
    elif kw in ("minItems", "maxItems", "minLength", "maxLength"):
        what = "item(s)" if "Items" in kw else "character(s)"
        bound = "at least" if kw.startswith("min") else "at most"
        yield Finding(f"SCHEMA-{kw}", Severity.ERROR, path,
                      f"{where} must have {bound} {v} {what}.", f"Give {bound} {v} {what}.")
    elif kw == "uniqueItems":
        yield Finding("SCHEMA-uniqueItems", Severity.ERROR, path, f"{where} lists the same value twice.",
                      "Remove the repeated value.")
    elif kw == "not" and isinstance(v, dict) and v.get("required") == ["joint_controllers"]:
        yield Finding("SCHEMA-not", Severity.ERROR, path + ("joint_controllers",),
                      f"{where} lists joint controllers, but its relationship is not "
                      f"'{words.value('relationship', 'joint_controllers')}'.",
                      "Remove the joint controllers, or set the relationship to "
                      f"'{words.value('relationship', 'joint_controllers')}'.")
    elif kw in ("oneOf", "anyOf") and error.schema.get("description"):
        yield Finding(f"SCHEMA-{kw}", Severity.ERROR, path,
                      f"{where} is {_short(inst)}, which is not in the expected form.",
                      error.schema["description"])
    else:
        yield Finding(f"SCHEMA-{kw}", Severity.ERROR, path, f"{where}: {error.message}.",
                      "Correct the value so it matches the model format.")
