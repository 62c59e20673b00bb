import { z } from 'zod';

/**
 * The model manifest (`manifest.json`) beside every `model.onnx`: everything the runtime
 * needs to drive the model without guessing. `models/manifest.py` writes it; this schema is
 * the single definition the TypeScript side validates against.
 */

const positiveInt = z.number().int().positive();

/** A tensor dimension: a fixed size, or the symbolic batch axis. */
const dimension = z.union([positiveInt, z.literal('batch')]);

export const tensorSpecSchema = z.object({
  name: z.string().min(1),
  dtype: z.literal('float32'),
  shape: z.array(dimension).min(1),
});

export const actionSlotSchema = z.object({
  /** Slot name, e.g. `forward`, `yaw`, `jump`. */
  name: z.string().min(1),
  /** `axis`: a signed continuous value; `button`: 0 or 1. */
  kind: z.enum(['axis', 'button']),
  /** Unit of the raw value, e.g. `m/tick`, `rad/tick`, `pressed`. */
  unit: z.string(),
  /** Raw value that maps to ±1 (axes); 1 for buttons. */
  scale: z.number().positive(),
  /** Number of quantisation bins: odd (centre bin is exactly 0) for axes, 2 for buttons. */
  bins: z.number().int().min(2),
});

/** Camera intrinsics shared by the model and the ground-truth renderer. */
export const cameraSchema = z.object({
  fovYDegrees: z.number().gt(0).lt(180),
  aspect: z.number().positive(),
  near: z.number().positive(),
  far: z.number().positive(),
});

export const conditioningStreamSchema = z.enum(['context', 'actions', 'memory', 'depth']);

export const samplerDefaultsSchema = z.object({
  method: z.enum(['euler', 'heun']),
  steps: positiveInt,
  sigmaMin: z.number().positive(),
  sigmaMax: z.number().positive(),
  rho: z.number().positive(),
  sigmaData: z.number().positive(),
  /**
   * Where sampling starts: `noise` = σmax·n; `base` = σmax·n around the residual model's base
   * image (memory colour where memory covers, else the last context frame). Default `noise`.
   */
  start: z.enum(['noise', 'base']).optional(),
});

export const trainingSchema = z.object({
  dataset: z.string(),
  steps: z.number().int().nonnegative(),
  batchSize: z.number().int().positive().optional(),
  hardware: z.string(),
  wallTimeSeconds: z.number().nonnegative(),
  command: z.string(),
  /** The scene every training episode was recorded in: its id and content hash (`sceneFingerprint`). */
  scene: z.object({ id: z.string().min(1), hash: z.string().min(1).optional() }).optional(),
  /** The player's eye heights (metres above the floor) over the training episodes; absent: 1.6, the recorder's default. */
  eyeHeight: z.object({ min: z.number().positive(), max: z.number().positive() }).optional(),
  /** The weights a fine-tune started from (`train --init`): that checkpoint, its steps and data. */
  initFrom: z.object({ checkpoint: z.string().min(1), steps: z.number().int().nonnegative(), dataset: z.string().optional() }).optional(),
});

export const manifestSchema = z.object({
  format: z.literal('nextframe.manifest'),
  formatVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
  version: z.string().min(1),
  description: z.string(),
  modelFile: z.string().min(1),
  /** Hex sha256 of the model file as exported: a download or cached copy that differs is refused (and fetched again). Absent in older manifests. */
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits (sha256 of the model file)').optional(),
  resolution: z.object({ width: positiveInt, height: positiveInt }),
  contextFrames: positiveInt,
  tickHz: z.number().positive().max(240),
  camera: cameraSchema,
  actions: z.array(actionSlotSchema).min(1),
  conditioning: z.array(conditioningStreamSchema).min(1),
  inputs: z.array(tensorSpecSchema).min(1),
  outputs: z.array(tensorSpecSchema).length(1),
  sampler: samplerDefaultsSchema,
  architecture: z.record(z.string(), z.unknown()),
  training: trainingSchema.nullable(),
  metrics: z.record(z.string(), z.unknown()),
});

export type TensorSpec = z.infer<typeof tensorSpecSchema>;
export type ActionSlot = z.infer<typeof actionSlotSchema>;
export type ConditioningStream = z.infer<typeof conditioningStreamSchema>;
export type SamplerDefaults = z.infer<typeof samplerDefaultsSchema>;
export type ModelManifest = z.infer<typeof manifestSchema>;
