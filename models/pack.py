"""Pack a dataset folder into one compressed file (to move it to a GPU machine), or unpack it.

    /usr/bin/python3 -m models.pack DIR OUT.npz             # pack every well-formed episode
    /usr/bin/python3 -m models.pack --unpack OUT.npz DIR    # the folder layout again, byte-identical meta.json
    /usr/bin/python3 -m models.pack --store DIR OUT.npz && xz -T2 OUT.npz   # ~70 % of deflate's size, to move it

A pack is a NumPy .npz (zip, deflate) holding, per episode, `<name>/meta.json` (the
file's bytes as uint8) and `<name>/frames|depth|poses|actions` (the arrays unchanged; and
`<name>/display` for episodes recorded with display frames),
plus `pack.json` listing the episodes in order. The dataset reader accepts a pack
wherever it accepts a folder (it loads the arrays into memory instead of mapping them).
Episodes that are not well-formed are left out with a printed reason; whether an
episode fits a particular model is decided when reading, not here.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

import numpy as np

from models.dataset import ARRAY_NAMES, OPTIONAL_ARRAY_NAMES, episode_sources, structure_problem

PACK_FORMAT = "nextframe.pack"
PACK_FORMAT_VERSION = 1
PACK_INDEX = "pack.json"


def _bytes_array(data: bytes) -> np.ndarray:
    return np.frombuffer(data, np.uint8).copy()


def pack_dataset(src: str, out: str, log=print, deflate: bool = True) -> list[str]:
    """Writes the pack atomically; returns the names of the packed episodes. `deflate=False` stores
    the arrays as they are, for an outer compressor: `xz` makes recorded frames and depth about
    70 % of what deflate makes (3.7 against 5.2 KB a 64 × 64 frame with depth), and the reader needs the plain
    pack back (`xz -d`) first."""
    if not os.path.isdir(src) or os.path.isfile(os.path.join(src, "meta.json")):
        raise ValueError(f"pack_dataset: {src} is not a dataset folder (expected episode-<seed>/ folders in it)")
    arrays: dict[str, np.ndarray] = {}
    names = []
    for name, load in episode_sources(src):
        try:
            meta, eps_arrays = load()
            problem = structure_problem(meta, eps_arrays)
        except (OSError, ValueError, KeyError) as e:
            problem = f"cannot read it ({type(e).__name__}: {e})"
        if problem is not None:
            log(f"pack: skipped {name}: {problem}")
            continue
        with open(os.path.join(src, name, "meta.json"), "rb") as f:
            arrays[f"{name}/meta.json"] = _bytes_array(f.read())
        for key in ARRAY_NAMES + tuple(k for k in OPTIONAL_ARRAY_NAMES if k in eps_arrays):
            arrays[f"{name}/{key}"] = np.asarray(eps_arrays[key])
        names.append(name)
    if not names:
        raise ValueError(f"pack_dataset: no well-formed episodes in {src}")
    index = {"format": PACK_FORMAT, "formatVersion": PACK_FORMAT_VERSION, "episodes": names}
    arrays[PACK_INDEX] = _bytes_array(json.dumps(index).encode("utf-8"))
    tmp = f"{out}.tmp.npz"  # savez appends .npz to names without it
    (np.savez_compressed if deflate else np.savez)(tmp, **arrays)
    os.replace(tmp, out)
    return names


def read_pack_index(path: str) -> tuple[Any, list[str]]:
    """(lazy NpzFile, episode names) of a pack."""
    npz = np.load(path, allow_pickle=False)
    if PACK_INDEX not in npz.files:
        raise ValueError(f"read_pack_index: {path} has no {PACK_INDEX}; expected a pack written by models.pack")
    index = json.loads(bytes(npz[PACK_INDEX]).decode("utf-8"))
    if index.get("format") != PACK_FORMAT or index.get("formatVersion") != PACK_FORMAT_VERSION:
        raise ValueError(f"read_pack_index: {path} is {index.get('format')!r} v{index.get('formatVersion')}, "
                         f"expected {PACK_FORMAT!r} v{PACK_FORMAT_VERSION}")
    return npz, list(index["episodes"])


def unpack_dataset(pack: str, out: str) -> list[str]:
    """Writes <out>/<episode>/meta.json + *.npy; returns the episode names."""
    npz, names = read_pack_index(pack)
    for name in names:
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "meta.json"), "wb") as f:
            f.write(bytes(npz[f"{name}/meta.json"]))
        for key in ARRAY_NAMES + tuple(k for k in OPTIONAL_ARRAY_NAMES if f"{name}/{k}" in npz.files):
            np.save(os.path.join(folder, f"{key}.npy"), npz[f"{name}/{key}"])
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description="Pack a dataset folder into one .npz, or unpack one.")
    parser.add_argument("src", help="dataset folder (or, with --unpack, a pack file)")
    parser.add_argument("dst", help="pack file to write (or, with --unpack, a folder)")
    parser.add_argument("--unpack", action="store_true")
    parser.add_argument("--store", action="store_true",
                        help="store the arrays uncompressed, to compress the whole pack with xz (about 70 % of deflate's size)")
    args = parser.parse_args()
    if args.unpack:
        names = unpack_dataset(args.src, args.dst)
        print(f"unpacked {len(names)} episodes into {args.dst}")
    else:
        names = pack_dataset(args.src, args.dst, log=lambda m: print(m, file=sys.stderr), deflate=not args.store)
        print(f"packed {len(names)} episodes into {args.dst} ({os.path.getsize(args.dst) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
