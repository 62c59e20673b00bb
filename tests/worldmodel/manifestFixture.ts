import type { ModelManifest } from '../../worldmodel/manifestSchema.ts';

/** A valid manifest for a 8×8, K=2 model; tests break one field at a time. */
export function validManifest(): ModelManifest {
  return {
    format: 'nextframe.manifest',
    formatVersion: 1,
    id: 'unit',
    version: '0.1.0',
    description: 'unit-test manifest',
    modelFile: 'model.onnx',
    resolution: { width: 8, height: 8 },
    contextFrames: 2,
    tickHz: 20,
    camera: { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 },
    actions: [
      { name: 'forward', kind: 'axis', unit: 'm/tick', scale: 0.4, bins: 9 },
      { name: 'yaw', kind: 'axis', unit: 'rad/tick', scale: 0.25, bins: 9 },
      { name: 'jump', kind: 'button', unit: 'pressed', scale: 1, bins: 2 },
    ],
    conditioning: ['context', 'actions'],
    inputs: [
      { name: 'noisy', dtype: 'float32', shape: ['batch', 3, 8, 8] },
      { name: 'sigma', dtype: 'float32', shape: ['batch'] },
      { name: 'context', dtype: 'float32', shape: ['batch', 6, 8, 8] },
      { name: 'actions', dtype: 'float32', shape: ['batch', 2, 3] },
    ],
    outputs: [{ name: 'denoised', dtype: 'float32', shape: ['batch', 3, 8, 8] }],
    sampler: { method: 'euler', steps: 3, sigmaMin: 0.002, sigmaMax: 5, rho: 7, sigmaData: 0.5 },
    architecture: { kind: 'edm-unet' },
    training: null,
    metrics: {},
  };
}
