"""models/upsampler_data.py: the folder check, aligned crops, the split.

    /usr/bin/python3 -m pytest -q models/tests/test_upsampler_data.py
"""
import dataclasses
import json
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


def test_confidence_channel_is_fed_as_is_and_any_value_above_zero_is_covered(tmp_path) -> None:
    """A hand-made 2×2 (×2) confidence folder: channel 3 reaches the net as value / 255, RGB is
    kept wherever it is > 0 (even 1/255, which the old >= 128 rule dropped), and the warp copies
    memory there and the bicubic base elsewhere."""
    write_synthetic(str(tmp_path), samples=2, width=2, height=2, scale=2, memory_channel="confidence")
    frame = np.full((2, 2, 2, 3), 255, np.uint8)  # 1.0 everywhere: its bicubic base is 1.0 too
    channel3 = np.array([[0, 1, 2, 128],
                         [255, 0, 64, 200],
                         [0, 0, 127, 255],
                         [3, 0, 0, 1]], np.uint8)
    memory = np.zeros((2, 4, 4, 4), np.uint8)
    memory[..., :3] = np.where(channel3[..., None] > 0, 51, 128)  # 51 -> -0.6; 128 is the dump's grey when uncovered
    memory[..., 3] = channel3
    np.save(tmp_path / "frame.npy", frame)
    np.save(tmp_path / "memory.npy", memory)
    data = UpsamplerData([str(tmp_path)], DataConfig(crop=2, heldout_fraction=0.5))
    assert data.memory_channel == "confidence" and data.folders[0].memory_channel == "confidence"
    item = decode([(data.folders[0], 0, 0, 0)])
    expected_channel = torch.tensor([[0, 1 / 255, 2 / 255, 128 / 255],
                                     [1, 0, 64 / 255, 200 / 255],
                                     [0, 0, 127 / 255, 1],
                                     [3 / 255, 0, 0, 1 / 255]])
    torch.testing.assert_close(item["memory"][0, 3], expected_channel, rtol=0, atol=1e-7)
    c = -0.6  # memory RGB where covered
    expected_rgb = torch.tensor([[0, c, c, c],
                                 [c, 0, c, c],
                                 [0, 0, c, c],
                                 [c, 0, 0, c]])
    torch.testing.assert_close(item["memory"][0, :3], expected_rgb.expand(3, 4, 4), rtol=0, atol=1e-6)
    torch.testing.assert_close(item["base"], torch.ones(1, 3, 4, 4), rtol=0, atol=1e-6)
    expected_warp = torch.tensor([[1, c, c, c],
                                  [c, 1, c, c],
                                  [1, 1, c, c],
                                  [c, 1, 1, c]])
    torch.testing.assert_close(warp(item["base"], item["memory"])[0], expected_warp.expand(3, 4, 4), rtol=0, atol=1e-6)


def test_synthetic_confidence_folder(tmp_path) -> None:
    write_synthetic(str(tmp_path / "cov"), samples=8, width=8, height=8, scale=4, seed=3)
    write_synthetic(str(tmp_path / "conf"), samples=8, width=8, height=8, scale=4, seed=3, memory_channel="confidence")
    cov, conf = (np.load(tmp_path / k / "memory.npy") for k in ("cov", "conf"))
    assert set(np.unique(cov[..., 3])) == {0, 255}
    assert np.array_equal(cov[..., 3] > 0, conf[..., 3] > 0)  # the same places covered ...
    painted = set(np.unique(conf[..., 3])) - {0, 255}
    assert painted and min(painted) >= 1  # ... some by painted frames, none written as 0
    for name in ("frame", "depth", "truth"):
        assert np.array_equal(np.load(tmp_path / "cov" / f"{name}.npy"), np.load(tmp_path / "conf" / f"{name}.npy"))
    assert json.loads((tmp_path / "conf" / "meta.json").read_text())["memoryChannel"] == "confidence"
    assert UpsamplerData([str(tmp_path / "conf")], DataConfig(crop=8)).memory_channel == "confidence"


def test_folder_without_memory_channel_reads_as_coverage(tmp_path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    write_synthetic(str(old), samples=4, width=8, height=8, scale=4)
    write_synthetic(str(new), samples=4, width=8, height=8, scale=4, memory_channel="coverage")
    meta = json.loads((old / "meta.json").read_text())
    del meta["memoryChannel"]  # as folders dumped before the key existed
    (old / "meta.json").write_text(json.dumps(meta))
    assert Folder(str(old)).memory_channel == "coverage"
    assert UpsamplerData([str(old), str(new)], DataConfig(crop=8)).memory_channel == "coverage"  # they mix


def test_mixed_memory_channels_are_refused(tmp_path) -> None:
    cov, conf = str(tmp_path / "cov"), str(tmp_path / "conf")
    write_synthetic(cov, samples=4, width=8, height=8, scale=4)
    write_synthetic(conf, samples=4, width=8, height=8, scale=4, memory_channel="confidence")
    with pytest.raises(ValueError) as error:
        UpsamplerData([cov, conf], DataConfig(crop=8))
    message = str(error.value)
    assert f"{cov}: coverage" in message and f"{conf}: confidence" in message
    assert "upsampler-data --memory-channel" in message


def test_unknown_memory_channel_is_refused(tmp_path) -> None:
    write_synthetic(str(tmp_path), samples=4, width=8, height=8, scale=4)
    meta = json.loads((tmp_path / "meta.json").read_text())
    (tmp_path / "meta.json").write_text(json.dumps({**meta, "memoryChannel": "certainty"}))
    with pytest.raises(ValueError, match="memoryChannel 'certainty'"):
        Folder(str(tmp_path))
