"""Flow map: who sends what to whom, coloured by purpose, legal basis, relationship or expected loss."""

import streamlit as st

from dsa.drafting.filters import PURPOSES
from dsa.editing import column_facts
from dsa.findings import has_errors
from dsa.ui import cached, charts, state

st.title("Flow map")
doc = state.doc()
a, b, c = st.columns(3)
colour_by = a.selectbox("Colour flows by", charts.COLOUR_BY, key="map_colour")
types = b.multiselect("Only flows touching party types", column_facts("party")["type"]["enum"], key="map_types")
purposes = c.multiselect("Only purposes", list(PURPOSES), format_func=PURPOSES.get, key="map_purposes")
losses = {}
if colour_by == "expected loss":
    if has_errors(cached.findings(state.doc_json())):
        st.warning("Expected losses need a model without errors; see the Validation page.")
    else:
        losses = cached.flow_losses(state.doc_json())
st.plotly_chart(charts.flow_map(doc, colour_by, types, purposes, losses), key="flow_map_chart")
st.caption("Band width: records shared. Hover over a band for the flow's facts. Expected loss is the exact "
           "yearly mean before any risk-sharing clause.")
