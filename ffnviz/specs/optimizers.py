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
    note: str = ""  # i18n key of a line under the rule that names what a symbol stands for here

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

# Each rule is the algorithm torch.optim runs with this row's arguments (dampening 0, no
# centering, amsgrad off, the optimizer's own weight_decay 0 except AdamW's λ), every symbol
# defined, every state starting at 0; tests/unit/test_update_rules.py runs each as written
# against torch. Long rules break into lines (KaTeX's aligned).
_G = r"g_t = \nabla_\theta L(\theta_{t-1})"
_MV = (r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2, \quad "
       r"m_0 = v_0 = 0")
_HATS = r"\hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t}"


def _lines(*rows: str) -> str:
    return r"\begin{aligned}" + r" \\ ".join("&" + row for row in rows) + r"\end{aligned}"


OPTIMIZERS: dict[str, OptimizerRow] = {
    row.key: row
    for row in [
        OptimizerRow("sgd", "SGD", 0.03, (),
                     rf"{_G}, \quad \theta_t = \theta_{{t-1}} - \eta\, g_t", fused_on=CPU_CUDA),
        OptimizerRow("momentum", "SGD", 0.03, (MOMENTUM,),
                     rf"{_G}, \quad v_t = \mu v_{{t-1}} + g_t \ (v_0 = 0), \quad \theta_t = \theta_{{t-1}} - \eta\, v_t",
                     fused_on=CPU_CUDA),
        OptimizerRow("nesterov", "SGD", 0.03,
                     (Hyper("momentum", 0.9, 0.01, 0.999, r"\mu"),),
                     rf"{_G}, \quad v_t = \mu v_{{t-1}} + g_t \ (v_0 = 0), \quad "
                     r"\theta_t = \theta_{t-1} - \eta\,(g_t + \mu v_t)",
                     fixed={"nesterov": True}, fused_on=CPU_CUDA),
        OptimizerRow("adagrad", "Adagrad", 0.03,
                     (Hyper("eps", 1e-10, 1e-12, 1e-1, r"\epsilon"),),
                     rf"{_G}, \quad G_t = G_{{t-1}} + g_t^2 \ (G_0 = 0), \quad "
                     r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{G_t} + \epsilon}",
                     fused_on=("cpu",)),  # torch 2.11 on an H200: fused Adagrad has no CUDA kernel
        OptimizerRow("rmsprop", "RMSprop", 0.003,
                     (Hyper("alpha", 0.99, 0.0, 0.9999, r"\alpha"), EPS),
                     rf"{_G}, \quad s_t = \alpha s_{{t-1}} + (1-\alpha) g_t^2 \ (s_0 = 0), \quad "
                     r"\theta_t = \theta_{t-1} - \eta\, \frac{g_t}{\sqrt{s_t} + \epsilon}"),
        OptimizerRow("adadelta", "Adadelta", 1.0,
                     (Hyper("rho", 0.9, 0.0, 0.9999, r"\rho"), Hyper("eps", 1e-6, 1e-10, 1e-1, r"\epsilon")),
                     _lines(rf"{_G}, \quad s_t = \rho s_{{t-1}} + (1-\rho) g_t^2, \quad "
                            r"\Delta_t = \frac{\sqrt{u_{t-1}+\epsilon}}{\sqrt{s_t+\epsilon}}\, g_t,",
                            r"u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2, \quad s_0 = u_0 = 0, \quad "
                            r"\theta_t = \theta_{t-1} - \eta\, \Delta_t")),
        OptimizerRow("adam", "Adam", 0.01, (BETA1, BETA2, EPS),
                     _lines(rf"{_G}, \quad {_MV},",
                            rf"{_HATS}, \quad \theta_t = \theta_{{t-1}} "
                            r"- \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"),
                     fused_on=CPU_CUDA),
        # λ: the weight-decay regularizer's rate, handed to AdamW's own weight_decay (0 otherwise)
        OptimizerRow("adamw", "AdamW", 0.01, (BETA1, BETA2, EPS),
                     _lines(rf"{_G}, \quad {_MV},",
                            rf"{_HATS}, \quad \theta_t = \theta_{{t-1}} - \eta\lambda\,\theta_{{t-1}} "
                            r"- \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"),
                     fixed={"weight_decay": 0.0}, fused_on=CPU_CUDA, native_decoupled_decay=True,
                     note="rule_note_adamw"),
        OptimizerRow("nadam", "NAdam", 0.01,
                     (BETA1, BETA2, EPS, Hyper("momentum_decay", 0.004, 0.0, 0.1, r"\psi")),
                     _lines(rf"{_G}, \quad {_MV}, \quad \hat v_t = \frac{{v_t}}{{1-\beta_2^t}},",
                            r"\mu_t = \beta_1 \big(1 - \tfrac12\, 0.96^{t\psi}\big), \quad "
                            r"\theta_t = \theta_{t-1} - \frac{\eta}{\sqrt{\hat v_t} + \epsilon}"
                            r"\left(\frac{(1-\mu_t)\, g_t}{1-\prod_{i=1}^{t}\mu_i} "
                            r"+ \frac{\mu_{t+1}\, m_t}{1-\prod_{i=1}^{t+1}\mu_i}\right)")),
        OptimizerRow("radam", "RAdam", 0.01, (BETA1, BETA2, EPS),
                     _lines(rf"{_G}, \quad {_MV}, \quad \hat m_t = \frac{{m_t}}{{1-\beta_1^t}},",
                            r"\rho_\infty = \frac{2}{1-\beta_2} - 1, \quad "
                            r"\rho_t = \rho_\infty - \frac{2t\beta_2^t}{1-\beta_2^t}, \quad "
                            r"r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}, "
                            r"\quad l_t = \frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t} + \epsilon},",
                            r"\theta_t = \theta_{t-1} - \eta\, \hat m_t \cdot "
                            r"\begin{cases} r_t\, l_t, & \rho_t > 5 \\ 1, & \rho_t \le 5 \end{cases}")),
        OptimizerRow("adamax", "Adamax", 0.01, (BETA1, BETA2, EPS),
                     _lines(rf"{_G}, \quad m_t = \beta_1 m_{{t-1}} + (1-\beta_1) g_t, \quad "
                            r"u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon), \quad m_0 = u_0 = 0,",
                            r"\theta_t = \theta_{t-1} - \frac{\eta}{1-\beta_1^t} \frac{m_t}{u_t}")),
    ]
}
