import { describe, expect, it } from 'vitest';
import { NextframeError } from '../../worldmodel/errors.ts';
import { FrameHistory } from '../../worldmodel/FrameHistory.ts';
import type { ModelManifest } from '../../worldmodel/manifestSchema.ts';
import type { Feed, Fetched, OrtSession } from '../../worldmodel/OrtSession.ts';
import { copyFrame, paintBatch, type PaintItem } from '../../worldmodel/paintBatch.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { SharedSession } from '../../worldmodel/SharedSession.ts';
import { validManifest } from './manifestFixture.ts';

const HW = 64; // the fixture manifest: 8×8, K = 2, A = 3
const F = 3 * HW;
const filled = (n: number, v: number) => new Float32Array(n).fill(v);

/** A session that records every run's feeds and denoises item b to the constant 0.1·(b + 1). */
function fakeSession() {
  const runs: Record<string, { data: number[]; dims: readonly number[] }>[] = [];
  const session = {
    async run(feeds: Record<string, Feed>): Promise<Fetched> {
      runs.push(Object.fromEntries(Object.entries(feeds).map(([name, f]) => [name, { data: Array.from(f.data), dims: [...f.dims] }])));
      const B = feeds.noisy!.dims[0]!;
      const data = new Float32Array(B * F);
      for (let b = 0; b < B; b++) data.fill(0.1 * (b + 1), b * F, (b + 1) * F);
      return { denoised: { data, dims: [B, 3, 8, 8] } };
    },
  } as unknown as OrtSession;
  return { session, runs };
}

/** A history of the fixture's size holding frames of `values` (oldest first) and the actions that led into them. */
function history(values: [number, number], actions: [number[], number[]]): FrameHistory {
  const h = new FrameHistory({ frames: 2, frameSize: F, actionSize: 3 });
  h.reset([filled(F, values[0]), filled(F, values[1])], actions.map((a) => Float32Array.from(a)));
  return h;
}

function item(h: FrameHistory, encoded: number[], extra: Partial<PaintItem> = {}): PaintItem {
  return { history: h, memory: null, encoded: Float32Array.from(encoded), conditioning: {}, chain: [], noise: new SeededRandom(1), ...extra };
}

describe('paintBatch', () => {
  it("writes each item's context and actions (history, then its chain) and paints all in one run per step", async () => {
    const { session, runs } = fakeSession();
    const shared = new SharedSession(session, validManifest(), { steps: 2 });
    const chainStep = { frame: filled(F, 0.9), encoded: Float32Array.from([1, 0, 1]) };
    const items = [
      item(history([0.1, 0.2], [[0, 0, 0], [0.5, 0, 0]]), [0.25, 0.5, 0]),
      item(history([0.3, 0.4], [[0, 0, 0], [0, 0.75, 1]]), [0, -0.5, 1], { chain: [chainStep] }),
    ];
    await paintBatch(shared, items, () => null);
    expect(runs).toHaveLength(2); // two Euler steps, each one run of the whole batch
    const { context, actions } = runs[0]!;
    expect(context!.dims).toEqual([2, 6, 8, 8]);
    expect(actions!.dims).toEqual([2, 2, 3]);
    const at = (data: number[], b: number, k: number) => data.slice((2 * b + k) * F, (2 * b + k + 1) * F);
    // Item 0: its history's two frames. Item 1: its history's newest frame, then the chain's.
    expect([at(context!.data, 0, 0), at(context!.data, 0, 1), at(context!.data, 1, 0), at(context!.data, 1, 1)].map((f) => new Set(f.map((v) => Math.fround(v))))).toEqual(
      [0.1, 0.2, 0.4, 0.9].map((v) => new Set([Math.fround(v)])),
    );
    // Actions: the one that led into the newest context frame, then the one taken now.
    expect(actions!.data.slice(0, 6)).toEqual([0.5, 0, 0, 0.25, 0.5, 0]);
    expect(actions!.data.slice(6, 12)).toEqual([1, 0, 1, 0, -0.5, 1]);
  });

  it('hands each item and its index to `read` and returns what it gives, in item order', async () => {
    const shared = new SharedSession(fakeSession().session, validManifest(), { steps: 1 });
    const h = history([0, 0], [[0, 0, 0], [0, 0, 0]]);
    const seen: number[] = [];
    const frames = await paintBatch(shared, [item(h, [0, 0, 0]), item(h, [0, 0, 0]), item(h, [0, 0, 0])], (batchItem, b) => {
      seen.push(b);
      return copyFrame(batchItem.frame, undefined);
    });
    expect(seen).toEqual([0, 1, 2]);
    // One Euler step from σmax lands on the denoiser's answer: 0.1·(b + 1) for item b.
    frames.forEach((frame, b) => {
      expect(frame).toHaveLength(F);
      for (const v of frame) expect(v).toBeCloseTo(0.1 * (b + 1), 5);
    });
  });

  it('gives the batch back after the run, and when writing an item fails', async () => {
    const shared = new SharedSession(fakeSession().session, validManifest(), {});
    const batch = shared.takeBatch(1);
    shared.giveBack(batch);
    const h = history([0, 0], [[0, 0, 0], [0, 0, 0]]);
    let items: unknown;
    await paintBatch(shared, [item(h, [0, 0, 0])], (batchItem) => (items = batchItem));
    expect(items).toBe(batch.items[0]);
    expect(shared.takeBatch(1)).toBe(batch);
    shared.giveBack(batch);
    // The fixture model takes no depth stream: writing the item throws, and the batch still goes back.
    const bad = paintBatch(shared, [item(h, [0, 0, 0], { conditioning: { depth: new Float32Array(HW) } })], () => null);
    await expect(bad).rejects.toBeInstanceOf(NextframeError);
    await expect(bad).rejects.toMatchObject({ code: 'bad-conditioning' });
    expect(shared.takeBatch(1)).toBe(batch);
  });

  it('gives an item without memory an empty memory stream (coverage 0), whatever the buffers held', async () => {
    const base = validManifest();
    const manifest: ModelManifest = { ...base, conditioning: ['context', 'actions', 'memory'] };
    const { session, runs } = fakeSession();
    const shared = new SharedSession(session, manifest, { steps: 1 });
    const batch = shared.takeBatch(1);
    batch.items[0]!.memory!.fill(0.7); // left over from an earlier run
    shared.giveBack(batch);
    await paintBatch(shared, [item(history([0, 0], [[0, 0, 0], [0, 0, 0]]), [0, 0, 0])], () => null);
    expect(runs[0]!.memory!.dims).toEqual([1, 4, 8, 8]);
    expect(runs[0]!.memory!.data.every((v) => v === 0)).toBe(true);
  });
});

describe('copyFrame', () => {
  it('copies into `out` when given, else into a new array, never sharing the source', () => {
    const source = Float32Array.from([0.5, -1, 1]);
    const out = new Float32Array(3);
    expect(copyFrame(source, out)).toBe(out);
    expect(Array.from(out)).toEqual([0.5, -1, 1]);
    const fresh = copyFrame(source, undefined);
    expect(fresh).not.toBe(source);
    source[0] = 0;
    expect(Array.from(fresh)).toEqual([0.5, -1, 1]);
  });
});
