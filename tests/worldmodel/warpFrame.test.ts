import { describe, expect, it } from 'vitest';
import { bicubicUpsample } from '../../worldmodel/bicubicUpsample.ts';
import { rgbToFrame } from '../../worldmodel/frames.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';
import { warpDisplayStep, warpFrame, warpStep } from '../../worldmodel/warpFrame.ts';

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

  it('warpDisplayStep paints the display frame memory holds, the bicubic of the model-resolution warp where it covers nothing', () => {
    const W = 8, H = 8, S = 4, n = W * H, nd = n * S * S;
    const camera = { width: W, height: H, fovYDegrees: 70, near: 0.1, far: 50 };
    const memory = new SpatialMemory(camera, { displayScale: S });
    const twin = new SpatialMemory(camera); // no display frames: warpStep's own memory
    const pose = { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 };
    const depth = new Float32Array(n).fill(4);
    const display = Uint8Array.from({ length: 3 * nd }, (_, i) => (i * 2654435761) >>> 24); // detail no model frame has
    const seen = new Float32Array(3 * n).map((_, i) => ((i * 37) % 100) / 100 - 0.5);
    memory.insert(seen, depth, pose, 0, { display });
    twin.insert(seen, depth, pose, 0);
    const last = new Float32Array(3 * n).fill(-1);
    const lastTwin = new Float32Array(3 * n).fill(-1);
    const lastDisplay = new Float32Array(3 * nd);
    const stream = new Float32Array(4 * n);
    const displayStream = new Float32Array(4 * nd);
    // The view it was seen from: the display frame exactly, and the model frame as warpStep paints it.
    warpDisplayStep(memory, pose, depth, last, lastDisplay, 1, stream, displayStream);
    warpStep(twin, pose, depth, lastTwin, 1, stream);
    expect(Array.from(last)).toEqual(Array.from(lastTwin));
    const truth = rgbToFrame(display, W * S, H * S);
    for (let i = 0; i < 3 * nd; i++) expect(lastDisplay[i]).toBeCloseTo(truth[i]!, 5);
    // Turned away: nothing covered, so the bicubic of the (unchanged) model-resolution warp.
    const away = { ...pose, yaw: Math.PI };
    warpDisplayStep(memory, away, depth, last, lastDisplay, 2, stream, displayStream);
    expect(Array.from(lastDisplay)).toEqual(Array.from(bicubicUpsample(last, W, H, S)));
    // Both were remembered as painted, the display frame with it: the next look there shows it.
    expect(memory.size).toBe(3);
    const painted = Float32Array.from(lastDisplay);
    memory.render(away, depth, stream);
    const again = memory.renderDisplay(away, depth);
    expect(again.subarray(3 * nd).every((c) => c === 1)).toBe(true);
    // Stored as bytes: within half a level of what was painted.
    for (let i = 0; i < 3 * nd; i++) expect(Math.abs(again[i]! - painted[i]!)).toBeLessThanOrEqual(0.5 / 127.5 + 1e-6);
  });
});
