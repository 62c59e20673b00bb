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
