"""Drawing plotly figures that update in place.

`st.plotly_chart` mounts a new chart every time its figure changes, so a live chart refreshed
three times a second blinks (a blank or doubled chart in about one frame in five, measured in
Chromium) and loses zoom and hover. Live charts are drawn instead by a small component that keeps
one plotly.js chart per key and calls `Plotly.react` with each new figure: the chart stays, only
its data moves, and `uirevision` keeps the reader's zoom.

plotly.js comes from the installed `plotly` package, copied into ./static and served by Streamlit
(`server.enableStaticServing`), so nothing is fetched from the network. Where that cannot be done
(static serving off, a read-only folder), charts fall back to `st.plotly_chart`.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from functools import cache
from pathlib import Path

import orjson
import plotly
import plotly.graph_objects as go
import streamlit as st

from ffnviz.viz.payload import default_template, figure_json

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
CONFIG = {"displaylogo": False, "responsive": True}

_JS = """
function plotlyFrom(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__ffnvizPlotly) {
    window.__ffnvizPlotly = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = () => resolve(window.Plotly);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  return window.__ffnvizPlotly;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let gd = parentElement.querySelector('.ffnviz-plot');
  if (!gd) {
    gd = document.createElement('div');
    gd.className = 'ffnviz-plot';
    parentElement.appendChild(gd);
    // A chart first drawn where it cannot be seen (an inactive tab, a closed expander) gets
    // plotly's default width; redraw at the real width once it shows or its column changes.
    new ResizeObserver(() => {
      if (window.Plotly && gd.data && gd.offsetWidth > 0) window.Plotly.Plots.resize(gd);
    }).observe(gd);
  }
  const figure = JSON.parse(data.figure);
  if (figure.layout.template === undefined) figure.layout.template = DEFAULT_TEMPLATE;  // sent once, with this code
  gd.style.minHeight = (figure.layout.height || 380) + 'px';
  gd.ffnvizReport = setTriggerValue;  // the latest render's, for the click handler below
  plotlyFrom(data.src).then((Plotly) => Plotly.react(gd, {
    data: figure.data, layout: figure.layout, frames: figure.frames || [], config: data.config,
  })).then(() => {
    if (data.clickable && !gd.ffnvizClicks) {
      gd.ffnvizClicks = true;
      gd.on('plotly_click', (event) => {
        const point = event.points && event.points[0];
        if (point && typeof point.x === 'number' && typeof point.y === 'number') {
          gd.ffnvizReport('clicked', { x: point.x, y: point.y, curve: point.curveNumber });
        }
      });
    }
  });
}
"""

# The figures leave out plotly's default template (figure_json(..., without_default_template=True)):
# the component's code carries it, sent to a browser once rather than with every refresh.
_JS = "const DEFAULT_TEMPLATE = " + orjson.dumps(default_template()).decode() + ";\n" + _JS
_component = st.components.v2.component("ffnviz.plot", js=_JS, css=".ffnviz-plot { width: 100%; }",
                                        isolate_styles=False)


@cache
def _plotly_js_url() -> str | None:
    """Where the browser finds plotly.js, or None when the app cannot serve it."""
    if not st.get_option("server.enableStaticServing"):
        return None
    name = f"plotly-{plotly.__version__}.min.js"
    target = STATIC_DIR / name
    try:
        if not target.exists():
            source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
            STATIC_DIR.mkdir(exist_ok=True)
            partial = target.with_suffix(".part")
            shutil.copyfile(source, partial)
            partial.replace(target)  # atomic: a browser never gets half a file
    except OSError:
        log.warning("cannot copy plotly.js into %s: charts fall back to st.plotly_chart", STATIC_DIR, exc_info=True)
        return None
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base + '/' if base else ''}app/static/{name}"


def plot(fig: go.Figure, key: str, on_click: Callable[[float, float, int], None] | None = None) -> None:
    """Draw `fig` under `key`; a later call with the same key updates the same chart in place.
    `on_click(x, y, trace)` is called (as a widget callback, before the rerun) when the reader
    clicks a point of the chart (`trace`: the index of the trace clicked); not where the chart
    falls back to st.plotly_chart."""
    src = _plotly_js_url()
    if src is None:
        st.plotly_chart(fig, key=key, config={"displaylogo": False}, width="stretch")
        return
    data = {"figure": figure_json(fig, without_default_template=True), "src": src, "config": CONFIG,
            "clickable": on_click is not None}
    if on_click is None:
        _component(data=data, key=key, width="stretch")
        return

    def clicked() -> None:
        value = getattr(st.session_state.get(key), "clicked", None) or {}
        if isinstance(value, dict) and "x" in value and "y" in value:
            on_click(float(value["x"]), float(value["y"]), int(value.get("curve") or 0))

    _component(data=data, key=key, width="stretch", on_clicked_change=clicked)
