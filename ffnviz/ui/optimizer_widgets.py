"""One optimizer's widgets: which one, its learning rate on a log scale, its hyperparameters.
Shared by the walkers on a 2-D surface and the contestants of a race."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ffnviz import limits
from ffnviz.specs import OptimSpec, RegSpec
from ffnviz.specs.optimizers import OPTIMIZERS
from ffnviz.ui.i18n import labeller, tr

LEARNING_RATES = limits.log_choices(limits.LEARNING_RATE)


def _with(choices: list[float], value: float) -> list[float]:
    return sorted({*choices, value})


def optimizer_widgets(key: str, default: OptimSpec, *, lr_for=None) -> OptimSpec:
    """Widgets under `key` seeded from `default`. `lr_for(name)` gives the learning rate a newly
    chosen optimizer starts with (each optimizer keeps its own lr widget, so switching back and
    forth keeps what was chosen)."""
    names = list(OPTIMIZERS)
    name = st.selectbox(tr("w_optimizer"), names, index=names.index(default.name), key=f"{key}.name",
                        format_func=labeller("opt_"), help=tr("help_optimizer"))
    start = default if name == default.name else OptimSpec(name, lr_for(name) if lr_for else OPTIMIZERS[name].lr)
    lr = st.select_slider(tr("w_lr"), _with(LEARNING_RATES, start.lr), value=start.lr, key=f"{key}.{name}.lr",
                          format_func=lambda v: f"{v:g}", help=tr("help_lr"))
    values = start.hyper_values()
    hypers = OPTIMIZERS[name].hypers
    hyper = []
    for column, h in zip(st.columns(max(1, len(hypers))), hypers, strict=False):
        value = column.number_input(f"{tr('hyp_' + h.name)} (${h.symbol}$)", float(h.lo), float(h.hi),
                                    value=float(values[h.name]), step=None, format="%g", key=f"{key}.{name}.{h.name}",
                                    help=tr("help_hyper"))
        if value != h.default:
            hyper.append((h.name, float(value)))
    return OptimSpec(name, float(lr), tuple(hyper))


BATCHES = (8, 16, 32, 64, 128, 256)


def optimizer_row(cols, key, optim: OptimSpec, reg: RegSpec, batch_size: int) -> tuple[OptimSpec, RegSpec, int]:
    """The compact training controls of the sequence, image and text pages, in five columns:
    optimizer (its default hyperparameters), learning rate, regularizer, its rate, batch size.
    `key(name, value)` gives each widget's key, seeding it with `value` (spec_state.seed_widget
    under the page's prefix)."""
    from ffnviz.specs import REGULARIZERS
    from ffnviz.ui.playground_controls import REG_RATES

    name = cols[0].selectbox(tr("w_optimizer"), list(OPTIMIZERS), key=key("optimizer", optim.name),
                             format_func=labeller("opt_"), help=tr("help_optimizer"))
    lr = cols[1].select_slider(tr("w_lr"), _with(LEARNING_RATES, optim.lr), key=key("lr", optim.lr),
                               format_func=lambda v: f"{v:g}", help=tr("help_lr"))
    kind = cols[2].selectbox(tr("w_reg"), REGULARIZERS, key=key("reg", reg.kind), format_func=labeller("reg_"),
                             help=tr("help_reg"))
    rate = cols[3].select_slider(tr("w_reg_rate"), _with(REG_RATES, reg.rate), key=key("rate", reg.rate),
                                 format_func=lambda v: f"{v:g}", help=tr("help_reg_rate"), disabled=kind == "none")
    batch = cols[4].select_slider(tr("w_batch"), sorted({*BATCHES, batch_size}), key=key("batch", batch_size),
                                  help=tr("help_batch"))
    chosen = optim if name == optim.name else OptimSpec(name, OPTIMIZERS[name].lr)
    return replace(chosen, lr=float(lr)), RegSpec(kind, float(rate)), int(batch)
