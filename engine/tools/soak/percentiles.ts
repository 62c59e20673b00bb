/**
 * The `p`-th percentile (0–100) of `values`, interpolated linearly between the two nearest ranks
 * (numpy's default), or null for no values. NaNs are ignored.
 */
export function percentile(values: readonly number[], p: number): number | null {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}

/** A distribution in two numbers: the median and one tail (`p`, e.g. 5 for fps, 95 for ms). */
export function spread(values: readonly number[], p: number): { median: number | null; tail: number | null; n: number } {
  return { median: median(values), tail: percentile(values, p), n: values.length };
}
