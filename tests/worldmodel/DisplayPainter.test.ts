import { describe, expect, it } from 'vitest';
import { BicubicUpsampler } from '../../worldmodel/BicubicUpsampler.ts';
import { assertResetDisplays, DisplayPainter } from '../../worldmodel/DisplayPainter.ts';
import type { DisplayInputs, DisplayUpsampler } from '../../worldmodel/DisplayUpsampler.ts';
import type { NextframeError } from '../../worldmodel/errors.ts';
import { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';
import { validManifest } from './manifestFixture.ts';

// The unit manifest: 8 × 8 frames, far 60; display frames 2× that.
const W = 8;
const S = 2;
const N = W * W;
const ND = N * S * S;
const manifest = validManifest();
const pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
const wall = new Float32Array(N).fill(6);

/** Keeps a copy of what it was given; paints the frame enlarged. */
class Recorder implements DisplayUpsampler {
  readonly kind = 'learned';
  readonly width = W;
  readonly height = W;
  readonly scale = S;
  lastMs = 0;
  seen: DisplayInputs | null = null;
  /** Milliseconds `upsample` keeps busy (to check the painter's `lastMs` covers it). */
  busyMs = 0;
  constructor(readonly memoryChannel: 'coverage' | 'confidence' = 'coverage', readonly copyMemoryAt?: number) {}
  private readonly bicubic = new BicubicUpsampler({ width: W, height: W, scale: S });

  upsample(inputs: DisplayInputs, out?: Float32Array): Promise<Float32Array> {
    this.seen = { frame: inputs.frame.slice(), memory: inputs.memory.slice(), depth: inputs.depth.slice() };
    const until = performance.now() + this.busyMs;
    while (performance.now() < until);
    return this.bicubic.upsample(inputs, out);
  }

  dispose(): Promise<void> {
    return this.bicubic.dispose();
  }
}

/**
 * The copyMemoryAt cases: a painter around `recorder`, an empty display memory (painted frames
 * over nothing score 0.3), a frame to paint and the bicubic enlargement the upsampler paints of it.
 */
async function copyCase(recorder: Recorder) {
  const painter = new DisplayPainter(recorder, manifest);
  const memory = new SpatialMemory({ width: W, height: W, ...manifest.camera }, { displayScale: S, paintedFresh: 0.3 });
  const frame = new Float32Array(3 * N).fill(-0.2);
  const bicubic = await new BicubicUpsampler({ width: W, height: W, scale: S }).upsample({ frame, memory: new Float32Array(4 * ND), depth: new Float32Array(N) });
  return { painter, memory, frame, bicubic };
}

describe('DisplayPainter', () => {
  it('gives an upsampler that takes confidence memory\'s confidence in the fourth channel', async () => {
    const recorder = new Recorder('confidence');
    const painter = new DisplayPainter(recorder, manifest);
    const memory = new SpatialMemory({ width: W, height: W, ...manifest.camera }, { displayScale: S, paintedFresh: 0.3 });
    memory.insert(new Float32Array(3 * N).fill(0.5), wall, pose, 0, { painted: true }); // painted over nothing: 0.3
    await painter.paint(new Float32Array(3 * N), { view: { pose, depth: wall } }, memory);
    expect(recorder.seen!.memory.subarray(3 * ND).every((c) => Math.abs(c - 0.3) < 1e-6)).toBe(true);
  });

  it('shows memory\'s render where its score reaches the upsampler\'s copyMemoryAt, the upsampler\'s frame elsewhere', async () => {
    const recorder = new Recorder('coverage', 1);
    const { painter, memory, frame, bicubic } = await copyCase(recorder);
    // A painted keyframe scores 0.3 < 1: the upsampler's frame, and it is told coverage, not the score.
    memory.insert(new Float32Array(3 * N).fill(0.5), wall, pose, 0, { painted: true });
    await painter.paint(frame, { view: { pose, depth: wall } }, memory);
    expect(Array.from(painter.last!)).toEqual(Array.from(bicubic));
    expect(recorder.seen!.memory.subarray(3 * ND).every((c) => c === 1)).toBe(true);
    // A real frame seen from the same place scores 1: memory's render itself.
    memory.insert(new Float32Array(3 * N).fill(0.75), wall, pose, 1);
    await painter.paint(frame, { view: { pose, depth: wall } }, memory);
    expect(painter.last!.every((v) => v === 0.75)).toBe(true);
    expect(recorder.seen!.memory.subarray(3 * ND).every((c) => c === 1)).toBe(true);
    // Without the field nothing is copied.
    const plain = new DisplayPainter(new Recorder(), manifest);
    await plain.paint(frame, { view: { pose, depth: wall } }, memory);
    expect(Array.from(plain.last!)).toEqual(Array.from(bicubic));
  });

  it('gives a confidence upsampler with copyMemoryAt the score unchanged, and copies only where it reaches the threshold', async () => {
    const recorder = new Recorder('confidence', 0.9);
    const { painter, memory, frame, bicubic } = await copyCase(recorder);
    // Painted over nothing: 0.3, under 0.9, so the upsampler's frame; it reads 0.3, not coverage's 1.
    memory.insert(new Float32Array(3 * N).fill(0.5), wall, pose, 0, { painted: true });
    await painter.paint(frame, { view: { pose, depth: wall } }, memory);
    expect(Array.from(painter.last!)).toEqual(Array.from(bicubic));
    expect(recorder.seen!.memory.subarray(3 * ND).every((c) => Math.abs(c - 0.3) < 1e-6)).toBe(true);
    // A real frame from the same place scores 1 ≥ 0.9: memory's render, and the net still read the score (1).
    memory.insert(new Float32Array(3 * N).fill(0.75), wall, pose, 1);
    await painter.paint(frame, { view: { pose, depth: wall } }, memory);
    expect(painter.last!.every((v) => v === 0.75)).toBe(true);
    expect(recorder.seen!.memory.subarray(3 * ND).every((c) => c === 1)).toBe(true);
  });

  it('gives the upsampler memory of the view and its normalised depth, into one reused buffer', async () => {
    const recorder = new Recorder();
    const painter = new DisplayPainter(recorder, manifest);
    const memory = new SpatialMemory({ width: W, height: W, ...manifest.camera }, { displayScale: S });
    memory.insert(new Float32Array(3 * N).fill(0.5), wall, pose, 0);
    const frame = new Float32Array(3 * N).fill(-0.2);
    recorder.busyMs = 3;
    const started = performance.now();
    await painter.paint(frame, { view: { pose, depth: wall } }, memory);
    const wallMs = performance.now() - started;
    recorder.busyMs = 0;
    expect(Array.from(recorder.seen!.memory)).toEqual(Array.from(memory.renderDisplay(pose, wall)));
    expect(recorder.seen!.memory.subarray(3 * ND).every((c) => c === 1)).toBe(true);
    expect(recorder.seen!.depth.every((d) => Math.abs(d - (6 / 60) * 2 + 1) < 1e-6)).toBe(true);
    const first = painter.last!;
    expect(first.length).toBe(3 * ND);
    // Timed from memory's display render to the upsampler's answer: at least the upsampler's busy time.
    expect(painter.lastMs).toBeGreaterThanOrEqual(3);
    expect(painter.lastMs).toBeLessThanOrEqual(wallMs);
    // No memory (or a raw memory stream): all uncovered; no view: depth 1; a raw depth stream wins.
    await painter.paint(frame, {}, memory);
    expect(recorder.seen!.memory.every((v) => v === 0)).toBe(true);
    expect(recorder.seen!.depth.every((d) => d === 1)).toBe(true);
    const depth = new Float32Array(N).fill(-0.5);
    await painter.paint(frame, { view: { pose, depth: wall }, memory: new Float32Array(4 * N), depth }, memory);
    expect(recorder.seen!.memory.every((v) => v === 0)).toBe(true);
    expect(Array.from(recorder.seen!.depth)).toEqual(Array.from(depth));
    await painter.paint(frame, { view: { pose, depth: wall } }, null);
    expect(recorder.seen!.memory.every((v) => v === 0)).toBe(true);
    expect(painter.last).toBe(first);
  });

  it('normalises depth with the upsampler\'s far when it has one (its training camera)', async () => {
    const recorder = Object.assign(new Recorder(), { far: 30 });
    await new DisplayPainter(recorder, manifest).paint(new Float32Array(3 * N), { view: { pose, depth: wall } }, null);
    expect(recorder.seen!.depth.every((d) => Math.abs(d - (6 / 30) * 2 + 1) < 1e-6)).toBe(true);
  });

  it('is null while a display frame fails', async () => {
    const failing = new Recorder();
    failing.upsample = () => Promise.reject(new Error('down'));
    const painter = new DisplayPainter(failing, manifest);
    await expect(painter.paint(new Float32Array(3 * N), {}, null)).rejects.toThrow('down');
    expect(painter.last).toBeNull();
  });

  it('refuses an upsampler of another size or scale', () => {
    expect(() => new DisplayPainter(new BicubicUpsampler({ width: 4, height: 8 }), manifest)).toThrow(/takes 4 × 8 frames, model "unit" paints 8 × 8/);
    expect(() => new DisplayPainter(new Recorder(), manifest, { displayScale: 3 })).toThrow(/memory\.displayScale is 3 but the display upsampler's scale is 2/);
    expect(() => new DisplayPainter({} as DisplayUpsampler, manifest)).toThrow(/must be a DisplayUpsampler/);
  });
});

describe('assertResetDisplays', () => {
  const keeping = new SpatialMemory({ width: W, height: W, ...manifest.camera }, { displayScale: S });
  const plain = new SpatialMemory({ width: W, height: W, ...manifest.camera });
  const code = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      return (error as NextframeError).code;
    }
    return 'none';
  };

  it('takes up to one display frame per frame, of the size memory keeps, and ignores them without memory', () => {
    expect(code(() => assertResetDisplays([new Uint8Array(3 * ND), new Float32Array(3 * ND)], 2, keeping, 'unit'))).toBe('none');
    expect(code(() => assertResetDisplays([new Uint8Array(3)], 2, null, 'unit'))).toBe('none');
    expect(code(() => assertResetDisplays([], 2, plain, 'unit'))).toBe('none');
    expect(() => assertResetDisplays([new Uint8Array(3 * ND)], 2, plain, 'unit')).toThrow(/model "unit" keeps none/);
    expect(() => assertResetDisplays([new Uint8Array(3 * N)], 2, keeping, 'unit')).toThrow(/display 0 must be 16 × 16/);
    expect(() => assertResetDisplays([1, 2, 3].map(() => new Uint8Array(3 * ND)), 2, keeping, 'unit')).toThrow(/at most 2 display frames/);
    expect(code(() => assertResetDisplays([new Uint8Array(3 * N)], 2, keeping, 'unit'))).toBe('bad-frames');
  });
});
