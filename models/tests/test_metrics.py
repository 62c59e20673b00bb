"""PSNR, SSIM and gradient energy pinned to known values (the TypeScript side must agree).

    /usr/bin/python3 -m pytest -q models/tests/test_metrics.py
"""
import math

import numpy as np
import pytest

from models.metrics import (
    PSNR_CAP_DB, SSIM_C1, SSIM_C2, gaussian_window, gradient_energy, mean_psnr, mse, psnr, ssim, to_unit,
)


def test_psnr_of_known_mse() -> None:
    a = np.zeros((3, 8, 8))
    assert psnr(a, a + 0.1) == pytest.approx(20.0)  # MSE 0.01
    assert psnr(a, a + 0.01) == pytest.approx(40.0)
    b = a.copy()
    b[0, 0, 0] = 1.0  # one value off by 1 of 192: MSE 1/192
    assert psnr(a, b) == pytest.approx(10 * math.log10(192))
    assert psnr(a, a) == math.inf


def test_psnr_is_per_frame() -> None:
    a = np.zeros((2, 3, 8, 8))
    b = a + np.array([0.1, 0.01]).reshape(2, 1, 1, 1)
    np.testing.assert_allclose(psnr(a, b), [20.0, 40.0])
    assert mse(a[0], b[0]) == pytest.approx(0.01)
    # the mean is over per-frame PSNRs (not the PSNR of the mean MSE), capped
    assert mean_psnr(psnr(a, b)) == pytest.approx(30.0)
    assert mean_psnr([math.inf, 20.0]) == pytest.approx((PSNR_CAP_DB + 20.0) / 2)


def test_to_unit() -> None:
    np.testing.assert_allclose(to_unit(np.array([-1.0, 0.0, 1.0])), [0.0, 0.5, 1.0])


def test_ssim_of_identical_frames_is_one() -> None:
    x = np.random.default_rng(0).random((3, 16, 16))
    assert ssim(x, x) == pytest.approx(1.0)


def test_ssim_of_constant_frames() -> None:
    # no variance: SSIM = (2ab + C1) / (a^2 + b^2 + C1)
    a, b = np.full((3, 12, 12), 0.5), np.full((3, 12, 12), 0.25)
    assert ssim(a, b) == pytest.approx((2 * 0.5 * 0.25 + SSIM_C1) / (0.25 + 0.0625 + SSIM_C1))


def naive_ssim(a: np.ndarray, b: np.ndarray) -> float:
    """The TypeScript algorithm as plain loops: valid window positions, channels averaged."""
    g = gaussian_window()
    w2 = np.outer(g, g)
    n, (c, h, w) = len(g), a.shape
    vals = []
    for ch in range(c):
        for y in range(h - n + 1):
            for x in range(w - n + 1):
                u, v = a[ch, y : y + n, x : x + n], b[ch, y : y + n, x : x + n]
                mx, my = (w2 * u).sum(), (w2 * v).sum()
                vx, vy = (w2 * u * u).sum() - mx * mx, (w2 * v * v).sum() - my * my
                cov = (w2 * u * v).sum() - mx * my
                vals.append(((2 * mx * my + SSIM_C1) * (2 * cov + SSIM_C2)) /
                            ((mx * mx + my * my + SSIM_C1) * (vx + vy + SSIM_C2)))
    return float(np.mean(vals))


def test_ssim_matches_the_loop_definition() -> None:
    rng = np.random.default_rng(1)
    a = rng.random((3, 14, 13))
    b = np.clip(a + 0.1 * rng.standard_normal(a.shape), 0, 1)
    assert ssim(a, b) == pytest.approx(naive_ssim(a, b), abs=1e-12)
    batch = ssim(np.stack([a, b]), np.stack([b, b]))
    np.testing.assert_allclose(batch, [naive_ssim(a, b), 1.0], atol=1e-12)
    assert gaussian_window()[5] == pytest.approx(1 / sum(math.exp(-((i - 5) ** 2) / 4.5) for i in range(11)))


def test_ssim_rejects_small_frames() -> None:
    with pytest.raises(ValueError, match="at least 11x11"):
        ssim(np.zeros((3, 8, 8)), np.zeros((3, 8, 8)))


def test_gradient_energy_of_a_ramp() -> None:
    h, w, s = 6, 8, 0.1
    ramp = np.broadcast_to(np.arange(w) * s, (3, h, w))  # x-differences all s, y-differences 0
    assert gradient_energy(ramp) == pytest.approx(s * s / 2)
    vertical = np.broadcast_to((np.arange(h) * s)[:, None], (3, h, w))
    assert gradient_energy(vertical) == pytest.approx(s * s / 2)
    checker = (np.indices((h, w)).sum(0) % 2).astype(float)[None].repeat(3, 0)  # every difference is 1
    assert gradient_energy(checker) == pytest.approx(1.0)
    assert gradient_energy(np.full((3, h, w), 0.7)) == 0.0
