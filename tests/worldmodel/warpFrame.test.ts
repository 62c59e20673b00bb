import { describe, expect, it } from 'vitest';
import { warpFrame } from '../../worldmodel/warpFrame.ts';

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
});
