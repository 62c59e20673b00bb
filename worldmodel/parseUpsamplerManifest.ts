import { z } from 'zod';
import { NextframeError } from './errors.ts';
import { describeIssue } from './parseManifest.ts';

const positiveInt = z.number().int().positive();
/** A tensor shape; the first (batch) axis may be symbolic. */
const shapeSchema = z.array(z.union([positiveInt, z.literal('batch')])).min(1);

/**
 * The manifest (`manifest.json`) beside a display upsampler's `model.onnx`, as models/upsampler.py
 * writes it. The graph takes `base` (the frame enlarged bicubically, made in TypeScript so the graph
 * needs no cubic Resize), `memory`, `frame` and `depth`, and gives `display`.
 */
export const upsamplerManifestSchema = z.object({
  kind: z.literal('upsampler'),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
  /** Format version of this manifest. */
  version: z.literal(1),
  /** Display frames are this many times the model's frame per side. */
  scale: z.number().int().min(1).max(16),
  /** The model frame size it takes. */
  resolution: z.object({ width: positiveInt, height: positiveInt }),
  inputs: z.record(z.string(), shapeSchema),
  outputs: z.record(z.string(), shapeSchema),
  /**
   * What the fourth channel of its `memory` input holds: `coverage` {0, 1} (the default, and every
   * upsampler exported before this field), or `confidence`, the score memory chose each pixel's
   * keyframe by (`SpatialMemory.renderDisplay`'s `channel`).
   */
  memoryChannel: z.enum(['coverage', 'confidence']).default('coverage'),
  /**
   * Where memory's score for a display pixel (`SpatialMemory.renderDisplay`'s `confidence`: the
   * covering keyframe's confidence × resolution) is at least this, the display shows memory's
   * render itself, not the network's output: at 1, a real frame seen from as close, which is the
   * truth reprojected. Absent: the network everywhere.
   */
  copyMemoryAt: z.number().gt(0).max(1).optional(),
  /** `far` normalises the depth input as the world model's depth stream: clamp(d / far, 0, 1)·2 − 1. */
  camera: z.object({ far: z.number().positive() }),
  /** Hex sha256 of `model.onnx`: a download or cached copy that differs is refused. */
  modelSha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits (sha256 of model.onnx)'),
  /** How it was trained (free-form; null for random weights) and what it measured. */
  training: z.record(z.string(), z.unknown()).nullable(),
  metrics: z.record(z.string(), z.unknown()),
  /** Its size (channels, layers, params, FLOPs per frame), free-form. */
  architecture: z.record(z.string(), z.unknown()).optional(),
});

export type UpsamplerManifest = z.infer<typeof upsamplerManifestSchema>;

/** The tensors an upsampler of `scale` for W × H frames takes and gives, by name (batch 1). */
export function upsamplerTensors(width: number, height: number, scale: number): { inputs: Record<string, number[]>; outputs: Record<string, number[]> } {
  const [wd, hd] = [width * scale, height * scale];
  return {
    inputs: { base: [1, 3, hd, wd], memory: [1, 4, hd, wd], frame: [1, 3, height, width], depth: [1, 1, height, width] },
    outputs: { display: [1, 3, hd, wd] },
  };
}

/**
 * Validate a parsed upsampler `manifest.json`. Throws one `NextframeError` (`manifest-invalid`)
 * that lists every problem as: field, what was expected, what was found.
 */
export function parseUpsamplerManifest(raw: unknown, source = 'manifest.json'): UpsamplerManifest {
  const result = upsamplerManifestSchema.safeParse(raw);
  const problems: string[] = result.success ? checkTensors(result.data) : result.error.issues.map((issue) => describeIssue(issue, raw));
  if (problems.length > 0 || !result.success) {
    const worldModel = typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === 'nextframe.manifest';
    throw new NextframeError(
      'manifest-invalid',
      `parseUpsamplerManifest: ${source} is not a valid upsampler manifest (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        (worldModel ? '\nIt is a world model\'s manifest: load it with WorldModel.load, and give LearnedUpsampler.load the upsampler\'s folder.' : '\nRe-export the upsampler with models/upsampler.py or fix these fields by hand.'),
    );
  }
  return result.data;
}

/** The declared tensors must be exactly the four inputs and one output of the contract, sized by scale and resolution. */
function checkTensors(m: UpsamplerManifest): string[] {
  const want = upsamplerTensors(m.resolution.width, m.resolution.height, m.scale);
  return [...compare('inputs', m.inputs, want.inputs), ...compare('outputs', m.outputs, want.outputs)];
}

function compare(field: 'inputs' | 'outputs', declared: Record<string, (number | 'batch')[]>, want: Record<string, number[]>): string[] {
  const problems: string[] = [];
  for (const [name, shape] of Object.entries(want)) {
    const found = declared[name];
    if (!found) problems.push(`field "${field}": expected "${name}" [${shape.join(', ')}], found only [${Object.keys(declared).join(', ')}]`);
    else if (found.length !== shape.length || found.some((d, i) => d !== shape[i] && !(i === 0 && d === 'batch'))) {
      problems.push(`field "${field}.${name}": expected [${shape.join(', ')}], found [${found.join(', ')}]`);
    }
  }
  for (const name of Object.keys(declared)) {
    if (!(name in want)) problems.push(`field "${field}.${name}": expected only ${Object.keys(want).join(', ')}, found "${name}" too`);
  }
  return problems;
}
