"""Evaluation CLI on synthetic data: every report key, the strip, fixed seeds, the memory and depth streams.

    /usr/bin/python3 -m pytest -q models/tests/test_evaluate.py
"""
import json
import math
import subprocess
import sys

import numpy as np
import pytest
import torch

from models.config import get_preset
from models.dataset import FrameDataset, frames_to_model, load_episodes, memory_camera
from models.denoiser import Denoiser
from models.evaluate import EvalConfig, Evaluator
from models.export import load_checkpoint, random_model
from models.memory import SpatialMemory, depth_to_model, memory_to_model
from models.png import read_png
from models.tests.synthetic import write_synthetic_dataset

from .conftest import REPO_ROOT

KEYS = ("psnr1", "psnr1Baseline", "ssim1", "ssim1Baseline", "psnr16", "psnr16Baseline", "psnr64",
        "psnr64Baseline", "detailRatio64", "samples1", "rollouts", "episodes")


def test_evaluate_writes_every_key(tmp_path) -> None:
    data = str(tmp_path / "data")
    write_synthetic_dataset(data, episodes=2, ticks=70, width=32, height=32, seed=7)  # room for 64-tick rollouts
    config = get_preset("tiny")
    torch.manual_seed(0)
    ckpt = str(tmp_path / "last.pt")
    torch.save({"config": config.to_dict(), "model": Denoiser(config).state_dict(), "step": 0}, ckpt)

    report_path, strip = str(tmp_path / "report.json"), str(tmp_path / "strip.png")
    command = [sys.executable, "-m", "models.evaluate", "--checkpoint", ckpt, "--data", data, "--out", report_path,
               "--strip", strip, "--samples", "16", "--rollouts", "3"]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(report_path) as f:
        report = json.load(f)
    assert all(report.get(k) is not None for k in KEYS), report
    assert report["samples1"] == 16 and report["rollouts"] == 3 and report["episodes"] == 2
    assert all(math.isfinite(report[k]) for k in KEYS if k.startswith(("psnr", "ssim", "detail")))
    # an untrained model loses to copying the last frame, and its rollouts are not a collapse to flat
    assert report["psnr1"] < report["psnr1Baseline"] and report["ssim1"] < report["ssim1Baseline"]
    assert report["detailRatio64"] > 0
    with open(strip, "rb") as f:
        assert read_png(f.read()).shape[0] == 4 * 64 + 3 * 4  # 2 rollouts x (GT, model), scaled x2

    # fixed seeds: the same numbers again, here in-process
    model, _ = load_checkpoint(ckpt)
    again = Evaluator(model, EvalConfig(samples=16, rollouts=3)).evaluate(
        FrameDataset(load_episodes(data, config, log=None), config.context_frames))
    for key in (k for k in KEYS if k in again):
        assert again[key] == pytest.approx(report[key], rel=1e-6), key


class RecordingEvaluator(Evaluator):
    """Keeps the streams each `generate` call was given."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.calls: list[dict[str, torch.Tensor]] = []

    def generate(self, context, actions, seed, **streams):
        self.calls.append(streams)
        return super().generate(context, actions, seed, **streams)


def test_evaluate_feeds_memory_and_depth_streams(tmp_path) -> None:
    data_dir = str(tmp_path / "data")
    write_synthetic_dataset(data_dir, episodes=2, ticks=70, width=32, height=32, seed=7)
    config = get_preset("tiny-streams")
    model = random_model(config, seed=0)  # its output depends on every input, the streams too
    ckpt = str(tmp_path / "last.pt")
    torch.save({"config": config.to_dict(), "model": model.state_dict(), "step": 0}, ckpt)

    # The command line: every key, plus how memory was fed.
    report_path = str(tmp_path / "report.json")
    command = [sys.executable, "-m", "models.evaluate", "--checkpoint", ckpt, "--data", data_dir, "--out", report_path,
               "--samples", "8", "--rollouts", "2"]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(report_path) as f:
        report = json.load(f)
    assert all(report.get(k) is not None for k in KEYS), report
    assert report["memory"] == "on" and 0 < report["memoryCoverage1"] <= 1, report

    episodes = load_episodes(data_dir, config, log=None)
    data = FrameDataset(episodes, config.context_frames, config)
    ev = RecordingEvaluator(model, EvalConfig(samples=8, rollouts=2, horizons=(16,)))
    on = ev.evaluate(data)
    assert on["memory"] == "on" and on["memoryCoverage1"] == pytest.approx(report["memoryCoverage1"])
    assert on["psnr1"] == pytest.approx(report["psnr1"], rel=1e-6)

    # One step: the dataset's streams, exactly what training saw.
    batch = data.batch(np.sort(np.random.default_rng(0).choice(len(data), size=8, replace=False)))
    for name in ("memory", "depth"):
        assert torch.equal(ev.calls[0][name], batch[name]), name

    # Rollouts: the memory of real frames 0..t0-1 at first (the dataset's memory at t0, up to its
    # uint8 rounding), then of the rollout's own frames; the recorded depth of each tick.
    starts = ev.rollout_starts(data, 16)
    rolls = ev.calls[1:]
    assert len(rolls) == 16
    camera = memory_camera(config)
    generated, _, _ = ev.rollout(data, starts, 16)
    for r, (e, t0) in enumerate(starts):
        ep = episodes[e]
        first = rolls[0]["memory"][r].numpy()
        assert np.abs(first - memory_to_model(data.memory[e][t0])).max() <= 0.5 / 127.5 + 1e-6
        assert first[3].mean() > 0.2
        for n in (0, 5, 15):
            assert np.allclose(rolls[n]["depth"][r].numpy(), depth_to_model(ep.depth[t0 + n], config.camera.far))
        # At tick 2 the memory holds real frames 0..t0-1, then generated frames t0 and t0+1 (painted).
        mem = SpatialMemory(camera)
        for s in range(t0):
            mem.insert(frames_to_model(ep.frames[s]), np.asarray(ep.depth[s], np.float32), ep.poses[s], s)
        for n in range(2):
            mem.insert(generated[r, n], np.asarray(ep.depth[t0 + n], np.float32), ep.poses[t0 + n], t0 + n,
                       painted=True)
        expected = mem.render(ep.poses[t0 + 2], np.asarray(ep.depth[t0 + 2], np.float32))
        assert np.allclose(rolls[2]["memory"][r].numpy(), expected, atol=1e-6)
        real = memory_to_model(data.memory[e][t0 + 2])  # what real frames would have shown
        assert np.abs(rolls[2]["memory"][r].numpy() - real).max() > 0.1

    # Memory off: an empty memory stream throughout, and different numbers.
    off_ev = RecordingEvaluator(model, EvalConfig(samples=8, rollouts=2, horizons=(16,), memory=False))
    off = off_ev.evaluate(data)
    assert off["memory"] == "off" and "memoryCoverage1" not in off
    assert all(float(call["memory"].abs().max()) == 0 for call in off_ev.calls)
    assert off["psnr1"] != on["psnr1"] and off["psnr16"] != on["psnr16"]
    assert off["psnr1Baseline"] == on["psnr1Baseline"]
