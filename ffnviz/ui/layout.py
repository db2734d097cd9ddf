"""Where panels sit, for the projector's first screen (1280×720): a page's settings sit in a
fold above its run, open when the page opens and folded away when training starts, so that the
picture the class looks at is on the first screen; the teacher opens the fold again at will."""

from __future__ import annotations

import streamlit as st

from ffnviz.ui.i18n import tr

# Streamlit's default frame leaves ~6 rem above the title and 5 rem at each side: on a 1280×720
# projector that is a sixth of the screen. Only the frame and the title's size change. Pills wrap onto a
# second row: Streamlit scrolls them sideways, which hid the last input features ("sin x₂") past the edge of
# the settings column, with no scroll bar to say so.
CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.25rem; padding-left: 2.5rem; padding-right: 2.5rem; }
[data-testid="stHeading"] h1 { font-size: 2.1rem; padding-top: 0.25rem; padding-bottom: 0.25rem; }
[data-testid="stButtonGroup"] div:has(> button) { flex-wrap: wrap; row-gap: 0.5rem; }
table.ffnviz-example { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.ffnviz-example th, table.ffnviz-example td { text-align: center; padding: 0.2rem 0.7rem; }
table.ffnviz-example tbody th { text-align: left; font-weight: 600; }
</style>"""


def compact_frame() -> None:
    """The page's frame, tighter (CSS only: no element takes room)."""
    st.html(CSS)


def _fold_key(key: str) -> str:
    return f"{key}.settings"


def settings_fold(key: str):
    """The fold holding a page's settings (`key`: the page's widget prefix). A stateful expander:
    the Start button folds it (fold_settings), the teacher opens it again by a click."""
    return st.expander(tr("sec_settings"), expanded=True, key=_fold_key(key), on_change="rerun",
                       icon=":material/tune:")


def fold_settings(key: str) -> None:
    """Training starts: fold the settings away (a callback; nothing where the page has no fold)."""
    if _fold_key(key) in st.session_state:
        st.session_state[_fold_key(key)] = False
