"""The U-Net F that the EDM denoiser wraps: frames in, a network output of 3 channels out.

    /usr/bin/python3 -m models.flops --preset arena      # its size and cost per step

Input channels, in order: the preconditioned noisy frame (3), the K context frames (3K),
then the optional streams (memory 4, depth 1). The noise level and the actions enter as
one conditioning vector through adaptive GroupNorm in every residual block.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from models.blocks import AdaGroupNorm, Downsample, ResBlock, SelfAttention, Upsample
from models.conditioning import Conditioning, ConditioningConfig
from models.config import ModelConfig


@dataclass(frozen=True)
class UNetConfig:
    in_channels: int
    out_channels: int = 3
    channels: tuple[int, ...] = (32, 64, 96)
    res_blocks: int = 1
    attention: bool = False
    conditioning: ConditioningConfig = ConditioningConfig()

    @classmethod
    def from_model(cls, config: ModelConfig) -> "UNetConfig":
        return cls(
            in_channels=config.in_channels,
            channels=config.channels,
            res_blocks=config.res_blocks,
            attention=config.attention,
            conditioning=ConditioningConfig(
                embed_dim=config.embed_dim, context_frames=config.context_frames, action_dim=config.action_dim
            ),
        )


class UNet(nn.Module):
    def __init__(self, config: UNetConfig) -> None:
        super().__init__()
        self.config = config
        ch, n, d = config.channels, config.res_blocks, config.conditioning.embed_dim
        self.cond = Conditioning(config.conditioning)
        self.conv_in = nn.Conv2d(config.in_channels, ch[0], 3, padding=1)

        # Encoder: level i runs at 1/2^i resolution; its first block widens ch[i-1] -> ch[i].
        self.down_blocks = nn.ModuleList()
        self.downs = nn.ModuleList()
        for i, c in enumerate(ch):
            c_in = ch[max(i - 1, 0)]
            self.down_blocks.append(nn.ModuleList([ResBlock(c_in if j == 0 else c, c, d) for j in range(n)]))
            if i < len(ch) - 1:
                self.downs.append(Downsample(c))

        self.mid = ResBlock(ch[-1], ch[-1], d)
        self.mid_attn = SelfAttention(ch[-1]) if config.attention else None

        # Decoder mirrors the encoder; each level first takes its encoder skip on channels.
        self.ups = nn.ModuleList()
        self.up_blocks = nn.ModuleList()
        for i in reversed(range(len(ch))):
            c = ch[i]
            if i < len(ch) - 1:
                self.ups.append(Upsample(ch[i + 1], c))
            self.up_blocks.append(nn.ModuleList([ResBlock(2 * c if j == 0 else c, c, d) for j in range(n)]))

        self.norm_out = AdaGroupNorm(ch[0], d)
        self.conv_out = nn.Conv2d(ch[0], config.out_channels, 3, padding=1)
        # Zero output: a fresh denoiser returns c_skip * x, a sane start for training.
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, x: torch.Tensor, c_noise: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
        """x (B, C_in, H, W), c_noise (B,), actions (B, K, A) -> (B, 3, H, W)."""
        cond = self.cond(c_noise, actions)  # (B, D)
        h = self.conv_in(x)  # (B, ch[0], H, W)

        skips = []
        for i, blocks in enumerate(self.down_blocks):
            for block in blocks:
                h = block(h, cond)
            skips.append(h)  # (B, ch[i], H/2^i, W/2^i)
            if i < len(self.downs):
                h = self.downs[i](h)

        h = self.mid(h, cond)
        if self.mid_attn is not None:
            h = self.mid_attn(h)

        for k, blocks in enumerate(self.up_blocks):
            if k > 0:
                h = self.ups[k - 1](h)  # (B, ch[i], H/2^i, W/2^i) for level i = L-1-k
            h = torch.cat([h, skips.pop()], dim=1)  # (B, 2*ch[i], H/2^i, W/2^i)
            for block in blocks:
                h = block(h, cond)

        return self.conv_out(F.silu(self.norm_out(h, cond)))  # (B, 3, H, W)
