import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffusionSampler } from '../../worldmodel/DiffusionSampler.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';
import { errorOf } from '../support/errorOf.ts';

const fixtureDir = (id: string) => fileURLToPath(new URL(`../fixtures/${id}/`, import.meta.url));
const gray = (model: WorldModel, v = 0) => new Float32Array(3 * model.width * model.height).fill(v);
const initial = (model: WorldModel) => Array.from({ length: model.contextFrames }, (_, i) => gray(model, -0.5 + 0.25 * i));

describe('WorldModel', () => {
  it('loads from a folder path, resets, steps and disposes', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'));
    expect(model.backend).toBe('wasm');
    expect(model.manifest.id).toBe('tiny');
    expect(model.takesView).toBe(false); // no memory or depth stream
    model.reset(initial(model));
    const frame = await model.step({ forward: 0.2, yaw: 0.1 });
    expect(frame.length).toBe(3 * model.width * model.height);
    expect(frame.every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(new Set(frame).size).toBeGreaterThan(100); // a real image, not a constant
    expect(model.lastStepMs).toBeGreaterThan(0);
    await model.dispose();
    await expect(model.step({})).rejects.toThrow(/after dispose/);
  });

  it('is reproducible bit for bit with a seed; actions and seeds change the frame', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'), { seed: 3 });
    const roll = async (action: Record<string, number>) => {
      model.reset(initial(model));
      const frames = [];
      for (let t = 0; t < 3; t++) frames.push(Array.from(await model.step(action)));
      return frames;
    };
    const a = await roll({ forward: 0.3 });
    expect(await roll({ forward: 0.3 })).toEqual(a);
    expect(await roll({ yaw: -0.2 })).not.toEqual(a);
    await model.dispose();
    const other = await WorldModel.load(fixtureDir('tiny'), { seed: 4 });
    other.reset(initial(other));
    expect(Array.from(await other.step({ forward: 0.3 }))).not.toEqual(a[0]);
    await other.dispose();
  });

  it('the context matters: different history, different next frame', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'));
    model.reset(initial(model));
    const a = Array.from(await model.step({}));
    model.reset(Array.from({ length: model.contextFrames }, () => gray(model, 0.7)));
    const b = Array.from(await model.step({}));
    expect(a).not.toEqual(b);
    await model.dispose();
  });

  it('writes into a caller buffer and honours sampler overrides', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'), { sampler: { steps: 1 } });
    expect(model.sampler.steps).toBe(1);
    model.reset(initial(model));
    const out = gray(model);
    expect(await model.step({}, {}, out)).toBe(out);
    await model.dispose();
  });

  it('takes memory and depth streams when the model declares them', async () => {
    const model = await WorldModel.load(fixtureDir('tiny-streams'));
    expect(model.manifest.conditioning).toEqual(['context', 'actions', 'memory', 'depth']);
    expect(model.takesView).toBe(true);
    model.reset(initial(model));
    const HW = model.width * model.height;
    const depth = new Float32Array(HW).fill(0.2);
    const noMemory = Array.from(await model.step({}, { depth }));
    model.reset(initial(model));
    const memory = new Float32Array(4 * HW).fill(0.5);
    const withMemory = Array.from(await model.step({}, { depth, memory }));
    expect(withMemory).not.toEqual(noMemory);
    model.reset(initial(model));
    await expect(model.step({}, {})).rejects.toThrow(/needs proxy depth/);
    await expect(model.step({}, { depth: new Float32Array(3) })).rejects.toThrow(/"depth" must be a Float32Array of 1024 values/);
    await model.dispose();
  });

  it('with a view, renders its spatial memory into the model and remembers each painted frame', async () => {
    const model = await WorldModel.load(fixtureDir('tiny-streams'));
    const HW = model.width * model.height;
    const pose = { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 };
    const depth = new Float32Array(HW).fill(5); // a wall 5 m ahead fills the view
    const frames = initial(model);
    model.reset(frames, undefined, [{ pose, depth }]);
    expect(model.memory!.size).toBe(1);
    const seen = Array.from(await model.step({}, { view: { pose, depth } }));
    expect(model.memory!.lastCoverage).toBe(1); // the start view covers the same view exactly
    expect(model.memory!.size).toBe(2); // … and the painted frame was remembered
    // The same step with the memory it rendered passed by hand gives the same frame.
    const memory = new SpatialMemory({ width: model.width, height: model.height, ...model.manifest.camera });
    memory.insert(frames.at(-1)!, depth, pose, 0);
    model.reset(frames);
    const normalised = new Float32Array(HW).fill(Math.min(1, 5 / model.manifest.camera.far) * 2 - 1);
    expect(Array.from(await model.step({}, { memory: memory.render(pose, depth), depth: normalised }))).toEqual(seen);
    // Memory off: an empty stream, nothing remembered.
    model.memoryEnabled = false;
    model.reset(frames, undefined, [{ pose, depth }]);
    expect(model.memory!.size).toBe(0);
    const off = Array.from(await model.step({}, { view: { pose, depth } }));
    expect(model.memory!.size).toBe(0);
    expect(off).not.toEqual(seen);
    await expect(model.step({}, { view: { pose, depth: new Float32Array(3) } })).rejects.toThrow(/view must be \{ pose/);
    await model.dispose();
  });

  it('starts memory from a survey\'s real views, older than the reset\'s views, and says what a survey needs', async () => {
    const model = await WorldModel.load(fixtureDir('tiny-streams'));
    const HW = model.width * model.height;
    const depth = new Float32Array(HW).fill(5);
    const view = (yaw: number): { pose: { x: number; y: number; z: number; yaw: number; pitch: number }; depth: Float32Array } => ({ pose: { x: 0, y: 1.6, z: 0, yaw, pitch: 0 }, depth });
    const frames = initial(model);
    const survey = { frames: [frames[0]!, frames[0]!], views: [view(Math.PI / 2), view(Math.PI)] };
    model.reset(frames, undefined, [view(0)], undefined, undefined, survey);
    expect(model.memory!.ticks).toEqual([-2, -1, 0]);
    expect(model.memory!.poses.map((p) => p.yaw)).toEqual([Math.PI / 2, Math.PI, 0].map((yaw) => expect.closeTo(yaw, 6))); // kept as float32
    expect(() => model.reset(frames, undefined, [view(0)], undefined, undefined, { frames: survey.frames, views: [view(1)] })).toThrow(/a survey needs one view per frame, found 2 frames, 1 views/);
    model.memoryEnabled = false; // memory off: nothing remembered, the survey included
    model.reset(frames, undefined, [view(0)], undefined, undefined, survey);
    expect(model.memory!.size).toBe(0);
    await model.dispose();
  });

  it('starts sampling around the base image when the manifest says start: "base"', async () => {
    const dir = fixtureDir('tiny-streams');
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    const bytes = new Uint8Array(readFileSync(join(dir, manifest.modelFile)));
    const plain = await WorldModel.fromBytes(manifest, bytes, { sampler: { steps: 1 } });
    const based = await WorldModel.fromBytes({ ...manifest, sampler: { ...manifest.sampler, start: 'base' } }, bytes, { sampler: { steps: 1 } });
    const HW = plain.width * plain.height;
    const depth = new Float32Array(HW).fill(-0.9);
    const memory = new Float32Array(4 * HW);
    for (let p = 0; p < HW; p++) {
      memory[p] = 0.8; // red channel of memory where covered (left half)
      memory[3 * HW + p] = p % plain.width < plain.width / 2 ? 1 : 0;
    }
    for (let p = 0; p < HW; p++) if (memory[3 * HW + p] === 0) memory[p] = 0;
    const frames = initial(plain);
    const outs: number[][] = [];
    for (const model of [plain, based]) {
      model.reset(frames);
      outs.push(Array.from(await model.step({}, { memory, depth })));
    }
    // One Euler step to σ = 0 returns D(x0) where x0 differs by the base image: the outputs differ,
    // and the denoiser saw start = base + σmax·n (checked through the sampler with the same noise).
    expect(outs[0]).not.toEqual(outs[1]);
    const sampler = new DiffusionSampler({ ...manifest.sampler, steps: 1 });
    const starts: Float32Array[] = [];
    const record = async (noisy: Float32Array) => {
      starts.push(Float32Array.from(noisy));
      return new Float32Array(noisy.length);
    };
    const base = new Float32Array(3 * HW);
    const last = frames.at(-1)!;
    for (let c = 0; c < 3; c++) for (let p = 0; p < HW; p++) base[c * HW + p] = memory[c * HW + p]! * memory[3 * HW + p]! + last[c * HW + p]! * (1 - memory[3 * HW + p]!);
    await sampler.sample(record, new Float32Array(3 * HW), new SeededRandom(0));
    await sampler.sample(record, new Float32Array(3 * HW), new SeededRandom(0), base);
    for (let j = 0; j < 3 * HW; j += 97) expect(starts[1]![j]! - starts[0]![j]!).toBeCloseTo(base[j]!, 5);
    await plain.dispose();
    await based.dispose();
  });

  it('paints the same frames whether runs of one batch size overlap or follow each other', async () => {
    const model = await WorldModel.load(fixtureDir('tiny-streams'));
    const HW = model.width * model.height;
    const view = (x: number) => ({ pose: { x, y: 1.6, z: 0, yaw: 0, pitch: 0 }, depth: new Float32Array(HW).fill(4 + x) });
    model.reset(initial(model), undefined, [view(0)]);
    const branch = (yaw: number) => model.sampleBranches([{ action: { yaw }, conditioning: { view: view(yaw) } }]);
    const frames = (runs: Awaited<ReturnType<typeof branch>>[]) => runs.map(([f]) => Array.from(f!.frame));
    // A tick's run of one while a speculation run of one is in flight, say.
    const apart = frames([await branch(0.1), await branch(-0.1)]);
    expect(apart[0]).not.toEqual(apart[1]);
    expect(frames(await Promise.all([branch(0.1), branch(-0.1)]))).toEqual(apart);
    // Forks stepping at once, each with its own history and noise.
    const forks = () => [0, 1].map((b) => {
      const fork = model.fork({ seed: b });
      fork.reset(initial(fork).map((f) => f.map((v) => v + 0.1 * b)), undefined, [view(b)]);
      return fork;
    });
    const [a, b] = forks();
    const alone = [Array.from(await a!.step({ forward: 0.2 }, { view: view(1) })), Array.from(await b!.step({ yaw: 0.2 }, { view: view(2) }))];
    const [c, d] = forks();
    const together = await Promise.all([c!.step({ forward: 0.2 }, { view: view(1) }), d!.step({ yaw: 0.2 }, { view: view(2) })]);
    expect(together.map((f) => Array.from(f))).toEqual(alone);
    for (const m of [a, b, c, d, model]) await m!.dispose();
  });

  it('rejects bad input with clear errors and never paints a wrong frame', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'));
    await expect(model.step({})).rejects.toThrow(/reset/);
    expect(() => model.reset([gray(model)])).toThrow(/exactly 2 initial frames/);
    expect(() => model.reset([gray(model), new Float32Array(10)])).toThrow(/frame 1: expected a frame of 3072 values.*found 10/);
    const nan = gray(model);
    nan[7] = Number.NaN;
    expect(() => model.reset([gray(model), nan])).toThrow(/index 7 is NaN/);
    model.reset(initial(model));
    await expect(model.step([0, 0])).rejects.toThrow(/expected 7 action values \(forward, strafe, up, yaw, pitch, jump, interact\), found 2/);
    await expect(model.step({ forward: Number.NaN })).rejects.toThrow(/"forward" must be a finite number/);
    await expect(model.step({}, { depth: new Float32Array(1024) })).rejects.toThrow(/takes no "depth" stream/);
    await model.dispose();
  });

  it('rejects a model file that is not ONNX', async () => {
    const manifest = JSON.parse(readFileSync(join(fixtureDir('tiny'), 'manifest.json'), 'utf8'));
    const error = await errorOf(WorldModel.fromBytes(manifest, new TextEncoder().encode('<!doctype html><p>Not found</p>')));
    expect(error.code).toBe('not-onnx');
    expect(error.message).toMatch(/not an ONNX model.*HTML page/);
  });

  it('rejects a manifest that disagrees with the ONNX graph, listing every mismatch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-'));
    copyFileSync(join(fixtureDir('tiny'), 'model.onnx'), join(dir, 'model.onnx'));
    const manifest = JSON.parse(readFileSync(join(fixtureDir('tiny'), 'manifest.json'), 'utf8'));
    // A consistent manifest for a 16×16 model: it validates on its own but not against the graph.
    manifest.resolution = { width: 16, height: 16 };
    for (const spec of [...manifest.inputs, ...manifest.outputs]) if (spec.shape.length === 4) spec.shape = [spec.shape[0], spec.shape[1], 16, 16];
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const error = await errorOf(WorldModel.load(dir));
    expect(error.code).toBe('manifest-mismatch');
    expect(error.message).toMatch(/3 mismatches/);
    expect(error.message).toMatch(/input "noisy": manifest says shape \[batch, 3, 16, 16\], ONNX graph says \[batch, 3, 32, 32\]/);
    expect(error.message).toMatch(/output "denoised"/);
  });

  it('rejects an invalid manifest before touching the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-'));
    const manifest = JSON.parse(readFileSync(join(fixtureDir('tiny'), 'manifest.json'), 'utf8'));
    manifest.tickHz = -1;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const error = await errorOf(WorldModel.load(join(dir, 'manifest.json')));
    expect(error.code).toBe('manifest-invalid');
    expect(error.message).toMatch(/"tickHz".*found -1/);
  });

  describe('over HTTP', () => {
    let server: Server;
    let base = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        const file = req.url?.replace(/^\/models\/tiny\//, '');
        if (file && ['manifest.json', 'model.onnx'].includes(file)) {
          const body = readFileSync(join(fixtureDir('tiny'), file));
          res.writeHead(200, { 'content-length': body.length });
          res.end(body);
        } else {
          res.writeHead(404).end('not found');
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('loads from a URL with download progress', async () => {
      const progress: [number, number | null][] = [];
      const model = await WorldModel.load(`${base}/models/tiny/`, { onProgress: (loaded, total) => progress.push([loaded, total]) });
      expect(model.manifest.id).toBe('tiny');
      const last = progress.at(-1)!;
      expect(last[0]).toBe(last[1]);
      expect(last[0]).toBeGreaterThan(1000);
      await model.dispose();
    });

    it('a 404 says which URL and what to check', async () => {
      const error = await errorOf(WorldModel.load(`${base}/models/missing/`));
      expect(error.code).toBe('model-not-found');
      expect(error.message).toMatch(/manifest\.json at http:\/\/127\.0\.0\.1:\d+\/models\/missing\/manifest\.json answered HTTP 404/);
    });
  });
});
