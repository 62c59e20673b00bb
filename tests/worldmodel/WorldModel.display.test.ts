import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bicubicUpsample } from '../../worldmodel/bicubicUpsample.ts';
import { BicubicUpsampler } from '../../worldmodel/BicubicUpsampler.ts';
import { normaliseDepth, type View } from '../../worldmodel/Conditioning.ts';
import type { DisplayInputs, DisplayUpsampler } from '../../worldmodel/DisplayUpsampler.ts';
import { LearnedUpsampler } from '../../worldmodel/LearnedUpsampler.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';
import { SpeculativeScheduler } from '../../worldmodel/SpeculativeScheduler.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';
import { errorOf } from '../support/errorOf.ts';

const fixtureDir = (id: string) => fileURLToPath(new URL(`../fixtures/${id}/`, import.meta.url));
// tiny-streams: 32 × 32 frames with memory and depth streams; display frames 4× that: 128 × 128.
const W = 32;
const S = 4;
const N = W * W;
const ND = N * S * S;
const FAR = 60;
const ONE_STEP = { sampler: { steps: 1 } } as const;

const gray = (v: number) => new Float32Array(3 * N).fill(v);
const initial = () => [gray(-0.5), gray(-0.25)];
/** A wall `metres` ahead of a camera at the origin turned by `yaw`; yaw π looks where yaw 0 saw nothing. */
const view = (yaw: number, metres = 5): View => ({ pose: { x: 0, y: 1.6, z: 0, yaw, pitch: 0 }, depth: new Float32Array(N).fill(metres) });
const A = view(0);
const NEAR_A = view(0.3); // half of it seen from A
const BEHIND = view(Math.PI); // nothing seen from A

/**
 * A stand-in for a learned upsampler that shows what it was given: memory's colour where memory
 * covers, the frame enlarged bicubically elsewhere; it keeps a copy of its last inputs.
 */
class MemoryUpsampler implements DisplayUpsampler {
  readonly kind = 'learned';
  readonly width = W;
  readonly height = W;
  readonly scale = S;
  lastMs = 0;
  calls = 0;
  disposed = false;
  last: DisplayInputs | null = null;

  async upsample(inputs: DisplayInputs, out?: Float32Array): Promise<Float32Array> {
    this.calls++;
    this.last = { frame: inputs.frame.slice(), memory: inputs.memory.slice(), depth: inputs.depth.slice() };
    const display = bicubicUpsample(inputs.frame, W, W, S, out);
    for (let p = 0; p < ND; p++) if (inputs.memory[3 * ND + p]! > 0) for (let c = 0; c < 3; c++) display[c * ND + p] = inputs.memory[c * ND + p]!;
    return display;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}

const coverage = (memory: Float32Array) => memory.subarray(3 * ND).reduce((a, b) => a + b, 0) / ND;
const maxGap = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
/** Memory keeps display frames as uint8: what comes back is within half a level. */
const BYTE = 0.5 / 127.5 + 1e-5;

describe('WorldModel with a display upsampler', () => {
  it('paints each display frame from memory of the view before the frame enters it, and remembers it with the frame', async () => {
    const up = new MemoryUpsampler();
    const model = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: up });
    expect(model.display).toBe(up);
    expect(model.memory!.options.displayScale).toBe(S);
    expect(model.lastDisplay).toBeNull();
    model.reset(initial(), undefined, [A]);
    const frame = await model.step({ yaw: 0.1 }, { view: BEHIND });
    // Nothing had seen this view: memory covered none of it (the painted frame was not in it yet).
    expect(coverage(up.last!.memory)).toBe(0);
    expect(Array.from(up.last!.frame)).toEqual(Array.from(frame));
    expect(Array.from(up.last!.depth)).toEqual(Array.from(normaliseDepth(BEHIND.depth, FAR, new Float32Array(N))));
    const first = model.lastDisplay!;
    expect(first.length).toBe(3 * ND);
    expect(Array.from(first)).toEqual(Array.from(bicubicUpsample(frame, W, W, S)));
    expect(model.lastDisplayMs).toBeGreaterThan(0);
    // The painted frame entered memory with its display frame: its view gives that back.
    const back = model.memory!.renderDisplay(BEHIND.pose, BEHIND.depth);
    expect(coverage(back)).toBe(1);
    expect(maxGap(back.subarray(0, 3 * ND), first)).toBeLessThan(BYTE);
    // The next frame of that view is upsampled with it.
    const firstCopy = first.slice();
    await model.step({}, { view: BEHIND });
    expect(coverage(up.last!.memory)).toBe(1);
    expect(maxGap(up.last!.memory.subarray(0, 3 * ND), firstCopy)).toBeLessThan(BYTE);
    expect(model.lastDisplay).toBe(first); // the same buffer every frame
    await model.dispose();
  });

  it('runs a learned upsampler (real ONNX, 32 × 32 → 128 × 128) after every step, reproducibly', async () => {
    const up = await LearnedUpsampler.load(fixtureDir('tiny-streams-upsampler'));
    const model = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: up });
    const roll = async () => {
      model.reset(initial(), undefined, [A]);
      const displays: number[][] = [];
      for (const v of [NEAR_A, BEHIND, BEHIND]) {
        const frame = await model.step({ yaw: 0.1 }, { view: v });
        const display = model.lastDisplay!;
        expect(display.every((x) => x >= -1 && x <= 1)).toBe(true);
        expect(maxGap(display, bicubicUpsample(frame, W, W, S))).toBeGreaterThan(1e-3); // not just the bicubic base
        displays.push(Array.from(display));
      }
      return displays;
    };
    const first = await roll();
    expect(await roll()).toEqual(first);
    // The last display frame is remembered with its frame (only painted frames saw this view).
    const back = model.memory!.renderDisplay(BEHIND.pose, BEHIND.depth);
    expect(coverage(back)).toBe(1);
    expect(maxGap(back.subarray(0, 3 * ND), first[2]!)).toBeLessThan(BYTE);
    expect(model.lastDisplayMs).toBeGreaterThan(0);
    await model.dispose();
    await up.dispose();
  });

  it('remembers the display frames given to reset (uint8 HWC or float CHW) with their frames', async () => {
    const up = new MemoryUpsampler();
    const model = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: up });
    const bytes = Uint8Array.from({ length: 3 * ND }, (_, i) => (i * 37) % 256);
    model.reset(initial(), undefined, [A], undefined, [bytes]);
    const back = model.memory!.renderDisplay(A.pose, A.depth);
    expect(coverage(back)).toBe(1);
    // CHW value of HWC byte (c, p): bytes[3p + c].
    let gap = 0;
    for (let p = 0; p < ND; p++) for (let c = 0; c < 3; c++) gap = Math.max(gap, Math.abs(back[c * ND + p]! - (bytes[3 * p + c]! / 127.5 - 1)));
    expect(gap).toBeLessThan(1e-5);
    // Float CHW displays, aligned to the newest frames as views are.
    const chw = new Float32Array(3 * ND).fill(0.5);
    model.reset(initial(), undefined, [NEAR_A, A], undefined, [chw]);
    expect(maxGap(model.memory!.renderDisplay(A.pose, A.depth).subarray(0, 3 * ND), chw)).toBeLessThan(BYTE);
    await model.step({}, { view: A });
    expect(maxGap(up.last!.memory.subarray(0, 3 * ND), chw)).toBeLessThan(BYTE);
    await model.dispose();
  });

  it('paints a committed speculated frame\'s display as step paints a stepped one: from its frame and memory before it', async () => {
    const up = new MemoryUpsampler();
    const model = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: up });
    const twin = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: up });
    for (const m of [model, twin]) m.reset(initial(), undefined, [A]);
    const memoryBefore = twin.memory!.renderDisplay(NEAR_A.pose, NEAR_A.depth).slice();
    expect(coverage(memoryBefore)).toBeGreaterThan(0.2);
    expect(coverage(memoryBefore)).toBeLessThan(0.8);
    const depth = normaliseDepth(NEAR_A.depth, FAR, new Float32Array(N));
    const [speculated] = await model.sampleBranches([{ action: { yaw: 0.3 }, conditioning: { view: NEAR_A } }]);
    expect(up.calls).toBe(0); // speculated frames are upsampled only when committed
    await model.commit(speculated!);
    const stepped = await twin.step({ yaw: 0.3 }, { view: NEAR_A });
    for (const [m, frame] of [[model, speculated!.frame], [twin, stepped]] as const) {
      const expected = await new MemoryUpsampler().upsample({ frame, memory: memoryBefore, depth });
      expect(Array.from(m.lastDisplay!)).toEqual(Array.from(expected));
    }
    expect(up.calls).toBe(2);
    // The scheduler commits through the same path: a tick served from a speculated frame has its display.
    const scheduler = new SpeculativeScheduler(model, { mode: 'single' });
    await scheduler.advance({}, { view: NEAR_A });
    await scheduler.speculate({ view: NEAR_A });
    model.lastDisplay!.fill(9);
    const tick = await scheduler.advance({}, { view: NEAR_A });
    expect(tick.hit).toBe(true);
    expect(Array.from(model.lastDisplay!.subarray(0, 3 * ND))).toEqual(Array.from(await new MemoryUpsampler().upsample(up.last!)));
    await Promise.all([model.dispose(), twin.dispose()]);
  });

  it('paints with stepMany what each fork paints alone; forks share the upsampler, and dispose leaves it to its owner', async () => {
    const up = new BicubicUpsampler({ width: W, height: W, scale: S });
    const parent = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: up });
    const start = () => [0, 1].map((b) => {
      const fork = parent.fork({ seed: 7 + b });
      fork.reset(initial(), undefined, [view(0.2 * b)]);
      return fork;
    });
    const alone = start();
    const together = start();
    expect(together.every((m) => m.display === up)).toBe(true);
    const views = [view(0.1), view(0.4)];
    const expected: number[][] = [];
    for (const [b, m] of alone.entries()) {
      const frame = await m.step({ yaw: 0.1 * b }, { view: views[b]! });
      expect(Array.from(m.lastDisplay!)).toEqual(Array.from(bicubicUpsample(frame, W, W, S)));
      expected.push(Array.from(m.lastDisplay!));
    }
    await WorldModel.stepMany(together, [{ yaw: 0 }, { yaw: 0.1 }], views.map((v) => ({ view: v })));
    expect(together.map((m) => Array.from(m.lastDisplay!))).toEqual(expected);
    expect(together[0]!.lastDisplay).not.toBe(together[1]!.lastDisplay); // each model its own buffer
    for (const m of [...alone, ...together, parent]) await m.dispose();
    // Still the caller's, still working.
    expect((await up.upsample({ frame: gray(0), memory: new Float32Array(4 * ND), depth: new Float32Array(N) })).length).toBe(3 * ND);
  });

  it('displayEnabled off: no display frame, painted frames remembered without one', async () => {
    const up = new MemoryUpsampler();
    const model = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: up });
    model.reset(initial(), undefined, [A]);
    model.displayEnabled = false;
    const frame = await model.step({}, { view: BEHIND });
    expect(model.lastDisplay).toBeNull();
    expect(up.calls).toBe(0);
    // Memory holds the model frame alone there: its display render is the model frame's.
    const plain = new SpatialMemory({ width: W, height: W, ...model.manifest.camera }, { displayScale: S });
    plain.insert(frame, BEHIND.depth, BEHIND.pose, 1);
    expect(Array.from(model.memory!.renderDisplay(BEHIND.pose, BEHIND.depth))).toEqual(Array.from(plain.renderDisplay(BEHIND.pose, BEHIND.depth)));
    model.displayEnabled = true;
    await model.step({}, { view: BEHIND });
    expect(model.lastDisplay).not.toBeNull();
    expect(up.calls).toBe(1);
    await model.dispose();
  });

  it('upsamples with memory all uncovered where the model\'s memory made no stream: no memory stream, memory off', async () => {
    const up = new MemoryUpsampler();
    const plain = await WorldModel.load(fixtureDir('tiny'), { ...ONE_STEP, display: up });
    expect(plain.memory).toBeNull();
    plain.reset(initial());
    const frame = await plain.step({ forward: 0.2 });
    expect(up.last!.memory.every((v) => v === 0)).toBe(true);
    expect(up.last!.depth.every((v) => v === 1)).toBe(true); // no view: as far as the camera sees
    expect(Array.from(plain.lastDisplay!)).toEqual(Array.from(bicubicUpsample(frame, W, W, S)));
    plain.reset(initial(), undefined, undefined, undefined, [new Uint8Array(3 * ND)]); // no memory: displays unused, as views are
    const streams = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: up });
    streams.reset(initial(), undefined, [A]);
    streams.memoryEnabled = false;
    await streams.step({}, { view: A });
    expect(coverage(up.last!.memory)).toBe(0);
    await Promise.all([plain.dispose(), streams.dispose()]);
  });

  it('says what is wrong with a display upsampler or reset displays that do not fit', async () => {
    const dir = fixtureDir('tiny-streams');
    const wrongSize = await errorOf(WorldModel.load(dir, { display: new BicubicUpsampler({ width: 16, height: 16 }) }));
    expect(wrongSize.code).toBe('bad-options');
    expect(wrongSize.message).toMatch(/^WorldModel: the display upsampler takes 16 × 16 frames, model "tiny-streams" paints 32 × 32/);
    const scale = await errorOf(WorldModel.load(dir, { display: new MemoryUpsampler(), memory: { displayScale: 2 } }));
    expect(scale.code).toBe('bad-options');
    expect(scale.message).toMatch(/memory\.displayScale is 2 but the display upsampler's scale is 4/);
    const none = await WorldModel.load(dir, ONE_STEP);
    expect(none.display).toBeNull();
    expect(() => none.reset(initial(), undefined, [A], undefined, [new Uint8Array(3 * ND)])).toThrow(/display frames were given, but model "tiny-streams" keeps none/);
    await none.dispose();
    const model = await WorldModel.load(dir, { ...ONE_STEP, display: new MemoryUpsampler() });
    expect(() => model.reset(initial(), undefined, [A], undefined, [new Uint8Array(10)])).toThrow(/display 0 must be 128 × 128 .*found Uint8Array\(10\)/);
    expect(() => model.reset(initial(), undefined, [A], undefined, [1, 2, 3].map(() => new Uint8Array(3 * ND)))).toThrow(/at most 2 display frames/);
    await model.dispose();
  });

  it('moves a display upsampler on the lost device to WASM with the model', async () => {
    const onLostDevice = Object.assign(new MemoryUpsampler(), {
      deviceLost: null as string | null,
      backend: 'wasm' as const,
      switched: 0,
      async switchToWasm() {
        this.switched++;
        this.deviceLost = null;
      },
    });
    const model = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: onLostDevice });
    model.reset(initial(), undefined, [A]);
    await model.switchToWasm();
    expect(onLostDevice.switched).toBe(0); // its device is fine: it stays
    model.loseDevice();
    onLostDevice.deviceLost = 'lost with the model\'s';
    await model.switchToWasm();
    expect([onLostDevice.switched, onLostDevice.deviceLost, model.deviceLost]).toEqual([1, null, null]);
    await model.step({}, { view: A });
    expect(model.lastDisplay).not.toBeNull();
    await model.dispose();
  });

  it('commits nothing when the display frame fails', async () => {
    const failing = new MemoryUpsampler();
    failing.upsample = () => Promise.reject(new Error('upsampler down'));
    const model = await WorldModel.load(fixtureDir('tiny-streams'), { ...ONE_STEP, display: failing });
    model.reset(initial(), undefined, [A]);
    await expect(model.step({}, { view: A })).rejects.toThrow(/upsampler down/);
    const [speculated] = await model.sampleBranches([{ action: {}, conditioning: { view: A } }]);
    await expect(model.commit(speculated!)).rejects.toThrow(/upsampler down/);
    expect([model.tick, model.memory!.size, model.lastDisplay]).toEqual([0, 1, null]);
    // Stepped down to bicubic by the host, the same state goes on.
    model.displayEnabled = false;
    await model.commit(speculated!);
    expect([model.tick, model.memory!.size]).toEqual([1, 2]);
    await model.dispose();
  });
});
