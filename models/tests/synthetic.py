"""A synthetic dataset in exactly the recorder's format, whose next frame follows from the action.

    /usr/bin/python3 -m models.tests.synthetic OUT_DIR [--episodes 6 --ticks 48 --size 32]

Each episode looks at a window of a wrapping random texture. The forward action scrolls
the view vertically and the yaw action horizontally, one pixel per action bin, so frame
t is frame t-1 shifted by the (quantised) action plus a strip of texture coming into
view. Raw actions carry jitter inside their bins, which the encoding removes. Enough
structure for a short training run to learn measurably; small enough for tests.
"""
from __future__ import annotations

import argparse
import json
import os
from typing import Sequence

import numpy as np

from models.actions import DEFAULT_ACTION_LAYOUT, ActionSlot
from models.dataset import EPISODE_FORMAT, EPISODE_FORMAT_VERSION

FORWARD, YAW = 0, 3  # slots that move the view
MAX_SHIFT = 2  # pixels per tick (bins from the centre) the policy uses


def texture(rng: np.random.Generator, size: int) -> np.ndarray:
    """Wrapping (size, size, 3) uint8 texture: smooth colour blobs with some mid-frequency detail."""
    f = np.fft.fftfreq(size)
    radius = np.sqrt(f[:, None] ** 2 + f[None, :] ** 2)
    amplitude = 1.0 / (1.0 + (radius * size / 3.0) ** 2)  # a 1/f^2-like spectrum
    channels = []
    for _ in range(3):
        spectrum = amplitude * np.exp(2j * np.pi * rng.random((size, size)))
        c = np.fft.ifft2(spectrum).real
        channels.append((c - c.min()) / (c.max() - c.min() + 1e-9))
    img = np.stack(channels, axis=-1)
    return np.round(img * 230 + 12).astype(np.uint8)


def bin_value(slot: ActionSlot, step: int) -> float:
    """The raw value at the centre of bin `step` from the middle (axis slots)."""
    return step * 2.0 * slot.scale / (slot.bins - 1)


def write_episode(
    folder: str, seed: int, ticks: int, width: int, height: int,
    layout: Sequence[ActionSlot] = DEFAULT_ACTION_LAYOUT, tick_hz: int = 20,
) -> None:
    rng = np.random.default_rng(seed)
    tex = texture(rng, 2 * max(width, height))
    n = tex.shape[0]
    a = len(layout)
    actions = np.zeros((ticks, a), np.float32)
    frames = np.zeros((ticks, height, width, 3), np.uint8)
    poses = np.zeros((ticks, 5), np.float32)
    y = x = 0
    move = (0, 0)
    for t in range(ticks):
        if t > 0:
            if t == 1 or rng.random() < 0.25:  # piecewise-constant moves, like a wandering player
                move = tuple(int(v) for v in rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, size=2))
            half_bin = [layout[s].scale / (layout[s].bins - 1) * 0.5 for s in (FORWARD, YAW)]
            actions[t, FORWARD] = bin_value(layout[FORWARD], move[0]) + rng.uniform(-0.6, 0.6) * half_bin[0]
            actions[t, YAW] = bin_value(layout[YAW], move[1]) + rng.uniform(-0.6, 0.6) * half_bin[1]
            y, x = y - move[0], x + move[1]  # forward: the view moves up the texture
        rows = (np.arange(height) + y) % n
        cols = (np.arange(width) + x) % n
        frames[t] = tex[rows[:, None], cols[None, :]]
        poses[t] = (x * 0.1, 1.6, y * 0.1, x * 0.0625, 0.0)
    depth = np.full((ticks, height, width), 5.0, np.float16) + np.linspace(0, 1, height, dtype=np.float16)[:, None]
    meta = {
        "format": EPISODE_FORMAT, "formatVersion": EPISODE_FORMAT_VERSION, "scene": "synthetic", "seed": seed,
        "policy": "wander", "tickHz": tick_hz, "ticks": ticks, "resolution": {"width": width, "height": height},
        "camera": {"fovYDegrees": 70, "aspect": width / height, "near": 0.05, "far": 60},
        "actions": [{"name": s.name, "kind": s.kind, "unit": s.unit, "scale": s.scale, "bins": s.bins} for s in layout],
    }
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f)
    for name, arr in (("frames", frames), ("depth", depth), ("poses", poses), ("actions", actions)):
        np.save(os.path.join(folder, f"{name}.npy"), arr)


def add_display(folder: str, factor: int) -> np.ndarray:
    """Give an episode folder display frames `factor` times its resolution (each pixel repeated in a
    factor x factor block, so they average down to frames.npy exactly); returns them."""
    frames = np.load(os.path.join(folder, "frames.npy"))  # (T, H, W, 3)
    display = frames.repeat(factor, axis=1).repeat(factor, axis=2)  # (T, H*f, W*f, 3)
    np.save(os.path.join(folder, "display.npy"), display)
    with open(os.path.join(folder, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    meta["display"] = {"width": display.shape[2], "height": display.shape[1]}
    with open(os.path.join(folder, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f)
    return display


def write_synthetic_dataset(
    root: str, episodes: int = 6, ticks: int = 48, width: int = 32, height: int = 32, seed: int = 0
) -> list[str]:
    """Writes root/episode-<seed:06d>/ folders; returns their paths."""
    paths = []
    for i in range(episodes):
        path = os.path.join(root, f"episode-{seed + i:06d}")
        write_episode(path, seed + i, ticks, width, height)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic dataset in the recorder's format.")
    parser.add_argument("out")
    parser.add_argument("--episodes", type=int, default=6)
    parser.add_argument("--ticks", type=int, default=48)
    parser.add_argument("--size", type=int, default=32, help="width and height")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    paths = write_synthetic_dataset(args.out, args.episodes, args.ticks, args.size, args.size, args.seed)
    print(f"wrote {len(paths)} episodes to {args.out}")


if __name__ == "__main__":
    main()
