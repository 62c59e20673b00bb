"""Recorded episodes -> training samples (context frames, actions, next frame).

    /usr/bin/python3 -m models.dataset DIR_OR_PACK [--preset arena]    # check a dataset, print a summary

A dataset is a folder of `episode-<seed:06d>/` folders as the recorder writes them
(meta.json, frames.npy, depth.npy, poses.npy, actions.npy, and display.npy -- the truth at
display resolution -- in episodes recorded with `record --display`; arrays memory-mapped), or a
pack made by `models.pack` (one compressed .npz). Episodes whose meta.json and arrays
disagree, or that do not fit the model (resolution, tick rate, action layout, camera,
too short), are skipped with a printed reason rather than failing the whole run.

A sample for frame t (K <= t < T): context = frames t-K..t-1 (oldest first, stacked on
channels), actions = the encoded actions that led into frames t-K+1..t (the last row is
the action being taken now), target = frame t. Images are float32 in [-1, 1].
Models with streams also get memory = the spatial memory of frames 0..t-1 rendered at
pose t (models/memory.py, computed once per episode when the dataset loads) and depth =
the proxy depth of frame t, normalised.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

import numpy as np
import torch

from models.actions import ActionSlot, encode_actions
from models.config import PRESETS, ModelConfig, get_preset
from models import memory as memory_module
from models.memory import MemoryCamera, depth_to_model, episode_memory, memory_to_model

EPISODE_FORMAT = "nextframe.episode"
EPISODE_FORMAT_VERSION = 1
EPISODE_PREFIX = "episode-"
ARRAY_NAMES = ("frames", "depth", "poses", "actions")
OPTIONAL_ARRAY_NAMES = ("display",)  # present exactly when meta.json has "display"
POSE_DIM = 5  # x, y, z, yaw, pitch
DEFAULT_EYE_HEIGHT = 1.6  # metres: the player's eyes above the floor in episodes whose meta does not say

Log = Callable[[str], None]


@dataclass(frozen=True)
class DatasetConfig:
    heldout_fraction: float = 0.1  # share of episodes held out, chosen by a hash of the episode name


@dataclass
class Episode:
    name: str
    meta: dict[str, Any]
    frames: np.ndarray  # (T, H, W, 3) uint8, row 0 at the top
    depth: np.ndarray  # (T, H, W) float16, metres
    poses: np.ndarray  # (T, 5) float32: x, y, z, yaw, pitch
    actions: np.ndarray  # (T, A) float32 raw; actions[t] led from frame t-1 to frame t
    encoded: Optional[np.ndarray] = None  # (T, A) float32 model inputs, set by check_fits
    display: Optional[np.ndarray] = None  # (T, Hd, Wd, 3) uint8 at meta["display"]'s size, when recorded with it

    @property
    def ticks(self) -> int:
        return int(self.frames.shape[0])


def structure_problem(meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> Optional[str]:
    """Why meta.json and the arrays disagree with each other or the format, or None."""
    if meta.get("format") != EPISODE_FORMAT or meta.get("formatVersion") != EPISODE_FORMAT_VERSION:
        return (f"meta.json format is {meta.get('format')!r} v{meta.get('formatVersion')}, "
                f"expected {EPISODE_FORMAT!r} v{EPISODE_FORMAT_VERSION}")
    try:
        t, w, h = int(meta["ticks"]), int(meta["resolution"]["width"]), int(meta["resolution"]["height"])
        a = len(meta["actions"])
    except (KeyError, TypeError, ValueError) as e:
        return f"meta.json lacks or mangles {e}"
    eye = meta.get("eyeHeight", DEFAULT_EYE_HEIGHT)
    if isinstance(eye, bool) or not isinstance(eye, (int, float)) or not 0 < eye < float("inf"):
        return f"meta.json eyeHeight is {eye!r}, expected metres above the floor (a positive number) or no field (1.6)"
    expected = {
        "frames": (np.uint8, (t, h, w, 3)),
        "depth": (np.float16, (t, h, w)),
        "poses": (np.float32, (t, POSE_DIM)),
        "actions": (np.float32, (t, a)),
    }
    if "display" in meta:
        size = display_size(meta)
        if size is None:
            return (f"meta.json display is {meta['display']!r}, expected {{width, height}}: the resolution "
                    f"{w}x{h} times one integer >= 2 on both sides")
        if "display" not in arrays:
            return "display.npy is missing (meta.json has a display size)"
        expected["display"] = (np.uint8, (t, size[1], size[0], 3))
    elif "display" in arrays:
        return "display.npy is present but meta.json has no display size"
    for key, (dtype, shape) in expected.items():
        arr = arrays[key]
        if arr.dtype != dtype or arr.shape != shape:
            return f"{key}.npy is {arr.dtype} {arr.shape}, expected {np.dtype(dtype)} {shape} from meta.json"
    return None


def display_size(meta: dict[str, Any]) -> Optional[tuple[int, int]]:
    """(width, height) of the episode's display frames (display.npy), or None when it has none
    or its meta's size is not the resolution times one integer >= 2."""
    d = meta.get("display")
    try:
        w, h = int(meta["resolution"]["width"]), int(meta["resolution"]["height"])
        dw, dh = d["width"], d["height"]  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (dw, dh)):
        return None
    f = dw // w
    return (dw, dh) if f >= 2 and dw == w * f and dh == h * f else None


def eye_height(meta: dict[str, Any]) -> float:
    """The player's eye height above the floor in metres; episodes recorded before meta said it stood at 1.6."""
    return float(meta.get("eyeHeight", DEFAULT_EYE_HEIGHT))


def fit_problem(episode: Episode, config: ModelConfig) -> Optional[str]:
    """Why an episode cannot train this model, or None."""
    meta, k = episode.meta, config.context_frames
    res = (meta["resolution"]["width"], meta["resolution"]["height"])
    if res != (config.width, config.height):
        return f"resolution {res[0]}x{res[1]}, the model is {config.width}x{config.height}"
    if meta.get("tickHz") != config.tick_hz:
        return f"tickHz {meta.get('tickHz')}, the model runs at {config.tick_hz}"
    try:
        layout = tuple(ActionSlot(**slot) for slot in meta["actions"])
    except (TypeError, ValueError) as e:
        return f"meta.json actions do not parse ({e})"
    if layout != config.actions:
        return f"action layout {[s.name for s in layout]} differs from the model's (names, kinds, units, scales, bins)"
    fov = meta.get("camera", {}).get("fovYDegrees")
    if fov != config.camera.fov_y_degrees:
        return f"camera fovYDegrees {fov}, the model's is {config.camera.fov_y_degrees}"
    if episode.ticks <= k:
        return f"{episode.ticks} ticks, need more than K={k}"
    return None


def _load_folder(path: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    with open(os.path.join(path, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    arrays = {key: np.load(os.path.join(path, f"{key}.npy"), mmap_mode="r") for key in ARRAY_NAMES}
    for key in OPTIONAL_ARRAY_NAMES:
        if os.path.isfile(os.path.join(path, f"{key}.npy")):
            arrays[key] = np.load(os.path.join(path, f"{key}.npy"), mmap_mode="r")
    return meta, arrays


def _load_pack(path: str) -> list[tuple[str, Callable[[], tuple[dict[str, Any], dict[str, np.ndarray]]]]]:
    from models.pack import read_pack_index  # pack imports this module

    npz, names = read_pack_index(path)

    def loader(name: str):
        def load():
            meta = json.loads(bytes(npz[f"{name}/meta.json"]).decode("utf-8"))
            keys = ARRAY_NAMES + tuple(k for k in OPTIONAL_ARRAY_NAMES if f"{name}/{k}" in npz.files)
            return meta, {key: npz[f"{name}/{key}"] for key in keys}

        return load

    return [(name, loader(name)) for name in names]


def episode_sources(path: str) -> list[tuple[str, Callable[[], tuple[dict[str, Any], dict[str, np.ndarray]]]]]:
    """(name, loader) per episode of a dataset folder, a single episode folder, or a pack file."""
    if os.path.isfile(path):
        return _load_pack(path)
    if not os.path.isdir(path):
        raise FileNotFoundError(f"load_episodes: {path} is neither a dataset folder nor a pack file")
    if os.path.isfile(os.path.join(path, "meta.json")):
        return [(os.path.basename(os.path.normpath(path)), lambda: _load_folder(path))]
    names = sorted(n for n in os.listdir(path) if n.startswith(EPISODE_PREFIX))
    return [(n, (lambda p: lambda: _load_folder(p))(os.path.join(path, n))) for n in names]


def load_episodes(path: str, config: Optional[ModelConfig] = None, log: Optional[Log] = print) -> list[Episode]:
    """Every usable episode, in name order; prints (via `log`) why any other was skipped."""
    episodes = []
    for name, load in episode_sources(path):
        try:
            meta, arrays = load()
        except (OSError, ValueError, KeyError) as e:
            problem: Optional[str] = f"cannot read it ({type(e).__name__}: {e})"
        else:
            problem = structure_problem(meta, arrays)
        if problem is None:
            ep = Episode(name, meta, arrays["frames"], arrays["depth"], arrays["poses"], arrays["actions"],
                         display=arrays.get("display"))
            if config is not None:
                problem = fit_problem(ep, config)
                if problem is None:
                    ep.encoded = encode_actions(np.asarray(ep.actions), config.actions)
        if problem is not None:
            if log:
                log(f"dataset: skipped {name}: {problem}")
            continue
        episodes.append(ep)
    if not episodes:
        raise ValueError(f"load_episodes: no usable episodes in {path}; expected {EPISODE_PREFIX}<seed>/ folders "
                         "with meta.json and frames/depth/poses/actions.npy (see the reasons above)")
    return episodes


def is_heldout(name: str, fraction: float) -> bool:
    """Stable by name, so adding episodes to a dataset never moves old ones between splits."""
    h = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return h / 2**64 < fraction


def split_episodes(episodes: list[Episode], heldout_fraction: float = DatasetConfig.heldout_fraction
                   ) -> tuple[list[Episode], list[Episode]]:
    """(train, held-out). With 2+ episodes and fraction > 0 both sides get at least one; a single
    episode always trains (one recording of your own play must not land, by its name's hash, in
    an empty training set)."""
    if len(episodes) == 1:
        return list(episodes), []
    held = [e for e in episodes if is_heldout(e.name, heldout_fraction)]
    train = [e for e in episodes if not is_heldout(e.name, heldout_fraction)]
    if heldout_fraction > 0 and len(episodes) >= 2:
        if not held:
            held, train = train[-1:], train[:-1]
        elif not train:
            train, held = held[:1], held[1:]
    return train, held


class FrameDataset:
    """Every (episode, t) with K <= t < T as a sample; `batch` builds model inputs."""

    def __init__(self, episodes: list[Episode], context_frames: int, config: Optional[ModelConfig] = None,
                 log: Optional[Log] = None, memory_cache: Optional[str] = None) -> None:
        """`config` (with streams) adds the model's memory and depth streams to each sample;
        `memory_cache` is a folder that keeps each episode's memory stream between runs."""
        missing = [e.name for e in episodes if e.encoded is None]
        if missing:
            raise ValueError(f"FrameDataset: episodes {missing} were loaded without a ModelConfig (no encoded actions)")
        self.episodes = episodes
        self.k = context_frames
        self.streams = tuple(config.stream_names) if config is not None else ()
        self.far = config.camera.far if config is not None else 1.0
        self.memory: list[np.ndarray] = []
        if "memory" in self.streams:
            self.memory = episode_memories(episodes, config, log, memory_cache)  # type: ignore[arg-type]
        self.index = np.array(
            [(e, t) for e, ep in enumerate(episodes) for t in range(context_frames, ep.ticks)], np.int64
        ).reshape(-1, 2)  # (N, 2): episode number, target tick
        self.resident: Optional[dict[str, torch.Tensor]] = None  # set by to_device

    def __len__(self) -> int:
        return len(self.index)

    @property
    def frames(self) -> int:
        return sum(e.ticks for e in self.episodes)

    def __getitem__(self, i: int) -> tuple[np.ndarray, ...]:
        """(context (3K, H, W), actions (K, A), target (3, H, W), *streams), float32."""
        e, t = (int(v) for v in self.index[i])
        parts = self.window(self.episodes[e], t)
        for name in self.streams:
            if name == "memory":
                parts += (memory_to_model(self.memory[e][t]),)
            else:
                parts += (depth_to_model(self.episodes[e].depth[t], self.far),)
        return parts

    def window(self, ep: Episode, t: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        k = self.k
        clip = frames_to_model(ep.frames[t - k : t + 1])  # (K+1, 3, H, W)
        context = clip[:k].reshape(3 * k, *clip.shape[2:])  # (3K, H, W), oldest first
        return context, np.asarray(ep.encoded[t - k + 1 : t + 1], np.float32), clip[k]

    def to_device(self, device: Any) -> int:
        """Keeps every episode's frames, depth, memory stream and encoded actions on `device`, so
        `batch` gathers samples there instead of stacking them in Python one by one.

        On a GPU the per-sample path (about 1 ms a sample) would starve the model; the arrays in
        their stored types (uint8, float16) take about 40 KB a frame. Returns the bytes held."""
        def joined(arrays: list[np.ndarray]) -> torch.Tensor:
            return torch.from_numpy(np.ascontiguousarray(np.concatenate([np.asarray(a) for a in arrays]))).to(device)

        starts = np.cumsum([0] + [e.ticks for e in self.episodes[:-1]]).astype(np.int64)
        resident = {"start": torch.from_numpy(starts).to(device),
                    "frames": joined([e.frames for e in self.episodes]),
                    "actions": joined([np.asarray(e.encoded, np.float32) for e in self.episodes])}
        if "memory" in self.streams:
            resident["memory"] = joined(self.memory)
        if "depth" in self.streams:
            resident["depth"] = joined([e.depth for e in self.episodes])
        self.resident = resident
        return sum(t.numel() * t.element_size() for t in resident.values())

    def _resident_batch(self, indices: np.ndarray, device: Any) -> dict[str, torch.Tensor]:
        """`batch` from the arrays `to_device` placed: the same values as the per-sample path."""
        r, k = self.resident, self.k
        assert r is not None
        rows = torch.from_numpy(self.index[np.asarray(indices, np.int64)]).to(r["start"].device)
        now = r["start"][rows[:, 0]] + rows[:, 1]  # (B,) the target's row in the joined arrays
        clip = now[:, None] + torch.arange(-k, 1, device=now.device)  # (B, K+1) oldest first
        frames = r["frames"][clip].float() / 127.5 - 1.0  # (B, K+1, H, W, 3)
        frames = frames.permute(0, 1, 4, 2, 3)  # (B, K+1, 3, H, W)
        b, _, _, h, w = frames.shape
        out = {"context": frames[:, :k].reshape(b, 3 * k, h, w).contiguous(),
               "actions": r["actions"][clip[:, 1:]], "target": frames[:, k].contiguous()}
        for name in self.streams:
            if name == "memory":
                m = r["memory"][now].float().permute(0, 3, 1, 2)  # (B, 4, H, W)
                cover = m[:, 3:4] / 255.0
                out[name] = torch.cat([(m[:, :3] / 127.5 - 1.0) * cover, cover], dim=1)
            else:
                out[name] = ((r["depth"][now].float() / self.far).clamp(0, 1) * 2 - 1)[:, None]
        return {n: v.to(device) for n, v in out.items()}

    def batch(self, indices: np.ndarray, device: Any = "cpu") -> dict[str, torch.Tensor]:
        """{"context" (B,3K,H,W), "actions" (B,K,A), "target" (B,3,H,W), streams: "memory" (B,4,H,W),
        "depth" (B,1,H,W)} as tensors."""
        if self.resident is not None:
            return self._resident_batch(indices, device)
        parts = [self[int(i)] for i in indices]
        names = ("context", "actions", "target", *self.streams)
        return {n: torch.from_numpy(np.stack([p[j] for p in parts])).to(device) for j, n in enumerate(names)}


def memory_camera(config: ModelConfig) -> MemoryCamera:
    cam = config.camera
    return MemoryCamera(config.width, config.height, cam.fov_y_degrees, cam.near, cam.far)


def memory_cache_key(episode: Episode, camera: MemoryCamera) -> str:
    """What an episode's memory stream depends on: the memory code, the camera, and the episode itself.

    The episode is named by its meta and its poses and depth (small, or sampled): a re-recorded
    episode with the same name gets a new key, so a stale stream is never read back."""
    h = hashlib.sha256()
    with open(memory_module.__file__, "rb") as f:
        h.update(f.read())
    h.update(repr(camera).encode())
    h.update(json.dumps(episode.meta, sort_keys=True).encode())
    h.update(np.ascontiguousarray(episode.poses, np.float32).tobytes())
    h.update(np.ascontiguousarray(episode.depth[:: max(1, episode.ticks // 16)]).tobytes())
    h.update(str(tuple(episode.frames.shape)).encode())
    return h.hexdigest()[:20]


def memory_cache_path(episode: Episode, camera: MemoryCamera, cache: str) -> str:
    """Where `cache` keeps this episode's stream: named by the episode and its key."""
    return os.path.join(cache, f"{episode.name}.{memory_cache_key(episode, camera)}.npy")


def read_cached_memory(episode: Episode, camera: MemoryCamera, path: str) -> Optional[np.ndarray]:
    """The stream at `path` (memory-mapped) when it is a whole one of this episode's shape, or None."""
    if os.path.isfile(path):
        try:
            stream = np.load(path, mmap_mode="r")
            if stream.shape == (episode.ticks, camera.height, camera.width, 4) and stream.dtype == np.uint8:
                return stream
        except (OSError, ValueError):
            pass  # a torn or foreign file: compute it again and overwrite
    return None


def computed_episode_memory(episode: Episode, camera: MemoryCamera, path: Optional[str]) -> np.ndarray:
    """episode_memory; with `path` (from memory_cache_path) also written there, and the episode's
    streams under older keys, stale now, removed."""
    stream = episode_memory(episode.frames, episode.depth, episode.poses, camera)
    if path is None:
        return stream
    cache = os.path.dirname(path)
    os.makedirs(cache, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"  # written whole, then renamed: readers never see half a file
    with open(tmp, "wb") as f:
        np.save(f, stream)
    os.replace(tmp, path)
    for old in os.listdir(cache):
        if old.startswith(f"{episode.name}.") and old.endswith(".npy") and old != os.path.basename(path):
            os.remove(os.path.join(cache, old))
    return stream


_POOL_JOB: Optional[tuple[list[Episode], MemoryCamera, list[Optional[str]]]] = None  # what forked workers read


def _pooled_memory(n: int) -> np.ndarray:
    episodes, camera, paths = _POOL_JOB  # type: ignore[misc]
    return computed_episode_memory(episodes[n], camera, paths[n])


POOLED_MEMORY_FRAMES = 2000  # about 25 s on one core: from here forking a pool pays


def memory_workers() -> int:
    """Processes for memory streams: the cores this process may use (NEXTFRAME_MEMORY_WORKERS overrides)."""
    forced = os.environ.get("NEXTFRAME_MEMORY_WORKERS")
    return max(1, int(forced)) if forced else max(1, len(os.sched_getaffinity(0)))


def episode_memories(episodes: list[Episode], config: ModelConfig, log: Optional[Log] = None,
                     cache: Optional[str] = None, workers: Optional[int] = None) -> list[np.ndarray]:
    """The memory stream of every tick of every episode, uint8 (T, H, W, 4) each (see models/memory.py).

    Computing them takes minutes for large datasets (about 12 ms a frame on one core), so with
    `cache` each episode's stream is kept there and read back by later runs, and episodes are
    shared over `workers` forked processes (default: every core from POOLED_MEMORY_FRAMES frames on,
    else this process alone)."""
    global _POOL_JOB
    camera, out, started, hits = memory_camera(config), [], time.time(), 0
    if workers is None:  # a small dataset is quicker in this process than forking a pool
        workers = memory_workers() if sum(e.ticks for e in episodes) >= POOLED_MEMORY_FRAMES else 1
    # Cached streams are mapped here; only the others are worth a worker's time (and a copy back).
    paths = [memory_cache_path(ep, camera, cache) if cache else None for ep in episodes]
    known = [read_cached_memory(ep, camera, path) if path else None for ep, path in zip(episodes, paths)]
    missing = [n for n, stream in enumerate(known) if stream is None]
    workers = min(workers, len(missing))
    pool = None
    if workers > 1:
        _POOL_JOB = (episodes, camera, paths)  # forked workers inherit it; nothing big is pickled out
        pool = multiprocessing.get_context("fork").Pool(workers)
        computed: Any = pool.imap(_pooled_memory, missing)
    else:
        computed = (computed_episode_memory(episodes[n], camera, paths[n]) for n in missing)
    try:
        for n, stream in enumerate(known):
            if stream is None:
                stream = next(computed)
            else:
                hits += 1
            out.append(stream)
            if log and (n + 1) % 10 == 0 and n + 1 < len(episodes):
                log(f"dataset: spatial memory {n + 1}/{len(episodes)} episodes ({time.time() - started:.0f} s)")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
            _POOL_JOB = None
    if log:
        frames = sum(m.shape[0] for m in out)
        cover = float(np.mean([m[..., 3].mean() / 255 for m in out])) if out else 0.0
        read = f", {hits} read from {cache}" if cache else ""
        log(f"dataset: spatial memory for {len(episodes)} episodes ({frames} frames) in "
            f"{time.time() - started:.0f} s{read}, mean coverage {cover:.0%}")
    return out


def frames_to_model(frames: np.ndarray) -> np.ndarray:
    """uint8 (..., H, W, 3) -> float32 (..., 3, H, W) in [-1, 1]."""
    x = np.asarray(frames, np.float32) / 127.5 - 1.0
    return np.ascontiguousarray(np.moveaxis(x, -1, -3))


class ShardedSampler:
    """Sample indices for each training step, a pure function of (seed, step, rank).

    Like DistributedSampler: every epoch is a seeded permutation of the dataset, and rank r
    of W takes positions r, r+W, ...; a step takes the next `batch` of the rank's share.
    Being a function of the step, a resumed run draws exactly what an uninterrupted one would.
    """

    def __init__(self, size: int, batch: int, seed: int = 0, rank: int = 0, world: int = 1) -> None:
        if size < world:
            raise ValueError(f"ShardedSampler: {size} samples cannot be shared by {world} processes")
        self.size, self.batch, self.seed, self.rank, self.world = size, batch, seed, rank, world
        self.share = size // world  # the remainder of each epoch is dropped, as DistributedSampler does
        self._perm: tuple[int, Optional[np.ndarray]] = (-1, None)

    def permutation(self, epoch: int) -> np.ndarray:
        if self._perm[0] != epoch:
            self._perm = (epoch, np.random.default_rng([self.seed, epoch]).permutation(self.size))
        return self._perm[1]  # type: ignore[return-value]

    def indices(self, step: int) -> np.ndarray:
        out = np.empty(self.batch, np.int64)
        for j in range(self.batch):
            epoch, pos = divmod(step * self.batch + j, self.share)
            out[j] = self.permutation(epoch)[self.rank + pos * self.world]
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Check a dataset folder or pack and print a summary.")
    parser.add_argument("path")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="arena")
    parser.add_argument("--heldout", type=float, default=DatasetConfig.heldout_fraction)
    args = parser.parse_args()
    config = get_preset(args.preset)
    episodes = load_episodes(args.path, config)
    train, held = split_episodes(episodes, args.heldout)
    for label, eps in (("train", train), ("held-out", held)):
        ds = FrameDataset(eps, config.context_frames)
        print(f"{label:>8}: {len(eps)} episodes, {ds.frames} frames, {len(ds)} samples (K={config.context_frames})")


if __name__ == "__main__":
    main()
