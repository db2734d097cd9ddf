"""The app shell: process set-up, the shared sidebar, the page list and the home page."""

from __future__ import annotations

import gc
import platform
import sys

import streamlit as st
import torch

from ffnviz import __version__
from ffnviz.devices import resolve_device
from ffnviz.ui.charts import PROJECTOR_KEY
from ffnviz.ui.class_member import class_badge
from ffnviz.ui.gallery_panel import lessons_gallery
from ffnviz.ui.i18n import init_language, language_switch, tr
from ffnviz.ui.layout import compact_frame

try:  # private; see require_app_shell
    from streamlit.runtime.pages_manager import PagesManager as _PagesManager
except ImportError:  # pragma: no cover - tests/unit/test_streamlit_internals.py says so
    _PagesManager = None

_configured = False
# Seconds a thread waiting for the GIL waits before it asks the holder to let go (Python's default is
# 0.005). The event loop that serves every student starts a thread for every script and fragment run
# and waits for it to take the GIL: at 30 students that wait, at the default, was ~40 % of the loop's time.
SWITCH_INTERVAL_S = 0.001

# (file, url path, title key, blurb key, icon); the home page is first.
PAGES = (
    ("pages/home.py", "home", "page_home", "", ":material/home:"),
    ("pages/playground.py", "playground", "page_playground", "card_playground", ":material/scatter_plot:"),
    ("pages/optimizers.py", "optimizers", "page_optimizers", "card_optimizers", ":material/route:"),
    ("pages/gated.py", "gated", "page_gated", "card_gated", ":material/alt_route:"),
    ("pages/attention.py", "attention", "page_attention", "card_attention", ":material/center_focus_strong:"),
    ("pages/convolution.py", "convolution", "page_convolution", "card_convolution", ":material/grid_on:"),
    ("pages/text.py", "text", "page_text", "card_text", ":material/description:"),
    ("pages/deep.py", "deep", "page_deep", "card_deep", ":material/stacks:"),
    ("pages/classroom.py", "classroom", "page_classroom", "card_classroom", ":material/groups:"),
)


def configure_process() -> None:
    """Once per server process (docs/ARCHITECTURE.md, "Live training"): one torch thread, so step times stay
    steady beside other runners; and freeze the objects of the imports so Streamlit's full
    garbage collection after every script run stops walking them while holding the GIL."""
    global _configured
    if _configured:
        return
    torch.set_num_threads(1)
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    gc.freeze()
    _configured = True


def require_app_shell() -> None:
    """Pages call this first. On a fresh server, Streamlit runs the first request for a deep link
    (/playground) through its legacy `pages/` folder mode, which executes the page file without
    app.py (no sidebar, no wide layout). `st.navigation` turns that mode off for good; when a page
    finds it still on, it turns it off the same way and reruns, now through app.py.

    That mode is the private class attribute `PagesManager.uses_pages_directory`: Streamlit 1.67
    has no public way to leave it from a page (docs/ARCHITECTURE.md, "Deviations"). Guarded: if
    Streamlit moves or renames it, the page still renders, without the shell on that first request,
    and tests/unit/test_streamlit_internals.py fails saying what changed."""
    if _PagesManager is not None and getattr(_PagesManager, "uses_pages_directory", None) is True:
        _PagesManager.uses_pages_directory = False
        st.rerun()


def shared_sidebar() -> None:
    compact_frame()
    language_switch()
    st.sidebar.toggle(tr("w_projector"), key=PROJECTOR_KEY, help=tr("help_projector"))
    class_badge()


def navigation():
    init_language()
    pages = [st.Page(file, title=tr(title), icon=icon, url_path=path, default=(path == "home"))
             for file, path, title, _, icon in PAGES]
    return st.navigation(pages)


def home() -> None:
    st.title(tr("home_title"))
    st.markdown(tr("home_intro"))
    cards = [p for p in PAGES if p[3]]
    per_row = 3  # cards stay wide enough to read on a projector
    for start in range(0, len(cards), per_row):
        row = cards[start:start + per_row]
        for column, (file, _, title, blurb, icon) in zip(st.columns(per_row), row, strict=False):
            with column.container(border=True):
                st.subheader(tr(title))
                st.write(tr(blurb))
                st.page_link(file, label=tr("open_page"), icon=icon)
    st.divider()
    lessons_gallery()
    st.divider()
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else tr("no_gpu")
    cols = st.columns(3)
    cols[0].metric(tr("home_device"), resolve_device("auto"), help=gpu)
    cols[1].metric("torch", torch.__version__)
    cols[2].metric("ffnviz", __version__, help=f"Python {platform.python_version()}")
    st.caption(tr("home_footer"))
