import { NextframeError } from '../errors.ts';

/**
 * HWC RGB bytes at (width·factor) × (height·factor) → `width` × `height`, each pixel the rounded
 * mean of its factor × factor block. How an episode's display frames (`display.npy`) come down to
 * its model frames: the recorder makes the model frame this way from the display render, and the
 * checker uses it to see that both hold the same views.
 */
export function boxDownsampleRgb(rgb: ArrayLike<number>, width: number, height: number, factor: number, out: Uint8Array = new Uint8Array(3 * width * height)): Uint8Array {
  const f = factor;
  const need = width * f * 3 * height * f;
  if (!Number.isInteger(f) || f < 1 || rgb.length < need || out.length < 3 * width * height) {
    throw new NextframeError('bad-frame', `boxDownsampleRgb: expected ${need} input bytes (${height * f}×${width * f}×3, factor an integer ≥ 1) and room for ${3 * width * height}, found ${rgb.length} and ${out.length} (factor ${f}).`);
  }
  return boxDownsample(rgb, 3, false, width, height, f, out);
}

/**
 * The one box filter behind boxDownsampleRgb and the truth render's read-back
 * (`downsampleReadback`): `channels` (3 RGB or 4 RGBA) interleaved values per source pixel, RGB
 * out; `flipRows`: the source's rows run bottom-up (a WebGL read-back), the output's top-down.
 * Unchecked: the callers check sizes.
 */
export function boxDownsample(src: ArrayLike<number>, channels: number, flipRows: boolean, width: number, height: number, factor: number, out: Uint8Array): Uint8Array {
  const f = factor;
  const rowStride = width * f * channels;
  const area = f * f;
  for (let y = 0; y < height; y++) {
    const srcY = (flipRows ? height - 1 - y : y) * f;
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < f; dy++) {
        let q = (srcY + dy) * rowStride + x * f * channels;
        for (let dx = 0; dx < f; dx++, q += channels) {
          r += src[q]!;
          g += src[q + 1]!;
          b += src[q + 2]!;
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
