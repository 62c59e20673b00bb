import { describe, expect, it } from 'vitest';
import { downsampleReadback } from '../../../../engine/runtime/render/downsampleReadback.ts';

describe('downsampleReadback', () => {
  it('box-averages each supersampled block and flips GL rows to top-down', () => {
    // 2×2 read-back at supersample 1 → 2×2 output: GL row 0 (bottom) becomes output row 1.
    const rgba = new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255]);
    expect(Array.from(downsampleReadback(rgba, 2, 2, 1, new Uint8Array(12)))).toEqual([7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]);
    // 2×2 read-back at supersample 2 → one pixel, the rounded mean.
    expect(Array.from(downsampleReadback(rgba, 1, 1, 2, new Uint8Array(3)))).toEqual([6, 7, 8]);
  });
});
