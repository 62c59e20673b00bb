import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRunner, type RunnerFrame } from '../../../engine/plugin/ModelRunner.ts';
import { WorldModel } from '../../../worldmodel/index.ts';

const FIXTURE = new URL('../../fixtures/tiny/', import.meta.url).pathname;

describe('ModelRunner (tiny fixture, WASM in Node)', () => {
  let model: WorldModel;
  beforeAll(async () => {
    model = await WorldModel.load(FIXTURE);
  });
  afterAll(async () => {
    await model.dispose();
  });

  const HW = 32 * 32;
  const start = () => Array.from({ length: 2 }, () => new Float32Array(3 * HW).fill(0.2));
  const pose = (x: number) => ({ x, y: 1.6, z: 0, yaw: 0, pitch: 0 });

  it('shows the start frame, then paints one frame per submit without blocking, keeping pose and depth with it', async () => {
    const frames: number[] = [];
    const runner = new ModelRunner({ model, onFrame: (f) => frames.push(f.tick) });
    runner.reset(start(), pose(0), new Float32Array(HW).fill(5));
    expect(runner.shown.tick).toBe(0);
    expect(runner.shown.frame[0]).toBeCloseTo(0.2);
    expect(frames).toEqual([0]);

    const action = new Float32Array(7);
    action[0] = 0.2;
    expect(runner.submit(action, pose(1), new Float32Array(HW).fill(7))).toBe(true);
    expect(runner.busy).toBe(true);
    expect(runner.submit(action, pose(2), new Float32Array(HW))).toBe(false); // one step at a time
    expect(runner.shown.tick).toBe(0); // submit returned before the model painted
    await runner.idle();
    const shown: RunnerFrame = runner.shown;
    expect(shown.tick).toBe(1);
    expect(shown.pose.x).toBe(1);
    expect(shown.depth[0]).toBe(7);
    expect(shown.action[0]).toBeCloseTo(0.2);
    expect(shown.ms).toBeGreaterThan(0);
    expect(shown.frame.some((v) => Math.abs(v - 0.2) > 1e-3)).toBe(true); // the model's picture, not the start frame
    expect(frames).toEqual([0, 1]);

    // Double buffered: the next frame goes into the other buffer.
    const first = shown.frame;
    runner.submit(action, pose(2), new Float32Array(HW));
    await runner.idle();
    expect(runner.shown.frame).not.toBe(first);
    expect(runner.tick).toBe(2);
    runner.dispose();
  });

  it('drops a frame that finishes after a reset, and refuses a reset while busy', async () => {
    const runner = new ModelRunner({ model });
    runner.reset(start(), pose(0), new Float32Array(HW));
    runner.submit(new Float32Array(7), pose(1), new Float32Array(HW));
    expect(() => runner.reset(start(), pose(0), new Float32Array(HW))).toThrow(/in flight/);
    await runner.idle();
    expect(runner.tick).toBe(1);
    runner.dispose();
    expect(() => runner.submit(new Float32Array(7), pose(1), new Float32Array(HW))).toThrow(/after dispose/);
  });

  it('feeds proxy depth to a model that declares a depth stream, normalised by the far plane', async () => {
    const streams = await WorldModel.load(new URL('../../fixtures/tiny-streams/', import.meta.url).pathname);
    try {
      const runner = new ModelRunner({ model: streams });
      runner.reset(start(), pose(0), new Float32Array(HW).fill(60));
      const near = new Float32Array(HW).fill(1);
      expect(runner.submit(new Float32Array(7), pose(0), near)).toBe(true);
      await runner.idle();
      expect(runner.failed).toBeNull();
      const a = runner.shown.frame.slice();
      // Same action and noise from the same start; only the depth differs: the frame must too.
      runner.reset(start(), pose(0), new Float32Array(HW).fill(60));
      runner.submit(new Float32Array(7), pose(0), new Float32Array(HW).fill(50));
      await runner.idle();
      expect(a.some((v, i) => Math.abs(v - runner.shown.frame[i]!) > 1e-5)).toBe(true);
      runner.dispose();
    } finally {
      await streams.dispose();
    }
  });

  it('reports a model that throws and takes no more ticks', async () => {
    const broken = Object.create(model) as WorldModel;
    (broken as { step: WorldModel['step'] }).step = () => Promise.reject(new Error('kaput'));
    const errors: string[] = [];
    const runner = new ModelRunner({ model: broken, onError: (e) => errors.push(e.message) });
    runner.reset(start(), pose(0), new Float32Array(HW));
    runner.submit(new Float32Array(7), pose(1), new Float32Array(HW));
    await runner.idle();
    expect(errors).toEqual(['kaput']);
    expect(runner.failed?.message).toBe('kaput');
    expect(runner.submit(new Float32Array(7), pose(1), new Float32Array(HW))).toBe(false);
    runner.dispose();
  });
});
