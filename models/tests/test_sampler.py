"""Karras schedule values and the Euler/Heun sampler on an analytic denoiser.

    /usr/bin/python3 -m pytest -q models/tests/test_sampler.py
"""
import pytest
import torch

from models.config import get_preset
from models.export import random_model
from models.sampler import Sampler, SamplerConfig, build_sigmas

from .helpers import random_inputs


def test_default_schedule() -> None:
    sigmas = build_sigmas(3, 0.002, 5.0, 7.0)
    assert len(sigmas) == 4
    assert sigmas[0] == 5.0 and sigmas[-2] == 0.002 and sigmas[-1] == 0.0  # exact, not pow round trips
    # ((5^(1/7) + 0.002^(1/7)) / 2)^7, pinned for the TypeScript sampler too
    assert sigmas[1] == pytest.approx(0.28308191117179, rel=1e-12)


def test_schedule_decreases() -> None:
    sigmas = build_sigmas(10, 0.002, 80.0, 7.0)
    assert all(a > b for a, b in zip(sigmas, sigmas[1:]))
    assert build_sigmas(2, 0.002, 5.0, 7.0) == [5.0, 0.002, 0.0]


def test_one_step_schedule() -> None:
    assert build_sigmas(1, 0.002, 5.0, 7.0) == [5.0, 0.0]


def test_bad_steps() -> None:
    with pytest.raises(ValueError):
        build_sigmas(0, 0.002, 5.0, 7.0)
    with pytest.raises(ValueError):
        SamplerConfig(method="ddim")


class PointDenoiser:
    """The ideal denoiser when the data is the single point x0: D(x, sigma) = x0."""

    def __init__(self, x0: torch.Tensor) -> None:
        self.x0 = x0
        self.calls = 0

    def __call__(self, x: torch.Tensor, sigma: torch.Tensor, **conditioning: torch.Tensor) -> torch.Tensor:
        assert sigma.shape == (x.shape[0],)
        self.calls += 1
        return self.x0.expand_as(x)


@pytest.mark.parametrize("method, calls", [("euler", 3), ("heun", 5)])
def test_samplers_land_on_the_data_point(method: str, calls: int) -> None:
    x0 = torch.rand(2, 3, 8, 8, dtype=torch.float64) * 2 - 1
    denoiser = PointDenoiser(x0)
    sampler = Sampler(denoiser, SamplerConfig(method=method, steps=3))
    out = sampler.sample(x0.shape, noise=torch.randn(x0.shape, dtype=torch.float64))
    torch.testing.assert_close(out, x0, rtol=0, atol=1e-12)
    assert denoiser.calls == calls  # Heun skips its correction on the last step (sigma_next = 0)


def test_sampler_with_a_model() -> None:
    config = get_preset("tiny-streams")
    model = random_model(config, seed=0)
    cond = random_inputs(config, 2)
    del cond["noisy"], cond["sigma"]
    noise = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(0))
    sampler = Sampler(model.denoise, config.sampler)
    a = sampler.sample((2, 3, 32, 32), noise=noise, **cond)
    b = sampler.sample((2, 3, 32, 32), noise=noise, **cond)
    assert a.shape == (2, 3, 32, 32) and torch.isfinite(a).all()
    torch.testing.assert_close(a, b)
