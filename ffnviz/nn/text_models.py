"""The text classifiers of the text-classification page.

- `FeedforwardClassifier`: the book chapter's model, made runnable. Bag-of-words or TF-IDF
  features x (one number per vocabulary word) -> Linear -> activation -> dropout -> Linear ->
  LogSoftmax, trained with NLLLoss: y = f(W₁x + b₁), log p = log softmax(W₂y + b₂).
- `AttentionPooling`: token ids -> embeddings e_t -> a score per token, s_t = u · tanh(W e_t + b)
  -> weights a = softmax(s) over the text's tokens (padding masked out) -> the weighted mean
  Σ a_t e_t -> dropout -> Linear -> LogSoftmax. The weights a_t say which tokens the model
  leaned on for this text (Yang et al. 2016's attention pooling, one level).

Both return log-probabilities. Weights are drawn from the generator given, as torch's layers
would draw them (ffn_block.seeded_linear; N(0, 1) for the embedding), so torch's global generator is
never used; dropout masks come from the run's (SeededDropout).
"""

from __future__ import annotations

import torch
from torch import nn

from ffnviz.nn.activations import make_activation
from ffnviz.nn.dropout import SeededDropout
from ffnviz.nn.ffn_block import seeded_linear

PAD = 0  # the token id of padding (ffnviz.data.text_data.PAD)


class FeedforwardClassifier(nn.Module):
    def __init__(self, n_features: int, hidden: int, n_classes: int, *, activation: str = "relu",
                 dropout: float = 0.0, generator: torch.Generator | None = None,
                 dropout_generator: torch.Generator | None = None):
        super().__init__()
        self.hidden = seeded_linear(n_features, hidden, True, generator)
        self.activation = make_activation(activation)
        self.dropout = SeededDropout(dropout, dropout_generator or generator)
        self.out = seeded_linear(hidden, n_classes, True, generator)
        self.log_softmax = nn.LogSoftmax(dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.log_softmax(self.out(self.dropout(self.activation(self.hidden(x)))))


class AttentionPooling(nn.Module):
    def __init__(self, n_tokens: int, embed: int, n_classes: int, *, dropout: float = 0.0,
                 generator: torch.Generator | None = None, dropout_generator: torch.Generator | None = None):
        """`n_tokens`: the vocabulary plus the padding and unknown ids."""
        super().__init__()
        self.embedding = nn.utils.skip_init(nn.Embedding, n_tokens, embed, padding_idx=PAD)
        with torch.no_grad():
            self.embedding.weight.normal_(generator=generator)
            self.embedding.weight[PAD].zero_()
        self.score_hidden = seeded_linear(embed, embed, True, generator)  # W, b
        self.score = seeded_linear(embed, 1, False, generator)  # u
        self.dropout = SeededDropout(dropout, dropout_generator or generator)
        self.out = seeded_linear(embed, n_classes, True, generator)
        self.log_softmax = nn.LogSoftmax(dim=-1)

    def _attend(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        e = self.embedding(ids)
        s = self.score(torch.tanh(self.score_hidden(e))).squeeze(-1)
        s = s.masked_fill(ids == PAD, float("-inf"))
        # A text with no token at all has every score -inf: its weights are 0, not NaN.
        return torch.nan_to_num(torch.softmax(s, dim=-1), nan=0.0), e

    def weights(self, ids: torch.Tensor) -> torch.Tensor:
        """a (B, L): each token's share of the pooled vector; 0 on padding, rows sum to 1."""
        return self._attend(ids)[0]

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        a, e = self._attend(ids)
        pooled = (a.unsqueeze(-1) * e).sum(1)
        return self.log_softmax(self.out(self.dropout(pooled)))
