"""Behaviour-cloning policy: training learns, export writes the IO the TypeScript loader expects.

    /usr/bin/python3 -m pytest -q models/tests/test_policy_bc.py
"""
import json
import os

import numpy as np
import onnx
import pytest
import torch

from models.policy_bc import MODEL_FILE, POLICY_FILE, PolicyBCConfig, PolicyCNN, load_demonstrations, mirror_table, train, write_policy

TABLE = [
    {"forward": 1.0, "yawRate": 0.0},
    {"forward": 0.0, "yawRate": 2.0},
    {"forward": 0.0, "yawRate": -2.0},
]
SIZE = 16


def synthetic_episodes(n_episodes: int, ticks: int, seed: int):
    """A red square on grey: left of centre -> turn left (1), right -> turn right (2), centre -> walk (0)."""
    rng = np.random.default_rng(seed)
    episodes = []
    for _ in range(n_episodes):
        images = np.full((ticks, SIZE, SIZE, 3), 90, np.uint8)
        actions = rng.integers(0, 3, ticks)
        for t, a in enumerate(actions):
            col = {0: SIZE // 2 - 2, 1: 1, 2: SIZE - 5}[int(a)]
            row = int(rng.integers(2, SIZE - 6))
            images[t, row:row + 4, col:col + 4] = (220, 40, 40)
        targets = np.tile(np.array([[224, 38, 43, 0, 0, 0]], np.uint8), (ticks, 1))
        episodes.append({"images": images, "targets": targets, "actions": actions.astype(np.int64)})
    return episodes


def save_episode(folder, episode) -> None:
    os.makedirs(folder, exist_ok=True)
    for key, value in episode.items():
        np.save(os.path.join(folder, f"{key}.npy"), value)


def tiny_config(**kw) -> PolicyBCConfig:
    return PolicyBCConfig(width=SIZE, height=SIZE, channels=(8, 8), hidden=16, batch_size=32, lr=1e-2, val_fraction=0.25, blur_prob=0.0, colour_jitter=0.0, threads=1, **kw)


def test_mirror_table_swaps_turns():
    assert mirror_table(TABLE) == [0, 2, 1]
    assert mirror_table([{"forward": 1.0, "yawRate": 1.0}]) == [-1]  # no mirror in the table: never flipped


def test_training_decreases_loss_and_learns_the_rule():
    config = tiny_config(epochs=8, flip=True)  # the rule is mirror-symmetric, so flipping must not hurt
    _, history = train(config, synthetic_episodes(8, 64, seed=1), TABLE, log=lambda *_: None)
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    # Chance is 1/3: the held-out episodes are only right if position -> action was learned.
    assert history["val_accuracy"][-1] > 0.8


def test_export_writes_onnx_with_expected_io(tmp_path):
    config = tiny_config(epochs=1)
    model = PolicyCNN(config, len(TABLE))
    card = write_policy(str(tmp_path), model, config, TABLE, {"train_loss": [1.0]}, {"demonstrations": {"episodes": 0}})
    graph = onnx.load(str(tmp_path / MODEL_FILE)).graph
    onnx.checker.check_model(onnx.load(str(tmp_path / MODEL_FILE)))

    def dims(value):
        return [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]

    assert [i.name for i in graph.input] == ["image", "target"]
    assert dims(graph.input[0]) == ["batch", 3, SIZE, SIZE]
    assert dims(graph.input[1]) == ["batch", 6]
    assert [o.name for o in graph.output] == ["logits"]
    assert dims(graph.output[0]) == ["batch", len(TABLE)]
    assert all(i.type.tensor_type.elem_type == onnx.TensorProto.FLOAT for i in graph.input)
    saved = json.loads((tmp_path / POLICY_FILE).read_text())
    assert saved == card and saved["actions"] == TABLE and saved["resolution"] == {"width": SIZE, "height": SIZE}


def test_load_demonstrations_checks_its_input(tmp_path):
    with pytest.raises(FileNotFoundError, match="actions.json"):
        load_demonstrations(str(tmp_path))
    (tmp_path / "actions.json").write_text(json.dumps(TABLE))
    with pytest.raises(FileNotFoundError, match="no episode folders"):
        load_demonstrations(str(tmp_path))
    ep = synthetic_episodes(1, 4, seed=0)[0]
    ep["actions"][0] = 7
    save_episode(tmp_path / "reach-1", ep)
    with pytest.raises(ValueError, match="outside the table"):
        load_demonstrations(str(tmp_path))
    ep["actions"][0] = 0
    save_episode(tmp_path / "reach-1", ep)
    episodes, table = load_demonstrations(str(tmp_path))
    assert len(episodes) == 1 and table == TABLE and episodes[0]["images"].shape == (4, SIZE, SIZE, 3)


def test_model_output_shape():
    config = tiny_config()
    logits = PolicyCNN(config, 5)(torch.zeros(3, 3, SIZE, SIZE), torch.zeros(3, 6))
    assert logits.shape == (3, 5)
