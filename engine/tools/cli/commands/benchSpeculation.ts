import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { fitActionPrior, NextframeError, WorldModel, type Conditioning } from '../../../../worldmodel/index.ts';
import { replaySpeculation, type BenchDevice, type SpeculationReport } from '../../bench/replaySpeculation.ts';
import { measureSpeculatedViews, type SpeculatedViewScores } from '../../bench/measureSpeculatedViews.ts';
import { loadEvalEpisodes, parseTrace, traceToBins } from '../../../capture/index.ts';
import { buildPhysicsWorld, ProxyDepth, type RapierModule, SCENES } from '../../../runtime/index.ts';
import { emit, progressBar } from '../output.ts';

interface BenchSpeculationOptions {
  model: string;
  trace: string;
  prior: string;
  repeat: string;
  tickHz?: string;
  evalMs?: string;
  branchMs?: string;
  lookahead: string;
  branches: string;
  budget: string;
  coverage: string;
  modes: string;
  ticks?: string;
  views?: string;
  scene: string;
  json?: boolean;
}

const MODES = ['off', 'single', 'multi', 'auto'] as const;
type BenchMode = (typeof MODES)[number];

/** One trace's replays: with which prior, and a report per mode (the median of `--repeat` runs). */
interface TraceResult {
  trace: string;
  ticks: number;
  /** The traces the next-action prior was fitted on, or `builtin` (HUMAN_PLAY_PRIOR, fitted on both shipped traces). */
  priorFittedOn: string[] | 'builtin';
  reports: (SpeculationReport & { hitRates: number[] })[];
}

interface BenchResult {
  model: string;
  tickHz: number;
  device: BenchDevice;
  stepsPerFrame: number;
  repeat: number;
  traces: TraceResult[];
  views?: SpeculatedViewScores & { episodes: string };
}

/**
 * `nextframe bench-speculation`: replays recorded human input traces through the real model and
 * compares no speculation, single-branch, multi-branch and auto speculation on hit rate, latency
 * and wasted compute. The next-action predictor's prior is fitted on other traces than the one
 * replayed (by default the others given, or the other traces in its folder), so no number comes
 * from a prior that saw the ticks it is scored on. The traces have actions but no poses: models
 * with memory or depth streams are painted for one fixed proxy view (eye height, 5 m of depth
 * everywhere), which changes the pixels but not the timing or the hits (those depend only on the
 * actions and the clock).
 */
export function registerBenchSpeculation(program: Command): void {
  program
    .command('bench-speculation')
    .description('replay human input traces and measure speculative sampling hit rate, latency and wasted compute')
    .requiredOption('--model <dir>', 'model folder')
    .requiredOption('--trace <files>', 'input traces, comma-separated: VPT JSON lines, as in engine/capture/recorder/traces/')
    .option('--prior <from>', 'next-action prior: "others" (fitted on the other --trace files, or with one trace on the other .jsonl traces in its folder), "builtin" (HUMAN_PLAY_PRIOR, fitted on both shipped traces), or comma-separated trace files to fit it on', 'others')
    .option('--repeat <n>', 'replay each trace and mode n times and report the median run by hit rate (real timings vary run to run)', '1')
    .option('--tick-hz <hz>', 'tick rate (default: the model\'s)')
    .option('--eval-ms <ms>', 'simulate a device whose denoiser evaluation takes this long (default: time the real model here)')
    .option('--branch-ms <ms>', 'simulated: extra ms per evaluation for each further frame in a batch (default: eval-ms / 4)')
    .option('--lookahead <n>', 'ticks ahead speculation may paint (auto: its ceiling)', '2')
    .option('--branches <n>', 'multi-branch: most candidate actions for one tick, painted in one batched run (auto: its ceiling)', '16')
    .option('--budget <n>', 'frames painted speculatively per tick on average (a tick may spend what earlier ones left, up to twice this; auto chooses its own)', '12')
    .option('--coverage <p>', 'multi-branch: add candidates until their predicted probability adds up to this', '0.999')
    .option('--modes <list>', 'modes to compare: off, single, multi, auto', 'off,single,multi')
    .option('--ticks <n>', 'replay only the first n ticks of each trace')
    .option('--views <dir>', 'also score speculated frames by the view they are painted for (the last tick\'s, or one predicted from the guessed action), teacher-forced on the recorded episodes in DIR (e.g. public/models/arena/heldout)')
    .option('--scene <id>', 'scene of those episodes, for the predicted views\' proxy depth', 'arena')
    .option('--json', 'print JSON instead of text')
    .action(async (options: BenchSpeculationOptions) => {
      const modes = options.modes.split(',').map((m) => m.trim()) as BenchMode[];
      for (const m of modes) if (!MODES.includes(m)) throw new NextframeError('bad-argument', `--modes: expected off, single, multi or auto, found "${m}"`);
      const traces = list(options.trace);
      if (traces.length === 0) throw new NextframeError('bad-argument', '--trace: expected one or more trace files, comma-separated');
      const repeat = int(options.repeat, '--repeat');
      const model = await WorldModel.load(options.model, { device: 'wasm' });
      try {
        const tickHz = options.tickHz ? positive(options.tickHz, '--tick-hz') : model.manifest.tickHz;
        const device: BenchDevice = options.evalMs
          ? { kind: 'simulated', evalMs: positive(options.evalMs, '--eval-ms', true), branchMs: options.branchMs ? positive(options.branchMs, '--branch-ms', true) : positive(options.evalMs, '--eval-ms', true) / 4 }
          : { kind: 'real' };
        const binsOf = (file: string): Uint8Array[] => traceToBins(parseTrace(readFileSync(file, 'utf8')), model.manifest.actions, tickHz);
        const HW = model.width * model.height;
        const initial = Array.from({ length: model.contextFrames }, () => new Float32Array(3 * HW));
        const conditioning: Conditioning = model.takesView ? { view: { pose: { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }, depth: new Float32Array(HW).fill(5) } } : {};
        const plans = traces.map((trace) => {
          let bins = binsOf(trace);
          if (options.ticks) bins = bins.slice(0, Math.floor(positive(options.ticks, '--ticks')));
          const fittedOn = priorSources(trace, traces, options.prior);
          const prior = fittedOn === 'builtin' ? undefined : fitActionPrior(fittedOn.map(binsOf), model.manifest.actions);
          return { trace, actions: bins.map((b) => model.codec.toRaw(model.codec.dequantise(b))), fittedOn, prior };
        });
        const total = plans.reduce((n, p) => n + p.actions.length, 0) * modes.length * repeat;
        const bar = options.json && !process.stderr.isTTY ? null : progressBar('replaying', total);
        const results: TraceResult[] = [];
        for (const plan of plans) {
          const reports: TraceResult['reports'] = [];
          for (const mode of modes) {
            const runs: SpeculationReport[] = [];
            for (let r = 0; r < repeat; r++) {
              runs.push(
                await replaySpeculation(model, plan.actions, initial, {
                  mode,
                  tickMs: 1000 / tickHz,
                  device,
                  conditioning,
                  lookahead: int(options.lookahead, '--lookahead'),
                  branches: int(options.branches, '--branches'),
                  budget: int(options.budget, '--budget'),
                  coverage: positive(options.coverage, '--coverage'),
                  ...(plan.prior ? { prior: plan.prior } : {}),
                  onTick: () => bar?.increment(),
                }),
              );
            }
            const sorted = [...runs].sort((a, b) => a.hitRate - b.hitRate);
            reports.push({ ...sorted[(sorted.length - 1) >> 1]!, hitRates: runs.map((run) => run.hitRate) });
          }
          results.push({ trace: basename(plan.trace), ticks: plan.actions.length, priorFittedOn: plan.fittedOn === 'builtin' ? 'builtin' : plan.fittedOn.map((f) => basename(f)), reports });
        }
        bar?.stop();
        const views = options.views ? await scoreViews(model, options.views, options.scene, Boolean(options.json)) : undefined;
        const result: BenchResult = { model: model.manifest.id, tickHz, device, stepsPerFrame: model.sampler.evaluationsPerSample, repeat, traces: results, ...(views ? { views } : {}) };
        emit(Boolean(options.json), result, () => table(result));
      } finally {
        await model.dispose();
      }
    });
}

/**
 * The traces to fit `trace`'s prior on: `others` — the other traces given, or with one trace the
 * other `.jsonl` traces in its folder; `builtin`; or the files listed (never `trace` itself).
 */
function priorSources(trace: string, traces: readonly string[], prior: string): string[] | 'builtin' {
  if (prior === 'builtin') return 'builtin';
  const same = (a: string, b: string) => resolve(a) === resolve(b);
  let from: string[];
  if (prior === 'others') {
    from = traces.length > 1 ? traces.filter((t) => !same(t, trace)) : readdirSync(dirname(trace)).filter((f) => f.endsWith('.jsonl')).map((f) => join(dirname(trace), f)).filter((t) => !same(t, trace));
    if (from.length === 0) throw new NextframeError('bad-argument', `--prior others: no other trace to fit the next-action prior on for ${trace} (none given, none beside it); pass --prior FILES or --prior builtin`);
  } else {
    from = list(prior);
    if (from.some((f) => same(f, trace))) throw new NextframeError('bad-argument', `--prior: ${trace} is the trace being replayed; fit the prior on other traces`);
  }
  return from;
}

function list(text: string): string[] {
  return text.split(',').map((t) => t.trim()).filter((t) => t.length > 0);
}

/** `--views`: the recorded episodes in `dir`, with proxy depth for predicted views from the scene's static colliders. */
async function scoreViews(model: WorldModel, dir: string, sceneId: string, json: boolean): Promise<SpeculatedViewScores & { episodes: string }> {
  const makeScene = SCENES[sceneId];
  if (!makeScene) throw new NextframeError('bad-scene', `--scene: unknown scene "${sceneId}"; known: ${Object.keys(SCENES).join(', ')}.`);
  const episodes = loadEvalEpisodes(dir, 'Pass --views DIR with recorded episodes (npx nextframe record … --out DIR).');
  const rapier = (await import('@dimforge/rapier3d-compat')).default;
  await rapier.init();
  // Recorded frames never show the dynamic objects; their proxy depth did, where they were then.
  const physics = buildPhysicsWorld({ ...makeScene(0), dynamics: [] }, rapier as unknown as RapierModule);
  const proxy = new ProxyDepth(physics, { width: model.width, height: model.height, camera: model.manifest.camera });
  const bar = json && !process.stderr.isTTY ? null : progressBar('views', episodes.reduce((n, e) => n + e.ticks - model.contextFrames, 0));
  try {
    return { episodes: dir, ...(await measureSpeculatedViews(model, episodes, (pose, out) => proxy.render(pose, out), () => bar?.increment())) };
  } finally {
    bar?.stop();
    physics.dispose();
  }
}

function table(result: BenchResult): string {
  const device = result.device.kind === 'simulated' ? `simulated device: ${result.device.evalMs} ms per evaluation + ${result.device.branchMs} ms per extra batch item` : 'this machine, real timings';
  const v = result.views;
  const views = v
    ? [
        `speculated frames by the view painted for (${v.frames} ticks of ${v.episodes}, teacher-forced), PSNR vs truth / vs the on-demand frame:`,
        `  own view (a miss)   ${v.psnrOwnView.toFixed(2)} dB`,
        `  last tick's view    ${v.psnrLastView.toFixed(2)} dB / ${v.agreementLastView.toFixed(2)} dB`,
        `  predicted view      ${v.psnrPredictedView.toFixed(2)} dB / ${v.agreementPredictedView.toFixed(2)} dB (pose off by ${v.predictedPositionErrorM.toFixed(3)} m, ${v.predictedYawErrorDeg.toFixed(2)}°)`,
      ]
    : [];
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const traces = result.traces.flatMap((t) => [
    `${result.model} on ${t.trace}: ${t.ticks} ticks at ${result.tickHz} Hz, ${device}; prior fitted on ${t.priorFittedOn === 'builtin' ? 'both shipped traces (builtin)' : t.priorFittedOn.join(', ')}${result.repeat > 1 ? `; median of ${result.repeat} runs` : ''}`,
    'mode     hit rate  latency mean/p95 (ticks)  latency mean/p95 (ms)  evaluations/frame  frames painted/frame',
    ...t.reports.flatMap((r) => [
      [
        r.mode.padEnd(7),
        pct(r.hitRate).padStart(9),
        `${r.latencyTicks.mean.toFixed(2)} / ${r.latencyTicks.p95.toFixed(2)}`.padStart(26),
        `${r.latencyMs.mean.toFixed(1)} / ${r.latencyMs.p95.toFixed(1)}`.padStart(22),
        r.evaluationsPerFrame.toFixed(2).padStart(18),
        r.framesPaintedPerFrame.toFixed(2).padStart(21),
        ...(result.repeat > 1 ? [`  runs: ${r.hitRates.map(pct).join(', ')}`] : []),
      ].join('  '),
      ...(r.auto ? [`         auto chose ${Object.entries(r.auto.chose).map(([k, share]) => `${k} ${pct(share)}`).join(', ')} of ticks; ${r.auto.changes} changes, ${r.auto.final} at the end`] : []),
    ]),
  ]);
  return [...traces, ...views].join('\n');
}

function positive(text: string, flag: string, allowZero = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new NextframeError('bad-argument', `${flag}: expected a ${allowZero ? 'non-negative' : 'positive'} number, found "${text}"`);
  return value;
}

function int(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new NextframeError('bad-argument', `${flag}: expected a positive integer, found "${text}"`);
  return value;
}
