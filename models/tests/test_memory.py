"""models/memory.py: camera maths, renders, eviction, episode_memory's causality and the
stream layouts; and the committed parity fixture (tests/fixtures/memory-parity/) is current.

    /usr/bin/python3 -m pytest -q models/tests/test_memory.py

If test_parity_fixture_is_current fails after a change to models/memory.py, regenerate the
fixture with `/usr/bin/python3 -m models.tests.memory_parity_fixture` and make the same change
in worldmodel/SpatialMemory.ts (tests/worldmodel/SpatialMemory.parity.test.ts compares them).
"""
from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

from models.memory import (
    MemoryCamera,
    MemoryConfig,
    SpatialMemory,
    camera_to_world,
    depth_to_model,
    episode_memory,
    memory_to_model,
    world_to_camera,
)
from models.tests import memory_parity_fixture as fixture

# 32 x 24 with a 90 degree vertical field of view: tan_y = 1, tan_x = 4/3, focal length 12 px.
CAM = MemoryCamera(32, 24, 90.0, 0.05, 60.0)
FOCAL = CAM.height / 2 / CAM.tan_y
ORIGIN = np.zeros(5, np.float32)


def pose(x: float = 0.0, y: float = 0.0, z: float = 0.0, yaw: float = 0.0, pitch: float = 0.0) -> np.ndarray:
    return np.array([x, y, z, yaw, pitch], np.float32)


def project(p: np.ndarray, world: tuple[float, float, float]) -> tuple[float, float, float]:
    """Continuous pixel (u, v), centres at integers, and view depth: the projection render uses."""
    x, y, z = world_to_camera(p, np.array([world], np.float64))
    d = -float(z[0])
    return ((float(x[0]) / d / CAM.tan_x + 1) / 2 * CAM.width - 0.5,
            (1 - float(y[0]) / d / CAM.tan_y) / 2 * CAM.height - 0.5, d)


def pattern(seed: int = 0, cam: MemoryCamera = CAM) -> np.ndarray:
    """A frame (3, H, W) in [-1, 1] with no two neighbouring pixels alike."""
    return np.random.default_rng(seed).uniform(-1, 1, (3, cam.height, cam.width)).astype(np.float32)


def wall(d: float, cam: MemoryCamera = CAM) -> np.ndarray:
    return np.full((cam.height, cam.width), d, np.float32)


def test_camera_conventions() -> None:
    # yaw = pitch = 0 looks down -z; yaw = pi/2 turns left, to -x; pitch > 0 looks up.
    ahead = (np.zeros(1), np.zeros(1), -np.ones(1))
    np.testing.assert_allclose(camera_to_world(pose(1, 2, 3), *ahead), [[1, 2, 2]], atol=1e-12)
    np.testing.assert_allclose(camera_to_world(pose(yaw=math.pi / 2), *ahead), [[-1, 0, 0]], atol=1e-7)
    np.testing.assert_allclose(camera_to_world(pose(pitch=math.pi / 2), *ahead), [[0, 1, 0]], atol=1e-7)
    # world_to_camera inverts camera_to_world
    rng = np.random.default_rng(1)
    p = pose(0.3, -1.2, 4.0, 2.5, -0.4)
    pts = rng.normal(size=(50, 3)) * 5
    back = camera_to_world(p, *world_to_camera(p, pts))
    np.testing.assert_allclose(back, pts, atol=1e-9)


def test_known_point_lands_on_known_pixel() -> None:
    centre = ((CAM.width - 1) / 2, (CAM.height - 1) / 2)
    np.testing.assert_allclose(project(ORIGIN, (0, 0, -5)), (*centre, 5), atol=1e-9)
    np.testing.assert_allclose(project(pose(yaw=math.pi / 2), (-5, 0, 0)), (*centre, 5), atol=1e-6)
    np.testing.assert_allclose(project(pose(pitch=math.pi / 4), (0, 5, -5)), (*centre, 5 * math.sqrt(2)), atol=1e-5)
    # 1 m right and up at 4 m is FOCAL / 4 = 3 px right of and above the centre (rows grow downwards)
    np.testing.assert_allclose(project(ORIGIN, (1, 1, -4)), (centre[0] + 3, centre[1] - 3, 4), atol=1e-9)
    # facing -x, the point at -z is on the right: x / d = 1, u = (1 / tan_x + 1) / 2 * W - 0.5
    np.testing.assert_allclose(project(pose(yaw=math.pi / 2), (-5, 0, -5))[:2], (27.5, centre[1]), atol=1e-5)


def test_render_same_pose_is_the_frame() -> None:
    frames, camera = fixture.load_inputs(ticks=1)
    frame = np.moveaxis(frames["frames"][0].astype(np.float32), -1, 0) / 127.5 - 1
    mem = SpatialMemory(camera)
    empty = mem.render(frames["poses"][0], frames["depth"][0])
    assert empty.shape == (4, 64, 64) and empty.dtype == np.float32 and not empty.any()
    mem.insert(frame, frames["depth"][0], frames["poses"][0], 0)
    out = mem.render(frames["poses"][0], frames["depth"][0])
    assert (out[3] == 1).all()
    np.testing.assert_allclose(out[:3], frame, atol=1e-6, rtol=0)


def test_sideways_move_shifts_the_wall() -> None:
    img = pattern()
    mem = SpatialMemory(CAM)
    mem.insert(img, wall(4), ORIGIN, 0)
    # 1 m right with the wall at 4 m: the wall moves FOCAL / 4 = 3 px left in the view
    shift = int(round(FOCAL * 1 / 4))
    assert shift == 3
    out = mem.render(pose(x=1), wall(4))
    np.testing.assert_allclose(out[:3, :, : CAM.width - shift], img[:, :, shift:], atol=1e-6)
    assert (out[3, :, : CAM.width - shift] == 1).all()
    assert not out[:, :, CAM.width - shift :].any()  # uncovered: RGB 0 and coverage 0
    # half a pixel: the bilinear mean of neighbours
    out = mem.render(pose(x=1 / 6), wall(4))
    np.testing.assert_allclose(out[:3, :, :-1], (img[:, :, :-1] + img[:, :, 1:]) / 2, atol=1e-6)


def test_sky_colours_fill_sky_no_real_view_held() -> None:
    # A sees sky above the horizon (red falling row by row) and ground below; turned half round,
    # nothing A saw covers the view, but its sky gets A's sky colour at the same elevation, as
    # covered. Off with object_prior 0; a painted frame teaches no sky.
    horizon = CAM.height // 2
    depth = wall(3)
    depth[:horizon] = CAM.far
    frame = np.full((3, CAM.height, CAM.width), 0.2, np.float32)
    frame[0, :horizon] = (0.9 - 0.05 * np.arange(horizon, dtype=np.float32))[:, None]
    frame[1, :horizon], frame[2, :horizon] = -0.5, 0.25
    behind = pose(yaw=math.pi)
    mem = SpatialMemory(CAM)
    mem.insert(frame, depth, ORIGIN, 0)
    out = mem.render(behind, wall(2 * CAM.far))
    col = CAM.width // 2
    # Each one-degree band mixes the rows that cross it (a row's elevation falls off towards the
    # sides of this wide view): the gradient is kept, within a row or so.
    red = out[0, :horizon, col]
    assert (np.diff(red) < 0).all()
    np.testing.assert_allclose(red, frame[0, :horizon, col], atol=0.1)
    np.testing.assert_allclose(out[1:3, :horizon, col], frame[1:3, :horizon, col], atol=1e-6)
    assert (out[3, :horizon] == 1).all()
    assert not out[:, -1].any()  # 44 degrees down: no sky band within reach
    for quiet in (SpatialMemory(CAM, MemoryConfig(object_prior=0)), SpatialMemory(CAM)):
        quiet.insert(frame, depth, ORIGIN, 0, painted=quiet.config.object_prior > 0)
        assert not quiet.render(behind, wall(2 * CAM.far)).any()


def test_sky_and_occlusion() -> None:
    a, b = pattern(1), pattern(2)
    sky = wall(CAM.far)
    half = wall(4)
    half[:, CAM.width // 2 :] = CAM.far  # left half wall at 4 m, right half sky
    mem = SpatialMemory(CAM)
    mem.insert(a, sky, ORIGIN, 0)  # saw sky everywhere
    mem.insert(b, half, ORIGIN, 1)
    out = mem.render(ORIGIN, sky * 2)  # depth beyond far is sky
    assert (out[3] == 1).all()
    # b saw a wall on the left, and its sky beside the wall is the wall's edge (sky_core), so a
    # covers that column too; newest first elsewhere
    edge = CAM.width // 2 + 1
    np.testing.assert_allclose(out[:3, :, :edge], a[:, :, :edge], atol=1e-6)
    np.testing.assert_allclose(out[:3, :, edge:], b[:, :, edge:], atol=1e-6)
    # a surface is not covered by a keyframe that saw sky there, nor by one that saw a wall in front
    out = mem.render(ORIGIN, wall(8))
    assert not out.any()
    # within tolerance (0.05 * 8 + 0.1 = 0.5 m) a keyframe covers, beyond it not
    mem = SpatialMemory(CAM)
    mem.insert(a, wall(8.45), ORIGIN, 0)
    assert (mem.render(ORIGIN, wall(8))[3] == 1).all()
    mem.insert(b, wall(8.55), ORIGIN, 1)
    np.testing.assert_allclose(mem.render(ORIGIN, wall(8))[:3], a, atol=1e-6)


def test_eviction() -> None:
    img, d = pattern(), wall(4)
    mem = SpatialMemory(CAM, MemoryConfig(capacity=6, keep_recent=2))
    places = [0, 0, 10, 20, 30, 40, 50]  # ticks 0 and 1 are the same view
    for t, x in enumerate(places):
        mem.insert(img, d, pose(x=x), t)
    assert mem.ticks == [1, 2, 3, 4, 5, 6]  # the repeated view went first
    mem.insert(img, d, pose(x=60), 7)
    assert mem.ticks == [2, 3, 4, 5, 6, 7]  # nothing repeated: the oldest
    mem.insert(img, d, pose(x=60), 8)
    assert mem.ticks == [3, 4, 5, 6, 7, 8]  # 7 is repeated but among the newest 2
    mem.insert(img, d, pose(x=60.5, yaw=0.3), 9)
    assert mem.ticks == [3, 4, 5, 6, 8, 9]  # now 7 is evictable
    # turned 90 degrees is another view; yaw wraps around
    mem = SpatialMemory(CAM, MemoryConfig(capacity=3, keep_recent=1))
    for t, p in enumerate([pose(yaw=3.1 - math.pi / 2), pose(yaw=3.1), pose(yaw=-3.1)]):
        mem.insert(img, d, p, t)
    assert mem.eviction_victim() == 1  # 3.1 and -3.1 are 4.8 degrees apart; 0 has no repeat
    with pytest.raises(ValueError, match="capacity >= keep_recent"):
        SpatialMemory(CAM, MemoryConfig(capacity=2, keep_recent=3))


def test_painted_frames_rank_below_what_they_were_painted_over() -> None:
    mem = SpatialMemory(CAM)
    mem.insert(pattern(1), wall(4), pose(), 0)  # seen
    mem.insert(pattern(2), wall(4), pose(), 1, painted=True)  # a painted copy of the same view: 0.9 x 1
    np.testing.assert_allclose(mem.render(pose(), wall(4))[:3], pattern(1), atol=1e-6)
    assert mem.confidences[0] is None and np.allclose(mem.confidences[1], np.float32(0.9))
    fresh = SpatialMemory(CAM)
    fresh.insert(pattern(3), wall(4), pose(), 0, painted=True)  # nothing under it: painted_fresh
    assert np.allclose(fresh.confidences[0], 0.5)
    fresh.insert(pattern(4), wall(4), pose(), 1, painted=True)  # 0.9 x 0.5, lifted to the floor: a tie
    assert np.allclose(fresh.confidences[1], 0.5)
    np.testing.assert_allclose(fresh.render(pose(), wall(4))[:3], pattern(4), atol=1e-6)  # newest wins ties


def test_eviction_drops_painted_repeats_first() -> None:
    mem = SpatialMemory(CAM, MemoryConfig(capacity=4, keep_recent=1))
    mem.insert(pattern(1), wall(4), pose(), 0)
    mem.insert(pattern(2), wall(4), pose(x=0.2), 1, painted=True)  # repeats 0
    for t, x in ((2, 10), (3, 20), (4, 30)):
        mem.insert(pattern(t + 1), wall(4), pose(x=x), t)
    assert mem.ticks == [0, 2, 3, 4]
    mem.insert(pattern(6), wall(4), pose(x=40), 5, painted=True)
    mem.insert(pattern(7), wall(4), pose(x=50), 6)  # no repeats: the least confident goes
    assert mem.ticks == [2, 3, 4, 6]


def test_episode_memory_is_causal() -> None:
    arrays, camera = fixture.load_inputs(ticks=8)
    frames, depth, poses = arrays["frames"], arrays["depth"], arrays["poses"]
    memory = episode_memory(frames, depth, poses, camera)
    assert memory.shape == (8, 64, 64, 4) and memory.dtype == np.uint8
    assert not memory[0].any()  # nothing seen before tick 0
    changed = frames.copy()
    changed[5] = 255 - changed[5]
    other = episode_memory(changed, depth, poses, camera)
    np.testing.assert_array_equal(other[:6], memory[:6])  # memory[5] does not see frame 5 ...
    assert (other[6] != memory[6]).any()  # ... memory[6] does
    # the uint8 stream is the float render, quantised
    floats, _ = fixture.render_sequence(frames, depth, poses, camera, MemoryConfig(), painted=[False] * 8)
    np.testing.assert_allclose(memory_to_model(memory), np.concatenate(
        [np.rint((floats[:, :3] + 1) * 127.5) / 127.5 - 1, floats[:, 3:]], axis=1) * floats[:, 3:], atol=1e-6)


def test_stream_layouts() -> None:
    mem = np.zeros((2, 3, 5, 4), np.uint8)  # (T, H, W, 4)
    mem[0, 1, 2] = [255, 0, 51, 255]
    mem[1, 0, 0] = [255, 255, 255, 0]  # uncovered: RGB ignored
    m = memory_to_model(mem)
    assert m.shape == (2, 4, 3, 5) and m.dtype == np.float32
    np.testing.assert_allclose(m[0, :, 1, 2], [1, -1, 51 / 127.5 - 1, 1])
    np.testing.assert_array_equal(m[1, :, 0, 0], [0, 0, 0, 0])
    assert m[0, 3].sum() == 1
    d = depth_to_model(np.array([[[0, 30, 60, 120]]], np.float32), far=60)
    assert d.shape == (1, 1, 1, 4) and d.dtype == np.float32
    np.testing.assert_allclose(d[0, 0, 0], [-1, 0, 1, 1])


def test_parity_fixture_is_current() -> None:
    arrays, meta = fixture.build()
    for name, a in arrays.items():
        path = os.path.join(fixture.FIXTURE, f"{name}.npy")
        assert os.path.isfile(path), f"missing {path}: run /usr/bin/python3 -m models.tests.memory_parity_fixture"
        saved = np.load(path)
        assert saved.dtype == a.dtype and saved.shape == a.shape, name
        if name == "expected":
            np.testing.assert_array_equal(saved[:, 3], a[:, 3])
            np.testing.assert_allclose(saved, a, atol=1e-6, rtol=0)
        else:
            np.testing.assert_array_equal(saved, a)
    with open(os.path.join(fixture.FIXTURE, "meta.json"), encoding="utf-8") as f:
        assert json.load(f) == meta
    size = sum(os.path.getsize(os.path.join(fixture.FIXTURE, n)) for n in os.listdir(fixture.FIXTURE))
    assert size < 3_000_000
    assert arrays["expected"].shape == (fixture.TICKS, 4, 64, 64)
    assert 0.5 < meta["meanCoverage"] < 1  # the memory covers most of each view, not all
