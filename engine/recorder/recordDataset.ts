import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_ACTION_SLOTS, DEFAULT_CAMERA, POSE_SIZE } from '../../worldmodel/dataset/actionLayout.ts';
import { EPISODE_FORMAT, EPISODE_FORMAT_VERSION, episodeDirName, type EpisodeMeta } from '../../worldmodel/dataset/episode.ts';
import { checkEpisodeDir, writeEpisode, type Episode } from '../dataset/episodeFiles.ts';
import { SCENES } from '../scene/arenaScene.ts';
import { PLAYERS } from '../players/createPlayer.ts';
import { base64ToBytes } from './base64.ts';
import { launchChromium } from './chromium.ts';
import { startRecorderServer } from './recorderServer.ts';
import type { EncodedChunk, RecorderPageApi } from './recorderPage.ts';

export interface RecordOptions {
  /** Scene id. Default `arena`. The layout is fixed by scene seed 0, so all episodes share one world. */
  scene?: string;
  episodes: number;
  ticks: number;
  /** Scripted player. Default `wander`. */
  policy?: string;
  /** Dataset folder; episodes go to `<out>/episode-<seed padded to 6>`. */
  out: string;
  /** First episode seed; episodes use seedStart … seedStart + episodes − 1. Default 0. */
  seedStart?: number;
  /** Model resolution. Default 64 × 64. */
  width?: number;
  height?: number;
  tickHz?: number;
  /** Render at this multiple of the resolution and average down (anti-aliasing). Default 2. */
  supersample?: number;
  /** Ticks per page round trip (bigger: fewer transfers, coarser progress). Default 100. */
  chunkTicks?: number;
  /** Called after each chunk with ticks done and ticks to record in this run. */
  onProgress?: (done: number, total: number) => void;
  /** Called after each episode is written (or refused). */
  onEpisode?: (seed: number, verdict: 'written' | 'refused', seconds: number) => void;
}

export interface RecordSummary {
  out: string;
  scene: string;
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
  const chunkTicks = Math.max(1, options.chunkTicks ?? 100);
  if (!SCENES[scene]) throw new Error(`record: unknown scene "${scene}"; known: ${Object.keys(SCENES).join(', ')}.`);
  if (!PLAYERS[policy]) throw new Error(`record: unknown policy "${policy}"; known: ${Object.keys(PLAYERS).join(', ')}.`);
  const started = performance.now();
  mkdirSync(options.out, { recursive: true });

  const metaFor = (seed: number): EpisodeMeta => ({
    format: EPISODE_FORMAT,
    formatVersion: EPISODE_FORMAT_VERSION,
    scene,
    seed,
    policy,
    tickHz,
    ticks: options.ticks,
    resolution: { width, height },
    camera: { ...DEFAULT_CAMERA, aspect: width / height },
    actions: [...DEFAULT_ACTION_SLOTS],
  });

  const summary: RecordSummary = {
    out: options.out,
    scene,
    policy,
    seeds: [seedStart, seedStart + options.episodes - 1],
    written: 0,
    kept: 0,
    replaced: 0,
    refused: [],
    ticks: 0,
    bytes: 0,
    seconds: 0,
    framesPerSecond: 0,
    msPerFrame: { physics: 0, render: 0, readback: 0, depth: 0 },
    renderer: null,
  };

  const todo: number[] = [];
  for (let seed = seedStart; seed < seedStart + options.episodes; seed++) {
    const dir = join(options.out, episodeDirName(seed));
    if (!existsSync(dir)) {
      todo.push(seed);
    } else if (isComplete(dir, metaFor(seed))) {
      summary.kept++;
    } else {
      summary.replaced++;
      todo.push(seed);
    }
  }

  if (todo.length > 0) {
    const server = await startRecorderServer();
    let browser: Browser | null = null;
    try {
      browser = await launchChromium();
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}/engine/recorder/recorder.html`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 }).catch((error: unknown) => {
        throw new Error(`record: the recorder page did not start${errors.length ? `: ${errors.join('; ')}` : ''} (${(error as Error).message})`);
      });
      const opened = await callPage<ReturnType<RecorderPageApi['open']>>(page, 'open', { scene, sceneSeed: 0, width, height, supersample: options.supersample ?? 2 });
      summary.renderer = opened.renderer;
      const total = todo.length * options.ticks;
      let done = 0;
      for (const seed of todo) {
        const episodeStarted = performance.now();
        const episode = await recordEpisode(page, seed, policy, metaFor(seed), chunkTicks, summary.msPerFrame, (n) => {
          done += n;
          options.onProgress?.(done, total);
        });
        const dir = join(options.out, episodeDirName(seed));
        summary.bytes += writeEpisode(dir, episode);
        summary.ticks += options.ticks;
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
      await callPage(page, 'close');
    } finally {
      await browser?.close();
      await server.close();
    }
  }

  summary.seconds = (performance.now() - started) / 1000;
  summary.framesPerSecond = summary.ticks / Math.max(1e-9, summary.seconds);
  for (const key of Object.keys(summary.msPerFrame) as (keyof RecordSummary['msPerFrame'])[]) {
    summary.msPerFrame[key] = summary.ticks > 0 ? summary.msPerFrame[key] / summary.ticks : 0;
  }
  return summary;
}

async function recordEpisode(page: Page, seed: number, policy: string, meta: EpisodeMeta, chunkTicks: number, ms: RecordSummary['msPerFrame'], progress: (ticks: number) => void): Promise<Episode> {
  const T = meta.ticks;
  const { width: W, height: H } = meta.resolution;
  const A = meta.actions.length;
  const episode: Episode = {
    meta,
    frames: new Uint8Array(T * H * W * 3),
    depth: new Uint16Array(T * H * W),
    poses: new Float32Array(T * POSE_SIZE),
    actions: new Float32Array(T * A),
  };
  await callPage(page, 'begin', seed, policy);
  for (let t = 0; t < T; t += chunkTicks) {
    const n = Math.min(chunkTicks, T - t);
    const chunk = await callPage<EncodedChunk>(page, 'record', n);
    episode.frames.set(base64ToBytes(chunk.frames), t * H * W * 3);
    episode.depth.set(new Uint16Array(base64ToBytes(chunk.depth).buffer), t * H * W);
    episode.poses.set(new Float32Array(base64ToBytes(chunk.poses).buffer), t * POSE_SIZE);
    episode.actions.set(new Float32Array(base64ToBytes(chunk.actions).buffer), t * A);
    for (const key of Object.keys(ms) as (keyof typeof ms)[]) ms[key] += chunk.ms[key];
    progress(n);
  }
  await callPage(page, 'end');
  return episode;
}

/** An existing episode is kept when it passes the checker and was recorded with the same settings. */
function isComplete(dir: string, wanted: EpisodeMeta): boolean {
  if (!checkEpisodeDir(dir).ok) return false;
  const found = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as EpisodeMeta;
  return JSON.stringify(found) === JSON.stringify(wanted);
}

/**
 * Call the page's recorder API. The call goes as a string expression, so no transpiler helper
 * can leak into the page (a function would be serialised with whatever the loader added).
 */
function callPage<T = void>(page: Page, method: keyof RecorderPageApi, ...args: unknown[]): Promise<T> {
  return page.evaluate(`window.nextframeRecorder.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`) as Promise<T>;
}
