"""EDM training loss with DIAMOND's noise distribution, for the trainer.

    /usr/bin/python3 -m pytest -q models/tests/test_denoiser.py

sigma ~ LogNormal(P_mean, P_std); loss = lambda(sigma) * |D(x + sigma n) - x|^2 with
lambda = (sigma^2 + sigma_d^2) / (sigma sigma_d)^2. Since D - x = c_out (F - target)
and lambda c_out^2 = 1, that equals |F - target|^2 with target = (x - c_skip y) / c_out,
which is what is computed: it avoids subtracting two nearly equal numbers at small sigma.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import torch

from models.denoiser import Denoiser, edm_coefficients


@dataclass(frozen=True)
class LossConfig:
    p_mean: float = -0.4  # DIAMOND's log-normal sigma distribution: median sigma ~ 0.67
    p_std: float = 1.2


def sample_sigmas(
    batch: int, config: LossConfig = LossConfig(), generator: Optional[torch.Generator] = None, device=None
) -> torch.Tensor:
    """Training noise levels (B,)."""
    return torch.exp(config.p_mean + config.p_std * torch.randn(batch, generator=generator, device=device))


def edm_loss_weight(sigma: torch.Tensor, sigma_data: float) -> torch.Tensor:
    """lambda(sigma) = (sigma^2 + sigma_d^2) / (sigma sigma_d)^2 = 1 / c_out^2."""
    return (sigma**2 + sigma_data**2) / (sigma * sigma_data) ** 2


def edm_loss(
    denoiser: Denoiser,
    clean: torch.Tensor,
    conditioning: dict[str, torch.Tensor],
    config: LossConfig = LossConfig(),
    sigma: Optional[torch.Tensor] = None,
    generator: Optional[torch.Generator] = None,
    pixel_weight: Optional[torch.Tensor] = None,
    detail_weight: float = 0.0,
    detail_crop: int = 0,
    detail_share: Optional[torch.Tensor] = None,
) -> torch.Tensor:
    """Mean weighted loss for clean frames (B,3,H,W); conditioning = context, actions, streams.
    `pixel_weight` (B,1,H,W), optional: each pixel's share of the loss, normalised by its mean so
    the loss keeps its scale (the trainer's `uncovered_weight`). `detail_weight` > 0 adds that
    times `detail_loss` of the denoised frames D against the clean ones (the trainer's
    `detail_weight`), scored per `detail_crop`-pixel square tile (0: per whole frame);
    `detail_share` (B,1,H,W), optional, weights each tile's term by the tile's mean of it (the
    trainer's `detail_uncovered`: the share of the tile memory does not cover)."""
    if sigma is None:
        sigma = sample_sigmas(clean.shape[0], config, generator, clean.device)
    noise = torch.randn(clean.shape, generator=generator, device=clean.device)
    noisy = clean + sigma.view(-1, 1, 1, 1) * noise  # (B, 3, H, W)
    c_skip, c_out, _, _ = edm_coefficients(sigma.view(-1, 1, 1, 1), denoiser.denoiser_config.sigma_data)
    if denoiser.config.residual:  # the same target, around the base image (see models/denoiser.py)
        base = denoiser.base(conditioning["context"], conditioning.get("memory"))
        target = ((clean - base) - c_skip * (noisy - base)) / c_out
    else:
        target = (clean - c_skip * noisy) / c_out
    f = denoiser.network_output(noisy, sigma, **conditioning)
    if pixel_weight is None:
        loss = torch.mean((f - target) ** 2)
    else:
        loss = torch.mean(pixel_weight * (f - target) ** 2) / torch.mean(pixel_weight)
    if detail_weight > 0:
        # D from F as Denoiser.forward forms it; target was built so that D - clean = c_out (f - target).
        denoised = clean + c_out * (f - target)
        share = None if detail_share is None else tiles(detail_share, detail_crop).mean(dim=(1, 2, 3))
        loss = loss + detail_weight * detail_loss(tiles(denoised, detail_crop), tiles(clean, detail_crop), share)
    return loss


DETAIL_EPS = 1e-4  # gradient energy floor in [-1, 1] units (flat crops): keeps the log finite and flat crops flat


def tiles(x: torch.Tensor, size: int) -> torch.Tensor:
    """(B, C, H, W) -> (B·H/size·W/size, C, size, size): the frames cut into square tiles, so a
    detail term asks each tile for its own edge energy (a flat wall stays flat, rather than
    buying a frame's energy with grain); size 0 keeps whole frames."""
    if size <= 0:
        return x
    b, c, h, w = x.shape
    if h % size or w % size:
        raise ValueError(f"detail crop {size} must divide the frame ({h} x {w})")
    x = x.reshape(b, c, h // size, size, w // size, size).permute(0, 2, 4, 1, 3, 5)
    return x.reshape(-1, c, size, size)


def crop_gradient_energy(x: torch.Tensor) -> torch.Tensor:
    """(B, 3, h, w) -> (B,) mean squared x and y difference per crop (models/metrics.py's
    gradient_energy, the quantity the detail ratio divides)."""
    gx = (x[..., 1:] - x[..., :-1]).pow(2).mean(dim=(1, 2, 3))
    gy = (x[..., 1:, :] - x[..., :-1, :]).pow(2).mean(dim=(1, 2, 3))
    return (gx + gy) / 2


def detail_loss(out: torch.Tensor, truth: torch.Tensor, weight: Optional[torch.Tensor] = None) -> torch.Tensor:
    """Mean over crops (or frames) of |log(energy(out) / energy(truth))|, weighted by `weight`
    (one per crop) when given; 0 when every weight is 0.

    An L1 or L2 loss under uncertainty picks the median or mean of what could be there: a blur.
    The upsampler scored a detail ratio of 0.51 on the arena without this, and the world model's
    rollouts lose edge energy tick by tick (0.41 of the truth's at tick 64 on held-out worlds).
    This term asks only for as much edge energy as the truth has, not for the edges to line up,
    so it costs little PSNR where the net cannot know where they go."""
    eo, et = crop_gradient_energy(out) + DETAIL_EPS, crop_gradient_energy(truth) + DETAIL_EPS
    mismatch = (eo.log() - et.log()).abs()
    if weight is None:
        return mismatch.mean()
    return (weight * mismatch).sum() / weight.sum().clamp_min(1e-6)
