import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { NextframeError, WorldModel, type View } from '../../../../worldmodel/index.ts';
import { listEpisodes, readEpisode } from '../../../capture/index.ts';
import { viewRollout, type ViewRollout } from '../sampling/viewRollout.ts';
import { emit, progressBar } from '../output.ts';
import { writeContactSheet } from '../png.ts';

interface SampleOptions {
  model: string;
  ticks: string;
  seed: string;
  action: string;
  steps?: string;
  episode?: string;
  out?: string;
  json?: boolean;
}

/** `nextframe sample`: roll a model forward under a fixed action and save what it paints. */
export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('roll a model forward for N ticks under one action and write the frames as a PNG grid')
    .requiredOption('--model <dir>', 'model folder or manifest')
    .option('--ticks <n>', 'ticks to generate', '16')
    .option('--seed <n>', 'noise seed (same seed, same frames)', '0')
    .option('--action <slots>', 'action as slot=value pairs, e.g. forward=0.2,yaw=0.05', '')
    .option('--steps <n>', 'denoising steps per frame (default: the manifest)')
    .option('--episode <dir>', 'start from this recorded episode\'s first K frames (models with memory or depth streams need one: default, the first episode in <model>/heldout); the camera then moves by the action, with proxy depth ray-cast in the scene')
    .option('--out <png>', 'write the frames here as a PNG grid')
    .option('--json', 'print JSON instead of text')
    .action(async (options: SampleOptions) => {
      const ticks = positiveInt(options.ticks, '--ticks');
      const steps = options.steps === undefined ? undefined : positiveInt(options.steps, '--steps');
      const model = await WorldModel.load(options.model, { device: 'wasm', seed: positiveInt(options.seed, '--seed', 0), ...(steps ? { sampler: { steps } } : {}) });
      const action = parseAction(options.action);
      const needsView = model.takesView;
      let rollout: ViewRollout | null = null;
      if (needsView || options.episode) {
        const dir = options.episode ?? firstHeldout(options.model);
        if (!dir) {
          throw new NextframeError('bad-argument', `model "${model.manifest.id}" is conditioned on ${model.manifest.conditioning.join(', ')}: it needs to know where the camera is. Pass --episode DIR (an episode folder written by \`npx nextframe record\`) to start from its frames and poses.`);
        }
        rollout = await viewRollout(readEpisode(dir), model.manifest);
        model.reset(rollout.frames, undefined, needsView ? rollout.views : undefined);
      } else {
        model.reset(Array.from({ length: model.contextFrames }, () => horizonFrame(model.width, model.height)));
      }
      const frames: Float32Array[] = [];
      const times: number[] = [];
      const bar = options.json ? null : progressBar('sampling', ticks);
      for (let t = 0; t < ticks; t++) {
        const view: View | undefined = rollout && needsView ? rollout.next(action) : undefined;
        frames.push(await model.step(action, view ? { view } : {}));
        times.push(model.lastStepMs);
        bar?.increment();
      }
      bar?.stop();
      if (options.out) writeContactSheet(options.out, frames, model.width, model.height, 8);
      const sorted = [...times].sort((a, b) => a - b);
      const result = {
        model: model.manifest.id,
        ticks,
        backend: model.backend,
        stepsPerFrame: model.sampler.steps,
        evaluationsPerFrame: model.sampler.evaluationsPerSample,
        msPerFrameMedian: sorted[Math.floor(sorted.length / 2)] ?? 0,
        meanAbsFrame: frames.map((f) => f.reduce((s, v) => s + Math.abs(v), 0) / f.length),
        out: options.out ?? null,
      };
      await model.dispose();
      rollout?.dispose();
      emit(Boolean(options.json), result, () =>
        `${ticks} frames from ${result.model} on ${result.backend}: median ${result.msPerFrameMedian.toFixed(1)} ms/frame (${result.stepsPerFrame} steps)` +
        (options.out ? `\nwrote ${options.out}` : ''),
      );
    });
}

/** The first episode folder in `<model>/heldout`, if there is one. */
function firstHeldout(modelDir: string): string | null {
  const root = join(modelDir.endsWith('.json') ? join(modelDir, '..') : modelDir, 'heldout');
  return existsSync(root) ? (listEpisodes(root)[0] ?? null) : null;
}

/** "forward=0.2,yaw=0.05" → { forward: 0.2, yaw: 0.05 } */
export function parseAction(text: string): Record<string, number> {
  const action: Record<string, number> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    const number = Number(value);
    if (!name || value === undefined || !Number.isFinite(number)) {
      throw new NextframeError('bad-argument', `--action: expected slot=value pairs like forward=0.2,yaw=0.05, found "${part}"`);
    }
    action[name] = number;
  }
  return action;
}

function positiveInt(text: string, flag: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new NextframeError('bad-argument', `${flag}: expected an integer ≥ ${min}, found "${text}"`);
  return n;
}

/** A neutral starting view: sky over ground, so a random model has something to transform. */
export function horizonFrame(width: number, height: number): Float32Array {
  const n = width * height;
  const frame = new Float32Array(3 * n);
  for (let y = 0; y < height; y++) {
    const sky = y < height / 2;
    const t = y / height;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      frame[p] = sky ? -0.2 + 0.3 * t : 0.1 - 0.2 * t;
      frame[n + p] = sky ? 0.2 + 0.3 * t : -0.1 - 0.2 * t;
      frame[2 * n + p] = sky ? 0.8 : -0.4;
    }
  }
  return frame;
}
