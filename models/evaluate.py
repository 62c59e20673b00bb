"""Evaluate a checkpoint on held-out episodes: one-step quality, rollouts, and detail (anti-collapse).

    /usr/bin/python3 -m models.evaluate --checkpoint runs/arena/last.pt --data HELDOUT_DIR --out report.json \
        [--strip strip.png] [--split all|train|heldout]

Uses the checkpoint's EMA weights and its config's sampler (e.g. 3 Euler steps), fixed
seeds throughout, so two runs give the same report. Metrics are those of models/metrics.py
on [0, 1] images; each model number has a copy-last-frame baseline beside it.

- psnr1, ssim1: teacher-forced one step: real context frames and actions, the model's
  next frame vs the real one, averaged over `samples` random (episode, t).
  Baseline: the previous real frame (the last context frame).
- psnrN (N = 16, 64): autoregressive rollouts: start from K real frames, then feed the
  model's own frames back with the recorded actions. psnrN is the PSNR of the frame at
  rollout tick N (the N-th generated frame), averaged over the rollouts; not a mean over
  ticks 1..N. Baseline: the last real context frame, repeated.
- detailRatio64: mean gradient energy of the rolled-out frames at tick 64 divided by the
  same mean for the real frames at tick 64; well below 1 means the rollout has blurred or
  collapsed.
Horizons longer than every episode allows are reported as null.

Models with streams get them as in training and play. Depth: the recorded proxy depth of the
frame being painted, normalised. Memory (models/memory.py):
- one step at tick t: the dataset's memory stream, the real frames 0..t-1 rendered at view t
  (FrameDataset, exactly what training saw).
- rollouts from t0: one online SpatialMemory per rollout holding the real frames 0..t0-1, then
  each generated frame as it is made (as a painted frame: it ranks below the real frames it
  was painted over, as in play); every tick renders it at the recorded pose and depth.
`--memory off` feeds an empty memory stream (all zeros: no colour, no coverage) instead.
The report adds `memory` (on / off / none: the model has no memory stream) and, with memory
on, `memoryCoverage1`: the mean coverage of the one-step samples' memory stream.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import torch

from models.dataset import FrameDataset, frames_to_model, load_episodes, memory_camera, split_episodes
from models.denoiser import Denoiser
from models.export import load_checkpoint
from models.memory import SpatialMemory, depth_to_model
from models.metrics import gradient_energy, mean_psnr, psnr, ssim, to_unit
from models.png import image_grid, to_uint8, write_png
from models.sampler import Sampler


@dataclass(frozen=True)
class EvalConfig:
    samples: int = 256  # one-step teacher-forced samples
    rollouts: int = 16  # autoregressive rollouts
    horizons: tuple[int, ...] = (16, 64)  # rollout ticks reported
    batch: int = 32  # one-step batch size
    seed: int = 0
    strip_ticks: tuple[int, ...] = (1, 2, 4, 8, 16, 24, 32, 48, 64)
    strip_rollouts: int = 2  # rollouts shown in the strip, each as a GT row and a model row
    memory: bool = True  # models with a memory stream: feed it (else an empty one)


class Evaluator:
    def __init__(self, model: Denoiser, config: EvalConfig = EvalConfig()) -> None:
        self.model, self.config = model.eval(), config
        self.sampler = Sampler(model, model.config.sampler)
        self.k = model.config.context_frames
        self.streams = tuple(model.config.stream_names)
        self.has_memory = "memory" in self.streams
        self.memory_on = self.has_memory and config.memory

    @property
    def memory_mode(self) -> str:
        return "none" if not self.has_memory else "on" if self.memory_on else "off"

    def generate(self, context: torch.Tensor, actions: torch.Tensor, seed: int, **streams: torch.Tensor
                 ) -> torch.Tensor:
        """The model's next frames (B, 3, H, W), clamped to [-1, 1] as the runtime does."""
        g = torch.Generator().manual_seed(seed)
        noise = torch.randn((context.shape[0], 3, *context.shape[2:]), generator=g)
        return self.sampler.sample(tuple(noise.shape), noise=noise, context=context, actions=actions,
                                   **streams).clamp(-1, 1)

    def one_step(self, data: FrameDataset) -> dict[str, Any]:
        cfg = self.config
        missing = [s for s in self.streams if s not in data.streams and (s != "memory" or self.memory_on)]
        if missing:
            raise ValueError(f"Evaluator: model {self.model.config.name!r} takes streams {missing}; "
                             "build the FrameDataset with the model's config")
        rng = np.random.default_rng(cfg.seed)
        picks = np.sort(rng.choice(len(data), size=min(cfg.samples, len(data)), replace=False))
        scores: dict[str, list[float]] = {"psnr": [], "psnrBase": [], "ssim": [], "ssimBase": [], "coverage": []}
        for i in range(0, len(picks), cfg.batch):
            batch = data.batch(picks[i : i + cfg.batch])
            streams = {name: batch[name] for name in self.streams if name != "memory" or self.memory_on}
            if self.memory_on:
                scores["coverage"] += streams["memory"][:, 3].mean(dim=(1, 2)).tolist()
            elif self.has_memory:  # memory off: empty, as when nothing has been seen yet
                streams["memory"] = torch.zeros((len(batch["target"]), 4, *batch["target"].shape[-2:]))
            out = to_unit(self.generate(batch["context"], batch["actions"], cfg.seed + i, **streams).numpy())
            target = to_unit(batch["target"].numpy())
            last = to_unit(batch["context"][:, -3:].numpy())  # (B, 3, H, W): the previous real frame
            scores["psnr"] += list(np.atleast_1d(psnr(out, target)))
            scores["psnrBase"] += list(np.atleast_1d(psnr(last, target)))
            scores["ssim"] += list(np.atleast_1d(ssim(out, target)))
            scores["ssimBase"] += list(np.atleast_1d(ssim(last, target)))
        report: dict[str, Any] = {
            "psnr1": mean_psnr(scores["psnr"]), "psnr1Baseline": mean_psnr(scores["psnrBase"]),
            "ssim1": float(np.mean(scores["ssim"])), "ssim1Baseline": float(np.mean(scores["ssimBase"])),
            "samples1": int(len(picks)), "memory": self.memory_mode,
        }
        if self.memory_on:
            report["memoryCoverage1"] = float(np.mean(scores["coverage"]))
        return report

    def rollout_starts(self, data: FrameDataset, length: int) -> list[tuple[int, int]]:
        """Up to `rollouts` distinct (episode, first generated tick t0) with room for `length` ticks."""
        starts = [(e, t0) for e, ep in enumerate(data.episodes) for t0 in range(self.k, ep.ticks - length + 1)]
        if not starts:
            return []
        rng = np.random.default_rng(self.config.seed + 1)
        picks = rng.choice(len(starts), size=min(self.config.rollouts, len(starts)), replace=False)
        return [starts[i] for i in sorted(picks)]

    def rollout(self, data: FrameDataset, starts: list[tuple[int, int]], length: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(generated, real, baseline), each (R, length, 3, H, W) in [-1, 1]."""
        k, eps = self.k, data.episodes
        real = np.stack([frames_to_model(eps[e].frames[t0 : t0 + length]) for e, t0 in starts])
        context = torch.from_numpy(np.stack([
            frames_to_model(eps[e].frames[t0 - k : t0]).reshape(3 * k, *real.shape[-2:]) for e, t0 in starts
        ]))  # (R, 3K, H, W)
        baseline = np.repeat(context[:, None, -3:].numpy(), length, axis=1)  # last real frame, repeated
        config = self.model.config
        memories: list[SpatialMemory] = []
        if self.memory_on:  # each rollout's memory starts with the real frames 0..t0-1, as in training
            camera = memory_camera(config)
            for e, t0 in starts:
                mem = SpatialMemory(camera)
                for s in range(t0):
                    mem.insert(frames_to_model(eps[e].frames[s]), np.asarray(eps[e].depth[s], np.float32),
                               eps[e].poses[s], s - t0 + 1)
                memories.append(mem)
        generated = []
        for n in range(length):
            # actions that led into frames t-K+1..t for t = t0 + n
            actions = torch.from_numpy(np.stack([eps[e].encoded[t0 + n - k + 1 : t0 + n + 1] for e, t0 in starts]))
            streams: dict[str, torch.Tensor] = {}
            if "depth" in self.streams:
                streams["depth"] = torch.from_numpy(np.stack([
                    depth_to_model(eps[e].depth[t0 + n], config.camera.far) for e, t0 in starts]))
            if self.memory_on:  # each memory rendered at the tick's recorded pose and depth
                streams["memory"] = torch.from_numpy(np.stack([
                    mem.render(eps[e].poses[t0 + n], np.asarray(eps[e].depth[t0 + n], np.float32))
                    for mem, (e, t0) in zip(memories, starts)]))
            elif self.has_memory:  # memory off: empty
                streams["memory"] = torch.zeros((len(starts), 4, *real.shape[-2:]))
            frame = self.generate(context, actions, self.config.seed + 1000 + n, **streams)
            generated.append(frame.numpy())
            for mem, (e, t0), f in zip(memories, starts, generated[-1]):  # the rollout remembers what it made
                mem.insert(f, np.asarray(eps[e].depth[t0 + n], np.float32), eps[e].poses[t0 + n], n + 1,
                           painted=True)
            context = torch.cat([context[:, 3:], frame], dim=1)  # drop the oldest, append the new frame
        return np.stack(generated, axis=1), real, baseline

    def rollouts(self, data: FrameDataset, strip: Optional[str] = None) -> dict[str, Any]:
        horizons = sorted(self.config.horizons)
        longest = max(ep.ticks - self.k for ep in data.episodes)
        length = max([h for h in horizons if h <= longest], default=0)
        report: dict[str, Any] = {}
        for h in horizons:
            report[f"psnr{h}"] = report[f"psnr{h}Baseline"] = None
        report[f"detailRatio{horizons[-1]}"] = None
        starts = self.rollout_starts(data, length) if length else []
        report["rollouts"], report["rolloutTicks"] = len(starts), length
        if not starts:
            return report
        generated, real, baseline = self.rollout(data, starts, length)
        gen_u, real_u, base_u = to_unit(generated), to_unit(real), to_unit(baseline)
        for h in horizons:
            if h <= length:
                report[f"psnr{h}"] = mean_psnr(np.atleast_1d(psnr(gen_u[:, h - 1], real_u[:, h - 1])))
                report[f"psnr{h}Baseline"] = mean_psnr(np.atleast_1d(psnr(base_u[:, h - 1], real_u[:, h - 1])))
        if horizons[-1] <= length:
            h = horizons[-1]
            report[f"detailRatio{h}"] = float(np.mean(gradient_energy(gen_u[:, h - 1]))
                                              / max(np.mean(gradient_energy(real_u[:, h - 1])), 1e-12))
        if strip:
            ticks = [t for t in self.config.strip_ticks if t <= length]
            rows = []
            for r in range(min(self.config.strip_rollouts, len(starts))):
                rows.append([to_uint8(real[r, t - 1]) for t in ticks])
                rows.append([to_uint8(generated[r, t - 1]) for t in ticks])
            write_png(strip, image_grid(rows, scale=2 if real.shape[-1] <= 64 else 1))
        return report

    def evaluate(self, data: FrameDataset, strip: Optional[str] = None) -> dict[str, Any]:
        report = self.one_step(data)
        report.update(self.rollouts(data, strip))
        return report


def main() -> None:
    d = EvalConfig()
    parser = argparse.ArgumentParser(description="Evaluate a checkpoint (one step, rollouts, detail).")
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--data", required=True, help="dataset folder or pack (ideally held-out episodes)")
    parser.add_argument("--out", required=True, help="report JSON")
    parser.add_argument("--strip", help="PNG: real vs rollout rows over ticks")
    parser.add_argument("--split", choices=["all", "train", "heldout"], default="all",
                        help="which episodes of --data (the trainer's split by name hash; default all)")
    parser.add_argument("--heldout-fraction", type=float, default=None, help="split fraction (default: the run's)")
    parser.add_argument("--samples", type=int, default=d.samples)
    parser.add_argument("--rollouts", type=int, default=d.rollouts)
    parser.add_argument("--seed", type=int, default=d.seed)
    parser.add_argument("--memory", choices=["on", "off"], default="on",
                        help="models with a memory stream: on (default) feeds the spatial memory of the real frames "
                             "before each sample / rollout start, then of the rollout's own frames; off feeds an "
                             "empty memory")
    args = parser.parse_args()

    torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
    model, ckpt = load_checkpoint(args.checkpoint)
    episodes = load_episodes(args.data, model.config)
    if args.split != "all":
        fraction = args.heldout_fraction
        if fraction is None:
            fraction = ckpt.get("trainConfig", {}).get("heldout_fraction", 0.1)
        train, held = split_episodes(episodes, fraction)
        episodes = held if args.split == "heldout" else train
    config = EvalConfig(samples=args.samples, rollouts=args.rollouts, seed=args.seed, memory=args.memory == "on")
    # The model's streams; with memory off the dataset need not render any.
    streams = tuple(s for s in model.config.stream_names if s != "memory" or config.memory)
    data = FrameDataset(episodes, model.config.context_frames, dataclasses.replace(model.config, streams=streams),
                        log=print)
    report = Evaluator(model, config).evaluate(data, args.strip)
    report.update({
        "episodes": len(episodes), "episodeNames": [e.name for e in episodes],
        "checkpointStep": ckpt.get("step"), "sampler": f"{model.config.sampler.method} x{model.config.sampler.steps}",
        "seed": args.seed,
    })
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    print(json.dumps({k: v for k, v in report.items() if k != "episodeNames"}))


if __name__ == "__main__":
    main()
