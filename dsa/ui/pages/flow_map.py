"""Flow map: who sends what to whom, coloured by purpose, legal basis, relationship or expected loss."""

import streamlit as st

from dsa import labels
from dsa.findings import blocking
from dsa.ui import cached, charts, state

st.title("Flow map")
doc = state.doc()
a, b, c = st.columns(3)
colour_by = a.selectbox("Colour flows by", charts.COLOUR_BY, key="map_colour", format_func=str.capitalize)
types = b.multiselect("Only flows touching these kinds of party", list(labels.PARTY_TYPE), key="map_types",
                      format_func=lambda t: labels.label("type", t))
purposes = c.multiselect("Only these purposes", list(labels.PURPOSE), format_func=lambda p: labels.label("purpose", p),
                         key="map_purposes")
losses = {}
if colour_by == "expected loss":
    if blocking(cached.findings(state.doc_json())):
        st.warning("Expected losses need a model whose structure and references are complete; see the Validation "
                   "page.")
    else:
        losses = cached.flow_losses(state.doc_json())
st.plotly_chart(charts.flow_map(doc, colour_by, types, purposes, losses), key="flow_map_chart")
st.caption("Band width: how many people's records are shared (square-root scale, so a population-wide flow does "
           "not hide the rest). Hover over a band for the flow's facts. Expected "
           "loss is the exact yearly mean before any risk-sharing clause.")
