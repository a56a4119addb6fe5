"""The Streamlit shell: pages over the pure ``dsa`` core. The only package that imports streamlit or plotly."""
