"""What the Liability, Negotiate and Agreements pages need before they start.

Only schema and reference (``REF…``) errors make a model unreadable, so only they
stop these pages. A model whose only errors are information-governance rules
(``IG…``) is still assessed and drafted, under a banner naming each open error
with a button to its fix (deployment.md, "Findings that block").
"""

from __future__ import annotations

import streamlit as st

from ..drafting.filters import md
from ..findings import Finding, blocking, governance_errors
from ..model import Model
from . import cached, state

MODEL_PAGE = "dsa/ui/pages/model.py"
_GO_TO_FIX = "ig_go_to_fix"
# How many open errors the banner lists one by one; the rest are counted and left to the Validation page.
BANNER_ROWS = 12


def valid_model(cannot: str) -> Model:
    """The working model; the page stops only if the model cannot be ``cannot`` (assessed, drafted) at all.

    With information-governance errors alone the page goes on under ``ig_banner``.
    """
    if st.session_state.pop(_GO_TO_FIX, False):  # a Fix button was pressed on the last run
        st.switch_page(MODEL_PAGE)
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
            text, button = st.columns([6, 1], vertical_alignment="center")
            text.markdown(f"**{md(where(finding, doc))}** — {md(finding.message)}  \n*Fix:* {md(finding.fix)}")
            button.button("Fix", key=f"ig_fix_{i}", on_click=_open_fix, args=(finding.path,),
                          help="Opens the Model page at the form holding this fact")
        if len(errors) > BANNER_ROWS:
            st.caption(f"… and {len(errors) - BANNER_ROWS} more on the Validation page.")


def where(finding: Finding, doc: dict) -> str:
    """The finding's place in words: "Flow 3 'Weekly PHM extract'", "Party 'Riverside Surgery'", "Partnership"."""
    path = finding.path
    for section, word in (("flows", "Flow"), ("parties", "Party"), ("clauses", "Clause"), ("scenarios", "Scenario")):
        if len(path) >= 2 and path[0] == section and isinstance(path[1], int):
            items = doc.get(section) or []
            item = items[path[1]] if path[1] < len(items) and isinstance(items[path[1]], dict) else {}
            name = item.get("name") or item.get("id") or ""
            number = f" {path[1] + 1}" if section == "flows" else ""
            return f"{word}{number} '{name}'" if name else f"{word}{number or ' ' + str(path[1] + 1)}"
    return "Partnership"


def _open_fix(path: tuple) -> None:
    """Select the flow or party the finding concerns in the Model page's forms, then go there."""
    doc = state.doc()
    if len(path) >= 2 and isinstance(path[1], int):
        items = doc.get(path[0]) or []
        item = items[path[1]] if path[1] < len(items) and isinstance(items[path[1]], dict) else {}
        if path[0] == "flows" and item.get("id"):
            st.session_state["flow_form_flow"] = item["id"]
        elif path[0] == "parties" and item.get("id"):
            st.session_state["contacts_party"] = item["id"]
    st.session_state[_GO_TO_FIX] = True  # st.switch_page cannot run inside a callback: valid_model does it


def kept_scenarios(key: str, model: Model) -> list[str]:
    """The scenarios chosen under ``key`` (None means all), without ids the model no longer has."""
    all_ids = [s.id for s in model.scenarios]
    saved = st.session_state[key]
    return all_ids if saved is None else [s for s in saved if s in all_ids]
