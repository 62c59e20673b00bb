import { NextframeError } from '../errors.ts';

/**
 * HWC RGB bytes at (width·factor) × (height·factor) → `width` × `height`, each pixel the rounded
 * mean of its factor × factor block. How an episode's display frames (`display.npy`) come down to
 * its model frames: the recorder makes the model frame this way from the display render, and the
 * checker uses it to see that both hold the same views.
 */
export function boxDownsampleRgb(rgb: ArrayLike<number>, width: number, height: number, factor: number, out: Uint8Array = new Uint8Array(3 * width * height)): Uint8Array {
  const f = factor;
  const rowStride = width * f * 3;
  if (!Number.isInteger(f) || f < 1 || rgb.length < rowStride * height * f || out.length < 3 * width * height) {
    throw new NextframeError('bad-frame', `boxDownsampleRgb: expected ${rowStride * height * f} input bytes (${height * f}×${width * f}×3, factor an integer ≥ 1) and room for ${3 * width * height}, found ${rgb.length} and ${out.length} (factor ${f}).`);
  }
  const area = f * f;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < f; dy++) {
        let q = (y * f + dy) * rowStride + x * f * 3;
        for (let dx = 0; dx < f; dx++, q += 3) {
          r += rgb[q]!;
          g += rgb[q + 1]!;
          b += rgb[q + 2]!;
        }
      }
      const o = (y * width + x) * 3;
      out[o] = Math.round(r / area);
      out[o + 1] = Math.round(g / area);
      out[o + 2] = Math.round(b / area);
    }
  }
  return out;
}
