import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { evaluateFidelity, NextframeError, WorldModel, type EvalEpisode, type FidelityReport } from '../../../../worldmodel/index.ts';
import { loadEvalEpisodes } from '../../../capture/index.ts';
import { curveSvg, type CurvePanel } from '../curves/curveSvg.ts';
import { emit } from '../output.ts';

interface CurveOptions {
  data?: string;
  out: string;
  at?: string;
  episodes?: string;
  init?: string;
  preset: string;
  batchSize?: string;
  lr?: string;
  contextNoiseMax?: string;
  sigmaMaxProb?: string;
  samplerSteps: string;
  oneStep: string;
  rollouts: string;
  rolloutTicks: string;
  beside?: string;
  target?: string;
  plot?: string;
  label?: string;
  json?: boolean;
}

/** One scored stage of a run: where training stood and what eval-fidelity measured there. */
export interface CurvePoint {
  steps: number;
  wallTimeSeconds: number;
  psnr1: number;
  psnr16: number | null;
  psnr64: number | null;
  warpPsnr1: number | null;
  warpPsnr16: number | null;
  psnrUncovered1: number | null;
  detailRatio64: number | null;
}

export interface Curve {
  format: 'nextframe.curve';
  /** What the run started from: a model folder or checkpoint (fine-tune), or a preset (scratch). */
  from: string;
  data: string;
  episodes: string;
  points: CurvePoint[];
}

const CLI = fileURLToPath(new URL('../bin.mjs', import.meta.url));
const METRICS: Record<string, string> = { psnr1: 'one step', psnr16: 'rollout tick 16', psnr64: 'rollout tick 64', psnrUncovered1: 'pixels memory did not cover' };

/**
 * `nextframe learning-curve`: train in stages (each a `train --resume` to the next step count)
 * and score every stage through the runtime on held-out episodes, so a fine-tune and a run from
 * scratch can be set side by side in the same units as the shipped models' cards. Resumable:
 * stages already in OUT/curve.json are kept. `--plot` draws this run (and `--beside` others).
 */
export function registerLearningCurve(program: Command): void {
  program
    .command('learning-curve')
    .description('train in stages and score each stage with eval-fidelity on held-out episodes (one step, ticks 16 and 64): the learning curve of a fine-tune (--init) or a run from scratch (--preset); --plot draws it beside others')
    .requiredOption('--out <dir>', 'run folder: its checkpoint, OUT/curve.json (one entry per stage) and OUT/stage/ (the last stage exported)')
    .option('--data <dir>', 'training dataset (needed to train stages not yet in curve.json)')
    .option('--at <steps>', 'comma-separated step counts to score at, e.g. 100,250,500,1000')
    .option('--episodes <dir>', 'held-out episodes to score on (never trained on)')
    .option('--init <path>', 'fine-tune from these weights (a model folder with checkpoint.pt, e.g. public/models/generalist)')
    .option('--preset <name>', 'architecture of a run from scratch', 'arena')
    .option('--batch-size <n>', 'samples per step')
    .option('--lr <x>', 'learning rate')
    .option('--context-noise-max <x>', 'largest noise std put on context frames')
    .option('--sigma-max-prob <p>', 'share of samples trained at the one-step noise level')
    .option('--sampler-steps <n>', 'denoising steps per frame the stages are scored with', '1')
    .option('--one-step <n>', 'teacher-forced samples per episode', '24')
    .option('--rollouts <n>', 'rollouts per episode', '2')
    .option('--rollout-ticks <n>', 'rollout length (psnr64 is scored at this tick)', '64')
    .option('--label <text>', "this run's name in the plot (default: the run folder's name)")
    .option('--beside <dirs>', 'comma-separated other run folders (with curve.json) to draw beside this one')
    .option('--target <metric=value,...>', 'levels to reach, drawn dashed: e.g. psnr1=35.79,psnr16=31.38')
    .option('--plot <svg>', 'write the curves as an SVG picture, a panel per metric')
    .option('--json', 'print the curve as JSON')
    .action(async (options: CurveOptions) => {
      const curvePath = join(options.out, 'curve.json');
      const at = options.at ? parseSteps(options.at) : [];
      const curve = readCurve(curvePath) ?? { format: 'nextframe.curve', from: options.init ?? `preset ${options.preset}`, data: options.data ?? '', episodes: options.episodes ?? '', points: [] };
      // A fine-tune from a model folder starts where that model stands: step 0 is the model itself.
      const initFolder = options.init && existsSync(join(options.init, 'manifest.json')) ? options.init : null;
      const todo = [...(initFolder && at.length > 0 ? [0] : []), ...at].filter((s) => !curve.points.some((p) => p.steps === s));
      if (todo.length > 0) {
        if (!options.data || !options.episodes) throw new NextframeError('bad-argument', 'learning-curve: training stages needs --data (the training episodes) and --episodes (held-out ones to score on).');
        const episodes = loadEvalEpisodes(options.episodes, `--episodes ${options.episodes}: record held-out episodes with seeds outside the training set (npx nextframe record --seed-start 900000 ...).`);
        mkdirSync(options.out, { recursive: true });
        for (const steps of todo) {
          if (steps === 0) {
            curve.points.push(await score(initFolder!, 0, 0, episodes, options));
            writeFileSync(curvePath, `${JSON.stringify(curve, null, 2)}\n`);
            continue;
          }
          const resuming = existsSync(join(options.out, 'last.pt'));
          const trainArgs = ['train', '--data', options.data, '--out', options.out, '--steps', String(steps), ...(resuming ? ['--resume'] : options.init ? ['--init', options.init] : ['--preset', options.preset])];
          for (const [flag, value] of [['--batch-size', options.batchSize], ['--lr', options.lr], ['--context-noise-max', options.contextNoiseMax], ['--sigma-max-prob', options.sigmaMaxProb]] as const) {
            if (value !== undefined) trainArgs.push(flag, value);
          }
          cli(trainArgs, `training to step ${steps}`);
          const stage = join(options.out, 'stage');
          cli(['export', '--checkpoint', join(options.out, 'last.pt'), '--out', stage, '--steps', options.samplerSteps, '--json'], `exporting step ${steps}`);
          curve.points.push(await score(stage, steps, wallTime(options.out), episodes, options));
          curve.points.sort((a, b) => a.steps - b.steps);
          writeFileSync(curvePath, `${JSON.stringify(curve, null, 2)}\n`);
        }
      }
      if (options.plot) {
        const runs = [{ label: options.label ?? basename(resolve(options.out)), curve }, ...(options.beside ? options.beside.split(',').map((dir) => ({ label: basename(resolve(dir)), curve: requireCurve(join(dir, 'curve.json')) })) : [])];
        const targets = parseTargets(options.target);
        const metrics = targets.size > 0 ? [...targets.keys()] : ['psnr1', 'psnr16'];
        const panels: CurvePanel[] = metrics.map((m) => ({
          title: METRICS[m] ?? m,
          ...(targets.has(m) ? { target: { value: targets.get(m)!, label: `target ${targets.get(m)}` } } : {}),
          series: runs.map(({ label, curve: c }) => ({ label, points: c.points.flatMap((p) => (typeof p[m as keyof CurvePoint] === 'number' ? [[p.steps, p[m as keyof CurvePoint] as number] as const] : [])) })),
        }));
        writeFileSync(options.plot, curveSvg(panels));
      }
      emit(Boolean(options.json), curve, () => [`${curve.from} → ${curvePath}`, ...curve.points.map((p) => `  step ${String(p.steps).padStart(6)}: one step ${p.psnr1.toFixed(2)} dB, tick 16 ${p.psnr16?.toFixed(2) ?? 'n/a'}, tick 64 ${p.psnr64?.toFixed(2) ?? 'n/a'} (${(p.wallTimeSeconds / 60).toFixed(1)} min trained)`), ...(options.plot ? [`plot: ${options.plot}`] : [])].join('\n'));
    });
}

/** eval-fidelity of the model folder `dir` (the run at `steps`) on the held-out episodes. */
async function score(dir: string, steps: number, wallTimeSeconds: number, episodes: EvalEpisode[], options: CurveOptions): Promise<CurvePoint> {
  const model = await WorldModel.load(dir, { device: 'wasm', seed: 0, sampler: { steps: Number(options.samplerSteps) } });
  process.stderr.write(`learning-curve: scoring step ${steps} on ${episodes.length} held-out episodes\n`);
  try {
    const r = await evaluateFidelity(model, episodes, { oneStepPerEpisode: Number(options.oneStep), rolloutsPerEpisode: Number(options.rollouts), rolloutTicks: Number(options.rolloutTicks) });
    process.stderr.write(`learning-curve: step ${steps}: one step ${r.psnr1.toFixed(2)} dB, tick 16 ${r.psnr16?.toFixed(2)}, tick 64 ${r.psnr64?.toFixed(2)}\n`);
    return pointOf(steps, wallTimeSeconds, r);
  } finally {
    await model.dispose();
  }
}

function parseSteps(text: string): number[] {
  const steps = text.split(',').map((s) => Number(s.trim()));
  if (steps.some((s) => !Number.isInteger(s) || s < 1)) throw new NextframeError('bad-argument', `--at: expected comma-separated positive step counts (100,250,500), found "${text}".`);
  return [...new Set(steps)].sort((a, b) => a - b);
}

function parseTargets(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of text ? text.split(',') : []) {
    const [name, value] = part.split('=');
    if (!name || !(name in METRICS) || !Number.isFinite(Number(value))) {
      throw new NextframeError('bad-argument', `--target: expected metric=value pairs with metrics among ${Object.keys(METRICS).join(', ')}, found "${part}".`);
    }
    out.set(name, Number(value));
  }
  return out;
}

function readCurve(path: string): Curve | null {
  if (!existsSync(path)) return null;
  const curve = JSON.parse(readFileSync(path, 'utf8')) as Curve;
  if (curve.format !== 'nextframe.curve' || !Array.isArray(curve.points)) throw new NextframeError('bad-argument', `${path} is not a learning curve (format "nextframe.curve" with points); remove it or pick another --out.`);
  return curve;
}

function requireCurve(path: string): Curve {
  const curve = readCurve(path);
  if (!curve) throw new NextframeError('bad-argument', `--beside: ${path} does not exist; run learning-curve with --out ${join(path, '..')} first.`);
  return curve;
}

/** The run's total training wall time (seconds), from its log's last line. */
function wallTime(out: string): number {
  const lines = readFileSync(join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { wallTimeSeconds?: number });
  return lines.reverse().find((l) => typeof l.wallTimeSeconds === 'number')?.wallTimeSeconds ?? 0;
}

function pointOf(steps: number, wallTimeSeconds: number, r: FidelityReport): CurvePoint {
  return { steps, wallTimeSeconds, psnr1: r.psnr1, psnr16: r.psnr16, psnr64: r.psnr64, warpPsnr1: r.warpPsnr1, warpPsnr16: r.warpPsnr16, psnrUncovered1: r.psnrUncovered1, detailRatio64: r.detailRatio64 };
}

/** Run one of this CLI's own commands as a child (training and export are Python underneath). */
function cli(args: string[], what: string): void {
  process.stderr.write(`learning-curve: ${what}\n`);
  // The child's output goes to stderr: stdout is this command's, and stays clean for --json.
  const run = spawnSync(process.execPath, [CLI, ...args], { stdio: ['ignore', args.includes('--json') ? 'ignore' : 2, 'inherit'] });
  if (run.status !== 0) throw new NextframeError('command-failed', `learning-curve: ${what} failed (nextframe ${args.join(' ')} exited ${run.status}); see the messages above.`);
}
