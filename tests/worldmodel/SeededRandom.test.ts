import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';

describe('SeededRandom', () => {
  it('repeats exactly for the same seed and differs for another', () => {
    const a = new SeededRandom(42).fillGaussian(new Float32Array(1000));
    const b = new SeededRandom(42).fillGaussian(new Float32Array(1000));
    const c = new SeededRandom(43).fillGaussian(new Float32Array(1000));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('reseed restarts the sequence', () => {
    const rng = new SeededRandom(7);
    const first = rng.nextGaussian();
    rng.nextGaussian();
    rng.reseed(7);
    expect(rng.nextGaussian()).toBe(first);
  });

  it('draws standard normal values', () => {
    const x = new SeededRandom(1).fillGaussian(new Float32Array(200_000));
    let mean = 0;
    for (const v of x) mean += v;
    mean /= x.length;
    let variance = 0;
    for (const v of x) variance += (v - mean) ** 2;
    variance /= x.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it('draws uniform floats in [0, 1)', () => {
    const rng = new SeededRandom(3);
    for (let i = 0; i < 10_000; i++) {
      const u = rng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
    }
  });
});
