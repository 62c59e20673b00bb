import { PNG } from 'pngjs';
import { NextframeError } from '../../../worldmodel/index.ts';

/**
 * RGB frames side by side as one PNG, upscaled by `scale` with nearest-neighbour so 64-pixel
 * frames stay legible in a report; a dark 2-pixel gap between frames.
 */
export function stripPng(frames: readonly Uint8Array[], width: number, height: number, scale = 2): Buffer {
  const gap = 2;
  const count = Math.max(1, frames.length);
  const W = count * (width * scale + gap) - gap;
  const H = height * scale;
  const png = new PNG({ width: Math.max(1, W), height: Math.max(1, H) });
  png.data.fill(32);
  frames.forEach((frame, index) => {
    if (frame.length !== width * height * 3) throw new NextframeError('bad-frame', `stripPng: frame ${index} has ${frame.length} bytes, expected ${width}×${height}×3; pass HWC RGB frames all of the strip's size.`);
    const ox = index * (width * scale + gap);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < width * scale; x++) {
        const src = 3 * (Math.floor(y / scale) * width + Math.floor(x / scale));
        const dst = 4 * (y * W + ox + x);
        png.data[dst] = frame[src]!;
        png.data[dst + 1] = frame[src + 1]!;
        png.data[dst + 2] = frame[src + 2]!;
        png.data[dst + 3] = 255;
      }
    }
  });
  return PNG.sync.write(png);
}

/** The same as a `data:` URI, for a self-contained HTML page. */
export function stripDataUri(frames: readonly Uint8Array[], width: number, height: number, scale = 2): string {
  return `data:image/png;base64,${stripPng(frames, width, height, scale).toString('base64')}`;
}
