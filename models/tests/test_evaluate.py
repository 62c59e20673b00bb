"""Evaluation CLI on synthetic data: every report key, the strip, fixed seeds.

    /usr/bin/python3 -m pytest -q models/tests/test_evaluate.py
"""
import json
import math
import subprocess
import sys

import pytest
import torch

from models.config import get_preset
from models.dataset import FrameDataset, load_episodes
from models.denoiser import Denoiser
from models.evaluate import EvalConfig, Evaluator
from models.export import load_checkpoint
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
