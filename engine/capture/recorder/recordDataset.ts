import { DEFAULT_EYE_HEIGHT, episodeMeta } from '../../../worldmodel/dataset/episode.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { resolveSceneSource } from './sceneSource.ts';
import { PLAYERS } from '../players/createPlayer.ts';
import { recordEpisodes, type RecordSummary } from './recordEpisodes.ts';

export type { RecordSummary } from './recordEpisodes.ts';
export { episodeMeta } from '../../../worldmodel/dataset/episode.ts';

/** What every recording takes, scripted or replayed. */
export interface RecordingSettings {
  /**
   * A built-in world id (`arena`, `dusk-street`, `generated`) or the path of a scene module.
   * Default `arena`. The scene is built with scene seed 0 (see `sceneSeeds`).
   */
  scene?: string;
  /** Dataset folder; episodes go to `<out>/episode-<seed padded to 6>`. */
  out: string;
  /** Model resolution. Default 64 × 64. */
  width?: number;
  height?: number;
  tickHz?: number;
  /**
   * The player's eye height above the floor, metres, in (0.2, 10]: where the camera sits on the
   * character (its collision capsule stays 1.75 m tall). Default 1.6. Written to each episode's meta.
   */
  eyeHeight?: number;
  /** Render at this multiple of the resolution and average down (anti-aliasing). Default 2. */
  supersample?: number;
  /**
   * Also store the truth at this display width, pixels (`display.npy`, the height in proportion):
   * a multiple f ≥ 2 of the width, e.g. 256 for a 64 × 64 model. The views are drawn once at the
   * display size × `supersample`; the model frames are the display frames averaged down by f.
   * Depth and the rest stay at the model's resolution. Default: none.
   */
  display?: number;
  /** Ticks per page round trip (bigger: fewer transfers, coarser progress). Default 100. */
  chunkTicks?: number;
  /** Called after each chunk with ticks done and ticks to record in this run. */
  onProgress?: (done: number, total: number) => void;
  /** Called after each episode is written (or refused). */
  onEpisode?: (seed: number, verdict: 'written' | 'refused', seconds: number) => void;
}

export interface RecordOptions extends RecordingSettings {
  episodes: number;
  ticks: number;
  /** Scripted player, or several comma-separated (`wander,explore`) taken in turn by each world's episodes. Default `wander`. */
  policy?: string;
  /** First episode seed; episodes use seedStart … seedStart + episodes × scene seeds − 1. Default 0. */
  seedStart?: number;
  /**
   * Build the scene with each of these seeds in turn and record `episodes` episodes in each
   * (a world generator's worlds: `generated` builds world n from seed n). Default [0].
   */
  sceneSeeds?: readonly number[];
}


/**
 * Record a dataset headless: start the repo's vite server and Chromium, open the recorder page,
 * and record each episode seed not already on disk, writing it as an episode folder.
 * Resumable: complete episodes that pass the checker and match the request are kept.
 */
export async function recordDataset(options: RecordOptions): Promise<RecordSummary> {
  const scene = options.scene ?? 'arena';
  const policy = options.policy ?? 'wander';
  const seedStart = options.seedStart ?? 0;
  const width = options.width ?? 64;
  const height = options.height ?? 64;
  const tickHz = options.tickHz ?? 20;
  const eyeHeight = eyeHeightOf(options, 'record');
  const display = displayOf(options, width, height, options.ticks, 'record');
  const source = resolveSceneSource(scene);
  // `wander,explore`: the episodes of each world take the players in turn.
  const policies = policy.split(',').map((p) => p.trim());
  for (const p of policies) if (!PLAYERS[p]) throw new NextframeError('bad-policy', `record: unknown policy "${p}"; known: ${Object.keys(PLAYERS).join(', ')} (several: comma-separated, taken in turn).`);
  const sceneSeeds = options.sceneSeeds ?? [0];
  if (sceneSeeds.length === 0 || !sceneSeeds.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new NextframeError('bad-argument', `record: scene seeds must be one or more integers ≥ 0, found [${sceneSeeds.join(', ')}].`);
  }
  const plans = sceneSeeds.flatMap((sceneSeed, w) =>
    Array.from({ length: options.episodes }, (_, i) => ({ sceneSeed, meta: episodeMeta(source.id, seedStart + w * options.episodes + i, policies[i % policies.length]!, options.ticks, width, height, tickHz, eyeHeight, display) })),
  );
  return recordEpisodes({
    out: options.out,
    scene: source,
    policy,
    plans,
    ...(options.supersample !== undefined ? { supersample: options.supersample } : {}),
    ...(options.chunkTicks !== undefined ? { chunkTicks: options.chunkTicks } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onEpisode ? { onEpisode: options.onEpisode } : {}),
  });
}

/** `settings.eyeHeight` checked, or the default; errors start with `what`. */
export function eyeHeightOf(settings: Pick<RecordingSettings, 'eyeHeight'>, what: string): number {
  const eyeHeight = settings.eyeHeight ?? DEFAULT_EYE_HEIGHT;
  if (typeof eyeHeight !== 'number' || !Number.isFinite(eyeHeight) || eyeHeight <= 0.2 || eyeHeight > 10) {
    throw new NextframeError('bad-options', `${what}: eyeHeight must be a number of metres above the floor in (0.2, 10] (default ${DEFAULT_EYE_HEIGHT}), found ${String(eyeHeight)}.`);
  }
  return eyeHeight;
}

/** Display frames held in memory per episode, at most (the episode is written whole). */
const MAX_DISPLAY_BYTES = 2 ** 30;

/**
 * `settings.display` checked against the resolution: the display size, or undefined for none.
 * `ticks`: the longest episode, whose display frames (held in memory until written) must fit in
 * 1 GiB. Errors start with `what`.
 */
export function displayOf(settings: Pick<RecordingSettings, 'display'>, width: number, height: number, ticks: number, what: string): { width: number; height: number } | undefined {
  const display = settings.display;
  if (display === undefined) return undefined;
  const f = display / width;
  if (typeof display !== 'number' || !Number.isInteger(display) || !Number.isInteger(f) || f < 2 || f > 16) {
    throw new NextframeError('bad-options', `${what}: display must be a width in pixels that is 2 to 16 times the model's width ${width} (e.g. ${width * 4}), found ${String(display)}.`);
  }
  const size = { width: display, height: height * f };
  const bytes = ticks * size.width * size.height * 3;
  if (bytes > MAX_DISPLAY_BYTES) {
    throw new NextframeError('bad-options', `${what}: display frames at ${size.width}×${size.height} for ${ticks} ticks would be ${(bytes / 1e9).toFixed(1)} GB per episode, held in memory until it is written; record at most ${Math.floor(MAX_DISPLAY_BYTES / (size.width * size.height * 3))} ticks per episode with display frames, or a smaller display size.`);
  }
  return size;
}
