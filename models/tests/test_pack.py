"""Pack round trip: folder -> one .npz -> the same episodes (read directly or unpacked).

    /usr/bin/python3 -m pytest -q models/tests/test_pack.py
"""
import filecmp
import os
import shutil

import numpy as np

from models.config import get_preset
from models.dataset import ARRAY_NAMES, FrameDataset, load_episodes
from models.pack import pack_dataset, unpack_dataset
from models.tests.synthetic import add_display

TINY = get_preset("tiny")


def test_pack_round_trip(synthetic_data: str, tmp_path, capsys) -> None:
    src = os.path.join(tmp_path, "src")
    for i in range(3):
        shutil.copytree(os.path.join(synthetic_data, f"episode-{i:06d}"), os.path.join(src, f"episode-{i:06d}"))
    os.remove(os.path.join(src, "episode-000002", "poses.npy"))  # not well-formed: left out

    pack = os.path.join(tmp_path, "data.npz")
    assert pack_dataset(src, pack, log=print) == ["episode-000000", "episode-000001"]
    assert "pack: skipped episode-000002" in capsys.readouterr().out

    direct, packed = load_episodes(src, TINY, log=None), load_episodes(pack, TINY)
    assert [e.name for e in packed] == ["episode-000000", "episode-000001"]
    for a, b in zip(direct, packed):
        assert a.meta == b.meta
        for key in ARRAY_NAMES:
            np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
            assert getattr(a, key).dtype == getattr(b, key).dtype
    np.testing.assert_array_equal(FrameDataset(packed, 2)[17][0], FrameDataset(direct, 2)[17][0])

    out = os.path.join(tmp_path, "unpacked")
    unpack_dataset(pack, out)
    for name in ("episode-000000", "episode-000001"):
        for f in ("meta.json", *(f"{k}.npy" for k in ARRAY_NAMES)):
            assert filecmp.cmp(os.path.join(src, name, f), os.path.join(out, name, f), shallow=False), f


def test_pack_carries_display_frames(synthetic_data: str, tmp_path) -> None:
    src = os.path.join(tmp_path, "src")
    for i in range(2):
        shutil.copytree(os.path.join(synthetic_data, f"episode-{i:06d}"), os.path.join(src, f"episode-{i:06d}"))
    display = add_display(os.path.join(src, "episode-000000"), 2)  # episode 1 has none

    pack = os.path.join(tmp_path, "data.npz")
    pack_dataset(src, pack, log=print)
    shown, plain = load_episodes(pack, TINY)
    np.testing.assert_array_equal(shown.display, display)
    assert plain.display is None

    out = os.path.join(tmp_path, "unpacked")
    unpack_dataset(pack, out)
    name = os.path.join("episode-000000", "display.npy")
    assert filecmp.cmp(os.path.join(src, name), os.path.join(out, name), shallow=False)
    assert not os.path.exists(os.path.join(out, "episode-000001", "display.npy"))


def test_a_stored_pack_holds_the_same_episodes_and_is_not_deflated(synthetic_data: str, tmp_path) -> None:
    deflated, stored = os.path.join(tmp_path, "d.npz"), os.path.join(tmp_path, "s.npz")
    pack_dataset(synthetic_data, deflated, log=print)
    pack_dataset(synthetic_data, stored, log=print, deflate=False)
    raw = sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(synthetic_data) for f in files)
    assert os.path.getsize(stored) >= raw  # every byte kept as it is (plus the zip's headers)
    assert os.path.getsize(deflated) < os.path.getsize(stored)
    for a, b in zip(load_episodes(deflated, TINY), load_episodes(stored, TINY)):
        assert a.name == b.name and a.meta == b.meta
        for key in ARRAY_NAMES:
            np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
