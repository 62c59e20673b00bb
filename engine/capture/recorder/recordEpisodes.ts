import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { POSE_SIZE } from '../../../worldmodel/dataset/actionLayout.ts';
import { DEFAULT_EYE_HEIGHT, episodeDirName, type EpisodeMeta } from '../../../worldmodel/dataset/episode.ts';
import { checkEpisodeDir, writeEpisode, type Episode } from '../dataset/episodeFiles.ts';
import type { ReplayScript } from '../players/ReplayPlayer.ts';
import { base64ToBytes } from '../../../worldmodel/dataset/base64.ts';
import { callPageApi, launchChromium, openReadyPage } from './chromium.ts';
import { startRecorderServer } from './recorderServer.ts';
import type { EncodedChunk, RecorderOpened, RecorderPageApi } from './recorderPage.ts';
import type { SceneSource } from './sceneSource.ts';

/** One episode to record: its folder's seed, its full meta, and, for a replay, the script. */
export interface EpisodePlan {
  meta: EpisodeMeta;
  /** Play these intents from this start pose instead of the scripted player `meta.policy`. */
  replay?: ReplayScript;
  /**
   * Seed the scene module is built with (`createScene({ seed })`). Default 0. A generator of
   * worlds builds a different world per seed; plans are recorded grouped by it, one build each.
   */
  sceneSeed?: number;
}

export interface RecordEpisodesOptions {
  /** Dataset folder; episodes go to `<out>/episode-<seed padded to 6>`. */
  out: string;
  /** The scene module (`resolveSceneSource`); every plan's `meta.scene` becomes the id of the scene it was recorded in. */
  scene: SceneSource;
  /** For the summary: the scripted player's name, or `replay`. */
  policy: string;
  plans: readonly EpisodePlan[];
  /** Render at this multiple of the resolution and average down (anti-aliasing). Default 2. */
  supersample?: number;
  /** Ticks per page round trip. Default 100. */
  chunkTicks?: number;
  onProgress?: (done: number, total: number) => void;
  onEpisode?: (seed: number, verdict: 'written' | 'refused', seconds: number) => void;
}

export interface RecordSummary {
  out: string;
  /** Id of the (first) scene as built. */
  scene: string;
  /** Content hash of the (first) scene as built (`sceneFingerprint`), also in every episode's meta. */
  sceneHash: string | null;
  /** Every scene built, in order: one per scene seed of the plans. */
  scenes: { seed: number; id: string; hash: string }[];
  policy: string;
  seeds: [number, number];
  /** Newly recorded episodes that passed the checker. */
  written: number;
  /** Complete episodes already on disk, kept and skipped. */
  kept: number;
  /** Broken episodes found on disk and recorded again. */
  replaced: number;
  /** Newly recorded episodes the checker refused (left as `<dir>.refused`). */
  refused: { seed: number; reasons: string[] }[];
  /** Size of the display frames each episode also stores (`display.npy`), or null for none. */
  display: { width: number; height: number } | null;
  /** Ticks (frames) recorded in this run. */
  ticks: number;
  /** Bytes written in this run. */
  bytes: number;
  seconds: number;
  framesPerSecond: number;
  /** Milliseconds per frame inside the page, by part. */
  msPerFrame: { physics: number; render: number; readback: number; depth: number };
  renderer: string | null;
}

/**
 * The engine of `recordDataset` and `recordReplays`: start the repo's vite server and Chromium,
 * open the recorder page, and record each planned episode not already on disk, writing it as an
 * episode folder. Resumable: complete episodes that pass the checker and have the same meta are
 * kept. All plans share one resolution and display size (the first plan's).
 */
export async function recordEpisodes(options: RecordEpisodesOptions): Promise<RecordSummary> {
  const { scene } = options;
  const started = performance.now();
  const chunkTicks = Math.max(1, options.chunkTicks ?? 100);
  mkdirSync(options.out, { recursive: true });
  const seeds = options.plans.map((p) => p.meta.seed);
  const summary: RecordSummary = {
    out: options.out,
    scene: scene.id,
    sceneHash: null,
    scenes: [],
    policy: options.policy,
    seeds: seeds.length > 0 ? [Math.min(...seeds), Math.max(...seeds)] : [0, -1],
    written: 0,
    kept: 0,
    replaced: 0,
    refused: [],
    display: options.plans[0]?.meta.display ?? null,
    ticks: 0,
    bytes: 0,
    seconds: 0,
    framesPerSecond: 0,
    msPerFrame: { physics: 0, render: 0, readback: 0, depth: 0 },
    renderer: null,
  };

  // Each scene is built before its episodes: its id and content hash go into every episode's
  // meta, so a kept episode is one recorded from the same scene as built today. Plans are
  // grouped by scene seed (first appearance order), one build of the page's scene per group.
  const groups = new Map<number, EpisodePlan[]>();
  for (const plan of options.plans) {
    const seed = plan.sceneSeed ?? 0;
    const group = groups.get(seed);
    if (group) group.push(plan);
    else groups.set(seed, [plan]);
  }
  // What is on disk, checked once: the meta of each planned episode that passes the checker.
  const onDisk = new Map(options.plans.map((p) => [p.meta.seed, checkedMeta(join(options.out, episodeDirName(p.meta.seed)))]));
  // Progress counts what is not already complete on disk (before the scene hash is known).
  const total = options.plans.filter((p) => !sameMeta(onDisk.get(p.meta.seed) ?? null, p.meta, true)).reduce((n, p) => n + p.meta.ticks, 0);
  let done = 0;
  const first = options.plans[0]?.meta.resolution ?? { width: 64, height: 64 };
  const view = { width: first.width, height: first.height, supersample: options.supersample ?? 2, display: summary.display };
  const [firstSeed] = groups.keys();
  await withRecorderPage(scene, { ...view, sceneSeed: firstSeed ?? 0 }, 'record', async (page, firstOpened) => {
    summary.renderer = firstOpened.renderer;
    summary.scene = firstOpened.scene.id;
    summary.sceneHash = firstOpened.scene.hash;
    for (const [sceneSeed, group] of groups) {
      const opened = sceneSeed === firstSeed ? firstOpened : await openScene(page, scene, { ...view, sceneSeed }, 'record');
      summary.scenes.push({ seed: sceneSeed, id: opened.scene.id, hash: opened.scene.hash });
      const plans = group.map((p) => ({ ...p, meta: { ...p.meta, scene: opened.scene.id, sceneHash: opened.scene.hash } }));

      const todo: EpisodePlan[] = [];
      for (const plan of plans) {
        const dir = join(options.out, episodeDirName(plan.meta.seed));
        if (!existsSync(dir)) {
          todo.push(plan);
        } else if (sameMeta(onDisk.get(plan.meta.seed) ?? null, plan.meta)) {
          summary.kept++;
        } else {
          summary.replaced++;
          todo.push(plan);
        }
      }

      for (const plan of todo) {
        const { seed } = plan.meta;
        const episodeStarted = performance.now();
        const episode = await recordEpisode(page, plan, chunkTicks, summary.msPerFrame, (n) => {
          done += n;
          options.onProgress?.(done, Math.max(total, done));
        });
        const dir = join(options.out, episodeDirName(seed));
        summary.bytes += writeEpisode(dir, episode);
        summary.ticks += plan.meta.ticks;
        const verdict = checkEpisodeDir(dir);
        if (verdict.ok) {
          summary.written++;
        } else {
          rmSync(`${dir}.refused`, { recursive: true, force: true });
          renameSync(dir, `${dir}.refused`);
          summary.refused.push({ seed, reasons: verdict.reasons });
        }
        options.onEpisode?.(seed, verdict.ok ? 'written' : 'refused', (performance.now() - episodeStarted) / 1000);
      }
    }
  });

  summary.seconds = (performance.now() - started) / 1000;
  summary.framesPerSecond = summary.ticks / Math.max(1e-9, summary.seconds);
  for (const key of Object.keys(summary.msPerFrame) as (keyof RecordSummary['msPerFrame'])[]) {
    summary.msPerFrame[key] = summary.ticks > 0 ? summary.msPerFrame[key] / summary.ticks : 0;
  }
  return summary;
}

/** What the recorder page renders: the model's resolution and the supersampling. */
export interface RecorderView {
  width: number;
  height: number;
  supersample: number;
  /** Also record the truth at this size (a multiple ≥ 2 of the resolution); default none. */
  display?: { width: number; height: number } | null;
  /** Seed the scene module is built with. Default 0. */
  sceneSeed?: number;
}

/**
 * Start the repo's vite server (allowed to read the scene module's folder) and headless
 * Chromium, open the recorder page, build `scene` in it (`view.sceneSeed`, default 0) and hand the page and what
 * it opened to `use`; then close the recorder, Chromium and the server, however `use` ends.
 * Errors from the page start with `what` (the caller's name: `record`, `loadSceneLayout`).
 */
export async function withRecorderPage<T>(scene: SceneSource, view: RecorderView, what: string, use: (page: Page, opened: RecorderOpened) => Promise<T>): Promise<T> {
  const server = await startRecorderServer({ allow: [scene.folder] });
  let browser: Browser | null = null;
  try {
    browser = await launchChromium();
    const page = await openReadyPage(browser, `${server.url}/engine/capture/recorder/recorder.html`, `${what}: the recorder page`, 60_000);
    const opened = await openScene(page, scene, view, what);
    const result = await use(page, opened);
    await callPage(page, what, 'close');
    return result;
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** (Re)build the page's scene: the previous one, if any, is disposed first. */
export function openScene(page: Page, scene: SceneSource, view: RecorderView, what: string): Promise<RecorderOpened> {
  const { sceneSeed = 0, ...size } = view;
  return callPage<RecorderOpened>(page, what, 'open', { scene: scene.url, sceneId: scene.id, sceneSeed, ...size });
}

async function recordEpisode(page: Page, plan: EpisodePlan, chunkTicks: number, ms: RecordSummary['msPerFrame'], progress: (ticks: number) => void): Promise<Episode> {
  const { meta } = plan;
  const T = meta.ticks;
  const { width: W, height: H } = meta.resolution;
  const A = meta.actions.length;
  const Dn = meta.display ? meta.display.width * meta.display.height * 3 : 0; // bytes of one display frame
  const episode: Episode = {
    meta,
    frames: new Uint8Array(T * H * W * 3),
    depth: new Uint16Array(T * H * W),
    poses: new Float32Array(T * POSE_SIZE),
    actions: new Float32Array(T * A),
    ...(Dn > 0 ? { display: new Uint8Array(T * Dn) } : {}),
  };
  // Display frames are large (256² is 192 KiB a tick): keep each page round trip under ~16 MB of them.
  const ticksPerCall = Dn > 0 ? Math.max(1, Math.min(chunkTicks, Math.floor(16e6 / Dn))) : chunkTicks;
  await callPage(page, 'record', 'begin', meta.seed, meta.policy, plan.replay ?? null, meta.eyeHeight ?? DEFAULT_EYE_HEIGHT);
  for (let t = 0; t < T; t += ticksPerCall) {
    const n = Math.min(ticksPerCall, T - t);
    const chunk = await callPage<EncodedChunk>(page, 'record', 'record', n);
    if (episode.display) episode.display.set(base64ToBytes(chunk.display), t * Dn);
    episode.frames.set(base64ToBytes(chunk.frames), t * H * W * 3);
    episode.depth.set(new Uint16Array(base64ToBytes(chunk.depth).buffer), t * H * W);
    episode.poses.set(new Float32Array(base64ToBytes(chunk.poses).buffer), t * POSE_SIZE);
    episode.actions.set(new Float32Array(base64ToBytes(chunk.actions).buffer), t * A);
    for (const key of Object.keys(ms) as (keyof typeof ms)[]) ms[key] += chunk.ms[key];
    progress(n);
  }
  await callPage(page, 'record', 'end');
  return episode;
}

/** The meta of the episode in `dir` when it passes the checker; null when it is missing or broken. */
function checkedMeta(dir: string): EpisodeMeta | null {
  if (!existsSync(dir) || !checkEpisodeDir(dir).ok) return null;
  return JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as EpisodeMeta;
}

/**
 * An existing episode is kept when it passes the checker (`found` not null) and was recorded with
 * the same settings (`ignoreScene`: all but the scene's id and hash, for counting work before the
 * scene is built). A meta without `eyeHeight` was recorded at the default one.
 */
function sameMeta(found: EpisodeMeta | null, wanted: EpisodeMeta, ignoreScene = false): boolean {
  if (!found) return false;
  const comparable = ({ eyeHeight = DEFAULT_EYE_HEIGHT, ...m }: EpisodeMeta) => JSON.stringify({ ...(ignoreScene ? { ...m, scene: '', sceneHash: '' } : m), eyeHeight });
  return comparable(found) === comparable(wanted);
}

/** Call the recorder page's API (`window.nextframeRecorder`); see `callPageApi`. */
function callPage<T = void>(page: Page, what: string, method: keyof RecorderPageApi, ...args: unknown[]): Promise<T> {
  return callPageApi<T>(page, what, 'nextframeRecorder', method, ...args);
}
