"""Canonical JSON and the model version derived from it."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping


def canonical_json(doc: Mapping[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the same model always gives the same text."""
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(doc: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the model's canonical JSON."""
    return hashlib.sha256(canonical_json(doc).encode("utf-8")).hexdigest()


def model_version(doc: Mapping[str, Any]) -> str:
    """The first 12 hex digits of the content hash, printed on every draft (cli.md)."""
    return content_hash(doc)[:12]


def version_label(name: str | None, number: int | None, version: str) -> str:
    """One way to name a version everywhere: "v2 of 'Herefordshire PHM' (16f6d6702305)"."""
    if name and number is not None:
        return f"v{number} of '{name}' ({version})"
    if name:
        return f"'{name}' ({version})"
    return f"model version {version}"
