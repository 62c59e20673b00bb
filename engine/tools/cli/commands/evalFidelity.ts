import { join } from 'node:path';
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { evaluateFidelity, evaluateLongRollout, NextframeError, WorldModel, type FidelityReport } from '../../../../worldmodel/index.ts';
import { loadEvalEpisodes } from '../../../capture/index.ts';
import { emit, progressBar } from '../output.ts';
import { writeContactSheet } from '../png.ts';
import { positiveInteger } from '../positiveInteger.ts';
import { evalDisplay } from './evalDisplay.ts';
import { describeLongRollout, longRolloutSvg } from './longRolloutReport.ts';

interface EvalOptions {
  model: string;
  episodes?: string;
  oneStep: string;
  rollouts: string;
  rolloutTicks: string;
  seed: string;
  steps?: string;
  memory?: string;
  strip?: string;
  long?: boolean;
  window: string;
  maxTicks?: string;
  plot?: string;
  display?: string;
  upsampler?: string;
  json?: boolean;
}

/**
 * `nextframe eval-fidelity`: the shipped ONNX model, through the TypeScript runtime users get,
 * on held-out episodes (by default the ones shipped beside the model in `<model>/heldout/`).
 */
export function registerEvalFidelity(program: Command): void {
  program
    .command('eval-fidelity')
    .description("score a model through the TypeScript runtime on held-out episodes: one-step PSNR/SSIM, rollout PSNR at 16 and 64 ticks, detail ratio, each beside copy-last-frame and the geometry-only re-render (warp: spatial memory of the real frames at the recorded pose and proxy depth, no network), and one-step PSNR on the pixels memory did not cover; models with depth/memory streams get each frame's recorded pose and proxy depth, as in play")
    .requiredOption('--model <dir>', 'model folder')
    .option('--episodes <dir>', 'dataset recorded by `nextframe record` (default: <model>/heldout)')
    .option('--one-step <n>', 'teacher-forced samples per episode', '24')
    .option('--rollouts <n>', 'autoregressive rollouts per episode', '2')
    .option('--rollout-ticks <n>', 'rollout length (PSNR reported at 16 and at this tick)', '64')
    .option('--seed <n>', 'sampling noise seed', '0')
    .option('--steps <n>', 'denoising steps per frame (default: the manifest)')
    .option('--memory <on|off>', "models with a memory stream: on (default) remembers the episode's real frames before each sample or rollout start, then the rollout's own frames, rendered into each recorded view as in play; off feeds an empty memory. Reported as memory (on/off/none) and memoryCoverage1")
    .option('--strip <png>', 'write a picture of the first rollout: rows truth, model, warp, copy-last; columns ticks 1, 4, 8, 16, 32 and the last')
    .option('--long', 'long rollouts instead: from each episode\'s first frames to its end (record long episodes: --ticks 12000), scored per window beside warp and copy-last, with detail ratio and memory coverage')
    .option('--window <n>', 'with --long: ticks per reported window', '500')
    .option('--max-ticks <n>', 'with --long: stop each rollout after this many ticks')
    .option('--plot <svg>', 'with --long: write PSNR and detail ratio per window against rollout ticks as an SVG')
    .option('--display <px>', "display frames instead, this wide (the model width times an integer, e.g. 256): rollouts scored at display resolution against the episodes' display.npy (record --display), the upsampler's frames beside the model frame enlarged bicubically and the display-resolution re-render: psnrDisplay16/64, detailRatioDisplay16, flickerDisplay, each also …Bicubic and …Warp, with the bars; --strip rows truth, bicubic, model, warp")
    .option('--upsampler <folder|bicubic>', "with --display: the display upsampler, a learned one's folder or bicubic (default: the folder upsampler/ beside the model's, e.g. public/models/upsampler, when it holds one that fits; else bicubic with a note)")
    .option('--json', 'print JSON instead of text')
    .action(async (options: EvalOptions) => {
      if (options.display !== undefined) {
        if (options.long || options.plot || options.memory) throw new NextframeError('bad-argument', '--display scores rollouts with memory on; it does not take --long, --plot or --memory (drop them, or drop --display).');
        return evalDisplay({ ...options, display: options.display });
      }
      if (options.upsampler !== undefined) throw new NextframeError('bad-argument', '--upsampler picks the display upsampler of --display; add --display <px> (or drop --upsampler).');
      if (options.long) return evalLong(options);
      if (options.plot) throw new NextframeError('bad-argument', '--plot draws the windows of --long; add --long (or drop --plot).');
      if (options.memory !== undefined && options.memory !== 'on' && options.memory !== 'off') {
        throw new NextframeError('bad-argument', `--memory must be on or off, found "${options.memory}".`);
      }
      const root = options.episodes ?? join(options.model, 'heldout');
      const episodes = loadEvalEpisodes(
        root,
        `Pass --episodes DIR, or record some with seeds outside the training set: npx nextframe record --scene arena --episodes 4 --ticks 120 --seed-start 900000 --out ${root}`,
      );
      const model = await WorldModel.load(options.model, { device: 'wasm', seed: Number(options.seed), ...(options.steps ? { sampler: { steps: Number(options.steps) } } : {}) });
      const started = performance.now();
      let bar: ReturnType<typeof progressBar> | null = null;
      const L = Number(options.rolloutTicks);
      const stripTicks = [...new Set([1, 4, 8, 16, 32, L].filter((t) => t <= L))];
      const strip = new Map<string, Float32Array>(); // `${row}:${tick}`
      const result = await evaluateFidelity(model, episodes, {
        ...(options.strip
          ? {
              onRolloutFrame: (rollout: number, tick: number, f: { truth: Float32Array; model: Float32Array; warp: Float32Array | null; held: Float32Array }) => {
                if (rollout !== 0 || !stripTicks.includes(tick)) return;
                strip.set(`0:${tick}`, f.truth.slice());
                strip.set(`1:${tick}`, f.model.slice());
                strip.set(`2:${tick}`, (f.warp ?? f.held).slice());
                strip.set(`3:${tick}`, f.held.slice());
              },
            }
          : {}),
        oneStepPerEpisode: Number(options.oneStep),
        rolloutsPerEpisode: Number(options.rollouts),
        rolloutTicks: Number(options.rolloutTicks),
        ...(options.memory ? { memory: options.memory as 'on' | 'off' } : {}),
        onProgress: (done, total) => {
          bar ??= progressBar('evaluating', total);
          bar.update(done);
        },
      });
      (bar as ReturnType<typeof progressBar> | null)?.stop();
      if (options.strip && strip.size > 0) {
        const frames = [0, 1, 2, 3].flatMap((row) => stripTicks.map((t) => strip.get(`${row}:${t}`)!));
        writeContactSheet(options.strip, frames, model.width, model.height, stripTicks.length);
      }
      await model.dispose();
      const full = { model: model.manifest.id, episodesDir: root, stepsPerFrame: model.sampler.steps, ...result, seconds: (performance.now() - started) / 1000 };
      emit(Boolean(options.json), full, () => describe(full.model, result, root, Number(options.rolloutTicks)));
    });
}

/** `eval-fidelity --long`: one rollout per episode through its end, scored per window. */
async function evalLong(options: EvalOptions): Promise<void> {
  const window = positiveInteger(options.window, '--window');
  const maxTicks = options.maxTicks === undefined ? undefined : positiveInteger(options.maxTicks, '--max-ticks');
  const root = options.episodes ?? join(options.model, 'long');
  const episodes = loadEvalEpisodes(root, `Pass --episodes DIR with long episodes, e.g. npx nextframe record --scene arena --episodes 3 --ticks 12000 --seed-start 950000 --out ${root}`);
  const model = await WorldModel.load(options.model, { device: 'wasm', seed: Number(options.seed), ...(options.steps ? { sampler: { steps: Number(options.steps) } } : {}) });
  const started = performance.now();
  let bar: ReturnType<typeof progressBar> | null = null;
  // The strip: the first rollout at the end of each window (up to eight), rows truth, model, warp, copy-last.
  const lastTick = Math.min(...episodes.slice(0, 1).map((e) => e.ticks - model.contextFrames), maxTicks ?? Infinity);
  const stripTicks = [...new Set([1, ...Array.from({ length: Math.ceil(lastTick / window) }, (_, i) => Math.min((i + 1) * window, lastTick))])].slice(-8);
  const strip = new Map<string, Float32Array>();
  try {
    const result = await evaluateLongRollout(model, episodes, {
      window,
      ...(maxTicks ? { maxTicks } : {}),
      ...(options.strip
        ? {
            onRolloutFrame: (rollout, tick, f) => {
              if (rollout !== 0 || !stripTicks.includes(tick)) return;
              [f.truth, f.model, f.warp, f.held].forEach((frame, row) => strip.set(`${row}:${tick}`, frame.slice()));
            },
          }
        : {}),
      onProgress: (done, total) => {
        bar ??= progressBar('rolling out', total);
        bar.update(done);
      },
    });
    (bar as ReturnType<typeof progressBar> | null)?.stop();
    if (options.strip && strip.size > 0) {
      const ticks = stripTicks.filter((t) => strip.has(`0:${t}`));
      writeContactSheet(options.strip, [0, 1, 2, 3].flatMap((row) => ticks.map((t) => strip.get(`${row}:${t}`)!)), model.width, model.height, ticks.length);
    }
    if (options.plot) writeFileSync(options.plot, longRolloutSvg(result));
    const full = { model: model.manifest.id, episodesDir: root, stepsPerFrame: model.sampler.steps, ...result, seconds: (performance.now() - started) / 1000 };
    emit(Boolean(options.json), full, () => describeLongRollout(full.model, result, root));
  } finally {
    await model.dispose();
  }
}

/** The text report: each score beside copy-last and warp (a dash where a column does not apply). */
function describe(modelId: string, r: FidelityReport, root: string, L: number): string {
  const cell = (v: number | null, digits = 2, unit = ' dB'): string => (v === null ? '–'.padStart(6 + unit.length) : `${v.toFixed(digits).padStart(6)}${unit}`);
  const row = (label: string, model: number | null, copyLast: number | null, warp: number | null, digits?: number, unit?: string): string =>
    `  ${label.padEnd(30)}${cell(model, digits, unit)}  ${cell(copyLast, digits, unit)}  ${cell(warp, digits, unit)}`;
  return [
    `${modelId} on ${r.episodes} held-out episodes (${root}):`,
    `${''.padEnd(32)}${'model'.padStart(9)}${'copy-last'.padStart(11)}${'warp'.padStart(11)}`,
    row('PSNR 1 step', r.psnr1, r.psnr1Baseline, r.warpPsnr1),
    row('PSNR 1 step, view changing', r.psnr1Moving, r.psnr1MovingBaseline, r.warpPsnr1Moving),
    // Where memory covered nothing the warp is the last frame: copy-last and warp agree there.
    row('PSNR 1 step, uncovered pixels', r.psnrUncovered1, null, r.warpPsnrUncovered1),
    row('SSIM 1 step', r.ssim1, r.ssim1Baseline, null, 3, '   '),
    row('PSNR tick 16', r.psnr16, r.psnr16Baseline, r.warpPsnr16),
    // With --rollout-ticks 16 the rollout's end is tick 16, already on the line above.
    ...(L === 16 ? [] : [row(`PSNR tick ${L}`, r.psnr64, r.psnr64Baseline, r.warpPsnr64)]),
    row(`detail ratio at tick ${L}`, r.detailRatio64, null, r.warpDetailRatio64, 2, '   '),
    '  (detail ratio 1.0 = as detailed as the truth)',
    r.warpPsnr1 === null
      ? '  warp: not scored (the episodes carry no depth and poses to render memory with)'
      : `  warp: memory of the real frames (in rollouts, then its own) rendered at each recorded view with\n  proxy depth, the last frame where it covers nothing; no network. Uncovered pixels in ${r.uncoveredSamples1} of ${r.oneStepSamples} one-step views`,
    `  memory: ${r.memory}${r.memoryCoverage1 !== undefined ? ` (one-step mean coverage ${(r.memoryCoverage1 * 100).toFixed(0)}%)` : ''}`,
    `  ${r.msPerFrame.toFixed(1)} ms per frame (WASM)`,
  ].join('\n');
}
