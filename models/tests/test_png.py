"""The zlib + struct PNG writer round-trips, and the grid helper lays images out.

    /usr/bin/python3 -m pytest -q models/tests/test_png.py
"""
import os
import struct
import zlib

import numpy as np
import pytest

from models.png import encode_png, image_grid, read_png, to_uint8, write_png


def test_round_trip(tmp_path) -> None:
    img = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    data = encode_png(img)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == (7, 5)
    (crc,) = struct.unpack(">I", data[29:33])  # IHDR: length 13, so its CRC follows at 8 + 8 + 13
    assert crc == zlib.crc32(data[12:29]) & 0xFFFFFFFF
    np.testing.assert_array_equal(read_png(data), img)
    path = os.path.join(tmp_path, "sub", "x.png")
    write_png(path, img)
    with open(path, "rb") as f:
        np.testing.assert_array_equal(read_png(f.read()), img)


def test_rejects_non_rgb() -> None:
    with pytest.raises(ValueError, match="uint8"):
        encode_png(np.zeros((4, 4), np.uint8))


def test_to_uint8_and_grid() -> None:
    chw = np.stack([np.full((2, 3), -1.0), np.zeros((2, 3)), np.full((2, 3), 1.0)])  # (3, 2, 3)
    hwc = to_uint8(chw)
    assert hwc.shape == (2, 3, 3) and hwc[0, 0].tolist() == [0, 128, 255]
    grid = image_grid([[hwc, hwc], [hwc]], gap=1, scale=2)
    assert grid.shape == (2 * (2 * 2 + 1), 2 * (2 * 3 + 1), 3)
    assert grid[-1, -1].tolist() == [0, 0, 0]  # the missing image stays black
