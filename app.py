"""ffnviz: watch neural-network layers train. Run with `streamlit run app.py`."""

import streamlit as st

from ffnviz.ui.runs import start_pool
from ffnviz.ui.shell import configure_process, navigation, shared_sidebar


def main() -> None:
    configure_process()
    start_pool()  # the training processes start with the first page anyone opens, not at the first Start
    # an emoji icon: the browser draws it itself, where a :material/…: icon is fetched from fonts.gstatic.com
    st.set_page_config(page_title="ffnviz", page_icon="🧠", layout="wide")
    page = navigation()
    shared_sidebar()
    page.run()


# Streamlit runs this file as __main__. A training process that multiprocessing starts imports its
# parent's main module again, as __mp_main__: it must not draw the app (nor start a pool of its own).
if __name__ == "__main__":
    main()
