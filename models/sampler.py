"""Karras sigma schedule and a few-step Euler/Heun sampler (the Python twin of the TS loop).

    /usr/bin/python3 -m models.sampler --steps 3      # print the default sigma schedule

The TypeScript runtime runs the same loop around one ONNX run() per denoiser call; this
class is for evaluation and tests in Python. build_sigmas() is pure so both sides can
pin its values (the exporter records them in reference.json).
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable, Optional

import torch

# denoiser(noisy (B,3,H,W), sigma (B,), **conditioning) -> denoised (B,3,H,W)
DenoiseFn = Callable[..., torch.Tensor]


@dataclass(frozen=True)
class SamplerConfig:
    method: str = "euler"  # "euler" (1 call per step) or "heun" (2 calls, except the last step)
    steps: int = 3  # DIAMOND shows 3 Euler steps are enough for a world model at this size
    sigma_min: float = 0.002
    sigma_max: float = 5.0  # above the data spread (sigma_data 0.5), so the start is pure noise
    rho: float = 7.0  # Karras et al. 2022: spends more steps at low noise
    sigma_data: float = 0.5  # std of images in [-1, 1]; used by the EDM preconditioning
    # Where sampling starts: "noise" = sigma_max * n; "base" = the residual model's base image
    # + sigma_max * n (models/denoiser.py), so the ODE starts around what it denoises toward.
    start: str = "noise"

    def __post_init__(self) -> None:
        if self.method not in ("euler", "heun"):
            raise ValueError(f"SamplerConfig: method must be 'euler' or 'heun', got {self.method!r}")
        if self.start not in ("noise", "base"):
            raise ValueError(f"SamplerConfig: start must be 'noise' or 'base', got {self.start!r}")
        if self.steps < 1:
            raise ValueError(f"SamplerConfig: steps must be >= 1, got {self.steps}")
        if not 0 < self.sigma_min < self.sigma_max:
            raise ValueError(
                f"SamplerConfig: need 0 < sigma_min < sigma_max, got {self.sigma_min}, {self.sigma_max}"
            )


def build_sigmas(steps: int, sigma_min: float, sigma_max: float, rho: float) -> list[float]:
    """Karras schedule, high to low noise, with a final 0 appended: steps + 1 values."""
    if steps < 1:
        raise ValueError(f"build_sigmas: steps must be >= 1, got {steps}")
    if steps == 1:
        return [float(sigma_max), 0.0]
    lo, hi = sigma_min ** (1.0 / rho), sigma_max ** (1.0 / rho)
    inner = [(hi + i / (steps - 1) * (lo - hi)) ** rho for i in range(1, steps - 1)]
    # The ends are set, not computed: x ** (1/rho) ** rho is off by an ulp (5.0 -> 4.999999999999999).
    return [float(sigma_max), *inner, float(sigma_min), 0.0]


class Sampler:
    """Draws the next frame by integrating the probability-flow ODE from sigma_max to 0."""

    def __init__(self, denoiser: DenoiseFn, config: SamplerConfig = SamplerConfig()) -> None:
        self.denoiser = denoiser
        self.config = config
        self.sigmas = build_sigmas(config.steps, config.sigma_min, config.sigma_max, config.rho)

    @torch.no_grad()
    def sample(
        self,
        shape: tuple[int, ...],
        generator: Optional[torch.Generator] = None,
        noise: Optional[torch.Tensor] = None,
        **conditioning: torch.Tensor,
    ) -> torch.Tensor:
        """Returns a frame (B,3,H,W). Pass `noise` (unit variance) to make it deterministic."""
        if noise is None:
            device = next(iter(conditioning.values())).device if conditioning else None
            noise = torch.randn(shape, generator=generator, device=device)
        x = noise * self.sigmas[0]
        if self.config.start == "base":
            base = getattr(self.denoiser, "base", None)
            if base is None:
                raise ValueError("Sampler: start='base' needs a residual Denoiser (with a base() method)")
            x = x + base(conditioning["context"], conditioning.get("memory"))
        for sigma, sigma_next in zip(self.sigmas[:-1], self.sigmas[1:]):
            x = self.step(x, sigma, sigma_next, conditioning)
        return x

    def step(self, x: torch.Tensor, sigma: float, sigma_next: float, conditioning: dict) -> torch.Tensor:
        """One Euler step, plus Heun's correction unless stepping to sigma = 0 (it would divide by 0)."""
        d = self._derivative(x, sigma, conditioning)
        x_next = x + (sigma_next - sigma) * d
        if self.config.method == "heun" and sigma_next > 0:
            d_next = self._derivative(x_next, sigma_next, conditioning)
            x_next = x + (sigma_next - sigma) * 0.5 * (d + d_next)
        return x_next

    def _derivative(self, x: torch.Tensor, sigma: float, conditioning: dict) -> torch.Tensor:
        # dx/dsigma of the probability-flow ODE for the EDM (sigma(t) = t) parameterisation
        s = torch.full((x.shape[0],), sigma, dtype=x.dtype, device=x.device)  # (B,)
        return (x - self.denoiser(x, s, **conditioning)) / sigma


def main() -> None:
    defaults = SamplerConfig()
    parser = argparse.ArgumentParser(description="Print a Karras sigma schedule.")
    parser.add_argument("--steps", type=int, default=defaults.steps)
    parser.add_argument("--sigma-min", type=float, default=defaults.sigma_min)
    parser.add_argument("--sigma-max", type=float, default=defaults.sigma_max)
    parser.add_argument("--rho", type=float, default=defaults.rho)
    args = parser.parse_args()
    print(build_sigmas(args.steps, args.sigma_min, args.sigma_max, args.rho))


if __name__ == "__main__":
    main()
