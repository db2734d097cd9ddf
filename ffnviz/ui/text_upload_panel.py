"""The text page's own-file part: the file's language (it picks the tokeniser), the uploader, the
example file, and what was read. A file that cannot be used leaves the previous one (or the
shipped corpus) in place, with a message; parsed files are kept per session by their digest.

`page` is the page's widget-key prefix ("tx")."""

from __future__ import annotations

import streamlit as st

from ffnviz import limits
from ffnviz.data.corpus import CORPUS_DIR
from ffnviz.data.text_upload import TextUpload, parse_text_csv
from ffnviz.data.upload import UploadError
from ffnviz.ui.errors import safe_callback
from ffnviz.ui.i18n import current_lang, labeller, tr
from ffnviz.ui.spec_state import seed_widget
from ffnviz.ui.uploads import uploaded_bytes

EXAMPLE_FILE = "example_upload.csv"  # sample_data/text/: a small file to try the upload with


def mark_upload_from_link(page: str) -> None:
    """The session was opened from a link made with an uploaded file: ask for the file again."""
    st.session_state[f"{page}.upload_from_link"] = True


def _upload_state(page: str) -> dict:
    return st.session_state.setdefault(f"{page}.uploads", {})


def _read_upload(page: str, raw: bytes) -> TextUpload | str:
    try:
        upload = parse_text_csv(raw)
    except UploadError as err:
        return err.message(current_lang())
    _upload_state(page)[upload.digest] = upload
    return upload


def _use_example(page: str) -> None:
    found = _read_upload(page, (CORPUS_DIR / EXAMPLE_FILE).read_bytes())
    if isinstance(found, TextUpload):
        st.session_state[f"{page}.upload_digest"] = found.digest


def upload_controls(page: str, language: str) -> tuple[str, TextUpload | None]:
    """The language of the file (it picks the tokeniser), the file, and what was read. A file
    that cannot be used leaves the previous one (or the shipped corpus) in place, with a message."""
    cols = st.columns([1, 3, 1], vertical_alignment="bottom")
    language = cols[0].selectbox(tr("w_text_language"), limits.TEXT_LANGUAGES,
                                 key=seed_widget(f"{page}.upload_language", language),
                                 format_func=labeller("lang_"), help=tr("help_text_language"))
    raw = cols[1].file_uploader(tr("w_text_upload"), key=f"{page}.file", help=tr("help_text_upload"))
    cols[2].button(tr("btn_example_file"), key=f"{page}.example_file", on_click=safe_callback(_use_example, page),
                   help=tr("help_text_example_file"), width="stretch")
    if raw is not None:
        content = uploaded_bytes(raw)
        found = content if isinstance(content, str) else _read_upload(page, content)
        if isinstance(found, str):
            st.error(tr("upload_refused", detail=found))
        elif st.session_state.get(f"{page}.file_seen") != found.digest:  # a new file (not one the example replaced)
            st.session_state[f"{page}.file_seen"] = st.session_state[f"{page}.upload_digest"] = found.digest
    upload = _upload_state(page).get(st.session_state.get(f"{page}.upload_digest", ""))
    if upload is None and st.session_state.get(f"{page}.upload_from_link"):
        st.warning(tr("text_upload_again", language=tr("lang_" + language)))
    elif upload is None:
        st.info(tr("text_upload_waiting"))
    else:
        st.session_state.pop(f"{page}.upload_from_link", None)
        counts = ", ".join(f"{c} ({n})" for c, n in upload.counts.items())
        st.caption(tr("text_upload_loaded", rows=len(upload.texts), classes=len(upload.classes), counts=counts,
                      dropped=upload.dropped_rows))
    return language, upload
