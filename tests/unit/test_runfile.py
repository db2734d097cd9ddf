"""Runs that last: a playground run saved and read back exactly; every bad file refused by name
before it touches anything; downloads; the class CSV neutralises formulas; saved runs in the store."""

from __future__ import annotations

import csv
import io
import json
import pickle
import struct
from dataclasses import replace

import numpy as np
import pytest
import torch
from safetensors.numpy import save as save_tensors

from ffnviz import limits
from ffnviz.page_links import OPTIMIZER_RACE, PLAYGROUND
from ffnviz.specs import RunSpec
from ffnviz.specs.race import RaceSpec
from ffnviz.store.db import open_database
from ffnviz.store.exports import class_csv, curves_csv, neutral, spec_json
from ffnviz.store.runfile import RunFileError, decode, encode, playground_file, race_file, read_playground
from ffnviz.store.saved import RunStore
from ffnviz.train.race_runner import RaceRunner
from ffnviz.train.runner import Runner
from ffnviz.train.trainer import Trainer


@pytest.fixture(scope="module")
def trained():
    spec = RunSpec()
    spec = replace(spec, data=replace(spec.data, dataset="spiral", n_classes=3), model=replace(spec.model, hidden=(8, 8)))
    runner = Runner(spec)
    runner.attach()
    runner.step(300, wait_s=20)
    assert runner.snapshot.updates == 300
    yield runner.snapshot
    runner.detach()


def refused(data: bytes, read=read_playground) -> str:
    with pytest.raises(RunFileError) as info:
        read(data)
    return info.value.key


def test_a_saved_run_reads_back_exactly_and_draws_the_same_map(trained):
    run = read_playground(playground_file(trained, "mine"))
    assert run.spec == trained.spec and run.updates == trained.updates == 300 and run.title == "mine"
    weights, biases = run.layers()
    for a, b in zip(weights + biases, trained.weights + trained.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    assert run.history().keys() == trained.history.keys()
    # Another "machine": a fresh trainer given the file's weights draws the same decision map.
    t = Trainer(run.spec)
    with torch.no_grad():
        for lin, w, b in zip(t.model.linears, weights, biases, strict=True):
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
    np.testing.assert_allclose(t.predict_grid(limits.DECISION_GRID, trained.grid_extent), trained.grid, atol=1e-6)


def test_a_pickle_is_refused_unopened(trained):
    assert refused(pickle.dumps({"weights": trained.weights})) == "runfile_pickle"
    buffer = io.BytesIO()
    torch.save({"w": torch.zeros(2)}, buffer)
    assert refused(buffer.getvalue()) == "runfile_pickle"


@pytest.mark.parametrize("data", [b"", b"not a run", struct.pack("<Q", 10**12) + b"{}", struct.pack("<Q", 2) + b"[x"])
def test_not_safetensors(data):
    assert refused(data) == "runfile_not_safetensors"


def test_safetensors_without_a_spec():
    assert refused(save_tensors({"w": np.zeros(3, np.float32)})) == "runfile_not_ffnviz"


def test_a_huge_file_is_refused_before_it_is_read():
    assert refused(b"\0" * (limits.RUN_FILE_BYTES + 1)) == "runfile_huge"


def test_wrong_shapes(trained):
    tensors = {"weight.0": np.zeros((3, 2), np.float32), "bias.0": np.zeros(3, np.float32)}
    with pytest.raises(RunFileError) as info:
        read_playground(encode(PLAYGROUND.name, trained.spec, tensors))
    assert info.value.key == "runfile_shapes" and "3×2" in info.value.args_["got"]


def test_a_spec_out_of_range(trained):
    data = playground_file(trained)
    good = decode(data)
    flat = PLAYGROUND.to_flat(good.spec) | {"model.hidden": "999"}
    bad = save_tensors(good.tensors, metadata={"ffnviz.format": "ffnviz-run/1", "ffnviz.form": "playground",
                                                "ffnviz.spec": json.dumps(flat)})
    with pytest.raises(RunFileError) as info:
        read_playground(bad)
    assert info.value.key == "runfile_spec" and "model.hidden" in info.value.args_["detail"]


def test_not_finite_weights(trained):
    tensors = {f"weight.{i}": w for i, w in enumerate(trained.weights)} | {f"bias.{i}": b for i, b in enumerate(trained.biases)}
    tensors["weight.0"] = np.full_like(tensors["weight.0"], np.inf)
    assert refused(encode(PLAYGROUND.name, trained.spec, tensors)) == "runfile_tensor"


def test_another_pages_file_is_refused_by_the_playground():
    runner = RaceRunner(RaceSpec())
    try:
        data = race_file(OPTIMIZER_RACE.name, runner.snapshot)
        assert refused(data) == "runfile_other_page"
        assert decode(data, (OPTIMIZER_RACE.name,)).spec == runner.snapshot.spec
    finally:
        runner.detach()


def test_curves_and_spec_downloads(trained):
    rows = list(csv.reader(io.StringIO(curves_csv(trained))))
    assert set(rows[0]) == set(trained.history) and len(rows) == 1 + len(trained.history["epoch"])
    document = json.loads(spec_json(PLAYGROUND.name, trained.spec))
    assert PLAYGROUND.from_flat(document["spec"], RunSpec()) == (trained.spec, [])


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\t=1"])
def test_formula_cells_are_neutralised(cell):
    assert neutral(cell) == "'" + cell
    assert neutral(0.5) == 0.5 and neutral("Ann") == "Ann"


def test_class_csv_neutralises_names():
    from ffnviz.store.classes import Tile

    tile = Tile(1, "=cmd|' /C calc'!A0", 0.0, 1.0, "playground", "/playground", {"updates": 5, "test_acc": 0.9},
                None, [], False, False)
    rows = list(csv.reader(io.StringIO(class_csv([tile], {1: 1}))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0" and rows[1][2] == "5" and rows[1][10] == "1"


def test_saved_runs_in_the_store(database_url, trained):
    store = RunStore(open_database(database_url))
    data = playground_file(trained)
    code = store.save("playground", data)
    assert store.load(code.lower()) == data
    assert store.load("NOSUCHCODE") is None
    store.engine.dispose()
    assert RunStore(open_database(database_url)).load(code) == data  # a restart keeps it
