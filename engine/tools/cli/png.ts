import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { frameToRGBA } from '../../../worldmodel/index.ts';

/**
 * Lay CHW frames out in a grid (row-major, `columns` wide), each upscaled by `scale` with
 * nearest-neighbour so single pixels stay visible, and write a PNG.
 */
export function writeContactSheet(path: string, frames: readonly Float32Array[], width: number, height: number, columns: number, scale = 4): void {
  const cols = Math.max(1, Math.min(columns, frames.length));
  const rows = Math.ceil(frames.length / cols);
  const gap = 2;
  const W = cols * (width * scale + gap) + gap;
  const H = rows * (height * scale + gap) + gap;
  const png = new PNG({ width: W, height: H });
  png.data.fill(40); // dark grey gaps
  const rgba = new Uint8ClampedArray(4 * width * height);
  frames.forEach((frame, index) => {
    frameToRGBA(frame, width, height, rgba);
    const ox = gap + (index % cols) * (width * scale + gap);
    const oy = gap + Math.floor(index / cols) * (height * scale + gap);
    for (let y = 0; y < height * scale; y++) {
      for (let x = 0; x < width * scale; x++) {
        const src = 4 * (Math.floor(y / scale) * width + Math.floor(x / scale));
        const dst = 4 * ((oy + y) * W + ox + x);
        png.data[dst] = rgba[src]!;
        png.data[dst + 1] = rgba[src + 1]!;
        png.data[dst + 2] = rgba[src + 2]!;
        png.data[dst + 3] = 255;
      }
    }
  });
  writeFileSync(path, PNG.sync.write(png));
}
