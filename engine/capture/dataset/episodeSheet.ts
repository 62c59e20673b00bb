import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { float16ToFloat32 } from '../../../worldmodel/dataset/npy.ts';
import type { Episode } from './episodeFiles.ts';

export interface EpisodeSheetOptions {
  /** Frames to show, spread evenly over the episode. Default 16. */
  count?: number;
  /** Frames per row. Default 8. */
  columns?: number;
  /** Pixel upscale. Default 3. */
  scale?: number;
}

/**
 * A contact sheet of an episode: rows of frames, each above its proxy depth (near = white,
 * far = black, log scale), so a person can see at a glance what was recorded and that depth
 * lines up with the picture.
 */
export function writeEpisodeSheet(path: string, episode: Episode, options: EpisodeSheetOptions = {}): number[] {
  const { width: W, height: H } = episode.meta.resolution;
  const T = episode.meta.ticks;
  const far = episode.meta.camera.far;
  const count = Math.min(T, options.count ?? 16);
  const columns = Math.min(count, options.columns ?? 8);
  const S = options.scale ?? 3;
  const ticks = Array.from({ length: count }, (_, i) => Math.round((i * (T - 1)) / Math.max(1, count - 1)));
  const rows = Math.ceil(count / columns);
  const png = new PNG({ width: columns * W * S, height: rows * 2 * H * S });
  ticks.forEach((t, k) => {
    const ox = (k % columns) * W * S;
    const oy = Math.floor(k / columns) * 2 * H * S;
    for (let y = 0; y < H * S; y++) {
      for (let x = 0; x < W * S; x++) {
        const p = Math.floor(y / S) * W + Math.floor(x / S);
        const rgb = (t * H * W + p) * 3;
        png.data.set([episode.frames[rgb]!, episode.frames[rgb + 1]!, episode.frames[rgb + 2]!, 255], ((oy + y) * png.width + ox + x) * 4);
        const d = float16ToFloat32(episode.depth[t * H * W + p]!);
        const g = Math.round(255 * Math.max(0, 1 - Math.log1p(d) / Math.log1p(far)));
        png.data.set([g, g, g, 255], ((oy + H * S + y) * png.width + ox + x) * 4);
      }
    }
  });
  writeFileSync(path, PNG.sync.write(png));
  return ticks;
}
