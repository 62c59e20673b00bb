import { NextframeError } from './errors.ts';
import type { SeededRandom } from './SeededRandom.ts';
import { buildSigmas } from './sigmas.ts';

/**
 * One denoiser evaluation: D(x; σ) for a batch of noisy images. With the exported models
 * this is exactly one ONNX `run()`; the EDM preconditioning lives inside the graph.
 */
export type Denoise = (noisy: Float32Array, sigma: number) => Promise<Float32Array>;

export interface DiffusionSamplerOptions {
  /** `euler`: one evaluation per step. `heun`: two per step (one on the last). Default `euler`. */
  method?: 'euler' | 'heun';
  /** Denoising steps per frame, ≥ 1. Default 3. */
  steps?: number;
  /** Smallest non-zero noise level. Default 0.002. */
  sigmaMin?: number;
  /** Starting noise level. Default 5 (images live in [−1, 1]). */
  sigmaMax?: number;
  /** Schedule curvature. Default 7. */
  rho?: number;
}

/**
 * Few-step EDM sampler (deterministic ODE: Euler or Heun), as in DIAMOND. The only
 * randomness is the starting noise, drawn from the caller's seeded generator, so a run is
 * reproducible bit for bit on one backend.
 */
export class DiffusionSampler {
  readonly method: 'euler' | 'heun';
  readonly sigmas: Float64Array;
  private x = new Float32Array(0);
  private d = new Float32Array(0);
  private probe = new Float32Array(0);

  constructor(options: DiffusionSamplerOptions = {}) {
    this.method = options.method ?? 'euler';
    this.sigmas = buildSigmas(options.steps ?? 3, options.sigmaMin ?? 0.002, options.sigmaMax ?? 5, options.rho ?? 7);
  }

  get steps(): number {
    return this.sigmas.length - 1;
  }

  /** Denoiser evaluations one sample costs. */
  get evaluationsPerSample(): number {
    return this.method === 'euler' ? this.steps : 2 * this.steps - 1;
  }

  /**
   * Sample into `out` (length B·3·H·W; any batch). Starting noise comes from `rng`, around
   * `start` when given (same length as `out`; models whose manifest says `start: "base"`).
   * With an array of generators the batch is split into that many equal items, each drawing its
   * noise from its own generator (speculative branches: a branch's noise must not depend on
   * which other branches share its run). The result is clamped to the image range [−1, 1].
   */
  async sample(denoise: Denoise, out: Float32Array, rng: SeededRandom | readonly SeededRandom[], start?: Float32Array): Promise<Float32Array> {
    this.ensureSize(out.length);
    const { x, d, probe, sigmas } = this;
    if (Array.isArray(rng)) {
      const item = x.length / rng.length;
      if (!Number.isInteger(item)) throw new NextframeError('bad-frame', `DiffusionSampler: ${x.length} values do not split into ${rng.length} equal batch items.`);
      rng.forEach((r: SeededRandom, i: number) => r.fillGaussian(x.subarray(i * item, (i + 1) * item), sigmas[0]!));
    } else {
      (rng as SeededRandom).fillGaussian(x, sigmas[0]!);
    }
    if (start) {
      if (start.length !== x.length) throw new NextframeError('bad-frame', `DiffusionSampler: start must hold ${x.length} values like the output, found ${start.length}.`);
      for (let j = 0; j < x.length; j++) x[j]! += start[j]!;
    }
    for (let i = 0; i < this.steps; i++) {
      const sigma = sigmas[i]!;
      const next = sigmas[i + 1]!;
      const dt = next - sigma;
      const denoised = checked(await denoise(x, sigma), x.length, sigma);
      for (let j = 0; j < x.length; j++) d[j] = (x[j]! - denoised[j]!) / sigma;
      if (this.method === 'heun' && next > 0) {
        for (let j = 0; j < x.length; j++) probe[j] = x[j]! + d[j]! * dt;
        const denoised2 = checked(await denoise(probe, next), x.length, next);
        for (let j = 0; j < x.length; j++) x[j] = x[j]! + 0.5 * (d[j]! + (probe[j]! - denoised2[j]!) / next) * dt;
      } else {
        for (let j = 0; j < x.length; j++) x[j] = x[j]! + d[j]! * dt;
      }
    }
    for (let j = 0; j < x.length; j++) out[j] = Math.min(1, Math.max(-1, x[j]!));
    return out;
  }

  private ensureSize(n: number): void {
    if (this.x.length === n) return;
    this.x = new Float32Array(n);
    this.d = new Float32Array(n);
    this.probe = new Float32Array(this.method === 'heun' ? n : 0);
  }
}

function checked(denoised: Float32Array, n: number, sigma: number): Float32Array {
  if (denoised.length !== n) {
    throw new NextframeError('bad-output', `DiffusionSampler: the denoiser returned ${denoised.length} values at σ=${sigma}, expected ${n}.`);
  }
  return denoised;
}
