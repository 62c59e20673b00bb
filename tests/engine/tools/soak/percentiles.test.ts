import { describe, expect, it } from 'vitest';
import { median, percentile, spread } from '../../../../engine/tools/soak/percentiles.ts';

describe('percentile', () => {
  it('interpolates between the nearest ranks, as numpy does', () => {
    const values = [10, 20, 30, 40, 50];
    expect(percentile(values, 0)).toBe(10);
    expect(percentile(values, 100)).toBe(50);
    expect(percentile(values, 50)).toBe(30);
    expect(percentile(values, 25)).toBe(20);
    expect(percentile(values, 5)).toBeCloseTo(12, 10); // rank 0.2 of 4: 10 + 0.2 · 10
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
  });

  it('sorts a copy and ignores NaN; no values give null', () => {
    const values = [5, NaN, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, NaN, 1, 3]);
    expect(percentile([], 50)).toBeNull();
    expect(percentile([NaN], 50)).toBeNull();
    expect(percentile([7], 5)).toBe(7);
  });

  it('clamps p into 0–100 and spread reports the median, a tail and the count', () => {
    expect(percentile([1, 2], -10)).toBe(1);
    expect(percentile([1, 2], 250)).toBe(2);
    expect(spread([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toEqual({ median: 5.5, tail: expect.closeTo(9.55, 10) as number, n: 10 });
  });
});
