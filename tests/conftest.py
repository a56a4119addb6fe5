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


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def herefordshire_doc() -> dict:
    return copy.deepcopy(_CACHE["herefordshire-phm.json"])


@pytest.fixture
def minimal_doc() -> dict:
    return copy.deepcopy(_CACHE["minimal.json"])
