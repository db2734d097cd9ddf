"""The playground's network as LaTeX, as the run builds it: the chosen input features φ(x), and
each hidden layer's own activation when the layers differ (ffnviz/nn/mlp.py)."""

from __future__ import annotations

from ffnviz.specs import ModelSpec

FEATURE_LATEX = {
    "x1": "x_1", "x2": "x_2", "x1sq": "x_1^2", "x2sq": "x_2^2", "x1x2": "x_1 x_2",
    "sin_x1": r"\sin x_1", "sin_x2": r"\sin x_2",
}


def network_latex(model: ModelSpec, features: tuple[str, ...]) -> str:
    inputs = r"h_0 = \varphi(x) = (" + ", ".join(FEATURE_LATEX[f] for f in features) + ")"
    n = len(model.hidden)
    out = rf"\hat y = W_{{{n + 1}}} h_{{{n}}} + b_{{{n + 1}}}"
    if n == 0:
        return rf"{inputs}, \quad {out}"
    f = r"f_\ell" if len({model.activation_of(i) for i in range(n)}) > 1 else "f"
    layer = rf"h_\ell = {f}(W_\ell h_{{\ell-1}} + b_\ell),\ \ell = 1..{n}"
    return rf"{inputs}, \quad {layer}, \quad {out}"
