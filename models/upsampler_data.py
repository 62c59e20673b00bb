"""Training data of the display upsampler: memory-mapped dump folders, aligned random crops.

    /usr/bin/python3 -m models.upsampler_data data/upsampler-train          # check a folder: sizes, coverage, baselines
    /usr/bin/python3 -m models.upsampler_data --synthetic runs/ups-synth --samples 64   # a synthetic folder

A folder, as the TypeScript dump writes it:

| file | dtype, shape | what |
|---|---|---|
| `frame.npy` | uint8 (N, H, W, 3) | the world model's frames as painted |
| `memory.npy` | uint8 (N, sH, sW, 4) | display memory render: RGB round((v + 1)·127.5), coverage 0/255 |
| `depth.npy` | float16 (N, H, W) | proxy depth, already clamp(d / far, 0, 1)·2 - 1 |
| `truth.npy` | uint8 (N, sH, sW, 3) | the real view at display resolution |
| `meta.json` | | {"scale", "width", "height" (the model frame), "samples", "source"; "far" or "camera": {"far"} optional} |

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
    cover = (mem[:, 3:] >= 128).float()
    rgb = (mem[:, :3] / 127.5 - 1) * cover  # 0 where uncovered, as the runtime feeds it
    truth = torch.from_numpy(crops("truth", s)).permute(0, 3, 1, 2).float() / 127.5 - 1  # (B, 3, s·hs, s·ws)
    depth = torch.from_numpy(crops("depth", 1).astype(np.float32))[:, None]  # (B, 1, hs, ws)
    ys = torch.tensor([s * y0 for _, _, y0, _ in windows])[:, None] + torch.arange(s * hs)  # (B, s·hs)
    xs = torch.tensor([s * x0 for _, _, _, x0 in windows])[:, None] + torch.arange(s * ws)  # (B, s·ws)
    ry, rx = _resample(h, s)[ys], _resample(w, s)[xs]  # (B, s·hs, H), (B, s·ws, W)
    base = ry[:, None] @ frames @ rx[:, None].transpose(-1, -2)  # (B, 3, s·hs, s·ws): the full frame's bicubic, cropped
    frame = torch.stack([frames[b, :, y0: y0 + hs, x0: x0 + ws] for b, (_, _, y0, x0) in enumerate(windows)])
    return {"base": base, "memory": torch.cat([rgb, cover], dim=1), "frame": frame, "depth": depth, "truth": truth}


class UpsamplerData:
    """Folders -> train/held-out (folder, sample) pairs, random crop batches, whole held-out samples."""

    def __init__(self, paths: list[str], config: DataConfig = DataConfig()) -> None:
        self.config = config
        self.folders = [Folder(p) for p in paths]
        shapes = {(f.scale, f.width, f.height) for f in self.folders}
        if len(shapes) != 1:
            raise ValueError(f"UpsamplerData: folders differ in (scale, width, height): {sorted(shapes)}")
        self.scale, self.width, self.height = shapes.pop()
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
    """The no-learning baseline: the memory render where covered, the bicubic base elsewhere."""
    cover = memory[:, 3:]
    return cover * memory[:, :3] + (1 - cover) * base


def write_synthetic(path: str, samples: int = 32, width: int = 16, height: int = 16, scale: int = 4,
                    seed: int = 0) -> None:
    """A folder in the dump's format: smooth colour fields with fine stripes as truth, its box
    average (+ noise) as the frame, the truth (+ noise) over random rectangles as memory."""
    rng = np.random.default_rng(seed)
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
        memory[n, ..., :3] = np.where(cover[..., None], np.clip(np.round(t + rng.normal(0, 3, t.shape)), 0, 255), 128)
        memory[n, ..., 3] = cover * 255
        depth[n] = np.clip(rng.uniform(-1, 1) + 0.02 * np.arange(width)[None, :], -1, 1)
    os.makedirs(path, exist_ok=True)
    for name, a in (("frame", frame), ("memory", memory), ("depth", depth), ("truth", truth)):
        np.save(os.path.join(path, f"{name}.npy"), a)
    meta = {"scale": scale, "width": width, "height": height, "samples": samples, "far": 60,
            "source": f"models.upsampler_data.write_synthetic(seed={seed})"}
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
    args = parser.parse_args()
    if args.synthetic:
        write_synthetic(args.synthetic, args.samples, args.size, args.size)
        print(f"wrote {args.synthetic}")
        return
    data = UpsamplerData(args.folders)
    print(f"{len(data.folders)} folder(s), {data.width}x{data.height} x{data.scale}, "
          f"{len(data.train)} train + {len(data.heldout)} held-out samples, far {data.far}")
    held = data.heldout_batch(64) if data.heldout else None
    if held is not None:
        truth = to_unit(held["truth"].numpy())
        for name, img in (("bicubic", held["base"]), ("warp", warp(held["base"], held["memory"]))):
            print(f"  held-out PSNR {name}: {mean_psnr(psnr(to_unit(img.clamp(-1, 1).numpy()), truth)):.2f} dB")
        print(f"  memory coverage: {held['memory'][:, 3].mean().item():.3f}")


if __name__ == "__main__":
    main()
