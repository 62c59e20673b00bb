"""Image-quality metrics, pure numpy functions, defined exactly as the TypeScript side's.

    /usr/bin/python3 -m pytest -q models/tests/test_metrics.py

Every function takes images on the [0, 1] scale, shaped (..., C, H, W) (use `to_unit`
for model images in [-1, 1]), works in float64 and returns one value per frame: a float
for a single (C, H, W) frame, an array shaped like the leading axes otherwise.

- PSNR  = 10 log10(1 / MSE), MSE over all C*H*W values of one frame (peak 1). A frame
  reproduced exactly has PSNR +inf; `mean_psnr` averages per-frame values with each
  capped at PSNR_CAP_DB (one 8-bit grey level RMS) so exact copies cannot dominate a mean.
- SSIM  (Wang et al. 2004) with an 11x11 Gaussian window, sigma 1.5, C1 = 0.01^2,
  C2 = 0.03^2, over the 'valid' window positions only (no padding), per channel, then
  averaged over the positions and the channels.
- gradient energy = (mean of (x[.., w+1] - x[.., w])^2 + mean of (x[.., h+1, :] - x[.., h, :])^2) / 2,
  each mean over every channel and valid pair. Blurred or collapsed frames have less of it.
"""
from __future__ import annotations

from typing import Iterable, Union

import numpy as np

# An RMS error of one 8-bit grey level (20·log10(255) ≈ 48.13 dB): finer differences cannot
# show in the 8-bit frames we compare against, and an exact copy (a still player) must not
# outweigh every moving frame in a mean. Same constant in worldmodel/metrics.ts.
PSNR_CAP_DB = 20.0 * float(np.log10(255.0))
SSIM_WINDOW = 11
SSIM_SIGMA = 1.5
SSIM_C1 = 0.01**2
SSIM_C2 = 0.03**2

Value = Union[float, np.ndarray]


def to_unit(x: np.ndarray) -> np.ndarray:
    """Model images in [-1, 1] -> [0, 1] (float64), no clipping."""
    return (np.asarray(x, np.float64) + 1.0) / 2.0


def _out(v: np.ndarray) -> Value:
    return float(v) if np.ndim(v) == 0 else v


def mse(a: np.ndarray, b: np.ndarray) -> Value:
    """Mean squared error per frame over (C, H, W)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"mse: shapes differ, {a.shape} vs {b.shape}")
    return _out(np.mean((a - b) ** 2, axis=(-3, -2, -1)))


def psnr(a: np.ndarray, b: np.ndarray) -> Value:
    """PSNR in dB per frame, peak 1: 10 log10(1 / MSE); +inf where the frames are equal."""
    m = np.asarray(mse(a, b))
    with np.errstate(divide="ignore"):
        return _out(np.where(m > 0, 10.0 * np.log10(1.0 / np.maximum(m, 1e-300)), np.inf))


def mean_psnr(values: Iterable[float]) -> float:
    """Mean of per-frame PSNRs, each capped at PSNR_CAP_DB."""
    v = np.minimum(np.asarray(list(values), np.float64), PSNR_CAP_DB)
    if v.size == 0:
        raise ValueError("mean_psnr: no values")
    return float(v.mean())


def gaussian_window(size: int = SSIM_WINDOW, sigma: float = SSIM_SIGMA) -> np.ndarray:
    """Normalised 1-D Gaussian taps; the 2-D window is their outer product."""
    x = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-(x**2) / (2 * sigma * sigma))
    return g / g.sum()


def _filter_valid(x: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Separable 'valid' filtering over the last two axes: (..., H, W) -> (..., H-n+1, W-n+1)."""
    win = np.lib.stride_tricks.sliding_window_view(x, len(g), axis=-1)  # (..., H, W', n)
    x = win @ g
    win = np.lib.stride_tricks.sliding_window_view(x, len(g), axis=-2)  # (..., H', W', n)
    return win @ g


def ssim(a: np.ndarray, b: np.ndarray) -> Value:
    """Mean SSIM per frame (see the module docstring); frames must be at least 11x11."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape or a.ndim < 3:
        raise ValueError(f"ssim: expected two (..., C, H, W) arrays of one shape, got {a.shape} and {b.shape}")
    if min(a.shape[-2:]) < SSIM_WINDOW:
        raise ValueError(f"ssim: frames must be at least {SSIM_WINDOW}x{SSIM_WINDOW}, got {a.shape[-2:]}")
    g = gaussian_window()
    mx, my = _filter_valid(a, g), _filter_valid(b, g)
    vx = _filter_valid(a * a, g) - mx * mx
    vy = _filter_valid(b * b, g) - my * my
    cov = _filter_valid(a * b, g) - mx * my
    s = ((2 * mx * my + SSIM_C1) * (2 * cov + SSIM_C2)) / ((mx * mx + my * my + SSIM_C1) * (vx + vy + SSIM_C2))
    return _out(s.mean(axis=(-3, -2, -1)))


def gradient_energy(x: np.ndarray) -> Value:
    """Mean squared finite difference per frame, the x and y directions averaged."""
    x = np.asarray(x, np.float64)
    gx = np.mean(np.diff(x, axis=-1) ** 2, axis=(-3, -2, -1))
    gy = np.mean(np.diff(x, axis=-2) ** 2, axis=(-3, -2, -1))
    return _out((gx + gy) / 2.0)
