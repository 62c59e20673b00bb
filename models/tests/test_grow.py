"""Growing a trained network deeper: the same function at first, then a run that trains it.

    /usr/bin/python3 -m pytest -q models/tests/test_grow.py
"""
import dataclasses
import os

import pytest
import torch

from models import train
from models.config import get_preset
from models.denoiser import Denoiser
from models.grow import grow_state_dict, grown_config

from .helpers import random_inputs


def trained_like(config, seed: int) -> Denoiser:
    """A network with every weight nonzero (a fresh one has a zero output conv: it would hide a wrong grow)."""
    torch.manual_seed(seed)
    model = Denoiser(config)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    return model.eval()


def test_grown_network_computes_the_same_function_and_has_more_blocks() -> None:
    config = get_preset("mini")
    small = trained_like(config, seed=3)
    big = Denoiser(grown_config(config, 3)).eval()
    big.load_state_dict(grow_state_dict(small.state_dict(), config, 3))
    assert sum(p.numel() for p in big.parameters()) > sum(p.numel() for p in small.parameters())
    inputs = random_inputs(config, 2, seed=5)
    with torch.no_grad():
        torch.testing.assert_close(big.denoise(**inputs), small.denoise(**inputs), rtol=1e-5, atol=1e-5)
        # The new blocks are not dead weight: nudging one's zeroed conv changes the output.
        big.net.down_blocks[0][2].conv2.weight.add_(0.1)
        assert (big.denoise(**inputs) - small.denoise(**inputs)).abs().max() > 1e-3


def test_grow_refuses_to_shrink_and_foreign_weights() -> None:
    config = dataclasses.replace(get_preset("mini"), res_blocks=2)
    with pytest.raises(ValueError, match="can only be grown"):
        grown_config(config, 1)
    state = Denoiser(get_preset("mini")).state_dict()
    state["net.conv_in.weight"] = state["net.conv_in.weight"][:, :1]
    with pytest.raises(ValueError, match="only depth can be grown"):
        grow_state_dict(state, get_preset("mini"), 2)


def test_train_init_with_more_res_blocks_starts_from_the_same_function(synthetic_data: str, tmp_path) -> None:
    train.main(["--data", synthetic_data, "--preset", "tiny", "--out", str(tmp_path / "base"), "--batch-size", "8",
                "--steps", "3", "--sample-every", "1000"])
    base = train.load_checkpoint_file(str(tmp_path / "base" / train.CHECKPOINT))
    grown_dir = str(tmp_path / "grown")
    common = ["--data", synthetic_data, "--out", grown_dir, "--batch-size", "8", "--sample-every", "1000"]
    train.main([*common, "--steps", "0", "--init", str(tmp_path / "base" / train.CHECKPOINT), "--res-blocks", "2"])
    grown = train.load_checkpoint_file(os.path.join(grown_dir, train.CHECKPOINT))
    assert grown["config"]["res_blocks"] == 2 and base["config"]["res_blocks"] == 1
    config = get_preset("tiny")
    inputs = random_inputs(config, 2, seed=1)
    outputs = []
    for ckpt in (base, grown):
        model = Denoiser(type(config).from_dict(ckpt["config"])).eval()
        model.load_state_dict(ckpt["model"])
        with torch.no_grad():
            outputs.append(model.denoise(**inputs))
    torch.testing.assert_close(outputs[1], outputs[0], rtol=1e-5, atol=1e-5)
    # It trains on, and a resume keeps the grown network; changing it on resume is refused.
    train.main([*common, "--steps", "2", "--resume"])
    more = train.load_checkpoint_file(os.path.join(grown_dir, train.CHECKPOINT))
    assert more["step"] == 2 and more["config"]["res_blocks"] == 2
    with pytest.raises(SystemExit, match="--resume continues"):
        train.main([*common, "--steps", "3", "--resume", "--res-blocks", "3"])
    with pytest.raises(SystemExit, match="cannot change the channels"):
        train.main([*common[:2], "--out", str(tmp_path / "w"), "--steps", "1", "--init",
                    str(tmp_path / "base" / train.CHECKPOINT), "--channels", "8,8"])


def test_channels_and_res_blocks_shape_a_network_from_scratch(synthetic_data: str, tmp_path) -> None:
    train.main(["--data", synthetic_data, "--preset", "tiny", "--out", str(tmp_path), "--batch-size", "8",
                "--steps", "1", "--sample-every", "1000", "--channels", "12,16", "--res-blocks", "2"])
    ckpt = train.load_checkpoint_file(os.path.join(str(tmp_path), train.CHECKPOINT))
    assert tuple(ckpt["config"]["channels"]) == (12, 16)
    assert ckpt["config"]["res_blocks"] == 2
