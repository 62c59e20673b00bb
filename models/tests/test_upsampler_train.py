"""models/train_upsampler.py: a smoke run, resume, export of the checkpoint.

    /usr/bin/python3 -m pytest -q models/tests/test_upsampler_train.py
"""
import json
import math
import os

import onnx
import pytest
import torch

from models.export_upsampler import check_graph, load_checkpoint
from models.loss import detail_loss
from models.train_upsampler import loss_fn, main
from models.upsampler_data import write_synthetic


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("ups-data"))
    write_synthetic(path, samples=12, width=16, height=16, scale=4, seed=1)
    return path


def run(data: str, out: str, *extra: str) -> None:
    main(["--data", data, "--out", out, "--batch-size", "4", "--crop", "8", "--threads", "1",
          "--log-every", "1", "--eval-every", "2", "--eval-samples", "2", *extra])


def test_two_steps_then_export(data: str, tmp_path) -> None:
    out, export = str(tmp_path / "run"), str(tmp_path / "export")
    run(data, out, "--steps", "2", "--export", export)
    log = [json.loads(line) for line in open(os.path.join(out, "log.jsonl"), encoding="utf-8")]
    assert [r["step"] for r in log if "loss" in r] == [1, 2]
    evals = [r for r in log if "heldoutPsnr" in r]
    assert len(evals) == 1 and evals[0]["heldoutPsnrBicubic"] > 5 and evals[0]["heldoutPsnrWarp"] > 5
    assert os.path.isfile(os.path.join(out, "best.pt"))
    model, ckpt = load_checkpoint(os.path.join(out, "last.pt"))
    assert ckpt["step"] == 2 and ckpt["training"]["steps"] == 2 and ckpt["far"] == 60
    assert ckpt["training"]["samples"] == 11 and "models.train_upsampler" in ckpt["training"]["command"]
    manifest = json.load(open(os.path.join(export, "manifest.json"), encoding="utf-8"))
    assert manifest["training"]["steps"] == 2 and manifest["metrics"]["heldoutPsnr"] == evals[0]["heldoutPsnr"]
    check_graph(onnx.load(os.path.join(export, "model.onnx")), model.config)


def test_resume_continues_the_same_run(data: str, tmp_path) -> None:
    torch.set_num_threads(1)
    run(data, str(tmp_path / "a"), "--steps", "4")
    run(data, str(tmp_path / "b"), "--steps", "2")
    run(data, str(tmp_path / "b"), "--steps", "4", "--resume")
    a = torch.load(tmp_path / "a" / "last.pt")["model"]
    b = torch.load(tmp_path / "b" / "last.pt")
    assert b["step"] == 4
    for name in a:
        torch.testing.assert_close(a[name], b["model"][name], rtol=0, atol=0)


def test_gradient_loss() -> None:
    truth = torch.zeros(1, 3, 4, 4)
    out = torch.zeros(1, 3, 4, 4)
    out[..., 1::2] = 0.2  # stripes: mean L1 0.1, every x-difference 0.2 off
    assert loss_fn(out, truth, 0.0).item() == pytest.approx(0.1)
    assert loss_fn(out, truth, 1.0).item() == pytest.approx(0.1 + 0.2)


def test_detail_loss_wants_the_truths_edge_energy_not_its_edges() -> None:
    truth = torch.zeros(2, 3, 4, 4)
    truth[..., 1::2] = 0.2  # stripes: energy 0.02 (x differences 0.04, y none)
    shifted = torch.zeros(2, 3, 4, 4)
    shifted[..., 0::2] = 0.2  # the same stripes one pixel over: as detailed, every pixel wrong
    flat = torch.full((2, 3, 4, 4), 0.1)  # the L1 median of the two: no detail at all
    assert detail_loss(shifted, truth).item() == pytest.approx(0.0, abs=1e-6)
    assert detail_loss(flat, truth).item() == pytest.approx(math.log((0.02 + 1e-4) / 1e-4), rel=1e-4)
    assert loss_fn(flat, truth, 0.0, 0.5).item() == pytest.approx(0.1 + 0.5 * math.log(201), rel=1e-4)


def test_evaluate_reports_detail_ratios_against_the_truth() -> None:
    from models.metrics import gradient_energy
    from models.train_upsampler import evaluate
    from models.upsampler import PRESETS, Upsampler

    config = PRESETS["tiny"]
    g = torch.Generator().manual_seed(0)
    sh, sw = config.height * config.scale, config.width * config.scale
    truth = torch.rand(3, 3, sh, sw, generator=g) * 2 - 1
    base = truth * 0.5  # half the contrast: a quarter of the edge energy
    memory = torch.cat([truth, torch.ones(3, 1, sh, sw)], dim=1)  # covered everywhere: the warp is the truth
    held = {"base": base, "memory": memory, "truth": truth,
            "frame": torch.zeros(3, 3, config.height, config.width), "depth": torch.zeros(3, 1, config.height, config.width)}
    m = evaluate(Upsampler(config), held)  # untrained: the bicubic base exactly
    expected = float(gradient_energy(base.numpy()).sum() / gradient_energy(truth.numpy()).sum())
    assert expected == pytest.approx(0.25, rel=1e-6)
    assert m["heldoutDetailRatioBicubic"] == pytest.approx(expected, abs=1e-3)
    assert m["heldoutDetailRatio"] == pytest.approx(expected, abs=1e-3)
    assert m["heldoutDetailRatioWarp"] == pytest.approx(1.0, abs=1e-3)


@pytest.fixture(scope="module")
def confidence_data(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("ups-conf"))
    write_synthetic(path, samples=12, width=16, height=16, scale=4, seed=1, memory_channel="confidence")
    return path


def test_a_new_run_takes_the_datas_memory_channel(confidence_data: str, tmp_path) -> None:
    out, export = str(tmp_path / "run"), str(tmp_path / "export")
    run(confidence_data, out, "--steps", "1", "--export", export)
    model, ckpt = load_checkpoint(os.path.join(out, "last.pt"))
    assert model.config.memory_channel == "confidence" and ckpt["config"]["memory_channel"] == "confidence"
    assert json.load(open(os.path.join(export, "manifest.json"), encoding="utf-8"))["memoryChannel"] == "confidence"


def test_a_checkpoint_of_the_other_kind_is_refused(data: str, confidence_data: str, tmp_path) -> None:
    out = str(tmp_path / "run")
    run(data, out, "--steps", "1")
    assert load_checkpoint(os.path.join(out, "last.pt"))[0].config.memory_channel == "coverage"
    with pytest.raises(SystemExit, match="trained with memory channel 'coverage'.*holds 'confidence'.*--memory-channel coverage"):
        run(confidence_data, out, "--steps", "2", "--resume")
    with pytest.raises(SystemExit, match="trained with memory channel 'coverage'.*holds 'confidence'"):
        run(confidence_data, out, "--evaluate", os.path.join(out, "last.pt"))


def test_evaluate_counts_any_confidence_as_covered() -> None:
    from models.train_upsampler import evaluate, frame_psnr
    from models.upsampler import PRESETS, Upsampler

    config = PRESETS["tiny"]
    g = torch.Generator().manual_seed(0)
    sh, sw = config.height * config.scale, config.width * config.scale
    truth = torch.rand(2, 3, sh, sw, generator=g) * 2 - 1
    channel = torch.zeros(2, 1, sh, sw)
    channel[..., : sh // 2, :] = 0.25  # the top half covered by a painted frame: a quarter confident
    memory = torch.cat([truth * (channel > 0), channel], dim=1)
    held = {"base": torch.zeros_like(truth), "memory": memory, "truth": truth,
            "frame": torch.zeros(2, 3, config.height, config.width), "depth": torch.zeros(2, 1, config.height, config.width)}
    m = evaluate(Upsampler(config), held)
    assert m["heldoutCoverage"] == 0.5  # half the pixels, not the mean confidence 0.125
    # the warp copies the (here exact) memory over the whole covered half, not a quarter of the way:
    # the truth on top, the zero base below
    warped = truth.clone()
    warped[..., sh // 2:, :] = 0
    assert m["heldoutPsnrWarp"] == pytest.approx(round(frame_psnr(warped, truth), 3), abs=1e-3)
    assert m["heldoutPsnrWarp"] > m["heldoutPsnrBicubic"] + 2.5  # half the error energy: ~3 dB


def test_shown_copies_memory_where_its_score_reaches_the_threshold_and_feeds_the_net_coverage() -> None:
    from models.train_upsampler import shown

    from types import SimpleNamespace

    seen: dict[str, torch.Tensor] = {}

    class Net:  # records what it was given; paints 0.5 everywhere
        def __init__(self, channel: str) -> None:
            self.config = SimpleNamespace(memory_channel=channel)

        def __call__(self, base, memory, frame, depth):
            seen["memory"] = memory
            return torch.full_like(base, 0.5)

    net = Net("coverage")

    memory = torch.zeros(1, 4, 1, 3)
    memory[:, :3] = torch.tensor([-0.2, 0.3, 0.9]).view(1, 1, 1, 3)  # one colour per pixel, the same in R, G, B
    memory[:, 3] = torch.tensor([0.0, 0.9, 1.0]).view(1, 1, 3)  # uncovered, painted, real
    base, frame, depth = torch.zeros(1, 3, 1, 3), torch.zeros(1, 3, 1, 1), torch.zeros(1, 1, 1, 1)
    out = shown(net, base, memory, frame, depth, copy_memory_at=1.0)
    assert out[0, :, 0].tolist() == [[0.5, 0.5, pytest.approx(0.9)]] * 3  # only the real frame's pixel is memory's
    assert seen["memory"][0, 3, 0].tolist() == [0.0, 1.0, 1.0]  # the net reads coverage, as at run time
    out = shown(net, base, memory, frame, depth, copy_memory_at=0.5)
    assert out[0, 0, 0].tolist() == [0.5, pytest.approx(0.3), pytest.approx(0.9)]
    assert shown(net, base, memory, frame, depth)[0, 0, 0].tolist() == [0.5, 0.5, 0.5]  # off: the net's output
    assert seen["memory"][0, 3, 0].tolist() == [0.0, pytest.approx(0.9), 1.0]  # and its memory as it is
    out = shown(Net("confidence"), base, memory, frame, depth, copy_memory_at=1.0)
    assert out[0, 0, 0].tolist() == [0.5, 0.5, pytest.approx(0.9)]
    assert seen["memory"][0, 3, 0].tolist() == [0.0, pytest.approx(0.9), 1.0]  # a net that reads confidence gets it


def test_a_copy_run_trains_a_coverage_net_on_confidence_data_and_exports_the_threshold(confidence_data: str, tmp_path, monkeypatch) -> None:
    out, export, again = str(tmp_path / "run"), str(tmp_path / "export"), str(tmp_path / "again")
    run(confidence_data, out, "--steps", "2", "--copy-memory-at", "1", "--export", export)
    model, ckpt = load_checkpoint(os.path.join(out, "last.pt"))
    assert model.config.memory_channel == "coverage" and ckpt["trainConfig"]["copy_memory_at"] == 1.0
    manifest = json.load(open(os.path.join(export, "manifest.json"), encoding="utf-8"))
    assert manifest["memoryChannel"] == "coverage" and manifest["copyMemoryAt"] == 1.0
    from models import export_upsampler
    monkeypatch.setattr("sys.argv", ["export_upsampler", "--checkpoint", os.path.join(out, "last.pt"), "--out", again])
    export_upsampler.main()
    assert json.load(open(os.path.join(again, "manifest.json"), encoding="utf-8"))["copyMemoryAt"] == 1.0  # the checkpoint's, by default


def test_a_copy_run_needs_confidence_data(data: str, tmp_path) -> None:
    with pytest.raises(SystemExit, match="--copy-memory-at needs data dumped with `upsampler-data --memory-channel confidence` \\(found coverage"):
        run(data, str(tmp_path / "run"), "--steps", "1", "--copy-memory-at", "1")
    with pytest.raises(SystemExit, match="in \\(0, 1\\]"):
        run(data, str(tmp_path / "run"), "--steps", "1", "--copy-memory-at", "1.5")
    with pytest.raises(SystemExit, match="--net-reads-confidence goes with --copy-memory-at"):
        run(data, str(tmp_path / "run"), "--steps", "1", "--net-reads-confidence")


def test_a_copy_run_can_train_a_net_that_reads_confidence(confidence_data: str, tmp_path) -> None:
    out, export = str(tmp_path / "run"), str(tmp_path / "export")
    run(confidence_data, out, "--steps", "1", "--copy-memory-at", "1", "--net-reads-confidence", "--export", export)
    assert load_checkpoint(os.path.join(out, "last.pt"))[0].config.memory_channel == "confidence"
    manifest = json.load(open(os.path.join(export, "manifest.json"), encoding="utf-8"))
    assert manifest["memoryChannel"] == "confidence" and manifest["copyMemoryAt"] == 1.0
