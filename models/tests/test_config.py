"""ModelConfig presets, validation and the checkpoint round trip.

    /usr/bin/python3 -m pytest -q models/tests/test_config.py
"""
import dataclasses
import json

import pytest

from models.config import PRESETS, ModelConfig, get_preset


def test_presets() -> None:
    tiny, streams, arena = get_preset("tiny"), get_preset("tiny-streams"), get_preset("arena")
    assert (tiny.width, tiny.height, tiny.context_frames, tiny.channels, tiny.streams) == (32, 32, 2, (8, 16), ())
    assert streams.stream_names == ["memory", "depth"]
    assert (arena.width, arena.height, arena.context_frames, arena.stream_names) == (64, 64, 4, ["memory", "depth"])
    assert all(not c.attention and c.action_dim == 7 and c.tick_hz == 20 for c in PRESETS.values())
    with pytest.raises(KeyError, match="unknown preset"):
        get_preset("huge")


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_json_round_trip(name: str) -> None:
    config = get_preset(name)
    assert ModelConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_streams_keep_canonical_input_order() -> None:
    config = dataclasses.replace(get_preset("tiny"), streams=("depth", "memory"))
    assert list(config.input_shapes()) == ["noisy", "sigma", "context", "actions", "memory", "depth"]
    assert config.input_shapes(batch=2)["memory"] == [2, 4, 32, 32]
    assert config.in_channels == 3 + 6 + 5


def test_validation() -> None:
    with pytest.raises(ValueError, match="unknown streams"):
        ModelConfig(name="x", streams=("lidar",))
    with pytest.raises(ValueError, match="divisible"):
        ModelConfig(name="x", width=60, height=64, channels=(8, 16, 32, 64))
