"""Plotly figures built from the core's plain results; testable without a running app."""

from __future__ import annotations

from typing import Mapping, Sequence

import plotly.graph_objects as go

from .. import labels

PALETTE = ("#005EB8", "#DA291C", "#009639", "#ED8B00", "#7C2855", "#00A9CE", "#425563", "#FFB81C", "#330072",
           "#78BE20")
RELATIONSHIP_COLOURS = {"independent_controllers": "#005EB8", "joint_controllers": "#ED8B00",
                        "controller_to_processor": "#009639"}
COLOUR_BY = ("purpose", "legal basis", "relationship", "expected loss")


def _scenario_label(sid: str, names: Mapping[str, str]) -> str:
    return "Legal default (no clause)" if sid == "baseline" else names.get(sid, sid)


def dwarfed(values: Sequence[float]) -> bool:
    """True when the largest value is over 100 times the smallest positive one: a linear axis hides the rest."""
    positive = [v for v in values if v > 0]
    return len(positive) >= 2 and max(positive) > 100 * min(positive)


METRIC_TITLES = {"mean": "Mean annual loss", "p99": "Loss in a 1-in-100 year (P99)",
                 "p99_9": "Loss in a 1-in-1,000 year (P99.9)", "tvar99": "Mean of the worst 1 in 100 years (TVaR99)"}


def exposure_bars(result: Mapping, parties: Sequence[tuple[str, str]], names: Mapping[str, str],
                  metric: str = "mean", log: bool | None = None) -> go.Figure:
    """Horizontal bars of ``metric`` per party (names readable on the left), baseline and scenarios side by side.

    ``log`` None chooses a log axis when one party dwarfs the rest.
    """
    fig = go.Figure()
    labels = [_escape(name) for _, name in parties][::-1]  # first party at the top
    values = []
    for k, (sid, scenario) in enumerate(result["scenarios"].items()):
        xs = [float(scenario["parties"][pid].get(metric) or 0.0) for pid, _ in parties][::-1]
        values += xs
        fig.add_bar(name=_escape(_scenario_label(sid, names)), y=labels, x=xs, orientation="h",
                    marker_color=PALETTE[k % len(PALETTE)],
                    hovertemplate="%{y}<br>£%{x:,.0f}<extra>%{fullData.name}</extra>")
    use_log = dwarfed(values) if log is None else log
    fig.update_layout(barmode="group", xaxis_title=METRIC_TITLES.get(metric, metric) + (" — log scale" if use_log
                                                                                           else ""),
                      xaxis_tickprefix="£", xaxis_tickformat=",.0f", xaxis_type="log" if use_log else "linear",
                      legend_orientation="h", legend_y=1.02, legend_yanchor="bottom", legend_x=0,
                      yaxis_automargin=True, margin=dict(t=40, b=10, l=10),
                      height=max(380, 16 * len(parties) * max(len(result["scenarios"]), 1) + 120))
    return fig


ODDS_TICKS = ([1, 0.1, 0.01, 0.001, 0.0001, 0.00001],
              ["every year", "1 in 10", "1 in 100", "1 in 1,000", "1 in 10,000", "1 in 100,000"])


def exceedance_figure(curves: Mapping[str, Mapping[str, tuple[list, list]]], key: str, names: Mapping[str, str],
                      title: str) -> go.Figure:
    """Loss exceedance curves: how often a year's loss exceeds each amount ("1 in N years"), one line per scenario."""
    fig = go.Figure()
    for k, (sid, by_party) in enumerate(curves.items()):
        levels, probabilities = by_party[key]
        odds = [f"1 in {1 / p:,.0f} years" if p > 0 else "never" for p in probabilities]
        fig.add_scatter(x=levels, y=probabilities, mode="lines", name=_escape(_scenario_label(sid, names)),
                        line=dict(color=PALETTE[k % len(PALETTE)], shape="hv"), customdata=odds,
                        hovertemplate="worse than £%{x:,.0f}: %{customdata}<extra>%{fullData.name}</extra>")
    fig.update_layout(title=title, xaxis_title="a year's loss (£)", yaxis_title="how often a year is worse",
                      xaxis_type="log", yaxis_type="log", xaxis_tickprefix="£", xaxis_tickformat=",.0f",
                      yaxis_tickvals=ODDS_TICKS[0], yaxis_ticktext=ODDS_TICKS[1], legend_orientation="h",
                      legend_y=-0.3, margin=dict(t=40, b=10), height=400)
    return fig


def _flow_colour(flow: Mapping, colour_by: str, keys: dict[str, str], losses: Mapping[str, float],
                 top: float) -> tuple[str, str]:
    if colour_by == "relationship":
        value = str(flow.get("relationship", "?"))
        label = labels.label("relationship", value)
        keys.setdefault(label, RELATIONSHIP_COLOURS.get(value, "#999999"))
        return keys[label], label
    if colour_by == "expected loss":
        loss = losses.get(flow.get("id"), 0.0)
        share = 0.0 if top <= 0 else min(loss / top, 1.0)
        band = min(int(share * 4), 3)
        label = ["lowest quarter", "second quarter", "third quarter", "highest quarter"][band] + " of expected loss"
        keys.setdefault(label, f"rgba(218,41,28,{0.2 + 0.8 * band / 3:.2f})")
        return f"rgba(218,41,28,{0.15 + 0.85 * share:.2f})", label
    if colour_by == "purpose":
        label = labels.label("purpose", flow.get("purpose"))
    else:
        common_law = (flow.get("legal_basis") or {}).get("common_law")
        label = "Common-law basis not recorded" if common_law is None else labels.label("common_law", common_law)
    if label not in keys:
        keys[label] = PALETTE[len(keys) % len(PALETTE)]
    return keys[label], label


def flow_map(document: Mapping, colour_by: str = "purpose", party_types: Sequence[str] | None = None,
             purposes: Sequence[str] | None = None, losses: Mapping[str, float] | None = None) -> go.Figure:
    """A Sankey of who sends what to whom, with a colour legend; hover shows each flow's facts in words.

    Names are shown as text, never HTML.
    """
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
    colours, hovers, values = [], [], []
    for f in flows:
        colour, label = _flow_colour(f, colour_by, keys, losses, top)
        data = f.get("data") or {}
        basis = f.get("legal_basis") or {}
        colours.append(_translucent(colour))  # names drawn over the bands stay readable
        values.append(max(float(data.get("records") or 0), 1.0) ** 0.5)  # square root: no flow hides the rest
        records = f"{data['records']:,} people's records" if isinstance(data.get("records"), int) else "records not given"
        hovers.append("<br>".join(_escape(x) for x in (
            f"{f.get('name', '')}", f"Purpose: {labels.label('purpose', f.get('purpose'))}",
            f"Roles: {labels.label('relationship', f.get('relationship'))}",
            f"Data: {labels.label('identifiability', data.get('identifiability'))}, {records}",
            f"Common law: {labels.label('common_law', basis.get('common_law'))}"
            + (f"; expected loss £{losses[f.get('id')]:,.0f} a year" if f.get("id") in losses else ""))))
    used = sorted({index[f["from"]] for f in flows} | {index[f["to"]] for f in flows})
    position = {old: new for new, old in enumerate(used)}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=[_escape(str(parties[i].get("name", ""))) for i in used], pad=22,
                  thickness=14, color="#425563",
                  customdata=[_escape(labels.label("type", parties[i].get("type"))) for i in used],
                  hovertemplate="%{label}<br>%{customdata}<extra></extra>"),
        link=dict(source=[position[index[f["from"]]] for f in flows], target=[position[index[f["to"]]] for f in flows],
                  value=values, color=colours, customdata=hovers, hovertemplate="%{customdata}<extra></extra>")))
    for label, colour in keys.items():  # a Sankey has no legend of its own: one empty marker per colour
        fig.add_scatter(x=[None], y=[None], mode="markers", name=_escape(label), showlegend=True,
                        marker=dict(size=12, color=colour, symbol="square"))
    fig.update_layout(height=max(460, 34 * len(used)), margin=dict(t=20, b=20, l=10, r=10), font_size=12,
                      legend=dict(orientation="h", y=-0.02, yanchor="top", x=0, title_text=_LEGEND[colour_by]),
                      xaxis=dict(visible=False), yaxis=dict(visible=False), plot_bgcolor="rgba(0,0,0,0)")
    return fig


_LEGEND = {"purpose": "Purpose: ", "legal basis": "Common-law basis: ", "relationship": "Roles: ",
           "expected loss": "Expected loss: "}


def _translucent(colour: str, alpha: float = 0.5) -> str:
    if colour.startswith("#") and len(colour) == 7:
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return f"rgba({r},{g},{b},{alpha})"
    return colour


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in labels; user text must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
