import { NextframeError } from '../../../worldmodel/index.ts';
import type { ObservationSource, Observation, Policy, PolicyAction, StepResult, VectorPolicyEnv } from '../types.ts';
import { pearson, spearman } from './correlation.ts';
import { wilsonInterval, type RateInterval } from './wilsonInterval.ts';

/** A policy to compare: `create` makes one instance per parallel environment (policies keep per-episode state). */
export interface PolicyEntry {
  name: string;
  create(): Policy | Promise<Policy>;
}

export interface EvaluationOptions {
  policies: readonly PolicyEntry[];
  tasks: readonly string[];
  /** Default both. */
  sources?: readonly ObservationSource[];
  /** Episodes per policy × task × source. The same seeds in every cell, so cells are paired. */
  episodes: number;
  /** First episode seed. Default 0. */
  seedStart?: number;
  /** Stop an episode after this many ticks even if the task allows more (counted as a failure). Default: the task's own limit. */
  maxTicks?: number;
  /** Environments stepped together (the vectorised env's size). Default min(episodes, 8). */
  batch?: number;
  /** Frames kept of each cell's first episode for the report's strips. Default 10. */
  stripFrames?: number;
  /** Opens a vectorised environment; the caller owns how (model, scene, renderer). */
  makeEnv(task: string, source: ObservationSource, size: number): Promise<VectorPolicyEnv>;
  onProgress?(done: number, total: number): void;
}

/** One policy on one task in one source. */
export interface CellResult extends RateInterval {
  episodes: number;
  successes: number;
  meanReturn: number;
  /** Mean ticks per episode (to success or the limit). */
  meanTicks: number;
}

/** The first episode of a cell, kept for the report: RGB frames, evenly spaced. */
export interface RolloutStrip {
  policy: string;
  task: string;
  source: ObservationSource;
  width: number;
  height: number;
  ticks: number[];
  frames: Uint8Array[];
  success: boolean;
}

export interface PolicyReport {
  name: string;
  /** task → source → result. */
  tasks: Record<string, Partial<Record<ObservationSource, CellResult>>>;
}

export interface EvaluationReport {
  tasks: string[];
  sources: ObservationSource[];
  episodes: number;
  seedStart: number;
  policies: PolicyReport[];
  /** World-model vs ground-truth success rate, one point per policy × task (both sources needed). */
  pairs: { policy: string; task: string; worldmodel: number; groundtruth: number }[];
  /** Correlation over `pairs`; null when undefined (fewer than two pairs, or no spread). */
  pearson: number | null;
  spearman: number | null;
  /** Each policy's success rate averaged over the tasks, per source: the ranking a researcher reads off. */
  policyMeans: { policy: string; worldmodel: number; groundtruth: number }[];
  /** Correlation over `policyMeans` (does the world model rank the policies as ground truth does?). */
  policyPearson: number | null;
  policySpearman: number | null;
  /** Environment steps per second inside `step()` (all envs of a batch count), per source, and policy time included. */
  stepsPerSecond: Partial<Record<ObservationSource, number>>;
  stepsPerSecondWithPolicy: Partial<Record<ObservationSource, number>>;
  batch: number;
  seconds: number;
  strips: RolloutStrip[];
}

interface Timing {
  steps: number;
  envSeconds: number;
  totalSeconds: number;
}

/**
 * Run every policy on every task in every source for the same seeded episodes, and measure
 * how far the world model's verdicts agree with ground truth. Per cell: success rate with a
 * Wilson 95 % interval; over policy × task pairs: Pearson and Spearman of the two sources'
 * success rates; per source: environment steps per second at the batch used.
 */
export async function evaluatePolicies(options: EvaluationOptions): Promise<EvaluationReport> {
  const sources = [...(options.sources ?? (['worldmodel', 'groundtruth'] as const))];
  const { policies, tasks, episodes } = options;
  if (policies.length === 0) throw new NextframeError('bad-options', 'evaluatePolicies: no policies to evaluate; pass at least one in options.policies.');
  if (!Number.isInteger(episodes) || episodes < 1) throw new NextframeError('bad-options', `evaluatePolicies: episodes must be a positive integer, found ${episodes}; pass the number of episodes per task (1 or more).`);
  const names = policies.map((p) => p.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new NextframeError('bad-options', `evaluatePolicies: two policies are named "${duplicate}"; give each a distinct name.`);
  const seedStart = options.seedStart ?? 0;
  const batch = Math.max(1, Math.min(options.batch ?? 8, episodes));
  const stripFrames = options.stripFrames ?? 10;
  const started = performance.now();
  const total = tasks.length * sources.length * policies.length * episodes;
  let done = 0;
  options.onProgress?.(0, total);

  const reports: PolicyReport[] = policies.map((p) => ({ name: p.name, tasks: {} }));
  const timing = new Map<ObservationSource, Timing>();
  const strips: RolloutStrip[] = [];
  for (const task of tasks) {
    for (const source of sources) {
      const env = await options.makeEnv(task, source, batch);
      try {
        const t = timing.get(source) ?? { steps: 0, envSeconds: 0, totalSeconds: 0 };
        timing.set(source, t);
        for (const [index, entry] of policies.entries()) {
          const instances = await Promise.all(Array.from({ length: batch }, () => entry.create()));
          const outcomes: Outcome[] = [];
          const strip: RolloutStrip = { policy: entry.name, task, source, width: 0, height: 0, ticks: [], frames: [], success: false };
          try {
            for (let first = 0; first < episodes; first += batch) {
              const seeds = Array.from({ length: Math.min(batch, episodes - first) }, (_, i) => seedStart + first + i);
              const result = await runBatch(env, instances, seeds, options.maxTicks, first === 0 ? { strip, count: stripFrames } : null, t);
              outcomes.push(...result);
              done += seeds.length;
              options.onProgress?.(done, total);
            }
          } finally {
            // Only shared resources are disposed once; `create` may hand the same instance to every slot.
            for (const p of new Set(instances)) await p.dispose?.();
          }
          const successes = outcomes.filter((o) => o.success).length;
          strip.success = outcomes[0]?.success ?? false;
          strips.push(strip);
          reports[index]!.tasks[task] ??= {};
          reports[index]!.tasks[task]![source] = {
            ...wilsonInterval(successes, outcomes.length),
            episodes: outcomes.length,
            successes,
            meanReturn: mean(outcomes.map((o) => o.return)),
            meanTicks: mean(outcomes.map((o) => o.ticks)),
          };
        }
      } finally {
        await env.close();
      }
    }
  }

  const pairs: EvaluationReport['pairs'] = [];
  for (const report of reports) {
    for (const task of tasks) {
      const cell = report.tasks[task];
      if (cell?.worldmodel && cell.groundtruth) pairs.push({ policy: report.name, task, worldmodel: cell.worldmodel.rate, groundtruth: cell.groundtruth.rate });
    }
  }
  const wm = pairs.map((p) => p.worldmodel);
  const gt = pairs.map((p) => p.groundtruth);
  const policyMeans = reports
    .map((r) => ({ policy: r.name, mine: pairs.filter((p) => p.policy === r.name) }))
    .filter((r) => r.mine.length > 0)
    .map((r) => ({ policy: r.policy, worldmodel: mean(r.mine.map((p) => p.worldmodel)), groundtruth: mean(r.mine.map((p) => p.groundtruth)) }));
  const stepsPerSecond: EvaluationReport['stepsPerSecond'] = {};
  const stepsPerSecondWithPolicy: EvaluationReport['stepsPerSecondWithPolicy'] = {};
  for (const [source, t] of timing) {
    stepsPerSecond[source] = t.envSeconds > 0 ? t.steps / t.envSeconds : 0;
    stepsPerSecondWithPolicy[source] = t.totalSeconds > 0 ? t.steps / t.totalSeconds : 0;
  }
  return {
    tasks: [...tasks],
    sources,
    episodes,
    seedStart,
    policies: reports,
    pairs,
    pearson: finiteOrNull(pearson(wm, gt)),
    spearman: finiteOrNull(spearman(wm, gt)),
    policyMeans,
    policyPearson: finiteOrNull(pearson(policyMeans.map((p) => p.worldmodel), policyMeans.map((p) => p.groundtruth))),
    policySpearman: finiteOrNull(spearman(policyMeans.map((p) => p.worldmodel), policyMeans.map((p) => p.groundtruth))),
    stepsPerSecond,
    stepsPerSecondWithPolicy,
    batch,
    seconds: (performance.now() - started) / 1000,
    strips,
  };
}

interface Outcome {
  success: boolean;
  return: number;
  ticks: number;
}

const IDLE: PolicyAction = { forward: 0, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false };

/**
 * Episodes `seeds` side by side, slot i acted by `policies[i]`. A slot that has finished keeps
 * being stepped idle (a vectorised env steps all its members) but its results are ignored.
 */
async function runBatch(
  env: VectorPolicyEnv,
  policies: readonly Policy[],
  seeds: readonly number[],
  maxTicks: number | undefined,
  keep: { strip: RolloutStrip; count: number } | null,
  timing: Timing,
): Promise<Outcome[]> {
  const n = seeds.length;
  // The env has `size` slots; a short last batch fills the rest with repeats whose results are dropped.
  const slotSeeds = Array.from({ length: env.size }, (_, i) => seeds[i % n]!);
  const t0 = performance.now();
  let observations: Observation[] = await env.reset(slotSeeds);
  let envSeconds = (performance.now() - t0) / 1000;
  for (let i = 0; i < n; i++) await policies[i]!.reset?.(seeds[i]!);
  const outcomes: Outcome[] = seeds.map(() => ({ success: false, return: 0, ticks: 0 }));
  const finished = new Array<boolean>(env.size).fill(false);
  for (let i = n; i < env.size; i++) finished[i] = true;
  const recorded: { tick: number; frame: Uint8Array }[] = [];
  const actions: PolicyAction[] = new Array(env.size).fill(IDLE);
  let tick = 0;
  const loopStart = performance.now();
  let steps = 0;
  while (finished.some((f) => !f)) {
    if (keep && !finished[0]) recorded.push({ tick, frame: observations[0]!.image.slice() });
    await Promise.all(
      observations.map(async (o, i) => {
        actions[i] = finished[i] ? IDLE : await policies[i]!.act(o);
      }),
    );
    const s0 = performance.now();
    const results: StepResult[] = await env.step(actions);
    envSeconds += (performance.now() - s0) / 1000;
    steps += finished.filter((f) => !f).length;
    tick++;
    observations = results.map((r) => r.observation);
    results.forEach((r, i) => {
      if (finished[i]) return;
      const o = outcomes[i]!;
      o.return += r.reward;
      o.ticks = tick;
      if (r.info.success) o.success = true;
      if (r.terminated || r.truncated || r.info.success || (maxTicks !== undefined && tick >= maxTicks)) finished[i] = true;
    });
  }
  timing.steps += steps;
  timing.envSeconds += envSeconds;
  timing.totalSeconds += (performance.now() - loopStart) / 1000;
  if (keep) {
    const { strip, count } = keep;
    strip.width = observations[0]!.width;
    strip.height = observations[0]!.height;
    const stride = Math.max(1, Math.ceil(recorded.length / count));
    for (let k = 0; k < recorded.length; k += stride) {
      strip.ticks.push(recorded[k]!.tick);
      strip.frames.push(recorded[k]!.frame);
    }
  }
  return outcomes;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
