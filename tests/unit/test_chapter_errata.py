"""The text page's "From the chapter" section lists every slip of the book chapter
(../shared/chapter/, read for this list, never shipped), each with its correct statement, in
English and in Chinese."""

from __future__ import annotations

from ffnviz.i18n import TABLE

# Each slip of the chapter, by a mark its erratum must carry in both languages (issue 18's list).
ERRATA_MARKS = {
    "layer written x = f(Wx + b)": "*x* = f(Wx + b)",
    "σ used for ReLU": "σ = ReLU",
    "∇_L y written backwards": "$\\nabla_y L$",
    "the weight update multiplies by ∂y/∂x": "∂L/∂W = (∂L/∂y ⊙ f′(z)) xᵀ",
    "the bias update lacks f′(z)": "∂L/∂b = ∂L/∂y ⊙ f′(z)",
    "texts, labels = ... is a placeholder": "`texts, labels = ...`",
    "input_size=10 for text": "`input_size=10`",
    "undefined device": "`device = ",
    "unpacking a Dataset": "`Dataset`",
    "§5.3 validation and early stopping": "5.3",
    "the log's Step [0/500]": "`Step [0/500]`",
    "a first loss of 2.34 ≈ ln 10 from 2 classes": "ln 2",
    "92 % on CoNLL-2003": "CoNLL-2003",
    "BERT/GPT-3 through conv and gated layers": "GPT-3",
    "ResNet and vanishing gradients": "ResNet",
    "the ReLU paper does not exist": "ReLU: A Low-Pass Filter for Neural Networks",
    "VGG's title": "Very Deep Convolutional Networks for Large-Scale Image Recognition",
    "VGG did not introduce conv and pooling": "LeCun",
    "the GRU paper": "Learning Phrase Representations using RNN",
    "Glorot & Bengio, not Hinton": "Understanding the difficulty of training deep feedforward neural networks",
}


def test_the_chapters_errata_are_complete_in_both_languages():
    en, zh = TABLE["chapter_differences"]
    for slip, mark in ERRATA_MARKS.items():
        assert mark in en and mark in zh, slip
    assert en.count("\n- ") == zh.count("\n- ") >= len(ERRATA_MARKS) - 2  # one bullet a slip, the same in both
