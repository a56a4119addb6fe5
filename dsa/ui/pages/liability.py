"""Liability page: each party's and each practice partner's exposure, with and without the clauses, in words."""

import datetime as dt

import pandas as pd
import streamlit as st

from dsa.assumptions import defaults, effective, sources
from dsa.editing import assumption_overrides, assumption_rows
from dsa.liability import DISCLAIMER
from dsa.liability.tables import practice_rows, rounded_row
from dsa.tabular.export import csv_text
from dsa.ui import cached, charts, explain, guards, practice, state, text
from dsa.ui.assumption_names import assumption_name

YEAR_CHOICES = [10_000, 20_000, 50_000, 100_000, 200_000]

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
    chosen = st.multiselect("Scenarios to compare with the legal default (no clause)", all_ids,
                            default=guards.kept_scenarios(state.SCENARIOS, model),
                            format_func=lambda s: names.get(s, s), key="liability_scenarios")
    years = st.select_slider("Simulated years", YEAR_CHOICES, value=st.session_state[state.YEARS],
                             format_func=lambda y: f"{y:,}", key="liability_years",
                             help="More years make the rare bad years' figures steadier and take longer. "
                                  "100,000 years give the 1-in-1,000-year loss from about 100 bad years.")
    with st.expander("Advanced"):
        a, b = st.columns(2)
        seed = a.number_input("Random seed", min_value=0, max_value=2**32 - 1, step=1,
                              value=st.session_state[state.SEED], key="liability_seed",
                              help="The same seed and model give exactly the same figures, so a result can be "
                                   "checked by someone else. Change it to see how much the figures move by chance.")
        threshold = b.number_input("Threshold for a party's bad year (£)", min_value=0.0, step=10_000.0,
                                   format="%.0f", value=float(st.session_state[state.THRESHOLD]),
                                   key="liability_threshold",
                                   help="The 'chance of exceeding' column is the share of years in which a party's "
                                        "loss is above this amount.")
    if st.form_submit_button("Run assessment", type="primary"):
        st.session_state[state.SCENARIOS] = chosen
        st.session_state[state.YEARS], st.session_state[state.SEED] = years, int(seed)
        st.session_state[state.THRESHOLD] = threshold

scenarios = tuple(guards.kept_scenarios(state.SCENARIOS, model))  # the form may just have changed it
result = cached.assessment(doc_json, scenarios, st.session_state[state.YEARS], st.session_state[state.SEED],
                           float(st.session_state[state.THRESHOLD]))
assessment = cached.assessment_json(result)
parties = [(p.id, p.name) for p in model.parties]
margins = result.get("margins", {})
total_margin = margins.get("baseline", {}).get("__total__")
st.caption(f"From {result['years']:,} simulated years (seed {result['seed']}). All parties together can expect "
           f"{text.money(result['scenarios']['baseline']['total']['mean'])} a year with no clause"
           + (f", give or take {text.money(total_margin)} (the 95% margin of this estimate)" if total_margin else "")
           + ". Each party's margin is in the table below.")

bars, worst_tab, curve_tab, table_tab = st.tabs(["Mean annual loss", "Bad years", "How often a year is worse",
                                                 "Every party"])
with bars:
    st.plotly_chart(charts.exposure_bars(result, parties, names, "mean"), key="bars_mean")
with worst_tab:
    metrics = {"p99": "1 year in 100 is worse than this (P99)", "p99_9": "1 year in 1,000 is worse than this (P99.9)",
               "tvar99": "The average of the worst 1 year in 100 (TVaR99)"}
    available = [m for m in metrics if all(m in s["parties"][parties[0][0]] for s in result["scenarios"].values())]
    metric = st.radio("Which bad year", available, format_func=metrics.get, horizontal=True, key="bars_metric")
    st.plotly_chart(charts.exposure_bars(result, parties, names, metric), key="bars_tail")
with curve_tab:
    key = st.selectbox("Whose losses", ["__total__", *[p for p, _ in parties]], key="curve_party",
                       format_func=lambda k: "All parties together" if k == "__total__" else dict(parties)[k])
    st.plotly_chart(charts.exceedance_figure(result["curves"], key, names, "How often a year's loss is worse than"),
                    key="curve_chart")
with table_tab:
    rows = []
    for sid, res in result["scenarios"].items():
        for pid, pname in parties:
            s = res["parties"][pid]
            margin = margins.get(sid, {}).get(pid)
            rows.append({"Scenario": explain.scenario_label(sid, names), "Party": pname,
                         "Mean a year": text.money(s["mean"]) + (f" ± {text.money(margin)}" if margin else ""),
                         "Any loss": text.one_in(explain.tail(s, "p_any")) if "p_any" in s else "—",
                         "1 in 100 years worse than": text.money(s["p99"]),
                         "1 in 1,000 years worse than": text.money(explain.tail(s, "p99_9")),
                         "Worst 1 in 100 years, average": text.money(explain.tail(s, "tvar99")),
                         f"Chance over {text.money(assessment['threshold_gbp'])}": text.percent(s.get("p_exceed"))})
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="parties_table", width="stretch")
    st.caption("± is the 95% margin of the simulated mean. The bad-year figures are the loss that only 1 year in "
               "100 (or 1,000) is worse than; the worst-years average is the mean of the worst 1 in 100 years.")

st.subheader("Primary care practices: before and after the clauses")
rows = practice_rows(model, assessment)
if rows:
    contractors = explain.primary_care(model)
    order = [(p, sid) for p in contractors for sid in assessment["scenarios"]]  # practice_rows' own order
    threshold = assessment.get("partner_threshold_gbp")
    shown = []
    for r, (party, sid) in zip(rows, order, strict=True):
        stats = assessment["scenarios"][sid]["parties"][party.id]
        partners = (assessment["scenarios"][sid].get("partners") or {}).get(party.id) or {}
        exceed = partners.get("p_exceed_per_partner")
        shown.append({"Practice": r["practice"], "Type": r.get("type") or text.enum_label(party.type),
                      "Partners": str(r["partners"]) if r["partners"] else "—", "Scenario": r["scenario"],
                      "Mean a year, no clause": text.money(r["mean_before"]),
                      "Mean a year, with": text.money(r["mean_after"]), "Change": text.change(r["mean_change"]),
                      "1 in 100 years, with": text.money(r["p99_after"]),
                      "1 in 1,000 years, with": text.money(explain.tail(stats, "p99_9")),
                      "Worst 1 in 100 average, with": text.money(explain.tail(stats, "tvar99")),
                      "Per partner, mean a year": text.money(r["per_partner_mean_after"]),
                      "Per partner, 1 in 1,000 years": text.money(explain.tail(partners, "p99_9")),
                      "A partner's share passes the threshold": "—" if exceed is None else text.one_in(exceed),
                      "One partner could be asked for (1 in 100 years)": text.money(r["joint_and_several_p99_after"])})
    st.dataframe(pd.DataFrame(shown), hide_index=True, key="practices_table", width="stretch")
    st.caption("Per partner: the practice's loss after insurance, shared equally. '1 in 1,000 years' is the loss "
               "only 1 year in 1,000 is worse than; the worst-years average is the mean of the worst 1 year in 100. "
               + (f"The threshold for a partner is {text.money(threshold)} (an assumption below). " if threshold
                  else "") + "Partners are jointly and severally liable, so one partner can be asked for the whole "
               "practice's loss (last column).")
    table = [[k.replace("_", " ") for k in rows[0]], *[list(rounded_row(r).values()) for r in rows]]
    st.download_button("Download this table (CSV: whole pounds, chances to 4 decimal places)", key="practices_csv",
                       file_name="practice-exposure.csv", mime="text/csv", data=csv_text(table).encode("utf-8"))
else:
    st.caption("The model has no primary care practice (GP, dental, optometry or pharmacy).")

practice.section(doc, model, assessment, dt.date.today().isoformat())

st.subheader("Assumptions behind these figures")
st.caption("Every default comes with its source. Change a value to override it for this model: the "
           "assessment reruns.")
current = effective(model)
table = pd.DataFrame(assumption_rows(current.values, defaults(), sources()))
keys = list(table["assumption"])  # the rows' keys, by position: people read the names
shown = pd.DataFrame({"Assumption": [assumption_name(k) for k in keys], "Value": table["value"],
                      "Default": table["default"], "Source": [text.plain(s) for s in table["source"]]})
editor_key = f"assumptions_{st.session_state[state.EDITOR_EPOCH]}"
edited = st.data_editor(shown, key=editor_key, hide_index=True, disabled=["Assumption", "Default", "Source"],
                        width="stretch", num_rows="fixed",
                        column_config={"Assumption": st.column_config.TextColumn(width="medium"),
                                       "Value": st.column_config.NumberColumn(format="%.4g"),
                                       "Default": st.column_config.NumberColumn(format="%.4g"),
                                       "Source": st.column_config.TextColumn(width="large")})
edits = (st.session_state.get(editor_key) or {}).get("edited_rows")
overrides = assumption_overrides([{"assumption": k, "value": v, "default": d} for k, v, d in
                                  zip(keys, edited["Value"], edited["Default"], strict=True)], defaults()) \
    if edits else None
kept = {k: v for k, v in (doc.get("assumptions") or {}).items() if k not in current.values}
if overrides is not None and {**kept, **overrides} != (doc.get("assumptions") or {}):
    updated = {**doc, "assumptions": {**kept, **overrides}}
    if not updated["assumptions"]:
        del updated["assumptions"]
    state.set_doc(updated)
    st.session_state[state.EDITOR_EPOCH] += 1  # the editor restarts from the model's new values
    st.rerun()
