import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DiffusionSampler } from '../../worldmodel/DiffusionSampler.ts';
import type { ModelManifest } from '../../worldmodel/manifestSchema.ts';
import { ModelBatch } from '../../worldmodel/ModelBatch.ts';
import { OrtSession, type Feed, type Fetched } from '../../worldmodel/OrtSession.ts';
import { parseManifest } from '../../worldmodel/parseManifest.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { buildSigmas } from '../../worldmodel/sigmas.ts';
import { validManifest } from './manifestFixture.ts';

const HW = 64; // the fixture manifest: 8×8, K = 2, A = 3
const F = 3 * HW;

/** A session that records every run's feeds (copied) and answers a constant denoised frame. */
function fakeSession(denoised: number) {
  const runs: Record<string, { data: number[]; dims: readonly number[] }>[] = [];
  const session = {
    async run(feeds: Record<string, Feed>): Promise<Fetched> {
      runs.push(Object.fromEntries(Object.entries(feeds).map(([name, f]) => [name, { data: Array.from(f.data), dims: [...f.dims] }])));
      const B = feeds.noisy!.dims[0]!;
      return { denoised: { data: new Float32Array(B * F).fill(denoised), dims: [B, 3, 8, 8] } };
    },
  } as unknown as OrtSession;
  return { session, runs };
}

function withStreams(start?: 'base'): ModelManifest {
  const m = validManifest();
  return { ...m, conditioning: ['context', 'actions', 'memory', 'depth'], sampler: { ...m.sampler, ...(start ? { start } : {}) } };
}

describe('ModelBatch', () => {
  it('gives each item its own slice of every input the model declares', () => {
    const { session } = fakeSession(0);
    const plain = new ModelBatch(session, validManifest(), {}, 3);
    expect(plain.items).toHaveLength(3);
    for (const item of plain.items) {
      expect([item.context.length, item.actions.length, item.frame.length]).toEqual([2 * F, 2 * 3, F]);
      expect([item.memory, item.depth]).toEqual([undefined, undefined]);
    }
    const streams = new ModelBatch(session, withStreams(), {}, 2);
    const [a, b] = streams.items;
    expect([a!.memory!.length, a!.depth!.length]).toEqual([4 * HW, HW]);
    // Slices do not overlap: writing one item leaves the other as it was.
    a!.context.fill(1);
    a!.memory!.fill(1);
    a!.depth!.fill(1);
    a!.actions.fill(1);
    expect([b!.context, b!.memory!, b!.depth!, b!.actions].every((s) => s.every((v) => v === 0))).toBe(true);
  });

  it('runs the whole batch once per denoising step, with the declared shapes and each step’s σ', async () => {
    const { session, runs } = fakeSession(0.25);
    const batch = new ModelBatch(session, withStreams(), { steps: 3 }, 2);
    batch.items.forEach((item, b) => item.context.fill(b + 1));
    await batch.sample([new SeededRandom(1), new SeededRandom(2)]);
    const sigmas = buildSigmas(3, 0.002, 5, 7);
    expect(runs).toHaveLength(3);
    runs.forEach((feeds, i) => {
      expect(Object.fromEntries(Object.entries(feeds).map(([name, f]) => [name, f.dims]))).toEqual({
        sigma: [2],
        context: [2, 6, 8, 8],
        actions: [2, 2, 3],
        memory: [2, 4, 8, 8],
        depth: [2, 1, 8, 8],
        noisy: [2, 3, 8, 8],
      });
      expect(feeds.sigma!.data).toEqual([Math.fround(sigmas[i]!), Math.fround(sigmas[i]!)]);
      expect(feeds.context!.data[0]).toBe(1);
      expect(feeds.context!.data[2 * F]).toBe(2);
    });
    // The denoiser answered 0.25 everywhere: the sampler lands there, in each item's frame.
    for (const item of batch.items) item.frame.forEach((v) => expect(v).toBeCloseTo(0.25, 4));
  });

  it('draws item b’s starting noise from generator b', async () => {
    const { session, runs } = fakeSession(0);
    const batch = new ModelBatch(session, validManifest(), { steps: 1 }, 2);
    await batch.sample([new SeededRandom(7), new SeededRandom(8)]);
    const noisy = runs[0]!.noisy!.data;
    expect(noisy.slice(0, F)).toEqual(Array.from(new SeededRandom(7).fillGaussian(new Float32Array(F), 5)));
    expect(noisy.slice(F)).toEqual(Array.from(new SeededRandom(8).fillGaussian(new Float32Array(F), 5)));
    await expect(batch.sample([new SeededRandom(7)])).rejects.toThrow(/one noise generator per item \(2\), found 1/);
  });

  it('start: "base" models start around memory colour × coverage + newest frame × (1 − coverage)', async () => {
    const { session, runs } = fakeSession(0);
    const batch = new ModelBatch(session, withStreams('base'), { steps: 1 }, 1);
    const [item] = batch.items;
    item!.context.fill(-0.5, 0, F).fill(0.4, F); // oldest frame −0.5, newest 0.4
    for (let p = 0; p < HW; p++) {
      for (let c = 0; c < 3; c++) item!.memory![c * HW + p] = 0.8;
      item!.memory![3 * HW + p] = p < HW / 2 ? 1 : 0.25; // coverage
    }
    await batch.sample([new SeededRandom(3)]);
    const noise = new SeededRandom(3).fillGaussian(new Float32Array(F), 5);
    const noisy = runs[0]!.noisy!.data;
    for (let j = 0; j < F; j++) {
      const cover = j % HW < HW / 2 ? 1 : 0.25;
      expect(noisy[j]! - noise[j]!).toBeCloseTo(0.8 * cover + 0.4 * (1 - cover), 5);
    }
  });

  it('paints on a real session what one unbatched run per item paints', async () => {
    const dir = new URL('../fixtures/tiny/', import.meta.url);
    const manifest = parseManifest(JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')));
    const session = await OrtSession.create(new Uint8Array(readFileSync(new URL('model.onnx', dir))));
    const [W, H, K, A] = [32, 32, 2, 7];
    const batch = new ModelBatch(session, manifest, manifest.sampler, 2);
    batch.items.forEach((item, b) => {
      item.context.forEach((_, i) => (item.context[i] = Math.sin(i * 0.1 + b)));
      item.actions.forEach((_, i) => (item.actions[i] = ((i + b) % 3) - 1));
    });
    await batch.sample([new SeededRandom(11), new SeededRandom(12)]);
    for (const [b, item] of batch.items.entries()) {
      const alone = new Float32Array(3 * W * H);
      const denoise = async (noisy: Float32Array, sigma: number) =>
        (
          await session.run({
            sigma: { data: new Float32Array([sigma]), dims: [1] },
            context: { data: item.context.slice(), dims: [1, K * 3, H, W] },
            actions: { data: item.actions.slice(), dims: [1, K, A] },
            noisy: { data: noisy, dims: [1, 3, H, W] },
          })
        ).denoised!.data;
      await new DiffusionSampler(manifest.sampler).sample(denoise, alone, new SeededRandom(11 + b));
      expect(Array.from(item.frame)).toEqual(Array.from(alone));
    }
    await session.dispose();
  });

  it('refuses a batch size that is not a positive integer', () => {
    const { session } = fakeSession(0);
    expect(() => new ModelBatch(session, validManifest(), {}, 0)).toThrow(/ModelBatch: the batch size must be a positive integer, found 0/);
  });
});
