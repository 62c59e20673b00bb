import { median, NextframeError, psnr, PSNR_CAP_DB, rgbToFrame, SpatialMemory, warpFrame, type View, type WorldModel } from '../../../worldmodel/index.ts';
import { wrapAngle } from '../../../worldmodel/geometry/Pose.ts';
import type { Phase } from './parseTrajectories.ts';

/** A recorded trajectory as the bench needs it (the dataset contract's layouts). */
export interface BenchEpisode {
  name: string;
  ticks: number;
  /** uint8 [T, H, W, 3], row 0 at the top. */
  frames: Uint8Array;
  /** float32 [T, H, W] proxy depth, metres. */
  depth: Float32Array;
  /** float32 [T, 5] camera x, y, z, yaw, pitch. */
  poses: Float32Array;
  /** float32 [T, A] raw actions; row t led from frame t − 1 to frame t. */
  actions: Float32Array;
  /** Phase of each frame (T of them); see `framePhases`. */
  phases: readonly Phase[];
}

/** Revisit scores over a set of return frames (means of per-frame PSNR, capped at PSNR_CAP_DB). */
export interface RevisitScores {
  /** Return frames scored. */
  returnFrames: number;
  /** PSNR of the painted return frames against the recorded truth, memory on / off. */
  revisitPsnrOn: number;
  revisitPsnrOff: number;
  /** PSNR of the painted return frames against the frame the same run painted at the closest first-visit pose. */
  firstVisitConsistencyOn: number;
  firstVisitConsistencyOff: number;
  /** Copy-last-frame: the last real frame given to the model, held still, against the truth. */
  revisitPsnrCopyLast: number;
  /**
   * Geometry-only re-render (warp), no network: the spatial memory of the real frames up to the
   * last first-visit frame (the one `awayTicks` counts from) rendered at the return view with its
   * proxy depth, that last frame where memory covers nothing, against the truth.
   */
  revisitPsnrWarp: number;
  /** Share of the pixels the memory stream covered on the return frames (memory on). */
  memoryCoverageReturn: number;
}

export interface TrajectoryScores extends RevisitScores {
  name: string;
  ticks: number;
  /** Ticks between the last first-visit frame and the first return frame. */
  awayTicks: number;
}

export interface MemoryBenchReport extends RevisitScores {
  /** revisitPsnrOn − revisitPsnrOff, dB. */
  revisitGainDb: number;
  /** Median milliseconds per tick of the memory update (render into the view + insert of the painted frame), memory on. */
  msPerTickMemory: number;
  msRenderMemory: number;
  msInsertMemory: number;
  /** Median milliseconds of a whole model step (sampling included), both runs. */
  msPerFrame: number;
  contextFrames: number;
  trajectories: TrajectoryScores[];
  /** Trajectories whose away stretch is shorter than 3·K ticks (they revisit what the context may still hold). */
  shortAway: string[];
}

/** Return frames for a picture strip: the truth and both runs' frames, in step. */
export interface RevisitStrip {
  truth: Float32Array[];
  on: Float32Array[];
  off: Float32Array[];
}

export interface BenchMemoryOptions {
  /** Return frames to keep for a strip, spread over all trajectories. Default 0. */
  stripFrames?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Pose distance that picks the first-visit frame to compare with: metres + 3 × radians turned (20° ≈ 1 m). */
export function poseDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const turn = Math.abs(wrapAngle(a[3]! - b[3]!)) + Math.abs(a[4]! - b[4]!);
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!) + 3 * turn;
}

/**
 * The phase of each of a trajectory's `ticks` frames: from `phases` (one per intent, the phase of
 * frame t + 1; frame 0 takes phases[0]) or, without them, inferred from the poses: "look" until
 * the camera first moves 1.5 m or turns 45° from frame 0, "return" for later frames within
 * 1.5 m and 30° of a first-visit pose and ≥ 3·K ticks after the first visit, "away" otherwise.
 */
export function framePhases(phases: readonly Phase[] | undefined, poses: Float32Array, ticks: number, K: number): Phase[] {
  if (phases) return Array.from({ length: ticks }, (_, f) => phases[Math.max(0, f - 1)]!);
  const pose = (f: number): Float32Array => poses.subarray(5 * f, 5 * f + 5);
  const near = (a: Float32Array, b: Float32Array, metres: number, degrees: number): boolean =>
    Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!) <= metres && Math.max(Math.abs(wrapAngle(a[3]! - b[3]!)), Math.abs(a[4]! - b[4]!)) <= (degrees * Math.PI) / 180;
  let lookEnd = 0;
  while (lookEnd + 1 < ticks && near(pose(lookEnd + 1), pose(0), 1.5, 45)) lookEnd++;
  return Array.from({ length: ticks }, (_, f) => {
    if (f <= lookEnd) return 'look';
    if (f < lookEnd + 3 * K) return 'away';
    for (let s = 0; s <= lookEnd; s++) if (near(pose(f), pose(s), 1.5, 30)) return 'return';
    return 'away';
  });
}

/**
 * The spatial-memory benchmark on recorded revisit trajectories. For memory on and off, with
 * the same sampling noise: reset on the first K real frames (and their views, which start the
 * memory), then paint every later frame from the recorded action and view (pose and proxy
 * depth), feeding the model its own frames. Each return frame is scored against the truth and
 * against the frame the same run painted at the first-visit pose closest to it (`poseDistance`;
 * first-visit frames inside the real context count as the real frames). Beside them, the
 * baselines: copy-last-frame and the geometry-only re-render (`revisitPsnrWarp`), which
 * remembers every real frame of the first visit, the model only its first K.
 */
export async function benchMemory(model: WorldModel, episodes: readonly BenchEpisode[], options: BenchMemoryOptions = {}): Promise<{ report: MemoryBenchReport; strip: RevisitStrip }> {
  const memory = model.memory;
  if (!memory) {
    throw new NextframeError('no-memory', `bench-memory: model "${model.manifest.id}" has no memory stream (it is conditioned on ${model.manifest.conditioning.join(', ')}), so memory on and off are the same model. Use a model trained with a memory stream.`);
  }
  const K = model.contextFrames;
  const { width: W, height: H } = model;
  const A = model.codec.size;
  const HW = W * H;
  const frameSize = 3 * HW;
  for (const e of episodes) {
    const fits = e.frames.length === e.ticks * frameSize && e.depth.length === e.ticks * HW && e.poses.length === e.ticks * 5 && e.actions.length === e.ticks * A && e.phases.length === e.ticks;
    if (!fits) throw new NextframeError('bad-trajectories', `bench-memory: trajectory ${e.name} does not fit the model (${W}×${H}, ${A} action slots, one phase per frame); record it at the model's resolution.`);
    if (e.ticks < K + 1) throw new NextframeError('bad-trajectories', `bench-memory: trajectory ${e.name} has ${e.ticks} frames; the model needs ${K} to start from and at least one more to paint; record a longer trajectory.`);
    if (!e.phases.some((p, t) => p === 'return' && t >= K)) throw new NextframeError('bad-trajectories', `bench-memory: trajectory ${e.name} has no return frame after the first ${K} (the model's context); nothing to score. Mark the frames that come back to the landmark "return".`);
    if (e.phases.indexOf('look') < 0 || e.phases.indexOf('look') > e.phases.indexOf('return')) throw new NextframeError('bad-trajectories', `bench-memory: trajectory ${e.name} returns before its first visit ("look" frames must come before "return" frames).`);
  }

  const returns = episodes.flatMap((e, i) => e.phases.flatMap((p, t) => (p === 'return' && t >= K ? [{ episode: i, t }] : [])));
  const stripCount = Math.min(options.stripFrames ?? 0, returns.length);
  const stripKeys = new Set(Array.from({ length: stripCount }, (_, j) => returns[Math.floor(((j + 0.5) * returns.length) / stripCount)]!).map((r) => `${r.episode}:${r.t}`));
  const strip: RevisitStrip = { truth: [], on: [], off: [] };

  const total = episodes.reduce((n, e) => n + 2 * (e.ticks - K), 0);
  let done = 0;
  const memoryMs: number[] = [];
  const renderMs: number[] = [];
  const insertMs: number[] = [];
  const stepMs: number[] = [];
  const perTrajectory: TrajectoryScores[] = [];
  const all = { on: [] as number[], off: [] as number[], consistencyOn: [] as number[], consistencyOff: [] as number[], copyLast: [] as number[], warp: [] as number[], coverage: [] as number[] };
  // The warp's memory: the model's camera and memory options, the real first visit only.
  const scene = new SpatialMemory(memory.camera, memory.options);
  const stream = new Float32Array(4 * HW); // (4, H, W): RGB then coverage
  const warp = new Float32Array(frameSize);
  const wasEnabled = model.memoryEnabled;
  try {
    for (const [i, e] of episodes.entries()) {
      const frameAt = (t: number): Float32Array => rgbToFrame(e.frames.subarray(t * frameSize, (t + 1) * frameSize), W, H);
      const viewAt = (t: number): View => {
        const p = e.poses.subarray(t * 5, t * 5 + 5);
        return { pose: { x: p[0]!, y: p[1]!, z: p[2]!, yaw: p[3]!, pitch: p[4]! }, depth: e.depth.subarray(t * HW, (t + 1) * HW) };
      };
      const looks = e.phases.flatMap((p, t) => (p === 'look' ? [t] : []));
      const returnTicks = e.phases.flatMap((p, t) => (p === 'return' && t >= K ? [t] : []));
      const closestLook = new Map(returnTicks.map((t) => [t, argmin(looks.filter((s) => s < t), (s) => poseDistance(e.poses.subarray(5 * t, 5 * t + 5), e.poses.subarray(5 * s, 5 * s + 5)))]));
      const scores = { on: [] as number[], off: [] as number[], consistencyOn: [] as number[], consistencyOff: [] as number[], copyLast: [] as number[], warp: [] as number[], coverage: [] as number[] };
      const held = frameAt(K - 1);
      for (const t of returnTicks) scores.copyLast.push(cap(psnr(held, frameAt(t))));
      const firstReturn = e.phases.indexOf('return');
      const lastLook = Math.max(...looks.filter((s) => s < firstReturn));
      scene.clear();
      for (let s = 0; s <= lastLook; s++) {
        const v = viewAt(s);
        scene.insert(frameAt(s), v.depth, v.pose, s);
      }
      const leaving = frameAt(lastLook);
      for (const t of returnTicks) {
        const v = viewAt(t);
        scores.warp.push(cap(psnr(warpFrame(scene.render(v.pose, v.depth, stream), leaving, warp), frameAt(t))));
      }

      for (const mode of ['on', 'off'] as const) {
        model.memoryEnabled = mode === 'on';
        const context = Array.from({ length: K }, (_, k) => k);
        model.reset(context.map(frameAt), context.map((t) => e.actions.subarray(t * A, (t + 1) * A)), context.map(viewAt));
        const painted = new Map<number, Float32Array>();
        for (const t of looks) if (t < K) painted.set(t, frameAt(t));
        for (let t = K; t < e.ticks; t++) {
          const frame = await model.step(e.actions.subarray(t * A, (t + 1) * A), { view: viewAt(t) });
          stepMs.push(model.lastStepMs);
          const phase = e.phases[t];
          if (phase === 'look' || phase === 'return') painted.set(t, frame);
          if (mode === 'on') {
            memoryMs.push(memory.lastRenderMs + memory.lastInsertMs);
            renderMs.push(memory.lastRenderMs);
            insertMs.push(memory.lastInsertMs);
            if (phase === 'return') scores.coverage.push(memory.lastCoverage);
          }
          if (phase === 'return') {
            scores[mode].push(cap(psnr(frame, frameAt(t))));
            const first = painted.get(closestLook.get(t)!)!;
            scores[mode === 'on' ? 'consistencyOn' : 'consistencyOff'].push(cap(psnr(frame, first)));
            if (stripKeys.has(`${i}:${t}`)) {
              strip[mode].push(frame);
              if (mode === 'on') strip.truth.push(frameAt(t));
            }
          }
          options.onProgress?.(++done, total);
        }
      }
      perTrajectory.push({ name: e.name, ticks: e.ticks, awayTicks: firstReturn - lastLook - 1, ...summarise(scores) });
      for (const key of Object.keys(all) as (keyof typeof all)[]) all[key].push(...scores[key]);
    }
  } finally {
    model.memoryEnabled = wasEnabled;
  }
  const overall = summarise(all);
  return {
    report: {
      ...overall,
      revisitGainDb: overall.revisitPsnrOn - overall.revisitPsnrOff,
      msPerTickMemory: median(memoryMs),
      msRenderMemory: median(renderMs),
      msInsertMemory: median(insertMs),
      msPerFrame: median(stepMs),
      contextFrames: K,
      trajectories: perTrajectory,
      shortAway: perTrajectory.filter((t) => t.awayTicks < 3 * K).map((t) => t.name),
    },
    strip,
  };
}

function summarise(s: { on: number[]; off: number[]; consistencyOn: number[]; consistencyOff: number[]; copyLast: number[]; warp: number[]; coverage: number[] }): RevisitScores {
  return {
    returnFrames: s.on.length,
    revisitPsnrOn: mean(s.on),
    revisitPsnrOff: mean(s.off),
    firstVisitConsistencyOn: mean(s.consistencyOn),
    firstVisitConsistencyOff: mean(s.consistencyOff),
    revisitPsnrCopyLast: mean(s.copyLast),
    revisitPsnrWarp: mean(s.warp),
    memoryCoverageReturn: mean(s.coverage),
  };
}

function argmin(values: readonly number[], cost: (v: number) => number): number {
  let best = values[0]!;
  let bestCost = Infinity;
  for (const v of values) {
    const c = cost(v);
    if (c < bestCost) {
      best = v;
      bestCost = c;
    }
  }
  return best;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Identical frames give +∞ dB; see PSNR_CAP_DB. */
function cap(db: number): number {
  return Math.min(db, PSNR_CAP_DB);
}
