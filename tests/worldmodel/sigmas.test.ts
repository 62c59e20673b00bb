import { describe, expect, it } from 'vitest';
import { buildSigmas, edmCoefficients } from '../../worldmodel/sigmas.ts';

describe('buildSigmas', () => {
  it('gives the Karras schedule for the default 3-step sampler', () => {
    const s = buildSigmas(3, 0.002, 5, 7);
    expect(s.length).toBe(4);
    expect(s[0]).toBeCloseTo(5, 12);
    // middle value by hand: ((5^(1/7) + 0.002^(1/7)) / 2)^7
    expect(s[1]).toBeCloseTo(((5 ** (1 / 7) + 0.002 ** (1 / 7)) / 2) ** 7, 12);
    expect(s[2]).toBeCloseTo(0.002, 12);
    expect(s[3]).toBe(0);
  });

  it('decreases strictly and ends at zero for any step count', () => {
    for (const steps of [1, 2, 5, 16]) {
      const s = buildSigmas(steps, 0.01, 10, 7);
      expect(s[0]).toBe(10);
      expect(s[steps]).toBe(0);
      for (let i = 1; i <= steps; i++) expect(s[i]!).toBeLessThan(s[i - 1]!);
    }
  });

  it('rejects impossible settings with a message naming them', () => {
    expect(() => buildSigmas(0, 0.002, 5, 7)).toThrow(/steps/);
    expect(() => buildSigmas(3, 5, 0.002, 7)).toThrow(/sigmaMin < sigmaMax/);
  });
});

describe('edmCoefficients', () => {
  it('matches the EDM formulas at σ = σ_data', () => {
    const c = edmCoefficients(0.5, 0.5);
    expect(c.cSkip).toBeCloseTo(0.5, 12);
    expect(c.cOut).toBeCloseTo(0.5 / Math.SQRT2, 12);
    expect(c.cIn).toBeCloseTo(1 / Math.sqrt(0.5), 12);
    expect(c.cNoise).toBeCloseTo(Math.log(0.5) / 4, 12);
  });

  it('keeps the input at low noise and predicts at high noise', () => {
    expect(edmCoefficients(1e-4, 0.5).cSkip).toBeCloseTo(1, 6);
    expect(edmCoefficients(1e4, 0.5).cSkip).toBeLessThan(1e-8);
  });
});
