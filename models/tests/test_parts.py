"""Parts: a dataset as xz episodes in bounded parts, unpacked byte for byte.

    /usr/bin/python3 -m pytest -q models/tests/test_parts.py
"""
import filecmp
import io
import os
import tarfile

import pytest

from models.parts import SUFFIX, unpack_parts, write_parts


def _files(folder: str) -> list[str]:
    return sorted(os.path.relpath(os.path.join(root, f), folder) for root, _, files in os.walk(folder) for f in files)


def test_parts_stay_under_the_limit_and_unpack_to_the_same_bytes(synthetic_data: str, tmp_path) -> None:
    whole = write_parts(synthetic_data, str(tmp_path / "whole"), max_mib=1000, log=print)
    assert len(whole) == 1 and len(whole[0]) == 6
    sizes = [os.path.getsize(tmp_path / "whole" / "part-1" / f"{n}{SUFFIX}") for n in whole[0]]
    raw = sum(os.path.getsize(os.path.join(synthetic_data, n, f)) for n in whole[0]
              for f in os.listdir(os.path.join(synthetic_data, n)))
    assert sum(sizes) < raw  # compressed

    limit = 2.5 * max(sizes) / 2**20  # two episodes a part at most
    parts = write_parts(synthetic_data, str(tmp_path / "parts"), max_mib=limit, log=print)
    assert len(parts) >= 3 and sum(parts, []) == whole[0]  # every episode once, in name order
    for i, part in enumerate(parts, 1):
        folder = tmp_path / "parts" / f"part-{i}"
        assert sorted(os.listdir(folder)) == sorted(f"{n}{SUFFIX}" for n in part)
        assert sum(os.path.getsize(folder / f) for f in os.listdir(folder)) <= limit * 2**20
    assert not (tmp_path / "parts" / "episodes").exists()  # the staging folder is gone

    out = str(tmp_path / "data")
    names = unpack_parts([str(tmp_path / "parts" / f"part-{i}") for i in range(1, len(parts) + 1)], out, workers=2)
    assert sorted(names) == whole[0]
    src_files = [f for f in _files(synthetic_data) if f.split(os.sep)[0] in names]
    assert _files(out) == src_files
    for f in src_files:
        assert filecmp.cmp(os.path.join(synthetic_data, f), os.path.join(out, f), shallow=False), f


def test_an_episode_over_the_limit_is_refused_with_its_size(synthetic_data: str, tmp_path) -> None:
    with pytest.raises(ValueError, match=r"episode-000000 is .* MiB compressed, over --max-mib 1e-06"):
        write_parts(synthetic_data, str(tmp_path / "p"), max_mib=1e-6, log=print)


def test_a_tar_reaching_outside_its_folder_is_refused(tmp_path) -> None:
    part = tmp_path / "part-1"
    part.mkdir()
    with tarfile.open(part / f"episode-000000{SUFFIX}", "w:xz") as tar:
        info = tarfile.TarInfo("../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(ValueError, match="expected one episode folder of plain files"):
        unpack_parts([str(part)], str(tmp_path / "out"), workers=1)
    assert not (tmp_path / "escaped.txt").exists()
