"""dsa dashboard: routes to the pages in dsa/ui/pages/ (run: streamlit run streamlit_app.py)."""

import streamlit as st

from dsa.ui import auth, sidebar, state

st.set_page_config(page_title="dsa — data sharing and liability", page_icon=":material/handshake:", layout="wide")
auth.gate()  # shared mode: nothing but the sign-in page before sign-in
state.init()
pages = {
    "Model": [st.Page("dsa/ui/pages/model.py", title="Model", icon=":material/edit_note:", default=True),
              st.Page("dsa/ui/pages/validation.py", title="Validation", icon=":material/rule:"),
              st.Page("dsa/ui/pages/flow_map.py", title="Flow map", icon=":material/account_tree:")],
    "Risk": [st.Page("dsa/ui/pages/liability.py", title="Liability", icon=":material/balance:"),
             st.Page("dsa/ui/pages/negotiate.py", title="Negotiate", icon=":material/handshake:")],
    "Agreements": [st.Page("dsa/ui/pages/agreements.py", title="Agreements", icon=":material/description:"),
                   st.Page("dsa/ui/pages/history.py", title="History", icon=":material/history:")],
}
page = st.navigation(pages)
sidebar.render()
page.run()
