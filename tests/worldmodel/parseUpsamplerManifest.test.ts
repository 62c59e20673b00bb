import { describe, expect, it } from 'vitest';
import { NextframeError } from '../../worldmodel/errors.ts';
import { parseUpsamplerManifest, upsamplerTensors } from '../../worldmodel/parseUpsamplerManifest.ts';
import { validManifest } from './manifestFixture.ts';

/** A valid manifest of a 4× upsampler for 8 × 6 frames; tests break one field at a time. */
function valid(): Record<string, unknown> {
  return {
    kind: 'upsampler',
    id: 'unit-upsampler',
    version: 1,
    scale: 4,
    resolution: { width: 8, height: 6 },
    inputs: { base: [1, 3, 24, 32], memory: [1, 4, 24, 32], frame: [1, 3, 6, 8], depth: [1, 1, 6, 8] },
    outputs: { display: [1, 3, 24, 32] },
    camera: { far: 60 },
    modelSha256: 'a'.repeat(64),
    training: { steps: 10 },
    metrics: {},
  };
}

function problemsOf(raw: unknown): string {
  try {
    parseUpsamplerManifest(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(NextframeError);
    expect((error as NextframeError).code).toBe('manifest-invalid');
    return (error as NextframeError).message;
  }
  throw new Error('expected the manifest to be refused');
}

describe('parseUpsamplerManifest', () => {
  it('accepts the contract, a symbolic batch axis, and null training', () => {
    const m = parseUpsamplerManifest(valid());
    expect([m.id, m.scale, m.resolution.width, m.camera.far]).toEqual(['unit-upsampler', 4, 8, 60]);
    expect(upsamplerTensors(8, 6, 4)).toEqual({ inputs: valid().inputs, outputs: valid().outputs });
    const batch = { ...valid(), inputs: { base: ['batch', 3, 24, 32], memory: [1, 4, 24, 32], frame: [1, 3, 6, 8], depth: [1, 1, 6, 8] }, training: null };
    expect(parseUpsamplerManifest(batch).training).toBeNull();
  });

  it('reads the memory channel, coverage when the manifest predates it, and refuses other kinds', () => {
    expect(parseUpsamplerManifest(valid()).memoryChannel).toBe('coverage');
    expect(parseUpsamplerManifest({ ...valid(), memoryChannel: 'confidence' }).memoryChannel).toBe('confidence');
    expect(problemsOf({ ...valid(), memoryChannel: 'depth' })).toMatch(/memoryChannel/);
  });

  it('reads copyMemoryAt, absent when not given, a score in (0, 1] when given', () => {
    expect(parseUpsamplerManifest(valid()).copyMemoryAt).toBeUndefined();
    expect(parseUpsamplerManifest({ ...valid(), copyMemoryAt: 1 }).copyMemoryAt).toBe(1);
    for (const bad of [0, 1.5, '1']) expect(problemsOf({ ...valid(), copyMemoryAt: bad })).toMatch(/copyMemoryAt/);
  });

  it('lists every field that is wrong, with what it expected and found', () => {
    const message = problemsOf({ ...valid(), kind: 'model', scale: 2.5, modelSha256: 'xyz', camera: {} });
    expect(message).toMatch(/^parseUpsamplerManifest: manifest\.json is not a valid upsampler manifest \(4 problems\)/);
    expect(message).toMatch(/field "kind": expected "upsampler", found "model"/);
    expect(message).toMatch(/field "scale": .*found 2\.5/);
    expect(message).toMatch(/field "modelSha256": .*64 lower-case hex digits.*found "xyz"/);
    expect(message).toMatch(/field "camera\.far"/);
    expect(message).toMatch(/Re-export the upsampler with models\/upsampler\.py/);
  });

  it('holds the tensors to the scale and resolution: sizes, missing and extra names', () => {
    const message = problemsOf({
      ...valid(),
      inputs: { base: [1, 3, 12, 16], memory: [1, 4, 24, 32], frame: [1, 3, 6, 8], noise: [1, 1, 6, 8] },
      outputs: { display: [1, 3, 24, 32], extra: [1] },
    });
    expect(message).toMatch(/field "inputs\.base": expected \[1, 3, 24, 32\], found \[1, 3, 12, 16\]/);
    expect(message).toMatch(/field "inputs": expected "depth" \[1, 1, 6, 8\], found only \[base, memory, frame, noise\]/);
    expect(message).toMatch(/field "inputs\.noise": expected only base, memory, frame, depth/);
    expect(message).toMatch(/field "outputs\.extra"/);
  });

  it('says so when given a world model\'s manifest', () => {
    expect(problemsOf(validManifest())).toMatch(/It is a world model's manifest: load it with WorldModel\.load/);
  });
});
