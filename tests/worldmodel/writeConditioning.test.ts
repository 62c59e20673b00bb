import { describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../worldmodel/manifestSchema.ts';
import type { SpatialMemory } from '../../worldmodel/SpatialMemory.ts';
import { writeConditioning } from '../../worldmodel/writeConditioning.ts';
import { validManifest } from './manifestFixture.ts';

const HW = 64; // the fixture manifest is 8×8
const pose = { x: 1, y: 1.6, z: -2, yaw: 0.3, pitch: 0 };

/** The fixture manifest with memory and depth streams (far = 60 m). */
function withStreams(): ModelManifest {
  const manifest = validManifest();
  return { ...manifest, conditioning: ['context', 'actions', 'memory', 'depth'] };
}

const streams = () => ({ memory: new Float32Array(4 * HW).fill(9), depth: new Float32Array(HW).fill(9) });

/** A spatial memory that renders a constant and records what it was asked for. */
function fakeMemory(value: number) {
  const calls: { pose: unknown; depth: Float32Array }[] = [];
  const memory = {
    render(p: unknown, depth: Float32Array, out: Float32Array) {
      calls.push({ pose: p, depth });
      return out.fill(value);
    },
  } as unknown as SpatialMemory;
  return { memory, calls };
}

describe('writeConditioning', () => {
  it('copies raw memory and depth streams', () => {
    const out = streams();
    const memory = new Float32Array(4 * HW).map((_, i) => (i % 5) / 5);
    const depth = new Float32Array(HW).map((_, i) => -1 + i / 64);
    writeConditioning({ memory, depth }, withStreams(), null, out);
    expect(Array.from(out.memory)).toEqual(Array.from(memory));
    expect(Array.from(out.depth)).toEqual(Array.from(depth));
  });

  it('from a view: memory rendered for it, depth normalised as clamp(d / far, 0, 1)·2 − 1', () => {
    const out = streams();
    const metres = new Float32Array(HW).map((_, i) => [0, 15, 30, 60, 90][i % 5]!);
    const { memory, calls } = fakeMemory(0.25);
    writeConditioning({ view: { pose, depth: metres } }, withStreams(), memory, out);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.pose).toBe(pose);
    expect(new Set(out.memory)).toEqual(new Set([0.25]));
    const expected = [-1, -0.5, 0, 1, 1];
    out.depth.forEach((v, i) => expect(v).toBeCloseTo(expected[i % 5]!, 6));
  });

  it('an empty memory stream (coverage 0) without a memory, or without a view', () => {
    const depth = new Float32Array(HW);
    const noMemory = streams();
    writeConditioning({ view: { pose, depth: new Float32Array(HW).fill(5) } }, withStreams(), null, noMemory);
    expect(new Set(noMemory.memory)).toEqual(new Set([0]));
    const noView = streams();
    const { memory, calls } = fakeMemory(0.25);
    writeConditioning({ depth }, withStreams(), memory, noView);
    expect(calls).toHaveLength(0);
    expect(new Set(noView.memory)).toEqual(new Set([0]));
  });

  it('a raw memory stream wins over rendering the view', () => {
    const out = streams();
    const { memory, calls } = fakeMemory(0.25);
    writeConditioning({ view: { pose, depth: new Float32Array(HW).fill(30) }, memory: new Float32Array(4 * HW).fill(0.5) }, withStreams(), memory, out);
    expect(calls).toHaveLength(0);
    expect(new Set(out.memory)).toEqual(new Set([0.5]));
    expect(new Set(out.depth)).toEqual(new Set([0]));
  });

  it('writes nothing for a model without streams, and still checks the view', () => {
    const none = { memory: undefined, depth: undefined };
    expect(() => writeConditioning({}, validManifest(), null, none)).not.toThrow();
    expect(() => writeConditioning({ view: { pose, depth: new Float32Array(HW) } }, validManifest(), null, none)).not.toThrow();
    expect(() => writeConditioning({ view: { pose, depth: new Float32Array(3) } }, validManifest(), null, none)).toThrow(/view must be \{ pose/);
  });

  it('refuses unknown and undeclared streams, missing depth and non-finite values', () => {
    const colour = { colour: new Float32Array(HW) } as unknown as Parameters<typeof writeConditioning>[0];
    expect(() => writeConditioning(colour, withStreams(), null, streams())).toThrow(/unknown conditioning stream "colour"/);
    expect(() => writeConditioning({ memory: new Float32Array(4 * HW) }, validManifest(), null, { memory: undefined, depth: undefined })).toThrow(/takes no "memory" stream/);
    expect(() => writeConditioning({}, withStreams(), null, streams())).toThrow(/needs proxy depth each step/);
    const depth = new Float32Array(HW);
    depth[5] = Number.NaN;
    expect(() => writeConditioning({ depth }, withStreams(), null, streams())).toThrow(/"depth" has NaN at index 5/);
    expect(() => writeConditioning({ depth: new Float32Array(3) }, withStreams(), null, streams())).toThrow(/"depth" must be a Float32Array of 64 values/);
  });
});
