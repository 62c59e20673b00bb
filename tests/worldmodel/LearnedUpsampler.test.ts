import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bicubicUpsample } from '../../worldmodel/bicubicUpsample.ts';
import type { DisplayInputs } from '../../worldmodel/DisplayUpsampler.ts';
import { LearnedUpsampler } from '../../worldmodel/LearnedUpsampler.ts';
import type { SessionFactory } from '../../worldmodel/ModelSession.ts';
import { OrtSession } from '../../worldmodel/OrtSession.ts';
import { errorOf } from '../support/errorOf.ts';

const dir = fileURLToPath(new URL('../fixtures/tiny-upsampler/', import.meta.url));
const manifest = (): Record<string, unknown> => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const modelBytes = () => new Uint8Array(readFileSync(join(dir, 'model.onnx')));

interface ReferenceCase {
  inputs: Record<'base' | 'memory' | 'frame' | 'depth', Float32Array>;
  display: Float32Array;
}

/** The PyTorch inputs and outputs models/export_upsampler.py wrote beside the fixture. */
function referenceCases(): ReferenceCase[] {
  const index = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as {
    cases: { inputs: Record<string, { offset: number; shape: number[] }>; outputs: Record<string, { offset: number; shape: number[] }> }[];
  };
  const bytes = readFileSync(join(dir, 'reference.bin'));
  const data = new Float32Array(new Uint8Array(bytes).buffer);
  const get = (e: { offset: number; shape: number[] }) => data.slice(e.offset, e.offset + e.shape.reduce((a, b) => a * b, 1));
  return index.cases.map((c) => ({
    inputs: { base: get(c.inputs.base!), memory: get(c.inputs.memory!), frame: get(c.inputs.frame!), depth: get(c.inputs.depth!) },
    display: get(c.outputs.display!),
  }));
}

const maxGap = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('LearnedUpsampler', () => {
  it('loads the fixture from its folder and paints the display frame PyTorch paints (base made here)', async () => {
    const up = await LearnedUpsampler.load(dir);
    expect([up.kind, up.scale, up.width, up.height, up.far, up.backend, up.manifest.id, up.memoryChannel]).toEqual(['learned', 4, 16, 16, 60, 'wasm', 'tiny-upsampler', 'coverage']);
    for (const ref of referenceCases()) {
      // The graph's base is our bicubicUpsample of the frame: the same as models/bicubic.py's.
      expect(maxGap(bicubicUpsample(ref.inputs.frame, 16, 16, 4), ref.inputs.base)).toBeLessThan(1e-5);
      const display = await up.upsample({ frame: ref.inputs.frame, memory: ref.inputs.memory, depth: ref.inputs.depth });
      expect(display.length).toBe(3 * 64 * 64);
      expect(display.every((v) => v >= -1 && v <= 1)).toBe(true);
      expect(maxGap(display, ref.display.map((v) => Math.min(1, Math.max(-1, v))))).toBeLessThan(1e-4);
      expect(maxGap(display, ref.inputs.base)).toBeGreaterThan(1e-3); // the network did something
    }
    expect(up.lastMs).toBeGreaterThan(0);
    await up.dispose();
  });

  it('gives the same frame for the same inputs, into out, also for calls made at once', async () => {
    const up = await LearnedUpsampler.fromBytes(manifest(), modelBytes());
    const [a, b] = referenceCases().map((c) => ({ frame: c.inputs.frame, memory: c.inputs.memory, depth: c.inputs.depth }) as DisplayInputs);
    const first = await up.upsample(a!);
    const out = new Float32Array(3 * 64 * 64);
    expect(await up.upsample(a!, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(first));
    // Queued: each call's base is its own frame's, though the buffer is shared.
    const alone = Array.from(await up.upsample(b!));
    const together = await Promise.all([up.upsample(a!), up.upsample(b!), up.upsample(a!)]);
    expect(together.map((d) => Array.from(d))).toEqual([Array.from(first), alone, Array.from(first)]);
    // Memory and depth are read: other memory, another frame.
    const other = await up.upsample({ ...a!, memory: new Float32Array(a!.memory.length) });
    expect(maxGap(other, first)).toBeGreaterThan(1e-4);
    await up.dispose();
  });

  it('says which input has the wrong size, and refuses use after dispose', async () => {
    const up = await LearnedUpsampler.load(dir);
    const [ref] = referenceCases();
    const error = await errorOf(up.upsample({ frame: ref!.inputs.frame, memory: new Float32Array(4 * 16 * 16), depth: ref!.inputs.depth }));
    expect(error.code).toBe('bad-frame');
    expect(error.message).toMatch(/^LearnedUpsampler\.upsample: the inputs do not fit a 16 × 16 model frame shown 4× larger:\n {2}- memory: expected a Float32Array of 16384 values \(4·64·64: SpatialMemory\.renderDisplay of the view\), found Float32Array\(1024\)/);
    // A failed call does not stop the queue.
    expect((await up.upsample({ frame: ref!.inputs.frame, memory: ref!.inputs.memory, depth: ref!.inputs.depth })).length).toBe(3 * 64 * 64);
    await up.dispose();
    await up.dispose(); // twice is fine
    expect((await errorOf(up.upsample({ frame: ref!.inputs.frame, memory: ref!.inputs.memory, depth: ref!.inputs.depth }))).code).toBe('disposed');
  });

  it('runs on the session the factory makes', async () => {
    let made = 0;
    const createSession: SessionFactory = async (bytes, options) => {
      made++;
      return OrtSession.create(bytes, options);
    };
    const up = await LearnedUpsampler.load(dir, { createSession });
    expect(made).toBe(1);
    await up.dispose();
  });

  it('after a device loss, goes on on WASM from the bytes it kept, painting the same frames', async () => {
    let made = 0;
    const createSession: SessionFactory = async (bytes, options) => {
      made++;
      return OrtSession.create(bytes, options);
    };
    const up = await LearnedUpsampler.load(dir);
    const [ref] = referenceCases();
    const inputs = { frame: ref!.inputs.frame, memory: ref!.inputs.memory, depth: ref!.inputs.depth };
    const before = Array.from(await up.upsample(inputs));
    expect(up.deviceLost).toBeNull();
    up.loseDevice('gone for the test');
    const lost = await errorOf(up.upsample(inputs));
    expect(lost.code).toBe('device-lost');
    expect(up.deviceLost).toBe('gone for the test');
    await up.switchToWasm(createSession);
    expect([made, up.deviceLost, up.backend]).toEqual([1, null, 'wasm']);
    expect(Array.from(await up.upsample(inputs))).toEqual(before);
    await up.dispose();
    expect((await errorOf(up.switchToWasm())).code).toBe('disposed');
  });

  it('refuses a model file that is not the manifest\'s, a manifest that is not the graph\'s, and a world model', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nextframe-upsampler-'));
    copyFileSync(join(dir, 'model.onnx'), join(tmp, 'model.onnx'));
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify({ ...manifest(), modelSha256: 'b'.repeat(64) }));
    const corrupt = await errorOf(LearnedUpsampler.load(tmp));
    expect(corrupt.code).toBe('model-corrupt');
    expect(corrupt.message).toMatch(/upsampler model file "model\.onnx".*expects bbbb/);
    // The manifest says 32 × 32 frames; the graph takes 16 × 16.
    const wrongSize = {
      ...manifest(),
      resolution: { width: 32, height: 32 },
      inputs: { base: [1, 3, 128, 128], memory: [1, 4, 128, 128], frame: [1, 3, 32, 32], depth: [1, 1, 32, 32] },
      outputs: { display: [1, 3, 128, 128] },
    };
    const mismatch = await errorOf(LearnedUpsampler.fromBytes(wrongSize, modelBytes()));
    expect(mismatch.code).toBe('manifest-mismatch');
    expect(mismatch.message).toMatch(/^LearnedUpsampler: manifest "tiny-upsampler" does not match its ONNX file "model\.onnx" \(5 mismatches\)/);
    expect(mismatch.message).toMatch(/input "frame": manifest says shape \[1, 3, 32, 32\], ONNX graph says \[1, 3, 16, 16\]/);
    const worldModel = await errorOf(LearnedUpsampler.load(fileURLToPath(new URL('../fixtures/tiny/', import.meta.url))));
    expect(worldModel.code).toBe('manifest-invalid');
    expect(worldModel.message).toMatch(/world model's manifest/);
    expect((await errorOf(LearnedUpsampler.fromBytes(manifest(), new TextEncoder().encode('<html>')))).code).toBe('not-onnx');
  });
});
