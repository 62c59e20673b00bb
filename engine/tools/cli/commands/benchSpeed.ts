import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { DiffusionSampler, median, NextframeError, OrtSession, parseManifest, SeededRandom, WorldModel, type Feed, type ModelManifest } from '../../../../worldmodel/index.ts';
import { measureTick, type TickReport } from '../../bench/measureTick.ts';
import { arenaScene, type RapierModule, type SceneLayout } from '../../../runtime/index.ts';
import { loadSceneLayout } from '../../../capture/index.ts';
import { displayScale, loadUpsampler } from '../loadUpsampler.ts';
import { emit, progressBar } from '../output.ts';
import { repoRoot } from '../setup.mjs';

interface BenchOptions {
  model: string;
  threads?: string;
  batch: string;
  runs: string;
  ticks: string;
  sceneLayout?: string;
  scene?: string;
  display?: string;
  upsampler?: string;
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

/** The display frames a whole tick painted (`--display`): their size and the upsampler that made them. */
interface TickDisplay {
  width: number;
  height: number;
  scale: number;
  upsampler: 'bicubic' | 'learned';
  source: string;
}

/** What the whole-tick measurement adds to the output: the scene, thread count and display frames it ran with, and the times. */
type TickResult = TickReport & { tickScene: string; tickThreads: number; tickDisplay: TickDisplay | null };

/**
 * `nextframe bench-speed`: how fast a model runs in Node on onnxruntime-web WASM. onnxruntime
 * fixes its thread count at the first session of a process, so each thread count runs in a
 * child process of this same command. The whole tick (`measureTick`) runs at the headline's
 * thread count (the most measured), in that thread count's process.
 */
export function registerBenchSpeed(program: Command): void {
  program
    .command('bench-speed')
    .description('measure parameters, GFLOPs, median ms per denoising step and per frame in Node (WASM, 1 and 2 threads), and the whole tick (physics, proxy depth, memory, model; with --display also the display memory render and the upsampling) played in a scene')
    .requiredOption('--model <dir>', 'model folder')
    .option('--threads <list>', 'WASM thread counts to measure, comma-separated', '1,2')
    .option('--batch <list>', 'batch sizes: 1 and the batch speculation uses', '1,4')
    .option('--runs <n>', 'timed frames per configuration (after warm-up)', '20')
    .option('--ticks <n>', 'timed ticks of the whole tick (physics, proxy depth, memory, model) after warm-up; 0 skips it', '100')
    .option('--scene <id|path>', 'a scene module (built-in world id or path) whose colliders the whole tick runs in; its layout is taken through headless Chromium (default: the built-in arena)')
    .option('--scene-layout <file>', 'JSON file holding a SceneLayout whose colliders the whole tick runs in (default: the built-in arena)')
    .option('--display <px>', "the whole tick also paints display frames this wide (the model width times an integer, e.g. 256): memory's display render and the upsampling join the tick's parts")
    .option('--upsampler <folder|bicubic>', "with --display: the display upsampler, a learned one's folder or bicubic (default: the folder upsampler/ beside the model's, e.g. public/models/upsampler, when it holds one that fits; else bicubic)")
    .option('--json', 'print JSON instead of text')
    .action(async (options: BenchOptions) => {
      const manifest = parseManifest(JSON.parse(readFileSync(join(options.model, 'manifest.json'), 'utf8')));
      const threads = parseList(options.threads ?? '1,2', '--threads');
      const batches = parseList(options.batch, '--batch');
      const runs = parseList(options.runs, '--runs')[0]!;
      const ticks = Number(options.ticks);
      if (!Number.isInteger(ticks) || ticks < 0) throw new NextframeError('bad-argument', `--ticks: expected a whole number ≥ 0, found "${options.ticks}".`);
      if (options.scene && options.sceneLayout) throw new NextframeError('bad-argument', '--scene and --scene-layout both name the scene the tick runs in; give one.');
      if (options.upsampler !== undefined && options.display === undefined) throw new NextframeError('bad-argument', '--upsampler picks the display upsampler of --display; add --display <px> (or drop --upsampler).');
      if (options.display !== undefined && ticks === 0) throw new NextframeError('bad-argument', '--display times display frames within the whole tick; --ticks 0 leaves the tick out (drop one of them).');
      // Checked before anything is measured: a bad size fails at once.
      const display = options.display === undefined ? null : { scale: displayScale(options.display, manifest.resolution.width), upsampler: options.upsampler };
      // A scene module runs in the browser: its colliders come out as a layout file, which the
      // child processes (one per thread count) read like any --scene-layout.
      let layoutFile = options.sceneLayout;
      if (options.scene && ticks > 0) {
        const { layout } = await loadSceneLayout(options.scene);
        layoutFile = join(mkdtempSync(join(tmpdir(), 'nextframe-layout-')), `${layout.id}.json`);
        writeFileSync(layoutFile, JSON.stringify(layout));
      }
      // Read before anything is measured: a bad file fails at once.
      const scene = layoutFile ? readSceneLayout(layoutFile) : arenaScene(0);
      const results: BenchRun[] = [];
      let tick: TickResult | null = null;
      if (threads.length === 1) {
        results.push(...(await measure(options.model, manifest, threads[0]!, batches, runs, !options.json)));
        if (ticks > 0) tick = await measureWholeTick(options.model, scene, threads[0]!, ticks, !options.json, display);
      } else {
        for (const t of threads) {
          // A fresh process per thread count (see above); the headline's also times the whole tick.
          const displayArgs = [...(options.display ? ['--display', options.display] : []), ...(options.upsampler ? ['--upsampler', options.upsampler] : [])];
          const tickArgs = t === Math.max(...threads) ? ['--ticks', String(ticks), ...(layoutFile ? ['--scene-layout', layoutFile] : []), ...displayArgs] : ['--ticks', '0'];
          const child = spawnSync(process.execPath, [join(repoRoot, 'engine/tools/cli/bin.mjs'), 'bench-speed', '--model', options.model, '--threads', String(t), '--batch', options.batch, '--runs', String(runs), ...tickArgs, '--json'], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          if (child.status !== 0) throw new NextframeError('command-failed', `bench-speed with ${t} thread(s) failed (exit ${child.status}); see its messages above.`);
          const out = JSON.parse(child.stdout) as { runs: BenchRun[] } & Partial<TickResult>;
          results.push(...out.runs);
          if (out.msPerTick !== undefined) tick = pickTick(out as TickResult);
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
        ...tick,
      };
      emit(Boolean(options.json), result, () =>
        [
          `${manifest.id}: ${(params / 1e6).toFixed(2)} M parameters, ${result.gflopsPerStep.toFixed(3)} GFLOPs per step, ${result.stepsPerFrame} steps per frame`,
          'threads  batch  ms/step  ms/frame  frames/s',
          ...results.map((r) => `${String(r.threads).padStart(7)}  ${String(r.batch).padStart(5)}  ${r.msPerStep.toFixed(1).padStart(7)}  ${r.msPerFrame.toFixed(1).padStart(8)}  ${r.framesPerSecond.toFixed(1).padStart(8)}`),
          `real time at ${manifest.tickHz} Hz (${tickMs.toFixed(1)} ms per tick): ${result.realTime ? 'yes' : 'no'} (${headline.threads} threads, batch 1)`,
          ...(tick ? [tickLine(tick)] : []),
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

/**
 * The whole tick in scene `scene`, on a model loaded with `threads` WASM threads; with `display`,
 * the model paints display frames `display.scale`× larger with the `--upsampler` choice.
 */
async function measureWholeTick(location: string, scene: SceneLayout, threads: number, ticks: number, showProgress: boolean, display: { scale: number; upsampler: string | undefined } | null = null): Promise<TickResult> {
  const rapier = (await import('@dimforge/rapier3d-compat')).default;
  await rapier.init();
  const manifest = parseManifest(JSON.parse(readFileSync(join(location, 'manifest.json'), 'utf8')));
  const { width: W, height: H } = manifest.resolution;
  const chosen = display ? await loadUpsampler(display.upsampler, location, manifest, display.scale, { device: 'wasm', threads }) : null;
  if (chosen?.note && showProgress) process.stderr.write(`note: ${chosen.note}\n`);
  const model = await WorldModel.load(location, { device: 'wasm', threads, ...(chosen ? { display: chosen.upsampler } : {}) });
  try {
    // The bar starts at the first tick, when the total (warm-up included) is known.
    const progress: { bar?: ReturnType<typeof progressBar> } = {};
    const onProgress = (done: number, total: number): void => {
      progress.bar ??= progressBar(`whole tick, ${threads} thread(s)`, total);
      progress.bar.update(done);
    };
    const report = await measureTick(model, { scene, rapier: rapier as unknown as RapierModule, ticks, ...(showProgress ? { onProgress } : {}) });
    progress.bar?.stop();
    const tickDisplay = chosen ? { width: W * chosen.upsampler.scale, height: H * chosen.upsampler.scale, scale: chosen.upsampler.scale, upsampler: chosen.upsampler.kind, source: chosen.source } : null;
    return { ...report, tickScene: scene.id, tickThreads: threads, tickDisplay };
  } finally {
    await model.dispose();
    await chosen?.upsampler.dispose();
  }
}

/** The tick keys of a child's output, in their order. */
function pickTick(out: TickResult): TickResult {
  const { msPerTick, msPerTickPartsSum, tickParts, tickBudgetMs, ticksMeasured, tickScene, tickThreads, tickDisplay } = out;
  return { msPerTick, msPerTickPartsSum, tickParts, tickBudgetMs, ticksMeasured, tickScene, tickThreads, tickDisplay };
}

function tickLine(t: TickResult): string {
  const ms = (v: number | null): string => (v === null ? '–' : v.toFixed(1));
  const p = t.tickParts;
  const d = t.tickDisplay;
  return (
    `whole tick (${t.tickScene}, ${t.tickThreads} threads, median of ${t.ticksMeasured}${d ? `, display ${d.width}×${d.height} ${d.upsampler}` : ''}): ${t.msPerTick.toFixed(1)} ms of a ${t.tickBudgetMs} ms budget — ` +
    `physics ${ms(p.physics)}, depth ${ms(p.depth)}, memory render ${ms(p.memoryRender)}, memory insert ${ms(p.memoryInsert)}, model ${ms(p.model)}` +
    `${d ? `, display memory render ${ms(p.displayRender)}, upsampling ${ms(p.upsample)}` : ''} (part medians sum to ${t.msPerTickPartsSum.toFixed(1)})`
  );
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
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1)) throw new NextframeError('bad-argument', `${flag}: expected positive integers separated by commas, found "${text}"`);
  return values;
}

/**
 * `--scene-layout`: a JSON file holding a SceneLayout (engine/runtime/scene/SceneDescription.ts), checked
 * for what physics, spawning and the players read. All problems are listed in one error.
 */
function readSceneLayout(file: string): SceneLayout {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new NextframeError('bad-scene', `--scene-layout: ${file} could not be read as JSON (${(error as Error).message}). Expected a SceneLayout: { id, seed, bounds, statics, dynamics, spawn }.`, { cause: error });
  }
  const problems: string[] = [];
  const check = (ok: boolean, path: string, expected: string, found: unknown): void => {
    if (!ok) problems.push(`${path}: expected ${expected}, found ${JSON.stringify(found) ?? String(found)}`);
  };
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  const positive = (v: unknown): boolean => finite(v) && v > 0;
  const vec3 = (v: unknown, ok: (x: unknown) => boolean): boolean => Array.isArray(v) && v.length === 3 && v.every(ok);
  const record = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!record(raw)) throw new NextframeError('bad-scene', `--scene-layout: ${file} holds ${JSON.stringify(raw)?.slice(0, 40)}, not a SceneLayout object { id, seed, bounds, statics, dynamics, spawn }.`);
  check(typeof raw.id === 'string' && raw.id !== '', 'id', 'a non-empty string', raw.id);
  check(Number.isInteger(raw.seed), 'seed', 'an integer', raw.seed);
  const bounds = raw.bounds;
  check(record(bounds) && positive(bounds.halfX) && positive(bounds.halfZ), 'bounds', '{ halfX, halfZ } in metres, both > 0', bounds);
  const statics = raw.statics;
  check(Array.isArray(statics) && statics.length > 0, 'statics', 'a non-empty array of shapes (the player needs something to stand on)', Array.isArray(statics) ? '[]' : statics);
  (Array.isArray(statics) ? statics : []).forEach((shape: unknown, i) => {
    const at = `statics[${i}]`;
    if (!record(shape)) return check(false, at, 'a shape object', shape);
    check(typeof shape.id === 'string' && typeof shape.material === 'string', `${at}.id/.material`, 'strings', [shape.id, shape.material]);
    check(vec3(shape.position, finite), `${at}.position`, '[x, y, z] in metres', shape.position);
    check(finite(shape.yaw), `${at}.yaw`, 'a number (radians)', shape.yaw);
    switch (shape.kind) {
      case 'box':
      case 'ramp':
        return check(vec3(shape.size, positive), `${at}.size`, '[x, y, z] extents, all > 0', shape.size);
      case 'cylinder':
      case 'cone':
        return check(positive(shape.radius) && positive(shape.height), `${at}.radius/.height`, 'numbers > 0', [shape.radius, shape.height]);
      case 'sphere':
        return check(positive(shape.radius), `${at}.radius`, 'a number > 0', shape.radius);
      case 'mesh': {
        const { vertices, indices } = shape;
        const count = Array.isArray(vertices) ? vertices.length / 3 : 0;
        check(Array.isArray(vertices) && vertices.length > 0 && vertices.length % 3 === 0 && vertices.every(finite), `${at}.vertices`, 'x, y, z numbers, three per vertex', Array.isArray(vertices) ? `${vertices.length} values` : vertices);
        check(Array.isArray(indices) && indices.length > 0 && indices.length % 3 === 0 && indices.every((k) => Number.isInteger(k) && k >= 0 && k < count), `${at}.indices`, `vertex indices below ${count}, three per triangle`, Array.isArray(indices) ? `${indices.length} values` : indices);
        return check(vec3(shape.min, finite) && vec3(shape.max, finite), `${at}.min/.max`, '[x, y, z] bounds of the vertices', [shape.min, shape.max]);
      }
      default:
        return check(false, `${at}.kind`, 'box, cylinder, cone, sphere, ramp or mesh', shape.kind);
    }
  });
  const dynamics = raw.dynamics;
  check(Array.isArray(dynamics), 'dynamics', 'an array of balls and crates (may be empty)', dynamics);
  (Array.isArray(dynamics) ? dynamics : []).forEach((object: unknown, i) => {
    const at = `dynamics[${i}]`;
    if (!record(object)) return check(false, at, 'a ball or crate object', object);
    check(vec3(object.position, finite) && positive(object.mass), `${at}.position/.mass`, '[x, y, z] and a mass > 0', [object.position, object.mass]);
    if (object.kind === 'ball') return check(positive(object.radius), `${at}.radius`, 'a number > 0', object.radius);
    if (object.kind === 'crate') return check(vec3(object.size, positive) && finite(object.yaw), `${at}.size/.yaw`, 'extents > 0 and a yaw', [object.size, object.yaw]);
    return check(false, `${at}.kind`, 'ball or crate', object.kind);
  });
  const spawn = raw.spawn;
  const spawnOk = record(spawn) && [spawn.minX, spawn.maxX, spawn.minZ, spawn.maxZ].every(finite) && (spawn.minX as number) < (spawn.maxX as number) && (spawn.minZ as number) < (spawn.maxZ as number) && (spawn.floorY === undefined || finite(spawn.floorY));
  check(spawnOk, 'spawn', '{ minX < maxX, minZ < maxZ, floorY? } in metres', spawn);
  if (problems.length > 0) throw new NextframeError('bad-scene', `--scene-layout: ${file} is not a valid SceneLayout:\n  ${problems.join('\n  ')}`);
  return raw as unknown as SceneLayout;
}
