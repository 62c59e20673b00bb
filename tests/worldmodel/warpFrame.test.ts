import { describe, expect, it } from 'vitest';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';
import { warpFrame, warpStep } from '../../worldmodel/warpFrame.ts';

describe('warpFrame', () => {
  it('shows memory where it covers, the fallback elsewhere, blending a partial coverage', () => {
    // Two pixels, three channels: memory covers pixel 0 fully and pixel 1 by a quarter.
    const memory = Float32Array.from([0.5, -1, 0.25, 0, 1, 0, 1, 0.25]); // R R G G B B cover cover
    const fallback = Float32Array.from([-0.5, 1, 0, 0.6, 1, -0.2]);
    const out = warpFrame(memory, fallback, new Float32Array(6));
    [0.5, 0.75 * 1 + 0.25 * -1, 0.25, 0.75 * 0.6, 1, 0.75 * -0.2].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
  });

  it('may paint over its fallback in place, and refuses streams of the wrong size', () => {
    const frame = Float32Array.from([0.1, 0.2, 0.3]);
    warpFrame(Float32Array.from([0.9, 0.8, 0.7, 1]), frame, frame);
    expect(Array.from(frame)).toEqual([0.9, 0.8, 0.7].map(Math.fround));
    expect(() => warpFrame(new Float32Array(3), frame, frame)).toThrow(/warpFrame: expected a 4·H·W memory stream/);
  });

  it('warpStep re-renders the remembered view over the last frame and remembers what it painted', () => {
    const W = 8, H = 8, n = W * H;
    const camera = { width: W, height: H, fovYDegrees: 70, near: 0.1, far: 50 };
    const memory = new SpatialMemory(camera);
    const pose = { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 };
    const depth = new Float32Array(n).fill(4); // a wall 4 m ahead fills the view
    const seen = new Float32Array(3 * n).map((_, i) => ((i * 37) % 100) / 100 - 0.5);
    memory.insert(seen, depth, pose, 0);
    const last = new Float32Array(3 * n).fill(-1);
    const stream = new Float32Array(4 * n);
    // The same view again: memory covers every pixel, so the warp is the remembered frame.
    warpStep(memory, pose, depth, last, 1, stream);
    for (let i = 0; i < 3 * n; i++) expect(last[i]).toBeCloseTo(seen[i]!, 5);
    // A view turned away: memory covers nothing, the last frame stays, and the painted frame is kept.
    const away = { ...pose, yaw: Math.PI };
    const before = Float32Array.from(last);
    warpStep(memory, away, depth, last, 2, stream);
    expect(Array.from(last)).toEqual(Array.from(before));
    expect(stream.subarray(3 * n).every((c) => c === 0)).toBe(true);
    memory.render(away, depth, stream);
    expect(stream.subarray(3 * n).every((c) => c > 0)).toBe(true); // what it painted there is remembered now
  });
});
