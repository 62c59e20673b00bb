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
