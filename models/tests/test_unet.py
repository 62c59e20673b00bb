"""U-Net shapes, conditioning and batch independence.

    /usr/bin/python3 -m pytest -q models/tests/test_unet.py
"""
import dataclasses

import pytest
import torch

from models.blocks import num_groups
from models.config import get_preset
from models.denoiser import Denoiser
from models.export import random_model
from models.unet import UNet, UNetConfig

from .helpers import random_inputs


@pytest.mark.parametrize("channels, groups", [(8, 8), (16, 8), (12, 6), (3, 3), (96, 8), (7, 7), (1, 1)])
def test_num_groups_divides(channels: int, groups: int) -> None:
    assert num_groups(channels) == groups


@pytest.mark.parametrize(
    "preset, in_channels", [("tiny", 3 + 6), ("tiny-streams", 3 + 6 + 4 + 1), ("arena", 3 + 12 + 4 + 1)]
)
def test_in_channels(preset: str, in_channels: int) -> None:
    config = get_preset(preset)
    assert config.in_channels == in_channels
    assert UNet(UNetConfig.from_model(config)).conv_in.in_channels == in_channels


@pytest.mark.parametrize("preset", ["tiny", "tiny-streams"])
@pytest.mark.parametrize("batch", [1, 3])
def test_denoiser_shapes(preset: str, batch: int) -> None:
    config = get_preset(preset)
    model = random_model(config, seed=0)
    out = model.denoise(**random_inputs(config, batch))
    assert out.shape == (batch, 3, config.height, config.width)
    assert out.dtype == torch.float32 and torch.isfinite(out).all()


def test_arena_shape() -> None:
    config = get_preset("arena")
    x = torch.zeros(1, config.in_channels, 64, 64)
    out = UNet(UNetConfig.from_model(config)).eval()(x, torch.zeros(1), torch.zeros(1, 4, 7))
    assert out.shape == (1, 3, 64, 64)


def test_attention_variant_shapes() -> None:
    config = dataclasses.replace(get_preset("tiny"), attention=True)
    model = random_model(config, seed=0)
    assert model.net.mid_attn is not None
    assert model.denoise(**random_inputs(config, 2)).shape == (2, 3, 32, 32)


def test_fresh_network_outputs_zero() -> None:
    # zero-init output conv: a fresh denoiser is c_skip * x, a stable start for training
    config = get_preset("tiny")
    net = UNet(UNetConfig.from_model(config))
    out = net(torch.randn(2, config.in_channels, 32, 32), torch.zeros(2), torch.zeros(2, 2, 7))
    assert torch.count_nonzero(out) == 0


def test_batch_items_are_independent() -> None:
    # speculative branches share a batch: one branch must not leak into another
    config = get_preset("tiny-streams")
    model = random_model(config, seed=1)
    inputs = random_inputs(config, 3, seed=2)
    together = model.denoise(**inputs)
    for i in range(3):
        alone = model.denoise(**{k: v[i : i + 1] for k, v in inputs.items()})
        torch.testing.assert_close(together[i : i + 1], alone, rtol=1e-5, atol=1e-5)


def test_gradients_reach_every_parameter() -> None:
    config = get_preset("tiny-streams")
    model = random_model(config, seed=0).train()
    model(**random_inputs(config, 2)).square().mean().backward()
    missing = [n for n, p in model.named_parameters() if p.grad is None or not torch.any(p.grad != 0)]
    assert not missing


def test_missing_stream_is_an_error() -> None:
    config = get_preset("tiny-streams")
    inputs = random_inputs(config, 1)
    del inputs["depth"]
    with pytest.raises(ValueError, match="depth"):
        Denoiser(config)(**inputs)
