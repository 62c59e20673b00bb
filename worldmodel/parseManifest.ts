import type { z } from 'zod';
import { describeValue, NextframeError } from './errors.ts';
import { manifestSchema, type ModelManifest, type TensorSpec } from './manifestSchema.ts';

/**
 * Validate a parsed `manifest.json`. Throws one `NextframeError` (`manifest-invalid`) that
 * lists every problem as: field, what was expected, what was found.
 */
export function parseManifest(raw: unknown, source = 'manifest.json'): ModelManifest {
  const result = manifestSchema.safeParse(raw);
  const problems: string[] = result.success ? [] : result.error.issues.map((issue) => describeIssue(issue, raw));
  if (result.success) problems.push(...checkConsistency(result.data));
  if (problems.length > 0 || !result.success) {
    throw new NextframeError(
      'manifest-invalid',
      `parseManifest: ${source} is not a valid nextframe manifest (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nRe-export the model with `npx nextframe export` or fix these fields by hand.',
    );
  }
  return result.data;
}

/** One schema issue as a sentence: the field, what was expected, what was found. */
export function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const found = valueAt(raw, issue.path);
  return `field "${path}": expected ${issue.message.replace(/^Invalid input: expected /, '')}, found ${describeValue(found)}`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Cross-field rules a schema cannot say: the declared tensors must fit the declared model. */
function checkConsistency(m: ModelManifest): string[] {
  const problems: string[] = [];
  const { width: W, height: H } = m.resolution;
  const K = m.contextFrames;
  const A = m.actions.length;
  const expected: Record<string, (number | 'batch')[]> = {
    noisy: ['batch', 3, H, W],
    sigma: ['batch'],
    context: ['batch', K * 3, H, W],
    actions: ['batch', K, A],
    memory: ['batch', 4, H, W],
    depth: ['batch', 1, H, W],
  };
  const required = ['noisy', 'sigma', ...m.conditioning];
  const names = m.inputs.map((i) => i.name);
  for (const name of required) {
    if (!names.includes(name)) problems.push(`field "inputs": expected an input named "${name}", found [${names.join(', ')}]`);
  }
  m.inputs.forEach((input, i) => {
    const want = expected[input.name];
    if (!want) {
      problems.push(`field "inputs.${i}.name": expected one of ${Object.keys(expected).join(', ')}, found "${input.name}"`);
    } else if (!sameShape(input, want)) {
      problems.push(`field "inputs.${i}.shape" (${input.name}): expected [${want.join(', ')}], found [${input.shape.join(', ')}]`);
    } else if (input.name !== 'noisy' && input.name !== 'sigma' && !m.conditioning.includes(input.name as never)) {
      problems.push(`field "conditioning": expected it to list "${input.name}" because inputs declare it, found [${m.conditioning.join(', ')}]`);
    }
  });
  const output = m.outputs[0];
  if (output && !sameShape(output, expected.noisy!)) {
    problems.push(`field "outputs.0.shape": expected [batch, 3, ${H}, ${W}], found [${output.shape.join(', ')}]`);
  }
  m.actions.forEach((slot, i) => {
    if (slot.kind === 'axis' && slot.bins % 2 === 0) {
      problems.push(`field "actions.${i}.bins" (${slot.name}): expected an odd number so the centre bin is exactly 0, found ${slot.bins}`);
    }
    if (slot.kind === 'button' && slot.bins !== 2) {
      problems.push(`field "actions.${i}.bins" (${slot.name}): expected 2 for a button, found ${slot.bins}`);
    }
  });
  if (m.sampler.sigmaMin >= m.sampler.sigmaMax) {
    problems.push(`field "sampler.sigmaMin": expected less than sigmaMax (${m.sampler.sigmaMax}), found ${m.sampler.sigmaMin}`);
  }
  if (m.camera.near >= m.camera.far) {
    problems.push(`field "camera.near": expected less than camera.far (${m.camera.far}), found ${m.camera.near}`);
  }
  return problems;
}

function sameShape(spec: TensorSpec, want: readonly (number | 'batch')[]): boolean {
  return spec.shape.length === want.length && spec.shape.every((d, i) => d === want[i]);
}
