"""models/bicubic.py reproduces worldmodel/bicubicUpsample.ts.

    /usr/bin/python3 -m pytest -q models/tests/test_upsampler_bicubic.py
"""
import math

import numpy as np
import torch

from models.bicubic import bicubic_upsample, catmull_rom, resample_matrix


def ts_port(frame: np.ndarray, scale: int) -> np.ndarray:
    """A line-by-line numpy port of bicubicUpsample.ts (float32 weights, horizontal pass first)."""
    c, h, w = frame.shape

    def taps(size: int) -> list[tuple[list[int], list[float]]]:
        out = []
        for X in range(size * scale):
            x = (X + 0.5) / scale - 0.5
            i = math.floor(x)
            f = x - i
            out.append(([min(max(i - 1 + k, 0), size - 1) for k in range(4)],
                         [float(np.float32(catmull_rom(f + 1 - k))) for k in range(4)]))
        return out

    cols, rows = taps(w), taps(h)
    mid = np.zeros((c, h, w * scale), np.float32)
    for X, (idx, wt) in enumerate(cols):
        mid[:, :, X] = sum(frame[:, :, idx[k]] * np.float32(wt[k]) for k in range(4))
    out = np.zeros((c, h * scale, w * scale), np.float32)
    for Y, (idx, wt) in enumerate(rows):
        out[:, Y, :] = sum(mid[:, idx[k], :] * np.float32(wt[k]) for k in range(4))
    return out


def test_kernel_values() -> None:
    assert catmull_rom(0) == 1 and catmull_rom(1) == 0 and catmull_rom(2) == 0 and catmull_rom(-1) == 0
    assert catmull_rom(0.5) == 0.5625 and catmull_rom(1.5) == -0.0625
    # scale 4: offsets f = 0.625 (even outputs) and 0.875 ... weights sum to one
    m = resample_matrix(8, 4)
    np.testing.assert_allclose(m.sum(dim=1).numpy(), 1.0, atol=1e-6)


def test_matches_the_typescript_loop() -> None:
    rng = np.random.default_rng(0)
    for scale, (h, w) in [(4, (5, 7)), (3, (4, 4)), (2, (1, 3))]:
        frame = rng.uniform(-1, 1, (3, h, w)).astype(np.float32)
        ours = bicubic_upsample(torch.from_numpy(frame), scale).numpy()
        np.testing.assert_allclose(ours, ts_port(frame, scale), rtol=0, atol=2e-6)


def test_known_values_scale_2() -> None:
    # one row [0, 1] upsampled twice: x = -0.25, 0.25, 0.75, 1.25 with edge clamping
    out = bicubic_upsample(torch.tensor([[0.0, 1.0]]), 2).numpy()[0]
    # x = 0.25: taps at -1, 0, 1, 2 -> pixels 0, 0, 1, 1 with weights cr(1.25), cr(0.25), cr(0.75), cr(1.75)
    # = -0.0703125, 0.8671875, 0.2265625, -0.0234375, so the value is 0.2265625 - 0.0234375
    np.testing.assert_array_equal(out, np.float32([-0.0703125, 0.203125, 0.796875, 1.0703125]))


def test_scale_3_centres_equal_the_input() -> None:
    frame = torch.from_numpy(np.random.default_rng(1).uniform(-1, 1, (2, 3, 6, 5)).astype(np.float32))
    up = bicubic_upsample(frame, 3)  # (2, 3, 18, 15)
    assert up.shape == (2, 3, 18, 15)
    torch.testing.assert_close(up[..., 1::3, 1::3], frame, rtol=0, atol=1e-6)


def test_linear_ramp_is_reproduced_inside() -> None:
    h, w, s = 8, 10, 4
    ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij")
    ramp = 0.1 * xs - 0.05 * ys + 0.2  # (H, W)
    up = bicubic_upsample(ramp, s)  # (sH, sW)
    Y, X = torch.meshgrid(torch.arange(h * s, dtype=torch.float32), torch.arange(w * s, dtype=torch.float32), indexing="ij")
    expected = 0.1 * ((X + 0.5) / s - 0.5) - 0.05 * ((Y + 0.5) / s - 0.5) + 0.2
    inner = (slice(2 * s, (h - 2) * s), slice(2 * s, (w - 2) * s))  # taps never clamped there
    torch.testing.assert_close(up[inner], expected[inner], rtol=0, atol=1e-6)
