"""Time a shipped model's denoising step and the display upsampler in PyTorch, on CUDA when present.

    /usr/bin/python3 -m models.bench_torch --checkpoint public/models/generalist --json out.json

The browser and Node run the ONNX files (`npx nextframe bench-speed` times those); this says
what the same networks cost on a CUDA GPU in PyTorch, for the model cards. Each figure is the
median of `--repeats` timed calls after warm-up, synchronised, at batch 1 (one played tick) and
at the speculation batch; fp32 and, on CUDA, bf16 autocast. The upsampler's cost does not depend
on its weights, so it is timed with the shipped architecture (its manifest) and random weights.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from typing import Any, Callable

import torch

from models.denoiser import Denoiser
from models.flops import example_inputs
from models.slim import resolve_checkpoint
from models.train import load_checkpoint_file
from models.config import ModelConfig
from models.upsampler import Upsampler, UpsamplerConfig
from models.upsampler import example_inputs as upsampler_inputs


def median_ms(fn: Callable[[], Any], device: torch.device, repeats: int, warmup: int = 10) -> float:
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def upsampler_config(manifest: str) -> UpsamplerConfig:
    """The shipped upsampler's architecture from its manifest (channels, layers, flags, scale, size)."""
    with open(manifest, encoding="utf-8") as f:
        m = json.load(f)
    a = m["architecture"]
    return UpsamplerConfig(scale=int(m["scale"]), width=int(m["resolution"]["width"]), height=int(m["resolution"]["height"]),
                           channels=int(a["channels"]), layers=int(a["layers"]), memory_gate=bool(a["memoryGate"]),
                           residual_mean_free=bool(a.get("residualMeanFree", False)),
                           memory_over_residual=bool(a.get("memoryOverResidual", False)))


@torch.no_grad()
def bench(checkpoint: str, upsampler_manifest: str, repeats: int, batches: list[int]) -> dict[str, Any]:
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    ckpt = load_checkpoint_file(resolve_checkpoint(checkpoint))
    config = ModelConfig.from_dict(ckpt["config"])
    model = Denoiser(config).to(device).eval()
    model.load_state_dict(ckpt["model"])
    up = Upsampler(upsampler_config(upsampler_manifest)).to(device).eval()
    precisions = ["fp32", "bf16"] if device.type == "cuda" else ["fp32"]
    out: dict[str, Any] = {"device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
                           "torch": torch.__version__, "model": config.name, "repeats": repeats, "modelStepMs": {},
                           "upsamplerMs": {}}
    for precision in precisions:
        auto = lambda: torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=precision == "bf16")
        for b in batches:
            inputs = {k: v.to(device) for k, v in example_inputs(config, batch=b).items()}

            def step() -> None:
                with auto():
                    model(**inputs)

            out["modelStepMs"][f"{precision}-batch{b}"] = round(median_ms(step, device, repeats), 3)
        up_inputs = {k: v.to(device) for k, v in upsampler_inputs(up.config).items()}

        def upsample() -> None:
            with auto():
                up(**up_inputs)

        out["upsamplerMs"][precision] = round(median_ms(upsample, device, repeats), 3)
    return out


def main() -> None:
    p = argparse.ArgumentParser(description="Time the model step and the display upsampler in PyTorch.")
    p.add_argument("--checkpoint", default="public/models/generalist", help="a checkpoint or a model folder with checkpoint.pt")
    p.add_argument("--upsampler", default="public/models/upsampler/manifest.json", help="the upsampler's manifest")
    p.add_argument("--repeats", type=int, default=100)
    p.add_argument("--batches", default="1,4", help="batch sizes to time the model at (speculation paints several)")
    p.add_argument("--json", help="also write the report here")
    args = p.parse_args()
    report = bench(args.checkpoint, args.upsampler, args.repeats, [int(b) for b in args.batches.split(",")])
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
