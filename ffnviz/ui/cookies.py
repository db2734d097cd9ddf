"""Cookies the app sets itself, through a small component of its own, and reads back with
`st.context.cookies` (what the browser sent when the page connected: a cookie set now is read
from the next page load on).

Set from JavaScript, so not HttpOnly; what they hold is a random token whose hash the store keeps,
valid only for its one class and only until the class ends or expires.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function (component) {
  const { data, parentElement } = component;
  const secure = window.location.protocol === 'https:' ? '; Secure' : '';
  for (const [name, value, maxAge] of data.cookies || []) {
    const wanted = name + '=' + encodeURIComponent(value);
    if (maxAge > 0 && document.cookie.split('; ').includes(wanted)) continue;
    document.cookie = wanted + '; Path=/; Max-Age=' + maxAge + '; SameSite=Lax' + secure;
  }
  parentElement.setAttribute('data-ffnviz-cookies', String((data.cookies || []).length));
}
"""

_component = st.components.v2.component("ffnviz.cookies", js=_JS, html="<span></span>", isolate_styles=False)


def read_cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except (AttributeError, RuntimeError):  # no browser connection (a bare script run)
        return None
    return str(value) if value else None


def write_cookies(cookies: list[tuple[str, str, int]], key: str) -> None:
    """Set each (name, value, max_age_seconds) in the browser; a max_age of 0 deletes it."""
    _component(data={"cookies": [[n, v, int(a)] for n, v, a in cookies]}, key=key, height="content")
