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

import hashlib
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

# The chart's code, served once from ./static as a module (content-hashed name, so a browser caches
# it and a new version is a new file): a component's inline code travels with every element it
# draws, i.e. with every live refresh of every chart, so only a small loader (_LOADER) is inline.
_MODULE = """
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
# the module carries it, fetched by a browser once rather than with every refresh.
_MODULE = "const DEFAULT_TEMPLATE = " + orjson.dumps(default_template()).decode() + ";\n" + _MODULE
_LOADER = """
export default function (component) {
  // absolute: this code runs from a blob URL, against which "/app/static/..." resolves to nothing
  const src = new URL(component.data.module, window.location.href).href;
  const modules = window.__ffnvizModules || (window.__ffnvizModules = {});
  (modules[src] || (modules[src] = import(src))).then((m) => m.default(component));
}
"""
_component = st.components.v2.component("ffnviz.plot", js=_LOADER, css=".ffnviz-plot { width: 100%; }",
                                        isolate_styles=False)


def _write_once(target: Path, write: Callable[[Path], None]) -> None:
    """Make `target` in ./static if it is not there, atomically: a browser never gets half a file."""
    if target.exists():
        return
    STATIC_DIR.mkdir(exist_ok=True)
    partial = target.with_suffix(".part")
    write(partial)
    partial.replace(target)


@cache
def _asset_urls() -> tuple[str, str] | None:
    """Where the browser finds plotly.js and the chart's module, or None when the app cannot
    serve them."""
    if not st.get_option("server.enableStaticServing"):
        return None
    module = f"ffnviz-plot-{hashlib.sha1(_MODULE.encode()).hexdigest()[:12]}.js"
    names = (f"plotly-{plotly.__version__}.min.js", module)
    try:
        _write_once(STATIC_DIR / names[0], lambda path: shutil.copyfile(
            Path(plotly.__file__).parent / "package_data" / "plotly.min.js", path))
        _write_once(STATIC_DIR / names[1], lambda path: path.write_text(_MODULE, encoding="utf-8"))
    except OSError:
        log.warning("cannot write into %s: charts fall back to st.plotly_chart", STATIC_DIR, exc_info=True)
        return None
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return tuple(f"/{base + '/' if base else ''}app/static/{name}" for name in names)


def plot(fig: go.Figure | str, key: str, on_click: Callable[[float, float, int], None] | None = None) -> None:
    """Draw `fig` under `key`; a later call with the same key updates the same chart in place.
    `fig` may come as its JSON already (`figure_json(fig, without_default_template=True)`: a figure
    built once and cached).
    `on_click(x, y, trace)` is called (as a widget callback, before the rerun) when the reader
    clicks a point of the chart (`trace`: the index of the trace clicked); not where the chart
    falls back to st.plotly_chart."""
    urls = _asset_urls()
    if urls is None:
        st.plotly_chart(orjson.loads(fig) if isinstance(fig, str) else fig, key=key, config={"displaylogo": False},
                        width="stretch")
        return
    figure = fig if isinstance(fig, str) else figure_json(fig, without_default_template=True)
    data = {"figure": figure, "src": urls[0], "module": urls[1],
            "config": CONFIG, "clickable": on_click is not None}
    if on_click is None:
        _component(data=data, key=key, width="stretch")
        return

    def clicked() -> None:
        value = getattr(st.session_state.get(key), "clicked", None) or {}
        if isinstance(value, dict) and "x" in value and "y" in value:
            on_click(float(value["x"]), float(value["y"]), int(value.get("curve") or 0))

    _component(data=data, key=key, width="stretch", on_clicked_change=clicked)
