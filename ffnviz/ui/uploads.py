"""Uploaded CSV files in a session: parsed once, remembered by digest, turned into data sets.

A spec names an upload only by its digest (a link cannot carry a file), so the parsed file lives
in session_state; a page that finds a digest it does not know says so and keeps other data.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from ffnviz import limits
from ffnviz.data import Dataset, UploadError, dataset_from_upload, make_dataset, parse_csv
from ffnviz.data.upload import Upload
from ffnviz.specs import UPLOAD, DataSpec
from ffnviz.ui.i18n import current_lang, tr

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
SAMPLE_FILES = {"classification": ("three_clusters.csv", "binary_ring.csv"), "regression": ("regression_saddle.csv",)}
_KNOWN = "ffnviz.uploads"


# The uploaders take any file and this says, in the reader's language, what is wrong with one of
# another kind: Streamlit's own refusal (its `type=` filter) is English only.
ACCEPTED_SUFFIXES = (".csv", ".txt")


def uploaded_bytes(file) -> bytes | str:
    """The bytes of an uploaded file (st.file_uploader's), or why it is refused."""
    if not file.name.lower().endswith(ACCEPTED_SUFFIXES):
        return tr("upload_wrong_type", name=file.name)
    return file.getvalue()


def _known() -> dict[str, Upload]:
    return st.session_state.setdefault(_KNOWN, {})


def known_upload(digest: str) -> Upload | None:
    return _known().get(digest)


def read(raw: bytes, problem: str) -> Upload | str:
    """The parsed file, remembered; or the message saying what is wrong with it. A file seen
    before is not parsed again (the widget hands the same bytes to every rerun)."""
    seen = _known().get(hashlib.sha1(raw).hexdigest()[:12])
    if seen is not None and seen.problem == problem:
        return seen
    try:
        upload = parse_csv(raw, problem)
    except UploadError as err:
        return err.message(current_lang())
    _known()[upload.digest] = upload
    return upload


def sample_bytes(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def dataset_of(spec: DataSpec) -> Dataset:
    """The points of `spec`: generated, or split from a remembered upload."""
    if spec.dataset == UPLOAD:
        upload = known_upload(spec.upload)
        if upload is None:
            raise ValueError(tr("upload_link_needs_file", digest=spec.upload))
        return dataset_from_upload(upload, spec)
    return _generated(spec)


@st.cache_data(max_entries=64, show_spinner=False)
def _generated(spec: DataSpec) -> Dataset:
    return make_dataset(spec)


def describe(upload: Upload) -> list[str]:
    """What the page says about a loaded file: its size and classes, dropped rows, the scaling."""
    lines = []
    if upload.problem == "regression":
        lo = upload.targets.min() / upload.scaling.target_scale + upload.scaling.target_offset
        hi = upload.targets.max() / upload.scaling.target_scale + upload.scaling.target_offset
        lines.append(tr("upload_loaded_regression", rows=upload.n_points, lo=f"{lo:.3g}", hi=f"{hi:.3g}"))
    else:
        lines.append(tr("upload_loaded_classes", rows=upload.n_points, classes=upload.n_classes,
                        labels=", ".join(upload.class_values)))
    if upload.dropped_rows:
        lines.append(tr("upload_dropped", dropped=upload.dropped_rows, rows=upload.rows_read))
    s = upload.scaling
    lines.append(tr("upload_scaling", x1_offset=f"{s.offset[0]:.3g}", x1_scale=f"{s.scale[0]:.3g}",
                    x2_offset=f"{s.offset[1]:.3g}", x2_scale=f"{s.scale[1]:.3g}"))
    if upload.problem == "regression":
        lines.append(tr("upload_target_scaling", offset=f"{s.target_offset:.3g}", scale=f"{s.target_scale:.3g}"))
    return lines


def upload_help() -> str:
    return tr("help_upload", max_classes=int(limits.N_CLASSES.hi), max_rows=int(limits.UPLOAD_ROWS.hi),
              max_kb=limits.UPLOAD_BYTES // 1000)
