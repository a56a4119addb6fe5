"""Plotly figures built from the core's plain results; testable without a running app."""

from __future__ import annotations

from typing import Mapping, Sequence

import plotly.graph_objects as go

from ..drafting.filters import PURPOSES

PALETTE = ("#005EB8", "#DA291C", "#009639", "#ED8B00", "#7C2855", "#00A9CE", "#425563", "#FFB81C", "#330072",
           "#78BE20")
RELATIONSHIP_COLOURS = {"independent_controllers": "#005EB8", "joint_controllers": "#ED8B00",
                        "controller_to_processor": "#009639"}
COLOUR_BY = ("purpose", "legal basis", "relationship", "expected loss")


def _scenario_label(sid: str, names: Mapping[str, str]) -> str:
    return "Legal default (baseline)" if sid == "baseline" else names.get(sid, sid)


def exposure_bars(result: Mapping, parties: Sequence[tuple[str, str]], names: Mapping[str, str],
                  metric: str = "mean") -> go.Figure:
    """Per-party bars of ``metric`` (mean or p99), baseline and each scenario side by side."""
    fig = go.Figure()
    labels = [name for _, name in parties]
    for k, (sid, scenario) in enumerate(result["scenarios"].items()):
        fig.add_bar(name=_scenario_label(sid, names), x=labels,
                    y=[scenario["parties"][pid][metric] for pid, _ in parties],
                    marker_color=PALETTE[k % len(PALETTE)],
                    hovertemplate="%{x}<br>£%{y:,.0f}<extra>%{fullData.name}</extra>")
    fig.update_layout(barmode="group", yaxis_title=f"annual loss, {metric.upper() if metric != 'mean' else 'mean'} (£)",
                      yaxis_tickprefix="£", yaxis_tickformat=",.0f", legend_orientation="h", legend_y=-0.35,
                      margin=dict(t=30, b=10), height=430)
    return fig


def exceedance_figure(curves: Mapping[str, Mapping[str, tuple[list, list]]], key: str, names: Mapping[str, str],
                      title: str) -> go.Figure:
    """Loss exceedance curves: the probability that a year's loss exceeds each amount, one line per scenario."""
    fig = go.Figure()
    for k, (sid, by_party) in enumerate(curves.items()):
        levels, probabilities = by_party[key]
        fig.add_scatter(x=levels, y=probabilities, mode="lines", name=_scenario_label(sid, names),
                        line=dict(color=PALETTE[k % len(PALETTE)], shape="hv"),
                        hovertemplate="loss over £%{x:,.0f}: %{y:.2%} of years<extra>%{fullData.name}</extra>")
    fig.update_layout(title=title, xaxis_title="annual loss (£)", yaxis_title="probability of exceeding",
                      xaxis_type="log", yaxis_type="log", xaxis_tickprefix="£", legend_orientation="h",
                      legend_y=-0.3, margin=dict(t=40, b=10), height=380)
    return fig


def _flow_colour(flow: Mapping, colour_by: str, keys: dict[str, str], losses: Mapping[str, float],
                 top: float) -> tuple[str, str]:
    if colour_by == "relationship":
        value = flow.get("relationship", "?")
        return RELATIONSHIP_COLOURS.get(value, "#999999"), value.replace("_", " ")
    if colour_by == "expected loss":
        loss = losses.get(flow.get("id"), 0.0)
        share = 0.0 if top <= 0 else min(loss / top, 1.0)
        return f"rgba(218,41,28,{0.15 + 0.85 * share:.2f})", f"£{loss:,.0f} a year"
    value = (flow.get("purpose") if colour_by == "purpose" else
             ((flow.get("legal_basis") or {}).get("common_law") or "not recorded"))
    value = str(value)
    if value not in keys:
        keys[value] = PALETTE[len(keys) % len(PALETTE)]
    return keys[value], PURPOSES.get(value, value.replace("_", " "))


def flow_map(document: Mapping, colour_by: str = "purpose", party_types: Sequence[str] | None = None,
             purposes: Sequence[str] | None = None, losses: Mapping[str, float] | None = None) -> go.Figure:
    """A Sankey of who sends what to whom; hover shows each flow's facts. Names are shown as text, never HTML."""
    parties = [p for p in document.get("parties", []) if isinstance(p, Mapping)]
    index = {p.get("id"): i for i, p in enumerate(parties)}
    losses = losses or {}
    flows = [f for f in document.get("flows", []) if isinstance(f, Mapping)
             and f.get("from") in index and f.get("to") in index
             and (not purposes or f.get("purpose") in purposes)
             and (not party_types or parties[index[f["from"]]].get("type") in party_types
                  or parties[index[f["to"]]].get("type") in party_types)]
    top = max((losses.get(f.get("id"), 0.0) for f in flows), default=0.0)
    keys: dict[str, str] = {}
    colours, labels, hovers, values = [], [], [], []
    for f in flows:
        colour, label = _flow_colour(f, colour_by, keys, losses, top)
        data = f.get("data") or {}
        colours.append(colour)
        labels.append(label)
        values.append(max(float(data.get("records") or 0), 1.0))
        hovers.append("<br>".join(_escape(x) for x in (
            f"{f.get('name', f.get('id'))}", f"purpose: {f.get('purpose')}", f"roles: {f.get('relationship')}",
            f"data: {data.get('identifiability')}, {data.get('records', 0):,} records"
            if isinstance(data.get("records"), int) else f"data: {data.get('identifiability')}",
            f"legal basis: {(f.get('legal_basis') or {}).get('article_6')} / "
            f"{(f.get('legal_basis') or {}).get('common_law')}", f"colour: {label}")))
    used = sorted({index[f["from"]] for f in flows} | {index[f["to"]] for f in flows})
    position = {old: new for new, old in enumerate(used)}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=[_escape(str(parties[i].get("name", parties[i].get("id")))) for i in used], pad=12,
                  thickness=14, color="#425563",
                  customdata=[_escape(str(parties[i].get("type"))) for i in used],
                  hovertemplate="%{label}<br>%{customdata}<extra></extra>"),
        link=dict(source=[position[index[f["from"]]] for f in flows], target=[position[index[f["to"]]] for f in flows],
                  value=values, color=colours, customdata=hovers, hovertemplate="%{customdata}<extra></extra>")))
    fig.update_layout(height=max(420, 22 * len(used)), margin=dict(t=20, b=20, l=10, r=10), font_size=11)
    return fig


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in labels; user text must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
