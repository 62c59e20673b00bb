import { NextframeError } from './errors.ts';
import type { ModelManifest, TensorSpec } from './manifestSchema.ts';
import type { TensorInfo } from './OrtSession.ts';

/**
 * Compare the manifest's declared inputs/outputs with what the ONNX graph declares.
 * Returns every mismatch as a sentence; empty when they agree. A symbolic graph dimension
 * agrees with `batch` in the manifest.
 */
export function modelIOMismatches(manifest: ModelManifest, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): string[] {
  return [...tensorMismatches('input', manifest.inputs, inputs), ...tensorMismatches('output', manifest.outputs, outputs)];
}

/** Throw one `manifest-mismatch` error listing every disagreement between manifest and graph. */
export function assertModelIO(manifest: ModelManifest, inputs: readonly TensorInfo[], outputs: readonly TensorInfo[]): void {
  const problems = modelIOMismatches(manifest, inputs, outputs);
  if (problems.length > 0) {
    throw new NextframeError(
      'manifest-mismatch',
      `WorldModel: manifest "${manifest.id}" does not match its ONNX file "${manifest.modelFile}" (${problems.length} mismatch${problems.length === 1 ? '' : 'es'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nExport the model and its manifest together with `npx nextframe export`.',
    );
  }
}

/** Every disagreement between declared tensors and a graph's, as sentences (a symbolic graph dimension agrees with `batch`). */
export function tensorMismatches(kind: 'input' | 'output', declared: readonly TensorSpec[], actual: readonly TensorInfo[]): string[] {
  const problems: string[] = [];
  for (const spec of declared) {
    const info = actual.find((a) => a.name === spec.name);
    if (!info) {
      problems.push(`${kind} "${spec.name}": manifest declares it, the ONNX graph has no such ${kind} (graph ${kind}s: ${actual.map((a) => a.name).join(', ') || 'none'})`);
      continue;
    }
    if (info.dtype !== spec.dtype) problems.push(`${kind} "${spec.name}": manifest says dtype ${spec.dtype}, ONNX graph says ${info.dtype}`);
    const agree =
      info.shape.length === spec.shape.length &&
      spec.shape.every((d, i) => (d === 'batch' ? typeof info.shape[i] === 'string' || info.shape[i] === -1 : info.shape[i] === d));
    if (!agree) problems.push(`${kind} "${spec.name}": manifest says shape [${spec.shape.join(', ')}], ONNX graph says [${info.shape.join(', ')}]`);
  }
  for (const info of actual) {
    if (!declared.some((d) => d.name === info.name)) problems.push(`${kind} "${info.name}": the ONNX graph has it, the manifest does not declare it`);
  }
  return problems;
}
