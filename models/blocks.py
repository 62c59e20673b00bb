"""U-Net building blocks, restricted to ops every onnxruntime-web backend runs.

    /usr/bin/python3 -m pytest -q models/tests/test_unet.py

Conv, GroupNorm (exported as InstanceNormalization between reshapes), SiLU, Linear, nearest Resize,
Concat; self-attention adds MatMul and Softmax and is off unless asked for.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass(frozen=True)
class BlockConfig:
    max_groups: int = 8  # GroupNorm groups cap; small layers get fewer (see num_groups)
    attention_heads: int = 4


def num_groups(channels: int, max_groups: int = BlockConfig.max_groups) -> int:
    """Largest divisor of `channels` that is <= max_groups, so GroupNorm works at any width."""
    return max(g for g in range(1, min(max_groups, channels) + 1) if channels % g == 0)


class AdaGroupNorm(nn.Module):
    """GroupNorm without affine, then x * (1 + scale) + shift from the conditioning vector."""

    def __init__(self, channels: int, cond_dim: int) -> None:
        super().__init__()
        self.channels = channels
        self.groups = num_groups(channels)
        self.linear = nn.Linear(cond_dim, 2 * channels)

    def forward(self, x: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        x = F.group_norm(x, self.groups)
        # Slices at constant offsets, not chunk(): the exported chunk computes its split
        # points from Shape ops, and ONNX shape inference cannot see through them.
        ss = self.linear(cond).view(-1, 2 * self.channels, 1, 1)  # (B, 2C, 1, 1)
        scale, shift = ss[:, : self.channels], ss[:, self.channels :]  # 2 x (B, C, 1, 1)
        return x * (1 + scale) + shift


class ResBlock(nn.Module):
    """Two 3x3 convs, each after adaptive GroupNorm + SiLU, with a (1x1 if needed) skip."""

    def __init__(self, in_ch: int, out_ch: int, cond_dim: int) -> None:
        super().__init__()
        self.norm1 = AdaGroupNorm(in_ch, cond_dim)
        self.conv1 = nn.Conv2d(in_ch, out_ch, 3, padding=1)
        self.norm2 = AdaGroupNorm(out_ch, cond_dim)
        self.conv2 = nn.Conv2d(out_ch, out_ch, 3, padding=1)
        self.skip = nn.Conv2d(in_ch, out_ch, 1) if in_ch != out_ch else nn.Identity()

    def forward(self, x: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x, cond)))
        h = self.conv2(F.silu(self.norm2(h, cond)))
        return self.skip(x) + h


class SelfAttention(nn.Module):
    """Multi-head self-attention over the H*W positions (only used at the lowest level)."""

    def __init__(self, channels: int, heads: int = BlockConfig.attention_heads) -> None:
        super().__init__()
        while channels % heads:
            heads -= 1
        self.heads = heads
        self.groups = num_groups(channels)
        self.qkv = nn.Conv2d(channels, 3 * channels, 1)
        self.out = nn.Conv2d(channels, channels, 1)
        nn.init.zeros_(self.out.weight)  # starts as the identity, like the residual blocks' skip
        nn.init.zeros_(self.out.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, c, h, w = x.shape
        d = c // self.heads
        # -1 for the batch keeps the ONNX Reshape free of the (dynamic) batch size
        qkv = self.qkv(F.group_norm(x, self.groups))  # (B, 3C, H, W)
        qkv = qkv.reshape(-1, 3, self.heads, d, h * w)  # (B, 3, heads, d, N)
        q, k, v = qkv[:, 0], qkv[:, 1], qkv[:, 2]  # each (B, heads, d, N)
        attn = torch.softmax(q.transpose(-1, -2) @ k / math.sqrt(d), dim=-1)  # (B, heads, N, N)
        y = (v @ attn.transpose(-1, -2)).reshape(-1, c, h, w)  # (B, heads, d, N) -> (B, C, H, W)
        return x + self.out(y)


class Downsample(nn.Module):
    """Stride-2 3x3 conv: halves H and W, keeps channels."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(x)


class Upsample(nn.Module):
    """3x3 conv then nearest x2 (the upsampling every ORT backend has).

    The conv runs before the resize, at a quarter of the pixels: at 64x64 that saves
    ~10% of a step's FLOPs, and the decoder block right after smooths the blocks out.
    """

    def __init__(self, in_ch: int, out_ch: int) -> None:
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.interpolate(self.conv(x), scale_factor=2.0, mode="nearest")
