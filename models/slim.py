"""A checkpoint small enough to keep in the repository between training sittings.

    /usr/bin/python3 -m models.slim runs/generalist/last.pt public/models/generalist/checkpoint.pt

The trainer's `last.pt` holds the weights, their EMA and AdamW's two moments: four copies of the
model, ~35 MB for the 2.2 M-parameter presets, over the repository's 16 MiB a file. The slim file
keeps the raw weights in float32 (training continues from them exactly) and the EMA in float16
(what is exported and evaluated; 3 decimal digits are far below what the network resolves), and
drops the optimiser. `train --resume` from it re-warms the optimiser: the moments start at zero
and the learning rate ramps up again over the warm-up steps (models/train.py). `train --init` from
it starts a new run (a fine-tune) with its weights.
"""
from __future__ import annotations

import argparse
import os
from typing import Any

import torch

# What one repository file may weigh.
MAX_BYTES = 16 * 1024 * 1024
# The file a model folder keeps its slim checkpoint in (`train --init public/models/generalist`).
FOLDER_CHECKPOINT = "checkpoint.pt"


def dtype_name(dtype: torch.dtype) -> str:
    """`float16` for torch.float16: how the slim file's raw weights are reported."""
    return str(dtype).removeprefix("torch.")


def slim_state(ckpt: dict[str, Any], raw_dtype: torch.dtype = torch.float32) -> dict[str, Any]:
    """The trainer checkpoint without the optimiser, EMA in float16, raw weights in `raw_dtype`, marked `slim`."""
    missing = [k for k in ("config", "model", "raw_model", "step") if k not in ckpt]
    if missing:
        raise ValueError(f"slim: the checkpoint lacks {missing}; expected one written by models.train (last.pt)")
    keep = {k: ckpt[k] for k in ("config", "step", "trainConfig", "training", "metrics") if k in ckpt}
    ema = {k: (v.half() if v.is_floating_point() else v) for k, v in ckpt["model"].items()}
    raw = {k: v.to(raw_dtype) if v.is_floating_point() else v for k, v in ckpt["raw_model"].items()}
    return {**keep, "model": ema, "raw_model": raw, "slim": True}


def resolve_checkpoint(path: str) -> str:
    """A checkpoint file, or a model folder holding `checkpoint.pt`; a clear error otherwise."""
    if os.path.isdir(path):
        inner = os.path.join(path, FOLDER_CHECKPOINT)
        if not os.path.isfile(inner):
            raise FileNotFoundError(
                f"{path} is a folder without {FOLDER_CHECKPOINT}; --init takes a trainer checkpoint (last.pt) or a "
                f"model folder that ships one (public/models/generalist). Make one with "
                f"`python3 -m models.slim runs/<run>/last.pt {inner}`.")
        return inner
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no checkpoint at {path}; expected a trainer checkpoint (last.pt) or a model folder "
                                f"holding {FOLDER_CHECKPOINT}")
    return path


def write_slim(src: str, dst: str) -> tuple[int, torch.dtype]:
    """Writes the slim copy of `src` to `dst` (temp file, then rename); returns its size in bytes and
    the raw weights' dtype. A network whose float32 weights would take the file over the limit (the
    3.5 M-parameter `--res-blocks 2` generalist) keeps them in float16 too: a resume then continues
    from weights rounded to 3 digits, which the re-warmed optimiser shrugs off."""
    ckpt = torch.load(src, map_location="cpu", weights_only=False)
    os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
    tmp = f"{dst}.tmp"
    for raw_dtype in (torch.float32, torch.float16):
        torch.save(slim_state(ckpt, raw_dtype), tmp)
        size = os.path.getsize(tmp)
        if size <= MAX_BYTES:
            os.replace(tmp, dst)
            return size, raw_dtype
    os.remove(tmp)
    raise ValueError(f"slim: {dst} would be {size / 2**20:.1f} MiB even with float16 weights, over the repository's "
                     f"{MAX_BYTES / 2**20:.0f} MiB a file; a model this large cannot keep its checkpoint in the repository")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src", help="trainer checkpoint (last.pt)")
    parser.add_argument("dst", help="slim checkpoint to write (e.g. public/models/<id>/checkpoint.pt)")
    args = parser.parse_args(argv)
    size, raw_dtype = write_slim(args.src, args.dst)
    print(f"models.slim: wrote {args.dst} ({size / 2**20:.1f} MiB, weights {dtype_name(raw_dtype)} "
          f"+ EMA float16, no optimiser)")


if __name__ == "__main__":
    main()
