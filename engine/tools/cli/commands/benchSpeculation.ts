import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { NextframeError, WorldModel, type Conditioning, type SpeculationMode } from '../../../../worldmodel/index.ts';
import { replaySpeculation, type BenchDevice, type SpeculationReport } from '../../bench/replaySpeculation.ts';
import { measureSpeculatedViews, type SpeculatedViewScores } from '../../bench/measureSpeculatedViews.ts';
import { loadEvalEpisodes, parseTrace, traceToBins } from '../../../capture/index.ts';
import { buildPhysicsWorld, ProxyDepth, type RapierModule, SCENES } from '../../../runtime/index.ts';
import { emit, progressBar } from '../output.ts';

interface BenchSpeculationOptions {
  model: string;
  trace: string;
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

/**
 * `nextframe bench-speculation`: replays a recorded human input trace through the real model and
 * compares no speculation, single-branch and multi-branch speculation on hit rate, latency and
 * wasted compute. The trace has actions but no poses: models with memory or depth streams are
 * painted for one fixed proxy view (eye height, 5 m of depth everywhere), which changes the
 * pixels but not the timing or the hits (those depend only on the actions and the clock).
 */
export function registerBenchSpeculation(program: Command): void {
  program
    .command('bench-speculation')
    .description('replay a human input trace and measure speculative sampling hit rate, latency and wasted compute')
    .requiredOption('--model <dir>', 'model folder')
    .requiredOption('--trace <file>', 'input trace: VPT JSON lines, as in engine/capture/recorder/traces/')
    .option('--tick-hz <hz>', 'tick rate (default: the model\'s)')
    .option('--eval-ms <ms>', 'simulate a device whose denoiser evaluation takes this long (default: time the real model here)')
    .option('--branch-ms <ms>', 'simulated: extra ms per evaluation for each further frame in a batch (default: eval-ms / 4)')
    .option('--lookahead <n>', 'ticks ahead speculation may paint', '2')
    .option('--branches <n>', 'multi-branch: most candidate actions for one tick (painted in one batched run)', '16')
    .option('--budget <n>', 'frames painted speculatively per tick on average (a tick may spend what earlier ones left, up to twice this)', '12')
    .option('--coverage <p>', 'multi-branch: add candidates until their predicted probability adds up to this', '0.999')
    .option('--modes <list>', 'modes to compare', 'off,single,multi')
    .option('--ticks <n>', 'replay only the first n ticks of the trace')
    .option('--views <dir>', 'also score speculated frames by the view they are painted for (the last tick\'s, or one predicted from the guessed action), teacher-forced on the recorded episodes in DIR (e.g. public/models/arena/heldout)')
    .option('--scene <id>', 'scene of those episodes, for the predicted views\' proxy depth', 'arena')
    .option('--json', 'print JSON instead of text')
    .action(async (options: BenchSpeculationOptions) => {
      const model = await WorldModel.load(options.model, { device: 'wasm' });
      try {
        const tickHz = options.tickHz ? positive(options.tickHz, '--tick-hz') : model.manifest.tickHz;
        const device: BenchDevice = options.evalMs
          ? { kind: 'simulated', evalMs: positive(options.evalMs, '--eval-ms', true), branchMs: options.branchMs ? positive(options.branchMs, '--branch-ms', true) : positive(options.evalMs, '--eval-ms', true) / 4 }
          : { kind: 'real' };
        const modes = options.modes.split(',').map((m) => m.trim()) as SpeculationMode[];
        for (const m of modes) if (!['off', 'single', 'multi'].includes(m)) throw new NextframeError('bad-argument', `--modes: expected off, single or multi, found "${m}"`);
        let bins = traceToBins(parseTrace(readFileSync(options.trace, 'utf8')), model.manifest.actions, tickHz);
        if (options.ticks) bins = bins.slice(0, Math.floor(positive(options.ticks, '--ticks')));
        const actions = bins.map((b) => model.codec.toRaw(model.codec.dequantise(b)));
        const HW = model.width * model.height;
        const initial = Array.from({ length: model.contextFrames }, () => new Float32Array(3 * HW));
        const conditioning: Conditioning = model.takesView ? { view: { pose: { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }, depth: new Float32Array(HW).fill(5) } } : {};
        const bar = options.json && !process.stderr.isTTY ? null : progressBar('replaying', modes.length * actions.length);
        const reports: SpeculationReport[] = [];
        for (const mode of modes) {
          reports.push(
            await replaySpeculation(model, actions, initial, {
              mode,
              tickMs: 1000 / tickHz,
              device,
              conditioning,
              lookahead: int(options.lookahead, '--lookahead'),
              branches: int(options.branches, '--branches'),
              budget: int(options.budget, '--budget'),
              coverage: positive(options.coverage, '--coverage'),
              onTick: () => bar?.increment(),
            }),
          );
        }
        bar?.stop();
        const views = options.views ? await scoreViews(model, options.views, options.scene, Boolean(options.json)) : undefined;
        const result = { model: model.manifest.id, trace: basename(options.trace), ticks: actions.length, tickHz, device, stepsPerFrame: model.sampler.evaluationsPerSample, reports, ...(views ? { views } : {}) };
        emit(Boolean(options.json), result, () => table(result));
      } finally {
        await model.dispose();
      }
    });
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

function table(result: { model: string; trace: string; ticks: number; tickHz: number; device: BenchDevice; reports: SpeculationReport[]; views?: SpeculatedViewScores & { episodes: string } }): string {
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
  return [
    `${result.model} on ${result.trace}: ${result.ticks} ticks at ${result.tickHz} Hz, ${device}`,
    'mode     hit rate  latency mean/p95 (ticks)  latency mean/p95 (ms)  evaluations/frame  frames painted/frame',
    ...result.reports.map((r) =>
      [
        r.mode.padEnd(7),
        `${(100 * r.hitRate).toFixed(1)} %`.padStart(9),
        `${r.latencyTicks.mean.toFixed(2)} / ${r.latencyTicks.p95.toFixed(2)}`.padStart(26),
        `${r.latencyMs.mean.toFixed(1)} / ${r.latencyMs.p95.toFixed(1)}`.padStart(22),
        r.evaluationsPerFrame.toFixed(2).padStart(18),
        r.framesPaintedPerFrame.toFixed(2).padStart(21),
      ].join('  '),
    ),
    ...views,
  ].join('\n');
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
