"""Negotiate page: what terms meet a target and what they cost, which assumptions matter, what fixing buys."""

import json

import pandas as pd
import streamlit as st

from dsa.canonical import canonical_json
from dsa.errors import DsaError
from dsa.labels import COMPONENT, PARTY_TYPE, PARTY_TYPE_PLURAL, label
from dsa.liability import DISCLAIMER
from dsa.model import Indemnity, PURPOSES
from dsa.negotiation import VARY
from dsa.negotiation.scenario import scenario_id as solved_id, solved_document
from dsa.negotiation.sensitivity import METRICS as SENS_METRICS
from dsa.ui import cached, guards, negotiate_view as view, state, text

TEMPLATE = "__template__"
TEMPLATE_ID = "negotiated-indemnity"
REQUEST = "negotiate_request"  # the last solve asked for: (doc_json, clause id, vary, targets, parties, scenario, years, seed)

st.title("Negotiate")
st.info(DISCLAIMER, icon=":material/info:")
state.show_flash()
# Only unreadable models stop the figures; IG errors are listed in a banner with Fix links (deployment.md).
model = guards.valid_model("assessed")
doc = state.doc()
names = {p.id: p.name for p in model.parties}
scenario_names = {"baseline": "Baseline (no risk-sharing clauses)", **{s.id: s.name for s in model.scenarios}}
personal = [p.id for p in model.parties if p.has_personal_exposure]

targets_tab, sensitivity_tab, fixes_tab = st.tabs(["Targets", "Sensitivity", "What fixing buys"])


def choose_parties(key: str) -> tuple[str, ...]:
    who = st.radio("Whose figures the targets limit", ["Every party with personal exposure", "Chosen parties"],
                   key=f"{key}_who", horizontal=True)
    if who == "Chosen parties":
        chosen = st.multiselect("Parties", [p.id for p in model.parties], default=personal[:1],
                                format_func=names.get, key=f"{key}_parties")
        return tuple(chosen)
    return tuple(personal)


with targets_tab:
    indemnities = [c for c in model.clauses if isinstance(c, Indemnity)]
    options = [c.id for c in indemnities] + [TEMPLATE]
    clause_names = {c.id: c.name for c in indemnities} | {TEMPLATE: "A new indemnity from a template…"}
    clause_id = st.selectbox("Clause", options, format_func=clause_names.get, key="negotiate_clause")
    working = doc
    if clause_id == TEMPLATE:
        a, b = st.columns(2)
        giver = a.selectbox("Who gives it", [p.id for p in model.parties], format_func=names.get,
                            key="negotiate_template_giver")
        types = sorted({p.type for p in model.parties}, key=lambda t: PARTY_TYPE.get(t, t))
        bene = b.selectbox("Who benefits (every party of this type)", types, format_func=lambda t: label("type", t),
                           index=types.index("gp_practice") if "gp_practice" in types else 0,
                           key="negotiate_template_type")
        used = sorted({f.purpose for f in model.flows}, key=PURPOSES.index)
        purposes = a.multiselect("For data shared for", used, default=used, format_func=lambda p: label("purpose", p),
                                 key="negotiate_template_purposes")
        covers = b.multiselect("It covers", list(COMPONENT), default=["compensation", "response_costs"],
                               format_func=COMPONENT.get, key="negotiate_template_covers")
        template = {"id": TEMPLATE_ID, "type": "indemnity",
                    "name": f"{names[giver]} indemnifies {PARTY_TYPE_PLURAL.get(bene, PARTY_TYPE.get(bene, bene))}",
                    "indemnifier": giver, "beneficiaries": {"party_type": bene}, "share": 1.0,
                    "covers": covers or ["compensation", "response_costs"]}
        if purposes and len(purposes) < len(used):
            template["applies_to"] = {"purposes": purposes}
        working = {**doc, "clauses": [c for c in doc.get("clauses", []) if c.get("id") != TEMPLATE_ID] + [template]}
        clause_id, clause_name, giver_id = TEMPLATE_ID, template["name"], giver
    else:
        clause = model.clause(clause_id)
        clause_name, giver_id = clause.name, clause.indemnifier
    vary = st.selectbox("What to vary", list(VARY), format_func=view.VARY_LABELS.get, key="negotiate_vary")
    st.markdown("**Targets**")
    count = st.number_input("How many targets", min_value=1, max_value=3, value=1, step=1, key="negotiate_count")
    targets = []
    for k in range(int(count)):
        a, b, c = st.columns([1, 2, 1])
        subject = a.selectbox("Who", ["partner", "party"], key=f"negotiate_subject_{k}",
                              format_func={"partner": "No partner", "party": "No party"}.get)
        metric = b.selectbox("Measure", list(view.MEASURES), key=f"negotiate_metric_{k}",
                             format_func=lambda m: {"mean": "loses more than this in an average year",
                                                    "p_exceed": "has more than this chance a year of losing more "
                                                                "than the threshold"}.get(
                                 m, f"loses more than this {view.MEASURES[m]}"))
        if metric == "p_exceed":
            limit = c.number_input("Chance (0 to 1)", min_value=0.0, max_value=1.0, value=0.01, step=0.001,
                                   format="%.3f", key=f"negotiate_chance_{k}")
            targets.append(f"{subject}.{metric} <= {limit!r}")
        else:
            limit = c.number_input("Limit (£)", min_value=0, value=25_000, step=1_000, key=f"negotiate_limit_{k}")
            targets.append(f"{subject}.{metric} <= {int(limit)}")
    parties = choose_parties("negotiate")
    a, b = st.columns(2)
    years = a.select_slider("Simulated years", [20_000, 50_000, 100_000, 200_000], value=100_000,
                            key="negotiate_years")
    seed = b.number_input("Seed", min_value=0, step=1, value=0, key="negotiate_seed")
    scenario = None
    if clause_id != TEMPLATE_ID:
        holding = [s.id for s in model.scenarios if clause_id in s.clauses]
        if holding:
            scenario = st.selectbox("Arrangement it sits in", holding, format_func=scenario_names.get,
                                    key="negotiate_scenario")
    if st.button("Solve", type="primary", key="negotiate_solve"):
        st.session_state[REQUEST] = (canonical_json(working), clause_id, vary, tuple(targets), parties, scenario,
                                     int(years), int(seed))
    request = st.session_state.get(REQUEST)
    if request and request[0] != canonical_json(working):
        st.caption("The model or the template changed since the last answer: solve again.")
        request = None
    if request:
        try:
            result = cached.solution(*request)
        except DsaError as exc:  # e.g. a target the template clause cannot take: say it in words
            st.error(str(exc))
            st.stop()
        words = [view.target_words(t, result["limits"]) for t in result["targets"]]
        st.markdown("Targets: " + "; ".join(words) + f" — for {len(result['parties'])} parties.")
        sentence = view.answer_sentence(result, names.get(giver_id, giver_id), clause_name, names)
        (st.success if result["feasible"] else st.warning)(text.safe(sentence))
        binding = result["binding"]
        if binding["party"]:
            st.markdown(f"**Binding:** {text.safe(names.get(binding['party']))} — "
                        f"{view.target_words(binding['target'], result['limits'])}.")
        if result["reasons"]:
            st.markdown("**Why:**" if not result["feasible"] else "**Note:**")
            for r in result["reasons"]:
                st.markdown(f"- {text.safe(r['text'])}")
        chart_target = st.selectbox("Chart the target", result["targets"], key="negotiate_chart_target",
                                    format_func=lambda t: view.target_words(t, result["limits"])) \
            if len(result["targets"]) > 1 else result["targets"][0]
        st.plotly_chart(view.frontier_figure(result, chart_target, giver_id, names.get(giver_id, giver_id)),
                        key="negotiate_frontier")
        frame = pd.DataFrame([{view.VARY_LABELS[vary]: view.value_words(vary, row["value"]),
                               **{w: view.figure(t.split(".")[1].split(" ")[0], row["targets"][t])
                                  for w, t in zip(words, result["targets"])},
                               f"{names.get(giver_id)}: average a year": view.money(row["giver"][giver_id]["mean"]),
                               "1 year in 1,000 is worse than": view.money(row["giver"][giver_id]["p99_9"]),
                               "worst 1 in 100 years, on average": view.money(row["giver"][giver_id]["tvar99"])}
                              for row in result["frontier"]])
        st.dataframe(frame, hide_index=True, key="negotiate_frontier_table")
        if result["feasible"] and st.button("Add as a scenario", key="negotiate_add"):
            updated = solved_document(json.loads(request[0]), clause_id=clause_id, clause_name=clause_name,
                                      vary=vary, value=result["value"], targets_in_words="; ".join(words),
                                      arrangement=result["arrangement"])
            state.set_doc(updated)
            new = solved_id(clause_id)
            if st.session_state.get(state.SCENARIOS) is not None and new not in st.session_state[state.SCENARIOS]:
                st.session_state[state.SCENARIOS] = [*st.session_state[state.SCENARIOS], new]
            st.session_state[REQUEST] = None
            state.flash(f"Added the scenario “Solved: {clause_name}”: the Liability and Agreements pages now show it.")
            st.rerun()

with sensitivity_tab:
    st.caption("Each assumption moved alone to the low and the high end of its range, the others kept.")
    metric = st.selectbox("Figure", list(SENS_METRICS), format_func=view.SENSITIVITY_METRICS.get,
                          key="sensitivity_metric")
    scenario = st.selectbox("Arrangement", list(scenario_names), format_func=scenario_names.get,
                            key="sensitivity_scenario")
    parties = choose_parties("sensitivity")
    sens_years = st.select_slider("Simulated years, where exact values are impossible", [2_000, 5_000, 20_000, 50_000],
                                  value=20_000, key="sensitivity_years")
    if st.button("Show the tornado", key="sensitivity_run") or st.session_state.get("sensitivity_shown"):
        st.session_state["sensitivity_shown"] = True
        if not parties:
            st.warning("Choose at least one party.")
        else:
            try:
                result = cached.tornado(state.doc_json(), metric, parties, scenario, int(sens_years), 0)
            except DsaError as exc:
                st.error(str(exc))
                st.stop()
            how = ("Exact expected values." if result["method"] == "exact" else
                   f"Simulated: {result['years']:,} years from seed {result['seed']} for every end of every range "
                   "(tail figures, caps, excess or insurance make exact values impossible).")
            st.markdown(f"At today's values: **{view.money(result['base'])}** a year. {how}")
            st.plotly_chart(view.tornado_figure(result), key="sensitivity_chart")
            st.dataframe(pd.DataFrame([{"assumption": r["name"], "low end": view.money(r["low"]),
                                        "high end": view.money(r["high"]), "swing": view.money(r["swing"]),
                                        "source of the range": r["source"]} for r in result["assumptions"]]),
                         hide_index=True, key="sensitivity_table")

with fixes_tab:
    st.caption("Each fix priced by the exact change in expected annual loss it makes, for whom; fixes the loss "
               "model does not price are listed after them.")
    scenario = st.selectbox("Arrangement", list(scenario_names), format_func=scenario_names.get,
                            key="fixes_scenario")
    result = cached.fixes(state.doc_json(), scenario)
    actions = result["actions"]
    if actions:
        st.plotly_chart(view.fixes_figure(actions), key="fixes_chart")

        def gainers(a: dict) -> str:
            moved = sorted(a["change"]["parties"].items(), key=lambda kv: kv[1])
            return "; ".join(f"{names[p]} {text.change(v)}" for p, v in moved[:4]) or "no change"

        st.dataframe(pd.DataFrame([{"fix": a["description"], "all parties, a year": text.change(a["change"]["total"]),
                                    "who gains or pays": gainers(a),
                                    "findings it resolves": len(a["findings"])} for a in actions]),
                     hide_index=True, key="fixes_table")
    else:
        st.success("No priced fix: every party is at DSPT Standards Met or better, no flow is sent insecurely, and "
                   "no identifiable data is shared for a purpose other than direct care.")
    if result["not_priced"]:
        st.markdown("**Also to put right — not priced by the model:**")
        for item in result["not_priced"]:
            st.markdown(f"- {text.safe(text.plain(item['description']))}")
    linked = [a for a in actions + result["not_priced"] if a.get("flow") or a.get("party")]
    if linked:
        flows = {f.id: f.name for f in model.flows}
        labels = {i: text.plain(a["description"]) for i, a in enumerate(linked)}
        pick = st.selectbox("Open the form for", list(labels), format_func=labels.get, key="fixes_pick")
        if st.button("Edit on the Model page", key="fixes_edit"):
            item = linked[pick]
            if item.get("flow") in flows:
                st.session_state["flow_form_flow"] = item["flow"]  # the Model page's flow form
            elif item.get("party") in names:
                st.session_state["contacts_party"] = item["party"]  # the Model page's party form
            st.switch_page("dsa/ui/pages/model.py")
