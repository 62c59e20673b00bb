import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SpeculativeScheduler } from '../../worldmodel/SpeculativeScheduler.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';

// `mode: 'auto'` on the tiny fixture (a real ONNX session, WASM in Node; 20 Hz: a 50 ms tick, of
// which speculation may take 35 ms). The device's speed is faked through `measure`: a run of B
// frames "took" factor · (2 + 2B) ms, whatever it really took here.
const tiny = fileURLToPath(new URL('../fixtures/tiny/', import.meta.url));
const initial = (model: WorldModel) => Array.from({ length: model.contextFrames }, (_, i) => new Float32Array(3 * model.width * model.height).fill(-0.5 + 0.25 * i));
const fwd = { forward: 0.2 };
const turn = { yaw: 0.1 };

async function drain(scheduler: SpeculativeScheduler): Promise<number> {
  let total = 0;
  for (let n = (await scheduler.speculate()).length; n > 0; n = (await scheduler.speculate()).length) total += n;
  return total;
}

describe('SpeculativeScheduler, mode auto', () => {
  it('speculates while runs fit in the tick, stops when they do not, and starts again', async () => {
    const model = await WorldModel.load(tiny);
    model.reset(initial(model));
    let factor = 1;
    const scheduler = new SpeculativeScheduler(model, { mode: 'auto', measure: (b) => factor * (2 + 2 * b) });
    expect(scheduler.governor?.tickMs).toBe(50);
    expect(scheduler.mode).toBe('off'); // nothing timed yet
    const play = async (ticks: number) => {
      const painted: number[] = [];
      for (let t = 0; t < ticks; t++) {
        await scheduler.advance(t % 10 < 7 ? fwd : turn);
        painted.push(await drain(scheduler));
      }
      return painted;
    };
    await play(20);
    // 4 ms a frame: multi-branch, batches of several candidates (one run of 7 frames is 16 ms).
    expect(scheduler.mode).toBe('multi');
    expect(scheduler.branches).toBeGreaterThanOrEqual(6);
    const hitsFast = scheduler.stats.hits;
    expect(hitsFast).toBeGreaterThanOrEqual(10);

    factor = 20; // 80 ms a frame: no speculated frame fits in a 35 ms share of the tick
    await play(6);
    expect(scheduler.mode).toBe('off');
    const slow = await play(10);
    expect(slow).toEqual(new Array(10).fill(0)); // nothing painted but each tick's own frame
    expect(scheduler.stats.hits).toBeLessThanOrEqual(hitsFast + 6);

    factor = 1;
    const again = await play(12);
    expect(scheduler.mode).not.toBe('off');
    expect(again.slice(-4).some((n) => n > 0)).toBe(true);
    expect(scheduler.governor!.changes).toBeGreaterThanOrEqual(3);
    await model.dispose();
  });

  it('changes when frames are painted, never what they are', async () => {
    const actions = [fwd, fwd, fwd, turn, turn, fwd, fwd, turn];
    const play = async (mode: 'off' | 'auto') => {
      const model = await WorldModel.load(tiny, { seed: 5 });
      model.reset(initial(model));
      const scheduler = new SpeculativeScheduler(model, { mode, measure: () => 3 });
      const frames: number[][] = [];
      for (const action of actions) {
        await drain(scheduler);
        frames.push(Array.from((await scheduler.advance(action)).frame));
      }
      await model.dispose();
      return { frames, hits: scheduler.stats.hits };
    };
    const off = await play('off');
    const auto = await play('auto');
    expect(auto.hits).toBeGreaterThan(0);
    expect(auto.frames).toEqual(off.frames);
  });

  it('refuses a mode it does not know and governor options out of range', async () => {
    const model = await WorldModel.load(tiny);
    expect(() => new SpeculativeScheduler(model, { mode: 'sometimes' as 'auto' })).toThrow(/mode must be auto, off, single or multi/);
    expect(() => new SpeculativeScheduler(model, { mode: 'auto', governor: { share: 2 } })).toThrow(/SpeculationGovernor: share is out of range/);
    await model.dispose();
  });
});
