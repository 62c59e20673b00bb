import { describe, expect, it } from 'vitest';
import { assertFrame, frameToRGBA, rgbaToFrame, rgbToFrame } from '../../worldmodel/frames.ts';

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
});
