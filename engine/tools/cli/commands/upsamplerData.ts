import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { toFloat16Array } from '../../../../worldmodel/dataset/index.ts';
import { frameToRgbBytes } from '../../../../worldmodel/frames.ts';
import { BicubicUpsampler, evaluateDisplay, NextframeError, parseManifest, WorldModel, type DisplaySample } from '../../../../worldmodel/index.ts';
import { loadEvalEpisodes } from '../../../capture/index.ts';
import { NpyFileWriter } from '../NpyFileWriter.ts';
import { emit, progressBar } from '../output.ts';
import { positiveInteger } from '../positiveInteger.ts';

interface UpsamplerDataOptions {
  model: string;
  episodes: string;
  out: string;
  every: string;
  rollouts: string;
  rolloutTicks: string;
  seed: string;
  memoryChannel: string;
  json?: boolean;
}

/**
 * `nextframe upsampler-data`: training data for a display upsampler. Plays the world model's
 * rollouts on recorded episodes with display frames, as `eval-fidelity --display` does, with a
 * BicubicUpsampler in the model (so painted keyframes carry bicubic display frames, as they will
 * before any learned upsampler exists), and writes what the upsampler is given at every N-th
 * rollout tick beside the truth, in the folder layout `models/upsampler_data.py` reads:
 *
 * - frame.npy  uint8 [N, H, W, 3]    the model's painted frame
 * - memory.npy uint8 [N, sH, sW, 4]  memory's display render: RGB round((v + 1)·127.5), then coverage 0/255, or
 *                                    with --memory-channel confidence memory's confidence: 0 uncovered, else round(c·255) in 1…255
 * - depth.npy  float16 [N, H, W]     proxy depth normalised as the depth stream: clamp(d/far, 0, 1)·2 − 1
 * - truth.npy  uint8 [N, sH, sW, 3]  the recorded display frame
 * - meta.json  { scale, width, height, samples, far, memoryChannel, source: { model, episodes, every, rollouts, rolloutTicks, seed } }, written last
 */
export function registerUpsamplerData(program: Command): void {
  program
    .command('upsampler-data')
    .description("write training data for a display upsampler: the world model's rollouts on episodes with display frames (record --display), and at every N-th tick the painted frame, memory's display render, the proxy depth and the display truth (frame/memory/depth/truth.npy + meta.json)")
    .requiredOption('--model <dir>', 'world model folder (with a memory stream, to render memory at display resolution)')
    .requiredOption('--episodes <dir>', 'episodes recorded with display frames (`nextframe record --display 256`)')
    .requiredOption('--out <dir>', 'folder to write (its four .npy files and meta.json are replaced)')
    .option('--every <n>', 'take every N-th rollout tick', '4')
    .option('--rollouts <n>', 'rollouts per episode (spread evenly)', '2')
    .option('--rollout-ticks <n>', 'rollout length in ticks (≥ 16)', '64')
    .option('--seed <n>', 'sampling noise seed', '0')
    .option('--memory-channel <kind>', "the memory render's fourth channel: coverage (0/1) or confidence (memory's score for the pixel: 1 for a real frame, less for a painted one), as the upsampler to train will take it", 'coverage')
    .option('--json', 'print JSON instead of text')
    .action(async (options: UpsamplerDataOptions) => {
      const every = positiveInteger(options.every, '--every');
      const rollouts = positiveInteger(options.rollouts, '--rollouts');
      const rolloutTicks = positiveInteger(options.rolloutTicks, '--rollout-ticks');
      const memoryChannel = options.memoryChannel;
      if (memoryChannel !== 'coverage' && memoryChannel !== 'confidence') {
        throw new NextframeError('bad-options', `upsampler-data: --memory-channel must be coverage or confidence, found "${memoryChannel}".`);
      }
      const manifest = parseManifest(JSON.parse(readFileSync(join(options.model, 'manifest.json'), 'utf8')));
      const { width: W, height: H } = manifest.resolution;
      const record = `record them with display frames: npx nextframe record --scene ${manifest.training?.scene?.id ?? 'arena'} --episodes 8 --ticks 300 --display ${W * 4} --out ${options.episodes}`;
      const episodes = loadEvalEpisodes(options.episodes, `Pass --episodes DIR, or ${record}`);
      const sizes = [...new Set(episodes.map((e) => (e.displaySize ? `${e.displaySize.width}×${e.displaySize.height}` : 'none')))];
      const first = episodes[0]!.displaySize;
      if (sizes.length !== 1 || !first) {
        throw new NextframeError('bad-dataset', `upsampler-data: the episodes in ${options.episodes} must all have display frames of one size, found ${sizes.join(', ')}; ${record}`);
      }
      const scale = first.width / W;
      if (!Number.isInteger(scale) || scale < 2 || first.height !== H * scale) {
        throw new NextframeError('bad-dataset', `upsampler-data: display frames of ${first.width}×${first.height} are not the model's ${W}×${H} times one integer ≥ 2; ${record}`);
      }
      const upsampler = new BicubicUpsampler({ width: W, height: H, scale });
      const model = await WorldModel.load(options.model, { device: 'wasm', seed: Number(options.seed), display: upsampler });
      if (!model.memory) {
        await model.dispose();
        throw new NextframeError('no-memory', `upsampler-data: model "${manifest.id}" has no memory stream (it is conditioned on ${manifest.conditioning.join(', ')}), so there is no memory to render at display resolution; use a model with one.`);
      }
      const out = resolve(options.out);
      mkdirSync(out, { recursive: true });
      rmSync(join(out, 'meta.json'), { force: true }); // a folder with meta.json is complete
      const Wd = W * scale;
      const Hd = H * scale;
      const writers = {
        frame: new NpyFileWriter(join(out, 'frame.npy'), 'uint8', [H, W, 3]),
        memory: new NpyFileWriter(join(out, 'memory.npy'), 'uint8', [Hd, Wd, 4]),
        depth: new NpyFileWriter(join(out, 'depth.npy'), 'float16', [H, W]),
        truth: new NpyFileWriter(join(out, 'truth.npy'), 'uint8', [Hd, Wd, 3]),
      };
      const rows = { frame: new Uint8Array(H * W * 3), memory: new Uint8Array(Hd * Wd * 4), depth: new Uint16Array(H * W) };
      const started = performance.now();
      let bar: ReturnType<typeof progressBar> | null = null;
      try {
        const report = await evaluateDisplay(model, episodes, {
          rolloutsPerEpisode: rollouts,
          rolloutTicks,
          sampleEvery: every,
          sampleMemoryChannel: memoryChannel,
          onSample: (_rollout: number, _tick: number, s: DisplaySample) => {
            writers.frame.append(frameToRgbBytes(s.frame, rows.frame));
            writers.memory.append(packMemory(s.memory, rows.memory));
            writers.depth.append(toFloat16Array(s.depth, rows.depth));
            writers.truth.append(s.truth);
          },
          onProgress: (done, total) => {
            bar ??= progressBar('rolling out', total);
            bar.update(done);
          },
        });
        (bar as ReturnType<typeof progressBar> | null)?.stop();
        for (const w of Object.values(writers)) w.close();
        const samples = writers.frame.rows;
        const meta = {
          scale,
          width: W,
          height: H,
          samples,
          far: manifest.camera.far,
          memoryChannel,
          source: { model: options.model, episodes: options.episodes, every, rollouts, rolloutTicks, seed: Number(options.seed) },
        };
        writeFileSync(join(out, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`);
        const result = { out, ...meta, displayWidth: Wd, displayHeight: Hd, episodeCount: episodes.length, rolloutCount: report.rollouts, psnrDisplay16Bicubic: report.psnrDisplay16Bicubic, psnrDisplay16Warp: report.psnrDisplay16Warp, seconds: (performance.now() - started) / 1000 };
        emit(Boolean(options.json), result, () =>
          [
            `${samples} samples (every ${every}th tick of ${report.rollouts} rollouts of ${rolloutTicks} ticks on ${episodes.length} episodes) in ${out}: ${W}×${H} frames, ${Wd}×${Hd} memory renders and truth`,
            `  at tick 16 the bicubic enlargement scores ${report.psnrDisplay16Bicubic.toFixed(2)} dB, the display-resolution re-render ${report.psnrDisplay16Warp.toFixed(2)} dB: the baselines an upsampler trained on this must beat`,
            `  check it: /usr/bin/python3 -m models.upsampler_data ${out}; train on it: /usr/bin/python3 -m models.train_upsampler --data ${out} --out runs/upsampler (models/README.md)`,
          ].join('\n'),
        );
      } finally {
        await model.dispose();
        await upsampler.dispose();
      }
    });
}

/**
 * A display memory render (RGB in [−1, 1], then coverage or confidence in [0, 1]) → HWC RGBA bytes:
 * RGB as frames are, the fourth channel ×255 with any covered pixel at least 1, so "> 0" means
 * covered for both kinds (a confidence under 1/510 would otherwise round to uncovered).
 */
function packMemory(memory: Float32Array, out: Uint8Array): Uint8Array {
  const n = out.length / 4;
  frameToRgbBytes(memory, out, 4);
  for (let p = 0; p < n; p++) {
    const c = memory[3 * n + p]!;
    out[p * 4 + 3] = c > 0 ? Math.max(1, Math.min(255, Math.round(c * 255))) : 0;
  }
  return out;
}
