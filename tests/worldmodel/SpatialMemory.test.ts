import { describe, expect, it } from 'vitest';
import { NextframeError } from '../../worldmodel/errors.ts';
import type { PinholeCamera } from '../../worldmodel/geometry/PinholeCamera.ts';
import type { Pose } from '../../worldmodel/geometry/Pose.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';

// 32 × 24 at a 90° vertical field of view: tanY = 1, tanX = 4/3, focal length 12 px on both axes.
const CAM: PinholeCamera = { width: 32, height: 24, fovYDegrees: 90, near: 0.05, far: 60 };
const W = CAM.width;
const H = CAM.height;
const N = W * H;
const FOCAL = H / 2 / Math.tan((CAM.fovYDegrees * Math.PI) / 360);

const pose = (p: Partial<Pose> = {}): Pose => ({ x: 0, y: 0, z: 0, yaw: 0, pitch: 0, ...p });

/** A CHW frame in [−1, 1] where no two pixels or channels are alike. */
function pattern(seed = 0): Float32Array {
  const out = new Float32Array(3 * N);
  for (let i = 0; i < out.length; i++) out[i] = Math.fround(((((i + 1) * 2654435761 + seed * 40503) >>> 0) % 2001) / 1000 - 1);
  return out;
}

const wall = (d: number): Float32Array => new Float32Array(N).fill(d);
const at = (img: Float32Array, c: number, j: number, i: number): number => img[c * N + j * W + i]!;

function expectClose(actual: number, expected: number, tolerance: number, what: string): void {
  if (!(Math.abs(actual - expected) <= tolerance)) expect.fail(`${what}: expected ${expected} ± ${tolerance}, found ${actual}`);
}

/** Throws a NextframeError whose message matches `message`. */
function expectMemoryError(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(NextframeError);
  expect((caught as NextframeError).code).toBe('bad-memory');
  expect((caught as NextframeError).message).toMatch(message);
}

describe('SpatialMemory render', () => {
  it('renders nothing from an empty store', () => {
    const memory = new SpatialMemory(CAM);
    const out = memory.render(pose(), wall(4));
    expect(out.length).toBe(4 * N);
    expect(out.every((v) => v === 0)).toBe(true);
    expect(memory.lastCoverage).toBe(0);
  });

  it('gives back the frame exactly from the pose it was seen from', () => {
    const img = pattern();
    const memory = new SpatialMemory(CAM);
    memory.insert(img, wall(4), pose(), 0);
    const out = memory.render(pose(), wall(4));
    for (let i = 0; i < 3 * N; i++) expectClose(out[i]!, img[i]!, 1e-6, `value ${i}`);
    expect(out.subarray(3 * N).every((c) => c === 1)).toBe(true);
    expect(memory.lastCoverage).toBe(1);
  });

  it('shifts a wall by the predicted pixels when the camera moves sideways', () => {
    const img = pattern();
    const memory = new SpatialMemory(CAM);
    memory.insert(img, wall(4), pose(), 0);
    // 1 m right with the wall at 4 m: the wall moves FOCAL · 1 / 4 = 3 px left in the view
    const shift = Math.round((FOCAL * 1) / 4);
    expect(shift).toBe(3);
    const out = memory.render(pose({ x: 1 }), wall(4));
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < W; i++) {
        const covered = i + shift < W;
        expect(at(out, 3, j, i)).toBe(covered ? 1 : 0);
        for (let c = 0; c < 3; c++) {
          if (covered) expectClose(at(out, c, j, i), at(img, c, j, i + shift), 1e-6, `(${c}, ${j}, ${i})`);
          else expect(at(out, c, j, i)).toBe(0);
        }
      }
    }
    expect(memory.lastCoverage).toBeCloseTo((W - shift) / W, 12);
    // 1 m up: the wall moves 3 px down; rows 0 .. 2 are uncovered
    const upward = memory.render(pose({ y: 1 }), wall(4));
    for (let j = 0; j < H; j++) {
      expect(at(upward, 3, j, 5)).toBe(j >= shift ? 1 : 0);
      if (j >= shift) expectClose(at(upward, 1, j, 5), at(img, 1, j - shift, 5), 1e-6, `row ${j}`);
    }
  });

  it('samples bilinearly between pixels', () => {
    const img = pattern();
    const memory = new SpatialMemory(CAM);
    memory.insert(img, wall(4), pose(), 0);
    const out = memory.render(pose({ x: 1 / 6 }), wall(4)); // half a pixel
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < W - 1; i++) expectClose(at(out, 0, j, i), (at(img, 0, j, i) + at(img, 0, j, i + 1)) / 2, 1e-6, `(${j}, ${i})`);
    }
  });

  it('covers sky only from keyframes that saw sky there', () => {
    const a = pattern(1);
    const b = pattern(2);
    const half = wall(4);
    for (let j = 0; j < H; j++) half.fill(CAM.far, j * W + W / 2, (j + 1) * W); // left: wall at 4 m, right: sky
    const memory = new SpatialMemory(CAM);
    memory.insert(a, wall(CAM.far), pose(), 0); // saw sky everywhere
    memory.insert(b, half, pose(), 1);
    const out = memory.render(pose(), wall(Infinity)); // beyond far is sky too
    expect(memory.lastCoverage).toBe(1);
    for (let j = 0; j < H; j++) {
      for (let i = 0; i < W; i++) {
        // b saw a wall on the left, and its sky beside the wall is the wall's edge (skyCore: part
        // wall in colour), so a covers that column too; newest first elsewhere.
        const from = i <= W / 2 ? a : b;
        expectClose(at(out, 2, j, i), at(from, 2, j, i), 1e-6, `(${j}, ${i})`);
      }
    }
    // a surface is not covered by a keyframe that saw sky there
    const sky = new SpatialMemory(CAM);
    sky.insert(a, wall(CAM.far), pose(), 0);
    sky.render(pose(), wall(30));
    expect(sky.lastCoverage).toBe(0);
  });

  it('does not cover from a keyframe whose depth disagrees (a wall in front)', () => {
    const far = pattern(1);
    const near = pattern(2);
    const memory = new SpatialMemory(CAM);
    memory.insert(far, wall(8), pose(), 0);
    memory.insert(near, wall(2), pose(), 1); // newest, but a wall 2 m away hides the one at 8 m
    const out = memory.render(pose(), wall(8));
    expect(memory.lastCoverage).toBe(1);
    for (let i = 0; i < 3 * N; i++) expectClose(out[i]!, far[i]!, 1e-6, `value ${i}`);
    const alone = new SpatialMemory(CAM);
    alone.insert(near, wall(2), pose(), 0);
    const none = alone.render(pose(), wall(8));
    expect(none.every((v) => v === 0)).toBe(true);
    // tolerance: 0.05 · 8 + 0.1 = 0.5 m
    const edge = new SpatialMemory(CAM);
    edge.insert(far, wall(8.45), pose(), 0);
    edge.render(pose(), wall(8));
    expect(edge.lastCoverage).toBe(1);
    edge.clear();
    edge.insert(far, wall(8.55), pose(), 0);
    edge.render(pose(), wall(8));
    expect(edge.lastCoverage).toBe(0);
  });

  it('skips pixels at or inside the near plane and reuses `out`', () => {
    const memory = new SpatialMemory(CAM);
    memory.insert(pattern(), wall(4), pose(), 0);
    const depth = wall(4);
    depth[0] = CAM.near;
    depth[1] = Number.NaN;
    const out = new Float32Array(4 * N).fill(7);
    expect(memory.render(pose(), depth, out)).toBe(out);
    expect([out[3 * N], out[3 * N + 1], out[3 * N + 2]]).toEqual([0, 0, 1]);
    expect(out[0]).toBe(0);
  });
});

describe('SpatialMemory eviction', () => {
  const img = pattern();
  const depth = wall(4);

  it('evicts repeated views before distinct places, never the newest keepRecent, else the oldest', () => {
    const memory = new SpatialMemory(CAM, { capacity: 6, keepRecent: 2 });
    [0, 0, 10, 20, 30, 40, 50].forEach((x, tick) => memory.insert(img, depth, pose({ x }), tick)); // ticks 0 and 1: one view
    expect(memory.ticks).toEqual([1, 2, 3, 4, 5, 6]);
    expect(memory.size).toBe(6);
    memory.insert(img, depth, pose({ x: 60 }), 7); // nothing repeats: the oldest goes
    expect(memory.ticks).toEqual([2, 3, 4, 5, 6, 7]);
    memory.insert(img, depth, pose({ x: 60 }), 8); // 8 repeats 7, but 7 is among the newest 2
    expect(memory.ticks).toEqual([3, 4, 5, 6, 7, 8]);
    memory.insert(img, depth, pose({ x: 60.5, yaw: 0.3 }), 9); // 0.5 m and 17° from 7: the same view
    expect(memory.ticks).toEqual([3, 4, 5, 6, 8, 9]);
  });

  it('tells views apart by distance and by yaw and pitch, with yaw wrapping around', () => {
    const victim = (...poses: Pose[]): number => {
      const memory = new SpatialMemory(CAM, { capacity: 8, keepRecent: 1 });
      poses.forEach((p, tick) => memory.insert(img, depth, p, tick));
      return memory.evictionVictim();
    };
    expect(victim(pose({ yaw: 3.1 - Math.PI / 2 }), pose({ yaw: 3.1 }), pose({ yaw: -3.1 }))).toBe(1); // 90° apart: distinct; 3.1 and −3.1: 4.8° apart
    // 0 is a place of its own; does 2 repeat 1?
    expect(victim(pose({ x: 5 }), pose(), pose({ x: 0.6, pitch: 0.34 }))).toBe(1); // 0.6 m and 19.5°: yes
    expect(victim(pose({ x: 5 }), pose(), pose({ z: -0.99 }))).toBe(1);
    expect(victim(pose({ x: 5 }), pose(), pose({ x: 1.01 }))).toBe(0); // 1.01 m: no, so the oldest goes
    expect(victim(pose({ x: 5 }), pose(), pose({ pitch: 0.36 }))).toBe(0); // 20.6°: no
    expect(victim(pose({ x: 5 }), pose(), pose({ yaw: -0.36 }))).toBe(0);
  });
});

describe('SpatialMemory confidence of painted frames', () => {
  const depth = wall(4);
  /** Largest |difference| between the render's RGB and a frame. */
  const rgbGap = (out: Float32Array, frame: Float32Array): number => frame.reduce((m, v, i) => Math.max(m, Math.abs(v - out[i]!)), 0);

  it('keeps showing what was seen when a painted copy of the same view comes later', () => {
    const memory = new SpatialMemory(CAM);
    const seen = pattern(1);
    memory.insert(seen, depth, pose(), 0);
    memory.insert(pattern(2), depth, pose(), 1, { painted: true }); // confidence 0.9 × 1 < 1
    expect(rgbGap(memory.render(pose(), depth), seen)).toBeLessThan(1e-6);
  });

  it('takes the newest of equally confident frames, as a store of real frames does', () => {
    const memory = new SpatialMemory(CAM);
    memory.insert(pattern(1), depth, pose(), 0);
    memory.insert(pattern(2), depth, pose(), 1);
    expect(rgbGap(memory.render(pose(), depth), pattern(2))).toBeLessThan(1e-6);
    const painted = new SpatialMemory(CAM);
    painted.insert(pattern(1), depth, pose({ x: 100 }), 0); // covers nothing: both paintings get paintedFresh
    painted.insert(pattern(3), depth, pose(), 1, { painted: true });
    painted.insert(pattern(4), depth, pose({ x: 200 }), 2, { painted: true });
    // Over 3: 0.9 × 0.5 lifted to the paintedFresh floor, a tie with 3: the newest wins, so
    // what the model imagined keeps being repainted (and sharpened) as it used to be.
    painted.insert(pattern(5), depth, pose(), 3, { painted: true });
    expect(rgbGap(painted.render(pose(), depth), pattern(5))).toBeLessThan(1e-6);
  });

  it('prefers a keyframe near the surface over one much further away', () => {
    // Both see the wall at z = −4 straight on; the far one from 4 m further back (8 m: 2× the view's 4 m).
    const memory = new SpatialMemory(CAM);
    memory.insert(pattern(1), wall(4), pose(), 0);
    memory.insert(pattern(2), wall(8), pose({ z: 4 }), 1);
    const out = memory.render(pose(), wall(4));
    expect(at(out, 0, 12, 16)).toBe(at(pattern(1), 0, 12, 16)); // the near one wins though older
    // Within resolutionSlack (1.25×) the newest wins as usual.
    const close = new SpatialMemory(CAM);
    close.insert(pattern(1), wall(4), pose(), 0);
    close.insert(pattern(2), wall(4.8), pose({ z: 0.8 }), 1);
    expect(at(close.render(pose(), wall(4)), 0, 12, 16)).not.toBe(at(pattern(1), 0, 12, 16));
  });

  it('evicts a painted repeat before the real frame it repeats, and painted frames before real ones', () => {
    const memory = new SpatialMemory(CAM, { capacity: 4, keepRecent: 1 });
    memory.insert(pattern(1), depth, pose(), 0); // real
    memory.insert(pattern(2), depth, pose({ x: 0.2 }), 1, { painted: true }); // repeats 0
    memory.insert(pattern(3), depth, pose({ x: 10 }), 2);
    memory.insert(pattern(4), depth, pose({ x: 20 }), 3);
    memory.insert(pattern(5), depth, pose({ x: 30 }), 4); // over capacity: the painted repeat goes, not the older real frame
    expect(memory.ticks).toEqual([0, 2, 3, 4]);
    memory.insert(pattern(6), depth, pose({ x: 40 }), 5, { painted: true });
    memory.insert(pattern(7), depth, pose({ x: 50 }), 6); // no repeats: the least confident (the painted 5) goes
    expect(memory.ticks).toEqual([2, 3, 4, 6]);
  });
});

describe('SpatialMemory save and restore', () => {
  function filled(): SpatialMemory {
    const memory = new SpatialMemory(CAM, { capacity: 5, keepRecent: 2, depthSlack: 0.2 });
    const depth = wall(4);
    for (let j = 0; j < H; j++) depth.fill(CAM.far, j * W, j * W + 5);
    // Odd ticks are painted frames: their confidence must survive the round trip too.
    for (let t = 0; t < 7; t++) memory.insert(pattern(t), depth, pose({ x: 0.7 * t, yaw: 0.1 * t, pitch: -0.05 * t }), 100 + t, { painted: t % 2 === 1 });
    return memory;
  }

  it('toBytes → fromBytes renders identically', () => {
    const memory = filled();
    const restored = SpatialMemory.fromBytes(memory.toBytes());
    expect(restored.ticks).toEqual(memory.ticks);
    expect(restored.options).toEqual(memory.options);
    expect(restored.camera).toEqual(memory.camera);
    for (const p of [pose(), pose({ x: 1.3, yaw: 0.2 }), pose({ x: 4, y: 0.2, pitch: -0.2 })]) {
      expect(Array.from(restored.render(p, wall(4)))).toEqual(Array.from(memory.render(p, wall(4))));
      expect(restored.lastCoverage).toBe(memory.lastCoverage);
    }
    expect(restored.toBytes()).toEqual(memory.toBytes());
  });

  it('restores from a Node Buffer and from a view into a larger buffer', () => {
    const memory = filled();
    const bytes = memory.toBytes();
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    for (const input of [Buffer.from(bytes), padded.subarray(3)]) {
      const restored = SpatialMemory.fromBytes(input);
      expect(restored.ticks).toEqual(memory.ticks);
      expect(Array.from(restored.render(pose({ x: 2 }), wall(4)))).toEqual(Array.from(memory.render(pose({ x: 2 }), wall(4))));
    }
  });

  it('refuses corrupted or truncated bytes, saying what it expected', () => {
    const bytes = filled().toBytes();
    const promised = /header promises (at least )?\d+ \(5 keyframes of 32 × 24(, 0 with display frames)?(, the sky's colours)?\).*expected bytes written by SpatialMemory\.toBytes\(\)/;
    expectMemoryError(() => SpatialMemory.fromBytes(bytes.slice(0, bytes.length - 4)), promised);
    expectMemoryError(() => SpatialMemory.fromBytes(new Uint8Array([...bytes, 0])), promised);
    expectMemoryError(() => SpatialMemory.fromBytes(bytes.slice(0, 50)), /50 bytes is too short for the header/);
    expectMemoryError(() => SpatialMemory.fromBytes(new Uint8Array(0)), /too short.*toBytes/);
    const badMagic = bytes.slice();
    badMagic[0] = badMagic[0]! ^ 0xff;
    expectMemoryError(() => SpatialMemory.fromBytes(badMagic), /bad magic number/);
    const badVersion = bytes.slice();
    new DataView(badVersion.buffer).setFloat64(8, 99, true);
    expectMemoryError(() => SpatialMemory.fromBytes(badVersion), /format version 99, this build reads 3 and 4/);
    const badCount = bytes.slice();
    new DataView(badCount.buffer).setFloat64(17 * 8, 6, true);
    expectMemoryError(() => SpatialMemory.fromBytes(badCount), /header promises/);
    const badSize = bytes.slice();
    new DataView(badSize.buffer).setFloat64(2 * 8, 0, true);
    expectMemoryError(() => SpatialMemory.fromBytes(badSize), /width and height must be positive integers/);
  });
});

describe('SpatialMemory input errors', () => {
  it('rejects bad cameras and options', () => {
    expectMemoryError(() => new SpatialMemory({ ...CAM, width: 0 }), /width and height must be positive integers, found 0 × 24/);
    expectMemoryError(() => new SpatialMemory({ ...CAM, height: 2.5 }), /positive integers/);
    expectMemoryError(() => new SpatialMemory({ ...CAM, fovYDegrees: 180 }), /0 < fovYDegrees < 180.*found fov 180/);
    expectMemoryError(() => new SpatialMemory({ ...CAM, near: 60 }), /0 < near < far.*near 60, far 60/);
    expectMemoryError(() => new SpatialMemory({ ...CAM, near: 0 }), /0 < near < far/);
    expectMemoryError(() => new SpatialMemory(CAM, { capacity: 2, keepRecent: 3 }), /capacity ≥ keepRecent ≥ 1, found capacity 2, keepRecent 3/);
    expectMemoryError(() => new SpatialMemory(CAM, { keepRecent: 0 }), /keepRecent 0/);
    expectMemoryError(() => new SpatialMemory(CAM, { capacity: 4.5 }), /integers/);
  });

  it('rejects wrong lengths and non-finite poses, naming what it expected', () => {
    const memory = new SpatialMemory(CAM);
    expectMemoryError(() => memory.insert(new Float32Array(N), wall(4), pose(), 0), new RegExp(`insert: frame must hold 3·H·W = ${3 * N} values \\(CHW in \\[−1, 1\\]\\), found ${N}`));
    expectMemoryError(() => memory.insert(pattern(), new Float32Array(N + 1), pose(), 0), new RegExp(`insert: depth must hold H·W = ${N} values \\(metres\\), found ${N + 1}`));
    expectMemoryError(() => memory.insert(pattern(), wall(4), pose({ yaw: Number.NaN }), 0), /insert: pose must have finite x, y, z, yaw, pitch, found .*"yaw":null/);
    expectMemoryError(() => memory.insert(pattern(), wall(4), pose({ x: Infinity }), 0), /insert: pose must have finite/);
    expect(memory.size).toBe(0);
    expectMemoryError(() => memory.render(pose(), new Float32Array(3)), new RegExp(`render: depth must hold H·W = ${N} values \\(metres\\), found 3`));
    expectMemoryError(() => memory.render(pose(), wall(4), new Float32Array(N)), new RegExp(`render: out must hold 4·H·W = ${4 * N} values, found ${N}`));
    expectMemoryError(() => memory.render(pose({ pitch: -Infinity }), wall(4)), /render: pose must have finite/);
  });

  it('copies what it is given', () => {
    const img = pattern();
    const depth = wall(4);
    const p = pose();
    const memory = new SpatialMemory(CAM);
    memory.insert(img, depth, p, 0);
    const before = memory.render(pose(), wall(4)).slice();
    img.fill(0.5);
    depth.fill(1);
    p.x = 3;
    expect(memory.render(pose(), wall(4))).toEqual(before);
  });
});
