"""Specs: validation messages, and exact round-trips through a dict and the flat URL form; the
flat reader never raises and keeps the base value of a field it cannot use."""

from __future__ import annotations

import json

import pytest

from ffnviz import limits
from ffnviz.specs import ACTIVATIONS, DataSpec, ModelSpec, OptimSpec, RegSpec, RunSpec, TrainSpec, from_flat, to_flat
from ffnviz.specs.optimizers import OPTIMIZERS

# A spec that differs from the default in every section, with floats that have no short decimal
# form, so a lossy round-trip shows.
RICH = RunSpec(
    data=DataSpec(dataset="spiral", n_points=777, noise=0.1 + 0.2, train_fraction=0.7, n_classes=4, seed=12345),
    model=ModelSpec(hidden=(7, 3, 64), activation="gelu", layer_activations=("relu", "tanh", "mish"),
                    init="he", dropout=0.1 + 0.2),
    optim=OptimSpec(name="adam", lr=0.1 + 0.2, hyper=(("beta1", 0.8), ("beta2", 0.9 + 0.0999), ("eps", 1e-7))),
    reg=RegSpec(kind="l2", rate=1 / 3),
    train=TrainSpec(seed=2**31 - 1, batch_size=17, max_updates=123_456, device="cpu"),
)


# -- validate -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("section", "field", "allowed"),
    [
        (DataSpec(n_points=49), "n_points", "50..2000"),
        (DataSpec(n_points=2001), "n_points", "50..2000"),
        (DataSpec(n_points=100.0), "n_points", "50..2000"),  # a float where a whole number belongs
        (DataSpec(noise=-0.1), "noise", "0..0.5"),
        (DataSpec(noise=float("nan")), "noise", "0..0.5"),
        (DataSpec(train_fraction=0.95), "train_fraction", "0.1..0.9"),
        (DataSpec(dataset="spiral", n_classes=6), "n_classes", "2..5"),
        (DataSpec(seed=-1), "seed", "0..2.14748e+09"),
        (ModelSpec(hidden=(4,) * 9), "hidden", "0..8"),
        (ModelSpec(hidden=(4, 65)), "hidden", "1..64"),
        (ModelSpec(hidden=(0,)), "hidden", "1..64"),
        (ModelSpec(dropout=0.95), "dropout", "0..0.9"),
        (OptimSpec(lr=0.0), "lr", "1e-05..10"),
        (OptimSpec(lr=11.0), "lr", "1e-05..10"),
        (OptimSpec(name="momentum", hyper=(("momentum", 1.5),)), "momentum", "0..0.999"),
        (RegSpec(rate=2.0), "rate", "0..1"),
        (TrainSpec(batch_size=0), "batch_size", "1..2000"),
        (TrainSpec(max_updates=0), "max_updates", "1..5e+06"),
    ],
)
def test_validate_names_the_field_and_its_range(section, field, allowed):
    with pytest.raises(ValueError) as caught:
        section.validate()
    message = str(caught.value)
    assert field in message
    assert allowed in message


@pytest.mark.parametrize(
    ("section", "field", "words"),
    [
        (DataSpec(dataset="swissroll"), "dataset", "circle, xor, gauss, spiral, moons, blobs, plane, multigauss, upload"),
        (DataSpec(dataset="circle", n_classes=3), "n_classes", "spiral"),
        (ModelSpec(activation="swish"), "activation", "relu"),
        (ModelSpec(hidden=(4, 2), layer_activations=("relu",)), "layer_activations", "one activation per hidden layer"),
        (ModelSpec(init="orthogonal"), "init", "playground"),
        (OptimSpec(name="lion"), "name", "adamw"),
        (OptimSpec(name="sgd", hyper=(("momentum", 0.9),)), "momentum", "sgd has no hyperparameter"),
        (RegSpec(kind="dropout"), "kind", "weight_decay"),
        (TrainSpec(device="tpu"), "device", "auto, cpu, cuda"),
    ],
)
def test_validate_names_the_field_and_the_choices(section, field, words):
    with pytest.raises(ValueError) as caught:
        section.validate()
    assert field in str(caught.value)
    assert words in str(caught.value)


def test_validate_reports_every_problem_and_returns_the_spec_when_valid():
    bad = RunSpec(data=DataSpec(noise=0.9), optim=OptimSpec(lr=100.0))
    with pytest.raises(ValueError) as caught:
        bad.validate()
    assert "noise" in str(caught.value) and "lr" in str(caught.value)
    assert [name for name, _ in bad.problems()] == ["data.noise", "optim.lr"]
    assert RICH.validate() is RICH
    assert RunSpec().validate() == RunSpec()


def test_every_optimizer_default_hyperparameter_is_within_its_own_range():
    for name, row in OPTIMIZERS.items():
        assert row.hypers == () or OptimSpec(name=name, hyper=tuple((h.name, h.default) for h in row.hypers)).validate()
        for h in row.hypers:
            assert h.lo <= h.default <= h.hi, (name, h.name)
        assert limits.LEARNING_RATE.contains(row.lr), name


# -- dict round-trip ----------------------------------------------------------------------------

@pytest.mark.parametrize("spec", [RunSpec(), RICH, RunSpec(model=ModelSpec(hidden=()))])
def test_dict_round_trip_is_exact(spec):
    d = spec.to_dict()
    back = RunSpec.from_dict(d)
    assert back == spec
    assert back.data.noise == spec.data.noise  # bit-exact floats, not approximately
    # The dict is JSON: a JSON export round-trips too.
    assert RunSpec.from_dict(json.loads(json.dumps(d))) == spec


def test_dict_form_is_plain_data():
    d = RICH.to_dict()
    assert d["model"]["hidden"] == [7, 3, 64]
    assert d["model"]["layer_activations"] == ["relu", "tanh", "mish"]
    assert d["optim"]["hyper"] == {"beta1": 0.8, "beta2": 0.9 + 0.0999, "eps": 1e-7}
    assert d["data"]["noise"] == 0.1 + 0.2


def test_from_dict_fills_missing_sections_and_fields_with_defaults():
    spec = RunSpec.from_dict({"optim": {"lr": 0.5}})
    assert spec.optim == OptimSpec(lr=0.5)
    assert spec.data == DataSpec() and spec.model == ModelSpec()


def test_hyper_order_does_not_matter():
    a = OptimSpec(name="adam", hyper=(("beta2", 0.99), ("beta1", 0.8)))
    b = OptimSpec(name="adam", hyper=(("beta1", 0.8), ("beta2", 0.99)))
    assert a == b
    spec = RunSpec(optim=a)
    assert RunSpec.from_dict(spec.to_dict()) == spec
    assert from_flat(to_flat(spec)) == (spec, [])


# -- flat round-trip ----------------------------------------------------------------------------

@pytest.mark.parametrize("spec", [RunSpec(), RICH, RunSpec(model=ModelSpec(hidden=()))])
def test_flat_round_trip_is_exact(spec):
    flat = to_flat(spec)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in flat.items())
    back, errors = from_flat(flat)
    assert errors == []
    assert back == spec


def test_flat_form_keys():
    flat = to_flat(RICH)
    assert flat["model.hidden"] == "7,3,64"
    assert flat["model.layer_activations"] == "relu,tanh,mish"
    assert flat["optim.hyper.beta1"] == "0.8"
    assert float(flat["data.noise"]) == 0.1 + 0.2
    assert flat["train.seed"] == str(2**31 - 1)


def test_flat_reads_onto_a_base():
    base = RICH
    spec, errors = from_flat({"optim.lr": "0.5"}, base=base)
    assert errors == []
    assert spec.optim == OptimSpec(name="adam", lr=0.5, hyper=base.optim.hyper)
    assert (spec.data, spec.model, spec.reg, spec.train) == (base.data, base.model, base.reg, base.train)


def test_flat_changing_optimizer_drops_the_old_optimizers_overrides():
    base = RunSpec(optim=OptimSpec(name="momentum", hyper=(("momentum", 0.5),)))
    spec, errors = from_flat({"optim.name": "adam"}, base=base)
    assert errors == []
    assert spec.optim == OptimSpec(name="adam", lr=base.optim.lr)
    spec, errors = from_flat({"optim.name": "nesterov", "optim.hyper.momentum": "0.7"}, base=base)
    assert errors == []
    assert spec.optim.hyper == (("momentum", 0.7),)


def test_flat_ignores_unknown_keys():
    spec, errors = from_flat({"bogus": "1", "data.colour": "red", "optimizer.lr": "5", "": ""})
    assert spec == RunSpec()
    assert errors == []


# -- flat garbage: never raises, keeps the base value, names the key ----------------------------

BASE = RunSpec(
    data=DataSpec(dataset="circle", noise=0.25, n_points=300),
    model=ModelSpec(hidden=(5, 3), activation="relu", dropout=0.2),
    optim=OptimSpec(name="momentum", lr=0.07, hyper=(("momentum", 0.8),)),
    train=TrainSpec(seed=7, batch_size=20),
)


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("data.noise", "x"),
        ("data.noise", "-0.1"),
        ("data.noise", "nan"),
        ("data.noise", ""),
        ("data.n_points", "1e3"),
        ("data.n_points", "10"),
        ("data.n_points", "5000"),
        ("data.n_classes", "3"),  # circle has two classes
        ("data.n_classes", "two"),
        ("data.train_fraction", "1"),
        ("data.dataset", "swissroll"),
        ("data.seed", "-1"),
        ("model.hidden", "4,,x"),
        ("model.hidden", ",".join(["4"] * 9)),
        ("model.hidden", "65"),
        ("model.hidden", "4,0"),
        ("model.hidden", "4.5"),
        ("model.activation", "swish"),
        ("model.layer_activations", "relu,foo"),
        ("model.layer_activations", "relu"),  # two layers, one activation
        ("model.init", "glorot"),
        ("model.dropout", "0.95"),
        ("optim.name", "lion"),
        ("optim.lr", "0"),
        ("optim.lr", "inf"),
        ("optim.lr", "fast"),
        ("optim.hyper.momentum", "2"),
        ("optim.hyper.momentum", "lots"),
        ("optim.hyper.beta1", "0.9"),  # momentum has no beta1
        ("reg.kind", "l3"),
        ("reg.rate", "-1"),
        ("train.seed", "1.5"),
        ("train.batch_size", "0"),
        ("train.max_updates", "0"),
        ("train.device", "tpu"),
    ],
)
def test_flat_garbage_keeps_the_base_value_and_names_the_key(key, text):
    spec, errors = from_flat({key: text}, base=BASE)
    assert spec == BASE
    assert len(errors) == 1, errors
    assert errors[0].startswith(key), errors
    assert len(errors[0]) > len(key) + 10, errors  # and says something about it


@pytest.mark.parametrize(
    ("key", "text", "allowed"),
    [
        ("data.noise", "-0.1", "0..0.5"),
        ("model.hidden", "65", "1..64"),
        ("model.hidden", ",".join(["4"] * 9), "0..8"),
        ("optim.lr", "11", "1e-05..10"),
        ("optim.hyper.momentum", "2", "0..0.999"),
        ("data.noise", "x", "a number"),
        ("train.seed", "1.5", "a whole number"),
        ("model.hidden", "4,,x", "whole numbers"),
    ],
)
def test_flat_garbage_message_says_what_is_allowed(key, text, allowed):
    _, errors = from_flat({key: text}, base=BASE)
    assert len(errors) == 1 and allowed in errors[0], errors


def test_flat_keeps_the_good_values_beside_a_bad_one():
    spec, errors = from_flat({"data.noise": "oops", "data.n_points": "1000", "model.hidden": "65,2",
                              "model.activation": "tanh", "optim.lr": "0.5"}, base=BASE)
    assert [e.split(":")[0].split(" ")[0] for e in errors] == ["data.noise", "model.hidden"]
    assert spec.data == DataSpec(dataset="circle", noise=0.25, n_points=1000)
    assert spec.model == ModelSpec(hidden=(5, 3), activation="tanh", dropout=0.2)
    assert spec.optim.lr == 0.5


def test_flat_garbage_on_default_base():
    spec, errors = from_flat({"data.dataset": "circle", "data.n_classes": "3", "optim.name": "nope",
                              "model.hidden": "", "train.seed": "-5"})
    assert spec == RunSpec(model=ModelSpec(hidden=()))
    assert sorted(e.split(" ")[0] for e in errors) == ["data.n_classes", "optim.name", "train.seed"]


def test_flat_every_activation_name_reads_back():
    for name in ACTIVATIONS:
        spec, errors = from_flat({"model.activation": name, "model.layer_activations": f"{name},{name}"})
        assert errors == [] and spec.model.activation == name and spec.model.layer_activations == (name, name)


def test_flat_hidden_accepts_spaces_and_empty_means_no_hidden_layer():
    assert from_flat({"model.hidden": " 8 , 4 "})[0].model.hidden == (8, 4)
    assert from_flat({"model.hidden": ""})[0].model.hidden == ()


def test_flat_never_raises_on_odd_input():
    odd = {"data.noise": "\x00", "model.hidden": "∞", "optim.hyper.": "1", "optim.hyper.eps": "1e999",
           "optim.name": "", "train.seed": "99999999999999999999", "reg.rate": " "}
    spec, errors = from_flat(odd, base=BASE)
    assert spec.validate() == spec
    assert errors
