import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNpy, type NpyArray } from '../../worldmodel/dataset/npy.ts';
import type { PinholeCamera } from '../../worldmodel/geometry/PinholeCamera.ts';
import { SpatialMemory, type SpatialMemoryOptions } from '../../worldmodel/SpatialMemory.ts';

// tests/fixtures/memory-parity/ holds the first ticks of a held-out arena episode and what
// models/memory.py renders from them (made by `/usr/bin/python3 -m models.tests.memory_parity_fixture`):
// expected[t] is the render at pose t from a store of frames 0 .. t-1, before frame t goes in
// (as a painted frame on the ticks meta.painted marks).
const file = (name: string) => new URL(`../fixtures/memory-parity/${name}`, import.meta.url);
const npy = (name: string): NpyArray => parseNpy(readFileSync(file(`${name}.npy`)));

interface ParityMeta {
  ticks: number;
  camera: PinholeCamera;
  options: SpatialMemoryOptions;
  /** Frame t went in as a painted frame (its confidence steers lookup and eviction). */
  painted: boolean[];
  storeTicks: number[][];
}

describe('SpatialMemory parity with models/memory.py', () => {
  it('renders a real episode as the Python twin does', () => {
    const meta = JSON.parse(readFileSync(file('meta.json'), 'utf8')) as ParityMeta;
    const { width: w, height: h } = meta.camera;
    const n = w * h;
    const T = meta.ticks;
    const frames = npy('frames');
    const depth = npy('depth');
    const poses = npy('poses');
    const expected = npy('expected');
    expect([frames.dtype, frames.shape]).toEqual(['uint8', [T, h, w, 3]]);
    expect([depth.dtype, depth.shape]).toEqual(['float32', [T, h, w]]);
    expect([poses.dtype, poses.shape]).toEqual(['float32', [T, 5]]);
    expect([expected.dtype, expected.shape]).toEqual(['float32', [T, 4, h, w]]);
    const rgb = frames.data as Uint8Array;
    const want = expected.data as Float32Array;
    const pose = poses.data as Float32Array;

    const memory = new SpatialMemory(meta.camera, meta.options);
    const frame = new Float32Array(3 * n);
    const out = new Float32Array(4 * n);
    let coverageMismatches = 0;
    let bothCovered = 0;
    let maxDiff = 0;
    for (let t = 0; t < T; t++) {
      const p = { x: pose[5 * t]!, y: pose[5 * t + 1]!, z: pose[5 * t + 2]!, yaw: pose[5 * t + 3]!, pitch: pose[5 * t + 4]! };
      const d = (depth.data as Float32Array).subarray(t * n, (t + 1) * n);
      memory.render(p, d, out);
      const e = want.subarray(t * 4 * n, (t + 1) * 4 * n);
      for (let q = 0; q < n; q++) {
        const mine = out[3 * n + q]!;
        const theirs = e[3 * n + q]!;
        if (mine !== theirs) coverageMismatches++;
        else if (mine === 1) {
          bothCovered++;
          for (let c = 0; c < 3; c++) maxDiff = Math.max(maxDiff, Math.abs(out[c * n + q]! - e[c * n + q]!));
        }
      }
      // HWC uint8 → CHW [−1, 1], rounded as numpy does it in float32: uint8 / 127.5 − 1
      for (let q = 0; q < n; q++) {
        for (let c = 0; c < 3; c++) frame[c * n + q] = Math.fround(Math.fround(rgb[(t * n + q) * 3 + c]! / 127.5) - 1);
      }
      memory.insert(frame, d, p, t, { painted: meta.painted[t] === true });
      expect(memory.ticks, `store after tick ${t}`).toEqual(meta.storeTicks[t]);
    }
    const total = T * n;
    expect(coverageMismatches / total, `coverage differs on ${coverageMismatches} of ${total} pixels`).toBeLessThanOrEqual(0.001);
    expect(bothCovered / total).toBeGreaterThan(0.5); // the comparison is not vacuous
    expect(maxDiff, `max |RGB difference| where both cover`).toBeLessThanOrEqual(1e-3);
  });
});
