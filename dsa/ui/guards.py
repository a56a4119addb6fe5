"""What the Liability, Negotiate and Agreements pages need before they start.

Only schema and reference (``REF…``) errors make a model unreadable, so only they
stop these pages. A model whose only errors are information-governance rules
(``IG…``) is still assessed and drafted, under a banner naming each open error
with a button to its fix (deployment.md, "Findings that block").
"""

from __future__ import annotations

import streamlit as st

from ..findings import Finding, blocking, governance_errors
from ..model import Model
from . import cached, fields, item_forms, state, text

FIX_PAGE = "fix_page"  # the page a Fix button asked for; switched to on the next run (as on the Validation page)
# How many open errors the banner lists one by one; the rest are counted and left to the Validation page.
BANNER_ROWS = 12


def valid_model(cannot: str) -> Model:
    """The working model; the page stops only if the model cannot be ``cannot`` (assessed, drafted) at all.

    With information-governance errors alone the page goes on under ``ig_banner``.
    """
    if st.session_state.get(FIX_PAGE):  # a Fix button was pressed on the last run
        st.switch_page(st.session_state.pop(FIX_PAGE))
    findings = cached.findings(state.doc_json())
    stop = blocking(findings)
    if stop:
        st.error(f"The model has errors in its structure or references, so it cannot be {cannot}: fix these "
                 f"{len(stop)} on the Validation page first.")
        st.stop()
    ig_banner(governance_errors(findings))
    return Model.from_document(state.doc())


def ig_banner(errors: list[Finding]) -> None:
    """A warning listing the open information-governance errors, each with a button to the form that fixes it."""
    if not errors:
        return
    doc = state.doc()
    with st.container(border=True, key="ig_banner"):
        st.warning(f"**Not ready to sign: {len(errors)} information-governance error(s) are open.** "
                   "The figures and drafts below are shown so the proposal can be weighed; the drafts are marked "
                   "NOT FOR SIGNATURE until these are fixed.", icon=":material/warning:")
        for i, finding in enumerate(errors[:BANNER_ROWS]):
            words, button = st.columns([6, 1], vertical_alignment="center")
            words.markdown(f"**{text.safe(fields.location(doc, tuple(finding.path)))}** — "
                           f"{text.safe(text.plain(finding.message))}  \n*Fix:* {text.safe(text.plain(finding.fix))}")
            button.button("Fix", key=f"ig_fix_{i}", on_click=open_fix, args=(tuple(finding.path),),
                          help="Opens the form holding this fact")
        if len(errors) > BANNER_ROWS:
            st.caption(f"… and {len(errors) - BANNER_ROWS} more on the Validation page.")


def open_fix(path: tuple) -> None:
    """Button callback (the banner's and the Validation page's Fix): open the form that holds the field at
    ``path``; ``st.switch_page`` cannot run in a callback, so the page switches on the next run."""
    doc = state.doc()
    section, index, form_section = fields.fix_target(path)
    items = doc.get(section) if section in ("flows", "parties") else None
    if items is not None and index is not None and index < len(items) and isinstance(items[index], dict) \
            and items[index].get("id"):
        noun = item_forms.KIND_NAMES[section]
        st.session_state[f"{noun}_form_{noun}"] = items[index]["id"]
        st.session_state[item_forms.FIX] = (section, form_section)
    elif section == "clauses" and items is None and index is not None:
        clauses = doc.get("clauses") or []
        if index < len(clauses) and isinstance(clauses[index], dict):
            st.session_state[f"clause_box_{clauses[index].get('id')}"] = True  # that clause's form, open
    elif section == "scenarios":
        st.session_state["scenarios_box"] = True
    elif section == "partnership":
        st.session_state["partnership_box"] = True
    st.session_state[FIX_PAGE] = "dsa/ui/pages/liability.py" if section == "assumptions" else \
        "dsa/ui/pages/model.py"


def kept_scenarios(key: str, model: Model) -> list[str]:
    """The scenarios chosen under ``key`` (None means all), without ids the model no longer has."""
    all_ids = [s.id for s in model.scenarios]
    saved = st.session_state[key]
    return all_ids if saved is None else [s for s in saved if s in all_ids]
