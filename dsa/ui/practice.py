"""For one practice: its flows and roles, the findings on them, its exposure, and a briefing to download."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from ..drafting.briefing import role_on
from ..drafting.filters import md
from ..liability.tables import practice_exposure
from ..model import Model
from . import cached, state


def section(doc: dict, model: Model, result: dict, today: str) -> None:
    practices = [p for p in model.parties if p.type == "gp_practice"]
    if not practices:
        return
    st.subheader("For one practice")
    ids = [p.id for p in practices]
    if st.session_state[state.PRACTICE] not in ids:
        st.session_state[state.PRACTICE] = ids[0]
    party_id = st.selectbox("Practice", ids, key=state.PRACTICE, format_func=lambda i: model.party(i).name)
    flows = [f for f in model.flows if party_id in f.parties]
    st.dataframe(pd.DataFrame([{"flow": f.name, "other party": model.party(
        f.recipient if f.source == party_id else f.source).name, "purpose": f.purpose.replace("_", " "),
        "role": role_on(f, party_id)} for f in flows]), hide_index=True, key="practice_flows")
    positions = {i for i, f in enumerate(model.flows) if party_id in f.parties}
    findings = [f for f in cached.findings(state.doc_json())
                if len(f.path) >= 2 and f.path[0] == "flows" and f.path[1] in positions]
    if findings:
        for f in findings:
            st.markdown(f"- **{f.severity.value} {f.rule}** {md(f.message)} Fix: {md(f.fix)}")
    else:
        st.caption("No finding on this practice's flows.")
    names = {s.id: s.name for s in model.scenarios}
    exposure = [{"scenario": "baseline (legal default)" if r["scenario_id"] == "baseline"
                 else names.get(r["scenario_id"], r["scenario_id"]),
                 "practice mean": r["mean"], "practice P99": r["p99"], "mean per partner": r["mean_per_partner"],
                 "joint and several P99": r["joint_and_several_p99"]} for r in practice_exposure(result, party_id)]
    st.dataframe(pd.DataFrame(exposure), hide_index=True, key="practice_exposure", column_config={
        c: st.column_config.NumberColumn(c, format="£%.0f") for c in exposure[0] if c != "scenario"})
    markdown, docx = cached.briefing(state.doc_json(), party_id, json.dumps(result, sort_keys=True), today)
    a, b = st.columns(2)
    a.download_button("Briefing for the partners (DOCX)", docx, file_name=f"briefing-{party_id}.docx",
                      key="briefing_docx",
                      mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    b.download_button("Briefing (Markdown)", markdown.encode("utf-8"), file_name=f"briefing-{party_id}.md",
                      key="briefing_md", mime="text/markdown")
