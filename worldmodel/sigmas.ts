/**
 * The EDM (Karras et al. 2022) noise-level schedule, as a pure function so tests and the
 * Python side (`models/sampler.py: build_sigmas`) can pin the same numbers.
 *
 * σ_i = (σmax^(1/ρ) + i/(N−1)·(σmin^(1/ρ) − σmax^(1/ρ)))^ρ for i = 0…N−1, then a final 0.
 * ρ = 7 spends most steps at low noise, where detail is decided.
 */
export function buildSigmas(steps: number, sigmaMin: number, sigmaMax: number, rho: number): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`buildSigmas: expected steps to be an integer ≥ 1, found ${steps}`);
  }
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin && rho > 0)) {
    throw new RangeError(`buildSigmas: expected 0 < sigmaMin < sigmaMax and rho > 0, found sigmaMin=${sigmaMin}, sigmaMax=${sigmaMax}, rho=${rho}`);
  }
  const sigmas = new Float64Array(steps + 1);
  if (steps === 1) {
    sigmas[0] = sigmaMax;
    return sigmas;
  }
  const lo = sigmaMin ** (1 / rho);
  const hi = sigmaMax ** (1 / rho);
  for (let i = 0; i < steps; i++) sigmas[i] = (hi + (i / (steps - 1)) * (lo - hi)) ** rho;
  // Pin the ends exactly: pow round-trips can be off by an ulp, and tests compare them.
  sigmas[0] = sigmaMax;
  sigmas[steps - 1] = sigmaMin;
  return sigmas; // last entry stays 0
}

/** EDM preconditioning coefficients for noise level σ (the exported graph applies them). */
export function edmCoefficients(sigma: number, sigmaData: number): { cSkip: number; cOut: number; cIn: number; cNoise: number } {
  const s2 = sigma * sigma + sigmaData * sigmaData;
  return {
    cSkip: (sigmaData * sigmaData) / s2,
    cOut: (sigma * sigmaData) / Math.sqrt(s2),
    cIn: 1 / Math.sqrt(s2),
    cNoise: Math.log(sigma) / 4,
  };
}
