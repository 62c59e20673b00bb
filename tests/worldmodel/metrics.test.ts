import { describe, expect, it } from 'vitest';
import { gradientEnergy, maskedPsnr, median, psnr, psnrFromMse, ssim } from '../../worldmodel/metrics.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';

const W = 16;
const H = 16;
const size = 3 * W * H;

describe('metrics', () => {
  it('psnr of a known MSE on the [0, 1] scale', () => {
    const a = new Float32Array(size).fill(0);
    const b = new Float32Array(size).fill(0.2); // 0.1 apart on [0, 1] → MSE 0.01 → 20 dB
    expect(psnr(a, b)).toBeCloseTo(20, 5);
    expect(psnr(a, a)).toBe(Number.POSITIVE_INFINITY);
  });

  it('psnrFromMse: 10·log10(1 / mse) on the [0, 1] scale, +∞ for no error', () => {
    expect(psnrFromMse(0.01)).toBeCloseTo(20, 10);
    expect(psnrFromMse(1e-4)).toBeCloseTo(40, 10);
    expect(psnrFromMse(0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('maskedPsnr scores only the pixels the mask selects', () => {
    const n = W * H;
    const a = new Float32Array(size);
    const b = new Float32Array(size);
    const mask = new Float32Array(n);
    // Left half: 0.1 apart on [0, 1] (MSE 0.01, 20 dB); right half: 0.01 apart (MSE 1e-4, 40 dB).
    for (let c = 0; c < 3; c++) for (let p = 0; p < n; p++) b[c * n + p] = p % W < W / 2 ? 0.2 : 0.02;
    for (let p = 0; p < n; p++) mask[p] = p % W < W / 2 ? 1 : 0;
    expect(maskedPsnr(a, b, mask)).toBeCloseTo(20, 5);
    expect(maskedPsnr(a, b, mask.map((m) => 1 - m))).toBeCloseTo(40, 5);
    // All ones is plain psnr (mean MSE 0.00505); none is a mean of nothing.
    expect(maskedPsnr(a, b, mask.fill(1))).toBeCloseTo(10 * Math.log10(1 / 0.00505), 5);
    expect(maskedPsnr(a, b, mask.fill(1))).toBeCloseTo(psnr(a, b), 10);
    expect(maskedPsnr(a, b, mask.fill(0))).toBeNaN();
    // Differences outside the mask do not count.
    mask.fill(0);
    mask[0] = 1;
    const c = b.slice();
    c[0] = 0;
    c[n] = 0;
    c[2 * n] = 0;
    expect(maskedPsnr(a, c, mask)).toBe(Number.POSITIVE_INFINITY);
    expect(() => maskedPsnr(a, b, new Float32Array(7))).toThrow(/whole channels of the mask's 7 pixels/);
  });

  it('ssim is 1 for identical frames and drops with noise', () => {
    const rng = new SeededRandom(1);
    const a = Float32Array.from({ length: size }, () => rng.nextFloat() * 2 - 1);
    expect(ssim(a, a, W, H)).toBeCloseTo(1, 10);
    const b = a.map((v) => Math.max(-1, Math.min(1, v + 0.3 * rng.nextGaussian())));
    const s = ssim(a, b, W, H);
    expect(s).toBeLessThan(0.95);
    expect(s).toBeGreaterThan(0);
  });

  it('gradient energy of a known ramp', () => {
    // Horizontal ramp rising 1/W of [0, 1] per pixel: x-differences (1/W)², y-differences 0.
    const frame = new Float32Array(size);
    for (let c = 0; c < 3; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) frame[c * W * H + y * W + x] = (x / W) * 2 - 1;
    expect(gradientEnergy(frame, W, H)).toBeCloseTo((1 / W) ** 2 / 2, 10);
    expect(gradientEnergy(new Float32Array(size), W, H)).toBe(0);
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('rejects frames of different sizes', () => {
    expect(() => psnr(new Float32Array(3), new Float32Array(4))).toThrow(/differ in size/);
  });
});
