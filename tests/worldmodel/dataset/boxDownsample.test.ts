import { describe, expect, it } from 'vitest';
import { boxDownsampleRgb } from '../../../worldmodel/dataset/boxDownsample.ts';

describe('boxDownsampleRgb', () => {
  it('averages each factor × factor block per channel, rounding, rows top-down', () => {
    // 4×2 pixels (HWC RGB) → 2×1 at factor 2. Left block: R 0,10,20,31 → 15.25 → 15; G 1 each → 1; B 255,0,0,0 → 63.75 → 64.
    const rgb = Uint8Array.from([
      0, 1, 255, 10, 1, 0, /* right block, top row */ 100, 0, 0, 100, 0, 0,
      20, 1, 0, 31, 1, 0, /* right block, bottom row */ 101, 0, 0, 101, 0, 0,
    ]);
    expect(Array.from(boxDownsampleRgb(rgb, 2, 1, 2))).toEqual([15, 1, 64, 101, 0, 0]); // 100.5 rounds up
  });

  it('is the identity at factor 1 and writes into `out`', () => {
    const rgb = Uint8Array.from({ length: 3 * 3 * 2 }, (_, i) => i * 9);
    const out = new Uint8Array(18);
    expect(boxDownsampleRgb(rgb, 3, 2, 1, out)).toBe(out);
    expect(out).toEqual(rgb);
  });

  it('refuses an input of the wrong size or a factor that is not an integer ≥ 1', () => {
    expect(() => boxDownsampleRgb(new Uint8Array(10), 2, 2, 2)).toThrow(expect.objectContaining({ code: 'bad-frame', message: expect.stringMatching(/^boxDownsampleRgb: expected 48 input bytes \(4×4×3/) }));
    expect(() => boxDownsampleRgb(new Uint8Array(48), 2, 2, 1.5)).toThrow(/factor 1\.5/);
  });
});
