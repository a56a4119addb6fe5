"""Shared fixtures: the bundled examples as fresh documents."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _load(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


_CACHE = {name: _load(name) for name in ("herefordshire-phm.json", "minimal.json")}


def json_paths(value, prefix=()):
    """Every path into a JSON value, the root ``()`` first (for tests that mutate documents)."""
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from json_paths(v, prefix + (i,))


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def herefordshire_doc() -> dict:
    return copy.deepcopy(_CACHE["herefordshire-phm.json"])


@pytest.fixture
def minimal_doc() -> dict:
    return copy.deepcopy(_CACHE["minimal.json"])
