"""Liability page: each party's and each GP partner's exposure, with and without the clauses."""

import datetime as dt

import pandas as pd
import streamlit as st

from dsa.assumptions import defaults, effective, sources
from dsa.editing import assumption_overrides, assumption_rows
from dsa.liability import DISCLAIMER
from dsa.liability.tables import practice_rows
from dsa.tabular.export import csv_text
from dsa.ui import cached, charts, guards, practice, state

st.title("Liability")
st.info(DISCLAIMER, icon=":material/info:")
this_model, comparing = st.tabs(["This model", "Compare arrangements"], key="liability_tab", on_change="rerun")
if comparing.open:  # the Compare tab needs no working model, so it comes before the page's guard
    from dsa.ui import compare

    with comparing:
        compare.render()
    st.stop()
model = guards.valid_model("assessed")
doc = state.doc()
doc_json = state.doc_json()
names = {s.id: s.name for s in model.scenarios}
all_ids = [s.id for s in model.scenarios]
with st.form("assessment_settings"):
    a, b, c, d = st.columns(4)
    chosen = a.multiselect("Scenarios (the baseline is always shown)", all_ids,
                           default=guards.kept_scenarios(state.SCENARIOS, model),
                           format_func=lambda s: names.get(s, s), key="liability_scenarios")
    years = b.select_slider("Simulated years", [2_000, 5_000, 20_000, 50_000, 100_000],
                            value=st.session_state[state.YEARS], key="liability_years")
    seed = c.number_input("Seed", min_value=0, step=1, value=st.session_state[state.SEED], key="liability_seed")
    threshold = d.number_input("Threshold (£)", min_value=0.0, step=10_000.0,
                               value=float(st.session_state[state.THRESHOLD]), key="liability_threshold")
    if st.form_submit_button("Run assessment", type="primary"):
        st.session_state[state.SCENARIOS] = chosen
        st.session_state[state.YEARS], st.session_state[state.SEED] = years, int(seed)
        st.session_state[state.THRESHOLD] = threshold

scenarios = tuple(guards.kept_scenarios(state.SCENARIOS, model))  # the form may just have changed it
result = cached.assessment(doc_json, scenarios, st.session_state[state.YEARS], st.session_state[state.SEED],
                           float(st.session_state[state.THRESHOLD]))
parties = [(p.id, p.name) for p in model.parties]

mean_tab, p99_tab, curve_tab = st.tabs(["Mean annual loss", "P99 annual loss", "Exceedance curves"])
mean_tab.plotly_chart(charts.exposure_bars(result, parties, names, "mean"), key="bars_mean")
p99_tab.plotly_chart(charts.exposure_bars(result, parties, names, "p99"), key="bars_p99")
with curve_tab:
    key = st.selectbox("Whose losses", ["__total__", *[p for p, _ in parties]], key="curve_party",
                       format_func=lambda k: "All parties together" if k == "__total__" else dict(parties)[k])
    st.plotly_chart(charts.exceedance_figure(result["curves"], key, names, "Chance that a year's loss exceeds"),
                    key="curve_chart")

st.subheader("GP practices: before and after the clauses")
rows = practice_rows(model, cached.assessment_json(result))
if rows:
    frame = pd.DataFrame(rows)
    st.dataframe(frame, hide_index=True, key="practices_table", column_config={
        c: st.column_config.NumberColumn(c.replace("_", " "), format="£%.0f")
        for c in frame.columns if c not in ("practice", "ods_code", "partners", "scenario")})
    st.download_button("Download this table (CSV)", key="practices_csv", file_name="gp-practice-exposure.csv",
                       mime="text/csv",
                       data=csv_text([list(rows[0]), *[list(r.values()) for r in rows]]).encode("utf-8"))
else:
    st.caption("The model has no GP practice.")

practice.section(doc, model, cached.assessment_json(result), dt.date.today().isoformat())

st.subheader("Assumptions behind these figures")
st.caption("Every default comes with its source. Change a value to override it for this model: the "
           "assessment reruns.")
current = effective(model)
table = pd.DataFrame(assumption_rows(current.values, defaults(), sources()))
editor_key = f"assumptions_{st.session_state[state.EDITOR_EPOCH]}"
edited = st.data_editor(table, key=editor_key, hide_index=True,
                        disabled=["assumption", "default", "source"], width="stretch",
                        column_config={"value": st.column_config.NumberColumn("value", format="%.4g"),
                                       "source": st.column_config.TextColumn("source", width="large")})
edits = (st.session_state.get(editor_key) or {}).get("edited_rows")
overrides = assumption_overrides(edited.to_dict("records"), defaults()) if edits else None
kept = {k: v for k, v in (doc.get("assumptions") or {}).items() if k not in current.values}
if overrides is not None and {**kept, **overrides} != (doc.get("assumptions") or {}):
    updated = {**doc, "assumptions": {**kept, **overrides}}
    if not updated["assumptions"]:
        del updated["assumptions"]
    state.set_doc(updated)
    st.session_state[state.EDITOR_EPOCH] += 1  # the editor restarts from the model's new values
    st.rerun()
