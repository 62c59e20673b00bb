import { NextframeError } from '../../../worldmodel/index.ts';
/** Uncovered pixels of the memory view: a magenta checkerboard, one square per model pixel. */
export const UNCOVERED_LIGHT: readonly [number, number, number] = [255, 0, 255];
export const UNCOVERED_DARK: readonly [number, number, number] = [112, 0, 112];

/**
 * The spatial-memory stream as a picture: `memory` is 4·H·W (RGB in [−1, 1], then coverage in
 * [0, 1], the layout of the model's `memory` input); `out` gets RGBA bytes, row 0 at the top.
 * Covered pixels (coverage ≥ 0.5) show memory's colour; uncovered ones a magenta checkerboard,
 * so "remembered as dark" and "not remembered" look different. `null`: nothing given, all
 * uncovered. Alpha is 255 where covered, 0 where not.
 */
export function memoryToRGBA(memory: Float32Array | null, width: number, height: number, out: Uint8ClampedArray = new Uint8ClampedArray(4 * width * height)): Uint8ClampedArray {
  const n = width * height;
  if (memory && memory.length !== 4 * n) throw new NextframeError('bad-memory', `memoryToRGBA: memory must hold 4·H·W = ${4 * n} values (RGB in [−1, 1], then coverage), found ${memory.length}.`);
  if (out.length !== 4 * n) throw new NextframeError('bad-frame', `memoryToRGBA: out must hold ${4 * n} bytes (RGBA), found ${out.length}.`);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const p = j * width + i;
      const o = 4 * p;
      if (memory && memory[3 * n + p]! >= 0.5) {
        out[o] = (memory[p]! + 1) * 127.5; // Uint8ClampedArray rounds and clamps, as frameToRGBA
        out[o + 1] = (memory[n + p]! + 1) * 127.5;
        out[o + 2] = (memory[2 * n + p]! + 1) * 127.5;
        out[o + 3] = 255;
      } else {
        const c = (i + j) % 2 === 0 ? UNCOVERED_LIGHT : UNCOVERED_DARK;
        out[o] = c[0];
        out[o + 1] = c[1];
        out[o + 2] = c[2];
        out[o + 3] = 0;
      }
    }
  }
  return out;
}
