"""Trainer: smoke run, exact resume, a short run that learns, the time budget, export of its checkpoint.

    /usr/bin/python3 -m pytest -q models/tests/test_train.py
"""
import json
import math
import os
import shutil
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from models import train
from models.config import ModelConfig, get_preset
from models.dataset import FrameDataset, load_episodes, split_episodes
from models.denoiser import Denoiser
from models.ema import Ema, EmaConfig
from models.evaluate import EvalConfig, Evaluator
from models.export import export_folder, load_checkpoint
from models.loss import edm_loss
from models.manifest import TRAINING_KEYS
from models.png import read_png
from models import slim


def run(data: str, out: str, *extra: str) -> dict:
    train.main(["--data", data, "--preset", "tiny", "--out", out, "--batch-size", "8", "--log-every", "2",
                "--sample-every", "1000", "--checkpoint-every", "1000", *extra])
    return train.load_checkpoint_file(os.path.join(out, train.CHECKPOINT))


def test_smoke_run_writes_checkpoint_log_and_samples(synthetic_data: str, tmp_path) -> None:
    out = str(tmp_path)
    ckpt = run(synthetic_data, out, "--steps", "4", "--sample-every", "2")
    assert {"config", "model", "raw_model", "optimizer", "step", "training", "trainConfig"} <= set(ckpt)
    assert ckpt["step"] == 4 and ckpt["config"]["name"] == "tiny"
    assert set(TRAINING_KEYS) <= set(ckpt["training"]) and ckpt["training"]["steps"] == 4
    assert ckpt["training"]["batchSize"] == 8 and ckpt["training"]["command"].startswith("python3 -m models.train")
    log = [json.loads(line) for line in open(os.path.join(out, train.LOG))]
    losses = [r["loss"] for r in log if "loss" in r]
    assert len(losses) == 2 and all(math.isfinite(x) for x in losses)
    assert all(r["samplesPerSec"] > 0 for r in log if "loss" in r)
    with open(os.path.join(out, "samples", "step-000004.png"), "rb") as f:
        grid = read_png(f.read())
    assert grid.shape[0] == 2 * (2 * 32) + 2 * 2  # GT row and model row, scaled x2, with the gap

    model, _ = load_checkpoint(os.path.join(out, train.CHECKPOINT))  # the exporter's loader takes it
    manifest = export_folder(model, os.path.join(out, "export"), "tiny-trained", "test", training=ckpt["training"])
    assert manifest["training"]["steps"] == 4
    # The synthetic episodes' metas do not say an eye height: they stood at the recorder's default.
    assert manifest["training"]["eyeHeight"] == {"min": 1.6, "max": 1.6}


def test_eye_height_range_over_episode_metas() -> None:
    episodes = [SimpleNamespace(meta=m) for m in ({"eyeHeight": 1.234}, {}, {"eyeHeight": 0.9951})]
    assert train.eye_height_range(episodes) == {"min": 1.0, "max": 1.6}  # no field: 1.6; to 0.01 m
    assert train.eye_height_range(episodes[:1]) == {"min": 1.23, "max": 1.23}
    assert train.eye_height_range([]) is None


def test_checkpoint_and_manifest_say_the_training_episodes_eye_heights(synthetic_data: str, tmp_path) -> None:
    data = tmp_path / "data"
    shutil.copytree(synthetic_data, data)
    # episode-000005 is the held-out one (split by name hash): its 0.5 m is not what the model trained on.
    heights = {0: 1.0, 1: 1.234, 2: None, 3: 1.757, 4: 1.25, 5: 0.5}
    for i, height in heights.items():
        path = data / f"episode-{i:06d}" / "meta.json"
        meta = json.loads(path.read_text())
        if height is not None:
            meta["eyeHeight"] = height
        path.write_text(json.dumps(meta))
    _, held = split_episodes(load_episodes(str(data), get_preset("tiny"), log=None), train.TrainConfig.heldout_fraction)
    assert [e.name for e in held] == ["episode-000005"]

    out = str(tmp_path / "run")
    ckpt = run(str(data), out, "--steps", "1")
    assert ckpt["training"]["eyeHeight"] == {"min": 1.0, "max": 1.76}
    model, loaded = load_checkpoint(os.path.join(out, train.CHECKPOINT))
    manifest = export_folder(model, os.path.join(out, "export"), "tiny-eyes", "test", training=loaded["training"])
    assert list(manifest["training"]) == [*TRAINING_KEYS, "scene", "eyeHeight"]
    assert manifest["training"]["eyeHeight"] == {"min": 1.0, "max": 1.76}
    with open(os.path.join(out, "export", "manifest.json"), encoding="utf-8") as f:
        assert json.load(f)["training"]["eyeHeight"] == {"min": 1.0, "max": 1.76}


def test_resume_continues_exactly(synthetic_data: str, tmp_path) -> None:
    straight = run(synthetic_data, str(tmp_path / "a"), "--steps", "4", "--warmup-steps", "2")
    run(synthetic_data, str(tmp_path / "b"), "--steps", "2", "--warmup-steps", "2")
    resumed = run(synthetic_data, str(tmp_path / "b"), "--steps", "4", "--resume")  # settings from the checkpoint
    assert resumed["step"] == 4 and resumed["trainConfig"]["warmup_steps"] == 2
    for key in ("raw_model", "model"):
        for name, tensor in straight[key].items():
            torch.testing.assert_close(resumed[key][name], tensor, rtol=0, atol=0, msg=f"{key}.{name}")
    for a, b in zip(straight["optimizer"]["state"].values(), resumed["optimizer"]["state"].values()):
        torch.testing.assert_close(a["exp_avg_sq"], b["exp_avg_sq"], rtol=0, atol=0)
    assert resumed["training"]["wallTimeSeconds"] > 0


def test_seconds_budget_stops_cleanly(synthetic_data: str, tmp_path) -> None:
    ckpt = run(synthetic_data, str(tmp_path), "--steps", "100000", "--seconds", "0.01")
    assert 1 <= ckpt["step"] < 100000


def test_short_training_learns(synthetic_data: str, tmp_path) -> None:
    config = get_preset("tiny")
    common = ("--batch-size", "16", "--lr", "2e-3", "--warmup-steps", "10", "--ema-decay", "0.9")
    before = run(synthetic_data, str(tmp_path / "a"), "--steps", "0", *common)
    after = run(synthetic_data, str(tmp_path / "b"), "--steps", "80", *common)

    _, held = split_episodes(load_episodes(synthetic_data, config, log=None))
    data = FrameDataset(held, config.context_frames)
    batch = data.batch(np.arange(0, len(data), 3))
    quality = {}
    for label, ckpt in (("before", before), ("after", after)):
        model, _ = load_checkpoint_from(ckpt)
        g = torch.Generator().manual_seed(0)
        with torch.no_grad():
            sigma = torch.full((len(batch["target"]),), 0.5)
            loss = edm_loss(model, batch["target"], {"context": batch["context"], "actions": batch["actions"]},
                            sigma=sigma, generator=g)
        psnr1 = Evaluator(model, EvalConfig(samples=32, batch=32)).one_step(data)["psnr1"]
        quality[label] = (float(loss), psnr1)
    assert quality["after"][0] < 0.7 * quality["before"][0], quality
    assert quality["after"][1] > quality["before"][1] + 3.0, quality


def load_checkpoint_from(ckpt: dict) -> tuple[Denoiser, dict]:
    model = Denoiser(ModelConfig.from_dict(ckpt["config"]))
    model.load_state_dict(ckpt["model"])
    return model.eval(), ckpt


def test_ema_follows_slowly() -> None:
    net = torch.nn.Linear(2, 2)
    ema = Ema(net, EmaConfig(decay=0.99))
    assert ema.decay_at(0) == pytest.approx(0.1) and ema.decay_at(10_000) == 0.99
    with torch.no_grad():
        net.weight.add_(1.0)
    before = ema.model.weight.clone()
    ema.update(net, step=10_000)
    torch.testing.assert_close(ema.model.weight, before + 0.01)


def test_slim_checkpoint_resumes_with_a_rewarmed_optimiser(synthetic_data: str, tmp_path) -> None:
    full = run(synthetic_data, str(tmp_path / "a"), "--steps", "2", "--warmup-steps", "4")
    slim_path = str(tmp_path / "b" / train.CHECKPOINT)
    size, raw_dtype = slim.write_slim(str(tmp_path / "a" / train.CHECKPOINT), slim_path)
    assert raw_dtype == torch.float32 and size < os.path.getsize(str(tmp_path / "a" / train.CHECKPOINT)) / 2  # no optimiser, EMA in half
    small = train.load_checkpoint_file(slim_path)
    assert small["slim"] and "optimizer" not in small and small["step"] == 2
    assert all(v.dtype == torch.float16 for v in small["model"].values() if v.is_floating_point())
    for name, tensor in full["raw_model"].items():  # raw weights exact: training continues from them
        torch.testing.assert_close(small["raw_model"][name], tensor, rtol=0, atol=0)
    resumed = run(synthetic_data, str(tmp_path / "b"), "--steps", "3", "--resume")
    assert resumed["step"] == 3 and resumed["warmFrom"] == 2 and "optimizer" in resumed
    log = [json.loads(line) for line in open(tmp_path / "b" / train.LOG)]
    # The step after the resume is the first of a new 4-step warm-up: lr / 4.
    assert [r["lr"] for r in log if "lr" in r][-1] == pytest.approx(resumed["trainConfig"]["lr"] / 4)


def test_slim_keeps_weights_in_half_only_when_float32_would_not_fit(synthetic_data: str, tmp_path,
                                                                    monkeypatch, capsys) -> None:
    full = run(synthetic_data, str(tmp_path / "a"), "--steps", "1")
    src, dst = str(tmp_path / "a" / train.CHECKPOINT), str(tmp_path / "b.pt")
    fp32_size, _ = slim.write_slim(src, dst)
    monkeypatch.setattr(slim, "MAX_BYTES", fp32_size - 1)  # float32 weights no longer fit; float16 do
    size, raw_dtype = slim.write_slim(src, dst)
    assert raw_dtype == torch.float16 and size < fp32_size
    slim.main([src, dst])  # and the command says which it kept
    assert "weights float16 + EMA float16" in capsys.readouterr().out
    small = train.load_checkpoint_file(dst)
    for name, tensor in full["raw_model"].items():
        torch.testing.assert_close(small["raw_model"][name].float(), tensor, rtol=1e-3, atol=1e-4)
    resumed = run(synthetic_data, str(tmp_path / "b"), "--steps", "2", "--init", dst)  # and trains on from it
    assert resumed["step"] == 2
    monkeypatch.setattr(slim, "MAX_BYTES", 1000)
    with pytest.raises(ValueError, match="even with float16"):
        slim.write_slim(src, dst)


def test_init_starts_a_new_run_from_a_model_folder(synthetic_data: str, tmp_path) -> None:
    run(synthetic_data, str(tmp_path / "base"), "--steps", "2")
    folder = tmp_path / "models" / "base"
    slim.write_slim(str(tmp_path / "base" / train.CHECKPOINT), str(folder / slim.FOLDER_CHECKPOINT))
    base = train.load_checkpoint_file(str(folder / slim.FOLDER_CHECKPOINT))
    # --steps 0: the new run's checkpoint is exactly what it started from.
    tuned = run(synthetic_data, str(tmp_path / "tuned"), "--steps", "0", "--init", str(folder), "--preset", "arena")
    assert tuned["step"] == 0 and tuned["config"] == base["config"]  # its architecture, not --preset's
    for name, tensor in base["raw_model"].items():
        torch.testing.assert_close(tuned["raw_model"][name], tensor, rtol=0, atol=0)
    for name, tensor in base["model"].items():
        torch.testing.assert_close(tuned["model"][name], tensor.float(), rtol=0, atol=0)
    assert tuned["training"]["initFrom"]["steps"] == 2
    # And it trains on from there, keeping where it came from through its own resume.
    more = run(synthetic_data, str(tmp_path / "tuned"), "--steps", "2", "--resume")
    assert more["step"] == 2 and more["training"]["initFrom"] == tuned["training"]["initFrom"]
    with pytest.raises(FileNotFoundError, match="without checkpoint.pt"):
        run(synthetic_data, str(tmp_path / "x"), "--steps", "1", "--init", str(tmp_path))


def test_sigma_max_share_puts_that_share_of_samples_at_the_one_step_call() -> None:
    from models.loss import LossConfig

    gen = torch.Generator().manual_seed(0)
    off = train.TrainConfig()
    assert train.training_sigmas(64, off, LossConfig(), 5.0, gen, "cpu") is None  # edm_loss draws as before
    half = train.TrainConfig(sigma_max_prob=0.5)
    sigma = train.training_sigmas(4000, half, LossConfig(), 5.0, gen, "cpu")
    at_max = (sigma == 5.0).float().mean().item()
    assert 0.46 < at_max < 0.54
    rest = sigma[sigma != 5.0]
    # the rest is DIAMOND's log-normal: median exp(-0.4) = 0.67
    assert 0.6 < rest.median().item() < 0.75
    every = train.training_sigmas(16, train.TrainConfig(sigma_max_prob=1.0), LossConfig(), 5.0, gen, "cpu")
    assert torch.equal(every, torch.full((16,), 5.0))


def test_sigma_max_share_runs_and_is_kept_for_resume(synthetic_data: str, tmp_path) -> None:
    ckpt = run(synthetic_data, str(tmp_path / "run"), "--steps", "4", "--sigma-max-prob", "0.5")
    assert ckpt["trainConfig"]["sigma_max_prob"] == 0.5 and ckpt["step"] == 4


def test_uncovered_weight_weighs_the_pixels_memory_does_not_cover() -> None:
    memory = torch.zeros(2, 4, 2, 2)
    memory[0, 3] = torch.tensor([[1.0, 1.0], [0.0, 0.5]])  # sample 1: no coverage at all
    assert train.uncovered_pixel_weight(memory, 1.0) is None  # the plain mean, as before
    weight = train.uncovered_pixel_weight(memory, 5.0)
    expected = torch.tensor([[[[1.0, 1.0], [5.0, 3.0]]], [[[5.0, 5.0], [5.0, 5.0]]]])
    assert torch.equal(weight, expected)


def test_pixel_weight_in_the_loss_is_a_normalised_weighted_mean() -> None:
    model = Denoiser(get_preset("tiny-streams"))
    h, w = model.config.height, model.config.width
    g = torch.Generator().manual_seed(3)
    clean = torch.rand(2, 3, h, w, generator=g) * 2 - 1
    inputs = {"context": torch.rand(2, 3 * model.config.context_frames, h, w, generator=g) * 2 - 1,
              "actions": torch.zeros(2, model.config.context_frames, model.config.action_dim),
              "memory": torch.zeros(2, 4, h, w), "depth": torch.ones(2, 1, h, w)}
    sigma = torch.tensor([0.5, 2.0])
    plain = edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7))
    uniform = edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7),
                       pixel_weight=torch.full((2, 1, h, w), 3.0))
    torch.testing.assert_close(uniform, plain)
    # Weight only the left half: the loss is the plain loss of the left half alone, which the
    # same call with the right half's target made exact (zero error there) cannot change.
    left = torch.zeros(2, 1, h, w)
    left[..., : w // 2] = 1.0
    weighted = edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7), pixel_weight=left)
    right_only = torch.zeros(2, 1, h, w)
    right_only[..., w // 2:] = 1.0
    other = edm_loss(model, clean, inputs, sigma=sigma, generator=torch.Generator().manual_seed(7), pixel_weight=right_only)
    torch.testing.assert_close((weighted + other) / 2, plain)  # the halves average to the whole
    assert not torch.isclose(weighted, other)


def test_uncovered_weight_trains_and_is_kept_for_resume(synthetic_data: str, tmp_path) -> None:
    out = str(tmp_path)
    train.main(["--data", synthetic_data, "--preset", "tiny-streams", "--out", out, "--batch-size", "4", "--steps", "2",
                "--sample-every", "1000", "--checkpoint-every", "1000", "--uncovered-weight", "4"])
    ckpt = train.load_checkpoint_file(os.path.join(out, train.CHECKPOINT))
    assert ckpt["step"] == 2 and ckpt["trainConfig"]["uncovered_weight"] == 4.0
    assert all(math.isfinite(float(v.float().abs().sum())) for v in ckpt["raw_model"].values())


def test_detail_uncovered_leaves_fully_covered_frames_without_the_term() -> None:
    """--detail-uncovered takes each tile's share from memory's coverage: where memory covers every
    pixel the loss is the plain one; where it covers none, the tiles' term is all there."""
    model = Denoiser(get_preset("tiny-streams"))
    h, w = model.config.height, model.config.width
    g = torch.Generator().manual_seed(3)
    clean = torch.rand(2, 3, h, w, generator=g) * 2 - 1
    context = torch.rand(2, 3 * model.config.context_frames, h, w, generator=g) * 2 - 1
    actions = torch.zeros(2, model.config.context_frames, model.config.action_dim)

    def loss(config: train.TrainConfig, cover: float) -> float:
        memory = torch.cat([torch.zeros(2, 3, h, w), torch.full((2, 1, h, w), cover)], dim=1)
        module = train.TrainingLoss(model, config)
        return module(clean, context, actions, torch.Generator().manual_seed(7), memory=memory,
                      depth=torch.ones(2, 1, h, w)).item()

    plain = train.TrainConfig(memory_dropout=0.0)
    tiled = train.TrainConfig(memory_dropout=0.0, detail_weight=0.5, detail_crop=h // 2)
    uncovered = train.TrainConfig(memory_dropout=0.0, detail_weight=0.5, detail_crop=h // 2, detail_uncovered=True)
    assert loss(uncovered, 1.0) == pytest.approx(loss(plain, 1.0), rel=1e-6)
    assert loss(uncovered, 0.0) == pytest.approx(loss(tiled, 0.0), rel=1e-6)
    assert loss(tiled, 0.0) > loss(plain, 0.0) + 1e-4  # the term is there to be left out


def test_detail_uncovered_runs_and_is_kept_for_resume(synthetic_data: str, tmp_path) -> None:
    ckpt = run(synthetic_data, str(tmp_path / "run"), "--steps", "2", "--detail-weight", "0.05", "--detail-crop", "4",
               "--detail-uncovered")
    assert ckpt["trainConfig"]["detail_uncovered"] is True and ckpt["step"] == 2
