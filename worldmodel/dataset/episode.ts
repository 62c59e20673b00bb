import { z } from 'zod';
import { actionSlotSchema, cameraSchema } from '../manifestSchema.ts';
import { float16ToFloat32, type NpyArray, type NpyDtype } from './npy.ts';
import { DEFAULT_ACTION_SLOTS, DEFAULT_CAMERA, POSE_SIZE } from './actionLayout.ts';
import { boxDownsampleRgb } from './boxDownsample.ts';

/**
 * One recorded episode (a folder): `meta.json` plus four `.npy` arrays, and a fifth when meta
 * has `display`. Python reads the arrays with numpy memmaps, so this layout is a contract:
 *
 *   frames.npy  uint8   [T, H, W, 3]  ground-truth render, row 0 = top, no overlay objects
 *   depth.npy   float16 [T, H, W]     proxy view-space depth in metres (misses = far)
 *   poses.npy   float32 [T, 5]        camera x, y, z, yaw, pitch
 *   actions.npy float32 [T, A]        raw slot values; actions[t] led from frame t−1 to t; actions[0] = 0
 *   display.npy uint8   [T, Hd, Wd, 3] optional: the same views at display resolution (Hd = H·f,
 *                                      Wd = W·f, f ≥ 2); box-averaged by f they are frames.npy
 */

export const EPISODE_FORMAT = 'nextframe.episode';
export const EPISODE_FORMAT_VERSION = 1;
export const EPISODE_FILES = ['meta.json', 'frames.npy', 'depth.npy', 'poses.npy', 'actions.npy'] as const;
/** The optional file: the truth at display resolution, present exactly when meta has `display`. */
export const DISPLAY_FILE = 'display.npy';
/**
 * How far a display frame box-averaged to the model resolution may be from the model frame, as a
 * mean absolute difference in 8-bit levels: the recorder makes one from the other (rounding only,
 * ≤ 0.5), so this only catches display frames of other views (flipped, shifted, another tick).
 */
export const DISPLAY_TOLERANCE = 2;
/** The player's eye height above the floor, metres, when an episode's meta does not say (recorded before it did). */
export const DEFAULT_EYE_HEIGHT = 1.6;

const positiveInt = z.number().int().positive();

export const episodeMetaSchema = z.object({
  format: z.literal(EPISODE_FORMAT),
  formatVersion: z.literal(EPISODE_FORMAT_VERSION),
  scene: z.string().min(1),
  /** Content hash of the scene as built (absent in episodes recorded before scene modules). */
  sceneHash: z.string().min(1).optional(),
  seed: z.number().int().nonnegative(),
  policy: z.string().min(1),
  tickHz: z.number().positive(),
  /** The player's eye height above the floor, metres (absent in older episodes: `DEFAULT_EYE_HEIGHT`). */
  eyeHeight: z.number().positive().finite().optional(),
  ticks: positiveInt,
  resolution: z.object({ width: positiveInt, height: positiveInt }),
  /**
   * Size of `display.npy`'s frames (absent: the episode has none): an integer multiple f ≥ 2 of
   * the resolution, the same f on both sides.
   */
  display: z.object({ width: positiveInt, height: positiveInt }).optional(),
  camera: cameraSchema,
  actions: z.array(actionSlotSchema).min(1),
});

export type EpisodeMeta = z.infer<typeof episodeMetaSchema>;

/** An episode's contents as read from disk (parsed arrays; meta as found, not yet validated). */
export interface EpisodeFiles {
  meta?: unknown;
  frames?: NpyArray;
  depth?: NpyArray;
  poses?: NpyArray;
  actions?: NpyArray;
  display?: NpyArray;
}

export type EpisodeVerdict = { ok: true } | { ok: false; reasons: string[] };

/** Folder name of an episode: `episode-000042`. */
export function episodeDirName(seed: number): string {
  return `episode-${String(seed).padStart(6, '0')}`;
}

/**
 * Validate an episode against the contract: every file present, meta valid, shapes and dtypes
 * consistent with meta, no NaN/∞, depth in [0, far], buttons 0/1, actions[0] = 0; display
 * frames exactly when meta has `display`, of its size, showing the views of frames.npy. Collects
 * every reason instead of stopping at the first.
 */
export function checkEpisode(files: EpisodeFiles): EpisodeVerdict {
  const reasons: string[] = [];
  const parsed = files.meta === undefined ? null : episodeMetaSchema.safeParse(files.meta);
  if (parsed === null) reasons.push('meta.json is missing');
  else if (!parsed.success) reasons.push(`meta.json is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const meta = parsed?.success ? parsed.data : null;
  const T = meta?.ticks;
  const H = meta?.resolution.height;
  const W = meta?.resolution.width;
  const A = meta?.actions.length;

  const expect = (name: string, array: NpyArray | undefined, dtype: NpyDtype, shape: (number | undefined)[]): boolean => {
    if (!array) {
      reasons.push(`${name}.npy is missing`);
      return false;
    }
    if (array.dtype !== dtype) reasons.push(`${name}.npy: expected dtype ${dtype}, found ${array.dtype}`);
    const shapeOk = array.shape.length === shape.length && shape.every((d, i) => d === undefined || array.shape[i] === d);
    if (!shapeOk) reasons.push(`${name}.npy: expected shape [${shape.map((d) => d ?? '?').join(', ')}], found [${array.shape.join(', ')}]`);
    return array.dtype === dtype && shapeOk;
  };

  const framesOk = expect('frames', files.frames, 'uint8', [T, H, W, 3]);
  if (meta?.display) {
    const { width: Wd, height: Hd } = meta.display;
    const f = Wd / W!;
    if (!Number.isInteger(f) || f < 2 || Hd !== H! * f) {
      reasons.push(`meta.json: display ${Wd}×${Hd} must be the resolution ${W}×${H} times one integer ≥ 2 on both sides (e.g. ${W! * 4}×${H! * 4})`);
    } else if (expect('display', files.display, 'uint8', [T, Hd, Wd, 3]) && framesOk) {
      const off = displayMismatch(files.display!.data as Uint8Array, files.frames!.data as Uint8Array, T!, W!, H!, f);
      if (off > DISPLAY_TOLERANCE) reasons.push(`display.npy: averaged down to ${W}×${H} it differs from frames.npy by ${off.toFixed(1)} levels (mean absolute, worst sampled tick; expected ≤ ${DISPLAY_TOLERANCE}): not the same views`);
    }
  } else if (files.display && meta) {
    reasons.push('display.npy is present but meta.json has no display size; record the episode again (record --display) or delete display.npy');
  }
  if (expect('depth', files.depth, 'float16', [T, H, W])) {
    const far = meta?.camera.far ?? Infinity;
    const bad = countBad(files.depth!.data as Uint16Array, (bits) => {
      const d = float16ToFloat32(bits);
      return !Number.isFinite(d) || d < 0 || d > far * 1.001 + 0.05; // float16 rounds 60 to 60, allow slack
    });
    if (bad > 0) reasons.push(`depth.npy: ${bad} values are NaN, infinite or outside [0, ${far}] metres`);
  }
  if (expect('poses', files.poses, 'float32', [T, POSE_SIZE])) {
    const poses = files.poses!.data as Float32Array;
    const bad = countBad(poses, (v) => !Number.isFinite(v));
    if (bad > 0) reasons.push(`poses.npy: ${bad} values are NaN or infinite`);
    let badPitch = 0;
    for (let i = 4; i < poses.length; i += POSE_SIZE) if (Math.abs(poses[i]!) > Math.PI / 2 + 1e-3) badPitch++;
    if (badPitch > 0) reasons.push(`poses.npy: ${badPitch} pitches outside [−π/2, π/2]`);
  }
  if (expect('actions', files.actions, 'float32', [T, A])) {
    const actions = files.actions!.data as Float32Array;
    const bad = countBad(actions, (v) => !Number.isFinite(v));
    if (bad > 0) reasons.push(`actions.npy: ${bad} values are NaN or infinite`);
    const a = files.actions!.shape[1] ?? 0;
    for (let i = 0; i < a; i++) {
      if (actions[i] !== 0) {
        reasons.push(`actions.npy: actions[0] must be all zeros (no action led to the first frame), found ${Array.from(actions.subarray(0, a)).join(', ')}`);
        break;
      }
    }
    meta?.actions.forEach((slot, s) => {
      // An axis may exceed its scale (the codec clamps) but not by a teleport's worth.
      const limit = slot.kind === 'button' ? null : slot.scale * 10;
      let wrong = 0;
      for (let i = s; i < actions.length; i += a) {
        const v = actions[i]!;
        if (limit === null ? v !== 0 && v !== 1 : Math.abs(v) > limit) wrong++;
      }
      if (wrong > 0) reasons.push(`actions.npy: slot "${slot.name}" has ${wrong} values ${limit === null ? 'other than 0 or 1' : `beyond ±${limit} ${slot.unit}`}`);
    });
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/** The worst mean absolute difference between box-averaged display frames and frames, over a few ticks (first, middle, last). */
function displayMismatch(display: Uint8Array, frames: Uint8Array, T: number, W: number, H: number, f: number): number {
  const n = W * H * 3;
  const small = new Uint8Array(n);
  let worst = 0;
  for (const t of new Set([0, T >> 1, T - 1])) {
    boxDownsampleRgb(display.subarray(t * n * f * f, (t + 1) * n * f * f), W, H, f, small);
    let sum = 0;
    for (let i = 0, o = t * n; i < n; i++, o++) sum += Math.abs(small[i]! - frames[o]!);
    worst = Math.max(worst, sum / n);
  }
  return worst;
}

function countBad<T extends ArrayLike<number>>(data: T, isBad: (v: number) => boolean): number {
  let bad = 0;
  for (let i = 0; i < data.length; i++) if (isBad(data[i]!)) bad++;
  return bad;
}

/**
 * The meta.json of a recorded episode (shared by scripted and replayed recordings); `eyeHeight` in
 * metres; `display`: the size of its display frames, when it has them.
 */
export function episodeMeta(scene: string, seed: number, policy: string, ticks: number, width: number, height: number, tickHz: number, eyeHeight = DEFAULT_EYE_HEIGHT, display?: { width: number; height: number }): EpisodeMeta {
  return {
    format: EPISODE_FORMAT,
    formatVersion: EPISODE_FORMAT_VERSION,
    scene,
    seed,
    policy,
    tickHz,
    eyeHeight,
    ticks,
    resolution: { width, height },
    ...(display ? { display: { width: display.width, height: display.height } } : {}),
    camera: { ...DEFAULT_CAMERA, aspect: width / height },
    actions: [...DEFAULT_ACTION_SLOTS],
  };
}

/** An episode in memory, as the recorder produces it and training reads it. */
export interface Episode {
  meta: EpisodeMeta;
  /** uint8 [T, H, W, 3] */
  frames: Uint8Array;
  /** float16 bits [T, H, W], metres */
  depth: Uint16Array;
  /** float32 [T, 5] */
  poses: Float32Array;
  /** float32 [T, A] */
  actions: Float32Array;
  /** uint8 [T, Hd, Wd, 3] at `meta.display`'s size, when the episode has display frames. */
  display?: Uint8Array;
}
