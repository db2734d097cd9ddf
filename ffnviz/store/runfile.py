"""A run as a file: safetensors (tensors and a string map, never code) holding the weights and
the curves, with the spec in its metadata as the page link's flat form.

Reading never unpickles: a pickle (or torch.save's zip of one) is named and refused before
anything is parsed, and so is a file that is too big, not safetensors, not ffnviz's, of a spec
the link checks refuse, or whose tensors do not fit the spec's model. Failures are
RunFileError with a translation key and its arguments.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass, replace

import numpy as np
from safetensors import SafetensorError
from safetensors.numpy import load as load_tensors
from safetensors.numpy import save as save_tensors

from ffnviz import limits
from ffnviz.page_links import FORMS, PLAYGROUND
from ffnviz.specs import UPLOAD, RunSpec
from ffnviz.specs.links import VERSION

FORMAT = "ffnviz-run/1"
# A pickle starts with PROTO (0x80) and its protocol number; torch.save writes a zip (PK..).
_PICKLE_STARTS = (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05", b"PK\x03\x04")
HISTORY = "history."


class RunFileError(Exception):
    def __init__(self, key: str, **args):
        super().__init__(key if not args else f"{key}: {args}")
        self.key, self.args_ = key, args


@dataclass(frozen=True)
class RunFile:
    form: str  # the page link's part it is a spec of (page_links.FORMS)
    spec: object
    tensors: dict[str, np.ndarray]
    updates: int
    title: str

    def history(self, prefix: str = HISTORY) -> dict[str, np.ndarray]:
        return {k[len(prefix):]: v for k, v in self.tensors.items() if k.startswith(prefix)}

    def layers(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        n = sum(1 for k in self.tensors if k.startswith("weight."))
        return [self.tensors[f"weight.{i}"] for i in range(n)], [self.tensors[f"bias.{i}"] for i in range(n)]


def spec_document(form: str, spec) -> dict:
    """The spec as the JSON download and the run file say it: the link's flat form, every field."""
    return {"format": FORMAT, "form": form, "link_version": VERSION, "spec": FORMS[form].to_flat(spec)}


def encode(form: str, spec, tensors: dict[str, np.ndarray], updates: int = 0, title: str = "") -> bytes:
    """A run file: `tensors` (weights as weight.<i>/bias.<i>, curves as history.<name>) and the spec."""
    arrays = {k: np.ascontiguousarray(v) for k, v in tensors.items()}
    meta = {"ffnviz.format": FORMAT, "ffnviz.form": form, "ffnviz.link_version": str(VERSION),
            "ffnviz.spec": json.dumps(FORMS[form].to_flat(spec), sort_keys=True), "ffnviz.updates": str(int(updates)),
            "ffnviz.title": title[:128]}
    return save_tensors(arrays, metadata=meta)


def playground_file(snapshot, title: str = "") -> bytes:
    """The playground's run as a file, from its snapshot (the page's; the model is not touched)."""
    tensors = {f"weight.{i}": w for i, w in enumerate(snapshot.weights)}
    tensors |= {f"bias.{i}": b for i, b in enumerate(snapshot.biases)}
    tensors |= {HISTORY + k: np.asarray(v, np.float64) for k, v in snapshot.history.items()}
    return encode(PLAYGROUND.name, snapshot.spec, tensors, snapshot.updates, title)


def race_file(form: str, snapshot, state: dict[str, np.ndarray] | None = None, title: str = "") -> bytes:
    """A race's spec, every contestant's curves as the page draws them (history.<i>.<name>) and,
    from the runner that trains it, its state (`state`: RaceRunner.state, every contestant's
    weights, per-seed curves and counters; see ffnviz.train.race_state). A loaded race is drawn
    from its state; the snapshot's curves are for other readers of the file."""
    tensors = {f"{HISTORY}{i}.{k}": np.asarray(v, np.float64)
               for i, h in enumerate(snapshot.histories) for k, v in h.items()}
    updates = int(state["race.updates"][0]) if state else snapshot.updates
    return encode(form, snapshot.spec, tensors | dict(state or {}), updates, title)


def _header(data: bytes) -> dict:
    if len(data) < 8:
        raise RunFileError("runfile_not_safetensors")
    (size,) = struct.unpack("<Q", data[:8])
    if size > len(data) - 8 or size > 1_000_000:
        raise RunFileError("runfile_not_safetensors")
    try:
        return json.loads(data[8:8 + size])
    except (UnicodeDecodeError, ValueError):
        raise RunFileError("runfile_not_safetensors") from None


def decode(data: bytes, forms: tuple[str, ...] | None = None) -> RunFile:
    """Read a run file (any page's, or one of `forms`). Raises RunFileError."""
    if len(data) > limits.RUN_FILE_BYTES:
        raise RunFileError("runfile_huge", size=f"{len(data) / 1e6:.1f}", cap=f"{limits.RUN_FILE_BYTES / 1e6:.0f}")
    if data.startswith(_PICKLE_STARTS):
        raise RunFileError("runfile_pickle")
    meta = _header(data).get("__metadata__") or {}
    if meta.get("ffnviz.format") != FORMAT:
        raise RunFileError("runfile_not_ffnviz")
    form = meta.get("ffnviz.form", "")
    if form not in FORMS or (forms is not None and form not in forms):
        raise RunFileError("runfile_other_page", form=form)
    try:
        tensors = load_tensors(data)
        flat = json.loads(meta.get("ffnviz.spec", ""))
        updates = int(meta.get("ffnviz.updates", "0"))
    except (SafetensorError, ValueError, TypeError):
        raise RunFileError("runfile_not_safetensors") from None
    if not isinstance(flat, dict) or not all(isinstance(v, str) for v in flat.values()):
        raise RunFileError("runfile_spec", detail="the spec is not a flat map of text values")
    spec, messages = FORMS[form].from_flat(flat, FORMS[form].default)
    if messages:
        raise RunFileError("runfile_spec", detail="; ".join(messages[:3]))
    for name, array in tensors.items():
        if array.dtype.kind != "f" or not np.isfinite(array[~np.isnan(array)] if name.startswith(HISTORY) else array).all():
            raise RunFileError("runfile_tensor", name=name)
    return RunFile(form, spec, tensors, updates, str(meta.get("ffnviz.title", ""))[:128])


def layer_shapes(spec: RunSpec) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """(weight, bias) shapes of the playground's model for `spec`, as built (on the CPU)."""
    from ffnviz.train.trainer import Trainer  # the model as the playground builds it

    trainer = Trainer(replace(spec, train=replace(spec.train, device="cpu")))
    return [(tuple(lin.weight.shape), tuple(lin.bias.shape)) for lin in trainer.model.linears]


def read_playground(data: bytes) -> RunFile:
    """A playground run file whose weights fit its spec's model. Raises RunFileError."""
    run = decode(data, (PLAYGROUND.name,))
    spec: RunSpec = run.spec
    if spec.data.dataset == UPLOAD:
        raise RunFileError("runfile_upload")
    weights, biases = run.layers() if all(f"bias.{i}" in run.tensors for i in range(
        sum(1 for k in run.tensors if k.startswith("weight.")))) else ([], [])
    wanted = layer_shapes(spec)
    got = [(tuple(w.shape), tuple(b.shape)) for w, b in zip(weights, biases, strict=True)]
    if got != wanted:
        raise RunFileError("runfile_shapes", got=_shapes(got), wanted=_shapes(wanted))
    if not math.isfinite(sum(float(np.abs(w).sum()) for w in weights)):
        raise RunFileError("runfile_tensor", name="weight")
    return run


def has_state(run: RunFile) -> bool:
    """Whether a race file holds its weights and counters (one saved before they were kept
    holds only its spec and curves)."""
    return "race.diverged" in run.tensors


def read_race(data: bytes, form: str) -> RunFile:
    """An optimizer race's file whose state, if it has one, fits its spec's models. Raises
    RunFileError; checked here, before the current race is touched."""
    from ffnviz.train.race_state import state_problems  # the state's names, as the race writes them

    run = decode(data, (form,))
    if run.spec.base.data.dataset == UPLOAD:
        raise RunFileError("runfile_upload")
    if has_state(run):
        shapes = {}
        for row in run.spec.run_specs():
            key = row[0].model
            if key not in shapes:
                shapes[key] = layer_shapes(row[0])
        problems = state_problems([shapes[row[0].model] for row in run.spec.run_specs()], len(run.spec.seeds),
                                  run.tensors)
        if not problems and not (run.tensors["race.updates"][0] <= run.spec.base.train.max_updates
                                 and run.tensors["race.epochs"][0] <= run.tensors["race.updates"][0]):
            problems.append("its update count is beyond its budget")
        if problems:
            raise RunFileError("runfile_race_state", detail="; ".join(problems[:3]))
    return run


def _shapes(pairs) -> str:
    return ", ".join("×".join(map(str, w)) for w, _ in pairs) or "none"
