import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DiffusionSampler, median, OrtSession, parseManifest, SeededRandom, type Feed, type ModelManifest } from '../../../worldmodel/index.ts';
import { emit, progressBar } from '../output.ts';
import { repoRoot } from '../setup.mjs';

interface BenchOptions {
  model: string;
  threads?: string;
  batch: string;
  runs: string;
  json?: boolean;
}

/** Untimed frames first: ORT sizes its memory arena and JITs kernels on the first runs. */
const WARMUP = 5;

interface BenchRun {
  threads: number;
  batch: number;
  msPerStep: number;
  msPerFrame: number;
  framesPerSecond: number;
}

/**
 * `nextframe bench-speed`: how fast a model runs in Node on onnxruntime-web WASM. onnxruntime
 * fixes its thread count at the first session of a process, so each thread count runs in a
 * child process of this same command.
 */
export function registerBenchSpeed(program: Command): void {
  program
    .command('bench-speed')
    .description('measure parameters, GFLOPs, and median ms per denoising step and per frame in Node (WASM, 1 and 2 threads)')
    .requiredOption('--model <dir>', 'model folder')
    .option('--threads <list>', 'WASM thread counts to measure, comma-separated', '1,2')
    .option('--batch <list>', 'batch sizes: 1 and the batch speculation uses', '1,4')
    .option('--runs <n>', 'timed frames per configuration (after warm-up)', '20')
    .option('--json', 'print JSON instead of text')
    .action(async (options: BenchOptions) => {
      const manifest = parseManifest(JSON.parse(readFileSync(join(options.model, 'manifest.json'), 'utf8')));
      const threads = parseList(options.threads ?? '1,2', '--threads');
      const batches = parseList(options.batch, '--batch');
      const runs = parseList(options.runs, '--runs')[0]!;
      const results: BenchRun[] = [];
      if (threads.length === 1) {
        results.push(...(await measure(options.model, manifest, threads[0]!, batches, runs, !options.json)));
      } else {
        for (const t of threads) {
          // A fresh process per thread count (see above).
          const child = spawnSync(process.execPath, [join(repoRoot, 'engine/cli/bin.mjs'), 'bench-speed', '--model', options.model, '--threads', String(t), '--batch', options.batch, '--runs', String(runs), '--json'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          if (child.status !== 0) throw new Error(`bench-speed with ${t} thread(s) failed (exit ${child.status}).`);
          results.push(...(JSON.parse(child.stdout) as { runs: BenchRun[] }).runs);
        }
      }
      const headline = results.find((r) => r.batch === 1 && r.threads === Math.max(...threads)) ?? results[0]!;
      const params = Number(manifest.architecture.params ?? Number.NaN);
      const flops = Number(manifest.architecture.flopsPerStep ?? Number.NaN);
      const tickMs = 1000 / manifest.tickHz;
      const result = {
        model: manifest.id,
        params,
        gflopsPerStep: flops / 1e9,
        stepsPerFrame: manifest.sampler.steps,
        evaluationsPerFrame: new DiffusionSampler(manifest.sampler).evaluationsPerSample,
        msPerStep: headline.msPerStep,
        msPerFrame: headline.msPerFrame,
        headline: { threads: headline.threads, batch: headline.batch },
        tickHz: manifest.tickHz,
        realTime: headline.msPerFrame <= tickMs,
        runs: results,
        backend: 'wasm (onnxruntime-web in Node)',
      };
      emit(Boolean(options.json), result, () =>
        [
          `${manifest.id}: ${(params / 1e6).toFixed(2)} M parameters, ${result.gflopsPerStep.toFixed(3)} GFLOPs per step, ${result.stepsPerFrame} steps per frame`,
          'threads  batch  ms/step  ms/frame  frames/s',
          ...results.map((r) => `${String(r.threads).padStart(7)}  ${String(r.batch).padStart(5)}  ${r.msPerStep.toFixed(1).padStart(7)}  ${r.msPerFrame.toFixed(1).padStart(8)}  ${r.framesPerSecond.toFixed(1).padStart(8)}`),
          `real time at ${manifest.tickHz} Hz (${tickMs.toFixed(1)} ms per tick): ${result.realTime ? 'yes' : 'no'} (${headline.threads} threads, batch 1)`,
        ].join('\n'),
      );
    });
}

async function measure(location: string, manifest: ModelManifest, threads: number, batches: number[], runs: number, showProgress: boolean): Promise<BenchRun[]> {
  const session = await OrtSession.create(new Uint8Array(readFileSync(join(location, manifest.modelFile))), { device: 'wasm', threads });
  const sampler = new DiffusionSampler(manifest.sampler);
  const results: BenchRun[] = [];
  const bar = showProgress ? progressBar(`${threads} thread(s)`, batches.length * (runs + WARMUP)) : null;
  for (const batch of batches) {
    const feeds = randomFeeds(manifest, batch);
    const noisy = feeds.noisy!;
    const sigma = feeds.sigma!.data;
    const denoise = async (x: Float32Array, s: number): Promise<Float32Array> => {
      sigma.fill(s);
      const started = performance.now();
      const out = await session.run({ ...feeds, noisy: { data: x, dims: noisy.dims } });
      stepTimes.push(performance.now() - started);
      return out.denoised!.data;
    };
    let stepTimes: number[] = [];
    const frameTimes: number[] = [];
    const frame = new Float32Array(noisy.data.length);
    const rng = new SeededRandom(0);
    for (let i = 0; i < runs + WARMUP; i++) {
      if (i === WARMUP) stepTimes = []; // the first frames warm up ORT's arena
      const started = performance.now();
      await sampler.sample(denoise, frame, rng);
      if (i >= WARMUP) frameTimes.push(performance.now() - started);
      bar?.increment();
    }
    const msPerFrame = median(frameTimes);
    results.push({ threads: session.threads, batch, msPerStep: median(stepTimes), msPerFrame, framesPerSecond: (1000 * batch) / msPerFrame });
  }
  bar?.stop();
  await session.dispose();
  return results;
}

/** Inputs of the right shapes with plausible values (the speed does not depend on them). */
function randomFeeds(manifest: ModelManifest, batch: number): Record<string, Feed> {
  const rng = new SeededRandom(1);
  const feeds: Record<string, Feed> = {};
  for (const spec of manifest.inputs) {
    const dims = spec.shape.map((d) => (d === 'batch' ? batch : d));
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.nextFloat() * 2 - 1;
    feeds[spec.name] = { data, dims };
  }
  return feeds;
}

function parseList(text: string, flag: string): number[] {
  const values = text.split(',').map((s) => Number(s.trim()));
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw new Error(`${flag}: expected positive integers separated by commas, found "${text}"`);
  return values;
}
