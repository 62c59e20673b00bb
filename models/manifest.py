"""manifest.json: what the TypeScript loader needs to know about a model.onnx.

    /usr/bin/python3 -m models.manifest tests/fixtures/tiny     # check a model folder

Input and output shapes are read back from the exported ONNX graph and compared with
what the config says, so the manifest and the graph cannot drift apart. Key order is
fixed (MANIFEST_KEYS) to keep diffs of shipped manifests readable.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import os
from dataclasses import dataclass, field
from typing import Any, Optional, Union

import onnx

from models.config import ModelConfig

FORMAT = "nextframe.manifest"
FORMAT_VERSION = 1
MODEL_FILE = "model.onnx"
MANIFEST_FILE = "manifest.json"

MANIFEST_KEYS = (
    "format", "formatVersion", "id", "version", "description", "modelFile", "modelSha256", "resolution",
    "contextFrames", "tickHz", "camera", "actions", "conditioning", "inputs", "outputs",
    "sampler", "architecture", "training", "metrics",
)
TRAINING_KEYS = ("dataset", "steps", "batchSize", "hardware", "wallTimeSeconds", "command")
# scene: {"id", "hash"} of the scene every episode came from; eyeHeight: {"min", "max"} metres of
# the player's eyes above the floor over the training episodes (absent in older checkpoints);
# initFrom: {"checkpoint", "steps", "dataset"?} of the weights a fine-tune started from (train --init)
OPTIONAL_TRAINING_KEYS = ("scene", "eyeHeight", "initFrom")

# ONNX TensorProto element types -> manifest dtype names (the ones ORT-web understands)
ONNX_DTYPES = {1: "float32", 10: "float16", 6: "int32", 7: "int64", 9: "bool", 2: "uint8"}

Number = Union[int, float]


@dataclass(frozen=True)
class ManifestInfo:
    """What the manifest says beyond the config: identity, provenance, measured cost."""

    id: str
    description: str
    params: int
    flops_per_step: int
    version: str = "0.1.0"
    training: Optional[dict[str, Any]] = None  # TRAINING_KEYS, from the checkpoint
    # sha256 of model.onnx as written (hex): the runtime refuses a cached or downloaded copy that differs
    model_sha256: str = ""
    metrics: dict[str, Any] = field(default_factory=dict)


def _num(x: Number) -> Number:
    """1.0 -> 1, so the JSON reads like the documented format; the value is unchanged."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def _is_eye_height_range(value: Any) -> bool:
    if not isinstance(value, dict) or set(value) != {"min", "max"}:
        return False
    lo, hi = value["min"], value["max"]
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lo, hi))
    return numbers and 0 < lo <= hi < float("inf")


def graph_io(model: onnx.ModelProto) -> tuple[list[dict], list[dict]]:
    """The graph's inputs and outputs as manifest entries: {name, dtype, shape}."""

    def entry(value: onnx.ValueInfoProto) -> dict[str, Any]:
        t = value.type.tensor_type
        shape = [d.dim_param if d.HasField("dim_param") else d.dim_value for d in t.shape.dim]
        dtype = ONNX_DTYPES.get(t.elem_type, f"onnx:{t.elem_type}")
        return {"name": value.name, "dtype": dtype, "shape": shape}

    initializers = {i.name for i in model.graph.initializer}
    inputs = [entry(v) for v in model.graph.input if v.name not in initializers]
    return inputs, [entry(v) for v in model.graph.output]


def expected_io(config: ModelConfig) -> tuple[list[dict], list[dict]]:
    """What the graph must declare, from the config alone."""
    ins = [{"name": n, "dtype": "float32", "shape": s} for n, s in config.input_shapes().items()]
    outs = [{"name": n, "dtype": "float32", "shape": s} for n, s in config.output_shapes().items()]
    return ins, outs


def build_manifest(config: ModelConfig, model: onnx.ModelProto, info: ManifestInfo) -> dict[str, Any]:
    inputs, outputs = graph_io(model)
    want_in, want_out = expected_io(config)
    if (inputs, outputs) != (want_in, want_out):
        raise ValueError(
            f"build_manifest: the ONNX graph declares inputs {inputs} and outputs {outputs}, "
            f"but the config {config.name!r} expects {want_in} and {want_out}; re-export the model"
        )
    if info.training is not None and not set(TRAINING_KEYS) <= set(info.training) <= {*TRAINING_KEYS, *OPTIONAL_TRAINING_KEYS}:
        raise ValueError(
            f"build_manifest: training must have keys {list(TRAINING_KEYS)} (and optionally "
            f"{list(OPTIONAL_TRAINING_KEYS)}), got {list(info.training)}"
        )
    if not re.fullmatch(r"[0-9a-f]{64}", info.model_sha256):
        raise ValueError(f"build_manifest: model_sha256 must be the model file's hex sha256, got {info.model_sha256!r}")
    eye = (info.training or {}).get("eyeHeight")
    if eye is not None and not _is_eye_height_range(eye):
        raise ValueError(f'build_manifest: training.eyeHeight must be {{"min": m, "max": M}} metres with '
                         f"0 < m <= M, got {eye!r}")
    s, cam = config.sampler, config.camera
    manifest = {
        "format": FORMAT,
        "formatVersion": FORMAT_VERSION,
        "id": info.id,
        "version": info.version,
        "description": info.description,
        "modelFile": MODEL_FILE,
        "modelSha256": info.model_sha256,
        "resolution": {"width": config.width, "height": config.height},
        "contextFrames": config.context_frames,
        "tickHz": config.tick_hz,
        "camera": {
            "fovYDegrees": _num(cam.fov_y_degrees),
            "aspect": _num(config.aspect),
            "near": _num(cam.near),
            "far": _num(cam.far),
        },
        "actions": [
            {"name": a.name, "kind": a.kind, "unit": a.unit, "scale": _num(a.scale), "bins": a.bins}
            for a in config.actions
        ],
        "conditioning": ["context", "actions", *config.stream_names],
        "inputs": inputs,
        "outputs": outputs,
        "sampler": {
            "method": s.method,
            "steps": s.steps,
            "sigmaMin": _num(s.sigma_min),
            "sigmaMax": _num(s.sigma_max),
            "rho": _num(s.rho),
            "sigmaData": _num(s.sigma_data),
            **({"start": s.start} if s.start != "noise" else {}),  # absent means "noise"
        },
        "architecture": {
            "kind": "edm-unet",
            "params": info.params,
            "flopsPerStep": info.flops_per_step,
            "channels": list(config.channels),
            "resBlocks": config.res_blocks,
            "embedDim": config.embed_dim,
        },
        "training": None if info.training is None else {
            k: info.training[k] for k in (*TRAINING_KEYS, *OPTIONAL_TRAINING_KEYS) if k in info.training},
        "metrics": dict(info.metrics),
    }
    assert tuple(manifest) == MANIFEST_KEYS
    return manifest


def file_sha256(path: str) -> str:
    """Hex sha256 of a file, as the manifest's modelSha256 records it."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(path: str, manifest: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def check_model_folder(folder: str) -> dict[str, Any]:
    """Loads manifest.json and checks it against the model.onnx beside it; returns the manifest."""
    with open(os.path.join(folder, MANIFEST_FILE), encoding="utf-8") as f:
        manifest = json.load(f)
    # manifests written before modelSha256 existed are still valid; with it, it must match the file
    if tuple(manifest) not in (MANIFEST_KEYS, tuple(k for k in MANIFEST_KEYS if k != "modelSha256")):
        raise ValueError(
            f"check_model_folder: {folder}: keys {list(manifest)}, expected {list(MANIFEST_KEYS)}"
        )
    model_path = os.path.join(folder, manifest["modelFile"])
    if "modelSha256" in manifest and manifest["modelSha256"] != file_sha256(model_path):
        raise ValueError(
            f"check_model_folder: {folder}: modelSha256 {manifest['modelSha256']} is not the sha256 of "
            f"{manifest['modelFile']} ({file_sha256(model_path)}); re-export or fix the manifest"
        )
    model = onnx.load(model_path)
    inputs, outputs = graph_io(model)
    if inputs != manifest["inputs"] or outputs != manifest["outputs"]:
        raise ValueError(
            f"check_model_folder: {folder}: manifest inputs/outputs differ from the ONNX graph; re-export"
        )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description="Check manifest.json against the model.onnx beside it.")
    parser.add_argument("folder")
    args = parser.parse_args()
    m = check_model_folder(args.folder)
    inputs = ", ".join(f"{i['name']}{i['shape']}" for i in m["inputs"])
    print(f"{args.folder}: {m['id']} {m['version']} ok; inputs {inputs}")


if __name__ == "__main__":
    main()
