import { describe, expect, it } from 'vitest';
import { ActionCodec } from '../../worldmodel/ActionCodec.ts';
import { validManifest } from './manifestFixture.ts';

const codec = new ActionCodec(validManifest().actions); // forward ±0.4 m, yaw ±0.25 rad, jump; 9 bins

describe('ActionCodec', () => {
  it('quantises axes into odd bins with an exact zero and buttons into 0/1', () => {
    expect(Array.from(codec.quantise([0, 0, 0]))).toEqual([4, 4, 0]);
    expect(Array.from(codec.quantise([0.4, -0.25, 1]))).toEqual([8, 0, 1]);
    expect(Array.from(codec.quantise([10, -10, 0.49]))).toEqual([8, 0, 0]); // clamped
    expect(Array.from(codec.quantise([0.05, 0.0624, 0.5]))).toEqual([5, 5, 1]); // 0.05/0.4·4 = 0.5 rounds up
  });

  it('encodes to dequantised model inputs', () => {
    expect(Array.from(codec.encode([0.1, 0, 1]))).toEqual([0.25, 0, 1]);
    expect(Array.from(codec.dequantise([0, 4, 1]))).toEqual([-1, 0, 1]);
  });

  it('gives the same key to actions in the same bins and a different key otherwise', () => {
    expect(codec.key([0.1, 0.01, 0])).toBe(codec.key([0.11, -0.01, 0.2]));
    expect(codec.key([0.1, 0, 0])).not.toBe(codec.key([0.2, 0, 0]));
  });

  it('accepts actions by slot name, missing slots are zero', () => {
    expect(Array.from(codec.encode({ yaw: 0.25 }))).toEqual([0, 1, 0]);
  });

  it('rejects a wrong length, NaN and unknown slots with the slot names', () => {
    expect(() => codec.encode([0, 0])).toThrow(/expected 3 action values \(forward, yaw, jump\), found 2/);
    expect(() => codec.encode([0, Number.NaN, 0])).toThrow(/"yaw" must be a finite number/);
    expect(() => codec.encode({ strafe: 1 })).toThrow(/unknown action slot "strafe"/);
    expect(() => codec.dequantise([9, 0, 0])).toThrow(/\[0, 8\]/);
  });

  it('maps model values back to raw units', () => {
    expect(codec.toRaw([0.5, -1, 1])).toEqual({ forward: 0.2, yaw: -0.25, jump: 1 });
  });
});
