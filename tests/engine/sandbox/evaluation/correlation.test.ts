import { describe, expect, it } from 'vitest';
import { pearson, ranks, spearman } from '../../../../engine/sandbox/evaluation/correlation.ts';

describe('pearson', () => {
  it('matches a hand-computed r', () => {
    // mean 3 and 4; Σdxdy = 6, Σdx² = 10, Σdy² = 6 → r = 6/√60
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7745966692, 9);
  });

  it('is ±1 for exact linear relations and NaN without spread', () => {
    expect(pearson([0, 0.5, 1], [0.1, 0.35, 0.6])).toBe(1);
    expect(pearson([0, 0.5, 1], [1, 0.5, 0])).toBe(-1);
    expect(pearson([0.2, 0.2, 0.2], [0, 0.5, 1])).toBeNaN();
    expect(pearson([1], [1])).toBeNaN();
  });

  it('rejects lists of different lengths', () => {
    expect(() => pearson([1, 2], [1])).toThrow(/differ in length \(2 vs 1\)/);
  });
});

describe('spearman', () => {
  it('gives ties their average rank', () => {
    expect(ranks([2, 4, 5, 4, 5])).toEqual([1, 2.5, 4.5, 2.5, 4.5]);
  });

  it('matches a hand-computed rho with ties', () => {
    // ranks x = 1..5, ranks y = [1, 2.5, 4.5, 2.5, 4.5]: Σdxdy = 7, Σdx² = 10, Σdy² = 9 → 7/√90
    expect(spearman([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(0.7378647873, 9);
  });

  it('is 1 for any increasing relation, where Pearson is not', () => {
    const xs = [1, 2, 3, 4];
    const ys = [1, 2, 3, 100]; // r = 149/√36025 ≈ 0.785
    expect(spearman(xs, ys)).toBe(1);
    expect(pearson(xs, ys)).toBeCloseTo(0.785, 3);
  });
});
