import { join } from 'node:path';
import type { Command } from 'commander';
import { evaluateFidelity, WorldModel } from '../../../worldmodel/index.ts';
import { loadEvalEpisodes } from '../../dataset/loadEvalEpisodes.ts';
import { emit, progressBar } from '../output.ts';

interface EvalOptions {
  model: string;
  episodes?: string;
  oneStep: string;
  rollouts: string;
  rolloutTicks: string;
  seed: string;
  steps?: string;
  memory?: string;
  json?: boolean;
}

/**
 * `nextframe eval-fidelity`: the shipped ONNX model, through the TypeScript runtime users get,
 * on held-out episodes (by default the ones shipped beside the model in `<model>/heldout/`).
 */
export function registerEvalFidelity(program: Command): void {
  program
    .command('eval-fidelity')
    .description("score a model through the TypeScript runtime on held-out episodes: one-step PSNR/SSIM, rollout PSNR at 16 and 64 ticks, detail ratio, each beside copy-last-frame; models with depth/memory streams get each frame's recorded pose and proxy depth, as in play")
    .requiredOption('--model <dir>', 'model folder')
    .option('--episodes <dir>', 'dataset recorded by `nextframe record` (default: <model>/heldout)')
    .option('--one-step <n>', 'teacher-forced samples per episode', '24')
    .option('--rollouts <n>', 'autoregressive rollouts per episode', '2')
    .option('--rollout-ticks <n>', 'rollout length (PSNR reported at 16 and at this tick)', '64')
    .option('--seed <n>', 'sampling noise seed', '0')
    .option('--steps <n>', 'denoising steps per frame (default: the manifest)')
    .option('--memory <on|off>', "models with a memory stream: on (default) remembers the episode's real frames before each sample or rollout start, then the rollout's own frames, rendered into each recorded view as in play; off feeds an empty memory. Reported as memory (on/off/none) and memoryCoverage1")
    .option('--json', 'print JSON instead of text')
    .action(async (options: EvalOptions) => {
      if (options.memory !== undefined && options.memory !== 'on' && options.memory !== 'off') {
        throw new Error(`--memory must be on or off, found "${options.memory}".`);
      }
      const root = options.episodes ?? join(options.model, 'heldout');
      const episodes = loadEvalEpisodes(
        root,
        `Pass --episodes DIR, or record some with seeds outside the training set: npx nextframe record --scene arena --episodes 4 --ticks 120 --seed-start 900000 --out ${root}`,
      );
      const model = await WorldModel.load(options.model, { device: 'wasm', seed: Number(options.seed), ...(options.steps ? { sampler: { steps: Number(options.steps) } } : {}) });
      const started = performance.now();
      let bar: ReturnType<typeof progressBar> | null = null;
      const result = await evaluateFidelity(model, episodes, {
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
      await model.dispose();
      const full = { model: model.manifest.id, episodesDir: root, stepsPerFrame: model.sampler.steps, ...result, seconds: (performance.now() - started) / 1000 };
      emit(Boolean(options.json), full, () =>
        [
          `${full.model} on ${result.episodes} held-out episodes (${root}):`,
          `                 model    copy-last`,
          `  PSNR 1 step    ${result.psnr1.toFixed(2).padStart(6)} dB ${result.psnr1Baseline.toFixed(2).padStart(6)} dB`,
          `  PSNR 1 step, view changing ${result.psnr1Moving.toFixed(2).padStart(6)} dB ${result.psnr1MovingBaseline.toFixed(2).padStart(6)} dB`,
          `  SSIM 1 step    ${result.ssim1.toFixed(3).padStart(6)}    ${result.ssim1Baseline.toFixed(3).padStart(6)}`,
          `  PSNR tick 16   ${result.psnr16.toFixed(2).padStart(6)} dB ${result.psnr16Baseline.toFixed(2).padStart(6)} dB`,
          // With --rollout-ticks 16 the rollout's end is tick 16, already on the line above.
          ...(Number(options.rolloutTicks) === 16 ? [] : [`  PSNR tick ${options.rolloutTicks}   ${result.psnr64.toFixed(2).padStart(6)} dB ${result.psnr64Baseline.toFixed(2).padStart(6)} dB`]),
          `  detail ratio at tick ${options.rolloutTicks}: ${result.detailRatio64.toFixed(2)} (1.0 = as detailed as the truth)`,
          `  memory: ${result.memory}${result.memoryCoverage1 !== undefined ? ` (one-step mean coverage ${(result.memoryCoverage1 * 100).toFixed(0)}%)` : ''}`,
          `  ${result.msPerFrame.toFixed(1)} ms per frame (WASM)`,
        ].join('\n'),
      );
    });
}
