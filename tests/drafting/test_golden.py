"""The minimal example's pack is compared, file by file, with reviewed golden copies.

After an intended wording change, regenerate them with
``DSA_UPDATE_GOLDEN=1 python3 -m pytest tests/drafting/test_golden.py`` and
review the diff like any other change to legal text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dsa.drafting import build_pack
from tests.conftest import _CACHE
from tests.drafting.conftest import assessment_of

GOLDEN = Path(__file__).parent / "golden" / "minimal"


def test_the_minimal_pack_matches_the_golden_files(minimal_pack):
    files = minimal_pack.files(formats=("md",))
    if os.environ.get("DSA_UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for old in GOLDEN.glob("*.md"):
            old.unlink()
        for name, data in files.items():
            (GOLDEN / name).write_bytes(data)
    expected = sorted(p.name for p in GOLDEN.glob("*.md"))
    assert sorted(files) == expected
    for name in expected:
        assert files[name].decode("utf-8") == (GOLDEN / name).read_text(encoding="utf-8"), name


def test_the_same_model_gives_the_same_bytes():
    doc = _CACHE["minimal.json"]
    first = build_pack(doc, assessment=assessment_of("minimal.json")).zip_bytes()
    second = build_pack(doc, assessment=assessment_of("minimal.json")).zip_bytes()
    assert first == second


def test_a_changed_model_changes_the_version_in_every_header(minimal_doc, minimal_pack):
    minimal_doc["partnership"]["name"] = "Riverside PHM pilot (phase 2)"
    changed = build_pack(minimal_doc, assessment=assessment_of("minimal.json"))
    assert changed.version != minimal_pack.version
    assert all(changed.version in d.header for d in changed.drafts)


@pytest.mark.parametrize("name", ["data-sharing-agreement", "processing-contract-m81001-csu",
                                  "risk-sharing-schedule", "data-subject-summary"])
def test_each_document_of_the_minimal_pack_is_there(minimal_pack, name):
    assert minimal_pack.draft(name).markdown.startswith("# ")
