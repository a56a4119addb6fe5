"""AppTest fixtures: the real dashboard script, a throwaway store, and a record of every download."""

from __future__ import annotations

import io

import docx
import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = "dsa/ui/pages"


@pytest.fixture
def downloads(monkeypatch):
    """file name → bytes of every download button drawn during the test."""
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, (bytes, str)):
            seen[filename] = path_or_data.encode("utf-8") if isinstance(path_or_data, str) else path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("DSA_DATABASE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"{PAGES}/{page}.py").run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, *columns: str):
    """The first dataframe on the page having these columns."""
    for frame in at.dataframe:
        if all(c in frame.value.columns for c in columns):
            return frame.value
    raise AssertionError(f"no table with columns {columns}")


def read_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def epoch(at: AppTest) -> int:
    return at.session_state["editor_epoch"]


def open_box(at: AppTest, key: str, tab: tuple[str, str] | None = None) -> AppTest:
    """Open the expander ``key`` (and choose ``tab`` = (tabs key, label)), as a click does; the page draws it."""
    at.session_state[key] = True
    if tab:
        at.session_state[tab[0]] = tab[1]
    at.run()
    assert not at.exception, at.exception
    return at


def open_sections(at: AppTest, noun: str, item_id: str, *sections: str) -> AppTest:
    """Open sections of the Model page's form for one flow or party (closed sections are not drawn)."""
    for section in sections:
        at.session_state[f"{noun}_{item_id}_{epoch(at)}__section_{section}"] = True
    at.run()
    assert not at.exception, at.exception
    return at
