"""The optimizer's widgets, one set for every page: which optimizer, its learning rate on a log
scale, its hyperparameters, the regularizer and its rate. Each widget's key comes from
`key(name, value)` (a PageState's `widget`, or one under a walker's prefix), which seeds it from
the spec on first use. `hidden(control)` says a teacher hid a control (its value stays the spec's).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ffnviz import limits
from ffnviz.specs import REGULARIZERS, OptimSpec, RegSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.ui.i18n import labeller, tr

REG_RATES = [0.0, *limits.log_choices(limits.Range(1e-4, limits.REG_RATE.hi))]
BATCHES = (8, 16, 32, 64, 128, 256)  # the compact row's batch sizes

Key = Callable[[str, object], str]


def with_value(choices, value) -> list:
    """A picker's choices with `value` among them (a link's value between the steps)."""
    return sorted({*choices, value})


def _number(value) -> str:
    return f"{value:g}"


def _never(control: str) -> bool:
    return False


def optimizer_widgets(key: Key, optim: OptimSpec, *, places=None, lr_for: Callable[[str], float] | None = None,
                      hypers: bool = True, hyper_columns: bool = False,
                      hidden: Callable[[str], bool] = _never) -> OptimSpec:
    """`places`: where the optimizer and the learning rate go (default: one under the other, the
    hyperparameters below). With `lr_for`, each optimizer keeps its own learning rate and one newly
    chosen starts at `lr_for(name)` (the 2-D surfaces, whose rates differ by optimizer); without,
    one learning rate stays when the optimizer changes. `hypers=False`: the optimizer's default
    hyperparameters, no widgets."""
    where = places or (st, st)
    name = optim.name
    if not hidden("optimizer"):
        name = where[0].selectbox(tr("w_optimizer"), list(OPTIMIZERS), key=key("optimizer", optim.name),
                                  format_func=labeller("opt_"), help=tr("help_optimizer"))
    start = optim if name == optim.name else OptimSpec(name, lr_for(name) if lr_for else optim.lr)
    lr = start.lr
    if not hidden("lr"):
        lr = where[1].select_slider(tr("w_lr"), with_value(limits.LEARNING_RATES, start.lr),
                                    key=key(f"{name}.lr" if lr_for else "lr", start.lr), format_func=_number,
                                    help=tr("help_lr"))
    if not hypers:
        return OptimSpec(name, float(lr), start.hyper)
    hyper = []
    values, rows = start.hyper_values(), OPTIMIZERS[name].hypers
    spots = st.columns(max(1, len(rows))) if hyper_columns else [st] * len(rows)
    for spot, h in zip(spots, rows, strict=False):
        value = float(values[h.name])
        if not hidden("hyper"):
            value = spot.number_input(f"{tr('hyp_' + h.name)} (${h.symbol}$)", float(h.lo), float(h.hi), step=None,
                                      format="%g", key=key(f"{name}.{h.name}", value), help=tr("help_hyper"))
        if value != h.default:
            hyper.append((h.name, float(value)))
    return OptimSpec(name, float(lr), tuple(sorted(hyper)))


def regularizer_widgets(key: Key, reg: RegSpec, *, places=None, hidden: Callable[[str], bool] = _never) -> RegSpec:
    """The regularizer and its rate (shown, greyed out, while there is none)."""
    where = places or (st, st)
    kind, rate = reg.kind, reg.rate
    if not hidden("reg"):
        kind = where[0].selectbox(tr("w_reg"), REGULARIZERS, key=key("reg", reg.kind), format_func=labeller("reg_"),
                                  help=tr("help_reg"))
    if not hidden("rate"):
        rate = where[1].select_slider(tr("w_reg_rate"), with_value(REG_RATES, reg.rate), key=key("rate", reg.rate),
                                      format_func=_number, help=tr("help_reg_rate"), disabled=kind == "none")
    return RegSpec(kind, float(rate))


def optimizer_row(cols, key: Key, optim: OptimSpec, reg: RegSpec, batch_size: int) -> tuple[OptimSpec, RegSpec, int]:
    """The compact training controls of the sequence, image and text pages, in five columns:
    optimizer (its default hyperparameters), learning rate, regularizer, its rate, batch size."""
    optim = optimizer_widgets(key, optim, places=cols[:2], hypers=False)
    reg = regularizer_widgets(key, reg, places=cols[2:4])
    batch = cols[4].select_slider(tr("w_batch"), with_value(BATCHES, batch_size), key=key("batch", batch_size),
                                  help=tr("help_batch"))
    return optim, reg, int(batch)
