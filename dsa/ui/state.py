"""Session state has one owner: every key the dashboard keeps, with its default."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import streamlit as st

from ..canonical import canonical_json
from . import text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "herefordshire-phm.json"

DOC = "doc"                    # the working model (a dict), edited in place of a file
DOC_JSON = "doc_json"          # its canonical JSON, computed once per run: the key of every cached result
SOURCE = "source"              # where it came from, for the sidebar
STORE_NAME = "store_name"      # its name in the store, once saved or opened
BASE_VERSION = "base_version"  # the stored version the edits started from (optimistic concurrency)
AUTHOR = "author"              # the person's name: never a widget key (see auth.sidebar_identity)
AUTHOR_FIELD = "author_field"  # the sidebar's name field
YEARS = "years"
SEED = "seed"
THRESHOLD = "threshold"
SCENARIOS = "scenarios"
PRACTICE = "practice"
SCHEDULE_SCENARIOS = "schedule_scenarios"
EDITOR_EPOCH = "editor_epoch"  # bumped when the model is replaced, so editors drop their pending edits
MESSAGE = "message"            # a one-off notice shown after a rerun

# AUTHOR starts empty: the person's name is asked for once per session, never guessed (deployment.md).
DEFAULTS = {SOURCE: "bundled example", STORE_NAME: None, BASE_VERSION: None,
            AUTHOR: "", YEARS: 100_000, SEED: 0, THRESHOLD: 100_000.0, SCENARIOS: None,
            PRACTICE: None, SCHEDULE_SCENARIOS: None, EDITOR_EPOCH: 0, MESSAGE: None}


def init() -> None:
    """Set every default once per session (the working model starts as the bundled example); run first each run."""
    if DOC not in st.session_state:
        st.session_state[DOC] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for key, value in DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.deepcopy(value)
    st.session_state[DOC_JSON] = canonical_json(st.session_state[DOC])


def doc() -> dict:
    return st.session_state[DOC]


def doc_json() -> str:
    """The working model as canonical JSON: the cache key of every heavy result."""
    return st.session_state[DOC_JSON]


def set_doc(document: dict, *, source: str | None = None, store_name: str | None = None,
            base_version: int | None = None, replaced: bool = False) -> None:
    """Replace the working model (an edit, or a new model when ``replaced``)."""
    st.session_state[DOC] = document
    st.session_state[DOC_JSON] = canonical_json(document)
    if source is not None:
        st.session_state[SOURCE] = source
    if replaced:
        st.session_state[STORE_NAME] = store_name
        st.session_state[BASE_VERSION] = base_version
        st.session_state[SCENARIOS] = None
        st.session_state[PRACTICE] = None
        st.session_state[SCHEDULE_SCENARIOS] = None
        st.session_state[EDITOR_EPOCH] += 1


def flash(message: str) -> None:
    st.session_state[MESSAGE] = message


def show_flash() -> None:
    if st.session_state.get(MESSAGE):
        st.success(text.safe(st.session_state[MESSAGE]))  # messages quote names and file names
        st.session_state[MESSAGE] = None
