"""EDM-preconditioned denoiser (Karras et al. 2022): D(x, sigma) = c_skip x + c_out F(c_in x, c_noise).

    /usr/bin/python3 -m pytest -q models/tests/test_denoiser.py

This module is exactly what the ONNX graph contains: one call is one denoising
evaluation, and the sampler loop around it lives in TypeScript (and in sampler.py).
The preconditioning keeps F's input and target at unit variance at every noise level,
which is what makes 1-4 step sampling work.

With `config.residual`, the denoiser works on the difference from a base image b (the
memory stream's colour where it covers, else the last context frame), all inside the graph:

    D(x, sigma) = b + c_skip (x - b) + c_out F(c_in (x - b), c_noise, ...)

The sampler is unchanged (it only sees D). Where the frame equals its base (a still camera,
a static view memory holds) the target residual is zero, so the output is exact instead of
being repainted from noise; the network spends its capacity on what memory cannot give.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch
from torch import nn

from models.config import ModelConfig
from models.unet import UNet, UNetConfig


@dataclass(frozen=True)
class DenoiserConfig:
    sigma_data: float = 0.5  # std of the images in [-1, 1]

    @classmethod
    def from_model(cls, config: ModelConfig) -> "DenoiserConfig":
        return cls(sigma_data=config.sampler.sigma_data)


def edm_coefficients(
    sigma: torch.Tensor, sigma_data: float
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(c_skip, c_out, c_in, c_noise), each shaped like sigma."""
    s2, d2 = sigma * sigma, sigma_data * sigma_data
    c_in = torch.rsqrt(s2 + d2)
    c_skip = d2 / (s2 + d2)
    c_out = sigma * sigma_data * c_in
    c_noise = torch.log(sigma) / 4
    return c_skip, c_out, c_in, c_noise


class Denoiser(nn.Module):
    """Wraps the U-Net with EDM preconditioning; images are float32 in [-1, 1]."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.config = config
        self.denoiser_config = DenoiserConfig.from_model(config)
        self.net = UNet(UNetConfig.from_model(config))

    def forward(
        self,
        noisy: torch.Tensor,
        sigma: torch.Tensor,
        context: torch.Tensor,
        actions: torch.Tensor,
        memory: Optional[torch.Tensor] = None,
        depth: Optional[torch.Tensor] = None,
    ) -> torch.Tensor:
        """noisy (B,3,H,W), sigma (B,), context (B,3K,H,W), actions (B,K,A),
        memory (B,4,H,W), depth (B,1,H,W) -> denoised (B,3,H,W)."""
        c_skip, c_out, _, _ = self._coefficients(sigma)
        f = self.network_output(noisy, sigma, context, actions, memory, depth)
        if not self.config.residual:
            return c_skip * noisy + c_out * f
        base = self.base(context, memory)
        return base + c_skip * (noisy - base) + c_out * f

    def base(self, context: torch.Tensor, memory: Optional[torch.Tensor] = None) -> torch.Tensor:
        """The image a residual model denoises around (B,3,H,W): memory colour where memory
        covers (coverage in [0, 1] blends), else the last context frame."""
        last = context[:, -3:]
        if memory is None or "memory" not in self.config.stream_names:
            return last
        cover = memory[:, 3:4]
        return memory[:, :3] * cover + last * (1 - cover)

    def network_output(
        self,
        noisy: torch.Tensor,
        sigma: torch.Tensor,
        context: torch.Tensor,
        actions: torch.Tensor,
        memory: Optional[torch.Tensor] = None,
        depth: Optional[torch.Tensor] = None,
    ) -> torch.Tensor:
        """The raw U-Net output F (B,3,H,W); the training loss regresses this directly."""
        _, _, c_in, c_noise = self._coefficients(sigma)
        streams = {"memory": memory, "depth": depth}
        x_in = noisy - self.base(context, memory) if self.config.residual else noisy
        parts = [c_in * x_in, context]
        for name in self.config.stream_names:
            if streams[name] is None:
                raise ValueError(f"Denoiser: model {self.config.name!r} expects a {name!r} input, got None")
            parts.append(streams[name])
        x = torch.cat(parts, dim=1)  # (B, 3 + 3K [+4] [+1], H, W)
        return self.net(x, c_noise.view(-1), actions)

    def _coefficients(self, sigma: torch.Tensor) -> tuple[torch.Tensor, ...]:
        # (B,) -> (B,1,1,1) so each batch item (a speculative branch) has its own noise level
        return edm_coefficients(sigma.view(-1, 1, 1, 1), self.denoiser_config.sigma_data)

    @torch.no_grad()
    def denoise(self, noisy: torch.Tensor, sigma: torch.Tensor, **conditioning: torch.Tensor) -> torch.Tensor:
        """Inference entry point (no autograd), same arguments as forward."""
        return self(noisy, sigma, **conditioning)
