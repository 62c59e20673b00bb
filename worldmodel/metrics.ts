/**
 * Image-quality metrics for CHW frames in [−1, 1], computed on the [0, 1] scale so the numbers
 * agree with `models/metrics.py`. Pure functions.
 */
import { NextframeError } from './errors.ts';

/**
 * Per-frame PSNR cap: an RMS error of one 8-bit grey level, 20·log10(255) ≈ 48.13 dB. Finer
 * differences cannot show in the 8-bit frames we compare against, and an exact copy (a player
 * standing still) must not outweigh every moving frame in a mean. Same in `models/metrics.py`.
 */
export const PSNR_CAP_DB = 20 * Math.log10(255);

/** PSNR in dB of a mean squared error on the [0, 1] scale (peak 1): 10·log10(1 / mse); +∞ at 0. */
export function psnrFromMse(mse: number): number {
  return mse === 0 ? Number.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
}

/** PSNR in dB with peak 1 on [0, 1] images: 10·log10(1 / MSE). Identical frames give +∞. */
export function psnr(a: Float32Array, b: Float32Array): number {
  sameSize(a, b, 'psnr');
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i]! - b[i]!) / 2; // [−1, 1] → [0, 1] scale
    sum += d * d;
  }
  return psnrFromMse(sum / a.length);
}

/**
 * PSNR in dB, as `psnr`, over the pixels `mask` selects: `a`, `b` are C·H·W (CHW), `mask` H·W
 * weights in [0, 1] (1 counts a pixel, 0 leaves it out), the MSE their weighted mean over all
 * channels. So a {0, 1} mask scores just some pixels (e.g. those spatial memory did not cover)
 * and an all-ones mask gives `psnr`. NaN when the mask selects nothing (a mean of no pixels:
 * callers skip such samples), +∞ when the selected pixels agree exactly.
 */
export function maskedPsnr(a: Float32Array, b: Float32Array, mask: Float32Array): number {
  sameSize(a, b, 'maskedPsnr');
  const n = mask.length;
  if (n === 0 || a.length % n !== 0) throw new NextframeError('bad-frame', `maskedPsnr: frames must hold whole channels of the mask's ${n} pixels, found ${a.length} values.`);
  const channels = a.length / n;
  let sum = 0;
  let weight = 0;
  for (let p = 0; p < n; p++) {
    const w = mask[p]!;
    if (w === 0) continue;
    weight += w;
    for (let c = 0; c < channels; c++) {
      const d = (a[c * n + p]! - b[c * n + p]!) / 2; // [−1, 1] → [0, 1] scale
      sum += w * d * d;
    }
  }
  if (weight === 0) return Number.NaN;
  return psnrFromMse(sum / (weight * channels));
}

const WINDOW = 11;
const gaussian = (() => {
  const g = new Float64Array(WINDOW);
  let total = 0;
  for (let i = 0; i < WINDOW; i++) total += g[i] = Math.exp(-((i - 5) ** 2) / (2 * 1.5 * 1.5));
  return g.map((v) => v / total);
})();

/**
 * SSIM (Wang et al. 2004) with an 11×11 Gaussian window (σ = 1.5), C1 = 0.01², C2 = 0.03², on
 * [0, 1] images, over the 'valid' region, averaged over channels.
 */
export function ssim(a: Float32Array, b: Float32Array, width: number, height: number): number {
  sameSize(a, b, 'ssim');
  if (a.length !== 3 * width * height) throw new NextframeError('bad-frame', `ssim: expected 3×${height}×${width} values, found ${a.length}.`);
  if (width < WINDOW || height < WINDOW) throw new NextframeError('bad-frame', `ssim: frames must be at least ${WINDOW}×${WINDOW}, found ${width}×${height}.`);
  const C1 = 0.01 ** 2;
  const C2 = 0.03 ** 2;
  const n = width * height;
  let total = 0;
  let count = 0;
  for (let c = 0; c < 3; c++) {
    const x = a.subarray(c * n, (c + 1) * n);
    const y = b.subarray(c * n, (c + 1) * n);
    for (let oy = 0; oy + WINDOW <= height; oy++) {
      for (let ox = 0; ox + WINDOW <= width; ox++) {
        let mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
        for (let j = 0; j < WINDOW; j++) {
          for (let i = 0; i < WINDOW; i++) {
            const w = gaussian[j]! * gaussian[i]!;
            const p = (oy + j) * width + ox + i;
            const u = (x[p]! + 1) / 2;
            const v = (y[p]! + 1) / 2;
            mx += w * u;
            my += w * v;
            xx += w * u * u;
            yy += w * v * v;
            xy += w * u * v;
          }
        }
        const vx = xx - mx * mx;
        const vy = yy - my * my;
        const cov = xy - mx * my;
        total += ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
        count++;
      }
    }
  }
  return total / count;
}

/**
 * Mean gradient energy: the mean of squared finite differences along x and along y, on the
 * [0, 1] scale, averaged over channels. A blurred or collapsed frame has less of it.
 */
export function gradientEnergy(frame: Float32Array, width: number, height: number): number {
  if (frame.length !== 3 * width * height) throw new NextframeError('bad-frame', `gradientEnergy: expected 3×${height}×${width} values, found ${frame.length}.`);
  const n = width * height;
  let gx = 0;
  let gy = 0;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = c * n + y * width + x;
        if (x + 1 < width) gx += ((frame[p + 1]! - frame[p]!) / 2) ** 2;
        if (y + 1 < height) gy += ((frame[p + width]! - frame[p]!) / 2) ** 2;
      }
    }
  }
  return (gx / (3 * height * (width - 1)) + gy / (3 * (height - 1) * width)) / 2;
}

/** Median of a list of numbers (NaN for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function sameSize(a: Float32Array, b: Float32Array, where: string): void {
  if (a.length !== b.length) throw new NextframeError('bad-frame', `${where}: frames differ in size (${a.length} vs ${b.length}).`);
}

/** A PSNR capped at PSNR_CAP_DB (identical frames give +∞ dB). */
export function cap(db: number): number {
  return Math.min(db, PSNR_CAP_DB);
}

/** The mean of `values` (NaN for none). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** `count` integers spread evenly over [lo, hi] (the sample ticks of an evaluation). */
export function spread(lo: number, hi: number, count: number): number[] {
  if (count <= 1 || hi <= lo) return [lo];
  return Array.from({ length: count }, (_, i) => Math.round(lo + (i * (hi - lo)) / (count - 1)));
}
