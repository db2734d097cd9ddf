"""Every spec of ffnviz: frozen dataclasses that describe a run fully, check themselves
(`problems()`, `validate()`) and have a flat URL form that is read without ever raising.

    checks.py       Problems, Section, check_range / check_choice / check_bool, fall_back
    flat.py         the one table of rules that writes a field into a link and reads it back
    optimizers.py   the optimizer registry's data (names, hyperparameters, ranges, rules)
    run.py          the playground's run: DataSpec, ModelSpec, OptimSpec, RegSpec, TrainSpec
    race.py         the optimizer race (RaceSpec) and what every race's link shares
    model_race.py   the shape of the other races (SectionsRun, ModelContestant, ModelRace)
    sequences.py    the sequence tasks and models (gated-layers and self-attention pages)
    gated.py        the gated-layers page's two races, as its widgets can show them
    conv.py         images, CNNs and the shape calculator (convolution page)
    text.py         texts and their classifiers (text page)
    paths.py        optimizers walking a 2-D surface (the optimizer page's first part)
    links.py        versioned links: a link is read against the defaults it was made with

Specs import nothing above them (no torch, no streamlit): data/, nn/, train/ and ui/ build on
them. The names below are the playground's run, the vocabulary most modules use.
"""

from ffnviz.specs.checks import Problems, Section, check_bool, check_choice, check_range
from ffnviz.specs.run import (
    ACTIVATIONS,
    CLASSIFICATION_DATASETS,
    DATASETS,
    DEVICES,
    FEATURES,
    INITS,
    MULTICLASS_DATASETS,
    PLAYGROUND_DEFAULT,
    PROBLEMS,
    REGRESSION_DATASETS,
    REGULARIZERS,
    SECTIONS,
    UPLOAD,
    DataSpec,
    ModelSpec,
    OptimSpec,
    RegSpec,
    RunSpec,
    TrainSpec,
    from_flat,
    to_flat,
)

__all__ = [
    "ACTIVATIONS", "CLASSIFICATION_DATASETS", "DATASETS", "DEVICES", "FEATURES", "INITS", "MULTICLASS_DATASETS",
    "PLAYGROUND_DEFAULT", "PROBLEMS", "REGRESSION_DATASETS", "REGULARIZERS", "SECTIONS", "UPLOAD", "DataSpec",
    "ModelSpec", "OptimSpec", "Problems", "RegSpec", "RunSpec", "Section", "TrainSpec", "check_bool", "check_choice",
    "check_range", "from_flat", "to_flat",
]
