"""The Negotiate page's charts and words (plotly lives in the UI only)."""

from __future__ import annotations

import plotly.graph_objects as go

from ..negotiation.scenario import VARY_WORDS, value_words
from .text import money

MEASURES = {  # metric → how a person says it
    "p99_9": "in a 1-in-1,000 year", "p99_5": "in a 1-in-200 year", "p99": "in a 1-in-100 year",
    "tvar99": "on average over its worst 1 in 100 years", "mean": "in an average year",
    "p_exceed": "chance a year of losing more than the threshold",
}
VARY_LABELS = {"share": "Share of each covered loss", "cap_per_incident_gbp": "Cap per incident",
               "cap_annual_gbp": "Annual cap", "excess_gbp": "Excess"}
SENSITIVITY_METRICS = {"party.mean": "The chosen parties' average year, added up",
                       "partner.mean": "The worst-off partner's average year",
                       "party.p99_9": "The chosen parties' 1-in-1,000 years, added up",
                       "partner.p99_9": "The worst-off partner's 1-in-1,000 year"}


def figure(metric: str, x: float) -> str:
    return f"{x:.2%}" if metric == "p_exceed" else money(x)


def target_words(text: str, limits: dict) -> str:
    """"partner.p99_9 <= 25000" → "No partner loses more than £25,000 in a 1-in-1,000 year"."""
    from ..negotiation.targets import parse_target

    t = parse_target(text)
    return t.words(limits.get(t.subject))


def answer_sentence(result: dict, giver: str, clause_name: str, names: dict) -> str:
    """The answer in one sentence."""
    vary = result["vary"]
    cost = result["giver"][next(iter(result["giver"]))]
    wanted = "; ".join(target_words(t, result["limits"]) for t in result["targets"])
    if result["feasible"]:
        what = (f"{giver} must indemnify at least {value_words(vary, result['value'])} of each covered loss"
                if vary == "share" else
                f"the {VARY_WORDS[vary]} of “{clause_name}” must be {'at most' if vary == 'excess_gbp' else 'at least'} "
                f"{value_words(vary, result['value'])}")
        added = result["added_cost"][next(iter(result["giver"]))]
        return (f"{what[0].upper() + what[1:]} so that: {wanted}. That adds {money(added)} a year on average to what "
                f"{giver} bears ({money(cost['mean'])} in all, and more than {money(cost['p99_9'])} in 1 year in 1,000).")
    binding = result["binding"]["target"]
    metric = binding.split(".")[1].split(" ")[0]
    who = names.get(result["binding"]["party"], "a targeted party")
    return (f"No {VARY_WORDS[vary]} of “{clause_name}” achieves this ({wanted}). Even the most generous leaves "
            f"{who} at {figure(metric, result['achieved'][binding])} {MEASURES[metric]}.")


def frontier_figure(result: dict, target: str, giver_id: str, giver: str) -> go.Figure:
    """Cost to the giver (mean a year) against the worst targeted figure, the target as a line, the answer marked."""
    metric = target.split(".")[1].split(" ")[0]
    rows = result["frontier"]
    x = [r["giver"][giver_id]["mean"] for r in rows]
    y = [r["targets"][target] for r in rows]
    labels = [f"{VARY_WORDS[result['vary']]} {value_words(result['vary'], r['value'])}" for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name="Possible terms", text=labels,
                             hovertemplate="%{text}<br>cost £%{x:,.0f} a year<br>worst %{y:,.0f}<extra></extra>"))
    limit = float(target.split("<=")[1])
    fig.add_hline(y=limit, line_dash="dash", annotation_text="Target", line_color="firebrick")
    if result["feasible"]:
        cost = result["giver"][giver_id]["mean"]
        fig.add_trace(go.Scatter(x=[cost], y=[result["achieved"][target]], mode="markers+text", name="The answer",
                                 marker={"size": 14, "symbol": "star", "color": "darkgreen"},
                                 text=[value_words(result["vary"], result["value"])], textposition="top center"))
    top = max([*y, limit, result["achieved"].get(target, 0.0)]) * 1.12 or 1.0
    fig.update_yaxes(range=[0, top])
    fig.update_layout(xaxis_title=f"Cost to {giver}: average a year (£)", legend={"orientation": "h"},
                      yaxis_title=("Worst chance" if metric == "p_exceed" else "Worst figure (£)") + " "
                      + MEASURES[metric], height=420, margin={"t": 30})
    return fig


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def tornado_figure(result: dict, top: int = 15) -> go.Figure:
    """Each assumption's low and high end as a bar around today's figure; each labelled with the assumption's
    plain name and, beneath it, the source of its range."""
    rows = [r for r in result["assumptions"] if r["swing"] > 0][:top][::-1]
    base = result["base"]
    labels = [f"{r['name']}<br><span style='font-size:10px;color:#666'>{_short(r['source'])}</span>" for r in rows]
    fig = go.Figure()
    for end, name in (("low", "Low end of the range"), ("high", "High end of the range")):
        fig.add_trace(go.Bar(y=labels, x=[r[end] - base for r in rows], base=base, orientation="h", name=name,
                             customdata=[[r["name"], r["source"]] for r in rows],
                             hovertemplate="%{customdata[0]}<br>" + name.lower() + ": £%{x:,.0f} from today"
                                           "<br>range: %{customdata[1]}<extra></extra>"))
    fig.add_vline(x=base, line_dash="dot")
    fig.update_layout(barmode="overlay", height=max(340, 46 * len(rows) + 100), margin={"t": 30},
                      xaxis_title="£ a year", legend={"orientation": "h"})
    return fig


def fixes_figure(actions: list[dict], top: int = 15) -> go.Figure:
    rows = actions[:top][::-1]
    fig = go.Figure(go.Bar(y=[a["description"] for a in rows], x=[a["reduction"] for a in rows], orientation="h",
                           hovertemplate="%{y}<br>takes £%{x:,.0f} a year off the total<extra></extra>"))
    fig.update_layout(height=max(300, 34 * len(rows) + 80), margin={"t": 30},
                      xaxis_title="Reduction in expected annual loss, all parties (£ a year)")
    return fig
