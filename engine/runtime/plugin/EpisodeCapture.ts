import { DEFAULT_ACTION_SLOTS, POSE_SIZE } from '../../../worldmodel/dataset/actionLayout.ts';
import { episodeDirName, episodeMeta } from '../../../worldmodel/dataset/episode.ts';
import { toFloat16Array } from '../../../worldmodel/dataset/npy.ts';
import { frameToRgbBytes } from '../../../worldmodel/frames.ts';
import { episodeFileList, tarFiles } from '../../../worldmodel/dataset/episodeArchive.ts';
import type { Episode } from '../../../worldmodel/dataset/episode.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { NextframeError } from '../../../worldmodel/index.ts';

/** Where the dev server (vite plug-in `episodeUploads`) takes episodes posted by record mode. */
export const EPISODE_UPLOAD_PATH = '/__nextframe/episodes';

export interface EpisodeCaptureOptions {
  /** Model resolution, pixels. */
  width: number;
  height: number;
  tickHz: number;
  /** The player's eye height above the floor, metres (recorded into meta.json). Default 1.6. */
  eyeHeight?: number;
  /** The camera the frames were rendered with (the model's). */
  camera: { fovYDegrees: number; near: number; far: number };
  /** The scene played: id and content hash (recorded into meta.json). */
  scene: { id: string; hash?: string };
  /** Episode seed: names the folder (`episode-<seed>`). Default: seconds since 2020, so episodes never collide. */
  seed?: number;
  /** Who played. Default `human`. */
  policy?: string;
  /** Stop taking ticks after this many (5 minutes at 20 Hz by default): memory stays bounded. */
  maxTicks?: number;
}

/**
 * The plug-in's record mode: a person's own play, tick by tick — the ground-truth view (overlays
 * hidden), proxy depth, camera pose and the raw action — kept in the dataset format the recorder
 * writes, so `check-data` and `train` take it as they are. No three, no DOM: the plug-in feeds it.
 */
export class EpisodeCapture {
  readonly width: number;
  readonly height: number;
  readonly seed: number;
  readonly maxTicks: number;
  private readonly options: EpisodeCaptureOptions;
  private readonly frames: Uint8Array[] = [];
  private readonly depth: Uint16Array[] = [];
  private readonly poses: number[] = [];
  private readonly actions: number[] = [];

  constructor(options: EpisodeCaptureOptions) {
    this.options = options;
    this.width = options.width;
    this.height = options.height;
    this.seed = options.seed ?? Math.floor((Date.now() - Date.UTC(2020, 0, 1)) / 1000);
    this.maxTicks = options.maxTicks ?? 6000;
  }

  get ticks(): number {
    return this.frames.length;
  }

  get full(): boolean {
    return this.ticks >= this.maxTicks;
  }

  /**
   * Take one tick: `frame` CHW float32 in [−1, 1] (what `TruthCapture` gives), `depth` metres
   * (H·W), the camera pose, and the raw 7-slot action that led here (zeros for the first tick).
   * Returns false once full.
   */
  add(frame: Float32Array, depth: Float32Array, pose: Readonly<Pose>, action: ArrayLike<number>): boolean {
    if (this.full) return false;
    const { width: W, height: H } = this;
    if (frame.length !== 3 * W * H || depth.length !== W * H) {
      throw new NextframeError('bad-frame', `EpisodeCapture: expected a 3×${H}×${W} frame and ${H}×${W} depth, found ${frame.length} and ${depth.length} values. Pass the frame and depth at the capture's resolution.`);
    }
    this.frames.push(frameToRgbBytes(frame, new Uint8Array(H * W * 3)));
    this.depth.push(toFloat16Array(depth));
    this.poses.push(pose.x, pose.y, pose.z, pose.yaw, pose.pitch);
    const first = this.frames.length === 1;
    for (let k = 0; k < DEFAULT_ACTION_SLOTS.length; k++) this.actions.push(first ? 0 : (action[k] ?? 0));
    return true;
  }

  /** The episode so far, in the dataset format. Needs at least 2 ticks (a start view and one step). */
  episode(): Episode {
    const T = this.ticks;
    if (T < 2) throw new NextframeError('bad-episode', `EpisodeCapture: an episode needs at least 2 ticks (the start view and one step), found ${T}; play a little longer before saving.`);
    const { width: W, height: H } = this;
    const o = this.options;
    const meta = episodeMeta(o.scene.id, this.seed, o.policy ?? 'human', T, W, H, o.tickHz, o.eyeHeight);
    meta.camera = { fovYDegrees: o.camera.fovYDegrees, aspect: W / H, near: o.camera.near, far: o.camera.far };
    if (o.scene.hash) meta.sceneHash = o.scene.hash;
    const frames = new Uint8Array(T * H * W * 3);
    const depth = new Uint16Array(T * H * W);
    this.frames.forEach((f, t) => frames.set(f, t * H * W * 3));
    this.depth.forEach((d, t) => depth.set(d, t * H * W));
    return { meta, frames, depth, poses: Float32Array.from(this.poses.slice(0, T * POSE_SIZE)), actions: Float32Array.from(this.actions) };
  }

  /** The episode as a tar of its folder (`episode-<seed>/meta.json`, `….npy`): one file to download or post. */
  tar(): Uint8Array {
    const dir = episodeDirName(this.seed);
    return tarFiles(episodeFileList(this.episode()).map((f) => ({ name: `${dir}/${f.name}`, bytes: f.bytes })));
  }

  /** The folder name the episode unpacks to. */
  get folder(): string {
    return episodeDirName(this.seed);
  }
}

/**
 * Save a recorded episode from the page: posted to the dev server when it takes episodes
 * (`episodeUploads` in the vite config: written to data/recorded/ and checked), otherwise
 * downloaded as `episode-<seed>.tar` (unpack it into a dataset folder). `mode` forces one way.
 */
export async function saveRecording(capture: EpisodeCapture, mode: 'auto' | 'server' | 'download' = 'auto'): Promise<{ how: 'server' | 'download'; where: string; ok: boolean; reasons: string[] }> {
  const tar = capture.tar();
  if (mode !== 'download') {
    try {
      const response = await fetch(EPISODE_UPLOAD_PATH, { method: 'POST', body: tar as Uint8Array<ArrayBuffer>, headers: { 'Content-Type': 'application/x-tar' } });
      if (response.ok || response.status === 400) {
        const saved = (await response.json()) as { dir?: string; ok: boolean; reasons: string[] };
        return { how: 'server', where: saved.dir ?? '', ok: saved.ok, reasons: saved.reasons };
      }
      if (mode === 'server') throw new NextframeError('save-failed', `the dev server answered ${response.status}`);
    } catch (error) {
      if (mode === 'server') throw new NextframeError('save-failed', `saveRecording: could not post the episode to ${EPISODE_UPLOAD_PATH} (${(error as Error).message}); add episodeUploads() to your vite config's plugins, or save with mode 'download'.`, { cause: error });
    }
  }
  const name = `${capture.folder}.tar`;
  const url = URL.createObjectURL(new Blob([tar as Uint8Array<ArrayBuffer>], { type: 'application/x-tar' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { how: 'download', where: name, ok: true, reasons: [] };
}
