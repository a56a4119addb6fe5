"""Shared fixtures: the bundled examples as fresh documents."""

from __future__ import annotations

import atexit
import copy
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# Kernels built ahead of time in this user's cache (dsa.liability.aot) would change which engine some runs
# choose: the tests see none, unless one builds its own (tests/liability/test_aot.py). The processes they
# start inherit this.
os.environ["DSA_KERNELS_DIR"] = tempfile.mkdtemp(prefix="dsa-test-kernels-")
atexit.register(shutil.rmtree, os.environ["DSA_KERNELS_DIR"], ignore_errors=True)


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


def workbook_bytes(rows: list[list]) -> bytes:
    """An XLSX file, as openpyxl writes it, whose one sheet holds these rows."""
    import openpyxl  # only the tests that build workbooks pay for it

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def herefordshire_doc() -> dict:
    return copy.deepcopy(_CACHE["herefordshire-phm.json"])


@pytest.fixture
def minimal_doc() -> dict:
    return copy.deepcopy(_CACHE["minimal.json"])
