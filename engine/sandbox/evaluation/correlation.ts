import { NextframeError } from '../../../worldmodel/index.ts';
/**
 * Agreement between two lists of scores (world-model vs ground-truth success rates over
 * policy × task pairs). Both return NaN when undefined (fewer than two pairs, or a list with no
 * spread): a correlation of a constant is not 0 or 1, and a report should say so (JSON null).
 */

/** Pearson's r: linear agreement of the values themselves. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new NextframeError('bad-input', `pearson: the lists differ in length (${xs.length} vs ${ys.length}); pass one value per pair in each.`);
  const n = xs.length;
  // Exactly constant lists first: their mean can round off the value and fake a tiny spread.
  if (n < 2 || xs.every((x) => x === xs[0]) || ys.every((y) => y === ys[0])) return Number.NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  // Clamp: rounding can put a perfect correlation a hair past ±1.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's ρ: Pearson's r of the ranks, ties sharing their average rank. 1 means the same ordering. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new NextframeError('bad-input', `spearman: the lists differ in length (${xs.length} vs ${ys.length}); pass one value per pair in each.`);
  return pearson(ranks(xs), ranks(ys));
}

/** 1-based ranks, ascending; tied values get the mean of the ranks they span. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && order[end]![0] === order[start]![0]) end++;
    const rank = (start + 1 + end) / 2; // mean of ranks start+1 … end
    for (let k = start; k < end; k++) out[order[k]![1]] = rank;
    start = end;
  }
  return out;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
