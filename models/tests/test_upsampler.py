"""The display upsampler: shapes, the untrained net is bicubic, the export's contract, the fixture.

    /usr/bin/python3 -m pytest -q models/tests/test_upsampler.py
"""
import dataclasses
import json
import os

import numpy as np
import onnx
from onnx import numpy_helper
import pytest
import torch
from torch import nn

from models.export_upsampler import (
    check_graph, export_folder, graph_shapes, random_model, read_reference, reference_inputs,
)
from models.manifest import file_sha256
from models.upsampler import PRESETS, Upsampler, UpsamplerConfig, cost, pixel_shuffle

from .conftest import REPO_ROOT

TINY = PRESETS["tiny"]
FIXTURE = os.path.join(REPO_ROOT, "tests", "fixtures", "tiny-upsampler")


def inputs(config: UpsamplerConfig, seed: int = 0) -> dict[str, torch.Tensor]:
    arrays = reference_inputs(config, np.random.default_rng(seed))
    return {n: torch.from_numpy(a) for n, a in arrays.items()}


def test_pixel_shuffle_matches_torch() -> None:
    x = torch.randn(2, 3 * 16, 5, 6)
    torch.testing.assert_close(pixel_shuffle(x, 3, 4), nn.PixelShuffle(4)(x), rtol=0, atol=0)


@pytest.mark.parametrize("gate", [True, False])
def test_untrained_net_is_the_base(gate: bool) -> None:
    config = dataclasses.replace(TINY, memory_gate=gate)
    x = inputs(config)
    out = Upsampler(config).eval()(**x)
    assert tuple(out.shape) == tuple(config.output_shapes()["display"])
    torch.testing.assert_close(out, x["base"].clamp(-1, 1), rtol=0, atol=0)


def test_open_gate_copies_covered_memory() -> None:
    model = Upsampler(TINY).eval()
    nn.init.constant_(model.head_gate.bias, 5.0)  # clamped to 1
    x = inputs(TINY)
    out = model(**x)
    cover = x["memory"][:, 3:] > 0
    expected = torch.where(cover, x["memory"][:, :3], x["base"])
    torch.testing.assert_close(out, expected.clamp(-1, 1), rtol=0, atol=1e-6)


def test_default_cost_fits_the_budget() -> None:
    params, flops = cost(PRESETS["default"])
    assert PRESETS["default"].input_shapes()["base"] == [1, 3, 256, 256]
    assert flops < 0.07e9 and params < 20_000  # ~0.06 GFLOP per frame is the budget


def test_export_contract(tmp_path) -> None:
    model = random_model(TINY, seed=3)
    manifest = export_folder(model, str(tmp_path), "t", far=42.0, reference_seed=1)
    proto = onnx.load(str(tmp_path / "model.onnx"))
    ins, outs = graph_shapes(proto)
    assert list(ins) == ["base", "memory", "frame", "depth"] and list(outs) == ["display"]
    assert ins == {"base": [1, 3, 64, 64], "memory": [1, 4, 64, 64], "frame": [1, 3, 16, 16], "depth": [1, 1, 16, 16]}
    assert max(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")) <= 17
    check_graph(proto, TINY)
    assert manifest["kind"] == "upsampler" and manifest["version"] == 1 and manifest["scale"] == 4
    assert manifest["camera"] == {"far": 42} and manifest["inputs"] == ins and manifest["outputs"] == outs
    assert manifest["modelSha256"] == file_sha256(str(tmp_path / "model.onnx"))
    assert json.loads((tmp_path / "manifest.json").read_text()) == manifest


def test_fixture_is_current() -> None:
    """tests/fixtures/tiny-upsampler matches the code (README there has the command)."""
    with open(os.path.join(FIXTURE, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    assert manifest["modelSha256"] == file_sha256(os.path.join(FIXTURE, "model.onnx"))
    check_graph(onnx.load(os.path.join(FIXTURE, "model.onnx")), TINY)
    model = random_model(TINY, seed=0)
    for case in read_reference(FIXTURE):
        x = {n: torch.from_numpy(a) for n, a in case["inputs"].items()}
        out = model(**x).detach().numpy()
        np.testing.assert_allclose(out, case["outputs"]["display"], rtol=0, atol=1e-6)
        assert np.abs(out - case["inputs"]["base"]).max() > 0.1  # the fixture is not just bicubic


def test_export_and_training_memory_terms_agree() -> None:
    model = random_model(TINY, seed=1)
    x = inputs(TINY, seed=2)
    display_in = torch.cat([x["base"], x["memory"]], dim=1)
    for conv, sliced in zip(model.memory_terms(display_in, x["memory"], True), model.memory_terms(display_in, x["memory"], False)):
        torch.testing.assert_close(conv, sliced, rtol=0, atol=0)


def test_mean_free_residual_keeps_every_block_mean(tmp_path) -> None:
    config = dataclasses.replace(TINY, residual_mean_free=True, memory_gate=False)
    model = random_model(config, seed=5)
    s = config.scale
    g = torch.Generator().manual_seed(0)
    frame = torch.rand(1, 3, config.height, config.width, generator=g) * 0.5 - 0.25  # away from the clamp
    base = nn.functional.interpolate(frame, scale_factor=s, mode="nearest")
    inputs = {"base": base, "memory": torch.zeros(1, 4, s * config.height, s * config.width), "frame": frame,
              "depth": torch.zeros(1, 1, config.height, config.width)}
    with torch.no_grad():
        out = model(**inputs)
    residual = out - base
    assert residual.abs().max() > 1e-3  # the random head does add detail ...
    block_means = nn.functional.avg_pool2d(residual, s)
    assert block_means.abs().max() < 1e-6  # ... but never moves a model pixel's colour
    with torch.no_grad():  # the folded copy is the same function with a plain head
        torch.testing.assert_close(model.folded()(**inputs), out, rtol=0, atol=1e-6)
    # The projection is folded into one Conv in the graph: the op set is unchanged and the
    # residual head's exported weights are already mean-free.
    export_folder(model, str(tmp_path), "t", far=60.0)
    proto = onnx.load(str(tmp_path / "model.onnx"))
    check_graph(proto, config)
    heads = [numpy_helper.to_array(t) for t in proto.graph.initializer
             if numpy_helper.to_array(t).shape[:1] == (3 * s * s,) and numpy_helper.to_array(t).ndim == 4]
    assert len(heads) == 1
    w = heads[0].reshape(3, s * s, -1)
    assert np.abs(w.mean(axis=1)).max() < 1e-6
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["architecture"]["residualMeanFree"] is True


def test_memory_over_residual_copies_memory_alone_where_the_gate_is_open(tmp_path) -> None:
    config = dataclasses.replace(TINY, memory_over_residual=True)
    model = random_model(config, seed=2)  # a residual that is not zero
    nn.init.constant_(model.head_gate.weight, 0.0)
    nn.init.constant_(model.head_gate.bias, 5.0)  # clamped to 1
    x = inputs(config)
    with torch.no_grad():
        out = model(**x)
        nn.init.constant_(model.head_gate.bias, -5.0)  # clamped to 0: the same features, base + residual
        free = model(**x)
        nn.init.constant_(model.head_gate.bias, 5.0)
    cover = x["memory"][:, 3:] > 0
    assert (free - x["base"].clamp(-1, 1)).abs().max() > 1e-3
    torch.testing.assert_close(out, torch.where(cover, x["memory"][:, :3].clamp(-1, 1), free), rtol=0, atol=1e-6)
    export_folder(model, str(tmp_path), "t", far=60.0)  # Mul + Add only: check_graph passes
    assert json.loads((tmp_path / "manifest.json").read_text())["architecture"]["memoryOverResidual"] is True


def test_cost_counts_the_mean_free_head() -> None:
    config = PRESETS["default"]
    assert cost(dataclasses.replace(config, residual_mean_free=True, memory_over_residual=True)) == cost(config)


@pytest.mark.parametrize("kind", ["coverage", "confidence"])
def test_manifest_says_the_memory_channel(kind: str, tmp_path) -> None:
    config = dataclasses.replace(TINY, memory_channel=kind)
    manifest = export_folder(random_model(config, seed=3), str(tmp_path), "t", far=60.0, reference_seed=1)
    assert manifest["memoryChannel"] == kind
    assert json.loads((tmp_path / "manifest.json").read_text())["memoryChannel"] == kind
    # The graph does not depend on the kind (the same weights, the same ONNX) ...
    assert manifest["modelSha256"] == export_folder(random_model(TINY, seed=3), str(tmp_path / "cov"), "t", 60.0)["modelSha256"]
    # ... but the parity inputs hold what the kind says: {0, 1}, or confidence in (0, 1] where covered.
    for case in read_reference(str(tmp_path)):
        channel = case["inputs"]["memory"][:, 3]
        rgb = case["inputs"]["memory"][:, :3]
        assert channel.min() >= 0 and channel.max() <= 1 and 0 < (channel > 0).mean() < 1
        assert np.all(rgb[np.broadcast_to(channel[:, None] == 0, rgb.shape)] == 0)  # RGB 0 where uncovered
        values = set(np.unique(channel).tolist())
        assert (values == {0.0, 1.0}) == (kind == "coverage")


def test_manifest_says_copy_memory_at_only_when_given(tmp_path) -> None:
    model = random_model(TINY, seed=3)
    assert "copyMemoryAt" not in export_folder(model, str(tmp_path / "plain"), "t", 60.0)
    manifest = export_folder(model, str(tmp_path / "copy"), "t", 60.0, copy_memory_at=1.0)
    assert json.loads((tmp_path / "copy" / "manifest.json").read_text())["copyMemoryAt"] == 1.0 == manifest["copyMemoryAt"]
    for bad in (0.0, 1.5):
        with pytest.raises(ValueError, match=r"copy_memory_at must be a memory score in \(0, 1\]"):
            export_folder(model, str(tmp_path / "bad"), "t", 60.0, copy_memory_at=bad)


def test_memory_channel_is_validated_and_defaults_to_coverage() -> None:
    assert TINY.memory_channel == "coverage"
    old = {k: v for k, v in TINY.to_dict().items() if k != "memory_channel"}  # a checkpoint from before the field
    assert UpsamplerConfig.from_dict(old).memory_channel == "coverage"
    assert UpsamplerConfig.from_dict({**old, "memory_channel": "confidence"}).memory_channel == "confidence"
    with pytest.raises(ValueError, match="memory_channel must be one of .* found 'binary'"):
        dataclasses.replace(TINY, memory_channel="binary")


def test_open_gate_scales_memory_by_confidence() -> None:
    """g = gate · channel 3: with the gate open, confidence c blends c of the way to memory."""
    config = dataclasses.replace(TINY, memory_channel="confidence")
    model = Upsampler(config).eval()
    nn.init.constant_(model.head_gate.bias, 5.0)  # clamped to 1; the residual head stays zero
    x = inputs(config, seed=4)
    with torch.no_grad():
        out = model(**x)
    c = x["memory"][:, 3:]
    assert 0 < c[c > 0].min() < 0.5 and c.max() <= 1  # partial confidences, not just {0, 1}
    expected = x["base"] + c * (x["memory"][:, :3] - x["base"])
    torch.testing.assert_close(out, expected.clamp(-1, 1), rtol=0, atol=1e-6)
