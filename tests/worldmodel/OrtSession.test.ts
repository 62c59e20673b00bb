import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OrtSession } from '../../worldmodel/OrtSession.ts';
import { maxAbsDiff, readReference, type ReferenceIndex } from '../support/reference.ts';

const fixture = (id: string, file: string) => new URL(`../fixtures/${id}/${file}`, import.meta.url);
const bytes = (id: string) => new Uint8Array(readFileSync(fixture(id, 'model.onnx')));
const reference = (id: string) => {
  const bin = readFileSync(fixture(id, 'reference.bin'));
  return readReference(JSON.parse(readFileSync(fixture(id, 'reference.json'), 'utf8')) as ReferenceIndex, bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
};

describe('OrtSession (onnxruntime-web, WASM in Node)', () => {
  it.each(['tiny', 'tiny-streams'])('%s matches PyTorch reference outputs within 1e-4', async (id) => {
    const session = await OrtSession.create(bytes(id));
    expect(session.backend).toBe('wasm');
    const cases = reference(id);
    expect(cases.length).toBeGreaterThanOrEqual(3);
    for (const c of cases) {
      const out = await session.run(c.inputs);
      const diff = maxAbsDiff(out.denoised!.data, c.outputs.denoised!.data);
      expect(diff, c.name).toBeLessThanOrEqual(1e-4);
    }
    await session.dispose();
  });

  it('reports the graph inputs and outputs with a symbolic batch axis', async () => {
    const session = await OrtSession.create(bytes('tiny'));
    expect(session.inputs.map((i) => i.name)).toEqual(['noisy', 'sigma', 'context', 'actions']);
    expect(typeof session.inputs[0]!.shape[0]).toBe('string');
    expect(session.outputs.map((o) => o.name)).toEqual(['denoised']);
    await session.dispose();
  });

  it('serialises concurrent runs instead of throwing', async () => {
    const session = await OrtSession.create(bytes('tiny'));
    const [c] = reference('tiny');
    const outs = await Promise.all([session.run(c!.inputs), session.run(c!.inputs), session.run(c!.inputs)]);
    expect(outs.map((o) => maxAbsDiff(o.denoised!.data, outs[0]!.denoised!.data))).toEqual([0, 0, 0]);
    await session.dispose();
  });

  it('lists every missing or misshapen input in one error', async () => {
    const session = await OrtSession.create(bytes('tiny'));
    const [c] = reference('tiny');
    const { noisy, context } = c!.inputs;
    await expect(session.run({ noisy: noisy!, context: { data: context!.data, dims: [1, 3, 32, 32] }, bogus: noisy! })).rejects.toThrow(
      /missing input "sigma"[\s\S]*input "context": expected shape[\s\S]*missing input "actions"[\s\S]*unexpected input "bogus"/,
    );
    await session.dispose();
  });

  it('fails clearly on bytes that are not a model, and after dispose', async () => {
    await expect(OrtSession.create(new Uint8Array([8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]))).rejects.toThrow(/OrtSession: onnxruntime could not load the model/);
    const session = await OrtSession.create(bytes('tiny'));
    await session.dispose();
    expect(session.disposed).toBe(true);
    await expect(session.run({})).rejects.toThrow(/after dispose/);
    await session.dispose(); // twice is fine
  });
});
