"""Reference inputs and outputs computed by PyTorch, for the TypeScript parity test.

    /usr/bin/python3 -m models.export --preset tiny --seed 0 --out tests/fixtures/tiny --reference

reference.bin holds every array as float32 little-endian, concatenated; reference.json
says where each one starts (offset in floats, not bytes) and its shape. The cases cover
the ends of the noise range and a batch of 2 with different sigmas and actions, the way
speculative branches run. "sigmas" pins the sampler's default schedule.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from models.actions import dequantise_array, random_action_bins
from models.config import ModelConfig
from models.denoiser import Denoiser
from models.sampler import build_sigmas

REFERENCE_BIN = "reference.bin"
REFERENCE_JSON = "reference.json"


@dataclass(frozen=True)
class ReferenceCase:
    name: str
    sigmas: tuple[float, ...]  # one per batch item


DEFAULT_CASES = (
    ReferenceCase("batch1-sigma5", (5.0,)),
    ReferenceCase("batch1-sigma0.05", (0.05,)),
    ReferenceCase("batch2-sigma0.3-1.7", (0.3, 1.7)),
)


def make_inputs(
    config: ModelConfig, sigmas: tuple[float, ...], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Valid random inputs: images in [-1, 1], dequantised actions, streams in their ranges."""
    b, k, h, w = len(sigmas), config.context_frames, config.height, config.width
    sigma = np.asarray(sigmas, dtype=np.float32)  # (B,)
    clean = rng.uniform(-1, 1, (b, 3, h, w))
    inputs = {
        "noisy": clean + sigma.reshape(b, 1, 1, 1) * rng.standard_normal((b, 3, h, w)),
        "sigma": sigma,
        "context": rng.uniform(-1, 1, (b, 3 * k, h, w)),
    }
    # Distinct actions per batch item, or the batch case would not show that they are kept apart.
    bins = random_action_bins(rng, (b, k), config.actions)  # (B, K, A)
    while b > 1 and any(np.array_equal(bins[0], bins[i]) for i in range(1, b)):
        bins = random_action_bins(rng, (b, k), config.actions)
    inputs["actions"] = dequantise_array(bins, config.actions)
    if "memory" in config.stream_names:
        covered = rng.random((b, 1, h, w)) < 0.6  # splats leave holes
        coverage = covered * rng.uniform(0.5, 1.0, (b, 1, h, w))
        rgb = rng.uniform(-1, 1, (b, 3, h, w)) * covered  # zeros where uncovered
        inputs["memory"] = np.concatenate([rgb, coverage], axis=1)  # (B, 4, H, W)
    if "depth" in config.stream_names:
        d = rng.uniform(config.camera.near, 1.2 * config.camera.far, (b, 1, h, w))  # some beyond far
        inputs["depth"] = np.clip(d / config.camera.far, 0, 1) * 2 - 1
    return {name: np.ascontiguousarray(a, dtype=np.float32) for name, a in inputs.items()}


@torch.no_grad()
def run_case(model: Denoiser, inputs: dict[str, np.ndarray]) -> np.ndarray:
    out = model.eval()(**{n: torch.from_numpy(a) for n, a in inputs.items()})
    return out.numpy().astype(np.float32)


def write_reference(folder: str, model: Denoiser, seed: int, cases=DEFAULT_CASES) -> dict[str, Any]:
    """Writes reference.bin and reference.json into folder; returns the JSON index."""
    config = model.config
    rng = np.random.default_rng(seed)
    chunks: list[np.ndarray] = []
    offset = 0

    def add(a: np.ndarray) -> dict[str, Any]:
        nonlocal offset
        entry = {"offset": offset, "shape": list(a.shape)}
        chunks.append(a.astype("<f4").ravel())
        offset += a.size
        return entry

    index_cases = []
    for case in cases:
        inputs = make_inputs(config, case.sigmas, rng)
        output = run_case(model, inputs)
        index_cases.append({
            "name": case.name,
            "inputs": {n: add(a) for n, a in inputs.items()},
            "outputs": {"denoised": add(output)},
        })
    s = config.sampler
    index = {
        "file": REFERENCE_BIN,
        "dtype": "float32",
        "byteOrder": "little",
        "sigmas": build_sigmas(s.steps, s.sigma_min, s.sigma_max, s.rho),
        "cases": index_cases,
    }
    with open(os.path.join(folder, REFERENCE_BIN), "wb") as f:
        f.write(np.concatenate(chunks).tobytes())
    with open(os.path.join(folder, REFERENCE_JSON), "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    return index


def read_reference(folder: str) -> tuple[dict[str, Any], list[dict[str, dict[str, np.ndarray]]]]:
    """(index, cases) where each case is {"inputs": {name: array}, "outputs": {name: array}}."""
    with open(os.path.join(folder, REFERENCE_JSON), encoding="utf-8") as f:
        index = json.load(f)
    data = np.fromfile(os.path.join(folder, index["file"]), dtype="<f4")

    def get(e: dict[str, Any]) -> np.ndarray:
        n = int(np.prod(e["shape"]))
        return data[e["offset"] : e["offset"] + n].reshape(e["shape"])

    cases = [
        {part: {n: get(e) for n, e in c[part].items()} for part in ("inputs", "outputs")}
        for c in index["cases"]
    ]
    return index, cases
