import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { NextframeError } from '../../../../worldmodel/index.ts';
import { emit } from '../output.ts';
import { findPython, repoRoot } from '../setup.mjs';

interface TrainOptions {
  data: string;
  out: string;
  preset: string;
  steps?: string;
  batchSize?: string;
  lr?: string;
  seconds?: string;
  resume?: boolean;
  init?: string;
  contextNoiseMax?: string;
  memoryDropout?: string;
  rolloutProb?: string;
  rolloutTicks?: string;
  memoryCache?: string;
  sigmaMaxProb?: string;
  uncoveredWeight?: string;
  detailWeight?: string;
  detailCrop?: string;
  detailUncovered?: boolean;
  channels?: string;
  resBlocks?: string;
  warmupSteps?: string;
  nproc: string;
  json?: boolean;
}

/**
 * `nextframe train`: the PyTorch trainer (`models/train.py`) with the interpreter found for
 * you; `--nproc N` runs it data-parallel under torchrun (gloo on CPU, nccl on CUDA).
 */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a world model on a recorded dataset (PyTorch; CPU, CUDA, or data-parallel with --nproc)')
    .requiredOption('--data <dir>', 'dataset folder written by `nextframe record` (or a packed .npz)')
    .requiredOption('--out <dir>', 'run folder: checkpoints, log.jsonl, sample grids')
    .option('--preset <name>', 'model preset (models/config.py)', 'arena')
    .option('--steps <n>', 'optimiser steps')
    .option('--batch-size <n>', 'samples per step, all processes together')
    .option('--lr <x>', 'learning rate')
    .option('--warmup-steps <n>', 'steps of linear learning-rate warm-up (again after a resume from a slim checkpoint)')
    .option('--channels <list>', 'U-Net width per level, comma-separated, for a network trained from scratch (e.g. 16,16,32,48,160)')
    .option('--res-blocks <n>', 'residual blocks per level; with --init, more than its checkpoint has grows it deeper, starting as the same function')
    .option('--seconds <n>', 'stop cleanly after this much wall time')
    .option('--resume', 'continue from the run folder\'s last checkpoint')
    .option('--init <path>', 'start from these weights: a model folder that ships checkpoint.pt (public/models/generalist) or a checkpoint; fine-tunes it on --data')
    .option('--context-noise-max <x>', 'largest noise std put on context frames (images in [−1, 1])')
    .option('--memory-dropout <p>', 'share of samples trained with an empty memory stream')
    .option('--rollout-prob <p>', 'share of samples whose context the model paints itself (self-rollout; 0: off)')
    .option('--rollout-ticks <n>', 'painted ticks before the target in those samples, up to this many')
    .option('--sigma-max-prob <p>', 'share of samples trained at the sampler\'s largest noise level, the call a one-step model makes (0: off)')
    .option('--uncovered-weight <w>', 'loss weight of the pixels the memory stream does not cover, where the model paints rather than corrects (covered pixels weigh 1)')
    .option('--detail-weight <w>', 'weight of a term asking each painted frame for the truth\'s edge energy (not its edges), against rollouts that blur (0: off)')
    .option('--detail-crop <px>', 'score that term per square tile of this many pixels, so flat regions stay flat (0: the whole frame)')
    .option('--detail-uncovered', 'weigh each tile of that term by the share of it the memory stream does not cover, so it asks for detail only where the model paints')
    .option('--memory-cache <dir>', 'folder keeping each episode\'s memory stream between runs (default OUT/memory-cache; "off")')
    .option('--nproc <n>', 'processes for data-parallel training (torchrun)', '1')
    .option('--json', 'print the final checkpoint summary as JSON')
    .action((options: TrainOptions) => {
      const python = requirePython();
      // Python runs from the repo root (to import `models`): paths relative to it (they are
      // recorded in the checkpoint and the model card), absolute when outside the repo.
      const args = ['-m', 'models.train', '--data', fromRepoRoot(options.data), '--out', fromRepoRoot(options.out), '--preset', options.preset];
      if (options.steps) args.push('--steps', options.steps);
      if (options.batchSize) args.push('--batch-size', options.batchSize);
      if (options.lr) args.push('--lr', options.lr);
      if (options.warmupSteps) args.push('--warmup-steps', options.warmupSteps);
      if (options.channels) args.push('--channels', options.channels);
      if (options.resBlocks) args.push('--res-blocks', options.resBlocks);
      if (options.seconds) args.push('--seconds', options.seconds);
      if (options.resume) args.push('--resume');
      if (options.init) args.push('--init', fromRepoRoot(options.init));
      if (options.contextNoiseMax) args.push('--context-noise-max', options.contextNoiseMax);
      if (options.memoryDropout) args.push('--memory-dropout', options.memoryDropout);
      if (options.rolloutProb) args.push('--rollout-prob', options.rolloutProb);
      if (options.rolloutTicks) args.push('--rollout-ticks', options.rolloutTicks);
      if (options.sigmaMaxProb) args.push('--sigma-max-prob', options.sigmaMaxProb);
      if (options.uncoveredWeight) args.push('--uncovered-weight', options.uncoveredWeight);
      if (options.detailWeight) args.push('--detail-weight', options.detailWeight);
      if (options.detailCrop) args.push('--detail-crop', options.detailCrop);
      if (options.detailUncovered) args.push('--detail-uncovered');
      if (options.memoryCache) args.push('--memory-cache', options.memoryCache === 'off' ? 'off' : fromRepoRoot(options.memoryCache));
      const nproc = Number(options.nproc);
      const command = nproc > 1 ? ['-m', 'models.torchrun', '--standalone', `--nproc_per_node=${nproc}`, ...args] : args;
      runPython(python, command, Boolean(options.json));
      const log = join(options.out, 'log.jsonl');
      const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      const last = lines.length > 0 ? (JSON.parse(lines.at(-1)!) as Record<string, unknown>) : {};
      emit(Boolean(options.json), { out: options.out, checkpoint: join(options.out, 'last.pt'), last }, () => `training finished; checkpoint ${join(options.out, 'last.pt')}`);
    });
}

/** A path as the Python side (running in the repo root) should see it. */
function fromRepoRoot(path: string): string {
  const rel = relative(repoRoot, resolve(path));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? resolve(path) : rel;
}

/** `nextframe evaluate`: PyTorch-side evaluation of a checkpoint on held-out episodes. */
export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('evaluate a training checkpoint in PyTorch on held-out episodes (one-step PSNR/SSIM, rollouts, detail)')
    .requiredOption('--checkpoint <path>', 'checkpoint written by `nextframe train`')
    .requiredOption('--data <dir>', 'held-out dataset folder')
    .option('--out <json>', 'report path', 'evaluation.json')
    .option('--strip <png>', 'image strip of a rollout')
    .option('--memory <on|off>', 'models with a memory stream: feed it, or an empty one', 'on')
    .option('--json', 'print the report as JSON')
    .action((options: { checkpoint: string; data: string; out: string; strip?: string; memory: string; json?: boolean }) => {
      if (options.memory !== 'on' && options.memory !== 'off') throw new NextframeError('bad-argument', `--memory: expected on or off, found "${options.memory}"`);
      const python = requirePython();
      const args = ['-m', 'models.evaluate', '--checkpoint', resolve(options.checkpoint), '--data', resolve(options.data), '--out', resolve(options.out), '--memory', options.memory];
      if (options.strip) args.push('--strip', resolve(options.strip));
      runPython(python, args, Boolean(options.json));
      const report = JSON.parse(readFileSync(options.out, 'utf8')) as Record<string, number>;
      emit(Boolean(options.json), report, () => Object.entries(report).map(([k, v]) => `${k.padEnd(18)} ${typeof v === 'number' ? v.toFixed(3) : String(v)}`).join('\n'));
    });
}

function requirePython(): string {
  const python = findPython();
  if (!python) throw new NextframeError('no-python', 'this command needs Python 3 with torch, onnx and numpy: apt-get install python3-torch python3-onnx python3-numpy (or set NEXTFRAME_PYTHON).');
  return python;
}

function runPython(python: string, args: string[], quiet: boolean): void {
  // With --json, Python's own progress goes to stderr so stdout stays one JSON document.
  const run = spawnSync(python, args, { cwd: repoRoot, stdio: ['ignore', quiet ? process.stderr : 'inherit', 'inherit'] });
  if (run.status !== 0) throw new NextframeError('command-failed', `python ${args.slice(0, 2).join(' ')} failed (exit ${run.status}); see the messages above.`);
}
