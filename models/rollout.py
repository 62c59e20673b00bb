"""Self-rollout augmentation: train on context the model painted itself (a cheap Self Forcing).

At play time every context frame, and every memory keyframe, is a frame the model painted;
in training they are recorded frames. The gap (exposure bias) is what makes long rollouts
drift and blur, and then spatial memory faithfully brings the blur back on a revisit. Noise
augmentation (models/train.py) only imitates the model's errors; here a share of each batch
sees the real thing:

for a sample with target tick t, pick r in 1..R, start from recorded frames t-r-K .. t-r-1,
and let the current weights paint ticks t-r .. t-1 (no gradient, the shipped sampler
settings), each with the memory stream play would show: the recorded memory, and the
painted frames rendered into that view where it has nothing (models/memory.py ranks a
painted frame below the real frames it was painted over, so a store holding both shows the
real ones where they cover). The sample then predicts the recorded frame t from that context
and memory: the loss teaches the model to pull its own drift back toward the world.

Measured once (public/models/arena's checkpoint + 1,914 steps with --rollout-prob 0.5
--rollout-ticks 4, CPU): revisit PSNR 23.17 -> 23.66 dB, rollout PSNR at tick 64 16.25 ->
16.55 dB, but rollout detail at tick 64 0.66 -> 0.49 of the truth's (smoother frames), so
the shipped model does not use it.

Self Forcing (Huang et al. 2025) backpropagates through the rollout; this keeps the rollout
gradient-free (scheduled-sampling style), which costs R extra forward passes per step and
fits a CPU budget.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from models.dataset import FrameDataset, frames_to_model, memory_camera
from models.memory import MemoryCamera, SpatialMemory, depth_to_model, memory_to_model
from models.sampler import Sampler


@dataclass(frozen=True)
class RolloutConfig:
    prob: float = 0.0  # share of samples whose context is painted by the model (0: off)
    max_ticks: int = 3  # R: painted ticks before the target, drawn uniformly from 1..R
    sampler_steps: int = 1  # sampler steps per painted frame (the shipped arena model plays with 1)


def painted_memory(painted: list[tuple[np.ndarray, np.ndarray, np.ndarray]], recorded: np.ndarray,
                   pose: np.ndarray, depth: np.ndarray, camera: MemoryCamera) -> np.ndarray:
    """The memory stream (4, H, W) for a view when the newest keyframes are `painted` (frame
    (3, H, W) in [-1, 1], depth (H, W), pose (5,)) and the older, real ones gave `recorded`
    (4, H, W): recorded where it covers, the painted frames' render elsewhere."""
    if not painted:
        return recorded
    store = SpatialMemory(camera)
    for n, (frame, d, p) in enumerate(painted):
        store.insert(frame, d, p, n, painted=True)
    fresh = store.render(pose, depth)
    return np.where(recorded[3:4] > 0, recorded, fresh).astype(np.float32)


@torch.no_grad()
def rollout_batch(denoiser: Any, data: FrameDataset, indices: np.ndarray, batch: dict[str, torch.Tensor],
                  config: RolloutConfig, generator: torch.Generator) -> dict[str, torch.Tensor]:
    """`batch` (from data.batch(indices)) with the context (and memory) of a `config.prob` share of
    samples replaced by the model's own rollout. Draws a fixed number of values from `generator`
    whatever the data, so a resumed run stays reproducible."""
    b, k = len(indices), data.k
    device = batch["target"].device
    pick = (torch.rand(b, generator=generator, device=device) < config.prob).cpu().numpy()
    lengths = torch.randint(1, config.max_ticks + 1, (b,), generator=generator, device=device).cpu().numpy()
    noise = torch.randn((config.max_ticks, *batch["target"].shape), generator=generator, device=device)
    if config.prob <= 0 or not pick.any():
        return batch

    cfg = denoiser.config
    camera = memory_camera(cfg) if "memory" in data.streams else None
    sampler = Sampler(denoiser, dataclasses.replace(cfg.sampler, steps=config.sampler_steps))
    rows: list[dict[str, Any]] = []
    for i in np.flatnonzero(pick):
        e, t = (int(v) for v in data.index[int(indices[i])])
        r = int(min(lengths[i], t - k))
        if r < 1:
            continue
        ep = data.episodes[e]
        start = t - r
        frames = list(frames_to_model(ep.frames[start - k : start]))  # K recorded frames (3, H, W)
        rows.append({"i": int(i), "e": e, "t": t, "r": r, "start": start, "frames": frames, "painted": []})

    def streams_at(row: dict[str, Any], tick: int) -> dict[str, np.ndarray]:
        ep, out = data.episodes[row["e"]], {}
        for name in data.streams:
            if name == "memory":
                recorded = memory_to_model(data.memory[row["e"]][tick])
                out[name] = painted_memory(row["painted"], recorded, ep.poses[tick], ep.depth[tick], camera)
            else:
                out[name] = depth_to_model(ep.depth[tick], data.far)
        return out

    for j in range(max((row["r"] for row in rows), default=0)):
        active = [row for row in rows if row["r"] > j]
        ticks = [row["start"] + j for row in active]
        context = np.stack([np.concatenate(row["frames"][-k:], axis=0) for row in active])
        actions = np.stack([data.episodes[row["e"]].encoded[tick - k + 1 : tick + 1]
                            for row, tick in zip(active, ticks)]).astype(np.float32)
        streams = [streams_at(row, tick) for row, tick in zip(active, ticks)]
        cond = {"context": torch.from_numpy(context).to(device), "actions": torch.from_numpy(actions).to(device)}
        for name in data.streams:
            cond[name] = torch.from_numpy(np.stack([s[name] for s in streams])).to(device)
        start_noise = noise[j, [row["i"] for row in active]]
        painted = sampler.sample(tuple(start_noise.shape), noise=start_noise, **cond).float().clamp(-1, 1)
        for row, tick, frame in zip(active, ticks, painted.cpu().numpy()):
            ep = data.episodes[row["e"]]
            row["frames"].append(frame)
            row["painted"].append((frame, ep.depth[tick], ep.poses[tick]))

    out = {name: value.clone() for name, value in batch.items()}
    for row in rows:
        i = row["i"]
        out["context"][i] = torch.from_numpy(np.concatenate(row["frames"][-k:], axis=0)).to(out["context"])
        if "memory" in data.streams:
            out["memory"][i] = torch.from_numpy(streams_at(row, row["t"])["memory"]).to(out["memory"])
    return out
