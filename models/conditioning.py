"""The conditioning vector: noise-level embedding + action embedding, summed.

    /usr/bin/python3 -m pytest -q models/tests/test_unet.py

Every residual block reads this one vector through adaptive GroupNorm, so the noise
level and the actions steer every scale of the U-Net.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class ConditioningConfig:
    embed_dim: int = 64  # output width; also the width of the hidden layers
    context_frames: int = 4  # K: one action per context frame
    action_dim: int = 7  # A: slots per action
    fourier_features: int = 32  # sin/cos pairs * 2 for the noise level
    max_frequency: float = 32.0  # cycles per unit of c_noise; c_noise = ln(sigma)/4 spans ~[-1.6, 0.4]


class FourierFeatures(nn.Module):
    """Fixed sin/cos features of a scalar at geometrically spaced frequencies.

    Fixed, not random as in DIAMOND, so the features do not depend on the seed and
    need no entry in checkpoints.
    """

    def __init__(self, num_features: int, max_frequency: float) -> None:
        super().__init__()
        if num_features % 2:
            raise ValueError(f"FourierFeatures: num_features must be even, got {num_features}")
        freqs = torch.exp(torch.linspace(0.0, math.log(max_frequency), num_features // 2))
        self.register_buffer("freqs", 2.0 * math.pi * freqs, persistent=False)

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        angles = t.view(-1, 1) * self.freqs.view(1, -1)  # (B, F/2)
        return torch.cat([torch.cos(angles), torch.sin(angles)], dim=1)  # (B, F)


class Conditioning(nn.Module):
    """(c_noise (B,), actions (B,K,A)) -> conditioning vector (B, embed_dim)."""

    def __init__(self, config: ConditioningConfig) -> None:
        super().__init__()
        d = config.embed_dim
        self.noise = nn.Sequential(
            FourierFeatures(config.fourier_features, config.max_frequency),
            nn.Linear(config.fourier_features, d),
            nn.SiLU(),
            nn.Linear(d, d),
        )
        self.actions = nn.Sequential(
            nn.Flatten(1),  # (B, K*A): the action history as one vector, the order is learned
            nn.Linear(config.context_frames * config.action_dim, d),
            nn.SiLU(),
            nn.Linear(d, d),
        )

    def forward(self, c_noise: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
        return self.noise(c_noise) + self.actions(actions)  # (B, D)
