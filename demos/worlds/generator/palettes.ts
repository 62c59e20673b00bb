import type { Random } from './seededRandom.ts';

/** Hue families a palette is built around, by name and hue in degrees. */
export const HUES = [
  ['red', 4],
  ['orange', 26],
  ['amber', 44],
  ['olive', 70],
  ['green', 120],
  ['teal', 168],
  ['cyan', 190],
  ['azure', 210],
  ['blue', 232],
  ['violet', 268],
  ['magenta', 300],
  ['rose', 336],
] as const;

/** How the accent hues sit against the main one. */
export const SCHEMES = ['analogous', 'complementary', 'triadic', 'split', 'mono'] as const;
/** Saturation and lightness: `muted` greys it, `vivid` shouts, `pastel` lightens, `earthy` darkens. */
export const MOODS = ['muted', 'earthy', 'vivid', 'pastel', 'dark'] as const;

export type Scheme = (typeof SCHEMES)[number];
export type Mood = (typeof MOODS)[number];

/** A world's colours, sRGB hex numbers (0xrrggbb). */
export interface Palette {
  /** `<hue>-<scheme>-<mood>`, e.g. `teal-complementary-pastel`. */
  name: string;
  hue: string;
  scheme: Scheme;
  mood: Mood;
  /** Lightness spread between the darkest and lightest surfaces, 0…1. */
  contrast: number;
  /** Walls and big built surfaces, a darker shade of them, a pale trim. */
  main: number;
  mainDark: number;
  light: number;
  /** Floors and paths. */
  ground: number;
  groundAlt: number;
  /** Bold colours for landmarks, awnings, banners. */
  accent: number;
  accent2: number;
  wood: number;
  stone: number;
  foliage: number;
  water: number;
  metal: number;
}

const MOOD_SL: Record<Mood, { s: [number, number]; l: [number, number] }> = {
  muted: { s: [0.18, 0.32], l: [0.5, 0.68] },
  earthy: { s: [0.35, 0.5], l: [0.38, 0.55] },
  vivid: { s: [0.65, 0.85], l: [0.45, 0.58] },
  pastel: { s: [0.4, 0.6], l: [0.68, 0.8] },
  dark: { s: [0.35, 0.55], l: [0.24, 0.36] },
};

const ACCENT_OFFSETS: Record<Scheme, [number, number]> = {
  analogous: [32, -34],
  complementary: [180, 200],
  triadic: [120, 240],
  split: [150, 210],
  mono: [0, 12],
};

/** Draw a palette: a hue family, a scheme for the accents, a mood for saturation and lightness. */
export function samplePalette(rng: Random): Palette {
  const [hue, base] = rng.pick(HUES);
  const scheme = rng.pick(SCHEMES);
  const mood = rng.weighted(MOODS, [2, 2, 2, 1.5, 1]);
  const h = base + rng.range(-8, 8);
  const { s, l } = MOOD_SL[mood];
  const sat = rng.range(...s);
  const lit = rng.range(...l);
  const contrast = rng.range(0.25, 0.6);
  const [a1, a2] = ACCENT_OFFSETS[scheme];
  const clamp = (v: number): number => Math.min(0.95, Math.max(0.05, v));
  // Accents stay saturated whatever the mood: they are what names a place at 64 × 64.
  const accentS = Math.max(0.55, sat + 0.25);
  const groundHue = h + rng.pick([0, 20, -20, 180]);
  return {
    name: `${hue}-${scheme}-${mood}`,
    hue,
    scheme,
    mood,
    contrast,
    main: hslHex(h, sat, Math.max(0.3, lit)),
    mainDark: hslHex(h, sat * 0.9, clamp(lit - contrast * 0.6)),
    light: hslHex(h + 10, sat * 0.35, clamp(lit + contrast * 0.7 + 0.1)),
    // Floors stay light enough to show their pattern (a black floor reads as a hole).
    ground: hslHex(groundHue, sat * 0.45, Math.max(0.36, clamp(lit - 0.12 + rng.range(-0.08, 0.08)))),
    groundAlt: hslHex(groundHue + 15, sat * 0.35, Math.max(0.42, clamp(lit + 0.05))),
    accent: hslHex(h + a1, accentS, rng.range(0.45, 0.58)),
    accent2: hslHex(h + a2, accentS * 0.9, rng.range(0.4, 0.6)),
    wood: hslHex(rng.range(18, 36), rng.range(0.35, 0.55), rng.range(0.28, 0.45)),
    stone: hslHex(h, 0.06 + sat * 0.12, rng.range(0.52, 0.7)),
    foliage: hslHex(rng.range(85, 150) + (mood === 'vivid' ? 0 : rng.range(-15, 15)), rng.range(0.35, 0.6), rng.range(0.28, 0.42)),
    water: hslHex(rng.range(185, 215), rng.range(0.4, 0.65), rng.range(0.35, 0.5)),
    metal: hslHex(h, 0.08, rng.range(0.25, 0.4)),
  };
}

/** HSL (hue in degrees, any range; s, l in 0…1) to an sRGB hex number. */
export function hslHex(h: number, s: number, l: number): number {
  const hue = (((h % 360) + 360) % 360) / 360;
  const k = (n: number): number => (n + hue * 12) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): number => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  const byte = (v: number): number => Math.round(Math.min(1, Math.max(0, v)) * 255);
  return (byte(f(0)) << 16) | (byte(f(8)) << 8) | byte(f(4));
}

/** Scale a hex colour's channels by `factor` (lighter above 1, darker below). */
export function shadeHex(hex: number, factor: number): number {
  const byte = (v: number): number => Math.round(Math.min(255, Math.max(0, v * factor)));
  return (byte((hex >> 16) & 255) << 16) | (byte((hex >> 8) & 255) << 8) | byte(hex & 255);
}

/** Mix two hex colours, `t` of the way from `a` to `b`. */
export function mixHex(a: number, b: number, t: number): number {
  const ch = (shift: number): number => Math.round(((a >> shift) & 255) * (1 - t) + ((b >> shift) & 255) * t);
  return (ch(16) << 16) | (ch(8) << 8) | ch(0);
}
