import { NextframeError } from '../../../worldmodel/index.ts';
/** A success rate with its 95 % confidence interval. */
export interface RateInterval {
  rate: number;
  low: number;
  high: number;
}

/** z for a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson score interval for `successes` out of `trials`. Chosen over the normal approximation
 * because evaluation runs few episodes and rates near 0 or 1 are common: Wilson never leaves
 * [0, 1] and does not collapse to zero width at 0/n or n/n.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): RateInterval {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 0 || successes < 0 || successes > trials) {
    throw new NextframeError('bad-input', `wilsonInterval: expected integers 0 ≤ successes ≤ trials, found ${successes} of ${trials}; pass whole counts, successes out of trials.`);
  }
  if (trials === 0) return { rate: Number.NaN, low: 0, high: 1 };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / denominator;
  return { rate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
