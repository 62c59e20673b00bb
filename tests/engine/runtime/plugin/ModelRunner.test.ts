import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRunner, type RunnerFrame } from '../../../../engine/runtime/plugin/ModelRunner.ts';
import type { DisplayEvent } from '../../../../engine/runtime/plugin/pluginEvents.ts';
import { WorldModel, type DisplayUpsampler } from '../../../../worldmodel/index.ts';

const FIXTURE = new URL('../../../fixtures/tiny/', import.meta.url).pathname;

// Tests of what one tick paints turn speculation off: under auto (the default) a frame speculated
// between submits may serve a tick, painted for the view and memory of the tick before.
const OFF = { mode: 'off' } as const;

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

  it('speculates with auto by default on WASM too, and gives the page\'s slow frames room back from it', () => {
    const runner = new ModelRunner({ model });
    const governor = runner.scheduler.governor!;
    expect(governor).not.toBeNull();
    expect(governor.tickMs).toBe(50); // the fixture's 20 Hz
    const room = governor.roomMs;
    runner.reportHostFrame(60); // the page drew at ~17 fps, under its 30
    expect(governor.roomMs).toBeLessThan(room);
    expect(new ModelRunner({ model, speculation: { mode: 'off' } }).scheduler.governor).toBeNull();
  });

  it('shows the start frame, then paints one frame per submit without blocking, keeping pose and depth with it', async () => {
    const frames: number[] = [];
    const runner = new ModelRunner({ model, speculation: OFF, onFrame: (f) => frames.push(f.tick) });
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
    const runner = new ModelRunner({ model, speculation: OFF });
    runner.reset(start(), pose(0), new Float32Array(HW));
    runner.submit(new Float32Array(7), pose(1), new Float32Array(HW));
    expect(() => runner.reset(start(), pose(0), new Float32Array(HW))).toThrow(/in flight/);
    expect(() => runner.reset(start(), pose(0), new Float32Array(HW))).toThrow(expect.objectContaining({ code: 'not-ready' }));
    await runner.idle();
    expect(runner.tick).toBe(1);
    runner.dispose();
    expect(() => runner.submit(new Float32Array(7), pose(1), new Float32Array(HW))).toThrow(/after dispose/);
  });

  it('feeds proxy depth to a model that declares a depth stream, normalised by the far plane', async () => {
    const streams = await WorldModel.load(new URL('../../../fixtures/tiny-streams/', import.meta.url).pathname);
    try {
      const runner = new ModelRunner({ model: streams, speculation: OFF });
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
    (broken as { sampleBranches: WorldModel['sampleBranches'] }).sampleBranches = () => Promise.reject(new Error('kaput'));
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

describe('ModelRunner with spatial memory (tiny-streams fixture, WASM in Node)', () => {
  let model: WorldModel;
  beforeAll(async () => {
    model = await WorldModel.load(new URL('../../../fixtures/tiny-streams/', import.meta.url).pathname);
  });
  afterAll(async () => {
    await model.dispose();
  });

  const HW = 32 * 32;
  // A start view with texture: a horizontal ramp in R, a vertical one in G.
  const startFrame = (): Float32Array => {
    const f = new Float32Array(3 * HW);
    for (let p = 0; p < HW; p++) {
      f[p] = ((p % 32) / 31) * 1.6 - 0.8;
      f[HW + p] = (Math.floor(p / 32) / 31) * 1.6 - 0.8;
      f[2 * HW + p] = 0.1;
    }
    return f;
  };
  const start = () => [startFrame(), startFrame()];
  const pose = (x: number, yaw = 0) => ({ x, y: 1.6, z: 0, yaw, pitch: 0 });
  const wall = () => new Float32Array(HW).fill(5); // a wall 5 m ahead

  it('keeps a copy of the memory stream the model was given, with its coverage and cost', async () => {
    model.memoryEnabled = true;
    const runner = new ModelRunner({ model, speculation: OFF });
    runner.keepMemory = true;
    runner.reset(start(), pose(0), wall());
    expect(model.memory!.size).toBe(1); // the start view seeds memory
    expect(runner.shown.memory).toBeNull(); // the start view is ground truth: no stream was given
    expect(runner.shown.memoryCoverage).toBeNull();

    // Same pose as the start view: memory covers every pixel with the start frame itself.
    const before = performance.now();
    runner.submit(new Float32Array(7), pose(0), wall());
    await runner.idle();
    const tickMs = performance.now() - before;
    const shown = runner.shown;
    expect(runner.failed).toBeNull();
    expect(shown.memoryCoverage).toBe(1);
    // Memory rendered this view and remembered the painted frame: real work, timed inside the
    // tick this test timed around it (memory off and models without memory report 0, below).
    expect(shown.memoryMs).toBeGreaterThan(0);
    expect(shown.memoryMs).toBeLessThanOrEqual(tickMs);
    const given = shown.memory!;
    expect(given).toHaveLength(4 * HW);
    const expected = startFrame();
    for (let i = 0; i < 3 * HW; i++) expect(given[i]).toBeCloseTo(expected[i]!, 4);
    expect(given.subarray(3 * HW).every((c) => c === 1)).toBe(true);
    expect(model.memory!.size).toBe(2); // the painted frame is remembered
    const kept = Float32Array.from(given);
    const painted = shown.frame.slice();

    // The copy is exactly the model's input: the same tick with that stream given explicitly
    // paints the same frame (the runner paints through the speculative scheduler's sampleBranches).
    model.reset(start(), undefined, [{ pose: pose(0), depth: wall() }]);
    const [direct] = await model.sampleBranches([{ action: new Float32Array(7), conditioning: { memory: kept, view: { pose: pose(0), depth: wall() } } }]);
    expect(Array.from(direct!.frame)).toEqual(Array.from(painted));
    model.reset(start(), undefined, [{ pose: pose(0), depth: wall() }]);
    const [emptyBranch] = await model.sampleBranches([{ action: new Float32Array(7), conditioning: { memory: new Float32Array(4 * HW), view: { pose: pose(0), depth: wall() } } }]);
    const empty = emptyBranch!.frame;
    expect(empty.some((v, i) => Math.abs(v - painted[i]!) > 1e-5)).toBe(true); // another stream paints another frame

    // Keeping the copy does not change what is painted.
    runner.keepMemory = false;
    runner.reset(start(), pose(0), wall());
    runner.submit(new Float32Array(7), pose(0), wall());
    await runner.idle();
    expect(runner.shown.memory).toBeNull();
    expect(runner.shown.memoryCoverage).toBe(1); // coverage is reported either way
    expect(Array.from(runner.shown.frame)).toEqual(Array.from(painted));
    runner.dispose();
  });

  it('reports partial coverage away from what was seen, and an empty stream while memory is off', async () => {
    model.memoryEnabled = true;
    const runner = new ModelRunner({ model, speculation: OFF });
    runner.keepMemory = true;
    runner.reset(start(), pose(0), wall());
    // Half a field of view to the left: part of the view was seen at the start, part not.
    runner.submit(new Float32Array(7), pose(0, 0.6), wall());
    await runner.idle();
    const coverage = runner.shown.memoryCoverage!;
    expect(coverage).toBeGreaterThan(0.1);
    expect(coverage).toBeLessThan(0.9);
    const covered = runner.shown.memory!.subarray(3 * HW).reduce((a, b) => a + b, 0) / HW;
    expect(covered).toBeCloseTo(coverage, 6);
    expect(runner.shown.memoryMs).toBeGreaterThan(0); // on: memory did work for this frame…

    model.memoryEnabled = false;
    const held = model.memory!.size;
    runner.submit(new Float32Array(7), pose(0), wall());
    await runner.idle();
    expect(runner.shown.memoryCoverage).toBe(0);
    expect(runner.shown.memoryMs).toBe(0); // …off, the same runner and model: none
    expect(runner.shown.memory!.every((v) => v === 0)).toBe(true); // what the model was given: nothing
    expect(model.memory!.size).toBe(held); // and nothing was remembered
    model.memoryEnabled = true;
    runner.dispose();
  });

  it('has no memory stream for a model without memory', async () => {
    const plain = await WorldModel.load(FIXTURE);
    try {
      const runner = new ModelRunner({ model: plain, speculation: OFF });
      runner.keepMemory = true;
      runner.reset(start(), pose(0), wall());
      runner.submit(new Float32Array(7), pose(0), wall());
      await runner.idle();
      expect(runner.shown.memory).toBeNull();
      expect(runner.shown.memoryCoverage).toBeNull();
      expect(runner.shown.memoryMs).toBe(0);
      runner.dispose();
    } finally {
      await plain.dispose();
    }
  });
});

describe('ModelRunner speculation with predicted views (tiny-streams fixture, WASM in Node)', () => {
  const HW = 32 * 32;
  const pose = (x: number, z = 0) => ({ x, y: 1.6, z, yaw: 0, pitch: 0 });
  const forward = Float32Array.from([0.2, 0, 0, 0, 0, 0, 0]); // a bin centre: 0.2 m ahead, exactly

  it('paints the likeliest guesses for the view their actions lead to, and a hit is remembered there', async () => {
    const model = await WorldModel.load(new URL('../../../fixtures/tiny-streams/', import.meta.url).pathname);
    const asked: { x: number; z: number; yaw: number }[] = [];
    const runner = new ModelRunner({
      model,
      speculation: { mode: 'multi', lookahead: 2, budget: 6 },
      predictedViews: 2,
      depthAt: (p, out) => {
        asked.push({ x: p.x, z: p.z, yaw: p.yaw });
        return out.fill(4);
      },
    });
    runner.reset([new Float32Array(3 * HW), new Float32Array(3 * HW)], pose(0), new Float32Array(HW).fill(5));
    runner.submit(forward, pose(0, -0.2), new Float32Array(HW).fill(5));
    await runner.idle();
    // Two views predicted (the budget), the first for holding forward: 0.2 m further down −z.
    expect(asked).toHaveLength(2);
    expect(asked[0]!.x).toBeCloseTo(0, 6);
    expect(asked[0]!.z).toBeCloseTo(-0.4, 6);
    runner.submit(forward, pose(0, -0.4), new Float32Array(HW).fill(5));
    await runner.idle();
    expect(runner.scheduler.stats.hits).toBe(1);
    const remembered = model.memory!.poses.at(-1)!;
    expect([remembered.x, remembered.z]).toEqual([0, Math.fround(-0.4)]);
    // Each tick predicts afresh from the frame shown.
    expect(asked.length).toBeGreaterThanOrEqual(3);
    expect(asked[2]!.z).toBeCloseTo(-0.6, 6);
    runner.dispose();
    await model.dispose();
  });

  it('paints every guess for the shown view without depthAt, or for a model that takes no view', async () => {
    const model = await WorldModel.load(new URL('../../../fixtures/tiny-streams/', import.meta.url).pathname);
    const runner = new ModelRunner({ model, speculation: { mode: 'multi', lookahead: 2, budget: 6 } });
    runner.reset([new Float32Array(3 * HW), new Float32Array(3 * HW)], pose(0), new Float32Array(HW).fill(5));
    runner.submit(forward, pose(0, -0.2), new Float32Array(HW).fill(5));
    await runner.idle();
    runner.submit(forward, pose(0, -0.4), new Float32Array(HW).fill(5));
    await runner.idle();
    expect(runner.scheduler.stats.hits).toBe(1);
    // Painted for the shown view at −0.2 and remembered there.
    expect(model.memory!.poses.at(-1)!.z).toBe(Math.fround(-0.2));
    runner.dispose();
    await model.dispose();
    const plain = await WorldModel.load(FIXTURE);
    let calls = 0;
    const blind = new ModelRunner({ model: plain, speculation: { mode: 'multi', budget: 4 }, depthAt: (_p, out) => (calls++, out) });
    blind.reset([new Float32Array(3 * HW), new Float32Array(3 * HW)], pose(0), new Float32Array(HW));
    blind.submit(forward, pose(0, -0.2), new Float32Array(HW));
    await blind.idle();
    expect(calls).toBe(0);
    blind.dispose();
    await plain.dispose();
  });
});

describe('ModelRunner with a display upsampler (tiny-streams fixture, WASM in Node)', () => {
  const HW = 32 * 32;
  const S = 2; // display frames 64 × 64
  const pose = (x: number) => ({ x, y: 1.6, z: 0, yaw: 0, pitch: 0 });
  const wall = () => new Float32Array(HW).fill(5);

  /** A stand-in upsampler: each display frame takes `ms` (a busy wait) and is the frame repeated S × S. */
  function slowUpsampler(): DisplayUpsampler & { ms: number; calls: number } {
    return {
      kind: 'learned',
      scale: S,
      width: 32,
      height: 32,
      lastMs: 0,
      ms: 0,
      calls: 0,
      async upsample({ frame }, out = new Float32Array(3 * HW * S * S)) {
        this.calls++;
        const until = performance.now() + this.ms;
        while (performance.now() < until);
        for (let c = 0; c < 3; c++) for (let p = 0; p < HW * S * S; p++) out[c * HW * S * S + p] = frame[c * HW + Math.floor(Math.floor(p / (32 * S)) / S) * 32 + Math.floor((p % (32 * S)) / S)]!;
        return out;
      },
      async dispose() {},
    };
  }

  async function tick(runner: ModelRunner, x: number): Promise<void> {
    runner.submit(new Float32Array(7), pose(x), wall());
    await runner.idle();
  }

  it('shows the start view at display size, then every frame with its display frame; memory keeps them', async () => {
    const upsampler = slowUpsampler();
    const model = await WorldModel.load(new URL('../../../fixtures/tiny-streams/', import.meta.url).pathname, { display: upsampler });
    const frames: (number | null)[] = [];
    const runner = new ModelRunner({ model, speculation: OFF, onFrame: (f) => frames.push(f.display ? f.display.length : null) });
    expect(runner.displaySize).toEqual({ width: 64, height: 64 });
    expect(runner.displayPolicy).toBe('auto');
    const truth = new Uint8Array(3 * 64 * 64).fill(255); // white at display size
    runner.reset([new Float32Array(3 * HW), new Float32Array(3 * HW)], pose(0), wall(), truth);
    expect(runner.shown.display![0]).toBe(1); // shown as CHW in [−1, 1]
    expect(model.memory!.options.displayScale).toBe(2);
    await tick(runner, 0.1);
    expect(runner.shown.display).not.toBeNull();
    expect(runner.shown.display![0]).toBeCloseTo(runner.shown.frame[0]!, 6); // the stand-in repeats the frame
    expect(runner.displayKind).toBe('learned');
    expect(frames).toEqual([3 * 64 * 64, 3 * 64 * 64]);
    expect(() => runner.reset([new Float32Array(3 * HW), new Float32Array(3 * HW)], pose(0), wall(), new Uint8Array(5))).toThrow(/must be 64 × 64 RGB bytes/);
    runner.dispose();
    await model.dispose();
  });

  it('auto steps the display down to bicubic when the display frame overruns the tick, and says so', async () => {
    const upsampler = slowUpsampler();
    const model = await WorldModel.load(new URL('../../../fixtures/tiny-streams/', import.meta.url).pathname, { display: upsampler });
    // The model's frames take 2 ms whatever the machine's load: only the display frame's cost moves.
    Object.defineProperty(model, 'lastStepMs', { get: () => 2, set: () => undefined });
    const events: DisplayEvent[] = [];
    const runner = new ModelRunner({ model, speculation: OFF, display: { mode: 'auto', governor: { warmupTicks: 0 } }, onDisplayChange: (e) => events.push(e) });
    runner.reset([new Float32Array(3 * HW), new Float32Array(3 * HW)], pose(0), wall());
    await tick(runner, 0.1);
    expect(runner.displaySteppedDown).toBe(false);
    upsampler.ms = 60; // over the 40 ms of a 20 Hz tick on its own
    await tick(runner, 0.2);
    expect(events).toEqual([]); // one slow tick is not enough
    await tick(runner, 0.3);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ display: 'bicubic', steppedDown: true, modelMs: 2, budgetMs: 40, tick: 3 });
    expect(events[0]!.displayMs).toBeGreaterThanOrEqual(60);
    expect(runner.displaySteppedDown).toBe(true);
    expect(model.displayEnabled).toBe(false);
    const calls = upsampler.calls;
    await tick(runner, 0.4);
    expect(upsampler.calls).toBe(calls); // no display frame is made
    expect(runner.shown.display).toBeNull();
    expect(runner.displayKind).toBe('bicubic');
    runner.dispose();
    await model.dispose();
  });

  it("'learned' never steps down, 'bicubic' makes no display frame, and a model without an upsampler shows bicubic", async () => {
    const upsampler = slowUpsampler();
    upsampler.ms = 60;
    const model = await WorldModel.load(new URL('../../../fixtures/tiny-streams/', import.meta.url).pathname, { display: upsampler });
    const learned = new ModelRunner({ model, speculation: OFF, display: 'learned' });
    expect(learned.displayGovernor).toBeNull();
    learned.reset([new Float32Array(3 * HW), new Float32Array(3 * HW)], pose(0), wall());
    for (let x = 1; x <= 3; x++) await tick(learned, x / 10);
    expect(learned.shown.display).not.toBeNull();
    learned.dispose();
    const bicubic = new ModelRunner({ model, speculation: OFF, display: 'bicubic' });
    expect(model.displayEnabled).toBe(false);
    expect(bicubic.wantsDisplayTruth).toBe(false);
    bicubic.reset([new Float32Array(3 * HW), new Float32Array(3 * HW)], pose(0), wall());
    await tick(bicubic, 0.1);
    expect(bicubic.shown.display).toBeNull();
    bicubic.dispose();
    expect(() => new ModelRunner({ model, display: 'sharp' as 'auto' })).toThrow(/display must be 'auto', 'learned', 'bicubic'/);
    await model.dispose();
    const plain = await WorldModel.load(FIXTURE);
    const none = new ModelRunner({ model: plain });
    expect([none.displayPolicy, none.displayKind, none.displaySize, none.displayGovernor]).toEqual(['bicubic', 'bicubic', null, null]);
    await plain.dispose();
  });
});
