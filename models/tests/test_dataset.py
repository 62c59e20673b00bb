"""Dataset reader: samples follow the model convention; bad episodes are skipped with a reason.

    /usr/bin/python3 -m pytest -q models/tests/test_dataset.py
"""
import json
import os
import shutil

import numpy as np
import pytest
import torch

from models.actions import encode_actions
from models.config import get_preset
from models.dataset import (FrameDataset, ShardedSampler, display_size, episode_memories, eye_height, is_heldout,
                            load_episodes, memory_cache_key, memory_camera, split_episodes)
from models.memory import episode_memory
from models.tests.synthetic import add_display

TINY = get_preset("tiny")  # 32x32, K = 2


def test_samples_follow_the_convention(synthetic_data: str) -> None:
    episodes = load_episodes(synthetic_data, TINY)
    assert [e.name for e in episodes] == [f"episode-{i:06d}" for i in range(6)]
    ep = episodes[1]
    assert isinstance(ep.frames, np.memmap)  # folders are memory-mapped, not read
    data = FrameDataset(episodes, TINY.context_frames)
    assert len(data) == 6 * (48 - 2) and data.frames == 6 * 48

    t = 10
    context, actions, target = data.window(ep, t)
    assert context.shape == (6, 32, 32) and actions.shape == (2, 7) and target.shape == (3, 32, 32)
    frames = np.asarray(ep.frames, np.float32) / 127.5 - 1  # (T, H, W, 3)
    np.testing.assert_allclose(context[0:3], frames[t - 2].transpose(2, 0, 1))  # oldest first
    np.testing.assert_allclose(context[3:6], frames[t - 1].transpose(2, 0, 1))
    np.testing.assert_allclose(target, frames[t].transpose(2, 0, 1))
    # the actions that led into frames t-1 and t, quantised and dequantised
    np.testing.assert_array_equal(actions, encode_actions(np.asarray(ep.actions[t - 1 : t + 1]), TINY.actions))
    assert not np.array_equal(actions, ep.actions[t - 1 : t + 1])  # the raw values carry jitter

    batch = data.batch(np.array([0, 5, 7]))
    assert tuple(batch["context"].shape) == (3, 6, 32, 32) and tuple(batch["actions"].shape) == (3, 2, 7)
    assert batch["target"].min() >= -1 and batch["target"].max() <= 1


def test_synthetic_frames_follow_the_action(synthetic_data: str) -> None:
    ep = load_episodes(synthetic_data, TINY)[0]
    bins = encode_actions(np.asarray(ep.actions), TINY.actions)
    for t in range(1, 10):
        dy = int(round(bins[t, 0] * 4))  # forward bins from the centre = pixels scrolled down
        dx = int(round(bins[t, 3] * 4))  # yaw bins = pixels scrolled left
        np.testing.assert_array_equal(ep.frames[t, 4:-4, 4:-4], np.roll(ep.frames[t - 1], (dy, -dx), (0, 1))[4:-4, 4:-4])


def test_skips_broken_episodes_with_a_reason(synthetic_data: str, tmp_path, capsys) -> None:
    root = str(tmp_path)
    for i in range(4):
        shutil.copytree(os.path.join(synthetic_data, f"episode-{i:06d}"), os.path.join(root, f"episode-{i:06d}"))
    np.save(os.path.join(root, "episode-000001", "frames.npy"), np.zeros((47, 32, 32, 3), np.uint8))  # T != ticks
    meta_path = os.path.join(root, "episode-000002", "meta.json")
    with open(meta_path) as f:
        meta = json.load(f)
    meta["tickHz"] = 15
    with open(meta_path, "w") as f:
        json.dump(meta, f)
    os.remove(os.path.join(root, "episode-000003", "depth.npy"))

    episodes = load_episodes(root, TINY)
    assert [e.name for e in episodes] == ["episode-000000"]
    out = capsys.readouterr().out
    assert "skipped episode-000001: frames.npy is uint8 (47, 32, 32, 3), expected uint8 (48, 32, 32, 3)" in out
    assert "skipped episode-000002: tickHz 15, the model runs at 20" in out
    assert "skipped episode-000003: cannot read it" in out

    with pytest.raises(ValueError, match="no usable episodes"):
        load_episodes(root, get_preset("arena"), log=None)  # 64x64 model, 32x32 data


def test_eye_height_in_meta_is_optional_and_must_be_metres(synthetic_data: str, tmp_path) -> None:
    root = str(tmp_path)
    for i, height in enumerate((None, 1.0, "tall", 0)):
        folder = os.path.join(root, f"episode-{i:06d}")
        shutil.copytree(os.path.join(synthetic_data, f"episode-{i:06d}"), folder)
        with open(os.path.join(folder, "meta.json")) as f:
            meta = json.load(f)
        assert "eyeHeight" not in meta  # the synthetic episodes are of the format before eyeHeight
        if height is not None:
            meta["eyeHeight"] = height
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump(meta, f)
    logged: list[str] = []
    episodes = load_episodes(root, TINY, log=logged.append)
    assert [(e.name, eye_height(e.meta)) for e in episodes] == [("episode-000000", 1.6), ("episode-000001", 1.0)]
    assert any("episode-000002: meta.json eyeHeight is 'tall', expected metres" in line for line in logged)
    assert any("episode-000003: meta.json eyeHeight is 0," in line for line in logged)


def test_display_frames_are_read_when_present_and_checked_against_meta(synthetic_data: str, tmp_path) -> None:
    root = str(tmp_path)
    folders = []
    for i in range(5):
        folders.append(os.path.join(root, f"episode-{i:06d}"))
        shutil.copytree(os.path.join(synthetic_data, f"episode-{i:06d}"), folders[-1])
    add_display(folders[0], 4)  # 128x128 display frames over the 32x32 frames
    # 1: none. 2: the wrong size for its meta. 3: a file the meta does not announce. 4: a size that is no multiple.
    add_display(folders[2], 4)
    np.save(os.path.join(folders[2], "display.npy"), np.zeros((48, 64, 64, 3), np.uint8))
    np.save(os.path.join(folders[3], "display.npy"), np.zeros((48, 64, 64, 3), np.uint8))
    add_display(folders[4], 2)
    with open(os.path.join(folders[4], "meta.json")) as f:
        meta = json.load(f)
    meta["display"] = {"width": 48, "height": 48}
    with open(os.path.join(folders[4], "meta.json"), "w") as f:
        json.dump(meta, f)

    logged: list[str] = []
    episodes = load_episodes(root, TINY, log=logged.append)
    assert [e.name for e in episodes] == ["episode-000000", "episode-000001"]
    shown, plain = episodes
    assert plain.display is None and display_size(plain.meta) is None
    assert display_size(shown.meta) == (128, 128)
    assert isinstance(shown.display, np.memmap) and shown.display.shape == (48, 128, 128, 3)
    assert shown.display.dtype == np.uint8
    # The same views: 4x4 block means of the display frames are the frames.
    blocks = np.asarray(shown.display, np.float32).reshape(48, 32, 4, 32, 4, 3).mean(axis=(2, 4))  # (T, H, W, 3)
    np.testing.assert_array_equal(blocks, np.asarray(shown.frames, np.float32))
    assert logged == [
        "dataset: skipped episode-000002: display.npy is uint8 (48, 64, 64, 3), "
        "expected uint8 (48, 128, 128, 3) from meta.json",
        "dataset: skipped episode-000003: display.npy is present but meta.json has no display size",
        "dataset: skipped episode-000004: meta.json display is {'width': 48, 'height': 48}, expected {width, height}: "
        "the resolution 32x32 times one integer >= 2 on both sides",
    ]
    assert len(FrameDataset(episodes, TINY.context_frames)) == 2 * (48 - 2)  # samples are as before


def test_split_is_by_name_and_never_empty(synthetic_data: str) -> None:
    episodes = load_episodes(synthetic_data, TINY)
    train, held = split_episodes(episodes, 0.3)
    assert train and held and len(train) + len(held) == 6
    hashed = [e.name for e in episodes if is_heldout(e.name, 0.3)]
    assert [e.name for e in held] == (hashed if 0 < len(hashed) < 6 else [e.name for e in held])
    assert split_episodes(episodes, 0.3)[1][0].name == held[0].name  # deterministic
    assert split_episodes(episodes, 0.0) == (episodes, [])
    # One episode always trains, even one whose name would hash into the held-out share.
    for fraction in (0.1, 0.99):
        assert split_episodes(episodes[:1], fraction) == (episodes[:1], [])


def test_sharded_sampler_partitions_each_epoch() -> None:
    size, world, batch = 23, 2, 3
    samplers = [ShardedSampler(size, batch, seed=5, rank=r, world=world) for r in range(world)]
    share = size // world  # 11 per rank per epoch
    per_rank = [np.concatenate([s.indices(step) for step in range(share * 2 // batch + 1)]) for s in samplers]
    first_epoch = [p[:share] for p in per_rank]
    assert len(set(first_epoch[0]) | set(first_epoch[1])) == 2 * share  # disjoint, no repeats
    np.testing.assert_array_equal(ShardedSampler(size, batch, seed=5, rank=1, world=2).indices(4),
                                  samplers[1].indices(4))  # a pure function of the step
    assert not np.array_equal(per_rank[0][share : 2 * share], first_epoch[0])  # reshuffled per epoch


def test_memory_streams_are_cached_per_episode_and_recomputed_when_it_changes(synthetic_data: str, tmp_path) -> None:
    config = get_preset("tiny-streams")
    data = str(tmp_path / "data")
    shutil.copytree(synthetic_data, data)
    cache = str(tmp_path / "cache")
    episodes = load_episodes(data, config)[:2]
    camera = memory_camera(config)
    fresh = [episode_memory(e.frames, e.depth, e.poses, camera) for e in episodes]

    lines: list[str] = []
    first = episode_memories(episodes, config, lines.append, cache)
    assert len(os.listdir(cache)) == 2 and "0 read from" in lines[-1]
    second = episode_memories(episodes, config, lines.append, cache)
    assert "2 read from" in lines[-1]
    for a, b, c in zip(fresh, first, second):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)

    # The same episode name recorded again (other poses) must not read the old stream back.
    poses = np.load(os.path.join(data, episodes[0].name, "poses.npy"))
    poses[:, 3] += 0.3
    np.save(os.path.join(data, episodes[0].name, "poses.npy"), poses)
    changed = load_episodes(data, config)[:2]
    third = episode_memories(changed, config, lines.append, cache)
    assert "1 read from" in lines[-1] and len(os.listdir(cache)) == 2  # the stale stream is gone
    np.testing.assert_array_equal(third[0], episode_memory(changed[0].frames, changed[0].depth, changed[0].poses,
                                                           camera))
    assert not np.array_equal(third[0], fresh[0])

    # A torn cache file is computed again, not read.
    torn = os.path.join(cache, f"{changed[0].name}.{memory_cache_key(changed[0], camera)}.npy")
    with open(torn, "wb") as f:
        f.write(b"\x93NUMPY")
    again = episode_memories(changed, config, None, cache)
    np.testing.assert_array_equal(again[0], third[0])
    np.testing.assert_array_equal(again[1], third[1])


def test_memory_streams_shared_over_workers_equal_one_process(synthetic_data: str, tmp_path) -> None:
    config = get_preset("tiny-streams")
    episodes = load_episodes(synthetic_data, config)[:3]
    camera = memory_camera(config)
    expected = [episode_memory(e.frames, e.depth, e.poses, camera) for e in episodes]
    lines: list[str] = []
    pooled = episode_memories(episodes, config, lines.append, str(tmp_path / "cache"), workers=2)
    assert "0 read from" in lines[-1] and len(os.listdir(tmp_path / "cache")) == 3  # workers fill the cache
    assert len(pooled) == 3
    for a, b in zip(expected, pooled):
        np.testing.assert_array_equal(a, b)
    again = episode_memories(episodes, config, lines.append, str(tmp_path / "cache"), workers=2)
    assert "3 read from" in lines[-1]
    np.testing.assert_array_equal(again[2], expected[2])


def test_a_resident_batch_equals_the_per_sample_batch(synthetic_data: str) -> None:
    config = get_preset("tiny-streams")
    episodes = load_episodes(synthetic_data, config)
    data = FrameDataset(episodes, config.context_frames, config)
    picks = np.array([0, 45, 46, 100, len(data) - 1, 7, 7])  # episode edges, repeats
    expected = data.batch(picks)
    held = data.to_device("cpu")
    assert held == sum(e.ticks for e in episodes) * 32 * 32 * (3 + 4 + 2) + sum(e.ticks for e in episodes) * 7 * 4 + 6 * 8
    got = data.batch(picks)
    assert set(got) == set(expected) == {"context", "actions", "target", "memory", "depth"}
    for name in expected:
        assert got[name].shape == expected[name].shape and got[name].dtype == expected[name].dtype, name
        assert torch.equal(got[name], expected[name]), name
