"""Export the display upsampler to model.onnx + manifest.json (+ reference I/O for parity tests).

    /usr/bin/python3 -m models.export_upsampler --preset tiny --seed 0 --out tests/fixtures/tiny-upsampler --reference
    /usr/bin/python3 -m models.export_upsampler --checkpoint runs/upsampler/best.pt --out public/models/upsampler \
        [--metrics eval.json]     # train_upsampler --evaluate's report, merged into the manifest's metrics

Fixed shapes, batch 1, float32, opset 17; inputs base, memory, frame, depth and output
display as models/upsampler.py describes. The manifest:

    {"kind": "upsampler", "id", "version": 1, "scale", "resolution": {"width", "height"} (the
     model frame), "inputs": {name: shape}, "outputs": {"display": shape}, "memoryChannel":
     "coverage" | "confidence" (what memory channel 3 must hold: the config's memory_channel),
     "copyMemoryAt" (only with --copy-memory-at: the runtime shows memory's render where its
     score reaches this; not part of the graph), "camera": {"far"}, "modelSha256", "training", "metrics", "architecture": {"channels",
     "layers", "memoryGate", "residualMeanFree", "memoryOverResidual", "params", "flopsPerFrame"}}

Random-weights fixtures get small random heads (from the seed), so their output depends
on every input instead of being the bicubic base.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import onnx
import torch
from torch import nn

from models.bicubic import bicubic_upsample
from models.manifest import file_sha256
from models.onnx_trace import trace_to_onnx
from models.upsampler import MEMORY_CHANNELS, PRESETS, Upsampler, UpsamplerConfig, cost, example_inputs

MODEL_FILE = "model.onnx"
MANIFEST_FILE = "manifest.json"
REFERENCE_BIN = "reference.bin"
REFERENCE_JSON = "reference.json"
ALLOWED_OPS = {"Conv", "Relu", "LeakyRelu", "Add", "Mul", "Concat", "Reshape", "Transpose", "Clip", "Constant"}


@dataclass(frozen=True)
class ExportConfig:
    opset: int = 17
    fixture_head_std: float = 0.1  # random-weights fixtures: std of the (normally zero) heads
    fixture_far: float = 60.0  # camera far of a fixture (the tiny presets' camera)


def random_model(config: UpsamplerConfig, seed: int, export: ExportConfig = ExportConfig()) -> Upsampler:
    """Seeded random weights whose output depends on every input (heads not zero)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Upsampler(config)
        for head in (model.head_residual, model.head_gate):
            if head is not None:
                nn.init.normal_(head.weight, std=export.fixture_head_std)
                nn.init.normal_(head.bias, std=export.fixture_head_std)
        if model.head_gate is not None:  # gates partly open so the memory path shows in the output
            nn.init.constant_(model.head_gate.bias, 0.5)
    return model.eval()


def load_checkpoint(path: str) -> tuple[Upsampler, dict[str, Any]]:
    """Loads {"config", "model"} (+ "training", "metrics") as models.train_upsampler writes it."""
    ckpt = torch.load(path, map_location="cpu")
    missing = [k for k in ("config", "model") if k not in ckpt]
    if missing:
        raise ValueError(f"load_checkpoint: {path} lacks {missing}; expected a models.train_upsampler checkpoint")
    model = Upsampler(UpsamplerConfig.from_dict(ckpt["config"]))
    model.load_state_dict(ckpt["model"])
    return model.eval(), ckpt


def export_onnx(model: Upsampler, path: str, export: ExportConfig = ExportConfig()) -> onnx.ModelProto:
    """Writes the ONNX file, checks it (checker, shapes, ops, opset) and returns it."""
    config = model.config
    names = list(config.input_shapes())
    inputs = example_inputs(config)
    proto = trace_to_onnx(model.folded(), tuple(inputs[n] for n in names), path, names, ["display"], export.opset)
    onnx.checker.check_model(proto, full_check=True)
    check_graph(proto, config, export)
    return proto


def graph_shapes(proto: onnx.ModelProto) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """({input: shape}, {output: shape}) as the graph declares them (initializers left out)."""
    def dims(v: onnx.ValueInfoProto) -> list[int]:
        return [d.dim_value if d.HasField("dim_value") else -1 for d in v.type.tensor_type.shape.dim]

    inits = {i.name for i in proto.graph.initializer}
    return ({v.name: dims(v) for v in proto.graph.input if v.name not in inits},
            {v.name: dims(v) for v in proto.graph.output})


def check_graph(proto: onnx.ModelProto, config: UpsamplerConfig, export: ExportConfig = ExportConfig()) -> None:
    """Raises unless the graph has exactly the contract's inputs/outputs (names, float32, shapes,
    in order), opset <= export.opset and only ops the runtime's execution providers all run."""
    inputs, outputs = graph_shapes(proto)
    if list(inputs.items()) != list(config.input_shapes().items()) or outputs != config.output_shapes():
        raise ValueError(f"check_graph: graph I/O {inputs} -> {outputs}, expected "
                         f"{config.input_shapes()} -> {config.output_shapes()}")
    floats = [v.name for v in [*proto.graph.input, *proto.graph.output]
              if v.type.tensor_type.elem_type != onnx.TensorProto.FLOAT]
    if floats:
        raise ValueError(f"check_graph: {floats} are not float32")
    opset = max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx"))
    if opset > export.opset:
        raise ValueError(f"check_graph: opset {opset}, expected <= {export.opset}")
    ops = {n.op_type for n in proto.graph.node} - ALLOWED_OPS
    if ops:
        raise ValueError(f"check_graph: ops {sorted(ops)} outside {sorted(ALLOWED_OPS)}")
    inferred = onnx.shape_inference.infer_shapes(proto, strict_mode=True)
    _, out = graph_shapes(inferred)
    if out != config.output_shapes():
        raise ValueError(f"check_graph: shape inference gives {out}, expected {config.output_shapes()}")


def build_manifest(model: Upsampler, info_id: str, far: float, sha256: str,
                   training: Optional[dict[str, Any]] = None, metrics: Optional[dict[str, Any]] = None,
                   copy_memory_at: Optional[float] = None) -> dict[str, Any]:
    config = model.config
    params, flops = cost(config)
    if copy_memory_at is not None and not 0 < copy_memory_at <= 1:
        raise ValueError(f"build_manifest: copy_memory_at must be a memory score in (0, 1], found {copy_memory_at}")
    return {
        "kind": "upsampler",
        "id": info_id,
        "version": 1,
        "scale": config.scale,
        "resolution": {"width": config.width, "height": config.height},
        "inputs": config.input_shapes(),
        "outputs": config.output_shapes(),
        # Always written, though readers default to coverage: the runtime must feed what the net was trained on.
        "memoryChannel": config.memory_channel,
        # The runtime (worldmodel/DisplayPainter.ts) shows memory's render where memory's score reaches it.
        **({"copyMemoryAt": copy_memory_at} if copy_memory_at is not None else {}),
        "camera": {"far": int(far) if float(far).is_integer() else far},
        "modelSha256": sha256,
        "training": training,
        "metrics": dict(metrics or {}),
        "architecture": {"channels": config.channels, "layers": config.layers, "memoryGate": config.memory_gate,
                         "residualMeanFree": config.residual_mean_free,
                         "memoryOverResidual": config.memory_over_residual, "params": params, "flopsPerFrame": flops},
    }


def reference_inputs(config: UpsamplerConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Valid inputs: a smooth-ish random frame, base = its bicubic upsample (so the TS side can
    check its bicubicUpsample too), a memory render with holes (channel 3 coverage {0, 1}, or
    confidence in (0, 1] where covered, per config.memory_channel), depth in [-1, 1]."""
    h, w = config.height, config.width
    frame = np.tanh(rng.normal(0, 0.8, (1, 3, h, w))).astype(np.float32)  # (1, 3, H, W)
    base = bicubic_upsample(torch.from_numpy(frame), config.scale).numpy()  # (1, 3, sH, sW)
    sh, sw = h * config.scale, w * config.scale
    cover = (rng.random((1, 1, sh, sw)) < 0.6).astype(np.float32)  # (1, 1, sH, sW)
    rgb = np.clip(base + rng.normal(0, 0.2, base.shape), -1, 1) * cover
    depth = rng.uniform(-1, 1, (1, 1, h, w))
    channel = cover
    if config.memory_channel == "confidence":  # drawn last: coverage fixtures stay byte-identical
        channel = cover * rng.uniform(0.2, 1.0, cover.shape).astype(np.float32)
    arrays = {"base": base, "memory": np.concatenate([rgb, channel], axis=1), "frame": frame, "depth": depth}
    return {n: np.ascontiguousarray(a, dtype=np.float32) for n, a in arrays.items()}


@torch.no_grad()
def write_reference(folder: str, model: Upsampler, seed: int, cases: int = 2) -> dict[str, Any]:
    """reference.bin (float32 LE, concatenated) + reference.json ({offset (floats), shape} per
    array), the same layout as models/reference.py's."""
    rng = np.random.default_rng(seed)
    chunks: list[np.ndarray] = []
    offset = 0

    def add(a: np.ndarray) -> dict[str, Any]:
        nonlocal offset
        chunks.append(a.astype("<f4").ravel())
        offset += a.size
        return {"offset": offset - a.size, "shape": list(a.shape)}

    index_cases = []
    for k in range(cases):
        inputs = reference_inputs(model.config, rng)
        output = model(**{n: torch.from_numpy(a) for n, a in inputs.items()}).numpy()
        index_cases.append({"name": f"random-{k}", "inputs": {n: add(a) for n, a in inputs.items()},
                            "outputs": {"display": add(output)}})
    index = {"file": REFERENCE_BIN, "dtype": "float32", "byteOrder": "little", "cases": index_cases}
    with open(os.path.join(folder, REFERENCE_BIN), "wb") as f:
        f.write(np.concatenate(chunks).tobytes())
    with open(os.path.join(folder, REFERENCE_JSON), "w", encoding="utf-8") as f:
        json.dump(index, f, indent=2)
        f.write("\n")
    return index


def read_reference(folder: str) -> list[dict[str, dict[str, np.ndarray]]]:
    """The cases of a reference.json as [{"inputs": {name: array}, "outputs": {name: array}}]."""
    with open(os.path.join(folder, REFERENCE_JSON), encoding="utf-8") as f:
        index = json.load(f)
    data = np.fromfile(os.path.join(folder, index["file"]), dtype="<f4")

    def get(e: dict[str, Any]) -> np.ndarray:
        return data[e["offset"]: e["offset"] + int(np.prod(e["shape"]))].reshape(e["shape"])

    return [{part: {n: get(e) for n, e in c[part].items()} for part in ("inputs", "outputs")} for c in index["cases"]]


def export_folder(model: Upsampler, out: str, info_id: str, far: float, training: Optional[dict[str, Any]] = None,
                  metrics: Optional[dict[str, Any]] = None, reference_seed: Optional[int] = None,
                  copy_memory_at: Optional[float] = None) -> dict[str, Any]:
    """model.onnx + manifest.json (+ reference.*) into out; returns the manifest."""
    os.makedirs(out, exist_ok=True)
    export_onnx(model, os.path.join(out, MODEL_FILE))
    manifest = build_manifest(model, info_id, far, file_sha256(os.path.join(out, MODEL_FILE)), training, metrics,
                              copy_memory_at)
    with open(os.path.join(out, MANIFEST_FILE), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if reference_seed is not None:
        write_reference(out, model, reference_seed)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description="Export the display upsampler to ONNX + manifest.json.")
    parser.add_argument("--preset", choices=sorted(PRESETS), help="random weights of this size (no --checkpoint)")
    parser.add_argument("--checkpoint", help="a models.train_upsampler checkpoint")
    parser.add_argument("--seed", type=int, default=0, help="random weights and reference inputs")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--id", help="manifest id (default: the config name)")
    parser.add_argument("--far", type=float, help="camera far (default: the checkpoint's data meta, else 60)")
    parser.add_argument("--reference", action="store_true", help="also write reference.bin/.json")
    parser.add_argument("--metrics", help="a JSON object (train_upsampler --evaluate) merged into the manifest's metrics")
    parser.add_argument("--memory-channel", choices=MEMORY_CHANNELS,
                        help="--preset only: what memory channel 3 holds (default coverage; a checkpoint says its own)")
    parser.add_argument("--copy-memory-at", dest="copy_memory_at", type=float,
                        help="the runtime shows memory's render, not the net's, where memory's score (confidence x "
                             "resolution) is at least this; 1: real frames seen from as close (default: the checkpoint's "
                             "train_upsampler --copy-memory-at, else never)")
    args = parser.parse_args()
    if args.copy_memory_at is not None and not 0 < args.copy_memory_at <= 1:
        parser.error(f"--copy-memory-at takes a memory score in (0, 1], found {args.copy_memory_at}")
    if args.memory_channel and not args.preset:
        parser.error("--memory-channel goes with --preset; a checkpoint's config says what it was trained on")
    if args.checkpoint:
        model, ckpt = load_checkpoint(args.checkpoint)
        training, metrics, far = ckpt.get("training"), ckpt.get("metrics", {}), ckpt.get("far")
        if args.copy_memory_at is None and ckpt.get("trainConfig", {}).get("copy_memory_at", 0.0) > 0:
            args.copy_memory_at = ckpt["trainConfig"]["copy_memory_at"]  # trained with the copy: the runtime must copy too
    elif args.preset:
        config = dataclasses.replace(PRESETS[args.preset], memory_channel=args.memory_channel or "coverage")
        model, training, metrics, far = random_model(config, args.seed), None, {}, None
    else:
        parser.error("give --preset (random weights) or --checkpoint")
    if args.metrics:
        with open(args.metrics, encoding="utf-8") as f:
            metrics = {**metrics, **json.load(f)}
    far = args.far if args.far is not None else (far if far is not None else ExportConfig().fixture_far)
    manifest = export_folder(model, args.out, args.id or model.config.name, far, training, metrics,
                             args.seed if args.reference else None, args.copy_memory_at)
    arch = manifest["architecture"]
    size = os.path.getsize(os.path.join(args.out, MODEL_FILE))
    print(f"wrote {args.out}/{MODEL_FILE} ({size:,} bytes) + {MANIFEST_FILE}" + (" + reference" if args.reference else ""))
    print(f"params {arch['params']:,}  FLOPs per frame {arch['flopsPerFrame']:,} ({arch['flopsPerFrame'] / 1e9:.4f} G)")


if __name__ == "__main__":
    main()
