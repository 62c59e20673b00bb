"""A dataset as xz-compressed episodes in parts of a bounded size, to move it where it cannot be recorded.

    /usr/bin/python3 -m models.parts data/worlds-train parts --max-mib 60   # parts/part-1/, part-2/, ...
    python3 -m models.parts --unpack parts/part-1 parts/part-2 --out data/worlds-train

Training on a CUDA machine that has no browser means recording here and moving the episodes,
often through a channel with a size limit per transfer. Each episode becomes one
`<episode>.tar.xz` (the folder as recorded: meta.json and the arrays; about 1.1 MB for 300
frames of 64 × 64 with depth: 18 % of the raw bytes, 72 % of `models.pack`'s deflate),
and the episodes are dealt into `part-N/` folders of at most `--max-mib` each, in name order.
Unpacking extracts every part's episodes in parallel into one dataset folder, byte for byte.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import tarfile
from typing import Callable, Optional

from models.dataset import EPISODE_PREFIX

SUFFIX = ".tar.xz"
PART_PREFIX = "part-"


def compress_episode(folder: str, out: str, preset: int = 6) -> int:
    """Writes `out` (a tar of the episode folder, xz-compressed) atomically; returns its size in bytes."""
    name = os.path.basename(os.path.normpath(folder))
    tmp = f"{out}.tmp"
    with tarfile.open(tmp, "w:xz", preset=preset) as tar:
        tar.add(folder, arcname=name)
    os.replace(tmp, out)
    return os.path.getsize(out)


def _compress(job: tuple[str, str]) -> int:
    return compress_episode(*job)


def write_parts(src: str, out: str, max_mib: float, workers: int = 1,
                log: Callable[[str], None] = print) -> list[list[str]]:
    """Compresses every episode folder of `src` into `out` and deals them into part folders of at
    most `max_mib` MiB; returns the episode names of each part. An episode already compressed in
    `out` (from an interrupted run) is kept."""
    if not os.path.isdir(src):
        raise FileNotFoundError(f"write_parts: {src} is not a dataset folder (expected {EPISODE_PREFIX}* folders in it)")
    names = sorted(n for n in os.listdir(src) if n.startswith(EPISODE_PREFIX)
                   and os.path.isfile(os.path.join(src, n, "meta.json")))
    if not names:
        raise ValueError(f"write_parts: no episodes in {src} (expected {EPISODE_PREFIX}*/meta.json)")
    staging = os.path.join(out, "episodes")
    os.makedirs(staging, exist_ok=True)
    jobs = [(os.path.join(src, n), os.path.join(staging, n + SUFFIX)) for n in names
            if not os.path.isfile(os.path.join(staging, n + SUFFIX))]
    if jobs:
        with multiprocessing.get_context("fork").Pool(max(1, workers)) as pool:
            for done, _ in enumerate(pool.imap(_compress, jobs), 1):
                if done % 10 == 0 or done == len(jobs):
                    log(f"parts: compressed {done}/{len(jobs)} episodes")
    limit = max_mib * 2**20
    parts: list[list[str]] = [[]]
    used = 0
    for n in names:
        size = os.path.getsize(os.path.join(staging, n + SUFFIX))
        if size > limit:
            raise ValueError(f"write_parts: {n} is {size / 2**20:.1f} MiB compressed, over --max-mib {max_mib:g}; "
                             f"give a larger limit")
        if used + size > limit and parts[-1]:
            parts.append([])
            used = 0
        parts[-1].append(n)
        used += size
    for i, part in enumerate(parts, 1):
        folder = os.path.join(out, f"{PART_PREFIX}{i}")
        os.makedirs(folder, exist_ok=True)
        for n in part:
            os.replace(os.path.join(staging, n + SUFFIX), os.path.join(folder, n + SUFFIX))
        log(f"parts: {folder}: {len(part)} episodes, "
            f"{sum(os.path.getsize(os.path.join(folder, n + SUFFIX)) for n in part) / 2**20:.1f} MiB")
    shutil.rmtree(staging)
    return parts


def _extract(job: tuple[str, str]) -> str:
    path, dest = job
    with tarfile.open(path, "r:xz") as tar:
        members = tar.getmembers()
        bad = [m.name for m in members if m.name.startswith(("/", "..")) or ".." in m.name.split("/")
               or not (m.isfile() or m.isdir())]
        if bad:
            raise ValueError(f"unpack_parts: {path} holds {bad[:3]}; expected one episode folder of plain files")
        if hasattr(tarfile, "data_filter"):  # Python 3.12+ (and later 3.11s): refuse what is not plain data
            tar.extractall(dest, members=members, filter="data")
        else:
            tar.extractall(dest, members=members)
    return path


def unpack_parts(parts: list[str], dest: str, workers: int = 1, log: Callable[[str], None] = print) -> list[str]:
    """Extracts every `*.tar.xz` of the given part folders into `dest`; returns the episode names."""
    files = sorted(os.path.join(p, f) for p in parts for f in os.listdir(p) if f.endswith(SUFFIX))
    if not files:
        raise FileNotFoundError(f"unpack_parts: no *{SUFFIX} episodes in {parts}")
    os.makedirs(dest, exist_ok=True)
    with multiprocessing.get_context("fork").Pool(max(1, workers)) as pool:
        for _ in pool.imap_unordered(_extract, [(f, dest) for f in files]):
            pass
    names = [os.path.basename(f)[: -len(SUFFIX)] for f in files]
    log(f"parts: {len(names)} episodes into {dest}")
    return names


def main(argv: Optional[list[str]] = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("paths", nargs="+", help="SRC OUT (a dataset folder and where the parts go), or with --unpack the part folders")
    p.add_argument("--max-mib", type=float, default=60.0, help="largest part in MiB (default 60)")
    p.add_argument("--unpack", action="store_true", help="extract the given part folders into --out")
    p.add_argument("--out", help="with --unpack: the dataset folder to write")
    p.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="processes (default: every core)")
    args = p.parse_args(argv)
    if args.unpack:
        if not args.out:
            p.error("--unpack needs --out DATASET_FOLDER")
        unpack_parts(args.paths, args.out, args.workers)
    else:
        if len(args.paths) != 2:
            p.error("expected SRC OUT: a dataset folder and the folder to write part-1/, part-2/, ... into")
        write_parts(args.paths[0], args.paths[1], args.max_mib, args.workers)


if __name__ == "__main__":
    main()
