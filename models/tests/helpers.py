"""Shared test inputs: random but valid denoiser inputs for a config.

    /usr/bin/python3 -m pytest -q models/tests
"""
from __future__ import annotations

import numpy as np
import torch

from models.config import ModelConfig
from models.reference import make_inputs


def random_inputs(
    config: ModelConfig, batch: int, seed: int = 0, sigma: float = 1.0
) -> dict[str, torch.Tensor]:
    """Valid inputs (images in [-1, 1], dequantised actions, streams in range) as tensors."""
    arrays = make_inputs(config, (sigma,) * batch, np.random.default_rng(seed))
    return {name: torch.from_numpy(a) for name, a in arrays.items()}
