// A walk through the README's example scene (demos/examples/addToGame.ts) played by a model,
// scored afterwards against the Three.js render of every view it showed and against the
// geometry-only re-render on the same walk (tests/e2e/walk.spec.ts drives the keys).
import { addToGame } from '../../../demos/examples/addToGame.ts';
import { DEFAULT_SURVEY_HEADINGS, surveyHeadings } from '../../../engine/runtime/plugin/surveyHeadings.ts';
import { copyPose, psnr, PSNR_CAP_DB, psnrFromMse, SpatialMemory, warpStep, type Pose } from '../../../worldmodel/index.ts';

type Plugin = Awaited<ReturnType<typeof addToGame>>['plugin'];

interface Shown { tick: number; pose: Pose; frame: Float32Array }

export interface WalkReport {
  frames: number;
  /** The last tick shown, and the wall-clock seconds the walk took. */
  ticks: number;
  seconds: number;
  backend: string;
  /** Mean PSNR (dB, each frame capped at PSNR_CAP_DB as eval-fidelity caps it) over the shown frames after the start view: the model's, and the geometry-only re-render's on the same poses. */
  psnrModel: number;
  psnrWarp: number;
  /** The same for copy-last: the start view, the last real frame the player saw, held over the walk. */
  psnrCopyLast: number;
  /**
   * PSNR (dB) of the squared error pooled over every pixel of every shown frame, and the frames
   * where the model's PSNR is over the re-render's. The mean of per-frame PSNRs above weighs an
   * easy frame (mostly black sky, which the re-render copies from memory) as much as a hard one;
   * pooled, each pixel's error counts the same.
   */
  psnrPooledModel: number;
  psnrPooledWarp: number;
  framesModelAhead: number;
  /** Each shown frame's tick and PSNR (dB, capped at PSNR_CAP_DB): the model's and the re-render's. */
  byFrame: { tick: number; model: number; warp: number }[];
  /**
   * Where the error is: PSNR (dB) of the model's and the re-render's frames over all the walk's
   * pixels of one kind (the squared error pooled over frames), and that kind's share of the pixels:
   * sky (proxy depth at the far plane: the renderer's black here), the pillar (red in the truth),
   * and the ground (the rest).
   */
  byRegion: Record<Region, { share: number; psnrModel: number; psnrWarp: number }>;
  /** Frames with the pillar in view (≥ PILLAR_MIN_PIXELS of its red in the truth), and in how many its outline stayed red. */
  pillarFrames: number;
  pillarHeldModel: number;
  pillarHeldWarp: number;
  /** Yaw turned over the walk (radians, summed absolute change) and distance walked (metres). */
  turned: number;
  walked: number;
  /** The farthest the player got from the floor's centre along either axis (metres). */
  farthest: number;
  /** The proxy depth (metres) at the centre of the start view, where the pillar stands. */
  startCentreDepth: number;
  /** Truth, then model, then re-render at six evenly spread frames (CHW in [−1, 1]), for a contact sheet. */
  strip: number[][];
  width: number;
  height: number;
}

type Region = 'sky' | 'pillar' | 'ground';
const REGIONS: Region[] = ['sky', 'pillar', 'ground'];
const SKY = REGIONS.indexOf('sky'), PILLAR = REGIONS.indexOf('pillar'), GROUND = REGIONS.indexOf('ground');

const PILLAR_MIN_PIXELS = 12;
/** A frame holds the pillar when this share of its outline's pixels are still red. */
const PILLAR_HELD_SHARE = 0.75;

let plugin: Plugin | null = null;
let stop: (() => Promise<void>) | null = null;
const shown: Shown[] = [];
let started = 0;
/** Headings the plug-in surveyed at the start (0: no survey). */
let surveyed = 0;

/** Who waits for which tick to be shown (`holdAtTick`). */
const waiting: { tick: number; resolve: () => void }[] = [];

/** Starts the scene with the model at `modelUrl`; returns its ticks per second. */
async function startWalk(modelUrl: string, survey = false): Promise<number> {
  const canvas = document.querySelector('canvas')!;
  ({ plugin, stop } = await addToGame(canvas, modelUrl, { survey }));
  surveyed = survey ? DEFAULT_SURVEY_HEADINGS : 0;
  shown.length = 0;
  started = performance.now();
  plugin.on('frame', (event) => {
    shown.push({ tick: event.tick, pose: copyPose(event.pose, { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 }), frame: Float32Array.from(event.frame) });
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (event.tick < waiting[i]!.tick) continue;
      // Held on the frame itself, before the next animation frame can step physics further.
      plugin!.paused = true;
      waiting.splice(i, 1)[0]!.resolve();
    }
  });
  await holdAtTick(0); // held on the start view until the first keys are down
  return plugin.model.manifest.tickHz;
}

/**
 * Resolves once the frame of tick `tick` is shown, with play held there (`plugin.paused`) until
 * `resumeWalk`. The world waits for the model (it never runs ahead of the frame on screen by more
 * than a tick), so game time, not the wall clock, says how far a held key has moved the player;
 * holding play while the keys change keeps the test's round trips out of it too. What still
 * varies is how far physics had got into the next tick when the frame came (0–3 of its steps), so
 * two runs' paths differ by a few steps per change of keys (0.5 rad of 53 turned, 0.5 m of 85
 * walked, in two runs), not by the test's latency.
 */
function holdAtTick(tick: number): Promise<void> {
  if ((shown.at(-1)?.tick ?? -1) >= tick) {
    plugin!.paused = true;
    return Promise.resolve();
  }
  return new Promise((resolve) => waiting.push({ tick, resolve }));
}

function resumeWalk(): void {
  plugin!.paused = false;
}

function rgb(frame: Float32Array, p: number, n: number): [number, number, number] {
  return [(frame[p]! + 1) * 127.5, (frame[n + p]! + 1) * 127.5, (frame[2 * n + p]! + 1) * 127.5];
}

/** The scene's pillar is pure red (0xe0262b) under a white-blue sky light. */
const isRed = ([r, g, b]: [number, number, number], margin: number): boolean => r > 90 && r > margin * g && r > margin * b;

async function finishWalk(): Promise<WalkReport> {
  const p = plugin!;
  const seconds = (performance.now() - started) / 1000;
  const frames = shown.filter((s) => s.tick > 0);
  const start = shown.find((s) => s.tick === 0)!;
  const { width: W, height: H } = p.model;
  const n = W * H;
  // The geometry-only re-render: memory of the start view, then each view re-rendered over its
  // own last frame with the proxy depth and remembered as painted, as eval-fidelity's warp.
  const memory = new SpatialMemory({ width: W, height: H, ...p.model.manifest.camera }, p.model.memory?.options);
  // The same object colours as the model's memory: the colliders behind the plug-in's proxy depth.
  memory.objectsOf = p.model.memory?.objectsOf ?? null;
  // With a survey, the re-render starts from the same real views the model's memory did.
  surveyHeadings(start.pose, surveyed).forEach((at, k, all) => memory.insert(p.renderTruth(at), p.renderDepth(at), at, k - all.length));
  const startDepth = p.renderDepth(start.pose);
  memory.insert(start.frame, startDepth, start.pose, 0);
  const warp = Float32Array.from(start.frame);
  const stream = new Float32Array(4 * n);
  const depth = new Float32Array(n);
  const truth = new Float32Array(3 * n);
  const far = p.model.manifest.camera.far;
  const sse = { model: [0, 0, 0], warp: [0, 0, 0], count: [0, 0, 0] };
  let sumModel = 0, sumWarp = 0, sumCopy = 0, pillarFrames = 0, heldModel = 0, heldWarp = 0, ahead = 0, turned = 0, walked = 0, farthest = 0;
  const picks = new Set(Array.from({ length: 6 }, (_, i) => Math.round((i + 0.5) * frames.length / 6 - 0.5)));
  const rows: Float32Array[][] = [[], [], []];
  const byFrame: WalkReport['byFrame'] = [];
  let prev = start.pose;
  frames.forEach((s, i) => {
    p.renderDepth(s.pose, depth);
    p.renderTruth(s.pose, truth);
    warpStep(memory, s.pose, depth, warp, i + 1, stream);
    // Capped as eval-fidelity caps them (one 8-bit level of RMS error): a frame the re-render copies
    // exactly (black sky from memory, 70 dB under the old cap of 99) cannot outweigh moving frames.
    const frameModel = Math.min(psnr(s.frame, truth), PSNR_CAP_DB);
    const frameWarp = Math.min(psnr(warp, truth), PSNR_CAP_DB);
    sumModel += frameModel;
    sumWarp += frameWarp;
    sumCopy += Math.min(psnr(start.frame, truth), PSNR_CAP_DB);
    if (frameModel > frameWarp) ahead++;
    byFrame.push({ tick: s.tick, model: frameModel, warp: frameWarp });
    let outline = 0, modelRed = 0, warpRed = 0;
    for (let q = 0; q < n; q++) {
      const red = isRed(rgb(truth, q, n), 2);
      const region = depth[q]! >= far ? SKY : red ? PILLAR : GROUND;
      sse.count[region]! += 3;
      for (let c = 0; c < 3; c++) {
        const t = truth[c * n + q]!;
        sse.model[region]! += (s.frame[c * n + q]! - t) ** 2;
        sse.warp[region]! += (warp[c * n + q]! - t) ** 2;
      }
      if (!red) continue;
      outline++;
      if (isRed(rgb(s.frame, q, n), 1.4)) modelRed++;
      if (isRed(rgb(warp, q, n), 1.4)) warpRed++;
    }
    if (outline >= PILLAR_MIN_PIXELS) {
      pillarFrames++;
      if (modelRed >= PILLAR_HELD_SHARE * outline) heldModel++;
      if (warpRed >= PILLAR_HELD_SHARE * outline) heldWarp++;
    }
    turned += Math.abs(Math.atan2(Math.sin(s.pose.yaw - prev.yaw), Math.cos(s.pose.yaw - prev.yaw)));
    walked += Math.hypot(s.pose.x - prev.x, s.pose.z - prev.z);
    farthest = Math.max(farthest, Math.abs(s.pose.x), Math.abs(s.pose.z));
    prev = s.pose;
    if (picks.has(i)) {
      rows[0]!.push(Float32Array.from(truth));
      rows[1]!.push(s.frame);
      rows[2]!.push(Float32Array.from(warp));
    }
  });
  // Squared error of frames in [−1, 1] is 4× that on the [0, 1] scale psnrFromMse takes.
  const pooled = (e: number, count: number): number => Math.min(psnrFromMse(e / count / 4), PSNR_CAP_DB);
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const total = sum(sse.count);
  const byRegion = Object.fromEntries(REGIONS.map((r, k) => [r, {
    share: sse.count[k]! / total,
    psnrModel: pooled(sse.model[k]!, sse.count[k]!),
    psnrWarp: pooled(sse.warp[k]!, sse.count[k]!),
  }])) as WalkReport['byRegion'];
  const report: WalkReport = {
    frames: frames.length,
    ticks: shown.at(-1)!.tick,
    seconds,
    backend: p.model.backend,
    psnrModel: sumModel / frames.length,
    psnrWarp: sumWarp / frames.length,
    psnrCopyLast: sumCopy / frames.length,
    psnrPooledModel: pooled(sum(sse.model), total),
    psnrPooledWarp: pooled(sum(sse.warp), total),
    framesModelAhead: ahead,
    byFrame,
    byRegion,
    pillarFrames,
    pillarHeldModel: heldModel,
    pillarHeldWarp: heldWarp,
    turned,
    walked,
    farthest,
    startCentreDepth: startDepth[(H / 2) * W + W / 2]!,
    strip: rows.flat().map((frame) => Array.from(frame)),
    width: W,
    height: H,
  };
  await stop!();
  return report;
}

Object.assign(window as unknown as object, { startWalk, holdAtTick, resumeWalk, finishWalk });
document.body.dataset.ready = 'true';
