"""The optimizer registry's data: one row per optimizer, each naming the torch.optim class that
does its arithmetic, the hyperparameters a person may set (defaults and ranges for the widgets and
for a spec's checks), a default learning rate and the update rule as LaTeX for the page.

Plain data (no torch): specs check against it, pages draw widgets from it, and
ffnviz/train/optimizers.py builds the torch optimizer it names. A new optimizer is one row here
(and its name in the translation table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Hyper:
    name: str
    default: float
    lo: float
    hi: float
    symbol: str  # as in the update rule, for labels


CPU_CUDA = ("cpu", "cuda")


@dataclass(frozen=True)
class OptimizerRow:
    key: str
    torch_class: str  # the class in torch.optim that does the arithmetic
    lr: float  # a sensible default learning rate for the playground's problems
    hypers: tuple[Hyper, ...]
    rule: str  # LaTeX
    fixed: dict[str, Any] = field(default_factory=dict)  # constructor arguments no one sets
    fused_on: tuple[str, ...] = ()  # the devices on which torch has a fused kernel for it
    native_decoupled_decay: bool = False  # its own weight_decay is decoupled (AdamW)

    def torch_kwargs(self, values: dict[str, float]) -> dict[str, Any]:
        """Hyperparameter values as the keyword arguments (and param-group keys) torch uses."""
        kwargs = dict(self.fixed)
        for name, value in values.items():
            if name in ("beta1", "beta2"):
                continue
            kwargs[name] = value
        if "beta1" in values:
            kwargs["betas"] = (values["beta1"], values["beta2"])
        return kwargs


MOMENTUM = Hyper("momentum", 0.9, 0.0, 0.999, r"\mu")
BETA1 = Hyper("beta1", 0.9, 0.0, 0.999, r"\beta_1")
BETA2 = Hyper("beta2", 0.999, 0.0, 0.99999, r"\beta_2")
EPS = Hyper("eps", 1e-8, 1e-12, 1e-1, r"\epsilon")

_G = r"g_t = \nabla_\theta L(\theta_{t-1})"

OPTIMIZERS: dict[str, OptimizerRow] = {
    row.key: row
    for row in [
        OptimizerRow("sgd", "SGD", 0.03, (),
                     rf"{_G}, \quad \theta_t = \theta_{{t-1}} - \eta\, g_t", fused_on=CPU_CUDA),
        OptimizerRow("momentum", "SGD", 0.03, (MOMENTUM,),
                     rf"{_G}, \quad v_t = \mu v_{{t-1}} + g_t, \quad \theta_t = \theta_{{t-1}} - \eta\, v_t",
                     fused_on=CPU_CUDA),
        OptimizerRow("nesterov", "SGD", 0.03,
                     (Hyper("momentum", 0.9, 0.01, 0.999, r"\mu"),),
                     rf"{_G}, \quad v_t = \mu v_{{t-1}} + g_t, \quad "
                     r"\theta_t = \theta_{t-1} - \eta\,(g_t + \mu v_t)",
                     fixed={"nesterov": True}, fused_on=CPU_CUDA),
        OptimizerRow("adagrad", "Adagrad", 0.03,
                     (Hyper("eps", 1e-10, 1e-12, 1e-1, r"\epsilon"),),
                     rf"{_G}, \quad G_t = G_{{t-1}} + g_t^2, \quad "
                     r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{G_t} + \epsilon}",
                     fused_on=("cpu",)),  # torch 2.11 on an H200: fused Adagrad has no CUDA kernel
        OptimizerRow("rmsprop", "RMSprop", 0.003,
                     (Hyper("alpha", 0.99, 0.0, 0.9999, r"\alpha"), EPS),
                     rf"{_G}, \quad s_t = \alpha s_{{t-1}} + (1-\alpha) g_t^2, \quad "
                     r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{s_t} + \epsilon}"),
        OptimizerRow("adadelta", "Adadelta", 1.0,
                     (Hyper("rho", 0.9, 0.0, 0.9999, r"\rho"), Hyper("eps", 1e-6, 1e-10, 1e-1, r"\epsilon")),
                     rf"{_G}, \quad s_t = \rho s_{{t-1}} + (1-\rho) g_t^2, \quad "
                     r"\Delta_t = \frac{\sqrt{u_{t-1}+\epsilon}}{\sqrt{s_t+\epsilon}}\, g_t, \quad "
                     r"u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2, \quad \theta_t = \theta_{t-1} - \eta\, \Delta_t"),
        OptimizerRow("adam", "Adam", 0.01, (BETA1, BETA2, EPS),
                     rf"{_G}, \quad m_t = \beta_1 m_{{t-1}} + (1-\beta_1) g_t, \quad "
                     r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad "
                     r"\theta_t = \theta_{t-1} - \eta\, \frac{m_t/(1-\beta_1^t)}{\sqrt{v_t/(1-\beta_2^t)} + \epsilon}",
                     fused_on=CPU_CUDA),
        OptimizerRow("adamw", "AdamW", 0.01, (BETA1, BETA2, EPS),
                     r"\theta \leftarrow \theta - \eta\lambda\theta \text{ (decoupled weight decay)}, "
                     r"\text{ then the Adam step}",
                     fixed={"weight_decay": 0.0}, fused_on=CPU_CUDA, native_decoupled_decay=True),
        OptimizerRow("nadam", "NAdam", 0.01,
                     (BETA1, BETA2, EPS, Hyper("momentum_decay", 0.004, 0.0, 0.1, r"\psi")),
                     r"\text{Adam with Nesterov momentum: } \theta_t = \theta_{t-1} - \eta\, "
                     r"\frac{\mu_{t+1}\hat m_t + (1-\mu_t)\, g_t/(1-\prod_{i\le t}\mu_i)}{\sqrt{\hat v_t} + \epsilon},"
                     r"\quad \mu_t = \beta_1 (1 - \tfrac12 0.96^{t\psi})"),
        OptimizerRow("radam", "RAdam", 0.01, (BETA1, BETA2, EPS),
                     r"\text{Adam whose step is multiplied by a rectifier } r_t \text{ once the variance of } "
                     r"\hat v_t \text{ is tractable } (\rho_t > 5)\text{; before that, SGD with momentum } \hat m_t"),
        OptimizerRow("adamax", "Adamax", 0.01, (BETA1, BETA2, EPS),
                     rf"{_G}, \quad m_t = \beta_1 m_{{t-1}} + (1-\beta_1) g_t, \quad "
                     r"u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon), \quad "
                     r"\theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t} \frac{m_t}{u_t}"),
    ]
}
