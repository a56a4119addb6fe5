"""The sidebar on every page: which model, its live error and warning counts, and dates falling due."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import reviews
from .text import safe as md  # the one escaping helper for model text
from ..findings import Severity, blocking, count
from . import auth, cached, state


def render(today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    doc = state.doc()
    findings = cached.findings(state.doc_json())
    errors, warnings = count(findings, Severity.ERROR), count(findings, Severity.WARNING)
    with st.sidebar:
        name = (doc.get("partnership") or {}).get("name") if isinstance(doc.get("partnership"), dict) else None
        st.markdown(f"**{md(name or 'Untitled partnership')}**")
        stored = st.session_state[state.STORE_NAME]
        st.caption(f"From: {md(st.session_state[state.SOURCE])}"
                   + (f" · saved as '{md(stored)}' v{st.session_state[state.BASE_VERSION]}" if stored else
                      " · not saved yet"))
        left, right = st.columns(2)
        left.metric("Errors", errors)
        right.metric("Warnings", warnings)
        stop = len(blocking(findings))
        if stop:
            st.error(f"{stop} error(s) in the model's structure or references: it cannot be assessed or drafted "
                     "until they are fixed.", icon=":material/error:")
        elif errors:
            st.warning(f"{errors} information-governance error(s): the figures and drafts are shown, but the "
                       "agreement is not ready to sign.", icon=":material/warning:")
        due = reviews.due(doc, today)
        if due:
            st.warning("**Reviews due**\n\n" + "\n".join(f"- {md(d.describe(today))}" for d in due),
                       icon=":material/event:")
            st.download_button("Add these dates to a calendar (.ics)", key="reviews_ics",
                               data=reviews.ics(due, str(name or "partnership"), today),
                               file_name="dsa-reviews.ics", mime="text/calendar")
        auth.sidebar_identity()  # the typed name, or who is signed in and Sign out (shared mode)
        st.caption("dsa is a modelling aid, not legal advice.")
