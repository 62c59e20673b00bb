import { describe, expect, it } from 'vitest';
import { worldRecipe } from '../../../demos/worlds/generated.ts';

const seeds = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

describe('worldRecipe (the generated worlds, listed in Node)', () => {
  it('gives the same recipe for the same seed, every time', () => {
    for (const seed of [0, 1, 7, 42, 123_456, -3]) {
      expect(JSON.stringify(worldRecipe(seed))).toBe(JSON.stringify(worldRecipe(seed)));
    }
  });

  it('uses all five layout families among seeds 0–49, ten seeds each', () => {
    const counts = new Map<string, number>();
    for (const seed of seeds(0, 50)) counts.set(worldRecipe(seed).family, (counts.get(worldRecipe(seed).family) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(['bridges', 'courtyard', 'hills', 'rooms', 'terraces']);
    expect([...counts.values()]).toEqual([10, 10, 10, 10, 10]);
  });

  it('varies palettes, light, fog, variants and landmarks across seeds 0–49', () => {
    const recipes = seeds(0, 50).map(worldRecipe);
    const distinct = (f: (r: ReturnType<typeof worldRecipe>) => unknown): number => new Set(recipes.map((r) => JSON.stringify(f(r)))).size;
    expect(distinct((r) => r.palette.name)).toBeGreaterThanOrEqual(30);
    expect(distinct((r) => r.palette.hue)).toBeGreaterThanOrEqual(9);
    expect(distinct((r) => r.palette.main)).toBe(50);
    expect(distinct((r) => r.light.time)).toBeGreaterThanOrEqual(5);
    expect(distinct((r) => r.fog.level)).toBeGreaterThanOrEqual(3);
    expect(distinct((r) => r.sky)).toBe(3);
    expect(distinct((r) => `${r.family} ${r.variant}`)).toBeGreaterThanOrEqual(18);
    expect(distinct((r) => r.landmark)).toBeGreaterThanOrEqual(7);
    expect(distinct((r) => [r.floor, r.wall])).toBeGreaterThanOrEqual(25);
    // Sun direction differs from world to world (not one sun for all).
    expect(distinct((r) => Math.round(r.light.sunAzimuth / 30))).toBeGreaterThanOrEqual(10);
  });

  it('gives about a fifth of the worlds a black void for a sky, with no fog (an unset scene.background)', () => {
    const recipes = seeds(0, 500).map(worldRecipe);
    const voids = recipes.filter((r) => r.sky === 'void');
    expect(voids.length).toBeGreaterThan(70);
    expect(voids.length).toBeLessThan(130);
    for (const r of voids) expect(r.fog.level).toBe('none');
    // Every family has some: the void is a sky, not a layout.
    expect(new Set(voids.map((r) => r.family)).size).toBe(5);
  });

  it('makes neighbouring seeds different worlds', () => {
    for (const seed of seeds(0, 200)) {
      const a = worldRecipe(seed);
      const b = worldRecipe(seed + 1);
      expect(a.family).not.toBe(b.family);
      expect(a.palette.main).not.toBe(b.palette.main);
    }
    // Seeds five apart share a family but not a variant.
    for (const seed of seeds(0, 100)) expect(worldRecipe(seed).variant).not.toBe(worldRecipe(seed + 5).variant);
  });

  it('keeps every world at least 20 × 20 m and its colours valid', () => {
    for (const seed of seeds(0, 300)) {
      const r = worldRecipe(seed);
      expect(2 * r.halfX).toBeGreaterThanOrEqual(20);
      expect(2 * r.halfZ).toBeGreaterThanOrEqual(20);
      expect(r.overlays).toBeGreaterThanOrEqual(0);
      expect(r.overlays).toBeLessThanOrEqual(3);
      for (const c of [r.palette.main, r.palette.ground, r.palette.accent, r.light.skyTop, r.fog.color]) {
        expect(Number.isInteger(c) && c >= 0 && c <= 0xffffff).toBe(true);
      }
      if (r.fog.level !== 'none') expect(r.fog.far).toBeGreaterThan(r.fog.near);
    }
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => worldRecipe(1.5)).toThrow(/seed must be an integer, found 1\.5/);
  });
});
