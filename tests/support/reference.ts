/**
 * Reads the PyTorch reference inputs/outputs that `models.export --reference` writes beside a
 * fixture model: `reference.json` (index) + `reference.bin` (float32 little-endian).
 */
export interface ReferenceTensor {
  offset: number;
  shape: number[];
}

export interface ReferenceCase {
  name: string;
  inputs: Record<string, { data: Float32Array; dims: number[] }>;
  outputs: Record<string, { data: Float32Array; dims: number[] }>;
}

export interface ReferenceIndex {
  cases: { name: string; inputs: Record<string, ReferenceTensor>; outputs: Record<string, ReferenceTensor> }[];
  sigmas?: number[];
}

export function readReference(index: ReferenceIndex, bin: ArrayBuffer): ReferenceCase[] {
  const all = new Float32Array(bin);
  const take = (t: ReferenceTensor) => ({ data: all.slice(t.offset, t.offset + t.shape.reduce((a, b) => a * b, 1)), dims: t.shape });
  const map = (tensors: Record<string, ReferenceTensor>) => Object.fromEntries(Object.entries(tensors).map(([k, v]) => [k, take(v)]));
  return index.cases.map((c) => ({ name: c.name, inputs: map(c.inputs), outputs: map(c.outputs) }));
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
