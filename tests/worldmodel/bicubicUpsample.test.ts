import { describe, expect, it } from 'vitest';
import { bicubicUpsample } from '../../worldmodel/bicubicUpsample.ts';
import { NextframeError } from '../../worldmodel/errors.ts';

describe('bicubicUpsample', () => {
  it('keeps a flat frame flat and a linear ramp linear away from the edges', () => {
    const w = 8;
    const h = 6;
    const flat = bicubicUpsample(new Float32Array(3 * w * h).fill(0.25), w, h, 4);
    expect(flat.length).toBe(3 * 32 * 24);
    for (const v of flat) expect(v).toBeCloseTo(0.25, 6);
    // Ramp along x: value = i. Catmull-Rom reproduces linear functions exactly, so display column X
    // (at input position (X + 0.5) / 4 − 0.5) gets that position, where all 4 taps are inside.
    const ramp = new Float32Array(3 * w * h);
    for (let c = 0; c < 3; c++) for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) ramp[c * w * h + j * w + i] = i;
    const up = bicubicUpsample(ramp, w, h, 4);
    for (let X = 6; X < 26; X++) expect(up[2 * 32 * 24 + 10 * 32 + X]).toBeCloseTo((X + 0.5) / 4 - 0.5, 5);
  });

  it('passes through at scale 1 and matches the input at the pixel centres of odd scales', () => {
    const w = 5;
    const h = 4;
    const frame = Float32Array.from({ length: 3 * w * h }, (_, i) => Math.sin(i * 1.7));
    expect(Array.from(bicubicUpsample(frame, w, h, 1)).map((v) => v.toFixed(5))).toEqual(Array.from(frame).map((v) => v.toFixed(5)));
    const up = bicubicUpsample(frame, w, h, 3);
    // Scale 3: output (3i + 1, 3j + 1) sits exactly on input pixel (i, j).
    for (let c = 0; c < 3; c++) for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) expect(up[c * 15 * 12 + (3 * j + 1) * 15 + 3 * i + 1]).toBeCloseTo(frame[c * w * h + j * w + i]!, 5);
  });

  it('says what it expected', () => {
    expect(() => bicubicUpsample(new Float32Array(5), 2, 2, 2)).toThrow(NextframeError);
    expect(() => bicubicUpsample(new Float32Array(12), 2, 2, 2)).not.toThrow();
    expect(() => bicubicUpsample(new Float32Array(12), 2, 2, 1.5)).toThrow(/scale must be a positive integer/);
    expect(() => bicubicUpsample(new Float32Array(12), 2, 2, 2, new Float32Array(3))).toThrow(/out must hold 3·4·4 = 48 values/);
  });
});
