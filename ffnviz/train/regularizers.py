"""Regularization of the weights (never the biases): an L1 or L2 penalty added to the loss, or
decoupled weight decay applied to the weights beside the optimizer's step."""

from __future__ import annotations

import torch

from ffnviz.specs import RegSpec

# The loss a run minimizes, as LaTeX, per regularizer (L_data: DATA_LOSS_LATEX), written as
# `penalty` computes it: element-wise over every weight w of every layer (no bias). Matrix-norm
# notation would mislead: ‖W‖₂ of a matrix is its spectral norm.
LOSS_LATEX = {
    "none": r"L = L_{\text{data}}",
    "l1": r"L = L_{\text{data}} + \lambda \sum_{\ell} \sum_{w \in W_\ell} |w|",
    "l2": r"L = L_{\text{data}} + \frac{\lambda}{2} \sum_{\ell} \sum_{w \in W_\ell} w^2",
    "weight_decay": r"L = L_{\text{data}}, \quad W \leftarrow W - \eta\lambda W \text{ at every update}",
}


# The data term, as the Trainer computes it (torch's BCE-with-logits, cross-entropy, MSE), over
# a batch of n points; σ is the logistic function, z the output layer's values.
DATA_LOSS_LATEX = {
    "binary": r"L_{\text{data}} = -\frac{1}{n}\sum_i \big[y_i \log \sigma(z_i) + (1-y_i)\log(1-\sigma(z_i))\big]",
    "multiclass": r"L_{\text{data}} = -\frac{1}{n}\sum_i \log \frac{e^{z_{i,y_i}}}{\sum_k e^{z_{i,k}}}",
    "regression": r"L_{\text{data}} = \frac{1}{n}\sum_i (\hat y_i - y_i)^2",
}


def adds_penalty(reg: RegSpec) -> bool:
    """Whether the regularizer adds a term to the loss (L1 or L2 at a rate above 0)."""
    return reg.rate != 0.0 and reg.kind in ("l1", "l2")


def penalty(weights: list[torch.Tensor], reg: RegSpec) -> torch.Tensor | None:
    """The term added to the loss, or None when the regularizer adds none."""
    if not adds_penalty(reg):
        return None
    if reg.kind == "l1":
        return reg.rate * sum(w.abs().sum() for w in weights)
    return 0.5 * reg.rate * sum(w.pow(2).sum() for w in weights)


@torch.no_grad()
def decay_weights(weights: list[torch.Tensor], lr: float, reg: RegSpec) -> None:
    """Decoupled weight decay, W <- W - lr * rate * W: the same arithmetic as torch's AdamW."""
    if reg.kind == "weight_decay" and reg.rate > 0.0:
        torch._foreach_mul_(weights, 1.0 - lr * reg.rate)
