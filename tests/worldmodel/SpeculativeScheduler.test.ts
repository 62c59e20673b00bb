import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ActionInput } from '../../worldmodel/ActionCodec.ts';
import { SpeculativeScheduler } from '../../worldmodel/SpeculativeScheduler.ts';
import { WorldModel, type View } from '../../worldmodel/WorldModel.ts';

const fixtureDir = (id: string) => fileURLToPath(new URL(`../fixtures/${id}/`, import.meta.url));
const initial = (model: WorldModel) => Array.from({ length: model.contextFrames }, (_, i) => new Float32Array(3 * model.width * model.height).fill(-0.5 + 0.25 * i));
const view = (model: WorldModel, yaw: number): View => ({ pose: { x: 0, y: 1.6, z: 0, yaw, pitch: 0 }, depth: new Float32Array(model.width * model.height).fill(3 + yaw) });
const fwd = { forward: 0.2 };
const turn = { yaw: 0.1 };

async function drain(scheduler: SpeculativeScheduler, conditioning = {}): Promise<number> {
  let total = 0;
  for (let n = (await scheduler.speculate(conditioning)).length; n > 0; n = (await scheduler.speculate(conditioning)).length) total += n;
  return total;
}

describe('SpeculativeScheduler', () => {
  it('commits a speculated frame that is the very frame painting on demand gives, and counts the hit', async () => {
    const actions = [fwd, fwd, fwd, turn, turn, fwd];
    const play = async (mode: 'off' | 'single' | 'multi') => {
      const model = await WorldModel.load(fixtureDir('tiny'), { seed: 5 });
      model.reset(initial(model));
      const scheduler = new SpeculativeScheduler(model, { mode, lookahead: 2, budget: 6 });
      const frames: number[][] = [];
      const hits: boolean[] = [];
      for (const action of actions) {
        await drain(scheduler);
        const result = await scheduler.advance(action);
        frames.push(Array.from(result.frame));
        hits.push(result.hit);
      }
      await model.dispose();
      return { frames, hits, stats: scheduler.stats };
    };
    const off = await play('off');
    const single = await play('single');
    const multi = await play('multi');
    expect(off.hits.every((h) => !h)).toBe(true);
    expect(single.hits).toEqual([false, true, true, false, true, false]);
    expect(multi.hits.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    expect(multi.hits[0]).toBe(false); // nothing to predict from before the first action
    // Speculation changes when frames are painted, never what they are.
    expect(single.frames).toEqual(off.frames);
    expect(multi.frames).toEqual(off.frames);
    expect(off.stats.framesPainted).toBe(actions.length);
    expect(multi.stats.framesPainted).toBeGreaterThan(actions.length);
  });

  it('discards every branch that assumed another action', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'));
    model.reset(initial(model));
    const scheduler = new SpeculativeScheduler(model, { mode: 'multi', branches: 3, budget: 3, coverage: 1 });
    await scheduler.advance(fwd);
    expect(await drain(scheduler)).toBe(3);
    expect(scheduler.pending).toBe(3);
    expect(scheduler.ready(fwd)).toBe(true);
    const surprise = { strafe: -0.4, jump: 1 };
    expect(scheduler.ready(surprise)).toBe(false);
    const result = await scheduler.advance(surprise);
    expect(result.hit).toBe(false);
    expect(scheduler.pending).toBe(0);
    expect(scheduler.stats.discarded).toBe(3);
    expect(model.tick).toBe(2);
    await model.dispose();
  });

  it('keeps within the budget and the lookahead', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'));
    model.reset(initial(model));
    const single = new SpeculativeScheduler(model, { mode: 'single', lookahead: 3, budget: 10 });
    await single.advance(fwd);
    expect(await drain(single)).toBe(3); // one chain, 3 ticks deep
    model.reset(initial(model));
    const multi = new SpeculativeScheduler(model, { mode: 'multi', lookahead: 4, branches: 5, budget: 7, coverage: 1 });
    await multi.advance(fwd);
    const before = multi.stats.runs;
    expect(await drain(multi)).toBe(7);
    expect(multi.stats.runs - before).toBe(3); // 5 candidates in one batched run, then 2 ticks deeper down the likeliest path
    await multi.advance(fwd); // a hit: the budget starts again, the tree is reused
    expect(multi.stats.hits).toBe(1);
    // The tree kept the hit's chain (2 ticks deep): the 4 other candidates and the chain's next
    // frame share one run, the last tick of the lookahead takes a second.
    const runs = multi.stats.runs;
    expect(await drain(multi)).toBe(6);
    expect(multi.stats.runs - runs).toBe(2);
    await model.dispose();
  });

  it('carries unspent budget over, up to twice the budget, and holds the average', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'));
    model.reset(initial(model));
    const scheduler = new SpeculativeScheduler(model, { mode: 'multi', lookahead: 1, branches: 8, budget: 2, coverage: 1 });
    await scheduler.advance(fwd);
    expect(await drain(scheduler)).toBe(2); // 8 candidates wanted, 2 afforded
    await scheduler.advance(turn); // a miss: nothing was spent on speculation
    await scheduler.advance(turn);
    await scheduler.advance(turn);
    expect(await drain(scheduler)).toBe(4); // three idle ticks, but the credit stops at 2 · budget
    let speculated = 6;
    for (const action of [turn, fwd, turn, fwd]) {
      await scheduler.advance(action);
      speculated += await drain(scheduler);
    }
    expect(speculated).toBeLessThanOrEqual(2 * 8); // 8 ticks so far: on average within the budget
    const onDemand = scheduler.stats.ticks - scheduler.stats.hits;
    expect(scheduler.stats.framesPainted).toBe(speculated + onDemand);
    await model.dispose();
  });

  it('paints few candidates when the predictor is sure, more when it is not', async () => {
    const model = await WorldModel.load(fixtureDir('tiny'));
    model.reset(initial(model));
    const scheduler = new SpeculativeScheduler(model, { mode: 'multi', lookahead: 1, branches: 16, budget: 16, coverage: 0.99 });
    const painted: number[] = [];
    const play = async (action: ActionInput) => {
      await scheduler.advance(action);
      painted.push(await drain(scheduler));
    };
    for (let t = 0; t < 20; t++) await play(fwd); // a player who holds one key
    const steady = painted.slice(-5);
    expect(Math.max(...steady)).toBeLessThanOrEqual(2);
    expect(scheduler.stats.hits).toBeGreaterThanOrEqual(18);
    painted.length = 0;
    const restless = [turn, { strafe: 0.2 }, { yaw: -0.1, interact: 1 }, fwd, { pitch: 0.1 }, turn, { strafe: -0.2 }];
    for (const action of restless) await play(action);
    expect(Math.max(...painted)).toBeGreaterThanOrEqual(4);
    await model.dispose();
  });

  it('history and spatial memory only ever see committed frames', async () => {
    const model = await WorldModel.load(fixtureDir('tiny-streams'));
    model.reset(initial(model), undefined, [view(model, 0)]);
    const memory = model.memory!;
    const scheduler = new SpeculativeScheduler(model, { mode: 'multi', lookahead: 2, budget: 6, coverage: 1 });
    await scheduler.advance(fwd, { view: view(model, 0.1) });
    expect(memory.size).toBe(2);
    expect(memory.ticks).toEqual([0, 1]);
    const coverageBefore = Array.from(memory.render(view(model, 0.1).pose, view(model, 0.1).depth));
    const speculated = await drain(scheduler, { view: view(model, 0.1) });
    expect(speculated).toBe(6);
    // Nothing speculated entered memory or history.
    expect(memory.size).toBe(2);
    expect(model.tick).toBe(1);
    expect(Array.from(memory.render(view(model, 0.1).pose, view(model, 0.1).depth))).toEqual(coverageBefore);
    const result = await scheduler.advance(fwd, { view: view(model, 0.2) });
    expect(result.hit).toBe(true);
    expect(memory.size).toBe(3);
    expect(model.tick).toBe(2);
    // A discarded branch cannot be committed afterwards.
    const stale = await model.sampleBranches([{ action: turn, conditioning: { view: view(model, 0.3) } }]);
    await scheduler.advance(fwd, { view: view(model, 0.3) });
    await expect(model.commit(stale[0]!)).rejects.toThrow(/not the committed one/);
    expect(memory.size).toBe(4);
    await model.dispose();
  });

  it('paints each speculated frame for the view the host predicts from its assumed actions, and remembers a hit there', async () => {
    const model = await WorldModel.load(fixtureDir('tiny-streams'));
    model.reset(initial(model), undefined, [view(model, 0)]);
    const scheduler = new SpeculativeScheduler(model, { mode: 'multi', lookahead: 2, branches: 3, budget: 6, coverage: 1 });
    await scheduler.advance(fwd, { view: view(model, 0) });
    const asked: string[][] = [];
    // A stand-in for the host's pose prediction: the view's yaw encodes the path it was asked for.
    const viewFor = (path: readonly Uint8Array[]): View => view(model, 1 + asked.findIndex((p) => p.join('|') === path.map((b) => b.join('.')).join('|')));
    const predict = (path: readonly Uint8Array[]) => {
      asked.push(path.map((b) => b.join('.')));
      return { view: viewFor(path) };
    };
    expect(await drain(scheduler, predict)).toBe(4); // 3 candidates, then 1 deeper down the likeliest
    const fwdKey = model.codec.key(fwd);
    const roots = asked.filter((p) => p.length === 1);
    const deeper = asked.filter((p) => p.length === 2);
    expect(roots.map((p) => p[0])).toContain(fwdKey);
    expect(deeper.length).toBeGreaterThan(0);
    // A deeper frame's path starts with the candidate it continues.
    for (const p of deeper) expect(roots.map((r) => r[0])).toContain(p[0]);
    const fwdView = view(model, 1 + asked.findIndex((p) => p.length === 1 && p[0] === fwdKey));
    const result = await scheduler.advance(fwd, { view: view(model, 9) });
    expect(result.hit).toBe(true);
    // Remembered at the view it was painted for, not the tick's.
    expect(model.memory!.poses.at(-1)!.yaw).toBeCloseTo(fwdView.pose.yaw, 5);
    // After the hit, paths start after the committed frame again.
    asked.length = 0;
    await drain(scheduler, predict);
    expect(asked.every((p) => p.length <= 2)).toBe(true);
    expect(asked.some((p) => p.length === 1)).toBe(true);
    await model.dispose();
  });

  it('keeps start: "base" models sampling around each branch\'s own base image', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = { ...JSON.parse(readFileSync(fixtureDir('tiny') + 'manifest.json', 'utf8')), sampler: { ...JSON.parse(readFileSync(fixtureDir('tiny') + 'manifest.json', 'utf8')).sampler, start: 'base' } };
    const model = await WorldModel.fromBytes(manifest, new Uint8Array(readFileSync(fixtureDir('tiny') + 'model.onnx')));
    model.reset(initial(model));
    const [a, b] = await model.sampleBranches([{ action: fwd }, { action: turn }]);
    const [alone] = await model.sampleBranches([{ action: turn }]);
    expect(Array.from(b!.frame)).toEqual(Array.from(alone!.frame)); // a branch's frame does not depend on its batch mates
    expect(Array.from(a!.frame)).not.toEqual(Array.from(b!.frame));
    await model.dispose();
  });
});
