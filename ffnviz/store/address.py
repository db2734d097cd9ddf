"""The class's join link: from the public address the teacher sets (FFNVIZ_PUBLIC_URL, e.g. the
name a school's proxy serves the app under), else the network address Streamlit prints on start,
never localhost (a phone cannot reach the teacher's laptop by that name)."""

from __future__ import annotations

from urllib.parse import urlencode

PUBLIC_URL_ENV = "FFNVIZ_PUBLIC_URL"
LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1", "0.0.0.0")
CLASS_PAGE = "classroom"


def public_base(configured: str | None, network_ip: str | None, port: int, base_path: str = "") -> str | None:
    """The address students use, or None when there is none but localhost (the page says to set one)."""
    if configured and configured.strip():
        return configured.strip().rstrip("/")
    if not network_ip or network_ip in LOCAL_HOSTS or network_ip.startswith("127."):
        return None
    host = f"[{network_ip}]" if ":" in network_ip else network_ip
    path = base_path.strip("/")
    return f"http://{host}:{port}" + (f"/{path}" if path else "")


def join_url(base: str, code: str) -> str:
    return f"{base}/{CLASS_PAGE}?{urlencode({'class': code})}"
