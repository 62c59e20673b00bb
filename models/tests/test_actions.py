"""Action quantisation; these values are pinned on the TypeScript side too.

    /usr/bin/python3 -m pytest -q models/tests/test_actions.py
"""
import numpy as np
import pytest

from models.actions import (
    DEFAULT_ACTION_LAYOUT,
    ActionSlot,
    dequantise,
    dequantise_array,
    encode_actions,
    quantise,
    quantise_array,
    random_action_bins,
)

SLOTS = {s.name: s for s in DEFAULT_ACTION_LAYOUT}


def test_default_layout() -> None:
    assert [(s.name, s.kind, s.unit, s.scale, s.bins) for s in DEFAULT_ACTION_LAYOUT] == [
        ("forward", "axis", "m/tick", 0.4, 9),
        ("strafe", "axis", "m/tick", 0.4, 9),
        ("up", "axis", "m/tick", 0.5, 9),
        ("yaw", "axis", "rad/tick", 0.25, 9),
        ("pitch", "axis", "rad/tick", 0.15, 9),
        ("jump", "button", "pressed", 1.0, 2),
        ("interact", "button", "pressed", 1.0, 2),
    ]


@pytest.mark.parametrize(
    "raw, expected_bin, expected_value",
    [
        (0.0, 4, 0.0),
        (0.25, 8, 1.0),
        (-0.25, 0, -1.0),
        (3.0, 8, 1.0),  # clamped
        (-3.0, 0, -1.0),
        (0.0625, 5, 0.25),  # exactly one bin: v = 0.25
        (0.03125, 5, 0.25),  # v = 0.125 -> 4.5: half rounds up
        (-0.03125, 4, 0.0),  # v = -0.125 -> 3.5 -> 4: floor(x + 0.5), not round-half-even
        (0.0312, 4, 0.0),  # just under the edge
    ],
)
def test_axis_quantisation(raw: float, expected_bin: int, expected_value: float) -> None:
    yaw = SLOTS["yaw"]  # scale 0.25: these raws are exact in binary, so the edges are exact
    assert quantise(raw, yaw) == expected_bin
    assert dequantise(expected_bin, yaw) == expected_value


@pytest.mark.parametrize("raw, expected", [(0.5, 1), (0.49, 0), (1.0, 1), (0.0, 0), (-1.0, 0), (7.0, 1)])
def test_button_quantisation(raw: float, expected: int) -> None:
    assert quantise(raw, SLOTS["jump"]) == expected
    assert dequantise(expected, SLOTS["jump"]) == float(expected)


def test_axis_values_are_the_nine_levels() -> None:
    values = {dequantise(b, SLOTS["forward"]) for b in range(9)}
    assert values == {-1.0, -0.75, -0.5, -0.25, 0.0, 0.25, 0.5, 0.75, 1.0}


def test_vectorised_matches_scalar() -> None:
    rng = np.random.default_rng(0)
    raw = rng.normal(0, 0.4, (200, 7)).astype(np.float32)  # float32 like actions.npy
    bins = quantise_array(raw, DEFAULT_ACTION_LAYOUT)
    for row_raw, row_bins in zip(raw, bins):
        assert [quantise(float(r), s) for r, s in zip(row_raw, DEFAULT_ACTION_LAYOUT)] == list(row_bins)
    values = dequantise_array(bins, DEFAULT_ACTION_LAYOUT)
    assert values.dtype == np.float32
    expected = [[dequantise(int(b), s) for b, s in zip(row, DEFAULT_ACTION_LAYOUT)] for row in bins]
    np.testing.assert_array_equal(values, np.asarray(expected, dtype=np.float32))


def test_same_bins_same_model_input() -> None:
    a = encode_actions(np.array([0.20, 0.01, 0, 0.13, -0.015, 0.9, 0.1]))
    b = encode_actions(np.array([0.21, -0.02, 0.03, 0.12, 0.0, 0.6, 0.4]))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, np.array([0.5, 0, 0, 0.5, 0, 1, 0], dtype=np.float32))


def test_random_bins_are_valid() -> None:
    bins = random_action_bins(np.random.default_rng(1), (5, 3), DEFAULT_ACTION_LAYOUT)
    assert bins.shape == (5, 3, 7)
    assert (bins >= 0).all() and (bins < np.array([s.bins for s in DEFAULT_ACTION_LAYOUT])).all()


def test_invalid_slots() -> None:
    with pytest.raises(ValueError, match="kind"):
        ActionSlot("x", "lever", "m", 1.0, 3)
    with pytest.raises(ValueError, match="button"):
        ActionSlot("x", "button", "pressed", 1.0, 3)
    with pytest.raises(ValueError, match="quantise_array"):
        quantise_array(np.zeros((2, 6)), DEFAULT_ACTION_LAYOUT)
