import { NextframeError } from '../../../worldmodel/index.ts';
/**
 * Where a colour is in an RGB image: the pure vision step the hand-written policies share.
 * Matching is by hue, saturation and brightness rather than RGB distance, because lighting
 * (sun vs shade) and the world model's blur change a surface's brightness far more than its hue;
 * the landmarks of the arena were chosen with distinct hues.
 */

export interface ColourBlob {
  /** Matching pixels. */
  count: number;
  /** `count` over all pixels, in [0, 1]. */
  fraction: number;
  /** Centroid, normalised: x in [−1, 1] (−1 left edge, +1 right), y in [−1, 1] (−1 top, +1 bottom). NaN when count is 0. */
  x: number;
  y: number;
  /** Lowest matching row, normalised like `y` (how far down the blob reaches: near things reach lower). */
  bottom: number;
  /** Horizontal extent of the matching pixels, normalised [−1, 1]. */
  left: number;
  right: number;
}

export interface ColourMatchOptions {
  /** Largest hue difference accepted, degrees. Default 10 (the arena's ball and tree trunk are 12° apart, the blue pillar and the sky 10°). */
  hueTolerance?: number;
  /** A pixel must have at least this fraction of the target's saturation. Default 0.6 (keeps the paler sky off the blue pillar). */
  minSaturationRatio?: number;
  /** Darkest pixel (HSV value, 0–1) accepted: shadows keep hue but very dark pixels do not. Default 0.18. */
  minValue?: number;
  /** For targets with little saturation (greys), the largest RGB distance (0–441) accepted. Default 40. */
  greyTolerance?: number;
}

const DEFAULTS: Required<ColourMatchOptions> = { hueTolerance: 10, minSaturationRatio: 0.6, minValue: 0.18, greyTolerance: 40 };

/** Scratch for `hsv`, so the per-pixel loop allocates nothing. */
const _hsv = new Float64Array(3);

/** Find the pixels of `image` (RGB bytes, row 0 at the top) that match `color` (0xRRGGBB). */
export function findColour(image: Uint8Array, width: number, height: number, color: number, options: ColourMatchOptions = {}): ColourBlob {
  if (image.length !== width * height * 3) {
    throw new NextframeError('bad-frame', `findColour: expected ${width * height * 3} bytes (${width}×${height} RGB), found ${image.length}; pass a width × height RGB image.`);
  }
  const o = { ...DEFAULTS, ...options };
  const tr = (color >> 16) & 255;
  const tg = (color >> 8) & 255;
  const tb = color & 255;
  hsv(tr, tg, tb, _hsv);
  const targetHue = _hsv[0]!;
  const targetSat = _hsv[1]!;
  // Below this saturation hue is noise: match such targets by RGB distance instead.
  const grey = targetSat < 0.25;
  const minSat = targetSat * o.minSaturationRatio;
  const grey2 = o.greyTolerance * o.greyTolerance;

  let count = 0;
  let sx = 0;
  let sy = 0;
  let maxRow = -1;
  let minCol = width;
  let maxCol = -1;
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = 3 * (row * width + col);
      const r = image[i]!;
      const g = image[i + 1]!;
      const b = image[i + 2]!;
      let match: boolean;
      if (grey) {
        const dr = r - tr;
        const dg = g - tg;
        const db = b - tb;
        match = dr * dr + dg * dg + db * db <= grey2;
      } else {
        hsv(r, g, b, _hsv);
        const dh = Math.abs(_hsv[0]! - targetHue);
        match = Math.min(dh, 360 - dh) <= o.hueTolerance && _hsv[1]! >= minSat && _hsv[2]! >= o.minValue;
      }
      if (!match) continue;
      count++;
      sx += col;
      sy += row;
      if (row > maxRow) maxRow = row;
      if (col < minCol) minCol = col;
      if (col > maxCol) maxCol = col;
    }
  }
  // Pixel centres map to [−1, 1]: column c → (2c + 1) / width − 1.
  const nx = (c: number): number => (2 * c + 1) / width - 1;
  const ny = (r: number): number => (2 * r + 1) / height - 1;
  if (count === 0) return { count: 0, fraction: 0, x: Number.NaN, y: Number.NaN, bottom: Number.NaN, left: Number.NaN, right: Number.NaN };
  return { count, fraction: count / (width * height), x: nx(sx / count), y: ny(sy / count), bottom: ny(maxRow), left: nx(minCol), right: nx(maxCol) };
}

/** RGB bytes → hue (degrees, 0–360), saturation and value (0–1), written into `out`. */
function hsv(r: number, g: number, b: number, out: Float64Array): void {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const d = max - min;
  let h = 0;
  if (d > 0) {
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
    h *= 60;
    if (h < 0) h += 360;
  }
  out[0] = h;
  out[1] = max === 0 ? 0 : d / max;
  out[2] = max / 255;
}
