/**
 * A WebGL read-back (RGBA, rows bottom-up, rendered at `supersample`× the size) → HWC RGB
 * bytes at `width`×`height`, rows top-down, each pixel the rounded box average of its
 * supersample×supersample block. `TruthCapture`, the one ground-truth render (training frames,
 * the sandbox's ground truth, the plug-in's truth frames), ends with it.
 */
export function downsampleReadback(rgba: Uint8Array, width: number, height: number, supersample: number, out: Uint8Array): Uint8Array {
  const s = supersample;
  const rowStride = width * s * 4;
  const area = s * s;
  for (let y = 0; y < height; y++) {
    const srcY = (height - 1 - y) * s; // flip: GL rows start at the bottom
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < s; dy++) {
        let q = (srcY + dy) * rowStride + x * s * 4;
        for (let dx = 0; dx < s; dx++, q += 4) {
          r += rgba[q]!;
          g += rgba[q + 1]!;
          b += rgba[q + 2]!;
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
