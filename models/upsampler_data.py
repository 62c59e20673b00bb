"""Training data of the display upsampler: memory-mapped dump folders, aligned random crops.

    /usr/bin/python3 -m models.upsampler_data data/upsampler-train          # check a folder: sizes, coverage, baselines
    /usr/bin/python3 -m models.upsampler_data --synthetic runs/ups-synth --samples 64   # a synthetic folder

A folder, as the TypeScript dump writes it:

| file | dtype, shape | what |
|---|---|---|
| `frame.npy` | uint8 (N, H, W, 3) | the world model's frames as painted |
| `memory.npy` | uint8 (N, sH, sW, 4) | display memory render: RGB round((v + 1)·127.5), then per `memoryChannel` coverage 0/255, or confidence: 0 uncovered, else clamp(round(c·255), 1, 255) |
| `depth.npy` | float16 (N, H, W) | proxy depth, already clamp(d / far, 0, 1)·2 - 1 |
| `truth.npy` | uint8 (N, sH, sW, 3) | the real view at display resolution |
| `meta.json` | | {"scale", "width", "height" (the model frame), "samples", "source"; "far" or "camera": {"far"} optional; "memoryChannel": "coverage" (absent: older folders) or "confidence"} |

In both kinds memory channel 3 > 0 means covered. The net's memory input is RGB in [-1, 1] (0 where
uncovered) and channel 3 / 255 (coverage {0, 1} or confidence [0, 1]); the warp baseline uses
coverage alone (memory where covered, bicubic elsewhere), whatever the kind.

A crop of `crop`×`crop` model pixels is the `scale`× larger display crop at the same place;
its `base` is the bicubic upsample of the whole frame, cropped (rows of the resampling
matrices, models/bicubic.py), so crop borders see the same taps as the full frame. The
held-out split is by sample index: the last `heldout_fraction` of each folder's samples
(a block, since neighbouring samples are near-identical frames of one recording).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
from dataclasses import dataclass
from typing import Optional

import numpy as np
import torch

from models.bicubic import bicubic_upsample, resample_matrix
from models.upsampler import MEMORY_CHANNELS

NAMES = ("frame", "memory", "depth", "truth")


@functools.lru_cache(maxsize=8)
def _resample(size: int, scale: int) -> torch.Tensor:
    return resample_matrix(size, scale)  # read-only: callers index it, never write


@dataclass(frozen=True)
class DataConfig:
    crop: int = 16  # model pixels per side of a training crop (display: crop·scale)
    heldout_fraction: float = 0.1  # the last share of each folder's samples
    memory_dropout: float = 0.1  # share of crops whose memory is emptied (places never seen)
    flip: bool = True  # random horizontal flips (bicubic commutes with them)


class Folder:
    """One dump folder, memory-mapped and checked against its meta.json."""

    def __init__(self, path: str) -> None:
        self.path = path
        with open(os.path.join(path, "meta.json"), encoding="utf-8") as f:
            self.meta = json.load(f)
        self.scale, self.width, self.height = (int(self.meta[k]) for k in ("scale", "width", "height"))
        self.arrays = {n: np.load(os.path.join(path, f"{n}.npy"), mmap_mode="r") for n in NAMES}
        n, s, h, w = len(self.arrays["frame"]), self.scale, self.height, self.width
        expected = {"frame": ((n, h, w, 3), np.uint8), "memory": ((n, s * h, s * w, 4), np.uint8),
                    "depth": ((n, h, w), np.float16), "truth": ((n, s * h, s * w, 3), np.uint8)}
        for name, (shape, dtype) in expected.items():
            a = self.arrays[name]
            if a.shape != shape or a.dtype != dtype:
                raise ValueError(f"Folder: {path}/{name}.npy is {a.dtype} {a.shape}, expected {np.dtype(dtype)} "
                                 f"{shape} (meta.json: scale {s}, {w}x{h}); re-dump the folder")
        if int(self.meta.get("samples", n)) != n:
            raise ValueError(f"Folder: {path}/meta.json says {self.meta['samples']} samples, the arrays hold {n}")
        self.samples = n
        # Folders dumped before confidence existed have no key and hold coverage.
        self.memory_channel = str(self.meta.get("memoryChannel", "coverage"))
        if self.memory_channel not in MEMORY_CHANNELS:
            raise ValueError(f"Folder: {path}/meta.json has memoryChannel {self.memory_channel!r}, expected one of "
                             f"{MEMORY_CHANNELS}; re-dump the folder with upsampler-data --memory-channel")

    @property
    def far(self) -> Optional[float]:
        far = self.meta.get("far", self.meta.get("camera", {}).get("far"))
        return None if far is None else float(far)


Window = tuple["Folder", int, int, int]  # (folder, sample, y0, x0): top-left corner in model pixels


def decode(windows: list[Window], size: Optional[int] = None) -> dict[str, torch.Tensor]:
    """Windows of `size`×`size` model pixels (whole frames without size) of samples of folders that
    share one shape, as the net's inputs in [-1, 1] plus `truth`, stacked: base/memory/truth
    (B, ·, s·size, s·size), frame/depth (B, ·, size, size)."""
    f0 = windows[0][0]
    s, h, w = f0.scale, f0.height, f0.width
    hs, ws = (h, w) if size is None else (size, size)

    def crops(name: str, k: int) -> np.ndarray:  # k: pixels per model pixel in that array
        return np.stack([f.arrays[name][j, k * y0: k * (y0 + hs), k * x0: k * (x0 + ws)] for f, j, y0, x0 in windows])

    frames = torch.from_numpy(np.stack([f.arrays["frame"][j] for f, j, _, _ in windows]))  # (B, H, W, 3) uint8
    frames = frames.permute(0, 3, 1, 2).float() / 127.5 - 1  # (B, 3, H, W)
    mem = torch.from_numpy(crops("memory", s)).permute(0, 3, 1, 2).float()  # (B, 4, s·hs, s·ws)
    # Channel 3 as written (coverage 0/255 -> {0, 1}, confidence -> [0, 1]); covered is > 0 in both.
    channel = mem[:, 3:] / 255
    rgb = (mem[:, :3] / 127.5 - 1) * (mem[:, 3:] > 0)  # 0 where uncovered, as the runtime feeds it
    truth = torch.from_numpy(crops("truth", s)).permute(0, 3, 1, 2).float() / 127.5 - 1  # (B, 3, s·hs, s·ws)
    depth = torch.from_numpy(crops("depth", 1).astype(np.float32))[:, None]  # (B, 1, hs, ws)
    ys = torch.tensor([s * y0 for _, _, y0, _ in windows])[:, None] + torch.arange(s * hs)  # (B, s·hs)
    xs = torch.tensor([s * x0 for _, _, _, x0 in windows])[:, None] + torch.arange(s * ws)  # (B, s·ws)
    ry, rx = _resample(h, s)[ys], _resample(w, s)[xs]  # (B, s·hs, H), (B, s·ws, W)
    base = ry[:, None] @ frames @ rx[:, None].transpose(-1, -2)  # (B, 3, s·hs, s·ws): the full frame's bicubic, cropped
    frame = torch.stack([frames[b, :, y0: y0 + hs, x0: x0 + ws] for b, (_, _, y0, x0) in enumerate(windows)])
    return {"base": base, "memory": torch.cat([rgb, channel], dim=1), "frame": frame, "depth": depth, "truth": truth}


class UpsamplerData:
    """Folders -> train/held-out (folder, sample) pairs, random crop batches, whole held-out samples."""

    def __init__(self, paths: list[str], config: DataConfig = DataConfig()) -> None:
        self.config = config
        self.folders = [Folder(p) for p in paths]
        shapes = {(f.scale, f.width, f.height) for f in self.folders}
        if len(shapes) != 1:
            raise ValueError(f"UpsamplerData: folders differ in (scale, width, height): {sorted(shapes)}")
        self.scale, self.width, self.height = shapes.pop()
        # One net reads one kind: a 1 in coverage data is any covered pixel, painted or real, and in
        # confidence data only a real frame's, so mixed folders would blur what the net can learn from it.
        kinds = {f.memory_channel for f in self.folders}
        if len(kinds) != 1:
            listed = ", ".join(f"{f.path}: {f.memory_channel}" for f in self.folders)
            raise ValueError(f"UpsamplerData: folders must share one memoryChannel, found {listed}; regenerate them "
                             f"with the same `upsampler-data --memory-channel` (coverage or confidence)")
        self.memory_channel: str = kinds.pop()
        if config.crop > min(self.width, self.height):
            raise ValueError(f"UpsamplerData: crop {config.crop} exceeds the {self.width}x{self.height} frame")
        self.train: list[tuple[int, int]] = []
        self.heldout: list[tuple[int, int]] = []
        for i, f in enumerate(self.folders):
            held = int(round(f.samples * config.heldout_fraction)) if f.samples > 1 else 0
            self.train += [(i, j) for j in range(f.samples - held)]
            self.heldout += [(i, j) for j in range(f.samples - held, f.samples)]
        if not self.train:
            raise ValueError(f"UpsamplerData: no training samples in {paths}")

    @property
    def far(self) -> Optional[float]:
        fars = {f.far for f in self.folders if f.far is not None}
        return fars.pop() if len(fars) == 1 else None

    def batch(self, size: int, rng: np.random.Generator) -> dict[str, torch.Tensor]:
        """`size` random training crops, stacked: base/memory/truth (B, ·, c·s, c·s), frame/depth (B, ·, c, c)."""
        c, cfg = self.config.crop, self.config
        windows = []
        for k in rng.integers(0, len(self.train), size):
            i, j = self.train[k]
            windows.append((self.folders[i], j, int(rng.integers(0, self.height - c + 1)),
                            int(rng.integers(0, self.width - c + 1))))
        batch = decode(windows, c)
        empty = torch.from_numpy(rng.random(size) < cfg.memory_dropout)  # (B,)
        batch["memory"][empty] = 0.0
        flip = torch.from_numpy(rng.random(size) < (0.5 if cfg.flip else 0.0))  # (B,)
        return {n: torch.where(flip.view(-1, 1, 1, 1), t.flip(-1), t) for n, t in batch.items()}

    def heldout_batch(self, count: int) -> dict[str, torch.Tensor]:
        """Up to `count` whole held-out samples, evenly spaced over the split (fixed)."""
        picks = np.unique(np.linspace(0, len(self.heldout) - 1, min(count, len(self.heldout))).round().astype(int))
        return decode([(self.folders[self.heldout[k][0]], self.heldout[k][1], 0, 0) for k in picks])


def warp(base: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
    """The no-learning baseline: the memory render where covered, the bicubic base elsewhere.
    Covered is channel 3 > 0, so with confidence memory painted frames are copied in full too."""
    return torch.where(covered(memory), memory[:, :3], base)


def covered(memory: torch.Tensor) -> torch.Tensor:
    """(B, 4, sH, sW) memory input -> (B, 1, sH, sW) bool: covered, for either memory channel kind."""
    return memory[:, 3:] > 0


def write_synthetic(path: str, samples: int = 32, width: int = 16, height: int = 16, scale: int = 4,
                    seed: int = 0, memory_channel: str = "coverage") -> None:
    """A folder in the dump's format: smooth colour fields with fine stripes as truth, its box
    average (+ noise) as the frame, the truth (+ noise) over random rectangles as memory.

    With memory_channel "confidence" each sample's rectangle is a real frame (confidence 1) or,
    for half of them, a painted one (confidence 0.2-0.9) with noisier RGB; coverage data is the
    same as before for a seed."""
    if memory_channel not in MEMORY_CHANNELS:
        raise ValueError(f"write_synthetic: memory_channel must be one of {MEMORY_CHANNELS}, found {memory_channel!r}")
    rng = np.random.default_rng(seed)
    painted_rng = np.random.default_rng([seed, 1])  # its own stream: the other arrays do not depend on the kind
    sh, sw = height * scale, width * scale
    yy, xx = np.meshgrid(np.arange(sh), np.arange(sw), indexing="ij")
    truth = np.zeros((samples, sh, sw, 3), np.uint8)
    memory = np.zeros((samples, sh, sw, 4), np.uint8)
    frame = np.zeros((samples, height, width, 3), np.uint8)
    depth = np.zeros((samples, height, width), np.float16)
    for n in range(samples):
        f = rng.uniform(0.05, 0.5, (3, 2))
        p = rng.uniform(0, 2 * np.pi, 3)
        img = np.stack([0.5 + 0.3 * np.sin(f[c, 0] * xx + f[c, 1] * yy + p[c]) for c in range(3)], -1)  # (sH, sW, 3)
        img += 0.15 * np.sign(np.sin(rng.uniform(0.8, 1.5) * xx))[..., None]  # detail finer than a model pixel
        t = np.clip(np.round(img * 255), 0, 255)
        truth[n] = t
        low = t.reshape(height, scale, width, scale, 3).mean(axis=(1, 3))
        frame[n] = np.clip(np.round(low + rng.normal(0, 4, low.shape)), 0, 255)
        y0, x0 = rng.integers(0, sh // 2, 2)
        cover = np.zeros((sh, sw), bool)
        cover[y0: y0 + sh // 2, x0: x0 + sw // 2] = True
        conf = 1.0
        if memory_channel == "confidence" and painted_rng.random() < 0.5:
            conf = float(painted_rng.uniform(0.2, 0.9))
        noise = rng.normal(0, 3, t.shape) * (1 + 5 * (1 - conf))  # painted memory is further from the truth
        memory[n, ..., :3] = np.where(cover[..., None], np.clip(np.round(t + noise), 0, 255), 128)
        memory[n, ..., 3] = cover * int(np.clip(np.round(conf * 255), 1, 255))  # 255 = coverage's "covered"
        depth[n] = np.clip(rng.uniform(-1, 1) + 0.02 * np.arange(width)[None, :], -1, 1)
    os.makedirs(path, exist_ok=True)
    for name, a in (("frame", frame), ("memory", memory), ("depth", depth), ("truth", truth)):
        np.save(os.path.join(path, f"{name}.npy"), a)
    meta = {"scale": scale, "width": width, "height": height, "samples": samples, "far": 60,
            "memoryChannel": memory_channel,
            "source": f"models.upsampler_data.write_synthetic(seed={seed}, memory_channel={memory_channel!r})"}
    with open(os.path.join(path, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")


def main() -> None:
    from models.metrics import mean_psnr, psnr, to_unit

    parser = argparse.ArgumentParser(description="Check an upsampler data folder, or write a synthetic one.")
    parser.add_argument("folders", nargs="*", help="dump folders to check")
    parser.add_argument("--synthetic", help="write a synthetic folder here instead")
    parser.add_argument("--samples", type=int, default=64)
    parser.add_argument("--size", type=int, default=16, help="synthetic model frame size")
    parser.add_argument("--memory-channel", choices=MEMORY_CHANNELS, default="coverage",
                        help="what the synthetic memory's channel 3 holds")
    args = parser.parse_args()
    if args.synthetic:
        write_synthetic(args.synthetic, args.samples, args.size, args.size, memory_channel=args.memory_channel)
        print(f"wrote {args.synthetic}")
        return
    data = UpsamplerData(args.folders)
    print(f"{len(data.folders)} folder(s), {data.width}x{data.height} x{data.scale}, "
          f"{len(data.train)} train + {len(data.heldout)} held-out samples, far {data.far}, "
          f"memory channel {data.memory_channel}")
    held = data.heldout_batch(64) if data.heldout else None
    if held is not None:
        truth = to_unit(held["truth"].numpy())
        for name, img in (("bicubic", held["base"]), ("warp", warp(held["base"], held["memory"]))):
            print(f"  held-out PSNR {name}: {mean_psnr(psnr(to_unit(img.clamp(-1, 1).numpy()), truth)):.2f} dB")
        cover = covered(held["memory"])
        print(f"  memory coverage: {cover.float().mean().item():.3f}")
        if data.memory_channel == "confidence" and cover.any():
            print(f"  mean confidence where covered: {held['memory'][:, 3:][cover].mean().item():.3f}")


if __name__ == "__main__":
    main()
