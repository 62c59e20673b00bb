"""A deeper network that starts as a trained one: more residual blocks per U-Net level.

    /usr/bin/python3 -m models.train --init public/models/generalist --res-blocks 2 ...

Training a wider or deeper U-Net from scratch throws away every hour the shipped one cost. A
residual block whose last convolution is zero is the identity (its skip is the identity when it
keeps the width), so blocks appended after each level's trained ones leave the function exactly as
it was; training then moves them off zero where the extra capacity pays. Only depth is grown:
widening a level would change its GroupNorm groups, and with them what every trained block sees.
"""
from __future__ import annotations

import dataclasses
import re

import torch

from models.config import ModelConfig
from models.denoiser import Denoiser

# A residual block's weight: encoder or decoder, its level, and its index within that level.
_BLOCK_KEY = re.compile(r"^net\.(down_blocks|up_blocks)\.(?P<level>\d+)\.(?P<index>\d+)\.")


def grown_config(config: ModelConfig, res_blocks: int) -> ModelConfig:
    """`config` with `res_blocks` blocks per level; fewer than it has is refused."""
    if res_blocks < config.res_blocks:
        raise ValueError(f"grow: the checkpoint has {config.res_blocks} residual blocks per level and "
                         f"--res-blocks asks for {res_blocks}; a network can only be grown (pass "
                         f"{config.res_blocks} or more, or train from scratch without --init)")
    return dataclasses.replace(config, res_blocks=res_blocks)


def grow_state_dict(state: dict[str, torch.Tensor], config: ModelConfig, res_blocks: int,
                    seed: int = 0) -> dict[str, torch.Tensor]:
    """The weights of `config` grown to `res_blocks` blocks per level, computing the same function.

    Every tensor of `state` keeps its name and value; each new block gets PyTorch's default init
    (from `seed`) with its second convolution zeroed, so it passes its input through unchanged."""
    if res_blocks == config.res_blocks:
        return dict(state)
    big = grown_config(config, res_blocks)
    torch.manual_seed(seed)
    fresh = Denoiser(big).state_dict()
    out: dict[str, torch.Tensor] = {}
    for key, value in fresh.items():
        if key in state:
            if state[key].shape != value.shape:
                raise ValueError(f"grow: {key} is {tuple(state[key].shape)} in the checkpoint but "
                                 f"{tuple(value.shape)} in the grown network; only depth can be grown")
            out[key] = state[key].clone()
            continue
        match = _BLOCK_KEY.match(key)
        if match is None or int(match["index"]) < config.res_blocks:
            raise ValueError(f"grow: the checkpoint lacks {key}, which is not part of a new block; "
                             f"is it a checkpoint of this network ({config.name})?")
        out[key] = torch.zeros_like(value) if ".conv2." in key else value
    unused = sorted(set(state) - set(fresh))
    if unused:
        raise ValueError(f"grow: the checkpoint has weights the grown network does not: {unused[:3]}")
    return out
