import { type ActionInput, type ActionPrior, type Conditioning, NextActionPredictor, type SpeculatedFrame, type SpeculationMode, SpeculativeScheduler, type SpeculativeSchedulerOptions, type WorldModel } from '../../../worldmodel/index.ts';

/**
 * The device the timeline runs on. `simulated`: a run of the sampler on a batch of B frames
 * costs steps · (evalMs + (B − 1) · branchMs) virtual milliseconds (the model still runs for
 * real: the frames are real, only the clock is virtual), so slow and fast hardware give
 * deterministic numbers. `real`: each run costs the milliseconds it really took here.
 */
export type BenchDevice = { kind: 'simulated'; evalMs: number; branchMs: number } | { kind: 'real' };

export interface ReplayOptions extends Omit<SpeculativeSchedulerOptions, 'mode' | 'predictor' | 'measure'> {
  mode: SpeculationMode | 'auto';
  tickMs: number;
  /** The next-action predictor's prior (default `HUMAN_PLAY_PRIOR`); fit it on other players' traces than the one replayed. */
  prior?: ActionPrior;
  device: BenchDevice;
  /** The view every frame is painted for (models with memory or depth streams); the trace has no poses. */
  conditioning?: Conditioning;
  onTick?: () => void;
}

export interface SpeculationReport {
  mode: SpeculationMode | 'auto';
  /**
   * Auto: the settings it chose, as the share of ticks each was in use (keys like `multi·6·2`:
   * mode, candidates, lookahead; `single·1`, `off`), the setting at the end, and how often it changed.
   */
  auto?: { chose: Record<string, number>; final: string; changes: number };
  ticks: number;
  /** Share of ticks whose frame was ready when the tick came. */
  hitRate: number;
  /** Input-to-frame latency: from the tick's action to its frame. */
  latencyTicks: { mean: number; p95: number };
  latencyMs: { mean: number; p95: number };
  /** Sampler runs (a batched run counts once: `steps` denoiser evaluations) per frame shown. */
  evaluationsPerFrame: number;
  /** Frames painted (batch items) per frame shown: 1 is no waste. */
  framesPaintedPerFrame: number;
  /** Speculated frames thrown away. */
  discarded: number;
  /** Virtual (or real) seconds the replay took, against the trace's own length. */
  seconds: number;
}

/**
 * Replays a player's actions through a model with speculative sampling, on a clock where the
 * player's tick k comes tickMs after tick k − 1 (or, when the model is late, when its frame is
 * shown: the world waits for the model, as the plug-in's TickClock does). Between ticks the device
 * speculates; a run is never interrupted, so a run still going when a tick comes delays it.
 */
export async function replaySpeculation(model: WorldModel, actions: readonly ActionInput[], initialFrames: readonly Float32Array[], options: ReplayOptions): Promise<SpeculationReport> {
  const { tickMs, device } = options;
  const conditioning = options.conditioning ?? {};
  model.reset(initialFrames, undefined, conditioning.view ? [conditioning.view] : undefined);
  const steps = model.sampler.evaluationsPerSample;
  // Real mode: what runs of each batch size took here so far (until one has run: linear in B from batch 1).
  const measured = new Map<number, number>();
  const estimate = (batch: number): number => {
    if (device.kind === 'simulated') return steps * (device.evalMs + (batch - 1) * device.branchMs);
    return measured.get(batch) ?? (measured.get(1) ?? 0) * batch;
  };
  const cost = (batch: number): number => {
    if (device.kind === 'simulated') return estimate(batch);
    measured.set(batch, model.lastStepMs);
    return model.lastStepMs;
  };
  const scheduler = new SpeculativeScheduler(model, {
    ...pick(options, ['mode', 'lookahead', 'branches', 'budget', 'coverage']),
    predictor: new NextActionPredictor(model.codec.slots, options.prior ? { prior: options.prior } : {}),
    // Auto times runs on the device's clock: virtual on a simulated one.
    measure: (batch) => (device.kind === 'simulated' ? estimate(batch) : model.lastStepMs),
    governor: { tickMs, ...options.governor },
  });
  const chose = new Map<string, number>();
  // The batch that still fits before the tick comes (at least one frame: a late frame beats none).
  const fits = (room: number): number => {
    let batch = 1;
    while (batch < 64 && estimate(batch + 1) <= room) batch++;
    return batch;
  };
  let busyUntil = 0;
  let lastTick = -Infinity;
  let lastShown = 0;
  let hits = 0;
  const latencies: number[] = [];
  for (const action of actions) {
    const tickAt = Math.max(lastTick + tickMs, lastShown);
    // Speculate while the device would otherwise be idle before the tick comes.
    while (busyUntil < tickAt) {
      const frames: SpeculatedFrame[] = await scheduler.speculate(conditioning, fits(tickAt - busyUntil));
      if (frames.length === 0) break;
      busyUntil += cost(frames.length);
    }
    // The tick is taken once the device is free: a hit is shown then (its frame was painted by
    // then), a miss is painted then (as ModelRunner, whose tick waits for the run in flight).
    busyUntil = Math.max(busyUntil, tickAt);
    const result = await scheduler.advance(action, conditioning);
    if (!result.hit) busyUntil += cost(1);
    const shown = busyUntil;
    if (shown <= tickAt) hits++;
    latencies.push(shown - tickAt);
    lastTick = tickAt;
    lastShown = shown;
    if (scheduler.governor) chose.set(settingKey(scheduler), (chose.get(settingKey(scheduler)) ?? 0) + 1);
    options.onTick?.();
  }
  const n = Math.max(1, actions.length);
  const p95 = quantile(latencies, 0.95);
  const mean = latencies.reduce((a, b) => a + b, 0) / n;
  return {
    mode: options.mode,
    ...(scheduler.governor ? { auto: { chose: Object.fromEntries([...chose].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / n])), final: settingKey(scheduler), changes: scheduler.governor.changes } } : {}),
    ticks: actions.length,
    hitRate: hits / n,
    latencyTicks: { mean: mean / tickMs, p95: p95 / tickMs },
    latencyMs: { mean, p95 },
    evaluationsPerFrame: scheduler.stats.runs / n,
    framesPaintedPerFrame: scheduler.stats.framesPainted / n,
    discarded: scheduler.stats.discarded + scheduler.pending,
    seconds: lastShown / 1000,
  };
}

/** The scheduler's own options, as given (none that is absent). */
function pick(options: ReplayOptions, keys: readonly ('mode' | 'lookahead' | 'branches' | 'budget' | 'coverage')[]): SpeculativeSchedulerOptions {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (options[key] !== undefined) out[key] = options[key];
  return out as SpeculativeSchedulerOptions;
}

/** `multi·6·2` (mode, candidates, lookahead), `single·1` (lookahead), `off`. */
function settingKey(scheduler: SpeculativeScheduler): string {
  const { mode, branches, lookahead } = scheduler.setting;
  return mode === 'off' ? 'off' : mode === 'single' ? `single·${lookahead}` : `multi·${branches}·${lookahead}`;
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
