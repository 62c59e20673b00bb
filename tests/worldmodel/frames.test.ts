import { describe, expect, it } from 'vitest';
import { assertFrame, frameToRGBA, frameToRgbBytes, rgbaToFrame, rgbToFrame } from '../../worldmodel/frames.ts';

describe('frames', () => {
  it('round-trips RGBA bytes through the CHW [−1, 1] layout', () => {
    const rgba = new Uint8ClampedArray([0, 128, 255, 255, 10, 20, 30, 255]);
    const frame = rgbaToFrame(rgba, 2, 1);
    expect(frame[0]).toBe(-1); // R of pixel 0
    expect(frame[4]).toBe(1); // B of pixel 0 (channel 2 starts at 2·HW = 4)
    expect(Array.from(frameToRGBA(frame, 2, 1))).toEqual(Array.from(rgba));
  });

  it('reads HWC RGB dataset bytes', () => {
    const frame = rgbToFrame(new Uint8Array([255, 0, 0]), 1, 1);
    expect(Array.from(frame)).toEqual([1, -1, -1]);
  });

  it('assertFrame rejects the wrong type, size and values', () => {
    expect(() => assertFrame(new Uint8Array(12), 2, 2, 'test')).toThrow(/expected a Float32Array of 12 values.*found Uint8Array/);
    expect(() => assertFrame(new Float32Array(11), 2, 2, 'test')).toThrow(/found 11/);
    const bad = new Float32Array(12);
    bad[5] = Number.NaN;
    expect(() => assertFrame(bad, 2, 2, 'test')).toThrow(/index 5 is NaN/);
    bad[5] = 3;
    expect(() => assertFrame(bad, 2, 2, 'test')).toThrow(/index 5 is 3/);
    expect(() => assertFrame(new Float32Array(12), 2, 2, 'test')).not.toThrow();
  });
  it('frameToRgbBytes packs CHW into HWC bytes, rounding half up and clamping', () => {
    // Two pixels; channel planes R = [-1, 1], G = [0, -0.51], B = [-2, 2] (out of range both ways).
    // (0 + 1)·127.5 = 127.5 exactly, a tie, rounds up to 128; (−0.51 + 1)·127.5 ≈ 62.47 → 62.
    const frame = new Float32Array([-1, 1, 0, -0.51, -2, 2]);
    expect(Array.from(frameToRgbBytes(frame, new Uint8Array(6)))).toEqual([0, 128, 0, 255, 62, 255]);
    // Stride 4 leaves the fourth byte alone.
    const rgba = new Uint8Array(8).fill(7);
    frameToRgbBytes(frame, rgba, 4);
    expect(Array.from(rgba)).toEqual([0, 128, 0, 7, 255, 62, 255, 7]);
    // A frame too short for the output is refused, naming both sizes.
    expect(() => frameToRgbBytes(new Float32Array(5), new Uint8Array(6))).toThrow(/need 6 frame values.*found 5/);
  });

  it('frameToRgbBytes agrees with frameToRGBA (Uint8ClampedArray rounding) on every byte value and between', () => {
    const n = 1021;
    const frame = new Float32Array(3 * n);
    for (let i = 0; i < frame.length; i++) frame[i] = -1.05 + (2.1 * i) / frame.length;
    const rgb = frameToRgbBytes(frame, new Uint8Array(3 * n));
    const rgba = frameToRGBA(frame, n, 1);
    for (let p = 0; p < n; p++) for (let c = 0; c < 3; c++) expect(rgb[3 * p + c]).toBe(rgba[4 * p + c]);
  });
});
