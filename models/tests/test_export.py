"""ONNX export and manifest: what the TypeScript loader relies on.

    /usr/bin/python3 -m pytest -q models/tests/test_export.py
"""
import json
import os

import numpy as np
import onnx
import pytest
import torch

from models.config import get_preset
from models.export import export_folder, load_checkpoint, random_model
from models.manifest import MANIFEST_KEYS, TRAINING_KEYS, check_model_folder
from models.reference import read_reference, run_case
from models.sampler import build_sigmas

from .helpers import random_inputs

MAX_FIXTURE_BYTES = 1_000_000


@pytest.fixture(scope="module", params=["tiny", "tiny-streams"])
def exported(request, tmp_path_factory):
    out = str(tmp_path_factory.mktemp(request.param))
    model = random_model(get_preset(request.param), seed=0)
    desc = f"Random-weights test fixture made by models.export (preset {request.param}, seed 0)."
    manifest = export_folder(model, out, info_id=request.param, description=desc, reference_seed=0)
    return out, model, manifest


def test_onnx_is_valid(exported) -> None:
    out, _, _ = exported
    proto = onnx.load(os.path.join(out, "model.onnx"))
    onnx.checker.check_model(proto, full_check=True)
    assert max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")) <= 17
    assert os.path.getsize(os.path.join(out, "model.onnx")) < MAX_FIXTURE_BYTES


def test_graph_io_matches_manifest(exported) -> None:
    out, model, manifest = exported
    proto = onnx.load(os.path.join(out, "model.onnx"))
    names = ["noisy", "sigma", "context", "actions", *model.config.stream_names]
    assert [i.name for i in proto.graph.input] == names == [i["name"] for i in manifest["inputs"]]
    assert [o.name for o in proto.graph.output] == ["denoised"]
    values, entries = [*proto.graph.input, *proto.graph.output], [*manifest["inputs"], *manifest["outputs"]]
    for value, entry in zip(values, entries):
        t = value.type.tensor_type
        assert t.elem_type == onnx.TensorProto.FLOAT and entry["dtype"] == "float32"  # no int64 inputs
        dims = t.shape.dim
        assert dims[0].dim_param == "batch"  # dynamic batch for speculative branches
        assert all(d.HasField("dim_value") for d in dims[1:])  # everything else fixed
        assert [dims[0].dim_param, *[d.dim_value for d in dims[1:]]] == entry["shape"]
    assert check_model_folder(out) == manifest


def test_manifest_fields(exported) -> None:
    out, model, manifest = exported
    with open(os.path.join(out, "manifest.json")) as f:
        assert tuple(json.load(f)) == MANIFEST_KEYS
    config = model.config
    assert manifest["format"] == "nextframe.manifest" and manifest["formatVersion"] == 1
    assert manifest["modelFile"] == "model.onnx" and manifest["version"] == "0.1.0"
    assert manifest["resolution"] == {"width": 32, "height": 32}
    assert manifest["contextFrames"] == 2 and manifest["tickHz"] == 20
    assert manifest["camera"] == {"fovYDegrees": 70, "aspect": 1, "near": 0.05, "far": 60}
    assert len(manifest["actions"]) == 7 and manifest["actions"][3] == {
        "name": "yaw", "kind": "axis", "unit": "rad/tick", "scale": 0.25, "bins": 9
    }
    assert manifest["conditioning"] == ["context", "actions", *config.stream_names]
    assert manifest["inputs"][2]["shape"] == ["batch", 6, 32, 32]
    assert manifest["inputs"][3]["shape"] == ["batch", 2, 7]
    assert manifest["sampler"] == {
        "method": "euler", "steps": 3, "sigmaMin": 0.002, "sigmaMax": 5, "rho": 7, "sigmaData": 0.5
    }
    arch = manifest["architecture"]
    assert arch["kind"] == "edm-unet" and arch["channels"] == [8, 16] and arch["resBlocks"] == 1
    assert arch["params"] == sum(p.numel() for p in model.parameters()) and arch["flopsPerStep"] > 0
    assert manifest["training"] is None and manifest["metrics"] == {}


def test_reference_cases(exported) -> None:
    out, model, _ = exported
    index, cases = read_reference(out)
    assert index["sigmas"] == build_sigmas(3, 0.002, 5.0, 7.0)
    assert [c["name"] for c in index["cases"]] == ["batch1-sigma5", "batch1-sigma0.05", "batch2-sigma0.3-1.7"]
    sigmas = [c["inputs"]["sigma"].tolist() for c in cases]
    assert sigmas == [[5.0], [pytest.approx(0.05)], [pytest.approx(0.3), pytest.approx(1.7)]]
    batch2 = cases[2]["inputs"]["actions"]
    assert not np.array_equal(batch2[0], batch2[1])
    levels = np.array([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1])
    for case in cases:
        acts = case["inputs"]["actions"]
        assert np.isin(acts[..., :5], levels).all() and np.isin(acts[..., 5:], [0, 1]).all()
        assert np.abs(case["inputs"]["context"]).max() <= 1
        expected = case["outputs"]["denoised"]
        np.testing.assert_allclose(run_case(model, case["inputs"]), expected, rtol=0, atol=1e-6)


def test_fixture_output_depends_on_every_input(exported) -> None:
    # the parity test is only meaningful if no input is ignored by the random weights
    _, model, _ = exported
    inputs = random_inputs(model.config, 1, seed=5)
    base = model.denoise(**inputs)
    for name in inputs:
        changed = dict(inputs)
        changed[name] = -inputs[name] if name not in ("sigma", "actions") else inputs[name] * 0.5
        diff = (model.denoise(**changed) - base).abs().max()
        assert diff > 1e-4, f"output ignores {name}"


def test_checkpoint_round_trip(tmp_path) -> None:
    config = get_preset("tiny")
    trained = random_model(config, seed=9)
    training = {"dataset": "arena-v1", "steps": 10, "batchSize": 4, "hardware": "2 CPU cores",
                "wallTimeSeconds": 1.5, "command": "python -m models.train"}
    path = tmp_path / "ckpt.pt"
    torch.save({"config": config.to_dict(), "model": trained.state_dict(), "training": training,
                "metrics": {"psnr": 20.0}}, path)
    model, ckpt = load_checkpoint(str(path))
    for a, b in zip(model.parameters(), trained.parameters()):
        torch.testing.assert_close(a, b)
    manifest = export_folder(model, str(tmp_path / "out"), "tiny-trained", "test", training=ckpt["training"],
                             metrics=ckpt["metrics"])
    # An older checkpoint's training without eyeHeight exports without it.
    assert list(manifest["training"]) == list(TRAINING_KEYS) and manifest["metrics"] == {"psnr": 20.0}
    for bad in ({"min": 1.7, "max": 1.0}, {"min": 0, "max": 1.6}, {"min": 1.6}, 1.6):
        with pytest.raises(ValueError, match="training.eyeHeight must be"):
            export_folder(model, str(tmp_path / "bad"), "tiny-trained", "test", training={**training, "eyeHeight": bad})
    assert not os.path.exists(tmp_path / "out" / "reference.json")
