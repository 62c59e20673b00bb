import { describe, expect, it } from 'vitest';
import { assertModelIO, modelIOMismatches } from '../../worldmodel/checkModelIO.ts';
import type { TensorInfo } from '../../worldmodel/OrtSession.ts';
import { validManifest } from './manifestFixture.ts';

const graphInputs: TensorInfo[] = [
  { name: 'noisy', dtype: 'float32', shape: ['batch', 3, 8, 8] },
  { name: 'sigma', dtype: 'float32', shape: ['batch'] },
  { name: 'context', dtype: 'float32', shape: ['batch', 6, 8, 8] },
  { name: 'actions', dtype: 'float32', shape: ['batch', 2, 3] },
];
const graphOutputs: TensorInfo[] = [{ name: 'denoised', dtype: 'float32', shape: ['batch', 3, 8, 8] }];

describe('modelIOMismatches', () => {
  it('finds none when manifest and graph agree', () => {
    expect(modelIOMismatches(validManifest(), graphInputs, graphOutputs)).toEqual([]);
  });

  it('lists every mismatch in one error', () => {
    const inputs: TensorInfo[] = [
      { name: 'noisy', dtype: 'float32', shape: ['batch', 3, 16, 16] },
      { name: 'sigma', dtype: 'int64', shape: ['batch'] },
      { name: 'actions', dtype: 'float32', shape: ['batch', 2, 3] },
      { name: 'extra', dtype: 'float32', shape: [1] },
    ];
    const problems = modelIOMismatches(validManifest(), inputs, graphOutputs);
    expect(problems).toHaveLength(4);
    expect(() => assertModelIO(validManifest(), inputs, graphOutputs)).toThrow(/4 mismatches[\s\S]*noisy[\s\S]*int64[\s\S]*context[\s\S]*extra/);
  });

  it('requires a symbolic batch axis where the manifest says batch', () => {
    const inputs = graphInputs.map((i) => (i.name === 'sigma' ? { ...i, shape: [1] } : i));
    expect(modelIOMismatches(validManifest(), inputs, graphOutputs)).toEqual([
      'input "sigma": manifest says shape [batch], ONNX graph says [1]',
    ]);
  });
});
