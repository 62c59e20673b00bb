"""Minimal PNG writer (and reader for its own files) with zlib + struct, so no imaging library.

    /usr/bin/python3 -m pytest -q models/tests/test_png.py

The trainer's sample grids and the evaluator's strips are the only users: 8-bit RGB,
no interlacing, every scanline stored with filter 0. `read_png` reads exactly that
form back (for tests); it is not a general decoder.
"""
from __future__ import annotations

import os
import struct
import zlib
from typing import Sequence

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def encode_png(image: np.ndarray) -> bytes:
    """uint8 (H, W, 3) RGB, row 0 at the top -> PNG bytes."""
    image = np.ascontiguousarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"encode_png: expected a uint8 (H, W, 3) array, got {image.dtype} {image.shape}")
    h, w, _ = image.shape
    rows = np.concatenate([np.zeros((h, 1), np.uint8), image.reshape(h, w * 3)], axis=1)  # filter byte 0 per row
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8-bit, truecolour, deflate, no filter set, no interlace
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + _chunk(b"IEND", b"")


def write_png(path: str, image: np.ndarray) -> None:
    """Writes atomically (temp file + rename), creating the folder if needed."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp"
    with open(tmp, "wb") as f:
        f.write(encode_png(image))
    os.replace(tmp, path)


def read_png(data: bytes) -> np.ndarray:
    """PNG bytes as written by encode_png -> uint8 (H, W, 3)."""
    if not data.startswith(SIGNATURE):
        raise ValueError("read_png: not a PNG (bad signature)")
    pos, idat, w, h = len(SIGNATURE), b"", 0, 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
            if (depth, colour) != (8, 2):
                raise ValueError(f"read_png: only 8-bit RGB is supported, got depth {depth}, colour type {colour}")
        elif kind == b"IDAT":
            idat += body
    rows = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * 3)
    if rows[:, 0].any():
        raise ValueError("read_png: only filter type 0 is supported")
    return rows[:, 1:].reshape(h, w, 3).copy()


def to_uint8(image: np.ndarray) -> np.ndarray:
    """Float CHW or (N)CHW image in [-1, 1] -> uint8 HWC (or NHWC), rounded and clipped."""
    x = np.clip((np.asarray(image, np.float32) + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8)
    return np.moveaxis(x, -3, -1)


def image_grid(rows: Sequence[Sequence[np.ndarray]], gap: int = 2, scale: int = 1) -> np.ndarray:
    """Tiles uint8 (H, W, 3) images into rows (padded with black), each pixel repeated `scale` times."""
    h, w, _ = rows[0][0].shape
    cols = max(len(r) for r in rows)
    out = np.zeros((len(rows) * (h + gap) - gap, cols * (w + gap) - gap, 3), np.uint8)
    for i, row in enumerate(rows):
        for j, img in enumerate(row):
            out[i * (h + gap) : i * (h + gap) + h, j * (w + gap) : j * (w + gap) + w] = img
    return out.repeat(scale, axis=0).repeat(scale, axis=1) if scale > 1 else out
