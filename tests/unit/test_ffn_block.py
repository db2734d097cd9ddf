"""The Transformer feedforward block and its gated variants: matched sizes, shapes, the
residual and LayerNorm switches, gate values against a hand computation, determinism."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from ffnviz.nn.ffn_block import FORMULAS, FFNBlock, near_zero_fraction
from ffnviz.specs.sequences import GATED, VARIANTS, ffn_parameter_count, matched_hidden


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def test_every_variant_has_a_formula():
    assert set(FORMULAS) == set(VARIANTS)
    for v in GATED:
        assert r"\odot" in FORMULAS[v]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("d", [8, 16, 32, 64])
@pytest.mark.parametrize("variant", VARIANTS)
def test_matched_variants_have_the_plain_blocks_parameter_count(variant, d, bias):
    h = 4 * d
    plain = ffn_parameter_count(d, h, "relu", bias)
    h2 = matched_hidden(d, h, variant, bias)
    matched = ffn_parameter_count(d, h2, variant, bias)
    assert abs(matched - plain) <= 0.02 * plain
    # rounding to the nearest hidden size: one unit more or less is never closer
    for other in (h2 - 1, h2 + 1):
        assert abs(ffn_parameter_count(d, other, variant, bias) - plain) >= abs(matched - plain)
    # and the module holds exactly that many (LayerNorm aside)
    block = FFNBlock(d, h2, variant, bias=bias, generator=gen())
    assert sum(p.numel() for n, p in block.named_parameters() if not n.startswith("norm")) == matched


def test_gated_blocks_are_about_two_thirds_as_wide():
    assert matched_hidden(64, 256, "swiglu", bias=False) == 171  # 2·256/3 = 170.67
    assert matched_hidden(64, 256, "gelu") == 256


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("shape", [(5, 8), (2, 3, 8), (8,)])
def test_forward_and_gates_keep_the_leading_shape(variant, shape):
    block = FFNBlock(8, 12, variant, generator=gen())
    x = torch.randn(shape, generator=gen(1))
    assert block(x).shape == shape
    assert block.gates(x).shape == (*shape[:-1], 12)


def test_residual_adds_the_input_and_layer_norm_normalises_it():
    x = torch.randn(4, 8, generator=gen(1))
    on = FFNBlock(8, 16, "gelu", generator=gen())
    no_res = FFNBlock(8, 16, "gelu", residual=False, generator=gen())
    no_ln = FFNBlock(8, 16, "gelu", layer_norm=False, generator=gen())
    bare = FFNBlock(8, 16, "gelu", residual=False, layer_norm=False, generator=gen())
    with torch.no_grad():
        torch.testing.assert_close(on(x), x + no_res(x))
        torch.testing.assert_close(no_ln(x), x + bare(x))
        # pre-norm: the FFN sees LN(x); without LN it sees x itself
        torch.testing.assert_close(no_res(x), bare(F.layer_norm(x, (8,))))
        torch.testing.assert_close(bare(x), bare.w2(F.gelu(bare.w1(x))))
        # LayerNorm makes the block blind to the input's scale; without it, it is not
        assert torch.allclose(no_res(3 * x), no_res(x), atol=1e-4)
        assert not torch.allclose(bare(3 * x), bare(x), atol=1e-4)
    assert isinstance(bare.norm, torch.nn.Identity) and not isinstance(on.norm, torch.nn.Identity)


def test_swiglu_gates_and_output_by_hand():
    block = FFNBlock(8, 10, "swiglu", generator=gen())
    x = torch.randn(3, 8, generator=gen(2))
    z = F.layer_norm(x, (8,), block.norm.weight, block.norm.bias)
    u = z @ block.w1.weight.T + block.w1.bias
    v = z @ block.w3.weight.T + block.w3.bias
    gate = u * torch.sigmoid(u)
    torch.testing.assert_close(block.gates(x), gate.detach())
    y = x + (gate * v) @ block.w2.weight.T + block.w2.bias
    torch.testing.assert_close(block(x), y)


@pytest.mark.parametrize("variant", GATED)
def test_gates_of_glu_lie_between_0_and_1(variant):
    block = FFNBlock(8, 10, variant, generator=gen())
    g = block.gates(torch.randn(50, 8, generator=gen(3)))
    if variant == "glu":
        assert ((g > 0) & (g < 1)).all()
    if variant == "reglu":
        assert (g >= 0).all() and 0 < near_zero_fraction(g) < 1


def test_the_same_generator_state_gives_the_same_weights():
    a = FFNBlock(16, 32, "geglu", generator=gen(7))
    b = FFNBlock(16, 32, "geglu", generator=gen(7))
    c = FFNBlock(16, 32, "geglu", generator=gen(8))
    for (name, p), q, r in zip(a.state_dict().items(), b.state_dict().values(), c.state_dict().values(), strict=True):
        assert torch.equal(p, q), name
        if not name.startswith("norm"):
            assert not torch.equal(p, r), name
    # no draw from torch's global generator
    state = torch.get_rng_state()
    FFNBlock(16, 32, "swiglu", generator=gen())
    assert torch.equal(state, torch.get_rng_state())


def test_bad_arguments_say_what_is_allowed():
    with pytest.raises(ValueError, match="variant"):
        FFNBlock(8, 8, "tanh")
    with pytest.raises(ValueError, match="d must be"):
        FFNBlock(0, 8, "relu")
    with pytest.raises(ValueError, match="variant"):
        matched_hidden(8, 8, "swish")
