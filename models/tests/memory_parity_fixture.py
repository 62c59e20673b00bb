"""Writes tests/fixtures/memory-parity/: models/memory.py's renders of a real episode, which
tests/worldmodel/SpatialMemory.parity.test.ts reproduces with worldmodel/SpatialMemory.ts.

    /usr/bin/python3 -m models.tests.memory_parity_fixture

Inputs are the first TICKS ticks of the shipped held-out episode EPISODE. For each t,
expected[t] is the float render (4, H, W) at pose t with depth t of a store holding frames
0 .. t-1 (what episode_memory quantises to uint8), then frame t is inserted as episode_memory
inserts it (uint8 / 127.5 - 1, in float32), as a painted frame when painted[t] (odd ticks
from 4 on: their confidence then steers the lookup and the eviction, and is compared too).
CONFIG uses a small capacity so that eviction (of repeated views, and of the least confident
or oldest) happens within the few ticks and is compared too.

The output is deterministic; models/tests/test_memory.py checks the committed files are current.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict

import numpy as np

from models.memory import MemoryCamera, MemoryConfig, SpatialMemory

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EPISODE = os.path.join(REPO_ROOT, "public", "models", "arena", "heldout", "episode-900000")
FIXTURE = os.path.join(REPO_ROOT, "tests", "fixtures", "memory-parity")
TICKS = 24  # 40 would make expected.npy alone 2.6 MB; 24 keeps the folder near 2.3 MB
CONFIG = MemoryConfig(capacity=8, keep_recent=4)
PAINTED = [t >= 4 and t % 2 == 1 for t in range(TICKS)]


def load_inputs(episode: str = EPISODE, ticks: int = TICKS) -> tuple[dict[str, np.ndarray], MemoryCamera]:
    """{"frames" uint8 (T, H, W, 3), "depth" float32 (T, H, W), "poses" float32 (T, 5)} and the camera."""
    with open(os.path.join(episode, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    res, cam = meta["resolution"], meta["camera"]
    camera = MemoryCamera(res["width"], res["height"], cam["fovYDegrees"], cam["near"], cam["far"])
    arrays = {
        "frames": np.ascontiguousarray(np.load(os.path.join(episode, "frames.npy"))[:ticks], dtype=np.uint8),
        "depth": np.ascontiguousarray(np.load(os.path.join(episode, "depth.npy"))[:ticks], dtype=np.float32),
        "poses": np.ascontiguousarray(np.load(os.path.join(episode, "poses.npy"))[:ticks], dtype=np.float32),
    }
    return arrays, camera


def render_sequence(frames: np.ndarray, depth: np.ndarray, poses: np.ndarray, camera: MemoryCamera,
                    config: MemoryConfig = CONFIG, painted: list[bool] = PAINTED) -> tuple[np.ndarray, list[list[int]]]:
    """Float renders (T, 4, H, W) float32, render t from frames 0 .. t-1, and the store's ticks after
    each insert (frame t inserted as painted when painted[t])."""
    mem = SpatialMemory(camera, config)
    out = np.zeros((frames.shape[0], 4, camera.height, camera.width), np.float32)
    ticks: list[list[int]] = []
    for t in range(frames.shape[0]):
        out[t] = mem.render(poses[t], depth[t])
        mem.insert(np.moveaxis(np.asarray(frames[t], np.float32), -1, 0) / 127.5 - 1, depth[t], poses[t], t,
                   painted=painted[t])
        ticks.append(list(mem.ticks))
    return out, ticks


def build() -> tuple[dict[str, np.ndarray], dict]:
    """The fixture's arrays (inputs and "expected") and meta.json, computed now."""
    arrays, camera = load_inputs()
    expected, ticks = render_sequence(arrays["frames"], arrays["depth"], arrays["poses"], camera)
    meta = {
        "source": os.path.relpath(EPISODE, REPO_ROOT),
        "ticks": TICKS,
        "camera": {"width": camera.width, "height": camera.height, "fovYDegrees": camera.fov_y_degrees,
                   "near": camera.near, "far": camera.far},
        "options": {"capacity": CONFIG.capacity, "keepRecent": CONFIG.keep_recent,
                    "nearMetres": CONFIG.near_metres, "nearDegrees": CONFIG.near_degrees,
                    "depthTolerance": CONFIG.depth_tolerance, "depthSlack": CONFIG.depth_slack,
                    "paintedDecay": CONFIG.painted_decay, "paintedFresh": CONFIG.painted_fresh,
                    "resolutionSlack": CONFIG.resolution_slack, "objectPrior": CONFIG.object_prior},
        "painted": PAINTED,
        "storeTicks": ticks,
        "meanCoverage": round(float(expected[:, 3].mean()), 6),
    }
    assert set(asdict(CONFIG)) == {"capacity", "keep_recent", "near_metres", "near_degrees", "depth_tolerance",
                                   "depth_slack", "painted_decay", "painted_fresh", "resolution_slack",
                                   "object_prior"}, \
        "MemoryConfig changed: update meta['options']"
    return {**arrays, "expected": expected}, meta


def meta_json(meta: dict) -> str:
    """meta.json's text: indented, with each list of numbers or booleans on one line."""
    text = json.dumps(meta, indent=2)
    return re.sub(r"\[(?:\s*(?:\d+|true|false),?)*\s*\]", lambda m: re.sub(r"\s+", "", m.group(0)).replace(",", ", "), text) + "\n"


def main() -> None:
    arrays, meta = build()
    os.makedirs(FIXTURE, exist_ok=True)
    for name, a in arrays.items():
        np.save(os.path.join(FIXTURE, f"{name}.npy"), a)
    with open(os.path.join(FIXTURE, "meta.json"), "w", encoding="utf-8") as f:
        f.write(meta_json(meta))
    size = sum(os.path.getsize(os.path.join(FIXTURE, n)) for n in os.listdir(FIXTURE))
    print(f"wrote {FIXTURE} ({size / 1e6:.2f} MB, mean coverage {meta['meanCoverage']:.3f})")


if __name__ == "__main__":
    main()
