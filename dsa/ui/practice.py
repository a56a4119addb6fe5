"""For one practice: its flows and roles, the findings on them, its exposure explained, and a briefing to download."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from .. import labels
from ..drafting.briefing import role_on
from ..liability.tables import practice_exposure
from ..model import Model
from . import cached, explain, fields, state, text


def section(doc: dict, model: Model, result: dict, today: str) -> None:
    practices = explain.primary_care(model)
    if not practices:
        return
    st.subheader("For one practice")
    ids = [p.id for p in practices]
    if st.session_state[state.PRACTICE] not in ids:
        st.session_state[state.PRACTICE] = ids[0]
    party_id = st.selectbox("Practice", ids, key=state.PRACTICE,
                            format_func=lambda i: f"{model.party(i).name} ({labels.label('type', model.party(i).type)})")
    party = model.party(party_id)
    flows = [f for f in model.flows if party_id in f.parties]
    st.dataframe(pd.DataFrame([{"Flow": f.name, "Other party": model.party(
        f.recipient if f.source == party_id else f.source).name, "Purpose": labels.label("purpose", f.purpose),
        "Role": role_on(f, party_id)} for f in flows]), hide_index=True, key="practice_flows", width="stretch")
    positions = {i for i, f in enumerate(model.flows) if party_id in f.parties}
    findings = [f for f in cached.findings(state.doc_json())
                if len(f.path) >= 2 and f.path[0] == "flows" and f.path[1] in positions]
    if findings:
        with st.expander(f"Findings on this practice's flows ({len(findings)})"):
            st.markdown("\n".join(f"- **{labels.SEVERITY[f.severity.value]}** · "
                                  f"{text.safe(fields.location(doc, f.path))}: {text.safe(text.plain(f.message))} "
                                  f"**Fix:** {text.safe(text.plain(f.fix))}" for f in findings))
    else:
        st.caption("No finding on this practice's flows.")
    names = {s.id: s.name for s in model.scenarios}
    exposure = []
    for r in practice_exposure(result, party_id):
        stats = result["scenarios"][r["scenario_id"]]["parties"][party_id]
        partners = (result["scenarios"][r["scenario_id"]].get("partners") or {}).get(party_id) or {}
        exposure.append({
            "Scenario": explain.scenario_label(r["scenario_id"], names), "Practice, mean a year": text.money(r["mean"]),
            "Practice, 1 in 100 years": text.money(r["p99"]),
            "Practice, 1 in 1,000 years": text.money(explain.tail(stats, "p99_9")),
            "Practice, worst 1 in 100 average": text.money(explain.tail(stats, "tvar99")),
            "Per partner, mean a year": text.money(r["mean_per_partner"]),
            "Per partner, 1 in 1,000 years": text.money(explain.tail(partners, "p99_9")),
            "One partner could be asked for (1 in 100 years)": text.money(r["joint_and_several_p99"])})
    st.dataframe(pd.DataFrame(exposure), hide_index=True, key="practice_exposure", width="stretch")
    st.markdown("**What these figures mean for the partners**")
    for sid in result["scenarios"]:
        st.markdown(text.safe(explain.partner_sentence(model, result, party_id, sid)))
    if not party.has_personal_exposure:
        st.caption("No partner carries this practice's losses personally, so the per-partner columns are empty.")
    markdown, docx = cached.briefing(state.doc_json(), party_id, json.dumps(result, sort_keys=True), today)
    a, b = st.columns(2)
    a.download_button("Briefing for the partners (DOCX)", docx, file_name=f"briefing-{party_id}.docx",
                      key="briefing_docx",
                      mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    b.download_button("Briefing (Markdown)", markdown.encode("utf-8"), file_name=f"briefing-{party_id}.md",
                      key="briefing_md", mime="text/markdown")
