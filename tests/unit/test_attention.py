"""Self-attention and the tiny Transformer: both implementations against an independent float64
computation and each other, the causal mask, steps(), determinism and the global generator,
positions (permutation equivariance without them), and a short training run on "reverse"."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ffnviz.nn.attention import EncoderLayer, SelfAttention, TinyTransformer, attention_entropy, causal_mask, sinusoidal_encoding
from ffnviz.nn.ffn_block import seeded_linear
from ffnviz.specs.sequences import IMPLEMENTATIONS, POSITIONAL


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def raw_weights(attn: SelfAttention) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The four (W, b) pairs read straight from the parameters, not through projections()."""
    if attn.impl == "own":
        pairs = [(m.weight, m.bias) for m in (attn.q, attn.k, attn.v, attn.o)]
    else:
        d = attn.d
        w, b = attn.mha.in_proj_weight, attn.mha.in_proj_bias
        pairs = [(w[i * d:(i + 1) * d], b[i * d:(i + 1) * d]) for i in range(3)]
        pairs.append((attn.mha.out_proj.weight, attn.mha.out_proj.bias))
    return [(w.detach().double(), b.detach().double()) for w, b in pairs]


def reference(attn: SelfAttention, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """softmax(Q K^T / √dk + mask) V, then W_o, in float64 with einsum, written independently."""
    (wq, bq), (wk, bk), (wv, bv), (wo, bo) = raw_weights(attn)
    x = x.double()
    b, t, d = x.shape
    heads, dk = attn.heads, d // attn.heads

    def project(w, bias):
        return (torch.einsum("btd,ed->bte", x, w) + bias).reshape(b, t, heads, dk)

    q, k, v = project(wq, bq), project(wk, bk), project(wv, bv)
    scores = torch.einsum("bihc,bjhc->bhij", q, k) / math.sqrt(dk)
    if attn.causal:
        future = torch.arange(t)[None, :] > torch.arange(t)[:, None]
        scores = scores.masked_fill(future, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    concat = torch.einsum("bhij,bjhc->bihc", weights, v).reshape(b, t, d)
    return torch.einsum("btd,ed->bte", concat, wo) + bo, weights


COMBOS = [  # (B, T, d, heads, causal)
    (1, 1, 4, 1, False),
    (2, 5, 8, 2, True),
    (3, 7, 12, 3, False),
    (2, 6, 16, 4, True),
    (1, 4, 8, 8, True),
]


@pytest.mark.parametrize("no_grad", [False, True])  # eval + no_grad lets torch's MHA take its fast path
@pytest.mark.parametrize("combo", COMBOS)
@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_forward_matches_an_independent_float64_computation(impl, combo, no_grad):
    b, t, d, heads, causal = combo
    attn = SelfAttention(d, heads, causal=causal, impl=impl, generator=gen())
    x = torch.randn(b, t, d, generator=gen(1))
    if no_grad:
        attn.eval()
    with torch.set_grad_enabled(not no_grad):
        out, weights = attn(x)
    want_out, want_weights = reference(attn, x)
    assert out.shape == (b, t, d) and weights.shape == (b, heads, t, t)
    torch.testing.assert_close(out.double(), want_out, atol=1e-5, rtol=0)
    torch.testing.assert_close(weights.double(), want_weights, atol=1e-5, rtol=0)


@pytest.mark.parametrize("causal", [False, True])
def test_own_and_torch_are_the_same_function(causal):
    own = SelfAttention(12, 3, causal=causal, impl="own", generator=gen(5))
    ref = SelfAttention(12, 3, causal=causal, impl="torch", generator=gen(5))
    x = torch.randn(4, 6, 12, generator=gen(1), requires_grad=True)
    (o1, w1), (o2, w2) = own(x), ref(x)
    torch.testing.assert_close(o1, o2, atol=1e-5, rtol=0)
    torch.testing.assert_close(w1, w2, atol=1e-5, rtol=0)
    g1, = torch.autograd.grad(o1.square().sum(), x)
    g2, = torch.autograd.grad(o2.square().sum(), x)
    torch.testing.assert_close(g1, g2, atol=1e-5, rtol=0)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_weights_are_drawn_q_k_v_o_like_nn_linear(impl):
    g = gen(3)
    want = [seeded_linear(8, 8, True, g) for _ in range(4)]
    attn = SelfAttention(8, 2, impl=impl, generator=gen(3))
    for (w, b), lin in zip(attn.projections(), want, strict=True):
        assert torch.equal(w, lin.weight) and torch.equal(b, lin.bias)


def test_bad_heads_and_impl_are_refused():
    with pytest.raises(ValueError, match=r"d=10.*heads=3"):
        SelfAttention(10, 3)
    with pytest.raises(ValueError, match="impl"):
        SelfAttention(8, 2, impl="flash")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"positional": "rope"}, "positional"),
    ({"impl": "flash"}, "impl"),
    ({"d": 30, "heads": 4}, "d must be a multiple of heads"),
    ({"layers": 4}, "layers"),
    ({"heads": 5, "d": 40}, "heads"),
    ({"d": 128}, "d"),
    ({"dropout": 0.6}, "dropout"),
])
def test_tiny_transformer_validates_its_fields(kwargs, field):
    with pytest.raises(ValueError, match=field):
        TinyTransformer(5, 5, 6, **kwargs)


def test_causal_mask_entries():
    m = causal_mask(3)
    inf = float("-inf")
    assert m.dtype == torch.float32
    assert torch.equal(m, torch.tensor([[0.0, inf, inf], [0.0, 0.0, inf], [0.0, 0.0, 0.0]]))


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_causal_weights_are_exactly_zero_in_the_future(impl):
    attn = SelfAttention(8, 2, causal=True, impl=impl, generator=gen())
    _, weights = attn(torch.randn(3, 7, 8, generator=gen(1)))
    future = torch.ones(7, 7, dtype=torch.bool).triu(1)
    assert (weights[..., future] == 0.0).all()
    assert (weights[..., ~future] > 0.0).all()
    torch.testing.assert_close(weights.sum(-1), torch.ones(3, 2, 7))


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_causal_model_never_reads_the_future(impl):
    x = torch.randint(0, 5, (4, 8), generator=gen(1))
    later = x.clone()
    later[:, 5:] = (later[:, 5:] + 1) % 5  # change every token after position 4
    for causal in (True, False):
        model = TinyTransformer(5, 3, 8, causal=causal, impl=impl, generator=gen())
        a, b = model(x), model(later)
        if causal:
            torch.testing.assert_close(a[:, :5], b[:, :5], atol=1e-6, rtol=0)
        else:
            assert (a[:, :5] - b[:, :5]).abs().max() > 1e-3


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_steps_agree_with_forward(impl, causal):
    attn = SelfAttention(12, 3, causal=causal, impl=impl, generator=gen())
    x = torch.randn(2, 5, 12, generator=gen(1))
    s = attn.steps(x)
    out, weights = attn(x)
    shapes = {"q": (2, 3, 5, 4), "k": (2, 3, 5, 4), "v": (2, 3, 5, 4), "scores": (2, 3, 5, 5), "mask": (5, 5),
              "weights": (2, 3, 5, 5), "heads_out": (2, 3, 5, 4), "out": (2, 5, 12)}
    assert {k: tuple(v.shape) for k, v in s.items()} == shapes
    torch.testing.assert_close(s["out"], out, atol=1e-6, rtol=0)
    torch.testing.assert_close(s["weights"], weights, atol=1e-6, rtol=0)
    # scores are taken before the mask: finite everywhere, Q K^T / √dk
    assert torch.isfinite(s["scores"]).all()
    torch.testing.assert_close(s["scores"], s["q"] @ s["k"].transpose(-2, -1) / 2.0)
    assert torch.equal(s["mask"], causal_mask(5) if causal else torch.zeros(5, 5))
    torch.testing.assert_close(s["heads_out"], s["weights"] @ s["v"])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_model_steps_and_maps_use_what_each_layer_sees_and_keep_the_mode(impl):
    model = TinyTransformer(5, 5, 6, layers=3, dropout=0.3, impl=impl, generator=gen(), dropout_generator=gen(9))
    x = torch.randint(0, 5, (2, 6), generator=gen(1))
    model.train()
    maps = model.attention_maps(x)
    assert maps.shape == (3, 2, 2, 6, 6)
    assert all(m.training for m in model.modules())
    model.eval()
    stream = model.embed(x) + model.pos.weight
    for i, layer in enumerate(model.layers):
        s = model.steps(x, i)
        torch.testing.assert_close(s["input"], layer.norm1(stream))
        torch.testing.assert_close(s["weights"], maps[i])
        stream, _ = layer(stream)
    assert not any(m.training for m in model.modules())
    with pytest.raises(ValueError, match="layer"):
        model.steps(x, 3)


@pytest.mark.parametrize("positional", POSITIONAL)
@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_same_seed_same_model_and_the_global_generator_untouched(impl, positional):
    before = torch.random.get_rng_state()
    a = TinyTransformer(5, 4, 6, variant="swiglu", h=86, positional=positional, impl=impl, generator=gen(7))
    b = TinyTransformer(5, 4, 6, variant="swiglu", h=86, positional=positional, impl=impl, generator=gen(7))
    c = TinyTransformer(5, 4, 6, variant="swiglu", h=86, positional=positional, impl=impl, generator=gen(8))
    assert torch.equal(before, torch.random.get_rng_state())
    sa, sb, sc = a.state_dict(), b.state_dict(), c.state_dict()
    assert sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)
    assert not torch.equal(sa["embed.weight"], sc["embed.weight"])


def test_both_impls_give_the_same_model():
    x = torch.randint(0, 5, (3, 6), generator=gen(1))
    own = TinyTransformer(5, 4, 6, causal=True, impl="own", generator=gen(2))
    ref = TinyTransformer(5, 4, 6, causal=True, impl="torch", generator=gen(2))
    torch.testing.assert_close(own(x), ref(x), atol=1e-5, rtol=0)
    torch.testing.assert_close(own.attention_maps(x), ref.attention_maps(x), atol=1e-5, rtol=0)


def test_encoder_layer_draws_attention_then_ffn():
    layer = EncoderLayer(16, 2, 24, generator=gen(4))
    g = gen(4)
    SelfAttention(16, 2, generator=g)
    assert torch.equal(layer.ffn.w1.weight, seeded_linear(16, 24, True, g).weight)


def test_dropout_masks_come_from_the_dropout_generator():
    x = torch.randint(0, 5, (4, 6), generator=gen(1))

    def outputs(dropout_seed):
        model = TinyTransformer(5, 4, 6, dropout=0.3, generator=gen(0), dropout_generator=gen(dropout_seed))
        return model.train()(x)

    before = torch.random.get_rng_state()
    a, b, c = outputs(11), outputs(11), outputs(12)
    assert torch.equal(before, torch.random.get_rng_state())
    assert torch.equal(a, b)
    assert not torch.allclose(a, c)


def test_sinusoidal_encoding_by_hand():
    for d in (6, 7):
        pe = sinusoidal_encoding(10, d)
        assert pe.shape == (10, d)
        for t, col in [(0, 0), (0, 1), (3, 0), (3, 1), (5, 2), (5, 3), (9, 4), (9, d - 1)]:
            i = col // 2
            angle = t / 10000 ** (2 * i / d)
            want = math.sin(angle) if col % 2 == 0 else math.cos(angle)
            assert pe[t, col].item() == pytest.approx(want, abs=1e-6)


def test_attention_entropy():
    uniform = torch.full((2, 3, 5, 5), 0.2)
    torch.testing.assert_close(attention_entropy(uniform), torch.full((2, 3, 5), math.log(5)))
    one_hot = torch.eye(4)
    assert torch.equal(attention_entropy(one_hot), torch.zeros(4))  # 0 · log 0 = 0, no NaN
    half = torch.tensor([[0.5, 0.5, 0.0]])
    torch.testing.assert_close(attention_entropy(half), torch.tensor([math.log(2)]))


@pytest.mark.parametrize("positional", POSITIONAL)
def test_without_positions_the_model_cannot_tell_the_order(positional):
    model = TinyTransformer(5, 4, 6, positional=positional, generator=gen())
    x = torch.randint(0, 5, (3, 6), generator=gen(1))
    perm = torch.tensor([3, 0, 5, 1, 4, 2])
    a, b = model(x)[:, perm], model(x[:, perm])
    if positional == "none":  # permuting the tokens only permutes the outputs: "reverse" is out of reach
        torch.testing.assert_close(a, b, atol=1e-5, rtol=0)
    else:
        assert (a - b).abs().max() > 1e-3


def train_reverse(positional: str, seed: int, updates: int = 150) -> float:
    """Adam (lr 3e-3) on fresh batches of 64 random length-6, vocabulary-5 sequences; the
    per-position accuracy of y = x reversed on 1000 other sequences."""
    rng = np.random.default_rng(0)
    test_x = torch.as_tensor(rng.integers(0, 5, (1000, 6)))
    model = TinyTransformer(5, 5, 6, d=32, heads=2, layers=2, positional=positional, generator=gen(seed))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(updates):
        x = torch.as_tensor(rng.integers(0, 5, (64, 6)))
        loss = F.cross_entropy(model(x).reshape(-1, 5), x.flip(1).reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return (model(test_x).argmax(-1) == test_x.flip(1)).float().mean().item()


def test_learns_reverse_with_positions_and_not_without():
    # Seeds 0-4 cross 0.9 after 20-30 updates and are at 1.0 by 50; 150 leaves room.
    assert train_reverse("learned", seed=0) >= 0.9
    assert train_reverse("none", seed=0) < 0.6  # ~0.45: it can only guess from the multiset


@pytest.mark.parametrize("variant,positional,layers,d,heads", [
    ("relu", "learned", 2, 32, 2), ("swiglu", "sinusoidal", 1, 16, 4), ("geglu", "none", 3, 24, 3)])
def test_the_parameter_count_without_a_model_is_the_models(variant, positional, layers, d, heads):
    from ffnviz.specs.sequences import SeqModelSpec

    spec = SeqModelSpec(kind="attn", d=d, heads=heads, layers=layers, variant=variant, positional=positional, h=64)
    model = TinyTransformer(10, 7, 8, d=d, heads=heads, layers=layers, h=spec.block_hidden(), variant=variant,
                            positional=positional)
    assert spec.transformer_parameters(10, 7, 8) == sum(p.numel() for p in model.parameters())
