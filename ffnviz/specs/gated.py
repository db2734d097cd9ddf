"""The gated-layers page's two races as specs: each part's default race, the choices its widgets
offer, and how a link's race (any valid sequence race) becomes one those widgets can show.

Pure (no Streamlit). The page builds its races with `compose` from its widgets' values and reads
a link with `read_part`, which uses `compose` too, so a link and the widgets make the same kind
of race: one data set, contestants that differ only in their variant (or cell), one optimizer.
Both parts live in one URL, each under its own prefix ("ffn.", "rnn.")."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ffnviz import limits
from ffnviz.specs.flat import Flat
from ffnviz.specs.run import OptimSpec, TrainSpec
from ffnviz.specs.sequences import (
    CELLS,
    TASKS,
    VARIANTS,
    SeqContestant,
    SeqModelSpec,
    SeqRaceSpec,
    SeqRunSpec,
    SeqSpec,
    seq_race_from_flat,
    seq_race_to_flat,
)

OFFSET = 2  # copy_offset's lag on this page (its caption says "two steps earlier")
N_SEQUENCES = 2000
LR = 0.01  # Adam's, for both races
# The LSTM's forget-gate bias at the start (SeqModelSpec.forget_bias; 0: torch's own draw).
FORGET_BIASES = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0)
# The GRU's update-gate bias at the start (SeqModelSpec.update_bias; 0: torch's own draw).
UPDATE_BIASES = FORGET_BIASES


@dataclass(frozen=True)
class GatedPart:
    prefix: str  # its keys in the page URL: "ffn.data.length"
    default: SeqRaceSpec
    tasks: tuple[str, ...]
    member: str  # the model field that tells the contestants apart: "variant" or "cell"
    options: tuple[str, ...]  # what that field may be
    shared: tuple[str, ...]  # model fields every contestant shares, set by the page's widgets
    # A shared field's widget choices (the fields not named here are true/false toggles).
    choices: dict[str, tuple[float, ...]] = field(default_factory=dict, compare=False, hash=False)


def _race(data: SeqSpec, models: list[SeqModelSpec]) -> SeqRaceSpec:
    return SeqRaceSpec(SeqRunSpec(data=data, train=TrainSpec(batch_size=32)),
                       tuple(SeqContestant(m, OptimSpec("adam", LR)) for m in models), seeds=(0,))


FFN = GatedPart(
    "ffn.",
    _race(SeqSpec("find_earlier", 8, 4, n_sequences=N_SEQUENCES, offset=OFFSET),
          [SeqModelSpec("ffn", variant=v, d=32, h=128) for v in ("relu", "gelu", "glu", "swiglu")]),
    tasks=tuple(k for k, t in TASKS.items() if not t.regression), member="variant", options=VARIANTS,
    shared=("d", "h", "residual", "layer_norm"), choices={"d": (8, 16, 32, 64), "h": (16, 32, 64, 128, 256)})
RNN = GatedPart(
    "rnn.",
    _race(SeqSpec("remember_first", 10, 8, n_sequences=N_SEQUENCES, offset=OFFSET),
          [SeqModelSpec("rnn", cell=c, hidden=32) for c in CELLS]),
    tasks=tuple(k for k, t in TASKS.items() if not t.per_position), member="cell", options=CELLS,
    shared=("hidden", "forget_bias", "update_bias"),
    choices={"hidden": (4, 8, 16, 32, 64), "forget_bias": FORGET_BIASES, "update_bias": UPDATE_BIASES})


def _raw(part: GatedPart, spec: SeqRaceSpec) -> dict:
    """The values the page's widgets would show for `spec`, unchecked; shared fields are the first
    contestant's."""
    data, first = spec.base.data, spec.contestants[0]
    return {"task": data.task, "length": data.length, "vocab": data.vocab, "seed": data.seed,
            **{f: getattr(first.model, f) for f in part.shared},
            "members": tuple(getattr(c.model, part.member) for c in spec.contestants),
            "lr": first.optim.lr, "batch": spec.base.train.batch_size, "race_seed": spec.seeds[0]}


def _checks(part: GatedPart) -> dict[str, tuple[str, object, str]]:
    """Per widget value: its key in a link, what the widget allows (a Range or a tuple), and that in words."""
    out = {"task": ("data.task", part.tasks), "length": ("data.length", limits.GATED_LENGTH),
           "vocab": ("data.vocab", limits.GATED_VOCAB), "lr": ("c0.optim.lr", tuple(limits.LEARNING_RATES)),
           "batch": ("train.batch_size", limits.GATED_BATCH)}
    out.update({f: (f"c0.model.{f}", options) for f, options in part.choices.items()})
    return {name: (key, allowed, f"in {allowed}" if isinstance(allowed, limits.Range)
                   else "one of " + ", ".join(f"{a:g}" if isinstance(a, float) else str(a) for a in allowed))
            for name, (key, allowed) in out.items()}


def page_values(part: GatedPart, spec: SeqRaceSpec) -> tuple[dict, list[str]]:
    """The widgets' values for a valid race: a value they cannot show becomes the default race's,
    with a message naming its key (without the part's prefix) and what the page allows."""
    values, default = _raw(part, spec), _raw(part, part.default)
    errors: list[str] = []
    for name, (key, allowed, words) in _checks(part).items():
        value = values[name]
        if not (allowed.contains(value) if isinstance(allowed, limits.Range) else value in allowed):
            errors.append(f"{key} must be {words} on this page, got {value}")
            values[name] = default[name]
    members: list[str] = []
    for i, m in enumerate(values["members"]):
        if m in members:
            errors.append(f"c{i}.model.{part.member}: {m} races already; each races once")
        else:
            members.append(m)
    if not limits.RACE_CONTESTANTS.contains(len(members)):
        errors.append(f"race.contestants: this page races {limits.RACE_CONTESTANTS} different ones "
                      f"({', '.join(part.options)}), got {len(members)}; kept {', '.join(default['members'])}")
        members = list(default["members"])
    values["members"] = tuple(members)
    return values, errors


def compose(part: GatedPart, base: SeqRaceSpec, values: dict) -> SeqRaceSpec:
    """The part's race from its widgets' values (see _raw); what no widget sets (the number of
    sequences, the step cap, the target accuracy) stays `base`'s. Not validated."""
    length = int(values["length"])
    data = replace(base.base.data, task=values["task"], length=length, vocab=int(values["vocab"]),
                   seed=int(values["seed"]), offset=min(OFFSET, length - 1))
    train = replace(base.base.train, batch_size=int(values["batch"]))
    model = replace(part.default.contestants[0].model, **{f: values[f] for f in part.shared})
    optim = OptimSpec("adam", float(values["lr"]))
    contestants = tuple(SeqContestant(replace(model, **{part.member: m}), optim) for m in values["members"])
    return SeqRaceSpec(SeqRunSpec(data=data, train=train), contestants, (int(values["race_seed"]),),
                       base.target_accuracy)


def read_part(part: GatedPart, flat: Flat, base: SeqRaceSpec | None = None) -> tuple[SeqRaceSpec, list[str]]:
    """The part's race from a page URL (only the keys under its prefix), over `base` (default: the
    part's default). Never raises: every value that is bad, or that the page cannot show, is
    replaced, with a message naming its key."""
    spec, errors = seq_race_from_flat(flat, base or part.default, prefix=part.prefix)
    values, found = page_values(part, spec)
    errors += [part.prefix + e for e in found]
    fitted = compose(part, spec, values)
    # What else the link named that this page sets its own way (another optimizer, a second
    # contestant's width, ...): said once, by key.
    before, after = seq_race_to_flat(spec, part.prefix), seq_race_to_flat(fitted, part.prefix)
    recast = any(e.startswith(part.prefix + "race.contestants") for e in errors)  # it names every member
    for key in flat:
        said = any(e.startswith((key + " ", key + ":")) for e in errors)
        said = said or (recast and key.endswith(f".model.{part.member}"))
        if key in before and before[key] != after.get(key) and not said:
            uses = f"it uses {after[key]}" if key in after else "left out"
            errors.append(f"{key}: not adjustable on this page; {uses}")
    return fitted, errors
