import { DEFAULT_ACTION_SLOTS, DEFAULT_CAMERA } from '../../../../worldmodel/dataset/actionLayout.ts';
import { EPISODE_FORMAT, EPISODE_FORMAT_VERSION, type EpisodeMeta } from '../../../../worldmodel/dataset/episode.ts';
import { toFloat16Array } from '../../../../worldmodel/dataset/npy.ts';
import type { Episode } from '../../../../engine/capture/dataset/episodeFiles.ts';

/** A small valid episode with recognisable values, for dataset tests. */
export function syntheticEpisode(seed = 0, ticks = 4, size = 8): Episode {
  const meta: EpisodeMeta = {
    format: EPISODE_FORMAT,
    formatVersion: EPISODE_FORMAT_VERSION,
    scene: 'arena',
    seed,
    policy: 'wander',
    tickHz: 20,
    ticks,
    resolution: { width: size, height: size },
    camera: { ...DEFAULT_CAMERA },
    actions: [...DEFAULT_ACTION_SLOTS],
  };
  const A = DEFAULT_ACTION_SLOTS.length;
  const frames = Uint8Array.from({ length: ticks * size * size * 3 }, (_, i) => (i * 7) % 256);
  const depth = toFloat16Array(Array.from({ length: ticks * size * size }, (_, i) => 1 + (i % 50)));
  const poses = Float32Array.from({ length: ticks * 5 }, (_, i) => (i % 5 === 4 ? 0.1 : i * 0.01));
  const actions = new Float32Array(ticks * A);
  for (let t = 1; t < ticks; t++) {
    actions[t * A] = 0.2; // forward
    actions[t * A + 3] = -0.05; // yaw
    actions[t * A + 5] = t % 2; // jump
  }
  return { meta, frames, depth, poses, actions };
}

/**
 * `episode` with display frames `factor` times its resolution: each model pixel repeated in a
 * factor × factor block, so the display frames average down to the model frames exactly.
 */
export function withDisplay(episode: Episode, factor: number): Episode {
  const { ticks: T, resolution: { width: W, height: H } } = episode.meta;
  const Wd = W * factor;
  const Hd = H * factor;
  const display = new Uint8Array(T * Hd * Wd * 3);
  for (let t = 0; t < T; t++) {
    for (let y = 0; y < Hd; y++) {
      for (let x = 0; x < Wd; x++) {
        for (let c = 0; c < 3; c++) display[((t * Hd + y) * Wd + x) * 3 + c] = episode.frames[((t * H + Math.floor(y / factor)) * W + Math.floor(x / factor)) * 3 + c]!;
      }
    }
  }
  return { ...episode, meta: { ...episode.meta, display: { width: Wd, height: Hd } }, display };
}
