"""Action slots and their quantised encoding, shared bit for bit with the TypeScript runtime.

    /usr/bin/python3 -m models.actions 0.13 -0.4 0 0.05 0 1 0    # encode one raw action

An action is what actually happened over one tick (the camera's pose change in the
camera frame, plus buttons), not which key was pressed. Each slot is quantised into
bins so that "the same action" is exact for speculative sampling, and the model is fed
the *dequantised* value: two raw actions that fall into the same bins give the same
frame. The arithmetic is done in float64 because that is what JavaScript numbers are;
doing it in float32 would move values that sit on a bin edge into the other bin.
"""
from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

AXIS = "axis"
BUTTON = "button"


@dataclass(frozen=True)
class ActionSlot:
    """One entry of the action vector, as the manifest lists it."""

    name: str
    kind: str  # "axis" (signed, scaled) or "button" (pressed or not)
    unit: str  # what a raw value means, e.g. "m/tick", "rad/tick", "pressed"
    scale: float  # axis: the raw magnitude that maps to +-1; button: 1
    bins: int  # number of quantisation levels; buttons have 2

    def __post_init__(self) -> None:
        if self.kind not in (AXIS, BUTTON):
            raise ValueError(f"ActionSlot {self.name!r}: kind must be 'axis' or 'button', got {self.kind!r}")
        if self.kind == AXIS and (self.bins < 2 or self.scale <= 0):
            raise ValueError(
                f"ActionSlot {self.name!r}: an axis needs bins >= 2 and scale > 0, "
                f"got bins={self.bins}, scale={self.scale}"
            )
        if self.kind == BUTTON and self.bins != 2:
            raise ValueError(f"ActionSlot {self.name!r}: a button has exactly 2 bins, got {self.bins}")


# Scales are about the largest per-tick motion the character controller produces at
# 20 Hz, so a full key press lands on the outer bins. 9 bins keep 0 exactly representable.
DEFAULT_ACTION_LAYOUT: tuple[ActionSlot, ...] = (
    ActionSlot("forward", AXIS, "m/tick", 0.4, 9),
    ActionSlot("strafe", AXIS, "m/tick", 0.4, 9),
    ActionSlot("up", AXIS, "m/tick", 0.5, 9),
    ActionSlot("yaw", AXIS, "rad/tick", 0.25, 9),
    ActionSlot("pitch", AXIS, "rad/tick", 0.15, 9),
    ActionSlot("jump", BUTTON, "pressed", 1.0, 2),
    ActionSlot("interact", BUTTON, "pressed", 1.0, 2),
)


def quantise(raw: float, slot: ActionSlot) -> int:
    """Raw value -> bin index in [0, bins-1]; floor(x + 0.5) matches Math.floor in TypeScript."""
    if slot.kind == BUTTON:
        return 1 if raw >= 0.5 else 0
    v = min(max(raw / slot.scale, -1.0), 1.0)
    return int(math.floor((v + 1.0) / 2.0 * (slot.bins - 1) + 0.5))


def dequantise(bin_index: int, slot: ActionSlot) -> float:
    """Bin index -> the value the model is fed: axis in [-1, 1], button 0 or 1."""
    if slot.kind == BUTTON:
        return float(bin_index)
    return bin_index / (slot.bins - 1) * 2.0 - 1.0


def quantise_array(raw: np.ndarray, layout: Sequence[ActionSlot]) -> np.ndarray:
    """Vectorised quantise over the last axis: raw (..., A) -> int32 bins (..., A)."""
    raw = np.asarray(raw, dtype=np.float64)
    if raw.shape[-1] != len(layout):
        raise ValueError(f"quantise_array: expected {len(layout)} slots on the last axis, got {raw.shape}")
    bins = np.empty(raw.shape, dtype=np.int32)
    for a, slot in enumerate(layout):
        x = raw[..., a]
        if slot.kind == BUTTON:
            bins[..., a] = (x >= 0.5).astype(np.int32)
        else:
            v = np.clip(x / slot.scale, -1.0, 1.0)
            bins[..., a] = np.floor((v + 1.0) / 2.0 * (slot.bins - 1) + 0.5).astype(np.int32)
    return bins


def dequantise_array(bins: np.ndarray, layout: Sequence[ActionSlot]) -> np.ndarray:
    """Vectorised dequantise: int bins (..., A) -> float32 model inputs (..., A)."""
    bins = np.asarray(bins)
    out = np.empty(bins.shape, dtype=np.float64)
    for a, slot in enumerate(layout):
        b = bins[..., a].astype(np.float64)
        out[..., a] = b if slot.kind == BUTTON else b / (slot.bins - 1) * 2.0 - 1.0
    return out.astype(np.float32)


def encode_actions(raw: np.ndarray, layout: Sequence[ActionSlot] = DEFAULT_ACTION_LAYOUT) -> np.ndarray:
    """Raw actions (..., A) -> float32 model inputs (..., A), via the bins."""
    return dequantise_array(quantise_array(raw, layout), layout)


def random_action_bins(
    rng: np.random.Generator, shape: tuple[int, ...], layout: Sequence[ActionSlot]
) -> np.ndarray:
    """Uniformly random valid bins (*shape, A), for fixtures and tests."""
    return np.stack([rng.integers(0, slot.bins, size=shape) for slot in layout], axis=-1).astype(np.int32)


def main() -> None:
    parser = argparse.ArgumentParser(description="Encode one raw action with the default layout.")
    parser.add_argument("raw", type=float, nargs=len(DEFAULT_ACTION_LAYOUT), help="raw values, one per slot")
    args = parser.parse_args()
    for slot, raw in zip(DEFAULT_ACTION_LAYOUT, args.raw):
        b = quantise(raw, slot)
        value = dequantise(b, slot)
        print(f"{slot.name:>9} raw={raw:+.4f} {slot.unit:<9} bin={b}/{slot.bins - 1} input={value:+.3f}")


if __name__ == "__main__":
    main()
