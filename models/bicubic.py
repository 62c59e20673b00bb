"""Catmull-Rom ("bicubic") upsampling, exactly as worldmodel/bicubicUpsample.ts does it.

    /usr/bin/python3 -m pytest -q models/tests/test_upsampler_bicubic.py

Output pixel X samples the input at x = (X + 0.5) / scale - 0.5 (pixel centres aligned)
with Keys' cubic (a = -0.5) over the 4 nearest input pixels, indices clamped to the
edges. The filter is separable, so it is written as two matrices: out = Ry · img · Rxᵀ
with Ry (sH, H) and Rx (sW, W). Cropping rows of Ry and Rx gives exactly a crop of the
full-frame result, which is how the upsampler's data reader makes aligned crops without
crop-border artefacts.
"""
from __future__ import annotations

import math

import torch


def catmull_rom(t: float) -> float:
    """Keys' cubic with a = -0.5 at offset t (the TypeScript catmullRom)."""
    x = abs(t)
    if x <= 1:
        return 1.5 * x * x * x - 2.5 * x * x + 1
    if x < 2:
        return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2
    return 0.0


def resample_matrix(size: int, scale: int) -> torch.Tensor:
    """(size·scale, size) float32: row X holds the 4 tap weights of output X (clamped taps summed)."""
    if scale < 1 or int(scale) != scale:
        raise ValueError(f"resample_matrix: scale must be a positive integer, found {scale}")
    m = torch.zeros(size * scale, size, dtype=torch.float64)
    for X in range(size * scale):
        x = (X + 0.5) / scale - 0.5
        i = math.floor(x)
        f = x - i
        for k in range(4):
            # TS computes the weight in float64 and stores it in a Float32Array
            m[X, min(max(i - 1 + k, 0), size - 1)] += float(torch.tensor(catmull_rom(f + 1 - k), dtype=torch.float32))
    return m.float()


def bicubic_upsample(img: torch.Tensor, scale: int) -> torch.Tensor:
    """img (..., H, W) -> (..., H·scale, W·scale), any range (no clamping)."""
    h, w = img.shape[-2:]
    ry = resample_matrix(h, scale).to(img)  # (sH, H)
    rx = resample_matrix(w, scale).to(img)  # (sW, W)
    return ry @ img @ rx.T  # (..., sH, sW)
