import { describe, expect, it } from 'vitest';
import { DiffusionSampler, type Denoise } from '../../worldmodel/DiffusionSampler.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';

// If the data is one point x0, the ideal denoiser is D(x, σ) = x0 for every x and σ, and the
// probability-flow ODE carries any start to x0: both samplers must land on it.
const x0 = Float32Array.from({ length: 48 }, (_, i) => Math.sin(i) * 0.8);
const pointDenoiser: Denoise = async () => x0;

// For Gaussian data N(0, s²) the ideal denoiser is D(x, σ) = x·s²/(s²+σ²), and the ODE maps
// x(σmax) to x·s/√(s²+σmax²) exactly. Heun (2nd order) must get closer than Euler.
const s = 0.5;
const gaussianDenoiser: Denoise = async (x, sigma) => x.map((v) => (v * s * s) / (s * s + sigma * sigma));

describe('DiffusionSampler', () => {
  it.each(['euler', 'heun'] as const)('%s lands on the data point with an ideal denoiser', async (method) => {
    const sampler = new DiffusionSampler({ method, steps: 3 });
    const out = await sampler.sample(pointDenoiser, new Float32Array(48), new SeededRandom(0));
    for (let i = 0; i < 48; i++) expect(out[i]).toBeCloseTo(x0[i]!, 5);
  });

  it('Heun solves the Gaussian ODE more accurately than Euler', async () => {
    const steps = 32;
    const sigmaMax = 5;
    const errors: Record<string, number> = {};
    for (const method of ['euler', 'heun'] as const) {
      const sampler = new DiffusionSampler({ method, steps, sigmaMax, sigmaMin: 0.002 });
      const noise = new SeededRandom(5).fillGaussian(new Float32Array(64), sigmaMax);
      const out = await sampler.sample(gaussianDenoiser, new Float32Array(64), new SeededRandom(5));
      // The exact ODE solution, continued from σ_min to 0 by the final denoise (factor s²/(s²+σmin²) ≈ 1).
      let err = 0;
      for (let i = 0; i < 64; i++) {
        const exact = Math.min(1, Math.max(-1, (noise[i]! * s) / Math.sqrt(s * s + sigmaMax * sigmaMax)));
        err = Math.max(err, Math.abs(out[i]! - exact));
      }
      errors[method] = err;
    }
    expect(errors.heun!).toBeLessThan(errors.euler! / 5);
    expect(errors.heun!).toBeLessThan(0.01);
  });

  it('counts evaluations: Euler N, Heun 2N−1', async () => {
    for (const [method, expected] of [['euler', 3], ['heun', 5]] as const) {
      let calls = 0;
      const sampler = new DiffusionSampler({ method, steps: 3 });
      await sampler.sample(async (x) => { calls++; return x.map(() => 0); }, new Float32Array(12), new SeededRandom(0));
      expect(calls).toBe(expected);
      expect(sampler.evaluationsPerSample).toBe(expected);
    }
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const blur: Denoise = async (x) => x.map((v, i) => 0.5 * v + 0.1 * Math.cos(i));
    const run = async (seed: number) => new DiffusionSampler({ steps: 3 }).sample(blur, new Float32Array(30), new SeededRandom(seed));
    expect(Array.from(await run(9))).toEqual(Array.from(await run(9)));
    expect(Array.from(await run(9))).not.toEqual(Array.from(await run(10)));
  });

  it('rejects a denoiser that returns the wrong size', async () => {
    const sampler = new DiffusionSampler();
    await expect(sampler.sample(async () => new Float32Array(3), new Float32Array(12), new SeededRandom(0))).rejects.toThrow(/returned 3 values/);
  });
});
