"""keep_in_range (ffnviz/ui/spec_state.py): a slider whose range follows another widget keeps its
value. Found in a browser QA pass: the playground's batch size became 1 when the number of points
changed; the optimizer race's seeds slider (its range follows the number of contestants) and its
batch slider have the same shape."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script():
    import streamlit as st

    from ffnviz.ui.spec_state import keep_in_range, seed_widget

    top = int(st.number_input("top", 2, 100, value=50, key="top"))
    st.slider("value", 1, top, key=keep_in_range(seed_widget("value", 10), 1, top))


def test_a_slider_whose_range_changes_keeps_its_value_or_the_nearest_end():
    at = AppTest.from_function(_script).run()
    assert at.slider(key="value").value == 10
    at.slider(key="value").set_value(30).run()
    at.number_input(key="top").set_value(40).run()
    assert at.slider(key="value").value == 30  # without keep_in_range: 1, the new slider's minimum
    at.number_input(key="top").set_value(20).run()
    assert at.slider(key="value").value == 20 and not at.exception
