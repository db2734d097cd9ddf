"""ffnviz: watch neural-network layers train. Run with `streamlit run app.py`."""

import streamlit as st

from ffnviz.ui.shell import configure_process, navigation, shared_sidebar

configure_process()
st.set_page_config(page_title="ffnviz", page_icon=":material/neurology:", layout="wide")
page = navigation()
shared_sidebar()
page.run()
