import { hslHex, mixHex } from './palettes.ts';
import type { Random } from './seededRandom.ts';

/** Times of day a world is lit at, from bright noon to the last light of dusk. */
export const TIMES_OF_DAY = ['morning', 'noon', 'afternoon', 'golden', 'dusk', 'overcast'] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

/** How a world is lit: a sun, a hemisphere fill, and the sky's two colours. Colours are sRGB hex. */
export interface LightRecipe {
  time: TimeOfDay;
  /** Sun height above the horizon and compass direction it shines from, degrees. */
  sunElevation: number;
  sunAzimuth: number;
  sunColor: number;
  sunIntensity: number;
  /** Hemisphere light: colour from above, from below, strength. */
  skyLight: number;
  groundLight: number;
  hemiIntensity: number;
  /** Sky dome (or background) colour overhead and at the horizon. */
  skyTop: number;
  skyHorizon: number;
  /** Lamps and windows glow. */
  lampsLit: boolean;
}

interface TimeBase {
  elevation: [number, number];
  sunHue: number;
  sunSat: number;
  sun: [number, number];
  hemi: [number, number];
  top: [number, number, number];
  horizon: [number, number, number];
}

// Hue (degrees), saturation, lightness of the sky's top and horizon; sun strength ranges.
const BASES: Record<TimeOfDay, TimeBase> = {
  morning: { elevation: [18, 32], sunHue: 40, sunSat: 0.6, sun: [2.0, 2.6], hemi: [1.3, 1.7], top: [205, 0.55, 0.62], horizon: [30, 0.55, 0.82] },
  noon: { elevation: [60, 80], sunHue: 50, sunSat: 0.2, sun: [2.6, 3.2], hemi: [1.4, 1.8], top: [212, 0.65, 0.5], horizon: [200, 0.45, 0.82] },
  afternoon: { elevation: [35, 50], sunHue: 42, sunSat: 0.35, sun: [2.3, 2.9], hemi: [1.3, 1.7], top: [215, 0.6, 0.55], horizon: [45, 0.35, 0.8] },
  golden: { elevation: [8, 16], sunHue: 30, sunSat: 0.85, sun: [2.4, 3.0], hemi: [1.4, 1.8], top: [225, 0.45, 0.5], horizon: [28, 0.85, 0.65] },
  dusk: { elevation: [3, 8], sunHue: 14, sunSat: 0.85, sun: [2.0, 2.6], hemi: [1.5, 1.9], top: [250, 0.45, 0.3], horizon: [12, 0.75, 0.6] },
  overcast: { elevation: [40, 70], sunHue: 210, sunSat: 0.05, sun: [0.6, 1.0], hemi: [2.2, 2.8], top: [210, 0.12, 0.62], horizon: [210, 0.08, 0.78] },
};

/** Draw the light of a world at a time of day, with the sun from a random direction. */
export function sampleLight(rng: Random, time: TimeOfDay): LightRecipe {
  const b = BASES[time];
  const jitter = (v: [number, number, number]): number => hslHex(v[0] + rng.range(-12, 12), v[1], v[2] + rng.range(-0.05, 0.05));
  const skyTop = jitter(b.top);
  const skyHorizon = jitter(b.horizon);
  return {
    time,
    sunElevation: rng.range(...b.elevation),
    sunAzimuth: rng.range(0, 360),
    sunColor: hslHex(b.sunHue + rng.range(-6, 6), b.sunSat, time === 'noon' ? 0.95 : 0.8),
    sunIntensity: rng.range(...b.sun),
    // The fill comes from the whole sky: at a low sun the bright horizon lights more than the zenith.
    skyLight: mixHex(time === 'dusk' || time === 'golden' ? mixHex(skyTop, skyHorizon, 0.6) : skyTop, 0xffffff, 0.5),
    groundLight: hslHex(rng.range(20, 40), 0.25, time === 'dusk' ? 0.3 : 0.38),
    hemiIntensity: rng.range(...b.hemi),
    skyTop,
    skyHorizon,
    lampsLit: time === 'dusk' || (time === 'golden' && rng.chance(0.5)) || (time === 'overcast' && rng.chance(0.3)),
  };
}
