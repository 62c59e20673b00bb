"""Self-rollout augmentation: painted context replaces recorded context, memory sees the painted
frames, the target never changes, and the random draws do not depend on the data.

    /usr/bin/python3 -m pytest -q models/tests/test_rollout.py
"""
import os

import numpy as np
import torch

from models import train
from models.config import get_preset
from models.dataset import FrameDataset, load_episodes, memory_camera
from models.denoiser import Denoiser
from models.memory import memory_to_model
from models.rollout import RolloutConfig, painted_memory, rollout_batch


def dataset(path: str) -> FrameDataset:
    config = get_preset("tiny-streams")
    return FrameDataset(load_episodes(path, config)[:2], config.context_frames, config)


def test_painted_memory_lays_the_painted_frames_over_the_recorded_memory(synthetic_data: str) -> None:
    data = dataset(synthetic_data)
    ep, t = data.episodes[0], 20
    camera = memory_camera(get_preset("tiny-streams"))
    recorded = memory_to_model(data.memory[0][t])
    assert painted_memory([], recorded, ep.poses[t], ep.depth[t], camera) is recorded

    # A painted keyframe at the very view asked for fills what the recorded memory does not
    # cover with its own colours; where real frames cover, they stay (they outrank it).
    frame = np.full((3, camera.height, camera.width), 0.25, np.float32)
    out = painted_memory([(frame, ep.depth[t], ep.poses[t])], recorded, ep.poses[t], ep.depth[t], camera)
    real = recorded[3] > 0
    assert 0 < real.mean() < 1
    np.testing.assert_array_equal(out[:, real], recorded[:, real])
    filled = ~real & (out[3] > 0)
    assert filled.any()
    np.testing.assert_allclose(out[:3][:, filled], 0.25, atol=1e-6)


def test_rollout_replaces_the_newest_context_with_painted_frames(synthetic_data: str) -> None:
    data = dataset(synthetic_data)
    torch.manual_seed(0)
    model = Denoiser(get_preset("tiny-streams"))
    indices = np.arange(7, len(data), 7)[:6]  # t >= K + 1: each has a recorded tick to paint over
    batch = data.batch(indices)
    out = rollout_batch(model, data, indices, batch, RolloutConfig(prob=1.0, max_ticks=1),
                        torch.Generator().manual_seed(1))
    torch.testing.assert_close(out["target"], batch["target"], rtol=0, atol=0)
    torch.testing.assert_close(out["actions"], batch["actions"], rtol=0, atol=0)
    # With one painted tick only the newest context frame changes (channels 3..5 of K = 2).
    torch.testing.assert_close(out["context"][:, :3], batch["context"][:, :3], rtol=0, atol=0)
    assert (out["context"][:, 3:] - batch["context"][:, 3:]).abs().amax(dim=(1, 2, 3)).min() > 0.05
    assert out["context"].abs().max() <= 1.0
    # Memory: the real frames outrank the painted one, and the recorded tick t-1 sees all that
    # the painted tick t-1 does (same view), so the stream is the recorded one.
    torch.testing.assert_close(out["memory"], batch["memory"], rtol=0, atol=0)


def test_rollout_draws_the_same_randomness_whatever_it_does(synthetic_data: str) -> None:
    data = dataset(synthetic_data)
    model = Denoiser(get_preset("tiny-streams"))
    indices = np.arange(4)
    states = []
    for prob in (0.0, 1.0):
        gen = torch.Generator().manual_seed(3)
        out = rollout_batch(model, data, indices, data.batch(indices), RolloutConfig(prob=prob, max_ticks=2), gen)
        states.append(gen.get_state())
        if prob == 0.0:
            torch.testing.assert_close(out["context"], data.batch(indices)["context"], rtol=0, atol=0)
    assert torch.equal(states[0], states[1])


def test_training_with_rollouts_runs_and_resumes_exactly(synthetic_data: str, tmp_path) -> None:
    def run(out: str, *extra: str) -> dict:
        train.main(["--data", synthetic_data, "--preset", "tiny-streams", "--out", out, "--batch-size", "4",
                    "--log-every", "1", "--sample-every", "1000", "--checkpoint-every", "1000",
                    "--rollout-prob", "0.5", "--rollout-ticks", "2", *extra])
        return train.load_checkpoint_file(os.path.join(out, train.CHECKPOINT))

    straight = run(str(tmp_path / "a"), "--steps", "3")
    run(str(tmp_path / "b"), "--steps", "1")
    resumed = run(str(tmp_path / "b"), "--steps", "3", "--resume")
    assert resumed["trainConfig"]["rollout_prob"] == 0.5 and resumed["trainConfig"]["rollout_ticks"] == 2
    for name, tensor in straight["raw_model"].items():
        torch.testing.assert_close(resumed["raw_model"][name], tensor, rtol=0, atol=0, msg=name)
