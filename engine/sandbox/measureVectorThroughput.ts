import { median } from '../../worldmodel/metrics.ts';
import type { WorldModel } from '../../worldmodel/WorldModel.ts';
import { createVectorPolicyEnv } from './createVectorPolicyEnv.ts';
import type { GroundTruthRenderer } from './groundtruth/GroundTruthRenderer.ts';
import { reachTask } from './tasks/reachTask.ts';
import type { PolicyTask } from './tasks/PolicyTask.ts';
import type { ObservationSource, PolicyAction } from './types.ts';

export interface VectorThroughputOptions {
  /** A loaded model (forked, not touched) or a model folder. */
  model: WorldModel | string;
  /** Default `worldmodel`. */
  observation?: ObservationSource;
  /** Vector sizes to measure. Default 1, 2, 4, 8, 16. */
  batchSizes?: readonly number[];
  /** Timed ticks per size, after `warmup` untimed ones. Defaults 20 and 2. */
  ticks?: number;
  warmup?: number;
  /**
   * Default: `reach` with a radius no one can come within (0.05 m of a pillar's surface; the
   * body is 0.3 m wide), so no environment ends and drops out of the batch while timed.
   */
  task?: PolicyTask;
  renderer?: GroundTruthRenderer;
  onProgress?: (batchSize: number, stepsPerSecond: number) => void;
}

export interface ThroughputResult {
  batchSize: number;
  /** Environment steps per second (batch size × ticks / seconds), policy time excluded. */
  stepsPerSecond: number;
  /** Milliseconds per vector tick, in all and by part (physics, depth, model, overlay, or render). */
  msPerTick: number;
  msByPart: Record<string, number>;
  /**
   * Median milliseconds per vector tick and the steps per second it gives: on a machine shared
   * with other work, the mean takes every stall; the median is the figure to compare sizes by.
   */
  msPerTickMedian: number;
  stepsPerSecondMedian: number;
}

export interface ThroughputReport {
  source: ObservationSource;
  model: string;
  results: ThroughputResult[];
  /** The batch size with the most steps per second (by the median tick, see `msPerTickMedian`). */
  best: ThroughputResult;
}

/**
 * Steps per second of the vectorised environment in Node for several batch sizes: each size gets
 * a fresh vector environment, a few warm-up ticks, then `ticks` timed ticks under a fixed
 * walking-and-turning action (the policy's own time is not part of the figure).
 *
 * ```ts
 * const report = await measureVectorThroughput({ model: 'public/models/arena' });
 * console.log(report.best.batchSize, report.best.stepsPerSecond);
 * ```
 */
export async function measureVectorThroughput(options: VectorThroughputOptions): Promise<ThroughputReport> {
  const source = options.observation ?? 'worldmodel';
  const sizes = options.batchSizes ?? [1, 2, 4, 8, 16];
  const ticks = options.ticks ?? 20;
  const warmup = options.warmup ?? 2;
  const task = options.task ?? reachTask({ radius: 0.05, minDistance: 4, maxTicks: Number.MAX_SAFE_INTEGER });
  const results: ThroughputResult[] = [];
  for (const size of sizes) {
    const env = await createVectorPolicyEnv({ model: options.model, task, observation: source, size, ...(options.renderer ? { renderer: options.renderer } : {}) });
    try {
      await env.reset(Array.from({ length: size }, (_, i) => 1000 + i));
      const parts: Record<string, number> = {};
      let elapsed = 0;
      const tickMs: number[] = [];
      for (let t = 0; t < warmup + ticks; t++) {
        const actions = Array.from({ length: size }, (_, i) => walkAndTurn(t, i));
        const started = performance.now();
        await env.step(actions);
        if (t < warmup) continue;
        const ms = performance.now() - started;
        elapsed += ms;
        tickMs.push(ms);
        for (const [part, ms] of Object.entries(env.lastMs)) parts[part] = (parts[part] ?? 0) + ms;
      }
      for (const part of Object.keys(parts)) parts[part]! /= ticks;
      const mid = median(tickMs);
      const result = { batchSize: size, stepsPerSecond: (size * ticks) / (elapsed / 1000), msPerTick: elapsed / ticks, msByPart: parts, msPerTickMedian: mid, stepsPerSecondMedian: (size * 1000) / mid };
      results.push(result);
      options.onProgress?.(size, result.stepsPerSecond);
    } finally {
      await env.close();
    }
  }
  const best = results.reduce((a, b) => (b.stepsPerSecondMedian > a.stepsPerSecondMedian ? b : a));
  return { source, model: typeof options.model === 'string' ? options.model : options.model.manifest.id, results, best };
}

/** Walk and sway the view, different per environment, so every frame needs painting. */
function walkAndTurn(tick: number, index: number): PolicyAction {
  return { forward: 0.6, strafe: 0, yawRate: 1.5 * Math.sin(0.3 * tick + index), pitchRate: 0, jump: false, interact: false };
}
