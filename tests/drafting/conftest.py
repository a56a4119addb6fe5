"""Packs built once per session: rendering is deterministic, so tests share them."""

from __future__ import annotations

import copy
import io
from functools import lru_cache

import docx
import pytest

from dsa.drafting import build_pack
from dsa.liability import SimulationConfig, assess
from dsa.model import Model
from tests.conftest import _CACHE

YEARS = 2_000  # enough for stable tables; the figures are compared with the same engine run


@lru_cache(maxsize=None)
def assessment_of(name: str) -> dict:
    doc = _CACHE[name]
    return assess(Model.from_document(doc), config=SimulationConfig(years=YEARS, seed=0)).to_json()


@lru_cache(maxsize=None)
def pack_of(name: str):
    return build_pack(copy.deepcopy(_CACHE[name]), assessment=assessment_of(name))


def read_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture
def herefordshire_pack():
    return pack_of("herefordshire-phm.json")


@pytest.fixture
def minimal_pack():
    return pack_of("minimal.json")
