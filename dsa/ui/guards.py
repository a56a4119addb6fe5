"""What the Liability and Agreements pages both need before they start."""

from __future__ import annotations

import streamlit as st

from ..findings import has_errors
from ..model import Model
from . import cached, state


def valid_model(cannot: str) -> Model:
    """The working model, or stop the page saying it ``cannot`` be used while it has errors."""
    if has_errors(cached.findings(state.doc_json())):
        st.error(f"The model has errors, so it cannot be {cannot}. Fix them on the Validation page first.")
        st.stop()
    return Model.from_document(state.doc())


def kept_scenarios(key: str, model: Model) -> list[str]:
    """The scenarios chosen under ``key`` (None means all), without ids the model no longer has."""
    all_ids = [s.id for s in model.scenarios]
    saved = st.session_state[key]
    return all_ids if saved is None else [s for s in saved if s in all_ids]
