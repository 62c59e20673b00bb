"""models/upsampler_data.py: the folder check, aligned crops, the split.

    /usr/bin/python3 -m pytest -q models/tests/test_upsampler_data.py
"""
import dataclasses
import os

import numpy as np
import pytest
import torch

from models.bicubic import bicubic_upsample
from models.upsampler_data import DataConfig, Folder, UpsamplerData, decode, warp, write_synthetic


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("ups"))
    write_synthetic(path, samples=20, width=16, height=12, scale=4, seed=0)
    return path


def test_crop_is_the_full_sample_cropped(folder: str) -> None:
    f = Folder(folder)
    full = {n: t[0] for n, t in decode([(f, 3, 0, 0)]).items()}
    assert full["base"].shape == (3, 48, 64) and full["frame"].shape == (3, 12, 16) and full["depth"].shape == (1, 12, 16)
    torch.testing.assert_close(full["base"], bicubic_upsample(full["frame"], 4), rtol=0, atol=1e-5)
    y0, x0, c = 2, 5, 8
    crop = {n: t[0] for n, t in decode([(f, 3, y0, x0)], c).items()}
    both = decode([(f, 3, y0, x0), (f, 5, 1, 0)], c)
    assert all(torch.equal(both[n][0], crop[n]) for n in crop)  # batching changes nothing
    for name in ("base", "memory", "truth"):
        torch.testing.assert_close(crop[name], full[name][:, 4 * y0: 4 * (y0 + c), 4 * x0: 4 * (x0 + c)], rtol=0, atol=1e-5)
    for name in ("frame", "depth"):
        torch.testing.assert_close(crop[name], full[name][:, y0: y0 + c, x0: x0 + c], rtol=0, atol=0)


def test_decoding(folder: str) -> None:
    f = Folder(folder)
    item = {n: t[0] for n, t in decode([(f, 0, 0, 0)]).items()}
    raw = np.load(os.path.join(folder, "memory.npy"))[0]
    cover = raw[..., 3] == 255
    assert torch.equal(item["memory"][3], torch.from_numpy(cover).float())
    assert torch.all(item["memory"][:3][:, ~torch.from_numpy(cover)] == 0)  # RGB 0 where uncovered
    np.testing.assert_allclose(item["memory"][:3].permute(1, 2, 0).numpy()[cover], raw[cover][:, :3] / 127.5 - 1, atol=1e-6)
    # the box average of the truth is close to the frame (the synthetic data's construction)
    low = torch.nn.functional.avg_pool2d(item["truth"][None], 4)[0]
    assert (low - item["frame"]).abs().mean() < 0.05
    w = warp(item["base"][None], item["memory"][None])[0]
    torch.testing.assert_close(w[:, torch.from_numpy(cover)], item["memory"][:3][:, torch.from_numpy(cover)])


def test_split_and_batches(folder: str) -> None:
    data = UpsamplerData([folder, folder], DataConfig(crop=8, heldout_fraction=0.2))
    assert len(data.train) == 32 and len(data.heldout) == 8
    assert {j for _, j in data.heldout} == {16, 17, 18, 19}  # the last block of each folder
    b = data.batch(5, np.random.default_rng(0))
    assert b["base"].shape == (5, 3, 32, 32) and b["memory"].shape == (5, 4, 32, 32) and b["truth"].shape == (5, 3, 32, 32)
    assert b["frame"].shape == (5, 3, 8, 8) and b["depth"].shape == (5, 1, 8, 8)
    again = data.batch(5, np.random.default_rng(0))
    assert all(torch.equal(b[n], again[n]) for n in b)  # crops follow the generator
    held = data.heldout_batch(3)
    assert held["base"].shape == (3, 3, 48, 64)
    assert data.far == 60


def test_flip_keeps_alignment(folder: str) -> None:
    data = UpsamplerData([folder], DataConfig(crop=8, memory_dropout=0.0, flip=True))
    b = data.batch(16, np.random.default_rng(1))
    # bicubic commutes with the flip, so each base is still the bicubic of its frame (away from crop edges)
    inner = (slice(8, 24), slice(8, 24))
    up = bicubic_upsample(b["frame"], 4)
    torch.testing.assert_close(up[..., inner[0], inner[1]], b["base"][..., inner[0], inner[1]], rtol=0, atol=1e-5)


def test_bad_folder_is_refused(tmp_path) -> None:
    write_synthetic(str(tmp_path), samples=4, width=8, height=8, scale=4)
    np.save(tmp_path / "depth.npy", np.zeros((4, 8, 8), np.float32))
    with pytest.raises(ValueError, match="depth.npy is float32"):
        Folder(str(tmp_path))
