import type { ReplayScript } from '../players/ReplayPlayer.ts';
import { resolveSceneSource } from './sceneSource.ts';
import { episodeMeta } from '../../../worldmodel/dataset/episode.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { displayOf, eyeHeightOf, type RecordingSettings } from './recordDataset.ts';
import { recordEpisodes, type RecordSummary } from './recordEpisodes.ts';

/** A replay to record as episode `seed` (folder `episode-<seed padded to 6>`). */
export interface ReplayEpisode extends ReplayScript {
  seed: number;
}

export interface RecordReplaysOptions extends RecordingSettings {
  replays: readonly ReplayEpisode[];
}

/**
 * Record ground truth for given intents: each replay becomes an episode of
 * `intents.length + 1` frames (frame 0 is the start view, intents[t] leads to frame t + 1; the
 * start pose's y is the eye, `eyeHeight` above the feet), policy `replay`, recorded headless in
 * Chromium like `recordDataset`. An episode already in
 * `out` with the same meta is kept, and the meta does not hold the intents: give each set of
 * replays its own folder.
 */
export async function recordReplays(options: RecordReplaysOptions): Promise<RecordSummary> {
  const scene = options.scene ?? 'arena';
  const source = resolveSceneSource(scene);
  const width = options.width ?? 64;
  const height = options.height ?? 64;
  const tickHz = options.tickHz ?? 20;
  const eyeHeight = eyeHeightOf(options, 'recordReplays');
  const display = displayOf(options, width, height, Math.max(0, ...options.replays.map((r) => r.intents.length + 1)), 'recordReplays');
  const seeds = new Set(options.replays.map((r) => r.seed));
  if (seeds.size !== options.replays.length) throw new NextframeError('bad-options', 'recordReplays: every replay needs its own seed (it names the episode folder).');
  const plans = options.replays.map((r) => ({
    meta: episodeMeta(source.id, r.seed, 'replay', r.intents.length + 1, width, height, tickHz, eyeHeight, display),
    replay: { start: r.start, intents: r.intents },
  }));
  return recordEpisodes({
    out: options.out,
    scene: source,
    policy: 'replay',
    plans,
    ...(options.supersample !== undefined ? { supersample: options.supersample } : {}),
    ...(options.chunkTicks !== undefined ? { chunkTicks: options.chunkTicks } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onEpisode ? { onEpisode: options.onEpisode } : {}),
  });
}
