import { mixHex, samplePalette, type Palette } from './palettes.ts';
import { sampleLight, TIMES_OF_DAY, type LightRecipe } from './sampleLight.ts';
import { hashSeed, seededRandom } from './seededRandom.ts';

/** Layout families, one per seed modulo 5: every run of five seeds holds each once. */
export const WORLD_FAMILIES = ['courtyard', 'rooms', 'hills', 'terraces', 'bridges'] as const;
export type WorldFamily = (typeof WORLD_FAMILIES)[number];

/** Each family's variants: different layouts within it. */
export const FAMILY_VARIANTS = {
  courtyard: ['cloister', 'plaza', 'garden', 'market'],
  rooms: ['grid', 'maze', 'hall', 'gallery'],
  hills: ['meadow', 'desert', 'snow', 'autumn', 'moor'],
  terraces: ['ziggurat', 'amphitheatre', 'split', 'hillside'],
  bridges: ['river', 'moat', 'canyon', 'canals'],
} as const satisfies Record<WorldFamily, readonly string[]>;

/** Canvas patterns for floors and walls (drawn by `patternTexture`). */
export const FLOOR_PATTERNS = ['tiles', 'checker', 'cobbles', 'flagstones', 'basket', 'hex', 'gravel', 'planks', 'carpet'] as const;
export const WALL_PATTERNS = ['bricks', 'stone', 'plaster', 'stripes', 'panels', 'blocks'] as const;
export type FloorPattern = (typeof FLOOR_PATTERNS)[number];
export type WallPattern = (typeof WALL_PATTERNS)[number];

/** Kinds of centrepiece a world is built around, visible from afar. */
export const LANDMARKS = ['obelisk', 'statue', 'tower', 'fountain', 'bigTree', 'beacon', 'windmill', 'pavilion'] as const;
export type LandmarkKind = (typeof LANDMARKS)[number];

export const FOG_LEVELS = ['none', 'haze', 'mist', 'dense'] as const;
export type FogLevel = (typeof FOG_LEVELS)[number];

/** Everything a seed decides before any geometry is made: pure data, the same in Node and the browser. */
export interface WorldRecipe {
  seed: number;
  family: WorldFamily;
  variant: string;
  palette: Palette;
  light: LightRecipe;
  fog: { level: FogLevel; color: number; near: number; far: number };
  /**
   * `dome`: a gradient sphere that follows the camera; `flat`: one background colour; `void`: no
   * background and no fog, so the renderer's black shows above and beyond the world, as in a
   * three.js scene whose `scene.background` was never set (common in games, and the README's).
   */
  sky: 'dome' | 'flat' | 'void';
  /** Half extents of the walkable area, m (at least 10 × 10, so ≥ 20 × 20 m). */
  halfX: number;
  halfZ: number;
  floor: FloorPattern;
  wall: WallPattern;
  landmark: LandmarkKind;
  /** Balls and crates drawn over the painted world (0–3). */
  overlays: number;
}

/** What world number `seed` is made of. Deterministic, no DOM: Node lists seeds with it. */
export function worldRecipe(seed: number): WorldRecipe {
  if (!Number.isInteger(seed)) throw new Error(`worldRecipe: seed must be an integer, found ${seed}.`);
  const rng = seededRandom(seed, 'recipe');
  const family = WORLD_FAMILIES[((seed % 5) + 5) % 5]!;
  // Variants take turns within a family (seeds s and s + 5 never share one), from a random start.
  const variants = FAMILY_VARIANTS[family];
  const turn = (Math.floor(seed / 5) + hashSeed(0, family)) % variants.length;
  const variant = variants[(turn + variants.length) % variants.length]!;
  const palette = samplePalette(rng.fork('palette'));
  const time = rng.weighted(TIMES_OF_DAY, [1, 1.2, 1.2, 1, 1, 0.8]);
  const light = sampleLight(rng.fork('light'), time);
  const level = rng.weighted(FOG_LEVELS, [3, 3, 2, 1]);
  const far = { none: 200, haze: rng.range(70, 100), mist: rng.range(42, 58), dense: rng.range(28, 36) }[level];
  const fogColor = mixHex(light.skyHorizon, light.skyTop, level === 'dense' ? 0.1 : 0.25);
  // Rooms stay compact (walls everywhere); open ground and bridges need room to look across.
  const [lo, hi] = ({ courtyard: [12, 17], rooms: [11, 15], hills: [15, 19], terraces: [13, 17], bridges: [14, 18] } as const)[family];
  const halfX = Math.round(rng.range(lo, hi) * 2) / 2;
  const halfZ = Math.round(rng.range(lo, hi) * 2) / 2;
  // Drawn in the order they always were, so a seed's world does not change when a choice is added.
  const near = level === 'none' ? 150 : far * rng.range(0.1, 0.3);
  const sky = rng.chance(0.7) ? 'dome' : 'flat';
  // A fifth of the worlds have a black void for a sky, drawn from their own stream so every
  // other choice of a seed stays what it was before void skies existed.
  const isVoid = seededRandom(seed, 'void-sky').chance(0.2);
  return {
    seed,
    family,
    variant,
    palette,
    light,
    fog: isVoid ? { level: 'none', color: 0x000000, near: 150, far: 200 } : { level, color: fogColor, near, far },
    sky: isVoid ? 'void' : sky,
    halfX,
    halfZ,
    // Carpets and boards belong indoors.
    floor: rng.pick(family === 'rooms' ? FLOOR_PATTERNS : FLOOR_PATTERNS.filter((p) => p !== 'carpet' && p !== 'planks')),
    wall: rng.pick(WALL_PATTERNS),
    landmark: rng.pick(LANDMARKS),
    overlays: rng.int(0, 3),
  };
}
