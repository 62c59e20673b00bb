"""Export a denoiser to model.onnx + manifest.json (and optionally reference I/O).

    /usr/bin/python3 -m models.export --preset tiny --seed 0 --out tests/fixtures/tiny --reference
    /usr/bin/python3 -m models.export --checkpoint runs/arena/last.pt --out public/models/arena \
        [--metrics runs/arena/eval.json]

One ONNX run() is one denoising evaluation; the sampler loop is TypeScript. Shapes are
fixed except a dynamic "batch" axis on every input and the output (speculative branches
run as one batch). Everything is float32 and no graph input is int64, because WebGPU
falls back to the CPU for int64 tensors.
"""
from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from typing import Any, Optional

import onnx
import torch
from torch import nn

from models.config import PRESETS, ModelConfig, get_preset
from models.denoiser import Denoiser
from models.flops import count_flops, count_params, example_inputs
from models.manifest import MANIFEST_FILE, MODEL_FILE, ManifestInfo, build_manifest, file_sha256, write_manifest
from models.onnx_trace import trace_to_onnx
from models.reference import write_reference


@dataclass(frozen=True)
class ExportConfig:
    opset: int = 17  # the highest that both PyTorch 1.13 and 2.x export
    trace_batch: int = 2  # trace with B > 1 so nothing gets specialised to a batch of one
    fixture_out_std: float = 0.05  # random-weights fixtures: std of the (normally zero) output conv


class OnnxEntry(nn.Module):
    """Positional inputs in manifest order -> Denoiser keywords (streams are optional there)."""

    def __init__(self, denoiser: Denoiser) -> None:
        super().__init__()
        self.denoiser = denoiser
        self.names = list(denoiser.config.input_shapes())

    def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
        return self.denoiser(**dict(zip(self.names, tensors)))


def random_model(config: ModelConfig, seed: int, export: ExportConfig = ExportConfig()) -> Denoiser:
    """Seeded random weights whose output depends on every input.

    The output conv is zero-initialised for training, which would make a fresh model
    return c_skip * noisy and ignore context, actions and streams; a parity test on
    that would pass without checking the conditioning paths.
    """
    with torch.random.fork_rng(devices=[]):  # leave the caller's RNG stream alone
        torch.manual_seed(seed)
        model = Denoiser(config)
        nn.init.normal_(model.net.conv_out.weight, std=export.fixture_out_std)
        nn.init.normal_(model.net.conv_out.bias, std=export.fixture_out_std)
    return model.eval()


def load_checkpoint(path: str) -> tuple[Denoiser, dict[str, Any]]:
    """Loads {"config": ModelConfig.to_dict(), "model": state_dict} (+ optional "training", "metrics")."""
    # Weights-only loading refuses arbitrary pickles; PyTorch 1.13's version also refuses
    # plain floats (the config has some), so there a checkpoint must come from a trusted trainer.
    weights_only = int(torch.__version__.split(".")[0]) >= 2
    ckpt = torch.load(path, map_location="cpu", weights_only=weights_only)
    missing = [k for k in ("config", "model") if k not in ckpt]
    if missing:
        raise ValueError(
            f"load_checkpoint: {path} lacks {missing}; "
            "expected keys config, model (training, metrics optional)"
        )
    model = Denoiser(ModelConfig.from_dict(ckpt["config"]))
    model.load_state_dict(ckpt["model"])
    return model.eval(), ckpt


def export_onnx(model: Denoiser, path: str, export: ExportConfig = ExportConfig()) -> onnx.ModelProto:
    """Writes the ONNX file, checks it, and returns it."""
    config = model.config
    names = list(config.input_shapes())
    inputs = example_inputs(config, batch=export.trace_batch)
    inputs["sigma"] = torch.linspace(0.5, 2.0, export.trace_batch)  # distinct per item
    # Batch is dynamic (speculation paints several frames in one run); 1.13's tracer loses the
    # other output dims, which settle_output_shapes restores.
    proto = settle_output_shapes(trace_to_onnx(OnnxEntry(model), tuple(inputs[n] for n in names), path, names, ["denoised"],
                                               export.opset, dynamic_axes={n: {0: "batch"} for n in [*names, "denoised"]}))
    onnx.save(proto, path)
    onnx.checker.check_model(proto, full_check=True)
    int64 = [i.name for i in proto.graph.input if i.type.tensor_type.elem_type == onnx.TensorProto.INT64]
    assert not int64, f"export_onnx: int64 graph inputs {int64}; WebGPU would run them on the CPU"
    opset = max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx"))
    assert opset <= export.opset, f"export_onnx: graph uses opset {opset}, expected <= {export.opset}"
    return proto


def settle_output_shapes(proto: onnx.ModelProto, batch: str = "batch") -> onnx.ModelProto:
    """Declares the outputs' static dims, as ONNX's own shape inference derives them.

    PyTorch 1.13 exports F.group_norm as Reshape(x, Shape(x)), and its tracer then
    loses C, H and W: the output would be declared [batch, ?, ?, ?]. ONNX inference
    with data propagation follows Shape -> Reshape and recovers them from the graph.
    """
    probe = onnx.ModelProto()
    probe.CopyFrom(proto)
    for out in probe.graph.output:
        out.type.tensor_type.ClearField("shape")
    inferred = onnx.shape_inference.infer_shapes(probe, strict_mode=True, data_prop=True)
    for out, found in zip(proto.graph.output, inferred.graph.output):
        dims = found.type.tensor_type.shape.dim
        if len(dims) == 0 or not all(d.HasField("dim_value") for d in dims[1:]):
            raise ValueError(f"settle_output_shapes: no static dims inferred for output {out.name!r}: {dims}")
        shape = out.type.tensor_type.shape
        shape.ClearField("dim")
        shape.dim.add().dim_param = batch
        for d in dims[1:]:
            shape.dim.add().dim_value = d.dim_value
    return proto


def export_folder(
    model: Denoiser,
    out: str,
    info_id: str,
    description: str,
    version: str = "0.1.0",
    training: Optional[dict[str, Any]] = None,
    metrics: Optional[dict[str, Any]] = None,
    reference_seed: Optional[int] = None,
    export: ExportConfig = ExportConfig(),
) -> dict[str, Any]:
    """Writes model.onnx, manifest.json (and reference.* with a reference_seed); returns the manifest."""
    os.makedirs(out, exist_ok=True)
    proto = export_onnx(model, os.path.join(out, MODEL_FILE), export)
    flops = sum(count_flops(model, example_inputs(model.config, batch=1)).values())
    info = ManifestInfo(
        id=info_id,
        description=description,
        params=count_params(model),
        flops_per_step=flops,
        version=version,
        training=training,
        metrics=metrics or {},
        model_sha256=file_sha256(os.path.join(out, MODEL_FILE)),
    )
    manifest = build_manifest(model.config, proto, info)
    write_manifest(os.path.join(out, MANIFEST_FILE), manifest)
    if reference_seed is not None:
        write_reference(out, model, reference_seed)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description="Export a nextframe denoiser to ONNX + manifest.json.")
    parser.add_argument("--preset", choices=sorted(PRESETS), help="architecture (ignored with --checkpoint)")
    parser.add_argument("--checkpoint", help="trainer checkpoint; without it, random weights from --seed")
    parser.add_argument("--seed", type=int, default=0, help="random weights and reference inputs")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--id", help="manifest id (default: the config name)")
    parser.add_argument("--version", default="0.1.0", help="manifest version")
    parser.add_argument("--description", help="manifest description")
    parser.add_argument("--reference", action="store_true", help="also write reference.bin/.json")
    parser.add_argument("--steps", type=int, help="denoising steps per frame the manifest asks for (default: the config's)")
    parser.add_argument("--metrics", help="a models.evaluate report to record in the manifest's metrics")
    parser.add_argument("--with-checkpoint", dest="with_checkpoint", action="store_true",
                        help="also write the slim checkpoint.pt (models/slim.py) that `train --init <folder>` fine-tunes from")
    args = parser.parse_args()
    if args.with_checkpoint and not args.checkpoint:
        parser.error("--with-checkpoint needs --checkpoint (random weights have nothing to fine-tune from)")

    if args.checkpoint:
        model, ckpt = load_checkpoint(args.checkpoint)
        training, metrics = ckpt.get("training"), ckpt.get("metrics", {})
        description = f"Exported by models.export from checkpoint {os.path.basename(args.checkpoint)}."
    elif args.preset:
        model = random_model(get_preset(args.preset), args.seed)
        training, metrics = None, {}
        description = (
            f"Random-weights test fixture made by models.export (preset {args.preset}, seed {args.seed})."
        )
    else:
        parser.error("give --preset (random weights) or --checkpoint")

    if args.steps is not None:
        if args.steps < 1:
            parser.error(f"--steps must be >= 1, got {args.steps}")
        import dataclasses

        model.config = dataclasses.replace(model.config, sampler=dataclasses.replace(model.config.sampler, steps=args.steps))
    if args.metrics:
        with open(args.metrics, encoding="utf-8") as f:
            report = json.load(f)
        metrics = {**metrics, **{k: v for k, v in report.items() if k != "episodeNames"}}
    manifest = export_folder(
        model,
        args.out,
        info_id=args.id or model.config.name,
        description=args.description or description,
        version=args.version,
        training=training,
        metrics=metrics,
        reference_seed=args.seed if args.reference else None,
    )
    arch = manifest["architecture"]
    size = os.path.getsize(os.path.join(args.out, MODEL_FILE))
    extra = " + reference.bin/.json" if args.reference else ""
    if args.with_checkpoint:
        from models.slim import FOLDER_CHECKPOINT, dtype_name, write_slim

        slim_size, raw_dtype = write_slim(args.checkpoint, os.path.join(args.out, FOLDER_CHECKPOINT))
        extra += f" + {FOLDER_CHECKPOINT} ({slim_size:,} bytes, weights {dtype_name(raw_dtype)})"
    print(f"wrote {args.out}/{MODEL_FILE} ({size:,} bytes) + {MANIFEST_FILE}{extra}")
    flops = arch["flopsPerStep"]
    print(f"params {arch['params']:,}  FLOPs per step {flops:,} ({flops / 1e9:.4f} G)")


if __name__ == "__main__":
    main()
