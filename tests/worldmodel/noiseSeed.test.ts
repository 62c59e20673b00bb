import { describe, expect, it } from 'vitest';
import { noiseSeed } from '../../worldmodel/noiseSeed.ts';

describe('noiseSeed', () => {
  it('mixes the seed and the tick as the speculative branches always have', () => {
    // Computed apart from this code, with Python integers: 32-bit multiplies modulo 2^32, then
    // z ^ (z >> 15), × 0x2c1b3c6d, z ^ (z >> 12). These pin the noise a branch of a given seed
    // and tick paints with, so recorded speculation replays stay the same.
    const cases: [number, number, number][] = [
      [0, 0, 3702983744],
      [0, 1, 3194079055],
      [0, 2, 3375023823],
      [1, 1, 2036222820],
      [7, 100, 1687973083],
      [123456789, 5, 2859008728],
      [-1, 3, 706052684],
    ];
    for (const [seed, tick, want] of cases) expect(noiseSeed(seed, tick), `seed ${seed}, tick ${tick}`).toBe(want);
  });

  it('gives an unsigned 32-bit integer, the same for the same inputs', () => {
    for (let tick = 0; tick < 50; tick++) {
      const s = noiseSeed(42, tick);
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
      expect(noiseSeed(42, tick)).toBe(s);
    }
  });

  it('gives nearby ticks and nearby seeds unrelated seeds (about half the bits differ)', () => {
    const bitsDiffering = (a: number, b: number): number => {
      let x = (a ^ b) >>> 0;
      let n = 0;
      for (; x; x >>>= 1) n += x & 1;
      return n;
    };
    const seeds = Array.from({ length: 200 }, (_, t) => noiseSeed(5, t));
    expect(new Set(seeds).size).toBe(seeds.length);
    const byTick = seeds.slice(1).map((s, t) => bitsDiffering(s, seeds[t]!));
    const bySeed = Array.from({ length: 200 }, (_, s) => bitsDiffering(noiseSeed(s, 9), noiseSeed(s + 1, 9)));
    for (const flips of [byTick, bySeed]) {
      const mean = flips.reduce((a, b) => a + b, 0) / flips.length;
      expect(mean).toBeGreaterThan(12);
      expect(mean).toBeLessThan(20);
    }
  });
});
