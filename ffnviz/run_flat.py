"""A run's flat query-string form (the page URL): {"data.noise": "0.1", "model.hidden": "4,2",
"optim.hyper.momentum": "0.9"}. Written exactly (floats by repr); read without ever raising: a
garbage or out-of-range value keeps the base's and says what is allowed."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from ffnviz.specs import (
    CLASSIFICATION_DATASETS,
    PROBLEMS,
    REGRESSION_DATASETS,
    SECTIONS,
    UPLOAD,
    DataSpec,
    RunSpec,
)


def to_flat(spec: RunSpec) -> dict[str, str]:
    """Every field as a string, keyed "section.field"; exact for floats (repr round-trips)."""
    flat = {}
    for name in SECTIONS:
        section = getattr(spec, name)
        for f in fields(section):
            value = getattr(section, f.name)
            if f.name == "hyper":
                for key, v in value:
                    flat[f"{name}.hyper.{key}"] = repr(float(v))
            elif isinstance(value, tuple):
                flat[f"{name}.{f.name}"] = ",".join(str(v) for v in value)
            elif isinstance(value, float):
                flat[f"{name}.{f.name}"] = repr(value)
            else:
                flat[f"{name}.{f.name}"] = str(value)
    return flat


def _parse(text: str, default: Any) -> Any:
    """Parse `text` into the type of the field's default, or raise ValueError."""
    if isinstance(default, bool):
        return text.lower() in ("1", "true", "yes")
    if isinstance(default, int):
        return int(text)
    if isinstance(default, float):
        return float(text)
    if isinstance(default, tuple):
        return tuple(p.strip() for p in text.split(",") if p.strip() != "")
    return text


_INT_TUPLES = {("model", "hidden")}


def _expected(section: str, name: str, default: Any) -> str:
    """What a field's text must look like, for a message about text that does not parse."""
    if (section, name) in _INT_TUPLES:
        return "a comma-separated list of whole numbers (e.g. 4,2)"
    if isinstance(default, int):
        return "a whole number"
    return "a number"


def _fit_problem(changes: dict[str, Any], base: DataSpec) -> None:
    """A link that names only the data set or only the problem means the pair that fits:
    `data.dataset=plane` is a regression, `data.problem=regression` on a classification set
    switches to the first regression set. A link naming both as a misfit is reported."""
    dataset, problem = changes.get("dataset"), changes.get("problem")
    if problem is None and dataset in REGRESSION_DATASETS:
        changes["problem"] = "regression"
    elif problem is None and dataset in CLASSIFICATION_DATASETS:
        changes["problem"] = "classification"
    elif dataset is None and problem in PROBLEMS and base.dataset != UPLOAD:
        allowed = CLASSIFICATION_DATASETS if problem == "classification" else REGRESSION_DATASETS
        if base.dataset not in allowed:
            changes["dataset"] = allowed[0]
    if changes.get("problem", base.problem) == "regression" and "n_classes" not in changes and base.n_classes != 2:
        changes["n_classes"] = 2  # regression has no classes: the base's k goes


def from_flat(flat: dict[str, str], base: RunSpec | None = None) -> tuple[RunSpec, list[str]]:
    """Read a spec from query parameters. Never raises: a garbage or out-of-range value keeps
    the base value (default: the default spec) and adds a message saying what is allowed."""
    base = base or RunSpec()
    errors: list[str] = []
    sections = {}
    for name, cls in SECTIONS.items():
        section = getattr(base, name)
        changes: dict[str, Any] = {}
        hyper = dict(section.hyper) if name == "optim" else {}
        for f in fields(cls):
            key = f"{name}.{f.name}"
            if f.name == "hyper":
                continue
            if key not in flat:
                continue
            default = getattr(cls(), f.name)
            try:
                if (name, f.name) in _INT_TUPLES:
                    changes[f.name] = tuple(int(p) for p in flat[key].split(",") if p.strip() != "")
                else:
                    changes[f.name] = _parse(flat[key].strip(), default)
            except ValueError:
                errors.append(f"{key}: {flat[key]!r} is not {_expected(name, f.name, default)}")
        if name == "optim":
            for key, text in flat.items():
                if key.startswith("optim.hyper."):
                    try:
                        hyper[key.removeprefix("optim.hyper.")] = float(text)
                    except ValueError:
                        errors.append(f"{key}: {text!r} is not a number")
            from ffnviz.train.optimizers import OPTIMIZERS

            # Another optimizer: the old one's overrides go. An unknown name is reverted below,
            # and the base's overrides stay with it.
            if "name" in changes and changes["name"] != section.name and changes["name"] in OPTIMIZERS:
                hyper = {k: v for k, v in hyper.items() if f"optim.hyper.{k}" in flat}
            changes["hyper"] = tuple(sorted(hyper.items()))
        if name == "data":
            _fit_problem(changes, section)
        candidate = replace(section, **changes)
        # Fall back field by field until what is left is valid.
        for _ in range(len(changes) + 1):
            found = candidate.problems()
            if not found:
                break
            bad = found[0][0]
            errors.append(f"{name}.{found[0][1]}")
            candidate = replace(candidate, **{bad: getattr(section, bad) if bad in changes else getattr(cls(), bad)})
            changes.pop(bad, None)
        if candidate.problems():  # the changes fight each other (or the base is bad): keep the base
            candidate = section if not section.problems() else cls()
        sections[name] = candidate
    return RunSpec(**sections), errors
