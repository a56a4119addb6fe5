"""The Liability page's Compare tab: two to four arrangements side by side (arrangements.md §2).

Models come from the bundled examples (the vehicle examples included), uploaded
files, saved versions and the model being edited; each is assessed on the same years and seed (its
baseline, or a scenario chosen for it), parties are matched by id else ODS code
(``dsa.compare``), and every metric gets one grouped bar chart — parties along
the axis, arrangements as colours — then one table of the lot.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ..canonical import canonical_json, version_label
from ..compare import METRIC_LABELS, METRICS, Arrangement, Comparison, comparison, unique_labels
from ..drafting.filters import md
from ..errors import DsaError
from ..findings import blocking, governance_errors
from ..liability import DISCLAIMER, SimulationConfig, assess
from ..loading import load_document
from ..model import Model
from ..text import money
from . import cached, state

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_FILES = (*sorted((ROOT / "examples").glob("*.json")), *sorted((ROOT / "examples" / "vehicles").glob("*.json")))
DEFAULT_EXAMPLES = ("vehicles/primary-care-led.json", "vehicles/trust-led.json", "vehicles/joint-venture.json")
YEAR_CHOICES = [2_000, 5_000, 20_000, 50_000, 100_000]
PALETTE = ("#005EB8", "#ED8B00", "#009639", "#7C2855")  # one colour per arrangement (at most four)
ABSENT = "—"
CHOSEN = "compare_models"


@st.cache_data(show_spinner=False, max_entries=32)
def _assessed(doc_json: str, scenario: str, years: int, seed: int) -> dict:
    """One model's scenario, assessed (the ``assess --json`` entry of that scenario)."""
    model = Model.from_document(json.loads(doc_json))
    result = assess(model, scenarios=[] if scenario == "baseline" else [scenario],
                    config=SimulationConfig(years=years, seed=seed))
    return result.scenario_json(scenario)


@st.cache_data(show_spinner=False)
def _example(relative: str) -> dict:
    return json.loads((ROOT / "examples" / relative).read_text(encoding="utf-8"))


def _sources() -> tuple[dict[str, str], dict[str, dict]]:
    """Every model on offer as option key → plain label, and the documents read so far (examples, uploads);
    a saved version's document is read only when it is chosen (``_document``)."""
    labels: dict[str, str] = {}
    docs: dict[str, dict] = {}
    working = state.doc()
    name = working.get("partnership", {}).get("name") if isinstance(working.get("partnership"), dict) else None
    docs["working"], labels["working"] = working, f"{name or 'Untitled partnership'} (the model you are editing)"
    for path in EXAMPLE_FILES:
        relative = path.relative_to(ROOT / "examples").as_posix()
        docs[f"example:{relative}"] = doc = _example(relative)
        labels[f"example:{relative}"] = f"{doc['partnership']['name']} (bundled example)"
    uploads = st.file_uploader("Add model files to compare (JSON)", type=["json"], accept_multiple_files=True,
                               key="compare_uploads")
    for upload in uploads or ():
        try:
            docs[f"upload:{upload.name}"] = load_document(upload.getvalue())
            labels[f"upload:{upload.name}"] = upload.name
        except DsaError as exc:
            st.error(f"{md(upload.name)} cannot be read: {md(exc)}")
    try:
        store = cached.current_store()
        for name in store.models():
            for info in store.history(name):
                labels[f"saved:{name}:{info.number}"] = version_label(name, info.number, info.content_hash[:12])
    except DsaError as exc:  # the store is optional here: examples and uploads still compare
        st.caption(f"Saved versions are not available: {md(exc)}")
    return labels, docs


def _document(key: str, docs: dict[str, dict]) -> dict:
    if key in docs:
        return docs[key]
    name, number = key.removeprefix("saved:").rsplit(":", 1)
    return cached.current_store().load(name, int(number))


def _chart(result: Comparison, metric: str) -> go.Figure:
    """One grouped bar chart: parties along the axis, one colour per arrangement; absent parties have no bar."""
    rows = result.metric_rows(metric)
    names = [row.name for row, _ in rows]
    fig = go.Figure()
    for i, label in enumerate(result.labels):
        fig.add_bar(name=label, x=names, y=[values[i] for _, values in rows],
                    marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate="%{x}<br>£%{y:,.0f}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="group", yaxis_title=f"{METRIC_LABELS[metric]} (£)", yaxis_tickprefix="£",
                      yaxis_tickformat=",.0f", legend_orientation="h", legend_y=-0.45, margin=dict(t=30, b=10),
                      height=460)
    return fig


def _table(result: Comparison) -> pd.DataFrame:
    """One row per party and arrangement; — where the party is not in that arrangement."""
    rows = []
    for row in result.parties:
        for label, cell in zip(result.labels, row.cells):
            entry = {"Party": row.name, "Type": row.type, "Arrangement": label}
            for metric in METRICS:
                entry[METRIC_LABELS[metric]] = money(None if cell is None else cell.get(metric))
            entry["Partners"] = ABSENT if cell is None or "partners" not in cell else str(cell["partners"])
            rows.append(entry)
    return pd.DataFrame(rows)


def render() -> None:
    """The whole Compare tab."""
    st.caption("Compare how different arrangements — for example the same service led by primary care, led by a "
               "trust or run as a joint venture — put breach losses on each party. Each model is assessed on the "
               "same simulated years; a party is matched across models by its id, else its ODS code.")
    options, docs = _sources()
    if CHOSEN not in st.session_state:
        st.session_state[CHOSEN] = [f"example:{name}" for name in DEFAULT_EXAMPLES if f"example:{name}" in options]
    st.session_state[CHOSEN] = [k for k in st.session_state[CHOSEN] if k in options]
    chosen = st.multiselect("Arrangements to compare (two to four)", list(options), key=CHOSEN, max_selections=4,
                            format_func=options.get)
    a, b = st.columns(2)
    years = a.select_slider("Simulated years", YEAR_CHOICES, key="compare_years",
                            value=min(YEAR_CHOICES, key=lambda y: abs(y - st.session_state[state.YEARS])),
                            format_func=lambda y: f"{y:,}")
    seed = int(b.number_input("Random seed", min_value=0, step=1, value=int(st.session_state[state.SEED]),
                              key="compare_seed"))
    if len(chosen) < 2:
        st.info("Choose at least two arrangements.")
        return

    labels = unique_labels([options[k] for k in chosen])
    entries, blocked = [], []
    for key, label in zip(chosen, labels):
        doc = _document(key, docs)
        doc_json = canonical_json(doc)
        findings = cached.findings(doc_json)
        if blocking(findings):
            blocked.append(label)
            continue
        model = Model.from_document(doc)
        scenario = "baseline"
        if model.scenarios:
            ids = ["baseline", *(s.id for s in model.scenarios)]
            names = {"baseline": "Legal default (no clause)", **{s.id: s.name for s in model.scenarios}}
            scenario = st.selectbox(f"Scenario for {label}", ids, format_func=names.get, key=f"compare_scenario_{key}")
        if governance_errors(findings):
            st.caption(f"{md(label)} still has {len(governance_errors(findings))} information-governance error(s); "
                       "its figures are shown, but fix them before relying on it.")
        with st.spinner(f"Simulating {years:,} years for {label}…"):
            scenario_json = _assessed(doc_json, scenario, years, seed)
        entries.append((Arrangement(label=label, doc=doc, scenario=scenario), model, scenario_json))
    for label in blocked:
        st.error(f"{md(label)} has errors that stop it being assessed (unreadable parts or broken references). "
                 "Open it on the Model page and fix them on the Validation page.")
    if len(entries) < 2:
        st.info("At least two arrangements without such errors are needed to compare.")
        return

    result = comparison(entries, years=years, seed=seed)
    st.markdown("**Who carries the most**")
    for m in result.models:
        line = f"- **{md(m.label)}**: {money(m.total_mean)} a year in all"
        if m.largest_name is not None:
            line += f"; the largest share, {m.largest_share:.0%}, falls on {md(m.largest_name)}"
        st.markdown(line + ".")
    shown = [m for m in METRICS if result.metric_rows(m)]
    for metric, tab in zip(shown, st.tabs([METRIC_LABELS[m] for m in shown])):
        with tab:
            st.plotly_chart(_chart(result, metric), key=f"compare_chart_{metric}")
    st.dataframe(_table(result), hide_index=True, key="compare_table", width="stretch")
    st.caption(f"From {years:,} simulated years (seed {seed}), after each arrangement's clauses and before "
               "insurance; per-partner figures are after insurance, for partnerships and sole traders. "
               f"{ABSENT} means the party is not in that arrangement. {DISCLAIMER}")
