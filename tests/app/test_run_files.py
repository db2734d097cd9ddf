"""Runs that last, as a person uses them: save a playground run, load it in another session (a
file or a code), a bad file refused with the current run untouched, the race's settings, and the
curves/settings downloads on every page."""

from __future__ import annotations

import pickle
import re
from dataclasses import replace

import numpy as np
import pytest

from ffnviz.specs.race import RaceSpec
from ffnviz.store.runfile import encode, playground_file, race_file, read_race
from ffnviz.train.race_runner import RaceRunner
from tests.app.conftest import runners_of
from tests.app.test_pages import no_errors


def trained_playground(app, units: int = 4):
    at = app("pages/playground.py")
    at.number_input(key="pg.units.0").set_value(units).run()
    at.button(key="pg.step").click().run()
    no_errors(at)
    runner = runners_of(at)[0]
    assert runner.snapshot.updates > 0
    return at, runner


def load_file(at, data: bytes, name: str = "run.safetensors"):
    return at.file_uploader(key="pg.load_file").set_value((name, data, "application/octet-stream")).run()


def test_a_run_file_loads_in_another_session(app):
    _, saved = trained_playground(app, units=6)
    data = playground_file(saved.snapshot, "saved")
    at = app("pages/playground.py")  # another person, the default network (4 units)
    load_file(at, data)
    no_errors(at)
    assert any("Run loaded" in s.value for s in at.success)
    runner = runners_of(at)[0]
    assert runner.snapshot.spec == saved.snapshot.spec
    for a, b in zip(runner.snapshot.weights, saved.snapshot.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(runner.snapshot.grid, saved.snapshot.grid, atol=1e-6)
    assert at.session_state["pg.units.0"] == 6  # the controls show the loaded settings


@pytest.mark.parametrize("data, message", [
    (pickle.dumps({"w": [1, 2]}), "pickle"),
    (b"garbage" * 10, "not a safetensors"),
])
def test_a_bad_file_is_refused_and_the_run_stays(app, data, message):
    at, runner = trained_playground(app)
    before = runner.snapshot
    load_file(at, data, "evil.bin")
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    after = runners_of(at)[0].snapshot
    assert after.spec == before.spec and after.updates == before.updates
    for a, b in zip(after.weights, before.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def save_and_load_by_code(app, at, page: str, key: str):
    """Save `at`'s run on the server, and load it by its code in a new session of `page`."""
    at.button(key=f"{key}.save_store").click().run()
    no_errors(at)
    code = re.search(r"\*\*([A-Z0-9]+)\*\*", next(s.value for s in at.success if "Saved" in s.value)).group(1)
    other = app(page)
    other.text_input(key=f"{key}.saved_code").set_value(code).run()
    other.button(key=f"{key}.load_code").click().run()
    no_errors(other)
    return other


def test_saved_on_the_server_and_loaded_by_its_code(app):
    at, saved = trained_playground(app, units=5)
    other = save_and_load_by_code(app, at, "pages/playground.py", "pg")
    runner = runners_of(other)[0]
    assert runner.snapshot.spec == saved.snapshot.spec
    np.testing.assert_array_equal(runner.snapshot.weights[0], saved.snapshot.weights[0])
    other.text_input(key="pg.saved_code").set_value("NOPE").run()
    other.button(key="pg.load_code").click().run()
    assert any("No run is saved" in e.value for e in other.error)


def races_of(at) -> list[RaceRunner]:
    return [at.session_state[k] for k in at.session_state if isinstance(at.session_state[k], RaceRunner)]


def trained_race(app):
    at = app("pages/optimizers.py")
    at.slider(key="op.race.seeds").set_value(2).run()
    at.button(key="op.race.step").click().run()
    no_errors(at)
    race = races_of(at)[0]
    assert race.snapshot.updates > 0
    return at, race


def test_the_race_is_saved_and_loaded_by_its_code_with_its_weights(app):
    at, saved = trained_race(app)
    other = save_and_load_by_code(app, at, "pages/optimizers.py", "op.race")
    assert any("Race loaded" in s.value for s in other.success), [s.value for s in other.success]
    race = races_of(other)[0]
    snap, was = race.snapshot, saved.snapshot
    assert snap.spec == was.spec and len(snap.spec.seeds) == 2 and snap.updates == was.updates
    for k, v in saved.state().items():
        if k.startswith(("weight.", "bias.")):
            np.testing.assert_array_equal(race.state()[k], v)
    for mine, theirs in zip(snap.histories, was.histories, strict=True):  # the same curves drawn
        assert mine.keys() == theirs.keys()
        for key in mine:
            np.testing.assert_array_equal(mine[key], theirs[key])
    assert other.session_state["op.race.seeds"] == 2  # the controls show the loaded settings
    other.button(key="op.race.step").click().run()  # and it goes on from there
    no_errors(other)
    assert races_of(other)[0].snapshot.updates > was.updates


@pytest.mark.parametrize("data, message", [
    (pickle.dumps({"w": [1, 2]}), "pickle"),
    (b"garbage" * 10, "not a safetensors"),
])
def test_a_bad_file_is_refused_and_the_race_stays(app, data, message):
    at, race = trained_race(app)
    before = race.state()
    at.file_uploader(key="op.race.load_file").set_value(("evil.safetensors", data, "application/octet-stream")).run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    after = races_of(at)[0]
    assert after.snapshot.updates == race.snapshot.updates
    for k, v in before.items():
        np.testing.assert_array_equal(after.state()[k], v)


def test_a_race_file_that_does_not_fit_its_settings_is_refused(app):
    at, race = trained_race(app)
    data = race_file("optimizers.race", race.snapshot, race.state())
    run = read_race(data, "optimizers.race")
    tensors = {k: v for k, v in run.tensors.items() if k != "weight.0.0.0"}
    at.file_uploader(key="op.race.load_file").set_value(
        ("cut.safetensors", encode("optimizers.race", run.spec, tensors, run.updates), "application/octet-stream")).run()
    assert not at.exception
    assert any("does not fit its own settings" in e.value for e in at.error), [e.value for e in at.error]
    assert races_of(at)[0].snapshot.updates == race.snapshot.updates


@pytest.mark.parametrize("page, keys", [
    ("pages/playground.py", ["pg"]), ("pages/optimizers.py", ["op.race"]), ("pages/gated.py", ["gl.ffn", "gl.rnn"]),
    ("pages/attention.py", ["at"]), ("pages/convolution.py", ["cv"]), ("pages/text.py", ["tx"]),
])
def test_every_page_offers_its_curves_and_settings(app, page, keys):
    at = app(page)
    no_errors(at)
    found = {b.key for b in at.get("download_button")}
    for key in keys:
        assert {f"{key}.curves_csv", f"{key}.spec_json"} <= found, found


def test_a_loaded_race_keeps_its_own_contestants(app):
    """The race's table follows the loaded file: the next run does not rebuild the race from the
    table's old rows (the page's default six) and lose the loaded weights."""
    spec = replace(RaceSpec(), contestants=RaceSpec().contestants[:2])
    saved = RaceRunner(spec)
    saved.step(5)
    at = app("pages/optimizers.py")
    data = race_file("optimizers.race", saved.snapshot, saved.state())
    at.file_uploader(key="op.race.load_file").set_value(("race.safetensors", data, "application/octet-stream")).run()
    no_errors(at)
    at.button(key="op.race.step").click().run()
    no_errors(at)
    race = races_of(at)[0]
    assert race.snapshot.spec.contestants == spec.contestants
    assert race.snapshot.updates > saved.snapshot.updates  # went on from the file's weights
