"""SpatialMemory: what the world looked like, kept in world space and rendered into any camera.

The Python twin of worldmodel/SpatialMemory.ts (same algorithm; a parity test pins them
together on the same inputs). Training uses it to make the `memory` stream from an episode's
own earlier frames, exactly as the runtime makes it from the frames it generated:

    memory[t] = render(pose[t], depth[t]) of a store that holds frames 0 .. t-1

The store is a set of surfel keyframes: every inserted frame keeps its pixels as surfels
(colour + world position, from the frame's proxy depth and camera pose). A view is rendered
by looking each target pixel's surface point up in the keyframes, rather than splatting
voxels: measured on recorded arena episodes, splatting a 0.1 m voxel store recovered
24.6 dB on moving frames (copy-last-frame: 23.0) and lost detail even without motion
(31 dB), while this lookup recovers 28-30 dB and is exact when the camera has not moved.

- insert(frame, depth, pose, tick, painted=False): the frame becomes the newest keyframe,
  with a confidence per pixel: None (1 everywhere) for a real frame; for a frame the model
  painted, painted_decay x the score of the memory it was painted over, but at least
  painted_fresh (also where memory had nothing). The floor matters: what the model imagined
  keeps being repainted newest first, so it sharpens over passes as before, while what came
  from real frames stays anchored to them for a few generations. Over `capacity` one keyframe is evicted (never
  among the newest `keep_recent`): of those whose view another keyframe repeats (camera
  within `near_metres`, yaw and pitch within `near_degrees`) the least confident, oldest on
  ties; if none repeats, the least confident, oldest on ties. With real frames only, that is
  the oldest repeated view, else the oldest: standing still or pacing one corridor costs no
  long-term places.
- render(pose, depth): each target pixel with proxy depth d is lifted to its world point
  (pixels with d >= far are sky, lifted to distance far along their ray). A keyframe covers
  the pixel when the point projects inside it, in front of it, and its own proxy depth at the
  nearest pixel agrees (within depth_tolerance * d + depth_slack metres; for sky, it saw sky
  there too). Of the covering keyframes the best score wins, newest first on ties: score =
  confidence at the nearest pixel x resolution (1 while the keyframe is at most
  resolution_slack times further from the point than the view, then falling off). With real
  frames only, that is newest first (training's memory). The colour is the winner's bilinear
  sample at the projected position. Output (4, H, W) float32: RGB in [-1, 1] (0 where
  uncovered) and coverage in {0, 1}.

Why confidence: at play time memory holds the model's own frames. Looked up newest first,
every pass over a place shows the latest repaint of a repaint, and the model's blur
compounds; evicting the oldest repeated view drops the real first frames first. Ranking by
confidence keeps the sharpest source of a place (measured on bench-memory's revisits with
the shipped model: return frames 14.1 dB -> see public/models/arena/README.md).

Camera conventions are the runtime's (worldmodel/geometry/: PoseTransform.ts for camera <-> world,
PinholeCamera.ts for pixels <-> rays): +y up, the camera looks down -z at yaw = pitch = 0, pitch
about x then yaw about y, row 0 at the top, depth is view-space depth along -z, pixel (i, j) has
its centre at ((i + 0.5) / W, (j + 0.5) / H).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np


# The keyframe cull (see _may_cover): points sampled, and how far outside a keyframe's image
# (pixels) a sample may land and still count as overlap.
CULL_SAMPLES = 256
CULL_MARGIN = 8


@dataclass(frozen=True)
class MemoryConfig:
    capacity: int = 48  # keyframes
    keep_recent: int = 4  # the newest keyframes are never evicted
    near_metres: float = 1.0  # two keyframes closer than this ...
    near_degrees: float = 20.0  # ... and turned less than this (yaw and pitch) see the same view
    depth_tolerance: float = 0.05  # relative depth agreement for a keyframe to cover a pixel ...
    depth_slack: float = 0.1  # ... plus this many metres
    painted_decay: float = 0.9  # a painted frame's confidence where memory covered it: this x what it was painted over
    painted_fresh: float = 0.5  # ... but at least this (so where memory had nothing: the model imagined it)
    resolution_slack: float = 1.25  # a keyframe up to this many times further from a surface than the view is full resolution
    # Sky pixels (depth >= far) whose best score is under this take the sky's mean colour at their
    # elevation in the real frames inserted, as covered (SkyColours.ts; the runtime's objectPrior,
    # which also colours objects the host knows). 0: off.
    object_prior: float = 0.55


# The sky's colour is kept per degree of elevation; a band no real frame showed takes the nearest
# band that one did, up to SKY_REACH degrees away (worldmodel/SkyColours.ts).
SKY_BANDS = 180
SKY_REACH = 12


@dataclass(frozen=True)
class MemoryCamera:
    width: int
    height: int
    fov_y_degrees: float
    near: float
    far: float

    @property
    def tan_y(self) -> float:
        return math.tan(math.radians(self.fov_y_degrees) / 2)

    @property
    def tan_x(self) -> float:
        return self.tan_y * self.width / self.height

    def pixel_rays(self) -> tuple[np.ndarray, np.ndarray]:
        """(xc, yc), each (H*W,): the camera-space direction of each pixel centre at view depth 1."""
        i = ((np.arange(self.width, dtype=np.float64) + 0.5) / self.width * 2 - 1) * self.tan_x
        j = (1 - (np.arange(self.height, dtype=np.float64) + 0.5) / self.height * 2) * self.tan_y
        xc, yc = np.meshgrid(i, j)
        return xc.reshape(-1), yc.reshape(-1)


def _trig(pose: np.ndarray) -> tuple[float, float, float, float, float, float, float]:
    px, py, pz, yaw, pitch = (float(v) for v in pose)
    return px, py, pz, math.sin(yaw), math.cos(yaw), math.sin(pitch), math.cos(pitch)


def camera_to_world(pose: np.ndarray, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Camera-space points -> world (N, 3): pitch about x, then yaw about y, then translate."""
    px, py, pz, sy, cy, sp, cp = _trig(pose)
    y1 = y * cp - z * sp
    z1 = y * sp + z * cp
    return np.stack([px + x * cy + z1 * sy, py + y1, pz - x * sy + z1 * cy], axis=-1)


def world_to_camera(pose: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """World points (N, 3) -> camera-space x, y, z (the inverse of camera_to_world)."""
    px, py, pz, sy, cy, sp, cp = _trig(pose)
    dx, dy, dz = p[:, 0] - px, p[:, 1] - py, p[:, 2] - pz
    x = dx * cy - dz * sy
    z1 = dx * sy + dz * cy
    return x, dy * cp + z1 * sp, -dy * sp + z1 * cp


def _angle_gap(a: float, b: float) -> float:
    d = (a - b) % (2 * math.pi)
    return min(d, 2 * math.pi - d)


class SpatialMemory:
    def __init__(self, camera: MemoryCamera, config: MemoryConfig = MemoryConfig()) -> None:
        if config.capacity < config.keep_recent or config.keep_recent < 1:
            raise ValueError(f"SpatialMemory: need capacity >= keep_recent >= 1, found {config.capacity}, "
                             f"{config.keep_recent}")
        self.camera, self.config = camera, config
        self.xc, self.yc = camera.pixel_rays()
        self.clear()

    def clear(self) -> None:
        # Oldest first. frame (3, H, W) float32 in [-1, 1], depth (H, W) float32, pose (5,) float32.
        self.frames: list[np.ndarray] = []
        self.depths: list[np.ndarray] = []
        self.poses: list[np.ndarray] = []
        self.ticks: list[int] = []
        self.confidences: list[Optional[np.ndarray]] = []  # (H*W,) float32, None: 1 everywhere (a real frame)
        self.sky_cores: list[Optional[np.ndarray]] = []  # (H*W,) sky_core of each keyframe's depth, once a lookup asks
        self.sky_sums = np.zeros((SKY_BANDS, 4), np.float64)  # per elevation band: R, G, B sums and pixel count

    @property
    def size(self) -> int:
        return len(self.frames)

    def insert(self, frame: np.ndarray, depth: np.ndarray, pose: np.ndarray, tick: int, painted: bool = False) -> None:
        """frame (3, H, W) in [-1, 1]; depth (H, W) metres; pose (5,): x, y, z, yaw, pitch.
        painted: the model painted it (confidence below what it was painted over; see render)."""
        h, w = self.camera.height, self.camera.width
        confidence = None
        if painted:
            best, _ = self._lookup(pose, depth, colour=False)
            confidence = np.maximum(np.float32(self.config.painted_decay) * best,
                                    np.float32(self.config.painted_fresh)).astype(np.float32)
        if not painted and self.config.object_prior > 0:
            self._learn_sky(np.asarray(frame, np.float32).reshape(3, -1), np.asarray(depth, np.float32).reshape(-1), pose)
        self.frames.append(np.asarray(frame, np.float32).reshape(3, h, w).copy())
        self.depths.append(np.asarray(depth, np.float32).reshape(h, w).copy())
        self.poses.append(np.asarray(pose, np.float32).reshape(5).copy())
        self.ticks.append(int(tick))
        self.confidences.append(confidence)
        self.sky_cores.append(None)
        if self.size > self.config.capacity:
            self._evict(self.eviction_victim())

    def _repeats(self, a: int, b: int) -> bool:
        """Does keyframe b see the same view as keyframe a?"""
        cfg, pa, pb = self.config, self.poses[a], self.poses[b]
        dist = math.sqrt(sum((float(pa[i]) - float(pb[i])) ** 2 for i in range(3)))
        turn = math.degrees(max(_angle_gap(float(pa[3]), float(pb[3])), abs(float(pa[4]) - float(pb[4]))))
        return dist < cfg.near_metres and turn < cfg.near_degrees

    def mean_confidence(self, i: int) -> float:
        c = self.confidences[i]
        return 1.0 if c is None else float(np.mean(c, dtype=np.float64))

    def eviction_victim(self) -> int:
        """Outside the newest keep_recent: the least confident keyframe whose view another repeats
        (oldest on ties); if none repeats, the least confident (oldest on ties)."""
        candidates = range(self.size - self.config.keep_recent)
        repeated = [a for a in candidates if any(b != a and self._repeats(a, b) for b in range(self.size))]
        pool = repeated or list(candidates)
        return min(pool, key=lambda a: (self.mean_confidence(a), a))

    def _evict(self, i: int) -> None:
        for store in (self.frames, self.depths, self.poses, self.ticks, self.confidences, self.sky_cores):
            del store[i]

    def render(self, pose: np.ndarray, depth: np.ndarray) -> np.ndarray:
        """(4, H, W) float32: memory RGB in [-1, 1] (0 where uncovered) and coverage in {0, 1}.

        Of the keyframes covering a pixel the best score wins, newest first on ties: its
        confidence there x its resolution (1 up to resolution_slack times the view's distance
        from the surface). Real frames have confidence 1 (then: newest first); a painted frame
        has painted_decay x what it was painted over, painted_fresh where memory had nothing."""
        h, w = self.camera.height, self.camera.width
        best, colour = self._lookup(pose, depth, colour=True)
        out = np.zeros((4, h * w), np.float32)
        out[:3] = colour
        out[3] = best > 0
        if self.config.object_prior > 0:
            self._paint_sky(out, np.asarray(depth, np.float32).reshape(-1), pose, best < np.float32(self.config.object_prior))
        return out.reshape(4, h, w)

    def _sky_bands(self, pose: np.ndarray) -> np.ndarray:
        """(H*W,) the elevation band (degrees from straight down) of each pixel's ray in the world."""
        _, _, _, _, _, sp, cp = _trig(pose)
        y = self.yc * cp + sp  # the world y of the camera-space direction (xc, yc, -1)
        elevation = np.arcsin(np.clip(y / np.sqrt(self.xc * self.xc + self.yc * self.yc + 1), -1, 1))
        return np.minimum(SKY_BANDS - 1, np.floor((elevation + math.pi / 2) / math.pi * SKY_BANDS)).astype(np.int64)

    def _learn_sky(self, frame: np.ndarray, depth: np.ndarray, pose: np.ndarray) -> None:
        """Add a real frame's sky pixels away from surfaces (sky_core) to their bands' sums, in pixel
        order as the runtime adds them."""
        sky = sky_core(depth.reshape(self.camera.height, self.camera.width), self.camera.far).reshape(-1)
        if not sky.any():
            return
        bands = self._sky_bands(pose)[sky]
        for c in range(3):
            np.add.at(self.sky_sums[:, c], bands, frame[c][sky].astype(np.float64))
        np.add.at(self.sky_sums[:, 3], bands, 1.0)

    def _paint_sky(self, out: np.ndarray, depth: np.ndarray, pose: np.ndarray, take: np.ndarray) -> None:
        """Sky pixels where `take` is set get their band's mean colour (the nearest seen band's), as covered."""
        counts = self.sky_sums[:, 3]
        if not counts.any():
            return
        # Per band the nearest seen band, the lower one on ties (SkyColours.findNearest): farther
        # candidates first, so nearer ones overwrite them, and below after above.
        seen, bands = counts > 0, np.arange(SKY_BANDS)
        nearest = np.full(SKY_BANDS, -1, np.int64)
        for d in range(SKY_REACH, -1, -1):
            for src in (bands + d, bands - d):
                ok = (src >= 0) & (src < SKY_BANDS)
                ok[ok] = seen[src[ok]]
                nearest[ok] = src[ok]
        pix = np.flatnonzero((depth >= self.camera.far) & take)
        src = nearest[self._sky_bands(pose)[pix]]
        pix, src = pix[src >= 0], src[src >= 0]
        for c in range(3):
            out[c, pix] = (self.sky_sums[src, c] / self.sky_sums[src, 3]).astype(np.float32)
        out[3, pix] = 1

    def _may_cover(self, k: int, points: np.ndarray) -> bool:
        """The runtime's cull (SpatialMemory.ts mayCover), same decisions: does any of every
        (len // CULL_SAMPLES)-th point land in front of keyframe k, within CULL_MARGIN pixels of
        its image? (Here it only keeps the results identical; numpy searches all points anyway.)"""
        cam = self.camera
        w, h = cam.width, cam.height
        sample = points[:: max(1, len(points) // CULL_SAMPLES)]
        x, y, z = world_to_camera(self.poses[k], sample)
        dk = -z
        front = dk > cam.near
        dk_safe = np.where(front, dk, 1.0)
        u = (x / dk_safe / cam.tan_x + 1) / 2 * w - 0.5
        v = (1 - y / dk_safe / cam.tan_y) / 2 * h - 0.5
        m = CULL_MARGIN
        near = front & (u >= -0.5 - m) & (u < w - 0.5 + m) & (v >= -0.5 - m) & (v < h - 0.5 + m)
        return bool(near.any())

    def _lookup(self, pose: np.ndarray, depth: np.ndarray, colour: bool) -> tuple[np.ndarray, np.ndarray]:
        """(best score (H*W,) float32, 0 where uncovered; its bilinear colour (3, H*W) when asked)."""
        cam, cfg = self.camera, self.config
        w, h = cam.width, cam.height
        best = np.zeros(h * w, np.float32)
        rgb = np.zeros((3, h * w), np.float32)
        d = np.asarray(depth, np.float64).reshape(-1)
        sky = d >= cam.far
        target_core = sky_core(d.reshape(h, w), cam.far).reshape(-1)
        dl = np.where(sky, cam.far, d)
        points = camera_to_world(pose, self.xc * dl, self.yc * dl, -dl)
        todo = np.flatnonzero(dl > cam.near)
        for k in range(self.size - 1, -1, -1):  # newest first; a pixel scoring 1 is done
            if todo.size == 0:
                break
            if not self._may_cover(k, points[todo]):
                continue
            x, y, z = world_to_camera(self.poses[k], points[todo])
            dk = -z
            front = dk > cam.near
            dk_safe = np.where(front, dk, 1.0)
            u = (x / dk_safe / cam.tan_x + 1) / 2 * w - 0.5  # continuous pixel coords, centres at integers
            v = (1 - y / dk_safe / cam.tan_y) / 2 * h - 0.5
            inside = front & (u >= -0.5) & (u < w - 0.5) & (v >= -0.5) & (v < h - 0.5)
            ni = np.clip(np.floor(u + 0.5), 0, w - 1).astype(np.int64)
            nj = np.clip(np.floor(v + 0.5), 0, h - 1).astype(np.int64)
            seen = self.depths[k].reshape(-1)[nj * w + ni].astype(np.float64)
            target_sky = sky[todo]
            # Sky away from any surface in this view is looked up only where the keyframe saw sky
            # away from any surface (sky_core): silhouettes' edge pixels hold part of the surface.
            if self.sky_cores[k] is None:
                self.sky_cores[k] = sky_core(self.depths[k], cam.far).reshape(-1)
            key_core, key_sky = self.sky_cores[k], self.depths[k].reshape(-1) >= cam.far

            def sky_as(taps: np.ndarray, core: np.ndarray) -> np.ndarray:
                """Are these keyframe pixels sky as the target pixels are (away from any surface
                where `core`, any sky for a silhouette's edge pixel)?"""
                return np.where(core, key_core[taps], key_sky[taps])

            agree = np.where(target_sky, sky_as(nj * w + ni, target_core[todo]),
                             np.abs(seen - dk) <= cfg.depth_tolerance * dk + cfg.depth_slack)
            resolution = np.where(target_sky, 1.0, np.minimum(1.0, cfg.resolution_slack * dl[todo] / dk_safe))
            conf = self.confidences[k]
            score = (resolution * (1.0 if conf is None else conf[nj * w + ni])).astype(np.float32)
            win = inside & agree & (score > best[todo])
            if win.any():
                pix = todo[win]
                best[pix] = score[win]
                if colour:
                    u, v = u[win], v[win]
                    i0f, j0f = np.floor(u), np.floor(v)
                    fx, fy = u - i0f, v - j0f
                    i0 = np.clip(i0f, 0, w - 1).astype(np.int64)
                    j0 = np.clip(j0f, 0, h - 1).astype(np.int64)
                    i1 = np.clip(i0f + 1, 0, w - 1).astype(np.int64)
                    j1 = np.clip(j0f + 1, 0, h - 1).astype(np.int64)
                    img = self.frames[k].reshape(3, -1).astype(np.float64)
                    taps = (j0 * w + i0, j0 * w + i1, j1 * w + i0, j1 * w + i1)
                    weights = [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy]
                    value = (img[:, taps[0]] * weights[0] + img[:, taps[1]] * weights[1]
                             + img[:, taps[2]] * weights[2] + img[:, taps[3]] * weights[3])
                    on_sky = target_sky[win]
                    if on_sky.any():
                        # Sky from the taps that are sky as the pixel is, weights renormalised,
                        # as the runtime does.
                        kept = [weights[t] * sky_as(taps[t], target_core[pix]) for t in range(4)]
                        total = kept[0] + kept[1] + kept[2] + kept[3]
                        sky_value = (img[:, taps[0]] * kept[0] + img[:, taps[1]] * kept[1]
                                     + img[:, taps[2]] * kept[2] + img[:, taps[3]] * kept[3]) / np.where(on_sky, total, 1.0)
                        value = np.where(on_sky, sky_value, value)
                    rgb[:, pix] = value
            todo = todo[best[todo] < 1]
        return best, rgb


def sky_core(depth: np.ndarray, far: float) -> np.ndarray:
    """(H, W) bool: the pixel and its 4-neighbours inside the image are sky (depth >= far). A sky
    pixel beside a surface is a silhouette's edge, whose colour holds part of the surface
    (worldmodel/SkyColours.ts skyCore)."""
    sky = np.asarray(depth) >= far
    core = sky.copy()
    core[:, 1:] &= sky[:, :-1]
    core[:, :-1] &= sky[:, 1:]
    core[1:, :] &= sky[:-1, :]
    core[:-1, :] &= sky[1:, :]
    return core


def episode_memory(frames: np.ndarray, depth: np.ndarray, poses: np.ndarray, camera: MemoryCamera,
                   config: MemoryConfig = MemoryConfig()) -> np.ndarray:
    """memory[t] for every tick of an episode, uint8 (T, H, W, 4): RGB as frames are, coverage 0/255.

    memory[t] is rendered at pose t (with depth t) from a store holding frames 0 .. t-1: what
    the runtime's memory shows when it asks for frame t.
    """
    mem = SpatialMemory(camera, config)
    out = np.zeros((frames.shape[0], camera.height, camera.width, 4), np.uint8)
    for t in range(frames.shape[0]):
        d = np.asarray(depth[t], np.float32)
        m = mem.render(poses[t], d)
        out[t, :, :, :3] = np.moveaxis(np.clip(np.rint((m[:3] + 1) * 127.5), 0, 255) * m[3:4], 0, -1)
        out[t, :, :, 3] = m[3] * 255
        mem.insert(np.moveaxis(np.asarray(frames[t], np.float32), -1, 0) / 127.5 - 1, d, poses[t], t)
    return out


def memory_to_model(memory: np.ndarray) -> np.ndarray:
    """uint8 (..., H, W, 4) from episode_memory -> float32 (..., 4, H, W), the stream's layout:
    RGB in [-1, 1] (0 where uncovered), coverage in {0, 1}."""
    m = np.moveaxis(np.asarray(memory, np.float32), -1, -3)
    cover = m[..., 3:4, :, :] / 255.0
    return np.concatenate([(m[..., :3, :, :] / 127.5 - 1.0) * cover, cover], axis=-3)


def depth_to_model(depth: np.ndarray, far: float) -> np.ndarray:
    """Metric depth (..., H, W) -> the depth stream (..., 1, H, W): clamp(d / far, 0, 1) * 2 - 1."""
    d = np.clip(np.asarray(depth, np.float32) / far, 0, 1) * 2 - 1
    return d[..., None, :, :]


def timed(fn: Callable[[], object], repeats: int = 20) -> float:
    """Median milliseconds of fn()."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times))
